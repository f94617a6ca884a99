"""Passes folded into edits against the original, run to a fixed point."""

from __future__ import annotations

from typing import Any

from pipeline.document import Edit, OffsetMap, apply_edits
from pipeline.stages.markup.model import STAGE, Doubt, Fix, MarkupOptions
from pipeline.stages.markup.passes import find_fixes


def compose_fixes(original: str, edits: list[Edit], text: str, fixes: list[Fix]) -> list[Edit]:
    """Fold fixes on ``text`` (= ``original`` with ``edits``) into edits on ``original``.

    A fix that touches the replacement text of an earlier edit, or contains a
    deletion, is merged with it into one edit whose ``old`` is the original
    span and whose ``new`` is the final text.

    >>> e = [Edit(1, 4, "<b>", "", "markup", "tag", "t")]
    >>> compose_fixes("<<b>b>x", e, "<b>x", [Fix(0, 3, "", "tag", "t2")])
    [Edit(start=0, end=6, old='<<b>b>', new='', stage='markup', rule='tag', reason='t2; t', supersedes=())]
    """
    if not fixes:
        return list(edits)
    omap = OffsetMap(edits)
    # regions in cleaned coordinates: [cs, ce, first absorbed edit, last absorbed edit + 1, fixes]
    regions: list[list[Any]] = []
    for f in sorted(fixes, key=lambda x: (x.start, x.end)):
        if f.start >= f.end:
            raise ValueError("zero-width fixes are not supported")
        cs, ce = f.start, f.end
        # base edits whose new text overlaps the fix, or deletions strictly inside it
        absorbed = [
            (k, ks, ke)
            for k, ks, ke in omap.cleaned_extents(cs, ce)
            if (ks < ce and ke > cs) or (ks == ke and cs < ks < ce)
        ]
        a0, a1 = (absorbed[0][0], absorbed[-1][0] + 1) if absorbed else (-1, -1)
        if absorbed:
            cs = min(cs, absorbed[0][1])
            ce = max(ce, absorbed[-1][2])
        if regions and regions[-1][1] > cs:  # overlaps the previous region (through a shared edit)
            r = regions[-1]
            r[1] = max(r[1], ce)
            if absorbed:
                r[2] = a0 if r[2] < 0 else min(r[2], a0)
                r[3] = max(r[3], a1)
            r[4].append(f)
        else:
            regions.append([cs, ce, a0, a1, [f]])
    gone: set[int] = set()
    new_edits: list[Edit] = []
    for cs, ce, a0, a1, fs in regions:
        os_ = omap.to_original(cs, "right")
        oe = omap.to_original(ce, "left")
        if a0 >= 0:
            gone.update(range(a0, a1))
            os_ = min(os_, edits[a0].start)
            oe = max(oe, edits[a1 - 1].end)
        parts: list[str] = []
        pos = cs
        for f in fs:
            parts.append(text[pos : f.start])
            parts.append(f.new)
            pos = f.end
        parts.append(text[pos:ce])
        new = "".join(parts)
        old = original[os_:oe]
        rules = [f.rule for f in fs] + ([edits[k].rule for k in range(a0, a1)] if a0 >= 0 else [])
        reasons = [f.reason for f in fs] + ([edits[k].reason for k in range(a0, a1)] if a0 >= 0 else [])
        if old == new:
            continue
        new_edits.append(
            Edit(os_, oe, old, new, STAGE, "+".join(dict.fromkeys(rules)), "; ".join(dict.fromkeys(reasons)))
        )
    kept = [e for k, e in enumerate(edits) if k not in gone]
    return sorted(kept + new_edits, key=lambda e: (e.start, e.end))


def plan_edits(original: str, options: MarkupOptions) -> tuple[list[Edit], list[Doubt], int]:
    """Run the detectors to a fixed point; edits and doubts in original offsets, and the passes used."""
    edits: list[Edit] = []
    doubts: dict[tuple[int, int, str], Doubt] = {}
    text = original
    passes = 0
    for passes in range(1, options.max_passes + 1):  # noqa: B007 - used after the loop
        fixes, found = find_fixes(text, options)
        omap = OffsetMap(edits)
        for d in found:
            a = omap.to_original(d.start, "right")
            b = max(a, omap.to_original(d.end, "left"))
            doubts.setdefault((a, b, d.rule), Doubt(a, b, d.rule, d.reason))
        if not fixes:
            break
        edits = compose_fixes(original, edits, text, fixes)
        text = apply_edits(original, edits)
    else:
        passes = options.max_passes + 1
    return edits, sorted(doubts.values(), key=lambda d: (d.start, d.end)), passes

"""Non-overlapping edits out of the stage's proposals, in O(n log n).

Lexicon proposals first, then Latin aliases, variants, orthography; within a
rule longer spans first.  A proposal overlapping one already taken is
dropped; one overlapping an edit of an earlier stage is kept and flagged.
"""

from __future__ import annotations

from bisect import bisect_left, insort

from pipeline.document import Document, Edit

Proposal = tuple[int, int, str, str, str]  # start, end, new, rule, reason

_RULE_ORDER = {"lexicon": 0, "latin-alias": 1, "variant": 2, "orthography": 3}


def overlaps_taken(starts: list[int], ends: dict[int, int], start: int, end: int) -> bool:
    """Whether ``start..end`` overlaps a taken span (taken spans never overlap, so only the one before ``end`` can).

    >>> overlaps_taken([0, 10], {0: 5, 10: 12}, 5, 10), overlaps_taken([0, 10], {0: 5, 10: 12}, 4, 6)
    (False, True)
    """
    i = bisect_left(starts, end)
    return i > 0 and ends[starts[i - 1]] > start


def select_edits(doc: Document, proposals: list[Proposal], stage: str) -> list[Edit]:
    """The edits to make, in text order (see the module doc)."""
    ranked = sorted(proposals, key=lambda p: (_RULE_ORDER.get(p[3], 9), p[0] - p[1], p[0]))
    starts: list[int] = []
    ends: dict[int, int] = {}
    edits: list[Edit] = []
    original = doc.original
    for start, end, new, rule, reason in ranked:
        old = original[start:end]
        if old == new or overlaps_taken(starts, ends, start, end):
            continue
        if doc.overlaps_edit(start, end):
            doc.flag(start, end, stage, rule, f"not rewritten (overlaps an earlier edit): {reason}")
            continue
        insort(starts, start)
        ends[start] = end
        edits.append(Edit(start, end, old, new, stage, rule, reason))
    return sorted(edits, key=lambda e: (e.start, e.end))

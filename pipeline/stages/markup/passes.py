"""One pass over the text: run the detectors, keep non-overlapping fixes by priority, place line breaks."""

from __future__ import annotations

import re

from pipeline.overlaps import resolve_overlaps
from pipeline.stages.markup.detectors import (
    find_comments,
    find_debris,
    find_entities,
    find_raw_blocks,
    find_shortcodes,
    find_tags,
    find_tails,
)
from pipeline.stages.markup.model import Doubt, Fix, MarkupOptions
from pipeline.stages.markup.patterns import SENTENCE_END
from pipeline.stages.markup.rules import load_rules

# earlier detectors win when fixes overlap
_PRIORITY = {
    "raw-block": 0,
    "comment": 1,
    "tag": 2,
    "broken-tag": 2,
    "shortcode": 2,
    "attribute-tail": 3,
    "entity": 4,
    "space-entity": 4,
}
_MARKUP_RULES = frozenset({"raw-block", "comment", "tag", "broken-tag", "shortcode", "attribute-tail"})
# a sentence end, possibly inside its closing bracket
_SENTENCE_CLOSE = SENTENCE_END + "!?」』）)”"


def find_fixes(text: str, options: MarkupOptions) -> tuple[list[Fix], list[Doubt]]:
    """All non-overlapping fixes of one pass over ``text``, and the doubts."""
    rules = load_rules()
    found: list[Fix] = []
    doubts: list[Doubt] = []
    if options.tags:
        for fx, db in (
            find_raw_blocks(text, rules),
            find_comments(text),
            find_tags(text, rules),
            find_shortcodes(text, rules),
            find_tails(text),
        ):
            found += fx
            doubts += db
        # a tag kept as content (「<a href="...">のような」) is not an attribute tail either
        kept = [(d.start, d.end) for d in doubts if d.rule in ("tag", "shortcode")]
        if kept:
            found = [f for f in found if f.rule != "attribute-tail" or not _inside_any(f, kept)]
    if options.entities:
        fx, db = find_entities(text, rules)
        found += fx
        doubts += db
    if options.debris:
        fx, db = find_debris(text, rules)
        found += fx
        doubts += db
    chosen = _resolve(found)
    if options.breaks == "auto":
        chosen = _place_breaks(text, chosen)
    return chosen, doubts


def _inside_any(f: Fix, spans: list[tuple[int, int]]) -> bool:
    return any(a < f.end and f.start < b for a, b in spans)


def _resolve(found: list[Fix]) -> list[Fix]:
    """Keep the higher-priority fix where two overlap (same priority: the earlier, then the longer).

    >>> [f.rule for f in _resolve([Fix(0, 5, "", "entity", ""), Fix(2, 8, "", "tag", ""), Fix(8, 9, "", "tag", "")])]
    ['tag', 'tag']
    """
    return resolve_overlaps(found, rank=lambda f: (_PRIORITY.get(f.rule, 9), f.start, f.start - f.end))


def _place_breaks(text: str, fixes: list[Fix]) -> list[Fix]:
    """A removed run of markup with more text on both sides may become a line break or a space.

    A run is a sequence of tag/tail deletions with at most spaces between
    them.  A run holding a block-level tag becomes a line break; one holding
    an attribute tail becomes a line break only after a sentence end (the tail
    glues two sentences, ``公表。align: left;">2021年3月``).  Otherwise, between
    two Latin letters or digits, a space keeps the words apart.  A run of
    table-cell tags inside a row (``</td><td>``) becomes one space, so a row
    stays one line.  Spaces that a removed run leaves at the start or the end
    of a line go too.
    """
    cells = load_rules().cell_tags
    out = list(fixes)
    n = len(out)
    gaps: list[Fix] = []
    i = 0
    while i < n:
        if out[i].new or out[i].rule not in _MARKUP_RULES:
            i += 1
            continue
        j = i
        while (
            j + 1 < n
            and out[j + 1].rule in _MARKUP_RULES
            and not out[j + 1].new
            and _only_spaces(text, out[j].end, out[j + 1].start)
        ):
            j += 1
        run = out[i : j + 1]
        before = text[run[0].start - 1] if run[0].start > 0 else "\n"
        after = text[run[-1].end] if run[-1].end < len(text) else "\n"
        has_text_around = before not in "\r\n" and not after.isspace()
        block = any(f.breaks and f.rule != "attribute-tail" for f in run)
        tail = any(f.rule == "attribute-tail" for f in run)
        breaks_here = (block or tail) and before in _SENTENCE_CLOSE or _is_block_boundary(text, run)
        f = run[0]
        if has_text_around and all(_tag_name(text, x) in cells for x in run):
            out[i] = Fix(f.start, f.end, " ", f.rule, f.reason + "; a space between two table cells", f.breaks)
            for a, b in zip(run, run[1:], strict=False):
                if a.end < b.start:
                    gaps.append(Fix(a.end, b.start, "", "tag", "space between removed tags"))
        elif has_text_around and breaks_here:
            out[i] = Fix(f.start, f.end, "\n", f.rule, f.reason + "; a line break takes its place", f.breaks)
            for a, b in zip(run, run[1:], strict=False):
                if a.end < b.start:
                    gaps.append(Fix(a.end, b.start, "", "tag", "space between removed tags"))
        elif (block or tail) and before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
            out[i] = Fix(f.start, f.end, " ", f.rule, f.reason + "; a space keeps the words apart", f.breaks)
        gaps += _edge_spaces(text, run, out[i - 1].end if i > 0 else 0, out[j + 1].start if j + 1 < n else len(text))
        i = j + 1
    return sorted(out + gaps, key=lambda x: x.start) if gaps else out


def _is_block_boundary(text: str, run: list[Fix]) -> bool:
    """The run says "new line" mid-text: a ``<br>``/``<hr>``, or a block that ends before another begins.

    ``</h2><p>`` and ``</p> <p>`` are boundaries; a lone ``<div class="a">`` or
    ``</div>`` inside a sentence is not.
    """
    rules = load_rules()
    closed = False
    for f in run:
        name = _tag_name(text, f)
        if name in rules.line_break_tags:
            return True
        if name not in rules.block_tags or not f.breaks:
            continue
        if text.startswith("</", f.start):
            closed = True
        elif closed:
            return True
    return False


def _edge_spaces(text: str, run: list[Fix], lo: int, hi: int) -> list[Fix]:
    """Spaces or tabs between a removed run and the start or the end of its line (within ``lo``..``hi``).

    >>> _edge_spaces("<b> 語", [Fix(0, 3, "", "tag", "")], 0, 5)
    [Fix(start=3, end=4, new='', rule='tag', reason='space left at a line edge by removed markup', breaks=False)]
    """
    a, b = run[0].start, run[-1].end
    reason = "space left at a line edge by removed markup"
    if a == 0 or text[a - 1] in "\r\n":
        k = b
        while k < hi and text[k] in " \t":
            k += 1
        if k > b and k < len(text) and text[k] not in "\r\n":
            return [Fix(b, k, "", run[0].rule, reason)]
    if b == len(text) or text[b] in "\r\n":
        k = a
        while k > lo and text[k - 1] in " \t":
            k -= 1
        if k < a:
            return [Fix(k, a, "", run[-1].rule, reason)]
    return []


_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9]{0,20}+)")


def _tag_name(text: str, fix: Fix) -> str:
    m = _TAG_NAME.match(text, fix.start) if fix.rule in ("tag", "broken-tag") else None
    return m.group(1).lower() if m else ""


def _only_spaces(text: str, a: int, b: int) -> bool:
    return a == b or (b - a <= 20 and not text[a:b].strip(" \t"))

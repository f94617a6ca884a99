"""Sentence-by-sentence alignment of the original and the cleaned text, from the edit log.

A *row* is a span of the original: one sentence, with the whitespace after
it and the line break that ends its line.  Rows never cut through an edit:
an edit that crosses a sentence or line boundary (a removed duplicate with
its trailing space, a line emptied with its break) joins the rows it touches.
Each row knows its edits (top level, in order) and the flags that start in
it, so the cleaned side is the original with those edits applied: no
re-diffing, and the alignment is exact by construction.

>>> from pipeline.document import Document, Sentence
>>> doc = Document("一つ。二つ。\\n三つ。")
>>> doc.sentences = [Sentence(0, 3, 0), Sentence(3, 6, 0), Sentence(7, 10, 1)]
>>> doc.edit(3, 6, "", "dedup", "exact", "repeat")  # doctest: +ELLIPSIS
Edit(...)
>>> [(r.start, r.end, len(r.edits)) for r in build_rows(doc)]
[(0, 3, 0), (3, 7, 1), (7, 10, 0)]
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from pipeline.document import Document, Edit, Flag


@dataclass(slots=True)
class Row:
    """An original span ``[start, end)`` with the edits and flags inside it."""

    start: int
    end: int
    line: int  # 1-based line number of ``start`` in the original
    edits: list[Edit] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.edits)


def cut_points(doc: Document) -> list[int]:
    """Row boundaries: line starts and sentence starts, never inside an edit.

    A boundary that would start a whitespace-only row is dropped (blank
    lines and indentation join the row before them).
    """
    text = doc.original
    n = len(text)
    cuts = {0, n}
    pos = text.find("\n")
    while pos >= 0:
        cuts.add(pos + 1)
        pos = text.find("\n", pos + 1)
    for s in doc.sentences:
        if 0 <= s.start <= n:
            cuts.add(s.start)
    ordered = sorted(cuts)
    kept = [c for c, nxt in itertools.pairwise(ordered) if c == 0 or text[c:nxt].strip()]
    kept.append(n)
    # boundaries strictly inside an edit are removed
    inside: set[int] = set()
    for e in doc.edits:
        i = bisect.bisect_right(kept, e.start)
        while i < len(kept) and kept[i] < e.end:
            inside.add(kept[i])
            i += 1
    return [c for c in kept if c not in inside] if inside else kept


def build_rows(doc: Document) -> list[Row]:
    """The rows of a document, in order, covering the whole original."""
    cuts = cut_points(doc)
    if len(cuts) == 1:  # empty original
        cuts = [0, 0]
    line_starts = [0] + [i + 1 for i, c in enumerate(doc.original) if c == "\n"]
    rows = [Row(a, b, bisect.bisect_right(line_starts, a)) for a, b in itertools.pairwise(cuts)]
    starts = [r.start for r in rows]
    last = len(rows) - 1
    for e in doc.edits:
        rows[min(last, max(0, bisect.bisect_right(starts, e.start) - 1))].edits.append(e)
    for f in sorted(doc.flags, key=lambda f: (f.start, f.end)):
        rows[min(last, max(0, bisect.bisect_right(starts, f.start) - 1))].flags.append(f)
    return rows


def edit_matches(e: Edit, stages: Collection[str] = (), rules: Collection[str] = ()) -> bool:
    """Does an edit (or one it supersedes) pass the ``--stage`` / ``--rule`` filters?

    >>> e = Edit(0, 1, "x", "", "dedup", "exact", "why", (Edit(0, 1, "x", "y", "variants", "canon", "why"),))
    >>> edit_matches(e, {"variants"}), edit_matches(e, {"markup"}), edit_matches(e, (), {"exact"})
    (True, False, True)

    A composite rule (markup's ``tag+entity``: one edit removed both) matches each of its parts:

    >>> edit_matches(Edit(0, 8, "<b>&amp;", "&", "markup", "tag+entity", "why"), (), {"tag"})
    True
    """
    if (not stages or e.stage in stages) and (not rules or e.rule in rules or set(e.rule.split("+")) & set(rules)):
        return True
    return any(edit_matches(s, stages, rules) for s in e.supersedes)


def flag_matches(f: Flag, stages: Collection[str] = (), rules: Collection[str] = ()) -> bool:
    return (not stages or f.stage in stages) and (not rules or f.rule in rules)


def row_matches(row: Row, stages: Collection[str] = (), rules: Collection[str] = ()) -> bool:
    """Does a row hold an edit or a flag that passes the filters?"""
    return any(edit_matches(e, stages, rules) for e in row.edits) or any(
        flag_matches(f, stages, rules) for f in row.flags
    )


@dataclass(frozen=True, slots=True)
class Piece:
    """Part of a row: unchanged text (``edit is None``) or one edit."""

    text: str
    edit: Edit | None = None


def row_pieces(doc: Document, row: Row) -> Iterator[Piece]:
    """Unchanged stretches and edits of a row, in order."""
    pos = row.start
    for e in row.edits:
        if e.start > pos:
            yield Piece(doc.original[pos : e.start])
        yield Piece(e.old, e)
        pos = max(pos, e.end)
    if pos < row.end:
        yield Piece(doc.original[pos : row.end])


def sentence_counts(doc: Document) -> tuple[int, int]:
    """(kept, removed) sentences: removed ones have no text left in the cleaned document."""
    removed = sum(1 for s in doc.sentences if doc.is_deleted(s.start, s.end))
    return len(doc.sentences) - removed, removed

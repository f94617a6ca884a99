"""Non-overlapping edits out of the stage's proposals (:func:`pipeline.overlaps.resolve_overlaps`).

Lexicon proposals first, then Latin aliases, variants, orthography; within a
rule longer spans first.  A proposal overlapping one already taken is
dropped; one overlapping an edit of an earlier stage is kept and flagged.
"""

from __future__ import annotations

from pipeline.document import Document, Edit
from pipeline.overlaps import resolve_overlaps

Proposal = tuple[int, int, str, str, str]  # start, end, new, rule, reason

_RULE_ORDER = {"lexicon": 0, "latin-alias": 1, "variant": 2, "orthography": 3}


def select_edits(doc: Document, proposals: list[Proposal], stage: str) -> list[Edit]:
    """The edits to make, in text order (see the module doc)."""
    original = doc.original

    def free(p: Proposal) -> bool:
        start, end, _, rule, reason = p
        if doc.overlaps_edit(start, end):
            doc.flag(start, end, stage, rule, f"not rewritten (overlaps an earlier edit): {reason}")
            return False
        return True

    chosen = resolve_overlaps(
        (p for p in proposals if original[p[0] : p[1]] != p[2]),
        rank=lambda p: (_RULE_ORDER.get(p[3], 9), p[0] - p[1], p[0]),
        span=lambda p: (p[0], p[1]),
        accept=free,
    )
    return [Edit(start, end, original[start:end], new, stage, rule, reason) for start, end, new, rule, reason in chosen]

"""From matches to edits: the reason, the span removed."""

from __future__ import annotations

from pipeline.document import Document
from pipeline.stages.dedup.keys import SentenceKey
from pipeline.stages.dedup.search import Match


# -- edits ---------------------------------------------------------------------
def quote_text(text: str, limit: int = 30) -> str:
    """A short quotation of a sentence for a reason.

    >>> quote_text("短い文。")
    '「短い文。」'
    >>> quote_text("あ" * 40, 10)
    '「ああああ…ああああ」'
    """
    text = " ".join(text.split())
    if len(text) > limit:
        half = (limit - 2) // 2
        text = text[:half] + "…" + text[-half:]
    return f"「{text}」"


def final_keeper(m: Match, removed: dict[int, Match]) -> SentenceKey:
    """The sentence that stays for a removal (its keeper may have been removed for a fuller copy)."""
    k = m.keeper
    seen = {m.victim.index}
    while k.index in removed and k.index not in seen:
        seen.add(k.index)
        k = removed[k.index].keeper
    return k


def describe(doc: Document, m: Match, removed: dict[int, Match]) -> str:
    """The reason of a removal: the rule, the sentence kept, the score and a quotation."""
    label = {"exact": "duplicate", "near": "near-duplicate", "fragment": "fragment"}[m.rule]
    measure = {"exact": "identical", "near": "similarity", "fragment": "containment"}[m.rule]
    score = "identical" if m.rule == "exact" else f"{measure} {m.score:.2f}"
    where = "later, more complete " if m.keeper.index > m.victim.index and m.rule == "near" else ""
    span = m.region or (m.keeper.start, m.keeper.end)
    reason = f"{label} of {where}sentence {m.keeper.index} ({score}): {quote_text(doc.cleaned_slice(*span))}"
    k = final_keeper(m, removed)
    if k.index != m.keeper.index:
        reason += f"; that sentence repeats sentence {k.index}"
    if m.evidence:
        reason += f"; {m.evidence}"
    return reason


_STOPS = "。．.！？!?、，,"  # punctuation an orphan of which would be left after a removed sentence


def deletion_span(doc: Document, s: SentenceKey) -> tuple[int, int]:
    """The sentence plus the spaces before it (or after it, at a line start).

    Stops and commas right after the sentence (``…「…。」`` + ``。``, or
    ``…？`` + ``、``) go with it, so no orphan ``。`` or ``、`` is left behind
    to join the sentence before (where markup would fold ``。、`` on the next
    cleaning: not idempotent).
    """
    blk = doc.blocks[s.block] if 0 <= s.block < len(doc.blocks) else None
    lo = blk.start if blk else 0
    hi = blk.end if blk else len(doc.original)
    a, b = s.start, s.end
    if b > a:
        z = b
        while z < hi and doc.original[z] in _STOPS:
            z += 1
        if not (z < hi and doc.original[z].isascii() and doc.original[z].isalnum()):  # not the dot of .NET
            b = z
    while a > lo and doc.original[a - 1] in " \t\u3000":
        a -= 1
    if a == lo:
        while b < hi and doc.original[b] in " \t\u3000":
            b += 1
    return a, b

"""The dedup stage: keys, search, loops, edits and flags of one document."""

from __future__ import annotations

from typing import Any

from pipeline.document import Document, Edit
from pipeline.stages.dedup.edits import deletion_span, describe, final_keeper
from pipeline.stages.dedup.keys import Vocabulary, build_key, mention_index
from pipeline.stages.dedup.options import STAGE, DedupOptions
from pipeline.stages.dedup.search import Finder
from pipeline.stages.loops import document_loops


def remove_loops(doc: Document) -> None:
    """Remove loops inside sentences as edits of stage ``dedup``, rule ``loop`` (one ``add_edits`` call)."""
    edits, flags = document_loops(doc)
    for a, b, reason in flags:
        doc.flag(a, b, STAGE, "loop", reason)
    if edits:
        doc.add_edits(edits)
        doc.count(STAGE, "loop", len(edits))


def remove_duplicates(doc: Document, options: DedupOptions) -> None:
    """Remove loops inside sentences, then repeated sentences, as edits of stage ``dedup``.

    Loops go first (their own ``add_edits`` call), so each sentence is
    compared as it reads without its loop, and cleaning the cleaned text
    again finds nothing new (``…A、A。A。`` loses its loop, then the repeat).
    """
    options = options or DedupOptions()
    if not doc.sentences or not options.rules:
        return
    if "loop" in options.rules:
        remove_loops(doc)
    vocab = Vocabulary()
    mentions = mention_index(doc)
    # names: the variant clusters when the variants stage ran, else phonetic keys
    phonetic = "variants" not in doc.annotations
    keys = [build_key(doc, i, vocab, mentions, phonetic) for i, s in enumerate(doc.sentences) if s.tokens]
    if doc.edits:
        keys = [k for k in keys if not doc.is_deleted(k.start, k.end)]
    else:  # no edit: the cleaned text of a span is its original text (doc.is_deleted without the offset map)
        original = doc.original
        keys = [k for k in keys if original[k.start : k.end].strip()]
    finder = Finder(doc, options)
    finder.run(keys)
    edits: list[Edit] = []
    records: list[dict[str, Any]] = []
    last_end = 0
    for idx in sorted(finder.removed):
        m = finder.removed[idx]
        reason = describe(doc, m, finder.removed)
        a, b = deletion_span(doc, m.victim)
        # spaces (or the stops after a quotation) already taken by the previous deletion
        a = max(a, last_end)
        if not doc.can_replace(a, b):
            a, b = m.victim.start, m.victim.end
            if not doc.can_replace(a, b):
                doc.flag(a, b, STAGE, m.rule, f"{reason}; kept: an earlier edit crosses the sentence boundary")
                continue
        edits.append(Edit(a, b, doc.original[a:b], "", STAGE, m.rule, reason))
        last_end = b
        kept = final_keeper(m, finder.removed).index
        records.append({"removed": idx, "kept": kept, "rule": m.rule, "score": round(m.score, 4)})
        doc.count(STAGE, m.rule)
    for s, rule, reason in finder.flags.values():
        if s.index not in finder.removed:
            doc.flag(s.start, s.end, STAGE, rule, reason)
    if edits:
        doc.add_edits(edits)
        doc.annotations[STAGE] = {"removed": records}
    doc.count(STAGE, "sentences", len(keys))

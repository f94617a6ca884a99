"""Sentence deduplication: exact, near-duplicate and fragment repeats, and loops inside a sentence.

Machine translation repeats text in a few shapes: a sentence twice, a second
rendering of the same sentence with other spellings or words, and the tail
(or a short restatement) of a sentence standing as a sentence of its own.
Three rules, each with a score and a threshold:

``exact``
    the sentence keys are equal (score 1.00).
``near``
    rapidfuzz Indel similarity of the two unit sequences (lemmas; content
    words weigh 2, particles and endings 1) is at least ``near`` (default 0.80).
``fragment``
    a short sentence is contained in a neighbour in the same line: the
    (weighted) share of its units in the longest common subsequence with the
    best window of the neighbour is at least ``fragment`` (default 0.70).
``loop``
    a phrase or clause said again inside one sentence (:mod:`pipeline.stages.loops`).

Evidence before an edit: a copy **next to** its original (the same line, or
no live sentence between them in one paragraph) is an MT or scraping
artefact and goes; an exact or near repeat further away may be the author's
(a listing's shipping note, an instruction after each step, a refrain) and is
kept and flagged unless ``distant="remove"`` (or document scope).
Near-duplicates and fragments need the same **sentence type**
(:mod:`pipeline.stages.sentence_types`: request, question or statement;
tense; polarity): a request and its follow-up question are two sentences.
``source`` is the hook for English-source evidence (not built here).

Keys are built from ``Sentence.tokens`` (never re-tokenised) after variant
normalisation: a token's text is its cleaned text, a token inside a variant
mention becomes its cluster id, punctuation and spaces are left out, digit
runs are joined (``5,000`` = ``5000``) and numbers stay significant.

What stays: the more complete copy (the full sentence, not its fragment; of
two near-duplicates, the clearly longer one), among equals the first.  The
removal is one edit over the sentence (and the space before it) whose reason
names the sentence kept and the score.

Safety rules (the cleaner keeps text when unsure and adds a flag instead):

* numbers and negations must match: ``2018年2月`` is not ``2024年2月``, and
  ``…しなかった`` is not ``…した``;
* a name-like word (katakana or Latin word, proper noun, variant mention) on
  one side only must have a phonetic partner on the other side
  (``ハルターマン``/``ハルトマン``), else the sentences are about different
  things;
* short formulaic lines (dates, headings, a short line on its own, blocks
  labelled heading/timeline/byline/caption) are never near-duplicates or
  fragments, and identical ones are kept and flagged: a timeline may list the
  same month twice;
* quotations: by default a sentence holding quote marks is never removed
  (a speaker may repeat himself); ``--dedup-quotes exact`` removes exact
  repeats of quoted sentences, ``all`` treats them like other sentences.

Scope: by default a sentence is compared with the ``window`` sentences
before it in the same paragraph.  With ``scope="document"`` exact and near
repeats are looked up in the whole document through an index (a hash table
for keys, prefix-filtered postings of rare units for near-duplicates, at most
``max_candidates`` checks per sentence), so the cost stays near-linear;
fragments are always a neighbour's matter (the window, across paragraphs).

>>> from pipeline.run import clean_text
>>> doc = clean_text("関係は崩れ始めた後、会社は新しい計画を発表した。新しい計画を発表した。")
>>> doc.text
'関係は崩れ始めた後、会社は新しい計画を発表した。'
>>> doc.edits[0].rule, doc.edits[0].reason.split(" (")[0]
('fragment', 'fragment of sentence 0')
"""

from __future__ import annotations

from pipeline.stages.dedup.compare import compare_fragment, compare_near
from pipeline.stages.dedup.edits import deletion_span, describe, final_keeper, quote_text
from pipeline.stages.dedup.keys import (
    SentenceKey,
    build_key,
    classify_token,
    is_speech,
    is_whole_quotation,
    name_unit,
    normalise_unit,
    unit_spans,
)
from pipeline.stages.dedup.options import (
    DISTANT_POLICIES,
    QUOTE_POLICIES,
    RULES,
    SCOPES,
    SENTENCE_RULES,
    STAGE,
    DedupOptions,
    add_arguments,
    options_from_args,
)
from pipeline.stages.dedup.search import Match
from pipeline.stages.dedup.stage import remove_duplicates

__all__ = [
    "DISTANT_POLICIES",
    "DedupOptions",
    "Match",
    "QUOTE_POLICIES",
    "RULES",
    "SCOPES",
    "SENTENCE_RULES",
    "STAGE",
    "SentenceKey",
    "add_arguments",
    "build_key",
    "classify_token",
    "compare_fragment",
    "compare_near",
    "deletion_span",
    "describe",
    "final_keeper",
    "is_speech",
    "is_whole_quotation",
    "name_unit",
    "normalise_unit",
    "options_from_args",
    "quote_text",
    "remove_duplicates",
    "unit_spans",
]

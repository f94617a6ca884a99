"""Cross-document boilerplate: sentences and paragraphs repeated across many articles.

A batch of articles from one site repeats its footers, credits and
disclaimers in every article (``この記事は…に基づいています``, ``無断転載を禁じます``).
Inside one article they are no repeat, so the dedup stage keeps them; across
a corpus they are noise.  This module counts, in two passes that stream:

1. :class:`BoilerplateCounter` ``.add(doc)`` for every cleaned document (a
   :class:`~pipeline.document.Document` or an annotation record), in any
   number of workers; ``.merge(other)`` joins their counts; ``.report(options)``
   lists the sentences and paragraphs found in at least ``min_docs``
   documents (and ``min_share`` of them), with an example text.
2. :func:`remove_boilerplate` (only when asked) deletes them from one
   document as edits of stage ``boilerplate``, rule ``cross-document``, whose
   reason says in how many documents the text was found.  Only a document's
   leading and trailing runs of repeated text go (headers, footers, credits
   at the end); a repeated sentence with content on both sides is flagged
   (``anywhere`` removes it too): several systems' translations of one
   article share many identical sentences, and so do quotations.  With an
   English source, a text that translates a sentence of it is kept (flagged).

Keys: NFKC, case-folded, letters and digits only (punctuation and spacing
ignored; numbers significant), hashed to 8 bytes, so memory grows with the
number of distinct sentences, not their length.  An example text is kept only
for keys seen in two documents or more.

>>> from pipeline.run import clean_text
>>> docs = [clean_text(f"記事{i}の本文は{i}件目の話題を扱う。\\n\\nこの記事の無断転載を禁じます。") for i in range(4)]
>>> counter = BoilerplateCounter()
>>> for d in docs:
...     counter.add(d)
>>> [(r.kind, r.text, r.docs) for r in counter.report(BoilerplateOptions(min_docs=3))]
[('paragraph', 'この記事の無断転載を禁じます。', 4)]
>>> remove_boilerplate(docs[0], counter.report(BoilerplateOptions(min_docs=3)))
1
>>> docs[0].text
'記事0の本文は0件目の話題を扱う。'
"""

from __future__ import annotations

import bisect
import hashlib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pipeline.document import Block, Document, Edit
from pipeline.io.annotations import document_from_record
from pipeline.overlaps import edit_span, resolve_overlaps
from pipeline.stages.bilingual import english_by_sentence

STAGE = "boilerplate"  # a batch pass of its own, not the dedup stage (diff --stage boilerplate)
RULE = "cross-document"


@dataclass(frozen=True)
class BoilerplateOptions:
    """When a repeated text counts as boilerplate."""

    min_docs: int = 5  # found in at least this many documents
    min_share: float = 0.0  # and in at least this share of all documents (0..1)
    min_chars: int = 12  # keys shorter than this (dates, 写真, short replies) never count
    kinds: frozenset[str] = frozenset({"sentence", "paragraph"})
    # remove a repeated text with content on both sides too (a photo credit or an advert inside the body);
    # off: only a document's leading and trailing runs of repeated text go, the rest is flagged
    anywhere: bool = False


@dataclass
class Repeated:
    """One boilerplate text: where it was found and how often."""

    kind: str  # "sentence" or "paragraph"
    key: int  # 64-bit hash of the normalised text
    text: str  # one example, as cleaned
    docs: int  # documents holding it
    occurrences: int  # times seen in all

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "docs": self.docs, "occurrences": self.occurrences}


def normalise_key(text: str) -> str:
    """Letters and digits only, NFKC and case-folded.

    >>> normalise_key("（写真）Ｃｏｐｙｒｉｇｈｔ ２０２４、 All rights.")
    '写真copyright2024allrights'
    """
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


def hash_key(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")


@dataclass
class _Unit:
    kind: str
    start: int  # original span
    end: int
    text: str  # cleaned text


def iter_units(doc: Document, kinds: Iterable[str] = ("sentence", "paragraph")) -> Iterator[_Unit]:
    """The live sentences and paragraphs of a document, with their cleaned text."""
    kinds = set(kinds)
    if "paragraph" in kinds:
        by_par: dict[int, list[Block]] = {}
        for b in doc.blocks:
            by_par.setdefault(b.paragraph, []).append(b)
        for blocks in by_par.values():
            a, z = blocks[0].start, blocks[-1].end
            text = doc.cleaned_slice(a, z).strip()
            if text:
                yield _Unit("paragraph", a, z, text)
    if "sentence" in kinds:
        for s in doc.sentences:
            text = doc.cleaned_slice(s.start, s.end).strip()
            if text:
                yield _Unit("sentence", s.start, s.end, text)


def _as_document(item: Document | dict[str, Any]) -> Document:
    if isinstance(item, Document):
        return item
    return document_from_record(item)


@dataclass
class BoilerplateCounter:
    """Counts, per normalised sentence and paragraph, the documents holding it."""

    kinds: frozenset[str] = frozenset({"sentence", "paragraph"})
    min_chars: int = BoilerplateOptions.min_chars
    documents: int = 0
    counts: dict[tuple[str, int], list[int]] = field(default_factory=dict)  # (kind, key) -> [docs, occurrences]
    examples: dict[tuple[str, int], str] = field(default_factory=dict)
    _first: dict[tuple[str, int], str] = field(default_factory=dict, repr=False)

    def add(self, item: Document | dict[str, Any]) -> None:
        """Count one cleaned document (a Document or an annotation record)."""
        doc = _as_document(item)
        self.documents += 1
        seen: set[tuple[str, int]] = set()
        for u in iter_units(doc, self.kinds):
            key = normalise_key(u.text)
            if len(key) < self.min_chars:
                continue
            k = (u.kind, hash_key(key))
            c = self.counts.get(k)
            if c is None:
                self.counts[k] = [1, 1]
                self._first[k] = u.text[:500]
            else:
                c[1] += 1
                if k not in seen:
                    c[0] += 1
                if k not in self.examples:
                    self.examples[k] = self._first.pop(k, u.text[:500])
            seen.add(k)

    def merge(self, other: BoilerplateCounter) -> None:
        """Add another worker's counts to these."""
        self.documents += other.documents
        for k, (d, n) in other.counts.items():
            c = self.counts.setdefault(k, [0, 0])
            had = c[0]
            c[0] += d
            c[1] += n
            if c[0] >= 2 and k not in self.examples:
                self.examples[k] = other.examples.get(k) or other._first.get(k) or self._first.get(k, "")
            if had == 0 and k in other._first:
                self._first.setdefault(k, other._first[k])

    def report(self, options: BoilerplateOptions | None = None) -> list[Repeated]:
        """Texts found in at least ``min_docs`` documents (and ``min_share``), most widespread first."""
        candidates = (
            Repeated(kind, key, self.examples.get((kind, key), ""), d, n) for (kind, key), (d, n) in self.counts.items()
        )
        return _report(candidates, self.documents, options)


def _report(candidates: Iterable[Repeated], documents: int, options: BoilerplateOptions | None) -> list[Repeated]:
    """The candidates found in at least ``min_docs`` of ``documents`` (and ``min_share``), most widespread first."""
    o = options or BoilerplateOptions()
    need = max(o.min_docs, 2, int(o.min_share * documents + 0.999999))
    found = [r for r in candidates if r.docs >= need and r.kind in o.kinds]
    paragraphs = {r.key for r in found if r.kind == "paragraph"}
    out = [r for r in found if not (r.kind == "sentence" and r.key in paragraphs)]  # a one-sentence paragraph: once
    out.sort(key=lambda r: (-r.docs, r.kind, r.text))
    return out


def find_boilerplate(
    items: Iterable[Document | dict[str, Any]], options: BoilerplateOptions | None = None
) -> list[Repeated]:
    """One-call form: count ``items`` and report (for corpora that fit one process)."""
    o = options or BoilerplateOptions()
    counter = BoilerplateCounter(kinds=o.kinds, min_chars=o.min_chars)
    for item in items:
        counter.add(item)
    return counter.report(o)


def _whole_lines(doc: Document, a: int, b: int, blank_lines: bool) -> tuple[int, int]:
    """Widen a span of whole lines by the line break before it (and, for a
    paragraph, the blank lines before it), or after it at the start of the text."""
    text = doc.original
    space = " \t\u3000\r"
    i = a
    while i > 0 and text[i - 1] in space:
        i -= 1
    if i > 0 and text[i - 1] == "\n":
        i -= 1
        while blank_lines and i > 0 and text[i - 1] in space + "\n":
            i -= 1
        return i, b
    j = b
    while j < len(text) and text[j] in space + ("\n" if blank_lines else ""):
        j += 1
    if not blank_lines and j < len(text) and text[j] == "\n":
        j += 1
    return a, j


def remove_boilerplate(
    doc: Document, repeated: Iterable[Repeated], options: BoilerplateOptions | None = None, total: int = 0
) -> int:
    """Delete the boilerplate paragraphs and sentences of one document; returns the edits added.

    A paragraph goes whole (with its line breaks); a sentence with the spaces
    before it, and with its line break when it was the whole line.  Text an
    earlier edit crosses is kept and flagged.  ``total`` (documents counted)
    only enters the reason.
    """
    o = options or BoilerplateOptions()
    table = {(r.kind, r.key): r for r in repeated}
    if not table:
        return 0
    edits: list[Edit] = []
    taken: list[tuple[int, int]] = []
    of = f" of {total}" if total else ""
    block_spans = {(b.start, b.end) for b in doc.blocks}
    # a repeated text that translates a sentence of the document's own English source is content, not
    # boilerplate: several systems' translations of one article share many identical sentences, and a
    # site's footer that the English has too is part of what was translated
    translates = english_by_sentence(doc)
    ends = [s.end for s in doc.sentences]
    matches: list[tuple[_Unit, Repeated]] = []
    for u in iter_units(doc, o.kinds):  # paragraphs come first
        key = normalise_key(u.text)
        r = None
        if len(key) >= o.min_chars:  # a reported one-sentence paragraph also matches as a sentence
            h = hash_key(key)
            r = table.get((u.kind, h)) or (table.get(("paragraph", h)) if u.kind == "sentence" else None)
        if r is not None:
            matches.append((u, r))
    at_edge = _edge_test(doc, [(u.start, u.end) for u, _ in matches])
    for u, r in matches:
        if any(a <= u.start and u.end <= b for a, b in taken):
            continue
        a, b = u.start, u.end
        if u.kind == "paragraph" or (a, b) in block_spans:
            a, b = _whole_lines(doc, a, b, blank_lines=u.kind == "paragraph")
        else:
            while a > 0 and doc.original[a - 1] in " \t\u3000":
                a -= 1
        if doc.is_deleted(u.start, u.end):
            continue
        reason = f"boilerplate {u.kind}: found in {r.docs}{of} documents ({r.occurrences} times)"
        english = _english_of_unit(doc, u, translates, ends)
        if english:
            why = f"{reason}; kept: it translates English sentence {english} of the source"
            doc.flag(u.start, u.end, STAGE, RULE, why)
            continue
        if not o.anywhere and not at_edge(u.start, u.end):
            doc.flag(u.start, u.end, STAGE, RULE, f"{reason}; kept: {MIDDLE_REASON}")
            continue
        if not doc.can_replace(a, b):
            a, b = u.start, u.end
            if not doc.can_replace(a, b):
                doc.flag(u.start, u.end, STAGE, RULE, f"{reason}; kept: an earlier edit crosses it")
                continue
        edits.append(Edit(a, b, doc.original[a:b], "", STAGE, RULE, reason))
        taken.append((a, b))
    kept = resolve_overlaps(edits, rank=edit_span)  # a sentence inside a removed paragraph is already gone
    if kept:
        doc.add_edits(kept)
        doc.count(STAGE, RULE, len(kept))
    return len(kept)


MIDDLE_REASON = (
    "content on both sides of it (boilerplate is the run of repeated text a document starts or ends with;"
    " --boilerplate-anywhere removes it)"
)


def _edge_test(doc: Document, spans: list[tuple[int, int]]):
    """A test ``(start, end) -> bool``: does the span lie in the document's leading or trailing run of ``spans``?

    Headers, footers, credits and disclaimers sit at a document's edges: the
    live sentences before the first one no span covers, and after the last
    one.  A repeated sentence with content on both sides is a sentence of the
    text that other documents share — several translations of one article,
    a quotation, a formula — and stays.
    """
    live = [(s.start, s.end) for s in doc.sentences if doc.cleaned_slice(s.start, s.end).strip()]
    # a sentence is covered when a span starting at or before it reaches its end: one sweep over both,
    # by start, keeping the furthest end of the spans started so far (sentences are in text order)
    ordered = sorted(spans)
    covered: list[bool] = []
    reach, k = -1, 0
    for x, y in live:
        while k < len(ordered) and ordered[k][0] <= x:
            reach = max(reach, ordered[k][1])
            k += 1
        covered.append(reach >= y)
    head = 0
    while head < len(live) and covered[head]:
        head += 1
    tail = len(live)
    while tail > head and covered[tail - 1]:
        tail -= 1
    # content runs from live[head] to live[tail - 1]; a span at the edge ends before it or starts after it
    first = live[head][0] if head < len(live) else None
    last = live[tail - 1][1] if tail > head else None

    def at_edge(start: int, end: int) -> bool:
        return first is None or end <= first or (last is not None and start >= last)

    return at_edge


def _english_of_unit(doc: Document, u: _Unit, translates: dict[int, list[int]], ends: list[int]) -> str:
    """The English sentence numbers (``"4"``, ``"4, 5"``) a unit's sentences translate; ``""`` when none.

    ``ends``: the end of each sentence of ``doc``, in order.
    """
    if not translates:
        return ""
    found: list[int] = []
    sentences = doc.sentences
    j = bisect.bisect_right(ends, u.start)  # the first sentence ending after the unit starts
    while j < len(sentences) and sentences[j].start < u.end:
        found.extend(i for i in translates.get(j, ()) if i not in found)
        j += 1
    return ", ".join(map(str, found))


# -- bounded counting for batches ---------------------------------------------------------
def unit_keys(
    doc: Document, kinds: Iterable[str] = ("sentence", "paragraph"), min_chars: int = 12, text_limit: int = 200
) -> list[tuple[str, int, int, str]]:
    """``(kind, hash, times, text)`` of each distinct live sentence and paragraph of one document.

    What a batch worker sends back for counting: keys shorter than
    ``min_chars`` are left out; ``text`` is the first ``text_limit``
    characters (the example a report shows).

    >>> from pipeline.run import clean_text
    >>> [(k, n, t) for k, _, n, t in unit_keys(clean_text("この記事の無断転載を禁じます。"))]
    [('paragraph', 1, 'この記事の無断転載を禁じます。'), ('sentence', 1, 'この記事の無断転載を禁じます。')]
    """
    out: dict[tuple[str, int], list] = {}
    for u in iter_units(doc, kinds):
        key = normalise_key(u.text)
        if len(key) < min_chars:
            continue
        k = (u.kind, hash_key(key))
        if k in out:
            out[k][2] += 1
        else:
            out[k] = [u.kind, k[1], 1, u.text[:text_limit]]
    return [tuple(v) for v in out.values()]


class _Bloom:
    """A fixed-size Bloom filter of 64-bit keys (4 probes by double hashing)."""

    def __init__(self, bits: int) -> None:
        self.m = max(64, bits)
        self.bits = bytearray((self.m + 7) // 8)

    def check_and_add(self, h: int) -> bool:
        """Was ``h`` (probably) added before?  Adds it."""
        h1, h2 = h & 0xFFFFFFFF, (h >> 32) | 1
        seen = True
        for i in range(4):
            p = (h1 + i * h2) % self.m
            byte, bit = p >> 3, 1 << (p & 7)
            if not self.bits[byte] & bit:
                seen = False
                self.bits[byte] |= bit
        return seen


@dataclass
class StreamingCounter:
    """Documents per sentence/paragraph key in bounded memory, for a batch of any size.

    A key seen in one document only is remembered by a Bloom filter of fixed
    size (``bloom_bits``, 16 MB by default: about 1 % false positives at 14
    million distinct keys); only keys seen in two documents or more get an
    entry (counts and one example text).  When entries pass ``max_keys``, the
    least widespread are dropped (a text found in many documents reaches the
    table again quickly; its count then starts late, so counts are exact only
    while the table is not full).  A Bloom false positive counts a key's
    first document twice: ``docs`` may be one too high for keys near the
    threshold.  Keys are added in input order, so reports do not depend on
    the number of workers.
    """

    kinds: frozenset[str] = frozenset({"sentence", "paragraph"})
    min_chars: int = BoilerplateOptions.min_chars
    bloom_bits: int = 1 << 27
    max_keys: int = 1_000_000
    documents: int = 0
    counts: dict[tuple[str, int], list] = field(default_factory=dict)  # (kind, key) -> [docs, occurrences, text]
    dropped: int = 0  # entries dropped to stay under max_keys
    _bloom: _Bloom | None = field(default=None, repr=False)

    def add_keys(self, keys: Iterable[tuple[str, int, int, str]]) -> None:
        """Count one document from its :func:`unit_keys`."""
        if self._bloom is None:
            self._bloom = _Bloom(self.bloom_bits)
        self.documents += 1
        for kind, h, times, text in keys:
            k = (kind, h)
            c = self.counts.get(k)
            if c is not None:
                c[0] += 1
                c[1] += times
            elif self._bloom.check_and_add(h ^ (0x5BD1E995 if kind == "paragraph" else 0)):
                self.counts[k] = [2, times + 1, text]
        if len(self.counts) > self.max_keys:
            self._prune()

    def add(self, item: Document | dict[str, Any]) -> None:
        """Count one cleaned document (a Document or an annotation record)."""
        self.add_keys(unit_keys(_as_document(item), self.kinds, self.min_chars))

    def _prune(self) -> None:
        floor = 2
        while len(self.counts) > self.max_keys * 0.8:
            before = len(self.counts)
            self.counts = {k: c for k, c in self.counts.items() if c[0] > floor}
            self.dropped += before - len(self.counts)
            floor += 1

    def report(self, options: BoilerplateOptions | None = None) -> list[Repeated]:
        """As :meth:`BoilerplateCounter.report`."""
        candidates = (Repeated(kind, key, c[2], c[0], c[1]) for (kind, key), c in self.counts.items())
        return _report(candidates, self.documents, options)

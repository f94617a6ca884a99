"""Finding the repeats of a document: the window, the long-exact look-up, the document index."""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from pipeline.document import Document
from pipeline.stages.dedup.compare import (
    DISTANT_REASON,
    compare_fragment,
    compare_near,
    is_tail,
    more_complete,
    removable,
)
from pipeline.stages.dedup.keys import QUOTE_MARKS, SentenceKey, unit_spans
from pipeline.stages.dedup.options import SENTENCE_RULES, DedupOptions
from pipeline.stages.dedup.tables import EPS
from pipeline.stages.sentence_types import describe_difference, type_of


@dataclass
class Match:
    rule: str
    score: float
    victim: SentenceKey
    keeper: SentenceKey
    region: tuple[int, int] | None = None  # the part of the keeper that matched (original span)
    evidence: str = ""  # what the English source says, when it was asked


# what a removal's reason says when the English source answered "single"
SOURCE_EVIDENCE = {"single": "bilingual evidence: the aligned English does not repeat it"}
# why a distant repeat is kept even with --dedup-distant remove: each translates an English sentence of its own
OWN_ENGLISH_REASON = "each is aligned to English sentences of its own that differ (two sentences, one translation)"


def distant_reason(source: str) -> str:
    """Why a distant repeat stays: the English source says each has its own sentence, or the policy keeps it."""
    return OWN_ENGLISH_REASON if source == "own" else DISTANT_REASON


# -- search ------------------------------------------------------------------
class Finder:
    """Finds the repeats of one document, sentence by sentence."""

    def __init__(self, doc: Document, options: DedupOptions) -> None:
        self.doc = doc
        self.o = options
        self.removed: dict[int, Match] = {}
        self.flags: dict[int, tuple[SentenceKey, str, str]] = {}  # first doubt per sentence
        self.exact_index: dict[tuple[str, ...], SentenceKey] = {}
        self.postings: dict[int, list[SentenceKey]] = defaultdict(list)
        self.df: dict[int, int] = {}
        self._skip: dict[int, int] = {}  # removed position -> where the backward search goes on
        self._types: dict[int, tuple[str, ...]] = {}  # sentence index -> (act, tense, polarity)

    def doubt(self, s: SentenceKey, rule: str, reason: str) -> None:
        self.flags.setdefault(s.index, (s, rule, reason))

    def alive(self, k: SentenceKey) -> bool:
        return k.index not in self.removed

    # -- candidates
    def window_candidates(self, keys: list[SentenceKey], pos: int, same_paragraph: bool) -> list[SentenceKey]:
        """The kept sentences among the ``window`` before ``keys[pos]``, nearest first."""
        out = []
        s = keys[pos]
        j = self._alive_at_or_before(keys, pos - 1)
        while j >= 0 and len(out) < self.o.window:
            c = keys[j]
            if same_paragraph and c.paragraph != s.paragraph:
                break
            out.append(c)
            j = self._alive_at_or_before(keys, j - 1)
        return out

    def _alive_at_or_before(self, keys: list[SentenceKey], j: int) -> int:
        """The nearest kept position <= j (-1: none).

        Removed positions remember where the search went on (path
        compression), so a long run of removed repeats is crossed once, not
        once per later sentence: the stage stays linear on hostile input.
        """
        path = []
        while j >= 0 and not self.alive(keys[j]):
            path.append(j)
            j = self._skip.get(j, j - 1)
        for p in path:
            self._skip[p] = j
        return j

    def prefix(self, s: SentenceKey) -> list[int]:
        """Rarest units of ``s`` such that a near-duplicate must share one (prefix filtering)."""
        alpha = self.o.near / (2 - self.o.near)  # Dice >= t  =>  overlap >= alpha * |s|
        occ = _occurrences(s.units)
        occ.sort(key=lambda u: (self.df.get(u, 0), u))
        p = len(occ) - math.ceil(alpha * len(occ)) + 1
        return occ[: max(1, p)]

    def index_candidates(self, s: SentenceKey) -> list[SentenceKey]:
        seen: dict[int, SentenceKey] = {}
        for u in self.prefix(s):
            for c in reversed(self.postings.get(u, ())):
                if self.alive(c) and c.index not in seen:
                    seen[c.index] = c
                    if len(seen) >= self.o.max_candidates:
                        return list(seen.values())
        return list(seen.values())

    def add_to_index(self, s: SentenceKey) -> None:
        for u in self.prefix(s):
            self.postings[u].append(s)

    # -- rules
    def check_exact(self, c: SentenceKey, s: SentenceKey) -> Match | None:
        if not s.surface or s.surface != c.surface:
            return None
        if s.formulaic or c.formulaic or s.content < 2:
            why = "short or formulaic lines (dates, headings) are content"
            self.doubt(s, "exact", f"identical to sentence {c.index}, kept: {why}")
            return None
        source = self.source_says(c, s)
        if source == "repeats":
            self.doubt(s, "exact", f"identical to sentence {c.index}, kept: the source repeats it too")
            return None
        if not self.close(c, s) and (source == "own" or not self.far_removable()):
            self.doubt(s, "exact", f"identical to sentence {c.index}, kept: {distant_reason(source)}")
            return None
        if not removable(s, "exact", self.o) and not self.adjacent_quotations(c, s):
            self.doubt(s, "exact", f"identical to sentence {c.index}, kept: inside a quotation (--dedup-quotes)")
            return None
        return Match("exact", 1.0, s, c, evidence=SOURCE_EVIDENCE.get(source, ""))

    def source_says(self, c: SentenceKey, s: SentenceKey) -> str:
        """What the source text says of a repeat: "repeats", "single" or "" (no source, or it cannot tell)."""
        return self.o.source(self.doc, c.index, s.index) if self.o.source is not None else ""

    def far_removable(self) -> bool:
        """Are repeats that are not next to their original removed (``--dedup-distant remove``, document scope)?"""
        return self.o.distant == "remove" or self.o.scope == "document"

    def close(self, a: SentenceKey, b: SentenceKey) -> bool:
        """Is the copy next to its original: in the same line, or with no live sentence between in one paragraph?

        That is where MT and scraping put their repeats; a repeat further away
        (another list item, another step, a refrain) may be the author's.
        """
        if a.block == b.block:
            return True
        x, y = (a, b) if self.pos[a.index] < self.pos[b.index] else (b, a)
        return x.paragraph == y.paragraph and self.adjacent(x, y)

    def adjacent_quotations(self, c: SentenceKey, s: SentenceKey) -> bool:
        """Is ``s`` the same quoted text, quote marks and all, right after ``c``?

        「…。」「…。」 said twice in a row is a copy, not a speaker repeating
        himself (he would say something in between), and so is …。」…。」: the
        same quotation cannot close twice.  A speaker's own repetition inside
        one quotation (「A。B。A。」) has other text between, or other quote marks.
        """
        if not self.adjacent(c, s):
            return False
        a, b = self.doc.cleaned_slice(c.start, c.end).strip(), self.doc.cleaned_slice(s.start, s.end).strip()
        return a == b and bool(QUOTE_MARKS.search(a))

    def type_of(self, k: SentenceKey) -> tuple[str, ...]:
        t = self._types.get(k.index)
        if t is None:
            t = self._types[k.index] = type_of(
                self.doc.sentences[k.index].tokens, self.doc.cleaned_slice(k.start, k.end)
            )
        return t

    def types_differ(self, a: SentenceKey, b: SentenceKey, features: int = 3) -> str:
        """Why the sentence types of ``a`` and ``b`` differ ("" when they match or types are off)."""
        if not self.o.types:
            return ""
        return describe_difference(self.type_of(a)[:features], self.type_of(b)[:features])

    def check_near(self, c: SentenceKey, s: SentenceKey) -> Match | None:
        if not (c.text and s.text) or c.formulaic or s.formulaic:
            return None
        if min(c.content, s.content) < self.o.near_min_content:
            return None
        # compare_near's bound with the shorter length for the matched units (the most it can be):
        # below the threshold, it would return a score below it too (no alignment needed; two
        # empty sentences score 1.0, and never get here with content words)
        shorter, both = min(len(c.units), len(s.units)), len(c.units) + len(s.units)
        if both and 4 * shorter / (both + 2 * shorter) < self.o.near - EPS:
            return None
        score, why = compare_near(c, s, self.o.near)
        if score < self.o.near - EPS:
            return None
        why = why or self.types_differ(c, s)
        if why:
            self.doubt(s, "near", f"looks like sentence {c.index} (similarity {score:.2f}) but {why}: kept")
            return None
        source = self.source_says(c, s)
        if source == "repeats":
            self.doubt(
                s, "near", f"looks like sentence {c.index} (similarity {score:.2f}), kept: the source repeats it"
            )
            return None
        if not self.close(c, s) and (source == "own" or not self.far_removable()):
            why = f"near-duplicate of sentence {c.index} (similarity {score:.2f}), kept: {distant_reason(source)}"
            self.doubt(s, "near", why)
            return None
        victim, keeper = (c, s) if more_complete(c, s, self.o.complete_margin) else (s, c)
        if not removable(victim, "near", self.o):
            why = f"near-duplicate of sentence {keeper.index} (similarity {score:.2f})"
            self.doubt(victim, "near", f"{why}, kept: inside a quotation")
            return None
        return Match("near", score, victim, keeper, evidence=SOURCE_EVIDENCE.get(source, ""))

    def check_fragment(self, c: SentenceKey, s: SentenceKey) -> Match | None:
        if not (c.text and s.text) or c.block != s.block:
            return None  # a short line next to a full one is a headline or a caption
        short, long = (s, c) if len(s.units) <= len(c.units) else (c, s)
        if not is_tail(short, long, self.adjacent(long, short)) and (
            c.formulaic or s.formulaic or short.content < self.o.fragment_min_content
        ):
            return None
        if short.index < long.index and self._first_in_block(short):
            return None  # a run-in headline: 見出し。本文…
        if len(short.units) > self.o.fragment_max_ratio * len(long.units):
            return None
        score, why, region = compare_fragment(short, long, self.o.fragment)
        if score < self.o.fragment - EPS and short.index > long.index and self.adjacent(long, short):
            # a short restatement right after its sentence (…鹿児島県薩摩半島に上陸した。台風10号が鹿児島に上陸。)
            threshold = max(self.o.fragment, self.o.restatement)
            score, why, region = compare_fragment(short, long, threshold, wide=True)
            if score < threshold - EPS:
                return None
        elif score < self.o.fragment - EPS:
            return None
        what = f"sentence {long.index} (containment {score:.2f})"
        # the act must match; tense and polarity too when the fragment repeats the end of the sentence
        ends = region is not None and region[1] >= unit_spans(long)[-1][1]
        why = why or self.types_differ(short, long, 3 if ends else 1)
        if why:
            self.doubt(short, "fragment", f"mostly contained in {what} but {why}: kept")
            return None
        if not removable(short, "fragment", self.o):
            self.doubt(short, "fragment", f"fragment of {what}, kept: inside a quotation")
            return None
        return Match("fragment", score, short, long, region)

    def is_long(self, s: SentenceKey) -> bool:
        """Running text long enough that an exact repeat of it anywhere is a repeat (``long_exact``)."""
        return (
            s.text
            and not s.formulaic
            and s.content >= self.o.long_exact_content
            and sum(map(len, s.surface)) >= self.o.long_exact
        )

    def adjacent(self, a: SentenceKey, b: SentenceKey) -> bool:
        """Is no live sentence between ``a`` and ``b`` (removed ones do not count)?"""
        return all(not self.alive(k) for k in self.keys[self.pos[a.index] + 1 : self.pos[b.index]])

    def _first_in_block(self, k: SentenceKey) -> bool:
        """Is ``k`` the first live sentence of its line?"""
        p = self.pos[k.index] - 1
        while p >= 0 and self.keys[p].block == k.block:
            if self.alive(self.keys[p]):
                return False
            p -= 1
        return True

    def best_match(self, cands: Iterable[SentenceKey], s: SentenceKey, rules: Iterable[str]) -> Match | None:
        best: Match | None = None
        checks = [_check(rule) for rule in rules]
        for c in cands:
            for check in checks:
                m = check(self, c, s)
                if m and (best is None or (m.rule == "exact") > (best.rule == "exact") or m.score > best.score):
                    best = m
                if m and m.rule == "exact":
                    return m
        return best

    def run(self, keys: list[SentenceKey]) -> None:
        self.keys = keys
        self.pos = {k.index: p for p, k in enumerate(keys)}
        rules = [r for r in SENTENCE_RULES if r in self.o.rules]
        doc_scope = self.o.scope == "document"
        local = [r for r in rules if not doc_scope or r == "fragment"]
        for u_list in (k.units for k in keys) if doc_scope else ():
            for u in set(_occurrences(u_list)):
                self.df[u] = self.df.get(u, 0) + 1
        anywhere = not doc_scope and "exact" in rules and self.o.long_exact > 0
        for pos, s in enumerate(keys):
            if not s.units:
                continue
            window = self.window_candidates(keys, pos, same_paragraph=not doc_scope)
            m = self.best_match(window, s, local)
            while m is not None and m.victim is not s:
                # ``s`` is the fuller copy of an earlier sentence: that one goes, and the next
                # earlier sentence now stands next to ``s`` -- compare it too, or cleaning the
                # cleaned text would find it (two fragments before their full sentence)
                self.removed[m.victim.index] = m
                window = self.window_candidates(keys, pos, same_paragraph=not doc_scope)
                m = self.best_match(window, s, local)
            long = anywhere and self.is_long(s)
            if long and m is None:
                # a long sentence said twice is a repeat wherever the copies are (news does not
                # repeat a 30-character sentence word for word in another paragraph)
                c = self.exact_index.get(s.surface)
                if c is not None and self.alive(c):
                    m = self.check_exact(c, s)
            if doc_scope and m is None:
                if "exact" in rules:
                    c = self.exact_index.get(s.surface)
                    if c is not None and self.alive(c):
                        m = self.check_exact(c, s)
                if m is None and "near" in rules and not s.formulaic and s.content >= self.o.near_min_content:
                    m = self.best_match(self.index_candidates(s), s, ["near"])
            if m is not None:
                self.removed[m.victim.index] = m
            if long and self.alive(s):
                self.exact_index.setdefault(s.surface, s)
            if doc_scope and self.alive(s):
                self.exact_index.setdefault(s.surface, s)
                if not s.formulaic and s.content >= self.o.near_min_content:
                    self.add_to_index(s)


@functools.lru_cache(maxsize=16)
def _check(rule: str) -> Callable[[Finder, SentenceKey, SentenceKey], Match | None]:
    """``Finder.check_RULE`` (a plain function: bound methods kept on the finder made it a reference
    cycle, and with it the document it holds, freed only by the cyclic collector)."""
    return getattr(Finder, f"check_{rule}")


def _occurrences(units: Sequence[int]) -> list[int]:
    """Units with repeats made distinct (k-th occurrence), so multisets act as sets."""
    seen: dict[int, int] = {}
    out = []
    for u in units:
        k = seen.get(u, 0)
        seen[u] = k + 1
        out.append(u if k == 0 else -(u * 64 + k))
    return out

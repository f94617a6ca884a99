"""Grouping forms into clusters: complete linkage over an index of near neighbours.

Step 3 of the stage; also the orthographic variants of one dictionary word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pipeline.document import Token
from pipeline.romanise import phonetic_key, phonetic_keys
from pipeline.stages.variants.alternations import fold_kana
from pipeline.stages.variants.forms import Form, _name_parts, compare_kana, compare_latin
from pipeline.stages.variants.mentions import _COUNTER_KA
from pipeline.stages.variants.options import VariantOptions


@dataclass(slots=True)
class Cluster:
    forms: list[Form]
    why: dict[str, str] = field(default_factory=dict)  # form -> evidence that joined it
    canonical: str = ""
    canonical_why: str = ""
    choice: Any = None  # the canonical.Choice of the group

    @property
    def total(self) -> int:
        return sum(f.count for f in self.forms)


def _joined_signature(text: str) -> list[tuple[int, str]]:
    """The number of name parts with each first sound of the first part (see _compare_parts)."""
    parts = _name_parts(text)
    if not parts:
        return [(0, "")]
    p0 = parts[0]
    return [(len(parts), "k" + fold_kana(p0)[:1]), (len(parts), "p" + phonetic_key(p0)[:1])]


def _first_sounds(f: Form) -> tuple[str, str]:
    """The first folded letter and the first sound of a form (see compare_kana's last test)."""
    return _first_sounds_of(f.text)


@lru_cache(maxsize=1 << 16)
def _first_sounds_of(text: str) -> tuple[str, str]:
    return ("k" + fold_kana(text)[:1], "p" + phonetic_key(text)[:1])


def _deletions(key: str, most: int) -> set[str]:
    """``key`` with up to ``most`` letters deleted (itself included).

    Two keys at most d edits apart (Levenshtein) share a string left after
    deleting at most d letters from each.

    >>> sorted(_deletions("アイウ", 1))
    ['アイ', 'アイウ', 'アウ', 'イウ']
    """
    out = {key}
    layer = {key}
    for _ in range(most):
        layer = {k[:i] + k[i + 1 :] for k in layer for i in range(len(k))}
        out |= layer
    return out


@lru_cache(maxsize=1 << 12)
def _deletion_set(key: str, most: int) -> frozenset[str]:
    """:func:`_deletions` of a key, made once per distinct key (keys recur within and across documents).

    An entry holds up to ~100 strings (about 3 KB on the dev texts, whose 1,608
    documents have 2,913 distinct keys), so the cache stays near 12 MB.
    """
    return frozenset(_deletions(key, most))


@lru_cache(maxsize=256)
def _neighbour_lengths(n: int, short: int) -> tuple[int, ...]:
    """Key lengths whose clusters compare_kana may join to a key of length ``n``.

    Any length within two when both keys are at least ``short`` long (edit
    distance), one apart when the longer has 4 or more (a kana written twice),
    the same length 3 (one vowel a/u).  Equal short keys are found by the
    exact-key index instead.
    """
    out = []
    for d in (-2, -1, 0, 1, 2):
        m = n + d
        if m > 0 and (min(n, m) >= short or (d in (-1, 1) and max(n, m) >= 4) or (d == 0 and n == 3)):
            out.append(m)
    return tuple(out)


class _NearTexts:
    """Which spellings compare_kana may find "same" by their keys' shape: a graph over every spelling seen.

    Two spellings are *near* when their folded keys share a string left after
    deleting up to two letters from each (one from a key shorter than
    ``long_length - 2``: such keys are at most one edit from a "same" key),
    their lengths are neighbours (:func:`_neighbour_lengths`) and they start
    with the same folded letter or the same sound.  That is a test of two
    texts alone, so it is made once per pair of distinct spellings in the
    process, not once per document: a document asks only for the near
    spellings of each of its forms (a set), and the deletion strings are
    looked at once, when a spelling is first seen.  On the dev texts the
    1,608 documents hold 28,382 katakana forms but 4,389 distinct spellings.
    """

    # spellings kept; past it the graph starts again (at a document's start).  The dev texts' 3,509
    # katakana spellings make 52,655 deletion strings, about 6 MB: the bound keeps it near 30 MB
    _LIMIT = 1 << 14

    def __init__(self, short: int, two_edits_from: int) -> None:
        self.short = short
        self.two_edits_from = two_edits_from
        self.by_deletion: dict[str, list[str]] = {}  # deletion string -> spellings whose key has it
        self.shape: dict[str, tuple[int, tuple[str, str]]] = {}  # spelling -> (key length, first sounds)
        self.near: dict[str, set[str]] = {}  # spelling -> near spellings seen (itself included when near)

    def neighbours(self, text: str, key: str) -> set[str]:
        hit = self.near.get(text)
        if hit is None:
            hit = self._add(text, key)
        return hit

    def _add(self, text: str, key: str) -> set[str]:
        n = len(key)
        starts = _first_sounds_of(text)
        lengths = _neighbour_lengths(n, self.short)
        mine: set[str] = set()
        self.near[text] = mine
        self.shape[text] = (n, starts)
        if not lengths:  # near nothing, and nothing is near it (the length test is symmetric)
            return mine
        dels = _deletion_set(key, 2 if n >= self.two_edits_from else 1)
        by_deletion = self.by_deletion
        seen: set[str] = set()
        for d in dels:
            hit = by_deletion.get(d)
            if hit is None:
                by_deletion[d] = [text]
            else:
                seen.update(hit)
                hit.append(text)
        seen.add(text)
        shape, near = self.shape, self.near
        for other in seen:
            m, cstarts = shape[other]
            if m in lengths and (cstarts[0] == starts[0] or cstarts[1] == starts[1]):
                mine.add(other)
                near[other].add(text)
        return mine

    def full(self) -> bool:
        return len(self.near) >= self._LIMIT


_NEAR_GRAPHS: dict[tuple[int, int], _NearTexts] = {}


def _near_graph(short: int, two_edits_from: int) -> _NearTexts:
    graph = _NEAR_GRAPHS.get((short, two_edits_from))
    if graph is None or graph.full():
        graph = _NEAR_GRAPHS[(short, two_edits_from)] = _NearTexts(short, two_edits_from)
    return graph


def cluster_forms(forms: Sequence[Form], options: VariantOptions) -> list[Cluster]:
    """Complete-linkage grouping of katakana forms (most frequent first)."""
    kana = sorted((f for f in forms if not f.is_latin), key=lambda f: (-f.count, f.first))
    clusters: list[Cluster] = []
    # Index clusters by what compare_kana needs to say "same" to their first
    # form: a shared lemma, both ・-joined, or folded keys within two letters
    # of each other's length that start with the same letter or sound.
    # Keys shorter than min_fuzzy_length are "same" only when equal (by_key)
    # or one kana written twice (lengths one apart, the longer of 4 or more).
    # Two joined names need as many parts and alike first parts (by_parts).
    # Outside those, "same" needs equal keys (by_key), a shared lemma
    # (by_lemma) or keys at most two edits apart (one kana written twice, one
    # vowel a/u and the edit-distance test all are): such keys share a string
    # left after deleting up to two letters from each, and only those
    # clusters are tested for shape (the near spellings of _NearTexts, kept
    # across documents; by_first holds the first form's text of each
    # cluster).  Scanning every cluster of the same length and first sound
    # instead made one long document quadratic in its vocabulary.  Two joined
    # names are compared part by part, so their candidates still come by
    # shape (by_shape holds joined clusters only).
    by_shape: dict[tuple[int, str], list[int]] = {}
    by_key: dict[str, list[int]] = {}
    by_lemma: dict[str, list[int]] = {}
    by_parts: dict[tuple[int, str], list[int]] = {}
    by_first: dict[str, list[int]] = {}  # first form's text -> clusters
    firsts: set[str] = set()  # the same texts, as a set (a set intersection in C)
    short = options.min_fuzzy_length
    near_texts = _near_graph(short, options.long_length - 2)
    for f in kana:
        best: tuple[int, Cluster, str] | None = None
        idx = set(by_key.get(f.key, ()))
        if firsts:
            for t in near_texts.neighbours(f.text, f.key) & firsts:
                idx.update(by_first[t])
        if f.kind == "joined":
            n = len(f.key)
            starts = _first_sounds_of(f.text)  # _first_sounds(f), one call less per form
            for m in _neighbour_lengths(n, short):
                for s0 in starts:
                    hit = by_shape.get((m, s0))
                    if hit:
                        idx.update(hit)
        for lf in f.lemma_forms:
            hit = by_lemma.get(lf)
            if hit:
                idx.update(hit)
        if f.kind == "joined":
            for p in _joined_signature(f.text):
                idx.update(by_parts.get(p, ()))
        for c in (clusters[i] for i in sorted(idx)):
            if (c.forms[0].kind == "mixed") != (f.kind == "mixed"):
                continue
            first = compare_kana(c.forms[0], f, options)
            if first.same and all(compare_kana(g, f, options).same for g in c.forms[1:]):
                score = c.total
                if best is None or score > best[0]:
                    best = (score, c, first.why)
        if best is None:
            i = len(clusters)
            clusters.append(Cluster([f]))
            near_texts.neighbours(f.text, f.key)  # the spelling joins the graph before a later form asks
            by_first.setdefault(f.text, []).append(i)
            firsts.add(f.text)
            if f.kind == "joined":
                for s0 in _first_sounds_of(f.text):
                    by_shape.setdefault((len(f.key), s0), []).append(i)
            by_key.setdefault(f.key, []).append(i)
            for lf in f.lemma_forms:
                by_lemma.setdefault(lf, []).append(i)
            if f.kind == "joined":
                for p in _joined_signature(f.text):
                    by_parts.setdefault(p, []).append(i)
        else:
            best[1].forms.append(f)
            best[1].why[f.text] = best[2]
    # Latin forms: attach to the katakana group they alias (best score), else their own.
    # compare_latin says "same" only on a shared gloss or a shared non-empty
    # phonetic key, so only forms sharing one of those are compared (in the
    # order of a full scan: cluster, then form, which breaks ties alike).
    latin = sorted((f for f in forms if f.is_latin), key=lambda f: (-f.count, f.first))
    by_sound: dict[str, list[tuple[int, int]]] = {}
    if latin:
        # only the keys some Latin form probes are indexed (a set intersection a form)
        wanted: set[str] = set()
        for f in latin:
            wanted.update(_latin_probe_keys(f))
        for ci, c in enumerate(clusters):
            for fi, g in enumerate(c.forms):
                for k in wanted.intersection(_sound_probes(g.text)):
                    by_sound.setdefault(k, []).append((ci, fi))
                for gloss in g.glosses:
                    k = "g" + _flat(gloss)
                    if k in wanted:
                        by_sound.setdefault(k, []).append((ci, fi))
    by_letters: dict[str, list[tuple[int, int]]] = {}
    for f in latin:
        letters = _letters_of(f.text)
        cand = set(by_letters.get(letters, ()))
        for k in _latin_probe_keys(f):
            cand.update(by_sound.get(k, ()))
        hits: list[tuple[int, int, Cluster, str]] = []
        for ci, fi in sorted(cand):
            c = clusters[ci]
            g = c.forms[fi]
            if g.is_latin:
                if _letters_of(g.text) == letters:
                    hits.append((2, c.total, c, f"same letters as {g.text}"))
                continue
            v = compare_latin(f, g)
            if v.same:
                hits.append((1 if "gloss" in v.why else 0, c.total, c, f"{v.why} of {g.text}"))
        if hits:
            hits.sort(key=lambda h: (h[0], h[1]), reverse=True)
            c = hits[0][2]
            ci = next(i for i, x in enumerate(clusters) if x is c)
            c.forms.append(f)
            c.why[f.text] = hits[0][3]
        else:
            ci = len(clusters)
            clusters.append(Cluster([f]))
        by_letters.setdefault(letters, []).append((ci, len(clusters[ci].forms) - 1))
    return clusters


@lru_cache(maxsize=1 << 16)
def _letters_of(text: str) -> str:
    """Word characters of a Latin spelling, lower-cased (``Z-Holdings`` -> ``zholdings``)."""
    return re.sub(r"\W", "", text.lower())


def _latin_probe_keys(f: Form) -> list[str]:
    """What a Latin form and a katakana form must share for compare_latin to say "same".

    The glosses (flattened) and the non-empty phonetic keys, tagged apart.
    """
    out = list(_sound_probes(f.text))
    if f.is_latin:
        out.append("g" + _flat(f.text))
    else:
        out.extend("g" + _flat(g) for g in f.glosses)
    return out


@lru_cache(maxsize=1 << 16)
def _sound_probes(text: str) -> tuple[str, ...]:
    return tuple("p" + k for k in phonetic_keys(text) if k)


@lru_cache(maxsize=1 << 16)
def _flat(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


# ----------------------------------------------------------------------------
# orthographic variants of one dictionary word (数カ月 / 数ヶ月)


def _orthographic_groups(tokens: Iterable[Token]) -> dict[tuple[str, str], dict[str, list[Token]]]:
    """Surfaces of one dictionary word that differ in their counter kana (``tokens`` hold one each)."""
    groups: dict[tuple[str, str], dict[str, list[Token]]] = {}
    for t in tokens:
        if t.reading:
            key = (t.lemma, _COUNTER_KA.sub("カ", t.surface))
            groups.setdefault(key, {}).setdefault(t.surface, []).append(t)
    return {k: v for k, v in groups.items() if len(v) > 1}


def may_group(forms: Sequence[Form], options: VariantOptions) -> bool:
    """Could :func:`cluster_forms` put two of ``forms`` in one group that holds a katakana form?

    False only when no two katakana forms are candidates of each other (no
    shared spelling, key or lemma spelling, no near spellings, at most one
    ・-joined name) and no Latin form probes a key a katakana form has: then
    every katakana form stays alone and the clustering can be skipped (most
    documents: one spelling per name).
    """
    kana = [f for f in forms if not f.is_latin]
    if not kana or (len(kana) == 1 and len(kana) == len(forms)):
        return False
    texts = {f.text for f in kana}
    if len(texts) < len(kana) or len({f.key for f in kana}) < len(kana):
        return True
    if sum(f.kind == "joined" for f in kana) > 1:
        return True
    lemmas: set[str] = set()
    n_lemmas = 0
    for f in kana:
        lemmas |= f.lemma_forms
        n_lemmas += len(f.lemma_forms)
    if len(lemmas) < n_lemmas:
        return True
    graph = _near_graph(options.min_fuzzy_length, options.long_length - 2)
    for f in kana:
        near = graph.neighbours(f.text, f.key)
        if near and len(near & texts) > (f.text in near):  # a near spelling other than its own
            return True
    if len(kana) < len(forms):
        wanted: set[str] = set()
        for f in forms:
            if f.is_latin:
                wanted.update(_latin_probe_keys(f))
        for f in kana:
            if not wanted.isdisjoint(_sound_probes(f.text)) or any("g" + _flat(g) in wanted for g in f.glosses):
                return True
    return False

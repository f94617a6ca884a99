"""Sentence alignment by dynamic programming over beads (model-free).

A *bead* pairs ``a`` consecutive English sentences with ``b`` consecutive
Japanese ones, ``a, b <= 3`` (1-0 and 0-1 beads hold unmatched sentences).
The cost of a bead (a negative log-probability) adds

* a prior for its shape (1-1 most likely, then 1-2, 2-1, ...);
* a Gale–Church length term: Japanese length divided by the document's ratio
  (Japanese characters per English character, estimated per document) should
  be close to the English length, with a variance growing with length;
* anchor terms (:mod:`pipeline.align.anchors`): a bonus per number, weekday,
  Latin token or name found on both sides of the bead, a penalty per anchor
  on one side whose partner exists elsewhere in the document.

The search is banded: for each English position only Japanese positions
within ``band`` sentences of the length-proportional diagonal are tried; when
the best path touches the band edge, the band is doubled and the search
rerun, so the cost is O(n * band) for ordinary documents.  Each bead's
``score`` is its posterior probability under the same costs
(forward-backward), a confidence in 0..1.

>>> en = ["It cost $5 billion.", "Nothing else happened.", "Sales rose 3%."]
>>> ja = ["費用は50億ドルだった。", "ほかには何も起きなかった。", "売上は3%増えた。"]
>>> [(b.en, b.ja) for b in align_sentences(en, ja)]
[((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.align.anchors import SentenceAnchors, document_anchors

# Bead shapes (English count, Japanese count) and their prior probabilities.
# Japanese MT splits long English sentences more often than it merges them.
BEAD_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.86,  # the usual case
    (1, 2): 0.05,  # one English sentence translated as two
    (2, 1): 0.03,  # two English sentences merged
    (1, 0): 0.02,  # English sentence left untranslated
    (0, 1): 0.03,  # Japanese sentence with no source (junk, additions)
    (1, 3): 0.01,  # a long English sentence in three pieces
    (3, 1): 0.002,  # three merged
    # No 2-2, 2-3, 3-2: they are rare, and they cover a junk sentence next to an
    # omission more cheaply than the 0-1 and 1-0 beads that are right.
}
DEFAULT_RATIO = 0.44  # Japanese characters per English character, when a document is too short to estimate


@dataclass(frozen=True)
class AlignOptions:
    """Knobs of the aligner; the defaults were tuned on WMT21 dev (docs/align.md)."""

    ratio: float | None = None  # Japanese chars per English char; None: estimate per document
    variance: float = 12.0  # Gale–Church variance per English character
    number_bonus: float = 2.0  # per number/weekday on both sides of a bead
    number_penalty: float = 1.0  # per number on one side only (its partner is elsewhere)
    word_bonus: float = 1.5  # per Latin token or name on both sides
    word_penalty: float = 1.0  # per Latin token/name on one side whose partner is elsewhere in the document
    null_penalty: float = 0.5  # per shared anchor in an unmatched sentence (its partner is elsewhere)
    foreign_penalty: float = 0.3  # per anchor with no partner anywhere in the document (junk, omissions)
    names: bool = True  # katakana names via phonetic keys
    band: int = 20  # initial half-width of the search band, in sentences
    max_shape: int = 3  # largest side of a bead


@dataclass(frozen=True)
class Bead:
    """English sentence indices, Japanese sentence indices, confidence (0..1)."""

    en: tuple[int, ...]
    ja: tuple[int, ...]
    score: float
    cost: float = field(default=0.0, compare=False)

    @property
    def shape(self) -> str:
        return f"{len(self.en)}-{len(self.ja)}"

    def to_json(self) -> dict[str, object]:
        return {"en": list(self.en), "ja": list(self.ja), "score": round(self.score, 4)}


def text_length(s: str) -> int:
    """Characters that carry content (spaces do not count).

    >>> text_length("a b  c"), text_length("日本 語")
    (3, 3)
    """
    return sum(1 for c in s if not c.isspace())


def estimate_ratio(english: Sequence[str], japanese: Sequence[str]) -> float:
    """Japanese characters per English character of the whole document.

    >>> estimate_ratio(["abcd" * 10], ["日本" * 10])
    0.5
    >>> estimate_ratio([], ["日本"]) == DEFAULT_RATIO
    True
    """
    le = sum(text_length(s) for s in english)
    lj = sum(text_length(s) for s in japanese)
    if le < 20 or lj < 10:
        return DEFAULT_RATIO
    return lj / le


def length_cost(le: int, lj: float, variance: float) -> float:
    """-log P(lengths match) under Gale–Church; ``lj`` already divided by the ratio.

    >>> length_cost(100, 100, 12.0) == 0, length_cost(100, 150, 12.0) > length_cost(100, 110, 12.0)
    (True, True)
    """
    mean = (le + lj) / 2.0
    if mean <= 0:
        return 0.0
    delta = abs(lj - le) / math.sqrt(variance * mean)
    # two-tailed normal probability: 2 * (1 - Phi(delta)) = erfc(delta / sqrt 2)
    p = math.erfc(delta / math.sqrt(2.0))
    return -math.log(max(p, 1e-300)) if p < 1.0 else 0.0


class _Scorer:
    """Bead costs over one document, with prefix sums and cached anchor unions."""

    def __init__(self, english: Sequence[str], japanese: Sequence[str], options: AlignOptions, ratio: float) -> None:
        self.opt = options
        self.ratio = ratio
        self.en_cum = _prefix([text_length(s) for s in english])
        self.ja_cum = _prefix([text_length(s) for s in japanese])
        self.en_anchors, self.ja_anchors = document_anchors(english, japanese, names=options.names)
        self.prior = {s: -math.log(p) for s, p in BEAD_PRIORS.items() if max(s) <= options.max_shape}

    def cost(self, i: int, j: int, a: int, b: int) -> float:
        """Cost of the bead of English ``i-a..i`` and Japanese ``j-b..j``."""
        c = self.prior[(a, b)]
        if a == 0 or b == 0:
            # an unmatched sentence still holding anchors shared with the other side
            side = self.en_anchors[i - a : i] if a else self.ja_anchors[j - b : j]
            return c + self.opt.null_penalty * sum(sum(x.numbers.values()) + len(x.words) for x in side)
        le = self.en_cum[i] - self.en_cum[i - a]
        lj = (self.ja_cum[j] - self.ja_cum[j - b]) / self.ratio
        c += length_cost(le, lj, self.opt.variance)
        return c + self._anchor_cost(self.en_anchors[i - a : i], self.ja_anchors[j - b : j])

    def _anchor_cost(self, en: Sequence[SentenceAnchors], ja: Sequence[SentenceAnchors]) -> float:
        o = self.opt
        c = 0.0
        if any(x.numbers for x in en) or any(x.numbers for x in ja):
            ne = _sum_counters([x.numbers for x in en])
            nj = _sum_counters([x.numbers for x in ja])
            both = sum(anchor_weight(k) * v for k, v in (ne & nj).items())
            one = sum(anchor_weight(k) * abs(ne[k] - nj[k]) for k in ne.keys() | nj.keys())
            c += -o.number_bonus * both + o.number_penalty * one
        jw = frozenset().union(*(x.words for x in ja)) if len(ja) > 1 else ja[0].words
        ew = frozenset().union(*(x.words for x in en)) if len(en) > 1 else en[0].words
        if jw or ew:
            both_w = len(jw & ew)
            c += -o.word_bonus * both_w + o.word_penalty * (len(jw) + len(ew) - 2 * both_w)
        foreign = sum(x.foreign for x in en) + sum(x.foreign for x in ja)
        return c + o.foreign_penalty * foreign


@lru_cache(maxsize=65536)
def anchor_weight(key: str) -> float:
    """Specific numbers (13 and up, decimals) weigh more than small counts, months, weekdays.

    >>> anchor_weight("n:110"), anchor_weight("n:3"), anchor_weight("n:2.5"), anchor_weight("d:5")
    (2.0, 1.0, 2.0, 1.0)
    """
    if not key.startswith("n:"):
        return 1.0
    value = float(key[2:])
    return 2.0 if value >= 13 or value != int(value) else 1.0


def _prefix(values: Sequence[int]) -> list[int]:
    out = [0]
    for v in values:
        out.append(out[-1] + v)
    return out


def _sum_counters(cs: Sequence[Counter[str]]) -> Counter[str]:
    if len(cs) == 1:
        return cs[0]
    out: Counter[str] = Counter()
    for c in cs:
        out.update(c)
    return out


def band_limits(en_cum: Sequence[int], ja_cum: Sequence[int], width: int) -> tuple[list[int], list[int]]:
    """For each English position 0..n, the Japanese positions [lo, hi] to search.

    The centre follows the cumulative length (English share of characters ->
    same share of Japanese characters); ``lo`` and ``hi`` never decrease and
    consecutive rows overlap, so every cell of the band can be reached.

    >>> band_limits([0, 10, 20], [0, 5, 10, 15, 20], 1)
    ([0, 1, 3], [1, 3, 4])
    """
    n, m = len(en_cum) - 1, len(ja_cum) - 1
    te, tj = max(en_cum[-1], 1), max(ja_cum[-1], 1)
    lo, hi = [], []
    for i in range(n + 1):
        if i == n:
            centre = m
        elif i == 0:
            centre = 0
        else:
            centre = min(m, bisect.bisect_left(ja_cum, en_cum[i] / te * tj))
        lo.append(max(0, centre - width))
        hi.append(min(m, centre + width))
    for i in range(1, n + 1):
        hi[i - 1] = max(hi[i - 1], lo[i])  # row i is entered from row i-1 by a 1-0 bead
    lo[0], hi[n] = 0, m
    return lo, hi


def align_sentences(english: Sequence[str], japanese: Sequence[str], options: AlignOptions | None = None) -> list[Bead]:
    """Beads covering every sentence of both sides exactly once, in order."""
    opt = options or AlignOptions()
    n, m = len(english), len(japanese)
    if n == 0 or m == 0:
        return [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]
    ratio = opt.ratio or estimate_ratio(english, japanese)
    scorer = _Scorer(english, japanese, opt, ratio)
    width = max(opt.band, 3 * opt.max_shape, abs(n - m) // 4 + opt.max_shape)
    while True:
        lo, hi = band_limits(scorer.en_cum, scorer.ja_cum, width)
        path, touches = _viterbi(scorer, lo, hi)
        if not touches or (width >= m and width >= n):
            break
        width *= 2
    return _posteriors(scorer, lo, hi, path)


_INF = float("inf")


def _shapes(scorer: _Scorer) -> list[tuple[int, int, float]]:
    return [(a, b, c) for (a, b), c in scorer.prior.items()]


def _viterbi(scorer: _Scorer, lo: list[int], hi: list[int]) -> tuple[list[tuple[int, int, int, int]], bool]:
    """Best path as (i, j, a, b) beads (end positions and shape); does it touch the band edge?"""
    n = len(lo) - 1
    m = hi[-1]
    shapes = _shapes(scorer)
    best: list[list[float]] = []
    back: list[list[tuple[int, int]]] = []
    for i in range(n + 1):
        row = [_INF] * (hi[i] - lo[i] + 1)
        brow = [(0, 0)] * len(row)
        for j in range(lo[i], hi[i] + 1):
            if i == 0 and j == 0:
                row[0] = 0.0
                continue
            top, arg = _INF, (0, 0)
            for a, b, _ in shapes:
                pi, pj = i - a, j - b
                if pi < 0 or pj < 0 or pj < lo[pi] or pj > hi[pi]:
                    continue
                prev = best[pi][pj - lo[pi]] if pi < i else row[pj - lo[i]]
                if prev == _INF:
                    continue
                c = prev + scorer.cost(i, j, a, b)
                if c < top:
                    top, arg = c, (a, b)
            row[j - lo[i]] = top
            brow[j - lo[i]] = arg
        best.append(row)
        back.append(brow)
    path = []
    i, j = n, m
    touches = False
    while i or j:
        a, b = back[i][j - lo[i]]
        if (j == lo[i] and lo[i] > 0) or (j == hi[i] and hi[i] < m):
            touches = True
        path.append((i, j, a, b))
        i, j = i - a, j - b
    path.reverse()
    return path, touches


def _logsumexp(xs: list[float]) -> float:
    top = max(xs)
    if top == -_INF:
        return -_INF
    return top + math.log(sum(math.exp(x - top) for x in xs))


def _posteriors(scorer: _Scorer, lo: list[int], hi: list[int], path: list[tuple[int, int, int, int]]) -> list[Bead]:
    """Beads of the path with their posterior probability (forward-backward in the band)."""
    n = len(lo) - 1
    m = hi[-1]
    shapes = _shapes(scorer)
    cost_cache: dict[tuple[int, int, int, int], float] = {}

    def cost(i: int, j: int, a: int, b: int) -> float:
        key = (i, j, a, b)
        c = cost_cache.get(key)
        if c is None:
            c = cost_cache[key] = scorer.cost(i, j, a, b)
        return c

    def inside(i: int, j: int) -> bool:
        return 0 <= i <= n and lo[i] <= j <= hi[i]

    fwd = [[-_INF] * (hi[i] - lo[i] + 1) for i in range(n + 1)]
    fwd[0][0] = 0.0
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            if i == 0 and j == 0:
                continue
            terms = []
            for a, b, _ in shapes:
                pi, pj = i - a, j - b
                if pj >= 0 and inside(pi, pj) and fwd[pi][pj - lo[pi]] > -_INF:
                    terms.append(fwd[pi][pj - lo[pi]] - cost(i, j, a, b))
            if terms:
                fwd[i][j - lo[i]] = _logsumexp(terms)
    bwd = [[-_INF] * (hi[i] - lo[i] + 1) for i in range(n + 1)]
    bwd[n][m - lo[n]] = 0.0
    for i in range(n, -1, -1):
        for j in range(hi[i], lo[i] - 1, -1):
            if i == n and j == m:
                continue
            terms = []
            for a, b, _ in shapes:
                ni, nj = i + a, j + b
                if inside(ni, nj) and bwd[ni][nj - lo[ni]] > -_INF:
                    terms.append(bwd[ni][nj - lo[ni]] - cost(ni, nj, a, b))
            if terms:
                bwd[i][j - lo[i]] = _logsumexp(terms)
    total = fwd[n][m - lo[n]]
    beads = []
    for i, j, a, b in path:
        c = cost(i, j, a, b)
        logp = fwd[i - a][j - b - lo[i - a]] - c + bwd[i][j - lo[i]] - total
        score = min(1.0, math.exp(logp)) if logp > -700 else 0.0
        beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), score, c))
    return beads


def drop_low_scores(beads: Sequence[Bead], min_score: float) -> list[Bead]:
    """Beads below ``min_score`` split into 1-0 and 0-1 beads (the sentences stay covered).

    >>> [(b.en, b.ja) for b in drop_low_scores([Bead((0,), (0, 1), 0.2), Bead((1,), (2,), 0.9)], 0.5)]
    [((0,), ()), ((), (0,)), ((), (1,)), ((1,), (2,))]
    """
    out: list[Bead] = []
    for b in beads:
        if b.en and b.ja and b.score < min_score:
            out.extend(Bead((i,), (), 0.0) for i in b.en)
            out.extend(Bead((), (j,), 0.0) for j in b.ja)
        else:
            out.append(b)
    return out


def summarise_beads(beads: Sequence[Bead]) -> dict[str, int]:
    """Counts of 1-1, n-m (other matched shapes) and unmatched beads, plus sentences.

    >>> summarise_beads([Bead((0,), (0,), 1.0), Bead((1,), (1, 2), 1.0), Bead((), (3,), 1.0)])
    {'beads': 3, '1-1': 1, 'n-m': 1, 'unmatched_en': 0, 'unmatched_ja': 1}
    """
    out = {"beads": len(beads), "1-1": 0, "n-m": 0, "unmatched_en": 0, "unmatched_ja": 0}
    for b in beads:
        if not b.ja:
            out["unmatched_en"] += len(b.en)
        elif not b.en:
            out["unmatched_ja"] += len(b.ja)
        elif len(b.en) == len(b.ja) == 1:
            out["1-1"] += 1
        else:
            out["n-m"] += 1
    return out

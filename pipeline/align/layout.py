"""Alignment line by line, when the translation keeps the source's line layout.

Machine translation keeps a document's paragraphs: one English line becomes
one Japanese line (all 1,608 dev pairs have as many lines on both sides, and
95% of their line pairs hold one sentence a side).  When the evidence says
the layout holds, the alignment of the document falls apart into one small
problem per line pair, and the banded search over the whole document
(:func:`pipeline.align.aligner.align_sentences`, the cost of a source's
largest part) is not needed:

* a line pair of one sentence a side is one 1-1 bead, its score the
  posterior of 1-1 against the two ways of leaving both sentences unmatched;
* a larger line pair is aligned alone, the whole (small) grid searched.

Every cost comes from the aligner's own scorer (:class:`_Scorer`, over the
document's anchors and ratio), so a bead inside a line costs what it costs
in the whole-document search.  The layout is taken to hold only when

* both sides have the same number of lines, at least :data:`MIN_LINES`, and
  no line pair is too large (:data:`MAX_LINE_CELLS`);
* no anchor (a Latin word, a specific number) sits in lines of one side
  that lack it on the other *and* the other way round (the signature of a
  line paired with the wrong one: a dropped line and an inserted one that
  keep the counts equal);
* every line pair is about as long on both sides (:data:`LINE_LENGTH_COST`,
  the length model's cost of the pair as one bead);
* every bead found is matched (no 1-0 or 0-1);
* no sentence alone on its line pairs better, by :data:`SHIFT_MARGIN` or
  more, with a sentence of a neighbouring line of the other side than with
  its partner (:func:`shifted`; not asked of a pair that shares an anchor
  found nowhere else, :func:`pinned`), and a 1-1 pair shares some word when
  both are rich in dictionary words (short documents, :func:`unrelated`).

Beads less probable than the aligner's second look asks
(``AlignOptions.relook_below``) go through that second look
(:func:`pipeline.align.aligner.relook`), as in the whole-document path; if
it leaves a sentence unmatched or joins two lines, the layout is in doubt.

Otherwise :func:`align_by_lines` returns None and the caller aligns the whole
document as before.  Posteriors are those of the line's own problem: paths
across a line break (which the whole-document search pays ``line_penalty``
and ``edge_penalty`` for) are left out, so a score may differ from the
whole-document one (on the dev pairs: 3,496 beads of 19,899, 300 of them
by 0.01 or more, none across the flags' 0.5).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from pipeline.align.aligner import (
    AlignOptions,
    Bead,
    FirstPass,
    _Scorer,
    _search,
    align_sentences,
    anchor_weight,
    first_pass_anchors,
    length_cost,
    ratio_candidates,
    relook,
)
from pipeline.align.anchors import SentenceAnchors

MIN_LINES = 2  # one line is the whole document: nothing to split
# a line pair as one bead may cost at most this by the length model (about three standard deviations of the log
# length ratio: 4.0 is -log of the probability of a pair that far off).  5.0 and 6.0 keep 35 more dev pairs off the
# whole-document search, but let a wrong layout through on bench_align's conversation items (--lines reflowed,
# tune half: a two-line chat whose Japanese thanks-line was paired with a whole English line)
LINE_LENGTH_COST = 4.0
# a sentence alone on its line that pairs with a sentence of a neighbouring line for this much less than with its
# partner (bead costs), or more, leaves the line pair in doubt (see shifted).  On bench_align's noisy conversation
# items (tune half) 8.0 let one shifted pair through, 4.0 and 6.0 none; 4.0 sends 13 of the 1,608 dev pairs to
# the whole-document search
SHIFT_MARGIN = 4.0
# a line pair of one English sentence and this many Japanese sentences or more may be one bead (join_pieces): 8
# of the 19 addition flags judged false on the dev MT output were such pieces left as 0-1 beads (docs/bilingual.md)
SPLIT_PIECES = 3
MAX_LINE_CELLS = 400  # a line pair with more cells than this is left to the banded search of the whole document
# why the layout was not used (layout_beads): no lines given, unequal line counts, a line pair over MAX_LINE_CELLS, an
# anchor in crossed lines, a line pair too long on one side, a bead unmatched or unsure, a 1-1 line pair whose
# sentences share no word though both hold several dictionary words (see unrelated), a sentence that pairs better
# with a neighbouring line of the other side (see shifted)
REASONS = ("no lines", "line counts", "long line", "anchor", "length", "unsure", "unrelated", "shifted")


def line_runs(lines: Sequence[int]) -> list[tuple[int, int]]:
    """[start, end) of each run of sentences on one line.

    >>> line_runs([0, 0, 2, 3, 3, 3])
    [(0, 2), (2, 3), (3, 6)]
    """
    out: list[tuple[int, int]] = []
    start = 0
    for k in range(1, len(lines) + 1):
        if k == len(lines) or lines[k] != lines[k - 1]:
            out.append((start, k))
            start = k
    return out


def crossed_anchor(
    en: Sequence[SentenceAnchors],
    ja: Sequence[SentenceAnchors],
    en_runs: Sequence[tuple[int, int]],
    ja_runs: Sequence[tuple[int, int]],
) -> str | None:
    """An anchor that some line pair has on the English side only and another line pair on the Japanese side
    only: a line paired with the wrong one.  None when there is none.

    Anchors read: Latin words and specific numbers (13 and up, decimals: ``anchor_weight`` 2); not small counts
    (two, the second), questions, or katakana words, whose phonetic keys also match loanwords for common words
    (プレス, パーソン) in other lines: reading them too sent 183 dev pairs to the whole-document search, whose
    beads stay inside line pairs there all the same.  A name the translation writes once and replaces by a
    pronoun elsewhere is on one side only in one direction: not crossed.
    """
    en_lines: dict[str, set[int]] = {}
    ja_lines: dict[str, set[int]] = {}
    for side, runs, where in ((en, en_runs, en_lines), (ja, ja_runs, ja_lines)):
        for k, (a, b) in enumerate(runs):
            for x in side[a:b]:
                for key in (*x.numbers, *x.words):
                    if key[0] == "w" or (key[0] == "n" and anchor_weight(key) > 1):
                        where.setdefault(key, set()).add(k)
    for key, e in en_lines.items():
        j = ja_lines.get(key)
        if j is not None and not e <= j and not j <= e:
            return key
    return None


def align_document(
    english: Sequence[str],
    japanese: Sequence[str],
    lines: tuple[Sequence[int], Sequence[int]] | None,
    options: AlignOptions | None = None,
) -> list[Bead]:
    """:func:`align_by_lines`, or when the layout does not hold the whole-document search
    (:func:`pipeline.align.aligner.align_sentences`), which reuses the line attempt's first-pass anchors (the same
    texts and options give the same anchors: the document's anchors are not built twice)."""
    first: list[FirstPass] = []
    out = layout_beads(english, japanese, lines, options, first)
    if isinstance(out, str):
        beads = align_sentences(english, japanese, options, lines, first[0] if first else None)
        # a run-on sentence's pieces beside its bead, joined as join_pieces does, the line pair the alignment's
        return join_pieces(beads, line_runs(lines[0]), line_runs(lines[1]), paired=False) if lines else beads
    return out


def align_by_lines(
    english: Sequence[str],
    japanese: Sequence[str],
    lines: tuple[Sequence[int], Sequence[int]] | None,
    options: AlignOptions | None = None,
) -> list[Bead] | None:
    """The beads of the document aligned line pair by line pair, or None when the layout does not hold (see the
    module's doc): the caller then aligns the whole document."""
    out = layout_beads(english, japanese, lines, options)
    return None if isinstance(out, str) else out


def layout_beads(
    english: Sequence[str],
    japanese: Sequence[str],
    lines: tuple[Sequence[int], Sequence[int]] | None,
    options: AlignOptions | None = None,
    first_pass: list[FirstPass] | None = None,
) -> list[Bead] | str:
    """:func:`align_by_lines`, or why the layout does not hold (one of :data:`REASONS`).

    ``first_pass``: a list that gets the :func:`first_pass_anchors` built here (nothing when the layout was
    refused before they were needed), for the whole-document search that follows a refusal."""
    opt = options or _DEFAULT
    if not lines or not english or not japanese or not opt.line_penalty or not opt.relook:
        return "no lines"
    en_runs, ja_runs = line_runs(lines[0]), line_runs(lines[1])
    if len(en_runs) != len(ja_runs) or len(en_runs) < MIN_LINES:
        return "line counts"
    if any((e1 - e0 + 1) * (j1 - j0 + 1) > MAX_LINE_CELLS for (e0, e1), (j0, j1) in zip(en_runs, ja_runs, strict=True)):
        return "long line"
    # the ratio by total length: when every line pair is about as long on both sides by it (checked below), no
    # long passage is missing or added, which is when the aligner's other candidate (by sentence count) helps
    ratio = ratio_candidates(english, japanese, opt)[0]
    (en_a, ja_a), first_opt = first = first_pass_anchors(english, japanese, opt)
    if first_pass is not None:
        first_pass.append(first)
    # one sentence per bead side: the costs of 1-1, 1-0 and 0-1 beads, as the whole document's scorer has them
    scorer = _Scorer(english, japanese, _one_sentence(first_opt), ratio, lines, (en_a, ja_a), first_pass=True)
    if crossed_anchor(en_a, ja_a, en_runs, ja_runs) is not None:
        return "anchor"
    o = first_opt
    pins = scorer.pins
    threshold = opt.relook_below
    beads: list[Bead] = []
    sub_opts: dict[int, AlignOptions] = {}  # band -> the options of a line pair's own search
    unsure = False  # some bead below the second look's threshold, all matched: the second look aligns it again
    for k, ((e0, e1), (j0, j1)) in enumerate(zip(en_runs, ja_runs, strict=True)):
        le = scorer.en_cum[e1] - scorer.en_cum[e0]
        if length_cost(le, scorer._ja_length(j1, j1 - j0), o.spread, o.variance, o.tail) > LINE_LENGTH_COST:
            return "length"
        if e1 - e0 == 1 and j1 - j0 == 1:
            bead = _one_to_one(scorer, e0, j0)
            if bead is None:
                return "unsure"
            unsure = unsure or bead.score < threshold
            if unrelated(en_a[e0], ja_a[j0], o):
                return "unrelated"
            near = [n for n in (k - 1, k + 1) if 0 <= n < len(en_runs)]
            if not pinned(en_a[e0], ja_a[j0], pins) and shifted(
                scorer, bead.cost, e0, j0, [en_runs[n] for n in near], [ja_runs[n] for n in near]
            ):
                return "shifted"
            beads.append(bead)
            continue
        n, m = e1 - e0, j1 - j0
        sub_opt = sub_opts.get(max(n, m))
        if sub_opt is None:
            sub_opt = sub_opts[max(n, m)] = replace(first_opt, ratio=ratio, relook=False, band=max(n, m))
        sub = _Scorer(
            english[e0:e1],
            japanese[j0:j1],
            sub_opt,
            ratio,
            ([0] * n, [0] * m),  # one line: a bead may end inside it on both sides, not on one only
            (en_a[e0:e1], ja_a[j0:j1]),
            scorer.pins,
            first_pass=True,
        )
        grid, path = _search(sub, sub_opt)
        for b in grid.beads(path):
            if not b.ja or (not b.en and not (n == 1 and m >= SPLIT_PIECES)):  # (0-1 pieces: see join_pieces)
                return "unsure"
            unsure = unsure or b.score < threshold
            beads.append(Bead(tuple(i + e0 for i in b.en), tuple(j + j0 for j in b.ja), b.score, b.cost))
    if unsure:
        beads = join_pieces(relook(english, japanese, opt, lines, scorer, beads, ratio), en_runs, ja_runs)
        # the second look may leave a sentence unmatched or join two lines: then the layout is in doubt after all
        en_pair = [k for k, (a, b) in enumerate(en_runs) for _ in range(a, b)]
        ja_pair = [k for k, (a, b) in enumerate(ja_runs) for _ in range(a, b)]
        for b in beads:
            if not b.en or not b.ja or len({en_pair[i] for i in b.en} | {ja_pair[j] for j in b.ja}) > 1:
                return "unsure"
    return join_pieces(beads, en_runs, ja_runs)


def join_pieces(
    beads: list[Bead], en_runs: Sequence[tuple[int, int]], ja_runs: Sequence[tuple[int, int]], paired: bool = True
) -> list[Bead]:
    """The beads of a line pair of one English sentence and :data:`SPLIT_PIECES` or more Japanese sentences as one
    bead, when all of them are its translation or 0-1 pieces: a run-on sentence translated as several, whose pieces
    the aligner's shapes (three at most) leave unmatched.  An extra piece is left to the bilingual stage's length
    test.  Its score is the matched bead's.

    >>> beads = [Bead((0,), (0,), 0.9), Bead((), (1,), 0.8), Bead((1,), (2, 3), 0.9), Bead((), (4,), 0.7)]
    >>> [(b.en, b.ja, b.score) for b in join_pieces(beads, [(0, 1), (1, 2)], [(0, 2), (2, 5)])]  # 2 pieces: left
    [((0,), (0,), 0.9), ((), (1,), 0.8), ((1,), (2, 3, 4), 0.9)]

    ``paired``: the line pairs are the runs of the same rank (as many lines on both sides).  When not (the
    whole-document search, a line missing or added), a Japanese line is the English sentence's line pair when the
    alignment puts that sentence, alone on its line, in a bead of that line and all else of it in 0-1 pieces.

    >>> beads = [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.9), Bead((), (2,), 0.8), Bead((), (3,), 0.7)]
    >>> [(b.en, b.ja) for b in join_pieces(beads, [(0, 1), (1, 2)], [(0, 1), (1, 4)], paired=False)]
    [((0,), (0,)), ((1,), (1, 2, 3))]
    """
    if paired:
        runs = {e0: (j0, j1) for (e0, e1), (j0, j1) in zip(en_runs, ja_runs, strict=True) if e1 - e0 == 1}
    else:  # (the span of the English sentence's own group, when it is alone on its line: checked below)
        runs = {e0: None for e0, e1 in en_runs if e1 - e0 == 1}
    ja_line = {j: (j0, j1) for j0, j1 in ja_runs for j in range(j0, j1)}
    out: list[Bead] = []
    k = 0
    while k < len(beads):
        b = beads[k]
        span = ja_line.get(b.ja[0]) if b.ja else None
        group = []
        if span is not None and span[1] - span[0] >= SPLIT_PIECES:
            while (
                k + len(group) < len(beads)
                and beads[k + len(group)].ja
                and ja_line.get(beads[k + len(group)].ja[0]) == span
            ):
                group.append(beads[k + len(group)])
        matched = [g for g in group if g.en]
        if (
            len(group) > 1
            and len(matched) == 1
            and len(matched[0].en) == 1
            and matched[0].en[0] in runs
            and runs[matched[0].en[0]] in (span, None)
            and [j for g in group for j in g.ja] == list(range(*span))
        ):
            out.append(Bead(matched[0].en, tuple(range(*span)), matched[0].score, sum(g.cost for g in group)))
            k += len(group)
            continue
        out.append(b)
        k += 1
    return out


_DEFAULT = AlignOptions()  # (frozen: one instance serves every document)


@lru_cache(maxsize=8)
def _one_sentence(opt: AlignOptions) -> AlignOptions:
    """``opt`` with one sentence per bead side (dataclasses.replace of 47 fields costs more than the look-up)."""
    return replace(opt, max_shape=1)


def shifted(
    scorer: _Scorer, cost: float, i: int, j: int, en_near: Sequence[tuple[int, int]], ja_near: Sequence[tuple[int, int]]
) -> bool:
    """Whether English ``i`` and Japanese ``j``, alone on their lines and paired 1-1 at ``cost``, pair clearly
    better (by SHIFT_MARGIN) with a sentence of a neighbouring line of the other side (``en_near``, ``ja_near``:
    the sentence ranges of the lines before and after): the signature of a dropped or merged line and an
    inserted one that keep the line counts equal, the lines between them paired one off."""
    bar = cost - SHIFT_MARGIN
    pair = scorer.cost
    ja_near_sentences = [x for a, b in ja_near for x in range(a, b)]
    en_near_sentences = [x for a, b in en_near for x in range(a, b)]
    return any(pair(i + 1, x + 1, 1, 1) <= bar for x in ja_near_sentences) or any(
        pair(x + 1, j + 1, 1, 1) <= bar for x in en_near_sentences
    )


def pinned(en: SentenceAnchors, ja: SentenceAnchors, pins: frozenset[str]) -> bool:
    """Whether the two sentences share an anchor found in no other sentence of either side: they translate each
    other, whatever their neighbours do (no need to look for a shift)."""
    if not pins:
        return False
    keys = {*en.numbers, *en.words} & pins
    return bool(keys) and not keys.isdisjoint({*ja.numbers, *ja.words})


def unrelated(en: SentenceAnchors, ja: SentenceAnchors, opt: AlignOptions) -> bool:
    """Both sentences rich in dictionary words (``content``, counted in a short document's first pass) and
    sharing none of them, nor any learned or seed word: a line of another chat paired with the English line
    whose translation was dropped.  The aligner's first pass checks only sentences of 2- and 3-sentence bead
    sides (a real pair may share no dictionary word); here a miss costs only the whole-document alignment."""
    return (
        opt.mismatch_penalty > 0
        and en.content >= opt.mismatch_en
        and ja.content >= opt.mismatch_ja
        and en.lexical.isdisjoint(ja.lexical)
    )


def _one_to_one(scorer: _Scorer, i: int, j: int) -> Bead | None:
    """English ``i`` and Japanese ``j`` alone on their lines: the 1-1 bead and its posterior, None when leaving
    both unmatched costs less."""
    c = scorer.cost(i + 1, j + 1, 1, 1)
    # the two other paths through the line pair: English first, or Japanese first, each unmatched
    apart = (
        scorer.cost(i + 1, j, 1, 0) + scorer.cost(i + 1, j + 1, 0, 1),
        scorer.cost(i, j + 1, 0, 1) + scorer.cost(i + 1, j + 1, 1, 0),
    )
    if min(apart) <= c:
        return None
    score = 1.0 / (1.0 + sum(math.exp(c - x) for x in apart))
    return Bead((i,), (j,), score, c)

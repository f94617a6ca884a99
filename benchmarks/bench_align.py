"""Alignment quality on WMT21 English->Japanese dev: this aligner vs Gale–Church.

Data: ``/work/shared/data/wmt21-enja-dev/`` (or ``--data DIR``): per article
``en.txt`` (one segment per line) and 16 line-aligned Japanese versions.
Each English line is one unit; each Japanese line is re-split into sentences
with the project segmenter, so the gold beads are 1-n.  The *noisy* condition
then, with a fixed seed per text, merges 5% of neighbouring Japanese sentences
(merges across lines make 2-1 gold beads), deletes 5% (an English line that
loses all its Japanese becomes a 1-0 bead) and inserts 5% junk sentences taken
from other articles (0-1 beads).

Scores (as in Vecalign, Thompson & Koehn 2019, after Sennrich & Volk 2010):
precision counts every predicted bead (null beads included), recall every
gold bead with both sides non-empty; *strict*: a bead counts when it equals a
gold bead; *lax*: when some English sentence of it and some Japanese sentence
of it are linked in one gold bead.

    /tmp/venv/bin/python benchmarks/bench_align.py [--data DIR] [--seed 13 | --seeds 13,14,15] [--only NAME] [--quick] [--speed]

``--speed`` instead times long documents (the 20 reference translations
concatenated and repeated, cut at 300, 1,300 and 5,000 English sentences,
with the noise above) and prints sentences and characters per second and the
ratio to bare fugashi tokenisation of the same Japanese
(``benchmarks/common.py``'s ``bare_tokenise``, the project's baseline).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))

from pipeline.align.aligner import AlignOptions, align_sentences  # noqa: E402
from pipeline.stages.segment import split_sentences  # noqa: E402

DATA = "/work/shared/data/wmt21-enja-dev"
BeadT = tuple[tuple[int, ...], tuple[int, ...]]


# -- test sets ---------------------------------------------------------------


def load_texts(data: str) -> list[tuple[str, str, list[str], list[str]]]:
    """(doc, system, English lines, Japanese lines) for every text."""
    out = []
    for doc in sorted(os.listdir(data)):
        d = os.path.join(data, doc)
        if not os.path.isdir(d):
            continue
        en = _read_lines(os.path.join(d, "en.txt"))
        for f in sorted(os.listdir(d)):
            if f.endswith(".ja.txt"):
                ja = _read_lines(os.path.join(d, f))
                if len(ja) == len(en):
                    out.append((doc, f[: -len(".ja.txt")], en, ja))
    return out


def _read_lines(path: str) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def split_japanese(ja_lines: Sequence[str]) -> list[tuple[str, frozenset[int]]]:
    """Japanese sentences with the set of English lines they translate."""
    out = []
    for i, line in enumerate(ja_lines):
        for a, b in split_sentences(line):
            out.append((line[a:b], frozenset([i])))
    return out


def add_noise(
    sents: list[tuple[str, frozenset[int]]], junk_pool: Sequence[str], rng: random.Random, rate: float = 0.05
) -> list[tuple[str, frozenset[int]]]:
    """Merge ``rate`` of neighbours, delete ``rate``, insert ``rate`` junk."""
    out = list(sents)
    for _ in range(max(1, round(rate * len(sents)))):  # merge neighbours
        if len(out) < 2:
            break
        k = rng.randrange(len(out) - 1)
        (t1, l1), (t2, l2) = out[k], out[k + 1]
        if l1 and l2:
            out[k : k + 2] = [(t1 + t2, l1 | l2)]
    for _ in range(max(1, round(rate * len(sents)))):  # delete
        if len(out) > 1:
            del out[rng.randrange(len(out))]
    for _ in range(max(1, round(rate * len(sents)))):  # junk from other articles
        out.insert(rng.randrange(len(out) + 1), (rng.choice(junk_pool), frozenset()))
    return out


def gold_beads(n_en: int, sents: Sequence[tuple[str, frozenset[int]]]) -> list[BeadT]:
    """Connected groups of English lines and Japanese sentences, in order."""
    beads: list[BeadT] = []
    covered = 0  # English lines already in a bead
    group_en: set[int] = set()
    group_ja: list[int] = []

    def flush() -> None:
        nonlocal covered, group_en, group_ja
        if group_ja:
            top = max(group_en)
            for i in range(covered, min(group_en)):
                beads.append(((i,), ()))
            beads.append((tuple(range(min(group_en), top + 1)), tuple(group_ja)))
            covered = top + 1
        group_en, group_ja = set(), []

    for j, (_, lines) in enumerate(sents):
        if not lines:
            flush()
            beads.append(((), (j,)))
            continue
        if group_en and min(lines) > max(group_en):
            flush()
        group_en |= lines
        group_ja.append(j)
    flush()
    for i in range(covered, n_en):
        beads.append(((i,), ()))
    return beads


# -- Gale–Church baseline (classic, as in nltk.translate.gale_church) ---------------------

GC_PRIORS = {(1, 0): 0.0099, (0, 1): 0.0099, (1, 1): 0.89, (2, 1): 0.089, (1, 2): 0.089, (2, 2): 0.011}
GC_VARIANCE = 6.8


def gale_church(en: Sequence[str], ja: Sequence[str], ratio: float) -> list[BeadT]:
    """Length-only DP over the full grid; character lengths including spaces."""
    le, lj = [len(s) for s in en], [len(s) for s in ja]
    n, m = len(le), len(lj)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for (a, b), p in GC_PRIORS.items():
                if i < a or j < b or cost[i - a][j - b] == inf:
                    continue
                ls, lt = sum(le[i - a : i]), sum(lj[j - b : j])
                mean = (ls + lt / ratio) / 2
                if mean == 0:
                    continue
                delta = (ls * ratio - lt) / math.sqrt(mean * GC_VARIANCE)
                pd = max(math.erfc(abs(delta) / math.sqrt(2)), 1e-300)
                c = cost[i - a][j - b] - math.log(pd) - math.log(p)
                if c < cost[i][j]:
                    cost[i][j], back[i][j] = c, (a, b)
    beads: list[BeadT] = []
    i, j = n, m
    while i or j:
        a, b = back[i][j]
        beads.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    return beads[::-1]


# -- scoring -----------------------------------------------------------------------------


def _counts(gold: Sequence[BeadT], test: Sequence[BeadT]) -> tuple[int, int, int, int]:
    """(strict true positives, strict false positives, lax tp, lax fp) of ``test`` against ``gold``."""
    gold_set = {g for g in gold if g[0] or g[1]}
    links: dict[int, set[int]] = defaultdict(set)
    for ge, gj in gold_set:
        for i in ge:
            links[i].update(gj)
    tps = fps = tpl = fpl = 0
    for te, tj in test:
        if not te and not tj:
            continue
        if (te, tj) in gold_set:
            tps += 1
            tpl += 1
        elif set(tj) & set().union(*(links[i] for i in te)) if te else False:
            fps += 1
            tpl += 1
        else:
            fps += 1
            fpl += 1
    return tps, fps, tpl, fpl


def score(golds: Sequence[Sequence[BeadT]], tests: Sequence[Sequence[BeadT]]) -> dict[str, float]:
    """Strict and lax precision/recall/F1 over many texts (counts pooled)."""
    p = [0, 0, 0, 0]
    r = [0, 0, 0, 0]
    for gold, test in zip(golds, tests, strict=True):
        p = [x + y for x, y in zip(p, _counts(gold, test), strict=True)]
        test_pairs = [b for b in test if b[0] and b[1]]
        gold_pairs = [b for b in gold if b[0] and b[1]]
        r = [x + y for x, y in zip(r, _counts(test_pairs, gold_pairs), strict=True)]
    out = {}
    for name, k in (("strict", 0), ("lax", 2)):
        prec = p[k] / max(1, p[k] + p[k + 1])
        rec = r[k] / max(1, r[k] + r[k + 1])
        out[name] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[name + "_p"], out[name + "_r"] = prec, rec
    return out


# -- main ---------------------------------------------------------------------------------


def build_sets(data: str, seed: int, quick: bool) -> dict[str, list[tuple[list[str], list[str], list[BeadT]]]]:
    texts = load_texts(data)
    if quick:
        texts = [t for t in texts if t[1] in ("ref", "Online-W", "Online-G", "NiuTrans")]
    pools: dict[str, list[str]] = defaultdict(list)
    for doc, system, _, ja in texts:
        if system == "ref":
            pools[doc].extend(s for s, _ in split_japanese(ja))
    sets: dict[str, list[tuple[list[str], list[str], list[BeadT]]]] = {"clean": [], "noisy": []}
    for doc, system, en, ja in texts:
        sents = split_japanese(ja)
        sets["clean"].append((en, [s for s, _ in sents], gold_beads(len(en), sents)))
        rng = random.Random(f"{seed}:{doc}:{system}")
        junk = [s for d, ss in pools.items() if d != doc for s in ss]
        noisy = add_noise(sents, junk, rng)
        sets["noisy"].append((en, [s for s, _ in noisy], gold_beads(len(en), noisy)))
    return sets


def run_aligner(options: AlignOptions) -> Callable[[list[str], list[str]], list[BeadT]]:
    return lambda en, ja: [(b.en, b.ja) for b in align_sentences(en, ja, options)]


def measure_speed(data: str, seed: int) -> None:
    """Throughput on long documents: the banded DP should grow about linearly."""
    from common import bare_tokenise, best_of

    texts = [t for t in load_texts(data) if t[1] == "ref"]
    en_all: list[str] = []
    ja_all: list[tuple[str, frozenset[int]]] = []
    for _, _, en, ja in texts:
        ja_all.extend((s, frozenset(i + len(en_all) for i in lines)) for s, lines in split_japanese(ja))
        en_all.extend(en)
    print(
        f"{'en sents':>8} {'ja sents':>8} {'ja chars':>9} {'align s':>8} {'sent/s':>7} {'chars/s':>8} "
        f"{'fugashi s':>9} {'ratio':>6}"
    )
    for size in (300, 1300, 5000):
        copies = -(-size // len(en_all))
        en = (en_all * copies)[:size]
        ja_s = [
            (s, frozenset(i + k * len(en_all) for i in lines))
            for k in range(copies)
            for s, lines in ja_all
            if max(lines) + k * len(en_all) < size
        ]
        noisy = add_noise(ja_s, [s for s, _ in ja_all[:50]], random.Random(seed))
        ja = [s for s, _ in noisy]
        chars = sum(len(s) for s in ja) + sum(len(s) for s in en)
        holder: list[list[BeadT]] = []
        dt = best_of(
            lambda en=en, ja=ja, holder=holder: holder.append([(b.en, b.ja) for b in align_sentences(en, ja)]), 1
        )
        ft = best_of(lambda ja=ja: bare_tokenise(["\n".join(ja)]), 3)
        f1 = score([gold_beads(len(en), noisy)], [holder[-1]])
        print(
            f"{len(en):8} {len(ja):8} {sum(len(s) for s in ja):9} {dt:8.2f} {(len(en) + len(ja)) / dt:7.0f} "
            f"{chars / dt:8.0f} {ft:9.3f} {dt / ft:6.1f}  (strict F1 {f1['strict']:.3f}, lax {f1['lax']:.3f})"
        )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument(
        "--seeds", default="", help="comma-separated seeds: score each and print the mean (overrides --seed)"
    )
    ap.add_argument("--only", default="", help="run only the aligners whose name contains this")
    ap.add_argument("--quick", action="store_true", help="4 of the 16 Japanese versions only")
    ap.add_argument("--speed", action="store_true", help="time long documents instead of scoring")
    args = ap.parse_args(argv)
    if not os.path.isdir(args.data):
        print(f"skipped: {args.data} not found (WMT21 en-ja dev data)")
        return 0
    if args.speed:
        measure_speed(args.data, args.seed)
        return 0
    systems: dict[str, Callable[[list[str], list[str]], list[BeadT]]] = {
        "gale-church ratio 1.0": lambda en, ja: gale_church(en, ja, 1.0),
        "gale-church ratio 0.44": lambda en, ja: gale_church(en, ja, 0.44),
        "this, length only, ratio 1.0": run_aligner(
            AlignOptions(ratio=1.0, names=False, number_bonus=0, number_penalty=0, word_bonus=0, word_penalty=0)
        ),
        "this, length only, estimated": run_aligner(
            AlignOptions(names=False, number_bonus=0, number_penalty=0, word_bonus=0, word_penalty=0)
        ),
        "this, ratio 1.0": run_aligner(AlignOptions(ratio=1.0)),
        "this (default: estimated ratio)": run_aligner(AlignOptions()),
    }
    systems = {k: v for k, v in systems.items() if args.only in k}
    seeds = [int(x) for x in args.seeds.split(",") if x.strip()] or [args.seed]
    totals: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for seed in seeds:
        sets = build_sets(args.data, seed, args.quick)
        n_texts = len(sets["clean"])
        n_sent = sum(len(ja) for _, ja, _ in sets["clean"])
        print(f"{n_texts} texts, {n_sent} Japanese sentences (clean); seed {seed}")
        print(f"{'aligner':34} {'set':6} {'strict F1':>9} {'lax F1':>7} {'P':>6} {'R':>6} {'sec':>6}")
        for name, fn in systems.items():
            for set_name, items in sets.items():
                if set_name == "clean" and totals[(name, set_name)]:
                    continue  # the clean set does not depend on the seed
                t0 = time.perf_counter()
                tests = [fn(en, ja) for en, ja, _ in items]
                dt = time.perf_counter() - t0
                s = score([g for _, _, g in items], tests)
                totals[(name, set_name)].append((s["strict"], s["lax"]))
                print(
                    f"{name:34} {set_name:6} {s['strict']:9.3f} {s['lax']:7.3f} {s['strict_p']:6.3f} {s['strict_r']:6.3f} {dt:6.2f}"
                )
    if len(seeds) > 1:
        print(f"mean over seeds {','.join(map(str, seeds))}")
        print(f"{'aligner':34} {'set':6} {'strict F1':>9} {'lax F1':>7} {'min lax':>7}")
        for (name, set_name), vals in totals.items():
            strict = sum(v[0] for v in vals) / len(vals)
            lax = sum(v[1] for v in vals) / len(vals)
            print(f"{name:34} {set_name:6} {strict:9.3f} {lax:7.3f} {min(v[1] for v in vals):7.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

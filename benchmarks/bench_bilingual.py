"""Omission and addition flags of the bilingual stage, measured by deleting and inserting sentences; and its cost.

    python benchmarks/bench_bilingual.py [--corpus wmt22|wmt21|all] [--half tune|check|all] [--show N]

For every Japanese text of the dev sets (with its English source), two
copies are made, each with one injected fault: one Japanese line deleted
(its English sentences should be flagged ``omission``), and one line from
another document of the same domain inserted between two lines (it should
be flagged ``addition``).  Flags that the unmodified text already has are
not counted (they are the MT system's own omissions and additions, or the
stage's mistakes on real text, shown by ``--show``); so

* precision = injected faults flagged / new omission+addition flags,
* recall    = injected faults flagged / faults injected,

per kind and per tune/check half.  Cost: the whole pipeline with the English
source against the same texts without it, in the same run (CPU time).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE / "audit"))

from audit import CORPORA, list_texts  # noqa: E402

from pipeline.api import make_config  # noqa: E402
from pipeline.run import clean_text  # noqa: E402

KINDS = ("omission", "addition")


def flags_of(doc, kinds=KINDS) -> list[tuple[str, str]]:
    """(rule, what) of each flag: the English sentence for omissions, the Japanese text for additions."""
    out = []
    for f in doc.flags:
        if f.stage != "bilingual" or f.rule not in kinds:
            continue
        if f.rule == "omission":
            out.append((f.rule, f.reason.split(" has no translation")[0]))
        else:
            out.append((f.rule, doc.original[f.start : f.end]))
    return out


def english_sentences_of_line(doc, english: str, line: int) -> set[str]:
    """The labels ("English sentence i") of the English sentences on ``line`` of the English text."""
    lines = english.split("\n")
    start = sum(len(x) + 1 for x in lines[:line])
    end = start + len(lines[line])
    spans = doc.annotations.get("alignment", {}).get("english", [])
    return {f"English sentence {i}" for i, s in enumerate(spans) if start <= s["start"] < end}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", choices=("wmt22", "wmt21", "all"), default="all")
    p.add_argument("--half", choices=("tune", "check", "all"), default="all")
    p.add_argument("--show", type=int, default=0, help="print N flags of each kind found on unmodified texts")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--cost-only", action="store_true", help="measure only the cost of the source (no injection)")
    p.add_argument("--rounds", type=int, default=3, help="--cost-only: interleaved rounds (the median is printed)")
    p.add_argument(
        "--cold",
        action="store_true",
        help="--cost-only: forget the aligner's per-sentence features before each document with a source (the"
        " dev sets hold one English text per several translations; this is the cost when no sentence recurs)",
    )
    p.add_argument(
        "--cold-all",
        action="store_true",
        help="--cost-only: as --cold, and also forget the per-sentence and per-source caches --cold keeps (the"
        " variants stage's English words and stems of a source, the name check's runs and names): nothing of"
        " the English text is kept, only what is kept per word",
    )
    p.add_argument(
        "--cold-keys",
        action="store_true",
        help="--cost-only: as --cold, and also forget the per-string caches of phonetic keys (romanise's, the"
        " aligner's) before each document with a source: the key of every English word and of every two"
        " neighbouring words joined is computed again, as for a source never seen (the dev sets' translations"
        " of one source share their pair strings, which a new source does not).  An upper bound: the keys of"
        " words that recur across articles, and of the Japanese side, are forgotten too",
    )
    p.add_argument(
        "--by-stage",
        action="store_true",
        help="--cost-only: also print what the source adds to each stage (CPU time with it less without it, as a"
        " share of the whole pipeline without it)",
    )
    p.add_argument(
        "--interleave",
        action="store_true",
        help="--cost-only: run each document without and with the source back to back (alternating which goes"
        " first) instead of in two blocks: steadier on a shared machine, whose load changes between blocks",
    )
    p.add_argument(
        "--flags-only",
        action="store_true",
        help="run only the stages the flags depend on (no tokenise/variants/dedup/lines) and skip the cost",
    )
    args = p.parse_args()
    corpora = list(CORPORA) if args.corpus == "all" else [args.corpus]
    jobs = [j for c in corpora for j in list_texts(c, args.half)]
    if not jobs:
        print("no dev data; nothing measured")
        return 0
    rng = random.Random(args.seed)
    by_domain: dict[str, list[str]] = defaultdict(list)
    texts = []
    for j in jobs:
        ja = Path(j["path"]).read_text(encoding="utf-8")
        en = Path(j["en"]).read_text(encoding="utf-8")
        texts.append((j, ja, en))
        by_domain[j["domain"]].extend((j["doc"], line) for line in ja.split("\n") if len(line) >= 8)

    if args.cost_only:
        return measure_cost(
            texts,
            args.rounds,
            args.cold or args.cold_all or args.cold_keys,
            args.by_stage,
            args.interleave,
            every=args.cold_all,
            keys=args.cold_keys,
        )
    config = make_config(skip=["tokenise", "variants", "dedup", "lines"]) if args.flags_only else None
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    seen_on_clean: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    t_with = t_without = 0.0
    for j, ja, en in texts:
        h = j["half"]
        if config is None:
            t0 = time.process_time()
            clean_text(ja)
            t_without += time.process_time() - t0
        t0 = time.process_time()
        base = clean_text(ja, config, english=en)
        t_with += time.process_time() - t0
        before = Counter(flags_of(base))
        for rule, what in before:
            seen_on_clean[rule].append((f"{j['doc']}/{j['text']}", what, ""))
        lines = ja.split("\n")
        real = [i for i, x in enumerate(lines) if x.strip()]
        if len(real) < 3:
            continue
        # deletion: one Japanese line goes; its English sentences should be flagged
        gone = rng.choice(real)
        deleted = "\n".join(x for i, x in enumerate(lines) if i != gone)
        doc = clean_text(deleted, config, english=en)
        new = Counter(flags_of(doc, ("omission",))) - before
        want = english_sentences_of_line(doc, en, gone)
        hit = any(what in want for _, what in new)
        counts[("omission", h)].update(
            injected=1, found=int(hit), new=sum(new.values()), right=sum(1 for _, w in new.elements() if w in want)
        )
        # insertion: a line of another document of the same domain, between two lines
        pool = [x for d, x in by_domain[j["domain"]] if d != j["doc"]]
        junk = rng.choice(pool)
        at = rng.choice(real[1:])
        inserted = "\n".join([*lines[:at], junk, *lines[at:]])
        doc = clean_text(inserted, config, english=en)
        new = Counter(flags_of(doc, ("addition",))) - before
        junk_sentences = {doc.original[s.start : s.end] for s in doc.sentences if s.block == at} or {junk}
        right = sum(1 for _, w in new.elements() if w in junk_sentences)
        counts[("addition", h)].update(injected=1, found=int(right > 0), new=sum(new.values()), right=right)

    print(f"{len(texts)} texts ({', '.join(corpora)}; half {args.half}), one deletion and one insertion each")
    print(
        f"{'kind':10} {'half':6} {'injected':>8} {'found':>6} {'recall':>7} {'new flags':>9} {'right':>6} {'precision':>9}"
    )
    for (kind, h), c in sorted(counts.items()):
        recall = c["found"] / c["injected"] if c["injected"] else 0
        precision = c["right"] / c["new"] if c["new"] else 1.0
        print(
            f"{kind:10} {h:6} {c['injected']:8} {c['found']:6} {recall:7.3f} {c['new']:9} {c['right']:6} {precision:9.3f}"
        )
    for kind in KINDS:
        print(f"flags on the unmodified texts: {kind} {len(seen_on_clean[kind])}")
        for where, what, _ in seen_on_clean[kind][: args.show]:
            print(f"   {where}: {what[:100]}")
    if t_without:
        print(
            f"cost: whole pipeline with the English source / without: {t_with / t_without:.2f}"
            f" (CPU time, {len(texts)} texts)"
        )
    return 0


# Per-sentence and per-source caches that --cold keeps and --cold-all forgets too: (module, function).
# What stays with both is kept per word or per word pair (phonetic keys, a word's heard keys, a dictionary
# spelling's stems, a word against a katakana run), or per options object.
KEPT_BY_COLD = (
    ("pipeline.stages.variants.source", "english_words"),
    ("pipeline.stages.variants.source", "_stems_of_sentences"),
    ("pipeline.stages.variants.source", "_flat_of_sentences"),
    ("pipeline.stages.variants.source", "_dictionary_stems_of_sentences"),
    ("pipeline.stages.name_check", "name_runs"),
    ("pipeline.stages.name_check", "english_names"),
)


# Per-string caches of phonetic keys that --cold-keys forgets too (a tree that lacks one is skipped).
KEY_CACHES = (
    ("pipeline.romanise", "phonetic_key"),
    ("pipeline.romanise", "phonetic_keys"),
    ("pipeline.romanise", "romanise_katakana"),
    ("pipeline.align.anchors", "_cached_key"),
    ("pipeline.align.anchors", "latin_key"),
    ("pipeline.align.anchors", "_name_anchor"),
)


def measure_cost(
    texts,
    rounds: int,
    cold: bool = False,
    by_stage: bool = False,
    interleave: bool = False,
    every: bool = False,
    keys: bool = False,
) -> int:
    """CPU time of the whole pipeline with the English source over the same texts without it, per round.

    ``cold``: the per-sentence and per-source caches of the aligner and the bilingual stage forgotten before each
    document with a source; ``every``: those of KEPT_BY_COLD too; ``keys``: the per-string phonetic key caches
    too (KEY_CACHES)."""
    ratios, parts, stage_parts = [], [], []
    import pipeline.run as run
    from pipeline.stages import bilingual

    stage = run.align_source
    spent = [0.0]
    run_stage = run._run_stage
    per_stage: dict[bool, Counter] = {False: Counter(), True: Counter()}
    with_source = [False]

    def timed_stage(st, doc, config) -> None:
        t0 = time.process_time()
        try:
            run_stage(st, doc, config)
        finally:
            per_stage[with_source[0]][st.name] += time.process_time() - t0

    try:
        from pipeline.align.anchors import clear_sentence_caches
    except ImportError:  # a tree from before the per-sentence caches: nothing to forget
        clear_sentence_caches = lambda: None  # noqa: E731

    try:
        from pipeline.align.dictionary import clear_caches as forget_dictionary
    except ImportError:  # a tree from before the dictionary
        forget_dictionary = lambda: None  # noqa: E731

    from pipeline.stages.variants import source as variants_source

    def forget() -> None:
        clear_sentence_caches()
        if hasattr(variants_source, "clear_source_caches"):  # the sources seen and the index of their words
            variants_source.clear_source_caches()
        elif hasattr(variants_source, "_heard_index"):  # the variants stage's index of the source's words
            variants_source._heard_index.cache_clear()
        forget_dictionary()  # the dictionary's stems of each sentence (the second look)
        for kept in ("numbers_to_check", "english_number_values"):  # the English side of the number check
            if hasattr(bilingual, kept):
                getattr(bilingual, kept).cache_clear()
        for f in also_forget:
            f.cache_clear()

    also_forget = []
    if every:
        import importlib

        for module, name in KEPT_BY_COLD:
            f = getattr(importlib.import_module(module), name, None)
            if f is not None and hasattr(f, "cache_clear"):
                also_forget.append(f)

    if keys:
        import importlib

        for module, name in KEY_CACHES:
            f = getattr(importlib.import_module(module), name, None)
            if f is not None and hasattr(f, "cache_clear"):
                also_forget.append(f)

    def timed(*a, **k):
        t0 = time.process_time()
        try:
            return stage(*a, **k)
        finally:
            spent[0] += time.process_time() - t0

    def run_one(ja: str, en: str | None) -> float:
        with_source[0] = en is not None
        t0 = time.process_time()
        if en is not None and cold:
            forget()
        clean_text(ja, english=en)
        return time.process_time() - t0

    run.align_source = timed
    if by_stage:
        run._run_stage = timed_stage
    try:
        for r in range(rounds):
            spent[0] = 0.0
            for side in per_stage.values():
                side.clear()
            without = with_ = 0.0
            if interleave:
                for k, (_, ja, en) in enumerate(texts):
                    for source in (None, en) if (k + r) % 2 == 0 else (en, None):
                        took = run_one(ja, source)
                        if source is None:
                            without += took
                        else:
                            with_ += took
            else:
                without = sum(run_one(ja, None) for _, ja, _en in texts)
                with_ = sum(run_one(ja, en) for _, ja, en in texts)
            ratios.append(with_ / without)
            parts.append(spent[0] / without)
            stage_parts.append({k: (v - per_stage[False][k]) / without for k, v in per_stage[True].items()})
    finally:
        run.align_source = stage
        run._run_stage = run_stage
    assert bilingual.align_source is stage
    order = sorted(range(rounds), key=ratios.__getitem__)
    mid = order[rounds // 2]
    how = "interleaved per document" if interleave else "in blocks"
    print(
        f"cost: whole pipeline with the English source / without: {ratios[mid]:.2f} (median of {rounds} rounds:"
        f" {', '.join(f'{r:.2f}' for r in ratios)}; {len(texts)} texts, CPU time, {how}); of which the bilingual"
        f" stage {parts[mid]:.2f}{' (cold: per-sentence features forgotten before each document' + (', all of them' if every else '') + (', and the phonetic keys of every string' if keys else '') + ')' if cold else ''}"
    )
    if by_stage:
        print(
            "  added by the source, per stage (share of the pipeline without it, same round): "
            + ", ".join(f"{k} {v:+.3f}" for k, v in stage_parts[mid].items())
        )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())

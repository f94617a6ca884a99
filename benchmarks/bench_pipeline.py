"""Throughput per stage and end to end, 1->N job scaling, and peak memory on a large JSONL corpus.

    python benchmarks/bench_pipeline.py                      # all three parts, 100 MB corpus
    python benchmarks/bench_pipeline.py --memory-mb 0        # skip the memory part
    python benchmarks/bench_pipeline.py --memory-mb 20 --jobs 4
    python benchmarks/bench_pipeline.py --floors             # only the floors below (issue 15's 0.8)

Part 1 (one core, in process) times each stage on the 320 Japanese texts of
the WMT21 dev set (generated articles where it is absent) and reports
characters per second and the ratio to bare fugashi tokenisation of the same
text in the same run (``benchmarks/common.py``): for a stage, how many times
faster than bare tokenisation it is; end to end, the pipeline's throughput as
a fraction of bare tokenisation's (target >= 0.6).

Part 2 runs ``python -m pipeline clean`` on the same texts as files with
--jobs 1..N (separate processes, outputs written) and reports the speed-up.

Part 3 cleans a generated JSONL corpus of --memory-mb megabytes and of a
tenth of it, each in a fresh process, and reports the peak resident memory
of the largest process (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``):
the batch streams, so the two peaks should be about the same.

Part 4 (issue 16) cleans 5,000 small files (three dev-set lines each) with
``--jobs 2``, by default (atomic rename, one fsync per folder at the end) and
with ``--fsync`` (every file synced, the old behaviour), and reports
documents per second.

Part 5 (issue 16) joins the Japanese texts of both dev sets into one line
without line breaks and cleans prefixes of 1 MB, 2 MB and the whole of it as
one document, ``--out-dir`` so the record is built and written, and reports
wall time and peak RSS (the basis of the default ``--max-chars``).

``--floors`` (issue 15) measures instead, in one process on the Japanese texts
of both dev sets, the smallest of ``--repeat`` interleaved rounds in CPU
seconds: bare fugashi (its node API, as ``common.bare_tokenise``), MeCab's
string output in the pipeline's format split into fields (the most any
tokeniser on this tagger must pay), the tokenise stage, and each later stage
(groups of 8 documents, the collector as ``run_stages_many`` leaves it); each
also per token.  What the pipeline pays beyond MeCab's floor is Python work.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import DEV_DATA, bare_tokenise, best_of, dev_texts

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from make_corpus import iter_articles, write_jsonl  # noqa: E402

from pipeline.batch import Settings, Task, clean_task  # noqa: E402
from pipeline.run import STAGES, clean_text  # noqa: E402
from pipeline.stages.tokenise import get_tagger  # noqa: E402


def texts_for_bench() -> tuple[list[tuple[str, str]], str]:
    texts = dev_texts()
    if texts:
        return texts, f"WMT21 dev set ({DEV_DATA})"
    gen = iter_articles(7)
    return [(f"gen/{i:04d}.txt", next(gen)) for i in range(320)], "320 generated articles"


def per_stage(texts: list[str], repeat: int) -> tuple[float, dict[str, float]]:
    """Best wall time of the whole pipeline and the per-stage seconds of that run."""
    best, best_stages = float("inf"), {}
    for _ in range(repeat):
        stages: dict[str, float] = {}
        t0 = time.perf_counter()
        for t in texts:
            doc = clean_text(t)
            for name, s in doc.stats.items():
                stages[name] = stages.get(name, 0.0) + s.get("seconds", 0.0)
        dt = time.perf_counter() - t0
        if dt < best:
            best, best_stages = dt, stages
    return best, best_stages


def batch_work(texts: list[str], settings: Settings) -> None:
    """What a batch worker does per document: clean, build the record, serialise it."""
    for i, t in enumerate(texts):
        o = clean_task(Task("bench", str(i), t.encode("utf-8"), "bench"), settings)
        assert not o.error, o.error


def part_throughput(texts: list[str], repeat: int) -> None:
    chars = sum(len(t) for t in texts)
    get_tagger()
    clean_text(texts[0])  # warm caches and imports
    bare = best_of(lambda: bare_tokenise(texts), repeat)
    whole, stages = per_stage(texts, repeat)
    print(f"\n## 1. one core: {len(texts)} texts, {chars:,} characters (best of {repeat})\n")
    print(f"| {'step':34} | {'seconds':>8} | {'chars/s':>12} | {'x bare fugashi':>14} |")
    print(f"|{'-' * 36}|{'-' * 10}:|{'-' * 13}:|{'-' * 15}:|")
    print(f"| {'bare fugashi (baseline)':34} | {bare:8.3f} | {chars / bare:12,.0f} | {1.0:14.2f} |")
    for st in STAGES:
        s = stages.get(st.name, 0.0)
        if s > 0:
            print(f"| {'stage ' + st.name:34} | {s:8.3f} | {chars / s:12,.0f} | {bare / s:14.2f} |")
    print(f"| {'whole pipeline (clean_text)':34} | {whole:8.3f} | {chars / whole:12,.0f} | {bare / whole:14.2f} |")
    for label, settings in [
        ("batch worker (+ record, JSON)", Settings()),
        ("batch worker (+ record, JSON, CoNLL-U)", Settings(conllu=True)),
    ]:
        t = best_of(lambda s=settings: batch_work(texts, s), repeat)
        print(f"| {label:34} | {t:8.3f} | {chars / t:12,.0f} | {bare / t:14.2f} |")
    verdict = "meets" if bare / whole >= 0.6 else "misses"
    print(f"\nend to end: {bare / whole:.2f} of bare tokenisation throughput ({verdict} the 0.6 target)")


def run_clean(args: list[str]) -> tuple[float, int, dict]:
    """Run the clean command in a fresh process; (wall seconds, peak RSS in KiB of its largest process, summary)."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter(); rc = subprocess.run(sys.argv[1:]).returncode; dt = time.perf_counter() - t\n"
        "print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)\n"
    )
    cmd = [sys.executable, "-c", probe, sys.executable, "-m", "pipeline", "clean", "--quiet", *args]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    dt, rss, rc = float(out[0]), int(out[1]), int(out[2])
    if rc not in (0, 1):
        raise SystemExit(f"clean failed ({rc}): {' '.join(args)}")
    out_dir = args[args.index("--out-dir") + 1]
    summary = json.loads(Path(out_dir, "summary.json").read_text())
    return dt, rss, summary


def part_scaling(texts: list[tuple[str, str]], max_jobs: int, tmp: Path) -> None:
    src = tmp / "texts"
    for name, text in texts:
        p = src / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    chars = sum(len(t) for _, t in texts)
    print(f"\n## 2. scaling: `clean FOLDER --out-dir OUT --jobs N` on {len(texts)} files, {chars:,} characters\n")
    print(f"(this machine: {os.cpu_count()} cores; wall time includes start-up and writing outputs)\n")
    print(f"| {'jobs':>4} | {'seconds':>8} | {'chars/s':>10} | {'speed-up':>8} |")
    print(f"|{'-' * 5}:|{'-' * 9}:|{'-' * 11}:|{'-' * 9}:|")
    base = None
    jobs = sorted({1, *range(2, max_jobs + 1)})
    for n in jobs:
        best = min(run_clean([str(src), "--out-dir", str(tmp / f"out{n}-{r}"), "--jobs", str(n)])[0] for r in range(2))
        base = base or best
        print(f"| {n:4} | {best:8.2f} | {chars / best:10,.0f} | {base / best:8.2f} |")
        for r in range(2):
            shutil.rmtree(tmp / f"out{n}-{r}", ignore_errors=True)


def part_memory(mb: float, jobs: int, tmp: Path) -> None:
    print(f"\n## 3. peak memory: generated JSONL corpora, --jobs {jobs}\n")
    print(
        f"| {'corpus':>8} | {'documents':>9} | {'characters':>12} | {'seconds':>8} | {'chars/s':>10} | {'peak RSS':>9} | {'output':>9} |"
    )
    print(f"|{'-' * 9}:|{'-' * 10}:|{'-' * 13}:|{'-' * 9}:|{'-' * 11}:|{'-' * 10}:|{'-' * 10}:|")
    for size in (mb / 10, mb):
        corpus = tmp / f"corpus-{size:g}.jsonl"
        n, nbytes = write_jsonl(str(corpus), None, size, seed=3)
        out = tmp / f"mem-{size:g}"
        dt, rss, summary = run_clean([str(corpus), "--out-dir", str(out), "--jobs", str(jobs)])
        out_mb = sum(f.stat().st_size for f in out.iterdir()) / 1e6
        print(
            f"| {nbytes / 1e6:6.1f}MB | {n:9,} | {summary['chars_in']:12,} | {dt:8.1f} | {summary['chars_in'] / dt:10,.0f} "
            f"| {rss / 1024:6.0f} MB | {out_mb:6.0f} MB |"
        )
        shutil.rmtree(out, ignore_errors=True)
        corpus.unlink()


WMT22_DEV = Path(os.environ.get("WMT22_DEV", DEV_DATA.parent / "wmt22-enja-dev"))


def dev_lines() -> list[str]:
    """Every non-empty line of the Japanese texts of both dev sets (generated text when absent)."""
    lines: list[str] = []
    for root in (DEV_DATA, WMT22_DEV):
        for f in sorted(root.glob("*/*.ja.txt")) if root.is_dir() else []:
            lines += [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
    if not lines:
        gen = iter_articles(11)
        lines = [ln for _ in range(300) for ln in next(gen).splitlines() if ln.strip()]
    return lines


def part_small_files(n: int, jobs: int, tmp: Path) -> None:
    lines = dev_lines()
    src = tmp / "small"
    src.mkdir()
    for i in range(n):
        k = (3 * i) % max(1, len(lines) - 3)
        (src / f"{i:05d}.txt").write_text("\n".join(lines[k : k + 3]) + "\n", encoding="utf-8")
    print(f"\n## 4. small files: {n:,} files of three dev-set lines, --jobs {jobs}\n")
    print("| writes | seconds | documents/s |")
    print("|---|---:|---:|")
    for label, extra in (("atomic rename, one fsync per folder (default)", []), ("--fsync every file", ["--fsync"])):
        out = tmp / "small-out"
        dt, _, summary = run_clean([str(src), "--out-dir", str(out), "--jobs", str(jobs), *extra])
        print(f"| {label} | {dt:.1f} | {summary['documents'] / dt:,.0f} |")
        shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(src, ignore_errors=True)


def part_long_line(tmp: Path) -> None:
    line = "".join(dev_lines())
    data = line.encode("utf-8")
    print(f"\n## 5. one long line of real text ({len(line):,} characters in all), record built and written\n")
    print("| input | characters | seconds | peak RSS | bytes per character above 200 MB |")
    print("|---|---:|---:|---:|---:|")
    for mb in (1, 2, None):
        cut = data if mb is None else data[: mb * 1_000_000]
        text = cut.decode("utf-8", "ignore")
        src = tmp / "line.txt"
        src.write_text(text, encoding="utf-8")
        out = tmp / "line-out"
        dt, rss, _ = run_clean([str(src), "--out-dir", str(out), "--jobs", "1", "--max-chars", "0"])
        per_char = max(0.0, rss * 1024 - 200e6) / max(1, len(text))
        label = "all" if mb is None else f"{mb} MB"
        print(f"| {label} | {len(text):,} | {dt:.1f} | {rss / 1024:,.0f} MB | {per_char:,.0f} |")
        shutil.rmtree(out, ignore_errors=True)


def part_floors(repeat: int) -> None:
    """Floors on the dev texts, in CPU seconds (the smallest of ``repeat`` interleaved rounds), and per token."""
    from bench_e2e import dev_files

    from pipeline.document import token_types
    from pipeline.run import Config, _group_gc, new_document, run_stages_many
    from pipeline.stages.tokenise import _UNSAFE, get_output_tagger

    files = dev_files()
    if not files:
        print("note: no dev texts; nothing measured", file=sys.stderr)
        return
    texts = [f.read_text(encoding="utf-8") for f in files]
    config = Config()
    by_name = {s.name: s for s in STAGES}
    first = tuple(by_name[n] for n in ("markup", "segment", "blocks"))
    later = ("tokenise", "bilingual", "variants", "dedup", "lines")
    get_tagger()
    tagger = get_output_tagger()

    def segmented() -> list:
        docs = [new_document(t) for t in texts]
        for i in range(0, len(docs), 8):
            run_stages_many(docs[i : i + 8], config, first)
        return docs

    sentences = [_UNSAFE.sub(" ", d.cleaned_slice(s.start, s.end)) for d in segmented() for s in d.sentences]
    sentences = [s for s in sentences if s.strip()]

    def mecab_output() -> None:
        parse = tagger.parse
        for s in sentences:
            parse(s).split("\t")

    best: dict[str, float] = {}
    for _ in range(repeat):
        t: dict[str, float] = {}
        t0 = time.process_time()
        bare_tokenise(texts)
        t["bare fugashi (node API, in process)"] = time.process_time() - t0
        t0 = time.process_time()
        mecab_output()
        t["MeCab string output + split (the floor)"] = time.process_time() - t0
        docs = segmented()
        for name in later:
            t0 = time.process_time()
            for i in range(0, len(docs), 8):
                with _group_gc():
                    for d in docs[i : i + 8]:
                        by_name[name].apply(d, config)
            t[f"stage {name}"] = time.process_time() - t0
        for k, v in t.items():
            best[k] = min(best.get(k, float("inf")), v)
    tokens = sum(len(s.tokens) for d in docs for s in d.sentences)
    typed = sum(len(s.tokens) for d in docs for s in d.sentences if token_types(s) is not None)
    n_sent = sum(1 for d in docs for s in d.sentences if s.tokens)
    print(f"## floors: {len(texts):,} texts, {n_sent:,} sentences, {tokens:,} tokens ({typed / tokens:.1%} typed)\n")
    bare = best["bare fugashi (node API, in process)"]
    print("| part | CPU s | x bare fugashi | ns per token |")
    print("|---|---:|---:|---:|")
    for k, v in best.items():
        print(f"| {k} | {v:.2f} | {v / bare:.2f} | {v / tokens * 1e9:,.0f} |")
    print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="largest job count (default: cores)")
    ap.add_argument("--memory-mb", type=float, default=100, help="JSONL corpus size for part 3 (0: skip)")
    ap.add_argument("--skip-scaling", action="store_true")
    ap.add_argument("--small-files", type=int, default=5000, help="files for part 4 (0: skip)")
    ap.add_argument("--skip-long-line", action="store_true", help="skip part 5")
    ap.add_argument("--only-faults-parts", action="store_true", help="run parts 4 and 5 only (issue 16 figures)")
    ap.add_argument("--floors", action="store_true", help="only the floors: bare fugashi, MeCab's output, each stage")
    args = ap.parse_args()
    if args.floors:
        part_floors(args.repeat)
        return
    texts, what = texts_for_bench()
    print(f"# bench_pipeline: {what}; python {sys.version.split()[0]}, {os.cpu_count()} cores")
    if not args.only_faults_parts:
        part_throughput([t for _, t in texts], args.repeat)
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        if not args.skip_scaling and not args.only_faults_parts:
            part_scaling(texts, args.jobs, Path(tmp))
        if args.memory_mb > 0 and not args.only_faults_parts:
            part_memory(args.memory_mb, args.jobs, Path(tmp))
        if args.small_files > 0:
            part_small_files(args.small_files, min(2, args.jobs), Path(tmp))
        if not args.skip_long_line:
            part_long_line(Path(tmp))


if __name__ == "__main__":
    main()

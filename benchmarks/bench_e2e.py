"""End-to-end throughput of batch cleaning against bare fugashi (issue 15's done-when).

    python benchmarks/bench_e2e.py                       # files and one JSONL, --jobs 1 and 2, median of 3
    python benchmarks/bench_e2e.py --small 5000          # 5,000 small files: documents/s
    python benchmarks/bench_e2e.py --check-against main  # same outputs as another git rev (or a tree's path)?
    python benchmarks/bench_e2e.py --startup --rounds 10 [--check-against main]   # start-up of clean
    python benchmarks/bench_e2e.py --breakdown [--baseline main]   # where the time goes (summary.json's timers)
    python benchmarks/bench_e2e.py --rounds 5 --layout files --jobs 1
    python benchmarks/bench_e2e.py --baseline main       # the same runs with main's tree too, interleaved
    python benchmarks/bench_e2e.py --source [--jobs 1]   # the cost of the English source, end to end

The texts are the Japanese texts of the WMT21 and WMT22 dev sets
(``../shared/data``, or ``$WMT21_DEV``/``$WMT22_DEV``); the benchmark prints a
note and exits 0 when they are absent.  They are laid out in a temporary
folder, never in the repository: once as files (``FOLDER/SYSTEM.ja.txt``) and
once as one JSONL corpus (``{"id", "text"}`` a line).

Every measurement is a whole process, as a user runs it, interpreter start
and imports included:

* ``python -m pipeline clean INPUT --out-dir OUT -q --jobs J`` (annotation
  files and cleaned text written, ``summary.json``);
* bare fugashi over the same texts: ``python benchmarks/common.py INPUT``
  (``bare_tokenise``: read the inputs, tag each line, touch each token).

The runs of one round are interleaved (bare, jobs 1, jobs 2 for files, then
for the JSONL), and each figure is the median of the rounds, so load on the
shared machine hits all of them alike.  Ratios: pipeline throughput / bare
fugashi throughput (= bare seconds / pipeline seconds; targets >= 0.8 on one
core) and the speed-up from ``--jobs 1`` to ``--jobs 2`` (target >= 1.8).

``--small N`` writes N small files (three dev-set lines each, cut in order)
and reports documents per second for ``--jobs 1`` and ``--jobs 2`` (target
>= 500 documents/s for 5,000 files).

``--source`` times the same texts with and without their English source, as
a user runs it: files laid out as pairs (``FOLDER/SYSTEM.ja.txt`` beside
``FOLDER/SYSTEM.en.txt``), ``clean FOLDER --source-suffix .en.txt`` against
``clean FOLDER --include '*.ja.txt'``; and one JSONL with an ``en`` field,
``--source-field en`` against no option.  Ratio: seconds with / without (the
issue's bound is 1.5).  ``benchmarks/bench_bilingual.py --cost-only`` measures
the same in one process, CPU time of the stages only (no start-up, no
reading, no records written).

``--check-against REV_OR_DIR`` runs the same cleans (files and JSONL,
``--jobs 2``) with another tree, a git revision checked out with ``git
worktree add`` into a temporary folder or a folder holding ``pipeline/``, and
compares every output file but ``summary.json``: equal bytes, or, where the
record schema differs, equal after both are read back into rows with
``benchmarks/check_identical.py``'s normaliser (when that file exists).  Exit
status 1 on a difference.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from common import DEV_DATA  # noqa: E402

WMT22_DEV = Path(os.environ.get("WMT22_DEV", DEV_DATA.parent / "wmt22-enja-dev"))


def dev_files() -> list[Path]:
    """The Japanese texts of both dev sets, sorted, or [] when absent."""
    out: list[Path] = []
    for root in (DEV_DATA, WMT22_DEV):
        if root.is_dir():
            out += sorted(root.glob("*/*.ja.txt"))
    return out


def lay_out(files: list[Path], tmp: Path, pairs: bool = False) -> tuple[Path, Path, int]:
    """The texts as a folder of files and as one JSONL corpus under ``tmp``; and their characters.

    ``pairs``: with their English source, a ``SYSTEM.en.txt`` beside each ``SYSTEM.ja.txt`` and an ``en``
    field in the JSONL (texts without an ``en.txt`` are left out).
    """
    folder = tmp / ("pairs" if pairs else "files")
    corpus = tmp / ("pairs.jsonl" if pairs else "corpus.jsonl")
    chars = 0
    with corpus.open("w", encoding="utf-8") as fh:
        for f in files:
            en_file = f.parent / "en.txt"
            if pairs and not en_file.is_file():
                continue
            name = f"{f.parent.parent.name}/{f.parent.name}/{f.name}"
            text = f.read_text(encoding="utf-8")
            chars += len(text)
            dest = folder / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text, encoding="utf-8")
            record = {"id": name, "text": text}
            if pairs:
                record["en"] = english = en_file.read_text(encoding="utf-8")
                dest.with_name(dest.name[: -len(".ja.txt")] + ".en.txt").write_text(english, encoding="utf-8")
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return folder, corpus, chars


PYCACHE = Path(tempfile.gettempdir()) / "bench-e2e-pycache"


def env_for(tree: Path) -> dict[str, str]:
    """The environment of a measured process: ``tree`` on the path, bytecode cached as after ``pip install``.

    With ``PYTHONDONTWRITEBYTECODE`` set (as on the project's machines) every
    start would compile each module again (~0.4 s); a user's installed copy
    has its ``.pyc`` files.  They go to a cache outside the repository.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree)
    env.pop("PYTHONSTARTUP", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE / str(abs(hash(str(tree.resolve())))))
    return env


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its workers); a failure ends the benchmark with its stderr."""
    import resource

    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    # run from the tree itself: ``python -m`` puts the working directory first on sys.path, so a
    # run started elsewhere (in another checkout) would import that checkout's pipeline instead
    proc = subprocess.run(
        cmd, env=env, cwd=env["PYTHONPATH"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    dt = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"bench_e2e: {' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    return dt, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def warm_up(tree: Path, tmp: Path) -> None:
    """One clean of a small file and one bare run, so every module's bytecode is cached before timing."""
    src = tmp / "warm-up.txt"
    src.write_text("東京の会社は新しい計画を発表した。\n", encoding="utf-8")
    env = env_for(tree)
    timed(clean_cmd(src, tmp / "warm-up-out", 1), env)
    timed(bare_cmd(src), env)


def clean_cmd(inp: Path, out: Path, jobs: int, extra: list[str] = ()) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pipeline",
        "clean",
        str(inp),
        "--out-dir",
        str(out),
        "-q",
        "--jobs",
        str(jobs),
        *extra,
    ]


def bare_cmd(inp: Path) -> list[str]:
    return [sys.executable, str(HERE / "common.py"), str(inp)]


def rm_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def median_runs(runs: dict[str, Callable[[], tuple[float, float]]], rounds: int) -> dict[str, tuple[float, float]]:
    """Each run once a round, in order (interleaved), ``rounds`` times; the median (wall, CPU) seconds of each."""
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in runs}
    for r in range(rounds):
        for name, fn in runs.items():
            times[name].append(fn())
            wall, cpu = times[name][-1]
            print(f"  round {r + 1}: {name}: {wall:.2f} s (CPU {cpu:.2f} s)", file=sys.stderr, flush=True)
    return {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in times.items()}


def median_runs_then(
    runs: dict[str, Callable[[], tuple[float, float]]], rounds: int, remove: Callable[[], None] | None
) -> dict[str, tuple[float, float]]:
    """:func:`median_runs`, then ``remove`` (the baseline's temporary worktree), even when a run fails."""
    try:
        return median_runs(runs, rounds)
    finally:
        if remove:
            remove()


def load_note() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} (1 / 5 min) on {os.cpu_count()} cores"


def clean_run(
    inp: Path, out: Path, jobs: int, env: dict[str, str], extra: list[str] = ()
) -> Callable[[], tuple[float, float]]:
    def run() -> tuple[float, float]:
        rm_tree(out)  # every run writes every file: no --resume, no leftovers
        return timed(clean_cmd(inp, out, jobs, extra), env)

    return run


def trees_to_time(args, tmp: Path) -> tuple[list[tuple[str, Path]], Callable[[], None] | None]:
    """(label, tree) pairs to time: this checkout, and ``--baseline``'s tree (with how to remove it)."""
    trees = [("", ROOT)]
    if not args.baseline:
        return trees, None
    other, remove = other_tree(args.baseline, tmp)
    return [*trees, (f"{args.baseline}: ", other)], remove


def main_throughput(args, tmp: Path, files: list[Path]) -> None:
    folder, corpus, chars = lay_out(files, tmp)
    layouts = {"files": folder, "jsonl": corpus}
    trees, remove = trees_to_time(args, tmp)
    env = env_for(ROOT)
    runs: dict[str, Callable[[], tuple[float, float]]] = {}
    for _, tree in trees:
        warm_up(tree, tmp)
    for layout in args.layout:
        inp = layouts[layout]
        runs[f"{layout} bare fugashi"] = lambda inp=inp: timed(bare_cmd(inp), env)
        for label, tree in trees:
            for j in args.jobs:
                out = tmp / f"out-{layout}-{j}-{len(label)}"
                runs[f"{layout} {label}clean --jobs {j}"] = clean_run(inp, out, j, env_for(tree), args.extra)
    print(f"# end to end: {len(files):,} dev texts, {chars:,} characters; median of {args.rounds} interleaved rounds\n")
    before = load_note()
    med = median_runs_then(runs, args.rounds, remove)
    print("| layout | run | wall s | chars/s | x bare fugashi | CPU s | x bare (CPU) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for layout in args.layout:
        bare, bare_cpu = med[f"{layout} bare fugashi"]
        print(f"| {layout} | bare fugashi | {bare:.2f} | {chars / bare:,.0f} | 1.00 | {bare_cpu:.2f} | 1.00 |")
        for label, _ in trees:
            for j in args.jobs:
                t, cpu = med[f"{layout} {label}clean --jobs {j}"]
                print(
                    f"| {layout} | {label}clean --jobs {j} | {t:.2f} | {chars / t:,.0f} | {bare / t:.2f} "
                    f"| {cpu:.2f} | {bare_cpu / cpu:.2f} |"
                )
    if 1 in args.jobs and 2 in args.jobs:
        print()
        for layout in args.layout:
            for label, _ in trees:
                (w1, c1), (w2, c2) = (med[f"{layout} {label}clean --jobs {j}"] for j in (1, 2))
                print(
                    f"{layout}: {label}--jobs 2 speed-up over --jobs 1: {w1 / w2:.2f}x "
                    f"(with two idle cores at most {c1 / (c2 / 2):.2f}x: CPU of 1 job / half the CPU of 2)"
                )
    print(f"\n{before} before, {load_note()} after (other load makes wall times and the speed-up worse)")


def small_texts(files: list[Path], n: int) -> list[str]:
    """``n`` small documents of three lines each, cut in order from the dev texts (made-up text when absent)."""
    lines = [ln.strip() for f in files for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
    if not lines:
        lines = [f"会社{i}は新しい計画を発表した。担当者は「来年には完成する」と述べた。" for i in range(300)]
    return ["\n".join(lines[(3 * i) % max(1, len(lines) - 3) :][:3]) + "\n" for i in range(n)]


def main_small(args, tmp: Path, files: list[Path]) -> None:
    src = tmp / "small"
    src.mkdir()
    for i, text in enumerate(small_texts(files, args.small)):
        (src / f"{i:05d}.txt").write_text(text, encoding="utf-8")
    env = env_for(ROOT)
    trees, remove = trees_to_time(args, tmp)
    runs: dict[str, Callable[[], tuple[float, float]]] = {"bare fugashi": lambda: timed(bare_cmd(src), env)}
    for label, tree in trees:
        warm_up(tree, tmp)
        for j in args.jobs:
            out = tmp / f"small-out-{j}-{len(label)}"
            runs[f"{label}clean --jobs {j}"] = clean_run(src, out, j, env_for(tree), args.extra)
    print(f"# {args.small:,} small files (three dev-set lines each); median of {args.rounds} interleaved rounds\n")
    before = load_note()
    med = median_runs_then(runs, args.rounds, remove)
    print("| run | wall s | documents/s | CPU s |")
    print("|---|---:|---:|---:|")
    for name, (t, cpu) in med.items():
        print(f"| {name} | {t:.2f} | {args.small / t:,.0f} | {cpu:.2f} |")
    print(f"\n{before} before, {load_note()} after")


def main_source(args, tmp: Path, files: list[Path]) -> None:
    """Each layout with and without the English source, interleaved: seconds with / without."""
    folder, corpus, chars = lay_out(files, tmp, pairs=True)
    without = {"files": ["--include", "*.ja.txt"], "jsonl": []}
    with_ = {"files": ["--source-suffix", ".en.txt"], "jsonl": ["--source-field", "en"]}
    layouts = {"files": folder, "jsonl": corpus}
    env = env_for(ROOT)
    warm_up(ROOT, tmp)
    runs: dict[str, Callable[[], tuple[float, float]]] = {}
    for layout in args.layout:
        for j in args.jobs:
            for label, extra in (("without", without[layout]), ("with", with_[layout])):
                out = tmp / f"source-out-{layout}-{j}-{label}"
                runs[f"{layout} --jobs {j} {label}"] = clean_run(layouts[layout], out, j, env, [*extra, *args.extra])
    n = sum(1 for _ in folder.rglob("*.ja.txt"))
    print(f"# the English source, end to end: {n:,} dev texts, {chars:,} characters; median of {args.rounds} rounds\n")
    before = load_note()
    med = median_runs(runs, args.rounds)
    print("| layout | jobs | without: wall s | with: wall s | with / without (wall) | with / without (CPU) |")
    print("|---|---:|---:|---:|---:|---:|")
    for layout in args.layout:
        for j in args.jobs:
            (w0, c0), (w1, c1) = (med[f"{layout} --jobs {j} {label}"] for label in ("without", "with"))
            print(f"| {layout} | {j} | {w0:.2f} | {w1:.2f} | {w1 / w0:.2f} | {c1 / c0:.2f} |")
    print(f"\n{before} before, {load_note()} after")


def main_breakdown(args, tmp: Path, files: list[Path]) -> None:
    """Where the time of ``clean INPUT --out-dir OUT`` goes, from its ``summary.json`` (no profiler overhead).

    Per stage (the pipeline's own timers), building the records, writing the
    outputs, start-up (``clean`` of an empty file), and the rest (reading and
    decoding inputs, loading the tagger, the parent's bookkeeping), each in
    seconds and as a multiple of the tokenise stage's time.  With 2 jobs,
    stage and record seconds are summed over the workers.  With
    ``--baseline``, that tree's runs are interleaved with this checkout's
    (round by round) and each tree gets its table.
    """
    folder, corpus, chars = lay_out(files, tmp)
    empty = tmp / "empty.txt"
    empty.write_text("", encoding="utf-8")
    trees, remove = trees_to_time(args, tmp)
    try:
        envs = {label: env_for(tree) for label, tree in trees}
        for _, tree in trees:
            warm_up(tree, tmp)
        startup = {
            label: statistics.median(timed(clean_cmd(empty, tmp / "empty-out", 1), envs[label])[0] for _ in range(5))
            for label, _ in trees
        }
        print(f"# breakdown: {len(files):,} dev texts, {chars:,} characters; the median of {args.rounds} runs each\n")
        for label, _ in trees:
            print(f"{label or 'this checkout: '}start-up (clean of an empty file, --out-dir): {startup[label]:.2f} s")
        print()
        for layout, inp in (("files", folder), ("jsonl", corpus)):
            if layout not in args.layout:
                continue
            bare = statistics.median(timed(bare_cmd(inp), envs[""])[0] for _ in range(args.rounds))
            for j in args.jobs:
                runs: dict[str, list] = {label: [] for label, _ in trees}
                for _ in range(args.rounds):
                    for label, _ in trees:  # interleaved: load on the shared machine hits every tree alike
                        out = tmp / f"breakdown-{layout}-{j}-{len(label)}"
                        wall, cpu = clean_run(inp, out, j, envs[label], args.extra)()
                        runs[label].append((wall, cpu, json.loads((out / "summary.json").read_text(encoding="utf-8"))))
                for label, _ in trees:
                    _breakdown_table(label, layout, j, runs[label], bare, startup[label])
    finally:
        if remove is not None:
            remove()
    print(load_note())


def _breakdown_table(label: str, layout: str, j: int, runs: list, bare: float, startup: float) -> None:
    """One tree's breakdown table: its median run (by wall time) of one layout and --jobs value."""
    wall, cpu, summary = sorted(runs, key=lambda r: r[0])[len(runs) // 2]
    stages = summary["stage_seconds"]
    other = summary.get("batch_seconds", {})
    tok = stages.get("tokenise", 0.0) or 1e-9
    rows = [(f"stage {k}", v) for k, v in stages.items()]
    rows += [(k if k != "record" else "record (build + JSON)", v) for k, v in other.items()]
    accounted = sum(v for _, v in rows)
    print(f"## {label}{layout}, --jobs {j}: wall {wall:.2f} s, CPU {cpu:.2f} s; bare fugashi {bare:.2f} s\n")
    print("| part | seconds | x tokenise | x bare fugashi |")
    print("|---|---:|---:|---:|")
    for name, v in rows:
        print(f"| {name} | {v:.2f} | {v / tok:.2f} | {v / bare:.2f} |")
    print(f"| start-up (empty file) | {startup:.2f} | {startup / tok:.2f} | {startup / bare:.2f} |")
    if j == 1:
        rest = wall - accounted - startup
        print(f"| rest: read, decode, tagger, parent | {rest:.2f} | {rest / tok:.2f} | {rest / bare:.2f} |")
    else:
        print(f"| (workers' sum / ({j} x wall)) | {accounted / (j * wall):.0%} | | |")
    print(f"| **wall** | {wall:.2f} | {wall / tok:.2f} | {wall / bare:.2f} |")
    parent = summary.get("parent_cpu_seconds")
    if parent is not None:
        print(f"\nthe parent's own CPU time: {parent:.2f} s (of the process tree's {cpu:.2f} s)")
    print()


def main_startup(args, tmp: Path) -> None:
    """Start-up: ``clean`` of an empty file against ``python -c pass`` and importing fugashi (and another tree)."""
    empty = tmp / "empty.txt"
    empty.write_text("", encoding="utf-8")
    trees = [("this tree", ROOT)]
    remove = None
    if args.check_against:
        other, remove = other_tree(args.check_against, tmp)
        trees.append((args.check_against, other))
    env = env_for(ROOT)
    py = sys.executable
    runs: dict[str, Callable[[], tuple[float, float]]] = {
        "python -c pass": lambda: timed([py, "-c", "pass"], env),
        "python -c 'import fugashi'": lambda: timed([py, "-c", "import fugashi"], env),
        "python -c 'import fugashi; fugashi.Tagger()'": lambda: timed(
            [py, "-c", "import fugashi; fugashi.Tagger()"], env
        ),
    }
    for label, tree in trees:
        warm_up(tree, tmp)
        runs[f"{label}: clean empty.txt"] = lambda tree=tree: timed(
            [py, "-m", "pipeline", "clean", str(empty)], env_for(tree)
        )
        runs[f"{label}: clean empty.txt --out-dir OUT"] = lambda tree=tree: timed(
            clean_cmd(empty, tmp / "startup-out", 1), env_for(tree)
        )
    before = load_note()
    med = median_runs_then(runs, args.rounds, remove)
    print(f"# start-up: median of {args.rounds} interleaved rounds\n")
    print("| command | wall s | CPU s |")
    print("|---|---:|---:|")
    for name, (t, cpu) in med.items():
        print(f"| {name} | {t:.3f} | {cpu:.3f} |")
    print(f"\n{before} before, {load_note()} after")


# -- --check-against ------------------------------------------------------------------


def other_tree(spec: str, tmp: Path) -> tuple[Path, Callable[[], None]]:
    """A tree to run: a folder holding ``pipeline/``, or a git rev checked out into a temporary worktree."""
    p = Path(spec)
    if (p / "pipeline").is_dir():
        return p.resolve(), lambda: None
    dest = tmp / "other-tree"
    proc = subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(dest), spec],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        sys.exit(f"bench_e2e: --check-against {spec}: not a folder with pipeline/ nor a git rev: {proc.stderr.strip()}")

    def remove() -> None:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(dest)], capture_output=True)

    return dest, remove


def _normaliser() -> Callable[[dict], object] | None:
    """``benchmarks/check_identical.py``'s record normaliser, when that file exists."""
    try:
        import check_identical  # type: ignore[import-not-found]
    except ImportError:
        return None
    for name in ("normal_record", "normalise_record", "normalize_record"):
        fn = getattr(check_identical, name, None)
        if callable(fn):
            return fn
    return None


def _records(path: Path) -> list[dict]:
    import gzip

    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def compare_outputs(a: Path, b: Path) -> list[str]:
    """Differences between two output folders (every file but summary.json): [] when the same."""

    def listing(root: Path) -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name != "summary.json"}

    la, lb = listing(a), listing(b)
    problems = [f"only in {a}: {n}" for n in sorted(la - lb)] + [f"only in {b}: {n}" for n in sorted(lb - la)]
    norm = _normaliser()
    for name in sorted(la & lb):
        x, y = (a / name).read_bytes(), (b / name).read_bytes()
        if x == y:
            continue
        if ".ann.jsonl" in name and norm is not None:
            if [norm(r) for r in _records(a / name)] == [norm(r) for r in _records(b / name)]:
                continue
            problems.append(f"{name}: records differ after normalising")
        else:
            problems.append(f"{name}: bytes differ" + ("" if norm else " (no check_identical.py normaliser)"))
    return problems


def main_check(args, tmp: Path, files: list[Path]) -> int:
    folder, corpus, chars = lay_out(files, tmp)
    tree, remove = other_tree(args.check_against, tmp)
    bad = 0
    try:
        for layout, inp in (("files", folder), ("jsonl", corpus)):
            outs = []
            for label, root in (("this tree", ROOT), (args.check_against, tree)):
                out = tmp / f"check-{layout}-{len(outs)}"
                t, _ = timed(clean_cmd(inp, out, 2, args.extra), env_for(root))
                print(f"{layout}: {label}: {t:.2f} s", file=sys.stderr)
                outs.append(out)
            problems = compare_outputs(*outs)
            n = sum(1 for p in outs[0].rglob("*") if p.is_file())
            if problems:
                bad += 1
                print(f"{layout}: {len(problems)} differences, e.g.:")
                for p in problems[:20]:
                    print(f"  {p}")
            else:
                print(f"{layout}: {n:,} output files the same as {args.check_against}'s ({chars:,} characters in)")
    finally:
        remove()
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the median is reported (default 3)")
    ap.add_argument("--jobs", type=int, action="append", help="--jobs values (repeatable; default 1 and 2)")
    ap.add_argument("--layout", action="append", choices=["files", "jsonl"], help="default: both")
    ap.add_argument("--small", type=int, default=0, metavar="N", help="N small files instead: documents/s")
    ap.add_argument("--check-against", metavar="REV_OR_DIR", help="compare outputs with another git rev or tree")
    ap.add_argument(
        "--baseline", metavar="REV_OR_DIR", help="also time another git rev or tree, interleaved (before/after)"
    )
    ap.add_argument("--breakdown", action="store_true", help="where the time goes: per stage, record, writes, start-up")
    ap.add_argument(
        "--startup", action="store_true", help="start-up of clean on an empty file (and of --check-against's tree)"
    )
    ap.add_argument("--source", action="store_true", help="with and without the English source: the cost ratio")
    ap.add_argument("--extra", action="append", default=[], metavar="ARG", help="one more argument for clean")
    args = ap.parse_args()
    args.jobs = args.jobs or [1, 2]
    args.layout = args.layout or ["files", "jsonl"]
    if args.startup:
        with tempfile.TemporaryDirectory(prefix="bench-e2e-") as d:
            main_startup(args, Path(d))
        return 0
    files = dev_files()
    if not files:
        print(f"note: no dev texts under {DEV_DATA} or {WMT22_DEV}; nothing measured", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as d:
        tmp = Path(d)
        if args.check_against:
            return main_check(args, tmp, files)
        if args.source:
            main_source(args, tmp, files)
        elif args.breakdown:
            main_breakdown(args, tmp, files)
        elif args.small:
            main_small(args, tmp, files)
        else:
            main_throughput(args, tmp, files)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

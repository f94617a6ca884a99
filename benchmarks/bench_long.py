"""Time and peak memory of one long single-line document of real text, as a user runs it (issue 16, item 19).

    python benchmarks/bench_long.py                          # 250k, 500k and 1M characters
    python benchmarks/bench_long.py --sizes 100000,200000 --repeat 3
    python benchmarks/bench_long.py --data /path/to/shared/data

The Japanese texts of both dev sets (``DATA/wmt21-enja-dev/*/*.ja.txt`` and
``DATA/wmt22-enja-dev/*/*.ja.txt``: references and every system) are joined
into ONE line, line breaks removed, and prefixes of each size are written to
a temporary folder (never into the repository).  Each prefix is cleaned in a
fresh process with

    python -m pipeline clean line.txt --out-dir OUT -j 1 --max-chars 0 --quiet

so the annotation record is built and written, as ``clean --out-dir`` does.
The table gives wall seconds (best of ``--repeat``), peak RSS of the child
(``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``), microseconds per
character (constant when time is linear) and bytes per character above the
peak of a one-sentence document (interpreter, tagger, tables).

The dev sets hold 978,041 distinct characters, so sizes above that are cut
to it, unless ``--copies K`` joins K copies of the dev text, each copy's
sentences (split after 。) in another fixed shuffled order: the text then
repeats, so dedup has more to do than on fresh text, but sizes of several
million characters can be measured.  Without the data the benchmark prints a
note and stops.

    python benchmarks/bench_long.py --copies 5 --sizes 1000000,2000000,4000000
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path(os.environ.get("MTJA_DEV_DATA", ROOT.parent / "shared" / "data"))


def long_line(data: Path) -> str:
    """The Japanese texts of both dev sets, joined into one line without line breaks."""
    parts: list[str] = []
    for name in ("wmt21-enja-dev", "wmt22-enja-dev"):
        for f in sorted((data / name).glob("*/*.ja.txt")):
            parts += [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return "".join(parts)


def shuffled_copies(line: str, copies: int) -> str:
    """``copies`` copies of ``line``, the sentences of each in another order (seed 5)."""
    sentences = re.findall(r"[^。]*。|[^。]+$", line)
    rnd = random.Random(5)
    out: list[str] = []
    for _ in range(copies):
        order = sentences[:]
        rnd.shuffle(order)
        out += order
    return "".join(out)


def run_clean(src: Path, out: Path) -> tuple[float, int]:
    """One ``clean`` in a fresh process: (wall seconds, peak RSS of the child in bytes)."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter(); rc = subprocess.run(sys.argv[1:]).returncode; dt = time.perf_counter() - t\n"
        "print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)\n"
    )
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-c", probe, sys.executable, "-m", "pipeline", "clean", str(src)]
    cmd += ["--out-dir", str(out), "-j", "1", "--max-chars", "0", "--quiet"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, check=True)
    dt, rss, rc = res.stdout.split()
    if int(rc) != 0:
        raise SystemExit(f"clean failed ({rc}) on {src}")
    return float(dt), int(rss) * 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"folder of the dev sets (default {DEFAULT_DATA})")
    ap.add_argument("--sizes", default="250000,500000,1000000", help="characters of each prefix, comma-separated")
    ap.add_argument("--repeat", type=int, default=1, help="runs per size; the fastest counts (default 1)")
    ap.add_argument("--copies", type=int, default=0, help="join K shuffled copies of the dev text (sizes above 1M)")
    args = ap.parse_args()
    line = long_line(args.data)
    if not line:
        print(f"note: no dev texts under {args.data}; nothing measured (--data names the folder)")
        return
    if args.copies > 0:
        line = shuffled_copies(line, args.copies)
    sizes = sorted({min(int(s), len(line)) for s in args.sizes.split(",")})
    print(f"# bench_long: one line of {len(line):,} characters from {args.data}; python {sys.version.split()[0]}")
    print("# command: python -m pipeline clean LINE.txt --out-dir OUT -j 1 --max-chars 0 --quiet\n")
    with tempfile.TemporaryDirectory(prefix="bench-long-") as tmp:
        small = Path(tmp, "small.txt")
        small.write_text(line[:200] + "\n", encoding="utf-8")
        _, base = run_clean(small, Path(tmp, "out"))
        print(f"baseline peak RSS (200 characters): {base / 2**20:,.0f} MiB\n")
        print("| characters | seconds | µs per character | peak RSS | bytes per character above baseline |")
        print("|---:|---:|---:|---:|---:|")
        for n in sizes:
            src = Path(tmp, "line.txt")
            src.write_text(line[:n] + "\n", encoding="utf-8")
            runs = [run_clean(src, Path(tmp, "out")) for _ in range(max(1, args.repeat))]
            dt = min(r[0] for r in runs)
            rss = max(r[1] for r in runs)
            print(
                f"| {n:,} | {dt:.2f} | {dt / n * 1e6:.2f} | {rss / 2**20:,.0f} MiB | {max(0, rss - base) / n:,.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()

"""Check that the aligner's output is unchanged: dump every dev text's beads, or compare with a dump.

    python benchmarks/check_align_identical.py --dump /tmp/beads.jsonl           # before a change
    python benchmarks/check_align_identical.py --check-against /tmp/beads.jsonl  # after it

Items, for every Japanese text of WMT21 + WMT22 dev (``en.txt`` against each
``*.ja.txt``; data as in ``bench_align.py``, never copied into the repository):

* ``align_sentences`` on the gold units and on the project's own split, clean
  and noisy (``bench_align.build_cases``: the noisy copies exercise the band
  widening and the second ratio try);
* the bilingual stage's beads: ``clean_text(ja, english=en).annotations["alignment"]``
  (skipped with ``--no-stage``).

Scores and costs are stored as ``float.hex`` so the comparison is bit for
bit; a mismatch reports the largest score difference too.  Exit 1 on any
difference.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))

from bench_align import DATA, build_cases, load_texts  # noqa: E402

from pipeline.align.aligner import align_with_ratio  # noqa: E402


def items(stage: bool, limit: int) -> list[tuple[str, object]]:
    """(key, result) of every item, in a fixed order."""
    texts = []
    for corpus in ("wmt21", "wmt22"):
        if DATA[corpus].is_dir():
            texts.extend(load_texts(corpus, DATA[corpus]))
    if limit:
        texts = texts[:limit]
    out: list[tuple[str, object]] = []
    for c in build_cases(texts, ["gold", "split"], 13):
        beads, ratio = align_with_ratio([s for s, _ in c.en], [s for s, _ in c.ja])
        key = f"{c.text.corpus}/{c.text.doc}/{c.text.system}/{c.units}/{c.condition}"
        out.append((key, [ratio.hex(), [[list(b.en), list(b.ja), b.score.hex(), b.cost.hex()] for b in beads]]))
    if stage:
        from pipeline.run import clean_text

        for t in texts:
            folder = DATA[t.corpus] / t.doc
            en = (folder / "en.txt").read_text(encoding="utf-8")
            ja = (folder / f"{t.system}.ja.txt").read_text(encoding="utf-8")
            beads = clean_text(ja, english=en).annotations.get("alignment", {}).get("beads", [])
            out.append((f"{t.corpus}/{t.doc}/{t.system}/stage", beads))
    return out


def score_gap(a: object, b: object) -> float:
    """Largest difference between the hex-coded scores of two aligner items of equal beads (inf otherwise)."""
    try:
        (_, x), (_, y) = a, b  # type: ignore[misc]
        if [(p[0], p[1]) for p in x] != [(q[0], q[1]) for q in y]:
            return float("inf")
        return max(
            (abs(float.fromhex(p[k]) - float.fromhex(q[k])) for p, q in zip(x, y, strict=True) for k in (2, 3)),
            default=0.0,
        )
    except (TypeError, ValueError):
        return float("inf")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--dump", metavar="FILE")
    g.add_argument("--check-against", metavar="FILE")
    ap.add_argument("--no-stage", action="store_true", help="leave the bilingual stage's beads out")
    ap.add_argument(
        "--limit",
        type=int,
        default=0,
        help="only the first N texts (the noisy copies take their junk from the texts loaded: compare only with a"
        " dump made with the same --limit)",
    )
    args = ap.parse_args()
    t0 = time.perf_counter()
    got = items(not args.no_stage, args.limit)
    took = time.perf_counter() - t0
    if not got:
        print("no dev data; nothing checked")
        return 0
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            for key, value in got:
                f.write(json.dumps({"key": key, "value": value}, ensure_ascii=False) + "\n")
        print(f"dumped {len(got)} items to {args.dump} ({took:.0f} s)")
        return 0
    want = {}
    for line in Path(args.check_against).read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        want[rec["key"]] = rec["value"]
    bad = 0
    worst = 0.0
    for key, value in got:
        value = json.loads(json.dumps(value))  # tuples -> lists, as in the dump
        if key not in want:
            print(f"not in the dump: {key}")
            bad += 1
        elif value != want[key]:
            gap = score_gap(value, want[key])
            worst = max(worst, gap)
            if bad < 20:
                print(f"differs: {key} (largest score/cost difference {gap:.3g})")
            bad += 1
    print(
        f"checked {len(got)} items against {len(want)}: {bad} differ"
        + (f", largest score/cost difference {worst:.3g}" if bad else " (bit-identical)")
        + f" ({took:.0f} s)"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())

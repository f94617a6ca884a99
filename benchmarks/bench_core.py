"""Core costs: segmentation, tokenisation and the document model against bare fugashi.

    python benchmarks/bench_core.py            # dev set (or generated text)
    python benchmarks/bench_core.py --long     # also: one long line, 1/2/4/8 MB (linear time)
    python benchmarks/bench_core.py --dump FILE            # write every document's record (no timings)
    python benchmarks/bench_core.py --check-against FILE   # compare with such a dump; exit 1 on a difference

Reports characters per second and the ratio to bare fugashi tokenisation of the
same text in the same run (machines here are shared: ratios hold, seconds wobble).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from common import bare_tokenise, best_of, dev_texts, parse_only

from pipeline.document import Document
from pipeline.io.annotations import document_record
from pipeline.run import clean_text, clean_texts
from pipeline.stages.segment import segment_document
from pipeline.stages.tokenise import get_tagger, tokenise_document


def generated_texts(n: int = 200) -> list[str]:
    base = "東京の会社は新しい計画を発表した。担当者は「来年には完成する」と述べた。DeepAIのCEOも出席した。\n"
    return [base * 20 for _ in range(n)]


def segment_and_tokenise(texts: list[str]) -> None:
    for t in texts:
        doc = Document(t)
        segment_document(doc)
        tokenise_document(doc)


def whole_pipeline(texts: list[str]) -> None:
    for t in texts:
        clean_text(t)


def whole_pipeline_grouped(texts: list[str]) -> None:
    for _ in clean_texts(texts, group=8):
        pass


def record_lines(texts: list[str], group: int = 0) -> list[str]:
    """One JSON line per text: its whole annotation record, with the timings taken out of ``stats``.

    ``group``: clean that many documents a stage pass (clean_texts) instead of one at a time.
    """
    out = []
    docs = clean_texts(texts, group=group) if group else map(clean_text, texts)
    for doc in docs:
        rec = document_record(doc)
        rec["stats"] = {k: {c: n for c, n in v.items() if c != "seconds"} for k, v in rec["stats"].items()}
        out.append(json.dumps(rec, sort_keys=True, ensure_ascii=False))
    return out


def check_records(texts: list[str], path: str) -> int:
    """Compare each text's record with the dump at ``path``; the number of differing records."""
    with open(path, encoding="utf-8") as f:
        ref = f.read().splitlines()
    bad = _compare_records(path, ref, record_lines(texts))
    print("and cleaning 8 documents a stage pass (clean_texts):")
    return bad + _compare_records(path, ref, record_lines(texts, group=8))


def _compare_records(path: str, ref: list[str], got: list[str]) -> int:
    if len(ref) != len(got):
        print(f"{path}: {len(ref)} records, now {len(got)}")
        return max(1, abs(len(ref) - len(got)))
    bad = [i for i, (a, b) in enumerate(zip(ref, got, strict=True)) if a != b]
    for i in bad[:5]:
        a, b = json.loads(ref[i]), json.loads(got[i])
        keys = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        print(f"record {i}: differs in {keys}")
    print(f"{len(got) - len(bad)} of {len(got)} records identical to {path}")
    return len(bad)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--long", action="store_true", help="time one long line of 1.25, 2.5, 5 and 10 MB (UTF-8)")
    ap.add_argument("--repeat", type=int, default=5, help="rounds (default 5)")
    ap.add_argument("--dump", metavar="FILE", help="write each text's annotation record (minus timings) and stop")
    ap.add_argument("--check-against", metavar="FILE", help="compare the records with a --dump file and stop")
    args = ap.parse_args()
    texts = [t for _, t in dev_texts()] or generated_texts()
    if args.dump:
        lines = record_lines(texts)
        with open(args.dump, "w", encoding="utf-8") as f:
            f.write("".join(line + "\n" for line in lines))
        print(f"{len(lines)} records written to {args.dump}")
        return
    if args.check_against:
        sys.exit(1 if check_records(texts, args.check_against) else 0)
    chars = sum(len(t) for t in texts)
    get_tagger()
    steps = [
        ("fugashi parse() only", parse_only),
        ("segment + tokenise", segment_and_tokenise),
        ("whole pipeline (clean_text)", whole_pipeline),
        ("whole, 8 docs a stage pass", whole_pipeline_grouped),
    ]
    # Each round times bare fugashi right before each step, so both see the
    # same machine load; the ratio reported is the median over the rounds.
    ratios: dict[str, list[float]] = {name: [] for name, _ in steps}
    speeds: dict[str, list[float]] = {name: [] for name, _ in steps + [("bare fugashi", None)]}
    for _ in range(args.repeat):
        for name, fn in steps:
            base = best_of(lambda: bare_tokenise(texts), 1)
            t = best_of(lambda fn=fn: fn(texts), 1)
            ratios[name].append(base / t)
            speeds[name].append(chars / t)
            speeds["bare fugashi"].append(chars / base)
    print(f"texts: {len(texts)}, characters: {chars:,}, rounds: {args.repeat}")
    print(f"{'step':28} {'chars/s (median)':>17} {'ratio to bare fugashi (median)':>31}")
    print(f"{'bare fugashi':28} {statistics.median(speeds['bare fugashi']):17,.0f} {1.0:31.2f}")
    for name, _ in steps:
        print(f"{name:28} {statistics.median(speeds[name]):17,.0f} {statistics.median(ratios[name]):31.2f}")
    if args.long:
        print("\none long line (no sentence end), whole pipeline:")
        unit = "長い行にはDeepAIのような英字や数字123も混ざる、そして句点がない"
        for mb in (1.25, 2.5, 5, 10):
            nbytes = int(mb * 1_000_000)
            line = (unit * (nbytes // len(unit.encode()) + 1))[: nbytes // 3]
            t0 = time.perf_counter()
            clean_text(line)
            dt = time.perf_counter() - t0
            print(f"  {mb:5} MB, {len(line):>10,} chars: {dt:7.2f} s  ({len(line) / dt:,.0f} chars/s)")


if __name__ == "__main__":
    main()

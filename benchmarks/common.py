"""Shared helpers for the benchmark scripts: dev data, timing, bare-fugashi baseline."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path


def _shared_data() -> Path:
    """``shared/data`` beside the repository, or beside a folder above it (a worktree in ``wt/NAME``)."""
    here = Path(__file__).resolve()
    for up in here.parents[1:]:
        if (up / "shared" / "data").is_dir():
            return up / "shared" / "data"
    return here.parents[2] / "shared" / "data"


DEV_DATA = Path(os.environ.get("WMT21_DEV", _shared_data() / "wmt21-enja-dev"))


def dev_texts() -> list[tuple[str, str]]:
    """(name, text) of the 320 Japanese texts of the dev set, or [] with a message."""
    if not DEV_DATA.is_dir():
        print(f"note: {DEV_DATA} is absent; using generated text", file=sys.stderr)
        return []
    out = []
    for folder in sorted(p for p in DEV_DATA.iterdir() if p.is_dir()):
        for f in sorted(folder.glob("*.ja.txt")):
            out.append((f"{folder.name}/{f.name}", f.read_text(encoding="utf-8")))
    return out


def best_of(fn: Callable[[], object], repeat: int = 3, clock: Callable[[], float] = time.perf_counter) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by other load).

    ``clock=time.process_time`` counts this process's CPU time only.
    """
    best = float("inf")
    for _ in range(repeat):
        t0 = clock()
        fn()
        best = min(best, clock() - t0)
    return best


def print_recall(found: dict[str, int], total: dict[str, int], verb: str, width: int) -> None:
    """A line per kind of injection (in ``found``'s order) and one for all: injected, ``verb`` (found, removed), recall.

    >>> print_recall({"exact": 3, "near": 0}, {"exact": 4, "near": 0}, "found", 6)
    exact  injected     4  found     3  recall 0.750
    near   injected     0  found     0  recall 0.000
    all    injected     4  found     3  recall 0.750
    """
    rows = [*((kind, total[kind], found[kind]) for kind in found), ("all", sum(total.values()), sum(found.values()))]
    for kind, injected, hit in rows:
        print(f"{kind:{width}} injected {injected:5}  {verb} {hit:5}  recall {hit / max(1, injected):.3f}")


def bare_tokenise(texts: list[str]) -> None:
    """Bare fugashi tokenisation, as its README shows it: each line, each token's surface and features.

    This is the baseline every benchmark's ratio refers to.
    """
    from pipeline.stages.tokenise import get_tagger

    tagger = get_tagger()
    for text in texts:
        for line in text.split("\n"):
            for node in tagger(line):
                node.surface  # noqa: B018 - touch the node like a real consumer
                node.feature  # noqa: B018


def parse_only(texts: list[str]) -> None:
    """The absolute floor: MeCab's string output, no Python objects per token."""
    from pipeline.stages.tokenise import get_tagger

    tagger = get_tagger()
    for text in texts:
        for line in text.split("\n"):
            tagger.parse(line)


def read_inputs(paths: list[str]) -> list[str]:
    """The texts a ``clean`` run over ``paths`` would read: ``*.txt`` under folders (sorted), files, JSONL ``text``."""
    import json

    texts: list[str] = []
    for p in map(Path, paths):
        if p.is_dir():
            texts += [f.read_text(encoding="utf-8") for f in sorted(p.rglob("*.txt"))]
        elif p.suffix == ".jsonl":
            with p.open(encoding="utf-8") as fh:
                texts += [json.loads(line)["text"] for line in fh if line.strip()]
        else:
            texts.append(p.read_text(encoding="utf-8"))
    return texts


if __name__ == "__main__":
    # python benchmarks/common.py PATH...: bare fugashi over the texts a `clean` run would read, as a
    # process of its own (interpreter start, imports and reading included): the end-to-end baseline
    # of benchmarks/bench_e2e.py
    bare_tokenise(read_inputs(sys.argv[1:]))

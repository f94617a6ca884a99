"""The doctests of benchmarks/bench_align.py (the noise layouts), which pytest's testpaths do not collect."""

from __future__ import annotations

import doctest
import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def test_bench_align_doctests() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location("bench_align_doctests", BENCH / "bench_align.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up while being made
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    try:
        result = doctest.testmod(module)
    finally:
        sys.modules.pop("bench_align_doctests", None)
    assert result.attempted > 0 and result.failed == 0, result

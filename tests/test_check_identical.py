"""The refactor check (benchmarks/check_identical.py) tells a re-laid record from a changed one."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

SPEC = importlib.util.spec_from_file_location(
    "check_identical", Path(__file__).resolve().parents[1] / "benchmarks" / "check_identical.py"
)
check = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(check)

ROWS = [{"surface": "雨", "pos": "NOUN", "start": 0, "end": 1}, {"surface": "だ", "pos": "AUX", "start": 1, "end": 2}]
SCHEMA_1 = {
    "schema": 1,
    "text": "雨だ",
    "sentences": [{"index": 0, "text": "雨だ", "tokens": ROWS}],
    "stats": {"tokenise": {"tokens": 2, "seconds": 0.01}},
}
SCHEMA_2 = {
    "schema": 2,
    "text": "雨だ",
    "sentences": [
        {
            "index": 0,
            "text": "雨だ",
            "tokens": {"surface": ["雨", "だ"], "pos": ["NOUN", "AUX"], "start": [0, 1], "end": [1, 2]},
        }
    ],
    "removed_sentences": [{"index": 1, "text": "雨だ"}],
    "stats": {"tokenise": {"tokens": 2, "seconds": 0.02}},
}


def changed(**token_change: object) -> dict:
    rec = json.loads(json.dumps(SCHEMA_1))
    rec["sentences"][0]["tokens"][1].update(token_change)
    return rec


def write_out(folder: Path, rec: dict, summary: dict) -> None:
    folder.mkdir()
    (folder / "a.ann.jsonl").write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "a.clean.txt").write_text(rec["text"], encoding="utf-8")
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")


@pytest.mark.parametrize(
    ("head", "summary", "same"),
    [
        # the same facts in schema 2 (columns, removed sentences, new timings): identical
        (SCHEMA_2, {"documents": 1, "wall_seconds": 9.0}, True),
        # one token's part of speech changed: a difference
        (changed(pos="NOUN"), {"documents": 1, "wall_seconds": 0.1}, False),
        # a token's span moved: a difference
        (changed(start=0), {"documents": 1, "wall_seconds": 0.1}, False),
        # same record, but the summary counts another document: a difference
        (SCHEMA_1, {"documents": 2, "wall_seconds": 0.1}, False),
    ],
)
def test_compare_outputs(tmp_path: Path, head: dict, summary: dict, same: bool) -> None:
    write_out(tmp_path / "base", SCHEMA_1, {"documents": 1, "wall_seconds": 0.1})
    write_out(tmp_path / "head", head, summary)
    n, diffs = check.compare_outputs(tmp_path / "base", tmp_path / "head")
    assert n == 3
    assert (diffs == []) is same, diffs


def test_removed_sentences_compared_between_schema_2_records(tmp_path: Path) -> None:
    # both records carry removed_sentences: a sentence removed in one run and kept in the other is a difference
    other = json.loads(json.dumps(SCHEMA_2))
    other["removed_sentences"] = []
    write_out(tmp_path / "base", SCHEMA_2, {"documents": 1})
    write_out(tmp_path / "head", other, {"documents": 1})
    _, diffs = check.compare_outputs(tmp_path / "base", tmp_path / "head")
    assert diffs and "removed_sentences" in diffs[0], diffs

"""``summary.json`` says how the outputs were made: every cleaning option not at its default (``changed_options``).

Made-up texts only.
"""

from __future__ import annotations

import json

import pytest

from pipeline.api import make_config
from pipeline.cli import main
from pipeline.run import Config, changed_options

# (options given to make_config, what changed_options records)
CASES = [
    ({}, {}),  # the defaults: nothing to say
    ({"latin": "rewrite"}, {"variants_latin": "rewrite"}),  # a choice, by its group and field
    ({"dedup_window": 6}, {"dedup_window": 6}),  # a number
    ({"evidence": frozenset({"lexicon", "bilingual"})}, {"variants_evidence": ["bilingual", "lexicon"]}),  # set: sorted
    ({"evidence": frozenset()}, {"variants_evidence": []}),  # "none" is a choice too, recorded as an empty list
    ({"skip": ["lines", "dedup"]}, {"skip": ["dedup", "lines"]}),  # the stages left out
    ({"batch_counts": {"ウィルソン": 3}}, {}),  # the batch's spelling counts are data, not an option given by name
]


@pytest.mark.parametrize(("given", "recorded"), CASES)
def test_changed_options(given: dict, recorded: dict) -> None:
    assert changed_options(make_config(**given)) == recorded


def test_recorded_options_rebuild_the_config() -> None:
    # what is recorded is enough to make the same config again (sets given back as sets)
    config = make_config(latin="rewrite", evidence=frozenset({"bilingual"}), dedup_window=6, skip=["lines"])
    recorded = changed_options(config)
    again = {k: frozenset(v) if k == "variants_evidence" else v for k, v in recorded.items()}
    assert make_config(**again) == config
    assert changed_options(Config()) == {}


def test_summary_json_records_the_options(tmp_path, capsys) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("ウィルソン氏は語った。ウィルソン氏によれば。ウイルソン氏は笑った。\n", encoding="utf-8")
    for out, extra, options in (
        ("plain", [], {}),
        ("chosen", ["--variant-evidence", "none", "--dedup-window", "6"], {"dedup_window": 6, "variants_evidence": []}),
    ):
        assert main(["clean", str(src), "--out-dir", str(tmp_path / out), "-q", *extra]) == 0
        summary = json.loads((tmp_path / out / "summary.json").read_text(encoding="utf-8"))
        assert summary["options"] == options
    capsys.readouterr()

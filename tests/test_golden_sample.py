"""Golden test: the sample article, cleaned with default options.

The expected files were reviewed edit by edit; after an intended change run
``python tests/golden/regenerate.py`` and review ``git diff tests/golden``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from pipeline.document import restore_text
from pipeline.run import clean_text

GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLE = GOLDEN.parent.parent / "corpus" / "musk-altman-feud.ja.txt"

_spec = importlib.util.spec_from_file_location("regenerate", GOLDEN / "regenerate.py")
regenerate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regenerate)


def test_sample_cleans_to_the_golden_text_with_the_golden_edits():
    original = SAMPLE.read_text(encoding="utf-8")
    doc = clean_text(original)
    assert doc.text == (GOLDEN / "musk-altman-feud.ja.clean.txt").read_text(encoding="utf-8")
    assert regenerate.edit_rows(doc) == (GOLDEN / "musk-altman-feud.ja.edits.tsv").read_text(encoding="utf-8")
    assert restore_text(doc.text, doc.edits) == original


def test_sample_defects_named_in_the_issues_are_gone_and_neighbours_intact():
    doc = clean_text(SAMPLE.read_text(encoding="utf-8"))
    text = doc.text
    # one Stargate spelling: the article's majority スターゲイト (6 of 9), not UniDic's standard
    gone_variants = ("アルターマン", "スターゲート", "スッツケバー", "ヶ月", "オープンAI", "Yコンビネーター")
    for gone in (*gone_variants, "align: left;", "。.マスク", "000bn."):
        assert gone not in text, gone
    for kept in ("2018年2月", "2022年11月", "2023年7月", "2024年2月", "2025年1月~2月", "Altman, Inc.", "@マスク"):
        assert kept in text, kept
    assert "\n2023年7月\n" in text  # the date glued to a CSS tail is its own line
    # each repeat is gone once, its full version stays
    assert text.count("AIサミットに出席していた。") == 1
    assert text.count("マスクの関係は崩れ始めた。") == 1
    # the speaker's own repetition inside an unclosed quotation stays
    assert text.count("私は彼に同情する。") == 2

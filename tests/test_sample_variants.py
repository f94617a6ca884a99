"""The variants stage on the sample article (corpus/): the groups it must find and the spellings it must leave.

These tests clean the sample article itself, so they quote its names; every
other variants test uses made-up texts (benchmarks/check_dev_names.py keeps
it so).
"""

from __future__ import annotations

import os

import pytest

from pipeline.run import clean_text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "corpus", "musk-altman-feud.ja.txt")


# -- the sample article (golden) ---------------------------------------------
@pytest.fixture(scope="module")
def sample_doc():  # type: ignore[no-untyped-def]
    with open(SAMPLE, encoding="utf-8") as fh:
        return clean_text(fh.read())


def test_sample_no_altaman_left(sample_doc) -> None:  # type: ignore[no-untyped-def]
    assert "アルターマン" not in sample_doc.text


@pytest.mark.parametrize(
    "spellings",
    [
        ("アルトマン", "アルターマン"),  # the main group
        ("スターゲート", "スターゲイト"),  # ゲート/ゲイト
        ("スーツケバー", "スッツケバー"),  # Sutskever
        ("数カ月", "数ヶ月"),  # counter kana
    ],
)
def test_sample_group_ends_in_one_spelling(sample_doc, spellings) -> None:  # type: ignore[no-untyped-def]
    assert sum(s in sample_doc.text for s in spellings) == 1


def test_sample_groups_golden(sample_doc) -> None:  # type: ignore[no-untyped-def]
    got = {c["canonical"]: set(c["forms"]) for c in sample_doc.annotations["variants"]["clusters"]}
    assert got == {
        "アルトマン": {"アルトマン", "アルターマン", "Altman"},
        "OpenAI": {"OpenAI", "オープンAI"},  # a mixed form takes the group's majority (OpenAI×34)
        "スターゲイト": {"スターゲイト", "スターゲート", "Stargate"},  # the article's majority (6 of 9 katakana)
        "Y Combinator": {"Y Combinator", "Yコンビネーター"},
        # no Combinator / コンビネーター group: both only occur inside Y Combinator / Yコンビネーター
        "スーツケバー": {"スーツケバー", "スッツケバー"},
        "カ月": {"カ月", "ヶ月"},
    }


def test_sample_rewrites_only_variant_mentions(sample_doc) -> None:  # type: ignore[no-untyped-def]
    olds = {e.old for e in sample_doc.edits if e.stage == "variants"}
    assert olds == {"アルターマン", "スターゲート", "スッツケバー", "ヶ月", "オープンAI", "Yコンビネーター"}
    assert "Stargate" in sample_doc.text and "OpenAI" in sample_doc.text  # Latin kept by default
    assert "オープンAI" not in sample_doc.text and "Yコンビネーター" not in sample_doc.text  # mixed forms rewritten

"""User lexicons: native format, prh YAML, and the word-boundary rule."""

from __future__ import annotations

import os

import pytest

from pipeline.errors import InputError
from pipeline.lexicon import load_lexicon, parse_native, parse_prh
from pipeline.run import Config, clean_text
from pipeline.stages.variants import VariantOptions

HERE = os.path.dirname(__file__)
FIXTURES = [os.path.join(HERE, "fixtures", "lexicon.tsv"), os.path.join(HERE, "fixtures", "lexicon.yml")]


def clean_with(path: str, text: str) -> str:
    lex = load_lexicon(path)
    return clean_text(text, Config(variants=VariantOptions(lexicon=lex, discover=False))).text


# (input, expected) — the same for both lexicon files
CASES = [
    ("ケルターマンが来た。\n", "ケルトマンが来た。\n"),  # a literal variant
    ("サンが来た。\n", "孫が来た。\n"),  # a whole word matches
    ("サンタバーバラに行った。\n", "サンタバーバラに行った。\n"),  # never inside a longer word
    ("サム・ケルターマン氏\n", "サム・ケルトマン氏\n"),  # ・ is a word boundary, also inside one token
]


@pytest.mark.parametrize("path", FIXTURES)
@pytest.mark.parametrize(("text", "expected"), CASES)
def test_lexicon_both_formats(path: str, text: str, expected: str) -> None:
    assert clean_with(path, text) == expected


def test_native_regex_entry() -> None:
    # /ゲ[イエ]ト/ is a regex; ゲイト is one token in UniDic
    assert clean_with(FIXTURES[0], "ゲイトを開けた。\n") == "ゲートを開けた。\n"


def test_prh_regex_and_patterns() -> None:
    assert clean_with(FIXTURES[1], "ムーンゲイトとムーンゲエト。\n") == "ムーンゲートとムーンゲート。\n"


def test_prh_specs_are_checked() -> None:
    bad = "rules:\n  - expected: A\n    pattern: B\n    specs:\n      - from: B\n        to: C\n"
    with pytest.raises(InputError, match="spec failed"):
        parse_prh(bad)


def test_prh_capture_groups() -> None:
    lex = parse_prh("rules:\n  - expected: $1ディスク\n    pattern: /(フロッピー)デスク/\n")
    out = clean_text("フロッピーデスクを買う。\n", Config(variants=VariantOptions(lexicon=lex, discover=False))).text
    assert out == "フロッピーディスクを買う。\n"


def test_anywhere_flag_matches_inside_words() -> None:
    # prh's character-level behaviour, only when asked for
    lex = parse_native("孫\tサン\t@anywhere\n")
    out = clean_text("サンタバーバラ\n", Config(variants=VariantOptions(lexicon=lex, discover=False))).text
    assert out == "孫タバーバラ\n"


def test_lexicon_overrides_automatic_canonical() -> None:
    # automatic choice would be ムーンゲート (the dictionary spelling); the house spelling wins
    lex = parse_native("ムーンゲイト\tムーンゲート\n")
    doc = clean_text("ムーンゲートとムーンゲート。ムーンゲイト。\n", Config(variants=VariantOptions(lexicon=lex)))
    assert "ムーンゲート" not in doc.text
    assert doc.annotations["variants"]["clusters"][0]["canonical"] == "ムーンゲイト"


def test_bad_regex_is_an_input_error() -> None:
    with pytest.raises(InputError, match="bad regular expression"):
        parse_native("x\t/(/\n", "f.tsv")


def test_missing_file() -> None:
    with pytest.raises(InputError, match="no such lexicon file"):
        load_lexicon("/nonexistent/lex.tsv")

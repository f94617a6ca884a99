"""A source that is no English source (empty, or the Japanese side again) is said once, as a flag at the start.

Made-up texts only.
"""

from __future__ import annotations

import pytest

from pipeline.align.checks import JAPANESE_LETTER, _is_japanese
from pipeline.run import clean_text

JA = "図書館は月曜日に再開する。市の職員が発表した。\n"
EN = "The library reopens on Monday. A city official announced it.\n"

# (English given, the flag's words or None when no source-check flag is expected)
CASES = [
    (EN, None),  # a real English source: no doubt
    ("", "is empty"),  # an empty source given on purpose or by mistake: nothing aligned, said once
    ("  \n\n", "is empty"),  # only white space
    (JA, "is it the English side?"),  # the Japanese file given as the source (sides swapped, or the same file twice)
    ("Tokyo (東京) hosts the fair this year, officials said on Monday.\n", None),  # English with a Japanese name in it
    ("東京\n", None),  # too few letters to judge a language
]


@pytest.mark.parametrize(("english", "says"), CASES)
def test_source_check(english: str, says: str | None) -> None:
    doc = clean_text(JA, english=english)
    checks = [f for f in doc.flags if f.rule == "source-check"]
    if says is None:
        assert checks == []
        return
    assert len(checks) == 1 and says in checks[0].reason
    assert (checks[0].start, checks[0].end, checks[0].stage) == (0, 0, "bilingual")
    assert doc.stats["bilingual"]["source-check"] == 1


def test_no_source_no_check() -> None:
    # without a source nothing changes: no flag of the bilingual stage at all
    assert [f for f in clean_text(JA).flags if f.stage == "bilingual"] == []


@pytest.mark.parametrize("code", [0x3041, 0x30FC, 0x4E00, 0x9FFF, 0xFF71, 0xF900, 0x0041, 0x00E9, 0x3002, 0xAC00])
def test_japanese_letter_class_is_is_japanese(code: int) -> None:
    # the one-search pre-test counts exactly the letters japanese_share counts (hiragana, katakana, kanji, half-width
    # katakana, compatibility kanji; not Latin, accents, Japanese punctuation or hangul)
    c = chr(code)
    assert bool(JAPANESE_LETTER.match(c)) == _is_japanese(c)

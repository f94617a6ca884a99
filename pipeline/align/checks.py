"""Warnings about the two inputs of ``align``: an empty side, a side in the wrong language.

The aligner pairs whatever it is given; a user who passes the English file
twice, or an empty translation, would otherwise get a plausible-looking
output.  These checks only warn (the output is still written): mixed texts
and short inputs are legitimate.

>>> same = ["It rained all day in the harbour city."]
>>> side_warnings(same, same, "en.txt", "ja.txt")
['warning: ja.txt: only 0% of its letters are Japanese (kana or kanji): is it the Japanese side?']
>>> side_warnings([], ["雨が降った。"], "en.txt", "ja.txt")
['warning: en.txt: no English sentences: every Japanese sentence is unmatched']
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MIN_LETTERS = 20  # below this many letters a side is too short to judge its language
MIN_JAPANESE_SHARE = 0.2  # the Japanese side: at least this share of letters are kana or kanji
MAX_JAPANESE_SHARE_EN = 0.5  # the English side: at most this share


def japanese_share(texts: Sequence[str]) -> tuple[float, int]:
    """(share of letters that are kana or kanji, number of letters).

    >>> japanese_share(["東京 Tokyo"])
    (0.2857142857142857, 7)
    """
    letters = japanese = 0
    for text in texts:
        for c in text:
            if c.isalpha():
                letters += 1
                if _is_japanese(c):
                    japanese += 1
    return (japanese / letters if letters else 0.0), letters


# the letters _is_japanese counts, as one character class: a text without any needs no count (one search in C)
JAPANESE_LETTER = re.compile("[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f\uf900-\ufaff]")


def _is_japanese(c: str) -> bool:
    o = ord(c)
    return 0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xFF66 <= o <= 0xFF9F or 0xF900 <= o <= 0xFAFF


def side_warnings(english: Sequence[str], japanese: Sequence[str], en_name: str, ja_name: str) -> list[str]:
    """One line per problem: an empty side, or a side whose letters are not in the expected language."""
    out = []
    if not english:
        out.append(f"warning: {en_name}: no English sentences: every Japanese sentence is unmatched")
    if not japanese:
        out.append(f"warning: {ja_name}: no Japanese sentences: every English sentence is unmatched")
    share, letters = japanese_share(english)
    if letters >= MIN_LETTERS and share > MAX_JAPANESE_SHARE_EN:
        out.append(
            f"warning: {en_name}: {share:.0%} of its letters are Japanese (kana or kanji): is it the English side?"
        )
    share, letters = japanese_share(japanese)
    if letters >= MIN_LETTERS and share < MIN_JAPANESE_SHARE:
        out.append(
            f"warning: {ja_name}: only {share:.0%} of its letters are Japanese (kana or kanji): is it the Japanese side?"
        )
    return out

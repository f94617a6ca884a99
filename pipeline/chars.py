"""Character classes: the one place that says which code points are katakana, Japanese, Latin.

Ranges are given as strings for regular-expression classes (``f"[{KATAKANA}]+"``)
so a stage can compose them with its own extra characters; the predicates are
for single characters or strings.  The sets differ on purpose, and each says
what it holds:

* :data:`KATAKANA_LETTERS` — ァ (U+30A1) to ヺ (U+30FA): letters only, no ー, no ・;
* :data:`KATAKANA` — the letters, ・ ー ヽ ヾ (U+30FB-U+30FE) and the small
  katakana extension ㇰ-ㇿ (U+31F0-U+31FF): what a katakana *word* is written with;
* :data:`JAPANESE` — CJK punctuation, kana, kanji (extension A and unified),
  compatibility ideographs, full-width forms and half-width katakana:
  what counts as Japanese text around a space or an entity;
* :data:`KANJI` — CJK extension A and unified ideographs.

>>> import re
>>> re.fullmatch(f"[{KATAKANA}]+", "ノア・ケルトマン") is not None, re.fullmatch(f"[{KATAKANA_LETTERS}]+", "ムーン") is None
(True, True)
>>> is_katakana("ヴ"), is_katakana("ー"), is_katakana("ぺ"), is_japanese("。"), is_japanese("a")
(True, True, False, True, False)
"""

from __future__ import annotations

import re

KATAKANA_LETTERS = "\u30a1-\u30fa"
LONG_VOWEL = "ー"
KATAKANA = "\u30a1-\u30fe\u31f0-\u31ff"
KANJI = "\u3400-\u4dbf\u4e00-\u9fff"
JAPANESE = "\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff9f"

_JAPANESE_CHAR = re.compile(f"[{JAPANESE}]")


def is_katakana(ch: str) -> bool:
    """Is ``ch`` one character of :data:`KATAKANA` (a letter, ー, ・, ヽ, ヾ or a small extension letter)?"""
    return "\u30a1" <= ch <= "\u30fe" or "\u31f0" <= ch <= "\u31ff"


def is_japanese(c: str) -> bool:
    """Is ``c`` a character of :data:`JAPANESE` (a Japanese letter or full-width mark)?

    >>> is_japanese("語"), is_japanese(""), is_japanese("ｱ")
    (True, False, True)
    """
    return bool(c) and _JAPANESE_CHAR.match(c) is not None


def has_latin(s: str) -> bool:
    """Does ``s`` hold a Latin letter: a character whose lower case sorts between ``a`` and ``z``?

    That is the ASCII letters, and a few letters whose lower case starts with
    one (the Kelvin sign K, dotted İ); full-width ｚ is not one.

    >>> has_latin("オープンAPI"), has_latin("ＡＰＩ"), has_latin("123")
    (True, False, False)
    """
    return any("a" <= c.lower() <= "z" for c in s)

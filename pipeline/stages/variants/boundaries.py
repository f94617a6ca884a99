"""Mention boundaries the tokeniser gets wrong: a split long vowel, a dash, a look-alike kana.

The stage reads one script code per token (``K`` katakana, ``d`` a token of
ー only, ``p`` a look-alike hiragana, ``-`` other ...).  These functions
turn ``d`` and ``p`` codes into ``K`` where they belong to the katakana word
beside them:

* ネコ + ー is one word ネコー, but a ー before a bracket, space, Latin letter
  or digit is a dash (ベルリンー(AP));
* a hiragana ぺ touching a katakana word is the katakana ペ (ぺ + ンギン).

A mention that starts with ー after a bracket, space, Latin letter or digit
starts after it (the stage's ``_without_leading_dash``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.document import Token

# A ー right after these (or at the start of a line) is a dash, not a long vowel: (AP)ーワシントン
_BEFORE_DASH = set(" \u3000()（）[]［］【】「」『』〈〉《》\n\t") | set("0123456789０１２３４５６７８９")
_DASH_RUN = re.compile("d+")


def is_dash_context(ch: str) -> bool:
    """Whether a ー next to this character is a dash (a bracket, a space, a Latin letter or a digit)."""
    return not ch or ch in _BEFORE_DASH or (ch.isascii() and ch.isalnum())


def join_split_long_vowels(original: str, tokens: Sequence[Token], raw: str, codes: str) -> str:
    """Codes where a ー token touching the katakana word before it is part of that word (トリ + ー).

    A ー followed by a bracket, a space, a Latin letter or a digit stays a dash (ロンドンー(AP)).
    """
    out = list(codes)
    for m in _DASH_RUN.finditer(raw):
        a, b = m.span()
        if a == 0 or codes[a - 1] != "K" or tokens[a - 1].end != tokens[a].start:
            continue
        if is_dash_context(original[tokens[b - 1].end : tokens[b - 1].end + 1]):
            continue
        out[a:b] = "K" * (b - a)
    return "".join(out)


# Hiragana that look exactly like a katakana letter and have no use of their own
# before a katakana word (unlike the particle へ): MT and OCR output mix them in.
KATAKANA_LOOKALIKES = frozenset({"ぺ"})


def join_lookalike_kana(tokens: Sequence[Token], raw: str, codes: str) -> str:
    """Codes where a look-alike hiragana token (ぺ) touching the katakana word after it is katakana."""
    out = list(codes)
    for i, c in enumerate(raw):
        if c == "p" and i + 1 < len(codes) and codes[i + 1] == "K" and tokens[i].end == tokens[i + 1].start:
            out[i] = "K"
    return "".join(out)

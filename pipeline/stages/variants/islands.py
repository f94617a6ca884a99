"""Script islands: a rewrite that would leave one word of a longer phrase in the other script is kept.

``--latin rewrite`` turns a Latin mention into the group's katakana spelling
(or the reverse).  When the mention is one word of a longer English phrase
the translation left as it was — a title, an interface string, a company's
name of two words, an untranslated sentence — the rewrite makes a phrase
of two scripts (``Tribute to カンダー & Ebb``), and when a katakana
mention is one part of a katakana name, the reverse does
(``ジークムント・Freud``).  Two more cases keep their script: a mention that
is the whole content of a pair of brackets is the other spelling given on
purpose (``ジークムント・フロイト（Sigmund Freud）``), as is a mention followed by the target spelling in
brackets (the rewrite would give it twice), and a katakana common
noun of the dictionary (メール, コイン) is how Japanese writes the word, so a
Latin spelling elsewhere (a name, English left untranslated) is no reason to
change it.  Those mentions are flagged, not rewritten: the evidence that the
two spellings name one thing does not say the text around them should change
script.
"""

from __future__ import annotations

from pipeline.chars import has_latin, is_katakana

# what an English phrase left in Japanese text is written with, besides letters: digits, spaces and
# the punctuation of names, titles, product specifications and placeholders (#ORG#, AT&T, O'Neill,
# e-mail, 1st, Inc., "Late Night" Special, oOh! media, s−Video, (XJ9) Toggle)
_PHRASE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 &#_-.'’:/+\"!?,;()−‐–—！")
_NAME_JOINS = frozenset("・=＝")
_REACH = 80  # characters looked at on each side of a mention
_OPENERS, _CLOSERS = frozenset("(（[［"), frozenset(")）]］")
# UniDic's common nouns and symbols (a Greek letter such as ガンマ is filed as a symbol)
_COMMON = ("名詞-普通名詞", "記号")


def mixed_script_reason(
    text: str, start: int, end: int, new: str, in_name: bool = False, pos: tuple[str, ...] = ()
) -> str | None:
    """Why rewriting ``text[start:end]`` as ``new`` would mix scripts inside a longer phrase; None when it would not.

    >>> t = "「Tribute to Kander & Ebb」を観た。"
    >>> mixed_script_reason(t, 12, 18, "カンダー")
    "inside the English phrase 'Tribute to Kander & Ebb': one word in katakana would mix scripts"
    >>> mixed_script_reason("記者はKanderに聞いた。", 3, 9, "カンダー") is None
    True
    >>> mixed_script_reason("ジークムント・フロイト博士", 7, 11, "Freud")
    "part of the katakana name 'ジークムント・フロイト': one part in Latin would mix scripts"
    >>> mixed_script_reason("ジークムント・フロイト（Sigmund Freud）は", 12, 25, "ジークムント・フロイト")
    'the whole content of brackets: the other spelling given on purpose'
    >>> mixed_script_reason("記者のアラン・ベック(Alan Beck)は", 3, 10, "Alan Beck")
    'followed by Alan Beck in brackets: the two spellings given on purpose'
    >>> mixed_script_reason("メールで送ります。", 0, 3, "Mail", pos=("名詞-普通名詞-サ変可能",))
    'メール is a common noun of the dictionary, written in katakana in Japanese'
    """
    old = text[start:end]
    a, b = start, end
    while a > 0 and text[a - 1] in " \u3000":
        a -= 1
    while b < len(text) and text[b] in " \u3000":
        b += 1
    if a > 0 and b < len(text) and text[a - 1] in _OPENERS and text[b] in _CLOSERS:
        return "the whole content of brackets: the other spelling given on purpose"
    if b < len(text) and text[b] in _OPENERS and text[b + 1 : b + 1 + len(new)] == new:
        # ベルモント（Belmont）: the target spelling already follows in brackets; the rewrite would say it twice
        return f"followed by {new} in brackets: the two spellings given on purpose"
    if has_latin(new) and not has_latin(old) and pos and all(p.startswith(_COMMON) for p in pos):
        return f"{old} is a common noun of the dictionary, written in katakana in Japanese"
    if has_latin(old) and not has_latin(new):
        # the phrase around the mention, at most _REACH characters a side (a long English line costs no more)
        a = start
        while a > 0 and start - a < _REACH and text[a - 1] in _PHRASE:
            a -= 1
        b = end
        while b < len(text) and b - end < _REACH and text[b] in _PHRASE:
            b += 1
        if any(c.isalpha() for c in text[a:start] + text[end:b]):
            phrase = text[a:b].strip()
            return f"inside the English phrase {phrase!r}: one word in katakana would mix scripts"
        return None
    if has_latin(new) and not has_latin(old):
        before = text[start - 1] if start > 0 else ""
        after = text[end] if end < len(text) else ""
        if in_name or before in _NAME_JOINS or after in _NAME_JOINS or is_katakana(before) or is_katakana(after):
            a = start
            while a > 0 and start - a < _REACH and (is_katakana(text[a - 1]) or text[a - 1] in _NAME_JOINS):
                a -= 1
            b = end
            while b < len(text) and b - end < _REACH and (is_katakana(text[b]) or text[b] in _NAME_JOINS):
                b += 1
            return f"part of the katakana name {text[a:b]!r}: one part in Latin would mix scripts"
    return None

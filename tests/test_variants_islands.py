"""--latin rewrite keeps a mention whose change of script would leave a phrase or a name in two scripts (and a
lower-case Latin spelling that only sounds like the katakana).

Made-up texts.  Each case: the text, the mention, and what must happen to it
(rewritten, or kept with a flag whose reason says why).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.api import make_config
from pipeline.run import clean_text
from pipeline.stages.variants.islands import mixed_script_reason

REWRITE = make_config(latin="rewrite")
HEAD = "ベルモント氏は会見を開いた。ベルモント氏は計画を語った。"

CASES = [
    # the positive control: a Latin leftover of a name the article writes in katakana is unified
    (HEAD + "Belmont氏は質問に答えた。", "Belmont", "ベルモント", None),
    # one word of an English title: rewriting it would give 「Ask ベルモント Today」
    (HEAD + "番組「Ask Belmont Today」に出演した。", "Belmont", None, "inside the English phrase 'Ask Belmont Today'"),
    # a name in a company's name of two words joined by &
    (HEAD + "Belmont&Greer社が発表した。", "Belmont", None, "inside the English phrase 'Belmont&Greer'"),
    # an untranslated English sentence before its translation
    (HEAD + "I asked Belmont yesterday.昨日ベルモント氏に聞いた。", "Belmont", None, "inside the English phrase"),
    # the original spelling given in brackets after the katakana: both on purpose
    (
        "ベルモント氏は会見を開いた。ベルモント（Belmont）氏は計画を語った。",
        "Belmont",
        None,
        "whole content of brackets",
    ),
    # the same with ASCII brackets and spaces inside
    (
        "ベルモント氏は会見を開いた。ベルモント( Belmont )氏は計画を語った。",
        "Belmont",
        None,
        "whole content of brackets",
    ),
    # a katakana rendering followed by the Latin majority spelling in brackets: rewritten, the name is said twice
    (
        "Belmont氏は会見を開いた。Belmont氏は計画を語った。記者のベルモント（Belmont）氏は答えた。",
        "ベルモント",
        None,
        "followed by Belmont in brackets",
    ),
    # a katakana part of a ・-joined name would become エズラ・Belmont
    (
        "Belmont氏は会見を開いた。Belmont氏は計画を語った。記者はエズラ・ベルモント氏に聞いた。",
        "ベルモント",
        None,
        "part of the katakana name 'エズラ・ベルモント'",
    ),
    # a katakana common noun of the dictionary stays katakana even when the Latin spelling is the majority
    (
        "Mailの配達は遅れた。Mailの料金は上がった。メールでお知らせします。",
        "メール",
        None,
        "common noun of the dictionary",
    ),
    # a katakana proper noun of the dictionary takes the article's majority Latin spelling (both are usual)
    ("Disneyで発表した。Disneyに投稿した。ディズニーで話題になった。", "ディズニー", "Disney", None),
    # a Latin name followed by a Japanese colon-less label: no phrase around it, rewritten
    (HEAD + "Belmont: それは違う。", "Belmont", "ベルモント", None),
    # a name UniDic has no gloss for, capitalised: joined by its sound, rewritten ...
    ("ハルドレン氏は会見を開いた。ハルドレン氏は計画を語った。Haldren氏が答えた。", "Haldren", "ハルドレン", None),
    # ... and the same letters in lower case: a user name or a code, kept as typed
    (
        "ハルドレン氏は会見を開いた。ハルドレン氏は計画を語った。ユーザー名はhaldrenです。",
        "haldren",
        None,
        "lower-case Latin spelling joined by its sound alone",
    ),
]


@pytest.mark.parametrize(("text", "mention", "new", "why"), CASES)
def test_script_islands(text, mention, new, why):
    doc = clean_text(text, REWRITE)
    start = text.rindex(mention) if new is None or mention != "ベルモント" else text.index(mention)
    edits = [e for e in doc.edits if e.start == start and e.end == start + len(mention)]
    if new is not None:
        assert [e.new for e in edits] == [new]
        return
    assert edits == []
    assert doc.text[start : start + len(mention)] == mention
    reasons = [f.reason for f in doc.flags if f.stage == "variants" and f.start == start]
    assert any(why in r for r in reasons), reasons


def test_default_latin_keep_unchanged():
    # without --latin rewrite no Latin mention is rewritten at all, island or not
    doc = clean_text(HEAD + "Belmont氏は質問に答えた。", make_config())
    assert "Belmont" in doc.text


@settings(max_examples=200)
@given(
    left=st.text(alphabet="abcXYZ &#'-.()!あ。", max_size=8),
    right=st.text(alphabet="abcXYZ &#'-.()!あ。", max_size=8),
)
def test_island_iff_letters_beside_in_the_phrase(left, right):
    # a Latin word is an island exactly when the run of phrase characters around it holds another letter
    text = "前" + left + "Word" + right + "後"
    start = 1 + len(left)
    got = mixed_script_reason(text, start, start + 4, "ワード")
    bracketed = left.rstrip(" ").endswith("(") and right.lstrip(" ").startswith(")")
    a = len(left)
    while a > 0 and left[a - 1] not in "あ。":
        a -= 1
    b = 0
    while b < len(right) and right[b] not in "あ。":
        b += 1
    letters = any(c.isalpha() and c.isascii() for c in left[a:] + right[:b])
    if bracketed:
        assert got is not None and "brackets" in got
    else:
        assert (got is not None) == letters, (text, got)

"""The English side's phonetic keys computed without romanising (pipeline.romanise.ascii_key) and the
aligner's foreign check reading word keys before pair keys: the same values as before (round 10, issue 14)."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.align import aligner, anchors
from pipeline.align.anchors import _english_words, clear_sentence_caches, document_anchors
from pipeline.romanise import ascii_key, key_of_romaji, phonetic_key, romanise_katakana

LETTERS = st.text(alphabet=string.ascii_letters, min_size=1, max_size=14)


def romanised_key(text: str) -> str:
    """The key as it was computed before ASCII skipped the romanising step (the oracle)."""
    return key_of_romaji(romanise_katakana(text))


@given(LETTERS)
def test_latin_key_is_phonetic_key_of_ascii_letters(word) -> None:
    # the key is the romanising key of the same word: romanising only lower-cases Latin letters
    assert ascii_key(word) == phonetic_key(word) == romanised_key(word)


@given(st.text(alphabet=string.printable, max_size=24))
def test_ascii_text_keys_as_if_romanised(text) -> None:
    # any ASCII text, spaces, digits and punctuation too: phonetic_key's shortcut gives the romanised key
    assert phonetic_key(text) == romanised_key(text) == ascii_key(text)


@pytest.mark.parametrize(
    "word",
    [
        "Watergate",  # r before a consonant dropped, t kept
        "Bridget",  # dg before e is j
        "Phelps",  # ph is f
        "Maxwell",  # x is ks, l is r
        "Chiang",  # ch, final ng
        "fishingrod",  # two words joined, as the foreign check's pair keys are
        "Andrew",  # w at a word end
        "a",  # a vowel only: the empty key
    ],
)
def test_latin_key_golden(word) -> None:
    assert ascii_key(word) == phonetic_key(word) == romanised_key(word)


def _old_english_keys(english: tuple[str, ...]) -> frozenset[str]:
    """The keys as _english_keys built them before round 10 (one set, phonetic_key of every word and pair)."""
    import re

    keys: set[str] = set()
    for e in english:
        words = [w.lower() for w in re.findall(r"[A-Za-z]+", e)]
        keys.update(phonetic_key(w) for w in words)
        keys.update(phonetic_key(w1 + w2) for w1, w2 in zip(words, words[1:], strict=False))
    return frozenset(keys)


SENTENCE = st.lists(
    st.sampled_from(["Kelton", "fishing", "rod", "the", "Zorbix", "Kromp", "Ann", "Rutland", "x", "2024", "café", "!"]),
    max_size=8,
).map(" ".join)


@given(st.lists(SENTENCE, min_size=1, max_size=4))
def test_english_keys_are_word_and_pair_keys(english) -> None:
    # the word keys and the pair keys, built per sentence, make the set built for the whole text in one go
    clear_sentence_caches()
    assert aligner._english_keys(tuple(english)) == _old_english_keys(tuple(english))


def _old_foreign_latin(english, japanese, ja) -> list[bool]:
    """_foreign_latin as it was before round 10 (one key set asked for every katakana key)."""
    english = tuple(english)
    en_latin = aligner._english_latin(english)
    en_keys = _old_english_keys(english)
    out = []
    for s, a in zip(japanese, ja, strict=True):
        if a.foreign <= a.foreign_numbers:
            out.append(False)
        elif not anchors._japanese_words(s)[0] <= en_latin:
            out.append(True)
        else:
            out.append(any(len(k) >= 3 and k not in en_keys for k in map(phonetic_key, anchors.katakana_words(s))))
    return out


JAPANESE = st.lists(
    st.sampled_from(
        ["ケルトン", "フィッシングロッド", "ゾービクス", "クロンプ", "ラトランド", "送ります", "一日", "#CODE#", "。"]
    ),
    min_size=1,
    max_size=5,
).map("".join)


@given(st.lists(SENTENCE, min_size=1, max_size=3), st.lists(JAPANESE, min_size=1, max_size=4))
def test_foreign_latin_as_before(english, japanese) -> None:
    # a katakana key missing from the word keys is looked up in the pair keys: the same verdict as one set of both
    clear_sentence_caches()
    ja = document_anchors(english, japanese)[1]
    assert aligner._foreign_latin(english, japanese, ja) == _old_foreign_latin(english, japanese, ja)


def test_foreign_latin_golden() -> None:
    # made-up pair: フィッシングロッド is "fishing rod" (a pair key), ゾービクス no English word's key, 一日 a number
    en = ["Please order the fishing rod from the Kelton shop."]
    ja = [
        "ケルトンの店で注文してください。",
        "フィッシングロッドを送ります。",
        "ゾービクスで送ります。",
        "一日で届きます。",
    ]
    got = aligner._foreign_latin(en, ja, document_anchors(en, ja)[1])
    assert got == [False, False, True, False]


def test_name_anchors_of_words_unchanged() -> None:
    # a capitalised pair keyed whole and joined, a short key left out (the word "a")
    clear_sentence_caches()
    ws = _english_words("A Titanic Hotel stay with Kelton.", True, True)
    assert "k:" + phonetic_key("Kelton") in ws
    assert "k:" + phonetic_key("TitanicHotel") in ws
    assert not any(w == "k:" for w in ws)


@given(
    st.lists(
        st.sampled_from(["A", "b", " ", "zT", "-", "9", ",", ".", "'", "March", "two", "Monday", "million", "é", "ſ"]),
        max_size=12,
    ).map("".join)
)
def test_number_word_test_from_the_shared_runs(text) -> None:
    # the number-word pre-test read from the sentence's shared letter runs answers as the pattern's own search
    # (outside ASCII the pattern is asked: IGNORECASE folds ſ into s)
    clear_sentence_caches()
    assert anchors._has_number_word(text) == (anchors._EN_NUMBER_WORD.search(text) is not None)
    assert anchors.english_lower_runs(text) == tuple(w.lower() for w in anchors._EN_WORD.findall(text))


def test_shared_runs_golden() -> None:
    # made-up sentence: runs of ASCII letters only (digits, the apostrophe and é cut them)
    assert anchors.english_runs("Kelton's 2 cafés opened Monday.") == ("Kelton", "s", "caf", "s", "opened", "Monday")

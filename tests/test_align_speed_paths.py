"""The aligner's and the bilingual stage's shortcuts give what the long way gives (issue 14: the cost of a source).

Each shortcut (a span shared by blank sentences, a joined span that takes the sums of
its one anchored sentence, the English side of a document kept per source, the
numbers of an English bead kept per text) is checked against the computation it
replaces, on made-up texts.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.align.aligner import _Span, _spans, align_with_ratio, pinning_anchors
from pipeline.align.anchors import SentenceAnchors, clear_sentence_caches, document_anchors
from pipeline.align.english import split_english_text
from pipeline.document import Document, Sentence
from pipeline.stages.bilingual import bead_record, missing_numbers, numbers_to_check, split_copies

_KEYS = ["n:5", "n:110", "n:2.5", "d:3", "w:acme", "k:lnd", "q:?"]

anchors_st = st.builds(
    SentenceAnchors,
    numbers=st.dictionaries(st.sampled_from(_KEYS[:4]), st.integers(1, 3), max_size=2).map(Counter),
    words=st.frozensets(st.sampled_from(_KEYS[4:]), max_size=2),
    foreign=st.integers(0, 2),
    foreign_numbers=st.integers(0, 1),
    lexical=st.frozensets(st.sampled_from(["x:sale", "x:^but"]), max_size=1),
    content=st.integers(0, 4),  # dictionary words (the mismatch check of round 6: checked from 3)
)
# many blank sentences (no anchor at all), as in most documents
sentence_st = st.one_of(st.just(None), anchors_st)


def _blank() -> SentenceAnchors:
    return SentenceAnchors(Counter(), frozenset())


@settings(max_examples=150, deadline=None)
@given(
    st.lists(sentence_st, min_size=1, max_size=9),
    st.lists(st.integers(0, 1), min_size=9, max_size=9),
    st.frozensets(st.sampled_from(_KEYS), max_size=3),
)
def test_spans_equal_spans_read_from_the_anchors(side, steps, pins) -> None:
    # property: every span of 1-3 sentences, shared or joined by a shortcut, holds the values (to the bit, in the
    # same order) of a span read straight from its sentences' anchors, plus the cost of its line breaks
    side = [_blank() if x is None else x for x in side]
    lines = [sum(steps[: i + 1]) for i in range(len(side))]
    spans = _spans(side, 3, 0.3, 2.0, pins, 0.5, lines, 5.0, 3)
    for k in (1, 2, 3):
        for i in range(len(side) - k + 1):
            old, new = _Span(side[i : i + k], 0.3, 2.0, pins, 0.5, 3), spans[k][i]
            assert new.content == old.content and new.checks == old.checks and new.parts == old.parts
            crossing = 5.0 * sum(lines[t] != lines[t - 1] for t in range(i + 1, i + k))
            want = old.fixed + crossing if crossing else old.fixed
            assert float(new.fixed).hex() == float(want).hex()
            assert new.bare == old.bare and new.absorbed == old.absorbed
            if old.bare:  # the values of a bare span may be stored in other (empty) containers
                assert not (new.numbers or new.words or new.pinned or new.lex or new.keys or new.weight)
                continue
            for name in ("numbers", "weight", "words", "pinned", "lex", "keys", "nwords", "npins"):
                assert getattr(old, name) == getattr(new, name), name
            assert list(old.numbers) == list(new.numbers)
            assert [v.hex() for v in old.numbers.values()] == [float(v).hex() for v in new.numbers.values()]


def test_blank_sentences_share_one_span_but_a_line_break_does_not() -> None:
    # golden: three blank sentences, a line break before the third
    side = [_blank(), _blank(), _blank()]
    spans = _spans(side, 3, 0.3, 2.0, frozenset(), 0.5, [0, 0, 1], 5.0)
    assert spans[1][0] is spans[1][1] is spans[1][2]  # the same values: one object
    assert spans[2][0].fixed == 0.0 and spans[2][1].fixed == 5.0  # the second pair crosses the break
    assert spans[2][0] is not spans[2][1]


_EN = [
    "Acme Corp said on Monday it would hire 110 people in Lindon.",
    "The new plant will cost $2.5 billion.",
    "Workers welcomed the news.",
    "Is it enough?",
]
_JA_A = [
    "アクメ社は月曜日、リンドンで110人を雇用すると発表した。",
    "新工場の費用は25億ドル。",
    "従業員は歓迎した。",
    "十分だろうか？",
]
_JA_B = ["新工場の費用は25億ドルになる。", "従業員はこの知らせを歓迎した。", "それで十分か？"]


def test_english_side_kept_per_source_gives_each_translation_its_own_anchors() -> None:
    # one English source, two translations: anchors computed with the English side kept from the first call equal
    # those computed from scratch, and the kept values are not changed by either call
    clear_sentence_caches()
    fresh_b = document_anchors(_EN, _JA_B)
    clear_sentence_caches()
    first_a = document_anchors(_EN, _JA_A)
    then_b = document_anchors(_EN, _JA_B)  # English side from the cache
    again_a = document_anchors(_EN, _JA_A)
    assert then_b == fresh_b
    assert again_a == first_a
    # B lacks sentence 0 (its 110 and its Monday): that sentence shares no number with B, both with A
    assert then_b[0][0].numbers == Counter() and first_a[0][0].numbers == Counter({"n:110": 1, "d:0": 1})
    assert pinning_anchors(*first_a) != pinning_anchors(*then_b)


def test_alignment_is_the_same_with_and_without_the_kept_english_side() -> None:
    clear_sentence_caches()
    cold = align_with_ratio(_EN, _JA_B)
    document_anchors(_EN, _JA_A)  # fills the caches with another translation of the same source
    warm = align_with_ratio(_EN, _JA_B)
    assert [(b.en, b.ja, b.score.hex(), b.cost.hex()) for b in cold[0]] == [
        (b.en, b.ja, b.score.hex(), b.cost.hex()) for b in warm[0]
    ]
    assert [(b.en, b.ja) for b in cold[0]] == [((0,), ()), ((1,), (0,)), ((2,), (1,)), ((3,), (2,))]


def test_split_english_text_returns_a_list_of_its_own() -> None:
    text = "One. Two.\n\nThree"
    spans = split_english_text(text)
    spans.append((99, 100))  # a caller may change its list: the kept spans stay as they were
    assert split_english_text(text) == [(0, 4), (5, 9), (11, 16)]


# (English, Japanese, numbers flagged missing): the number check reads the Japanese only when the English has a
# number to look for; each row says why
NUMBER_CASES = [
    ("Covid-19 cases fell.", "コロナの症例は減った。", []),  # a part of a name, not a number: nothing to look for
    ("No 10 said so.", "首相官邸はそう述べた。", []),  # a label, translated by name
    ("It has 1,500 staff.", "従業員は千五百人。", []),  # the same number in kanji
    ("It has 1,500 staff.", "従業員は千人。", ["1,500"]),  # another number
    ("The G7 met at 9pm.", "G7は21時に会合した。", []),  # G7 is a name; 9pm is 21時
    ("The G7 met at 9pm.", "G7は夜に会合した。", ["9"]),  # the time is missing (named as written, before pm)
]


def test_number_check_table() -> None:
    for english, japanese, missing in NUMBER_CASES:
        assert missing_numbers(english, japanese) == missing, english


def test_numbers_to_check_names_each_number_with_what_follows() -> None:
    assert numbers_to_check("No 10 paid $3 trillion, about 25,000 each.") == (
        ("$3 trillion", ", about 25,000 each."),
        ("25,000", " each."),
    )
    assert numbers_to_check("Covid-19 and 24/7 support.") == ()


def _doc(sentences: list[str]) -> Document:
    text = "".join(sentences)
    doc = Document(text)
    start = 0
    for k, s in enumerate(sentences):
        doc.sentences.append(Sentence(start, start + len(s), block=k))
        start += len(s)
    return doc


def test_copies_found_with_the_texts_given_and_without() -> None:
    doc = _doc(["同社は発表した。", "同社は発表した。", "売上が増えた。"])
    texts = [doc.cleaned_slice(s.start, s.end) for s in doc.sentences]
    assert split_copies(doc) == split_copies(doc, texts) == ([0, 2], {1: 0})


def test_bead_record_joins_copies_in_order() -> None:
    from pipeline.align.aligner import Bead

    bead = Bead((0,), (0, 1), 0.91234)
    # no copies: the sentences as they are
    assert bead_record(bead, [0, 2], {}) == {"en": [0], "ja": [0, 2], "score": 0.9123}
    # a copy of sentence 0 (index 1) joins its original's bead, in sentence order
    assert bead_record(bead, [0, 2], {1: 0}) == {"en": [0], "ja": [0, 1, 2], "score": 0.9123}


# Japanese sentences whose words document_anchors reads through one NFKC pass, each with what it exercises
JAPANESE_WORD_CASES = [
    "ＮＦＬとCOVID-19、Discordで話題に。",  # full-width Latin, a hyphenated code
    "エズラ・スミス氏がアッシュランドに来た！",  # a name in two parts (・), an exclamation
    "届きましたか？",  # a question
    "ｶﾀｶﾅの半角は全角になる。",  # half-width katakana, normalised before the katakana runs are read
    "数字だけ：１２３。",  # no word at all
]


def test_japanese_words_read_once_are_the_words_read_one_kind_at_a_time() -> None:
    from pipeline.align.anchors import (
        _japanese_words,
        is_japanese_question,
        katakana_words,
        latin_tokens,
    )

    for s in JAPANESE_WORD_CASES:
        tokens, parts, question, _ = _japanese_words(s)
        assert tokens == latin_tokens(s), s
        assert list(parts) == [p for k in katakana_words(s) for p in k.split("・")], s
        assert question == is_japanese_question(s), s
    assert _japanese_words(JAPANESE_WORD_CASES[1])[1] == ("エズラ", "スミス", "アッシュランド")
    assert _japanese_words(JAPANESE_WORD_CASES[1])[3] is True  # the exclamation

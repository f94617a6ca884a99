"""Round 8's shortcuts on the way of a source (issue 14) give what the long way gives, on made-up texts.

Each one (a sentence's span made without the loops of a longer span, the seed words found in the whole
Japanese text at once, the whole-document search reusing the line attempt's anchors, a sentence's katakana
words read in one pass over its tokens, the variants stage's index of the source's words, the spelled-twice
pairs asked only of words that can be one) is checked against the computation it replaces.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.align.aligner import _Span, align_sentences
from pipeline.align.anchors import SentenceAnchors
from pipeline.align.layout import align_by_lines, align_document, layout_beads
from pipeline.align.lexicon import _JA_OPENING, _OPENERS, _SEED, english_words, seed_anchors
from pipeline.document import Token
from pipeline.stages.name_check import katakana_words, nameish, token_katakana_words
from pipeline.stages.variants import source
from pipeline.stages.variants.forms import _form
from pipeline.stages.variants.source import SourceWords, _all_rendered, spelled_twice

_KEYS = ["n:5", "n:110", "n:2.5", "d:3", "w:acme", "k:lnd", "q:?"]

anchors_st = st.builds(
    SentenceAnchors,
    numbers=st.dictionaries(st.sampled_from(_KEYS[:4]), st.integers(1, 3), max_size=3).map(Counter),
    words=st.frozensets(st.sampled_from(_KEYS[4:]), max_size=3),
    foreign=st.integers(0, 2),
    foreign_numbers=st.integers(0, 1),
    lexical=st.frozensets(st.sampled_from(["x:sale", "x:^but", "d:rain"]), max_size=2),
    content=st.integers(0, 4),
)


@settings(max_examples=200, deadline=None)
@given(anchors_st, st.frozensets(st.sampled_from(_KEYS), max_size=3), st.sampled_from([0, 3]))
def test_single_span_holds_the_values_of_a_span_read_from_one_sentence(x, pins, content_min) -> None:
    # property: every slot of _Span.single, floats to the bit, is the one-sentence _Span's
    old = _Span([x], 0.3, 2.0, pins, 0.5, content_min)
    new = _Span.single(x, 0.3, 2.0, pins, 0.5, content_min)
    for name in _Span.__slots__:
        a, b = getattr(old, name), getattr(new, name)
        if isinstance(a, float):
            assert float(a).hex() == float(b).hex(), name
        elif isinstance(a, dict):
            assert list(a.items()) == list(b.items()), name  # the same sums in the same order
        else:
            assert a == b, name


def _seed_anchors_each_sentence(english: list[str], japanese: list[str]) -> tuple[list, list]:
    """The round-7 definition: every spelling tested in every sentence."""
    from pipeline.align.lexicon import _opener

    en = [frozenset("x:" + w for w in english_words(s) if w in _SEED) | _opener(s) for s in english]
    vocab = {x[2:] for e in en for x in e if x[2] != "^"}
    openers = {x[3:] for e in en for x in e if x[2] == "^"}
    ja = [
        frozenset("x:" + w for w in vocab if any(t in s for t in _SEED[w]))
        | frozenset("x:^" + w for w in openers if s[_JA_OPENING.match(s).end() :].startswith(_OPENERS[w]))
        for s in japanese
    ]
    found = set().union(*ja) if ja else set()
    return [e & found for e in en], ja


_EN_WORDS = ["year", "thank", "but", "however", "minute", "hour", "month", "the", "so", "rain"]
# the Japanese spellings of those words' seed stems and of the connectives (and their pieces: a spelling cut in two)
_SPELLINGS = sorted(
    {t for w in _EN_WORDS for t in _SEED.get(w[:5], ())} | {t for ts in _OPENERS.values() for t in ts} | {"今", "年"}
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_EN_WORDS), min_size=1, max_size=4).map(" ".join), max_size=4),
    st.lists(st.lists(st.sampled_from([*_SPELLINGS, "雨", "。", "「"]), max_size=4).map("".join), max_size=5),
)
def test_seed_words_found_in_the_whole_text_are_those_found_sentence_by_sentence(english, japanese) -> None:
    # property: a spelling found once in the joined text marks the same sentences as testing each sentence
    # (including a spelling cut in two by a sentence boundary, and empty sentences)
    assert seed_anchors(english, japanese) == _seed_anchors_each_sentence(english, japanese)


def test_seed_word_across_a_sentence_boundary_is_not_found() -> None:
    # golden: 今年 split over two sentences ("今" ending one, "年" opening the next) is in neither
    got = seed_anchors(["This year."], ["今", "年に"])
    assert got == _seed_anchors_each_sentence(["This year."], ["今", "年に"])
    assert got[1][0] == frozenset()


def test_whole_document_search_after_a_refused_layout_reuses_the_first_pass() -> None:
    # golden: a made-up document whose second line pair has a number only on one side of crossed lines (a refusal
    # on the anchor check): align_document gives the whole-document search's beads, computed on the line attempt's
    # anchors, as align_sentences computes them itself
    en = ["The plant opened in 2019.", "Sales rose 45 percent.", "Workers cheered."]
    ja = ["売上は45%増えた。", "工場は2019年に開業した。", "労働者は歓声を上げた。"]
    lines = ([0, 1, 2], [0, 1, 2])
    assert layout_beads(en, ja, lines) == "anchor"
    assert align_document(en, ja, lines) == align_sentences(en, ja, lines=lines)


def test_align_document_takes_the_line_path_when_the_layout_holds() -> None:
    # golden: two line pairs of one sentence a side: the line path's beads
    en = ["The plant opened in 2019.", "Workers cheered."]
    ja = ["工場は2019年に開業した。", "労働者は歓声を上げた。"]
    lines = ([0, 1], [0, 1])
    beads = align_by_lines(en, ja, lines)
    assert beads is not None and align_document(en, ja, lines) == beads


def _token(surface: str, pos: str = "名詞-普通名詞-一般", reading: str = "ヨミ") -> Token:
    return Token(0, len(surface), surface, surface, pos, reading)


token_st = st.one_of(
    st.builds(
        _token,
        st.sampled_from(["ベルリン", "ガス", "スポーツ", "リーグ", "ー", "・", "で", "東京", "", "ヴァ", "ア\0イ"]),
        st.sampled_from(["名詞-固有名詞-地名", "名詞-普通名詞-一般"]),
        st.sampled_from(["", "ヨミ"]),
    )
)


@settings(max_examples=200, deadline=None)
@given(st.lists(token_st, max_size=10))
def test_katakana_words_in_one_pass_are_those_of_surfaces_and_flags(tokens) -> None:
    # property: the same dict, in the same order, as katakana_words over the surfaces and every token's flag
    surfaces = [t.surface for t in tokens]
    names = ["ァ" <= x[:1] <= "ー" and nameish(t) for x, t in zip(surfaces, tokens, strict=True)]
    want = katakana_words(surfaces, names)
    got = token_katakana_words(tokens)
    assert list(got.items()) == list(want.items())


def test_source_words_index_gives_the_words_of_a_plain_mapping() -> None:
    # golden: a form's rendered words through the index of the whole source equal those found by indexing only
    # the forms' own words (a plain dict takes that way); a word of another sentence never leaks in
    english = [frozenset({"Ruddock", "coach", "won"}), frozenset({"Tolanye", "sang", "Ruddock"})]
    words = SourceWords(english)
    forms = [_form("ラドック"), _form("トラニエ"), _form("コーチ")]
    words["ラドック"] = english[0]
    words["トラニエ"] = english[0]  # aligned to the sentence without Tolanye
    words["コーチ"] = english[0]
    plain = dict(words)
    got, want = _all_rendered(forms, words), _all_rendered(forms, plain)
    assert got == want
    assert got["ラドック"] == {"Ruddock"} and got["トラニエ"] == set()
    # a form given a word of no English sentence (a caller's own mapping): the general way, the same answer
    words["トラニエ"] = frozenset({"Tolanye"}) | english[0]
    words.english_words = [english[0]]
    assert _all_rendered(forms, words) == _all_rendered(forms, dict(words))
    assert _all_rendered(forms, words)["トラニエ"] == {"Tolanye"}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Rajasthan",
                "Rajastan",
                "Marrakesh",
                "Marakesh",
                "Jan",
                "Joan",
                "Hawk",
                "Hawks",
                "rajastan",
                "Uppsala University",
                "Gustava",
                "Gustav",
            ]
        ),
        max_size=6,
        unique=True,
    )
)
def test_spelled_twice_pairs_are_those_of_every_pair(words) -> None:
    # property: the prefilter (one capitalised word of MIN_SPELLED_TWICE letters or more, lengths one apart)
    # joins the same groups, in the same order, as asking spelled_twice of every pair
    by_word = {w: [k] for k, w in enumerate(words)}
    want = {w: list(v) for w, v in by_word.items()}
    for a in sorted(want):
        for b in sorted(want):
            if a < b and spelled_twice(a, b):
                both = sorted(set(want[a]) | set(want[b]))
                want[a], want[b] = both, list(both)
    source._join_spelled_twice(by_word)
    assert by_word == want


def test_foreign_latin_english_side_kept_per_text_answers_each_translation() -> None:
    # golden: one made-up English text, two translations asked one after the other (the English side then comes
    # from the cache): each gets its own answer, as the doctest's definition gives it
    from pipeline.align.aligner import _english_keys, _english_latin, _foreign_latin
    from pipeline.align.anchors import document_anchors

    en = ["Please order the fishing rod from Zorbix.", "It ships today."]
    first = ["#CODE#の釣り竿をゾルビクスに注文してください。", "本日発送します。"]
    second = ["フィッシングロッドを注文してください。", "グラブノットが本日発送します。"]
    assert _foreign_latin(en, first, document_anchors(en, first)[1]) == [True, False]
    assert _foreign_latin(en, second, document_anchors(en, second)[1]) == [False, True]
    # the kept English side is the one read from the sentences: Latin tokens, and keys of words and word pairs
    assert "zorbix" in _english_latin(tuple(en)) and "fishing" in _english_latin(tuple(en))
    from pipeline.romanise import phonetic_key

    assert {phonetic_key("fishingrod"), phonetic_key("zorbix")} <= _english_keys(tuple(en))

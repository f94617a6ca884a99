"""The cold path of the source (issue 14, round 9): each shared or cheaper way gives what the old one gave.

Every text here is made up.  Each property compares the new path with the computation it replaced (copied
here as the reference), on texts drawn from alphabets that hold the cases the shortcut reasons about.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.align import aligner, anchors
from pipeline.align.english import CLOSERS, _ends_sentence, split_english
from pipeline.stages.segment import trim_span
from pipeline.stages.variants import source
from pipeline.stages.variants.forms import _form
from pipeline.stages.variants.source import SourceWords, _all_rendered

# -- references: the code each lever replaced -------------------------------------------------------------


def old_split_english(line: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    n = len(line)
    start = 0
    i = 0
    while i < n:
        c = line[i]
        if c in ".!?" and _ends_sentence(line, i):
            j = i + 1
            while j < n and line[j] in ".!?":
                j += 1
            while j < n and line[j] in CLOSERS:
                j += 1
            spans.append((start, j))
            start = i = j
            continue
        i += 1
    if start < n:
        spans.append((start, n))
    return [s for s in (trim_span(line, a, b) for a, b in spans) if s[0] < s[1]]


# -- made-up texts ------------------------------------------------------------------------------------------

# words and pieces that meet each rule: number words (whole, inside a longer word, after a digit), months,
# capitals, abbreviations and initials, marks and closers, and letters IGNORECASE folds into [a-z] (ſ, K)
_PIECES = [
    "five",
    "Twenty",
    "fiveish",
    "5million",
    "seventy-two",
    "March",
    "march",
    "Sept",
    "september",
    "Monday",
    "dozen",
    "a",
    "I",
    "Zorbix",
    "Quell",
    "fishing",
    "rod",
    "Mr.",
    "J.",
    "No.",
    "etc.",
    "3.5",
    "U.S.-based",
    " ",
    "  ",
    ".",
    "!",
    "?",
    "...",
    '"',
    "”",
    "’",
    ")",
    ",",
    "ſix",
    "\u212a",
    "é",
    "fünf",
    "ＮＦＬ",
    "二",
    "\n",
]
sentence_st = st.lists(st.sampled_from(_PIECES), max_size=14).map(lambda parts: "".join(parts))
spaced_st = st.lists(st.sampled_from(_PIECES), max_size=14).map(lambda parts: " ".join(parts))
text_st = st.one_of(sentence_st, spaced_st, st.text(alphabet="abfiveMrJ. !?\"'ſ\u212a", max_size=30))


@settings(max_examples=400, deadline=None)
@given(text_st)
def test_number_word_test_by_letter_runs_is_the_regex_search(text) -> None:
    # property: the run-of-letters test answers as the pattern's search, in ASCII text and outside it
    assert anchors._has_number_word(text) == (anchors._EN_NUMBER_WORD.search(text) is not None)


def test_number_words_golden() -> None:
    # golden, one comment each:
    assert anchors._has_number_word("It took five days.")  # a number word alone
    assert anchors._has_number_word("Up 5million.")  # after a digit: no letter before it
    assert not anchors._has_number_word("A fiveish mood.")  # inside a longer run of letters: not the word
    assert anchors._has_number_word("seventy-two")  # a hyphen ends the run
    assert anchors._has_number_word("“Monday” came.")  # outside ASCII: the pattern itself is asked
    assert not anchors._has_number_word("Zorbix shipped it.")  # no number word
    # and english_numbers still reads the words the test lets through: five and March (month 3)
    assert anchors.english_numbers("It took five days in March.") == {"n:5": 1, "n:3": 1}


@settings(max_examples=400, deadline=None)
@given(text_st)
def test_split_english_jumping_from_mark_to_mark_gives_the_old_spans(line) -> None:
    # property: the spans of the per-character loop
    assert split_english(line) == old_split_english(line)


def test_split_english_golden() -> None:
    # golden: an abbreviation, an initial, a decimal and a speech tag do not end a sentence; "!" and "?" do
    line = 'Mr. Quell met J. Zorbix at 3.5 pm. "Why?" he asked. Go! Now?'
    assert [line[a:b] for a, b in split_english(line)] == [
        "Mr. Quell met J. Zorbix at 3.5 pm.",
        '"Why?" he asked.',
        "Go!",
        "Now?",
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(sentence_st, max_size=5))
def test_english_latin_by_sentence_is_the_union_of_latin_tokens(english) -> None:
    # property: the kept per-sentence Latin tokens are latin_tokens' (the anchors and the foreign check share them)
    english = tuple(english)
    anchors.english_latin_tokens.cache_clear()
    aligner._english_latin.cache_clear()
    want = frozenset().union(*(anchors.latin_tokens(s) for s in english))
    assert aligner._english_latin(english) == want
    assert all(anchors.english_latin_tokens(s) == anchors.latin_tokens(s) for s in english)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["#CODE#", "ゾルビクス", "ＮＦＬ", "DiscordとCOVID-19", "の", "。", "x", "Ab"]), max_size=8
    )
)
def test_japanese_latin_tokens_read_by_the_anchors_are_latin_tokens(parts) -> None:
    # property: the foreign check reads a Japanese sentence's Latin tokens from _japanese_words: the same set
    s = "".join(parts)
    assert anchors._japanese_words(s)[0] == anchors.latin_tokens(s)


def test_foreign_latin_golden_after_forgetting() -> None:
    # golden: the doctest's answer, every per-sentence cache forgotten first (the cold path) and then kept
    en = ["Please follow the link to order the fishing rod."]
    ja = [
        "#TICKET#の手順に従ってください。",
        "釣り竿を一日で送ります。",
        "フィッシングロッドを注文する。",
        "ケルトマン様に送ります。",
    ]
    for _ in range(2):
        anchors.clear_sentence_caches()
        assert aligner._foreign_latin(en, ja, anchors.document_anchors(en, ja)[1]) == [True, False, False, True]


# -- the variants stage: the index of the source's words only for a source seen before ----------------------

_EN_WORDS = ["Ruddock", "Tolanye", "coach", "won", "sang", "Marrakesh", "Marakesh", "Hawks", "Hawk", "Gustav"]
_FORMS = ["ラドック", "トラニエ", "コーチ", "マラケシュ", "ホークス", "グスタフ", "ソング"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.frozensets(st.sampled_from(_EN_WORDS), max_size=5), min_size=1, max_size=3),
    st.dictionaries(st.sampled_from(_FORMS), st.integers(0, 2), min_size=1, max_size=5),
)
def test_rendered_words_are_the_same_on_first_and_later_sight_of_a_source(english, aligned) -> None:
    # property: the first time a source is met (no index, the forms' own words), the second time (the index of
    # every word), and a plain mapping (the general way) give the same words for every form
    words = SourceWords(english)
    for text, k in aligned.items():
        words[text] = english[k % len(english)]
    forms = [_form(text) for text in aligned]
    source.clear_source_caches()
    first = _all_rendered(forms, words)
    assert source._seen_before(tuple(words.english_words))  # remembered by the first call
    second = _all_rendered(forms, words)
    assert first == second == _all_rendered(forms, dict(words))


def test_seen_sources_are_bounded_and_forgotten() -> None:
    # golden: at most _SEEN_MAX sources are remembered, oldest out first; clear_source_caches forgets them
    source.clear_source_caches()
    sources = [(frozenset({f"Word{k}"}),) for k in range(source._SEEN_MAX + 1)]
    for s in sources:
        assert not source._seen_before(s)
    assert not source._seen_before(sources[0])  # pushed out by the newest
    assert source._seen_before(sources[-1])
    source.clear_source_caches()
    assert not source._seen_before(sources[-1])

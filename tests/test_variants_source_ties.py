"""Issue 14, round 8: a tie the English source proves one name but cannot break by sound.

With a source, two spellings of one frequency that both render one English
word of their aligned sentences are one name (bilingual evidence); when
neither is closer to that word as heard (``CLOSER_BY``), which one stays is
cosmetic: a spelling without a hyphen beats one with it, then the batch's
counts (``--tie-break batch``), then the spelling first in the text.
Without a source every such tie stays a flag.  Made-up names and sentences
only (no dev-set name or sentence).
"""

from __future__ import annotations

from collections import Counter

import pytest
from source_helpers import assert_merged_with_source, source_edits, two

from pipeline.run import Config, clean_text
from pipeline.stages.variants.options import VariantOptions
from pipeline.stages.variants.source import english_words

# (ja, en, expected (old, new) edits, text every reason holds): a tie merged only with the source
PROVEN_TIES = [
    # both render "Lamont" and neither is closer to it: the first spelling in the text stays; the reason
    # names the evidence (the English word and its sentences) and the tie-break
    (
        *two(("ラモント", "ラモーント"), ("Lamont", "Lamont")),
        [("ラモーント", "ラモント")],
        'the spelling first in the text (1–1 tie; all render "Lamont" in the aligned English (sentences 0 and 1)',
    ),
    # the same tie the other way round: first in the text, not the shorter or the longer spelling
    (
        *two(("ラモーント", "ラモント"), ("Lamont", "Lamont")),
        [("ラモント", "ラモーント")],
        "the spelling first in the text (1–1 tie",
    ),
    # a 2–2 tie: both mentions of the second spelling go
    (
        "ラモント氏とラモーント氏が話した。\nラモーント氏は去った。\nその後、ラモント氏は笑った。\n",
        "Lamont and Lamont spoke.\nLamont left.\nLater, Lamont laughed.\n",
        [("ラモーント", "ラモント"), ("ラモーント", "ラモント")],
        "(2–2 tie; all render",
    ),
    # a hyphen between the parts (MT's joiner) loses to the spelling without one, even when it comes first;
    # the English holds the name inside a longer run of capitalised words (House Speaker Delma Vorst)
    (
        *two(("デルマ-ヴォルスト", "デルマヴォルスト"), ("House Speaker Delma Vorst", "Delma Vorst")),
        [("デルマ-ヴォルスト", "デルマヴォルスト")],
        'the spelling without a hyphen, which is no Japanese name joiner (1–1 tie; all render "Delma Vorst"',
    ),
    # a romaji lead under CLOSER_BY (メーフィールド leads by 3 points for "Mayfield") decides nothing: the first stays
    (
        "メイフィールド監督が話した。\nその後、メーフィールド氏は去った。\n",
        "Coach Mayfield spoke.\nLater, Mayfield left.\n",
        [("メーフィールド", "メイフィールド")],
        'the spelling first in the text (1–1 tie; all render "Mayfield"',
    ),
    # a hyphen is never the spelling kept, also where the English writes two words (no ・ spelling to follow)
    (
        "ルナ-パークが開いた。\nその後、ルナパークは閉まった。\n",
        "Luna Park opened.\nLater, Luna Park closed.\n",
        [("ルナ-パーク", "ルナパーク")],
        "the spelling without a hyphen",
    ),
    # a name the English spells two ways, each spelling rendering one, equally close: the first stays
    (
        *two(("カヴォディヤ", "カヴォドヤ"), ("Kavodhya", "Kavodya")),
        [("カヴォドヤ", "カヴォディヤ")],
        'the spelling first in the text (1–1 tie; all render "Kavodhya / Kavodya", one name the English spells',
    ),
]


@pytest.mark.parametrize(("ja", "en", "edits", "reason"), PROVEN_TIES)
def test_a_tie_the_source_proves_goes_to_the_first_spelling(
    ja: str, en: str, edits: list[tuple[str, str]], reason: str
) -> None:
    assert_merged_with_source(ja, en, edits, reason)


# (ja, en, why): ties the source does not prove one name, or that something else decides
NOT_PROVEN = [
    # one spelling renders the word and the other is two kana from it: no evidence they are one name
    (*two(("ブロックランド", "ブロッグラン"), ("Brockland", "Brockland")), "only one renders the word"),
    # each renders another English word of its own sentence: two people, never merged
    (*two(("ラモント", "ラモーナ"), ("Lamont", "Ramona")), "different English words"),
    # a compound common noun written with and without ・, its English in lower case: no name, still a flag
    (
        "スキーパスを買った。\nその後、スキー・パスをなくした。\n",
        "I bought a ski pass.\nLater, I lost the ski pass.\n",
        "a lower-case English phrase is no name",
    ),
    # the English aligned to one spelling does not hold the name at all
    (*two(("ラモント", "ラモーント"), ("Lamont", "Tamsin")), "one sentence is about someone else"),
]


@pytest.mark.parametrize(("ja", "en", "why"), NOT_PROVEN)
def test_a_tie_the_source_does_not_prove_stays_a_flag(ja: str, en: str, why: str) -> None:
    assert source_edits(ja, en) == [], why


def test_a_closer_spelling_still_wins_over_the_first() -> None:
    # "Tavish": タヴィッシュ is closer by romaji similarity, so it wins though タビッシュ comes first
    ja, en = two(("タビッシュ", "タヴィッシュ"), ("Tavish", "Tavish"))
    [(old, new, why)] = source_edits(ja, en)
    assert (old, new) == ("タビッシュ", "タヴィッシュ")
    assert 'closest to "Tavish"' in why


def test_the_majority_is_never_overwritten_by_the_first_spelling() -> None:
    # ラモーント comes first but ラモント is the majority (2 against 1): the tie-break is never reached
    ja = "ラモーント氏が話した。\nラモント氏は去った。\nその後、ラモント氏は笑った。\n"
    en = "Lamont spoke.\nLamont left.\nLater, Lamont laughed.\n"
    [(old, new, why)] = source_edits(ja, en)
    assert (old, new) == ("ラモーント", "ラモント")
    assert "the article's majority spelling (2 of 3)" in why


def test_the_batch_breaks_a_tie_the_source_only_proves() -> None:
    # the source proves ラモント / ラモーント one name but cannot choose; the batch's counts can
    ja, en = two(("ラモント", "ラモーント"), ("Lamont", "Lamont"))
    batch = Config(variants=VariantOptions(batch_counts=Counter({"ラモーント": 5, "ラモント": 1})))
    [(old, new, why)] = source_edits(ja, en, batch)
    assert (old, new) == ("ラモント", "ラモーント")
    assert "the spelling more documents of the batch use (5 against 1" in why


def test_a_hyphen_loses_even_where_the_batch_prefers_it() -> None:
    # a hyphen is no joiner of Japanese names: the source-proven tie goes to the spelling without one
    ja, en = two(("デルマ-ヴォルスト", "デルマヴォルスト"), ("Delma Vorst", "Delma Vorst"))
    batch = Config(variants=VariantOptions(batch_counts=Counter({"デルマ-ヴォルスト": 5, "デルマヴォルスト": 1})))
    [(old, new, _)] = source_edits(ja, en, batch)
    assert (old, new) == ("デルマ-ヴォルスト", "デルマヴォルスト")


# (sentence, runs of capitalised words it must give, why)
CAPITAL_RUNS = [
    ("House Speaker Delma Vorst said so.", {"Delma Vorst", "Speaker Delma Vorst"}, "a run of four words"),
    ("Deputy House Speaker Delma Vorst said so.", {"Delma Vorst", "Speaker Delma"}, "a run of five words"),
    ("Delma Vorst's aide", {"Delma Vorst"}, "a possessive after the run"),
]


@pytest.mark.parametrize(("sentence", "runs", "why"), CAPITAL_RUNS)
def test_every_name_inside_a_long_run_of_capitals_is_a_source_word(sentence: str, runs: set[str], why: str) -> None:
    assert runs <= english_words(sentence), why
    # runs never cross a lower-case word
    assert "said Delma" not in english_words(sentence) and "Vorst said" not in english_words(sentence)


# A dictionary word the English never says, written for a name: ブリム is UniDic's *brim*; "Brime" is a
# made-up name.  (ja, en, expected (old, new) edits, text every reason holds)
PAST_THE_GLOSS = [
    # a tie: ブライム renders "Brime" as written, ブリム only once its reading *brim* (never said) is set aside
    (
        *two(("ブリム", "ブライム"), ("Brime", "Brime")),
        [("ブリム", "ブライム")],
        'the only spelling that renders "Brime" in the aligned English (sentences 0 and 1) as written; UniDic '
        'reads ブリム as "brim", which the English never says',
    ),
    # ... whichever comes first
    (*two(("ブライム", "ブリム"), ("Brime", "Brime")), [("ブリム", "ブライム")], "UniDic reads ブリム as"),
    # ... also over the spelling of a ・-joined "full name" (here a name and a common noun joined)
    (
        "ブリム・アーティストが話した。\nその後、ブライムの歌手は去った。\n",
        "The Brime artist spoke.\nLater, the Brime singer left.\n",
        [("ブリム", "ブライム")],
        'UniDic reads ブリム as "brim", which the English never says',
    ),
    # the slip in the minority joins the majority that renders the name as written
    (
        "ブライム議員が話した。\nブライム氏はノーと言った。\nその後、ブリム氏は去った。\n",
        "Senator Brime spoke.\nBrime said no.\nLater, Brime left.\n",
        [("ブリム", "ブライム")],
        "the article's majority spelling (2 of 3)",
    ),
]


@pytest.mark.parametrize(("ja", "en", "edits", "reason"), PAST_THE_GLOSS)
def test_a_dictionary_word_the_english_never_says_is_heard_as_the_name(
    ja: str, en: str, edits: list[tuple[str, str]], reason: str
) -> None:
    # without the source the dictionary's reading stands
    assert_merged_with_source(ja, en, edits, reason)


# (ja, en, why): the dictionary word's own sense, or the majority, keeps it
GLOSS_STANDS = [
    # the English says "brim" (here as a verb, elsewhere in the text): the dictionary word may be meant
    (*two(("ブリム", "ブライム"), ("Brime", "Brime, whose hats brim with feathers,")), "the English says the gloss"),
    # ... also in the plural
    (*two(("ブリム", "ブライム"), ("Brime", "Brime, whose hat brims are wide,")), "the English says it in the plural"),
    # the slip is the majority: never overwritten, and the name is never rewritten toward the slip
    (
        "ブリム議員が話した。\nブリム氏はノーと言った。\nその後、ブライム氏は去った。\n",
        "Senator Brime spoke.\nBrime said no.\nLater, Brime left.\n",
        "the majority is the slip",
    ),
]


@pytest.mark.parametrize(("ja", "en", "why"), GLOSS_STANDS)
def test_a_dictionary_word_whose_sense_the_english_says_stays(ja: str, en: str, why: str) -> None:
    assert source_edits(ja, en) == [], why


def test_the_slip_is_flagged_when_it_is_the_majority() -> None:
    ja = "ブリム議員が話した。\nブリム氏はノーと言った。\nその後、ブライム氏は去った。\n"
    en = "Senator Brime spoke.\nBrime said no.\nLater, Brime left.\n"
    doc = clean_text(ja, english=en)
    [flag] = [f.reason for f in doc.flags if f.stage == "variants"]
    # the name (UniDic files ブライム as a name) never takes the slip's spelling, a common noun's here
    assert flag.startswith("variant of ブリム (1 of 3 mentions):") and flag.endswith(", kept"), flag


# A common noun written for a name: サラダ is UniDic's *salad*; "Sarada" is a made-up name, サラーダ and サラドゥ
# spellings of it.  (ja, en, expected (old, new) edits, text every reason holds)
COMMON_SLIPS = [
    # a tie between the common noun and a spelling of the name: the name's spelling, whichever comes first
    (
        *two(("サラダ", "サラーダ"), ("Sarada", "Sarada")),
        [("サラダ", "サラーダ")],
        "サラーダ chosen as the only spelling of the name (サラダ is UniDic's common noun サラダ, which the English "
        "never says)",
    ),
    (*two(("サラーダ", "サラダ"), ("Sarada", "Sarada")), [("サラダ", "サラーダ")], "the only spelling of the name"),
    # three spellings, one mention each: the common noun is left out of the tie, the rest is decided by sound
    (
        "サラダ議員が話した。\nサラーダ氏は去った。\nその後、サラドゥ氏は笑った。\n",
        "Senator Sarada spoke.\nSarada left.\nLater, Sarada laughed.\n",
        [("サラダ", "サラーダ"), ("サラドゥ", "サラーダ")],
        "サラダ is UniDic's common noun サラダ, which the English never says: left out",
    ),
]


@pytest.mark.parametrize(("ja", "en", "edits", "reason"), COMMON_SLIPS)
def test_a_common_noun_the_english_never_says_takes_the_name_s_spelling(
    ja: str, en: str, edits: list[tuple[str, str]], reason: str
) -> None:
    # without the source a tie stays a flag
    assert_merged_with_source(ja, en, edits, reason)


# (ja, en, why): the common noun keeps its spelling
COMMON_NOUN_STANDS = [
    # the English says "salad" somewhere: the noun may be meant, and a name never takes its spelling
    (*two(("サラダ", "サラーダ"), ("Sarada", "Sarada, who eats a salad,")), "the English says the noun"),
    # ... in the plural, in another sentence
    (
        "サラダ氏が話した。\nその後、サラーダ氏は去った。\n美味しかった。\n",
        "Sarada spoke.\nLater, Sarada left.\nThe salads were good.\n",
        "the English says it in the plural",
    ),
    # the common noun is the majority: never overwritten, and the name never takes its spelling
    (
        "サラダ議員が話した。\nサラダ氏はノーと言った。\nその後、サラーダ氏は去った。\n",
        "Senator Sarada spoke.\nSarada said no.\nLater, Sarada left.\n",
        "the majority is the common noun",
    ),
]


@pytest.mark.parametrize(("ja", "en", "why"), COMMON_NOUN_STANDS)
def test_a_common_noun_the_english_says_stays(ja: str, en: str, why: str) -> None:
    assert source_edits(ja, en) == [], why


def _noun(text: str, lemma: str, gloss: str):  # type: ignore[no-untyped-def]
    """A one-mention form whose one token is a UniDic common noun with this lemma and gloss."""
    from pipeline.document import Token
    from pipeline.stages.variants.forms import Form
    from pipeline.stages.variants.mentions import Mention

    tok = Token(0, len(text), text, lemma, "名詞-普通名詞-一般", text)
    f = Form(text, "kana", tokens=(tok,))
    f.mentions.append(Mention(0, len(text), text, "kana", (tok,), lemma.split("-")[0], gloss, lemma))
    f.glosses.add(gloss)
    f.known.add(lemma)
    return f


# (the noun's English words, the lemma common_slip gives or None, why)
SLIP_WORDS = [
    ({"Sarada", "spoke"}, "サラダ", "a capitalised word it sounds like, its sense (salad) never said"),
    ({"Sarada", "salad"}, None, "the English says its gloss"),
    ({"Sarada", "Salads"}, None, "... in the plural and capitalised"),
    ({"sarada", "spoke"}, None, "no capitalised word: no name it could stand for"),
    ({"Tamsin", "spoke"}, None, "it sounds like no word of its English"),
]


@pytest.mark.parametrize(("english", "lemma", "why"), SLIP_WORDS)
def test_which_common_noun_is_a_slip(english: set[str], lemma: str | None, why: str) -> None:
    from pipeline.stages.variants.source import common_slip

    assert common_slip(_noun("サラダ", "サラダ-salad", "salad"), {"サラダ": frozenset(english)}) == lemma, why


def test_a_common_noun_joins_only_a_look_alike_of_the_name() -> None:
    from pipeline.stages.variants.forms import _form
    from pipeline.stages.variants.source import look_alike

    noun = _noun("サラダ", "サラダ-salad", "salad")
    assert look_alike(noun, _form("サラーダ")) and look_alike(noun, _form("サルダ"))  # folded alike; one kana apart
    assert not look_alike(noun, _form("スラーデ"))  # two kana apart: another word, never joined as a slip


# (UniDic gloss, the source's words, whether the source says it, why)
GLOSS_SAID = [
    ("brim", {"brim"}, True, "the word itself"),
    ("brim", {"Brims"}, True, "its plural, capitalised"),
    ("application", {"app", "Appri"}, True, "a clipping of it (three letters or more)"),
    ("brim", {"Brime"}, False, "a longer name that begins with it is another word"),
    ("brimmer", {"br"}, False, "two letters are no clipping"),
    ("grimm", {"Grimal"}, False, "a name sharing letters is not the word"),
]


@pytest.mark.parametrize(("gloss", "english", "said", "why"), GLOSS_SAID)
def test_when_the_source_says_a_gloss(gloss: str, english: set[str], said: bool, why: str) -> None:
    from pipeline.stages.variants.source import gloss_said

    assert gloss_said(gloss, {"x": frozenset(english)}) is said, why

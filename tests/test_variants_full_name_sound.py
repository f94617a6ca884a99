"""Round 9: on a tie, the full name's spelling against the English word's sound.

Without a source, two spellings of one frequency go to the spelling the
article uses in a ・-joined full name.  With a source that proves them one
name, a spelling closer to the English word *as heard* by
``CLOSER_BY_THAN_NAME`` points outranks the full name's: a blind second
audit found the full-name rule rewriting a name toward a spelling that reads
as another name (ee heard as e).  A smaller lead, which comes from habits of
transliteration (an r after a vowel written or not), leaves the full name's
spelling.  English ee is always heard as a long i when ties are broken by
sound.  Made-up names and sentences only.
"""

from __future__ import annotations

import pytest

from pipeline.romanise import english_readings
from pipeline.run import clean_text
from pipeline.stages.variants.canonical import CLOSER_BY, CLOSER_BY_THAN_NAME, heard_similarity


def four(full: str, alone: str, first: str, surname: str) -> tuple[str, str]:
    """A made-up four-line article: the full name twice, the surname alone twice (a 2–2 tie)."""
    ja = f"{first}・{full}氏が話した。\n{alone}氏は笑った。\nその後、{first}・{full}氏は去った。\n{alone}氏は戻った。\n"
    en = f"Quinn {surname} spoke.\n{surname} laughed.\nLater, Quinn {surname} left.\n{surname} came back.\n"
    return ja, en


def variant_edits(ja: str, en: str | None) -> list[tuple[str, str, str]]:
    return [(e.old, e.new, e.reason) for e in clean_text(ja, english=en).edits if e.stage == "variants"]


# (ja, en, expected (old, new) edits, text every reason holds): one row a case, each with why
CASES = [
    # the full name spells Sweeney with e (スウェニー): the spelling that hears ee as a long i is 18 points closer,
    # so it is kept and the full name's spelling goes
    (
        *four("スウェニー", "スウィーニー", "クイン", "Sweeney"),
        [("スウェニー", "スウィーニー"), ("スウェニー", "スウィーニー")],
        'スウィーニー chosen as the spelling closest to "Sweeney" (romaji similarity 91 against 73',
    ),
    # the full name already has the closer spelling: the full-name rule decides, its reason unchanged
    (
        *four("スウィーニー", "スウェニー", "クイン", "Sweeney"),
        [("スウェニー", "スウィーニー"), ("スウェニー", "スウィーニー")],
        "the spelling of the full name (forms equally frequent)",
    ),
    # a lead of 6 points (マルビー writes the r of "Marby", マービー makes it a long vowel): a habit of
    # transliteration, under CLOSER_BY_THAN_NAME: the full name's spelling stays
    (
        *four("マービー", "マルビー", "クイン", "Marby"),
        [("マルビー", "マービー"), ("マルビー", "マービー")],
        "the spelling of the full name (forms equally frequent)",
    ),
]


@pytest.mark.parametrize(("ja", "en", "edits", "reason"), CASES)
def test_the_full_names_spelling_against_the_sound(ja: str, en: str, edits: list, reason: str) -> None:
    got = variant_edits(ja, en)
    assert [(old, new) for old, new, _ in got] == edits, got
    assert all(reason in why for _, _, why in got), got


def test_without_the_source_the_tie_stays_a_flag() -> None:
    ja, _ = four("スウェニー", "スウィーニー", "クイン", "Sweeney")
    assert variant_edits(ja, None) == []


def test_the_margins() -> None:
    # the two figures the cases above sit on either side of
    assert (
        heard_similarity(("Sweeney",), "スウィーニー") - heard_similarity(("Sweeney",), "スウェニー")
        >= CLOSER_BY_THAN_NAME
    )
    lead = heard_similarity(("Marby",), "マルビー") - heard_similarity(("Marby",), "マービー")
    assert CLOSER_BY <= lead < CLOSER_BY_THAN_NAME


# (word, a reading that must not be among the sound readings, why)
NOT_HEARD = [
    ("Sweeney", "sweenii", "ee kept as written: flat romaji hears it as e (スウェニー)"),
    ("Keel", "keel", "the word itself is never among its readings"),
]


@pytest.mark.parametrize(("word", "reading", "why"), NOT_HEARD)
def test_ee_is_always_a_long_i_when_heard(word: str, reading: str, why: str) -> None:
    readings = english_readings(word, sounds_only=True)
    assert reading not in readings, why
    assert any("ii" in r for r in readings), readings
    # the looser readings (to ask whether a spelling renders the word at all) still try ee as written
    assert "sweenii" in english_readings("Sweeney")

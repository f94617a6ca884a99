"""Issue 14, round 10: two bugs of the number-mismatch flag, each with made-up sentences.

1. The English number reader kept a comma that follows a number (``11,`` of "September 11, 2001"), so a flag's
   reason quoted ``'11,'`` and the check looked for the comma too.
2. A number the English writes twice and the Japanese drops gave two flags with the same span and reason (the
   same key in the flag audit): now one flag, its reason saying how often the English writes it.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import clean
from pipeline.stages.bilingual import EN_NUMBER, copied_as_written, missing_numbers, numbers_to_check


def number_flags(ja: str, en: str) -> list[str]:
    doc = clean(ja, english=en)
    return [f.reason for f in doc.flags if f.rule == "number-mismatch"]


@pytest.mark.parametrize(
    ("english", "want"),
    [
        # a day before the year's comma: the comma is punctuation, not part of the number (main: '11,', '2001,')
        ("It began on September 11, 2001, in the city.", ["11", "2001"]),
        # a year before a clause's comma (main: '1992,')
        ("In 1992, the bridge opened.", ["1992"]),
        # a thousands separator inside the number stays
        ("About 1,500, perhaps 2,000 people came.", ["1,500", "2,000"]),
        # Indian grouping stays whole
        ("The state counted 2,06,737 votes.", ["2,06,737"]),
        # an amount with its currency sign and scale, then a comma
        ("It cost $3 million, the council said.", ["$3 million"]),
    ],
)
def test_english_numbers_end_before_a_comma(english: str, want: list[str]) -> None:
    assert [w for w, _ in numbers_to_check(english)] == want


def test_reason_quotes_the_number_without_its_comma() -> None:
    # the Japanese keeps the year and drops the day: the flag names '11' (main named '11,')
    reasons = number_flags("それは2001年に市内で始まった。", "It began on September 11, 2001, in the city.")
    assert reasons == ["'11' of English sentence 0 is not in the Japanese"]


def test_a_number_copied_before_a_comma_is_found() -> None:
    # an amount left in Latin: found as written, whether or not a comma follows it in the English
    assert copied_as_written("£75m", "£75mの契約")
    assert missing_numbers("He signed for £75m, a record.", "彼は£75mで契約した。") == []


def test_a_number_missing_twice_is_one_flag() -> None:
    # the English writes 5 twice (five pens, five colours), the Japanese neither: one flag, not two identical ones
    reasons = number_flags("その箱には色とりどりのペンが入っている。", "The box holds 5 pens in 5 colours.")
    assert reasons == ["'5' of English sentence 0 is not in the Japanese (written 2 times)"]


def test_two_different_numbers_missing_are_two_flags() -> None:
    # a guard: distinct numbers keep a flag each, in the order of the English
    reasons = number_flags("その箱には色とりどりのペンが入っている。", "The box holds 5 pens in 7 colours.")
    assert reasons == [
        "'5' of English sentence 0 is not in the Japanese",
        "'7' of English sentence 0 is not in the Japanese",
    ]


@given(
    st.integers(0, 10**9),
    st.sampled_from([",", ", ", ".", ". ", ";", ""]),
    st.booleans(),
)
def test_a_number_read_never_ends_in_a_comma(n: int, after: str, grouped: bool) -> None:
    # whatever punctuation follows, the number read is the number: digits (with inner separators) only
    written = f"{n:,}" if grouped else str(n)
    text = f"They counted {written}{after} then left."
    found = [m.group() for m in EN_NUMBER.finditer(text)]
    assert found == [written]
    assert not re.search(r"[,.]$", found[0])

"""Round 9: the article's majority counts sentences, then mentions.

A blind census of the edit audit found a name's established spelling
overwritten by a "majority" of three mentions that all sat in one sentence
(one choice of the machine translation, repeated), against two sentences
that spelled it the usual way.  A spelling now votes once per sentence; the
mentions break a tie of sentences, as before.  Made-up texts only.
"""

from __future__ import annotations

import pytest

from pipeline.run import clean_text
from pipeline.stages.variants.forms import collect_forms
from pipeline.stages.variants.mentions import find_mentions


def variant_edits(ja: str) -> list[tuple[str, str, str]]:
    return [(e.old, e.new, e.reason) for e in clean_text(ja).edits if e.stage == "variants"]


# (ja, expected (old, new) edits, text every reason holds): one row a case, each with why
CASES = [
    # three mentions in one sentence against two sentences: the two sentences win, the reason says both counts
    (
        "ヴィクトル氏が来た。\nヴィクトル氏は話した。\nビクトル氏とビクトル氏の妻とビクトル氏の娘が笑った。\n",
        [("ビクトル", "ヴィクトル")] * 3,
        "the article's majority spelling by sentences (2 of 3; 2 of 5 mentions)",
    ),
    # one sentence each: the mentions decide, as before (the look-alike that must not change)
    (
        "ビクトル氏とビクトル氏の妻が来た。\nヴィクトル氏は話した。\n",
        [("ヴィクトル", "ビクトル")],
        "the article's majority spelling (2 of 3)",
    ),
    # more sentences and more mentions: the plain majority and its usual reason
    (
        "ヴィクトル氏が来た。\nヴィクトル氏は話した。\nビクトル氏が笑った。\n",
        [("ビクトル", "ヴィクトル")],
        "the article's majority spelling (2 of 3)",
    ),
]


@pytest.mark.parametrize(("ja", "edits", "reason"), CASES)
def test_a_spelling_votes_once_a_sentence(ja: str, edits: list, reason: str) -> None:
    got = variant_edits(ja)
    assert [(old, new) for old, new, _ in got] == edits, got
    assert all(reason in why for _, _, why in got), got


def test_cleaning_twice_changes_nothing() -> None:
    ja = CASES[0][0]
    once = clean_text(ja).text
    assert [e for e in clean_text(once).edits if e.stage == "variants"] == []


def test_votes_count_sentences_and_never_exceed_mentions() -> None:
    doc = clean_text(CASES[0][0])
    forms = {f.text: f for f in collect_forms(find_mentions(doc)).values()}
    assert (forms["ビクトル"].count, forms["ビクトル"].votes) == (3, 1)
    assert (forms["ヴィクトル"].count, forms["ヴィクトル"].votes) == (2, 2)

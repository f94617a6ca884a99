"""Issue 14, round 10: the omission and addition flags' false alarms on real MT output, with made-up texts.

The aligner pairs these clean made-up texts well, so each case gives the beads the aligner gave on the real
output it stands for (docs/bilingual.md, "Round 10"), and checks the flags :func:`find_flags` raises on them;
each case marked "main:" failed on main.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import clean
from pipeline.align.aligner import Bead
from pipeline.stages.bilingual import (
    LONE_FIT,
    LONE_MISFIT,
    BilingualOptions,
    find_flags,
    lone_members,
    split_copies,
)


def flags_on(en: str, ja: str, beads: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> list[tuple[str, str]]:
    """(rule, the flagged Japanese or the English sentence's number) of the omission and addition flags that
    find_flags raises on ``beads`` (the document's own sentences and English spans)."""
    doc = clean(ja, english=en)
    en_texts = [e["text"] for e in doc.annotations["alignment"]["english"]]
    ja_index, _ = split_copies(doc)
    ja_texts = [doc.cleaned_slice(doc.sentences[i].start, doc.sentences[i].end) for i in ja_index]
    found = find_flags(doc, [Bead(e, j, 0.9) for e, j in beads], en_texts, ja_index, ja_texts, BilingualOptions())
    out = []
    for f in found:
        if f.rule == "omission":
            out.append((f.rule, f.reason.split(" has no translation")[0]))
        elif f.rule == "addition":
            out.append((f.rule, doc.original[f.start : f.end]))
    return out


RUN_ON = (
    "The museum opened on Monday.\n"
    "The new wing holds paintings from the north of the country and a large auditorium where the city orchestra will "
    "play on Sundays, most of them free.\n"
    "It closes at six.",
    "博物館は月曜日に開館した。\n"
    "新しい棟には国の北部の絵画と、市の管弦楽団が日曜日に演奏する大きな講堂がある。そのほとんどは無料である。\n"
    "六時に閉館する。",
)
ANTICIPATED = (
    "I have a question about trains.\nGood morning everyone!\nI am from Finland, where I work as a teacher.",
    "電車について質問があります。\n皆さん、おはようございます！私はフィンランド出身です。\n"
    "私はフィンランド出身で、教師として働いています。",
)
LIST_WORD = (
    "The council met on Tuesday.\n"
    "Reporters from several papers were there, including the Morning Quill, the Evening Quill and the Tolvern Lark.\n"
    "The meeting ended early.",
    "議会は火曜日に開かれた。\n朝刊クイル、夕刊クイルなど、いくつかの新聞の記者が来ていた。トルヴァーン。\n会議は早く終わった。",
)
CUT_SHORT = (
    "The storm hit the coast on Friday.\n"
    "The regional governor said that the schools would stay closed until the roads were cleared.\n"
    "Repairs will take a week.",
    "金曜日に嵐が海岸を襲った。\nリージョナ\n修理には一週間かかる。",
)
REPLACED = (
    "The storm hit the coast on Friday.\n"
    "The regional governor said that the schools would stay closed until the roads were cleared.\n"
    "Repairs will take a week.",
    "金曜日に嵐が海岸を襲った。\n"
    "新しい図書館は来月、駅の近くに開館し、子ども向けの読書室と大きな閲覧室を備える予定である。\n"
    "修理には一週間かかる。",
)
SKEWED = (
    "Thanks for writing, give me a minute while I look for your order\n"
    "I am sorry about the delay, as the parcel was sent to the old address we will need the courier to collect it "
    "and bring it back to the depot, once this is done we can send it out again to your new address.",
    "お便りに感謝します。ご注文を探しますので、少々お待ちください。\n遅れて申し訳ございません。",
)
THREE_ONE = (
    "We had dinner together at the old house by the river.\n"
    '"I broke the old lamp in the hall when I came home this morning. Please forgive me. '
    'Thank you for the wonderful dinner you cooked for all of us tonight."\n'
    "She smiled and poured another cup of tea for both of us.",
    "私たちは川沿いの古い家で一緒に夕食をとった。\n「今朝、廊下の古いランプを壊してしまいました。\n"
    "彼女は微笑んで、私たち二人にもう一杯お茶を注いでくれた。",
)


@pytest.mark.parametrize(
    ("texts", "beads", "want"),
    [
        # one English sentence translated as two Japanese sentences, the aligner pairing the first and leaving the
        # second 0-1: together they fit the English, the first alone is short, and the piece says nothing of another
        # line -- a piece of the translation (main: an addition)
        (RUN_ON, [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), (3,))], []),
        # the last word of a list left as a sentence of its own: with it the line is no longer than without it by
        # much, so length does not call it extra (main: an addition)
        (LIST_WORD, [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), (3,))], []),
        # a sentence of the next line said early: it shares "Finland" with the next line's English and no word with
        # its own line's ("Good morning everyone!"): an addition, as on main
        (
            ANTICIPATED,
            [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), (3,))],
            [("addition", "私はフィンランド出身です。")],
        ),
        # a two-line chat whose second line lost most of its translation: the document's ratio (0.20 Japanese
        # characters per English one) makes the first line's two sentences look twice too long for their English,
        # and length alone called the thanks an addition (main); within the range real translations have (0.415
        # at least), the two fit their English together
        (SKEWED, [((0,), (0, 1)), ((1,), (2,))], []),
        # a line cut to a few characters: its English is a 1-0 bead, the remnant a 0-1 bead beside it -- one fault,
        # reported by the omission flag (main: an omission and an addition)
        (CUT_SHORT, [((0,), (0,)), ((), (1,)), ((1,), ()), ((2,), (2,))], [("omission", "English sentence 1")]),
        # the same shape, but the Japanese of the line is a whole sentence of something else, as long as the
        # English says: both flags stay
        (
            REPLACED,
            [((0,), (0,)), ((), (1,)), ((1,), ()), ((2,), (2,))],
            [("addition", REPLACED[1].split("\n")[1]), ("omission", "English sentence 1")],
        ),
        # a quotation of three sentences, the Japanese renders the first: both the first and the last fit by length,
        # the first shares words (lamp, hall, break) with the Japanese -- the two others are the omissions (main named
        # the first and the second)
        (
            THREE_ONE,
            [((0,), (0,)), ((1, 2, 3), (1,)), ((4,), (2,))],
            [("omission", "English sentence 2"), ("omission", "English sentence 3")],
        ),
    ],
)
def test_flags_on_the_aligners_beads(texts: tuple[str, str], beads, want: list[tuple[str, str]]) -> None:
    assert flags_on(*texts, beads) == want


def test_a_piece_beside_an_unmatched_sentence_is_still_an_addition() -> None:
    # the line pair is in doubt when a sentence beside it is unmatched (a line inserted and paired with this line's
    # English, whose own translation is left over): the 0-1 piece keeps its flag.  Here the first line's English is
    # a 1-0 bead right before the run-on line pair.
    beads = [((0,), ()), ((), (0,)), ((1,), (1,)), ((), (2,)), ((2,), (3,))]
    assert ("addition", "そのほとんどは無料である。") in flags_on(*RUN_ON, beads)


@pytest.mark.parametrize(
    ("lengths", "other", "shared", "want"),
    [
        # length alone: the first fits best, the second is extra
        ([40, 38], 41, [], [1]),
        # both fit; the second shares words with the other side: the first is extra
        ([40, 38], 41, [0, 2], [0]),
        # the sharing member does not fit alone: length decides, as before
        ([10, 38], 41, [3, 0], []),
        # three members, the first and the last fit; the first shares a word: the two others are extra
        ([30, 16, 34], 30, [1, 0, 0], [1, 2]),
        # together they fit: a true merge, whatever they share
        ([20, 21], 41, [0, 1], []),
    ],
)
def test_lone_members(lengths: list[float], other: float, shared: list[int], want: list[int]) -> None:
    assert lone_members(lengths, other, shared) == want


@given(
    st.lists(st.floats(1, 200), min_size=2, max_size=4),
    st.floats(1, 200),
    st.lists(st.integers(0, 3), min_size=4, max_size=4),
)
def test_lone_members_keeps_one_member_that_fits(lengths: list[float], other: float, shared: list[int]) -> None:
    # either nothing is flagged, or all but one member, and the one kept fits the other side alone while the whole
    # is far off; of the members that fit, the one kept shares the most words
    shared = shared[: len(lengths)]
    out = lone_members(lengths, other, shared)
    if not out:
        return
    kept = [n for n in range(len(lengths)) if n not in out]
    assert len(kept) == 1
    k = kept[0]
    assert abs(math.log(other / lengths[k])) <= LONE_FIT
    assert abs(math.log(other / sum(lengths))) >= LONE_MISFIT
    fitting = [n for n in range(len(lengths)) if abs(math.log(other / lengths[n])) <= LONE_FIT]
    assert shared[k] == max(shared[n] for n in fitting)

"""Alignment line pair by line pair (pipeline/align/layout.py), on made-up texts: when the layout holds it gives
the whole-document aligner's beads; when a line is dropped, added or moved it steps aside."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.align.aligner import align_sentences
from pipeline.align.layout import REASONS, align_by_lines, layout_beads, line_runs
from pipeline.api import clean

# made-up sentence pairs (English, Japanese), one a line
PAIRS = [
    ("The bakery opens at 7 every morning.", "そのパン屋は毎朝7時に開店する。"),
    ("Its owner trained in Lyon for five years.", "店主はリヨンで5年間修業した。"),
    ("The croissants sell out before noon.", "クロワッサンは昼前に売り切れる。"),
    ("A loaf of rye bread costs 450 yen.", "ライ麦パンは1斤450円だ。"),
    ("The shop is closed on Wednesdays.", "店は水曜日が定休日だ。"),
    ("Customers often queue outside in the rain.", "客は雨の中でもよく外に並ぶ。"),
    ("The owner plans to open a second shop next spring.", "店主は来春、2号店を開く予定だ。"),
    ("Parking is not available nearby.", "近くに駐車場はない。"),
]
JUNK = ["このサイトではクッキーを使用しています。", "本日の天気は晴れのち曇りでしょう。"]


def layout(en_lines, ja_lines):
    """(English sentences, Japanese sentences, (line of each English sentence, line of each Japanese one)) from
    lists of lines, each a list of sentences."""
    en = [s for line in en_lines for s in line]
    ja = [s for line in ja_lines for s in line]
    lines = (
        [k for k, line in enumerate(en_lines) for _ in line],
        [k for k, line in enumerate(ja_lines) for _ in line],
    )
    return en, ja, lines


def pairs(beads):
    return [(b.en, b.ja) for b in beads]


@pytest.mark.parametrize(
    ("lines", "runs"),
    [
        ([0, 0, 1], [(0, 2), (2, 3)]),  # two sentences on the first line
        ([3, 5, 5, 5], [(0, 1), (1, 4)]),  # line numbers need not be consecutive (blank lines)
        ([2], [(0, 1)]),  # one sentence
        ([], []),  # nothing
    ],
)
def test_line_runs(lines, runs):
    assert line_runs(lines) == runs


def test_one_sentence_a_line_gives_the_whole_document_beads():
    # every line pair one sentence a side: one 1-1 bead each, as the whole-document search finds them
    en, ja, lines = layout([[e] for e, _ in PAIRS[:5]], [[j] for _, j in PAIRS[:5]])
    got = align_by_lines(en, ja, lines)
    assert got is not None
    assert pairs(got) == [((k,), (k,)) for k in range(5)]
    assert pairs(got) == pairs(align_sentences(en, ja, lines=lines))
    assert all(0.9 <= b.score <= 1.0 for b in got)


def test_a_line_translated_in_two_sentences_is_one_bead():
    # the second English line is split in two Japanese sentences on one line: a 1-2 bead, not 1-1 and an addition
    en_lines = [
        [PAIRS[0][0]],
        ["The owner, who trained in Lyon for five years, bakes everything herself."],
        [PAIRS[2][0]],
    ]
    ja_lines = [[PAIRS[0][1]], ["店主はリヨンで5年間修業した。", "すべて自分で焼いている。"], [PAIRS[2][1]]]
    en, ja, lines = layout(en_lines, ja_lines)
    got = align_by_lines(en, ja, lines)
    assert got is not None
    assert pairs(got) == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))]


# (English lines, Japanese lines, why the layout is not used) — each a way a translation can break its lines
BROKEN = [
    # a Japanese line lost: the counts differ
    ([[e] for e, _ in PAIRS[:4]], [[PAIRS[0][1]], [PAIRS[1][1]], [PAIRS[3][1]]], {"line counts"}),
    # the second and fourth Japanese lines swapped: 450 is in the English line 3 and the Japanese line 1
    (
        [[e] for e, _ in PAIRS[:5]],
        [[PAIRS[0][1]], [PAIRS[3][1]], [PAIRS[2][1]], [PAIRS[1][1]], [PAIRS[4][1]]],
        {"anchor", "unsure", "shifted"},
    ),
    # a line dropped and a junk line added further on keep the counts equal; the lines between pair one off
    (
        [[e] for e, _ in PAIRS[:6]],
        [[PAIRS[0][1]], [PAIRS[2][1]], [PAIRS[3][1]], [JUNK[0]], [PAIRS[4][1]], [PAIRS[5][1]]],
        {"anchor", "unsure", "shifted", "length"},
    ),
    # a Japanese line far longer than its English line (three lines' worth run together)
    (
        [[e] for e, _ in PAIRS[:7]],
        [[j] for _, j in PAIRS[:3]] + [[PAIRS[3][1] + JUNK[1] + JUNK[0] + PAIRS[7][1]]] + [[j] for _, j in PAIRS[4:7]],
        {"length", "unsure"},
    ),
    # one line only: nothing to split
    ([[PAIRS[0][0], PAIRS[1][0]]], [[PAIRS[0][1], PAIRS[1][1]]], {"line counts"}),
]


@pytest.mark.parametrize(("en_lines", "ja_lines", "why"), BROKEN)
def test_a_broken_layout_is_left_to_the_whole_document(en_lines, ja_lines, why):
    en, ja, lines = layout(en_lines, ja_lines)
    got = layout_beads(en, ja, lines)
    assert isinstance(got, str), pairs(got)
    assert got in why
    assert align_by_lines(en, ja, lines) is None


def test_no_lines_no_layout():
    en, ja, _ = layout([[e] for e, _ in PAIRS[:3]], [[j] for _, j in PAIRS[:3]])
    assert layout_beads(en, ja, None) == "no lines"
    assert set(REASONS) >= {"no lines", "line counts", "anchor", "length", "unsure", "shifted"}


def test_the_stage_still_flags_a_dropped_line_hidden_by_a_junk_line():
    # the translation drops the second line and adds an unrelated line later: same line count, so the stage must
    # not trust the layout; the whole-document alignment finds the omission and the addition
    english = "\n".join(e for e, _ in PAIRS[:6]) + "\n"
    japanese = "\n".join([PAIRS[0][1], PAIRS[2][1], PAIRS[3][1], JUNK[0], PAIRS[4][1], PAIRS[5][1]]) + "\n"
    doc = clean(japanese, english=english)
    rules = [f.rule for f in doc.flags]
    assert "omission" in rules
    assert any(f.rule == "addition" and doc.original[f.start : f.end] == JUNK[0] for f in doc.flags)


def test_the_stage_keeps_a_split_line_whole():
    english = (
        "\n".join([PAIRS[0][0], "The owner, who trained in Lyon for five years, bakes everything herself."]) + "\n"
    )
    japanese = "\n".join([PAIRS[0][1], "店主はリヨンで5年間修業した。すべて自分で焼いている。"]) + "\n"
    doc = clean(japanese, english=english)
    assert [(b["en"], b["ja"]) for b in doc.annotations["alignment"]["beads"]] == [([0], [0]), ([1], [1, 2])]
    assert not [f for f in doc.flags if f.rule in ("omission", "addition")]


@st.composite
def documents(draw):
    """Lines drawn from PAIRS (sometimes two sentences a line), then perhaps one fault on the Japanese side."""
    picks = draw(st.lists(st.integers(0, len(PAIRS) - 1), min_size=2, max_size=7))
    en_lines, ja_lines = [], []
    for k in picks:
        if draw(st.booleans()) and k + 1 < len(PAIRS):
            en_lines.append([PAIRS[k][0], PAIRS[k + 1][0]])
            ja_lines.append([PAIRS[k][1], PAIRS[k + 1][1]])
        else:
            en_lines.append([PAIRS[k][0]])
            ja_lines.append([PAIRS[k][1]])
    fault = draw(st.sampled_from(["none", "drop", "junk", "drop+junk", "swap"]))
    if fault in ("drop", "drop+junk") and len(ja_lines) > 1:
        del ja_lines[draw(st.integers(0, len(ja_lines) - 1))]
    if fault in ("junk", "drop+junk"):
        ja_lines.insert(draw(st.integers(0, len(ja_lines))), [draw(st.sampled_from(JUNK))])
    if fault == "swap" and len(ja_lines) > 1:
        k = draw(st.integers(0, len(ja_lines) - 2))
        ja_lines[k], ja_lines[k + 1] = ja_lines[k + 1], ja_lines[k]
    return en_lines, ja_lines


@given(documents())
def test_layout_beads_stay_inside_line_pairs(doc):
    # whatever the document, beads from the layout cover every sentence once, in order, each bead inside one
    # line pair and matched on both sides (a bead below 0.9 has been through the aligner's second look); otherwise
    # a reason
    en_lines, ja_lines = doc
    en, ja, lines = layout(en_lines, ja_lines)
    got = layout_beads(en, ja, lines)
    if isinstance(got, str):
        assert got in REASONS
        return
    assert [i for b in got for i in b.en] == list(range(len(en)))
    assert [j for b in got for j in b.ja] == list(range(len(ja)))
    for b in got:
        assert b.en and b.ja and 0.0 < b.score <= 1.0
        assert len({lines[0][i] for i in b.en} | {lines[1][j] for j in b.ja}) == 1

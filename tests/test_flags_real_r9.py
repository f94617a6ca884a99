"""Round 9 (issue 14): the false alarms of the omission, addition and name-mismatch flags on real MT output.

Each case is made up and names the cause it stands for (docs/bilingual.md, "Round 9, fixes"); each fails on main
before the change it covers.
"""

from __future__ import annotations

import pytest
from flag_texts import QUOTATION, RUN_ON
from hypothesis import given
from hypothesis import strategies as st

from pipeline import clean
from pipeline.align.aligner import Bead
from pipeline.align.layout import join_pieces
from pipeline.stages.bilingual import quotation_units, sentence_beads
from pipeline.stages.name_check import kana_like
from pipeline.stages.segment import split_sentences


def bilingual_flags(ja: str, en: str) -> list[tuple[str, str]]:
    doc = clean(ja, english=en)
    return [(f.rule, doc.original[f.start : f.end]) for f in doc.flags if f.stage == "bilingual"]


FLAG_CASES = [
    # a quotation of four English sentences the Japanese keeps as one sentence (the cleaning segmenter does not cut
    # inside 「…」): on main the aligner joined two of them and left "The staff are ready." as a false omission
    (*QUOTATION, []),
    # one run-on English sentence on its line, translated as four Japanese sentences on the same line: on main the
    # pieces beyond the aligner's shapes were false additions
    (*RUN_ON, []),
    # a Korean surname written in hanja, which UniDic tags a surname: rendered (main flagged it)
    (
        "Kim Sol held a meeting.\nLater, Kim ordered an inquiry into the border units.",
        "キム・ソルが会議を開いた。\nその後、金氏は国境部隊の調査を命じた。",
        [],
    ),
    # a full name in hanja, which UniDic cuts 金正 (a given name) + 勲: rendered
    (
        "Kim Sol held a meeting.\nLater, Kim ordered an inquiry into the border units.",
        "キム・ソルが会議を開いた。\nその後、金正勲は国境部隊の調査を命じた。",
        [],
    ),
    # ... but the hanja inside another word (資金, funds) renders nothing: still flagged
    (
        "Kim Sol held a meeting.\nLater, Kim ordered an inquiry into the border units.",
        "キム・ソルが会議を開いた。\nその後、資金について国境部隊の調査が命じられた。",
        [("name-mismatch", "その後、資金について国境部隊の調査が命じられた。")],
    ),
    # a made-up name the document spells クレイズ and this sentence クレイス: the English does not hear クレイス (0.58),
    # the document's own spelling does, kana to kana (main flagged it)
    (
        "Senator Creiz spoke on Sunday.\nLater, Creiz said the bill must pass.",
        "クレイズ上院議員は日曜日に演説した。\nその後、クレイス氏は法案を通すべきだと述べた。",
        [],
    ),
    # ... while a sentence with another name instead is still flagged
    (
        "Senator Creiz spoke on Sunday.\nLater, Creiz said the bill must pass.",
        "クレイズ上院議員は日曜日に演説した。\nその後、ミハイロフ氏は法案を通すべきだと述べた。",
        [("name-mismatch", "その後、ミハイロフ氏は法案を通すべきだと述べた。")],
    ),
]


@pytest.mark.parametrize(("en", "ja", "want"), FLAG_CASES)
def test_flags_on_made_up_translations(en: str, ja: str, want: list[tuple[str, str]]) -> None:
    assert bilingual_flags(ja, en) == want


@pytest.mark.parametrize(
    ("texts", "lines", "want"),
    [
        # a quotation of two sentences, where the English line has two: cut for the aligner, both pieces sentence 0's
        (
            ["「はい。そうです。」と答えた。", "次。"],
            ([0, 0, 1], [0, 1]),
            [(0, "「はい。"), (0, "そうです。」と答えた。"), (1, "次。")],
        ),
        # the English line has one sentence: no cut wanted
        (["「はい。そうです。」と答えた。", "次。"], ([0, 1], [0, 1]), None),
        # a line more on one side (a line dropped or added): the line pairs are unknown, nothing cut
        (["「はい。そうです。」と答えた。", "次。"], ([0, 0, 1, 2], [0, 1]), None),
        # a quotation of one sentence ends inside the sentence: nothing to cut, the sentences are the units
        (["「はい。」と言った。", "次。"], ([0, 0, 1], [0, 1]), None),
    ],
)
def test_quotation_units(texts: list[str], lines, want: list[tuple[int, str]] | None) -> None:
    assert quotation_units(texts, lines) == want


def test_sentence_beads_keep_an_untranslated_quotation_sentence() -> None:
    # units 0 and 1 are sentence 0: their beads join; English 2, between them, stays a 1-0 bead (a true omission)
    beads = [Bead((0,), (0,), 0.9), Bead((1,), (), 0.7), Bead((2,), (1,), 0.8), Bead((3,), (2,), 0.9)]
    got = [(b.en, b.ja) for b in sentence_beads(beads, [0, 0, 1])]
    assert got == [((0, 2), (0,)), ((1,), ()), ((3,), (1,))]


@pytest.mark.parametrize(
    ("beads", "en_runs", "ja_runs", "want"),
    [
        # one English sentence, three Japanese on its line, the last a 0-1 piece: one bead
        ([Bead((0,), (0, 1), 0.9), Bead((), (2,), 0.8)], [(0, 1)], [(0, 3)], [((0,), (0, 1, 2))]),
        # two Japanese sentences only (the aligner chose 1-1 + 0-1 over 1-2): left as it is
        ([Bead((0,), (0,), 0.9), Bead((), (1,), 0.8)], [(0, 1)], [(0, 2)], [((0,), (0,)), ((), (1,))]),
        # two English sentences on the line: the 0-1 piece is not joined
        (
            [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.9), Bead((), (2,), 0.8)],
            [(0, 2)],
            [(0, 3)],
            [((0,), (0,)), ((1,), (1,)), ((), (2,))],
        ),
    ],
)
def test_join_pieces(beads: list[Bead], en_runs, ja_runs, want) -> None:
    assert [(b.en, b.ja) for b in join_pieces(beads, en_runs, ja_runs)] == want


@pytest.mark.parametrize(
    ("line", "want"),
    [
        # a brand name written Xx!Yyy: one sentence (main ended it at the !)
        ("同社はQuux!Mediaに買収された。", ["同社はQuux!Mediaに買収された。"]),
        # a ! after Japanese before Latin text still ends a sentence
        ("すごい!Appleが発表した。", ["すごい!", "Appleが発表した。"]),
        # Latin ! followed by a space and a capital: a sentence end as before
        ("Wow! Great news.", ["Wow!", "Great news."]),
    ],
)
def test_bang_inside_a_latin_word(line: str, want: list[str]) -> None:
    assert [line[a:b] for a, b in split_sentences(line)] == want


@pytest.mark.parametrize(
    ("spelled", "kana", "like"),
    [
        ("トルーズ", "トルス", True),  # a long vowel and a voicing dropped: the same name, kana to kana
        ("ハルモン", "ハルキン", False),  # another name (0.73)
        ("Trux", "トルクス", False),  # a spelling in Latin is not compared kana to kana
    ],
)
def test_kana_like(spelled: str, kana: str, like: bool) -> None:
    assert (kana_like(spelled, kana) >= 0.74) is like


@st.composite
def unit_alignments(draw):
    """Units of sentences (each sentence cut into 1-3 units) and a monotone alignment of English to the units."""
    cuts = draw(st.lists(st.integers(1, 3), min_size=1, max_size=6))
    unit_sentence = [p for p, n in enumerate(cuts) for _ in range(n)]
    beads, i, j = [], 0, 0
    while j < len(unit_sentence):
        shape = draw(st.sampled_from([(1, 1), (1, 0), (0, 1), (2, 1), (1, 2)]))
        n, m = shape[0], min(shape[1], len(unit_sentence) - j)
        if n == 0 and m == 0:
            continue
        beads.append(Bead(tuple(range(i, i + n)), tuple(range(j, j + m)), 0.5))
        i, j = i + n, j + m
    return beads, unit_sentence


@given(unit_alignments())
def test_sentence_beads_cover_each_sentence_and_english_once(case) -> None:
    # joined back, every sentence is in exactly one bead and every English sentence too: english_of and the dedup
    # stage's repeat evidence read one bead per sentence
    beads, unit_sentence = case
    out = sentence_beads(beads, unit_sentence)
    assert sorted(j for b in out for j in b.ja) == sorted(set(unit_sentence))
    assert sorted(i for b in out for i in b.en) == sorted(i for b in beads for i in b.en)

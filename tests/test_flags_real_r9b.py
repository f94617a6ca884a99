"""Round 9, second pass (issue 14): the quotation and run-on fixes on the whole-document path, when a line is
missing or added so that the line pairs are not known (docs/bilingual.md, "Round 9, second pass").

Made-up texts; each case fails without the change it covers.
"""

from __future__ import annotations

import pytest
from flag_texts import QUOTATION, RUN_ON

from pipeline import clean
from pipeline.align.aligner import Bead
from pipeline.align.layout import join_pieces
from pipeline.stages.bilingual import rejoin_quotations

ADDED = "今日は晴れていて、公園には多くの人がいた。"  # a made-up line the English does not have


def bilingual_flags(ja: str, en: str) -> list[tuple[str, str]]:
    doc = clean(ja, english=en)
    return [(f.rule, doc.original[f.start : f.end]) for f in doc.flags if f.stage == "bilingual"]


@pytest.mark.parametrize(
    ("en", "ja", "want"),
    [
        # a Japanese line added before a quotation the Japanese keeps as one sentence: the line counts differ, the
        # whole document is aligned; the added line is flagged, the quotation's English sentences are not (without
        # rejoin_quotations the aligner joined two of them and left one as a false omission)
        (QUOTATION[0], ADDED + "\n" + QUOTATION[1], [("addition", ADDED)]),
        # the same added line before a run-on sentence translated as four: the pieces beyond the aligner's shapes
        # are no additions (without join_pieces on the whole-document path the last piece was one)
        (RUN_ON[0], ADDED + "\n" + RUN_ON[1], [("addition", ADDED)]),
        # an English line missing instead (its translation then an addition): the run-on pieces are still joined
        (RUN_ON[0].split("\n", 1)[1], RUN_ON[1], [("addition", "フェリーは正午に出航した。")]),
    ],
    ids=["quotation, line added", "run-on, line added", "run-on, line missing"],
)
def test_whole_document_path(en: str, ja: str, want: list[tuple[str, str]]) -> None:
    assert bilingual_flags(ja, en) == want


@pytest.mark.parametrize(
    ("beads", "en_lines", "ja_texts", "want"),
    [
        # a quotation of three English sentences, two in its bead and one left 1-0 on the same line: one bead
        (
            [Bead((0, 1), (0,), 0.9), Bead((2,), (), 0.5), Bead((3,), (1,), 0.9)],
            [0, 0, 0, 1],
            ["「はい。行きます。遅いです」と言った。", "次。"],
            [((0, 1, 2), (0,)), ((3,), (1,))],
        ),
        # the 1-0 sentence is on another English line: not the quotation's, left as it is (a true omission)
        (
            [Bead((0, 1), (0,), 0.9), Bead((2,), (), 0.5), Bead((3,), (1,), 0.9)],
            [0, 0, 1, 2],
            ["「はい。行きます。遅いです」と言った。", "次。"],
            [((0, 1), (0,)), ((2,), ()), ((3,), (1,))],
        ),
        # the Japanese has no inner sentence end: nothing to cut, left as it is
        (
            [Bead((0, 1), (0,), 0.9), Bead((2,), (), 0.5), Bead((3,), (1,), 0.9)],
            [0, 0, 0, 1],
            ["彼ははい行きます遅いですと言った。", "次。"],
            [((0, 1), (0,)), ((2,), ()), ((3,), (1,))],
        ),
    ],
)
def test_rejoin_quotations(beads: list[Bead], en_lines: list[int], ja_texts: list[str], want) -> None:
    en = ["He said: 'Yes.", "We are going.", "It is late.'", "Next."]
    assert [(b.en, b.ja) for b in rejoin_quotations(beads, en, ja_texts, en_lines)] == want


@pytest.mark.parametrize(
    ("beads", "en_runs", "ja_runs", "want"),
    [
        # not paired by rank (a line more on the Japanese side): English 1, alone on its line, and the 0-1 pieces
        # of the Japanese line its bead is on are one bead
        (
            [
                Bead((), (0,), 0.5),
                Bead((0,), (1,), 0.9),
                Bead((1,), (2,), 0.9),
                Bead((), (3,), 0.8),
                Bead((), (4,), 0.7),
            ],
            [(0, 1), (1, 2)],
            [(0, 1), (1, 2), (2, 5)],
            [((), (0,)), ((0,), (1,)), ((1,), (2, 3, 4))],
        ),
        # the pieces are on another Japanese line than the matched bead's: left (an added line, not pieces)
        (
            [
                Bead((0,), (0,), 0.9),
                Bead((1,), (1,), 0.9),
                Bead((), (2,), 0.8),
                Bead((), (3,), 0.7),
                Bead((), (4,), 0.7),
            ],
            [(0, 1), (1, 2)],
            [(0, 1), (1, 2), (2, 5)],
            [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((), (3,)), ((), (4,))],
        ),
    ],
)
def test_join_pieces_unpaired(beads: list[Bead], en_runs, ja_runs, want) -> None:
    assert [(b.en, b.ja) for b in join_pieces(beads, en_runs, ja_runs, paired=False)] == want


@pytest.mark.parametrize(
    ("en", "ja", "want"),
    [
        # a form field in title case (Full Name), translated as the common word (氏名) and copied in Latin in another
        # line: the run's words are common English words and the sentence holds a translation of Name: no name lost
        # (before NameIndex.translates: a name-mismatch flag on the second line)
        (
            "Fill in the form below.\nType your Full Name in the first box.\nThe Full Name field is required.",
            "下の用紙に記入してください。\n最初の欄に氏名を入力してください。\nFull Name欄は必須です。",
            [],
        ),
        # a lone capitalised word (a band's name) translated literally as the common noun: the name is lost, still
        # flagged (a run of one word is no title case)
        (
            "Static released a new song.\nPolice questioned the Static singer about the posts.",
            "Staticが新曲を発表した。\n警察は雑音の歌手に投稿について質問した。",
            [("name-mismatch", "警察は雑音の歌手に投稿について質問した。")],
        ),
        # a coin named by a common word and a word no English dictionary knows, the common word translated (虎):
        # the name is lost, still flagged
        (
            "Tiger Zorbit is a new coin.\nMany traders bought Tiger Zorbit last week.",
            "Tigerコインは新しいコインだ。\n先週、多くのトレーダーが虎を買った。",
            [("name-mismatch", "先週、多くのトレーダーが虎を買った。")],
        ),
    ],
    ids=["form field", "lone capitalised word", "run with an unknown word"],
)
def test_title_case_common_words(en: str, ja: str, want: list[tuple[str, str]]) -> None:
    assert bilingual_flags(ja, en) == want


@pytest.mark.parametrize(
    ("ja", "want"),
    [
        # a made-up name UniDic does not know, kept as one token with its middle dot (ボル・ザクーディ): its parts are
        # katakana words the sound check hears (before: not read, a name-mismatch flag)
        ("Zakoudi大臣が演説した。\nその後、ボル・ザクーディは貿易を伸ばすべきだと述べた。", []),
        # the same, the parts in the other order
        ("Zakoudi大臣が演説した。\nその後、ザクーディ・ボルは貿易を伸ばすべきだと述べた。", []),
        # another name in its place: still flagged
        (
            "Zakoudi大臣が演説した。\nその後、ボル・ミハイロフは貿易を伸ばすべきだと述べた。",
            [("name-mismatch", "その後、ボル・ミハイロフは貿易を伸ばすべきだと述べた。")],
        ),
    ],
    ids=["dotted token", "dotted token, parts swapped", "another name"],
)
def test_dotted_katakana_token(ja: str, want: list[tuple[str, str]]) -> None:
    assert bilingual_flags(ja, "Minister Bol Zakoudi spoke.\nLater, Bol Zakoudi said trade must grow.") == want

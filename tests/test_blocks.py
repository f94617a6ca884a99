"""Block labels and --drop: table-driven label cases, the sample, drops as edits, properties."""

from __future__ import annotations

import argparse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.document import Document, restore_text
from pipeline.stages.blocks import BlockOptions, label_blocks, parse_labels
from pipeline.stages.markup import MarkupOptions, strip_markup
from pipeline.stages.segment import segment_document

BODY = "これは本文の文です。もう一つの文が続きます。"
CAPTION_DROP = frozenset({"byline", "caption"})


def labelled(text: str, drop: frozenset[str] = frozenset()) -> Document:
    """Markup, segment and blocks only (the stages this module depends on)."""
    doc = Document(text)
    strip_markup(doc, MarkupOptions())
    segment_document(doc)
    label_blocks(doc, BlockOptions(drop=drop))
    return doc


def labels_of(text: str) -> list[str]:
    return [b.label for b in labelled(text).blocks]


# a layout where a marked caption ((左)) stands after a blank line with the body going on under it
SLOT_TEXT = (
    "\n".join([BODY] * 3)
    + "\n\n山田氏(左)と握手する佐藤氏。\n"
    + "\n".join([BODY] * 3)
    + "\n\n会見で話す山田氏。\n"
    + "\n".join([BODY] * 4)
)

# (text, expected labels per non-empty line, what the case is about)
LABEL_CASES = [
    ("By Jane Doe, Ezra Smith\n" + BODY, ["byline", "body"], "English byline with a comma"),
    ("By Jane Doe and Ezra Smith\n" + BODY, ["byline", "body"], "English byline with and"),
    ("By the way, it rained.\n" + BODY, ["body", "body"], "a sentence starting with By is not a byline"),
    ("文：山田太郎\n" + BODY, ["byline", "body"], "Japanese credit line"),
    ("【ジュネーブ＝山田太郎】\n" + BODY, ["byline", "body"], "Japanese dateline with the reporter"),
    ("キーチ・ヘイギー、バーバー・ジン著\n" + BODY, ["byline", "body"], "katakana names with 著 (MT of a byline)"),
    ("見出しの例\n" + BODY, ["heading", "body"], "short line without final mark, then body"),
    (BODY + "\nある意味で\n" + BODY, ["body", "body", "body"], "a cut sentence ending in a particle is not a heading"),
    (BODY + "\n終わり", ["body", "body"], "a short last line is not a heading (nothing follows)"),
    (BODY + "\n会社を去った\n" + BODY, ["body", "body", "body"], "a line ending in past た lost its 。: not a heading"),
    ("彼は土曜日にこう語った：\n" + BODY, ["body", "body"], "a line ending with a colon introduces a quote"),
    (
        "年表\n2018年2月\n出来事A\n2019年3月\n出来事B",
        ["heading", "timeline", "timeline", "timeline", "timeline"],
        "timeline: dates and the entries under them",
    ),
    (
        "2024年2月\n訴訟を起こした。\n2026年3月~4月\n買収を提案した。",
        ["timeline"] * 4,
        "timeline with a date range",
    ),
    (
        BODY + "\n2018年2月\n" + BODY,
        ["body", "timeline", "body"],
        "a single date line is timeline, its neighbours are not",
    ),
    (
        "2018年2月、会社を去った。\n" + BODY + "\n2019年3月、戻った。",
        ["body", "body", "body"],
        "sentences that start with a date are body",
    ),
    ("2018年2月：会社設立\n2019年3月：上場\n2020年1月：買収", ["timeline"] * 3, "date-led entries with colons"),
    (BODY + "\n\nベルナ(左)とカドリー\n" + BODY, ["body", "caption", "body"], "position marker (左), no final mark"),
    (
        BODY + "\n\n山田氏（中央）は会見で話した。\n" + BODY,
        ["body", "caption", "body"],
        "position marker first in its paragraph",
    ),
    (BODY + "\n彼は(左)を向いた。\n" + BODY, ["body", "body", "body"], "(左) inside a body paragraph is not a caption"),
    (BODY + "\n\nPhoto: Getty Images\n\n" + BODY, ["body", "caption", "body"], "English photo credit"),
    (
        BODY + "\n\nケルトマン大統領の就任式に出席した人々、ボクシングのスター選手、レスラーたち\n\n" + BODY,
        ["body", "caption", "body"],
        "a long line alone between blank lines without a final mark",
    ),
    (
        "\n".join([BODY] * 5) + "\n\n会見で話す山田氏。\n" + "\n".join([BODY] * 4),
        ["body"] * 10,
        "single-line paragraphs: a one-sentence line after a blank line is body when no marked caption sits there",
    ),
    (
        SLOT_TEXT,
        ["body"] * 3 + ["caption"] + ["body"] * 3 + ["caption"] + ["body"] * 4,
        "single-line paragraphs: a one-sentence line after a blank line is a caption where (左) shows the layout",
    ),
    (
        "\n\n".join([BODY] * 5 + ["会見で話す山田氏。"] + [BODY] * 4),
        ["body"] * 10,
        "blank lines between all paragraphs: a one-sentence paragraph is body",
    ),
    ("本文。\n\n" + BODY, ["body", "body"], "a short body paragraph after a blank line in a short text"),
    # --- round 2: other shapes ---
    (
        "【ジュネーブ=共同】米政府は5日、声明を出した。\n" + BODY,
        ["body", "body"],
        "a dateline glued to body text is body",
    ),
    (BODY + "\n（写真：ロイター）\n" + BODY, ["body", "caption", "body"], "a credit alone in brackets is a caption"),
    (
        BODY + "\n沿道で声援を送る市民ら\n写真=AP\n" + BODY,
        ["body", "caption", "caption", "body"],
        "the short line above a credit line is its caption",
    ),
    (
        BODY + "\n会見は2時間に及んだ。\nPhoto: Getty Images\n" + BODY,
        ["body", "body", "caption", "body"],
        "a sentence with its 。 above a credit stays body",
    ),
    (
        "経緯\n1月5日：規制案を公表\n1月12日：同調を要請\n12月2日：リストに追加\n" + BODY,
        ["heading", "timeline", "timeline", "timeline", "body"],
        "month-day entries with a colon; no tail taken after a dated entry",
    ),
    (
        "2022年10月 規制を導入\n2023年10月 対象を拡大\n" + BODY,
        ["timeline", "timeline", "body"],
        "two adjacent dated entries without 。 (a table row each)",
    ),
    (
        "2022年10月\n規制を導入した。\n■日本への影響\n" + BODY + "\n2024年\n" + BODY,
        ["timeline", "body", "heading", "body", "timeline", "body"],
        "a ■ heading ends a timeline: the lines after it are not entries",
    ),
    ("ローカル線、観光列車で再生へ\n" + BODY, ["heading", "body"], "a title ending in へ is a heading"),
    (
        "港湾局のナカムラ局長、新埠頭の目的は「物流を速め、地域の雇用を守ること」と語る\n" + BODY,
        ["heading", "body"],
        "a long first line without final mark is the title",
    ),
    (
        BODY
        + "\n\n全国の港湾や倉庫で貨物の遅れと人手不足が続くにつれて、物流会社が配送の時間をどのように短縮できるかについての議論が広が\n\n"
        + BODY,
        ["body", "body", "body"],
        "a long cut MT line alone between blank lines is not a caption",
    ),
    (BODY + "\n■パリ五輪へ\n" + BODY, ["body", "heading", "body"], "■ heading"),
    # round 6 skips the marker search for a line inside a paragraph that ends with its final mark;
    # a final ")" or "）" is not such an end (a marker in brackets there is set aside first)
    (
        BODY + "\n川を渡る新しい列車（写真：提供）\n" + BODY,
        ["body", "caption", "body"],
        "inside a paragraph: a trailing photo marker in brackets, no final mark before it",
    ),
    (
        BODY + "\n川を渡る新しい列車だ。（写真：提供）\n" + BODY,
        ["body", "body", "body"],
        "inside a paragraph: a final mark before the trailing photo marker",
    ),
    (
        BODY + "\n写真：提供の列車が走った。\n" + BODY,
        ["body", "body", "body"],
        "inside a paragraph: a marker, but the line ends with its final mark",
    ),
]


@pytest.mark.parametrize(("text", "expected", "about"), LABEL_CASES, ids=[c[2] for c in LABEL_CASES])
def test_labels(text, expected, about):
    assert labels_of(text) == expected


def test_layout_captions_are_flagged():
    doc = labelled(SLOT_TEXT)
    (flag,) = doc.flags
    assert flag.rule == "caption-by-layout"
    assert SLOT_TEXT[flag.start : flag.end] == "会見で話す山田氏。"


# --- drops as edits (the sample article's own labels: tests/test_sample_golden.py) ---------


def test_drop_supersedes_markup_inside_the_block():
    text = BODY + '\n\n<div class="caption">ベルナ(左)とカドリー</div>\n' + BODY
    doc = labelled(text, drop=CAPTION_DROP)
    assert doc.text == BODY + "\n" + BODY
    (drop,) = [e for e in doc.edits if e.stage == "blocks"]
    assert drop.rule == "drop-caption" and {s.rule for s in drop.supersedes} == {"tag"}
    assert restore_text(doc.text, doc.edits) == text


def test_drop_a_line_made_by_a_markup_line_break():
    text = '年表\n2018年2月\n出来事A。align: left;">2019年3月\n出来事B'
    doc = labelled(text, drop=frozenset({"timeline"}))
    assert doc.text.strip() == "年表"
    assert restore_text(doc.text, doc.edits) == text


def test_drop_the_last_line_without_newline():
    text = BODY + "\n\nPhoto: Getty Images"
    doc = labelled(text, drop=CAPTION_DROP)
    assert doc.text == BODY + "\n"
    assert restore_text(doc.text, doc.edits) == text


def test_parse_labels_rejects_unknown_and_body():
    assert parse_labels("byline,caption") == CAPTION_DROP
    assert parse_labels("") == frozenset()
    for bad in ["body", "foo", "byline,figure"]:
        with pytest.raises(argparse.ArgumentTypeError):
            parse_labels(bad)


def test_cli_rejects_bad_drop_label(capsys):
    from pipeline.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["clean", "--drop", "body", "x.txt"])
    assert exc.value.code == 2
    assert "undroppable" in capsys.readouterr().err


# --- properties -----------------------------------------------------------------------

LINES = [
    "By Jane Doe, Ezra Smith",
    "見出しの例",
    "2018年2月",
    "2026年3月~4月",
    "出来事があった。",
    "ベルナ(左)とカドリー",
    "会見で話す山田氏。",
    BODY,
    "ある意味で",
    '<div class="caption">写真(右)</div>',
    '出来事。align: left;">2019年3月',
    "",
    "  ",
]
docs = st.lists(st.sampled_from(LINES), max_size=20).map("\n".join) | st.lists(st.sampled_from(LINES), max_size=20).map(
    lambda xs: "\r\n".join(xs) + "\r\n"
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs, st.sets(st.sampled_from(["byline", "caption", "heading", "timeline"])))
def test_drop_restores_and_keeps_the_other_blocks(text, drop):
    kept_before = [b for b in labelled(text).blocks if b.label not in drop]
    doc = labelled(text, drop=frozenset(drop))
    assert restore_text(doc.text, doc.edits) == text
    for b in doc.blocks:
        assert 0 <= b.start <= b.end <= len(text)
    for b in kept_before:
        # a kept block keeps its text (debris inside it aside)
        assert not doc.is_deleted(b.start, b.end)
    if drop:
        for b in doc.blocks:
            if b.label in drop:
                assert doc.is_deleted(b.start, b.end) or any(f.stage == "blocks" for f in doc.flags)

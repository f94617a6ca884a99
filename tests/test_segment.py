"""Sentence and block segmentation: table-driven cases, one comment each."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.document import Document
from pipeline.stages.segment import iter_lines, segment_document, split_sentences

CASES = [
    # (line, expected sentences, what the case is about)
    ("一つ目。二つ目。", ["一つ目。", "二つ目。"], "plain ideographic full stops"),
    ("本当か？本当だ！", ["本当か？", "本当だ！"], "full-width question and exclamation marks"),
    ("えっ！？そうなの。", ["えっ！？", "そうなの。"], "a run of marks ends one sentence"),
    ("彼は「はい。」と言った。", ["彼は「はい。」と言った。"], "quote followed by と continues the sentence"),
    (
        "「はい。そうです。」次の文。",
        ["「はい。そうです。」", "次の文。"],
        "a quote that ends a sentence splits after 」",
    ),
    ("彼は言った。「今だ。行こう。」", ["彼は言った。", "「今だ。行こう。」"], "no split inside 「…」"),
    ("『本。』と題した。", ["『本。』と題した。"], "double brackets behave like quotes"),
    ("（注。詳細は後述。）本文。", ["（注。詳細は後述。）", "本文。"], "full-width parentheses hold their stops"),
    (
        "これは重要だ（本当に）。次。",
        ["これは重要だ（本当に）。", "次。"],
        "closing parenthesis stays with its sentence",
    ),
    ("Keltman, Inc.を訴えた。", ["Keltman, Inc.を訴えた。"], "Latin abbreviation glued to Japanese text"),
    ("No. 1の企業だ。", ["No. 1の企業だ。"], "No. before a number is not a stop"),
    ("価格は3.5ドル。", ["価格は3.5ドル。"], "a decimal point is not a stop"),
    ("He left. She stayed.", ["He left.", "She stayed."], "Latin sentences split before a capital"),
    ("Mr. Smith came.", ["Mr. Smith came."], "Mr. is an abbreviation"),
    ("e.g. this one", ["e.g. this one"], "e.g. before lower case"),
    ('She said "yes." Then left.', ['She said "yes."', "Then left."], "ASCII closing quote stays with the sentence"),
    ("U.S. officials met.", ["U.S. officials met."], "U.S. before lower case"),
    ("2018年2月", ["2018年2月"], "a date line without a stop is one sentence"),
    ("見出し", ["見出し"], "a heading without a stop"),
    ("  前後の空白。  ", ["前後の空白。"], "surrounding spaces stay outside the span"),
    (
        "反目した。.次の文。",
        ["反目した。.", "次の文。"],
        "a stray period before Japanese text joins the run of stops (markup removes it)",
    ),
    ("終わった。.", ["終わった。."], "a stray period at the end of a line joins the run of stops"),
    ("終わった。..次だ。", ["終わった。..", "次だ。"], "dots after 。 stay with it before kana or kanji"),
    ("上昇した。.5%だ。", ["上昇した。", ".5%だ。"], "a dot before a digit starts the next sentence"),
    ("本当？!次。", ["本当？!", "次。"], "mixed full-width and ASCII marks form one run"),
    ("値は１．５だ。", ["値は１．５だ。"], "full-width decimal point between digits"),
    ("「閉じない引用。まだ続く。", ["「閉じない引用。まだ続く。"], "an unclosed quote holds the rest of its line"),
    ("「ええ。」「そう。」", ["「ええ。」", "「そう。」"], "two quotes in a row"),
    ("「行く。」。次。", ["「行く。」。", "次。"], "a full stop after a closing quote stays with it"),
    ("終わり…。次。", ["終わり…。", "次。"], "ellipsis before the stop"),
    ("", [], "empty line"),
]


@pytest.mark.parametrize("line, expected, why", CASES, ids=[c[2] for c in CASES])
def test_split_sentences(line, expected, why):
    assert [line[a:b] for a, b in split_sentences(line)] == expected


def test_blocks_and_paragraphs():
    doc = Document("見出し\n本文。二文目。\n\n次の段落。\r\n最後")
    segment_document(doc)
    assert [doc.original[b.start : b.end] for b in doc.blocks] == ["見出し", "本文。二文目。", "次の段落。", "最後"]
    assert [b.paragraph for b in doc.blocks] == [0, 0, 1, 1]
    assert [doc.original[s.start : s.end] for s in doc.sentences] == [
        "見出し",
        "本文。",
        "二文目。",
        "次の段落。",
        "最後",
    ]
    assert [s.block for s in doc.sentences] == [0, 1, 1, 2, 3]


def test_iter_lines_keeps_crlf_outside():
    assert iter_lines("a\r\nb\n") == [(0, 1), (3, 4)]
    assert iter_lines("") == [(0, 0)]


def test_segment_maps_to_original_after_edits():
    doc = Document("前。<b>後。</b>")
    doc.edit(2, 5, "", "markup", "tag", "tag")
    doc.edit(7, 11, "", "markup", "tag", "tag")
    segment_document(doc)
    assert [doc.original[s.start : s.end] for s in doc.sentences] == ["前。", "後。"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("あア漢a. 。！？「」（）\"'1"), max_size=60))
def test_sentences_are_ordered_disjoint_and_trimmed(line):
    spans = split_sentences(line)
    prev = 0
    for a, b in spans:
        assert prev <= a < b <= len(line)
        assert not line[a].isspace() and not line[b - 1].isspace()
        prev = b
    # nothing but whitespace is left between sentences
    covered = "".join(line[a:b] for a, b in spans)
    assert covered == "".join(line.split()) or len(covered) <= len(line)
    rest = list(line)
    for a, b in spans:
        rest[a:b] = [" "] * (b - a)
    assert not "".join(rest).strip()

"""Loops inside a sentence (dedup rule ``loop``) and sentence types: a table of cases, properties."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.document import Document, restore_text
from pipeline.stages.dedup import DedupOptions, remove_duplicates
from pipeline.stages.loops import find_loops, load_loop_rules
from pipeline.stages.segment import segment_document
from pipeline.stages.sentence_types import load_type_rules, type_of
from pipeline.stages.tokenise import tokenise_document

CASES = yaml.safe_load((Path(__file__).resolve().parent / "cases" / "loop_cases.yaml").read_text(encoding="utf-8"))


def run(text: str, **options) -> Document:
    """Segment, tokenise and dedup only, so each case tests this stage alone."""
    doc = Document(text)
    segment_document(doc)
    tokenise_document(doc)
    remove_duplicates(doc, DedupOptions(**options))
    return doc


def loop_edits(doc: Document) -> list:
    return [e for e in doc.edits if e.rule == "loop"]


@pytest.mark.parametrize("case", CASES["removed"], ids=[c["why"] for c in CASES["removed"]])
def test_loops_are_removed(case):
    doc = run(case["in"])
    assert doc.text == case["out"]
    edits = loop_edits(doc)
    assert edits, "the loop is removed by the loop rule"
    for e in edits:
        kept = e.reason.split("「", 1)[1].rsplit("」", 1)[0]
        assert kept and kept in doc.text, "the reason quotes a copy that is still there"
    assert restore_text(doc.text, doc.edits) == case["in"]


@pytest.mark.parametrize("case", CASES["kept"], ids=[c["why"] for c in CASES["kept"]])
def test_look_alikes_survive(case):
    doc = run(case["in"])
    assert doc.text == case["out"] == case["in"]
    assert not loop_edits(doc)
    flagged = [f for f in doc.flags if f.rule == "loop"]
    if case.get("flag"):
        assert flagged, "a kept loop is reported"


def test_table_rows_are_well_formed():
    # each row says what it tests; a loop row must shorten its text, a look-alike must keep it
    assert all(c.get("why") for c in CASES["removed"] + CASES["kept"])
    assert all(len(c["out"]) < len(c["in"]) for c in CASES["removed"])
    assert all(c["out"] == c["in"] for c in CASES["kept"])


def test_the_loop_rule_can_be_switched_off():
    text = CASES["removed"][0]["in"]
    assert run(text, rules=frozenset({"exact", "near", "fragment"})).text == text


def test_rule_tables_load_with_a_reason_per_row():
    rules = load_loop_rules()
    assert "、" in rules.separators and "おり" in rules.clause_endings and rules.min_chars >= 4
    for row in load_type_rules():
        assert row.why, row


def test_a_sentence_without_a_repeated_content_word_is_not_searched():
    doc = Document("政府は新たな経済対策を発表した。")
    segment_document(doc)
    tokenise_document(doc)
    assert find_loops(doc.sentences[0].tokens, doc.original) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # a polite request in question form: request, present
        ("設定をお試しいただけますでしょうか。", ("request", "nonpast", "positive")),
        # the follow-up question: past tense
        ("設定をお試しいただけましたでしょうか？", ("request", "past", "positive")),
        # a plain request
        ("内容を確認してください。", ("request", "nonpast", "positive")),
        # a question with か
        ("この商品は防水ですか。", ("question", "nonpast", "positive")),
        # a statement in the past, negative
        ("商品はまだ届いていませんでした。", ("statement", "past", "negative")),
        # a statement: よろしくお願いします is a request
        ("よろしくお願いします。", ("request", "nonpast", "positive")),
        # a negation inside the sentence but not in its final predicate: positive
        ("雨が降らない日は外で練習する。", ("statement", "nonpast", "positive")),
    ],
)
def test_sentence_types(text, expected):
    doc = Document(text)
    segment_document(doc)
    tokenise_document(doc)
    assert type_of(doc.sentences[0].tokens, text) == expected


PHRASES = ["新しい工場の", "世界中の", "地元の住民は、", "大きな成功を収めた", "経済の回復、"]
FRAMES = [("", "建設が始まった。"), ("同社によると、", "計画は順調だ。"), ("昨年、", "話題になった。")]


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(PHRASES), st.sampled_from(FRAMES), st.integers(min_value=2, max_value=6))
def test_an_injected_loop_is_removed_down_to_one_copy(phrase, frame, copies):
    before, after = frame
    text = before + phrase * copies + after
    doc = run(text)
    assert doc.text == before + phrase + after
    assert restore_text(doc.text, doc.edits) == text


WORDS = ["時々", "ドキドキ", "はい、", "1、", "ナナ", "一歩", "少しずつ", "人々", "雨", "が", "。"]


@settings(max_examples=120, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(WORDS), st.integers(min_value=1, max_value=6)), max_size=8, unique_by=lambda p: p[0]
    )
)
def test_short_repeats_are_never_loops_and_restore_holds(runs):
    # each word (reduplication, onomatopoeia, a number, a name, a particle) said any number of
    # times in a row, different words after each other: no phrase of two words comes back
    # (時々ドキドキ時々ドキドキ would be one, rightly), so no loop
    text = "".join(word * n for word, n in runs)
    doc = run(text)
    assert not loop_edits(doc)
    assert restore_text(doc.text, doc.edits) == text

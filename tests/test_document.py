"""The document model: edits, supersession, the offset map, restore."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.document import Document, Edit, OverlapError, apply_edits, restore_text


def make(doc: Document, start: int, end: int, new: str = "", stage: str = "t", rule: str = "r") -> Edit:
    return Edit(start, end, doc.original[start:end], new, stage, rule, "test")


def test_edit_must_match_original():
    doc = Document("abcdef")
    with pytest.raises(ValueError):
        doc.add_edit(Edit(0, 2, "xx", "", "t", "r", "wrong old text"))


def test_edit_out_of_bounds_is_refused():
    doc = Document("abc")
    with pytest.raises(ValueError):
        doc.add_edit(Edit(2, 5, "c??", "", "t", "r", "past the end"))


@pytest.mark.parametrize(
    "first, second",
    [
        ((0, 3), (2, 5)),  # partial overlap on the right
        ((2, 5), (0, 3)),  # partial overlap on the left
        ((1, 4), (2, 3)),  # the new edit sits inside an earlier one
        ((2, 2), (2, 2)),  # two insertions at one point: order would be ambiguous
        ((1, 4), (2, 2)),  # an insertion inside a replaced span
    ],
)
def test_overlapping_edits_are_an_error(first, second):
    doc = Document("abcdefgh")
    doc.add_edit(make(doc, *first, new="X"))
    with pytest.raises(OverlapError):
        doc.add_edit(make(doc, *second, new="Y"))


def test_overlap_within_one_batch_is_an_error():
    doc = Document("abcdefgh")
    with pytest.raises(OverlapError):
        doc.add_edits([make(doc, 0, 3), make(doc, 2, 4)])


def test_adjacent_edits_are_fine():
    doc = Document("abcdef")
    doc.add_edits([make(doc, 0, 2, "X"), make(doc, 2, 4, "Y"), make(doc, 4, 4, "+")])
    assert doc.text == "XY+ef"
    assert restore_text(doc.text, doc.edits) == doc.original


def test_containing_edit_supersedes_and_keeps_the_record():
    doc = Document("AAA。BBB。")
    doc.add_edit(make(doc, 4, 5, "b", stage="variants"))
    doc.add_edit(make(doc, 4, 8, "", stage="dedup"))
    assert doc.text == "AAA。"
    [e] = doc.edits
    assert e.stage == "dedup"
    assert [s.stage for s in e.supersedes] == ["variants"]
    assert restore_text(doc.text, doc.edits) == doc.original
    # the record survives a JSON round trip
    assert Edit.from_json(e.to_json()) == e


def test_offset_map_around_a_deletion():
    doc = Document("ab<b>cd")
    doc.add_edit(make(doc, 2, 5))
    assert doc.text == "abcd"
    assert doc.to_cleaned(5) == 2  # 'c' moves left by three
    assert doc.to_cleaned(3, "left") == 2 and doc.to_cleaned(3, "right") == 2  # inside the deletion
    assert doc.span_to_original(2, 4) == (5, 7)  # "cd"
    assert doc.span_to_original(0, 2) == (0, 2)  # "ab" does not take the tag with it
    assert doc.cleaned_slice(0, 7) == "abcd"


def test_offset_map_around_a_replacement():
    doc = Document("x&amp;y")
    doc.add_edit(make(doc, 1, 6, "&"))
    assert doc.text == "x&y"
    assert doc.span_to_cleaned(1, 6) == (1, 2)
    assert doc.span_to_original(1, 2) == (1, 6)
    assert doc.span_to_original(2, 3) == (6, 7)


def test_uncovered_and_is_deleted():
    doc = Document("0123456789")
    doc.add_edits([make(doc, 2, 4), make(doc, 6, 7)])
    assert doc.uncovered(0, 10) == [(0, 2), (4, 6), (7, 10)]
    assert doc.is_deleted(2, 4)
    assert not doc.is_deleted(1, 4)
    assert doc.overlaps_edit(3, 5) and not doc.overlaps_edit(4, 6)


@st.composite
def text_and_edits(draw):
    text = draw(st.text(alphabet=st.sampled_from("abcあい。 \n<>"), max_size=40))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits = []
    prev_end = -1
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if a == prev_end and a == b:
            continue
        new = draw(st.text(alphabet="XYZ", max_size=3))
        if a == b and not new:
            continue
        if a == b and any(e.start == e.end == a for e in edits):
            continue
        edits.append(Edit(a, b, text[a:b], new, "t", "r", "random"))
        prev_end = b
    return text, edits


@settings(max_examples=300, deadline=None)
@given(text_and_edits())
def test_restore_inverts_apply(case):
    text, edits = case
    doc = Document(text)
    doc.add_edits(edits)
    assert doc.text == apply_edits(text, doc.edits)
    assert restore_text(doc.text, doc.edits) == text


@settings(max_examples=300, deadline=None)
@given(text_and_edits())
def test_offset_map_is_consistent(case):
    text, edits = case
    doc = Document(text)
    doc.add_edits(edits)
    cleaned = doc.text
    for p in range(len(text) + 1):
        for side in ("left", "right"):
            q = doc.to_cleaned(p, side)
            assert 0 <= q <= len(cleaned)
    for q in range(len(cleaned) + 1):
        for side in ("left", "right"):
            assert 0 <= doc.to_original(q, side) <= len(text)
    # every untouched character maps to itself and back
    for a, b in doc.uncovered(0, len(text)):
        for p in range(a, b):
            q = doc.to_cleaned(p, "right")  # a character starts right of its position
            assert cleaned[q] == text[p]
            assert doc.to_original(q, "right") == p
        assert doc.cleaned_slice(a, b) == text[a:b]


def test_edits_are_read_only():
    doc = Document("abcdef")
    doc.add_edit(make(doc, 0, 1))
    with pytest.raises(AttributeError):
        doc.edits = []  # the list changes through add_edits / with_edits only, so text and offsets stay in step
    with pytest.raises(AttributeError):
        doc.edits.append(make(doc, 2, 3))  # type: ignore[attr-defined]
    assert doc.edits == [make(doc, 0, 1)] and doc.edits == (make(doc, 0, 1),)  # equal to a list or a tuple


def test_with_edits_derives_a_new_document_and_leaves_this_one():
    doc = Document("ab<b>cd")
    doc.add_edit(make(doc, 0, 1, "A"))
    assert doc.text == "Ab<b>cd"  # caches the text and offsets of the first edit list
    other = doc.with_edits([make(doc, 2, 5)])
    assert (other.text, other.to_cleaned(5)) == ("abcd", 2)  # no stale cached text or offsets
    assert (doc.text, doc.to_cleaned(5)) == ("Ab<b>cd", 5)
    assert other.original is doc.original and other.edits == [make(doc, 2, 5)]


@pytest.mark.parametrize(
    "spans, error",
    [
        ([(0, 3), (2, 4)], OverlapError),  # overlapping edits are refused, as by add_edits
        ([(1, 4), (2, 3)], OverlapError),  # nesting is refused too: with_edits supersedes nothing
    ],
)
def test_with_edits_checks_overlaps(spans, error):
    doc = Document("abcdefgh")
    with pytest.raises(error):
        doc.with_edits([make(doc, a, b) for a, b in spans])


def test_with_edits_checks_the_original():
    doc = Document("abcdef")
    with pytest.raises(ValueError, match="does not match the original"):
        doc.with_edits([Edit(0, 2, "xx", "", "t", "r", "wrong old text")])


def test_with_edits_sorts():
    doc = Document("abcdef")
    other = doc.with_edits([make(doc, 4, 5, "E"), make(doc, 0, 1, "A")])
    assert [e.start for e in other.edits] == [0, 4] and other.text == "AbcdEf"


def test_token_reads_like_the_old_frozen_dataclass():
    import pickle
    from operator import attrgetter

    from pipeline.document import Token, new_token

    t = Token(3, 4, "犬", "犬", "名詞-普通名詞-一般", "イヌ")
    assert (t.start, t.end, t.surface, t.lemma, t.pos, t.reading) == (3, 4, "犬", "犬", "名詞-普通名詞-一般", "イヌ")
    assert attrgetter("surface", "lemma", "pos", "reading", "start", "end")(t) == (
        "犬",
        "犬",
        "名詞-普通名詞-一般",
        "イヌ",
        3,
        4,
    )
    assert Token(start=3, end=4, surface="犬", lemma="犬", pos="名詞-普通名詞-一般", reading="イヌ") == t
    assert new_token(3, 4, "犬", "犬", "名詞-普通名詞-一般", "イヌ") == t
    assert type(new_token(3, 4, "犬", "犬", "名詞-普通名詞-一般", "イヌ")) is Token
    assert hash(new_token(*t)) == hash(t) and len({t, Token(*t)}) == 1
    assert pickle.loads(pickle.dumps(t)) == t and type(pickle.loads(pickle.dumps(t))) is Token
    assert repr(t) == "Token(start=3, end=4, surface='犬', lemma='犬', pos='名詞-普通名詞-一般', reading='イヌ')"
    with pytest.raises(AttributeError):
        t.surface = "猫"  # immutable, as before
    assert not hasattr(t, "__dict__")  # no per-token dict

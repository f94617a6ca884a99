"""Tokenisation: exact character offsets into the original, whatever the input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.document import Document
from pipeline.stages.segment import segment_document
from pipeline.stages.tokenise import tokenise_document, tokenise_text


@pytest.mark.parametrize(
    "text",
    [
        "東京都に住む。",  # plain Japanese
        "DeepAI の CEO",  # spaces MeCab drops
        "a\x00b",  # NUL would end the C string
        "改行\r\nの前",  # CR inside a line
        "絵文字😀と🇯🇵",  # astral-plane characters: byte and char counts differ
        "全角　空白",  # ideographic space
        "\ufeff先頭BOM",  # a BOM in the middle of text
        "タブ\tと\x0bVT",  # tab and vertical tab
    ],
)
def test_token_offsets_are_exact(text):
    tokens = tokenise_text(text, 5)
    for t in tokens:
        assert text[t.start - 5 : t.end - 5] == t.surface
    # between tokens there is only what MeCab skips: whitespace or control characters
    covered = set()
    for t in tokens:
        covered.update(range(t.start - 5, t.end - 5))
    for i, ch in enumerate(text):
        if i not in covered:
            assert ch.isspace() or ord(ch) < 32 or ch in "\ufeff\x7f", repr(ch)


def test_token_fields_come_from_unidic():
    [t1, t2] = tokenise_text("ゲイトが")
    assert t1.surface == "ゲイト" and t1.lemma.startswith("ゲート")  # UniDic's standard spelling
    assert t1.pos.startswith("名詞")
    assert t2.pos.startswith("助詞") and t2.reading == "ガ"


def test_document_tokens_use_original_offsets_after_edits():
    doc = Document("<i>犬</i>が走る。")
    doc.add_edits(
        [
            doc_edit(doc, 0, 3),
            doc_edit(doc, 4, 8),
        ]
    )
    segment_document(doc)
    tokenise_document(doc)
    toks = doc.sentences[0].tokens
    assert toks[0].surface == "犬" and doc.original[toks[0].start : toks[0].end] == "犬"
    assert all(doc.original[t.start : t.end] == t.surface for t in toks)


def doc_edit(doc, a, b):
    from pipeline.document import Edit

    return Edit(a, b, doc.original[a:b], "", "markup", "tag", "test")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_tokens_of_any_text_are_in_bounds_and_exact(text):
    tokens = tokenise_text(text)
    prev = 0
    for t in tokens:
        assert prev <= t.start < t.end <= len(text)
        assert text[t.start : t.end] == t.surface
        prev = t.end


def test_long_text_is_tokenised_in_pieces_with_exact_offsets():
    # one "sentence" far longer than MeCab handles in one piece (it crashes past ~1 M chars)
    text = "句点のない長い文、" * 600 + "ＡＢＣ" * 500
    tokens = tokenise_text(text, 3)
    assert all(text[t.start - 3 : t.end - 3] == t.surface for t in tokens)
    assert "".join(t.surface for t in tokens) == text


# -- the string-output reader gives what fugashi's nodes give ------------------------------------------


def _via_nodes(text: str):
    from pipeline.stages.tokenise import _UNSAFE, _rows_from_nodes

    return _rows_from_nodes(text, _UNSAFE.sub(" ", text))


@pytest.mark.parametrize(
    "text",
    [
        "ゲイトが走る。",  # a loanword: lemma with its English gloss, reading in katakana
        "xyzzyqq は未知語",  # an unknown word: no lemma nor reading in the features
        '「引用」,"クォート",カンマ',  # quotes and commas: features quoted in MeCab's CSV
        "\xa0先頭の空白",  # a leading space fugashi strips from the output: nodes take over
        "末尾の記号。",  # the last token's reading is empty: the output's end must keep its shape
        "タブ\tと NUL\x00 と\u2028",  # characters replaced by spaces before tagging
        "😀絵文字🇯🇵",  # astral-plane characters
        "",  # nothing to tag
    ],
)
def test_output_rows_equal_node_rows(text):
    from pipeline.stages.tokenise import _token_rows

    assert _token_rows(text) == _via_nodes(text)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("犬が走る。、「」\"',ABC abc123\t\u3000ｱｲ😀\xa0\x00"), max_size=40))
def test_output_rows_equal_node_rows_on_any_text(text):
    from pipeline.stages.tokenise import _token_rows

    assert _token_rows(text) == _via_nodes(text)


# -- tokens made straight from the output equal tokens made from rows --------------------------------


def _from_rows(text: str, base: int):
    from pipeline.document import Token
    from pipeline.stages.tokenise import _token_rows

    return [Token(base + a, base + b, s, lm, p, r) for a, b, s, lm, p, r in _token_rows(text)]


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("犬が走る。、「」\"',ABC abc123\t\u3000ｱｲ😀\xa0\x00"), max_size=40),
    st.integers(0, 50),
)
def test_tokens_straight_from_output_equal_tokens_from_rows(text, base):
    from pipeline.stages.tokenise import _tokens_of

    tokens = _tokens_of(text, base)
    assert tokens == _from_rows(text, base)
    assert all(type(t).__name__ == "Token" for t in tokens)


def test_long_text_tokens_equal_tokens_from_rows():
    from pipeline.stages.tokenise import MAX_CHUNK, _tokens_of

    text = "犬が走る、" * (MAX_CHUNK // 4)  # longer than one tagger call: tokenised in pieces
    assert _tokens_of(text, 7) == _from_rows(text, 7)


def test_repeated_sentences_get_their_own_offsets_with_and_without_edits():
    # the second and fourth sentences repeat the first; an edit sits inside the third and the fourth
    original = "犬が走る。猫が寝た。犬が<b>走る</b>。犬が走る。<i>犬</i>が走る。"
    doc = Document(original)
    for tag in ("<b>", "</b>", "<i>", "</i>"):
        at = original.index(tag)
        while at >= 0:
            doc.add_edits([doc_edit(doc, at, at + len(tag))])
            at = original.find(tag, at + 1)
    segment_document(doc)
    tokenise_document(doc)
    texts = [doc.cleaned_slice(s.start, s.end) for s in doc.sentences]
    assert texts == ["犬が走る。", "猫が寝た。", "犬が走る。", "犬が走る。", "犬が走る。"]
    for s in doc.sentences:
        assert [t.surface for t in s.tokens] == [t.surface for t in tokenise_text(doc.cleaned_slice(s.start, s.end))]
        for t in s.tokens:
            assert doc.cleaned_slice(t.start, t.end) == t.surface
            assert s.start <= t.start < t.end <= s.end
    plain = [s for i, s in enumerate(doc.sentences) if i in (0, 3)]
    assert [t.start - plain[1].start for t in plain[1].tokens] == [t.start - plain[0].start for t in plain[0].tokens]

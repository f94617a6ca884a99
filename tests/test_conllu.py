"""CoNLL-U output, checked by parsing it back with the ``conllu`` package."""

from __future__ import annotations

import re
from pathlib import Path

import conllu
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.io.annotations import document_record, token_rows
from pipeline.io.conllu import map_upos, plain_lemma, record_to_conllu
from pipeline.run import clean_text

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "musk-altman-feud.ja.txt"


def unescape(gap: str) -> str:
    return (
        gap.replace("\\s", " ")
        .replace("\\t", "\t")
        .replace("\\n", "\n")
        .replace("\\r", "\r")
        .replace("\\p", "|")
        .replace("\\\\", "\\")
    )


def rebuild(sentence: conllu.TokenList) -> str:
    """The sentence text from FORM and SpaceAfter/SpacesAfter, as CoNLL-U readers do."""
    out = []
    for tok in sentence:
        misc = tok["misc"] or {}
        out.append(tok["form"])
        if "SpacesAfter" in misc:
            out.append(unescape(misc["SpacesAfter"]))
        elif misc.get("SpaceAfter") != "No":
            out.append(" ")
    return "".join(out).rstrip()


def check_document(original: str, doc_id: str = "doc") -> list[conllu.TokenList]:
    doc = clean_text(original, id=doc_id)
    rec = document_record(doc)
    text = record_to_conllu(rec)
    sentences = conllu.parse(text)
    words = [t for s in rec["sentences"] for t in token_rows(s) if t["surface"].strip()]
    assert sum(len(s) for s in sentences) == len(words)
    ids = [s.metadata["sent_id"] for s in sentences]
    assert len(ids) == len(set(ids))  # sentence ids are unique
    for s in sentences:
        assert rebuild(s) == s.metadata["text"]  # the forms rebuild "# text"
        assert s.metadata["text"] in doc.text  # "# text" is cleaned text
        for tok in s:
            a, b = int(tok["misc"]["OrigStart"]), int(tok["misc"]["OrigEnd"])
            assert 0 <= a < b <= len(original)
            if doc.cleaned_slice(a, b) == original[a:b]:  # an untouched token: offsets hold its form
                assert original[a:b] == tok["form"]
    return sentences


def test_sample_article_parses_back():
    sentences = check_document(SAMPLE.read_text(encoding="utf-8"), "sample")
    assert sentences[0].metadata["newdoc id"] == "sample"
    upos = {t["upos"] for s in sentences for t in s}
    assert {"NOUN", "PROPN", "ADP", "PUNCT", "AUX"} <= upos
    assert all(t["xpos"] and t["xpos"] != "_" for s in sentences for t in s)


def test_removed_sentences_keep_their_ids_and_markup_keeps_offsets():
    original = "<b>東京</b>で会議が開かれた。\n市の担当者は新しい計画を発表した。\n市の担当者は新しい計画を発表した。\n最後の文。\n"
    sentences = check_document(original)
    assert [s.metadata["text"] for s in sentences] == [
        "東京で会議が開かれた。",
        "市の担当者は新しい計画を発表した。",
        "最後の文。",
    ]
    # the repeat (sentence 3) is gone; "最後の文。" keeps its index in the original
    assert [s.metadata["sent_id"] for s in sentences] == ["doc-1", "doc-2", "doc-4"]
    first = sentences[0][0]
    assert first["form"] == "東京" and (first["misc"]["OrigStart"], first["misc"]["OrigEnd"]) == ("3", "5")


def test_spaces_inside_a_sentence_survive():
    [s] = check_document("Open AIの 発表\u3000では、 新製品。")
    assert s.metadata["text"] == "Open AIの 発表\u3000では、 新製品。"
    assert all(t["form"].strip() for t in s)  # whitespace is a gap, never a word


@pytest.mark.parametrize(
    "unidic, upos",
    [
        ("名詞-普通名詞-サ変可能", "NOUN"),  # suru-noun stays NOUN
        ("名詞-固有名詞-地名-国", "PROPN"),  # country name
        ("名詞-数詞", "NUM"),  # numeral
        ("代名詞", "PRON"),  # pronoun
        ("形状詞-一般", "ADJ"),  # na-adjective
        ("形状詞-助動詞語幹", "AUX"),  # よう: longer prefix beats 形状詞
        ("形容詞-一般", "ADJ"),  # i-adjective
        ("形容詞-非自立可能", "_"),  # context decides
        ("動詞-一般", "VERB"),  # verb
        ("動詞-非自立可能", "_"),  # いる/する: context decides
        ("連体詞", "_"),  # この vs 大きな: context decides
        ("助動詞", "AUX"),  # た, ます
        ("助詞-格助詞", "ADP"),  # が
        ("助詞-接続助詞", "SCONJ"),  # て
        ("助詞-終助詞", "PART"),  # ね
        ("接尾辞-名詞的-助数詞", "NOUN"),  # counter
        ("補助記号-句点", "PUNCT"),  # 。
        ("補助記号-一般", "SYM"),  # ・
        ("名詞普通", "_"),  # not a prefix at a boundary: no match
        ("", "_"),  # unknown
    ],
)
def test_map_upos(unidic, upos):
    assert map_upos(unidic) == upos


@pytest.mark.parametrize(
    "lemma, plain",
    [
        ("ゲート-gate", "ゲート"),  # loanword gloss dropped
        ("コンピューター-computer", "コンピューター"),  # same
        ("為る", "為る"),  # native word unchanged
        ("-", "-"),  # a hyphen token is not a gloss
        ("Ｘ-ray", "Ｘ"),  # a lemma of a Latin word keeps only its head
    ],
)
def test_plain_lemma(lemma, plain):
    assert plain_lemma(lemma) == plain


JAPANESE = st.text(
    alphabet=st.sampled_from(list("あいうかきくアイウカ東京会議文。、「」 \u3000AbC1\t<>b/&;") + ["\n"]),
    max_size=60,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JAPANESE)
def test_any_text_gives_parseable_conllu(text):
    check_document(text)


def test_no_control_characters_in_columns():
    text = record_to_conllu(document_record(clean_text("タブ\tの後。\n改行\r\nの後。", id="t")))
    for line in text.splitlines():
        if line and not line.startswith("#"):
            assert len(line.split("\t")) == 10 and not re.search(r"[\r\n]", line)

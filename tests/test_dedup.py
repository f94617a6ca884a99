"""Sentence deduplication: a table of cases (one comment each), golden sample, properties, options."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.document import Document, restore_text
from pipeline.stages import dedup
from pipeline.stages.dedup import DedupOptions, remove_duplicates
from pipeline.stages.segment import segment_document
from pipeline.stages.tokenise import tokenise_document

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "musk-altman-feud.ja.txt"


def run(text: str, labels: dict[int, str] | None = None, mentions: list[dict] | None = None, **options) -> Document:
    """Segment, tokenise and dedup only (no other stage), so each case tests this stage alone."""
    doc = Document(text)
    segment_document(doc)
    for i, label in (labels or {}).items():
        doc.blocks[i].label = label
    tokenise_document(doc)
    if mentions is not None:
        doc.annotations["variants"] = {"clusters": [], "mentions": mentions}
    remove_duplicates(doc, DedupOptions(**options))
    return doc


def removed(doc: Document) -> list[tuple[str, str]]:
    return [(e.old.strip(), e.rule) for e in doc.edits if e.stage == "dedup"]


LONG = "同社は来年、東京に新しい工場を建設する計画を発表した。"
CASES = [
    # (text, options, removed [(sentence, rule)], why)
    # -- exact
    (LONG * 2, {}, [(LONG, "exact")], "a sentence said twice: the second copy goes"),
    (LONG + LONG * 2, {}, [(LONG, "exact"), (LONG, "exact")], "three copies: both repeats go, the first stays"),
    (
        "同社は来年、東京に新しい工場を建設する計画を発表した。同社は来年東京に新しい工場を建設する計画を発表した！",
        {},
        [("同社は来年東京に新しい工場を建設する計画を発表した！", "exact")],
        "keys ignore punctuation and spacing",
    ),
    (
        "価格は5,000億ドルと発表された。価格は5000億ドルと発表された。",
        {},
        [("価格は5000億ドルと発表された。", "exact")],
        "digit separators do not matter: 5,000 = 5000",
    ),
    (f"{LONG}\n{LONG}", {}, [(LONG, "exact")], "a repeated line in the same paragraph"),
    (f"{LONG}\n\n{LONG}", {}, [], "default scope: another paragraph is out of reach"),
    (f"{LONG}\n\n{LONG}", {"scope": "document"}, [(LONG, "exact")], "document scope: repeats across paragraphs"),
    (
        LONG + "".join(f"別の話題{i}について説明した。" for i in range(5)) + LONG,
        {},
        [],
        "beyond the window of 4 sentences: kept",
    ),
    (
        LONG + "".join(f"別の話題{i}について説明した。" for i in range(5)) + LONG,
        {"window": 6},
        [(LONG, "exact")],
        "a wider window reaches it",
    ),
    ("はい。はい。", {}, [], "short replies repeated are speech, not a repeat (no content words)"),
    # -- numbers and formulaic lines
    (
        "2018年2月\nマスク氏は会社を去った。\n2024年2月\nマスク氏は会社を訴えた。",
        {},
        [],
        "timeline: 2018年2月 and 2024年2月 are different lines (numbers are significant)",
    ),
    (
        "2018年2月\nマスク氏は取締役会を去った。\n2018年2月\nアルトマン氏は新会社の設立を発表した。",
        {},
        [],
        "identical date lines in a timeline are content: kept (and flagged)",
    ),
    (
        "売上高は2018年に3億ドルに達したと会社が発表した。売上高は2024年に3億ドルに達したと会社が発表した。",
        {},
        [],
        "look-alike with another year: not a near-duplicate",
    ),
    (
        "敵に回った兄弟\n本文が始まる。\n敵に回った兄弟",
        {},
        [],
        "a short heading line repeated: formulaic, kept",
    ),
    # -- near-duplicates
    (
        "アルターマンとマスクは、OpenAIの共同創設者でもある。アルターマンとマスクはオープンAIの共同設立者でもある。",
        {},
        [("アルターマンとマスクはオープンAIの共同設立者でもある。", "near")],
        "spelling (OpenAI/オープンAI) and wording (創設/設立) differ: near-duplicate, first kept",
    ),
    (
        "英国最大のツアーオペレーター、Tuiは日曜日のフライトをキャンセルした。"
        "英国最大のツアオペレーターTuiは日曜日のフライトをキャンセルした。",
        {},
        [("英国最大のツアオペレーターTuiは日曜日のフライトをキャンセルした。", "near")],
        "a katakana respelling (ツアー/ツア) and a dropped comma",
    ),
    (
        "同社は新しい工場を建設する計画を発表した。同社は来年、東京に新しい工場を建設する計画を正式に発表した。",
        {},
        [("同社は新しい工場を建設する計画を発表した。", "near")],
        "keep the more complete copy: the later, longer version stays",
    ),
    (
        "同社は来年東京に新しい工場を建設する計画を発表した。同社は来年東京に新しい工場を建設する計画を発表しなかった。",
        {},
        [],
        "look-alike with a negation: both stay",
    ),
    (
        "トヨタは2024年に新型の電気自動車を日本で発売する予定だ。ホンダは2024年に新型の電気自動車を日本で発売する予定だ。",
        {},
        [],
        "look-alike about another company (names without a phonetic partner): both stay",
    ),
    (
        "彼は記者会見で次のように述べています。彼女は記者会見で次のように述べています。",
        {},
        [],
        "look-alike with another pronoun: both stay",
    ),
    (
        "東京の最高気温は30度に達した。大阪の最高気温は32度に達した。",
        {},
        [],
        "parallel sentences with other places and numbers: both stay",
    ),
    (
        "政府は新たな経済対策を発表した。野党は新たな経済対策を批判した。",
        {},
        [],
        "same object, other subject and verb: both stay",
    ),
    # -- fragments
    (
        "2017年、研究者たちが多くの資金が必要だと気づいた後、アルトマンとマスクの関係は崩れ始めた。マスクの関係は崩れ始めた。",
        {},
        [("マスクの関係は崩れ始めた。", "fragment")],
        "a tail repeated as its own sentence",
    ),
    (
        "アルターマンはパリのAIサミットに出席していた。AIサミットに出席していた。",
        {},
        [("AIサミットに出席していた。", "fragment")],
        "a tail repeated (containment 1.0, trigram Jaccard low)",
    ),
    (
        "マスク氏が974億ドルの敵対的株式公開買い付けを行ったことで、確執は最高潮に達した。974億ドルの敵対的買収提案。",
        {},
        [("974億ドルの敵対的買収提案。", "fragment")],
        "a short restatement of part of the previous sentence",
    ),
    (
        "州では土曜日現在、全体で20万人の陽性患者が報告されている。報告されている。",
        {},
        [("報告されている。", "fragment")],
        "a repeated tail needs no content-word minimum",
    ),
    (
        "インド首相、寺院の起工式に出席\nインドの首相は来月、係争地にある寺院の起工式に出席する。",
        {},
        [],
        "a headline line before the sentence it summarises: kept (fragments stay within a line)",
    ),
    (
        "寺院の起工式に首相が出席。インドの首相は来月、係争地にある寺院の起工式に出席する予定だ。",
        {},
        [],
        "a run-in headline at the start of the line: kept",
    ),
    (
        "政府は計画を発表し、市場は大きく反応したが、専門家は慎重な見方を示した。政府は慎重な計画を示した。",
        {},
        [],
        "its words are scattered over the neighbour: not a fragment",
    ),
    (
        "研究者たちが資金不足に気づいた後、両社の関係は崩れ始めた。両社の関係は崩れ始めなかった。",
        {},
        [],
        "a would-be fragment with a negation the neighbour lacks: kept",
    ),
    (
        "同社の売上高は2023年に5億ドルに達したと発表した。売上高は2024年に5億ドルに達した。",
        {},
        [],
        "a would-be fragment with another year: kept",
    ),
    (
        "マスクは子供の頃から本を読み、エンジニアになった。エンジニアになった後も本を読んだ。",
        {},
        [],
        "a follow-up that shares words but adds a clause: kept",
    ),
    # -- quotations
    (
        "「私は彼に同情する。彼が幸せな人間だとは思わない。私は彼に同情する。」",
        {},
        [],
        "a repetition inside one quotation is the speaker's own: kept",
    ),
    (
        "「私は彼に同情する。」「彼が幸せな人間だとは思わない。」「私は彼に同情する。」",
        {},
        [],
        "a quoted sentence repeated in separate quotes: speech is kept by default",
    ),
    (
        "「私は彼に深く同情している。」「彼が幸せな人間だとは思わない。」「私は彼に深く同情している。」",
        {"quotes": "exact"},
        [("「私は彼に深く同情している。」", "exact")],
        "--dedup-quotes exact removes exact repeats of speech",
    ),
    (
        "彼は記者団に「辞任するつもりはない」と述べた。彼は記者団に「辞任するつもりはない」と述べた。",
        {},
        [("彼は記者団に「辞任するつもりはない」と述べた。", "exact")],
        "narrative holding a quotation is not speech: an exact repeat goes",
    ),
    (
        "彼は「来年、新しいスタジアムを建設する」と述べた。新しいスタジアムを建設する」と述べた。",
        {},
        [],
        "a fragment ending a quotation it did not open is speech: kept by default",
    ),
    # -- block labels
    (
        "先週、首相はパリで開催された国際会議に出席した。\n首相はパリで開催された国際会議に出席した（写真）",
        {"labels": {1: "caption"}},
        [],
        "a caption that says what the body says is layout, not a repeat",
    ),
]


@pytest.mark.parametrize("text, options, expected, why", CASES, ids=[c[3] for c in CASES])
def test_cases(text, options, expected, why):
    options = dict(options)
    labels = options.pop("labels", None)
    doc = run(text, labels=labels, **options)
    assert removed(doc) == expected
    assert restore_text(doc.text, doc.edits) == doc.original


def test_table_is_large_enough():
    assert len(CASES) >= 30


def test_variant_clusters_make_spellings_one_key():
    # with the variants stage's mentions, OpenAI and オープンAI are one unit: an exact repeat
    text = "オープンAIは新しい対話型の製品を発表した。OpenAIは新しい対話型の製品を発表した。"
    mentions = [
        {"start": 0, "end": 6, "form": "オープンAI", "canonical": "OpenAI", "cluster": 3},
        {"start": 22, "end": 28, "form": "OpenAI", "canonical": "OpenAI", "cluster": 3},
    ]
    assert text[22:28] == "OpenAI"
    doc = run(text, mentions=mentions)
    assert removed(doc) == [("OpenAIは新しい対話型の製品を発表した。", "exact")]
    # without them the two spellings differ: still a near-duplicate by phonetic keys
    assert [r for _, r in removed(run(text))] == ["near"]


def test_reason_names_the_kept_sentence_and_score():
    doc = run("アルターマンはパリのAIサミットに出席していた。AIサミットに出席していた。")
    (e,) = [e for e in doc.edits if e.stage == "dedup"]
    assert e.reason.startswith("fragment of sentence 0 (containment 1.00): 「")
    assert "AIサミットに出席していた" in e.reason
    assert doc.annotations["dedup"]["removed"] == [{"removed": 1, "kept": 0, "rule": "fragment", "score": 1.0}]


def test_flags_record_doubts():
    doc = run("2018年2月\nマスク氏は取締役会を去った。\n2018年2月\nアルトマン氏は新会社の設立を発表した。")
    assert [(f.stage, f.rule) for f in doc.flags] == [("dedup", "exact")]
    assert "kept" in doc.flags[0].reason


def test_deletion_takes_the_space_before_it():
    doc = run(f"{LONG} {LONG}\n次の行。")
    assert doc.text == f"{LONG}\n次の行。"


def test_deletion_supersedes_an_earlier_edit_inside():
    doc = Document(LONG * 2)
    segment_document(doc)
    tokenise_document(doc)
    n = len(LONG)
    doc.edit(n + 6, n + 8, "東京", "variants", "variant", "test rewrite")  # inside the second copy
    remove_duplicates(doc, DedupOptions())
    (e,) = doc.edits
    assert e.stage == "dedup" and [x.stage for x in e.supersedes] == ["variants"]
    assert restore_text(doc.text, doc.edits) == doc.original


def test_golden_sample():
    """The sample through the whole pipeline: the repeats the issue lists go, nothing else."""
    from pipeline.run import clean_text

    doc = clean_text(SAMPLE.read_text(encoding="utf-8"))
    got = sorted((e.old.strip(), e.rule) for e in doc.edits if e.stage == "dedup")
    assert got == sorted(
        [
            ("974億ドルの敵対的買収提案。", "fragment"),
            ("マスクの関係は崩れ始めた。", "fragment"),
            ("iPhone、Facebook、TikTokと並ぶ。", "fragment"),
            ("AIサミットに出席していた。", "fragment"),
            ("アルターマンとマスクはオープンAIの共同設立者でもある。", "near"),
        ]
    )
    for date in ("2015年12月", "2018年2月", "2022年11月", "2024年2月"):
        assert date in doc.text
    assert "私は彼に同情する。彼が幸せな人間だとは思わない。私は彼に同情する。" in doc.text


def test_options_from_command_line():
    parser = argparse.ArgumentParser()
    dedup.add_arguments(parser.add_argument_group("dedup"))
    args = parser.parse_args(
        ["--dedup-near", "0.9", "--dedup-scope", "document", "--dedup-rules", "exact,near", "--dedup-quotes", "exact"]
    )
    o = dedup.options_from_args(args)
    assert (o.near, o.scope, o.rules, o.quotes, o.fragment) == (
        0.9,
        "document",
        frozenset({"exact", "near"}),
        "exact",
        0.7,
    )
    assert dedup.options_from_args(parser.parse_args([])) == DedupOptions()
    for bad in (["--dedup-near", "1.5"], ["--dedup-window", "0"], ["--dedup-rules", "fuzzy"]):
        with pytest.raises(SystemExit):
            parser.parse_args(bad)


def test_rules_can_be_switched_off():
    text = "アルターマンはパリのAIサミットに出席していた。AIサミットに出席していた。" + LONG * 2
    assert [r for _, r in removed(run(text, rules=frozenset({"exact"})))] == ["exact"]
    assert removed(run(text, rules=frozenset())) == []


POOL = [
    LONG,
    "アルターマンはパリのAIサミットに出席していた。",
    "AIサミットに出席していた。",
    "2018年2月",
    "「私は彼に同情する。」",
    "はい。",
    "政府は新たな経済対策を発表した。",
    "野党は新たな経済対策を批判した。",
    " ",
    "\n",
    "\n\n",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(POOL), max_size=12), st.sampled_from(["paragraph", "document"]))
def test_properties(pieces, scope):
    doc = run("".join(pieces), scope=scope)
    # reversible, and never partial: a removed sentence is removed whole
    assert restore_text(doc.text, doc.edits) == doc.original
    gone = {i for i, s in enumerate(doc.sentences) if doc.is_deleted(s.start, s.end)}
    for e in doc.edits:
        assert e.stage == "dedup" and e.old.strip()
    # every removed sentence names a kept one, which is still there
    records = doc.annotations.get("dedup", {}).get("removed", [])
    assert {r["removed"] for r in records} == gone
    for rec in records:
        assert rec["kept"] not in gone


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([p for p in POOL if len(p) > 15]), st.sampled_from(["", " ", "\n"]))
def test_a_doubled_sentence_loses_one_copy(sentence, sep):
    doc = run(sentence + sep + sentence)
    assert len(removed(doc)) == 1
    assert doc.text.strip() == sentence

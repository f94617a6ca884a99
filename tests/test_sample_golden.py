"""Golden tests on the sample article (corpus/): its labels, drops, repeats, debris and diff.

These tests clean the sample article itself, so they quote its names and
sentences; every other test uses made-up texts (benchmarks/check_dev_names.py
allows the sample's names only in tests/test_sample_*.py).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.document import Document, restore_text
from pipeline.io.annotations import document_record, read_records, restore_record
from pipeline.run import Config, clean_text
from pipeline.stages.blocks import BlockOptions

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PATH = ROOT / "corpus" / "musk-altman-feud.ja.txt"
SAMPLE = SAMPLE_PATH.read_text(encoding="utf-8")
CAPTION_DROP = frozenset({"byline", "caption"})


@pytest.fixture(scope="module")
def sample_doc() -> Document:
    return clean_text(SAMPLE, Config())


def block_text(doc: Document, i: int) -> str:
    b = doc.blocks[i]
    return doc.cleaned_slice(b.start, b.end)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, cwd=ROOT, timeout=300)


# -- block labels and --drop ----------------------------------------------------------------


def test_sample_labels(sample_doc):
    by_label: dict[str, list[str]] = {}
    for i, b in enumerate(sample_doc.blocks):
        by_label.setdefault(b.label, []).append(block_text(sample_doc, i))
    assert by_label["byline"] == ["By Keach Hagey, Berber Jin, Dana Mattioli, Josh Dawsey"]
    assert by_label["heading"] == ["敵に回った兄弟"]
    assert len(by_label["caption"]) == 5
    assert any("(左)" in c for c in by_label["caption"])
    assert any(c.startswith("マスク氏は昨年秋の") for c in by_label["caption"])
    timeline = by_label["timeline"]
    for date in ["2015年12月", "2018年2月", "2022年11月", "2023年7月", "2024年2月", "2025年1月~2月"]:
        assert date in timeline
    assert len(timeline) == 13  # six dates, six entries, and the stray line between two of them
    # the line ending in a cut sentence stays body
    i = next(i for i in range(len(sample_doc.blocks)) if block_text(sample_doc, i).endswith("ある意味で"))
    assert sample_doc.blocks[i].label == "body"


def test_sample_labels_in_annotation_record(sample_doc):
    rec = document_record(sample_doc)
    labels = [b["label"] for b in rec["blocks"]]
    assert labels[0] == "byline"
    assert set(labels) == {"body", "byline", "caption", "heading", "timeline"}


def test_nothing_dropped_by_default(sample_doc):
    assert not [e for e in sample_doc.edits if e.stage == "blocks"]
    assert "By Keach Hagey" in sample_doc.text


def test_sample_drop_byline_and_caption():
    doc = clean_text(SAMPLE, Config(blocks=BlockOptions(drop=CAPTION_DROP)))
    text = doc.text
    assert restore_text(text, doc.edits) == SAMPLE
    assert "By Keach" not in text
    for caption in [
        "(左)とアルトマンは、2015年",
        "昨年秋のトランプ大統領選挙キャンペーン集会",
        "(中央)",
        "マクロン大統領とともに",
    ]:
        assert caption not in text
    assert "\n\n\n" not in text
    # the body around a dropped caption closes up
    assert "抵抗できないようだった。\n2015年の初め、" in text
    rules = {e.rule for e in doc.edits if e.stage == "blocks"}
    assert rules == {"drop-byline", "drop-caption"}
    # dropping again on the cleaned text finds nothing more to drop
    again = clean_text(text, Config(blocks=BlockOptions(drop=CAPTION_DROP), skip=frozenset({"variants", "dedup"})))
    assert not [e for e in again.edits if e.stage == "blocks"]


def test_cli_drop_and_restore(tmp_path):
    from pipeline.cli import main

    src = tmp_path / "sample.txt"
    src.write_bytes(SAMPLE_PATH.read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    assert main(["clean", "--drop", "byline,caption", "--out-dir", str(out), str(src)]) == 0
    cleaned = (out / "sample.clean.txt").read_text(encoding="utf-8")
    assert "By Keach" not in cleaned
    (rec,) = list(read_records(str(out / "sample.ann.jsonl")))
    assert restore_record(rec) == SAMPLE_PATH.read_bytes()
    assert "caption" in {b["label"] for b in rec["blocks"]}


# -- repeats ------------------------------------------------------------------------------


def test_golden_sample():
    """The sample through the whole pipeline: the repeats the issue lists go, nothing else."""
    from pipeline.run import clean_text

    doc = clean_text(SAMPLE)
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


# -- debris -------------------------------------------------------------------------------


def test_sample_surrounding_sentences_intact(sample_doc):
    text = sample_doc.text
    assert "反目し合った。マスクは" in text
    assert "投資する意向を表明した。彼らの記者会見は" in text
    assert "を発表。\n2023年7月\n" in text
    # look-alikes in the sample survive the whole pipeline
    for s in ["Altman, Inc.を訴えた。", "2025年1月~2月", "@マスク", '"第一弟 "', "5,000億ドル", "(BretTaylor)"]:
        assert s in text, s


# -- diff ---------------------------------------------------------------------------------


def test_cli_diff_on_the_sample_uses_markers_when_piped(tmp_path):
    proc = run_cli("diff", str(SAMPLE_PATH))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert out.startswith(f"== {SAMPLE_PATH}")
    assert "\x1b[" not in out
    forced = run_cli("diff", "--color", "always", str(SAMPLE_PATH)).stdout.decode()
    # the sample has changes: piped output marks them in text, a forced colour marks them with escapes
    assert "[-アルターマン-]" in out and "{+アルトマン+}" in out
    assert "\x1b[" in forced and "[-" not in forced

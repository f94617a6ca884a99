"""``python -m pipeline align``: TSV, --json, --lines, annotation input, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "align"
EN = str(FIXTURES / "harbor.en.txt")
JA = str(FIXTURES / "harbor.ja.txt")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["align", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _partition(beads: list[dict], n: int, m: int) -> None:
    assert [i for b in beads for i in b["en"]] == list(range(n))
    assert [j for b in beads for j in b["ja"]] == list(range(m))


def test_tsv_pairs_only(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, EN, JA)
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines()]
    assert all(len(r) == 3 and r[0] and r[1] for r in rows)  # matched beads only
    assert rows[0][0] == "Harbor city approves $500 billion transit plan"
    assert rows[0][1] == "港湾都市、5,000億ドルの交通計画を承認"
    # the merge joins English sentences with a space
    assert any(r[0].endswith("Critics were not convinced.") and r[0].startswith("Mayor") for r in rows)
    assert "5 1-1, 2 n-m, 1 English and 1 Japanese sentences unmatched" in err


def test_tsv_unmatched_rows(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, EN, JA, "--unmatched", "--quiet")
    rows = [line.split("\t") for line in out.splitlines()]
    assert ["", "写真：ロイター"] in [r[:2] for r in rows]  # junk shown with an empty English cell
    assert any(r[0].startswith("Opponents") and r[1] == "" for r in rows)  # the omission


def test_json_every_sentence_once(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "--json", "--quiet", EN, JA)
    assert code == 0 and err == ""
    beads = json.loads(out)
    _partition(beads, 9, 9)
    en_text = Path(EN).read_text(encoding="utf-8")
    ja_text = Path(JA).read_text(encoding="utf-8")
    first = beads[0]
    assert en_text[slice(*first["en_spans"][0])] == "Harbor city approves $500 billion transit plan"
    assert ja_text[slice(*first["ja_spans"][0])] == "港湾都市、5,000億ドルの交通計画を承認"
    assert "ja_orig" not in first  # plain text input has no original offsets
    assert all(0 <= b["score"] <= 1 for b in beads)


def test_lines_mode(capsys: pytest.CaptureFixture[str]) -> None:
    en, ja = str(FIXTURES / "lines.en.txt"), str(FIXTURES / "lines.ja.txt")
    _, out, _ = _run(capsys, "--json", "--lines", "--quiet", en, ja)
    beads = [(b["en"], b["ja"]) for b in json.loads(out)]
    assert beads == [([0], [0]), ([1], [1]), ([2], [2]), ([], [3]), ([3], [4]), ([4], [])]


def test_lines_mode_counts_lines_not_sentences(capsys: pytest.CaptureFixture[str]) -> None:
    # harbor.en.txt has 7 non-empty lines but 9 sentences
    _, out, _ = _run(capsys, "--json", "--lines", "--quiet", EN, JA)
    beads = json.loads(out)
    assert max(i for b in beads for i in b["en"]) == 6


def test_min_score_turns_weak_beads_into_unmatched(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "--json", "--quiet", "--min-score", "0.999", EN, JA)
    beads = json.loads(out)
    _partition(beads, 9, 9)
    assert all(b["score"] >= 0.999 for b in beads if b["en"] and b["ja"])


def test_annotation_input_maps_to_original(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a raw Japanese article with markup debris: clean it, then align the annotation file
    raw = tmp_path / "harbor.ja.txt"
    raw.write_text(
        Path(JA).read_text(encoding="utf-8").replace("ポート・メルビル", "<b>ポート・メルビル</b>"), encoding="utf-8"
    )
    assert main(["clean", "--out-dir", str(tmp_path), str(raw)]) == 0
    capsys.readouterr()
    ann = tmp_path / "harbor.ja.ann.jsonl"
    code, out, _ = _run(capsys, "--json", "--quiet", EN, str(ann))
    assert code == 0
    beads = json.loads(out)
    record = json.loads(ann.read_text(encoding="utf-8").splitlines()[0])
    _partition(beads, 9, len(record["sentences"]))
    original = raw.read_text(encoding="utf-8")
    second = beads[1]
    assert second["en"] == [1]
    (os_, oe), (cs, ce) = second["ja_orig"][0], second["ja_spans"][0]
    # the original span still holds the markup the cleaner removed
    assert "ポート・メルビル</b>市議会" in original[os_:oe] and original[os_:oe].endswith("承認した。")
    assert record["text"][cs:ce].startswith("ポート・メルビル市議会")


def test_annotation_input_lines_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(FIXTURES / "lines.ja.txt", tmp_path / "lines.ja.txt")
    assert main(["clean", "--out-dir", str(tmp_path), str(tmp_path / "lines.ja.txt")]) == 0
    capsys.readouterr()
    _, out, _ = _run(
        capsys, "--json", "--lines", "--quiet", str(FIXTURES / "lines.en.txt"), str(tmp_path / "lines.ja.ann.jsonl")
    )
    beads = json.loads(out)
    original = (FIXTURES / "lines.ja.txt").read_text(encoding="utf-8")
    bead = next(b for b in beads if b["en"] == [3])
    assert original[slice(*bead["ja_orig"][0])] == "嵐は最大時速110キロの風をもたらした。"


def test_annotation_with_two_documents_needs_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copy(JA, a)
    shutil.copy(FIXTURES / "lines.ja.txt", b)
    assert main(["clean", "--json", str(a), str(b)]) == 0
    ann = tmp_path / "both.jsonl"
    ann.write_text(capsys.readouterr().out, encoding="utf-8")
    code, _, err = _run(capsys, EN, str(ann))
    assert code == 2 and "--id" in err
    code, out, _ = _run(capsys, "--json", "--quiet", "--id", "a", EN, str(ann))
    assert code == 0 and json.loads(out)[0]["ja"] == [0]


INPUT_ERRORS = [
    # a missing English file
    (["/nonexistent/en.txt", JA], "no such file"),
    # a missing annotation file
    ([EN, "/nonexistent/ja.ann.jsonl"], "no such file"),
    # a text file read as an annotation file
    ([EN, JA, "--ja-format", "ann"], "not JSON"),
    # a ratio that makes no sense
    ([EN, JA, "--ratio", "0"], "must be positive"),
]


@pytest.mark.parametrize(("argv", "message"), INPUT_ERRORS)
def test_input_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, *argv)
    assert code == 2 and message in err


SIDE_WARNINGS = [
    # (name, English text or None for the harbor fixture, Japanese text or None, the warnings expected)
    # the English file given twice: the "Japanese" side has no Japanese letters
    ("en_twice", None, "Harbor city approves a plan.\nThe mayor said so today.\n", ["is it the Japanese side?"]),
    # the two files swapped: both sides are in the wrong language
    (
        "swapped",
        "港湾都市が計画を承認した。市長がそう述べた。今日のことだ。\n",
        "Harbor city approves a plan. The mayor said so today.\n",
        ["is it the English side?", "is it the Japanese side?"],
    ),
    # an empty English side
    ("empty_en", "", None, ["no English sentences"]),
    # an empty Japanese side
    ("empty_ja", None, "\n\n", ["no Japanese sentences"]),
]


@pytest.mark.parametrize(("name", "en_text", "ja_text", "messages"), SIDE_WARNINGS, ids=[w[0] for w in SIDE_WARNINGS])
def test_side_warnings(
    name: str,
    en_text: str | None,
    ja_text: str | None,
    messages: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    en, ja = tmp_path / "en.txt", tmp_path / "ja.txt"
    en.write_text(EN_TEXT if en_text is None else en_text, encoding="utf-8")
    ja.write_text(JA_TEXT if ja_text is None else ja_text, encoding="utf-8")
    code, _, err = _run(capsys, "--quiet", str(en), str(ja))
    assert code == 0  # a warning, not an error: the output is still written
    assert err.count("warning:") == len(messages)
    assert all(m in err for m in messages)


EN_TEXT = Path(EN).read_text(encoding="utf-8")
JA_TEXT = Path(JA).read_text(encoding="utf-8")


def test_no_warning_on_a_real_pair(capsys: pytest.CaptureFixture[str]) -> None:
    # look-alike: English names and numbers inside the Japanese side are not a wrong language
    _, _, err = _run(capsys, "--quiet", EN, JA)
    assert "warning" not in err

"""Paired input on the command line: --source, --source-suffix, --source-field and translation pairs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def record(path: Path) -> dict:
    (line,) = path.read_text(encoding="utf-8").splitlines()
    return json.loads(line)


# the shipped example pair's translation faults (tests/test_bilingual.py says which sentence each is)
FLAGS = ["untranslated", "number-mismatch", "omission", "name-mismatch"]


def bilingual_rules(rec: dict) -> list[str]:
    return [f["rule"] for f in rec["flags"] if f["stage"] == "bilingual"]


def test_one_file_with_its_source(tmp_path):
    proc = run(
        "clean",
        str(CORPUS / "library-reopening.ja.txt"),
        "--source",
        str(CORPUS / "library-reopening.en.txt"),
        "--out-dir",
        str(tmp_path / "o"),
        "-q",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    rec = record(tmp_path / "o" / "library-reopening.ja.ann.jsonl")
    assert bilingual_rules(rec) == FLAGS
    assert len(rec["annotations"]["alignment"]["english"]) == 11
    # restore ignores the source: the Japanese original comes back byte for byte
    restored = run("restore", str(tmp_path / "o" / "library-reopening.ja.ann.jsonl"), cwd=tmp_path)
    assert restored.stdout == (CORPUS / "library-reopening.ja.txt").read_text(encoding="utf-8")


def test_a_folder_of_pairs_by_name_reports_the_unpaired_sides(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("library-reopening.ja.txt", "library-reopening.en.txt", "musk-altman-feud.ja.txt"):
        shutil.copy(CORPUS / name, src / name)
    (src / "orphan.en.txt").write_text("No Japanese file has this name.\n", encoding="utf-8")
    proc = run("clean", str(src), "--source-suffix", ".en.txt", "--out-dir", str(tmp_path / "o"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "musk-altman-feud.ja.txt: no English source" in proc.stderr
    assert "orphan.en.txt: an English source with no Japanese file beside it; not cleaned" in proc.stderr
    written = sorted(p.name for p in (tmp_path / "o").glob("*.ann.jsonl"))
    assert written == ["library-reopening.ja.ann.jsonl", "musk-altman-feud.ja.ann.jsonl"]  # no English output
    assert "alignment" in record(tmp_path / "o" / "library-reopening.ja.ann.jsonl")["annotations"]
    assert "alignment" not in record(tmp_path / "o" / "musk-altman-feud.ja.ann.jsonl")["annotations"]


def test_corpus_with_a_source_field_and_translation_pairs(tmp_path):
    ja = (CORPUS / "library-reopening.ja.txt").read_text(encoding="utf-8")
    en = (CORPUS / "library-reopening.en.txt").read_text(encoding="utf-8")
    (tmp_path / "fields.jsonl").write_text(json.dumps({"id": "a", "text": ja, "en": en}) + "\n", encoding="utf-8")
    (tmp_path / "pairs.jsonl").write_text(
        json.dumps({"id": "b", "translation": {"en": en, "ja": ja}})
        + "\n"
        + json.dumps({"id": "c", "translation": {"en": 5, "ja": ja}})
        + "\n",  # a bad source fails alone
        encoding="utf-8",
    )
    proc = run("clean", "fields.jsonl", "--source-field", "en", "--out-dir", "o", "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert bilingual_rules(record(tmp_path / "o" / "fields.ann.jsonl")) == FLAGS
    proc = run("clean", "pairs.jsonl", "--out-dir", "o", "-q", cwd=tmp_path)
    assert proc.returncode == 1  # one document failed, the other was cleaned
    assert "pairs.jsonl:2 (id c): line 2: source field 'translation.en' is not a string" in proc.stderr
    (good,) = [json.loads(x) for x in (tmp_path / "o" / "pairs.ann.jsonl").read_text(encoding="utf-8").splitlines()]
    assert good["id"] == "b" and bilingual_rules(good) == FLAGS


def test_source_with_several_inputs_is_a_usage_error(tmp_path):
    proc = run(
        "clean", str(CORPUS), "--source", str(CORPUS / "library-reopening.en.txt"), "--out-dir", "o", cwd=tmp_path
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("error: --source: pairs one Japanese file with one English file")


def test_the_html_report_shows_the_english_beside_each_row(tmp_path):
    run(
        "clean",
        str(CORPUS / "library-reopening.ja.txt"),
        "--source",
        str(CORPUS / "library-reopening.en.txt"),
        "--out-dir",
        "o",
        "-q",
        cwd=tmp_path,
    )
    proc = run("diff", "o/library-reopening.ja.ann.jsonl", "--html", "report.html", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "EN: Mayor Helen Hargreaves cut the ribbon in front of about 300 residents." in page
    assert "EN: &quot;A library is the living room of a town,&quot; Hargreaves said." in page  # escaped
    assert "English sentence 10 has no translation" in page  # the flags are listed with their reasons

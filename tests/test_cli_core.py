"""The core CLI: clean to stdout / --out-dir, restore, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "musk-altman-feud.ja.txt"


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=300,
    )


def test_restore_reproduces_the_sample_byte_for_byte(tmp_path):
    assert main(["clean", str(SAMPLE), "--out-dir", str(tmp_path)]) == 0
    ann = tmp_path / "musk-altman-feud.ja.ann.jsonl"
    clean = tmp_path / "musk-altman-feud.ja.clean.txt"
    assert ann.exists() and clean.exists()
    proc = run_cli("restore", str(ann))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == SAMPLE.read_bytes()
    rec = json.loads(ann.read_text(encoding="utf-8"))
    assert rec["text"] == clean.read_text(encoding="utf-8")
    assert rec["source"] == str(SAMPLE)
    assert len(rec["sha256"]) == 64


def test_clean_reads_stdin_and_writes_stdout():
    proc = run_cli("clean", stdin="一行目。\n二行目。\n".encode())
    assert proc.returncode == 0
    assert proc.stdout.decode() == "一行目。\n二行目。\n"
    proc2 = run_cli("clean", "-", stdin="同じ。\n".encode())
    assert proc2.stdout.decode() == "同じ。\n"


def test_clean_json_prints_one_record_per_document():
    proc = run_cli("clean", "--json", stdin="犬が走る。".encode())
    [line] = proc.stdout.decode().splitlines()
    rec = json.loads(line)
    assert rec["text"] == "犬が走る。"
    assert rec["sentences"][0]["tokens"]["surface"] == ["犬", "が", "走る", "。"]  # schema 2: tokens as columns


@pytest.mark.parametrize(
    "data, encoding",
    [
        ("日本語の文。\r\n次の行。".encode(), "utf-8"),  # CRLF kept as is
        (b"\xef\xbb\xbf" + "BOM付き。".encode(), "utf-8"),  # UTF-8 with BOM
        ("シフトJISの文。".encode("cp932"), "shift_jis"),  # named legacy encoding
        ("EUCの文。".encode("euc_jp"), "euc-jp"),  # named legacy encoding
        ("自動判定の文。".encode("cp932"), "auto"),  # detected
    ],
)
def test_restore_round_trips_encodings(tmp_path, data, encoding):
    src = tmp_path / "in.txt"
    src.write_bytes(data)
    out = tmp_path / "out"
    assert main(["clean", str(src), "--encoding", encoding, "--out-dir", str(out)]) == 0
    proc = run_cli("restore", str(out / "in.ann.jsonl"))
    assert proc.stdout == data


@pytest.mark.parametrize(
    "data, message",
    [
        (b"ok\xff\xfe bad", "byte offset 2"),  # undecodable UTF-8 names the offset
        (b"\x00\x01\x02ELF binary", "binary file"),  # NUL bytes: not text
    ],
)
def test_bad_input_gives_one_line_and_no_output(tmp_path, data, message):
    src = tmp_path / "bad.txt"
    src.write_bytes(data)
    out = tmp_path / "out"
    proc = run_cli("clean", str(src), "--out-dir", str(out))
    assert proc.returncode == 2
    err = proc.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and message in err and "bad.txt" in err
    assert not out.exists() or not any(out.iterdir())


def test_missing_file_is_exit_2():
    proc = run_cli("clean", "no/such/file.txt")
    assert proc.returncode == 2
    assert proc.stderr.decode().strip() == "error: no/such/file.txt: no such file"


def test_unknown_encoding_is_exit_2(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("あ", encoding="utf-8")
    proc = run_cli("clean", str(src), "--encoding", "klingon")
    assert proc.returncode == 2 and "unknown encoding" in proc.stderr.decode()


def test_empty_file_gives_empty_output(tmp_path):
    src = tmp_path / "empty.txt"
    src.write_bytes(b"")
    proc = run_cli("clean", str(src))
    assert proc.returncode == 0 and proc.stdout == b""


def test_restore_rejects_a_broken_annotation_file(tmp_path):
    bad = tmp_path / "x.ann.jsonl"
    bad.write_text('{"text": "a"\n', encoding="utf-8")
    proc = run_cli("restore", str(bad))
    assert proc.returncode == 2 and "line 1" in proc.stderr.decode()


@pytest.mark.parametrize(
    "content, want",
    [
        # a record cut after a value: the column is on the record's line, just past its 13 characters, not
        # json's column 1 of the "second line" its trailing newline starts
        ('{"text": "a"\n', "x.ann.jsonl: line 1: not JSON (Expecting ',' delimiter at column 14)"),
        # cut inside a string on the last line: json's message ends in "starting at", said once, not "at at"
        ('{"text": "a', "x.ann.jsonl: line 1: not JSON (Unterminated string starting at column 10)"),
        # cut inside a string, newline after it: json's "... control character at", also said once
        ('{"text": "a\n', " control character at column 12)"),
    ],
)
def test_restore_names_where_a_cut_record_breaks(tmp_path, capsys, content, want):
    bad = tmp_path / "x.ann.jsonl"
    bad.write_text(content, encoding="utf-8")
    assert main(["restore", str(bad)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.strip().endswith(want) and len(err.strip().splitlines()) == 1


def test_restore_detects_a_tampered_record(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("本文。", encoding="utf-8")
    main(["clean", str(src), "--out-dir", str(tmp_path)])
    ann = tmp_path / "a.ann.jsonl"
    rec = json.loads(ann.read_text(encoding="utf-8"))
    rec["text"] = "改竄。"
    ann.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    proc = run_cli("restore", str(ann))
    assert proc.returncode == 2 and "SHA-256" in proc.stderr.decode()


@pytest.mark.parametrize("command", ["restore", "stats", "variants", "diff"])
def test_every_command_reports_a_missing_file_in_one_line(command):
    proc = run_cli(command, "no/such/file.ann.jsonl")
    assert proc.returncode == 2
    assert proc.stderr.decode().strip() == "error: no/such/file.ann.jsonl: no such file"

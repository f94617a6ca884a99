"""The table reader (pipeline/tables.py): YAML tables kept like bytecode, and read without importlib.resources."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline import tables

ROOT = Path(__file__).resolve().parent.parent
YAML_TABLES = ["markup_rules.yaml", "blocks_rules.yaml", "dedup_loops.yaml"]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """A writable cache folder for the test (as under PYTHONPYCACHEPREFIX), bytecode writing on."""
    monkeypatch.setattr(tables, "_cache_folder", lambda: str(tmp_path / "cache"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return tmp_path / "cache"


@pytest.mark.parametrize("name", YAML_TABLES)
def test_kept_value_is_the_parsed_value(name, cache_dir):
    # the first load parses and keeps; the second reads what was kept: both equal PyYAML's parse
    parsed = yaml.safe_load(tables.read_table(name))
    assert tables.load_yaml(name) == parsed
    assert list(cache_dir.glob(f"{name}.*.marshal"))
    assert tables.load_yaml(name) == parsed


def test_a_changed_table_is_parsed_again(cache_dir, monkeypatch):
    # the kept value belongs to the text it was parsed from: another text never gets it
    texts = {"t.yaml": "limits:\n  a: 1\n"}
    monkeypatch.setattr(tables, "read_table", lambda name: texts[name])
    assert tables.load_yaml("t.yaml") == {"limits": {"a": 1}}
    texts["t.yaml"] = "limits:\n  a: 2\n"
    assert tables.load_yaml("t.yaml") == {"limits": {"a": 2}}


def test_a_damaged_cache_file_is_ignored(cache_dir):
    cache_dir.mkdir(parents=True)
    for name in YAML_TABLES:
        (cache_dir / f"{name}.{sys.implementation.cache_tag}.marshal").write_bytes(b"\x00not marshal")
    assert tables.load_yaml("blocks_rules.yaml") == yaml.safe_load(tables.read_table("blocks_rules.yaml"))


def test_a_value_marshal_cannot_hold_is_parsed_every_time(cache_dir, monkeypatch):
    # a YAML date: marshal refuses it, nothing is kept, the value is still right
    monkeypatch.setattr(tables, "read_table", lambda name: "when: 2024-01-02\n")
    assert str(tables.load_yaml("d.yaml")["when"]) == "2024-01-02"
    assert not list(cache_dir.glob("*.marshal"))


def test_nothing_is_written_without_bytecode(cache_dir, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert "limits" in tables.load_yaml("dedup_loops.yaml")
    assert not cache_dir.exists()


def test_a_read_only_cache_folder_is_no_error(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "_cache_folder", lambda: "/proc/no-such-folder")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert "limits" in tables.load_yaml("dedup_loops.yaml")


def test_read_table_gives_universal_newlines(tmp_path, monkeypatch):
    # as Path.read_text did: a table saved with CRLF reads with "\n"
    (tmp_path / "x.tsv").write_bytes(b"a\tb\r\nc\td\r\n")
    monkeypatch.setattr(tables, "_DATA", str(tmp_path))
    assert tables.read_table("x.tsv") == "a\tb\nc\td\n"
    assert list(tables.tsv_rows("x.tsv")) == [["a", "b"], ["c", "d"]]


def test_clean_imports_no_yaml_once_tables_are_kept(tmp_path):
    """Start-up: with the tables kept, a clean imports neither PyYAML, importlib.resources nor importlib.metadata."""
    env = {"PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(tmp_path / "pyc"), "PATH": "/usr/bin:/bin"}
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    probe = (
        "import sys; from pipeline.cli import main\n"
        "main(['clean', sys.argv[1], '--out-dir', sys.argv[2]])\n"
        "print(sorted(m for m in ('yaml', 'importlib.resources', 'importlib.metadata') if m in sys.modules))"
    )
    cmd = [sys.executable, "-c", probe, str(empty), str(tmp_path / "out")]
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True)  # the first run keeps the tables
    second = subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    assert second.stdout.strip().splitlines()[-1] == "[]"


def test_the_program_ends_with_its_status_and_flushed_output(tmp_path):
    """``python -m pipeline`` ends without Python's teardown (cli._end_process): same status, output complete."""
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    text = tmp_path / "a.txt"
    # more than one pipe buffer of output, nothing to clean (no markup, no repeat)
    text.write_text("".join(f"会議は{i}回目だった。\n" for i in range(3000)), encoding="utf-8")
    ok = subprocess.run([sys.executable, "-m", "pipeline", "clean", str(text)], env=env, cwd=ROOT, capture_output=True)
    assert ok.returncode == 0 and ok.stdout.decode("utf-8") == text.read_text(encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, "-m", "pipeline", "clean", str(tmp_path / "missing.txt")],
        env=env,
        cwd=ROOT,
        capture_output=True,
    )
    assert bad.returncode == 2 and bad.stderr.decode().startswith("error:")

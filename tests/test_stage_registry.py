"""A stage registered from a user's module runs through the CLI, in worker processes, with its own option."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PLUGINS = Path(__file__).resolve().parent / "fixtures" / "plugins"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PLUGINS), os.environ.get("PYTHONPATH")]))}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


def texts(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"a{i}.txt").write_text(f"★新製品★{i}号を発表した。■価格は未定。\n", encoding="utf-8")
    return src


def stage_edits(out: Path) -> list[tuple[str, str]]:
    found = []
    for f in sorted(out.glob("*.ann.jsonl")):
        rec = json.loads(f.read_text(encoding="utf-8"))
        found += [(e["stage"], e["old"]) for e in rec["edits"] if e["stage"] == "strip"]
    return found


def test_a_registered_stage_runs_in_two_workers_with_its_own_option(tmp_path):
    src = texts(tmp_path)
    args = ("clean", str(src), "--stage-module", "star_stage", "--jobs", "2", "-q")
    proc = run(*args, "--out-dir", "default", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert stage_edits(tmp_path / "default") == [("strip", "★")] * 6
    proc = run(*args, "--out-dir", "square", "--strip-char", "■", cwd=tmp_path)  # the stage's own flag
    assert proc.returncode == 0, proc.stderr
    assert stage_edits(tmp_path / "square") == [("strip", "■")] * 3
    assert (tmp_path / "square" / "a0.clean.txt").read_text(encoding="utf-8") == "★新製品★0号を発表した。価格は未定。\n"
    restored = run("restore", str(tmp_path / "square" / "a0.ann.jsonl"), cwd=tmp_path)
    assert restored.stdout == (src / "a0.txt").read_text(encoding="utf-8")


def test_a_registered_stage_can_be_skipped_and_is_listed(tmp_path):
    src = texts(tmp_path)
    proc = run(
        "clean", str(src), "--stage-module", "star_stage", "--skip", "strip", "--out-dir", "o", "-q", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert stage_edits(tmp_path / "o") == []
    helptext = run("clean", "--stage-module", "star_stage", "--help", cwd=tmp_path).stdout
    assert "--strip-char" in helptext and "strip stage (registered)" in helptext


def test_an_unknown_stage_module_is_one_line(tmp_path):
    proc = run("clean", "x.txt", "--stage-module", "no_such_module_here", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: --stage-module: ModuleNotFoundError: No module named 'no_such_module_here'"


def test_registering_in_python_puts_the_stage_in_its_place():
    import importlib

    from pipeline.run import all_stages

    sys.path.insert(0, str(PLUGINS))
    try:
        importlib.reload(importlib.import_module("star_stage"))  # registers again if an earlier test imported it
        names = [s.name for s in all_stages()]
        assert names[:3] == ["markup", "strip", "segment"]
    finally:
        sys.path.remove(str(PLUGINS))
        from pipeline import run as run_module

        run_module._REGISTERED[:] = [(s, a) for s, a in run_module._REGISTERED if s.name != "strip"]


def test_a_registered_stage_runs_from_the_python_front_door():
    import importlib

    from pipeline import clean
    from pipeline import run as run_module

    sys.path.insert(0, str(PLUGINS))
    try:
        importlib.reload(importlib.import_module("star_stage"))  # registers again if an earlier test imported it
        assert clean("★新製品★を発表した。").text == "新製品を発表した。"
    finally:
        sys.path.remove(str(PLUGINS))
        run_module._REGISTERED[:] = [(s, a) for s, a in run_module._REGISTERED if s.name != "strip"]
    assert clean("★新製品★を発表した。").text == "★新製品★を発表した。"  # unregistered: not run

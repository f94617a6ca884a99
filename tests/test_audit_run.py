"""The edit audit's run (benchmarks/audit/audit.py run) where the dev data is absent: it must finish, not hang.

A user who clones the repository and runs the README's audit command without the dev data gets a note per corpus
and an empty edit list; with the default two jobs the run used to hang for ever in its worker pool.  No dev data is
read here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AUDIT = ROOT / "benchmarks" / "audit" / "audit.py"


@pytest.mark.parametrize("jobs", ["1", "2"])  # 2 is the default, and hung; 1 never did
def test_a_run_without_the_dev_data_finishes_with_a_note_and_no_edits(tmp_path, jobs):
    env = {**os.environ, "WMT22_DEV": str(tmp_path / "no-wmt22"), "WMT21_DEV": str(tmp_path / "no-wmt21")}
    out = tmp_path / "edits.jsonl"
    proc = subprocess.run(
        [sys.executable, str(AUDIT), "run", "--out", str(out), "--jobs", jobs],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,  # the hang was a deadlock, not slowness: a finished run takes a second or two
    )
    assert proc.returncode == 0, proc.stderr
    assert "0 texts, 0 edits" in proc.stdout
    assert f"{tmp_path / 'no-wmt22'} is absent; wmt22 skipped" in proc.stderr
    assert f"{tmp_path / 'no-wmt21'} is absent; wmt21 skipped" in proc.stderr
    assert out.read_text(encoding="utf-8") == ""

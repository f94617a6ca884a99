"""atomic_writer: the whole file or nothing, the usual mode, no temporary file left behind."""

from __future__ import annotations

import os
import stat

import pytest

from pipeline.io.atomic import atomic_writer


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_writes_whole_file_with_umask_mode(tmp_path):
    # the file gets 0666 under the umask, as open() would give it (mkstemp alone makes 0600)
    old = os.umask(0o022)
    try:
        with atomic_writer(str(tmp_path / "a.txt")) as fh:
            fh.write("本文\n")
    finally:
        os.umask(old)
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "本文\n"
    assert _mode(tmp_path / "a.txt") == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_makes_missing_folder(tmp_path):
    # the folder is made only when the first open says it is missing
    target = tmp_path / "new" / "deeper" / "b.txt"
    with atomic_writer(str(target)) as fh:
        fh.write("x")
    assert target.read_text() == "x"


def test_taken_temporary_name_falls_back(tmp_path):
    # a left-over temporary of a killed run with the same process id: not touched, a random name used instead
    stale = tmp_path / f".c.txt.{os.getpid() & 0xFFFFFFFF:08x}.tmp"
    stale.write_text("stale")
    old = os.umask(0o027)
    try:
        with atomic_writer(str(tmp_path / "c.txt")) as fh:
            fh.write("new")
    finally:
        os.umask(old)
    assert (tmp_path / "c.txt").read_text() == "new"
    assert stale.read_text() == "stale"
    assert _mode(tmp_path / "c.txt") == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["c.txt", stale.name])


def test_nested_writers_of_one_path(tmp_path):
    # two writers of the same path open at once in one process: both temporaries differ, the last rename wins
    path = str(tmp_path / "d.txt")
    with atomic_writer(path) as outer:
        outer.write("outer")
        with atomic_writer(path) as inner:
            inner.write("inner")
    assert (tmp_path / "d.txt").read_text() == "outer"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.txt"]


def test_failure_leaves_nothing(tmp_path):
    # the body raises: no output, no temporary
    with pytest.raises(RuntimeError), atomic_writer(str(tmp_path / "e.txt")) as fh:
        fh.write("half")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []

"""RealPaths gives os.path.realpath's answer with each folder resolved once."""

from __future__ import annotations

import os

import pytest

from pipeline.io.realpaths import RealPaths


@pytest.fixture
def tree(tmp_path, monkeypatch):
    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "real" / "a.txt").write_text("a")
    (tmp_path / "real" / "sub" / "b.txt").write_text("b")
    os.symlink(tmp_path / "real", tmp_path / "dirlink")  # a folder reached through a link
    os.symlink(tmp_path / "real" / "a.txt", tmp_path / "real" / "sub" / "filelink.txt")  # a file that is a link
    os.symlink(tmp_path / "missing.txt", tmp_path / "real" / "dangling.txt")  # a link to nothing
    os.symlink("sub", tmp_path / "real" / "rel")  # a relative link
    monkeypatch.chdir(tmp_path)
    return tmp_path


PATHS = [
    "real/a.txt",  # plain
    "dirlink/a.txt",  # the folder is a link
    "dirlink/sub/../a.txt",  # ".." after a linked folder: resolved, not cut lexically
    "dirlink/sub/filelink.txt",  # the file itself is a link
    "real/dangling.txt",  # a dangling link resolves to its target's name
    "real/rel/b.txt",  # a relative link in the middle
    "real/nothing-yet.txt",  # an output not written yet
    "a.txt",  # no folder part
    "real/sub/..",  # ends in ".."
    "real/sub/",  # ends in a separator
    "./real//sub/b.txt",  # "." and a double separator
]


@pytest.mark.parametrize("path", PATHS)
def test_same_as_os_realpath(tree, path):
    real = RealPaths()
    assert real(path) == os.path.realpath(path)
    assert real(str(tree / path)) == os.path.realpath(tree / path)  # absolute, and the folder cache hit twice
    assert real(path) == os.path.realpath(path)

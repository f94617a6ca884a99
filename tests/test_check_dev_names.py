"""benchmarks/check_dev_names.py: the words of the code that a dev text also has, on made-up texts."""

from __future__ import annotations

import doctest
import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "check_dev_names.py"


@pytest.fixture(scope="module")
def checker():
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        spec = importlib.util.spec_from_file_location("check_dev_names_under_test", SCRIPT)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(SCRIPT.parent))


def test_doctests(checker) -> None:
    assert doctest.testmod(checker).failed == 0


def _dev(tmp_path: Path, monkeypatch, text: str) -> None:
    """A made-up dev folder holding ``text``; the WMT21 folder absent."""
    dev = tmp_path / "dev" / "doc1"
    dev.mkdir(parents=True)
    (dev / "en.txt").write_text(text, encoding="utf-8")
    monkeypatch.setenv("WMT22_DEV", str(tmp_path / "dev"))
    monkeypatch.setenv("WMT21_DEV", str(tmp_path / "absent"))


# (dev text, code, reported words): one case a line, each with why
CASES = [
    # a made-up name the dev text has, in a comment and as katakana: both reported
    ("Quimberly spoke. クイムベリーが話した。", "# Quimberly (クイムベリー)\n", ["Quimberly", "クイムベリー"]),
    # the dev text also writes the word in lower case: a common word, not reported
    ("Zorbleton said a zorbleton is here.", "x = 'Zorbleton'\n", []),
    # a weekday of the allowlist: not reported
    ("Monday came.", "# on Monday\n", []),
    # a name the dev text never has: not reported
    ("Quimberly spoke.", "# Fennimore\n", []),
    # a shorter katakana run inside a longer one of the dev text: not a whole word there, not reported
    ("クイムベリー卿", "# クイムベ\n", []),
    # a dev sentence copied into a test with its name changed: no dev word left, the sentence reported
    ("村の図書館は月曜日に再び開館する予定だ。", "t = '町の図書館は月曜日に再び開館する予定だ。'\n", ["sentence"]),
    # seven English words in a row of a dev text, another case: reported
    ("The library will open again on Monday morning.", "# the library will open again on monday\n", ["sentence"]),
    # thirteen characters in common are a phrase, not a copied sentence: not reported
    ("村の図書館は月曜日に再び開館", "t = '図書館は月曜日に再び開館'\n", []),
    # a support chat's formula, which every support chat has (allowlisted with its reason): not reported
    ("店にお問い合わせいただきありがとうございます。", "t = 'お問い合わせいただきありがとうございます。'\n", []),
]


@pytest.mark.parametrize(("dev_text", "code", "words"), CASES)
def test_reports_dev_words(checker, tmp_path, monkeypatch, capsys, dev_text, code, words) -> None:
    _dev(tmp_path, monkeypatch, dev_text)
    src = tmp_path / "pkg"
    src.mkdir()
    (src / "mod.py").write_text(code, encoding="utf-8")
    status = checker.main([str(src)])
    out = capsys.readouterr().out
    assert sorted(line.split("\t")[0] for line in out.splitlines()) == sorted(words)
    assert status == (1 if words else 0)
    for line in out.splitlines():
        assert "mod.py:1" in line  # where the word is, by line


def test_absent_dev_data_is_one_note(checker, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("WMT22_DEV", str(tmp_path / "absent22"))
    monkeypatch.setenv("WMT21_DEV", str(tmp_path / "absent21"))
    assert checker.main([str(tmp_path)]) == 0
    assert "dev data is absent" in capsys.readouterr().out


def test_missing_path_is_one_line(checker, tmp_path, monkeypatch, capsys) -> None:
    _dev(tmp_path, monkeypatch, "Quimberly spoke.")
    assert checker.main([str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.startswith("error: no such file or folder")


def test_no_dev_name_in_the_code_or_tests(checker, capsys) -> None:
    """The guard itself: no name of a dev article or of the sample outside the allowlist (skips without the data)."""
    if not checker.dev_folders():
        pytest.skip("the dev data is not here (WMT22_DEV / WMT21_DEV or ../shared/data)")
    found = checker.main([])
    assert found == 0, capsys.readouterr().out

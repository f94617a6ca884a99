"""The README's Python examples run as written (doctest of its ``>>>`` lines)."""

from __future__ import annotations

import doctest
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_section_runs_as_written():
    result = doctest.testfile(str(README), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 5  # the section is there and was run, not skipped
    assert result.failed == 0


def test_every_public_name_resolves():
    import pipeline

    for name in pipeline.__all__:
        assert getattr(pipeline, name) is not None, name

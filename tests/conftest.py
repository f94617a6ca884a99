"""Collection: the fixtures are data and modules the tests load themselves (a plugin stage registers on import);
``tests/files.py``, ``tests/align_helpers.py``, ``tests/review_helpers.py``, ``tests/source_helpers.py`` and
``tests/flag_texts.py`` hold what test modules share, importable as ``files``, ``align_helpers``, ``review_helpers``,
``source_helpers`` and ``flag_texts``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

collect_ignore_glob = ["fixtures/*"]

# Property tests explore new examples on every local run (and replay any failure found, from
# .hypothesis/).  CI sets HYPOTHESIS_PROFILE=ci: the same examples each run, so whether a commit
# lands does not depend on the luck of the draw; a failure found locally is pinned with @example.
import os  # noqa: E402

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

pytest.register_assert_rewrite("source_helpers")  # its assertions explain a failure as a test's own do

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])


@pytest.fixture
def no_table(monkeypatch, tmp_path):
    """The aligner's dictionary as if it were not installed (its table absent)."""
    import pipeline.align.dictionary as dictionary

    monkeypatch.setattr(dictionary, "TABLE", tmp_path / "absent.tsv.gz")
    dictionary.reload_table()
    yield
    dictionary.reload_table()

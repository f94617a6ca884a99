"""docs/architecture.md states the stage list as the code declares it."""

from __future__ import annotations

from pathlib import Path

from pipeline.run import stage_table

DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"


def test_the_stage_table_in_the_docs_is_the_registry():
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- stage-table -->\n", 1)[1].split("\n<!-- /stage-table -->", 1)[0]
    assert table == stage_table(), "regenerate the table with pipeline.run.stage_table()"


def test_every_package_folder_has_its_paragraph():
    text = DOC.read_text(encoding="utf-8")
    root = DOC.parents[1] / "pipeline"
    for folder in sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("__")):
        assert f"**`pipeline/{folder}/`**" in text, folder

"""Rewrite the golden files of the sample after a reviewed change of behaviour.

    python tests/golden/regenerate.py && git diff tests/golden

Read the diff line by line before committing it: the golden files are the
project's record of what cleaning the sample should do.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.run import clean_text

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent.parent / "corpus" / "musk-altman-feud.ja.txt"


def edit_rows(doc) -> str:
    rows = ["# start\tend\tstage\trule\told\tnew"]
    rows += [f"{e.start}\t{e.end}\t{e.stage}\t{e.rule}\t{e.old!r}\t{e.new!r}" for e in doc.edits]
    return "\n".join(rows) + "\n"


def main() -> None:
    doc = clean_text(SAMPLE.read_text(encoding="utf-8"))
    (HERE / "musk-altman-feud.ja.clean.txt").write_text(doc.text, encoding="utf-8")
    (HERE / "musk-altman-feud.ja.edits.tsv").write_text(edit_rows(doc), encoding="utf-8")


if __name__ == "__main__":
    main()

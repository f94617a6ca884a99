"""The stage list and the runner."""

from __future__ import annotations

from pipeline.document import Document
from pipeline.run import STAGES, Config, Stage, drop_emptied_lines, run_stages


def test_stage_order_is_the_documented_one():
    assert [s.name for s in STAGES] == ["markup", "segment", "blocks", "tokenise", "variants", "dedup", "lines"]


def test_runner_counts_edits_and_time_per_stage():
    def shout(doc: Document, cfg: Config) -> None:
        doc.edit(0, 1, "A", "shout", "upper", "test stage")

    doc = run_stages(Document("abc"), Config(), (Stage("shout", shout),))
    assert doc.text == "Abc"
    assert doc.stats["shout"]["edits"] == 1 and doc.stats["shout"]["seconds"] >= 0


def test_skip_leaves_a_stage_out():
    doc = run_stages(Document("一。\n"), Config(skip=frozenset({"segment"})))
    assert doc.sentences == [] and "segment" not in doc.stats


def test_an_emptied_line_loses_its_break_but_blank_lines_stay():
    doc = Document("残る。\n消える。 \n\n次の段落。\n")
    doc.edit(4, 8, "", "dedup", "exact", "test removal")
    drop_emptied_lines(doc, Config())
    assert doc.text == "残る。\n\n次の段落。\n"
    # the removal keeps its own reason; the leftover space and the break get theirs
    assert [e.rule for e in doc.edits] == ["exact", "empty-line", "empty-line"]


def test_the_last_line_without_a_break_is_left_alone():
    doc = Document("残る。\n消える。")
    doc.edit(4, 8, "", "dedup", "exact", "test removal")
    drop_emptied_lines(doc, Config())
    assert doc.text == "残る。\n"

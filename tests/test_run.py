"""The stage list and the runner."""

from __future__ import annotations

import pickle

import pytest

from pipeline.document import Document
from pipeline.run import STAGES, Config, Stage, StageError, plan_stages, run_stages
from pipeline.stages.lines import drop_emptied_lines


def test_stage_order_is_the_documented_one():
    assert [s.name for s in STAGES] == [
        "markup",
        "segment",
        "blocks",
        "tokenise",
        "bilingual",
        "variants",
        "dedup",
        "lines",
    ]


def test_runner_counts_edits_and_time_per_stage():
    def shout(doc: Document, cfg: Config) -> None:
        doc.edit(0, 1, "A", "shout", "upper", "test stage")

    doc = run_stages(Document("abc"), Config(), (Stage("shout", shout),))
    assert doc.text == "Abc"
    assert doc.stats["shout"]["edits"] == 1 and doc.stats["shout"]["seconds"] >= 0


def test_skip_leaves_a_stage_out():
    doc = run_stages(Document("一。\n一。\n"), Config(skip=frozenset({"dedup"})))
    assert doc.text == "一。\n一。\n" and "dedup" not in doc.stats and "variants" in doc.stats


@pytest.mark.parametrize(
    ("skip", "message"),
    [
        ({"dedupe"}, "unknown stage 'dedupe'"),  # a misspelt name is an error, not a silent no-op
        ({"tokenise"}, "stage 'variants' needs tokens"),  # would silently turn variants and dedup off
        ({"segment"}, "stage 'blocks' needs blocks"),  # the block labeller reads the segmenter's lines
        ({"tokenise", "variants"}, "stage 'dedup' needs tokens"),  # the next stage that needs them is named
    ],
)
def test_a_stage_list_that_cannot_run_is_refused_with_its_reason(skip, message):
    with pytest.raises(StageError, match=message):
        run_stages(Document("一。\n"), Config(skip=frozenset(skip)))


def test_skipping_a_stage_with_everything_that_needs_it_is_allowed():
    names = [s.name for s in plan_stages({"tokenise", "variants", "dedup"})]
    assert names == ["markup", "segment", "blocks", "bilingual", "lines"]


def test_every_stage_requirement_is_provided_by_an_earlier_stage():
    provided = {"text"}
    for stage in STAGES:
        assert set(stage.requires) <= provided, stage.name
        provided |= set(stage.provides)


def test_the_stage_list_pickles_for_worker_processes():
    assert [s.name for s in pickle.loads(pickle.dumps(STAGES))] == [s.name for s in STAGES]


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

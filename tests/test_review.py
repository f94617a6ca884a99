"""Review views: row alignment from the edit log, terminal diff, unified diff, stats, inputs.

The document these tests review is built by hand (``make_document`` in
``tests/review_helpers.py``) with edits of the markup, variants and dedup
stages, a flag and a variants annotation, so the tests do not depend on what
the real stages find.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from review_helpers import DEDUP_REASON, LINES, PAYLOADS, VARIANT_REASON, make_document

from pipeline.cli import main
from pipeline.document import Document, Edit, Sentence, apply_edits
from pipeline.io.annotations import document_record, write_records
from pipeline.review.diff import format_document, row_lines, selected_rows, unified_diff, use_color
from pipeline.review.load import document_from_record, edits_from_pair, expand_paths, load_documents
from pipeline.review.rows import build_rows, cut_points, edit_matches
from pipeline.review.stats import collect_stats, format_stats
from pipeline.stages.segment import segment_document

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "musk-altman-feud.ja.txt"

# -- rows: alignment from the edit log ----------------------------------------------

ROW_CASES = [
    # text, sentences, edits (start, end, new), expected rows (start, end, number of edits)
    # one sentence per line, one deletion: rows follow the lines
    ("一。\n二。\n", [(0, 2), (3, 5)], [(0, 1, "")], [(0, 3, 1), (3, 6, 0)]),
    # two sentences on one line: a row each, the space joins the first
    ("一。 二。", [(0, 2), (3, 5)], [(3, 5, "")], [(0, 3, 0), (3, 5, 1)]),
    # an edit crossing a sentence boundary joins the two rows
    ("一。二。三。", [(0, 2), (2, 4), (4, 6)], [(1, 3, "")], [(0, 4, 1), (4, 6, 0)]),
    # a removed line break stays with the line it ends
    ("一。\n二。", [(0, 2), (3, 5)], [(2, 3, "")], [(0, 3, 1), (3, 5, 0)]),
    # an edit across a line break joins the lines
    ("一。\n二。", [(0, 2), (3, 5)], [(1, 4, "")], [(0, 5, 1)]),
    # blank lines and indentation join the row before them
    ("一。\n\n  二。", [(0, 2), (6, 8)], [], [(0, 6, 0), (6, 8, 0)]),
    # an insertion at a row boundary belongs to the row after it
    ("一。\n二。", [(0, 2), (3, 5)], [(3, 3, "「")], [(0, 3, 0), (3, 5, 1)]),
    # an insertion at the very end belongs to the last row
    ("一。", [(0, 2)], [(2, 2, "\n")], [(0, 2, 1)]),
    # no sentences known (re-diffed pair): lines only
    ("一。二。\n三。", [], [(0, 1, "壱")], [(0, 5, 1), (5, 7, 0)]),
    # empty text: one empty row
    ("", [], [], [(0, 0, 0)]),
]


@pytest.mark.parametrize("text, sentences, edits, expected", ROW_CASES)
def test_rows_follow_sentences_and_never_cut_an_edit(text, sentences, edits, expected):
    doc = Document(text)
    doc.sentences = [Sentence(a, b, 0) for a, b in sentences]
    if edits:
        doc.add_edits([Edit(a, b, text[a:b], new, "s", "r", "why") for a, b, new in edits])
    assert [(r.start, r.end, len(r.edits)) for r in build_rows(doc)] == expected


@st.composite
def documents_with_edits(draw):
    """Random text over a small alphabet (line breaks, stops) with random non-overlapping edits."""
    text = draw(st.text(alphabet="あいう。 \n<>", max_size=60))
    doc = Document(text)
    segment_document(doc)
    points = sorted(draw(st.lists(st.integers(0, len(text)), max_size=12)))
    edits, last = [], -1
    for a, b in zip(points[::2], points[1::2], strict=False):
        if a <= last or (a == b and a == last):
            continue
        new = draw(st.sampled_from(["", "x", "い\n"]))
        if a == b and not new:
            continue
        edits.append(Edit(a, b, text[a:b], new, draw(st.sampled_from(["markup", "dedup"])), "r", "why"))
        last = b
    doc.add_edits(edits)
    return doc


@settings(max_examples=300, deadline=None)
@given(documents_with_edits())
def test_rows_tile_the_original_and_rebuild_the_cleaned_text(doc):
    rows = build_rows(doc)
    # rows tile the original, in order
    assert rows[0].start == 0 and rows[-1].end == len(doc.original)
    assert all(a.end == b.start for a, b in zip(rows, rows[1:], strict=False))
    # every edit sits in exactly one row, inside it
    assert [e for r in rows for e in r.edits] == doc.edits
    assert all(r.start <= e.start and e.end <= r.end for r in rows for e in r.edits)
    # the rows' cleaned sides, joined, are the cleaned text
    rebuilt = "".join(apply_edits(doc.original[r.start : r.end], [shift(e, r.start) for e in r.edits]) for r in rows)
    assert rebuilt == doc.text
    # cut points stay outside edits
    assert not any(e.start < c < e.end for c in cut_points(doc) for e in doc.edits)


def shift(e: Edit, by: int) -> Edit:
    return Edit(e.start - by, e.end - by, e.old, e.new, e.stage, e.rule, e.reason)


FILTER_CASES = [
    # stages, rules, matches the dedup edit that superseded a variant rewrite?
    ((), (), True),  # no filter
    ({"dedup"}, (), True),  # its own stage
    ({"variants"}, (), True),  # a stage it supersedes: the rewrite is still recorded there
    ({"markup"}, (), False),  # another stage
    ((), {"exact"}, True),  # its rule
    ({"markup"}, {"exact"}, False),  # both filters must hold
]


@pytest.mark.parametrize("stages, rules, expected", FILTER_CASES)
def test_filters_see_superseded_edits(stages, rules, expected):
    inner = Edit(0, 2, "スミ", "スミ", "variants", "variant", "why")
    outer = Edit(0, 3, "スミ。", "", "dedup", "exact", "why", (inner,))
    assert edit_matches(outer, stages, rules) is expected


# -- terminal diff ---------------------------------------------------------------------


def test_diff_golden_without_colour():
    doc = make_document()
    out = format_document(doc, color=False, stages={"dedup", "variants"})
    assert out == (
        "== review-sample.txt (2 changes in 2 rows)\n"
        "@@ line 2 @@\n"
        "- [-スミッス氏は火曜日、新しい計画を発表した。-]\n"
        "+ (removed)\n"
        f"    dedup/exact: {DEDUP_REASON}  'スミッス氏は火曜日、新しい計画を発表した。' removed\n"
        f"      superseded variants/variant: {VARIANT_REASON}  'スミッス' -> 'スミス'\n"
        "@@ line 3 @@\n"
        "- [-スミッス-]氏によると、計画は来年始まる。\n"
        "+ {+スミス+}氏によると、計画は来年始まる。\n"
        f"    variants/variant: {VARIANT_REASON}  'スミッス' -> 'スミス'\n"
    )


def test_diff_shows_flags_and_unchanged_rows_stay_out():
    out = format_document(make_document(), color=False)
    assert "? flag markup/tag-like: kept: " in out
    assert "スミス氏の会社は東京にある。" not in out  # unchanged sentence
    assert "1 flag)" in out.splitlines()[0]


def test_diff_colour_marks_changes_and_invisible_characters():
    doc = Document("一。\n二。")
    doc.edit(2, 3, "", "lines", "empty-line", "line emptied")
    orig, clean = row_lines(doc, build_rows(doc)[0], color=True)
    assert orig == "一。\x1b[30;41m↵\x1b[0m"
    assert clean == "一。"
    assert "[-" not in format_document(doc, color=True)


class FakeTTY(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


COLOR_CASES = [
    # is a terminal, NO_COLOR value (None: unset), --color choice, colour?
    (True, None, "auto", True),  # terminal: colour
    (False, None, "auto", False),  # pipe or file: markers
    (True, "1", "auto", False),  # NO_COLOR set: no colour even on a terminal
    (True, "", "auto", True),  # NO_COLOR empty counts as unset (no-color.org)
    (False, None, "always", True),  # forced on
    (True, "1", "always", True),  # an explicit option beats the environment
    (True, None, "never", False),  # --no-color
]


@pytest.mark.parametrize("tty, no_color, choice, expected", COLOR_CASES)
def test_colour_follows_isatty_no_color_and_option(monkeypatch, tty, no_color, choice, expected):
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    assert use_color(FakeTTY(tty), choice) is expected


def test_selected_rows_filter_by_rule():
    doc = make_document()
    rows = selected_rows(doc, rules={"tag"})
    assert [e.rule for r in rows for e in r.edits] == ["tag", "tag"]


# -- unified diff ------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs the patch program")
@pytest.mark.parametrize("ending", ["\n", ""], ids=["final-newline", "no-final-newline"])
def test_unified_diff_applies_with_patch(tmp_path, ending):
    doc = make_document()
    text = doc.original.rstrip("\n") + ending
    doc2 = Document(text, source="review-sample.txt")
    doc2.add_edits(
        [e for e in doc.edits if e.end <= len(text)] + [Edit(len(text), len(text), "", "追記", "s", "r", "why")]
    )
    target = tmp_path / "review-sample.txt"
    target.write_text(doc2.original, encoding="utf-8")
    proc = subprocess.run(["patch", "-p1", "-s"], input=unified_diff(doc2).encode(), cwd=tmp_path, capture_output=True)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert target.read_text(encoding="utf-8") == doc2.text


def test_unified_diff_is_empty_without_changes():
    assert unified_diff(Document("同じ。\n")) == ""


# -- re-diffing two plain files (rapidfuzz opcodes) --------------------------------------------


PAIR_CASES = [
    # original, cleaned, expected edits (start, end, old, new)
    ("犬が<b>走る。", "犬が走る。", [(2, 5, "<b>", "")]),  # deletion
    ("犬が走る。", "犬が速く走る。", [(2, 2, "", "速く")]),  # insertion
    ("ケルターマン氏", "ケルトマン氏", [(2, 4, "ター", "ト")]),  # the changed characters, not the whole word
    ("一。\n二。\n三。\n", "一。\n三。\n", [(3, 6, "二。\n", "")]),  # a whole line
    ("同じ", "同じ", []),  # nothing
]


@pytest.mark.parametrize("original, cleaned, expected", PAIR_CASES)
def test_edits_from_pair(original, cleaned, expected):
    assert [(e.start, e.end, e.old, e.new) for e in edits_from_pair(original, cleaned)] == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="あい。\n<b>", max_size=40), st.text(alphabet="あい。\n<b>", max_size=40))
def test_edits_from_pair_rebuild_the_cleaned_text(original, cleaned):
    edits = edits_from_pair(original, cleaned)
    assert apply_edits(original, edits) == cleaned
    assert all(e.old != e.new for e in edits)
    assert all(a.end < b.start for a, b in zip(edits, edits[1:], strict=False))  # touching edits merged


# -- inputs: annotation files, folders -----------------------------------------------------------


def write_annotations(doc: Document, path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        write_records([document_record(doc)], fh)
    return path


def test_annotation_record_gives_back_the_document(tmp_path):
    doc = make_document()
    back = document_from_record(
        json.loads(write_annotations(doc, tmp_path / "a.ann.jsonl").read_text(encoding="utf-8"))
    )
    assert back.original == doc.original and back.text == doc.text
    assert back.edits == doc.edits  # superseded edits included
    # removed sentences are in the record (schema 2's removed_sentences): every sentence comes back
    assert [(s.start, s.end) for s in back.sentences] == [(s.start, s.end) for s in doc.sentences]
    assert back.flags == doc.flags
    assert back.annotations["variants"]["clusters"][0]["canonical"] == "スミス"
    assert collect_stats([back])["total"] == collect_stats([doc])["total"]


def test_raw_file_and_its_annotation_file_review_the_same(tmp_path):
    assert main(["clean", str(SAMPLE), "--out-dir", str(tmp_path)]) == 0
    [raw] = load_documents([str(SAMPLE)])
    [ann] = load_documents([str(tmp_path)])  # the folder stands for its *.ann.jsonl
    assert ann.edits == raw.edits
    assert [(s.start, s.end) for s in ann.sentences] == [(s.start, s.end) for s in raw.sentences]
    assert format_document(ann) == format_document(raw)


def test_folder_without_annotation_files_is_an_input_error(tmp_path):
    (tmp_path / "x.txt").write_text("文。", encoding="utf-8")
    assert main(["stats", str(tmp_path)]) == 2


def test_expand_paths_lists_annotation_files_in_order(tmp_path):
    for name in ("b.ann.jsonl", "a.ann.jsonl", "c.clean.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [Path(p).name for p in expand_paths([str(tmp_path)])] == ["a.ann.jsonl", "b.ann.jsonl"]


# -- stats -----------------------------------------------------------------------------------


def test_stats_counts_golden():
    stats = collect_stats([make_document()])
    total = stats["total"]
    assert {
        k: total[k]
        for k in ("documents", "sentences", "sentences_kept", "sentences_removed", "edits", "superseded", "flags")
    } == {
        "documents": 1,
        "sentences": len(LINES) + 1,
        "sentences_kept": len(LINES),
        "sentences_removed": 1,
        "edits": 5,
        "superseded": 1,
        "flags": 1,
    }
    assert total["chars_in"] - total["chars_out"] == 3 + 4 + 1 + len(
        "スミッス氏は火曜日、新しい計画を発表した。"
    ) + len(PAYLOADS[0])
    # pipeline order: markup before variants before dedup
    assert [(r["stage"], r["rule"], r["edits"], r["superseded"]) for r in total["rules"]] == [
        ("markup", PAYLOADS[1], 1, 0),
        ("markup", "tag", 2, 0),
        ("variants", "variant", 1, 1),
        ("dedup", "exact", 1, 0),
    ]
    table = format_stats(stats)
    assert "sentences  kept  removed" in table and "variants  variant" in table


def test_stats_json_over_files_and_folders(tmp_path, capsys):
    doc = make_document()
    folder = tmp_path / "batch"
    folder.mkdir()
    write_annotations(doc, folder / "one.ann.jsonl")
    write_annotations(doc, folder / "two.ann.jsonl")
    assert main(["stats", "--json", str(folder), str(folder / "one.ann.jsonl")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["documents"]) == 3
    assert out["total"]["edits"] == 3 * len(doc.edits)
    assert out["total"]["sentences_removed"] == 3


# -- command line ---------------------------------------------------------------------------


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], capture_output=True, cwd=ROOT, timeout=300, env=env
    )


def test_cli_diff_pair_and_unified(tmp_path):
    original = tmp_path / "o.txt"
    cleaned = tmp_path / "c.txt"
    original.write_text("犬が<b>走る。\n猫。\n", encoding="utf-8")
    cleaned.write_text("犬が走る。\n猫。\n", encoding="utf-8")
    proc = run_cli("diff", "--no-color", str(original), str(cleaned))
    assert proc.returncode == 0, proc.stderr
    assert "- 犬が[-<b>-]走る。" in proc.stdout.decode()
    uni = run_cli("diff", "--unified", str(original), str(cleaned)).stdout.decode()
    assert "-犬が<b>走る。\n+犬が走る。\n" in uni


def test_cli_diff_html_on_a_batch_folder(tmp_path):
    assert main(["clean", str(SAMPLE), "--out-dir", str(tmp_path / "out")]) == 0
    write_annotations(make_document(), tmp_path / "out" / "hand.ann.jsonl")
    report = tmp_path / "report.html"
    proc = run_cli("diff", str(tmp_path / "out"), "--html", str(report))
    assert proc.returncode == 0, proc.stderr
    page = report.read_text(encoding="utf-8")
    assert page.count('<section class="doc"') == 2
    assert "wrote" in proc.stderr.decode()


def test_cli_missing_file_is_one_line_error():
    proc = run_cli("diff", "no/such/file.txt")
    assert proc.returncode == 2
    assert proc.stderr.decode().strip() == "error: no/such/file.txt: no such file"


def test_record_from_another_segmenter_keeps_its_sentences_and_finds_removed_ones():
    doc = make_document()
    rec = document_record(doc)
    del rec["removed_sentences"]  # a schema-1 record: removed sentences are found by re-segmenting
    first = rec["sentences"][0]
    first["orig_end"] -= 1  # a segmenter that ends sentences one character earlier
    back = document_from_record(rec)
    assert (first["orig_start"], first["orig_end"]) in [(s.start, s.end) for s in back.sentences]
    assert collect_stats([back])["total"]["sentences_removed"] == 1

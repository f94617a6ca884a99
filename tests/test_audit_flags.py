"""The flag audit (benchmarks/audit/flags.py): stable keys that ignore the reason, a judging sheet that hides the
reason, precision with a Wilson interval checked by hand, and one clear line for a bad verdict file.

Every document here is made up; no dev data is read.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import clean

ROOT = Path(__file__).resolve().parents[1]
AUDIT = ROOT / "benchmarks" / "audit"
sys.path.insert(0, str(AUDIT))
SPEC = importlib.util.spec_from_file_location("flags", AUDIT / "flags.py")
flags = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(flags)

JOB = {"corpus": "made", "doc": "doc-a", "domain": "news", "text": "sys1", "half": "tune"}
# a made-up pair: line 2 of the English is not translated, line 3 gets its number wrong
EN = "The council met on Monday.\nCritics said the plan was rushed.\nIn 2019 the mayor cut 2,500 jobs.\n"
JA = "議会は月曜日に開かれた。\n\n市長は2019年に1500人を削減した。\n"
SECRET = "reason-the-judge-must-not-see"


def rows_of(ja: str, en: str, reword: bool = False) -> list[dict]:
    doc = clean(ja, english=en)
    if reword:  # the same flags with other words: a reason is for people, not for the key
        doc.flags[:] = [dataclasses.replace(f, reason=f"{SECRET}: {f.reason} (reworded)") for f in doc.flags]
    return flags.flag_rows(JOB, ja, en, doc)


def test_a_flag_row_shows_the_bead_and_the_lines_around_it():
    rows = {r["rule"]: r for r in rows_of(JA, EN)}
    assert set(rows) == {"omission", "number-mismatch"}
    om = rows["omission"]
    # an omission points at the English sentence, on its own line of the line-aligned files
    assert om["item"] == "Critics said the plan was rushed."
    assert (om["line"], om["en_line"], om["ja_line"], om["span"]) == (1, "Critics said the plan was rushed.", "", "")
    assert om["en_before"] == "The council met on Monday." and om["ja_before"] == "議会は月曜日に開かれた。"
    num = rows["number-mismatch"]
    # a number flag points at the English number; the bead holds both sides of the sentence
    assert (num["item"], num["line"]) == ("2,500", 2)
    assert num["ja"] == "市長は2019年に1500人を削減した。" and num["en"] == "In 2019 the mayor cut 2,500 jobs."


def test_the_key_is_stable_across_runs_and_ignores_the_reason():
    first, again, reworded = rows_of(JA, EN), rows_of(JA, EN), rows_of(JA, EN, reword=True)
    assert [r["key"] for r in first] == [r["key"] for r in again]
    assert [r["key"] for r in first] == [r["key"] for r in reworded]
    assert all(SECRET in r["reason"] for r in reworded)  # the reason did change
    # two flags of one text never share a key
    assert len({r["key"] for r in first}) == len(first)


def test_the_key_changes_with_what_the_flag_points_at():
    # another wrong number in the same place is another flag
    other = rows_of(JA, EN.replace("2,500", "3,700"))
    base = rows_of(JA, EN)
    key = {r["rule"]: r["key"] for r in base}
    key2 = {r["rule"]: r["key"] for r in other}
    assert key["number-mismatch"] != key2["number-mismatch"]
    assert key["omission"] == key2["omission"]  # the omission is the same sentence at the same place


@given(st.text(min_size=0, max_size=40), st.text(min_size=0, max_size=40))
def test_a_key_depends_on_the_item_and_place_only(reason_a, reason_b):
    # flag_key has no reason parameter at all; a quoted item parses the same whatever surrounds it
    assert flags.quoted_item(f"'12' {reason_a}") == flags.quoted_item(f"'12' {reason_b}") == "12"


@pytest.mark.parametrize(
    "reason, item",
    [
        ("'2,500' of English sentence 0 is not in the Japanese", "2,500"),  # the number, as the English writes it
        ('"O\'Dell" of English sentence 3 is not in the Japanese', "O'Dell"),  # repr's double quotes for a '
        ("no English sentence translates this one", ""),  # nothing quoted: no item
    ],
)
def test_quoted_item(reason, item):
    assert flags.quoted_item(reason) == item


def made_flag(n: int, rule: str, half: str) -> dict:
    """A made-up flags.jsonl row."""
    return {
        "key": f"k{rule[:3]}{half[0]}{n:04d}",
        "corpus": "made",
        "doc": f"doc-{n % 3}",
        "domain": "news",
        "text": "sys1",
        "half": half,
        "rule": rule,
        "item": "2,500" if rule == "number-mismatch" else "ハナコ",
        "span": "市長は1500人を削減した。",
        "ja": "市長は1500人を削減した。",
        "en": "The mayor cut 2,500 jobs.",
        "line": 2,
        "ja_line": "市長は1500人を削減した。",
        "en_line": "The mayor cut 2,500 jobs.",
        "ja_before": "",
        "en_before": "",
        "ja_after": "",
        "en_after": "",
        "score": 0.9,
        "reason": f"{SECRET} {n}",
    }


def write_flags(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "flags.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_the_sheet_hides_the_reason_and_shows_the_rule(tmp_path):
    rows = [made_flag(n, "number-mismatch", h) for n in range(5) for h in ("tune", "check")]
    sheet = tmp_path / "sheet.tsv"
    flags.make_sheet(write_flags(tmp_path, rows), 4, 1, sheet, {})
    text = sheet.read_text(encoding="utf-8")
    assert SECRET not in text  # the reason would anchor the judge
    lines = text.splitlines()
    header = lines[0].split("\t")
    assert "reason" not in header and {"rule", "item", "verdict", "why"} <= set(header)
    body = [dict(zip(header, x.split("\t"), strict=True)) for x in lines[1:]]
    assert len(body) == 4 and {r["rule"] for r in body} == {"number-mismatch"}
    assert sorted(r["half"] for r in body) == ["check", "check", "tune", "tune"]  # stratified by half


def test_a_rule_with_few_flags_is_taken_whole_and_the_draw_is_seeded():
    rows = [made_flag(n, "omission", "tune") for n in range(3)]
    rows += [made_flag(n, "name-mismatch", h) for n in range(30) for h in ("tune", "check")]
    picked = flags.draw(rows, 10, 7, {})
    by_rule = {r: sum(f["rule"] == r for f in picked) for r in ("omission", "name-mismatch")}
    assert by_rule == {"omission": 3, "name-mismatch": 10}
    assert [f["key"] for f in picked] == [f["key"] for f in flags.draw(rows, 10, 7, {})]
    # a quota overrides --sample for its rule
    assert sum(f["rule"] == "name-mismatch" for f in flags.draw(rows, 10, 7, {"name-mismatch": 20})) == 20


def test_precision_and_wilson_interval_on_a_table_computed_by_hand(tmp_path):
    # tune: 8 true, 2 false, 1 unsure, 1 unjudged; check: 1 true, 1 false
    rows = [made_flag(n, "number-mismatch", "tune") for n in range(12)]
    rows += [made_flag(n, "number-mismatch", "check") for n in range(2)]
    verdicts = {r["key"]: {"verdict": "true", "why": ""} for r in rows[:8]}
    verdicts.update({r["key"]: {"verdict": "false", "why": "a number written another way"} for r in rows[8:10]})
    verdicts[rows[10]["key"]] = {"verdict": "unsure", "why": "cannot tell"}
    verdicts[rows[12]["key"]] = {"verdict": "true", "why": ""}
    verdicts[rows[13]["key"]] = {"verdict": "false", "why": "wrong alignment"}
    table = flags.precision_table(rows, verdicts)
    tune = table[("number-mismatch", "tune")]
    assert (tune["flags"], tune["true"], tune["false"], tune["unsure"], tune["unjudged"]) == (12, 8, 2, 1, 1)
    # 8/10: p = 0.8; Wilson 95% by hand: (0.8 + 1.96²/20) / (1 + 1.96²/10) = 0.7167,
    # ± 1.96·sqrt(0.8·0.2/10 + 1.96²/400) / 1.38415 = 0.2266 -> [0.490, 0.943]
    assert flags.precision_cell(tune) == "0.80 [0.49, 0.94]"
    lo, hi = flags.wilson(8, 10)
    assert (round(lo, 3), round(hi, 3)) == (0.49, 0.943)
    whole = table[("number-mismatch", "all")]
    assert (whole["true"], whole["false"]) == (9, 3)  # both halves together: 9/12
    text = flags.report(rows, verdicts)
    assert "0.75 [" in text  # 9/12
    # a false alarm is listed with its why and its reason
    listed = text.split(rows[13]["key"], 1)[1]
    assert "wrong alignment" in listed and f"{SECRET} 1\n" in listed + "\n"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(AUDIT / "flags.py"), *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


@pytest.mark.parametrize(
    "sheet, message",
    [
        ("key\tverdict\twhy\nk1\tmaybe\tx\n", "verdict must be one of true, false, unsure, not 'maybe'"),  # a typo
        ("key\tverdict\nk1\ttrue\n", "the header needs key, verdict and why columns (why missing)"),  # no why column
        ("key\tverdict\twhy\nk1\tfalse\t\n", "a false verdict needs a why"),  # a false alarm must say why
        ("key\tverdict\twhy\nk1\ttrue\t\nk1\tfalse\tx\n", "key k1 judged twice"),  # one flag, two verdicts
    ],
)
def test_a_bad_verdict_file_is_one_clear_line(tmp_path, sheet, message):
    verdicts = tmp_path / "v.tsv"
    verdicts.write_text(sheet, encoding="utf-8")
    done = run_cli(
        "report", "--flags", str(write_flags(tmp_path, [made_flag(1, "addition", "tune")])), "--verdicts", str(verdicts)
    )
    assert done.returncode != 0
    assert done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr
    assert message in done.stderr


def test_a_missing_flags_file_is_one_clear_line(tmp_path):
    done = run_cli(
        "sheet",
        "--flags",
        str(tmp_path / "none.jsonl"),
        "--sample",
        "3",
        "--seed",
        "1",
        "--out",
        str(tmp_path / "s.tsv"),
    )
    assert done.returncode != 0 and done.stderr.strip().count("\n") == 0 and "no flags file" in done.stderr


def test_the_judge_sees_the_translation_as_written_not_the_cleaned_text():
    # later stages rewrite the cleaned text (a name respelled by variants would look rendered); the row keeps the
    # original: here the markup stage decodes an entity that the row must still show
    ja = JA.replace("市長は", "市長&amp;議会は")
    (num,) = [r for r in rows_of(ja, EN) if r["rule"] == "number-mismatch"]
    assert "&amp;" in num["ja"] and "&amp;" in num["span"]
    assert "&amp;" not in clean(ja, english=EN).text  # the cleaned text does differ

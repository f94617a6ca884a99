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


# -- a second reader: census sheets, shared samples, agreement (round 9) -------------------------------------------


def write_verdicts(tmp_path: Path, name: str, rows: list[tuple[str, str, str]]) -> Path:
    """A made-up verdict file: (key, verdict, why) rows; an empty verdict is a row not judged yet."""
    path = tmp_path / name
    path.write_text("key\tverdict\twhy\n" + "".join(f"{k}\t{v}\t{w}\n" for k, v, w in rows), encoding="utf-8")
    return path


def sheet_keys_of(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines[0].split("\t").index("key")
    return [x.split("\t")[at] for x in lines[1:]]


def test_exclude_verdicts_leaves_out_exactly_the_judged_keys(tmp_path):
    rows = [made_flag(n, "name-mismatch", h) for n in range(6) for h in ("tune", "check")]
    keys = [r["key"] for r in rows]
    # judged: two true, one false, one unsure; keys[4] is on the sheet but not judged yet, so it is NOT left out
    judged = write_verdicts(
        tmp_path,
        "v.tsv",
        [
            (keys[0], "true", ""),
            (keys[1], "false", "rendered"),
            (keys[2], "unsure", "?"),
            (keys[3], "true", ""),
            (keys[4], "", ""),
        ],
    )
    census = tmp_path / "census.tsv"
    flags.make_sheet(write_flags(tmp_path, rows), flags.ALL, 3, census, {}, exclude=[judged])
    assert sorted(sheet_keys_of(census)) == sorted(keys[4:])  # every flag not judged, whatever --sample would say
    assert SECRET not in census.read_text(encoding="utf-8")  # still blind
    shared = tmp_path / "shared.tsv"
    flags.make_sheet(write_flags(tmp_path, rows), flags.ALL, 3, shared, {}, only=[judged])
    assert sorted(sheet_keys_of(shared)) == sorted(keys[:4])


@given(st.sets(st.integers(0, 19)), st.integers(0, 5))
def test_exclude_and_only_split_the_flags_in_two(judged_numbers, seed):
    # property: the census sheet (exclude) and the judged sheet (only) of one verdict file are disjoint and together
    # hold every flag raised, each once
    import tempfile

    rows = [
        made_flag(n, rule, h) for n in range(5) for rule in ("addition", "number-mismatch") for h in ("tune", "check")
    ]
    keys = sorted(r["key"] for r in rows)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        judged = write_verdicts(tmp, "v.tsv", [(keys[n], "true", "") for n in sorted(judged_numbers)])
        a, b = tmp / "a.tsv", tmp / "b.tsv"
        path = write_flags(tmp, rows)
        flags.make_sheet(path, flags.ALL, seed, a, {}, exclude=[judged])
        flags.make_sheet(path, flags.ALL, seed, b, {}, only=[judged])
        ka, kb = sheet_keys_of(a), sheet_keys_of(b)
    assert not set(ka) & set(kb)
    assert sorted(ka + kb) == keys
    assert set(kb) == {keys[n] for n in judged_numbers}


@pytest.mark.parametrize(
    "sample, quota, expected",
    [
        (flags.ALL, {}, {"omission": 3, "name-mismatch": 60}),  # --sample all: every flag of every rule
        (5, {"name-mismatch": flags.ALL}, {"omission": 3, "name-mismatch": 60}),  # a rule's quota all
        (2, {"name-mismatch": flags.ALL}, {"omission": 2, "name-mismatch": 60}),  # all for one rule, 2 for the other
        (5, {}, {"omission": 3, "name-mismatch": 5}),  # a number still caps a rule
    ],
)
def test_sample_all_takes_every_flag(sample, quota, expected):
    rows = [made_flag(n, "omission", "tune") for n in range(3)]
    rows += [made_flag(n, "name-mismatch", h) for n in range(30) for h in ("tune", "check")]
    picked = flags.draw(rows, sample, 7, quota)
    assert {r: sum(f["rule"] == r for f in picked) for r in expected} == expected
    assert len({f["key"] for f in picked}) == len(picked)  # no flag twice


def test_total_spreads_over_every_rule_and_half_in_proportion():
    # 10 over strata of 40 / 40 / 16 / 4 flags: one each first, then 6 by largest remainder over the room left
    # (39, 39, 15, 3 of 96: 2.44, 2.44, 0.94, 0.19 -> 2, 2, 0, 0, then the two largest remainders: the 0.94 and one
    # 0.44) -> 3 + 4 + 2 + 1 or 4 + 3 + 2 + 1 (ties broken by name); what matters: the sum and every stratum once
    rows = [made_flag(n, "name-mismatch", "check") for n in range(40)]
    rows += [made_flag(n, "name-mismatch", "tune") for n in range(40)]
    rows += [made_flag(n, "number-mismatch", "tune") for n in range(16)]
    rows += [made_flag(n, "addition", "check") for n in range(4)]
    picked = flags.draw(rows, 1, 3, {}, total=10)
    got = {
        (r, h): sum((f["rule"], f["half"]) == (r, h) for f in picked)
        for r, h in [
            ("name-mismatch", "check"),
            ("name-mismatch", "tune"),
            ("number-mismatch", "tune"),
            ("addition", "check"),
        ]
    }
    assert sum(got.values()) == 10 and min(got.values()) == 1
    assert got[("number-mismatch", "tune")] == 2 and got[("addition", "check")] == 1
    assert sorted([got[("name-mismatch", "check")], got[("name-mismatch", "tune")]]) == [3, 4]
    assert [f["key"] for f in picked] == [f["key"] for f in flags.draw(rows, 1, 3, {}, total=10)]  # seeded


def test_agreement_table_and_kappa_computed_by_hand():
    # first \ second: true/true 6, true/false 2, false/true 1, false/false 3, unsure/false 1; one key only in each
    first, second = {}, {}
    pairs = [("true", "true")] * 6 + [("true", "false")] * 2 + [("false", "true")] + [("false", "false")] * 3
    pairs += [("unsure", "false")]
    for n, (a, b) in enumerate(pairs):
        first[f"k{n}"] = {"verdict": a, "why": f"why-a{n}"}
        second[f"k{n}"] = {"verdict": b, "why": f"why-b{n}"}
    first["only-first"] = {"verdict": "true", "why": ""}
    second["only-second"] = {"verdict": "false", "why": "x"}
    text = flags.agreement(first, second, None, ("r1", "r2"))
    assert "13 keys judged by both (r1: 14, r2: 14)" in text
    # agreement 9/13; chance: first true 8, false 4, unsure 1; second true 7, false 6, unsure 0
    # pe = (8*7 + 4*6 + 1*0) / 169 = 80/169; kappa = (9/13 - 80/169) / (1 - 80/169) = (117 - 80) / 89 = 0.416
    assert "raw agreement 9/13 = 0.692" in text
    assert "Cohen's kappa 0.416" in text
    assert flags.kappa(
        {("true", "true"): 6, ("true", "false"): 2, ("false", "true"): 1, ("false", "false"): 3, ("unsure", "false"): 1}
    ) == pytest.approx(37 / 89)
    # every disagreement listed with both whys; an agreement is not
    assert "4 disagreements:" in text and "why-a7" in text and "why-b12" in text and "why-a0" not in text
    assert "only-first" not in text and "only-second" not in text


def test_agreement_per_rule_when_the_flags_give_the_rules():
    rows = [made_flag(n, "number-mismatch", "tune") for n in range(3)] + [made_flag(0, "addition", "tune")]
    first = {r["key"]: {"verdict": "true", "why": ""} for r in rows}
    second = dict(first)
    second[rows[3]["key"]] = {"verdict": "false", "why": "a split sentence"}
    text = flags.agreement(first, second, rows)
    # numbers agree 3/3 (one verdict only: kappa undefined), the addition disagrees
    assert "number-mismatch: 3 flags" in text and "raw agreement 3/3 = 1.000" in text
    assert "addition: 1 flags" in text and "raw agreement 0/1 = 0.000" in text
    assert "Cohen's kappa undefined" in text


def test_agreement_per_rule_with_other_stages_rules():
    # variants and dedup flags (round 10) have rules outside the bilingual stage's: listed after them, no error
    rows = [
        made_flag(0, "dedup/exact", "tune"),
        made_flag(1, "variants/variant", "check"),
        made_flag(2, "omission", "tune"),
    ]
    first = {r["key"]: {"verdict": "false", "why": ""} for r in rows}
    text = flags.agreement(first, dict(first), rows)
    assert text.index("omission: 1 flags") < text.index("dedup/exact: 1 flags") < text.index("variants/variant: 1")


def test_total_alone_on_the_command_line_draws_that_many(tmp_path):
    rows = [made_flag(n, "name-mismatch", h) for n in range(6) for h in ("tune", "check")]
    out = tmp_path / "s.tsv"
    done = run_cli(
        "sheet", "--flags", str(write_flags(tmp_path, rows)), "--total", "4", "--seed", "2", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    assert len(sheet_keys_of(out)) == 4


def test_report_with_two_verdict_files_takes_the_last_one(tmp_path):
    rows = [made_flag(n, "addition", "tune") for n in range(2)]
    path = write_flags(tmp_path, rows)
    a = write_verdicts(tmp_path, "a.tsv", [(rows[0]["key"], "false", "split sentence"), (rows[1]["key"], "true", "")])
    b = write_verdicts(tmp_path, "b.tsv", [(rows[0]["key"], "true", "adjudicated: a real repeat")])
    done = run_cli("report", "--flags", str(path), "--verdicts", str(a), "--verdicts", str(b))
    assert done.returncode == 0, done.stderr
    # both true now: 2/2, and no false alarm is listed
    assert "addition         all        2      2     2     0      0  1.00" in done.stdout
    assert "judged false" not in done.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["sheet", "--sample", "some"], "expected a positive number or 'all', not 'some'"),  # a typo of all
        (["sheet", "--sample", "3", "--quota", "addition=most"], "expected RULE=N or RULE=all"),
        (["agree", "--verdicts", "V"], "agree takes exactly two --verdicts files"),  # one reader is no agreement
        (["sheet"], "give --sample N|all or --total N"),  # no size at all
        (["sheet", "--sample", "3", "--total", "4"], "give --sample N|all or --total N"),  # two sizes
    ],
)
def test_a_bad_sheet_or_agree_option_is_one_clear_line(tmp_path, args, message):
    path = write_flags(tmp_path, [made_flag(1, "addition", "tune")])
    v = write_verdicts(tmp_path, "v.tsv", [])
    full = [str(v) if a == "V" else a for a in args]
    if full[0] == "sheet":
        full += ["--flags", str(path), "--seed", "1", "--out", str(tmp_path / "s.tsv")]
    done = run_cli(*full)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert message in done.stderr


# -- round 10: the flags of the variants and dedup stages -----------------------------------------------------------

# a made-up text: one name spelled two ways once each (a tie: a variants flag), and one short line repeated two
# lines further on (a dedup flag); the English is line-aligned with it
OTHER_JA = (
    "ポルトヴェリナ社は新製品を発表した。\n価格は千円です。\n詳しくはポルトベリナのサイトへ。\n価格は千円です。\n"
)
OTHER_EN = "Portoverina launched a product.\nIt costs 1,000 yen.\nSee the Portoverina site.\nIt costs 1,000 yen.\n"


def other_rows_of(stage: str, reword: bool = False) -> list[dict]:
    doc = clean(OTHER_JA)  # no source: as `clean` runs by default
    if reword:
        doc.flags[:] = [dataclasses.replace(f, reason=f"{SECRET}; {f.reason}") for f in doc.flags]
    return flags.other_rows(JOB, OTHER_JA, OTHER_EN, doc, stage)


def test_the_bilingual_key_is_the_one_main_computes():
    # pinned from main before --stage existed: bilingual keys (and the verdicts that use them) must not move
    assert flags.flag_key("c", "d", "t", "addition", "", "文。", "前", "後") == "883066710d4548db"
    # the same place and item in another stage is another flag
    assert flags.flag_key("c", "d", "t", "addition", "", "文。", "前", "後", "variants") != "883066710d4548db"


def test_a_variants_row_shows_the_spelling_the_group_and_both_lines():
    (row,) = other_rows_of("variants")
    # the flagged spelling, the group's target and every spelling with its count: what the judge compares
    assert (row["rule"], row["stage"], row["span"]) == ("variants/variant", "variants", "ポルトベリナ")
    assert row["target"] == row["item"] == "ポルトヴェリナ"
    assert row["group"] == "ポルトヴェリナ 1, ポルトベリナ 1"
    assert (row["line"], row["ja_line"], row["en_line"]) == (
        2,
        "詳しくはポルトベリナのサイトへ。",
        "See the Portoverina site.",
    )


def test_a_dedup_row_shows_the_kept_repeat_and_its_earlier_occurrence():
    (row,) = other_rows_of("dedup")
    assert (row["rule"], row["span"], row["item"]) == ("dedup/exact", "価格は千円です。", "価格は千円です。")
    # the repeat on line 4, its first occurrence on line 2, with both English lines (the author repeats it too)
    assert (row["line"], row["earlier_line"]) == (3, 1)
    assert row["en_line"] == row["en_earlier_line"] == "It costs 1,000 yen."
    assert row["ja_earlier_line"] == "価格は千円です。"


@pytest.mark.parametrize("stage", ["variants", "dedup"])
def test_the_other_stages_keys_ignore_the_reason(stage):
    plain, reworded = other_rows_of(stage), other_rows_of(stage, reword=True)
    assert all(SECRET in r["reason"] for r in reworded)
    assert [r["key"] for r in plain] == [r["key"] for r in reworded]


def test_flag_text_lists_the_stages_asked_for_without_a_source_unless_told(tmp_path):
    (tmp_path / "sys1.ja.txt").write_text(OTHER_JA, encoding="utf-8")
    (tmp_path / "en.txt").write_text(OTHER_EN, encoding="utf-8")
    job = {**JOB, "path": str(tmp_path / "sys1.ja.txt"), "en": str(tmp_path / "en.txt")}
    rules = {s: [r["rule"] for r in flags.flag_text(job, (s,), source=False)] for s in ("variants", "dedup")}
    assert rules == {"variants": ["variants/variant"], "dedup": ["dedup/exact"]}
    both = flags.flag_text(job, ("variants", "dedup"), source=False)
    assert [r["key"] for r in both] == [r["key"] for s in ("variants", "dedup") for r in other_rows_of(s)]
    # the bilingual stage alone lists no variants or dedup flag
    assert all("/" not in r["rule"] for r in flags.flag_text(job))


def test_a_sheet_of_other_stages_has_their_columns_and_no_reason(tmp_path):
    rows = other_rows_of("variants", reword=True) + other_rows_of("dedup", reword=True)
    sheet = tmp_path / "sheet.tsv"
    flags.make_sheet(write_flags(tmp_path, rows), flags.ALL, 1, sheet, {})
    text = sheet.read_text(encoding="utf-8")
    assert SECRET not in text
    header, *body = (x.split("\t") for x in text.splitlines())
    assert header[: len(flags.SHEET_COLUMNS)] == list(flags.SHEET_COLUMNS)  # the bilingual columns first
    assert {"target", "group", "earlier", "en_earlier_line"} <= set(header) and "reason" not in header
    by_rule = {r[header.index("rule")]: dict(zip(header, r, strict=True)) for r in body}
    assert by_rule["dedup/exact"]["earlier_line"] == "2" and by_rule["dedup/exact"]["line"] == "4"  # 1-based
    assert by_rule["variants/variant"]["group"] == "ポルトヴェリナ 1, ポルトベリナ 1"


def test_a_bilingual_sheet_keeps_its_columns(tmp_path):
    sheet = tmp_path / "sheet.tsv"
    flags.make_sheet(write_flags(tmp_path, rows_of(JA, EN)), flags.ALL, 1, sheet, {})
    assert sheet.read_text(encoding="utf-8").splitlines()[0].split("\t") == list(flags.SHEET_COLUMNS)


def test_stage_all_without_a_source_is_one_clear_line(tmp_path):
    done = run_cli("run", "--stage", "all", "--out", str(tmp_path / "f.jsonl"))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "--stage all includes the bilingual stage, which needs the English: add --source" in done.stderr

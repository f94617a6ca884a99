"""The blind second opinion (benchmarks/audit/rejudge.py): a stratified sample that covers every stage, a judging
sheet that hides the stored verdict, the rule and its reason, and agreement figures checked by hand.

Every edit record here is made up (made-up documents, texts and spellings); no dev data is read.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

AUDIT = Path(__file__).resolve().parents[1] / "benchmarks" / "audit"
sys.path.insert(0, str(AUDIT))
SPEC = importlib.util.spec_from_file_location("rejudge", AUDIT / "rejudge.py")
rejudge = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(rejudge)

SECRET_RULE = "rule-name-the-judge-must-not-see"
SECRET_REASON = "reason-the-judge-must-not-see"


def edit(n: int, stage: str, half: str = "tune", doc: str = "doc-a", text: str = "sys1") -> dict:
    """A made-up audit row, as ``audit.py run`` writes it."""
    return {
        "key": f"k{stage[:3]}{n:04d}",
        "corpus": "made",
        "doc": doc,
        "domain": "news",
        "text": text,
        "line": 1,
        "half": half,
        "stage": stage,
        "rule": SECRET_RULE,
        "old": "ボルトン",
        "new": "ボールトン",
        "reason": SECRET_REASON,
        "context": "町長の⟦ボルトン→ボールトン⟧氏が話した。",
        "en": "Mayor Boulton spoke.",
    }


def made_up_runs() -> dict[str, list[dict]]:
    """Two runs: 60 variants (half in each half), 12 markup, 3 dedup, 1 lines; the second run adds 10 variants."""
    base = [edit(i, "variants", "tune" if i % 2 else "check") for i in range(60)]
    base += [edit(i, "markup", "check") for i in range(12)]
    base += [edit(i, "dedup", "tune") for i in range(3)] + [edit(0, "lines", "tune")]
    extra = [edit(100 + i, "variants", "check") for i in range(10)]
    return {"default": base, "source": base + extra}


# -- the sample ----------------------------------------------------------------------------------------------------


def test_distinct_edits_name_the_runs_that_make_them():
    # an edit of both runs is listed once, made by "default+source"; one only the source run makes, by "source"
    edits = rejudge.distinct_edits(made_up_runs())
    runs = {e["key"]: e["runs"] for e in edits}
    assert len(runs) == len(edits) == 86
    assert runs["kvar0000"] == "default+source"
    assert runs["kvar0100"] == "source"


def test_every_stage_and_stratum_is_drawn_even_in_a_small_sample():
    # 12 edits for 86: the census stages (dedup, lines) whole, and still at least one edit of every
    # (stage, half, runs) stratum: variants tune/both, variants check/both, variants check/source-only, markup
    edits = rejudge.distinct_edits(made_up_runs())
    picked = rejudge.draw(edits, 12, seed=1, census={"dedup", "lines"}, quota={})
    strata = {rejudge.stratum(e) for e in picked}
    assert strata == {rejudge.stratum(e) for e in edits}
    assert sum(e["stage"] == "dedup" for e in picked) == 3
    assert sum(e["stage"] == "lines" for e in picked) == 1
    assert len(picked) == 12


def test_quota_fixes_a_stage_share_and_the_rest_goes_to_the_others():
    # markup gets its quota of 10, dedup+lines their 4, variants the other 26
    edits = rejudge.distinct_edits(made_up_runs())
    picked = rejudge.draw(edits, 40, seed=3, census={"dedup", "lines"}, quota={"markup": 10})
    by_stage = {s: sum(e["stage"] == s for e in picked) for s in ("variants", "markup", "dedup", "lines")}
    assert by_stage == {"variants": 26, "markup": 10, "dedup": 3, "lines": 1}


def test_the_same_seed_draws_the_same_sample_and_another_seed_another():
    edits = rejudge.distinct_edits(made_up_runs())
    keys = [e["key"] for e in rejudge.draw(edits, 30, seed=9, census={"dedup", "lines"}, quota={})]
    again = [e["key"] for e in rejudge.draw(edits, 30, seed=9, census={"dedup", "lines"}, quota={})]
    other = [e["key"] for e in rejudge.draw(edits, 30, seed=10, census={"dedup", "lines"}, quota={})]
    assert keys == again
    assert keys != other


@given(
    sizes=st.dictionaries(st.sampled_from("abcdefg"), st.integers(min_value=0, max_value=40), min_size=1),
    total=st.integers(min_value=0, max_value=200),
)
def test_spread_never_overdraws_and_uses_every_place(sizes, total):
    # no group gets more than it holds; the places given out are total, or everything when total is more
    out = rejudge.spread(total, sizes)
    assert all(0 <= out[g] <= sizes[g] for g in sizes)
    assert sum(out.values()) == min(total, sum(sizes.values()))
    # every non-empty group gets one before any gets two
    if total >= sum(1 for n in sizes.values() if n):
        assert all(out[g] >= 1 for g, n in sizes.items() if n)


# -- the sheet hides what would anchor the judge -------------------------------------------------------------------


def test_the_sheet_hides_verdict_rule_and_reason(tmp_path, monkeypatch):
    # the judge's sheet carries the edit, its line, its neighbours and the English, but not the rule or reason,
    # and the verdict column is empty even when a stored verdict exists for the key
    folder = tmp_path / "made" / "doc-a"
    folder.mkdir(parents=True)
    (folder / "sys1.ja.txt").write_text("見出し\n町長のボルトン氏が話した。\n次の行。\n", encoding="utf-8")
    (folder / "en.txt").write_text("Headline\nMayor Boulton spoke.\nNext line.\n", encoding="utf-8")
    monkeypatch.setitem(rejudge.CORPORA, "made", tmp_path / "made")
    runs = tmp_path / "default.jsonl"
    runs.write_text("".join(json.dumps(edit(i, "variants"), ensure_ascii=False) + "\n" for i in range(3)), "utf-8")
    out = tmp_path / "sheet.tsv"
    assert rejudge.main(["blind", "--edits", str(runs), "--sample", "3", "--seed", "1", "--out", str(out)]) == 0
    sheet = out.read_text(encoding="utf-8")
    assert SECRET_RULE not in sheet and SECRET_REASON not in sheet
    header, *rows = sheet.rstrip("\n").split("\n")
    assert header.split("\t") == list(rejudge.SHEET_COLUMNS)
    assert not {"rule", "reason"} & set(header.split("\t"))
    row = dict(zip(header.split("\t"), rows[0].split("\t"), strict=True))
    assert row["verdict"] == "" and row["why"] == ""
    assert row["ja_before"] == "見出し" and row["ja_after"].startswith("次の行。")
    assert row["en"] == "Mayor Boulton spoke." and "Headline" in row["en_around"]


# -- agreement -----------------------------------------------------------------------------------------------------


def test_kappa_on_a_hand_computed_table():
    # stored (rows) x blind (columns), n = 50:
    #              correct harmless harmful
    #   correct       20       5       0      (25)
    #   harmless       4      15       1      (20)
    #   harmful        1       2       2      ( 5)
    #               (25)     (22)     (3)
    # observed = 37/50 = 0.74; chance = (25*25 + 20*22 + 5*3) / 2500 = 1080/2500 = 0.432
    # kappa = (0.74 - 0.432) / (1 - 0.432) = 0.308 / 0.568 = 0.542253...
    pairs = (
        [("correct", "correct")] * 20
        + [("correct", "harmless")] * 5
        + [("harmless", "correct")] * 4
        + [("harmless", "harmless")] * 15
        + [("harmless", "harmful")] * 1
        + [("harmful", "correct")] * 1
        + [("harmful", "harmless")] * 2
        + [("harmful", "harmful")] * 2
    )
    table = rejudge.confusion(pairs)
    assert table[("harmless", "correct")] == 4 and table[("correct", "harmful")] == 0
    assert rejudge.kappa(table) == pytest.approx(0.308 / 0.568)


def test_kappa_is_one_when_all_agree_and_undefined_on_a_single_verdict():
    # perfect agreement over two verdicts: kappa 1; everybody says one verdict: chance agreement is 1, kappa undefined
    both = rejudge.confusion([("correct", "correct")] * 3 + [("harmless", "harmless")] * 2)
    assert rejudge.kappa(both) == 1.0
    assert rejudge.kappa(rejudge.confusion([("correct", "correct")] * 4)) is None
    lines = rejudge.agreement_text([("correct", "correct")] * 3 + [("harmless", "harmless")] * 2, "t")
    assert "raw agreement 5/5 = 1.000" in "\n".join(lines)


def test_kappa_is_zero_when_agreement_is_chance():
    # each rater says correct half the time, independently: observed 0.5, chance 0.5
    pairs = [("correct", "correct"), ("correct", "harmless"), ("harmless", "correct"), ("harmless", "harmless")]
    assert rejudge.kappa(rejudge.confusion(pairs)) == 0.0


@pytest.mark.parametrize(
    ("k", "n", "lo", "hi"),
    [
        (10, 10, 0.7225, 1.0),  # all good: the lower bound is n / (n + z^2)
        (0, 10, 0.0, 0.2775),  # none good: the mirror image
        (148, 150, 0.9527, 0.9963),  # the figure this round reports
    ],
)
def test_wilson_interval(k, n, lo, hi):
    a, b = rejudge.wilson(k, n)
    assert a == pytest.approx(lo, abs=1e-4) and b == pytest.approx(hi, abs=1e-4)


def test_agree_compares_a_sheet_with_stored_verdicts(tmp_path, monkeypatch, capsys):
    # three stored verdicts; the blind sheet agrees on one, calls a correct edit harmless and a harmless one harmful
    verdicts = tmp_path / "verdicts"
    verdicts.mkdir()
    stored = [("k1", "correct", "fixes it"), ("k2", "correct", "majority"), ("k3", "harmless", "one name")]
    (verdicts / "variants.jsonl").write_text(
        "".join(json.dumps({"key": k, "verdict": v, "why": w}) + "\n" for k, v, w in stored), encoding="utf-8"
    )
    monkeypatch.setattr(rejudge, "VERDICTS", verdicts)
    sheet = tmp_path / "mine.tsv"
    sheet.write_text(
        "# a comment line\nkey\tverdict\twhy\nk1\tcorrect\tok\nk2\tharmless\ttwo spellings\nk3\tharmful\twrong name\n",
        encoding="utf-8",
    )
    assert rejudge.main(["agree", "--sheet", str(sheet)]) == 0
    out = capsys.readouterr().out
    assert "raw agreement 1/3 = 0.333" in out
    assert "precision, blind verdicts:  0.667 (2/3" in out
    assert "precision, stored verdicts: 1.000 (3/3" in out
    assert "2 disagreements" in out
    assert "stored why: one name" in out and "blind why:  wrong name" in out


def test_a_sheet_with_a_bad_verdict_is_one_clear_line(tmp_path):
    sheet = tmp_path / "bad.tsv"
    sheet.write_text("key\tverdict\twhy\nk1\tfine\tno\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        rejudge.main(["agree", "--sheet", str(sheet)])
    assert "verdict must be one of correct, harmless, harmful" in str(exc.value)
    assert "\n" not in str(exc.value)


def test_stratified_precision_weights_each_stratum_by_its_size():
    # stratum a: 10 edits, sample 1 harmful of 2 -> 5 good; stratum b: 30 edits, sample all good -> 30 good;
    # stratum c (20 edits) was not drawn: reported as missed, not guessed.  (5 + 30) / 40 = 0.875
    sample = [(("a",), "harmful"), (("a",), "correct"), (("b",), "harmless")]
    est, covered, missed = rejudge.stratified_precision(sample, rejudge.Counter({("a",): 10, ("b",): 30, ("c",): 20}))
    assert est == pytest.approx(0.875) and covered == 40 and missed == 20


def test_the_module_examples_hold():
    # the docstring examples of rejudge.py (spread, stage_shares, kappa, wilson) are part of its contract
    import doctest

    assert doctest.testmod(rejudge).failed == 0


# -- a second pass: what an earlier sheet left, or everything ------------------------------------------------------


def write_runs(tmp_path, monkeypatch) -> list[str]:
    """The made-up runs as two ``audit.py run`` files; the made-up corpus has no text files (the sheet shows none)."""
    monkeypatch.setitem(rejudge.CORPORA, "made", tmp_path / "no-such-corpus")
    args = []
    for name, run in made_up_runs().items():
        path = tmp_path / f"{name}.jsonl"
        path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in run), encoding="utf-8")
        args += ["--edits", str(path)]
    return args


def sheet_rows(path) -> list[dict]:
    header, *rows = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    return [dict(zip(header.split("\t"), r.split("\t"), strict=True)) for r in rows]


def test_sample_all_is_a_census_of_every_stage(tmp_path, monkeypatch):
    # --sample all: every one of the 86 distinct edits, each once, whatever --census says
    edits = write_runs(tmp_path, monkeypatch)
    out = tmp_path / "all.tsv"
    assert rejudge.main(["blind", *edits, "--sample", "all", "--seed", "2", "--census", "", "--out", str(out)]) == 0
    keys = [r["key"] for r in sheet_rows(out)]
    assert len(keys) == len(set(keys))
    assert set(keys) == {e["key"] for e in rejudge.distinct_edits(made_up_runs())}


def test_exclude_sheet_draws_only_what_the_earlier_sheet_left(tmp_path, monkeypatch):
    # an earlier sheet (a comment line, one judged row, one row left blank) holds kvar0000, kvar0100 and kmar0003:
    # the second pass leaves all three out, judged or not, and takes the other 83 (a census of the rest)
    edits = write_runs(tmp_path, monkeypatch)
    earlier = tmp_path / "earlier.tsv"
    earlier.write_text(
        "# round one\nkey\tverdict\twhy\nkvar0000\tcorrect\tok\nkvar0100\t\t\nkmar0003\tharmless\tspace\n", "utf-8"
    )
    out = tmp_path / "rest.tsv"
    argv = ["blind", *edits, "--sample", "all", "--seed", "2", "--exclude-sheet", str(earlier), "--out", str(out)]
    assert rejudge.main(argv) == 0
    keys = {r["key"] for r in sheet_rows(out)}
    assert not keys & {"kvar0000", "kvar0100", "kmar0003"}
    assert keys | {"kvar0000", "kvar0100", "kmar0003"} == {e["key"] for e in rejudge.distinct_edits(made_up_runs())}


def test_exclude_sheet_with_a_sample_draws_from_the_rest_only(tmp_path, monkeypatch):
    # a sample of 10 after excluding every variants edit of the tune half: none of those comes back
    edits = write_runs(tmp_path, monkeypatch)
    tune = [e["key"] for e in made_up_runs()["default"] if e["stage"] == "variants" and e["half"] == "tune"]
    earlier = tmp_path / "earlier.tsv"
    earlier.write_text("key\tverdict\twhy\n" + "".join(f"{k}\tharmless\tx\n" for k in tune), "utf-8")
    out = tmp_path / "s.tsv"
    argv = ["blind", *edits, "--sample", "10", "--seed", "4", "--census", "", "--exclude-sheet", str(earlier)]
    assert rejudge.main([*argv, "--out", str(out)]) == 0
    rows = sheet_rows(out)
    assert len(rows) == 10
    assert not {r["key"] for r in rows} & set(tune)


@pytest.mark.parametrize("bad", ["0", "-3", "some", "10.5"])
def test_a_bad_sample_is_one_clear_line(tmp_path, monkeypatch, capsys, bad):
    # --sample takes a positive number or the word all; anything else is a usage error, not a traceback
    edits = write_runs(tmp_path, monkeypatch)
    with pytest.raises(SystemExit):
        rejudge.main(["blind", *edits, "--sample", bad, "--seed", "1", "--out", str(tmp_path / "x.tsv")])
    err = capsys.readouterr().err
    assert f"--sample {bad}: expected a number of edits (at least 1) or all" in err
    assert "Traceback" not in err


def test_a_missing_exclude_sheet_is_one_clear_line(tmp_path, monkeypatch):
    edits = write_runs(tmp_path, monkeypatch)
    with pytest.raises(SystemExit) as exc:
        rejudge.main(["blind", *edits, "--sample", "all", "--seed", "1", "--exclude-sheet", str(tmp_path / "no.tsv"),
                      "--out", str(tmp_path / "x.tsv")])  # fmt: skip
    assert "no such sheet" in str(exc.value) and "\n" not in str(exc.value)


def stored_setup(tmp_path, monkeypatch, stored: list[tuple[str, str]]) -> None:
    verdicts = tmp_path / "verdicts"
    verdicts.mkdir()
    (verdicts / "variants.jsonl").write_text(
        "".join(json.dumps({"key": k, "verdict": v, "why": "stored"}) + "\n" for k, v in stored), encoding="utf-8"
    )
    monkeypatch.setattr(rejudge, "VERDICTS", verdicts)


def test_agree_reads_two_sheets_as_one_and_reports_each_run(tmp_path, monkeypatch, capsys):
    # run "default" makes kvar0000..kvar0003, run "source" the same plus kvar0100; the first sheet (the sample)
    # judges kvar0000 and kvar0001, the second (the census of the rest) the other three, one of them harmful.
    # Together they cover both runs whole: default 3/4 good (a census), source 4/5 good (a census).
    stored_setup(tmp_path, monkeypatch, [(f"kvar{n:04d}", "correct") for n in (0, 1, 2, 3, 100)])
    base = [edit(n, "variants") for n in range(4)]
    files = []
    for name, run in {"default": base, "source": base + [edit(100, "variants")]}.items():
        path = tmp_path / f"{name}.jsonl"
        path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in run), encoding="utf-8")
        files += ["--edits", str(path)]
    one, two = tmp_path / "one.tsv", tmp_path / "two.tsv"
    one.write_text("key\tverdict\twhy\nkvar0000\tcorrect\ta\nkvar0001\tharmless\tb\n", "utf-8")
    two.write_text("key\tverdict\twhy\nkvar0002\tharmful\tc\nkvar0003\tcorrect\td\nkvar0100\tcorrect\te\n", "utf-8")
    assert rejudge.main(["agree", "--sheet", str(one), "--sheet", str(two), *files]) == 0
    out = capsys.readouterr().out
    assert "all stages: 5 edits" in out
    assert "raw agreement 3/5 = 0.600" in out
    lines = [line.split() for line in out.split("\n")]
    default_all = next(w for w in lines if w[:2] == ["default", "all"])
    source_all = next(w for w in lines if w[:2] == ["source", "all"])
    assert default_all[2:5] == ["4/4", "census", "0.750"]
    assert source_all[2:5] == ["5/5", "census", "0.800"]
    # the whole set: the 5 distinct edits of both runs once each (kvar0002 is not counted twice)
    distinct_all = next(w for w in lines if w[:2] == ["(distinct)", "all"])
    assert distinct_all[2:5] == ["5/5", "census", "0.800"]
    # the first sheet alone covers half of each run: said, not passed off as a census
    assert rejudge.main(["agree", "--sheet", str(one), *files]) == 0
    lines = [line.split() for line in capsys.readouterr().out.split("\n")]
    default_all = next(w for w in lines if w[:2] == ["default", "all"])
    assert default_all[2:6] == ["2/4", "2", "not", "judged"]


def test_a_key_two_sheets_judge_differently_is_one_clear_line(tmp_path, monkeypatch):
    # the same verdict twice is fine (counted once); a different one is an error naming both sheets
    stored_setup(tmp_path, monkeypatch, [("k1", "correct")])
    one, two, same = tmp_path / "one.tsv", tmp_path / "two.tsv", tmp_path / "same.tsv"
    one.write_text("key\tverdict\twhy\nk1\tcorrect\ta\n", "utf-8")
    two.write_text("key\tverdict\twhy\nk1\tharmful\tb\n", "utf-8")
    same.write_text("key\tverdict\twhy\nk1\tcorrect\tc\n", "utf-8")
    assert rejudge.read_sheets([one, same]) == [{"key": "k1", "verdict": "correct", "why": "a"}]
    with pytest.raises(SystemExit) as exc:
        rejudge.main(["agree", "--sheet", str(one), "--sheet", str(two)])
    assert "k1 is correct in" in str(exc.value) and "harmful in" in str(exc.value)
    assert "\n" not in str(exc.value)

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

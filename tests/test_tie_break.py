"""``--tie-break batch``: a tie within one document goes to the spelling more documents of the batch use.

Made-up names throughout.  A tie (two spellings, one mention each) is only
flagged by default: a first-seen choice would pick the MT's mistake as often
as not.  With the batch counted first, the spelling more *documents* use wins
(a document votes once per spelling); the document's own evidence (its
dictionary spelling, its full name, its English source) still comes first.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from pipeline import clean_many
from pipeline.api import batch_spelling_counts, make_config
from pipeline.cli import main
from pipeline.document import restore_text
from pipeline.run import Config, clean_text
from pipeline.stages.variants.options import VariantOptions

TIED = "ベルモンテ氏が来た。ベルモンテー氏は言った。\n"  # one mention each: a tie
ONE_WAY = "ベルモンテー氏が来た。ベルモンテー氏は言った。\n"
THE_OTHER = "ベルモンテ氏だ。\n"


def write_batch(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run(*args: str) -> int:
    return main(["clean", "--quiet", *args])


def variant_edits(record_path: Path) -> list[dict]:
    [rec] = [json.loads(x) for x in record_path.read_text(encoding="utf-8").splitlines()]
    return [e for e in rec["edits"] if e["stage"] == "variants"]


def test_default_flags_a_tie_and_batch_breaks_it(tmp_path):
    src = write_batch(tmp_path / "in", {"a.txt": ONE_WAY, "b.txt": TIED, "c.txt": ONE_WAY})
    flag, batch = tmp_path / "flag", tmp_path / "batch"
    assert run(str(src), "--out-dir", str(flag), "--jobs", "1") == 0
    assert run(str(src), "--out-dir", str(batch), "--jobs", "1", "--tie-break", "batch") == 0
    assert (flag / "b.clean.txt").read_text(encoding="utf-8") == TIED  # default: a tie is kept (and flagged)
    assert (batch / "b.clean.txt").read_text(encoding="utf-8") == "ベルモンテー氏が来た。ベルモンテー氏は言った。\n"
    [edit] = variant_edits(batch / "b.ann.jsonl")
    assert (edit["old"], edit["new"]) == ("ベルモンテ", "ベルモンテー")
    # the reason names its evidence: documents of the batch, 3 (a, b, c) against 1 (b)
    assert "the spelling more documents of the batch use (3 against 1; forms equally frequent)" in edit["reason"]
    # documents without a tie are the same either way
    for name in ("a", "c"):
        assert (batch / f"{name}.ann.jsonl").read_bytes() == (flag / f"{name}.ann.jsonl").read_bytes()


def test_a_document_votes_once_per_spelling(tmp_path):
    # one document repeats ベルモンテ in five sentences; two others write ベルモンテー once each.
    # Counted by mentions ベルモンテ would win (6 against 3); counted by documents ベルモンテー does (3 against 2).
    loud = "".join(f"ベルモンテ氏は{i}回目の会見を開いた。" for i in range(5)) + "\n"
    src = write_batch(
        tmp_path / "in",
        {"a.txt": loud, "b.txt": "ベルモンテー氏だ。\n", "c.txt": "ベルモンテー氏だ。\n", "d.txt": TIED},
    )
    out = tmp_path / "out"
    assert run(str(src), "--out-dir", str(out), "--jobs", "1", "--tie-break", "batch") == 0
    [edit] = variant_edits(out / "d.ann.jsonl")
    assert (edit["old"], edit["new"]) == ("ベルモンテ", "ベルモンテー")
    assert "(3 against 2;" in edit["reason"]


def test_jobs_do_not_change_the_counts(tmp_path):
    texts = {f"x{i}.txt": ONE_WAY if i % 3 else THE_OTHER for i in range(9)}
    texts["tie.txt"] = TIED
    src = write_batch(tmp_path / "in", texts)
    one, two = tmp_path / "one", tmp_path / "two"
    assert run(str(src), "--out-dir", str(one), "--jobs", "1", "--tie-break", "batch") == 0
    assert run(str(src), "--out-dir", str(two), "--jobs", "2", "--tie-break", "batch") == 0
    for f in sorted(one.glob("*.ann.jsonl")):
        assert f.read_bytes() == (two / f.name).read_bytes(), f.name
    assert (one / "tie.clean.txt").read_text(encoding="utf-8").count("ベルモンテー") == 2


def test_an_even_batch_still_flags(tmp_path):
    # each spelling in the same number of documents: no evidence either way, the tie stays a flag
    src = write_batch(tmp_path / "in", {"a.txt": ONE_WAY, "b.txt": TIED, "c.txt": THE_OTHER})
    out = tmp_path / "out"
    assert run(str(src), "--out-dir", str(out), "--jobs", "1", "--tie-break", "batch") == 0
    assert variant_edits(out / "b.ann.jsonl") == []
    [rec] = [json.loads(x) for x in (out / "b.ann.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any("no majority" in f["reason"] for f in rec["flags"] if f["stage"] == "variants")


def test_skipping_variants_counts_nothing(tmp_path, capsys):
    src = write_batch(tmp_path / "in", {"a.txt": ONE_WAY, "b.txt": TIED})
    out = tmp_path / "out"
    assert main(["clean", str(src), "--out-dir", str(out), "--tie-break", "batch", "--skip", "variants"]) == 0
    assert "tie-break" not in capsys.readouterr().err  # no counting pass for a stage that does not run
    assert (out / "b.clean.txt").read_text(encoding="utf-8") == TIED


# (case, document's own evidence, batch counts, expected spelling)
OWN_EVIDENCE_FIRST = [
    # the document's majority is never overruled by the batch
    ("majority", "ベルモンテ氏が来た。ベルモンテ氏は言った。ベルモンテー氏も。\n", {"ベルモンテー": 50}, "ベルモンテ"),
    # a tie in the document, the full name spells the surname one way: the document decides
    (
        "full name",
        "エミリ・ブロッジ氏が来た。ブロッジー氏は言った。\n",
        {"ブロッジー": 50, "ブロッジ": 1},
        "ブロッジ",
    ),
]


@pytest.mark.parametrize(("case", "text", "counts", "kept"), OWN_EVIDENCE_FIRST, ids=[c[0] for c in OWN_EVIDENCE_FIRST])
def test_the_document_s_own_evidence_comes_before_the_batch(case, text, counts, kept):
    doc = clean_text(text, Config(variants=VariantOptions(batch_counts=Counter(counts))))
    assert all(e.new == kept or kept in e.new for e in doc.edits if e.stage == "variants"), doc.edits
    assert kept in doc.text
    assert restore_text(doc.text, doc.edits) == doc.original


def test_the_english_source_outranks_the_batch():
    # タヴィッシュ / タビッシュ tie; the batch prefers タビッシュ, but the document's English ("Tavish")
    # is closer to タヴィッシュ by romaji similarity: the document's own evidence wins
    ja = "タヴィッシュ議員が話した。\nタビッシュ氏はノーと言った。\n"
    en = "Senator Tavish spoke.\nTavish said no.\n"
    batch = Config(variants=VariantOptions(batch_counts=Counter({"タビッシュ": 9, "タヴィッシュ": 1})))
    doc = clean_text(ja, batch, english=en)
    [edit] = [e for e in doc.edits if e.stage == "variants"]
    assert (edit.old, edit.new) == ("タビッシュ", "タヴィッシュ")
    assert 'closest to "Tavish"' in edit.reason
    alone = clean_text(ja, batch)  # without the English the batch decides
    assert [(e.old, e.new) for e in alone.edits if e.stage == "variants"] == [("タヴィッシュ", "タビッシュ")]


def test_clean_many_counts_the_texts_first():
    docs = list(clean_many([ONE_WAY, TIED, ONE_WAY], tie_break="batch"))
    assert docs[1].text == ONE_WAY
    assert [d.text for d in clean_many([ONE_WAY, TIED, ONE_WAY])][1] == TIED  # the default flags


def test_batch_spelling_counts_reads_what_the_variants_stage_reads():
    # markup is removed before counting; each text counts a spelling once
    counts = batch_spelling_counts(["<b>ベルモンテー</b>氏。ベルモンテー氏。", "ベルモンテ氏。", "本文だけ。"])
    assert counts == Counter({"ベルモンテー": 1, "ベルモンテ": 1})


# --latin rewrite: a tie of scripts (as many Latin as katakana mentions) is a tie, flagged, not a win for either
# script; (text, kept as written, the flag's words)
SCRIPT_TIES = [
    # one Latin, one mixed partial transliteration: the katakana side used to win as "the only spelling of its script"
    ("ZenithAIの発表。ゼニスAIが来た。", "no majority"),
    # one Latin, one katakana rendering of a name
    ("ベルモント氏が来た。Belmont氏は語った。", "no majority"),
]


@pytest.mark.parametrize(("text", "says"), SCRIPT_TIES)
def test_a_tie_of_scripts_is_flagged_under_latin_rewrite(text, says):
    doc = clean_text(text, make_config(latin="rewrite"))
    assert doc.text == text
    assert any(says in f.reason for f in doc.flags if f.stage == "variants")


def test_a_script_majority_still_wins_under_latin_rewrite():
    # two Latin mentions against one katakana: the script used more often (the control of the tie above)
    text = "ベルモント氏が来た。Belmont氏は語った。Belmont氏も。"
    doc = clean_text(text, make_config(latin="rewrite"))
    assert doc.text == text.replace("ベルモント", "Belmont")

"""``--variant-evidence``: the kinds of evidence a run rewrites variants on; a pair proven by another kind is flagged.

Made-up fixtures only (no dev-set sentence or name).
"""

from __future__ import annotations

import argparse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.document import restore_text
from pipeline.lexicon import parse_native
from pipeline.run import Config, clean_text
from pipeline.stages.variants import VariantOptions
from pipeline.stages.variants.decide import NOT_CHOSEN
from pipeline.stages.variants.options import evidence_kinds

ORTHO = "ウィルソン氏は語った。ウィルソン氏によれば、計画は順調だ。ウイルソン氏は笑った。\n"
ORTHO_EN = "Wilson spoke.\nAccording to Wilson, the plan is on track.\nWilson laughed.\n"
COUNTER = "数カ月前。数カ月後。数ヶ月。\n"
LEXICON_TEXT = "ムーンゲートとムーンゲート。ムーンゲイト。\n"


def run(text: str, evidence: frozenset[str] | None = None, english: str | None = None, lexicon=None):
    opts = VariantOptions(lexicon=lexicon) if evidence is None else VariantOptions(lexicon=lexicon, evidence=evidence)
    return clean_text(text, Config(variants=opts), english=english)


def variant_edits(doc) -> list[tuple[str, str, str]]:
    return [(e.old, e.new, e.rule) for e in doc.edits if e.stage == "variants"]


def variant_flags(doc) -> list[str]:
    return [f.reason for f in doc.flags if f.stage == "variants"]


# (text, English source, lexicon TSV, kinds allowed, expected edits, evidence the edit's reason or flag names)
CASES = [
    # default: all four kinds; the orthographic pair (small kana folded) goes to the majority
    (ORTHO, None, None, None, [("ウイルソン", "ウィルソン", "variant")], "orthographic evidence"),
    # only what the source or the lexicon proves, and there is no source: the same pair is flagged
    (ORTHO, None, None, {"bilingual", "lexicon"}, [], "orthographic evidence"),
    # ... with the source, the English proves it: rewritten, and the reason names the bilingual evidence
    (ORTHO, ORTHO_EN, None, {"bilingual", "lexicon"}, [("ウイルソン", "ウィルソン", "variant")], "bilingual evidence"),
    # none: every group flagged, nothing rewritten, even with the source (the flag names the source's proof)
    (ORTHO, ORTHO_EN, None, set(), [], "bilingual evidence"),
    # the counter-kana rule is orthographic evidence too
    (COUNTER, None, None, None, [("ヶ月", "カ月", "orthography")], "orthographic evidence"),
    (COUNTER, None, None, {"dictionary", "bilingual", "lexicon"}, [], "orthographic evidence"),
    # a lexicon hit is lexicon evidence: a run without it flags the house spelling's mentions
    (
        LEXICON_TEXT,
        None,
        "ムーンゲイト\tムーンゲート\n",
        {"lexicon"},
        [("ムーンゲート", "ムーンゲイト", "lexicon")] * 2,
        "",
    ),
    (LEXICON_TEXT, None, "ムーンゲイト\tムーンゲート\n", {"orthographic"}, [], "lexicon"),
]


@pytest.mark.parametrize(("text", "english", "lexicon", "kinds", "edits", "named"), CASES)
def test_rewrites_only_on_the_kinds_allowed(text, english, lexicon, kinds, edits, named) -> None:
    lex = parse_native(lexicon) if lexicon else None
    doc = run(text, None if kinds is None else frozenset(kinds), english, lex)
    got = variant_edits(doc)
    assert got == edits
    if edits:
        assert all(named in e.reason for e in doc.edits if e.stage == "variants")
        assert not any(NOT_CHOSEN in r for r in variant_flags(doc))
    else:
        # nothing rewritten: the pair is flagged, its reason names the evidence it has and why it was kept
        flags = variant_flags(doc)
        assert flags and all(NOT_CHOSEN in r for r in flags)
        assert any(named in r for r in flags)
        assert doc.text == text


def test_default_is_every_kind() -> None:
    # the option's default changes nothing: the same edits as a run that names all four kinds
    every = frozenset({"orthographic", "dictionary", "bilingual", "lexicon"})
    for text, english in ((ORTHO, None), (ORTHO, ORTHO_EN), (COUNTER, None)):
        assert variant_edits(run(text, None, english)) == variant_edits(run(text, every, english))


@pytest.mark.parametrize(
    ("value", "kinds"),
    [
        ("bilingual,lexicon", {"bilingual", "lexicon"}),  # comma-separated
        (" lexicon , orthographic ", {"lexicon", "orthographic"}),  # spaces around a kind are ignored
        ("none", set()),  # group and flag, rewrite nothing
    ],
)
def test_evidence_kinds_parses(value: str, kinds: set[str]) -> None:
    assert evidence_kinds(value) == frozenset(kinds)


@pytest.mark.parametrize(
    "value",
    [
        "similar",  # a look-alike is never evidence for an edit
        "",  # nothing named: a mistake, not "none"
        "bilingual,sound",  # one unknown kind spoils the list
    ],
)
def test_evidence_kinds_refuses(value: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        evidence_kinds(value)


def test_cli_option(tmp_path, capsys) -> None:
    src = tmp_path / "a.txt"
    src.write_text(ORTHO, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(src), "--out-dir", str(out), "-q", "--variant-evidence", "bilingual,lexicon"]) == 0
    assert (out / "a.clean.txt").read_text(encoding="utf-8") == ORTHO  # flagged, not rewritten
    out2 = tmp_path / "out2"
    assert main(["clean", str(src), "--out-dir", str(out2), "-q"]) == 0
    assert (out2 / "a.clean.txt").read_text(encoding="utf-8") != ORTHO
    capsys.readouterr()


def test_cli_bad_kind_is_one_line(tmp_path, capsys) -> None:
    src = tmp_path / "a.txt"
    src.write_text(ORTHO, encoding="utf-8")
    with pytest.raises(SystemExit) as e:
        main(["clean", str(src), "--variant-evidence", "similar"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "unknown kind of evidence 'similar'" in err
    assert "Traceback" not in err


NAMES = ["ウィルソン", "ウイルソン", "ベルモンテ", "ベルモンテー", "数カ月", "数ヶ月", "氏は", "、", "。"]
KINDS = ["orthographic", "dictionary", "bilingual", "lexicon"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(NAMES), min_size=1, max_size=14), st.sets(st.sampled_from(KINDS)))
def test_any_kinds_round_trip_and_subset(words: list[str], kinds: set[str]) -> None:
    # whatever is allowed, restore gives the original back, and the edits are a subset of the default run's
    text = "".join(words) + "\n"
    doc = run(text, frozenset(kinds))
    assert restore_text(doc.text, doc.edits) == text
    assert set(variant_edits(doc)) <= set(variant_edits(run(text)))

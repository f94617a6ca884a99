"""The shared helpers: overlaps by priority, the walk over superseded edits, character classes, tables."""

from __future__ import annotations

import gc
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import overlaps
from pipeline.chars import has_latin, is_japanese, is_katakana
from pipeline.document import Document, Edit, OverlapError, walk_edits
from pipeline.gcpause import paused_gc
from pipeline.overlaps import resolve_overlaps
from pipeline.tables import required_text, tsv_rows

# -- resolve_overlaps -------------------------------------------------------------------------------


def _brute_force(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The definition: in rank order, keep a span when a Document would accept it next to those kept."""
    doc = Document("x" * 40)
    kept: list[tuple[int, int, int]] = []
    for s in sorted(spans, key=lambda s: s[2]):
        trial = Document(doc.original)
        try:
            trial.add_edits([Edit(a, b, doc.original[a:b], "y", "t", "r", "why") for a, b, _ in [*kept, s]])
        except OverlapError:
            continue
        kept.append(s)
    return sorted(kept, key=lambda s: (s[0], s[1], spans.index(s)))


span = st.tuples(st.integers(0, 30), st.integers(0, 6), st.integers(0, 5)).map(lambda t: (t[0], t[0] + t[1], t[2]))


@settings(max_examples=300, deadline=None)
@given(st.lists(span, max_size=25, unique=True), st.sampled_from([1, 2, 512]))
def test_resolve_overlaps_is_greedy_by_rank_with_the_documents_overlap(spans, block):
    # block sizes 1 and 2 make the kept list split into many blocks on a small input
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(overlaps, "BLOCK", block)
        got = resolve_overlaps(spans, rank=lambda s: s[2], span=lambda s: (s[0], s[1]))
    assert got == _brute_force(spans)


@pytest.mark.parametrize(
    "spans, kept",
    [
        ([(0, 4), (2, 6)], [(0, 4)]),  # overlap: the first in rank order wins
        ([(0, 4), (4, 6)], [(0, 4), (4, 6)]),  # touching spans both stay
        ([(2, 2), (2, 2)], [(2, 2)]),  # two insertions at one point: one
        ([(0, 4), (2, 2)], [(0, 4)]),  # an insertion strictly inside a span
        ([(0, 4), (4, 4), (0, 0)], [(0, 0), (0, 4), (4, 4)]),  # insertions at the ends are fine
        ([(5, 9), (0, 20), (10, 12)], [(5, 9), (10, 12)]),  # a long span loses to two shorter ones ranked first
    ],
)
def test_resolve_overlaps_cases(spans, kept):
    assert resolve_overlaps(spans, rank=spans.index, span=lambda s: s) == kept


def test_resolve_overlaps_accept_drops_without_blocking():
    asked = []

    def accept(s):
        asked.append(s)
        return s != (0, 10)  # refused: must not block the shorter span under it

    assert resolve_overlaps([(0, 10), (2, 4)], rank=lambda s: -(s[1] - s[0]), span=lambda s: s, accept=accept) == [
        (2, 4)
    ]
    assert asked == [(0, 10), (2, 4)]


def test_resolve_overlaps_is_n_log_n_on_many_spans():
    spans = [(i * 4, i * 4 + 3) for i in range(100_000)] + [(i * 4 + 2, i * 4 + 5) for i in range(100_000)]
    t0 = time.process_time()
    kept = resolve_overlaps(spans, rank=lambda s: s[0] % 4, span=lambda s: s)
    assert kept == spans[:100_000]
    assert time.process_time() - t0 < 2.0  # about 0.3 s; a quadratic scan takes minutes


# -- walk_edits --------------------------------------------------------------------------------------


def test_walk_edits_reaches_every_depth_in_order():
    a = Edit(2, 3, "c", "C", "variants", "variant", "why")
    b = Edit(1, 4, "bcd", "", "dedup", "loop", "why", (a,))
    c = Edit(0, 6, "abcdef", "", "dedup", "boilerplate", "why", (b,))
    d = Edit(8, 9, "i", "", "markup", "tag", "why")
    assert list(walk_edits([c, d])) == [c, b, a, d]


# -- character classes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ch, katakana, japanese",
    [
        ("ア", True, True),
        ("ー", True, True),  # the long-vowel mark belongs to katakana words
        ("・", True, True),  # so does the middle dot that joins name parts
        ("ㇰ", True, True),  # small katakana extension
        ("ぺ", False, True),  # hiragana pe, typed for katakana ペ: not katakana
        ("ｱ", False, True),  # half-width katakana: Japanese, but not a katakana word character
        ("語", False, True),
        ("A", False, False),
    ],
)
def test_character_classes(ch, katakana, japanese):
    assert (is_katakana(ch), is_japanese(ch)) == (katakana, japanese)


@pytest.mark.parametrize(
    "text, latin",
    [("オープンAPI", True), ("ＡＰＩ", False), ("2024年", False), ("\u212a", True)],  # Kelvin sign folds to k
)
def test_has_latin(text, latin):
    assert has_latin(text) is latin


# -- tables ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern, needed",
    [
        ("ヴァ", "ヴァ"),  # plain text needs itself
        ("([エケセ])イ", "イ"),  # a class group, then text
        ("c(?=[eiy])", "c"),  # text, then a lookahead
        ("ng$", "ng"),  # text at the end
        ("[aeiou]", ""),  # a class alone: nothing certain
        ("a|b", ""),  # an alternation: neither side is certain
        ("(.)\\1+", ""),  # a back-reference
    ],
)
def test_required_text(pattern, needed):
    assert required_text(pattern) == needed


def test_tsv_rows_skip_comments_and_blank_lines():
    rows = list(tsv_rows("abbreviations.tsv"))
    assert rows and all(not r[0].startswith("#") and "\t".join(r).strip() for r in rows)
    assert ["inc", "always"] in [r[:2] for r in rows]


def test_paused_gc_restores_the_collector():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # it was off before: stays off
    finally:
        gc.enable()


@pytest.mark.parametrize("name", ["blocks_rules.yaml", "dedup_loops.yaml", "markup_rules.yaml"])
def test_fast_yaml_loader_reads_each_table_as_the_pure_one(name):
    # load_yaml takes libyaml's loader when there is one; a table must mean the same either way
    import yaml

    from pipeline.tables import load_yaml, read_table

    assert load_yaml(name) == yaml.safe_load(read_table(name))

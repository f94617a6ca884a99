"""Round 8's second pass on the cost of a source (issue 14): each shortcut gives what the long way gives.

The dedup options given a source made once per options object, floats that orjson writes as the stdlib
does kept on orjson, the dictionary table read in one piece, a Japanese sentence's question and
exclamation read from its end; each checked against the computation it replaces, on made-up values.
"""

from __future__ import annotations

import json
import math
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.io.annotations import _float_as_repr, _no_floats, encode_json, encode_json_bytes
from pipeline.stages.bilingual import repeat_evidence
from pipeline.stages.dedup import DedupOptions

orjson = pytest.importorskip("orjson")

_STDLIB = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


# -- dedup options with a source --------------------------------------------------------------------
def test_dedup_options_with_a_source_made_once_per_options_object():
    from pipeline import run

    a, b = DedupOptions(), DedupOptions(window=6)
    first = run._with_repeat_evidence(a)
    assert first.source is repeat_evidence and first.window == a.window  # the copy, with the source
    assert run._with_repeat_evidence(a) is first  # the same options again: the same copy
    other = run._with_repeat_evidence(b)
    assert other.source is repeat_evidence and other.window == 6  # another options object: its own copy
    assert run._with_repeat_evidence(a) is not other and run._with_repeat_evidence(a).window == a.window


def test_apply_dedup_passes_the_repeat_evidence_only_with_a_source(monkeypatch):
    # the runner hands dedup the cached copy (source set) for an aligned document, the options as given otherwise
    from pipeline import run

    seen = []
    monkeypatch.setattr(run, "remove_duplicates", lambda doc, options: seen.append(options))
    config = run.Config()
    aligned = run.clean_text("会議は長かった。")
    plain = run.clean_text("会議は長かった。")
    seen.clear()
    aligned.annotations["alignment"] = {}
    run.apply_dedup(aligned, config)
    run.apply_dedup(aligned, config)
    run.apply_dedup(plain, config)
    assert seen[0].source is repeat_evidence and seen[1] is seen[0]
    assert seen[2] is config.dedup and seen[2].source is None


# -- floats kept on orjson ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "x, alike",
    [
        (0.0, True),  # zero
        (-0.0, True),  # its sign is kept by both
        (1e-4, True),  # the boundary: 0.0001 both ways
        (0.00010000000000000002, True),  # just above it
        (9.999999e-05, False),  # just below: orjson 0.00009999999, the stdlib 9.999999e-05
        (1e-05, False),  # orjson 0.00001
        (0.1, True),
        (1 / 3, True),
        (123456789012345.6, True),
        (9999999999999998.0, True),  # the largest below 1e16
        (1e16, False),  # outside the checked range (both write 1e+16, but it is not needed)
        (math.nan, False),  # orjson null, the stdlib NaN
        (math.inf, False),
        (-math.inf, False),
    ],
)
def test_float_as_repr_table(x, alike):
    assert _float_as_repr(x) is alike
    if alike:
        assert orjson.dumps(x) == repr(x).encode()


def _floats_from_bits():
    return st.integers(0, 2**64 - 1).map(lambda b: struct.unpack("<d", struct.pack("<Q", b))[0])


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), _floats_from_bits()))
def test_orjson_writes_an_accepted_float_as_the_stdlib(x):
    if _float_as_repr(x):
        assert orjson.dumps(x) == _STDLIB(x).encode()
        assert orjson.dumps([x, {"s": x}]) == _STDLIB([x, {"s": x}]).encode()


_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), st.text(max_size=5)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=3), inner, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=500, deadline=None)
@given(_JSON)
def test_encode_json_is_the_stdlib_byte_for_byte(value):
    expected = _STDLIB(value)
    assert encode_json(value) == expected
    got = encode_json_bytes(value)
    assert (got if type(got) is str else got.decode()) == expected


def test_a_record_with_scores_stays_on_orjson():
    # a bead's score and a stage's seconds: plain floats, so the tail is not handed to the stdlib
    tail = {
        "annotations": {"alignment": {"beads": [{"score": 0.8125, "cost": -1.5}]}},
        "stats": {"x": {"seconds": 0.0123}},
    }
    assert _no_floats(tail)
    assert not _no_floats({"score": 3e-05})  # a tiny float still goes to the stdlib
    assert encode_json_bytes(tail) == _STDLIB(tail).encode()


def test_a_record_with_tiny_seconds_never_walks_its_alignment(monkeypatch):
    # --timings: a stage's 7e-06 s sends the tail to the stdlib.  The stats answer that before the
    # alignment's scores are looked at, and nothing looks at them again (a second walk, in
    # encode_json_bytes, cost the record 20 ms over the dev pairs); the bytes stay the stdlib's.
    from pipeline.io import annotations
    from pipeline.run import clean_text

    ja = "同社は新しい計画を発表した。\nその後、記者は去った。\n"
    en = "The company announced a new plan.\nLater, the reporter left.\n"
    doc = clean_text(ja, english=en)
    assert doc.annotations, "the alignment is in the annotations"
    for stage in doc.stats.values():
        stage["seconds"] = 7e-06
    walked = []
    real = annotations._no_floats
    monkeypatch.setattr(annotations, "_no_floats", lambda v: walked.append(v) or real(v))
    pieces, _ = annotations.record_json_bytes(doc)
    assert not any(v is doc.annotations for v in walked)
    assert b"".join(pieces) == _STDLIB(annotations.document_record(doc)).encode()


# -- the dictionary table read in one piece --------------------------------------------------------
def _table_line_by_line(path):
    """The reader the table had before: a text-mode file, line by line (the reference)."""
    import gzip

    table = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line[0] == "#":
                continue
            keys, _, stems = line.rstrip("\n").partition("\t")
            for k in keys.split(","):
                table[k] = table[k] + " " + stems if k in table else stems
    return table


_CELL = st.text(st.sampled_from("あいう漢字ab #,\t\r"), max_size=6)
_LINE = st.one_of(
    st.builds(lambda k, s: f"{k}\t{s}", st.text(st.sampled_from("あいう漢,"), max_size=5), _CELL),
    st.just("# a comment"),
    st.just(""),
    _CELL,
)


@pytest.mark.parametrize(
    "text",
    [
        "# header\n語,ご\tword\n語\tlanguag\n",  # a spelling of two entries: their stems joined in file order
        "語\tword\r\n言\tsay\r\n",  # Windows line breaks: universal newlines, as text mode reads them
        "語\tword",  # no final line break
        "語\tword\n\n言\tsay\n",  # a blank line: the empty spelling, as before
        "",  # an empty table
    ],
)
def test_table_parsed_as_read_line_by_line(tmp_path, text):
    import gzip

    from pipeline.align.dictionary import _parse_table

    path = tmp_path / "t.tsv.gz"
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    got = _parse_table(gzip.decompress(path.read_bytes()).decode("utf-8"))
    expected = _table_line_by_line(path)
    assert got == expected and list(got) == list(expected)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=8), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_table_parse_never_differs(lines, newline, final):
    import gzip
    import tempfile
    from pathlib import Path

    from pipeline.align.dictionary import _parse_table

    text = newline.join(lines) + (newline if final and lines else "")
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "t.tsv.gz"
        path.write_bytes(gzip.compress(text.encode("utf-8")))
        got = _parse_table(text)
        expected = _table_line_by_line(path)
    assert got == expected and list(got) == list(expected)


def test_known_stems_are_every_stem_of_the_table(monkeypatch, tmp_path):
    import gzip

    from pipeline.align import dictionary

    path = tmp_path / "t.tsv.gz"
    path.write_bytes(gzip.compress("語,ご\tword languag\n言\tsay  word\n".encode()))
    monkeypatch.setattr(dictionary, "TABLE", path)
    dictionary.reload_table()
    try:
        table = dictionary.load_table()
        assert table == {"語": "word languag", "ご": "word languag", "言": "say  word"}
        assert dictionary.known_stems() == frozenset(w for s in table.values() for w in s.split())
        assert dictionary.known_stems() == {"word", "languag", "say"}
    finally:
        monkeypatch.undo()
        dictionary.reload_table()


# -- the Japanese question and exclamation tests without a regex search ------------------------------
_JA_END_ALPHABET = "かね。．?？!！」』）)”文 \u3000\t\n\x1c\x85\xa0"


@pytest.mark.parametrize(
    "s, question, exclaim",
    [
        ("届きましたか？」", True, False),  # a question mark before a closing bracket
        ("送っていただけますか。", True, False),  # か and a full stop
        ("何か ）\u3000", True, False),  # か before a bracket and an ideographic space
        ("そうだね。", False, False),  # a statement
        ("すごい！」　", False, True),  # an exclamation before a bracket and a space
        ("か」文", False, False),  # text after the bracket: neither
        ("", False, False),  # empty
    ],
)
def test_japanese_question_and_exclaim_table(s, question, exclaim):
    from pipeline.align.anchors import _is_japanese_exclaim, is_japanese_question

    assert is_japanese_question(s) is question
    assert _is_japanese_exclaim(s) is exclaim


@settings(max_examples=1000, deadline=None)
@given(st.text(st.sampled_from(_JA_END_ALPHABET), max_size=8))
def test_japanese_question_and_exclaim_match_their_regexes(s):
    from pipeline.align.anchors import _JA_EXCLAIM, _JA_QUESTION, _is_japanese_exclaim, is_japanese_question

    assert is_japanese_question(s) is bool(_JA_QUESTION.search(s))
    assert _is_japanese_exclaim(s) is bool(_JA_EXCLAIM.search(s))

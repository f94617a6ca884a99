"""Annotation schema 2 (docs/schema.md): token columns, removed sentences, both schemas read everywhere.

Every record reader (restore, diff, stats, align, CoNLL-U, from_record) is run
on one made-up document written by hand twice: as schema 1 (token rows, no
removed sentences) and as schema 2 (token columns, ``removed_sentences``);
both must give the same answers.  The JSON encoder (orjson where it gives the
stdlib's bytes) is checked against ``json.dumps`` on made-up values and records.
"""

from __future__ import annotations

import copy
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import clean
from pipeline.io.annotations import (
    TOKEN_FIELDS,
    cleaned_token_columns,
    cleaned_tokens,
    document_from_record,
    document_record,
    encode_json,
    encode_json_bytes,
    record_json_bytes,
    record_json_parts,
    restore_record,
    token_columns,
    token_rows,
    with_token_rows,
)
from pipeline.io.conllu import record_to_conllu
from pipeline.review.diff import format_document
from pipeline.review.stats import collect_stats
from pipeline.run import clean_text

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = "<b>猫</b>が鳴いた。猫が鳴いた。\n犬も来た。\n"


def _tokens(*rows: tuple) -> list[dict]:
    return [dict(zip(TOKEN_FIELDS, r, strict=True)) for r in rows]


# A schema-1 record as the previous release wrote it, by hand: markup removed <b></b>, dedup removed
# the second sentence (index 1), which the record does not list.
SCHEMA_1 = {
    "schema": 1,
    "id": "cat",
    "source": "cat.txt",
    "sha256": hashlib.sha256(ORIGINAL.encode()).hexdigest(),
    "encoding": "utf-8",
    "bom": False,
    "chars_in": 26,
    "chars_out": 13,
    "text": "猫が鳴いた。\n犬も来た。\n",
    "edits": [
        {"start": 0, "end": 3, "old": "<b>", "new": "", "stage": "markup", "rule": "tag", "reason": "HTML tag <b>"},
        {"start": 4, "end": 8, "old": "</b>", "new": "", "stage": "markup", "rule": "tag", "reason": "end tag"},
        {
            "start": 13,
            "end": 19,
            "old": "猫が鳴いた。",
            "new": "",
            "stage": "dedup",
            "rule": "exact",
            "reason": "repeat",
        },
    ],
    "blocks": [
        {"index": 0, "start": 3, "end": 19, "paragraph": 0, "label": "body"},
        {"index": 1, "start": 20, "end": 25, "paragraph": 0, "label": "body"},
    ],
    "sentences": [
        {
            "index": 0,
            "block": 0,
            "start": 0,
            "end": 6,
            "orig_start": 3,
            "orig_end": 13,
            "text": "猫が鳴いた。",
            "tokens": _tokens(
                ("猫", "猫", "名詞-普通名詞-一般", "ネコ", 0, 1, 3, 4),
                ("が", "が", "助詞-格助詞", "ガ", 1, 2, 8, 9),
                ("鳴い", "鳴く", "動詞-一般", "ナイ", 2, 4, 9, 11),
                ("た", "た", "助動詞", "タ", 4, 5, 11, 12),
                ("。", "。", "補助記号-句点", "", 5, 6, 12, 13),
            ),
        },
        {
            "index": 2,
            "block": 1,
            "start": 7,
            "end": 12,
            "orig_start": 20,
            "orig_end": 25,
            "text": "犬も来た。",
            "tokens": _tokens(
                ("犬", "犬", "名詞-普通名詞-一般", "イヌ", 7, 8, 20, 21),
                ("も", "も", "助詞-係助詞", "モ", 8, 9, 21, 22),
                ("来", "来る", "動詞-非自立可能", "キ", 9, 10, 22, 23),
                ("た", "た", "助動詞", "タ", 10, 11, 23, 24),
                ("。", "。", "補助記号-句点", "", 11, 12, 24, 25),
            ),
        },
    ],
    "flags": [],
    "annotations": {"dedup": {"removed": [{"removed": 1, "kept": 0, "rule": "exact", "score": 1.0}]}},
    "stats": {},
}


def _schema_2() -> dict:
    """The same document as schema 2: columns, and the removed sentence with the edit that removed it."""
    rec = copy.deepcopy(SCHEMA_1)
    rec["schema"] = 2
    for s in rec["sentences"]:
        s["tokens"] = {f: [t[f] for t in s["tokens"]] for f in TOKEN_FIELDS}
    rec = {k: rec[k] for k in list(rec)[:12]} | {
        "removed_sentences": [
            {"index": 1, "block": 0, "orig_start": 13, "orig_end": 19, "text": "猫が鳴いた。", "by": ["dedup/exact"]}
        ],
        "flags": [],
        "annotations": rec["annotations"],
        "stats": {},
    }
    return rec


SCHEMA_2 = _schema_2()
BOTH = pytest.mark.parametrize("rec", [SCHEMA_1, SCHEMA_2], ids=["schema1", "schema2"])


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, cwd=ROOT, timeout=300)


def write(tmp_path: Path, rec: dict) -> Path:
    path = tmp_path / f"cat{rec['schema']}.ann.jsonl"
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# -- what the pipeline writes ------------------------------------------------------------------------


def test_pipeline_writes_the_hand_written_schema_2_record():
    # the hand-written schema-2 twin is exactly what clean writes for the text (apart from reasons and stats)
    rec = document_record(clean_text(ORIGINAL, id="cat"))
    assert rec["schema"] == 2
    assert list(rec) == list(SCHEMA_2)  # field order: removed_sentences right after sentences
    assert rec["sentences"] == SCHEMA_2["sentences"]
    assert rec["removed_sentences"] == SCHEMA_2["removed_sentences"]
    assert [(e["start"], e["end"], e["stage"], e["rule"]) for e in rec["edits"]] == [
        (e["start"], e["end"], e["stage"], e["rule"]) for e in SCHEMA_2["edits"]
    ]


def test_rows_layout_gives_schema_1_tokens():
    rec = document_record(clean_text(ORIGINAL, id="cat"), token_layout="rows")
    assert rec["sentences"] == SCHEMA_1["sentences"]  # one dict per token, as schema 1 had them
    assert rec["removed_sentences"] == SCHEMA_2["removed_sentences"]  # still schema 2 otherwise


@pytest.mark.parametrize(
    ("flag", "sentences"),
    [
        ([], SCHEMA_2["sentences"]),  # the default: columns
        (["--token-layout", "rows"], SCHEMA_1["sentences"]),  # one object per token, as schema 1
        (["--token-layout", "rows", "--format", "conllu"], SCHEMA_1["sentences"]),  # the CoNLL-U path too
    ],
)
def test_clean_writes_the_token_layout_asked_for(tmp_path, flag, sentences):
    (tmp_path / "cat.txt").write_text(ORIGINAL, encoding="utf-8")
    done = run_cli("clean", str(tmp_path / "cat.txt"), "--out-dir", str(tmp_path / "out"), "-q", *flag)
    assert done.returncode == 0, done.stderr
    ann = tmp_path / "out" / "cat.ann.jsonl"
    rec = json.loads(ann.read_text(encoding="utf-8"))
    assert rec["sentences"] == sentences
    assert run_cli("restore", str(ann)).stdout == ORIGINAL.encode("utf-8")


def test_unknown_token_layout_is_refused():
    with pytest.raises(ValueError, match="unknown token layout 'cols'"):
        record_json_parts(clean_text("犬。"), token_layout="cols")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "options, text, removed",
    [
        # a repeat next to its original: dedup removes the second copy
        ({}, "鳥が飛んだ。鳥が飛んだ。空は青い。", [(1, "鳥が飛んだ。", ["dedup/exact"])]),
        # a byline dropped on request: the blocks stage removed the whole line
        (
            {"blocks_drop": ["byline"]},
            "By Hanako Suzuki\n本文です。",
            [(0, "By Hanako Suzuki", ["blocks/drop-byline"])],
        ),
        # nothing removed: the list is empty, not missing
        ({}, "一文目。二文目。", []),
        # a tag removed inside a sentence leaves the sentence alive
        ({}, "<i>花</i>が咲いた。", []),
    ],
)
def test_removed_sentences(options, text, removed):
    rec = document_record(clean(text, **options))
    assert [(r["index"], r["text"], r["by"]) for r in rec["removed_sentences"]] == removed
    for r in rec["removed_sentences"]:
        assert text[r["orig_start"] : r["orig_end"]] == r["text"]  # original offsets, original text
    assert {s["index"] for s in rec["sentences"]}.isdisjoint(r["index"] for r in rec["removed_sentences"])


# -- every reader, on both schemas -------------------------------------------------------------------


@BOTH
def test_restore_gives_back_the_original_byte_for_byte(rec, tmp_path):
    assert restore_record(rec) == ORIGINAL.encode()
    proc = run_cli("restore", str(write(tmp_path, rec)))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ORIGINAL.encode()


@BOTH
def test_from_record_finds_every_sentence(rec):
    doc = document_from_record(rec)
    assert doc.original == ORIGINAL and doc.text == rec["text"]
    # the removed sentence (13..19) is back: re-segmented for schema 1, read for schema 2
    assert [(s.start, s.end, s.block) for s in doc.sentences] == [(3, 13, 0), (13, 19, 0), (20, 25, 1)]
    assert [(b.start, b.end, b.label) for b in doc.blocks] == [(3, 19, "body"), (20, 25, "body")]
    assert doc.annotations["dedup"]["removed"][0]["score"] == 1.0


def test_schema_2_is_not_re_segmented(monkeypatch):
    # the review code reads removed_sentences and never runs the segmenter on a schema-2 record
    import pipeline.stages.segment as segment

    def refuse(*_a, **_k):
        raise AssertionError("re-segmented a schema-2 record")

    monkeypatch.setattr(segment, "segment_document", refuse)
    assert len(document_from_record(SCHEMA_2).sentences) == 3
    with pytest.raises(AssertionError, match="re-segmented"):
        document_from_record(SCHEMA_1)


def test_without_resegmenting_schema_1_keeps_the_live_sentences():
    # what the boilerplate pass needs: the record's blocks and live sentences, no segmenter
    doc = document_from_record(SCHEMA_1, resegment_schema1=False)
    assert [(s.start, s.end) for s in doc.sentences] == [(3, 13), (20, 25)]
    assert [(b.start, b.end) for b in doc.blocks] == [(3, 19), (20, 25)]


@BOTH
def test_stats_count_the_removed_sentence(rec, tmp_path):
    total = collect_stats([document_from_record(rec)])["total"]
    assert (total["sentences"], total["sentences_kept"], total["sentences_removed"]) == (3, 2, 1)
    proc = run_cli("stats", "--json", str(write(tmp_path, rec)))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["total"]["sentences_removed"] == 1


def test_diff_and_stats_read_both_schemas_alike(tmp_path):
    one, two = write(tmp_path, SCHEMA_1), write(tmp_path, SCHEMA_2)
    assert format_document(document_from_record(SCHEMA_1), color=False) == format_document(
        document_from_record(SCHEMA_2), color=False
    )
    for command in (["diff"], ["diff", "--unified"], ["stats"]):
        a, b = run_cli(*command, str(one)), run_cli(*command, str(two))
        assert a.returncode == b.returncode == 0, (a.stderr, b.stderr)
        assert a.stdout.replace(b"cat1", b"cat2") == b.stdout, command


@BOTH
def test_conllu_reads_both_layouts(rec):
    out = record_to_conllu(rec)
    words = [line.split("\t") for line in out.splitlines() if line and not line.startswith("#")]
    assert [w[1] for w in words] == ["猫", "が", "鳴い", "た", "。", "犬", "も", "来", "た", "。"]
    assert "# sent_id = cat-3" in out  # the index of the original sentence, the removed one counted
    assert words[0][9] == "SpaceAfter=No|Reading=ネコ|OrigStart=3|OrigEnd=4"
    assert out == record_to_conllu(SCHEMA_1)


@BOTH
def test_align_reads_sentence_spans(rec, tmp_path):
    en = tmp_path / "en.txt"
    en.write_text("The cat cried. The dog came too.\n", encoding="utf-8")
    proc = run_cli("align", str(en), str(write(tmp_path, rec)), "--json")
    assert proc.returncode == 0, proc.stderr
    beads = json.loads(proc.stdout)
    assert [b["ja_orig"] for b in beads] == [[[3, 13]], [[20, 25]]]  # original spans of the live sentences


# -- token layouts -------------------------------------------------------------------------------------


def test_token_rows_and_columns_are_inverse():
    rows = SCHEMA_1["sentences"][0]["tokens"]
    assert token_rows({"tokens": token_columns(rows)}) == rows
    assert token_columns(token_rows(SCHEMA_2["sentences"][1])) == SCHEMA_2["sentences"][1]["tokens"]
    assert with_token_rows(SCHEMA_2)["sentences"] == SCHEMA_1["sentences"]
    assert with_token_rows(SCHEMA_1) is SCHEMA_1  # rows already: no copy


@pytest.mark.parametrize(
    "tokens, message",
    [
        ({"surface": ["a"], "lemma": []}, "token columns are not all lists"),  # a column missing
        ({f: ["x"] for f in TOKEN_FIELDS} | {"end": [1, 2]}, "differ in length"),  # ragged columns
        ("犬", "neither a list nor columns"),  # neither layout
    ],
)
def test_malformed_token_columns_are_refused(tokens, message):
    with pytest.raises(ValueError, match=message):
        token_rows({"tokens": tokens})


def test_malformed_record_is_one_line_without_traceback(tmp_path):
    bad = copy.deepcopy(SCHEMA_2)
    bad["removed_sentences"] = [{"index": 1}]  # no offsets
    proc = run_cli("diff", str(write(tmp_path, bad)))
    assert proc.returncode == 2
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "line 1: malformed record" in lines[0], lines


texts = st.text(alphabet=st.sampled_from("猫犬がはを走る。、「」<b></b>&amp; \nAIオープンアイ1２"), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_columns_hold_the_rows_values(text):
    doc = clean_text(text)
    for s in doc.sentences:
        assert token_rows({"tokens": cleaned_token_columns(doc, s.tokens)}) == cleaned_tokens(doc, s.tokens)
    rec = document_record(doc)
    assert with_token_rows(rec)["sentences"] == document_record(doc, token_layout="rows")["sentences"]
    back = document_from_record(rec)
    assert back.original == text and [(s.start, s.end) for s in back.sentences] == [
        (s.start, s.end) for s in doc.sentences
    ]


# -- the encoder: the stdlib's bytes ---------------------------------------------------------------


def stdlib(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# strings with what encoders disagree on: controls, quotes, U+2028/9, non-BMP, lone surrogates
strings = st.text(
    alphabet=st.one_of(
        st.characters(codec=None, exclude_categories=()),
        st.sampled_from('\x00\x1f\x7f"\\/\u2028\u2029\ufeff\U0001f600\ud800\udfff'),
    ),
    max_size=8,
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),  # past 64 bits too
    st.floats(allow_nan=True, allow_infinity=True),  # 1e-05, NaN: orjson writes them otherwise
    st.sampled_from([1e-05, 1e16, 1e22, -0.0, 0.1, 1.5e-300]),
    strings,
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(strings, inner, max_size=4)
        | st.dictionaries(st.integers(-3, 3), inner, max_size=2)
    ),  # non-string keys: the stdlib turns them into strings
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(values)
def test_encode_json_is_the_stdlib_encoding(value):
    try:
        want = stdlib(value)
    except (ValueError, TypeError):
        return  # the stdlib refuses it too (circular, ...)
    assert encode_json(value) == want


@pytest.mark.parametrize(
    "value",
    [
        {"seconds": 1e-05},  # orjson would write 0.00001
        [float("nan"), float("inf")],  # orjson would write null
        {"text": "\ud800"},  # a lone surrogate: orjson refuses, the stdlib writes it
        2**70,  # past 64 bits: orjson refuses
        {1: "x", None: "y"},  # non-string keys
        ["\u2028\x7f\x00\U0001f600"],  # written raw (U+2028, DEL) or escaped (NUL) alike
    ],
)
def test_encode_json_edge_cases(value):
    assert encode_json(value) == stdlib(value)


@given(values)
def test_encode_json_bytes_is_the_utf8_of_the_stdlib_encoding_or_its_text(value):
    # the bytes a record file gets; a text that cannot be UTF-8 (a lone surrogate) stays text,
    # so writing it fails where writing text always failed
    try:
        want = stdlib(value)
    except (ValueError, TypeError):
        return
    try:
        assert encode_json_bytes(value) == want.encode("utf-8")
    except UnicodeEncodeError:
        assert encode_json_bytes(value) == want


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from(["columns", "rows"]), st.booleans())
def test_record_bytes_are_the_record_parts_piece_by_piece(text, layout, seconds):
    # the same pieces as the text API (a writer of either layer writes the same line), as UTF-8
    doc = clean_text(text, id="x\u2028y")
    pieces, n = record_json_bytes(doc, seconds=seconds, token_layout=layout)
    parts, m = record_json_parts(doc, seconds=seconds, token_layout=layout)
    assert [p.decode() for p in pieces] == parts and n == m
    assert all(type(p) is bytes for p in pieces)


def test_a_record_with_a_lone_surrogate_keeps_that_piece_as_text():
    # a file name of undecodable bytes (surrogate escapes) in "source": orjson refuses it, the stdlib
    # writes it, and only that piece stays text; the sentences are bytes
    doc = clean_text(ORIGINAL, id="cat")
    doc.source = "\udc93.txt"
    pieces, _ = record_json_bytes(doc)
    assert type(pieces[0]) is str and '"source":"\udc93.txt"' in pieces[0]
    assert all(type(p) is bytes for p in pieces[1:])
    assert "".join(p if type(p) is str else p.decode() for p in pieces) == "".join(record_json_parts(doc)[0])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from(["columns", "rows"]), st.booleans())
def test_record_parts_are_the_stdlib_encoding_of_the_record(text, layout, seconds):
    doc = clean_text(text, id="x\u2028y")
    doc.stats.setdefault("tokenise", {})["seconds"] = 1.5e-05  # a float orjson writes differently
    rec = document_record(doc, token_layout=layout)
    if not seconds:
        rec["stats"] = {k: {c: n for c, n in v.items() if c != "seconds"} for k, v in rec["stats"].items()}
    parts, n = record_json_parts(doc, seconds=seconds, token_layout=layout)
    assert "".join(parts) == stdlib(rec)
    assert n == len(rec["sentences"])


def test_without_orjson_the_stdlib_writes_the_same_record(monkeypatch):
    # orjson is a dependency, but a machine without it must write the same bytes
    import pipeline.io.annotations as annotations

    doc = clean_text(ORIGINAL, id="cat")
    with_orjson = "".join(record_json_parts(doc)[0])
    monkeypatch.setattr(annotations, "_fast_encoder", lambda: None)
    assert "".join(record_json_parts(doc)[0]) == with_orjson == stdlib(document_record(doc))


def test_read_records_can_give_rows_whatever_the_file_holds(tmp_path):
    from pipeline.io.annotations import read_records

    path = write(tmp_path, SCHEMA_2)
    (as_rows,) = read_records(str(path), token_layout="rows")
    assert as_rows["sentences"] == SCHEMA_1["sentences"]  # columns turned into one dict per token
    (as_written,) = read_records(str(path))
    assert as_written["sentences"] == SCHEMA_2["sentences"]  # left as written

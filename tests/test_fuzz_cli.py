"""Fuzzing the command line (issue 16): random bytes, random JSON Lines records, random file names.

Whatever comes in, ``clean`` must end with exit status 0, 1 or 2, print no
traceback, write nothing outside ``--out-dir``, and every annotation record
it writes must give back its original byte for byte.  Bounded to a few
seconds: a handful of examples each, no deadline per example (the tagger
loads once).
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.io.annotations import read_records, restore_record

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "15")), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# bytes that look like Japanese text, markup and debris more often than pure noise
_PIECES = ["。", "、", "記事", "<b>", "</p>", "&amp;", "\n", "\r\n", "\r", " ", "東京", "A.", "\x00", "\xff"]
texts = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(_PIECES), max_size=30).map("".join),
)
raw_bytes = st.one_of(
    st.binary(max_size=200),
    texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
    texts.map(lambda t: t.encode("cp932", "replace")),
)
ids = st.one_of(
    st.none(),
    st.integers(-5, 5),
    st.text(max_size=8),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)
records = st.fixed_dictionaries({"id": ids, "text": st.one_of(texts, st.integers(), st.none())})
# file names: no "/" or NUL (the OS forbids them); dots, spaces, dashes and non-UTF-8 bytes welcome
names = st.one_of(
    st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=12),
    st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\x00" not in b),
).filter(lambda n: n not in ("..", ".", b"..", b"."))


def snapshot(folder: Path, skip: Path) -> dict[bytes, bytes]:
    """Every file below ``folder`` except those below ``skip``, by path bytes."""
    out: dict[bytes, bytes] = {}
    for root, dirs, files in os.walk(os.fsencode(folder)):
        dirs[:] = [d for d in dirs if os.path.join(root, d) != os.fsencode(skip)]
        for f in files:
            p = os.path.join(root, f)
            with open(p, "rb") as fh:
                out[p] = fh.read()
    return out


def run_clean(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(["clean", *argv, "-j", "1", "-q"])
    return status, err.getvalue()


def check_run(root: Path, inputs: list[str]) -> list[dict]:
    """Run clean on ``inputs`` into root/out; the fault-policy checks; the annotation records written."""
    out = root / "out"
    before = snapshot(root, out)
    status, err = run_clean(*inputs, "--out-dir", str(out))
    assert status in (0, 1, 2), (status, err)
    assert "Traceback" not in err and "internal error" not in err, err
    assert all(line.startswith(("error: ", "note: ", "clean: ")) for line in err.split("\n") if line), err
    assert snapshot(root, out) == before, "something was written outside --out-dir"
    recs: list[dict] = []
    for ann in sorted(out.rglob("*.ann.jsonl*")) if out.exists() else []:
        recs.extend(read_records(str(ann)))
    return recs


@FUZZ
@given(st.lists(st.tuples(names, raw_bytes), min_size=1, max_size=4))
def test_random_files_with_random_names(files):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src = root / "in"
        src.mkdir()
        originals: dict[str, bytes] = {}
        for name, data in files:
            base = name if isinstance(name, bytes) else name.encode("utf-8", "surrogateescape")
            path = os.path.join(os.fsencode(src), base + b".txt")
            with open(path, "wb") as fh:
                fh.write(data)
            originals[os.fsdecode(path)] = data
        for rec in check_run(root, [str(src)]):
            restored = restore_record(rec)
            assert restored in originals.values()


@FUZZ
@given(st.lists(records, max_size=6), st.booleans())
def test_random_jsonl_records(docs, compressed):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        body = "".join(json.dumps(d, ensure_ascii=True) + "\n" for d in docs).encode()
        name = "c.jsonl.gz" if compressed else "c.jsonl"
        (root / name).write_bytes(gzip.compress(body) if compressed else body)
        texts_in = [d["text"] for d in docs if isinstance(d["text"], str)]
        for rec in check_run(root, [str(root / name)]):
            assert restore_record(rec).decode("utf-8") in texts_in


# -- annotation files: restore, diff and stats on damaged records -----------------------------

_GOOD = {
    "schema": 1,
    "id": "a",
    "source": "a.txt",
    "sha256": "",  # filled in below
    "encoding": "utf-8",
    "bom": False,
    "text": "本文です。",
    "edits": [{"start": 0, "end": 3, "old": "<b>", "new": "", "stage": "markup", "rule": "tag", "reason": "tag"}],
    "blocks": [{"index": 0, "start": 0, "end": 8, "paragraph": 0, "label": "body"}],
    "sentences": [],
    "flags": [],
    "annotations": {},
    "stats": {},
}
_GOOD["sha256"] = __import__("hashlib").sha256("<b>本文です。".encode()).hexdigest()
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 12) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
fields = st.sampled_from(sorted(_GOOD)) | st.text(max_size=6)
edit_fields = st.sampled_from(["start", "end", "old", "new", "stage", "supersedes"])


@st.composite
def damaged_records(draw) -> dict:
    rec = json.loads(json.dumps(_GOOD))
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            rec[draw(fields)] = draw(json_values)
        elif isinstance(rec.get("edits"), list) and rec["edits"] and isinstance(rec["edits"][0], dict):
            rec["edits"][0][draw(edit_fields)] = draw(json_values)
    return rec


def run_command(*argv: str) -> tuple[int, bytes, str]:
    out, err = io.BytesIO(), io.StringIO()
    text_out = io.TextIOWrapper(out, encoding="utf-8")
    with contextlib.redirect_stdout(text_out), contextlib.redirect_stderr(err):
        status = main(list(argv))
        text_out.flush()
    return status, out.getvalue(), err.getvalue()


@FUZZ
@given(st.lists(damaged_records(), min_size=1, max_size=3))
def test_damaged_annotation_files_are_one_line_errors(recs):
    with tempfile.TemporaryDirectory() as tmp:
        ann = Path(tmp) / "x.ann.jsonl"
        ann.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
        for argv in (["restore", str(ann)], ["stats", str(ann)], ["diff", str(ann), "--color", "never"]):
            status, out, err = run_command(*argv)
            assert status in (0, 2), (argv, status, err)
            assert "Traceback" not in err and "internal error" not in err, (argv, err)
            if status == 2:
                assert len(err.strip().split("\n")) == 1 and err.startswith("error: "), err
                assert argv[0] != "restore" or out == b""  # nothing printed before the check failed
            elif argv[0] == "restore":  # printed means verified: every record matches its hash
                assert out == b"<b>\xe6\x9c\xac\xe6\x96\x87\xe3\x81\xa7\xe3\x81\x99\xe3\x80\x82" * len(recs)

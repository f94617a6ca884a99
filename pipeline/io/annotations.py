"""The annotation file: JSON Lines, one document per line (schema 2, docs/schema.md).

Each line is one JSON object with stable field names (see docs/schema.md), so
``json.loads`` per line, ``datasets.load_dataset("json", ...)`` and
``pandas.read_json(lines=True)`` all read it.  The cleaned ``text`` plus the
``edits`` give back the original exactly (:func:`restore_record`).

Schema 2 writes each sentence's tokens as columns (one list per field, no
object per token) and lists the sentences cleaning removed
(``removed_sentences``); :func:`token_rows` reads the tokens of either
schema as one dict per token, and :func:`document_from_record` turns a
record of either schema back into a :class:`~pipeline.document.Document`.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from operator import itemgetter
from typing import IO, Any, Literal, TypedDict

from pipeline.document import Block, Document, Edit, Flag, Sentence, Token, restore_text, walk_edits
from pipeline.errors import InputError
from pipeline.io.files import open_text
from pipeline.stages.decode import encode_text, text_codec

SCHEMA_VERSION = 2
TokenLayout = Literal["rows", "columns"]
TOKEN_LAYOUTS: tuple[TokenLayout, ...] = ("columns", "rows")
# the fields of a token, in the order the record writes them (one key per row, one column per field)
TOKEN_FIELDS = ("surface", "lemma", "pos", "reading", "start", "end", "orig_start", "orig_end")


class TokenRow(TypedDict):
    """One token (schema 1, or schema 2 written with ``token_layout="rows"``); offsets: cleaned, then original."""

    surface: str
    lemma: str
    pos: str
    reading: str
    start: int
    end: int
    orig_start: int
    orig_end: int


class TokenColumns(TypedDict):
    """The tokens of a sentence, one list per field, all of the same length (schema 2's default)."""

    surface: list[str]
    lemma: list[str]
    pos: list[str]
    reading: list[str]
    start: list[int]
    end: list[int]
    orig_start: list[int]
    orig_end: list[int]


class SentenceRecord(TypedDict):
    """A sentence with text left: span in the cleaned text and in the original, its tokens."""

    index: int
    block: int
    start: int
    end: int
    orig_start: int
    orig_end: int
    text: str
    tokens: list[TokenRow] | TokenColumns


class RemovedSentence(TypedDict):
    """A sentence of the segmentation with no text left, and the ``stage/rule`` of the edits that removed it."""

    index: int
    block: int
    orig_start: int
    orig_end: int
    text: str
    by: list[str]


# a whole record: a JSON object (field by field in docs/schema.md)
Record = dict[str, Any]


# -- JSON encoding: orjson where it gives the stdlib's bytes, the stdlib elsewhere -----------------

_stdlib_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@lru_cache(maxsize=1)
def _fast_encoder() -> tuple[Callable[[Any], bytes], type[Exception]] | None:
    """orjson's ``dumps`` and its error, or None without orjson (then the stdlib encodes everything).

    Imported on first use: ``restore`` and ``diff`` never encode, and orjson's
    import costs about 20 ms.  Types orjson would encode where the stdlib
    refuses or writes otherwise (dataclasses, datetimes, subclasses of str or
    int) make it raise, so the stdlib decides for them.
    """
    try:
        import orjson
    except ImportError:  # orjson is a dependency; the stdlib encoder gives the same bytes, slower
        return None
    option = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS

    def dumps(value: Any) -> bytes:
        return orjson.dumps(value, option=option)

    return dumps, orjson.JSONEncodeError


_SCALARS = (str, int, bool, type(None))


def _float_as_repr(x: float) -> bool:
    """Does orjson write ``x`` as the stdlib does (``repr``)?

    Both give the shortest digits that read back as ``x``; they differ only in
    the form: orjson writes a magnitude below 1e-4 without an exponent
    (``1e-05`` as ``0.00001``) and NaN and the infinities as ``null``.  Zero and
    every finite float from 1e-4 on come out alike (checked on millions of
    random floats and every boundary, ``tests/test_source_cost_levers.py``).
    NaN fails both tests.
    """
    return x == 0.0 or 1e-4 <= abs(x) < 1e16


def _no_floats(value: Any) -> bool:
    """Does ``value`` hold only dicts, lists, strings, integers, booleans, None and floats orjson writes alike?

    orjson writes some floats differently (``1e-05`` as ``0.00001``, NaN as
    ``null``), so a value with such a float goes to the stdlib encoder; the
    others (a bead's score, a stage's seconds) keep the record on orjson.
    """
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is dict:
        return all(type(v) in _SCALARS or _no_floats(v) for v in value.values())
    if kind is list or kind is tuple:
        return all(type(v) in _SCALARS or _no_floats(v) for v in value)
    if kind is float:
        return _float_as_repr(value)
    return False  # a type orjson may treat otherwise (a float subclass too): the stdlib decides


def encode_json(value: Any, plain: bool = False) -> str:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``, byte for byte, made faster.

    orjson encodes a value without floats it would write otherwise (:func:`_float_as_repr`); a lone surrogate, an integer past
    64 bits, a non-string key or a subclass makes orjson refuse, and the
    stdlib then encodes it.  ``plain``: the caller built ``value`` from
    strings and integers only (a sentence's row), so the float check is skipped.

    >>> encode_json({"a": [1, "é\\n", None]}), encode_json({"s": 1e-05})
    ('{"a":[1,"é\\\\n",null]}', '{"s":1e-05}')
    """
    fast = _fast_encoder()
    if fast is not None and (plain or _no_floats(value)):
        dumps, error = fast
        try:
            return dumps(value).decode()
        except error:  # a lone surrogate, an integer past 64 bits, a subclass, a non-str key
            pass
    return _stdlib_dumps(value)


def encode_json_bytes(value: Any, plain: bool = False) -> bytes | str:
    """:func:`encode_json` as UTF-8 bytes, without decoding orjson's bytes and encoding them again.

    A value whose JSON text cannot be UTF-8 (a lone surrogate, which orjson
    refuses and the stdlib writes) stays the stdlib's ``str``: writing it
    fails where and as writing that text always failed (a document's output
    error, not a crash here).

    >>> encode_json_bytes({"a": [1, "é"]}), encode_json_bytes({"s": 1e-05}), encode_json_bytes(["\\ud800"])
    (b'{"a":[1,"\\xc3\\xa9"]}', b'{"s":1e-05}', '["\\ud800"]')
    """
    fast = _fast_encoder()
    if fast is not None and (plain or _no_floats(value)):
        dumps, error = fast
        try:
            return dumps(value)
        except error:  # a lone surrogate, an integer past 64 bits, a subclass, a non-str key
            pass
    return _encode_with_stdlib(value)


def _encode_with_stdlib(value: Any) -> bytes | str:
    """The stdlib encoder's text as UTF-8 bytes, or as ``str`` where it cannot be UTF-8 (:func:`encode_json_bytes`)."""
    text = _stdlib_dumps(value)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text


# -- tokens ------------------------------------------------------------------------------------------


def token_record(doc: Document, t: Token) -> TokenRow:
    cs, ce = doc.span_to_cleaned(t.start, t.end)
    if cs >= ce:
        # a piece of a rewritten span (アルター + マン -> one new spelling): take the
        # whole replacement; the caller merges the pieces into one token
        wide = doc.to_cleaned(t.start, "left"), doc.to_cleaned(t.end, "right")
        if wide[1] > wide[0] and doc.text[wide[0] : wide[1]].strip():
            cs, ce = wide
    return {
        "surface": doc.text[cs:ce],
        "lemma": t.lemma,
        "pos": t.pos,
        "reading": t.reading,
        "start": cs,
        "end": ce,
        "orig_start": t.start,
        "orig_end": t.end,
    }


def cleaned_tokens(doc: Document, tokens: list[Token]) -> list[TokenRow]:
    """Token records in the cleaned text, one dict per token (the ``rows`` layout).

    Tokens wholly removed are dropped; tokens rewritten by one edit (a variant
    spelling over two UniDic pieces, say) become one token carrying the new
    text, so the surfaces always rebuild the cleaned sentence.
    """
    if not tokens:
        return []
    shift = _constant_shift(doc, tokens)
    if shift is not None:
        return [
            {
                "surface": t.surface,
                "lemma": t.lemma,
                "pos": t.pos,
                "reading": t.reading,
                "start": t.start + shift,
                "end": t.end + shift,
                "orig_start": t.start,
                "orig_end": t.end,
            }
            for t in tokens
        ]
    return _edited_tokens(doc, tokens)


def _constant_shift(doc: Document, tokens: list[Token]) -> int | None:
    """cleaned - original offset of every token, when no edit touches them (the common case); else None."""
    start, end = tokens[0].start, tokens[-1].end
    if doc.overlaps_edit(start, end):
        return None
    return doc.to_cleaned(start, "right") - start


def _edited_tokens(doc: Document, tokens: list[Token]) -> list[TokenRow]:
    """Token records of a sentence an edit touches: deleted tokens dropped, pieces of one rewrite merged."""
    text = doc.text
    out: list[TokenRow] = []
    last_end = -1
    for t in tokens:
        rec = token_record(doc, t)
        cs, ce = rec["start"], rec["end"]
        if cs >= ce:
            continue  # deleted
        if cs < last_end:
            # shares a rewritten region with the previous token: merge into it
            prev = out[-1]
            prev["end"] = max(prev["end"], ce)
            prev["orig_end"] = t.end
            prev["surface"] = text[prev["start"] : prev["end"]]
            last_end = prev["end"]
            continue
        out.append(rec)
        last_end = ce
    return out


def cleaned_token_columns(doc: Document, tokens: list[Token]) -> TokenColumns:
    """The same tokens as :func:`cleaned_tokens`, as columns: one list per field, no dict per token.

    >>> from pipeline.run import clean_text
    >>> doc = clean_text("<b>犬</b>が走る。")
    >>> cols = cleaned_token_columns(doc, doc.sentences[0].tokens)
    >>> cols["surface"], cols["start"], cols["orig_start"]
    (['犬', 'が', '走る', '。'], [0, 1, 2, 4], [3, 8, 9, 11])
    >>> token_rows({"tokens": cols}) == cleaned_tokens(doc, doc.sentences[0].tokens)
    True
    """
    if not tokens:
        return {field: [] for field in TOKEN_FIELDS}  # type: ignore[return-value]
    shift = _constant_shift(doc, tokens)
    if shift is None:  # an edit inside the sentence: the rare path, through the rows
        return token_columns(_edited_tokens(doc, tokens))
    # one transposition in C reads each token once (six list(map(attrgetter)) passes read it six
    # times: 2x the time on the dev texts' sentences); no tuple or dict per token
    orig_start, orig_end, surface, lemma, pos, reading = map(list, zip(*tokens, strict=True))
    return {
        "surface": surface,
        "lemma": lemma,
        "pos": pos,
        "reading": reading,
        "start": list(map(shift.__add__, orig_start)) if shift else orig_start[:],
        "end": list(map(shift.__add__, orig_end)) if shift else orig_end[:],
        "orig_start": orig_start,
        "orig_end": orig_end,
    }


def token_columns(rows: Iterable[TokenRow]) -> TokenColumns:
    """Rows of tokens -> columns (the inverse of :func:`token_rows`)."""
    cols: dict[str, list[Any]] = {field: [] for field in TOKEN_FIELDS}
    appends = [(field, cols[field].append) for field in TOKEN_FIELDS]
    for row in rows:
        for field, append in appends:
            append(row[field])  # type: ignore[literal-required]
    return cols  # type: ignore[return-value]


def token_rows(sentence: dict[str, Any]) -> list[TokenRow]:
    """The tokens of a record's sentence as one dict per token, whichever layout the file has.

    Schema 1 (and schema 2 written with ``token_layout="rows"``) stores a list
    of dicts; schema 2's default stores columns.  A column layout whose lists
    differ in length is refused (``ValueError``).

    >>> token_rows({"tokens": {"surface": ["犬"], "lemma": ["犬"], "pos": ["名詞"], "reading": ["イヌ"],
    ...     "start": [0], "end": [1], "orig_start": [3], "orig_end": [4]}})
    [{'surface': '犬', 'lemma': '犬', 'pos': '名詞', 'reading': 'イヌ', 'start': 0, 'end': 1, 'orig_start': 3, 'orig_end': 4}]
    >>> token_rows({"tokens": []}), token_rows({})
    ([], [])
    """
    tokens = sentence.get("tokens") or []
    if isinstance(tokens, list):
        return tokens
    return [dict(zip(TOKEN_FIELDS, values, strict=True)) for values in _column_lists(tokens)]  # type: ignore[misc]


def token_tuples(sentence: dict[str, Any]) -> Iterator[tuple[str, str, str, str, int, int, int, int]]:
    """The tokens of a record's sentence as ``(surface, lemma, pos, reading, start, end, orig_start, orig_end)``.

    Either layout, no dict per token (what a reader looping over many tokens wants).

    >>> list(token_tuples({"tokens": [{"surface": "犬", "lemma": "犬", "pos": "名詞", "reading": "イヌ",
    ...     "start": 0, "end": 1, "orig_start": 3, "orig_end": 4}]}))
    [('犬', '犬', '名詞', 'イヌ', 0, 1, 3, 4)]
    """
    tokens = sentence.get("tokens") or []
    if isinstance(tokens, list):
        return map(_ROW_VALUES, tokens)
    return _column_lists(tokens)


_ROW_VALUES = itemgetter(*TOKEN_FIELDS)


def _column_lists(tokens: Any) -> Iterator[tuple[Any, ...]]:
    """The token columns, checked, zipped into one tuple per token."""
    if not isinstance(tokens, dict):
        raise ValueError(f"'tokens' is neither a list nor columns but {type(tokens).__name__}")
    columns = [tokens.get(field, ()) for field in TOKEN_FIELDS]
    if any(not isinstance(c, list) for c in columns):
        raise ValueError("token columns are not all lists")
    n = len(columns[0])
    if any(len(c) != n for c in columns):
        raise ValueError("token columns differ in length")
    return zip(*columns, strict=True)


def with_token_rows(rec: Record) -> Record:
    """A shallow copy of a record whose sentences hold their tokens as rows (what schema 1 readers expect)."""
    sentences = rec.get("sentences")
    if not isinstance(sentences, list) or all(isinstance(s.get("tokens", []), list) for s in sentences):
        return rec
    out = dict(rec)
    out["sentences"] = [{**s, "tokens": token_rows(s)} for s in sentences]
    return out


# -- the record ----------------------------------------------------------------------------------------


def _check_layout(token_layout: str) -> None:
    if token_layout not in TOKEN_LAYOUTS:
        raise ValueError(f"unknown token layout {token_layout!r} (rows or columns)")


def document_record(doc: Document, token_layout: TokenLayout = "columns") -> Record:
    """Everything about one cleaned document, as a JSON-ready dict (schema 2, docs/schema.md)."""
    _check_layout(token_layout)
    text = doc.text
    removed: list[RemovedSentence] = []
    rows = list(_sentence_rows(doc, text, token_layout=token_layout, removed=removed))
    return _record(doc, text, rows, removed)


def _sentence_rows(
    doc: Document,
    text: str,
    release_tokens: bool = False,
    token_layout: TokenLayout = "columns",
    removed: list[RemovedSentence] | None = None,
) -> Iterator[SentenceRecord]:
    """The record's row of each sentence with text left; ``release_tokens`` empties each sentence's tokens once read.

    The sentences with no text left go to ``removed`` (when given).
    """
    tokens_of = cleaned_token_columns if token_layout == "columns" else cleaned_tokens
    span_to_cleaned = doc.span_to_cleaned
    removal_rules = None
    for i, s in enumerate(doc.sentences):
        cs, ce = span_to_cleaned(s.start, s.end)
        row_text = text[cs:ce]
        if not row_text or row_text.isspace():
            if removed is not None:
                if removal_rules is None:
                    removal_rules = _RemovalRules(doc.edits)
                removed.append(
                    {
                        "index": i,
                        "block": s.block,
                        "orig_start": s.start,
                        "orig_end": s.end,
                        "text": doc.original[s.start : s.end],
                        "by": removal_rules(s.start, s.end),
                    }
                )
            continue
        row: SentenceRecord = {
            "index": i,
            "block": s.block,
            "start": cs,
            "end": ce,
            "orig_start": s.start,
            "orig_end": s.end,
            "text": row_text,
            "tokens": tokens_of(doc, s.tokens),
        }
        if release_tokens:
            s.tokens = []
        yield row


class _RemovalRules:
    """``stage/rule`` of the top-level edits touching an original span, each once, in order."""

    def __init__(self, edits: list[Edit]) -> None:
        self.edits = edits
        self.ends = [e.end for e in edits]  # sorted: edits are sorted and do not overlap

    def __call__(self, start: int, end: int) -> list[str]:
        out: list[str] = []
        i = bisect.bisect_right(self.ends, start)
        while i < len(self.edits) and self.edits[i].start < end:
            e = self.edits[i]
            name = f"{e.stage}/{e.rule}"
            if e.start < e.end and name not in out:
                out.append(name)
            i += 1
        return out


def _record(doc: Document, text: str, sentences: Any, removed: Any) -> Record:
    return {
        "schema": SCHEMA_VERSION,
        "id": doc.id,
        "source": doc.source,
        "sha256": doc.meta.get("sha256", ""),
        "encoding": doc.meta.get("encoding", "utf-8"),
        "bom": bool(doc.meta.get("bom", False)),
        "chars_in": len(doc.original),
        "chars_out": len(text),
        "text": text,
        "edits": [e.to_json() for e in doc.edits],
        "blocks": [
            {"index": i, "start": b.start, "end": b.end, "paragraph": b.paragraph, "label": b.label}
            for i, b in enumerate(doc.blocks)
        ],
        "sentences": sentences,
        "removed_sentences": removed,
        "flags": [f.to_json() for f in doc.flags],
        "annotations": doc.annotations,
        "stats": doc.stats,
    }


# fields built here from the document model's typed fields (int offsets, str texts): no float to look for
_PLAIN_FIELDS = frozenset({"edits", "blocks", "removed_sentences", "flags"})


def record_json_parts(
    doc: Document, seconds: bool = True, release_tokens: bool = False, token_layout: TokenLayout = "columns"
) -> tuple[list[str], int]:
    """The record's JSON line (no "\\n") as pieces to write one after the other, and its number of sentences.

    ``"".join(parts)`` is exactly ``json.dumps(document_record(doc, token_layout), ensure_ascii=False,
    separators=(",", ":"))`` (without the stages' ``seconds`` when ``seconds`` is false), but the
    whole record is never a dict nor one string: the sentences are encoded in runs of rows (about
    ``_RUN_CHARS`` characters of text each), so a long document's peak memory is not the record's
    dict plus the encoder's chunks plus the string.
    ``release_tokens`` empties each sentence's tokens once encoded (the document is done with).
    The pieces of :func:`record_json_bytes`, decoded; a writer of UTF-8 should take those.

    >>> from pipeline.run import clean_text
    >>> doc = clean_text("東京で会議があった。会議は長かった。")
    >>> parts, n = record_json_parts(doc)
    >>> "".join(parts) == json.dumps(document_record(doc), ensure_ascii=False, separators=(",", ":")), n
    (True, 2)
    """
    pieces, n = record_json_bytes(doc, seconds, release_tokens, token_layout)
    return [p if type(p) is str else p.decode() for p in pieces], n


def record_json_bytes(
    doc: Document, seconds: bool = True, release_tokens: bool = False, token_layout: TokenLayout = "columns"
) -> tuple[list[bytes | str], int]:
    """:func:`record_json_parts` as UTF-8 bytes, each piece as orjson gave it (never decoded, never joined).

    A piece is ``str`` only where its text cannot be UTF-8 (a lone surrogate,
    see :func:`encode_json_bytes`); :func:`pipeline.batch.sinks.write_record`
    encodes such a piece as it writes, and fails there as a text file would.

    >>> from pipeline.run import clean_text
    >>> doc = clean_text("東京で会議があった。会議は長かった。")
    >>> pieces, n = record_json_bytes(doc)
    >>> b"".join(pieces).decode() == "".join(record_json_parts(doc)[0]), n
    (True, 2)
    """
    _check_layout(token_layout)
    text = doc.text
    removed: list[RemovedSentence] = []
    rec = _record(doc, text, None, removed)
    if not seconds:
        rec["stats"] = {stage: {k: v for k, v in st.items() if k != "seconds"} for stage, st in rec["stats"].items()}
    keys = list(rec)
    at = keys.index("sentences")
    # the fields before the sentences in one object, its "}" cut
    head = {k: rec[k] for k in keys[:at]}
    parts: list[bytes | str] = [
        _affix("", _encode_fields(head), 0, -1, ',"sentences":[') if head else b'{"sentences":['
    ]
    # the sentences in runs of rows, one list encoded per run, its brackets cut: one encoder call
    # per run instead of one per sentence (the calls and their decodes were a third of the record)
    n = 0
    run: list[SentenceRecord] = []
    run_chars = 0
    for row in _sentence_rows(doc, text, release_tokens, token_layout, removed):
        run.append(row)
        run_chars += len(row["text"])
        if run_chars >= _RUN_CHARS:
            parts.append(_affix("," if n else "", encode_json_bytes(run, plain=True), 1, -1, ""))
            n += len(run)
            run, run_chars = [], 0
    if run:
        parts.append(_affix("," if n else "", encode_json_bytes(run, plain=True), 1, -1, ""))
        n += len(run)
    # removed_sentences follows sentences: filled while they were encoded
    tail = {k: rec[k] for k in keys[at + 1 :]}
    parts.append(_affix("],", _encode_fields(tail), 1, None, "") if tail else b"]}")
    return parts, n


def _affix(before: str, piece: bytes | str, start: int, stop: int | None, after: str) -> bytes | str:
    """``before + piece[start:stop] + after``, in the piece's own type (ASCII affixes)."""
    if type(piece) is str:
        return before + piece[start:stop] + after
    return before.encode() + piece[start:stop] + after.encode()


def _encode_fields(fields: Record) -> bytes | str:
    """:func:`encode_json_bytes` of some of the record's fields, their floats looked for once, by :func:`_plain`.

    Fields holding a float orjson writes otherwise go to the stdlib straight away: asking
    ``encode_json_bytes`` to look again would walk every field, the alignment's scores too, before
    the stats' tiny seconds (``--timings``) answered no.
    """
    return encode_json_bytes(fields, plain=True) if _plain(fields) else _encode_with_stdlib(fields)


def _plain(fields: Record) -> bool:
    """Do the record's ``fields`` hold no float orjson writes otherwise?  Those of :data:`_PLAIN_FIELDS` are not
    looked into; the annotations (the largest, the beads' scores) last, so a stage's tiny seconds in the stats
    (``--timings``: 7e-06 goes to the stdlib) answer before the whole alignment is walked."""
    return all(k in _PLAIN_FIELDS or k == "annotations" or _no_floats(v) for k, v in fields.items()) and (
        "annotations" not in fields or _no_floats(fields["annotations"])
    )


# the sentences of a record are encoded in runs of about this many characters of text (a run's
# JSON is about 50x that: tokens, offsets): few encoder calls, and a long document's record is
# never one string
_RUN_CHARS = 4096


def write_records(records: list[Record], out: IO[str]) -> None:
    for rec in records:
        out.write(encode_json(rec))
        out.write("\n")


def read_records(path: str, stream: IO[str] | None = None, token_layout: TokenLayout | None = None) -> Iterator[Record]:
    """Annotation records of a file (``-`` for stdin), with one-line errors.

    ``token_layout="rows"`` gives every sentence's tokens as rows whatever the
    file holds (:func:`with_token_rows`); None leaves them as written.
    """
    for _, rec in read_numbered_records(path, stream):
        yield with_token_rows(rec) if token_layout == "rows" else rec


def read_numbered_records(path: str, stream: IO[str] | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) of an annotation file, with one-line errors (a binary file is one too)."""
    fh = stream if stream is not None else open_text(path)
    lineno = 0
    try:
        for lineno, line in enumerate(fh, 1):  # noqa: B007 - lineno used in the error below
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(
                    path, f"line {lineno}: not JSON ({exc.msg.removesuffix(' at')} at column {exc.pos + 1})"
                ) from None
            if not isinstance(rec, dict) or "text" not in rec or "edits" not in rec:
                raise InputError(path, f"line {lineno}: not an annotation record (needs 'text' and 'edits')")
            yield lineno, rec
    except UnicodeDecodeError as exc:
        raise InputError(path, f"line {lineno + 1}: not UTF-8 text at byte {exc.start} (a binary file?)") from None
    except (OSError, EOFError) as exc:  # a damaged .gz
        raise InputError(path, f"unreadable after line {lineno}: {exc}") from None
    finally:
        if stream is None:
            fh.close()


def _check_edit(e: Any, n: int) -> Edit:
    if not isinstance(e, dict):
        raise ValueError(f"edit {n} is not an object")
    for key in ("start", "end"):
        if not isinstance(e.get(key), int) or isinstance(e.get(key), bool):
            raise ValueError(f"edit {n}: {key!r} is not an integer")
    for key in ("old", "new"):
        if not isinstance(e.get(key), str):
            raise ValueError(f"edit {n}: {key!r} is not a string")
    if not 0 <= e["start"] <= e["end"]:
        raise ValueError(f"edit {n}: span {e['start']}..{e['end']} is not a span")
    if len(e["old"]) != e["end"] - e["start"]:
        raise ValueError(f"edit {n}: 'old' holds {len(e['old'])} characters for a span of {e['end'] - e['start']}")
    sup = e.get("supersedes", [])
    if not isinstance(sup, list):
        raise ValueError(f"edit {n}: 'supersedes' is not a list")
    return Edit(
        e["start"],
        e["end"],
        e["old"],
        e["new"],
        str(e.get("stage", "")),
        str(e.get("rule", "")),
        str(e.get("reason", "")),
        tuple(_check_edit(inner, k) for k, inner in enumerate(sup)),
    )


def check_record(rec: dict[str, Any]) -> list[Edit]:
    """The edits of a record whose fields can rebuild an original; ``ValueError`` says what is wrong.

    ``text`` a string, ``edits`` a list of well-formed edits, sorted, not
    overlapping, within the original (whose length is the text's plus the
    edits' deltas), and a known text ``encoding``.
    """
    if not isinstance(rec.get("text"), str):
        raise ValueError("'text' is not a string")
    if not isinstance(rec.get("edits"), list):
        raise ValueError("'edits' is not a list")
    encoding = rec.get("encoding", "utf-8")
    if not isinstance(encoding, str) or text_codec(encoding) is None:
        raise ValueError(f"unknown text encoding {encoding!r}")
    edits = [_check_edit(e, n) for n, e in enumerate(rec["edits"])]
    end = 0
    for n, e in enumerate(edits):
        if e.start < end:
            raise ValueError(f"edit {n} at {e.start} overlaps the edit before it or is out of order")
        end = e.end
    length = len(rec["text"]) - sum(len(e.new) - len(e.old) for e in edits)
    if end > length:
        raise ValueError(f"an edit ends at {end}, after the end of the original ({length} characters)")
    return edits


def restore_record(rec: dict[str, Any], source: str = "", verify: bool = True) -> bytes:
    """The original bytes of one annotation record, checked against its SHA-256.

    A record without ``sha256`` is refused unless ``verify`` is false: nothing
    would tell a tampered text from the original.
    """
    where = source or str(rec.get("source", "?"))
    name = f"record {rec.get('id')!r}"
    try:
        edits = check_record(rec)
        text = restore_text(rec["text"], edits)
        data = encode_text(text, text_codec(rec.get("encoding", "utf-8")) or "utf-8", bool(rec.get("bom")))
    except (ValueError, UnicodeError) as exc:
        raise InputError(where, f"{name}: {exc}") from None
    want = rec.get("sha256")
    if verify and not want:
        raise InputError(where, f"{name}: no sha256 to check the restored text against (--no-verify to accept)")
    if verify and hashlib.sha256(data).hexdigest() != want:
        raise InputError(where, f"{name}: restored text does not match its SHA-256")
    return data


# -- records back into documents ---------------------------------------------------------------------


def resegment(original: str, edits: list[Edit]) -> tuple[list[Block], list[Sentence]]:
    """Blocks and sentences as the pipeline found them: segmentation of the text after markup.

    Only for schema 1, whose record lists live sentences only: the ``segment``
    stage runs right after ``markup``, so applying only the markup edits
    (superseded ones included) and segmenting gives back the sentences the
    record does not list (removed ones).  Schema 2 lists them
    (``removed_sentences``).
    """
    from pipeline.stages.segment import segment_document  # only schema 1 needs the segmenter

    probe = Document(original)
    markup = [e for e in walk_edits(edits) if e.stage == "markup"]
    markup = [Edit(e.start, e.end, e.old, e.new, e.stage, e.rule, e.reason) for e in markup]
    if markup:
        probe.add_edits(markup)
    segment_document(probe)
    return probe.blocks, probe.sentences


def merge_sentences(kept: list[Sentence], found: list[Sentence]) -> list[Sentence]:
    """``kept`` plus the sentences of ``found`` that overlap none of them, in order.

    >>> merge_sentences([Sentence(0, 3, 0)], [Sentence(0, 2, 0), Sentence(3, 5, 0)])
    [Sentence(start=0, end=3, block=0, tokens=[], quoted=False), Sentence(start=3, end=5, block=0, tokens=[], quoted=False)]
    """
    spans = sorted((s.start, s.end) for s in kept)
    starts = [a for a, _ in spans]
    extra = []
    for s in found:
        i = bisect.bisect_left(starts, s.end)  # kept sentences starting before s ends
        if i == 0 or spans[i - 1][1] <= s.start:
            extra.append(s)
    return sorted(kept + extra, key=lambda s: (s.start, s.end))


def document_from_record(rec: Record, source: str = "", resegment_schema1: bool = True) -> Document:
    """A :class:`~pipeline.document.Document` rebuilt from one annotation record (schema 1 or 2).

    The original comes back from ``text`` + ``edits`` (checked:
    :class:`~pipeline.errors.InputError` names what is wrong), with the
    edits (superseded ones inside), ``blocks`` with their labels, every
    sentence of the segmentation (removed ones too), ``flags``,
    ``annotations``, ``stats`` and the ``sha256``/``encoding``/``bom`` meta.
    Sentences carry no tokens (the record's tokens are in cleaned offsets).

    Schema 2 lists the removed sentences; a schema 1 record does not, and
    they are found again by segmenting the text after markup
    (:func:`resegment`), unless ``resegment_schema1`` is false: then only
    the record's live sentences and blocks (enough to count or compare
    sentences, as the boilerplate pass does).

    >>> from pipeline.run import clean_text
    >>> doc = clean_text("同じ文。同じ文。<b>別</b>の文。")
    >>> back = document_from_record(document_record(doc))
    >>> back.original == doc.original, back.text == doc.text, back.edits == doc.edits
    (True, True, True)
    >>> [(s.start, s.end) for s in back.sentences] == [(s.start, s.end) for s in doc.sentences]
    True
    """
    name = source or str(rec.get("source", "?"))
    try:
        edits = check_record(rec)
        original = restore_text(rec["text"], edits)
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(name, f"record {rec.get('id')!r}: {exc}") from None
    doc = Document(original, id=str(rec.get("id", "")), source=str(rec.get("source", "")) or name)
    doc.meta.update({k: rec[k] for k in ("sha256", "encoding", "bom") if k in rec})
    doc.add_edits(edits)
    recorded = rec.get("sentences") or []
    removed = rec.get("removed_sentences")
    if isinstance(removed, list):  # schema 2: every sentence and block is in the record
        rows = sorted([*recorded, *removed], key=lambda r: (r.get("index", -1), r["orig_start"]))
        doc.sentences = [Sentence(r["orig_start"], r["orig_end"], r.get("block", 0)) for r in rows]
        doc.blocks = _record_blocks(rec)
    elif not resegment_schema1:
        doc.sentences = [Sentence(r["orig_start"], r["orig_end"], r.get("block", 0)) for r in recorded]
        doc.blocks = _record_blocks(rec)
    else:
        blocks, sentences = resegment(original, edits)
        if all(
            0 <= r.get("index", -1) < len(sentences)
            and (sentences[r["index"]].start, sentences[r["index"]].end) == (r.get("orig_start"), r.get("orig_end"))
            for r in recorded
        ):
            doc.sentences = sentences
        else:  # written by another segmenter: keep what the file says, add the removed ones found now
            kept = [Sentence(r["orig_start"], r["orig_end"], r.get("block", 0)) for r in recorded]
            doc.sentences = merge_sentences(kept, sentences)
        labels = {(b.get("start"), b.get("end")): b.get("label", "body") for b in rec.get("blocks") or []}
        for b in blocks:
            b.label = labels.get((b.start, b.end), b.label)
        doc.blocks = blocks
    doc.flags = [Flag(f["start"], f["end"], f["stage"], f["rule"], f["reason"]) for f in rec.get("flags") or []]
    doc.annotations = dict(rec.get("annotations") or {})
    doc.stats = dict(rec.get("stats") or {})
    return doc


def _record_blocks(rec: Record) -> list[Block]:
    return [Block(b["start"], b["end"], b["paragraph"], b.get("label", "body")) for b in rec.get("blocks") or []]

"""The annotation file: JSON Lines, one document per line.

Each line is one JSON object with stable field names (see README, "Annotation
file"), so ``json.loads`` per line, ``datasets.load_dataset("json", ...)`` and
``pandas.read_json(lines=True)`` all read it.  The cleaned ``text`` plus the
``edits`` give back the original exactly (:func:`restore_record`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import IO, Any

from pipeline.document import Document, Edit, Token, restore_text
from pipeline.errors import InputError
from pipeline.io.files import open_text
from pipeline.stages.decode import encode_text, text_codec

SCHEMA_VERSION = 1


def token_record(doc: Document, t: Token) -> dict[str, Any]:
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


def cleaned_tokens(doc: Document, tokens: list[Token]) -> list[dict[str, Any]]:
    """Token records in the cleaned text.

    Tokens wholly removed are dropped; tokens rewritten by one edit (a variant
    spelling over two UniDic pieces, say) become one token carrying the new
    text, so the surfaces always rebuild the cleaned sentence.
    """
    if not tokens:
        return []
    text = doc.text
    start, end = tokens[0].start, tokens[-1].end
    if not doc.overlaps_edit(start, end):
        # no edit inside: every token moves by the same amount (the common case)
        shift = doc.to_cleaned(start, "right") - start
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
    out: list[dict[str, Any]] = []
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


def document_record(doc: Document) -> dict[str, Any]:
    """Everything about one cleaned document, as a JSON-ready dict."""
    text = doc.text
    return _record(doc, text, list(_sentence_rows(doc, text)))


def _sentence_rows(doc: Document, text: str, release_tokens: bool = False) -> Iterator[dict[str, Any]]:
    """The record's row of each sentence with text left; ``release_tokens`` empties each sentence's tokens once read."""
    for i, s in enumerate(doc.sentences):
        cs, ce = doc.span_to_cleaned(s.start, s.end)
        if not text[cs:ce].strip():
            continue
        row = {
            "index": i,
            "block": s.block,
            "start": cs,
            "end": ce,
            "orig_start": s.start,
            "orig_end": s.end,
            "text": text[cs:ce],
            "tokens": cleaned_tokens(doc, s.tokens),
        }
        if release_tokens:
            s.tokens = []
        yield row


def _record(doc: Document, text: str, sentences: Any) -> dict[str, Any]:
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
        "flags": [f.to_json() for f in doc.flags],
        "annotations": doc.annotations,
        "stats": doc.stats,
    }


def record_json_parts(doc: Document, seconds: bool = True, release_tokens: bool = False) -> tuple[list[str], int]:
    """The record's JSON line (no "\\n") as pieces to write one after the other, and its number of sentences.

    ``"".join(parts)`` is exactly ``json.dumps(document_record(doc), ensure_ascii=False,
    separators=(",", ":"))`` (without the stages' ``seconds`` when ``seconds`` is false), but the
    whole record is never a dict nor one string: each sentence is encoded on its own, so a long
    document's peak memory is not the record's dict plus the encoder's chunks plus the string.
    ``release_tokens`` empties each sentence's tokens once encoded (the document is done with).

    >>> from pipeline.run import clean_text
    >>> doc = clean_text("東京で会議があった。会議は長かった。")
    >>> parts, n = record_json_parts(doc)
    >>> "".join(parts) == json.dumps(document_record(doc), ensure_ascii=False, separators=(",", ":")), n
    (True, 2)
    """
    text = doc.text
    rec = _record(doc, text, None)
    if not seconds:
        rec["stats"] = {stage: {k: v for k, v in st.items() if k != "seconds"} for stage, st in rec["stats"].items()}
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    parts: list[str] = []
    n = 0
    for key, value in rec.items():
        parts.append(("{" if not parts else ",") + dumps(key) + ":")
        if key != "sentences":
            parts.append(dumps(value))
            continue
        parts.append("[")
        for row in _sentence_rows(doc, text, release_tokens):
            parts.append(("," if n else "") + dumps(row))
            n += 1
        parts.append("]")
    parts.append("}")
    return parts, n


def write_records(records: list[dict[str, Any]], out: IO[str]) -> None:
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")


def read_records(path: str, stream: IO[str] | None = None) -> Iterator[dict[str, Any]]:
    """Annotation records of a file (``-`` for stdin), with one-line errors."""
    for _, rec in read_numbered_records(path, stream):
        yield rec


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
                raise InputError(path, f"line {lineno}: not JSON ({exc.msg} at column {exc.colno})") from None
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

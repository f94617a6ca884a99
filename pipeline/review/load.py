"""Documents to review: raw text cleaned on the fly, annotation files, batch folders, file pairs.

Every input becomes a :class:`~pipeline.document.Document` with its original,
its edit log and its sentences (original offsets), so the diff, the report and
the statistics are views of one model.

* a raw text file is cleaned with the same options as ``clean``;
* an annotation file (``NAME.ann.jsonl``) gives back the original from
  ``text`` + ``edits``, and its sentences, removed ones included
  (:func:`pipeline.io.annotations.document_from_record`: schema 2 lists
  them, a schema 1 record is re-segmented);
* a folder stands for every ``*.ann.jsonl`` inside it (a batch output);
* two plain files (original, cleaned elsewhere) are re-diffed with
  rapidfuzz's opcodes (:func:`edits_from_pair`), the only place the review
  diffs two texts instead of reading an edit log.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from rapidfuzz.distance import Indel

from pipeline.document import Document, Edit
from pipeline.errors import InputError

# the record codec lives beside the writer; pipeline.from_record still finds it here
from pipeline.io.annotations import document_from_record, read_numbered_records
from pipeline.io.files import read_bytes
from pipeline.run import Config, clean_bytes
from pipeline.stages.decode import decode_bytes
from pipeline.stages.segment import segment_document

ANNOTATION_SUFFIX = ".ann.jsonl"
# what a folder stands for: the annotation files `clean` writes, plain or gzip-compressed (a corpus)
ANNOTATION_SUFFIXES = (ANNOTATION_SUFFIX, ANNOTATION_SUFFIX + ".gz")
PAIR_STAGE = "diff"
PAIR_RULE = "re-diff"
PAIR_REASON = "differs from the original (found by re-diffing the two files; no edit log)"


def is_annotation_path(path: str) -> bool:
    return path.endswith((*ANNOTATION_SUFFIXES, ".jsonl"))


def expand_paths(paths: Iterable[str]) -> list[str]:
    """Files to read: a folder stands for the ``*.ann.jsonl`` files inside it (sorted)."""
    out: list[str] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            found = sorted(
                os.path.join(root, name)
                for root, _, names in os.walk(path)
                for name in names
                if name.endswith(ANNOTATION_SUFFIXES)
            )
            if not found:
                raise InputError(path, f"folder holds no *{ANNOTATION_SUFFIX} files")
            out.extend(found)
        else:
            out.append(path)
    return out


# what a malformed optional field (blocks, sentences, flags, ...) raises while a record is rebuilt
RECORD_FIELD_ERRORS = (KeyError, TypeError, ValueError, AttributeError, IndexError)


def read_documents(path: str) -> Iterator[Document]:
    """The documents of an annotation file; a malformed record is one line naming the file and line."""
    for lineno, rec in read_numbered_records(path):
        try:
            yield document_from_record(rec, path)
        except InputError as exc:
            raise InputError(path, f"line {lineno}: {exc.message}") from None
        except RECORD_FIELD_ERRORS as exc:
            raise InputError(path, f"line {lineno}: malformed record ({type(exc).__name__}: {exc})") from None


def edits_from_pair(original: str, cleaned: str) -> list[Edit]:
    """Edits turning ``original`` into ``cleaned``, from rapidfuzz's opcodes.

    Lines are aligned first (rapidfuzz accepts lists of lines), then the
    characters inside each changed block; neighbouring changes merge into one
    edit.

    >>> [(e.start, e.end, e.old, e.new) for e in edits_from_pair("犬が<b>走る。\\n猫。\\n", "犬が走る。\\n猫。\\n")]
    [(2, 5, '<b>', '')]
    """
    a_lines = original.splitlines(keepends=True)
    b_lines = cleaned.splitlines(keepends=True)
    a_off = _line_offsets(a_lines)
    b_off = _line_offsets(b_lines)
    edits: list[Edit] = []
    for a0, a1, b0, b1 in _changed_blocks(Indel.opcodes(a_lines, b_lines)):
        edits.extend(_char_edits(original, cleaned, a_off[a0], a_off[a1], b_off[b0], b_off[b1]))
    return _merge_touching(edits, original)


def _changed_blocks(opcodes: Iterable[Any]) -> Iterator[tuple[int, int, int, int]]:
    """Runs of consecutive non-equal opcodes as (src_start, src_end, dest_start, dest_end)."""
    run: list[int] | None = None
    for op in opcodes:
        if op.tag == "equal":
            if run:
                yield run[0], run[1], run[2], run[3]
            run = None
        elif run is None:
            run = [op.src_start, op.src_end, op.dest_start, op.dest_end]
        else:
            run[1], run[3] = op.src_end, op.dest_end
    if run:
        yield run[0], run[1], run[2], run[3]


def _line_offsets(lines: list[str]) -> list[int]:
    out = [0]
    for line in lines:
        out.append(out[-1] + len(line))
    return out


def _char_edits(original: str, cleaned: str, a0: int, a1: int, b0: int, b1: int) -> list[Edit]:
    a, b = original[a0:a1], cleaned[b0:b1]
    out: list[Edit] = []
    for s0, s1, d0, d1 in _changed_blocks(Indel.opcodes(a, b)):
        s, e = a0 + s0, a0 + s1
        out.append(Edit(s, e, original[s:e], b[d0:d1], PAIR_STAGE, PAIR_RULE, PAIR_REASON))
    return out


def _merge_touching(edits: list[Edit], original: str) -> list[Edit]:
    """Join edits that touch (a deletion right before an insertion is one replacement)."""
    out: list[Edit] = []
    for e in edits:
        if out and out[-1].end == e.start:
            p = out[-1]
            out[-1] = Edit(p.start, e.end, original[p.start : e.end], p.new + e.new, p.stage, p.rule, p.reason)
        else:
            out.append(e)
    return out


def document_from_pair(original_path: str, cleaned_path: str, encoding: str = "utf-8") -> Document:
    """A document whose edits are re-diffed from an original and a cleaned file."""
    original = decode_bytes(read_bytes(original_path), original_path, encoding).text
    cleaned = decode_bytes(read_bytes(cleaned_path), cleaned_path, encoding).text
    doc = Document(original, id=os.path.basename(original_path), source=original_path)
    segment_document(doc)
    doc.stats = {}
    doc.add_edits(edits_from_pair(original, cleaned))
    return doc


def load_documents(paths: Sequence[str], config: Config | None = None, encoding: str = "utf-8") -> list[Document]:
    """Every document named by ``paths``: raw files cleaned now, annotation files, folders."""
    docs: list[Document] = []
    for path in expand_paths(paths):
        if path == "-":
            import sys

            docs.append(clean_bytes(sys.stdin.buffer.read(), "<stdin>", config, encoding, id="stdin"))
        elif is_annotation_path(path):
            if not os.path.exists(path):
                raise InputError(path, "no such file")
            docs.extend(read_documents(path))
        else:
            stem = os.path.splitext(os.path.basename(path))[0]
            docs.append(clean_bytes(read_bytes(path), path, config, encoding, id=stem))
    return docs

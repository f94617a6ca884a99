"""Documents to review: raw text cleaned on the fly, annotation files, batch folders, file pairs.

Every input becomes a :class:`~pipeline.document.Document` with its original,
its edit log and its sentences (original offsets), so the diff, the report and
the statistics are views of one model.

* a raw text file is cleaned with the same options as ``clean``;
* an annotation file (``NAME.ann.jsonl``) gives back the original from
  ``text`` + ``edits`` (:func:`document_from_record`);
* a folder stands for every ``*.ann.jsonl`` inside it (a batch output);
* two plain files (original, cleaned elsewhere) are re-diffed with
  rapidfuzz's opcodes (:func:`edits_from_pair`), the only place the review
  diffs two texts instead of reading an edit log.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from rapidfuzz.distance import Indel

from pipeline.document import Block, Document, Edit, Flag, Sentence, restore_text
from pipeline.errors import InputError
from pipeline.io.annotations import check_record, read_numbered_records
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


def flatten_edits(edits: Iterable[Edit]) -> Iterator[Edit]:
    """Every edit of a log, superseded ones included (depth first)."""
    for e in edits:
        yield e
        yield from flatten_edits(e.supersedes)


def resegment(original: str, edits: Sequence[Edit]) -> tuple[list[Block], list[Sentence]]:
    """Blocks and sentences as the pipeline found them: segmentation of the text after markup.

    The ``segment`` stage runs right after ``markup``, so applying only the
    markup edits (superseded ones included) and segmenting gives back the
    sentences the annotation file no longer lists (removed ones).
    """
    probe = Document(original)
    markup = [e for e in flatten_edits(edits) if e.stage == "markup"]
    markup = [Edit(e.start, e.end, e.old, e.new, e.stage, e.rule, e.reason) for e in markup]
    if markup:
        probe.add_edits(markup)
    segment_document(probe)
    return probe.blocks, probe.sentences


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


def document_from_record(rec: dict[str, Any], source: str = "") -> Document:
    """Rebuild a reviewable document from one annotation record."""
    name = source or str(rec.get("source", "?"))
    try:
        edits = check_record(rec)
        original = restore_text(rec["text"], edits)
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(name, f"record {rec.get('id')!r}: {exc}") from None
    doc = Document(original, id=str(rec.get("id", "")), source=str(rec.get("source", "")) or name)
    doc.meta.update({k: rec[k] for k in ("sha256", "encoding", "bom") if k in rec})
    doc.add_edits(edits)
    blocks, sentences = resegment(original, edits)
    recorded = rec.get("sentences") or []
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

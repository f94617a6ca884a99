"""The per-document work of a batch, run in a worker: a task in, an outcome out, never an exception.

A :class:`Task` is one document (a file's bytes or a corpus line's text);
:func:`clean_chunk` cleans a chunk of them with the :class:`Settings` of the
run and returns one :class:`Outcome` each: counts, or the reason it failed.

With ``--out-dir`` the worker writes the document's outputs itself
(:func:`write_outputs`): a file's outputs atomically where the parent said
(``Task.outputs``), a corpus chunk's records into one part file the parent
appends to the corpus's output in input order (``Task.parts``).  The
outcome then carries only counts, so the parent is never the bottleneck.
Without a place to write (stdout, a remote Dask cluster, a retried
document) the outcome carries the cleaned text, the record as a JSON line
and CoNLL-U, and the parent writes them.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipeline.boilerplate import BoilerplateOptions, Repeated
from pipeline.document import Document
from pipeline.errors import InputError
from pipeline.run import Config


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs besides the document; sent once per worker."""

    config: Config = field(default_factory=Config)
    encoding: str = "utf-8"
    max_chars: int = 0  # 0: no limit
    conllu: bool = False
    timings: bool = False
    boilerplate: str = "off"  # off | report (count, boilerplate.json) | remove (count first, then remove)
    boilerplate_options: BoilerplateOptions = field(default_factory=BoilerplateOptions)
    boilerplate_table: tuple[Repeated, ...] = ()  # what to remove (from the counting pass)
    boilerplate_total: int = 0  # documents counted (for the reasons)
    count_only: bool = False  # the counting pass: boilerplate keys and/or spellings returned, nothing cleaned
    count_spellings: bool = False  # the counting pass also returns each document's spellings (--tie-break batch)
    stage_progress_chars: int = 0  # a document this long reports each stage on stderr (0: never)
    fsync: bool = False  # fsync every output file a worker writes (--fsync)
    token_layout: str = "columns"  # tokens in the record: columns (one list per field) or rows (--token-layout)


@dataclass(frozen=True)
class Task:
    source: str  # the input path (the record's "source")
    id: str
    data: bytes | str  # file bytes, or a corpus line's text
    label: str = ""  # how failures name the document ("corpus.jsonl:17 (id x)")
    english: str | None = None  # the English source text, when the input has one
    outputs: tuple[str, ...] = ()  # a file's outputs, for the worker to write (ann, clean[, conllu])
    parts: tuple[str, ...] = ()  # a corpus chunk's part files, for the worker to write (records[, conllu])


@dataclass
class Outcome:
    """What a worker returns for one document."""

    label: str
    error: str = ""
    text: str = ""
    # the annotation record, one JSON line without "\n" as UTF-8 (or its pieces in order), as the
    # encoder gave it: the sinks write these bytes as they are (``record`` gives the text)
    record_bytes: bytes | list[bytes | str] = b""
    conllu: str = ""
    chars_in: int = 0
    chars_out: int = 0
    sentences: int = 0
    flags: int = 0
    superseded: int = 0
    edits: dict[str, dict[str, int]] = field(default_factory=dict)  # stage -> rule -> count
    seconds: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    batch_seconds: dict[str, float] = field(default_factory=dict)  # "record", "write" -> seconds
    keys: list[tuple[str, int, int, str]] = field(default_factory=list)  # boilerplate keys (counting pass)
    spellings: tuple[str, ...] = ()  # the distinct spellings the variants stage would see (counting pass)
    written: bool = False  # the worker wrote the file outputs (text, record and CoNLL-U are not carried)
    parts: tuple[str, ...] = ()  # the part files the worker wrote this record into (with its chunk's others)
    fatal: tuple[int, str, str] | None = None  # (errno, strerror, path): the disk failed, the run must stop

    @property
    def record(self) -> str | list[str]:
        """The record as text: one JSON line without "\\n", or its pieces in order (as before bytes were kept)."""
        r = self.record_bytes
        if type(r) is bytes:
            return r.decode()
        return [p if type(p) is str else p.decode() for p in r]  # type: ignore[union-attr]

    @record.setter
    def record(self, value: str | list[str]) -> None:
        self.record_bytes = value.encode() if isinstance(value, str) else [p.encode() for p in value]


# -- the per-document work (runs in a worker) ----------------------------------------


def count_edits(edits: list) -> tuple[dict[str, dict[str, int]], int]:
    """Edits per stage and rule, and how many earlier edits were superseded."""
    out: dict[str, dict[str, int]] = {}
    superseded = 0
    stack = list(edits)
    for e in edits:
        rules = out.setdefault(e.stage, {})
        rules[e.rule] = rules.get(e.rule, 0) + 1
    while stack:
        e = stack.pop()
        superseded += len(e.supersedes)
        stack.extend(e.supersedes)
    return out, superseded


def _describe_bug(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {os.path.basename(frame.filename)}:{frame.lineno}" if frame else ""
    return f"internal error{where}: {type(exc).__name__}: {exc}"


def clean_task(task: Task, settings: Settings) -> Outcome:
    """Clean one document; never raises (a failure is an :class:`Outcome` with ``error``)."""
    from pipeline.run import run_stages

    if settings.count_only:
        return count_task(task, settings)
    if settings.stage_progress_chars:
        return _guarded(task, lambda: _clean_reporting(task, settings))
    return _guarded(task, lambda: _finish_task(task, run_stages(_open_task(task, settings), settings.config), settings))


class StageProgress:
    """One line on stderr as each stage of a long document starts, with the seconds so far.

    The progress bar counts documents and input bytes, so one long document
    would show nothing until it ends: ``clean: big.txt (978,041 characters): variants... 4.1 s``.
    """

    def __init__(self, label: str, chars: int, stream: Any = None) -> None:
        self.head = f"clean: {label} ({chars:,} characters)"
        self.stream = stream
        self.t0 = time.perf_counter()

    def __call__(self, what: str) -> None:
        stream = self.stream or sys.stderr
        print(f"{self.head}: {what}\u2026 {time.perf_counter() - self.t0:.1f} s", file=stream, flush=True)


def _clean_reporting(task: Task, settings: Settings) -> Outcome:
    """clean_task with a line per stage when the document has ``stage_progress_chars`` or more."""
    from pipeline.run import run_stages

    doc = _open_task(task, settings)
    if len(doc.original) < settings.stage_progress_chars:
        return _finish_task(task, run_stages(doc, settings.config), settings)
    report = StageProgress(task.label or task.source, len(doc.original))
    run_stages(doc, settings.config, on_stage=report)
    report("record")
    out = _finish_task(task, doc, settings)
    report("writing")
    return out


def clean_tasks(tasks: list[Task], settings: Settings) -> list[Outcome]:
    """Clean a chunk of documents, each stage over the whole chunk before the next.

    Running a stage over several documents in a row keeps its code and MeCab's
    dictionary in the CPU caches (about 1.1-1.2x faster on the dev set).  If
    anything in the group fails, the group is cleaned again one document at a
    time, so one bad document fails alone.
    """
    from pipeline.run import run_stages_many

    if settings.count_only or len(tasks) < 2 or _has_long(tasks, settings.stage_progress_chars):
        return [clean_task(t, settings) for t in tasks]
    try:
        docs = [_open_task(t, settings) for t in tasks]
        run_stages_many(docs, settings.config)
        return [_guarded(t, lambda t=t, d=d: _finish_task(t, d, settings)) for t, d in zip(tasks, docs, strict=True)]
    except Exception:
        return [clean_task(t, settings) for t in tasks]


def _has_long(tasks: list[Task], chars: int) -> bool:
    """Does a task have ``chars`` or more (bytes count as characters here)?  Such a one reports its stages."""
    return chars > 0 and any(len(t.data) >= chars for t in tasks)


def _guarded(task: Task, work: Callable[[], Outcome]) -> Outcome:
    try:
        return work()
    except InputError as exc:
        return Outcome(task.label, error=exc.message)
    except Exception as exc:  # a bug in a stage must not end the batch
        return Outcome(task.label, error=_describe_bug(exc))


def _open_task(task: Task, settings: Settings) -> Document:
    """The task's document, decoded and checked against --max-chars, before any stage."""
    from pipeline.run import new_document
    from pipeline.stages.decode import decode_bytes

    if isinstance(task.data, bytes):
        decoded = decode_bytes(task.data, task.source, settings.encoding)
        text = decoded.text
    else:
        text = task.data
    if settings.max_chars and len(text) > settings.max_chars:
        raise InputError(task.label, too_large(f"{len(text):,} characters", settings.max_chars))
    doc = new_document(
        text,
        id=task.id or (task.source if isinstance(task.data, bytes) else ""),
        source=task.source,
        english=task.english,
    )
    if isinstance(task.data, bytes):
        doc.meta.update(sha256=hashlib.sha256(task.data).hexdigest(), encoding=decoded.encoding, bom=decoded.bom)
    return doc


def too_large(what: str, max_chars: int) -> str:
    """The one line for a document over ``--max-chars``, saying how to raise the limit.

    >>> too_large("500 characters", 100)
    'too large: 500 characters (--max-chars 100; raise it with --max-chars N, or 0 for no limit)'
    """
    return f"too large: {what} (--max-chars {max_chars:,}; raise it with --max-chars N, or 0 for no limit)"


def _finish_task(task: Task, doc: Document, settings: Settings) -> Outcome:
    """Boilerplate removal (if asked), the record, CoNLL-U and the counts of a cleaned document."""
    from pipeline.io.annotations import document_record, encode_json_bytes, record_json_bytes
    from pipeline.io.conllu import record_to_conllu

    if settings.boilerplate_table:
        from pipeline.boilerplate import remove_boilerplate

        remove_boilerplate(doc, settings.boilerplate_table, settings.boilerplate_options, settings.boilerplate_total)
    t0 = time.perf_counter()
    seconds = {stage: float(s.get("seconds", 0.0)) for stage, s in doc.stats.items()}
    edits, superseded = count_edits(doc.edits)
    if settings.conllu:
        rec = document_record(doc, token_layout=settings.token_layout)
        if not settings.timings:
            rec["stats"] = {stage: {k: v for k, v in s.items() if k != "seconds"} for stage, s in rec["stats"].items()}
        record: bytes | list[bytes | str] = encode_json_bytes(rec)
        if type(record) is str:  # a lone surrogate: written (and failing) as text, as before
            record = [record]
        conllu, sentences = record_to_conllu(rec), len(rec["sentences"])
        del rec
    else:
        # the record as pieces, each sentence encoded on its own and its tokens let go: a long
        # document never holds the record's dict, the encoder's chunks and the string at once
        record, sentences = record_json_bytes(
            doc, seconds=settings.timings, release_tokens=True, token_layout=settings.token_layout
        )
        conllu = ""
    return Outcome(
        task.label,
        text=doc.text,
        record_bytes=record,
        conllu=conllu,
        chars_in=len(doc.original),
        chars_out=len(doc.text),
        sentences=sentences,
        flags=len(doc.flags),
        superseded=superseded,
        edits=edits,
        seconds=seconds,
        batch_seconds={"record": time.perf_counter() - t0},
    )


# the stages the counting pass runs before it reads the boilerplate keys (text as the reader
# sees it, cheaply), and before it reads the spellings (what the variants stage sees)
COUNT_STAGES = ("markup", "segment", "blocks")
SPELLING_STAGES = (*COUNT_STAGES, "tokenise")


def run_prefix(doc: Document, config: Config, names: tuple[str, ...]) -> Document:
    """Run the stages of ``names`` that the run's plan holds (its ``--skip`` applies), in order."""
    from dataclasses import replace

    from pipeline.run import plan_stages, run_stages

    plan = plan_stages(config.skip, config.stages)
    bare = replace(config, skip=frozenset())  # the plan already leaves the skipped stages out
    return run_stages(doc, bare, tuple(s for s in plan if s.name in names))


def count_task(task: Task, settings: Settings) -> Outcome:
    """The counting pass over one document: its boilerplate keys (``--boilerplate``), its spellings (``--tie-break batch``).

    The boilerplate keys are read after markup removal, before tokenising;
    the spellings (:func:`~pipeline.stages.variants.spelling_counts`, each
    spelling once a document) after tokenising.  The stages run are the
    run's own (``--skip`` applies).
    """
    from pipeline.boilerplate import unit_keys
    from pipeline.document import Document
    from pipeline.stages.decode import decode_bytes

    try:
        text = task.data
        if isinstance(text, bytes):
            text = decode_bytes(text, task.source, settings.encoding).text
        if settings.max_chars and len(text) > settings.max_chars:
            return Outcome(task.label, error="too large")
        doc = Document(text, id=task.id, source=task.source)
        wanted = SPELLING_STAGES if settings.count_spellings else COUNT_STAGES  # tokenise changes no text
        run_prefix(doc, settings.config, wanted)
        out = Outcome(task.label, chars_in=len(text))
        if settings.boilerplate != "off":
            o = settings.boilerplate_options
            out.keys = unit_keys(doc, o.kinds, o.min_chars)
        if settings.count_spellings:
            from pipeline.stages.variants import spelling_counts

            out.spellings = tuple(sorted(spelling_counts(doc)))
        return out
    except InputError as exc:
        return Outcome(task.label, error=exc.message)
    except Exception as exc:  # reported by the cleaning pass
        return Outcome(task.label, error=_describe_bug(exc))


# One document at a time per process, also in a threaded Dask worker: the
# MeCab tagger (one per process) is not safe to share between threads.
_LOCK = threading.Lock()


def clean_chunk(tasks: list[Task], settings: Settings) -> list[Outcome]:
    with _LOCK:
        return write_outputs(tasks, clean_tasks(tasks, settings), settings)


def write_outputs(tasks: list[Task], outcomes: list[Outcome], settings: Settings) -> list[Outcome]:
    """Write the outputs of cleaned documents where their tasks say; what was written leaves the outcome.

    A file's outputs are written atomically one document at a time; a
    corpus chunk's records go to its part files in order.  A fault of one
    document (an odd name) fails that document; a full or read-only disk is
    ``fatal`` and nothing more is written.
    """
    from pipeline.batch.sinks import guarded_write, write_document_files, write_parts

    try:
        for task, o in zip(tasks, outcomes, strict=True):
            if task.outputs and not o.error:
                t0 = time.perf_counter()
                o.error = guarded_write(lambda task=task, o=o: write_document_files(task.outputs, o, settings.fsync))
                if not o.error:
                    o.written, o.text, o.record_bytes, o.conllu = True, "", b"", ""
                    o.batch_seconds["write"] = time.perf_counter() - t0
        groups: dict[tuple[str, ...], list[Outcome]] = {}
        for task, o in zip(tasks, outcomes, strict=True):
            if task.parts and not o.error:
                groups.setdefault(task.parts, []).append(o)
        for parts, group in groups.items():
            t0 = time.perf_counter()
            error = guarded_write(lambda parts=parts, group=group: write_parts(parts, group))
            group[0].batch_seconds["write"] = time.perf_counter() - t0  # the chunk's part, once
            for o in group:
                if error:
                    o.error = error
                else:
                    o.parts, o.record_bytes, o.conllu = parts, b"", ""
    except OSError as exc:  # a run-level fault (guarded_write let it through): the parent stops the run
        fatal = (exc.errno or 0, exc.strerror or str(exc), str(exc.filename or ""))
        for o in outcomes:
            if not o.error and not o.written and not o.parts:
                o.fatal = fatal
    return outcomes

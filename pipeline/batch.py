"""Batch cleaning: many inputs, worker processes or a Dask cluster, resumable.

The parent process streams the inputs (:mod:`pipeline.io.corpus`), cuts them
into *tasks* (one document each, grouped into small chunks), hands the chunks
to an executor, and consumes the results **in input order** with a bounded
window of chunks in flight, so memory does not grow with the corpus and the
output is the same whatever the executor or the number of jobs.

* Workers get raw bytes (a file) or text (a corpus line) and return the
  cleaned text, the annotation record as a JSON line and, if asked, CoNLL-U.
  Only the parent writes files, so a Dask cluster needs no shared disk.
* A document that fails (undecodable, longer than ``--max-chars``, an
  exception in a stage, a worker that died) becomes a failure with its path
  or id and the reason; the batch goes on.
* Every output file is written atomically (temporary file, then rename); an
  input whose outputs all exist and are newer than it is skipped by
  ``--resume``.
* Per-document timings are left out of the annotation records (they would
  make two runs differ); they are summed into ``summary.json`` instead
  (``--timings`` keeps them in the records).
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import json
import os
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from typing import IO, Any

from pipeline.boilerplate import BoilerplateOptions, Repeated, StreamingCounter
from pipeline.document import Document
from pipeline.errors import InputError, one_line
from pipeline.io.atomic import atomic_writer, fsync_folders
from pipeline.io.corpus import Input, read_corpus
from pipeline.io.files import check_regular_file, printable, read_bytes
from pipeline.io.outputs import check_name_length, may_replace
from pipeline.progress import Progress, format_rate
from pipeline.run import Config

# A chunk (one executor call) closes at this many characters or documents.
CHUNK_CHARS = 64_000
CHUNK_DOCS = 64
# Failures listed one by one in summary.json (the count is always exact).
MAX_LISTED_FAILURES = 10_000


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
    count_only: bool = False  # the counting pass: markup, segment and blocks only, keys returned


@dataclass(frozen=True)
class Task:
    source: str  # the input path (the record's "source")
    id: str
    data: bytes | str  # file bytes, or a corpus line's text
    label: str = ""  # how failures name the document ("corpus.jsonl:17 (id x)")


@dataclass
class Outcome:
    """What a worker returns for one document."""

    label: str
    error: str = ""
    text: str = ""
    record: str = ""  # the annotation record, one JSON line without "\n"
    conllu: str = ""
    chars_in: int = 0
    chars_out: int = 0
    sentences: int = 0
    flags: int = 0
    superseded: int = 0
    edits: dict[str, dict[str, int]] = field(default_factory=dict)  # stage -> rule -> count
    seconds: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    keys: list[tuple[str, int, int, str]] = field(default_factory=list)  # boilerplate keys (counting pass)


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
    return _guarded(task, lambda: _finish_task(task, run_stages(_open_task(task, settings), settings.config), settings))


def clean_tasks(tasks: list[Task], settings: Settings) -> list[Outcome]:
    """Clean a chunk of documents, each stage over the whole chunk before the next.

    Running a stage over several documents in a row keeps its code and MeCab's
    dictionary in the CPU caches (about 1.1-1.2x faster on the dev set).  If
    anything in the group fails, the group is cleaned again one document at a
    time, so one bad document fails alone.
    """
    from pipeline.run import run_stages_many

    if settings.count_only or len(tasks) < 2:
        return [clean_task(t, settings) for t in tasks]
    try:
        docs = [_open_task(t, settings) for t in tasks]
        run_stages_many(docs, settings.config)
        return [_guarded(t, lambda t=t, d=d: _finish_task(t, d, settings)) for t, d in zip(tasks, docs, strict=True)]
    except Exception:
        return [clean_task(t, settings) for t in tasks]


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
    doc = new_document(text, id=task.id or (task.source if isinstance(task.data, bytes) else ""), source=task.source)
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
    from pipeline.io.annotations import document_record
    from pipeline.io.conllu import record_to_conllu

    if settings.boilerplate_table:
        from pipeline.boilerplate import remove_boilerplate

        remove_boilerplate(doc, settings.boilerplate_table, settings.boilerplate_options, settings.boilerplate_total)
    rec = document_record(doc)
    seconds = {stage: float(s.get("seconds", 0.0)) for stage, s in doc.stats.items()}
    if not settings.timings:
        rec["stats"] = {stage: {k: v for k, v in s.items() if k != "seconds"} for stage, s in rec["stats"].items()}
    edits, superseded = count_edits(doc.edits)
    return Outcome(
        task.label,
        text=doc.text,
        record=json.dumps(rec, ensure_ascii=False, separators=(",", ":")),
        conllu=record_to_conllu(rec) if settings.conllu else "",
        chars_in=len(doc.original),
        chars_out=len(rec["text"]),
        sentences=len(rec["sentences"]),
        flags=len(rec["flags"]),
        superseded=superseded,
        edits=edits,
        seconds=seconds,
    )


# the stages the counting pass of --boilerplate remove runs: text as the reader sees it, cheaply
_COUNT_STAGES = ("markup", "segment", "blocks")


def count_task(task: Task, settings: Settings) -> Outcome:
    """The counting pass: the boilerplate keys of one document after markup removal (no tokenising)."""
    from pipeline.boilerplate import unit_keys
    from pipeline.document import Document
    from pipeline.run import STAGES, run_stages
    from pipeline.stages.decode import decode_bytes

    try:
        text = task.data
        if isinstance(text, bytes):
            text = decode_bytes(text, task.source, settings.encoding).text
        if settings.max_chars and len(text) > settings.max_chars:
            return Outcome(task.label, error="too large")
        doc = Document(text, id=task.id, source=task.source)
        run_stages(doc, settings.config, tuple(s for s in STAGES if s.name in _COUNT_STAGES))
        o = settings.boilerplate_options
        return Outcome(task.label, keys=unit_keys(doc, o.kinds, o.min_chars), chars_in=len(text))
    except InputError as exc:
        return Outcome(task.label, error=exc.message)
    except Exception as exc:  # reported by the cleaning pass
        return Outcome(task.label, error=_describe_bug(exc))


# One document at a time per process, also in a threaded Dask worker: the
# MeCab tagger (one per process) is not safe to share between threads.
_LOCK = threading.Lock()


def clean_chunk(tasks: list[Task], settings: Settings) -> list[Outcome]:
    with _LOCK:
        return clean_tasks(tasks, settings)


_WORKER_SETTINGS: Settings | None = None


def _init_worker(settings: Settings, parent: int = 0) -> None:
    """Worker start: die with the parent, keep the settings, ignore Ctrl-C (the parent stops us), load the tagger."""
    global _WORKER_SETTINGS
    _WORKER_SETTINGS = settings
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited by fork
    if parent:
        die_with_parent(parent)
    from pipeline.stages.tokenise import get_tagger

    get_tagger()


def die_with_parent(parent: int) -> None:
    """End this worker when ``parent`` dies, even by SIGKILL (which no handler sees).

    Linux's ``PR_SET_PDEATHSIG`` asks the kernel to send SIGKILL; a watcher
    thread that polls the parent's pid covers other systems and a parent
    that died before the call.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _clean_chunk_in_worker(tasks: list[Task]) -> list[Outcome]:
    assert _WORKER_SETTINGS is not None
    return clean_chunk(tasks, _WORKER_SETTINGS)


# -- executors: submit(chunk) -> handle, result(handle) -> outcomes --------------------


def _died(tasks: list[Task], why: str) -> list[Outcome]:
    return [Outcome(t.label, error=why) for t in tasks]


class SerialExecutor:
    """In this process, one chunk at a time (``--jobs 1``)."""

    window = 1

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def submit(self, tasks: list[Task]) -> list[Outcome]:
        return clean_chunk(tasks, self.settings)

    def result(self, handle: list[Outcome]) -> list[Outcome]:
        return handle

    def close(self) -> None:
        pass


class ProcessExecutor:
    """``--jobs N`` worker processes, each with its own tagger.

    A worker that dies (a crash in MeCab, the out-of-memory killer) breaks
    the pool; the chunks it held are retried one document at a time in a
    fresh process each, and a document that kills that one too fails alone.
    """

    def __init__(self, settings: Settings, jobs: int) -> None:
        self.settings = settings
        self.jobs = jobs
        self.window = 2 * jobs + 2
        self.pool = self._new_pool(jobs)

    def _new_pool(self, n: int):
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(n, initializer=_init_worker, initargs=(self.settings, os.getpid()))

    def submit(self, tasks: list[Task]):
        return tasks, self.pool, self.pool.submit(_clean_chunk_in_worker, tasks)

    def result(self, handle) -> list[Outcome]:
        from concurrent.futures.process import BrokenProcessPool

        tasks, pool, fut = handle
        try:
            return fut.result()
        except BrokenProcessPool:
            if pool is self.pool:
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = self._new_pool(self.jobs)
            return [self._retry_alone(t) for t in tasks]

    def _retry_alone(self, task: Task) -> Outcome:
        from concurrent.futures.process import BrokenProcessPool

        pool = self._new_pool(1)
        try:
            return pool.submit(_clean_chunk_in_worker, [task]).result()[0]
        except BrokenProcessPool:
            return Outcome(
                task.label, error="worker process died while cleaning this document (crash or out of memory)"
            )
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """The same chunks on a Dask cluster: ``--scheduler ADDRESS`` or a local cluster of ``--jobs`` processes."""

    def __init__(self, settings: Settings, jobs: int, scheduler: str | None = None) -> None:
        try:
            import logging

            from distributed import Client, LocalCluster
        except ImportError:
            raise InputError("--executor dask", "needs the dask extra: pip install 'mtja-clean[dask]'") from None
        self.cluster = None
        try:
            if scheduler:
                self.client = Client(scheduler)  # timeout: distributed.comm.timeouts.connect
            else:
                self.cluster = LocalCluster(
                    n_workers=jobs,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self.cluster)
        except OSError as exc:
            raise InputError(scheduler or "local cluster", f"cannot reach the Dask scheduler ({exc})") from None
        workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self.window = 2 * workers + 2
        [self.settings] = self.client.scatter([settings], broadcast=True)

    def submit(self, tasks: list[Task]):
        return tasks, self.client.submit(clean_chunk, tasks, self.settings, pure=False)

    def result(self, handle) -> list[Outcome]:
        tasks, fut = handle
        try:
            return fut.result()
        except Exception as exc:  # KilledWorker, lost connection, ...
            return _died(tasks, f"dask task failed: {type(exc).__name__}: {exc}")

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


# -- outputs ------------------------------------------------------------------------


def output_paths(inp: Input, out_dir: str, conllu: bool) -> list[str]:
    """The files an input's run writes below ``out_dir``."""
    base = os.path.join(out_dir, inp.name)
    if inp.kind == "jsonl":
        gz = ".gz" if inp.gzip else ""
        paths = [f"{base}.ann.jsonl{gz}"]
        if conllu:
            paths.append(f"{base}.conllu{gz}")
        return paths
    paths = [f"{base}.ann.jsonl", f"{base}.clean.txt"]
    if conllu:
        paths.append(f"{base}.conllu")
    return paths


def is_up_to_date(inp: Input, outputs: list[str]) -> bool:
    """Every output exists and none is older than the input (atomic writes mean existing = complete)."""
    if inp.path == "-":
        return False
    try:
        src = os.stat(inp.path).st_mtime_ns
        return all(os.stat(p).st_mtime_ns >= src for p in outputs)
    except OSError:
        return False


class FileOutputs:
    """A text input: NAME.ann.jsonl, NAME.clean.txt (+ NAME.conllu), each written atomically."""

    def __init__(self, paths: list[str], fsync: bool = False) -> None:
        self.paths = paths
        self.fsync = fsync

    def add(self, o: Outcome) -> None:
        with atomic_writer(self.paths[0], fsync=self.fsync) as fh:
            fh.write(o.record + "\n")
        with atomic_writer(self.paths[1], fsync=self.fsync) as fh:
            fh.write(o.text)
        if len(self.paths) > 2:
            with atomic_writer(self.paths[2], fsync=self.fsync) as fh:
                fh.write(o.conllu)

    def commit(self) -> None:
        pass

    def abort(self) -> None:
        pass


class CorpusOutputs:
    """A corpus: one record per document in NAME.ann.jsonl(.gz) (+ NAME.conllu(.gz)).

    The files appear (by rename) only when the whole corpus is done; a corpus
    none of whose documents could be cleaned leaves no file.
    """

    def __init__(self, paths: list[str], fsync: bool = False) -> None:
        self.stack = ExitStack()
        self.files: list[IO[bytes]] = []
        self.written = 0
        for p in paths:
            fh = self.stack.enter_context(atomic_writer(p, "wb", fsync=fsync))
            if p.endswith(".gz"):
                # fixed name and time in the header: the same input gives the same bytes
                fh = self.stack.enter_context(
                    gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=6)
                )
            self.files.append(fh)

    def add(self, o: Outcome) -> None:
        self.files[0].write((o.record + "\n").encode("utf-8"))
        if len(self.files) > 1:
            self.files[1].write(o.conllu.encode("utf-8"))
        self.written += 1

    def commit(self) -> None:
        if self.written:
            self.stack.close()
        else:
            self.abort()

    def abort(self) -> None:
        exc = RuntimeError("batch aborted")
        self.stack.__exit__(RuntimeError, exc, None)


class StdoutOutputs:
    """No --out-dir: cleaned text (or records, or CoNLL-U) to stdout, in input order."""

    def __init__(self, what: str, stream: IO[str] | None = None) -> None:
        self.what = what
        self.stream = stream or sys.stdout

    def add(self, o: Outcome) -> None:
        if self.what == "json":
            self.stream.write(o.record + "\n")
        elif self.what == "conllu":
            self.stream.write(o.conllu)
        else:
            self.stream.write(o.text)

    def commit(self) -> None:
        self.stream.flush()

    def abort(self) -> None:
        pass


# -- the run -------------------------------------------------------------------------


@dataclass
class BatchOptions:
    out_dir: str | None = None
    jobs: int = 1
    executor: str = "local"  # local | dask
    scheduler: str | None = None
    resume: bool = False
    quiet: bool = False
    text_field: str = "text"
    id_field: str = "id"
    stdout_format: str = "text"  # text | json | conllu (without --out-dir)
    progress_stream: IO[str] | None = None
    progress: bool | None = None  # None: when stderr is a terminal
    fsync: bool = False  # fsync every output file (default: each folder once at the end)


@dataclass
class Summary:
    """Totals of one run; written as ``summary.json``."""

    inputs: int = 0
    inputs_skipped: int = 0
    documents: int = 0
    failed: int = 0
    sentences: int = 0
    chars_in: int = 0
    chars_out: int = 0
    flags: int = 0
    superseded: int = 0
    edits: dict[str, dict[str, int]] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    failures: list[dict[str, str]] = field(default_factory=list)
    incomplete: set[str] = field(default_factory=set)  # inputs with a failed document: --resume runs them again
    wall_seconds: float = 0.0
    jobs: int = 1
    executor: str = "local"
    boilerplate: dict[str, Any] = field(default_factory=dict)  # mode, documents counted, texts found

    def add(self, o: Outcome) -> None:
        self.documents += 1
        self.sentences += o.sentences
        self.chars_in += o.chars_in
        self.chars_out += o.chars_out
        self.flags += o.flags
        self.superseded += o.superseded
        for stage, rules in o.edits.items():
            mine = self.edits.setdefault(stage, {})
            for rule, n in rules.items():
                mine[rule] = mine.get(rule, 0) + n
        for stage, s in o.seconds.items():
            self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + s

    def fail(self, label: str, reason: str) -> None:
        self.failed += 1
        if len(self.failures) < MAX_LISTED_FAILURES:
            self.failures.append({"document": label, "reason": reason})

    def to_json(self) -> dict[str, Any]:
        wall = self.wall_seconds
        return {
            "inputs": self.inputs,
            "inputs_skipped": self.inputs_skipped,
            "documents": self.documents,
            "failed": self.failed,
            "sentences": self.sentences,
            "chars_in": self.chars_in,
            "chars_out": self.chars_out,
            "flags": self.flags,
            "edits": {
                "total": sum(sum(r.values()) for r in self.edits.values()),
                "superseded": self.superseded,
                "by_stage": {
                    s: {"total": sum(r.values()), "rules": dict(sorted(r.items()))}
                    for s, r in sorted(self.edits.items())
                },
            },
            "stage_seconds": {s: round(v, 3) for s, v in self.stage_seconds.items()},
            "failures": self.failures,
            "failures_listed": len(self.failures),
            "incomplete_inputs": sorted(self.incomplete),
            "wall_seconds": round(wall, 3),
            "chars_per_second": round(self.chars_in / wall) if wall > 0 else 0,
            "jobs": self.jobs,
            "executor": self.executor,
            **({"boilerplate": self.boilerplate} if self.boilerplate else {}),
        }


@dataclass
class BatchResult:
    summary: Summary
    exit_status: int


# stream items: ("start", Input, outputs) | ("chunk", tasks, done_bytes) | ("end", Input)
#               | ("skip", Input, done_bytes) | ("fail", label, reason, done_bytes, input path)
Item = tuple
# UTF-8 needs at most 4 bytes a character: a file over 4 x --max-chars bytes is too large unread
MAX_BYTES_PER_CHAR = 4


def _size(path: str) -> int:
    try:
        return os.path.getsize(path) if path != "-" else 0
    except OSError:
        return 0


def previous_incomplete(out_dir: str | None) -> set[str]:
    """Inputs the last run into ``out_dir`` left with failed documents (its summary.json), for ``--resume``."""
    if not out_dir:
        return set()
    try:
        with open(os.path.join(out_dir, "summary.json"), encoding="utf-8") as fh:
            data = json.load(fh)
        return {str(p) for p in data.get("incomplete_inputs", [])}
    except (OSError, ValueError, AttributeError, TypeError):
        return set()


def check_input(inp: Input, outputs: list[str], max_chars: int) -> None:
    """Faults of one input found before reading it: a special file, too many bytes, an output not ours."""
    if inp.path != "-":
        limit = MAX_BYTES_PER_CHAR * max_chars if max_chars and inp.kind == "text" else 0
        try:
            check_regular_file(inp.path, limit)
        except InputError as exc:
            if exc.message.startswith("too large"):
                raise InputError(exc.source, too_large(exc.message[len("too large: ") :], max_chars)) from None
            raise
    for out in outputs:
        try:
            check_name_length(out)
        except InputError as exc:
            raise InputError(inp.path, exc.message) from None
        if not may_replace(out):
            raise InputError(
                inp.path,
                f"would overwrite {out}, which this program did not write; move it or choose another --out-dir",
            )


def produce(inputs: list[Input], opts: BatchOptions, conllu: bool, max_chars: int = 0) -> Iterator[Item]:
    """Walk the inputs lazily: markers and chunks of tasks, in input order."""
    done = 0
    rerun = previous_incomplete(opts.out_dir) if opts.resume else set()
    for inp in inputs:
        size = _size(inp.path)
        shown = printable(inp.path)
        outputs = output_paths(inp, opts.out_dir, conllu) if opts.out_dir else []
        if opts.resume and outputs and shown not in rerun and is_up_to_date(inp, outputs):
            done += size
            yield ("skip", inp, done)
            continue
        try:
            check_input(inp, outputs, max_chars)
        except InputError as exc:
            done += size
            yield ("fail", shown, exc.message, done, shown)
            continue
        if inp.kind == "text":
            source = "<stdin>" if inp.path == "-" else shown
            try:
                data = read_bytes(inp.path)
            except InputError as exc:
                done += size
                yield ("fail", shown, exc.message, done, shown)
                continue
            done += size
            yield ("start", inp, outputs)
            yield ("chunk", [Task(source, printable(os.path.basename(inp.name)), data, source)], done)
            yield ("end", inp)
            continue
        try:
            lines = read_corpus(inp.path, opts.text_field, opts.id_field)
            first = next(lines, None)
        except InputError as exc:
            done += size
            yield ("fail", shown, exc.message, done, shown)
            continue
        yield ("start", inp, outputs)
        chunk: list[Task] = []
        chars = 0
        offset = 0
        for line in _chain_first(first, lines):
            offset = line.offset
            label = f"{shown}:{line.lineno} (id {printable(line.id)})"
            if line.error:
                if chunk:
                    yield ("chunk", chunk, done + offset)
                    chunk, chars = [], 0
                yield ("fail", label, line.error, done + offset, shown)
                continue
            chunk.append(Task(shown, line.id, line.text, label))
            chars += len(line.text)
            if chars >= CHUNK_CHARS or len(chunk) >= CHUNK_DOCS:
                yield ("chunk", chunk, done + offset)
                chunk, chars = [], 0
        if chunk:
            yield ("chunk", chunk, done + offset)
        done += size
        yield ("end", inp)


def _chain_first(first, rest):
    if first is not None:
        yield first
        yield from rest


# errors of the disk, not of one document: the run stops (one line, exit 2)
RUN_LEVEL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO})


def add_to_sink(sink, o: Outcome) -> str:
    """Write one cleaned document; "" or why this document could not be written.

    A full or read-only disk is a fault of the run and is raised; anything
    else (an odd name, a character a file cannot hold) fails this document alone.
    """
    try:
        sink.add(o)
    except OSError as exc:
        if exc.errno in RUN_LEVEL_ERRNOS:
            raise
        return f"cannot write its output: {exc.strerror or exc}"
    except (UnicodeError, ValueError) as exc:
        return f"cannot write its output: {type(exc).__name__}: {exc}"
    return ""


def make_executor(settings: Settings, opts: BatchOptions, single: bool):
    if opts.executor == "dask":
        return DaskExecutor(settings, opts.jobs, opts.scheduler)
    if opts.jobs <= 1 or single:
        return SerialExecutor(settings)
    return ProcessExecutor(settings, opts.jobs)


class _Terminated(KeyboardInterrupt):
    pass


def _on_sigterm(signum, frame):  # pragma: no cover - exercised by the kill test's twin
    raise _Terminated()


def count_boilerplate(inputs: list[Input], settings: Settings, opts: BatchOptions) -> StreamingCounter:
    """The counting pass of ``--boilerplate``: every input (``--resume`` or not), markup removed, keys counted.

    Streams like the cleaning pass (a bounded window of chunks in flight) and
    counts in input order, so the report does not depend on ``--jobs``.
    Documents that fail here are left to the cleaning pass to report.
    """
    o = settings.boilerplate_options
    counter = StreamingCounter(kinds=o.kinds, min_chars=o.min_chars)
    csettings = replace(settings, count_only=True, conllu=False, boilerplate_table=())
    copts = replace(opts, resume=False, out_dir=None)
    single = len(inputs) == 1 and inputs[0].kind == "text"
    executor = make_executor(csettings, copts, single)
    pending: deque[Any] = deque()

    def take(outcomes: list[Outcome]) -> None:
        for out in outcomes:
            if not out.error:
                counter.add_keys(out.keys)

    try:
        for item in produce(inputs, copts, False):
            if item[0] != "chunk":
                continue
            pending.append(executor.submit(item[1]))
            while len(pending) >= executor.window:
                take(executor.result(pending.popleft()))
        while pending:
            take(executor.result(pending.popleft()))
    finally:
        executor.close()
    return counter


def write_boilerplate_report(
    path: str, counter: StreamingCounter, report: list[Repeated], o: BoilerplateOptions
) -> None:
    """``boilerplate.json``: the options, the documents counted and every text found, most widespread first."""
    data = {
        "documents": counter.documents,
        "min_docs": o.min_docs,
        "min_share": o.min_share,
        "min_chars": o.min_chars,
        "counted_after": list(_COUNT_STAGES),
        "entries_dropped": counter.dropped,
        "repeated": [r.to_json() for r in report],
    }
    with atomic_writer(path) as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
        fh.write("\n")


def run_batch(inputs: list[Input], settings: Settings, opts: BatchOptions, err: IO[str] | None = None) -> BatchResult:
    """Clean every input; failures are reported on ``err`` and the run goes on."""
    err = err or sys.stderr
    t0 = time.perf_counter()
    summary = Summary(inputs=len(inputs), executor=opts.executor)
    if settings.boilerplate != "off":
        counter = count_boilerplate(inputs, settings, opts)
        report = counter.report(settings.boilerplate_options)
        summary.boilerplate = {
            "mode": settings.boilerplate,
            "documents_counted": counter.documents,
            "repeated": len(report),
            "removed": 0,
        }
        if opts.out_dir:
            os.makedirs(opts.out_dir, exist_ok=True)
            write_boilerplate_report(
                os.path.join(opts.out_dir, "boilerplate.json"), counter, report, settings.boilerplate_options
            )
        if not opts.quiet:
            print(
                f"boilerplate: {len(report):,} repeated texts in {counter.documents:,} documents"
                + (" (to be removed)" if settings.boilerplate == "remove" and report else ""),
                file=err,
                flush=True,
            )
        if settings.boilerplate == "remove":
            settings = replace(settings, boilerplate_table=tuple(report), boilerplate_total=counter.documents)
    single = len(inputs) == 1 and inputs[0].kind == "text"
    progress = Progress(
        sum(_size(i.path) for i in inputs),
        stream=opts.progress_stream or err,
        enabled=False if opts.quiet or single else opts.progress,
    )

    def report(label: str, reason: str) -> None:
        progress.clear()
        print(one_line(f"error: {label}: {reason}"), file=err, flush=True)
        summary.fail(label, reason)

    sink = None
    written: set[str] = set()  # folders outputs were renamed into: synced once at the end
    executor = make_executor(settings, opts, single)
    summary.jobs = 1 if isinstance(executor, SerialExecutor) else opts.jobs
    old_term = None
    if threading.current_thread() is threading.main_thread():
        old_term = signal.signal(signal.SIGTERM, _on_sigterm)

    current = ""  # the input whose documents are being handled

    def handle(item: Item, outcomes: list[Outcome] | None) -> None:
        nonlocal sink, current
        kind = item[0]
        if kind == "start":
            inp, outputs = item[1], item[2]
            current = printable(inp.path)
            if opts.out_dir is None:
                sink = StdoutOutputs(opts.stdout_format)
            elif inp.kind == "jsonl":
                sink = CorpusOutputs(outputs, opts.fsync)
            else:
                sink = FileOutputs(outputs, opts.fsync)
            if opts.out_dir:
                written.update(os.path.dirname(os.path.abspath(p)) for p in outputs)
        elif kind == "chunk":
            failed = 0
            chars = 0
            for o in outcomes or []:
                if not o.error:
                    o.error = add_to_sink(sink, o)
                if o.error:
                    report(o.label, o.error)
                    summary.incomplete.add(current)
                    failed += 1
                else:
                    summary.add(o)
                    chars += o.chars_in
            progress.update(docs=len(outcomes or []) - failed, failed=failed, chars=chars, done_bytes=item[2])
        elif kind == "end":
            sink.commit()
            sink = None
        elif kind == "skip":
            summary.inputs_skipped += 1
            progress.update(done_bytes=item[2])
        elif kind == "fail":
            report(item[1], item[2])
            summary.incomplete.add(item[4])
            progress.update(failed=1, done_bytes=item[3])

    pending: deque[tuple[Item, Any]] = deque()
    inflight = 0

    def drain_one() -> None:
        nonlocal inflight
        item, h = pending.popleft()
        if item[0] == "chunk":
            inflight -= 1
            handle(item, executor.result(h))
        else:
            handle(item, None)

    try:
        for item in produce(inputs, opts, settings.conllu, settings.max_chars):
            if item[0] == "chunk":
                pending.append((item, executor.submit(item[1])))
                inflight += 1
            else:
                pending.append((item, None))
            while inflight >= executor.window or (pending and pending[0][0][0] != "chunk"):
                drain_one()
        while pending:
            drain_one()
    except BaseException:
        if sink is not None:
            sink.abort()
        raise
    finally:
        executor.close()
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)

    summary.wall_seconds = time.perf_counter() - t0
    if summary.boilerplate:
        summary.boilerplate["removed"] = summary.edits.get("dedup", {}).get("boilerplate", 0)
    produced = summary.documents + summary.inputs_skipped
    if summary.failed and not produced:
        status = 2
    elif summary.failed:
        status = 1
    else:
        status = 0
    if progress.enabled:
        progress.close()
    if opts.out_dir and produced:
        with atomic_writer(os.path.join(opts.out_dir, "summary.json"), fsync=opts.fsync) as fh:
            json.dump(summary.to_json(), fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        written.add(os.path.abspath(opts.out_dir))
    fsync_folders(written)
    handled = summary.documents + summary.failed + summary.inputs_skipped
    if handled > 1 and (summary.failed or not opts.quiet):
        print(summary_line(summary, opts.out_dir), file=err, flush=True)
    return BatchResult(summary, status)


def summary_line(s: Summary, out_dir: str | None) -> str:
    """The last line of a batch on stderr."""
    parts = [f"{s.documents:,} documents cleaned"]
    if s.inputs_skipped:
        parts.append(f"{s.inputs_skipped:,} inputs skipped (up to date)")
    parts.append(f"{s.failed:,} failed")
    rate = s.chars_in / s.wall_seconds if s.wall_seconds > 0 else 0
    where = (
        f"; summary in {os.path.join(out_dir, 'summary.json')}" if out_dir and (s.documents or s.inputs_skipped) else ""
    )
    return f"clean: {', '.join(parts)} in {s.wall_seconds:.1f} s ({format_rate(rate)} chars/s){where}"

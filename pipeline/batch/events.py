"""The input stream of a batch as typed events, in input order.

:func:`produce` walks the inputs lazily and yields, for a corpus,
:class:`Start`, one or more :class:`Chunk` of tasks, and :class:`End`; text
files go into chunks of several files each (a file's task names its
outputs); an input can also give :class:`Skip` (``--resume``: outputs up to
date) or :class:`Fail` (the input, or one corpus line, cannot be read).  Faults found before reading an input
(a FIFO, too many bytes, an output this program did not write, a name too
long) are a :class:`Fail` of that input alone.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from pipeline.batch.sinks import is_up_to_date, output_paths, part_paths
from pipeline.batch.tasks import Task, too_large
from pipeline.errors import InputError
from pipeline.io.corpus import Input, read_corpus
from pipeline.io.files import check_regular_file, printable, read_bytes
from pipeline.io.outputs import check_name_length, may_replace

if TYPE_CHECKING:
    from pipeline.batch.runner import BatchOptions

# A chunk (one executor call) closes at this many characters or documents: several small
# documents share one call (one round trip, the stages run over them together), and a chunk
# is short enough that two workers finish together (docs/performance.md).
CHUNK_CHARS = 64_000
CHUNK_DOCS = 64
# Near the end of a run with several workers, chunks are this many times smaller: a worker
# finishing its last chunk while the other has nothing left idles about half a chunk on average
# (docs/performance.md, round 7)
TAIL_DIVISOR = 4
# the bytes of a file count as characters at this rate (UTF-8 Japanese is 3 bytes a character)
BYTES_PER_CHAR = 3
# UTF-8 needs at most 4 bytes a character: a file over 4 x --max-chars bytes is too large unread
MAX_BYTES_PER_CHAR = 4


@dataclass(frozen=True)
class Start:
    """An input begins; its outputs (empty without --out-dir)."""

    input: Input
    outputs: list[str]


@dataclass(frozen=True)
class Chunk:
    """Tasks for one executor call; ``done_bytes``: input bytes consumed once it is handled (progress).

    ``owners``: the input of each task (printable path); ``outputs``: the
    output paths of each task of text files (empty for a corpus or stdout);
    ``parts``: a corpus chunk's part files, when workers write.
    """

    tasks: list[Task]
    done_bytes: int
    owners: list[str] = field(default_factory=list)
    outputs: list[list[str]] = field(default_factory=list)
    parts: tuple[str, ...] = ()

    @property
    def corpus(self) -> bool:
        return not self.outputs


@dataclass(frozen=True)
class End:
    """The input is done: its outputs can be committed."""

    input: Input


@dataclass(frozen=True)
class Skip:
    """``--resume``: the input's outputs are complete and newer."""

    input: Input
    done_bytes: int


@dataclass(frozen=True)
class Fail:
    """An input, or one document of a corpus, failed before any worker saw it."""

    label: str  # "PATH" or "CORPUS:LINE (id X)"
    reason: str
    done_bytes: int
    input_path: str  # printable path of the input it belongs to


Event = Start | Chunk | End | Skip | Fail


def input_size(path: str) -> int:
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


def read_english(path: str) -> str:
    """The English source file of a text input, as UTF-8 text; a fault fails the document it belongs to."""
    from pipeline.stages.decode import decode_bytes

    check_regular_file(path, 0)
    try:
        return decode_bytes(read_bytes(path), path, "utf-8").text
    except InputError as exc:
        raise InputError(path, f"English source: {exc.message}") from None


class _Tail:
    """The chunk limits as the run goes: :data:`CHUNK_CHARS` and :data:`CHUNK_DOCS`, divided by
    :data:`TAIL_DIVISOR` once no more than ``tail_bytes`` of the ``total_bytes`` of input are left.

    >>> limits, small = _Tail(total_bytes=1000, tail_bytes=300), (CHUNK_CHARS // 4, CHUNK_DOCS // 4)
    >>> limits(600) == (CHUNK_CHARS, CHUNK_DOCS), limits(700) == small, _Tail(200, 300)(0) == small
    (True, True, True)
    >>> _Tail(0, 300)(10**9) == _Tail(1000, 0)(999) == (CHUNK_CHARS, CHUNK_DOCS)  # stdin; one worker
    True
    """

    def __init__(self, total_bytes: int = 0, tail_bytes: int = 0) -> None:
        # -1: never (one worker, or the size is unknown: stdin); a run smaller than the tail is all tail
        self.from_bytes = max(0, total_bytes - tail_bytes) if tail_bytes > 0 and total_bytes > 0 else -1

    def __call__(self, done_bytes: int) -> tuple[int, int]:
        if 0 <= self.from_bytes <= done_bytes:
            return CHUNK_CHARS // TAIL_DIVISOR, CHUNK_DOCS // TAIL_DIVISOR
        return CHUNK_CHARS, CHUNK_DOCS


class _Files:
    """Text files gathered into one chunk, closed at :data:`CHUNK_CHARS` or :data:`CHUNK_DOCS` (see :class:`_Tail`)."""

    def __init__(self, limits: _Tail | None = None) -> None:
        self.limits = limits or _Tail()
        self.tasks: list[Task] = []
        self.owners: list[str] = []
        self.outputs: list[list[str]] = []
        self.chars = 0
        self.done = 0

    def add(self, task: Task, owner: str, outputs: list[str], done: int) -> None:
        self.tasks.append(task)
        self.owners.append(owner)
        self.outputs.append(outputs)
        self.chars += len(task.data) // BYTES_PER_CHAR if isinstance(task.data, bytes) else len(task.data)
        self.done = done

    def full(self) -> bool:
        chars, docs = self.limits(self.done)
        return self.chars >= chars or len(self.tasks) >= docs

    def flush(self) -> Iterator[Chunk]:
        if self.tasks:
            yield Chunk(self.tasks, self.done, self.owners, self.outputs)
            self.__init__(self.limits)


def produce(
    inputs: list[Input],
    opts: BatchOptions,
    conllu: bool,
    max_chars: int = 0,
    worker_writes: bool = False,
    total_bytes: int = 0,
    tail_bytes: int = 0,
) -> Iterator[Event]:
    """Walk the inputs lazily: markers and chunks of tasks, in input order.

    ``worker_writes``: tasks name where the worker writes (a file's outputs,
    a corpus chunk's part files); otherwise the parent writes.  Once no more
    than ``tail_bytes`` of the inputs' ``total_bytes`` are left, chunks are
    smaller (:class:`_Tail`), so several workers finish close together.
    """
    done = 0
    rerun = previous_incomplete(opts.out_dir) if opts.resume else set()
    limits = _Tail(total_bytes, tail_bytes)
    files = _Files(limits)
    seq = 0  # corpus chunks, for their part files' names
    for inp in inputs:
        size = input_size(inp.path)
        shown = printable(inp.path)
        outputs = output_paths(inp, opts.out_dir, conllu) if opts.out_dir else []
        if opts.resume and outputs and shown not in rerun and is_up_to_date(inp, outputs):
            yield from files.flush()
            done += size
            yield Skip(inp, done)
            continue
        try:
            check_input(inp, outputs, max_chars)
        except InputError as exc:
            yield from files.flush()
            done += size
            yield Fail(shown, exc.message, done, shown)
            continue
        if inp.kind == "text":
            source = "<stdin>" if inp.path == "-" else shown
            try:
                data = read_bytes(inp.path)
                english = read_english(inp.english) if inp.english else None
            except InputError as exc:
                yield from files.flush()
                done += size
                yield Fail(shown, exc.message, done, shown)
                continue
            done += size
            name = printable(os.path.basename(inp.name))
            task = Task(source, name, data, source, english, tuple(outputs) if worker_writes else ())
            files.add(task, shown, outputs or [], done)
            if files.full():
                yield from files.flush()
            continue
        yield from files.flush()
        try:
            lines = read_corpus(inp.path, opts.text_field, opts.id_field, opts.source_field)
            first = next(lines, None)
        except InputError as exc:
            done += size
            yield Fail(shown, exc.message, done, shown)
            continue
        yield Start(inp, outputs)
        chunk: list[Task] = []
        chars = 0
        offset = 0

        for line in _chain_first(first, lines):
            offset = line.offset
            label = f"{shown}:{line.lineno} (id {printable(line.id)})"
            if line.error:
                if chunk:
                    seq += 1
                    yield _corpus_chunk(chunk, done + offset, shown, outputs, seq, worker_writes)
                    chunk, chars = [], 0
                yield Fail(label, line.error, done + offset, shown)
                continue
            chunk.append(Task(shown, line.id, line.text, label, line.english))
            chars += len(line.text)
            most_chars, most_docs = limits(done + line.offset)
            if chars >= most_chars or len(chunk) >= most_docs:
                seq += 1
                yield _corpus_chunk(chunk, done + offset, shown, outputs, seq, worker_writes)
                chunk, chars = [], 0
        if chunk:
            seq += 1
            yield _corpus_chunk(chunk, done + offset, shown, outputs, seq, worker_writes)
        done += size
        yield End(inp)
    yield from files.flush()


def _corpus_chunk(
    tasks: list[Task], done_bytes: int, shown: str, outputs: list[str], seq: int, worker_writes: bool
) -> Chunk:
    """A corpus's chunk; when workers write, its tasks name the chunk's part files."""
    parts = part_paths(outputs, seq) if worker_writes and outputs else ()
    if parts:
        tasks = [replace(t, parts=parts) for t in tasks]
    return Chunk(tasks, done_bytes, [shown] * len(tasks), [], parts)


def _chain_first(first, rest):
    if first is not None:
        yield first
        yield from rest

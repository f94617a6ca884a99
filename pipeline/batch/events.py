"""The input stream of a batch as typed events, in input order.

:func:`produce` walks the inputs lazily and yields, for each input,
:class:`Start`, one or more :class:`Chunk` of tasks, and :class:`End`; or
:class:`Skip` (``--resume``: outputs up to date) or :class:`Fail` (the input,
or one corpus line, cannot be read).  Faults found before reading an input
(a FIFO, too many bytes, an output this program did not write, a name too
long) are a :class:`Fail` of that input alone.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.batch.sinks import is_up_to_date, output_paths
from pipeline.batch.tasks import Task, too_large
from pipeline.errors import InputError
from pipeline.io.corpus import Input, read_corpus
from pipeline.io.files import check_regular_file, printable, read_bytes
from pipeline.io.outputs import check_name_length, may_replace

if TYPE_CHECKING:
    from pipeline.batch.runner import BatchOptions

# A chunk (one executor call) closes at this many characters or documents.
CHUNK_CHARS = 64_000
CHUNK_DOCS = 64
# UTF-8 needs at most 4 bytes a character: a file over 4 x --max-chars bytes is too large unread
MAX_BYTES_PER_CHAR = 4


@dataclass(frozen=True)
class Start:
    """An input begins; its outputs (empty without --out-dir)."""

    input: Input
    outputs: list[str]


@dataclass(frozen=True)
class Chunk:
    """Tasks for one executor call; ``done_bytes``: input bytes consumed once it is handled (progress)."""

    tasks: list[Task]
    done_bytes: int


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


def produce(inputs: list[Input], opts: BatchOptions, conllu: bool, max_chars: int = 0) -> Iterator[Event]:
    """Walk the inputs lazily: markers and chunks of tasks, in input order."""
    done = 0
    rerun = previous_incomplete(opts.out_dir) if opts.resume else set()
    for inp in inputs:
        size = input_size(inp.path)
        shown = printable(inp.path)
        outputs = output_paths(inp, opts.out_dir, conllu) if opts.out_dir else []
        if opts.resume and outputs and shown not in rerun and is_up_to_date(inp, outputs):
            done += size
            yield Skip(inp, done)
            continue
        try:
            check_input(inp, outputs, max_chars)
        except InputError as exc:
            done += size
            yield Fail(shown, exc.message, done, shown)
            continue
        if inp.kind == "text":
            source = "<stdin>" if inp.path == "-" else shown
            try:
                data = read_bytes(inp.path)
                english = read_english(inp.english) if inp.english else None
            except InputError as exc:
                done += size
                yield Fail(shown, exc.message, done, shown)
                continue
            done += size
            yield Start(inp, outputs)
            yield Chunk([Task(source, printable(os.path.basename(inp.name)), data, source, english)], done)
            yield End(inp)
            continue
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
                    yield Chunk(chunk, done + offset)
                    chunk, chars = [], 0
                yield Fail(label, line.error, done + offset, shown)
                continue
            chunk.append(Task(shown, line.id, line.text, label, line.english))
            chars += len(line.text)
            if chars >= CHUNK_CHARS or len(chunk) >= CHUNK_DOCS:
                yield Chunk(chunk, done + offset)
                chunk, chars = [], 0
        if chunk:
            yield Chunk(chunk, done + offset)
        done += size
        yield End(inp)


def _chain_first(first, rest):
    if first is not None:
        yield first
        yield from rest

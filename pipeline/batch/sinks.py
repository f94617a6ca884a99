"""Where cleaned documents go: files in ``--out-dir`` (one input at a time) or stdout, in input order.

A sink has ``add(outcome)``, ``commit()`` (the input is done) and
``abort()``.  Every file is written atomically; a corpus's files appear only
when the whole corpus is done.
"""

from __future__ import annotations

import errno
import gzip
import os
import sys
from collections.abc import Callable
from contextlib import ExitStack
from typing import IO, Any

from pipeline.batch.tasks import Outcome
from pipeline.io.atomic import atomic_writer
from pipeline.io.corpus import Input

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
            write_record(fh.write, o.record)
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
        write_record(lambda piece: self.files[0].write(piece.encode("utf-8")), o.record)
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
            write_record(self.stream.write, o.record)
        elif self.what == "conllu":
            self.stream.write(o.conllu)
        else:
            self.stream.write(o.text)

    def commit(self) -> None:
        self.stream.flush()

    def abort(self) -> None:
        pass


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


def write_record(write: Callable[[str], Any], record: str | list[str]) -> None:
    """Write one record line: a string, or the pieces of a long one in order (never joined), then "\\n"."""
    for piece in [record] if isinstance(record, str) else record:
        write(piece)
    write("\n")

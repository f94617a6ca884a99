"""Where cleaned documents go: files in ``--out-dir`` or stdout, in input order.

Workers write a file's outputs themselves (:func:`write_document_files`,
each atomically) and a corpus chunk's records into part files
(:func:`write_parts`); the parent appends the parts to the corpus's output
in input order (:class:`CorpusOutputs`).  When a worker did not write (no
shared disk, a retried document), the parent writes the same bytes with the
same functions.  A sink has ``add(outcome)``, ``commit()`` (the input is
done) and ``abort()``.  Every file is written atomically; a corpus's files
appear only when the whole corpus is done.
"""

from __future__ import annotations

import contextlib
import errno
import gzip
import os
import shutil
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


def write_document_files(paths: tuple[str, ...] | list[str], o: Outcome, fsync: bool = False) -> None:
    """A text input's outputs: NAME.ann.jsonl, NAME.clean.txt (+ NAME.conllu), each written atomically.

    The annotation file comes first: a ``.clean.txt`` counts as this
    program's only when the annotation file beside it does.
    """
    with atomic_writer(paths[0], "wb", fsync=fsync) as fh:
        write_record(fh.write, o.record_bytes)
    with atomic_writer(paths[1], fsync=fsync) as fh:
        fh.write(o.text)
    if len(paths) > 2:
        with atomic_writer(paths[2], fsync=fsync) as fh:
            fh.write(o.conllu)


def part_paths(outputs: list[str], seq: int) -> tuple[str, ...]:
    """The part files of a corpus's chunk number ``seq``: hidden, beside each output, named like a temporary file.

    ``.NAME.XXXXXXXX.tmp`` has the length of :func:`~pipeline.io.atomic.atomic_writer`'s
    temporary names, so an output name that fits has parts that fit; a
    ``SIGKILL`` leaves them as it leaves those (never read, safe to delete).

    >>> part_paths(["out/c.ann.jsonl.gz"], 26)
    ('out/.c.ann.jsonl.gz.p000001a.tmp',)
    """
    return tuple(os.path.join(os.path.dirname(p), f".{os.path.basename(p)}.p{seq:07x}.tmp") for p in outputs)


def write_parts(parts: tuple[str, ...], outcomes: list[Outcome]) -> None:
    """A corpus chunk's records (and CoNLL-U) into its part files, in order, uncompressed; none left on a fault."""
    try:
        with open(parts[0], "wb") as fh:
            for o in outcomes:
                write_record(fh.write, o.record_bytes)
        if len(parts) > 1:
            with open(parts[1], "w", encoding="utf-8", newline="") as fh:
                for o in outcomes:
                    fh.write(o.conllu)
    except BaseException:
        remove_parts(parts)
        raise


def remove_parts(parts: tuple[str, ...]) -> None:
    for p in parts:
        with contextlib.suppress(OSError):
            os.unlink(p)


class FileOutputs:
    """A text input whose outputs the parent writes (the worker could not): as :func:`write_document_files`."""

    def __init__(self, paths: list[str], fsync: bool = False) -> None:
        self.paths = paths
        self.fsync = fsync

    def add(self, o: Outcome) -> None:
        if not o.written:
            write_document_files(self.paths, o, self.fsync)

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
        self.last_parts: tuple[str, ...] = ()
        for p in paths:
            fh = self.stack.enter_context(atomic_writer(p, "wb", fsync=fsync))
            if p.endswith(".gz"):
                # fixed name and time in the header: the same input gives the same bytes
                fh = self.stack.enter_context(
                    gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=6)
                )
            self.files.append(fh)

    def add(self, o: Outcome) -> None:
        if o.parts:
            # a worker wrote this record with the rest of its chunk: the whole part goes in, once
            if o.parts != self.last_parts:
                for part, fh in zip(o.parts, self.files, strict=True):
                    with open(part, "rb") as src:
                        shutil.copyfileobj(src, fh, 1 << 20)
                remove_parts(o.parts)
                self.last_parts = o.parts
        else:
            write_record(self.files[0].write, o.record_bytes)
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
        self.binary: Callable[[bytes], Any] | None = None  # the stream's bytes layer, once its text layer is flushed

    def add(self, o: Outcome) -> None:
        if self.what == "json":
            # records are UTF-8 bytes already: straight to the bytes layer, once the text layer
            # is flushed (nothing it holds may come after).  A stream without a bytes layer or
            # not UTF-8, or a record with a text piece (a lone surrogate), is written as text:
            # the stream's own encoding and error handler decide, as before
            if _has_text_piece(o.record_bytes) or self._bytes_layer() is None:
                self.binary = None
                write_record_text(self.stream.write, o.record)
            else:
                write_record(self.binary, o.record_bytes)  # type: ignore[arg-type]
        elif self.what == "conllu":
            self.stream.write(o.conllu)
        else:
            self.stream.write(o.text)

    def _bytes_layer(self) -> Callable[[bytes], Any] | None:
        if self.binary is None:
            buffer = getattr(self.stream, "buffer", None)
            if buffer is None or (getattr(self.stream, "encoding", "") or "").lower().replace("-", "") != "utf8":
                return None
            self.stream.flush()
            self.binary = buffer.write
        return self.binary

    def commit(self) -> None:
        self.stream.flush()  # the text layer's, then its bytes layer's
        self.binary = None

    def abort(self) -> None:
        pass


# errors of the disk, not of one document: the run stops (one line, exit 2); a closed pipe
# (``clean --json ... | head``) stops it too, quietly (the command line's BrokenPipeError: exit 0)
RUN_LEVEL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EPIPE})


def add_to_sink(sink, o: Outcome) -> str:
    """Write one cleaned document; "" or why this document could not be written (see :func:`guarded_write`)."""
    return guarded_write(lambda: sink.add(o))


def guarded_write(write: Callable[[], Any]) -> str:
    """Run ``write``; "" or why this document could not be written.

    A full or read-only disk is a fault of the run and is raised; anything
    else (an odd name, a character a file cannot hold) fails this document alone.
    """
    try:
        write()
    except OSError as exc:
        if exc.errno in RUN_LEVEL_ERRNOS:
            raise
        return f"cannot write its output: {exc.strerror or exc}"
    except (UnicodeError, ValueError) as exc:
        return f"cannot write its output: {type(exc).__name__}: {exc}"
    return ""


def write_record(write: Callable[[bytes], Any], record: bytes | list[bytes | str]) -> None:
    """Write one record line as UTF-8 to a binary ``write``: one piece, or the pieces of a long one in order (never joined), then "\\n".

    A ``str`` piece (only a lone surrogate makes one, see
    :func:`~pipeline.io.annotations.encode_json_bytes`) is encoded here and
    fails as a text file would.
    """
    for piece in [record] if type(record) is bytes else record:
        write(piece if type(piece) is bytes else piece.encode("utf-8"))
    write(b"\n")


def _has_text_piece(record: bytes | list[bytes | str]) -> bool:
    return type(record) is not bytes and any(type(p) is str for p in record)


def write_record_text(write: Callable[[str], Any], record: str | list[str]) -> None:
    """:func:`write_record` for a text stream, with :attr:`Outcome.record`'s text."""
    for piece in [record] if isinstance(record, str) else record:
        write(piece)
    write("\n")

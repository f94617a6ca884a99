"""Opening inputs with one-line errors (``SOURCE: no such file``) instead of tracebacks."""

from __future__ import annotations

import gzip
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from pipeline.errors import InputError


@contextmanager
def input_errors(path: str) -> Iterator[None]:
    """Turn the usual OS errors of opening ``path`` into :class:`InputError`."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None


def open_binary(path: str) -> IO[bytes]:
    """A file opened for reading bytes; the caller closes it."""
    with input_errors(path):
        return open(path, "rb")  # noqa: SIM115 - the caller closes it


def open_text(path: str) -> IO[str]:
    """A UTF-8 text file, gzip-compressed when its name ends in ``.gz``; the caller closes it."""
    with input_errors(path):
        if path.endswith(".gz"):
            return gzip.open(path, "rt", encoding="utf-8")  # noqa: SIM115 - the caller closes it
        return open(path, encoding="utf-8")  # noqa: SIM115 - the caller closes it


def read_bytes(path: str) -> bytes:
    """The bytes of a file, or of stdin for ``-``."""
    if path == "-":
        return sys.stdin.buffer.read()
    with open_binary(path) as fh:
        return fh.read()


def printable(name: str) -> str:
    """``name`` as text UTF-8 can hold: a byte a file name could not decode (``\\udc93``) reads ``\\x93``.

    Paths and ids go into records, summaries and error lines; a name that
    cannot be encoded must not sink the batch.

    >>> printable("a.txt"), printable("\\udc93\\udcfa.txt"), printable("x\\ud800")
    ('a.txt', '\\\\x93\\\\xfa.txt', 'x\\\\ud800')
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    out = []
    for c in name:
        o = ord(c)
        if 0xDC80 <= o <= 0xDCFF:
            out.append(f"\\x{o - 0xDC00:02x}")
        elif 0xD800 <= o <= 0xDFFF:
            out.append(f"\\u{o:04x}")
        else:
            out.append(c)
    return "".join(out)


def check_regular_file(path: str, max_bytes: int = 0) -> int:
    """The size of ``path`` if it is a regular file (symlinks followed) of at most ``max_bytes``.

    A FIFO would block the reader forever and ``/dev/zero`` never ends, so
    anything else is refused before it is opened (:class:`InputError`).
    """
    import stat

    with input_errors(path):
        st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise InputError(path, "is a directory")
    if not stat.S_ISREG(st.st_mode):
        kind = (
            "a FIFO"
            if stat.S_ISFIFO(st.st_mode)
            else "a device"
            if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "a socket or other special file"
        )
        raise InputError(path, f"not a regular file ({kind}); not read")
    if max_bytes and st.st_size > max_bytes:
        raise InputError(path, f"too large: {st.st_size:,} bytes")
    return st.st_size

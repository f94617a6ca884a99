"""Opening inputs with one-line errors (``SOURCE: no such file``) instead of tracebacks."""

from __future__ import annotations

import gzip
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

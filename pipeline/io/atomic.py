"""Atomic file writes: a temporary file in the same folder, then a rename.

The rename is what makes a reader see either nothing or the whole file, so
by default the data is not forced to disk file by file (two ``fsync`` calls
per document made a batch of small files slow); a batch syncs each folder it
wrote once at the end (:func:`fsync_folders`).  ``fsync=True`` (``clean
--fsync``) syncs every file before its rename, as before.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO


@contextmanager
def atomic_writer(path: str, mode: str = "w", encoding: str | None = "utf-8", fsync: bool = False) -> Iterator[IO]:
    """Write to ``path`` so a reader sees either nothing or the whole file.

    The temporary file is removed when the body raises.
    """
    fd, tmp = _open_temporary(path)
    try:
        with os.fdopen(
            fd, mode, encoding=None if "b" in mode else encoding, newline="" if "b" not in mode else None
        ) as fh:
            yield fh
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _open_temporary(path: str) -> tuple[int, str]:
    """A new file beside ``path`` (``.NAME.XXXXXXXX.tmp``, the usual mode under the umask) and its name.

    The name is the process id in hex, so the common case costs one ``open``
    (no random name, no ``chmod``, no ``umask`` calls: about 40% of a small
    file's write here); a name already taken (another writer of the same
    path in this process, a left-over of a killed run) falls back to
    :func:`tempfile.mkstemp` with the same shape of name.  The folder is made
    only when the first ``open`` says it is missing.
    """
    folder, base = os.path.split(os.path.abspath(path))
    tmp = os.path.join(folder, f".{base}.{os.getpid() & 0xFFFFFFFF:08x}.tmp")
    try:
        return os.open(tmp, _CREATE, 0o666), tmp
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            return os.open(tmp, _CREATE, 0o666), tmp
    except FileExistsError:
        pass
    fd, tmp = tempfile.mkstemp(prefix=f".{base}.", suffix=".tmp", dir=folder)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    return fd, tmp


def fsync_folders(folders: Iterable[str]) -> None:
    """Make the renames into ``folders`` durable: one ``fsync`` per folder (where the OS allows it)."""
    for folder in sorted(set(folders)):
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            with contextlib.suppress(OSError):  # some file systems refuse fsync on a folder
                os.fsync(fd)
        finally:
            os.close(fd)

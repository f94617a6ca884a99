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
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
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

"""The output-path policy of ``clean --out-dir``: one place decides where outputs may go.

* Every output lies inside ``--out-dir`` (resolved: symlinks and ``..``
  cannot lead out), checked before any work; an output name never starts
  with ``..`` (:func:`safe_output_name`).
* ``--out-dir`` is created and probed (a file, under a file, read-only, full)
  before any work: one line and exit 2 (:func:`check_out_dir`).
* No output is an input of the same run (:func:`check_outputs_apart`).
* An existing file is replaced only if this program wrote it, known by its
  name and a content marker (:func:`is_own_output`); otherwise that input
  fails alone.  The same test keeps a folder walk or a glob from reading
  back, as input, the outputs of an earlier run into the same folder.
"""

from __future__ import annotations

import errno
import gzip
import os
import posixpath
import tempfile
from collections.abc import Callable
from typing import TYPE_CHECKING

from pipeline.errors import InputError
from pipeline.io.realpaths import RealPaths

if TYPE_CHECKING:
    from pipeline.io.corpus import Input

# endings of the files one input writes; the corpus forms may be gzip-compressed
ANNOTATION_ENDINGS = (".ann.jsonl", ".ann.jsonl.gz")
TEXT_ENDING = ".clean.txt"
CONLLU_ENDINGS = (".conllu", ".conllu.gz")
# files one run writes into --out-dir, and the text each starts with (the content marker)
RUN_FILES = {"summary.json": b'{\n  "inputs":', "boilerplate.json": b'{\n  "documents":'}
# an annotation record starts with its schema field (pipeline.io.annotations.document_record)
RECORD_MARKER = b'{"schema":'
CONLLU_MARKER = b"# newdoc id = "
MARKER_BYTES = 64


def safe_output_name(rel: str) -> str:
    """An output name below ``--out-dir`` from a path relative to what the user named.

    ``..`` parts and a leading ``/`` are dropped, so a glob such as
    ``*/../../src/*.txt`` cannot place its outputs next to its inputs.

    >>> safe_output_name("../src/e"), safe_output_name("a/./b"), safe_output_name("/abs/x"), safe_output_name("..")
    ('src/e', 'a/b', 'abs/x', 'input')
    """
    parts = [p for p in posixpath.normpath(rel.replace(os.sep, "/")).split("/") if p not in ("", ".", "..")]
    return "/".join(parts) or "input"


def _head(path: str, n: int = MARKER_BYTES) -> bytes:
    try:
        if path.endswith(".gz"):
            with gzip.open(path, "rb") as fh:
                return fh.read(n)
        with open(path, "rb") as fh:
            return fh.read(n)
    except (OSError, EOFError):
        return b""


def _sibling_annotation(path: str, ending: str) -> str:
    return path[: -len(ending)] + ANNOTATION_ENDINGS[0]


def is_own_output(path: str) -> bool:
    """Whether ``path`` is a file this program wrote: an output name *and* its content marker.

    An annotation file starts with ``{"schema":``; a ``.clean.txt`` or
    ``.conllu`` counts when the annotation file next to it is ours;
    ``summary.json``/``boilerplate.json`` start with their first key.  A
    user's own ``news.clean.txt`` with no annotation file beside it is not
    ours, so it is neither skipped as input nor overwritten.
    """
    name = os.path.basename(path)
    if name in RUN_FILES:
        return _head(path).startswith(RUN_FILES[name])
    if name.endswith(ANNOTATION_ENDINGS):
        return _head(path).startswith(RECORD_MARKER)
    if name.endswith(TEXT_ENDING):
        return _head(_sibling_annotation(path, TEXT_ENDING)).startswith(RECORD_MARKER)
    for ending in CONLLU_ENDINGS:
        if name.endswith(ending):
            stem = path[: -len(ending)]
            ann = stem + (ANNOTATION_ENDINGS[1] if ending.endswith(".gz") else ANNOTATION_ENDINGS[0])
            return _head(path).startswith(CONLLU_MARKER) and _head(ann).startswith(RECORD_MARKER)
    return False


# what atomic_writer adds to a name for its temporary file: "." + NAME + ".XXXXXXXX" + ".tmp"
TEMP_NAME_EXTRA = 1 + 9 + 4
NAME_MAX = 255  # bytes in one file name on Linux file systems (ext4, xfs, btrfs, tmpfs)


def check_name_length(path: str) -> None:
    """An output name (and its temporary twin) fits in one file name: else :class:`InputError`.

    >>> check_name_length("out/" + "x" * 240 + ".ann.jsonl")
    Traceback (most recent call last):
    ...
    pipeline.errors.InputError: --out-dir: output file name too long (250 bytes; at most 241 fit)
    """
    name = os.fsencode(os.path.basename(path))
    room = NAME_MAX - TEMP_NAME_EXTRA
    if len(name) > room:
        raise InputError("--out-dir", f"output file name too long ({len(name)} bytes; at most {room} fit)")


def may_replace(path: str) -> bool:
    """An output may be written over ``path``: nothing is there, or this program wrote it."""
    return not os.path.lexists(path) or (os.path.isfile(path) and is_own_output(path))


def check_out_dir(out_dir: str) -> str:
    """Create ``out_dir`` and prove a file can be written there; its resolved path, or one usage error."""
    where = f"--out-dir {out_dir}"
    try:
        os.makedirs(out_dir, exist_ok=True)
    except FileExistsError:
        raise InputError(where, "is a file, not a folder") from None
    except NotADirectoryError:
        raise InputError(where, "lies under a file, not a folder") from None
    except OSError as exc:
        raise InputError(where, f"cannot be created ({exc.strerror or exc})") from None
    if not os.path.isdir(out_dir):
        raise InputError(where, "is not a folder")
    try:
        with tempfile.NamedTemporaryFile(dir=out_dir, prefix=".probe.", suffix=".tmp") as fh:
            fh.write(b"x" * 4096)
            fh.flush()
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise InputError(where, "is not writable (read-only or no permission)") from None
        raise InputError(where, f"cannot be written ({exc.strerror or exc})") from None
    for name in RUN_FILES:
        if not may_replace(os.path.join(out_dir, name)):
            raise InputError(where, f"holds a {name} this program did not write; move it or choose another folder")
    return os.path.realpath(out_dir)


def check_inside(out_real: str, path: str, real: str | None = None) -> None:
    """``path`` (whose resolved form is ``real`` when known) resolves to a place inside the resolved ``--out-dir``."""
    real = real or os.path.realpath(path)
    prefix = out_real if out_real.endswith(os.sep) else out_real + os.sep
    if real != out_real and not real.startswith(prefix):  # both resolved: no "..", no double separators
        raise InputError(path, f"would be written outside --out-dir {out_real}; refused")


def check_outputs_apart(inputs: list[Input], outputs_of: Callable[[Input], list[str]], out_dir: str) -> None:
    """Every output inside ``out_dir`` and none the same file as an input: a usage error before any work."""
    out_real = os.path.realpath(out_dir)
    realpath = RealPaths()
    input_paths = {realpath(i.path) for i in inputs if i.path != "-"}
    for inp in inputs:
        for out in outputs_of(inp):
            real = realpath(out)
            check_inside(out_real, out, real)
            if real in input_paths:
                raise InputError(inp.path, f"its output {out} is also an input of this run; choose another --out-dir")


def drop_own_outputs(inputs: list[Input]) -> tuple[list[Input], list[Input]]:
    """(inputs to clean, inputs skipped because an earlier run of this program wrote them)."""
    keep, skipped = [], []
    for inp in inputs:
        (skipped if inp.path != "-" and is_own_output(inp.path) else keep).append(inp)
    return keep, skipped

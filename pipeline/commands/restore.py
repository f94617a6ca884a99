"""``restore ANN.jsonl``: print the original text, byte for byte, from annotations alone.

The whole file is checked first (every selected record rebuilt and matched
against its SHA-256); only then is anything printed, so a bad record on line
9 cannot leave lines 1-8 on stdout.  A record without a hash is an error
unless ``--no-verify`` is given.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

from pipeline.errors import InputError
from pipeline.io.annotations import read_numbered_records, restore_record

NAME = "restore"
HELP = "print the original text(s) from an annotation file"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("annotations", help="an .ann.jsonl file, or - for stdin")
    p.add_argument("--id", help="restore only the document with this id (an error if several have it)")
    p.add_argument("--line", type=int, metavar="N", help="restore only the record on line N of the file")
    p.add_argument(
        "--no-verify", action="store_true", help="accept records without a sha256 (their text cannot be checked)"
    )


def select_records(records: Iterable[tuple[int, dict]], doc_id: str | None, line: int | None, path: str) -> list:
    """The (line, record) pairs asked for; an ``--id`` held by several records is an error naming their lines."""
    chosen = [
        (n, rec)
        for n, rec in records
        if (doc_id is None or str(rec.get("id")) == doc_id) and (line is None or n == line)
    ]
    if doc_id is not None and len(chosen) > 1:
        lines = ", ".join(str(n) for n, _ in chosen[:-1]) + f" and {chosen[-1][0]}"
        raise InputError(path, f"id {doc_id!r} is on lines {lines}; pick one with --line N")
    if (doc_id is not None or line is not None) and not chosen:
        what = f"id {doc_id!r}" if doc_id is not None else f"line {line}"
        raise InputError(path, f"no record with {what}")
    return chosen


def read_chosen_records(path: str, doc_id: str | None, line: int | None) -> list:
    """The (line, record) pairs of the annotation file ``path`` (``-``: stdin) that ``--id`` and ``--line`` ask for."""
    stream = sys.stdin if path == "-" else None
    return select_records(read_numbered_records(path, stream), doc_id, line, path)


def restore_all(chosen: list, path: str, verify: bool) -> list[bytes]:
    """Every chosen record restored and verified, before anything is printed."""
    out = []
    for n, rec in chosen:
        try:
            out.append(restore_record(rec, path, verify))
        except InputError as exc:
            raise InputError(path, f"line {n}: {exc.message}") from None
    return out


def run(args: argparse.Namespace) -> int:
    chosen = read_chosen_records(args.annotations, args.id, args.line)
    originals = restore_all(chosen, args.annotations, not args.no_verify)
    out = sys.stdout.buffer
    for data in originals:
        out.write(data)
    out.flush()
    return 0

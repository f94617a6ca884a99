"""``diff FILE...``: what the cleaning changed and why, on the terminal, as a unified diff or an HTML report.

FILE is a raw text file (cleaned now, with the same options as ``clean``),
an annotation file ``NAME.ann.jsonl`` or a batch output folder (every
``*.ann.jsonl`` inside).  ``diff ORIGINAL CLEANED`` with two plain text files
re-diffs a text cleaned elsewhere (rapidfuzz opcodes; no reasons known).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from pipeline.commands.options import (
    add_config_arguments,
    check_encoding,
    check_stage_names,
    config_from_args,
    split_names,
)
from pipeline.document import Document
from pipeline.errors import InputError
from pipeline.io.atomic import atomic_writer
from pipeline.review.diff import unified_diff, use_color, write_diff
from pipeline.review.html import render_report
from pipeline.review.load import PAIR_STAGE, document_from_pair, is_annotation_path, load_documents

NAME = "diff"
HELP = "show what cleaning changed and why: terminal diff, --unified, or --html report"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="raw text file(s) (cleaned now), NAME.ann.jsonl file(s), batch output folder(s); "
        "or ORIGINAL CLEANED: two plain text files to re-diff",
    )
    p.add_argument(
        "--stage",
        action="append",
        default=[],
        metavar="STAGES",
        help="show only changes of these stages (comma-separated; repeatable)",
    )
    p.add_argument(
        "--rule",
        action="append",
        default=[],
        metavar="RULES",
        help="show only changes of these rules (comma-separated; repeatable)",
    )
    p.add_argument("--unified", "-u", action="store_true", help="print a standard unified diff of original vs cleaned")
    p.add_argument("-U", "--context", type=int, default=3, metavar="N", help="context lines of --unified (default 3)")
    p.add_argument("--html", metavar="REPORT.html", help="write a self-contained HTML report here instead of printing")
    p.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the terminal diff: auto (default: on a terminal unless NO_COLOR is set), always, never",
    )
    p.add_argument("--no-color", dest="color", action="store_const", const="never", help="same as --color never")
    p.add_argument("--encoding", default="utf-8", help="encoding of raw input files (default utf-8; auto to guess)")
    add_config_arguments(p)


def stages_to_show(values: list[str]) -> frozenset[str]:
    """The ``--stage`` names, each a stage of the pipeline (or ``diff``, the re-diff of two files)."""
    names = split_names(values)
    check_stage_names(names - {PAIR_STAGE}, "--stage")
    return names


def is_pair(files: list[str]) -> bool:
    """Two plain files (no annotation file, no folder, no stdin): original and cleaned."""
    return len(files) == 2 and all(f != "-" and not is_annotation_path(f) and not os.path.isdir(f) for f in files)


def load(args: argparse.Namespace) -> list[Document]:
    if is_pair(args.files):
        return [document_from_pair(args.files[0], args.files[1], args.encoding)]
    return load_documents(args.files, config_from_args(args), check_encoding(args.encoding))


def write_report(path: str, page: str) -> None:
    """The HTML report, written atomically; a path that cannot be written is one line."""
    try:
        with atomic_writer(path) as fh:
            fh.write(page)
    except OSError as exc:
        raise InputError(f"--html {path}", f"cannot write the report ({exc.strerror or exc})") from None


def run(args: argparse.Namespace) -> int:
    stages = stages_to_show(args.stage)
    docs = load(args)
    out = sys.stdout
    if args.html:
        t0 = time.perf_counter()
        page = render_report(docs, title="Cleaning report: " + ", ".join(args.files))
        write_report(args.html, page)
        print(
            f"wrote {args.html}: {len(docs)} document(s), {sum(len(d.edits) for d in docs)} edits, "
            f"{len(page.encode('utf-8')) // 1024} KiB in {time.perf_counter() - t0:.2f} s",
            file=sys.stderr,
        )
        return 0
    if args.unified:
        for doc in docs:
            out.write(unified_diff(doc, args.context))
    else:
        write_diff(docs, out, use_color(out, args.color), stages, split_names(args.rule))
    out.flush()
    return 0

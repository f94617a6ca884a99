"""``clean FILE...``: cleaned text to stdout, or text + annotations into ``--out-dir``."""

from __future__ import annotations

import argparse
import json
import os
import sys

from pipeline.commands.options import add_config_arguments, config_from_args
from pipeline.document import Document
from pipeline.errors import InputError
from pipeline.io.annotations import document_record, write_records
from pipeline.io.atomic import atomic_writer
from pipeline.run import Config, clean_bytes

NAME = "clean"
HELP = "clean articles: cleaned text to stdout, or text + annotations with --out-dir"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", default=["-"], metavar="FILE", help="input files (- or none: stdin)")
    p.add_argument("--out-dir", metavar="DIR", help="write NAME.clean.txt and NAME.ann.jsonl here")
    p.add_argument(
        "--encoding",
        default="utf-8",
        help="input encoding: utf-8 (default, BOM accepted), shift_jis/cp932, euc-jp, or auto",
    )
    p.add_argument("--json", action="store_true", help="print the annotation record(s) as JSON Lines instead of text")
    add_config_arguments(p)


def read_input(path: str) -> bytes:
    """The bytes of a file or of stdin, with one-line errors."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None


def output_stem(path: str) -> str:
    """``dir/NAME.txt`` -> ``NAME``."""
    base = os.path.basename(path) if path != "-" else "stdin"
    stem, ext = os.path.splitext(base)
    return stem if ext else base


def clean_file(path: str, config: Config, encoding: str = "utf-8") -> Document:
    source = "<stdin>" if path == "-" else path
    return clean_bytes(read_input(path), source, config, encoding, id=output_stem(path))


def write_outputs(doc: Document, out_dir: str, stem: str) -> tuple[str, str]:
    """Write ``stem.clean.txt`` and ``stem.ann.jsonl`` atomically; returns their paths."""
    text_path = os.path.join(out_dir, f"{stem}.clean.txt")
    ann_path = os.path.join(out_dir, f"{stem}.ann.jsonl")
    with atomic_writer(ann_path) as fh:
        write_records([document_record(doc)], fh)
    with atomic_writer(text_path) as fh:
        fh.write(doc.text)
    return text_path, ann_path


def run(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    docs = [(path, clean_file(path, config, args.encoding)) for path in args.files]
    if args.out_dir:
        for path, doc in docs:
            write_outputs(doc, args.out_dir, output_stem(path))
        return 0
    out = sys.stdout
    for _, doc in docs:
        if args.json:
            out.write(json.dumps(document_record(doc), ensure_ascii=False) + "\n")
        else:
            out.write(doc.text)
    out.flush()
    return 0

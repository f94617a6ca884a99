"""``restore ANN.jsonl``: print the original text, byte for byte, from annotations alone."""

from __future__ import annotations

import argparse
import sys

from pipeline.io.annotations import read_records, restore_record

NAME = "restore"
HELP = "print the original text(s) from an annotation file"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("annotations", help="an .ann.jsonl file, or - for stdin")
    p.add_argument("--id", help="restore only the document with this id")


def run(args: argparse.Namespace) -> int:
    stream = sys.stdin if args.annotations == "-" else None
    out = sys.stdout.buffer
    for rec in read_records(args.annotations, stream):
        if args.id is not None and rec.get("id") != args.id:
            continue
        out.write(restore_record(rec, args.annotations))
    out.flush()
    return 0

"""``stats FILE...``: edits per stage and rule, sentences kept and removed, characters before and after."""

from __future__ import annotations

import argparse
import json
import sys

from pipeline.commands.options import add_config_arguments, check_encoding, config_from_args
from pipeline.review.load import load_documents
from pipeline.review.stats import collect_stats, format_stats

NAME = "stats"
HELP = "count edits per stage and rule, sentences kept/removed, characters before/after"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="raw text file(s) (cleaned now), NAME.ann.jsonl file(s) or batch output folder(s)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object (documents and total) instead of tables")
    p.add_argument("--encoding", default="utf-8", help="encoding of raw input files (default utf-8; auto to guess)")
    add_config_arguments(p)


def run(args: argparse.Namespace) -> int:
    stats = collect_stats(load_documents(args.files, config_from_args(args), check_encoding(args.encoding)))
    if args.json:
        sys.stdout.write(json.dumps(stats, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(format_stats(stats))
    sys.stdout.flush()
    return 0

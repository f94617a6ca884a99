"""``variants FILE...``: the variant groups found in each file (review before cleaning).

Prints a table (or ``--json``: ``[{"input": FILE, "clusters": [{"canonical":
..., "forms": {form: count}}]}]``) of the groups of two or more forms.
``--write-lexicon FILE`` saves the groups as a native lexicon; edit it and
pass it back with ``clean --lexicon FILE``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from pipeline.io.atomic import atomic_writer
from pipeline.io.files import read_bytes
from pipeline.lexicon import format_native
from pipeline.run import STAGES, Config, Stage, run_stages
from pipeline.stages import variants as variants_stage
from pipeline.stages.decode import decode_bytes

NAME = "variants"
HELP = "list name/term variant groups per file (--json, --write-lexicon FILE)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", default=["-"], metavar="FILE", help="input files (- or none: stdin)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--write-lexicon", metavar="FILE", help="save the groups as an editable lexicon for clean --lexicon")
    p.add_argument("--encoding", default="utf-8", help="input encoding (default utf-8; auto to guess)")
    variants_stage.add_arguments(p.add_argument_group("variants stage"))


def clusters_of(text: str, source: str, options: variants_stage.VariantOptions) -> list[dict[str, Any]]:
    """The variant groups of one text (stages up to and including ``variants``)."""
    from pipeline.document import Document

    upto: list[Stage] = []
    for st in STAGES:
        upto.append(st)
        if st.name == "variants":
            break
    doc = run_stages(Document(text, source=source), Config(variants=options), tuple(upto))
    return list(doc.annotations.get("variants", {}).get("clusters", []))


def format_table(results: list[dict[str, Any]]) -> str:
    """Human-readable: one block per file, one line per group."""
    lines: list[str] = []
    for r in results:
        lines.append(f"{r['input']}: {len(r['clusters'])} group(s)")
        for c in r["clusters"]:
            forms = ", ".join(f"{f}×{n}" for f, n in c["forms"].items())
            lines.append(f"  {c['canonical']}\t<- {forms}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    options = variants_stage.options_from_args(args)
    results: list[dict[str, Any]] = []
    for path in args.files:
        source = "<stdin>" if path == "-" else path
        text = decode_bytes(read_bytes(path), source, args.encoding).text
        results.append({"input": path, "clusters": clusters_of(text, source, options)})
    if args.json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(format_table(results))
    if args.write_lexicon:
        merged: dict[str, dict[str, int]] = {}
        for r in results:
            for c in r["clusters"]:
                forms = merged.setdefault(c["canonical"], {})
                for f, n in c["forms"].items():
                    # Latin spellings stay out unless --latin rewrite: a lexicon entry always rewrites
                    if options.latin == "keep" and f.isascii() and not c["canonical"].isascii():
                        continue
                    forms[f] = forms.get(f, 0) + n
        with atomic_writer(args.write_lexicon) as fh:
            fh.write(format_native(list(merged.items())))
    return 0

"""``clean INPUT...``: cleaned text to stdout, or text + annotations into ``--out-dir``.

Inputs are files, folders (walked recursively), globs and JSON Lines corpora
(``.jsonl``/``.jsonl.gz``, one document per line).  See docs/batch.md.

Exit status: 0 every document cleaned; 1 some documents failed (each one is
reported and the batch goes on); 2 nothing could be cleaned (a single bad
file, every input bad) or a usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from dataclasses import replace

from pipeline.batch import BatchOptions, Settings, output_paths, run_batch
from pipeline.boilerplate import BoilerplateOptions
from pipeline.commands.options import add_config_arguments, check_encoding, config_from_args
from pipeline.errors import InputError, one_line
from pipeline.io.corpus import DEFAULT_INCLUDE, Input, check_output_names, discover_inputs, pair_inputs
from pipeline.io.outputs import check_out_dir, check_outputs_apart, drop_own_outputs

NAME = "clean"
HELP = "clean articles: cleaned text to stdout, or text + annotations with --out-dir"
# A document of N characters peaks at about 200 MB + 450 bytes x N in a worker (measured on real
# articles joined into one line, record built and written; benchmarks/bench_long.py, docs/batch.md;
# 770 bytes before the record was written in pieces).  5 M characters (~15 MB of UTF-8 Japanese,
# a 10 MB line passes) is ~2.5 GB a worker: two workers and the parent fit a 24 GiB
# machine with room to spare.  Fixed, not derived from the machine, so a run fails the same
# documents everywhere.
DEFAULT_MAX_CHARS = 5_000_000
DEFAULT_PROGRESS_CHARS = 500_000  # about 5 s of work: below that, a line per stage is noise


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "files",
        nargs="*",
        default=["-"],
        metavar="INPUT",
        help="files, folders (recursive), globs, or JSON Lines corpora (.jsonl, .jsonl.gz); - or none: stdin",
    )
    p.add_argument(
        "--out-dir",
        metavar="DIR",
        help="write NAME.clean.txt and NAME.ann.jsonl here (NAME.ann.jsonl[.gz] for a corpus) and summary.json",
    )
    p.add_argument(
        "--encoding",
        default="utf-8",
        help="input encoding: utf-8 (default, BOM accepted), shift_jis/cp932, euc-jp, or auto (per file)",
    )
    p.add_argument("--json", action="store_true", help="print the annotation record(s) as JSON Lines instead of text")
    batch = p.add_argument_group("batch")
    batch.add_argument(
        "--format",
        action="append",
        choices=["conllu"],
        default=[],
        help="also write NAME.conllu (to stdout without --out-dir)",
    )
    batch.add_argument(
        "--include",
        action="append",
        metavar="GLOB",
        help=f"file names a folder walk takes (repeatable; default: {' '.join(DEFAULT_INCLUDE)})",
    )
    batch.add_argument(
        "--text-field", default="text", metavar="F", help="corpus field holding the text (default: text)"
    )
    batch.add_argument(
        "--id-field", default="id", metavar="F", help="corpus field holding the document id (default: id)"
    )
    source = p.add_argument_group("English source (evidence for the stages, alignment, translation-quality flags)")
    source.add_argument("--source", metavar="EN_FILE", help="the English source of the one Japanese input file")
    source.add_argument(
        "--source-suffix",
        metavar="SUFFIX",
        help="pair each NAME.ja.txt (or NAME.txt) input with NAME+SUFFIX, e.g. .en.txt; unpaired sides are reported",
    )
    source.add_argument(
        "--source-field",
        default="",
        metavar="F",
        help="corpus field holding the English source ({'translation': {'en', 'ja'}} pairs are read as they are)",
    )
    batch.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (default: the number of cores)",
    )
    batch.add_argument(
        "--executor", choices=["local", "dask"], default="local", help="local processes or a Dask cluster"
    )
    batch.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: start a local cluster)")
    batch.add_argument(
        "--max-chars",
        type=int,
        default=DEFAULT_MAX_CHARS,
        metavar="N",
        help=f"fail a document longer than N characters (default: {DEFAULT_MAX_CHARS:,}; 0: no limit)",
    )
    batch.add_argument("--resume", action="store_true", help="skip inputs whose outputs exist and are newer")
    batch.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary line")
    batch.add_argument(
        "--progress", action="store_true", help="draw the progress bar even when stderr is not a terminal"
    )
    batch.add_argument(
        "--progress-chars",
        type=int,
        default=DEFAULT_PROGRESS_CHARS,
        metavar="N",
        help="a document of N characters or more prints a line per stage on stderr, when the progress bar "
        f"would be drawn (default {DEFAULT_PROGRESS_CHARS:,}; 0: never)",
    )
    batch.add_argument("--timings", action="store_true", help="keep per-document stage seconds in the records")
    batch.add_argument(
        "--token-layout",
        choices=("columns", "rows"),
        default="columns",
        help="tokens in the annotation record: columns, one list per field (default, docs/schema.md), "
        "or rows, one object per token as schema 1 wrote them",
    )
    batch.add_argument(
        "--fsync",
        action="store_true",
        help="fsync every output file before its rename (default: each output folder once at the end)",
    )
    d = BoilerplateOptions()
    batch.add_argument(
        "--boilerplate",
        choices=["off", "report", "remove"],
        default="off",
        help="cross-document boilerplate (footers, credits): report counts it first and writes "
        "boilerplate.json into --out-dir; remove also deletes it as edits (default: off)",
    )
    batch.add_argument(
        "--boilerplate-min-docs",
        type=int,
        default=d.min_docs,
        metavar="N",
        help=f"a sentence or paragraph is boilerplate when found in at least N documents (default {d.min_docs})",
    )
    batch.add_argument(
        "--boilerplate-min-share",
        type=float,
        default=d.min_share,
        metavar="F",
        help="... and in at least this share of the documents, 0 to 1 (default 0)",
    )
    batch.add_argument(
        "--boilerplate-anywhere",
        action="store_true",
        help="remove repeated text inside a document's body too (default: only the repeated text a document "
        "starts or ends with; the rest is flagged, since translations of one article share sentences)",
    )
    add_config_arguments(p)


# -- the command ---------------------------------------------------------------------


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def run(args: argparse.Namespace) -> int:
    check_encoding(args.encoding)
    jobs = default_jobs() if args.jobs is None else args.jobs
    if jobs < 1:
        raise InputError("--jobs", "must be at least 1")
    if args.max_chars < 0:
        raise InputError("--max-chars", "must be 0 (no limit) or more")
    if args.scheduler and args.executor != "dask":
        raise InputError("--scheduler", "needs --executor dask")
    boilerplate = getattr(args, "boilerplate", "off")
    if args.resume and not args.out_dir:
        raise InputError("--resume", "needs --out-dir (it skips inputs whose outputs there are complete and newer)")
    if boilerplate == "report" and not args.out_dir:
        raise InputError("--boilerplate report", "needs --out-dir (it writes boilerplate.json there)")
    if args.boilerplate_min_docs < 2:
        raise InputError("--boilerplate-min-docs", "must be at least 2")
    if not 0.0 <= args.boilerplate_min_share <= 1.0:
        raise InputError("--boilerplate-min-share", "must be between 0 and 1")
    conllu = "conllu" in args.format
    settings = Settings(
        config=config_from_args(args),
        encoding=args.encoding,
        max_chars=args.max_chars,
        conllu=conllu,
        timings=args.timings,
        token_layout=args.token_layout,
        stage_progress_chars=stage_progress_chars(args),
        boilerplate=boilerplate,
        boilerplate_options=BoilerplateOptions(
            min_docs=args.boilerplate_min_docs,
            min_share=args.boilerplate_min_share,
            anywhere=args.boilerplate_anywhere,
        ),
    )
    created = bool(args.out_dir) and not os.path.lexists(args.out_dir)
    try:
        return run_clean_batch(args, settings, conllu, jobs)
    finally:
        if created:  # a run that wrote nothing (refused, or every input unreadable) leaves no empty folder
            with contextlib.suppress(OSError):
                os.rmdir(args.out_dir)  # only succeeds when the folder is empty


def run_clean_batch(args: argparse.Namespace, settings: Settings, conllu: bool, jobs: int) -> int:
    """Find the inputs and clean them: the batch's exit status."""
    inputs = find_inputs(args, conllu)
    opts = BatchOptions(
        out_dir=args.out_dir,
        jobs=jobs,
        executor=args.executor,
        scheduler=args.scheduler,
        resume=args.resume,
        quiet=args.quiet,
        text_field=args.text_field,
        id_field=args.id_field,
        source_field=args.source_field,
        stdout_format="json" if args.json else "conllu" if conllu else "text",
        progress=True if args.progress else None,
        fsync=args.fsync,
    )
    return run_batch(inputs, settings, opts).exit_status


def stage_progress_chars(args: argparse.Namespace) -> int:
    """When a long document reports its stages: as the bar, on a terminal or with --progress, never with --quiet."""
    if args.quiet or args.progress_chars <= 0:
        return 0
    return args.progress_chars if args.progress or sys.stderr.isatty() else 0


def find_inputs(args: argparse.Namespace, conllu: bool) -> list[Input]:
    """The inputs to clean, after the run-level checks of the output-path policy (docs/batch.md)."""
    if args.out_dir:
        check_out_dir(args.out_dir)
    inputs = discover_inputs(args.files or ["-"], include=args.include or DEFAULT_INCLUDE, exclude=args.out_dir)
    inputs = skip_own_outputs(inputs, args.quiet)
    inputs = attach_sources(inputs, args)
    if args.out_dir:
        check_output_names(inputs)
        check_outputs_apart(inputs, lambda inp: output_paths(inp, args.out_dir, conllu), args.out_dir)
    elif not args.json and not conllu:
        check_stdout_boundaries(inputs)
    return inputs


def attach_sources(inputs: list[Input], args: argparse.Namespace) -> list[Input]:
    """The English source of each text input: ``--source`` for one file, ``--source-suffix`` for pairs by name."""
    if args.source and args.source_suffix:
        raise InputError("--source", "give --source (one file) or --source-suffix (pairs by name), not both")
    if args.source:
        texts = [i for i in inputs if i.kind == "text"]
        if len(inputs) != 1 or len(texts) != 1:
            raise InputError("--source", "pairs one Japanese file with one English file; for many, use --source-suffix")
        if not os.path.isfile(args.source):
            raise InputError(args.source, "no such file (the English source)")
        return [replace(texts[0], english=args.source)]
    if args.source_suffix:
        paired, notes = pair_inputs(inputs, args.source_suffix)
        if not args.quiet:
            for note in notes:
                print(f"note: {one_line(note)}", file=sys.stderr)
        return paired
    return inputs


def skip_own_outputs(inputs: list[Input], quiet: bool) -> list[Input]:
    """The inputs minus files an earlier run of this program wrote (by name and content marker)."""
    keep, skipped = drop_own_outputs(inputs)
    if skipped and not quiet:
        names = ", ".join(i.path for i in skipped[:3]) + (", ..." if len(skipped) > 3 else "")
        print(one_line(f"note: skipped {len(skipped)} file(s) written by an earlier run: {names}"), file=sys.stderr)
    if skipped and not keep:
        raise InputError(skipped[0].path, "every input is an output of an earlier run; nothing to clean")
    return keep


def check_stdout_boundaries(inputs: list[Input]) -> None:
    """Plain text on stdout holds one document: several would run together with no boundary."""
    corpus = next((i for i in inputs if i.kind == "jsonl"), None)
    if len(inputs) > 1 or corpus is not None:
        what = f"corpus {corpus.path}" if corpus else f"{len(inputs)} inputs"
        raise InputError(
            "clean",
            f"{what} to stdout as plain text would lose the document boundaries; "
            "use --json (one record a line), --format conllu, or --out-dir DIR",
        )

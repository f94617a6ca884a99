"""Stage options on the command line: each stage module declares its own."""

from __future__ import annotations

import argparse

from pipeline.run import Config
from pipeline.stages import blocks, dedup, markup, variants

STAGE_MODULES = (markup, blocks, variants, dedup)


def add_config_arguments(parser: argparse.ArgumentParser) -> None:
    for module in STAGE_MODULES:
        module.add_arguments(parser.add_argument_group(f"{module.STAGE} stage"))
    parser.add_argument(
        "--skip",
        default="",
        metavar="STAGES",
        help="comma-separated stages not to run (markup, blocks, variants, dedup)",
    )


def config_from_args(args: argparse.Namespace) -> Config:
    return Config(
        markup=markup.options_from_args(args),
        blocks=blocks.options_from_args(args),
        variants=variants.options_from_args(args),
        dedup=dedup.options_from_args(args),
        skip=frozenset(s.strip() for s in args.skip.split(",") if s.strip()),
    )

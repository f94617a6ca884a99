"""Stage options on the command line: each stage module declares its own."""

from __future__ import annotations

import argparse

from pipeline.errors import InputError
from pipeline.run import STAGES, Config, StageError, plan_stages
from pipeline.stages import blocks, dedup, markup, variants
from pipeline.stages.decode import text_codec

STAGE_MODULES = (markup, blocks, variants, dedup)


def add_config_arguments(parser: argparse.ArgumentParser) -> None:
    for module in STAGE_MODULES:
        module.add_arguments(parser.add_argument_group(f"{module.STAGE} stage"))
    parser.add_argument(
        "--skip",
        default="",
        metavar="STAGES",
        help=f"comma-separated stages not to run ({', '.join(s.name for s in STAGES)})",
    )


def split_names(values: str | list[str]) -> frozenset[str]:
    """``"a, b"`` or ``["a,b", "c"]`` -> ``{"a", "b", "c"}``."""
    items = [values] if isinstance(values, str) else values
    return frozenset(v.strip() for value in items for v in value.split(",") if v.strip())


def check_stage_names(names: frozenset[str], option: str, skipping: bool = False) -> frozenset[str]:
    """``names`` if every one is a stage of the pipeline, else a usage error naming the known stages.

    With ``skipping``, a stage list whose requirements are not met (``tokenise``
    skipped while ``variants`` runs) is refused too, with the reason ``plan_stages`` gives.

    >>> sorted(check_stage_names(frozenset({"dedup"}), "--skip", skipping=True))
    ['dedup']
    """
    known = [s.name for s in STAGES]
    unknown = sorted(names - set(known))
    if unknown:
        raise InputError(option, f"unknown stage {', '.join(map(repr, unknown))}; the stages are {', '.join(known)}")
    if skipping:
        try:
            plan_stages(names)
        except StageError as exc:
            raise InputError(option, str(exc)) from None
    return names


def check_encoding(name: str) -> str:
    """``name`` if it is ``auto`` or a text encoding Python knows, else a usage error (``rot13`` is not one)."""
    if name.lower() == "auto" or text_codec(name) is not None:
        return name
    raise InputError("--encoding", f"unknown encoding {name!r} (text encodings: utf-8, shift_jis, euc-jp, auto, ...)")


def config_from_args(args: argparse.Namespace) -> Config:
    return Config(
        markup=markup.options_from_args(args),
        blocks=blocks.options_from_args(args),
        variants=variants.options_from_args(args),
        dedup=dedup.options_from_args(args),
        skip=check_stage_names(split_names(args.skip), "--skip", skipping=True),
    )

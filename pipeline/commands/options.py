"""Stage options on the command line: each stage module declares its own."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from pipeline.errors import InputError
from pipeline.run import STAGES, Config, StageError, all_stages, plan_stages
from pipeline.stages import blocks, dedup, markup, variants
from pipeline.stages.decode import text_codec

STAGE_MODULES = (markup, blocks, variants, dedup)


def add_config_arguments(parser: argparse.ArgumentParser) -> None:
    for module in STAGE_MODULES:
        module.add_arguments(parser.add_argument_group(f"{module.STAGE} stage"))
    for stage in registered_stages():
        add_stage_option_flags(parser.add_argument_group(f"{stage.name} stage (registered)"), stage)
    parser.add_argument(
        "--stage-module",
        action="append",
        default=[],
        metavar="MODULE",
        help="import MODULE first: it registers stages of its own (pipeline.run.register_stage); repeatable",
    )
    parser.add_argument(
        "--skip",
        default="",
        metavar="STAGES",
        help=f"comma-separated stages not to run ({', '.join(s.name for s in all_stages())})",
    )


def split_names(values: str | list[str]) -> frozenset[str]:
    """``"a, b"`` or ``["a,b", "c"]`` -> ``{"a", "b", "c"}``."""
    items = [values] if isinstance(values, str) else values
    return frozenset(v.strip() for value in items for v in value.split(",") if v.strip())


# passes of a batch, not of one document, whose edits carry their own stage name
BATCH_PASSES = ["boilerplate"]


def check_stage_names(names: frozenset[str], option: str, skipping: bool = False) -> frozenset[str]:
    """``names`` if every one is a stage of the pipeline, else a usage error naming the known stages.

    With ``skipping``, a stage list whose requirements are not met (``tokenise``
    skipped while ``variants`` runs) is refused too, with the reason ``plan_stages`` gives.

    >>> sorted(check_stage_names(frozenset({"dedup"}), "--skip", skipping=True))
    ['dedup']
    """
    known = [s.name for s in all_stages()]
    if not skipping:
        known += BATCH_PASSES  # their edits carry their names, but they are not stages to skip
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
    extra = tuple((s.name, stage_options_from_args(args, s)) for s in registered_stages() if s.options is not None)
    return Config(
        markup=markup.options_from_args(args),
        blocks=blocks.options_from_args(args),
        variants=variants.options_from_args(args),
        dedup=dedup.options_from_args(args),
        skip=check_stage_names(split_names(args.skip), "--skip", skipping=True),
        stages=all_stages() if registered_stages() else None,
        extra=extra,
    )


def registered_stages() -> list:
    built_in = {s.name for s in STAGES}
    return [s for s in all_stages() if s.name not in built_in]


def add_stage_option_flags(group: argparse._ArgumentGroup, stage: Any) -> None:
    """``--NAME-FIELD`` for each field of a registered stage's options dataclass (type and default from it)."""
    if stage.options is None:
        return
    for f in dataclasses.fields(stage.options):
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
        flag = f"--{stage.name}-{f.name}".replace("_", "-")
        dest = f"stage__{stage.name}__{f.name}"
        if isinstance(default, bool):
            group.add_argument(flag, dest=dest, action=argparse.BooleanOptionalAction, default=default)
        else:
            kind = type(default) if isinstance(default, int | float | str) else str
            group.add_argument(flag, dest=dest, type=kind, default=default, help=f"(default: {default!r})")


def stage_options_from_args(args: argparse.Namespace, stage: Any) -> Any:
    values = {f.name: getattr(args, f"stage__{stage.name}__{f.name}") for f in dataclasses.fields(stage.options)}
    return stage.options(**values)

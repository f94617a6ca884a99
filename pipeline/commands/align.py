"""``align``: placeholder until its issue lands."""

from __future__ import annotations

import argparse

from pipeline.errors import InputError

NAME = "align"
HELP = "align (not implemented yet)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*")


def run(args: argparse.Namespace) -> int:
    raise InputError(NAME, "not implemented yet")

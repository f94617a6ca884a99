"""Name-variant normalisation (issue 4): placeholder until the stage lands."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from pipeline.document import Document

STAGE = "variants"


@dataclass(frozen=True)
class VariantOptions:
    pass


def normalise_variants(doc: Document, options: VariantOptions) -> None:
    """Rewrite name variants to one spelling (not implemented yet)."""


def add_arguments(group: argparse._ArgumentGroup) -> None:
    """Command-line options of this stage (for ``clean`` and ``batch``)."""


def options_from_args(args: argparse.Namespace) -> VariantOptions:
    return VariantOptions()

"""Sentence deduplication (issue 5): placeholder until the stage lands."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from pipeline.document import Document

STAGE = "dedup"


@dataclass(frozen=True)
class DedupOptions:
    pass


def remove_duplicates(doc: Document, options: DedupOptions) -> None:
    """Remove repeated sentences (not implemented yet)."""


def add_arguments(group: argparse._ArgumentGroup) -> None:
    """Command-line options of this stage (for ``clean`` and ``batch``)."""


def options_from_args(args: argparse.Namespace) -> DedupOptions:
    return DedupOptions()

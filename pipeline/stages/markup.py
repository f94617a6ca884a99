"""Markup and punctuation debris (issue 3): placeholder until the stage lands."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from pipeline.document import Document

STAGE = "markup"


@dataclass(frozen=True)
class MarkupOptions:
    pass


def strip_markup(doc: Document, options: MarkupOptions) -> None:
    """Record edits that remove markup debris (not implemented yet)."""


def add_arguments(group: argparse._ArgumentGroup) -> None:
    """Command-line options of this stage (for ``clean`` and ``batch``)."""


def options_from_args(args: argparse.Namespace) -> MarkupOptions:
    return MarkupOptions()

"""Block labels (issue 3): placeholder until the stage lands."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from pipeline.document import Document

STAGE = "blocks"


@dataclass(frozen=True)
class BlockOptions:
    drop: frozenset[str] = frozenset()


def label_blocks(doc: Document, options: BlockOptions) -> None:
    """Label each block (not implemented yet: every block stays ``body``)."""


def add_arguments(group: argparse._ArgumentGroup) -> None:
    """Command-line options of this stage (for ``clean`` and ``batch``)."""


def options_from_args(args: argparse.Namespace) -> BlockOptions:
    return BlockOptions()

"""What the markup stage is asked (:class:`MarkupOptions`) and what its detectors return (:class:`Fix`, :class:`Doubt`)."""

from __future__ import annotations

from dataclasses import dataclass

STAGE = "markup"


@dataclass(frozen=True)
class MarkupOptions:
    """What the markup stage removes.

    ``breaks``: ``"auto"`` puts a line break where a block-level tag or an
    attribute tail is removed between a sentence end and more text on the same
    line; ``"never"`` just deletes it.
    """

    tags: bool = True  # tags, broken tags, comments, script/style blocks, attribute tails
    entities: bool = True  # character references
    debris: bool = True  # punctuation debris and number fragments
    breaks: str = "auto"
    max_passes: int = 8


@dataclass(frozen=True)
class Fix:
    """A change proposed on the text of one pass (offsets in that text)."""

    start: int
    end: int
    new: str
    rule: str
    reason: str
    breaks: bool = False  # a block-level tag or a tail: may become a line break


@dataclass(frozen=True)
class Doubt:
    """Something that looks like debris but could be content (offsets in the pass text)."""

    start: int
    end: int
    rule: str
    reason: str

"""The rule tables of ``pipeline/data/markup_rules.yaml``, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.tables import load_yaml


@dataclass(frozen=True)
class Rules:
    block_tags: frozenset[str]
    inline_tags: frozenset[str]
    raw_text_tags: frozenset[str]
    boolean_attributes: frozenset[str]
    space_chars: frozenset[str]
    fragment_endings: tuple[str, ...]
    cell_tags: frozenset[str] = frozenset()
    void_tags: frozenset[str] = frozenset()
    mention_words: tuple[str, ...] = ()
    shortcodes: frozenset[str] = frozenset()
    line_break_tags: frozenset[str] = frozenset()

    @property
    def tags(self) -> frozenset[str]:
        return self.block_tags | self.inline_tags | self.raw_text_tags


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The tables of ``pipeline/data/markup_rules.yaml``."""
    raw: dict[str, dict[str, Any]] = load_yaml("markup_rules.yaml")
    return Rules(
        block_tags=frozenset(str(k).lower() for k in raw["block_tags"]),
        inline_tags=frozenset(str(k).lower() for k in raw["inline_tags"]),
        raw_text_tags=frozenset(str(k).lower() for k in raw["raw_text_tags"]),
        boolean_attributes=frozenset(str(k).lower() for k in raw["boolean_attributes"]),
        space_chars=frozenset(str(k) for k in raw["space_entities"]),
        fragment_endings=tuple(sorted((str(k) for k in raw["fragment_endings"]), key=len, reverse=True)),
        cell_tags=frozenset(str(k).lower() for k in raw["cell_tags"]),
        void_tags=frozenset(str(k).lower() for k in raw["void_tags"]),
        mention_words=tuple(sorted((str(k) for k in raw["mention_words"]), key=len, reverse=True)),
        shortcodes=frozenset(str(k).lower() for k in raw["shortcodes"]),
        line_break_tags=frozenset(str(k).lower() for k in raw.get("line_break_tags") or ()),
    )

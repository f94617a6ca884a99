"""The rule tables of ``pipeline/data/``: one reader for YAML and TSV files, and their regex rows.

Every table keeps one comment or reason per row (see ``docs/architecture.md``).
A TSV table skips blank lines and lines starting with ``#``; its rows are
split on tabs.  The stages parse the fields (each knows its columns) and say
which file and row is wrong.

>>> "max_distance" in load_yaml("dedup_loops.yaml")["limits"]
True
>>> next(iter(tsv_rows("abbreviations.tsv")))[1] in ("always", "before-number")
True
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

import yaml


def read_table(name: str) -> str:
    """The text of ``pipeline/data/NAME`` (UTF-8)."""
    return resources.files("pipeline.data").joinpath(name).read_text(encoding="utf-8")


# libyaml's safe loader when PyYAML was built with it (its wheels are): the same
# values, about 5-10x faster, which is start-up time of every run
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(name: str) -> Any:
    """``pipeline/data/NAME`` parsed as YAML (safe loader)."""
    return yaml.load(read_table(name), Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader


def tsv_rows(name: str) -> Iterator[list[str]]:
    """The fields of each row of ``pipeline/data/NAME``: blank lines and ``#`` comment lines skipped.

    ``"\\t".join(fields)`` gives the row back, for an error message.
    """
    for line in read_table(name).splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        yield line.split("\t")


_PLAIN = r"[^\\.^$*+?{}\[\]|()]+"
# an optional leading class group, a plain run, an optional trailing lookaround or end anchor
_NEEDS = re.compile(rf"(?:\(\[[^\]\\]+\]\))?({_PLAIN})(?:\(\?[=!]\[[^\]\\]+\]\??\)|\$)?")


def required_text(pattern: str) -> str:
    """Text every match of a table's regex contains ("" when none is known).

    Checking that a text holds it before running the regex gives the same
    result as running a regex that cannot match, much faster.  Understood:
    plain text, ``([class])text``, ``text(?=[class])``, ``text$``.

    >>> required_text("ヴァ"), required_text("([エケセ])イ"), required_text("[・＝]")
    ('ヴァ', 'イ', '')
    >>> required_text("tch"), required_text("c(?=[eiy])"), required_text("([bdfgjkmnpstvz])h"), required_text("ng$")
    ('tch', 'c', 'h', 'ng')
    >>> required_text("(.)\\\\1+"), required_text("[aeiou]"), required_text("a|b")
    ('', '', '')
    """
    m = _NEEDS.fullmatch(pattern)
    return m.group(1) if m else ""

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

import contextlib
import marshal
import os
import re
import sys
from collections.abc import Iterator
from typing import Any

# the tables' folder when the package is plain files (always, for this project's runs); a zipped
# package is read through importlib.resources, whose import is about 10 ms of start-up
_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def read_table(name: str) -> str:
    """The text of ``pipeline/data/NAME`` (UTF-8, universal newlines, as ``Path.read_text`` gives it)."""
    try:
        with open(os.path.join(_DATA, name), encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        from importlib import resources

        return resources.files("pipeline.data").joinpath(name).read_text(encoding="utf-8")


def load_yaml(name: str) -> Any:
    """``pipeline/data/NAME`` parsed as YAML (safe loader).

    The parsed value is kept beside the tables, as Python keeps bytecode
    (``data/__pycache__/NAME.TAG.marshal``, or under ``PYTHONPYCACHEPREFIX``,
    with the text it was parsed from), and used while the table's text is the same: importing PyYAML
    and parsing the tables were 15-25 ms of every run's start-up.  Nothing
    is written when the folder is read-only or Python writes no bytecode
    (``PYTHONDONTWRITEBYTECODE``), and a value marshal cannot hold is parsed
    every time.
    """
    text = read_table(name)
    cache = os.path.join(_cache_folder(), f"{name}.{sys.implementation.cache_tag}.marshal")
    value = _cached(cache, text)
    if value is not _MISSING:
        return value
    import yaml

    # libyaml's safe loader when PyYAML was built with it (its wheels are): the same values, 5-10x faster
    value = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    _keep(cache, text, value)
    return value


_MISSING = object()
_CACHE_FORMAT = 1


def _cache_folder() -> str:
    """Where Python would put the bytecode of a module in ``data/`` (``PYTHONPYCACHEPREFIX`` applies)."""
    if sys.pycache_prefix:
        return os.path.join(sys.pycache_prefix, _DATA.lstrip(os.sep))
    return os.path.join(_DATA, "__pycache__")


def _cached(path: str, text: str) -> Any:
    """The value kept in ``path`` when it was parsed from ``text``; else ``_MISSING``."""
    try:
        with open(path, "rb") as fh:
            kept = marshal.loads(fh.read())
    except (OSError, EOFError, ValueError, TypeError):
        return _MISSING
    if type(kept) is tuple and len(kept) == 3 and kept[0] == _CACHE_FORMAT and kept[1] == text:
        return kept[2]
    return _MISSING


def _keep(path: str, text: str, value: Any) -> None:
    """Write ``value`` (parsed from ``text``) to ``path`` for the next run, atomically; give up quietly."""
    if sys.dont_write_bytecode:
        return
    try:
        data = marshal.dumps((_CACHE_FORMAT, text, value))
    except ValueError:  # a type marshal cannot hold (a date, say): parsed every run
        return
    if marshal.loads(data) != (_CACHE_FORMAT, text, value):
        return  # a NaN, say: it would not compare equal, so never trust it
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


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

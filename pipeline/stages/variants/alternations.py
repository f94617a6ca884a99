"""The alternation table (``data/variants_alternations.tsv``) and the kana key it folds a form to."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from pipeline.romanise import katakana_of

_REGEX_SYNTAX = set("\\.^$*+?{}[]|()")


def _required_text(pattern: str) -> str:
    """Text every match of an alternation row contains ("" when none is known).

    A plain pattern needs itself; ``(...)X`` (a class group, then plain text) needs X.

    >>> _required_text("ヴァ"), _required_text("([エケセ])イ"), _required_text("[・＝]")
    ('ヴァ', 'イ', '')
    """
    if pattern and not set(pattern) & _REGEX_SYNTAX:
        return pattern
    m = re.fullmatch(r"\(\[[^\]\\]+\]\)([^\\.^$*+?{}\[\]|()]+)", pattern)
    return m.group(1) if m else ""


@lru_cache(maxsize=1)
def _alternation_steps() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """The table's rows with the text each needs: a row is skipped when its text is absent."""
    return tuple((rx, repl, _required_text(rx.pattern)) for rx, repl in load_alternations())


@lru_cache(maxsize=1)
def load_alternations() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Rows of ``data/variants_alternations.tsv`` as (regex, replacement)."""
    text = resources.files("pipeline.data").joinpath("variants_alternations.tsv").read_text(encoding="utf-8")
    rows: list[tuple[re.Pattern[str], str]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, repl = line.split("\t")[:2]
        rows.append((re.compile(pattern), "" if repl == '""' else repl))
    return tuple(rows)


@lru_cache(maxsize=1 << 16)
def fold_kana(form: str) -> str:
    """The grouping key of a katakana form: alternations folded.

    >>> fold_kana("ハルターマン"), fold_kana("ハルトマン")
    ('ハルタマン', 'ハルトマン')
    >>> fold_kana("ウォーターゲイト") == fold_kana("ウォーターゲート")
    True
    >>> fold_kana("ヒンズー") == fold_kana("ヒンドゥー")
    True
    """
    s = katakana_of(form)
    for rx, repl, needed in _alternation_steps():
        if needed in s:
            s = rx.sub(repl, s)
    return s

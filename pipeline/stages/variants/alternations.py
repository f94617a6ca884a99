"""The alternation table (``data/variants_alternations.tsv``) and the kana key it folds a form to."""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.romanise import katakana_of
from pipeline.tables import required_text, tsv_rows


@lru_cache(maxsize=1)
def _alternation_steps() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """The table's rows with the text each needs: a row is skipped when its text is absent."""
    return tuple((rx, repl, required_text(rx.pattern)) for rx, repl in load_alternations())


@lru_cache(maxsize=1)
def load_alternations() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Rows of ``data/variants_alternations.tsv`` as (regex, replacement)."""
    rows: list[tuple[re.Pattern[str], str]] = []
    for fields in tsv_rows("variants_alternations.tsv"):
        pattern, repl = fields[:2]
        rows.append((re.compile(pattern), "" if repl == '""' else repl))
    return tuple(rows)


@lru_cache(maxsize=1 << 16)
def fold_kana(form: str) -> str:
    """The grouping key of a katakana form: alternations folded.

    >>> fold_kana("ハルターマン"), fold_kana("ハルトマン")
    ('ハルタマン', 'ハルトマン')
    >>> fold_kana("ウォーターゲイト") == fold_kana("ウォーターゲート")
    True
    >>> fold_kana("カズー") == fold_kana("カドゥー")
    True
    """
    s = katakana_of(form)
    for rx, repl, needed in _alternation_steps():
        if needed in s:
            s = rx.sub(repl, s)
    return s

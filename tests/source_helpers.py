"""Helpers the variants-with-an-English-source test modules share (not a test module).

Made-up articles with one name per line, each line aligned to one English
line, and the variants stage's edits of them with and without the source.
"""

from __future__ import annotations

from pipeline.run import Config, clean_text


def two(names: tuple[str, str], english: tuple[str, str]) -> tuple[str, str]:
    """A made-up two-line article: one name per line, each line aligned to one English line."""
    ja = f"{names[0]}氏が話した。\nその後、{names[1]}氏は去った。\n"
    en = f"{english[0]} spoke.\nLater, {english[1]} left.\n"
    return ja, en


def three(names: tuple[str, str, str], english: tuple[str, str, str]) -> tuple[str, str]:
    """A made-up three-line article: one name per line, each line aligned to one English line."""
    a, b, c = names
    ja = f"{a}議員が話した。\n{b}氏はノーと言った。\nその後、{c}氏は去った。\n"
    en = f"Senator {english[0]} spoke.\n{english[1]} said no.\nLater, {english[2]} left.\n"
    return ja, en


def source_edits(ja: str, en: str | None, config: Config | None = None) -> list[tuple[str, str, str]]:
    """(old, new, reason) of each variants edit of ``ja`` cleaned with the English ``en`` (None: no source)."""
    doc = clean_text(ja, config, english=en)
    return [(e.old, e.new, e.reason) for e in doc.edits if e.stage == "variants"]


def assert_merged_with_source(ja: str, en: str, edits: list[tuple[str, str]], reason: str) -> None:
    """With the source, ``ja``'s variants edits are ``edits`` and every reason holds ``reason``; without it, none."""
    got = source_edits(ja, en)
    assert [(old, new) for old, new, _ in got] == edits, got
    assert all(reason in why for _, _, why in got), got
    assert source_edits(ja, None) == []  # without the source: nothing changes

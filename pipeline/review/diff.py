"""The terminal diff: each changed sentence, original and cleaned, with the reason of every change.

Deletions and insertions come straight from the edit log.  Without colour the
markers are wdiff/git's ``[-deleted-]`` and ``{+inserted+}``; with colour the
deleted text is red and the inserted text green (backgrounds, so a removed
space shows).  Line breaks and tabs inside a change are drawn as ``↵`` and
``→`` so that a removed line break is visible.

>>> from pipeline.document import Document
>>> doc = Document("犬が<b>走る。")
>>> doc.edit(2, 5, "", "markup", "tag", "HTML tag")  # doctest: +ELLIPSIS
Edit(...)
>>> print(format_document(doc, color=False), end="")
== <document> (1 change in 1 row)
@@ line 1 @@
- 犬が[-<b>-]走る。
+ 犬が走る。
    markup/tag: HTML tag  '<b>' removed
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Collection, Iterable, Iterator
from typing import IO

from pipeline.document import Document, Edit, Flag
from pipeline.review.rows import Row, build_rows, row_matches, row_pieces

DEL_ON, INS_ON, DIM_ON, HEAD_ON, OFF = "\x1b[30;41m", "\x1b[30;42m", "\x1b[2m", "\x1b[1m", "\x1b[0m"
MAX_QUOTED = 60  # characters of old/new text quoted in a reason line


def use_color(stream: IO[str], choice: str = "auto") -> bool:
    """Colour on a terminal unless ``NO_COLOR`` is set (https://no-color.org); ``always``/``never`` override."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def show_invisible(s: str) -> str:
    r"""Make line breaks and tabs inside a change visible.

    >>> show_invisible("a\r\nb\tc")
    'a↵b→c'
    """
    return s.replace("\r\n", "↵").replace("\n", "↵").replace("\r", "↵").replace("\t", "→")


def quote(s: str, limit: int = MAX_QUOTED) -> str:
    """A short ``repr``-like quotation of changed text.

    >>> quote("abc"), quote("x" * 10, 4)
    ("'abc'", "'xxxx…' (10 chars)")
    """
    shown = show_invisible(s)
    if len(shown) > limit:
        return f"'{shown[:limit]}…' ({len(s)} chars)"
    return f"'{shown}'"


def describe_change(old: str, new: str) -> str:
    """``'old' -> 'new'``, ``'old' removed`` or ``'new' inserted``.

    >>> describe_change("<b>", ""), describe_change("", "「"), describe_change("ヶ", "カ")
    ("'<b>' removed", "'「' inserted", "'ヶ' -> 'カ'")
    """
    if not new:
        return f"{quote(old)} removed"
    if not old:
        return f"{quote(new)} inserted"
    return f"{quote(old)} -> {quote(new)}"


def mark(text: str, kind: str, color: bool) -> str:
    """``[-text-]`` / ``{+text+}`` or the coloured equivalent; empty text gives nothing."""
    if not text:
        return ""
    text = show_invisible(text)
    if color:
        return f"{DEL_ON if kind == 'del' else INS_ON}{text}{OFF}"
    return f"[-{text}-]" if kind == "del" else f"{{+{text}+}}"


def _strip_row_end(parts: list[str], last_plain: bool) -> list[str]:
    if parts and last_plain:
        parts[-1] = parts[-1].rstrip()
    return parts


def row_lines(doc: Document, row: Row, color: bool) -> tuple[str, str]:
    """The original (deletions marked) and cleaned (insertions marked) text of a row."""
    orig: list[str] = []
    clean: list[str] = []
    last_plain = False
    for piece in row_pieces(doc, row):
        if piece.edit is None:
            orig.append(piece.text)
            clean.append(piece.text)
            last_plain = True
        else:
            orig.append(mark(piece.edit.old, "del", color))
            clean.append(mark(piece.edit.new, "ins", color))
            last_plain = False
    return "".join(_strip_row_end(orig, last_plain)), "".join(_strip_row_end(clean, last_plain))


def describe_edit(e: Edit, depth: int = 0) -> Iterator[str]:
    """Reason lines of an edit and of the edits it supersedes."""
    pad = "    " + "  " * depth
    head = "superseded " if depth else ""
    yield f"{pad}{head}{e.stage}/{e.rule}: {e.reason}  {describe_change(e.old, e.new)}"
    for s in e.supersedes:
        yield from describe_edit(s, depth + 1)


def describe_flag(f: Flag) -> str:
    return f"    ? flag {f.stage}/{f.rule}: {f.reason}"


def format_row(doc: Document, row: Row, color: bool) -> Iterator[str]:
    orig, clean = row_lines(doc, row, color)
    head = f"@@ line {row.line} @@"
    yield f"{HEAD_ON}{head}{OFF}" if color else head
    yield f"- {orig}"
    yield f"+ {clean}" if clean.strip() or not row.edits else "+ (removed)"
    for e in row.edits:
        for line in describe_edit(e):
            yield f"{DIM_ON}{line}{OFF}" if color else line
    for f in row.flags:
        yield describe_flag(f)


def selected_rows(doc: Document, stages: Collection[str] = (), rules: Collection[str] = ()) -> list[Row]:
    """Rows with an edit or a flag passing the filters (a flagged row is worth a look too)."""
    return [r for r in build_rows(doc) if (r.edits or r.flags) and row_matches(r, stages, rules)]


def format_document(
    doc: Document, color: bool = False, stages: Collection[str] = (), rules: Collection[str] = ()
) -> str:
    """The diff of one document as text (empty rows filtered out)."""
    rows = selected_rows(doc, stages, rules)
    n = sum(len(r.edits) for r in rows)
    nf = sum(len(r.flags) for r in rows)
    name = doc.source or doc.id or "<document>"
    head = f"== {name} ({n} change{'s' * (n != 1)} in {len(rows)} row{'s' * (len(rows) != 1)}"
    head += f", {nf} flag{'s' * (nf != 1)})" if nf else ")"
    lines = [f"{HEAD_ON}{head}{OFF}" if color else head]
    for row in rows:
        lines.extend(format_row(doc, row, color))
    return "\n".join(lines) + "\n"


def write_diff(
    docs: Iterable[Document], out: IO[str], color: bool, stages: Collection[str] = (), rules: Collection[str] = ()
) -> None:
    for doc in docs:
        out.write(format_document(doc, color, stages, rules))


def unified_diff(doc: Document, context: int = 3) -> str:
    """A standard unified diff of original vs cleaned (``patch`` applies it).

    A last line without a line break gets the usual ``\\ No newline at end of file``.

    >>> unified_diff(Document("a\\nb"))
    ''
    """
    name = (doc.source or doc.id or "document").lstrip("/")
    lines = difflib.unified_diff(
        doc.original.splitlines(keepends=True),
        doc.text.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
        n=context,
    )
    out: list[str] = []
    for line in lines:
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)

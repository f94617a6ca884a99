"""The ``lines`` stage: a line emptied by earlier edits loses its line break too.

It runs last, so it sees what every other stage removed.

>>> from pipeline.document import Document
>>> doc = Document("残る行。\\n<p></p>\\n次の行。")
>>> _ = doc.edit(5, 12, "", "markup", "tag", "why")  # the whole second line
>>> drop_emptied_lines(doc, None)
>>> doc.text
'残る行。\\n次の行。'
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.document import Document, Edit
from pipeline.stages.segment import iter_lines


def drop_emptied_lines(doc: Document, config: Any) -> None:
    """A line whose whole content was removed loses its line break as well.

    Lines that were blank in the original stay (they separate paragraphs).
    Only the characters no edit touched yet are removed (leftover spaces and
    the line break), so the edits that emptied the line keep their reasons.
    """
    text = doc.text
    edits: list[Edit] = []
    lines = iter_lines(doc.original) if "\r" not in doc.original else _cr_lines(doc.original)
    for a, b in lines:
        if not doc.original[a:b].strip():
            continue
        cs, ce = doc.span_to_cleaned(a, b)
        if text[cs:ce].strip():
            continue
        nl = doc.original.find("\n", b)
        if doc.original.startswith("\r", b) and not doc.original.startswith("\r\n", b):
            nl = b  # a CR-only line end (old Mac text) is a line break too
        if nl < 0 or doc.overlaps_edit(b, nl + 1):
            continue
        for ga, gb in doc.uncovered(a, b):
            edits.append(Edit(ga, gb, doc.original[ga:gb], "", "lines", "empty-line", "space left on an emptied line"))
        edits.append(
            Edit(b, nl + 1, doc.original[b : nl + 1], "", "lines", "empty-line", "line emptied by earlier edits")
        )
    if edits:
        doc.add_edits(edits)
        doc.count("lines", "empty-line", len(edits))


def _cr_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line's content, a line ending at LF, CRLF or a lone CR.

    >>> _cr_lines("a\\rb\\r\\nc")
    [(0, 1), (2, 3), (5, 6)]
    """
    out: list[tuple[int, int]] = []
    start = 0
    for m in _LINE_END.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


_LINE_END = re.compile(r"\r\n?|\n")

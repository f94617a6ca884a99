"""Abbreviation-aware English sentence splitting (one line at a time).

A sentence ends after ``.``, ``!`` or ``?`` (and a run of them), plus the
closing quotes and brackets that follow, when whitespace and then anything
but continuing punctuation (``,;:)%``) come next: a capital, a digit, an
opener, and in chat and social text also a lower-case letter or a symbol
(``How did it go? did you get it?``, ``Done. * Next``, ``Thanks! 😀``).  A
period does not end a sentence after a listed abbreviation (``Mr.``,
``Inc.``, ``U.S.``, ``etc.``, ``e.g.``: ``pipeline/data/abbreviations.tsv``,
the project's one list; ``No.``/``p.``/``Fig.`` only before a number), a
single initial (``J. Smith``), inside a number (``3.5``) or inside a web
address (``example.com``); an ellipsis before a lower-case word does not end
one either.  Sentences never cross a line.

>>> text = 'Mr. J. Smith of Acme Inc. paid $3.5 million. "Why?" he asked. It ended.'
>>> [text[a:b] for a, b in split_english(text)]
['Mr. J. Smith of Acme Inc. paid $3.5 million.', '"Why?" he asked.', 'It ended.']
>>> split_english_text("One. Two.\\n\\nThree")
[(0, 4), (5, 9), (11, 16)]
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.stages.segment import iter_lines, load_abbreviations, trim_span

# Words whose trailing period is not a sentence end: pipeline/data/abbreviations.tsv, the project's one list.
ABBREVIATIONS = frozenset(w for w, kind in load_abbreviations().items() if kind == "always")
# Reference words: an abbreviation only before a number ("No. 5", "p. 12"; "said no." ends).
NUMBER_ABBREVIATIONS = frozenset(w for w, kind in load_abbreviations().items() if kind == "before-number")
# Closers that stay with the sentence they close.
CLOSERS = frozenset("\"')]}”’»")
# What may not start a new sentence after whitespace: punctuation that continues the sentence.
_NOT_STARTER = frozenset(",;:)]}%/")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_MARK = re.compile(r"[.!?]")


def split_english(line: str) -> list[tuple[int, int]]:
    """Sentence spans of one line; surrounding whitespace is left outside."""
    spans: list[tuple[int, int]] = []
    n = len(line)
    start = 0
    i = 0
    # only a mark can end a sentence: the search jumps from one to the next (the positions between would be
    # passed over one by one, the same spans)
    while (m := _MARK.search(line, i)) is not None:
        i = m.start()
        if _ends_sentence(line, i):
            j = i + 1
            while j < n and line[j] in ".!?":
                j += 1
            while j < n and line[j] in CLOSERS:
                j += 1
            spans.append((start, j))
            start = i = j
            continue
        i += 1
    if start < n:
        spans.append((start, n))
    return [s for s in (trim_span(line, a, b) for a, b in spans) if s[0] < s[1]]


def split_english_text(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a whole text (offsets into ``text``), line by line."""
    return list(_split_text(text))


@lru_cache(maxsize=16)  # one English source is often cleaned against several translations (dev sets: 14-16 in a row)
def _split_text(text: str) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for a, b in iter_lines(text):
        out.extend((a + s, a + e) for s, e in split_english(text[a:b]))
    return tuple(out)


def _ends_sentence(line: str, i: int) -> bool:
    n = len(line)
    j = i + 1
    while j < n and line[j] in ".!?":
        j += 1
    while j < n and line[j] in CLOSERS:
        j += 1
    if j < n and not line[j].isspace():
        return False  # "3.5", "example.com", "U.S.-based"
    k = j
    while k < n and line[k].isspace():
        k += 1
    if k >= n:
        return True  # end of the line
    nxt = line[k]
    if nxt in _NOT_STARTER:
        return False  # "the end. , said" is not a new sentence
    if line[i] == "." and j == i + 1:
        if _is_abbreviation(line, i):
            return False
        if nxt.isdigit() and _word_before(line, i) in NUMBER_ABBREVIATIONS:
            return False
    if nxt.islower() and (line.startswith("..", i) or line[i - 1 : i] == "."):
        return False  # an ellipsis trailing off: "I thought... maybe not"
    # a speech tag after a quotation does not start a sentence: '"Why?" he asked.' (as 「なぜ？」と尋ねた);
    # anything else does, in chat and social text too: "How did it go? did you get it?", "Done. * Next"
    return not (nxt.islower() and line[j - 1] in "\"'”’»")


def _word_before(line: str, i: int) -> str:
    m = _WORD_BEFORE.search(line, max(0, i - 20), i)
    return m.group(1).lower().rstrip(".") if m else ""


def _is_abbreviation(line: str, i: int) -> bool:
    """Is the period at ``i`` the end of an abbreviation or an initial?"""
    m = _WORD_BEFORE.search(line, max(0, i - 20), i)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in ABBREVIATIONS:
        return True
    if len(word) == 1 and m.group(1).isupper():
        return True  # an initial: "J. Smith"
    return "." in word and len(word) <= 7 and all(len(p) == 1 for p in word.split("."))  # "a.m", "p.m"

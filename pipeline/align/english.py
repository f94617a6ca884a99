"""Abbreviation-aware English sentence splitting (one line at a time).

A sentence ends after ``.``, ``!`` or ``?`` (and a run of them), plus the
closing quotes and brackets that follow, when whitespace and then a capital
letter, a digit or an opening quote/bracket come next.  A period does not
end a sentence after a known abbreviation (``Mr.``, ``Inc.``, ``U.S.``), a
single initial (``J. Smith``), inside a number (``3.5``) or inside a web
address (``example.com``).  Sentences never cross a line.

>>> text = 'Mr. J. Smith of Acme Inc. paid $3.5 million. "Why?" he asked. It ended.'
>>> [text[a:b] for a, b in split_english(text)]
['Mr. J. Smith of Acme Inc. paid $3.5 million.', '"Why?" he asked.', 'It ended.']
>>> split_english_text("One. Two.\\n\\nThree")
[(0, 4), (5, 9), (11, 16)]
"""

from __future__ import annotations

import re

from pipeline.stages.segment import iter_lines, trim_span

# Words whose trailing period is (almost always) not a sentence end; lower-case, no final dot.
ABBREVIATIONS = frozenset(
    [
        # titles before names
        *[
            "mr",
            "mrs",
            "ms",
            "messrs",
            "dr",
            "prof",
            "rev",
            "fr",
            "sr",
            "jr",
            "st",
            "gen",
            "col",
            "lt",
            "sgt",
            "capt",
            "cmdr",
            "adm",
            "gov",
            "sen",
            "rep",
            "pres",
            "hon",
        ],
        # company and legal forms followed by more text
        *["inc", "corp", "co", "ltd", "llc", "plc", "bros", "dept", "univ", "assn"],
        # Latin and common short forms inside a sentence
        *["vs", "v", "etc", "e.g", "i.e", "cf", "al", "approx", "est", "ca"],
        # month abbreviations before a day number
        *["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"],
        # dotted country/organisation initials ("the U.S. government")
        *["u.s", "u.k", "u.n", "e.u", "u.s.a", "d.c"],
        # street and place words before a name or number
        *["ave", "blvd", "rd", "mt", "ft"],
    ]
)
# Reference words: an abbreviation only before a number ("No. 5", "p. 12"; "said no." ends).
NUMBER_ABBREVIATIONS = frozenset(["no", "nos", "vol", "vols", "pp", "p", "fig", "figs", "art", "sec", "ch", "eq"])
# Closers that stay with the sentence they close.
CLOSERS = frozenset("\"')]}”’»")
# What may start a new sentence after whitespace: capital, digit, opener.
_STARTER = re.compile(r"[A-Z0-9\"'“‘(\[«]")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def split_english(line: str) -> list[tuple[int, int]]:
    """Sentence spans of one line; surrounding whitespace is left outside."""
    spans: list[tuple[int, int]] = []
    n = len(line)
    start = 0
    i = 0
    while i < n:
        c = line[i]
        if c in ".!?" and _ends_sentence(line, i):
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
    out: list[tuple[int, int]] = []
    for a, b in iter_lines(text):
        out.extend((a + s, a + e) for s, e in split_english(text[a:b]))
    return out


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
    if line[i] == "." and j == i + 1:
        if _is_abbreviation(line, i):
            return False
        if line[k].isdigit() and _word_before(line, i) in NUMBER_ABBREVIATIONS:
            return False
    return bool(_STARTER.match(line, k))


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

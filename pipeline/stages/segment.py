"""Block and sentence segmentation.

Blocks are the non-empty lines of the text (``paragraph`` counts groups of
lines between blank lines).  Sentences never cross a line.  Inside a line a
sentence ends after 。！？!? (and a run of them), together with the closing
brackets and quotes that follow (」』）”’】〉》).  Inside 「…」 and similar
quotations there is no split, unless the quotation itself closes a sentence
(``…。」`` followed by something that is not a continuing particle).  ASCII
``.`` ends a sentence only before whitespace and a capital letter or
Japanese text, and never after a known abbreviation (``Inc.``, ``No. 1``) or
inside numbers.

Segmentation reads the current (cleaned so far) text and records blocks and
sentences in original offsets.

>>> [s for s in split_sentences("彼は言った。「はい。そうです。」と答えた。次。")]
[(0, 6), (6, 21), (21, 23)]
>>> split_sentences("Acme, Inc.を訴えた。No. 1の会社。")
[(0, 15), (15, 24)]
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.document import Block, Document, Sentence
from pipeline.tables import tsv_rows

STAGE = "segment"

# Sentence-final marks.  The ideographic full stop and the full-width marks
# always end a sentence; ASCII ones only under the Latin rule below.
FULL_STOPS = frozenset("。！？!?‼⁇⁈⁉．")
ASCII_STOPS = frozenset(".!?")
# Closers that stay with the sentence they close.
CLOSERS = frozenset("」』）)”’】〉》〕］]｝}\"'")
# Openers and their closers: no split while one is open.
PAIRS = {"「": "」", "『": "』", "（": "）", "(": ")", "【": "】", "〈": "〉", "《": "》", "〔": "〕", "“": "”"}
OPENERS = frozenset(PAIRS)
# Hiragana after a closing quote continues the sentence: 「…。」と言った / って / など.
_CONTINUATION = re.compile(r"[\u3041-\u309f]")
_LATIN_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_WORD_OR_DOT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")
# a quotation longer than this without its closer is treated as unbalanced
MAX_QUOTE = 400
# the characters split_sentences reacts to: openers, closers of a pair, stops
_SPECIAL = re.compile(
    "[" + "".join(re.escape(c) for c in sorted(OPENERS | set(PAIRS.values()) | FULL_STOPS | ASCII_STOPS)) + "]"
)


def split_sentences(line: str) -> list[tuple[int, int]]:
    """Sentence spans of one line (no newline inside).

    Leading/trailing whitespace of a sentence is left outside its span.
    """
    spans: list[tuple[int, int]] = []
    n = len(line)
    start = 0
    depth: list[tuple[str, int]] = []  # open brackets: (closer, position)
    i = 0
    find_special = _SPECIAL.search
    while i < n:
        # only brackets and stops change anything; other characters can at
        # most end an overlong quotation, which the last of them before the
        # next special character does just as well
        m = find_special(line, i)
        if m is None:
            break
        j = m.start()
        if j > i and depth and j - 1 - depth[0][1] > MAX_QUOTE:
            depth.clear()
        i = j
        c = line[i]
        if c in OPENERS and not (c == "(" and depth and depth[-1][0] == ")"):
            depth.append((PAIRS[c], i))
        elif depth and c == depth[-1][0]:
            depth.pop()
            if not depth and i > 0 and line[i - 1] in FULL_STOPS and c in "」』”）)":
                # the quotation ended a sentence: 「…。」 followed by a new sentence
                j = _skip_closers(line, i + 1)
                while j < n and line[j] in FULL_STOPS:  # 「…。」。 keeps its own full stop
                    j += 1
                if j >= n or not _CONTINUATION.match(line, j):
                    spans.append((start, j))
                    start = i = j
                    continue
        elif depth and i - depth[0][1] > MAX_QUOTE:
            # an opener that never closes: forget it instead of swallowing the line
            depth.clear()
        if not depth and (c in FULL_STOPS or (c in ASCII_STOPS and _latin_stop(line, i))):
            if c == "．" and _between_digits(line, i) or c in "!?" and _inside_latin_word(line, i):
                i += 1
                continue
            j = i + 1
            while j < n and (line[j] in FULL_STOPS or (line[j] in ASCII_STOPS and not _starts_word(line, j + 1))):
                j += 1
            j = _skip_closers(line, j)
            spans.append((start, j))
            start = i = j
            continue
        i += 1
    if start < n:
        spans.append((start, n))
    return [s for s in (trim_span(line, a, b) for a, b in spans) if s[0] < s[1]]


def _starts_word(line: str, j: int) -> bool:
    """Is there a Latin letter or digit at ``j``?  (``。.5%`` -> the ``.`` goes with ``5%``.)

    Only ASCII counts: ``str.isalnum`` is true of kanji and kana too, which cut
    an ellipsis MT copied after 。 in two (``はい。.`` + ``.次です。``).

    >>> _starts_word("。.5%", 2), _starts_word("。..次", 3)
    (True, False)
    """
    return j < len(line) and line[j].isascii() and line[j].isalnum()


def _inside_latin_word(line: str, i: int) -> bool:
    """Is the ``!`` or ``?`` at ``i`` between two Latin letters, as in a brand name (``Quux!Media``)?  No sentence
    ends there: a sentence that ends with ``!`` before Latin text leaves a space.

    >>> _inside_latin_word("Xx!Yy", 2), _inside_latin_word("Xx! Yy", 2), _inside_latin_word("すごい!Yy", 3)
    (True, False, False)
    """
    return 0 < i < len(line) - 1 and _latin_letter(line[i - 1]) and _latin_letter(line[i + 1])


def _latin_letter(c: str) -> bool:
    return c.isascii() and c.isalpha()


def _skip_closers(line: str, j: int) -> int:
    while j < len(line) and line[j] in CLOSERS:
        j += 1
    return j


def _between_digits(line: str, i: int) -> bool:
    return 0 < i < len(line) - 1 and line[i - 1].isdigit() and line[i + 1].isdigit()


def _latin_stop(line: str, i: int) -> bool:
    """Does the ASCII mark at ``i`` end a sentence?"""
    c = line[i]
    if c == "." and _between_digits(line, i):
        return False
    j = i + 1
    while j < len(line) and line[j] in ASCII_STOPS:
        j += 1
    j = _skip_closers(line, j)
    if j >= len(line):
        return i > 0 and not _is_abbreviation(line, i)
    if not line[j].isspace():
        return False  # "Inc.を", "3.5", "e.g.x"
    while j < len(line) and line[j].isspace():
        j += 1
    if j >= len(line):
        return True
    nxt = line[j]
    if c == "." and _is_abbreviation(line, i):
        return False
    return nxt.isupper() or nxt in "\"'“「(" or ord(nxt) > 0x2E7F


@lru_cache(maxsize=1)
def load_abbreviations() -> dict[str, str]:
    """Rows of ``data/abbreviations.tsv``: word (lower-case, no final dot) -> kind (``always``/``before-number``).

    The one abbreviation table of the project: this segmenter and the English
    splitter of ``align`` both read it here.

    >>> table = load_abbreviations()
    >>> table["inc"], table["no"], table["u.s"]
    ('always', 'before-number', 'always')
    """
    rows: dict[str, str] = {}
    for fields in tsv_rows("abbreviations.tsv"):
        word, kind = fields[:2]
        if kind not in ("always", "before-number"):
            raise ValueError(f"abbreviations.tsv: unknown kind {kind!r} for {word!r}")
        rows[word] = kind
    return rows


def _is_abbreviation(line: str, i: int) -> bool:
    """In Japanese text every listed word is an abbreviation (``No. 1の会社``), as is a single letter."""
    # the word can only start inside the run of letters and dots that ends at
    # ``i``: searching from there, not from 0, keeps one long line linear
    r = i
    while r > 0 and line[r - 1] in _WORD_OR_DOT:
        r -= 1
    m = _LATIN_WORD_BEFORE.search(line, r, i)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    return word in load_abbreviations() or (len(word) == 1 and word.isalpha())


def trim_span(line: str, a: int, b: int) -> tuple[int, int]:
    """``a..b`` without the whitespace at either end (``a == b`` when nothing is left)."""
    while a < b and line[a].isspace():
        a += 1
    while b > a and line[b - 1].isspace():
        b -= 1
    return a, b


def iter_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line's content, without its line terminator.

    >>> iter_lines("a\\r\\nbc\\n\\nd")
    [(0, 1), (3, 5), (6, 6), (7, 8)]
    """
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        content_end = end - 1 if end > pos and text[end - 1] == "\r" else end
        out.append((pos, content_end))
        if nl < 0:
            break
        pos = nl + 1
    if out and out[-1][0] == n and n > 0:
        out.pop()  # the text ends with a newline: no empty last line
    return out


def segment_document(doc: Document) -> None:
    """Fill ``doc.blocks`` and ``doc.sentences`` from the current text."""
    text = doc.text
    blocks: list[Block] = []
    sentences: list[Sentence] = []
    paragraph = 0
    seen_blank = False
    for a, b in iter_lines(text):
        if not text[a:b].strip():
            seen_blank = True
            continue
        if seen_blank and blocks:
            paragraph += 1
        seen_blank = False
        bi = len(blocks)
        oa, ob = doc.span_to_original(a, b)
        blocks.append(Block(oa, ob, paragraph))
        for sa, sb in split_sentences(text[a:b]):
            osa, osb = doc.span_to_original(a + sa, a + sb)
            quoted = _has_open_quote(text[a + sa : a + sb])
            sentences.append(Sentence(osa, osb, bi, quoted=quoted))
    doc.blocks = blocks
    doc.sentences = sentences
    doc.count(STAGE, "blocks", len(blocks))
    doc.count(STAGE, "sentences", len(sentences))


def _has_open_quote(s: str) -> bool:
    """Does the sentence hold a 「…」 quotation, or the start of one that never closes?"""
    return "「" in s or "『" in s or "“" in s

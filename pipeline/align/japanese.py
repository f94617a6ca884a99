"""Japanese sentences for alignment: the project segmenter, then quotations split at their inner sentence ends.

The cleaning segmenter (:func:`pipeline.stages.segment.split_sentences`)
keeps a quotation whole: 「はい。そうです。」と答えた。 is one sentence, and an
opener that MT never closed holds everything up to the end of the line (or
400 characters).  The cleaning stages rely on those boundaries, so the
aligner refines them here instead: the English side splits a quotation of
several sentences at each inner sentence end ("Yes. | That's right," he
said.), and the Japanese side has to as well.

A sentence end inside a segmenter sentence is a run of 。！？ (``．`` not
between digits) followed by more text that is not a closer: the stop ends
the sentence, the text after it starts the next.  A stop followed by a
closer (``。」と言った``) is the end of a quotation inside a sentence and
stays: ``「はい。」と言った。`` is still one sentence.

>>> line = "彼は言った。「はい。そうです。」と答えた。次。"
>>> [line[a:b] for a, b in split_japanese(line)]
['彼は言った。', '「はい。', 'そうです。」と答えた。', '次。']
>>> line = "「はい。」と言った。"
>>> [line[a:b] for a, b in split_japanese(line)]
['「はい。」と言った。']
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.stages.segment import CLOSERS, FULL_STOPS, OPENERS, split_sentences, trim_span


def split_japanese(line: str) -> list[tuple[int, int]]:
    """Sentence spans of one line for alignment: segmenter sentences, quotations split inside, speech tags joined.

    >>> line = '彼は"わかった！"という顔をした。'
    >>> [line[a:b] for a, b in split_japanese(line)]
    ['彼は"わかった！"という顔をした。']
    """
    out: list[tuple[int, int]] = []
    for a, b in split_sentences(line):
        for x, y in split_inner_ends(line, a, b):
            if out and _SPEECH_TAG.match(line, x):
                out[-1] = (out[-1][0], y)  # a speech tag after a quotation: '"Why?" he asked.' is one sentence too
            else:
                out.append((x, y))
    return _join_bare_punctuation(line, out)


def _join_bare_punctuation(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A piece of punctuation alone is no sentence: it joins its neighbour on the line.

    MT copies an English ellipsis after the stop (``そうです。..``) or leaves a closer or an opener alone between
    two stops, and the cuts above make a "sentence" of it that the aligner must then place: it joins the piece
    before it (openers: the piece after it).

    >>> line = "そうです。.. 次です。"
    >>> [line[a:b] for a, b in split_japanese(line)]
    ['そうです。..', '次です。']
    """
    if len(spans) < 2 or not any(_bare(line, a, b) for a, b in spans):
        return spans
    out: list[tuple[int, int]] = []
    carry = -1  # start of openers waiting for the next piece
    for a, b in spans:
        if carry >= 0:
            a, carry = carry, -1
        if _bare(line, a, b):
            if all(c in OPENERS or unicodedata.category(c) in ("Ps", "Pi") or c.isspace() for c in line[a:b]):
                carry = a
                continue
            if out:
                out[-1] = (out[-1][0], b)
                continue
            carry = a  # a closer or stop run at the start of the line: with the next piece
            continue
        out.append((a, b))
    if carry >= 0:  # bare punctuation at the end, nothing after it
        out[-1:] = [(out[-1][0], spans[-1][1])] if out else [(carry, spans[-1][1])]
    return out


def _bare(line: str, a: int, b: int) -> bool:
    """Is ``line[a:b]`` punctuation only (no letter, digit, kana, kanji or symbol such as an emoji)?"""
    return all(unicodedata.category(c)[0] == "P" or c.isspace() for c in line[a:b])


# A speech tag: the quotative particle と after a quotation that ends with a stop, as in "わかった！"という顔 or
# 「どうするの？」と彼は聞いた, which the cleaning segmenter cuts when the quotation marks are ASCII or missing.  The
# English splitter keeps '"Why?" he asked.' whole, so the Japanese side must as well.  と must be followed by a
# kanji, katakana or Latin (と彼は, とケルトマン, と言った) or by いう / いっ: a hiragana word starting with と (とても,
# ところで, とにかく) starts a sentence of its own, and so do と、 ("and then") and って (って言うか).
_SPEECH_TAG = re.compile(r"と(?=[\u3400-\u9fff\u30a0-\u30ffA-Za-z]|いう|いっ)")


def split_inner_ends(line: str, a: int, b: int) -> list[tuple[int, int]]:
    """``line[a:b]`` cut after each inner sentence end (a stop run followed by text that is not a closer).

    >>> split_inner_ends("「ええ。行こう。", 0, 8)
    [(0, 4), (4, 8)]
    >>> split_inner_ends("価格は3．5ドル。", 0, 9)
    [(0, 9)]
    """
    spans = []
    start = a
    i = a
    next_stop = _STOP_CHAR.search
    while True:
        # the next character that may end a sentence (_is_stop is False on every other one: a walk of the
        # characters one by one found the same ends, at a Python step each)
        m = next_stop(line, i, b)
        if m is None:
            break
        i = m.start()
        if _is_stop(line, i):
            j = i + 1
            while j < b and line[j] in FULL_STOPS:
                j += 1
            if j < b and _next_text(line, j, b):
                spans.append((start, j))
                start = j
            i = j
            continue
        i += 1
    spans.append((start, b))
    return [s for s in (trim_span(line, x, y) for x, y in spans) if s[0] < s[1]]


_STOP_CHAR = re.compile("[" + re.escape("".join(sorted(FULL_STOPS))) + "]")  # a character _is_stop may accept


def _is_stop(line: str, i: int) -> bool:
    """A Japanese sentence end: 。！？ etc., not ``．`` between digits, not ASCII ``!?`` after a Latin letter (``Yahoo!``)."""
    c = line[i]
    if c not in FULL_STOPS:
        return False
    if c == "．":
        return not (0 < i < len(line) - 1 and line[i - 1].isdigit() and line[i + 1].isdigit())
    if c in "!?":
        return not (i > 0 and line[i - 1].isascii() and line[i - 1].isalnum())
    return True


def _next_text(line: str, j: int, b: int) -> bool:
    """Is there text after ``j`` (whitespace skipped) that is not a closer?  Then a new sentence starts."""
    while j < b and line[j].isspace():
        j += 1
    return j < b and line[j] not in CLOSERS

"""Tokenisation with fugashi + unidic-lite, once per document.

Each token is re-found in the source text (fugashi reports byte lengths and
the whitespace *before* a token, not character offsets), so token offsets
are exact character offsets into the original.  Later stages read
``Sentence.tokens``; nothing tokenises twice.

The module is named ``tokenise`` (not ``tokenize``) so it does not shadow the
standard library.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.document import Document, Token

if TYPE_CHECKING:
    import fugashi

STAGE = "tokenise"

# MeCab stops at NUL and treats some control characters oddly: they are
# replaced by spaces (same length) in the string handed to the tagger, so
# offsets stay valid.  Surfaces are always read back from the real text.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\ufeff]")


@lru_cache(maxsize=1)
def get_tagger() -> fugashi.Tagger:
    """One tagger per process (loading the dictionary costs ~0.1 s)."""
    import fugashi  # imported here so `restore` and `--help` start fast

    return fugashi.Tagger()


# MeCab's lattice grows faster than linearly on one huge string and crashes
# past about a million characters, so longer sentences are tokenised in
# pieces cut at a comma, a space or a change of script.
MAX_CHUNK = 2048
_BREAKS = ("、", "，", ",", " ", "\u3000", "・")


def split_for_tagger(text: str, limit: int = MAX_CHUNK) -> list[tuple[int, int]]:
    """Cut ``text`` into spans of at most ``limit`` characters at natural breaks.

    >>> split_for_tagger("あいう、えお", 4)
    [(0, 4), (4, 6)]
    """
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    while n - start > limit:
        hi = start + limit
        lo = start + limit // 2
        cut = max(text.rfind(b, lo, hi) for b in _BREAKS)
        if cut >= lo:
            cut += 1  # keep the comma or space with the left piece
        else:
            cut = hi
            while cut > lo and _script(text[cut - 1]) == _script(text[cut]):
                cut -= 1
            if cut == lo:
                cut = hi
        spans.append((start, cut))
        start = cut
    spans.append((start, n))
    return spans


def _script(ch: str) -> int:
    o = ord(ch)
    if o < 0x3040:
        return 0 if ch.isascii() else 1
    if o < 0x30A0:
        return 2  # hiragana
    if o < 0x3100:
        return 3  # katakana
    return 4


def tokenise_text(text: str, base: int = 0) -> list[Token]:
    """Tokens of ``text`` with offsets ``base + i``.

    >>> [(t.surface, t.start, t.end) for t in tokenise_text("犬が 走る", 10)]
    [('犬', 10, 11), ('が', 11, 12), ('走る', 13, 15)]
    """
    if len(text) > MAX_CHUNK:
        out: list[Token] = []
        for a, b in split_for_tagger(text):
            out.extend(tokenise_text(text[a:b], base + a))
        return out
    if not text:
        return []
    safe = _UNSAFE.sub(" ", text)
    tokens: list[Token] = []
    pos = 0
    n = len(safe)
    for node in get_tagger()(safe):
        surface = node.surface
        if not surface:
            continue
        if not safe.startswith(surface, pos):
            # skip the whitespace MeCab dropped; the token must follow it
            j = pos
            while j < n and safe[j].isspace() and not safe.startswith(surface, j):
                j += 1
            if not safe.startswith(surface, j):
                raise ValueError(f"token {surface!r} not found at offset {base + pos}")
            pos = j
        end = pos + len(surface)
        pos_tag, lemma, reading = parse_features(node.feature_raw)
        tokens.append(Token(base + pos, base + end, text[pos:end], lemma or text[pos:end], pos_tag, reading))
        pos = end
    return tokens


# UniDic (unidic-lite) feature columns: pos1-4 are 0-3, lemma 7, kana 17.
# Unknown words carry only the six POS/conjugation columns.
_LEMMA, _KANA = 7, 17


@lru_cache(maxsize=4096)
def _pos_tag(pos1: str, pos2: str, pos3: str, pos4: str) -> str:
    return "-".join(p for p in (pos1, pos2, pos3, pos4) if p and p != "*")


@lru_cache(maxsize=1 << 16)
def parse_features(raw: str) -> tuple[str, str, str]:
    """(pos, lemma, reading) from MeCab's raw feature CSV.

    Reading the raw string is about twice as fast as fugashi's named-tuple
    ``node.feature`` and gives the same fields.

    >>> parse_features("名詞,普通名詞,一般,*,*,*,ゲート,ゲート-gate,ゲイト,ゲート,ゲイト,ゲート,外,*,*,*,*,ゲイト,ゲイト,ゲイト,ゲイト,*,*,1,C1,*")
    ('名詞-普通名詞-一般', 'ゲート-gate', 'ゲイト')
    >>> parse_features("名詞,普通名詞,一般,*,*,*")
    ('名詞-普通名詞-一般', '', '')
    """
    cols = raw.split(",", _KANA + 1)  # later columns may hold quoted commas; not needed
    if any('"' in c for c in cols[: _KANA + 1]):
        import csv

        cols = next(csv.reader([raw]))
    pos = _pos_tag(*cols[:4]) if len(cols) >= 4 else cols[0]
    lemma = cols[_LEMMA] if len(cols) > _LEMMA else ""
    reading = cols[_KANA] if len(cols) > _KANA else ""
    return pos, lemma, reading


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while many acyclic objects are made.

    Tokens hold no reference cycles, but each allocation burst makes the
    collector rescan every live token: tokenising 1.3 M characters took 2.2 s
    with it and 1.4 s without (and grew faster than linearly).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def tokenise_document(doc: Document) -> None:
    """Fill ``Sentence.tokens`` for every sentence that still has text."""
    with paused_gc():
        _tokenise_sentences(doc)


def _tokenise_sentences(doc: Document) -> None:
    text = doc.text
    count = 0
    for s in doc.sentences:
        cs, ce = doc.span_to_cleaned(s.start, s.end)
        if not text[cs:ce].strip():
            continue
        if not doc.edits:
            s.tokens = tokenise_text(text[cs:ce], cs)
        else:
            s.tokens = [_to_original(doc, t) for t in tokenise_text(text[cs:ce], cs)]
        count += len(s.tokens)
    doc.count(STAGE, "tokens", count)


def _to_original(doc: Document, t: Token) -> Token:
    # the surface stays what the tagger saw (markup already stripped); the span
    # is the original one, which may hold removed markup
    start, end = doc.span_to_original(t.start, t.end)
    return Token(start, end, t.surface, t.lemma, t.pos, t.reading)

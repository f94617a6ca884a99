"""Tokenisation with fugashi + unidic-lite, once per document.

Each token is re-found in the source text (fugashi reports byte lengths and
the whitespace *before* a token, not character offsets), so token offsets
are exact character offsets into the original.  Later stages read
``Sentence.tokens``; nothing tokenises twice.

The module is named ``tokenise`` (not ``tokenize``) so it does not shadow the
standard library.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.document import Document, Token, TokenType, new_token
from pipeline.gcpause import paused_gc

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
    return _tokens_of(text, base)


# (start, end, surface, lemma, pos, reading) with offsets relative to the text tokenised
TokenRow = tuple[int, int, str, str, str, str]


def _token_rows(text: str) -> list[TokenRow]:
    if len(text) > MAX_CHUNK:
        out: list[TokenRow] = []
        for a, b in split_for_tagger(text):
            out.extend((a + x, a + y, s, lm, p, r) for x, y, s, lm, p, r in _token_rows(text[a:b]))
        return out
    if not text:
        return []
    safe = _UNSAFE.sub(" ", text)
    rows = _rows_from_output(text, safe)
    return rows if rows is not None else _rows_from_nodes(text, safe)


# MeCab's string output: ``surface<TAB>raw features<TAB>`` a token and ``E`` at the end (fugashi
# strips the output; a final non-space keeps the shape), so one split gives every field
OUTPUT_FORMAT = "-O '' -F '%m\t%H\t' -U '%m\t%H\t' -B '' -E 'E'"


@lru_cache(maxsize=1)
def get_output_tagger() -> fugashi.Tagger:
    """A tagger whose string output holds each token's surface and raw features (``OUTPUT_FORMAT``).

    Reading MeCab's string output costs less than making a Python node per
    token; the tokens are the same (same dictionary, same lattice).
    """
    import fugashi

    return fugashi.Tagger(OUTPUT_FORMAT)


# raw features -> (pos, lemma, reading, {surface: TokenType}): a dict look-up a token (cheaper than
# lru_cache's call); the tokens of one word share their strings (a token's fields cost no memory of
# their own) and one TokenType (later stages key what they derive from a token's strings by it)
_FEATURES: dict[str, tuple[str, str, str, dict[str, TokenType]]] = {}
_MAX_FEATURES = 1 << 16


def _features(raw: str) -> tuple[str, str, str, dict[str, TokenType]]:
    if len(_FEATURES) >= _MAX_FEATURES:
        _FEATURES.clear()
    out = _FEATURES[raw] = (*parse_features.__wrapped__(raw), {})
    return out


def _new_type(feats: tuple[str, str, str, dict[str, TokenType]], surface: str) -> TokenType:
    pos_tag, lemma, reading, types = feats
    ty = types[surface] = TokenType(surface, lemma or surface, pos_tag, reading)
    return ty


def _tokens_of(text: str, base: int, types: list[TokenType] | None = None) -> list[Token]:
    """``tokenise_text(text, base)``: made straight from the tagger's output when it fits, no row per token first.

    ``types``, when given, gets the :class:`TokenType` of each token (when the
    output fits the text and no unsafe character was replaced; else it stays empty).
    """
    if text and len(text) <= MAX_CHUNK:
        tokens = _rows_from_output(text, _UNSAFE.sub(" ", text), base, Token, types)
        if tokens is not None:
            return tokens
        if types:
            types.clear()
    new = tuple.__new__
    return [new(Token, (base + a, base + b, sf, lm, p, r)) for a, b, sf, lm, p, r in _token_rows(text)]


def _rows_from_output(
    text: str, safe: str, base: int = 0, row: type[tuple] = tuple, types: list[TokenType] | None = None
) -> list[TokenRow] | list[Token] | None:
    """Rows from the tagger's string output; None if it does not fit the text (then nodes are used).

    Each row is a ``row`` (a plain tuple, or a :class:`Token`) with offsets
    ``base + i``.  ``types`` (when the surfaces are the text's own) gets each
    row's :class:`TokenType`.

    >>> _rows_from_output("犬が 走る", "犬が 走る")
    [(0, 1, '犬', '犬', '名詞-普通名詞-一般', 'イヌ'), (1, 2, 'が', 'が', '助詞-格助詞', 'ガ'), (3, 5, '走る', '走る', '動詞-一般', 'ハシル')]
    """
    fields = get_output_tagger().parse(safe).split("\t")
    if len(fields) % 2 != 1 or fields[-1] != "E":
        return None  # output that does not end as the format says (leading whitespace stripped, ...)
    same = safe is text  # no unsafe character replaced: surfaces are the text's own
    if types is not None and same:
        return _typed_rows(fields, safe, base, row, types)
    rows: list[TokenRow] = []
    append = rows.append
    pos = 0
    startswith = safe.startswith
    cache_get = _FEATURES.get
    new = tuple.__new__  # new(tuple, t) is t itself
    it = iter(fields)
    for surface, raw in zip(it, it):  # noqa: B905 - the final "E" is left over
        if not surface:
            continue
        feats = cache_get(raw) or _features(raw)
        if not startswith(surface, pos):
            pos = _find_past_space(safe, surface, pos)
            if pos < 0:
                return None
        end = pos + len(surface)
        real = surface if same else text[pos:end]
        pos_tag, lemma, reading, _ = feats
        append(new(row, (base + pos, base + end, real, lemma or real, pos_tag, reading)))
        pos = end
    return rows


def _typed_rows(
    fields: list[str], text: str, base: int, row: type[tuple], types: list[TokenType]
) -> list[TokenRow] | list[Token] | None:
    """:func:`_rows_from_output`'s loop for a text with no unsafe character, each row's type kept in ``types``.

    The row's strings are its type's (the same values ``_rows_from_output`` gives).
    """
    rows: list[TokenRow] = []
    append = rows.append
    type_append = types.append
    pos = 0
    startswith = text.startswith
    cache_get = _FEATURES.get
    new = tuple.__new__  # new(tuple, t) is t itself
    it = iter(fields)
    for surface, raw in zip(it, it):  # noqa: B905 - the final "E" is left over
        if not surface:
            continue
        feats = cache_get(raw) or _features(raw)
        ty = feats[3].get(surface) or _new_type(feats, surface)
        if not startswith(surface, pos):
            pos = _find_past_space(text, surface, pos)
            if pos < 0:
                return None
        end = pos + len(surface)
        append(new(row, (base + pos, base + end, ty.surface, ty.lemma, ty.pos, ty.reading)))
        type_append(ty)
        pos = end
    return rows


def _find_past_space(text: str, surface: str, pos: int) -> int:
    """Where ``surface`` starts once the whitespace MeCab dropped at ``pos`` is skipped; -1 if it does not.

    The three readers of the tagger's tokens call it only when ``surface`` is not at ``pos`` itself.

    >>> _find_past_space("犬が 走る", "走る", 2), _find_past_space("犬が 走る", "猫", 2)
    (3, -1)
    """
    n = len(text)
    while pos < n and text[pos].isspace() and not text.startswith(surface, pos):
        pos += 1
    return pos if text.startswith(surface, pos) else -1


def _rows_from_nodes(text: str, safe: str) -> list[TokenRow]:
    rows: list[TokenRow] = []
    pos = 0
    for node in get_tagger()(safe):
        surface = node.surface
        if not surface:
            continue
        if not safe.startswith(surface, pos):
            found = _find_past_space(safe, surface, pos)
            if found < 0:
                raise ValueError(f"token {surface!r} not found at offset {pos}")
            pos = found
        end = pos + len(surface)
        pos_tag, lemma, reading = parse_features(node.feature_raw)
        rows.append((pos, end, text[pos:end], lemma or text[pos:end], pos_tag, reading))
        pos = end
    return rows


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


def tokenise_document(doc: Document) -> None:
    """Fill ``Sentence.tokens`` for every sentence that still has text."""
    with paused_gc():
        _tokenise_sentences(doc)


def _tokenise_sentences(doc: Document) -> None:
    text = doc.text
    count = 0
    offsets = doc.offsets
    # a sentence is tagged on its own, so a repeated sentence (what dedup looks
    # for) has the same tokens: tag each distinct sentence text once
    # (offset of the sentence's first character, its tokens or rows from that offset)
    # and the types of the first's tokens when the tagger's output gave them
    seen: dict[str, tuple[int, list[Token] | list[TokenRow], list[TokenType]]] = {}
    new = tuple.__new__
    for s in doc.sentences:
        cs, ce = doc.span_to_cleaned(s.start, s.end)
        sentence = text[cs:ce]
        if not sentence.strip():
            continue
        shift = offsets.constant_shift(cs, ce)
        done = seen.get(sentence)
        if shift is not None:
            # no edit touches the sentence: original = cleaned + shift for every token
            base = cs + shift
            if done is None:
                # the first time (nearly always): the tokens straight from the tagger's output
                types: list[TokenType] = []
                s.tokens = _tokens_of(sentence, base, types)
                if types:
                    s.types = (s.tokens, types)
                seen[sentence] = (base, s.tokens, types)
            else:
                # new_token, inlined: this comprehension makes every token of a repeated sentence
                d = base - done[0]
                s.tokens = [new(Token, (a + d, b + d, sf, lm, p, r)) for a, b, sf, lm, p, r in done[1]]
                if done[2]:
                    s.types = (s.tokens, done[2])
        else:
            if done is None:
                done = seen[sentence] = (0, _token_rows(sentence), [])
            at = done[0]
            rows = [(a - at, b - at, sf, lm, p, r) for a, b, sf, lm, p, r in done[1]] if at else done[1]
            # the surface stays what the tagger saw (markup already stripped); the span
            # is the original one, which may hold removed markup
            tokens = []
            for a, b, sf, lm, p, r in rows:
                start, end = doc.span_to_original(cs + a, cs + b)
                tokens.append(new_token(start, end, sf, lm, p, r))
            s.tokens = tokens
        count += len(s.tokens)
    doc.count(STAGE, "tokens", count)

"""Sentence keys: the units of a sentence built from its tokens, and what speech is."""

from __future__ import annotations

import bisect
import itertools
import operator
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.document import Document, Sentence, Token, TokenType, token_types
from pipeline.romanise import phonetic_key
from pipeline.stages.dedup.tables import (
    CONTENT,
    CONTENT_POS,
    CONTRAST,
    CONTRAST_LEMMAS,
    DIGITS,
    FORMULAIC_LABELS,
    KATAKANA,
    KEPT_SYMBOLS,
    LATIN,
    NAME,
    NEGATION,
    NEGATION_LEMMAS,
    NOT_TEXT_LABELS,
    NOUN,
    NUMBER,
    NUMBER_SEPARATORS,
    PRONOUN,
    SKIP_POS,
    SUBSTANTIVE,
)


@dataclass
class SentenceKey:
    """What dedup knows about one sentence."""

    index: int  # position in doc.sentences
    start: int
    end: int
    block: int
    paragraph: int
    surface: tuple[str, ...]  # exact key: cleaned surfaces, punctuation left out
    units: list[int]  # interned lemma units (near, fragment)
    texts: list[str]  # each unit's text (for phonetic keys and quotes)
    kinds: list[int]  # each unit's kind bits
    spans: list[tuple[int, int]] | None  # each unit's original span (None: made when first asked, see unit_spans)
    content: int  # content units
    substantive: int  # content units that are not numbers or counters
    quoted: bool
    formulaic: bool
    text: bool  # running text (body, timeline entries), not a heading, byline or caption
    source: tuple | None = None  # (doc, mentions, phonetic, plain, look_up): to make the spans when asked


def unit_spans(k: SentenceKey) -> list[tuple[int, int]]:
    """Each unit's original span; made on first use (few sentences ever need them)."""
    if k.spans is None:
        doc, mentions, phonetic, plain, look_up = k.source
        k.spans = _unit_rows(doc, doc.sentences[k.index], mentions, phonetic, plain, look_up, True)[1]
    return k.spans


class Vocabulary:
    """Unit texts interned as small ints, in order of first sight (``ids[text]`` adds a new one)."""

    def __init__(self) -> None:
        # a new text gets the next number; a counter, not ``self.ids.__len__``, which would make the
        # dict a reference cycle (freed only by the cyclic collector)
        self.ids: defaultdict[str, int] = defaultdict(itertools.count().__next__)

    def __call__(self, unit: str) -> int:
        return self.ids[unit]


@lru_cache(maxsize=1 << 16)
def normalise_unit(text: str) -> str:
    """NFKC, case-folded, without spaces.

    >>> normalise_unit("ＯｐｅｎＡＰＩ "), normalise_unit("５,０００")
    ('openapi', '5,000')
    """
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def mention_index(doc: Document) -> tuple[list[int], list[tuple[int, int, int, str]], list[int]]:
    """Variant mentions sorted by start: (starts, [(start, end, cluster, form)], running maximum of ends)."""
    ann = doc.annotations.get("variants")
    mentions = ann.get("mentions") if isinstance(ann, dict) else None
    if not mentions:
        return [], [], []
    rows = sorted(
        (int(m["start"]), int(m["end"]), int(m["cluster"]), str(m.get("form", "")))
        for m in mentions
        if "cluster" in m and "start" in m and "end" in m
    )
    max_end: list[int] = []
    top = -1
    for r in rows:
        top = max(top, r[1])
        max_end.append(top)
    return [r[0] for r in rows], rows, max_end


def _mention_at(starts: list[int], rows: list[tuple[int, int, int, str]], start: int, end: int) -> int:
    """Index of the mention overlapping the token at ``start..end``, or -1."""
    k = bisect.bisect_right(starts, start) - 1
    for j in (k, k + 1):
        if 0 <= j < len(rows) and rows[j][0] < end and start < rows[j][1]:
            return j
    return -1


def _mentions_within(mentions: tuple[list[int], list, list[int]], start: int, end: int) -> bool:
    """Does any mention overlap ``start..end`` (so the tokens there need a look-up)?"""
    starts, _, max_end = mentions
    k = bisect.bisect_left(starts, end)  # mentions before k start before ``end``
    return k > 0 and max_end[k - 1] > start


@lru_cache(maxsize=1 << 14)
def _kind_of(pos: str, lemma: str) -> int:
    kind = 0
    if pos.startswith(CONTENT_POS) and "非自立可能" not in pos:
        kind |= CONTENT
        if not pos.startswith("名詞-数詞") and "助数詞" not in pos:
            kind |= SUBSTANTIVE
    if pos.startswith("名詞-数詞"):
        kind |= NUMBER | CONTENT
    if lemma in NEGATION_LEMMAS and (pos.startswith("助動詞") or pos.startswith("形容詞-非自立")):
        kind |= NEGATION
    if pos.startswith("名詞-固有名詞"):
        kind |= NAME
    if pos.startswith("代名詞"):
        kind |= PRONOUN
    if lemma in CONTRAST_LEMMAS and pos.startswith(("名詞", "動詞")):
        kind |= CONTRAST
    if pos.startswith("名詞") and kind & SUBSTANTIVE and not kind & NAME:
        kind |= NOUN
    return kind


def _same_script(a: str, b: str) -> bool:
    """Katakana continues katakana (アルター|マン); Latin and katakana stay apart (オープン|AI)."""
    return bool(KATAKANA.fullmatch(a[-1:])) == bool(KATAKANA.fullmatch(b[:1]))


def _is_name_text(norm: str) -> bool:
    return bool(KATAKANA.fullmatch(norm) or LATIN.fullmatch(norm))


@lru_cache(maxsize=1 << 16)
def name_unit(text: str, phonetic: bool) -> str:
    """The unit of a name-like word: its text, or its phonetic key when no variant clusters exist.

    >>> name_unit("ハルターマン", True) == name_unit("ハルトマン", True)
    True
    >>> name_unit("ハルターマン", False) == name_unit("ハルトマン", False)
    False
    """
    if phonetic:
        key = phonetic_key(text)
        if key:
            return "~" + key
    return text


# token classes (what build_key does with a token)
_DIGIT, _NAME, _WORD, _SKIP = range(4)
_Unit = tuple[str, str, str, int]
_Class = tuple[int, str, int, str, bool, bool, _Unit, str, _Unit | None, tuple[_Unit, _Unit] | None]
_BLANK: _Class = (_SKIP, "", 0, "", False, False, ("", "", "", 0), "b", None, None)
_TOKEN_CACHE_SIZE = 1 << 17
_token_classes: dict[tuple[str, str, str, bool], _Class] = {}
_plain_classes: dict[tuple[str, str, str], _Class] = {}  # tokens as tagged: (surface, pos, lemma)
_token_strings = operator.attrgetter("surface", "pos", "lemma")


def classify_token(text: str, pos: str, lemma: str, same: bool) -> _Class:
    """What a token adds to a key, a pure function of its strings (cached).

    ``text`` is the token's cleaned text, ``same`` whether it equals the
    tagger's surface (else the lemma is not the text's).  Returns (class,
    normalised text, kind bits, lemma unit, is a number separator, is one
    Latin letter, the unit a word adds: (surface, unit, text, kind), the
    class as one letter (see ``_CODE``), the unit a word adds or None for
    any other class, and for a digit or name-like token the unit it makes as
    a run of its own, without and with phonetic keys); a blank token is ``_BLANK``.

    >>> classify_token("５", "名詞-数詞", "五", True)[:3], classify_token("並ん", "動詞-一般", "並ぶ", True)[6]
    ((0, '5', 0), ('並ん', '並ぶ', '並ん', 3))
    """
    key = (text, pos, lemma, same)
    c = _token_classes.get(key)
    if c is not None:
        return c
    if not text.strip():
        c = _BLANK
    else:
        norm = normalise_unit(text)
        sep = norm in NUMBER_SEPARATORS
        if DIGITS.fullmatch(norm):
            alone = _run_unit(_DIGIT, norm, CONTENT | NUMBER, False)
            c = (_DIGIT, norm, 0, norm, sep, False, _BLANK[6], "D", None, (alone, alone))
        elif _is_name_text(norm):
            letter = len(norm) == 1 and norm.isascii()
            kind = NAME if letter else CONTENT | SUBSTANTIVE | NAME  # as _run_rows gives a run of one
            alone = (_run_unit(_NAME, norm, kind, False), _run_unit(_NAME, norm, kind, True))
            c = (_NAME, norm, 0, norm, sep, letter, _BLANK[6], "N", None, alone)
        elif pos.startswith(SKIP_POS) and norm not in KEPT_SYMBOLS:
            c = (_SKIP, norm, 0, norm, sep, False, _BLANK[6], "s" if sep else "S", None, None)
        else:
            kind = _kind_of(pos, lemma)
            if not same:
                # a rewritten word (数ヵ月 -> 数カ月): the lemma the tagger gives its new text, as it
                # will when the cleaned text is cleaned again
                lemma, same = _lemma_of_text(text, lemma)
            lem = normalise_unit(lemma) if same and not kind & NUMBER else norm
            row = (norm, lem, norm, kind)
            c = (_WORD, norm, kind, lem, sep, False, row, "w" if sep else "W", row, None)
    if len(_token_classes) >= _TOKEN_CACHE_SIZE:
        _token_classes.clear()
    _token_classes[key] = c
    return c


@lru_cache(maxsize=4096)
def _lemma_of_text(text: str, lemma: str) -> tuple[str, bool]:
    """(lemma, True) of ``text`` when the tagger reads it as one word; else ``(lemma, False)``.

    >>> _lemma_of_text("カ月", "箇月")
    ('箇月', True)
    """
    from pipeline.stages.tokenise import tokenise_text

    tokens = tokenise_text(text)
    if len(tokens) == 1 and tokens[0].surface == text and tokens[0].lemma:
        return tokens[0].lemma, True
    return lemma, False


_type_classes: dict[TokenType, _Class] = {}  # the same, by the tokeniser's TokenType (no key tuple to make)


def _plain_classes_of(tokens: Sequence[Token], types: Sequence[TokenType] | None = None) -> list[_Class]:
    """The classes of tokens whose text is the tagger's surface (no edit inside the sentence).

    ``types``: the tokens' :class:`TokenType` (see :func:`token_types`), when
    the tokeniser left them: then the look-up is by type, one dict probe by
    identity a token.
    """
    if types is not None:
        return _cached_classes(types, types, _type_classes)
    return _cached_classes(list(map(_token_strings, tokens)), tokens, _plain_classes)


def _cached_classes(keys: Sequence[Any], items: Sequence[Token] | Sequence[TokenType], cache: dict) -> list[_Class]:
    """The class of each item, looked up in ``cache`` by its key and classified on a miss (the cache bounded)."""
    classes = list(map(cache.get, keys))
    if None in classes:
        if len(cache) >= _TOKEN_CACHE_SIZE:
            cache.clear()
        for i, c in enumerate(classes):
            if c is None:
                t = items[i]
                classes[i] = cache[keys[i]] = classify_token(t.surface, t.pos, t.lemma, True)
    return classes


def _edited_classes_of(doc: Document, tokens: Sequence[Token]) -> list[_Class]:
    """The classes of tokens read from the cleaned text (a sentence an edit touched)."""
    cleaned = doc.text
    last_end = -1
    classes = []
    for t in tokens:
        # tokens inside one rewrite (ネブ|ブー|ン -> ネブーン) give its text once
        cs, ce = doc.to_cleaned(t.start, "left"), doc.to_cleaned(t.end, "right")
        if cs < last_end:
            classes.append(_BLANK)
            continue
        last_end = ce
        text = cleaned[cs:ce]
        classes.append(classify_token(text, t.pos, t.lemma, text == t.surface))
    return classes


def _run_unit(run_type: int, run_text: str, run_kind: int, phonetic: bool) -> tuple[str, str, str, int]:
    """The unit of a pending run: (surface, unit, text, kind)."""
    if run_type == _DIGIT:
        text = run_text.rstrip(",.，．").replace(",", "").replace("，", "")
        return (text, text, text, run_kind)
    return (run_text, name_unit(run_text, phonetic), run_text, run_kind)


def _unit_rows(
    doc: Document,
    s: Sentence,
    mentions: tuple[list[int], list, list[int]],
    phonetic: bool,
    plain: bool,
    look_up: bool,
    want_spans: bool,
) -> tuple[list[tuple[str, str, str, int]], list[tuple[int, int]]]:
    """One (surface, unit text, text, kind) per unit of sentence ``s``, and (``want_spans``) their original spans."""
    out: list[tuple[str, str, str, int]] = []
    spans: list[tuple[int, int]] = []
    tokens = s.tokens
    classes = _plain_classes_of(tokens, token_types(s)) if plain else _edited_classes_of(doc, tokens)
    if look_up or want_spans:
        _run_rows(classes, tokens, 0, len(tokens), mentions, phonetic, look_up, want_spans, out, spans)
        return out, spans
    # no variant mention and no span wanted (nearly every sentence): a word's unit is its class's
    # own, picked in C; only the stretches holding digits or name-like words (a pending run can
    # only start there) go through the run logic token by token
    codes = "".join(map(_CODE, classes))
    if "D" not in codes and "N" not in codes:
        return list(filter(None, map(_ROW, classes))), spans
    rows = list(map(_ROW, classes))
    pos = 0
    for m in _STRETCH.finditer(codes):
        a, b = m.span()
        if pos < a:
            out.extend(filter(None, rows[pos:a]))
        if b - a == 1:  # one digit or name-like token between words (most stretches)
            out.append(classes[a][9][phonetic])
        else:
            _run_rows(classes, tokens, a, b, mentions, phonetic, False, False, out, spans)
        pos = b
    if pos < len(rows):
        out.extend(filter(None, rows[pos:]))
    return out, spans


_CODE = operator.itemgetter(7)  # a class as one letter: D digit, N name-like, W word, S skipped, b blank
_ROW = operator.itemgetter(8)  # the unit a word adds, None for other classes
# (w and s: a word or a skipped token that is also a number separator)
# The stretches of tokens the run logic must see: digits and name-like words with the number
# separators among them (5,000 is one unit; a separator after a name just ends the run there).
# Anything else ends a pending run and starts none: a word, a skipped token, and a blank (no token
# after a blank is adjacent to the run before it).
_STRETCH = re.compile("[DN][DNws]*")


def _run_rows(
    classes: Sequence[_Class],
    tokens: Sequence[Token],
    lo: int,
    hi: int,
    mentions: tuple[list[int], list, list[int]],
    phonetic: bool,
    look_up: bool,
    want_spans: bool,
    out: list[tuple[str, str, str, int]],
    spans: list[tuple[int, int]],
) -> None:
    """The units of ``tokens[lo:hi]`` (nothing pending before ``lo``) appended to ``out`` (and their spans to ``spans``)."""
    starts, rows, _ = mentions
    last_mention = -1
    # a pending run (digits with separators; adjacent katakana/Latin words) becomes one unit
    run_type = -1
    run_text = ""
    run_kind = 0
    run_start = run_end = 0
    out_append, spans_append = out.append, spans.append
    # without want_spans, ``spans`` gets only the slow path's spans (misaligned, thrown away)
    for i in range(lo, hi):
        c = classes[i]
        if c is _BLANK:
            continue
        t = tokens[i]
        cls = c[0]
        if run_type < 0 and not look_up:  # the common case: a word or punctuation, nothing pending
            if cls == _WORD:
                out_append(c[6])
                if want_spans:
                    spans_append((t.start, t.end))
                continue
            if cls == _SKIP:
                continue
        start, end = sp = t.start, t.end
        if look_up:
            # a variant group's unit stands for a name's spellings; a word written with kanji
            # (数ヶ月 / 数カ月) is one unit through its lemma already, and keyed as a name it
            # would weigh otherwise than once the spellings agree: cleaning again would differ
            m = _mention_at(starts, rows, start, end) if cls != _WORD else -1
            if m >= 0:
                if m == last_mention:
                    if want_spans:
                        spans[-1] = (spans[-1][0], end)
                    continue
                if run_type >= 0:
                    out_append(_run_unit(run_type, run_text, run_kind, phonetic))
                    spans_append((run_start, run_end))
                    run_type, run_text = -1, ""
                last_mention = m
                cid = f"§{rows[m][2]}"
                form = normalise_unit(rows[m][3]) if rows[m][3] else c[1]
                out_append((cid, cid, form, CONTENT | SUBSTANTIVE | NAME))
                spans_append(sp)
                continue
            last_mention = -1
        norm, sep = c[1], c[4]
        adjacent = run_type >= 0 and start == run_end
        # numbers: digit runs with their separators are one unit (5,000 = 5000; 3.5)
        if cls == _DIGIT or (sep and run_type == _DIGIT and adjacent):
            if not (run_type == _DIGIT and adjacent):
                if run_type >= 0:
                    out_append(_run_unit(run_type, run_text, run_kind, phonetic))
                    spans_append((run_start, run_end))
                run_type, run_text, run_kind, run_start = _DIGIT, "", CONTENT | NUMBER, start
            run_text += norm
            run_end = end
            continue
        # katakana/Latin words split by the tagger (アルター|マン, オープン|AI) are one unit
        if cls == _NAME:
            if run_type == _NAME and adjacent and _same_script(run_text, norm):
                run_text += norm
                run_end = end
                continue
            if run_type >= 0:
                out_append(_run_unit(run_type, run_text, run_kind, phonetic))
                spans_append((run_start, run_end))
            run_type, run_text, run_start, run_end = _NAME, norm, start, end
            # a single Latin letter (O o h!, X世代) is no content word on its own
            run_kind = NAME if c[5] else CONTENT | SUBSTANTIVE | NAME
            continue
        if run_type >= 0:
            out_append(_run_unit(run_type, run_text, run_kind, phonetic))
            spans_append((run_start, run_end))
            run_type, run_text = -1, ""
        if cls == _SKIP:
            continue
        out_append(c[6])
        spans_append(sp)
    if run_type >= 0:
        out_append(_run_unit(run_type, run_text, run_kind, phonetic))
        spans_append((run_start, run_end))


# content and substantive units counted in one pass: each kind (bit flags, all below 256) weighs
# 1 if content plus 2**32 if substantive (two ``sum(map(FLAG.__and__, kinds))`` took 3x as long)
_SUBSTANTIVE_SHIFT = 32
_CONTENT_MASK = (1 << _SUBSTANTIVE_SHIFT) - 1
_COUNT_WEIGHT = [bool(k & CONTENT) + (bool(k & SUBSTANTIVE) << _SUBSTANTIVE_SHIFT) for k in range(256)]


def build_key(
    doc: Document, index: int, vocab: Vocabulary, mentions: tuple[list[int], list, list[int]], phonetic: bool = False
) -> SentenceKey:
    """The units and exact key of ``doc.sentences[index]`` (tokens read, never re-made).

    ``phonetic``: name-like words (katakana, Latin) are keyed by their
    phonetic key, so spelling variants match when no variant clusters exist.
    """
    s = doc.sentences[index]
    blk = doc.blocks[s.block] if 0 <= s.block < len(doc.blocks) else None
    # most documents reach dedup with no edit at all (94% of the dev texts): then every sentence is
    # plain and its cleaned text is its original text, with no span to map
    edited = bool(doc.edits)
    plain = not (edited and doc.overlaps_edit(s.start, s.end))
    look_up = bool(mentions[1]) and _mentions_within(mentions, s.start, s.end)
    out, _ = _unit_rows(doc, s, mentions, phonetic, plain, look_up, False)
    surface, unit_texts, texts, kind_tuple = zip(*out, strict=True) if out else ((), (), (), ())
    units = list(map(vocab.ids.__getitem__, unit_texts))
    kinds = list(kind_tuple)
    counts = sum(map(_COUNT_WEIGHT.__getitem__, kinds))
    content, substantive = counts & _CONTENT_MASK, counts >> _SUBSTANTIVE_SHIFT
    label = blk.label if blk else "body"
    alone = _alone_in_block(doc, index)
    formulaic = label in FORMULAIC_LABELS or substantive == 0 or (alone and content < 4)
    quoted = is_speech(doc.cleaned_slice(s.start, s.end) if edited else doc.original[s.start : s.end])
    return SentenceKey(
        index,
        s.start,
        s.end,
        s.block,
        blk.paragraph if blk else 0,
        surface,
        units,
        list(texts),
        kinds,
        None,
        content,
        substantive,
        quoted,
        formulaic,
        label not in NOT_TEXT_LABELS,
        (doc, mentions, phonetic, plain, look_up),
    )


_OPENERS = "「『“"
_CLOSERS = "」』”"
QUOTE_MARKS = re.compile(f"[{_OPENERS}{_CLOSERS}]")


def is_speech(text: str) -> bool:
    """Is the sentence a quotation, or part of one, where a repeat may be the speaker's own?

    Speech: the whole sentence is a quotation (「…」 with at most stops
    after it), or it holds an opener or a closer without its partner (a
    quotation running over several sentences).  Narrative with a quotation
    inside (…は「…」と述べた。, 「…」と述べた。) is not speech.

    >>> is_speech("「その案に賛成だ。うまくいくかは分からない。その案に賛成だ。」")
    True
    >>> is_speech("危ない賭けに見える」と書いた。"), is_speech("「その案に賛成だ。")
    (True, True)
    >>> is_speech("彼は「はい」と答えた。"), is_speech("「残念だ」と述べた。")
    (False, False)
    """
    if not QUOTE_MARKS.search(text):
        return False
    text = text.strip()
    depth = 0
    first_close = -1
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth -= 1
            if depth < 0:
                return True
            if depth == 0 and first_close < 0:
                first_close = i
    if depth != 0:
        return True
    if text[:1] in _OPENERS and first_close >= 0:
        rest = text[first_close + 1 :]
        return not rest.strip("。．.！？!?」』” ")
    return False


def is_whole_quotation(text: str) -> bool:
    """Is the sentence one quotation and nothing else (「…。」, 「…」。)?

    >>> is_whole_quotation("「私は行く。」"), is_whole_quotation("「私は行く」と述べた。"), is_whole_quotation("私は行く。」")
    (True, False, False)
    """
    text = text.strip()
    if text[:1] not in _OPENERS:
        return False
    depth = 0
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth -= 1
            if depth == 0:
                return not text[i + 1 :].strip("。．.！？!? ")
    return False


def _alone_in_block(doc: Document, index: int) -> bool:
    s = doc.sentences[index]
    before = index > 0 and doc.sentences[index - 1].block == s.block
    after = index + 1 < len(doc.sentences) and doc.sentences[index + 1].block == s.block
    return not (before or after)

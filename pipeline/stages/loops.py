"""Loops inside a sentence: a clause, a phrase or a hallucinated run said again right after itself.

Machine translation sometimes repeats part of a sentence inside the sentence:

* a phrase stuttered, with or without a separator: 「世界中の世界中の人々」,
  「A、A、B。」;
* a phrase stuttered around a short insertion between commas:
  「…によると、今、…によると、」;
* a clause said twice with another ending:
  「同社は増益を達成しており、同社は増益を達成している。」 (the first clause goes:
  the second carries the sentence's own ending);
* a phrase looping three or more times: 「「手が届く」「手が届く」「手が届く」」.

The extra copies are removed as one edit of stage ``dedup``, rule ``loop``,
whose reason quotes the copy kept.  What is never a loop (the tables of
``pipeline/data/dedup_loops.yaml``, one comment per row): a copy shorter than
four characters or than two tokens (時々, 一歩一歩, ドキドキ, 毎日毎日, ナナ), a copy
without a content word of two characters (はい、はい, 少しずつ少しずつ, なぜ、なぜ,
1、1、2、3).  What is only flagged: repetition inside a quotation or on a
dialogue line (ケイト：…; a speaker may repeat himself on purpose), in a
heading, byline or caption, and a twice-said phrase on a line with no final
stop (verse, slogans).

The check reads ``Sentence.tokens`` (never re-tokenises); a sentence is looked
at only when one of its content words occurs twice, so the cost is one pass
of cached look-ups per token.

>>> from pipeline.run import clean_text
>>> doc = clean_text("世界中の世界中の人々が集まった。")
>>> doc.text, doc.edits[0].rule
('世界中の人々が集まった。', 'loop')
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from typing import Any

from pipeline.chars import KATAKANA_LETTERS, LONG_VOWEL
from pipeline.document import Document, Edit, Sentence, Token, TokenType, token_types
from pipeline.overlaps import resolve_overlaps
from pipeline.tables import load_yaml

RULE = "loop"
_NOT_TEXT_LABELS = frozenset({"heading", "byline", "caption"})
_OPENERS = "「『“（("
_CLOSERS = "」』”）)"
_BRACKETS = frozenset(_OPENERS + _CLOSERS)
_FINAL_STOPS = "。．.！？!?」』”"


@dataclass(frozen=True)
class LoopRules:
    separators: frozenset[str]
    clause_endings: frozenset[str]
    content_pos: tuple[str, ...]
    not_content_pos: tuple[str, ...]
    term_pos: tuple[str, ...]
    min_chars: int
    min_tokens: int
    min_content_chars: int
    clause_min_tokens: int
    clause_min_chars: int
    max_distance: int
    insertion_max_chars: int
    speech_min_chars: int
    speaker_label: re.Pattern[str]


@lru_cache(maxsize=1)
def load_loop_rules() -> LoopRules:
    """The tables of ``pipeline/data/dedup_loops.yaml``."""
    raw: dict[str, Any] = load_yaml("dedup_loops.yaml")
    limits = {k: int(str(v).split(":")[0]) for k, v in raw["limits"].items()}
    return LoopRules(
        separators=frozenset(raw["separators"]),
        clause_endings=frozenset(raw["clause_endings"]),
        content_pos=tuple(raw["content_pos"]),
        not_content_pos=tuple(raw["not_content_pos"]),
        term_pos=tuple(raw["term_pos"]),
        speaker_label=re.compile(raw["speaker_label"]),
        **limits,
    )


@dataclass(frozen=True)
class Loop:
    """A loop found in a sentence, in original character offsets."""

    kind: str  # stutter | insertion | clause
    copies: int  # how many copies in a row
    remove: tuple[int, int]  # the span removed: the extra copies (or the first clause)
    kept: tuple[int, int]  # the copy that stays
    glued: bool  # copies follow each other with no separator: an MT loop even in speech


# -- token classes ---------------------------------------------------------------
_token_key = operator.attrgetter("surface", "pos")
_surface = operator.attrgetter("surface")


class _ContentPos(dict):
    """POS string -> can a token of it be a content word (filled on first sight)."""

    def __missing__(self, pos: str) -> bool:
        r = load_loop_rules()
        ok = self[pos] = (
            pos.startswith(r.content_pos) and not pos.startswith(r.not_content_pos) and "非自立可能" not in pos
        )
        return ok


_content_pos = _ContentPos()


class _ContentWord(dict):
    """Surface -> long enough and not ASCII to be a loop's content word (filled on first sight, bounded)."""

    def __missing__(self, surface: str) -> bool:
        if len(self) > 1 << 16:
            self.clear()
        ok = self[surface] = len(surface) >= load_loop_rules().min_content_chars and not surface.isascii()
        return ok


_content_word = _ContentWord()
_pos = operator.attrgetter("pos")


def is_content(surface: str, pos: str) -> bool:
    """Can this token make a copy a loop (a Japanese content word of ``min_content_chars`` characters)?

    ASCII words (Latin names, codes, digits) never do: a Japanese text quotes
    them as they are (``Keltman, Inc.``, part numbers), and a loop of them is
    no translation's.

    >>> is_content("世界", "名詞-普通名詞-一般"), is_content("歩", "名詞-普通名詞-一般"), is_content("少し", "副詞")
    (True, False, False)
    >>> is_content("Keltman", "名詞-固有名詞-人名")
    False
    """
    return _content_word[surface] and _content_pos[pos]


def content_flags(tokens: Sequence[Token]) -> list[bool]:
    """Which tokens are content words (a POS look-up per token, a surface look-up per content token)."""
    pos_ok, word_ok = _content_pos, _content_word
    return [bool(pos_ok[t.pos] and word_ok[t.surface]) for t in tokens]


class _ContentType(dict):
    """TokenType -> is_content of its strings (filled on first sight, bounded)."""

    def __missing__(self, t: TokenType) -> bool:
        if len(self) > 1 << 16:
            self.clear()
        ok = self[t] = bool(_content_pos[t.pos] and _content_word[t.surface])
        return ok


_content_type = _ContentType()


def may_loop(tokens: Sequence[Token], types: Sequence[TokenType] | None = None) -> bool:
    """Does a content word occur twice (else no loop is possible: every copy holds one)?

    The cheap test every sentence gets: a POS look-up per token, a surface
    look-up per content token (measured faster than chained C-level maps).
    With the tokens' ``types`` (:func:`token_types`), one look-up per token by
    type, and the content words' surfaces picked in C.
    """
    if types is not None:
        words = list(map(_surface, compress(types, map(_content_type.__getitem__, types))))
        return len(words) != len(set(words))
    pos_ok, word_ok = _content_pos, _content_word
    words = [t.surface for t in tokens if pos_ok[t.pos] and word_ok[t.surface]]
    return len(words) != len(set(words))


def _is_content_key(key: tuple[str, str]) -> bool:
    return is_content(*key)


# -- finding loops -----------------------------------------------------------------
def _run_back(s: Sequence[str], a: int, b: int, floor: int) -> int:
    """How many tokens before ``a`` and ``b`` are equal (not reaching below ``floor``)."""
    x = 0
    while a - x - 1 >= floor and s[a - x - 1] == s[b - x - 1]:
        x += 1
    return x


def _run_forward(s: Sequence[str], a: int, b: int, limit: int) -> int:
    """How many tokens from ``a`` and ``b`` on are equal (``a + n`` stays below ``limit``)."""
    n = 0
    while a + n < limit and b + n < len(s) and s[a + n] == s[b + n]:
        n += 1
    return n


def _trim(s: Sequence[str], i: int, n: int, seps: frozenset[str]) -> tuple[int, int]:
    """A copy without separators at its ends."""
    while n and s[i] in seps:
        i, n = i + 1, n - 1
    while n and s[i + n - 1] in seps:
        n -= 1
    return i, n


def _qualifies(tokens: Sequence[Token], i: int, n: int, rules: LoopRules, clause: bool) -> bool:
    """Is ``tokens[i:i+n]`` long and contentful enough to be a loop's copy?"""
    words = [t for t in tokens[i : i + n] if t.surface not in rules.separators and t.surface not in _BRACKETS]
    chars = sum(len(t.surface) for t in words)
    if clause and (len(words) < rules.clause_min_tokens or chars < rules.clause_min_chars):
        return False
    return (
        len(words) >= rules.min_tokens
        and chars >= rules.min_chars
        and any(_is_content_key(_token_key(t)) for t in words)
    )


def _classify_gap(gap: Sequence[str], rules: LoopRules) -> str:
    """What stands between two copies: '' nothing / separators, 'insertion' (、今、), 'clause' (おり、), or 'no'."""
    if all(g in rules.separators for g in gap) and len(gap) <= 2:
        return ""
    if (
        len(gap) == 3
        and gap[0] in rules.separators
        and gap[2] in rules.separators
        and len(gap[1]) <= rules.insertion_max_chars
    ):
        return "insertion"
    if gap and gap[-1] in rules.separators:
        ending = "".join(g for g in gap if g not in rules.separators)
        if ending in rules.clause_endings:
            return "clause"
    return "no"


def find_loops(tokens: Sequence[Token], original: str, checked: bool = False, by_chars: bool = False) -> list[Loop]:
    """The loops of one sentence (``tokens`` with offsets into ``original``), left to right, not overlapping.

    ``by_chars`` (a sentence read through earlier edits, whose tokens may not
    split as a new tagging would: ムーン|ゲート vs one rewritten ムーンゲート):
    the test and the glued copies are also found from a content word's
    characters occurring again, not only from equal tokens.

    >>> from pipeline.document import Token
    >>> text = "世界中の世界中の人々"
    >>> rows = [("世界", "名詞-普通名詞"), ("中", "接尾辞"), ("の", "助詞")] * 2 + [("人々", "名詞-普通名詞")]
    >>> toks, at = [], 0
    >>> for w, p in rows:
    ...     toks.append(Token(at, at + len(w), w, w, p, ""))
    ...     at += len(w)
    >>> find_loops(toks, text)
    [Loop(kind='stutter', copies=2, remove=(4, 8), kept=(0, 4), glued=True)]
    """
    if len(tokens) < 4:
        return []
    lo, hi = tokens[0].start, tokens[-1].end
    flags = content_flags(tokens) if by_chars else None
    if by_chars:
        again = [
            (t.start, y)
            for t, f in zip(tokens, flags, strict=True)
            if f and (y := original.find(t.surface, t.end, hi)) >= 0
        ]
        if not again:
            return []
    elif not (checked or may_loop(tokens)):
        return []  # ``checked``: the caller ran may_loop on these tokens
    else:
        again = []
        flags = content_flags(tokens)
    rules = load_loop_rules()
    s = list(map(_surface, tokens))
    seen: dict[str, list[int]] = {}
    pairs: list[tuple[int, int]] = []
    for b in compress(range(len(s)), flags):
        word = s[b]
        for a in seen.get(word, ()):
            if b - a <= rules.max_distance:
                pairs.append((a, b))
        seen.setdefault(word, []).append(b)
    found: list[Loop] = []
    for a, b in pairs:
        loop = _char_loop(tokens, original, tokens[a].start, tokens[b].start, lo, hi, rules)
        if loop is None:
            loop = _token_loop(tokens, s, original, a, b, rules)
        if loop is not None:
            found.append(loop)
    for x, y in again:
        loop = _char_loop(tokens, original, x, y, lo, hi, rules)
        if loop is not None:
            found.append(loop)
    # left to right, the loop with more copies first where two start together; the copy kept counts as taken
    return resolve_overlaps(found, rank=lambda x: (_loop_span(x)[0], -x.copies), span=_loop_span)


def _loop_span(loop: Loop) -> tuple[int, int]:
    """The characters a loop covers: the copy kept and the span removed."""
    return min(loop.kept[0], loop.remove[0]), max(loop.kept[1], loop.remove[1])


def _char_loop(
    tokens: Sequence[Token], original: str, x: int, y: int, lo: int, hi: int, rules: LoopRules
) -> Loop | None:
    """A run of characters said again right after itself around the equal words at ``x`` and ``y``.

    Characters, not tokens, so a copy cut inside a word (…予定だっへ向かう予定だっ…) is found too.
    """
    p = y - x
    back = 0
    while x - back - 1 >= lo and original[x - back - 1] == original[y - back - 1]:
        back += 1
    fwd = 0
    while y + fwd < hi and original[x + fwd] == original[y + fwd]:
        fwd += 1
    run = back + fwd  # characters equal to those p further on
    if run < p:
        return None
    start = x - back
    copies = (run + p) // p
    slack = run + p - copies * p  # the copies may start anywhere in start..start+slack: at a token if one is there
    starts = [t.start for t in tokens if start <= t.start <= start + slack]
    first = starts[0] if starts else start
    unit = original[first : first + p]
    if _is_power(unit):
        return None  # 時々時々 is 時々 twice: the shorter period decides (and is a reduplication)
    if not _unit_qualifies(tokens, unit, first, first + copies * p, copies, rules):
        return None
    seps = rules.separators
    kept = _strip_span(original, first, first + p, seps)
    glued = not any(ch in seps for ch in unit)
    if not glued and _is_term(tokens, first, first + p, rules):
        return None  # ムーンゲート、ムーンゲート: a list may name one thing twice
    return Loop("stutter", copies, (first + p, first + copies * p), kept, glued)


def _is_power(unit: str) -> bool:
    """Is ``unit`` a shorter string repeated (時々時々)?

    >>> _is_power("時々時々"), _is_power("世界中の")
    (True, False)
    """
    return (unit + unit).find(unit, 1) < len(unit)


def _is_term(tokens: Sequence[Token], a: int, b: int, rules: LoopRules) -> bool:
    """Is the copy at ``a..b`` only a name or a term (nouns, prefixes, suffixes)?"""
    words = [t for t in tokens if a <= t.start and t.end <= b and t.surface not in rules.separators]
    return bool(words) and all(t.pos.startswith(rules.term_pos) for t in words)


def _strip_span(original: str, a: int, b: int, seps: frozenset[str]) -> tuple[int, int]:
    while a < b and original[a] in seps:
        a += 1
    while b > a and original[b - 1] in seps:
        b -= 1
    return a, b


def _unit_qualifies(tokens: Sequence[Token], unit: str, a: int, b: int, copies: int, rules: LoopRules) -> bool:
    """Is a copy ``unit`` (its copies spanning ``a..b``) long and contentful enough to be a loop's?

    Said twice, a copy needs ``min_tokens`` words (one word twice is a
    reduplication: 毎日毎日); three times or more, one long word is a loop.
    """
    bare = "".join(ch for ch in unit if ch not in rules.separators and ch not in _BRACKETS)
    if len(bare) < rules.min_chars:
        return False
    inside = [t for t in tokens if a <= t.start and t.end <= b and t.surface not in rules.separators]
    words = [t for t in inside if t.start < a + len(unit)]
    twice = unit + unit  # a word cut by the copy's edges may sit across them
    return len(words) >= (rules.min_tokens if copies == 2 else 1) and any(
        _is_content_key(_token_key(t)) and t.surface in twice for t in inside
    )


def _token_loop(
    tokens: Sequence[Token], s: Sequence[str], original: str, a: int, b: int, rules: LoopRules
) -> Loop | None:
    """A copy said again after a separator, around a short insertion, or as a clause with another ending."""
    x = _run_back(s, a, b, 0)
    i, j = a - x, b - x
    n = _run_forward(s, i, j, j)
    i2, n = _trim(s, i, n, rules.separators)
    j += i2 - i
    i = i2
    if not n:
        return None
    if _is_power("".join(s[i : i + n])):
        return None  # a shorter copy said more often decides
    gap = s[i + n : j]
    kind = _classify_gap(gap, rules)
    if kind == "no" or not _qualifies(tokens, i, n, rules, kind == "clause"):
        return None
    if kind == "clause":  # the first clause goes: the second carries the sentence's ending
        # the kept copy is quoted with its ending, up to the end of the sentence
        return Loop("clause", 2, (tokens[i].start, tokens[j].start), (tokens[j].start, tokens[-1].end), False)
    if kind == "insertion":  # …によると、今、[…によると、]火曜日
        end = tokens[j + n - 1].end
        if j + n < len(tokens) and s[j + n] in rules.separators:
            end = tokens[j + n].end
        return Loop("insertion", 2, (tokens[j].start, end), (tokens[i].start, tokens[i + n - 1].end), False)
    copies, end = 2, j + n
    step = s[i + n : j] + list(s[i : i + n])  # a separator and a copy
    while end + len(step) <= len(s) and s[end : end + len(step)] == step:
        copies, end = copies + 1, end + len(step)
    kept = (tokens[i].start, tokens[i + n - 1].end)
    glued = not gap and kept[1] == tokens[j].start  # no separator token, no space the tagger skipped
    if not glued and _is_term(tokens, kept[0], kept[1], rules):
        return None  # a name or a term twice with a separator: a list may name one thing twice
    return Loop("stutter", copies, (kept[1], tokens[end - 1].end), kept, glued)


def describe_loop(loop: Loop, kept: str) -> str:
    """The reason of a loop removal, quoting the copy kept."""
    what = {
        "stutter": f"phrase said {loop.copies} times in a row" if loop.copies > 2 else "phrase said twice in a row",
        "insertion": "phrase said twice around an insertion",
        "clause": "clause said twice with another ending",
    }[loop.kind]
    which = "the second (it carries the sentence's ending)" if loop.kind == "clause" else "the first"
    return f"loop: {what}; kept {which}: 「{kept}」"


def _in_quotation(text: str, upto: int) -> bool:
    """Is position ``upto`` of ``text`` inside an open quotation?"""
    depth = 0
    for ch in text[:upto]:
        if ch in "「『“":
            depth += 1
        elif ch in "」』”" and depth:
            depth -= 1
    return depth > 0


def why_keep(doc: Document, sentence: Sentence, a: int, loop: Loop) -> str:
    """Why a loop is only flagged ("" when it may be removed): speech, dialogue, layout, verse."""
    blk = doc.blocks[sentence.block] if 0 <= sentence.block < len(doc.blocks) else None
    # the line as cleaned so far (markup gone: an entity or tag at its end is no final stop),
    # so a second cleaning decides as the first did
    lo, hi = (blk.start, blk.end) if blk else (0, len(doc.original))
    line = doc.cleaned_slice(lo, hi)
    at = doc.to_cleaned(a, "left") - doc.to_cleaned(lo, "left")
    if blk is not None and blk.label in _NOT_TEXT_LABELS:
        return f"in a {blk.label}"
    rules = load_loop_rules()
    # in speech a repetition with separators may be the speaker's (「はい、はい」); copies glued
    # together (…持っている持っている) are a machine's loop there too, unless very short (会いたい会いたい)
    glued = loop.glued and loop.kept[1] - loop.kept[0] >= rules.speech_min_chars
    if not glued and _in_quotation(line, at):
        return "inside a quotation (a speaker may repeat himself)"
    if not glued and rules.speaker_label.match(line.lstrip()):
        return "on a dialogue line (a speaker may repeat himself)"
    said = doc.cleaned_slice(sentence.start, sentence.end).rstrip()
    if loop.copies == 2 and loop.kind != "clause" and not said.endswith(tuple(_FINAL_STOPS)):
        return "in a sentence with no final stop (verse, a slogan, a heading)"
    return ""


_WORD_CHAR = re.compile(f"[{KATAKANA_LETTERS}{LONG_VOWEL}・A-Za-z0-9]")


def _inside_word(text: str, pos: int) -> bool:
    """Does ``pos`` cut a run of katakana, Latin letters or digits (a name the variants stage reads whole)?

    >>> _inside_word("ムーンゲートムーンゲート", 6), _inside_word("世界中の世界中の", 4)
    (True, False)
    """
    return 0 < pos < len(text) and bool(_WORD_CHAR.match(text[pos - 1])) and bool(_WORD_CHAR.match(text[pos]))


def cleaned_tokens(doc: Document, sentence: Sentence) -> list[Token]:
    """The tokens of a sentence an earlier edit touched, as the cleaned text reads (cleaned offsets).

    A rewrite over several tokens (ムーン|ゲイト -> ムーンゲート) gives one token;
    a deleted token gives none.  So a second cleaning sees what the first saw.
    """
    out: list[Token] = []
    last_end = -1
    for t in sentence.tokens:
        cs, ce = doc.to_cleaned(t.start, "left"), doc.to_cleaned(t.end, "right")
        if cs < last_end or ce <= cs:
            continue
        last_end = ce
        out.append(Token(cs, ce, doc.text[cs:ce], t.lemma, t.pos, t.reading))
    return out


def document_loops(doc: Document) -> tuple[list[Edit], list[tuple[int, int, str]]]:
    """Loop edits of every live sentence of a document, and flags (start, end, reason); the document is not changed."""
    starts = [e.start for e in doc.edits]
    ends = [e.end for e in doc.edits]  # edits are sorted and do not overlap: ends are sorted too
    edits: list[Edit] = []
    flags: list[tuple[int, int, str]] = []
    for s in doc.sentences:
        if len(s.tokens) < 4:
            continue
        k = bisect.bisect_left(ends, s.start)  # the first edit ending at or after the sentence start
        edited = k < len(starts) and starts[k] <= s.end
        # the cheap test first: a loop needs a content word twice (a sentence an earlier edit
        # touched is tested as it reads now, by sentence_loops: a variant rewrite can make two equal)
        if not edited and not may_loop(s.tokens, token_types(s)):
            continue
        if edited and doc.is_deleted(s.start, s.end):
            continue
        e, f = sentence_loops(doc, s, edited, checked=not edited)
        edits.extend(e)
        flags.extend(f)
    return edits, flags


def sentence_loops(
    doc: Document, sentence: Sentence, edited: bool | None = None, checked: bool = False
) -> tuple[list[Edit], list[tuple[int, int, str]]]:
    """Loop edits of one sentence, and flags (start, end, reason) for loops that are kept.

    A sentence an earlier edit touched (markup, a variant rewrite; ``edited``,
    found out when None) is searched as the cleaned text reads, and the spans
    are mapped back to the original.  ``checked``: the caller ran
    :func:`may_loop` on the tokens.
    """
    if edited is None:
        edited = doc.overlaps_edit(sentence.start, sentence.end)
    if edited:
        text = doc.text
        loops = find_loops(cleaned_tokens(doc, sentence), text, by_chars=True)
        spans = [doc.span_to_original(*loop.remove) for loop in loops]
    else:
        text = doc.original
        loops = find_loops(sentence.tokens, text, checked=checked)
        spans = [loop.remove for loop in loops]
    edits, flags = [], []
    for loop, (a, b) in zip(loops, spans, strict=True):
        reason = describe_loop(loop, text[slice(*loop.kept)].strip(" \u3000。、，,"))
        why = why_keep(doc, sentence, a, loop)
        if not why and (_inside_word(text, loop.remove[0]) or _inside_word(text, loop.remove[1])):
            # glued katakana or Latin copies (ムーンゲートムーンゲート) are one name for the variants
            # stage, which ran before: removing one would change what it reads, and a second
            # cleaning would decide otherwise
            why = "the copies run together into one katakana or Latin word"
        if why or not doc.can_replace(a, b):
            flags.append((a, b, f"{reason}; kept: {why or 'an earlier edit crosses it'}"))
            continue
        edits.append(Edit(a, b, doc.original[a:b], "", "dedup", RULE, reason))
    return edits, flags

"""Mentions: the runs of katakana and Latin tokens a name or term is written with.

Step 1 of the stage (see :mod:`pipeline.stages.variants`).  The per-token
script codes are the hot loop of the stage: :func:`_scan` is deliberately one
function over plain dicts and strings.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from pipeline.chars import KATAKANA, is_katakana
from pipeline.document import Document, Token, TokenType, token_types
from pipeline.stages.variants.alternations import load_alternations
from pipeline.stages.variants.boundaries import (
    KATAKANA_LOOKALIKES,
    is_dash_context,
    join_lookalike_kana,
    join_split_long_vowels,
)

# counter-kana alternation: the characters that write the same counter ka
_COUNTER_KA = re.compile("[カヶヵケ箇个か]")

_SEPARATORS = "・＝=･"
# Hyphens join the parts of a name only between two katakana words
# (ルナ-パーク); next to Latin or digits they are left alone (COVID-19).
_HYPHENS = "-‐‑－"
_JOINERS = _SEPARATORS + _HYPHENS
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&'’.\-]*")
# katakana letters, ・, ー, ヽ, ヾ, small kana (the characters of romanise.is_katakana)
_KATAKANA_WORD = re.compile(f"[{KATAKANA}]+")


def _script(t: Token) -> str:
    """``K`` katakana word, ``S`` name separator, ``L`` Latin word, ``-`` other."""
    return _script_code(t.surface).translate(_PLAIN_CODES)


@lru_cache(maxsize=1 << 16)
def _script_of(s: str) -> str:
    if s and all(c in _SEPARATORS for c in s):
        return "S"
    if len(s) == 1 and s in _HYPHENS:
        return "h"
    if s and not s.strip("ー"):
        return "d"  # a long-vowel mark alone: the end of a split word (トリ + ー) or a dash
    if s in KATAKANA_LOOKALIKES:
        return "p"  # hiragana ぺ typed for katakana ペ: katakana when a katakana word follows (ぺ + ンギン)
    if _KATAKANA_WORD.fullmatch(s) and s.strip("ー・"):
        return "K"
    if _LATIN_WORD.fullmatch(s) and any(c.isalpha() for c in s) and s.isascii():
        return "L"
    return "-"


# The script of each surface seen, looked up once per token (a plain dict:
# the per-token cost is what the whole stage is measured against).  Lower
# case marks a surface holding a counter kana (数カ月): ``k`` is a ``K`` and
# ``c`` a ``-`` that the orthography step looks at.
_SCRIPT_CODES: dict[str, str] = {}
_CACHE_LIMIT = 1 << 17
_PLAIN_CODES = str.maketrans("kchdp", "K----")
_HYPHEN_IN_NAME = re.compile("(?<=K)h(?=K)")
_KANA_CODES = str.maketrans("kcdp", "K---")


def clear_caches() -> None:
    """Empty every per-string cache of this stage and of :mod:`pipeline.romanise` (benchmarks, tests)."""
    import pipeline.romanise
    from pipeline.stages.variants import alternations, clusters, forms

    _SCRIPT_CODES.clear()
    _TYPE_CODES.clear()
    for module in (vars(alternations), globals(), vars(forms), vars(clusters), vars(pipeline.romanise)):
        for obj in list(module.values()):
            if callable(getattr(obj, "cache_clear", None)) and obj is not load_alternations:
                obj.cache_clear()


def _script_code(s: str) -> str:
    code = _SCRIPT_CODES.get(s)
    if code is None:
        if len(_SCRIPT_CODES) >= _CACHE_LIMIT:
            _SCRIPT_CODES.clear()
        code = _script_of(s)
        if _COUNTER_KA.search(s):
            code = {"K": "k", "-": "c"}.get(code, code)
        _SCRIPT_CODES[s] = code
    return code


# The same codes by the tokeniser's TokenType (a token's type has the token's surface).
_TYPE_CODES: dict[TokenType, str] = {}


def _type_code(t: TokenType) -> str:
    if len(_TYPE_CODES) >= _CACHE_LIMIT:
        _TYPE_CODES.clear()
    code = _TYPE_CODES[t] = _script_code(t.surface)
    return code


@dataclass(slots=True)
class Mention:
    """One occurrence of a form; ``kind`` is kana (one part), joined, latin, latin-run or mixed."""

    start: int
    end: int
    form: str
    kind: str
    tokens: tuple[Token, ...] = ()
    lemma_form: str | None = None  # the form spelled with UniDic lemmas
    gloss: str | None = None  # English glosses of the lemmas, joined
    known: str | None = None  # lemma when the form is one dictionary word
    in_name: bool = False  # a part of a ・-joined full name
    copy: bool = False  # in a sentence that repeats an earlier one word for word: it does not vote
    sentence: int = -1  # the index of its sentence (-1: not from a document); one sentence votes once


def _lemma_head(t: Token) -> str:
    return t.lemma.split("-", 1)[0] if t.lemma else t.surface


def _gloss(t: Token) -> str | None:
    if _script(t) == "L":
        return t.surface.lower()
    if "-" in t.lemma:
        g = t.lemma.split("-", 1)[1]
        if g.isascii() and g.isalpha() and g != "外国":
            return g.lower()
    return None


def _is_known(t: Token) -> bool:
    """A dictionary word: UniDic gives it a reading (unknown words have none)."""
    return bool(t.reading) and _script(t) == "K"


@lru_cache(maxsize=1 << 16)
def _facts_of(surface: str, lemma: str, reading: str) -> tuple[str, bool, str | None, bool, bool]:
    """What a mention needs of one token: lemma head, head all katakana, gloss, known, holds a ・."""
    t = Token(0, 0, surface, lemma, "", reading)
    head = _lemma_head(t)
    return (
        head,
        bool(head) and all(is_katakana(c) for c in head),
        _gloss(t),
        _is_known(t),
        any(c in _SEPARATORS for c in surface),
    )


def _facts(t: Token) -> tuple[str, bool, str | None, bool, bool]:
    return _facts_of(t.surface, t.lemma, t.reading)


def find_mentions(doc: Document) -> list[Mention]:
    """Every katakana/Latin/mixed mention of the document, in text order."""
    return _scan(doc)[0]


def spelling_counts(doc: Document) -> Counter[str]:
    """Mentions per spelling of a tokenised document: what a batch's counting pass adds up.

    The sum over a batch, passed as ``VariantOptions.batch_counts``, breaks the
    ties of single documents (one mention each) by the batch's majority.
    """
    return Counter(m.form for m in _scan(doc)[0])


_SURFACE = attrgetter("surface")


def _scan(doc: Document) -> tuple[list[Mention], list[Token]]:
    """The mentions of the document, and its tokens that hold a counter kana (in text order)."""
    out: list[Mention] = []
    counters: list[Token] = []
    original = doc.original
    get = _SCRIPT_CODES.get
    by_type = _TYPE_CODES.get
    # A sentence repeated word for word (an MT loop, a listing's refrain) holds the same
    # spellings as its first copy: they vote once.  Otherwise removing the copy (dedup) could
    # change the article's majority, and cleaning the cleaned text would rewrite again.
    seen: set[str] = set()
    for index, s in enumerate(doc.sentences):
        tokens = s.tokens
        if not tokens:
            continue
        sentence = original[s.start : s.end]
        is_copy = sentence in seen
        seen.add(sentence)
        first = len(out)
        types = token_types(s)
        if types is not None:  # the tokeniser's types: a probe by identity a token
            found = list(map(by_type, types))
            if None in found:
                found = [c or _type_code(t) for c, t in zip(found, types, strict=True)]
        else:
            found = list(map(get, map(_SURFACE, tokens)))  # no list of surfaces kept: rarely needed
            if None in found:
                found = [c or _script_code(t.surface) for c, t in zip(found, tokens, strict=True)]
        raw = "".join(found)
        codes = raw.translate(_PLAIN_CODES)
        if "h" in raw:
            codes = _HYPHEN_IN_NAME.sub("S", raw.translate(_KANA_CODES)).replace("h", "-")
        if "d" in raw:
            codes = join_split_long_vowels(original, tokens, raw, codes)
        if "p" in raw:
            codes = join_lookalike_kana(tokens, raw, codes)
        if codes != raw:
            counters.extend(tokens[m.start()] for m in _COUNTER_CODE.finditer(raw))
        for m in _CANDIDATE_RUN.finditer(codes):
            lo, hi = m.span()
            if hi - lo == 1 and codes[lo] == "K":
                # the common case: one katakana token between other words
                t = tokens[lo]
                head, head_kana, gloss, known, has_sep = _facts_of(t.surface, t.lemma, t.reading)
                if not has_sep:
                    lemma_form = head if head_kana else None
                    out.append(
                        Mention(t.start, t.end, t.surface, "kana", (t,), lemma_form, gloss, t.lemma if known else None)
                    )
                    continue
            for a, b in _runs(doc, tokens, codes, lo, hi):
                out.extend(_mentions_of_run(original, tokens[a:b], codes[a:b]))
        for m in out[first:]:
            m.sentence = index
            m.copy = is_copy
    if out and any(m.form[:1] == "ー" for m in out):
        out = [_without_leading_dash(original, m) if m.form[:1] == "ー" else m for m in out]
        out = [m for m in out if m.form]
    return out, counters


def _without_leading_dash(original: str, m: Mention) -> Mention:
    """A mention that starts with ー after a bracket, space, Latin letter or digit, without that dash."""
    if not is_dash_context(original[m.start - 1 : m.start] if m.start else ""):
        return m
    k = len(m.form) - len(m.form.lstrip("ー"))
    return Mention(m.start + k, m.end, m.form[k:], m.kind, m.tokens, None, None, None, copy=m.copy, sentence=m.sentence)


_CANDIDATE_RUN = re.compile("[KLS]+")
_COUNTER_CODE = re.compile("[kc]")


def _runs(doc: Document, tokens: Sequence[Token], codes: str, lo: int, hi: int) -> Iterable[tuple[int, int]]:
    """Index ranges of the runs within ``tokens[lo:hi]`` (all K/L/S): cut where text lies between tokens.

    A run never starts with a separator; a gap of one space joins Latin words only.
    """
    original = doc.original
    start = -1  # start of the current run, -1 when none
    for i in range(lo, hi):
        sc = codes[i]
        if start >= 0:
            prev = tokens[i - 1]
            t = tokens[i]
            if prev.end != t.start:
                gap = original[prev.end : t.start]
                if doc.edits:
                    gap = doc.cleaned_slice(prev.end, t.start)  # removed markup is no gap
                if gap and not (gap == " " and codes[i - 1] == "L" and sc == "L"):
                    yield start, i
                    start = -1
        if start < 0:
            if sc == "S":
                continue
            start = i
    if start >= 0:
        yield start, hi


def _mentions_of_run(original: str, run: Sequence[Token], codes: str) -> list[Mention]:
    codes = codes.rstrip("S")
    run = run[: len(codes)]
    if not run:
        return []
    if "L" not in codes:
        if "S" not in codes and not any(_facts(t)[4] for t in run):
            m = _part(run)  # the common case: katakana tokens, no ・ anywhere
            return [m] if m else []
        return _kana_parts(original, run, codes)
    out: list[Mention] = []
    # katakana parts (split at ・, also inside one token)
    if "K" in codes or "S" in codes:
        out.extend(_kana_parts(original, run, codes))
    # Latin words and multi-word Latin runs
    for t, c in zip(run, codes, strict=True):
        if c == "L" and len(t.surface) >= 2:
            out.append(Mention(t.start, t.end, t.surface, "latin", (t,), t.surface, t.surface.lower()))
    # maximal all-Latin stretches of more than one word
    for m in _LATIN_STRETCH.finditer(codes):
        stretch = run[m.start() : m.end()]
        if sum(len(t.surface) == 1 for t in stretch) <= 1:
            a, b = stretch[0].start, stretch[-1].end
            form = original[a:b]
            out.append(Mention(a, b, form, "latin-run", tuple(stretch), form, form.lower().replace(" ", "")))
    if "K" in codes:
        a, b = run[0].start, run[-1].end
        form = "".join(t.surface for t in run)
        if original[a:b] == form:
            heads = [_lemma_head(t) if c == "K" else t.surface for t, c in zip(run, codes, strict=True)]
            glosses = [_gloss(t) for t in run]
            gloss = "".join(g for g in glosses if g) if all(glosses) else None
            out.append(Mention(a, b, form, "mixed", tuple(run), "".join(heads), gloss))
    return out


_LATIN_STRETCH = re.compile("LL+")
_KANA_STRETCH = re.compile("[KS]+")


def _kana_parts(original: str, run: Sequence[Token], codes: str) -> list[Mention]:
    """Katakana parts of a run, split at ・; plus the joined name when there are several."""
    out: list[Mention] = []
    for m in _KANA_STRETCH.finditer(codes):
        sub = codes[m.start() : m.end()].rstrip("S")
        if sub:
            out.extend(_split_stretch(original, run[m.start() : m.start() + len(sub)], sub))
    return out


def _part(cur: Sequence[Token]) -> Mention | None:
    """One katakana part (tokens without separators between them)."""
    a, b = cur[0].start, cur[-1].end
    if len(cur) == 1:
        t = cur[0]
        if not t.surface:
            return None
        head, head_kana, gloss, known, _ = _facts(t)
        return Mention(a, b, t.surface, "kana", (t,), head if head_kana else None, gloss, t.lemma if known else None)
    form = "".join(t.surface for t in cur)
    if not form:  # a span holding removed markup is kept: its rewrite is flagged, not made
        return None
    facts = [_facts(t) for t in cur]
    lemma_form = "".join(f[0] for f in facts) if all(f[1] for f in facts) else None
    glosses = [f[2] for f in facts]
    gloss = "".join(g for g in glosses if g) if all(glosses) else None
    return Mention(a, b, form, "kana", tuple(cur), lemma_form, gloss, None)


def _split_stretch(original: str, toks: Sequence[Token], codes: str) -> list[Mention]:
    if codes == "K" and not _facts(toks[0])[4]:  # the common case: one katakana token
        m = _part(toks)
        return [m] if m else []
    parts: list[Mention] = []
    lo = 0  # start of the current part in toks
    for i, t in enumerate(toks):
        if codes[i] == "S":
            if lo < i:
                m = _part(toks[lo:i])
                if m:
                    parts.append(m)
            lo = i + 1
            continue
        if _facts(t)[4]:
            # a known full name kept as one token: split it at its separators
            if lo < i:
                m = _part(toks[lo:i])
                if m:
                    parts.append(m)
            lo = i + 1
            if original[t.start : t.end] != t.surface:
                continue
            pos = t.start
            for piece in _SEPARATOR_SPLIT.split(t.surface):
                if piece and any(c != "ー" for c in piece):
                    tok = Token(pos, pos + len(piece), piece, piece, t.pos, "")
                    parts.append(Mention(tok.start, tok.end, piece, "kana", (tok,), piece, None, None))
                pos += len(piece) + 1
            continue
    if lo < len(toks):
        m = _part(toks[lo:])
        if m:
            parts.append(m)
    if len(parts) > 1:
        for p in parts:
            p.in_name = True
        a, b = toks[0].start, toks[-1].end
        form = original[a:b]
        if all(is_katakana(c) or c in _JOINERS for c in form):
            parts.append(Mention(a, b, form, "joined", tuple(toks), None, None, None))
    return parts


_SEPARATOR_SPLIT = re.compile(f"[{_SEPARATORS}]")
_JOINER_SPLIT = re.compile(f"[{re.escape(_JOINERS)}]")

"""Name/term variant normalisation: find spelling variants, pick one, rewrite.

MT output spells one name several ways in one article (two katakana
renderings, a katakana and a Latin one).  This stage works on the tokens of
the ``tokenise`` stage (never re-tokenising):

1. **Mentions** are maximal runs of katakana tokens (with ー, ・, ヴ), of
   Latin words (``Z Holdings``: words joined by one space) and of both
   scripts touching (``オープンAPI``).  A mention starts and ends on token
   boundaries; a ``・`` inside a token (UniDic keeps some full names whole)
   also counts as a boundary, and a joined name is compared part by part.
2. **Grouping** of katakana forms: same UniDic lemma (ゲイト has lemma
   ゲート), or the same key once the alternations in
   ``data/variants_alternations.tsv`` are folded (ー, small kana, ヴ/ブ,
   ッ, エイ/エー, ティ/チ ...), or a small edit distance between keys with a
   threshold that grows with length.  Look-alikes are kept apart: two
   different dictionary words (フランク/フランス, ジャーナリスト/ジャーナリズム)
   never merge, a key that only extends another (ヒンドゥー/ヒンドゥートヴァ)
   is a different word, and groups merge only when every pair agrees
   (complete linkage), so names sharing one part stay two people.
3. **Bilingual aliases**: a Latin form joins a katakana group when the
   English glosses of the UniDic lemmas spell it (スター-star + ゲート-gate)
   or when the phonetic keys of :mod:`pipeline.romanise` agree.
4. **Canonical form**: the user lexicon first, then the dictionary-standard
   spelling (a form that another form's lemma points to), then the most
   frequent, then the first seen.
5. **Rewrites** are edits with reasons; Latin mentions are rewritten only
   with ``--latin rewrite``.  Mentions overlapping earlier edits are kept and
   flagged.

``doc.annotations["variants"]`` lists the groups of two or more forms and
every mention of them (original offsets).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from operator import attrgetter
from typing import Any, Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from pipeline.document import Document, Token
from pipeline.lexicon import Lexicon, find_matches, load_lexicons
from pipeline.romanise import is_katakana, katakana_of, phonetic_key, phonetic_keys, romanise_katakana
from pipeline.stages.tokenise import paused_gc
from pipeline.stages.variants.boundaries import (
    KATAKANA_LOOKALIKES,
    is_dash_context,
    join_lookalike_kana,
    join_split_long_vowels,
)
from pipeline.stages.variants.canonical import choose_canonical, counter_choice
from pipeline.stages.variants.decide import decide_all
from pipeline.stages.variants.evidence import (
    BILINGUAL,
    DICTIONARY,
    NAME_AND_WORD,
    ORTHOGRAPHIC,
    SIMILAR,
    Verdict,
    dictionary_objection,
    is_plural_pair,
    weakest,
)
from pipeline.stages.variants.select import select_edits
from pipeline.stages.variants.source import source_words

STAGE = "variants"

# ----------------------------------------------------------------------------
# options


@dataclass(frozen=True)
class VariantOptions:
    """Options of the variants stage."""

    enabled: bool = True
    lexicon_paths: tuple[str, ...] = ()
    lexicon: Lexicon | None = None  # already loaded (tests, batch workers)
    latin: Literal["keep", "rewrite"] = "keep"
    discover: bool = True  # find groups automatically (off: lexicon only)
    min_fuzzy_length: int = 4  # keys shorter than this merge only when equal
    long_length: int = 8  # keys this long may differ in two places, shorter ones in one
    orthography: bool = True  # 数カ月/数ヶ月 (same lemma, counter kana alternation)
    # spelling -> mentions over a whole batch (a counting pass: spelling_counts of every
    # document); breaks a tie within one document.  None: one document alone.
    batch_counts: Mapping[str, int] | None = None


def add_arguments(group: argparse._ArgumentGroup) -> None:
    """Command-line options of this stage (for ``clean`` and ``batch``)."""
    group.add_argument(
        "--lexicon",
        action="append",
        default=[],
        metavar="FILE",
        help="house spellings (native TSV or prh YAML); repeatable; overrides automatic groups",
    )
    group.add_argument(
        "--latin",
        choices=("keep", "rewrite"),
        default="keep",
        help="Latin spellings of a group (Watergate for ウォーターゲート): keep them (default) or rewrite "
        "every mention to the group's canonical form (in the script used more often)",
    )
    group.add_argument(
        "--no-discover",
        dest="discover",
        action="store_false",
        help="do not group variants automatically; apply only --lexicon",
    )
    group.add_argument(
        "--variant-min-length",
        type=int,
        default=4,
        metavar="N",
        help="katakana keys shorter than N merge only when equal after folding (default 4)",
    )


def options_from_args(args: argparse.Namespace) -> VariantOptions:
    paths = tuple(getattr(args, "lexicon", None) or ())
    return VariantOptions(
        lexicon_paths=paths,
        lexicon=load_lexicons(paths) if paths else None,
        latin=getattr(args, "latin", "keep"),
        discover=getattr(args, "discover", True),
        min_fuzzy_length=getattr(args, "variant_min_length", 4),
    )


# ----------------------------------------------------------------------------
# the alternation table


_REGEX_SYNTAX = set("\\.^$*+?{}[]|()")


def _required_text(pattern: str) -> str:
    """Text every match of an alternation row contains ("" when none is known).

    A plain pattern needs itself; ``(...)X`` (a class group, then plain text) needs X.

    >>> _required_text("ヴァ"), _required_text("([エケセ])イ"), _required_text("[・＝]")
    ('ヴァ', 'イ', '')
    """
    if pattern and not set(pattern) & _REGEX_SYNTAX:
        return pattern
    m = re.fullmatch(r"\(\[[^\]\\]+\]\)([^\\.^$*+?{}\[\]|()]+)", pattern)
    return m.group(1) if m else ""


@lru_cache(maxsize=1)
def _alternation_steps() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """The table's rows with the text each needs: a row is skipped when its text is absent."""
    return tuple((rx, repl, _required_text(rx.pattern)) for rx, repl in load_alternations())


@lru_cache(maxsize=1)
def load_alternations() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Rows of ``data/variants_alternations.tsv`` as (regex, replacement)."""
    text = resources.files("pipeline.data").joinpath("variants_alternations.tsv").read_text(encoding="utf-8")
    rows: list[tuple[re.Pattern[str], str]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, repl = line.split("\t")[:2]
        rows.append((re.compile(pattern), "" if repl == '""' else repl))
    return tuple(rows)


@lru_cache(maxsize=1 << 16)
def fold_kana(form: str) -> str:
    """The grouping key of a katakana form: alternations folded.

    >>> fold_kana("ハルターマン"), fold_kana("ハルトマン")
    ('ハルタマン', 'ハルトマン')
    >>> fold_kana("ウォーターゲイト") == fold_kana("ウォーターゲート")
    True
    >>> fold_kana("ヒンズー") == fold_kana("ヒンドゥー")
    True
    """
    s = katakana_of(form)
    for rx, repl, needed in _alternation_steps():
        if needed in s:
            s = rx.sub(repl, s)
    return s


# ----------------------------------------------------------------------------
# mentions

# counter-kana alternation: the characters that write the same counter ka
_COUNTER_KA = re.compile("[カヶヵケ箇个か]")

_SEPARATORS = "・＝=･"
# Hyphens join the parts of a name only between two katakana words
# (サンデー-モーニング); next to Latin or digits they are left alone (COVID-19).
_HYPHENS = "-‐‑－"
_JOINERS = _SEPARATORS + _HYPHENS
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&'’.\-]*")
# the characters of romanise.is_katakana (katakana letters, ・, ー, ヽ, ヾ, small kana)
_KATAKANA_WORD = re.compile("[\u30a1-\u30fe\u31f0-\u31ff]+")


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
        return "p"  # hiragana ぺ typed for katakana ペ: katakana when a katakana word follows (ぺ + ロシ)
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

    _SCRIPT_CODES.clear()
    for module in (globals(), vars(pipeline.romanise)):
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
    for s in doc.sentences:
        tokens = s.tokens
        if not tokens:
            continue
        surfaces = list(map(_SURFACE, tokens))
        found = list(map(get, surfaces))
        if None in found:
            found = [c or _script_code(x) for c, x in zip(found, surfaces, strict=True)]
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
    if out and any(m.form[:1] == "ー" for m in out):
        out = [_without_leading_dash(original, m) if m.form[:1] == "ー" else m for m in out]
        out = [m for m in out if m.form]
    return out, counters


def _without_leading_dash(original: str, m: Mention) -> Mention:
    """A mention that starts with ー after a bracket, space, Latin letter or digit, without that dash."""
    if not is_dash_context(original[m.start - 1 : m.start] if m.start else ""):
        return m
    k = len(m.form) - len(m.form.lstrip("ー"))
    return Mention(m.start + k, m.end, m.form[k:], m.kind, m.tokens, None, None, None)


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


def _trim(run: list[Token]) -> list[Token]:
    while run and _script(run[-1]) == "S":
        run = run[:-1]
    return run


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


# ----------------------------------------------------------------------------
# forms and their comparison


@dataclass(slots=True)
class Form:
    """A distinct spelling with its mentions and what the dictionary says about it."""

    text: str
    kind: str  # kana, joined, latin, latin-run, mixed
    mentions: list[Mention] = field(default_factory=list)
    lemma_forms: set[str] = field(default_factory=set)
    glosses: set[str] = field(default_factory=set)
    known: set[str] = field(default_factory=set)  # lemmas when one dictionary word
    tokens: tuple[Token, ...] = ()
    key: str = field(init=False)  # the folded spelling (fold_kana)

    def __post_init__(self) -> None:
        self.key = fold_kana(self.text)

    @property
    def count(self) -> int:
        return len(self.mentions)

    @property
    def first(self) -> int:
        return self.mentions[0].start

    @property
    def is_latin(self) -> bool:
        return self.kind in ("latin", "latin-run")


def collect_forms(mentions: Iterable[Mention]) -> dict[tuple[str, str], Form]:
    forms: dict[tuple[str, str], Form] = {}
    for m in mentions:
        group = "latin" if m.kind in ("latin", "latin-run") else m.kind
        f = forms.get((group, m.form))
        if f is None:
            f = forms[(group, m.form)] = Form(m.form, m.kind, tokens=m.tokens)
        f.mentions.append(m)
        if m.lemma_form:
            f.lemma_forms.add(m.lemma_form)
        if m.gloss:
            f.glosses.add(m.gloss)
        if m.known:
            f.known.add(m.known)
    return forms


def _common_affix_remainders(a: Form, b: Form) -> tuple[tuple[Token, ...], tuple[Token, ...]]:
    """The tokens of two forms once their shared leading/trailing words are removed."""
    ta, tb = list(a.tokens), list(b.tokens)
    while ta and tb and ta[0].surface == tb[0].surface:
        ta, tb = ta[1:], tb[1:]
    while ta and tb and ta[-1].surface == tb[-1].surface:
        ta, tb = ta[:-1], tb[:-1]
    return tuple(ta), tuple(tb)


def compare_kana(a: Form, b: Form, options: VariantOptions) -> Verdict:
    """Are two katakana spellings the same word?  (``why`` explains the answer.)

    ``evidence`` says whether the answer "same" may rewrite (orthographic,
    dictionary) or only flag (similar): see :mod:`.evidence`.

    >>> o = VariantOptions()
    >>> o = VariantOptions()
    >>> compare_kana(_form("ハルトマン"), _form("ハルターマン"), o)
    Verdict(same=True, why='spelled alike (1 difference once ー, small kana and similar alternations are folded)', evidence='similar')
    >>> compare_kana(_form("フランク", "フランク-Frank"), _form("フランス", "フランス"), o).same
    False
    """
    if a.kind == "joined" and b.kind == "joined":
        return _compare_parts(a, b, options)
    ka, kb = a.key, b.key
    if a.lemma_forms & b.lemma_forms and (a.known or b.known or len(a.tokens) > 1 or len(b.tokens) > 1):
        common = sorted(a.lemma_forms & b.lemma_forms)[0]
        if common in (a.text, b.text) or a.known & b.known:
            verdict = _dictionary_verdict(a, b, common)
            if verdict is not None:
                return verdict
    if abs(len(ka) - len(kb)) > 2:  # no rule below accepts more than two differences
        return Verdict(False, "lengths too different")
    if not ka or not kb:
        return Verdict(False, "nothing to compare")
    if (
        len(ka) == len(kb) == 3
        and not (a.known or b.known)
        and options.min_fuzzy_length > 3
        and _vowel_a_u_apart(ka, kb)
    ):
        # before the dictionary-word test: UniDic cuts unknown short names into
        # pieces that happen to be words (クド + ロー, カド + ロー)
        return Verdict(True, "one vowel written a or u (English u of cup: ラドック / ルドック)", SIMILAR)
    ra, rb = _common_affix_remainders(a, b)
    if len(ra) == 1 and len(rb) == 1 and _is_known(ra[0]) and _is_known(rb[0]) and ra[0].lemma != rb[0].lemma:
        names = ("固有名詞" in ra[0].pos) + ("固有名詞" in rb[0].pos)
        if ka == kb and names == 2 and len(ka) >= 2:
            return Verdict(
                True, "same spelling once ー, small kana and similar alternations are folded (a name)", ORTHOGRAPHIC
            )
        if ka == kb and names == 1 and len(ka) >= 2:
            # a name and a common word that fold alike (ビラ the club / ヴィラ villa): worth a look, no rewrite
            return Verdict(True, f"{NAME_AND_WORD} ({ra[0].lemma} / {rb[0].lemma})", SIMILAR)
        return Verdict(False, f"different dictionary words ({ra[0].lemma} / {rb[0].lemma})")
    if ka == kb and _adds_split_long_vowel(a, b):
        return Verdict(True, "one adds a ー the tokeniser split off (ソフト / ソフトー: soft / softie)", SIMILAR)
    if ka == kb:
        if len(ka) < 2:
            return Verdict(False, "too short")
        return Verdict(True, "same spelling once ー, small kana and similar alternations are folded", ORTHOGRAPHIC)
    if ka.startswith(kb) or kb.startswith(ka) or ka.endswith(kb) or kb.endswith(ka):
        return Verdict(False, "one extends the other (a compound or derived word)")
    if is_plural_pair(ka, kb):
        return Verdict(False, "one is a plural of the other")
    if (not ra or not rb) and (len(a.tokens) > 1 or len(b.tokens) > 1):
        return Verdict(False, "one adds or drops a whole word (a compound)")
    longest = max(len(ka), len(kb))
    if _is_stutter(ka, kb) and longest >= 4:
        return Verdict(True, "one kana written twice (ゼブブーン / ゼブーン)", SIMILAR)
    if min(len(ka), len(kb)) < options.min_fuzzy_length:
        return Verdict(False, "short keys must match exactly")
    allowed = 2 if longest >= options.long_length and "joined" not in (a.kind, b.kind) else 1
    d = Levenshtein.distance(ka, kb)
    if d > allowed:
        return Verdict(False, f"{d} differences")
    if a.known and b.known and not (a.lemma_forms & b.lemma_forms):
        return Verdict(False, "different dictionary words")
    if phonetic_key(a.text)[:1] != phonetic_key(b.text)[:1] and ka[:1] != kb[:1]:
        return Verdict(False, "different first sound")
    what = "difference" if d == 1 else "differences"
    return Verdict(True, f"spelled alike ({d} {what} once ー, small kana and similar alternations are folded)", SIMILAR)


def _dictionary_verdict(a: Form, b: Form, common: str) -> Verdict | None:
    """A shared UniDic lemma as evidence: orthographic when the keys fold alike, else dictionary.

    ``None`` when the lemma proves nothing (a plural, another part of speech,
    a compound, spellings far apart): the other tests decide.
    """
    if a.known and b.known and not a.known & b.known:
        return None  # two dictionary words whose lemmas only share a head (ビラ-villa / ビラ-bill): see compare_kana
    if a.key == b.key and len(a.key) >= 2:
        return Verdict(True, f"same spelling once folded; UniDic gives both the lemma {common}", ORTHOGRAPHIC)
    if len(a.tokens) != 1 or len(b.tokens) != 1 or not (a.known and b.known):
        return None
    objection = dictionary_objection(a.tokens[0], b.tokens[0], a.key, b.key, Levenshtein.distance(a.key, b.key))
    if objection:
        return None
    return Verdict(True, f"UniDic lists both as spellings of the lemma {common}", DICTIONARY)


def _adds_split_long_vowel(a: Form, b: Form) -> bool:
    """Whether one form is the other plus a ー token of its own (UniDic knew the word without it)."""
    for x, y in ((a, b), (b, a)):
        if len(x.tokens) == len(y.tokens) + 1 and not x.tokens[-1].surface.strip("ー") and x.text.startswith(y.text):
            return True
    return False


def _vowel_a_u_apart(a: str, b: str) -> bool:
    """Whether two keys of equal length differ in one kana only, as a- and u-vowel of one consonant.

    English u of *cup* and the neutral vowel are written with either (Ruddock:
    ラドック / ルドック); other vowel changes make other names (ミラ / ミロ).

    >>> _vowel_a_u_apart("クドロ", "カドロ"), _vowel_a_u_apart("クドロ", "キドロ"), _vowel_a_u_apart("タナカ", "ツナカ")
    (True, False, False)
    """
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(diff) != 1:
        return False
    rx, ry = romanise_katakana(diff[0][0]), romanise_katakana(diff[0][1])
    return rx[:-1] == ry[:-1] and {rx[-1:], ry[-1:]} == {"a", "u"}


def _is_stutter(a: str, b: str) -> bool:
    """Whether the longer key is the shorter with one kana doubled.

    >>> _is_stutter("ゼブブン", "ゼブン"), _is_stutter("ゼブン", "ゼブブン"), _is_stutter("ハルトマン", "アルマン")
    (True, True, False)
    """
    if len(a) < len(b):
        a, b = b, a
    if len(a) != len(b) + 1:
        return False
    return any(a[i] == a[i - 1] and a[:i] + a[i + 1 :] == b for i in range(1, len(a)))


def _compare_parts(a: Form, b: Form, options: VariantOptions) -> Verdict:
    """Two ・-joined names: the same number of parts, each pair alike."""
    pa, pb = _name_parts(a.text), _name_parts(b.text)
    if len(pa) != len(pb):
        return Verdict(False, "different number of name parts")
    kinds: list[str] = []
    for x, y in zip(pa, pb, strict=True):
        if x == y:
            continue
        verdict = _parts_alike(x, y, options.min_fuzzy_length, options.long_length)
        if not verdict.same:
            return Verdict(False, f"name parts {x} / {y} differ")
        kinds.append(verdict.evidence)
    if not kinds:
        return Verdict(True, "the same name parts joined another way (・ / ＝ / hyphen)", ORTHOGRAPHIC)
    return Verdict(True, f"each name part alike ({len(kinds)} part(s) spelled differently)", weakest(kinds))


@lru_cache(maxsize=1 << 16)
def _parts_alike(x: str, y: str, min_fuzzy_length: int, long_length: int) -> Verdict:
    """compare_kana of two name parts (it reads only these two options)."""
    options = VariantOptions(min_fuzzy_length=min_fuzzy_length, long_length=long_length)
    return compare_kana(_form(x), _form(y), options)


def _romaji_ratio(latin: str, kana: str) -> float:
    def norm(s: str) -> str:
        return re.sub(r"(.)\1+", r"\1", re.sub(r"[^a-z]", "", s.lower()).replace("l", "r"))

    return fuzz.ratio(norm(latin), norm(romanise_katakana(kana)))


def compare_latin(latin: Form, kana: Form) -> Verdict:
    """Is a Latin spelling an alias of a katakana (or mixed) one?

    >>> compare_latin(_form("Watergate", kind="latin"), _form("ウォーターゲート", gloss="watergate")).why
    'English glosses of the UniDic lemmas spell watergate'
    >>> compare_latin(_form("Z Holdings", kind="latin-run"), _form("Zホールディングス", kind="mixed")).same
    True
    """
    flat = re.sub(r"[^a-z0-9]", "", latin.text.lower())
    if not flat:
        return Verdict(False, "nothing to compare")
    if flat in {re.sub(r"[^a-z0-9]", "", g) for g in kana.glosses}:
        return Verdict(True, f"English glosses of the UniDic lemmas spell {flat}", BILINGUAL)
    # Latin letters inside a mixed form must appear in the Latin form
    latin_bits = re.findall(r"[A-Za-z0-9]+", kana.text)
    for bit in latin_bits:
        if bit.lower() not in flat:
            return Verdict(False, f"{bit} is not in {latin.text}")
    if len(kana.known) == 1 and kana.glosses and flat not in kana.glosses and _romaji_ratio(latin.text, kana.text) < 85:
        return Verdict(False, f"the dictionary reads {kana.text} as {sorted(kana.glosses)[0]}")
    shared = phonetic_keys(latin.text) & phonetic_keys(kana.text)
    if not shared:
        return Verdict(False, "different sound skeleton")
    key = max(shared, key=len)
    if len(key) >= 4 or (len(key) == 3 and _romaji_ratio(latin.text, kana.text) >= 50):
        return Verdict(True, f"same sound skeleton ({key}) as the romanised katakana", BILINGUAL)
    if len(key) == 2 and latin.text[:1].isupper() and _romaji_ratio(latin.text, kana.text) >= 58:
        return Verdict(True, f"same sound skeleton ({key}) and close romaji", BILINGUAL)
    return Verdict(False, "too short to compare by sound")


def _form(text: str, lemma: str | None = None, kind: str = "kana", gloss: str | None = None) -> Form:
    """A one-mention form for doctests and tests."""
    tok = Token(0, len(text), text, lemma or text, "名詞", text if lemma else "")
    m = Mention(0, len(text), text, kind, (tok,), (lemma or text).split("-")[0], gloss, lemma if lemma else None)
    f = Form(text, kind, tokens=(tok,))
    f.mentions.append(m)
    f.lemma_forms.add(m.lemma_form or text)
    if gloss:
        f.glosses.add(gloss)
    if lemma:
        f.known.add(lemma)
    return f


# ----------------------------------------------------------------------------
# clustering


@dataclass(slots=True)
class Cluster:
    forms: list[Form]
    why: dict[str, str] = field(default_factory=dict)  # form -> evidence that joined it
    canonical: str = ""
    canonical_why: str = ""
    choice: Any = None  # the canonical.Choice of the group

    @property
    def total(self) -> int:
        return sum(f.count for f in self.forms)


@lru_cache(maxsize=1 << 16)
def _name_parts(text: str) -> tuple[str, ...]:
    return tuple(p for p in _JOINER_SPLIT.split(text) if p)


def _joined_signature(text: str) -> list[tuple[int, str]]:
    """The number of name parts with each first sound of the first part (see _compare_parts)."""
    parts = _name_parts(text)
    if not parts:
        return [(0, "")]
    p0 = parts[0]
    return [(len(parts), "k" + fold_kana(p0)[:1]), (len(parts), "p" + phonetic_key(p0)[:1])]


def _first_sounds(f: Form) -> tuple[str, str]:
    """The first folded letter and the first sound of a form (see compare_kana's last test)."""
    return _first_sounds_of(f.text)


@lru_cache(maxsize=1 << 16)
def _first_sounds_of(text: str) -> tuple[str, str]:
    return ("k" + fold_kana(text)[:1], "p" + phonetic_key(text)[:1])


def _deletions(key: str, most: int) -> set[str]:
    """``key`` with up to ``most`` letters deleted (itself included).

    Two keys at most d edits apart (Levenshtein) share a string left after
    deleting at most d letters from each.

    >>> sorted(_deletions("アイウ", 1))
    ['アイ', 'アイウ', 'アウ', 'イウ']
    """
    out = {key}
    layer = {key}
    for _ in range(most):
        layer = {k[:i] + k[i + 1 :] for k in layer for i in range(len(k))}
        out |= layer
    return out


@lru_cache(maxsize=256)
def _neighbour_lengths(n: int, short: int) -> tuple[int, ...]:
    """Key lengths whose clusters compare_kana may join to a key of length ``n``.

    Any length within two when both keys are at least ``short`` long (edit
    distance), one apart when the longer has 4 or more (a kana written twice),
    the same length 3 (one vowel a/u).  Equal short keys are found by the
    exact-key index instead.
    """
    out = []
    for d in (-2, -1, 0, 1, 2):
        m = n + d
        if m > 0 and (min(n, m) >= short or (d in (-1, 1) and max(n, m) >= 4) or (d == 0 and n == 3)):
            out.append(m)
    return tuple(out)


def cluster_forms(forms: Sequence[Form], options: VariantOptions) -> list[Cluster]:
    """Complete-linkage grouping of katakana forms (most frequent first)."""
    kana = sorted((f for f in forms if not f.is_latin), key=lambda f: (-f.count, f.first))
    clusters: list[Cluster] = []
    # Index clusters by what compare_kana needs to say "same" to their first
    # form: a shared lemma, both ・-joined, or folded keys within two letters
    # of each other's length that start with the same letter or sound.
    # Keys shorter than min_fuzzy_length are "same" only when equal (by_key)
    # or one kana written twice (lengths one apart, the longer of 4 or more).
    # Two joined names need as many parts and alike first parts (by_parts).
    # Outside those, "same" needs equal keys (by_key), a shared lemma
    # (by_lemma) or keys at most two edits apart (one kana written twice, one
    # vowel a/u and the edit-distance test all are): such keys share a string
    # left after deleting up to two letters from each (by_deletion), and only
    # those clusters are tested for shape.  Scanning every cluster of the same
    # length and first sound instead made one long document quadratic in its
    # vocabulary.  Two joined names are compared part by part, so their
    # candidates still come by shape (by_shape holds joined clusters only).
    by_shape: dict[tuple[int, str], list[int]] = {}
    by_key: dict[str, list[int]] = {}
    by_lemma: dict[str, list[int]] = {}
    by_parts: dict[tuple[int, str], list[int]] = {}
    by_deletion: dict[str, list[int]] = {}
    shape_of: list[tuple[int, tuple[str, str]]] = []  # cluster -> (key length, first sounds) of its first form
    short = options.min_fuzzy_length
    two_edits_from = options.long_length - 2  # shorter keys are never two edits from a "same" key
    for f in kana:
        best: tuple[int, Cluster, str] | None = None
        n = len(f.key)
        starts = _first_sounds(f)
        idx = set(by_key.get(f.key, ()))
        lengths = _neighbour_lengths(n, short)
        near: set[int] = set()
        for d in _deletions(f.key, 2 if n >= two_edits_from else 1):
            hit = by_deletion.get(d)
            if hit:
                near.update(hit)
        for i in near:
            m, cstarts = shape_of[i]
            if m in lengths and (cstarts[0] == starts[0] or cstarts[1] == starts[1]):
                idx.add(i)
        if f.kind == "joined":
            for m in lengths:
                for s0 in starts:
                    hit = by_shape.get((m, s0))
                    if hit:
                        idx.update(hit)
        for lf in f.lemma_forms:
            hit = by_lemma.get(lf)
            if hit:
                idx.update(hit)
        if f.kind == "joined":
            for p in _joined_signature(f.text):
                idx.update(by_parts.get(p, ()))
        for c in (clusters[i] for i in sorted(idx)):
            if (c.forms[0].kind == "mixed") != (f.kind == "mixed"):
                continue
            first = compare_kana(c.forms[0], f, options)
            if first.same and all(compare_kana(g, f, options).same for g in c.forms[1:]):
                score = c.total
                if best is None or score > best[0]:
                    best = (score, c, first.why)
        if best is None:
            i = len(clusters)
            clusters.append(Cluster([f]))
            shape_of.append((n, starts))
            for d in _deletions(f.key, 2 if n >= two_edits_from else 1):
                by_deletion.setdefault(d, []).append(i)
            if f.kind == "joined":
                for s0 in starts:
                    by_shape.setdefault((n, s0), []).append(i)
            by_key.setdefault(f.key, []).append(i)
            for lf in f.lemma_forms:
                by_lemma.setdefault(lf, []).append(i)
            if f.kind == "joined":
                for p in _joined_signature(f.text):
                    by_parts.setdefault(p, []).append(i)
        else:
            best[1].forms.append(f)
            best[1].why[f.text] = best[2]
    # Latin forms: attach to the katakana group they alias (best score), else their own.
    # compare_latin says "same" only on a shared gloss or a shared non-empty
    # phonetic key, so only forms sharing one of those are compared (in the
    # order of a full scan: cluster, then form, which breaks ties alike).
    latin = sorted((f for f in forms if f.is_latin), key=lambda f: (-f.count, f.first))
    by_sound: dict[str, list[tuple[int, int]]] = {}
    if latin:
        for ci, c in enumerate(clusters):
            for fi, g in enumerate(c.forms):
                for k in _latin_probe_keys(g):
                    by_sound.setdefault(k, []).append((ci, fi))
    by_letters: dict[str, list[tuple[int, int]]] = {}
    for f in latin:
        letters = _letters_of(f.text)
        cand = set(by_letters.get(letters, ()))
        for k in _latin_probe_keys(f):
            cand.update(by_sound.get(k, ()))
        hits: list[tuple[int, int, Cluster, str]] = []
        for ci, fi in sorted(cand):
            c = clusters[ci]
            g = c.forms[fi]
            if g.is_latin:
                if _letters_of(g.text) == letters:
                    hits.append((2, c.total, c, f"same letters as {g.text}"))
                continue
            v = compare_latin(f, g)
            if v.same:
                hits.append((1 if "gloss" in v.why else 0, c.total, c, f"{v.why} of {g.text}"))
        if hits:
            hits.sort(key=lambda h: (h[0], h[1]), reverse=True)
            c = hits[0][2]
            ci = next(i for i, x in enumerate(clusters) if x is c)
            c.forms.append(f)
            c.why[f.text] = hits[0][3]
        else:
            ci = len(clusters)
            clusters.append(Cluster([f]))
        by_letters.setdefault(letters, []).append((ci, len(clusters[ci].forms) - 1))
    return clusters


@lru_cache(maxsize=1 << 16)
def _letters_of(text: str) -> str:
    """Word characters of a Latin spelling, lower-cased (``Z-Holdings`` -> ``zholdings``)."""
    return re.sub(r"\W", "", text.lower())


def _latin_probe_keys(f: Form) -> list[str]:
    """What a Latin form and a katakana form must share for compare_latin to say "same".

    The glosses (flattened) and the non-empty phonetic keys, tagged apart.
    """
    out = list(_sound_probes(f.text))
    if f.is_latin:
        out.append("g" + _flat(f.text))
    else:
        out.extend("g" + _flat(g) for g in f.glosses)
    return out


@lru_cache(maxsize=1 << 16)
def _sound_probes(text: str) -> tuple[str, ...]:
    return tuple("p" + k for k in phonetic_keys(text) if k)


@lru_cache(maxsize=1 << 16)
def _flat(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


# ----------------------------------------------------------------------------
# orthographic variants of one dictionary word (数カ月 / 数ヶ月)


def _orthographic_groups(tokens: Iterable[Token]) -> dict[tuple[str, str], dict[str, list[Token]]]:
    """Surfaces of one dictionary word that differ in their counter kana (``tokens`` hold one each)."""
    groups: dict[tuple[str, str], dict[str, list[Token]]] = {}
    for t in tokens:
        if t.reading:
            key = (t.lemma, _COUNTER_KA.sub("カ", t.surface))
            groups.setdefault(key, {}).setdefault(t.surface, []).append(t)
    return {k: v for k, v in groups.items() if len(v) > 1}


# ----------------------------------------------------------------------------
# the stage


def normalise_variants(doc: Document, options: VariantOptions) -> None:
    """Group variant spellings, choose a canonical form, rewrite the others as edits."""
    if not options.enabled:
        return
    with paused_gc():  # mentions, forms and groups hold no reference cycles
        _normalise_variants(doc, options)


def _normalise_variants(doc: Document, options: VariantOptions) -> None:
    lexicon = options.lexicon
    if lexicon is None and options.lexicon_paths:
        lexicon = load_lexicons(options.lexicon_paths)
    mentions, counter_tokens = _scan(doc)
    forms = collect_forms(mentions)
    clusters = cluster_forms(list(forms.values()), options) if options.discover else []
    proposals: list[tuple[int, int, str, str, str]] = []  # start, end, new, rule, reason

    # 1. lexicon hits, on token (and ・) boundaries
    if lexicon:
        proposals.extend(_lexicon_proposals(doc, lexicon))

    # 2. automatic groups: rewrites on evidence, flags for the rest
    records: list[dict[str, Any]] = []
    mention_records: list[dict[str, Any]] = []
    groups = [c for c in clusters if len(c.forms) >= 2 and not all(f.is_latin for f in c.forms)]
    for c in groups:
        c.choice = choose_canonical(
            c, lexicon, "any" if options.latin == "rewrite" else "kana", batch_counts=options.batch_counts
        )
        c.canonical, c.canonical_why = c.choice.text, c.choice.why
    words = source_words(doc, (f for c in groups for f in c.forms)) if "alignment" in doc.annotations else None
    decisions = decide_all(groups, options, lexicon, words)
    rewritten = {id(d.form) for d in decisions if d.rewrite}
    for c in _inner_groups(groups, rewritten):
        groups.remove(c)
    kept = {id(c) for c in groups}
    for c in groups:
        cid = len(records)
        records.append(
            {
                "canonical": c.canonical,
                "forms": {f.text: f.count for f in sorted(c.forms, key=lambda f: (-f.count, f.first))},
            }
        )
        for f in c.forms:
            for m in f.mentions:
                mention_records.append(
                    {"start": m.start, "end": m.end, "form": m.form, "canonical": c.canonical, "cluster": cid}
                )
    in_kept = {id(f) for c in groups if id(c) in kept for f in c.forms}
    for d in decisions:
        if id(d.form) not in in_kept:
            continue
        for m in d.form.mentions:
            if d.rewrite:
                proposals.append((m.start, m.end, d.target, d.rule, d.reason))
            else:
                doc.flag(m.start, m.end, STAGE, d.rule, d.reason)

    # 3. orthographic variants of one word
    if options.orthography and options.discover:
        for (lemma, _), by_surface in _orthographic_groups(counter_tokens).items():
            ranked = sorted(by_surface.items(), key=lambda kv: (-len(kv[1]), kv[1][0].start))
            choice = counter_choice({k: len(v) for k, v in ranked})
            canon = choice.text
            total = sum(len(v) for v in by_surface.values())
            records.append({"canonical": canon, "forms": {k: len(v) for k, v in ranked}})
            cid = len(records) - 1
            for surface, toks in ranked:
                for t in toks:
                    mention_records.append(
                        {"start": t.start, "end": t.end, "form": surface, "canonical": canon, "cluster": cid}
                    )
                    if surface == canon:
                        continue
                    reason = f"spelling of {lemma} ({len(toks)} of {total}): orthographic evidence: {choice.why}"
                    if choice.decided:
                        proposals.append((t.start, t.end, canon, "orthography", reason))
                    else:
                        doc.flag(t.start, t.end, STAGE, "orthography", f"{reason}, kept")

    edits = select_edits(doc, proposals, STAGE)
    if edits:
        doc.add_edits(edits)
    for e in edits:
        doc.count(STAGE, e.rule)
    mention_records.sort(key=lambda r: (r["start"], r["end"]))
    doc.annotations[STAGE] = {"clusters": records, "mentions": mention_records}


def _inner_groups(groups: list[Cluster], rewritten: set[int]) -> list[Cluster]:
    """Groups that only restate part of a longer grouped name: dropped from the output.

    Holdings / ホールディングス is no group of its own when every mention of
    both lies inside Z Holdings / Zホールディングス (a Latin run or a mixed
    name, written as one unit).  Parts of ・-joined names stay groups: a given
    name or surname is a name of its own (ソフィ / ソフィー in ソフィ・リッジ).
    Only a group that would rewrite nothing is dropped, so no rewrite is lost.
    """
    spans = [[(m.start, m.end) for f in c.forms for m in f.mentions] for c in groups]
    units = [
        [(m.start, m.end) for f in c.forms if f.kind in ("latin-run", "mixed") for m in f.mentions] for c in groups
    ]
    out = []
    for i, c in enumerate(groups):
        if any(id(f) in rewritten for f in c.forms):
            continue
        others = [sp for j, group_spans in enumerate(units) if j != i for sp in group_spans]
        if others and all(any(a <= s and e <= b and b - a > e - s for a, b in others) for s, e in spans[i]):
            out.append(c)
    return out


def _has_latin(s: str) -> bool:
    return any("a" <= c.lower() <= "z" for c in s)


def _lexicon_proposals(doc: Document, lexicon: Lexicon) -> list[tuple[int, int, str, str, str]]:
    out: list[tuple[int, int, str, str, str]] = []
    for s in doc.sentences:
        if not s.tokens:
            continue
        a, b = s.tokens[0].start, s.tokens[-1].end
        text = doc.original[a:b]
        starts: set[int] = set()
        ends: set[int] = set()
        for t in s.tokens:
            starts.add(t.start - a)
            ends.add(t.end - a)
            if original_matches(doc, t):
                for i, ch in enumerate(t.surface):
                    if ch in _SEPARATORS:
                        ends.add(t.start - a + i)
                        starts.add(t.start - a + i + 1)
        for m in find_matches(lexicon, text, starts, ends, base=a):
            where = m.entry.source or "lexicon"
            out.append(
                (
                    m.start,
                    m.end,
                    m.new,
                    "lexicon",
                    f"house spelling {m.new} for {doc.original[m.start : m.end]} (lexicon {where})",
                )
            )
    return out


def original_matches(doc: Document, t: Token) -> bool:
    return doc.original[t.start : t.end] == t.surface


# ----------------------------------------------------------------------------
# for the `variants` command

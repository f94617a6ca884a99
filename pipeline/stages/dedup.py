"""Sentence deduplication: exact, near-duplicate and fragment repeats, and loops inside a sentence.

Machine translation repeats text in a few shapes: a sentence twice, a second
rendering of the same sentence with other spellings or words, and the tail
(or a short restatement) of a sentence standing as a sentence of its own.
Three rules, each with a score and a threshold:

``exact``
    the sentence keys are equal (score 1.00).
``near``
    rapidfuzz Indel similarity of the two unit sequences (lemmas; content
    words weigh 2, particles and endings 1) is at least ``near`` (default 0.80).
``fragment``
    a short sentence is contained in a neighbour in the same line: the
    (weighted) share of its units in the longest common subsequence with the
    best window of the neighbour is at least ``fragment`` (default 0.70).
``loop``
    a phrase or clause said again inside one sentence (:mod:`pipeline.stages.loops`).

Evidence before an edit: a copy **next to** its original (the same line, or
no live sentence between them in one paragraph) is an MT or scraping
artefact and goes; an exact or near repeat further away may be the author's
(a listing's shipping note, an instruction after each step, a refrain) and is
kept and flagged unless ``distant="remove"`` (or document scope).
Near-duplicates and fragments need the same **sentence type**
(:mod:`pipeline.stages.sentence_types`: request, question or statement;
tense; polarity): a request and its follow-up question are two sentences.
``source`` is the hook for English-source evidence (not built here).

Keys are built from ``Sentence.tokens`` (never re-tokenised) after variant
normalisation: a token's text is its cleaned text, a token inside a variant
mention becomes its cluster id, punctuation and spaces are left out, digit
runs are joined (``5,000`` = ``5000``) and numbers stay significant.

What stays: the more complete copy (the full sentence, not its fragment; of
two near-duplicates, the clearly longer one), among equals the first.  The
removal is one edit over the sentence (and the space before it) whose reason
names the sentence kept and the score.

Safety rules (the cleaner keeps text when unsure and adds a flag instead):

* numbers and negations must match: ``2018年2月`` is not ``2024年2月``, and
  ``…しなかった`` is not ``…した``;
* a name-like word (katakana or Latin word, proper noun, variant mention) on
  one side only must have a phonetic partner on the other side
  (``ハルターマン``/``ハルトマン``), else the sentences are about different
  things;
* short formulaic lines (dates, headings, a short line on its own, blocks
  labelled heading/timeline/byline/caption) are never near-duplicates or
  fragments, and identical ones are kept and flagged: a timeline may list the
  same month twice;
* quotations: by default a sentence holding quote marks is never removed
  (a speaker may repeat himself); ``--dedup-quotes exact`` removes exact
  repeats of quoted sentences, ``all`` treats them like other sentences.

Scope: by default a sentence is compared with the ``window`` sentences
before it in the same paragraph.  With ``scope="document"`` exact and near
repeats are looked up in the whole document through an index (a hash table
for keys, prefix-filtered postings of rare units for near-duplicates, at most
``max_candidates`` checks per sentence), so the cost stays near-linear;
fragments are always a neighbour's matter (the window, across paragraphs).

>>> from pipeline.run import clean_text
>>> doc = clean_text("関係は崩れ始めた後、会社は新しい計画を発表した。新しい計画を発表した。")
>>> doc.text
'関係は崩れ始めた後、会社は新しい計画を発表した。'
>>> doc.edits[0].rule, doc.edits[0].reason.split(" (")[0]
('fragment', 'fragment of sentence 0')
"""

from __future__ import annotations

import argparse
import bisect
import math
import operator
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import Indel, LCSseq

from pipeline.document import Document, Edit, Sentence, Token
from pipeline.romanise import phonetic_key
from pipeline.stages.loops import sentence_loops
from pipeline.stages.sentence_types import describe_difference, type_of

STAGE = "dedup"
SENTENCE_RULES = ("exact", "near", "fragment")  # a sentence repeated
RULES = (*SENTENCE_RULES, "loop")  # ... and a loop inside a sentence (pipeline/stages/loops.py)
SCOPES = ("paragraph", "document")
QUOTE_POLICIES = ("keep", "exact", "all")
DISTANT_POLICIES = ("flag", "remove")


@dataclass(frozen=True)
class DedupOptions:
    """Thresholds and scope of the dedup stage (defaults are the documented ones)."""

    rules: frozenset[str] = frozenset(RULES)  # which rules run
    near: float = 0.80  # Indel similarity of lemma-unit sequences
    fragment: float = 0.70  # containment of the shorter sentence in the longer one
    window: int = 4  # sentences before this one that it is compared with
    scope: str = "paragraph"  # paragraph: window inside the paragraph; document: whole document
    quotes: str = "keep"  # speech (inside quotes): keep (never removed), exact (exact repeats only), all
    near_min_content: int = 4  # content words both sentences need for the near rule
    fragment_min_content: int = 3  # content words a fragment needs
    fragment_max_ratio: float = 0.8  # a fragment has at most this share of the other's units
    complete_margin: float = 0.2  # a near-duplicate this much longer is "more complete"
    max_candidates: int = 50  # document scope: near-duplicate checks per sentence
    long_exact: int = 30  # exact repeats with keys this long (characters) are removed anywhere; 0: off
    long_exact_content: int = 6  # ... and at least this many content words
    restatement: float = 0.85  # containment of a short restatement right after its sentence (wider window)
    distant: str = (
        "flag"  # exact/near repeats not next to their original (another line, sentences between): flag or remove
    )
    types: bool = True  # near-duplicates and fragments need the same sentence type (act, tense, polarity)
    # Hook for an English source (the bilingual-cleaning issue; not built here): called with the
    # document and the sentence indexes of the original and the copy, it answers "repeats" (the
    # source repeats it too: kept), "single" (the copy has no source line of its own: it may go
    # even when distant) or "" (unknown: distance decides).  None: no source.
    source: Callable[[Document, int, int], str] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not set(self.rules) <= set(RULES):
            raise ValueError(f"unknown dedup rule(s): {sorted(set(self.rules) - set(RULES))}")
        if self.scope not in SCOPES:
            raise ValueError(f"dedup scope must be one of {SCOPES}")
        if self.quotes not in QUOTE_POLICIES:
            raise ValueError(f"dedup quote policy must be one of {QUOTE_POLICIES}")
        if self.distant not in DISTANT_POLICIES:
            raise ValueError(f"dedup distant policy must be one of {DISTANT_POLICIES}")
        for name in ("near", "fragment", "fragment_max_ratio"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ValueError(f"dedup {name} must be in (0, 1]")
        if not 0.0 < self.restatement <= 1.0:
            raise ValueError("dedup restatement must be in (0, 1]")
        if self.long_exact < 0:
            raise ValueError("dedup long_exact must be 0 (off) or more")
        if self.window < 1:
            raise ValueError("dedup window must be at least 1")


# -- units -------------------------------------------------------------------
# Part-of-speech prefixes (UniDic pos1-pos2) of tokens that are left out of keys.
_SKIP_POS = ("補助記号", "空白", "記号")
# Symbols that carry meaning next to numbers and so stay in keys.
_KEPT_SYMBOLS = frozenset("%％$＄€£¥￥")
# Content words: these pos prefixes, except the 非自立可能 (auxiliary-like) ones.
_CONTENT_POS = ("名詞", "動詞", "形容詞", "形状詞", "副詞", "代名詞", "接頭辞")
# Negation: auxiliaries ない/ず/ぬ/ん and the adjective ない after adjectives.
_NEGATION_LEMMAS = frozenset({"ない", "無い", "ず", "ぬ", "ん"})
# Block labels (set by the blocks stage): headings and bylines are formulaic
# lines; captions are compared only by the exact rule (a caption that says
# what the body says is layout, not a repeat).  Timeline entries are text;
# their date lines are formulaic by being short.
_FORMULAIC_LABELS = frozenset({"heading", "byline"})
_NOT_TEXT_LABELS = frozenset({"heading", "byline", "caption"})
_KATAKANA = re.compile(r"[\u30a1-\u30faー]+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9&'\-]*")
_DIGITS = re.compile(r"[0-9]+")
_NUMBER_SEPARATORS = frozenset(",.，．")

_EPS = 1e-9  # a score equal to its threshold counts (20/25 is 0.7999999...)

# unit kinds (bit flags)
CONTENT = 1  # a content word
SUBSTANTIVE = 2  # a content word that is not a number or counter
NUMBER = 4  # a number: must match
NEGATION = 8  # a negation: must match
NAME = 16  # name-like: needs a phonetic partner when unmatched
PRONOUN = 32  # a pronoun (彼/彼女): must match, it names who
CONTRAST = 64  # a day, a relative time or a direction (日曜/月曜, 昨年/来年, 増/減): substituted, another fact

# Lemmas (UniDic) of words that, put in place of one another, make another
# fact: a sentence that swaps one for another of its row is not a repeat.
# One row per group; the comment says why.
_CONTRAST_GROUPS = (
    ("月曜", "火曜", "水曜", "木曜", "金曜", "土曜", "日曜"),  # days of the week: JR運休は日曜 vs 月曜
    ("昨日", "今日", "明日", "一昨日", "明後日"),  # days relative to now
    ("先週", "今週", "来週"),  # weeks relative to now
    ("先月", "今月", "来月"),  # months relative to now
    ("去年", "昨年", "今年", "来年", "昨年度", "今年度", "来年度"),  # years relative to now
    ("午前", "午後", "朝", "昼", "夕方", "夜", "未明", "深夜"),  # times of day
    ("上旬", "中旬", "下旬", "前半", "後半", "年初", "年末"),  # parts of a month or year
    ("増", "減", "増加", "減少", "上昇", "下落", "拡大", "縮小", "上回る", "下回る"),  # direction of a change
    ("増える", "減る", "上がる", "下がる", "伸びる", "縮む"),  # direction of a change, as verbs: 人口は増えた/減った
    ("引き上げ", "引き下げ", "値上げ", "値下げ", "利上げ", "利下げ"),  # direction of a price or rate change
    ("黒字", "赤字"),  # profit or loss
    ("以上", "以下", "未満", "超"),  # bounds of a quantity
    ("可決", "否決", "賛成", "反対"),  # outcome of a vote
    ("勝利", "敗北", "勝つ", "負ける", "有罪", "無罪"),  # outcome of a match or a trial
    ("東部", "西部", "南部", "北部", "東", "西", "南", "北"),  # directions
)
_CONTRAST_LEMMAS = frozenset(w for row in _CONTRAST_GROUPS for w in row)
NOUN = 128  # a common noun (not a number, not name-like): one swapped for an unlike one is another subject

# Nouns MT renders one way or another for the same thing (a swap is a rewording,
# not another subject).  Nouns that share a kanji (創設/設立) need no row.
_SYNONYM_GROUPS = (
    ("設立", "創設", "創業", "創立"),  # founding a company
    ("発表", "公表"),  # announcing
    ("会社", "企業"),  # a company
    ("首相", "総理"),  # the prime minister
    ("利用者", "使用者"),  # users
)
_SYNONYM_OF = {w: i for i, row in enumerate(_SYNONYM_GROUPS) for w in row}
_KANJI = re.compile(r"[\u3400-\u9fff]")


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


@dataclass
class Match:
    rule: str
    score: float
    victim: SentenceKey
    keeper: SentenceKey
    region: tuple[int, int] | None = None  # the part of the keeper that matched (original span)


class _Vocabulary:
    """Unit texts interned as small ints, in order of first sight (``ids[text]`` adds a new one)."""

    def __init__(self) -> None:
        self.ids: defaultdict[str, int] = defaultdict()
        self.ids.default_factory = self.ids.__len__  # a new text gets the next number

    def __call__(self, unit: str) -> int:
        return self.ids[unit]


@lru_cache(maxsize=1 << 16)
def normalise_unit(text: str) -> str:
    """NFKC, case-folded, without spaces.

    >>> normalise_unit("ＯｐｅｎＡＰＩ "), normalise_unit("５,０００")
    ('openapi', '5,000')
    """
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def _mention_index(doc: Document) -> tuple[list[int], list[tuple[int, int, int, str]], list[int]]:
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
    if pos.startswith(_CONTENT_POS) and "非自立可能" not in pos:
        kind |= CONTENT
        if not pos.startswith("名詞-数詞") and "助数詞" not in pos:
            kind |= SUBSTANTIVE
    if pos.startswith("名詞-数詞"):
        kind |= NUMBER | CONTENT
    if lemma in _NEGATION_LEMMAS and (pos.startswith("助動詞") or pos.startswith("形容詞-非自立")):
        kind |= NEGATION
    if pos.startswith("名詞-固有名詞"):
        kind |= NAME
    if pos.startswith("代名詞"):
        kind |= PRONOUN
    if lemma in _CONTRAST_LEMMAS and pos.startswith(("名詞", "動詞")):
        kind |= CONTRAST
    if pos.startswith("名詞") and kind & SUBSTANTIVE and not kind & NAME:
        kind |= NOUN
    return kind


def _same_script(a: str, b: str) -> bool:
    """Katakana continues katakana (アルター|マン); Latin and katakana stay apart (オープン|AI)."""
    return bool(_KATAKANA.fullmatch(a[-1:])) == bool(_KATAKANA.fullmatch(b[:1]))


def _is_name_text(norm: str) -> bool:
    return bool(_KATAKANA.fullmatch(norm) or _LATIN.fullmatch(norm))


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
_Class = tuple[int, str, int, str, bool, bool, tuple[str, str, str, int]]
_BLANK: _Class = (_SKIP, "", 0, "", False, False, ("", "", "", 0))
_TOKEN_CACHE_SIZE = 1 << 17
_token_classes: dict[tuple[str, str, str, bool], _Class] = {}
_plain_classes: dict[tuple[str, str, str], _Class] = {}  # tokens as tagged: (surface, pos, lemma)
_token_strings = operator.attrgetter("surface", "pos", "lemma")


def classify_token(text: str, pos: str, lemma: str, same: bool) -> _Class:
    """What a token adds to a key, a pure function of its strings (cached).

    ``text`` is the token's cleaned text, ``same`` whether it equals the
    tagger's surface (else the lemma is not the text's).  Returns (class,
    normalised text, kind bits, lemma unit, is a number separator, is one
    Latin letter, the unit a word adds: (surface, unit, text, kind)); a blank
    token is ``_BLANK``.

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
        sep = norm in _NUMBER_SEPARATORS
        if _DIGITS.fullmatch(norm):
            c = (_DIGIT, norm, 0, norm, sep, False, _BLANK[6])
        elif _is_name_text(norm):
            c = (_NAME, norm, 0, norm, sep, len(norm) == 1 and norm.isascii(), _BLANK[6])
        elif pos.startswith(_SKIP_POS) and norm not in _KEPT_SYMBOLS:
            c = (_SKIP, norm, 0, norm, sep, False, _BLANK[6])
        else:
            kind = _kind_of(pos, lemma)
            lem = normalise_unit(lemma) if same and not kind & NUMBER else norm
            c = (_WORD, norm, kind, lem, sep, False, (norm, lem, norm, kind))
    if len(_token_classes) >= _TOKEN_CACHE_SIZE:
        _token_classes.clear()
    _token_classes[key] = c
    return c


def _plain_classes_of(tokens: Sequence[Token]) -> list[_Class]:
    """The classes of tokens whose text is the tagger's surface (no edit inside the sentence)."""
    cache = _plain_classes
    classes = list(map(cache.get, map(_token_strings, tokens)))
    if None in classes:
        if len(cache) >= _TOKEN_CACHE_SIZE:
            cache.clear()
        for i, c in enumerate(classes):
            if c is None:
                t = tokens[i]
                classes[i] = cache[(t.surface, t.pos, t.lemma)] = classify_token(t.surface, t.pos, t.lemma, True)
    return classes


def _edited_classes_of(doc: Document, tokens: Sequence[Token]) -> list[_Class]:
    """The classes of tokens read from the cleaned text (a sentence an edit touched)."""
    cleaned = doc.text
    last_end = -1
    classes = []
    for t in tokens:
        # tokens inside one rewrite (ファー|イブ|アイズ -> ファイブアイズ) give its text once
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
    starts, rows, _ = mentions
    out: list[tuple[str, str, str, int]] = []
    spans: list[tuple[int, int]] = []
    last_mention = -1
    # a pending run (digits with separators; adjacent katakana/Latin words) becomes one unit
    run_type = -1
    run_text = ""
    run_kind = 0
    run_start = run_end = 0
    tokens = s.tokens
    classes = _plain_classes_of(tokens) if plain else _edited_classes_of(doc, tokens)
    out_append, spans_append = out.append, spans.append
    # without want_spans, ``spans`` gets only the slow path's spans (misaligned, thrown away)
    for c, t in zip(classes, tokens, strict=True):
        if c is _BLANK:
            continue
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
            m = _mention_at(starts, rows, start, end)
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
        out.append(_run_unit(run_type, run_text, run_kind, phonetic))
        spans.append((run_start, run_end))
    return out, spans


def build_key(
    doc: Document, index: int, vocab: _Vocabulary, mentions: tuple[list[int], list, list[int]], phonetic: bool = False
) -> SentenceKey:
    """The units and exact key of ``doc.sentences[index]`` (tokens read, never re-made).

    ``phonetic``: name-like words (katakana, Latin) are keyed by their
    phonetic key, so spelling variants match when no variant clusters exist.
    """
    s = doc.sentences[index]
    blk = doc.blocks[s.block] if 0 <= s.block < len(doc.blocks) else None
    plain = not doc.overlaps_edit(s.start, s.end)
    look_up = bool(mentions[1]) and _mentions_within(mentions, s.start, s.end)
    out, _ = _unit_rows(doc, s, mentions, phonetic, plain, look_up, False)
    surface, unit_texts, texts, kind_tuple = zip(*out, strict=True) if out else ((), (), (), ())
    units = list(map(vocab.ids.__getitem__, unit_texts))
    kinds = list(kind_tuple)
    content = sum(map(CONTENT.__and__, kinds))
    substantive = sum(map(SUBSTANTIVE.__and__, kinds)) // SUBSTANTIVE
    label = blk.label if blk else "body"
    alone = _alone_in_block(doc, index)
    formulaic = label in _FORMULAIC_LABELS or substantive == 0 or (alone and content < 4)
    quoted = is_speech(doc.cleaned_slice(s.start, s.end))
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
        label not in _NOT_TEXT_LABELS,
        (doc, mentions, phonetic, plain, look_up),
    )


_OPENERS = "「『“"
_CLOSERS = "」』”"
_QUOTE_MARKS = re.compile(f"[{_OPENERS}{_CLOSERS}]")


def is_speech(text: str) -> bool:
    """Is the sentence a quotation, or part of one, where a repeat may be the speaker's own?

    Speech: the whole sentence is a quotation (「…」 with at most stops
    after it), or it holds an opener or a closer without its partner (a
    quotation running over several sentences).  Narrative with a quotation
    inside (…は「…」と述べた。, 「…」と述べた。) is not speech.

    >>> is_speech("「私は彼に同情する。彼が幸せだとは思わない。私は彼に同情する。」")
    True
    >>> is_speech("悪い考えのように思える」と書いた。"), is_speech("「私は彼に同情する。")
    (True, True)
    >>> is_speech("彼は「はい」と答えた。"), is_speech("「残念だ」と述べた。")
    (False, False)
    """
    if not _QUOTE_MARKS.search(text):
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


# -- comparison ----------------------------------------------------------------
def _name_runs(k: SentenceKey, positions: Iterable[int] | None = None) -> list[str]:
    """Texts of the runs of adjacent name-like units (オープン|AI -> one name).

    With ``positions``, only the runs that hold one of those positions.
    """
    runs: list[tuple[int, int]] = []
    i, n = 0, len(k.kinds)
    while i < n:
        if k.kinds[i] & NAME:
            j = i
            while j + 1 < n and k.kinds[j + 1] & NAME and unit_spans(k)[j + 1][0] <= unit_spans(k)[j][1]:
                j += 1
            runs.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    if positions is not None:
        wanted = {p for p in positions if k.kinds[p] & NAME}
        runs = [(a, b) for a, b in runs if any(a <= p < b for p in wanted)]
    return ["".join(k.texts[a:b]) for a, b in runs]


def _names_partnered(mine: Iterable[int], a: SentenceKey, b: SentenceKey) -> bool:
    """Does every name-like word of ``a`` at ``mine`` have a phonetic partner in ``b``?

    Names are compared by :func:`phonetic_key` (a run of adjacent name-like
    units as one word), so spelling variants of one name
    (ハルターマン/ハルトマン, OpenAPI/オープンAPI) partner, different names
    (トヨタ/ホンダ) do not.
    """
    names = _name_runs(a, mine)
    if not names:
        return True
    theirs = _name_runs(b) + [b.texts[j] for j in range(len(b.kinds)) if b.kinds[j] & NAME]
    keys = {phonetic_key(t) or t for t in theirs}
    return all((phonetic_key(t) or t) in keys for t in names)


def _critical(kinds: Sequence[int], positions: Iterable[int]) -> str:
    """What makes the unmatched units at ``positions`` a real difference ("" when nothing)."""
    which = 0
    for i in positions:
        which |= kinds[i]
    if which & NUMBER:
        return "numbers differ"
    if which & NEGATION:
        return "negation differs"
    if which & PRONOUN:
        return "pronouns differ"
    if which & CONTRAST:
        return "days, times or directions differ"
    return ""


def _substituted(a: SentenceKey, only_a: Sequence[int], b: SentenceKey, only_b: Sequence[int]) -> bool:
    """Does each side hold a day, time or direction word the other lacks (日曜 for 月曜)?

    One on one side only is an addition (the fuller copy), not another fact.
    """
    return any(a.kinds[i] & CONTRAST for i in only_a) and any(b.kinds[j] & CONTRAST for j in only_b)


def _critical_near(kinds: Sequence[int], positions: Iterable[int]) -> str:
    """As :func:`_critical`, but a day, time or direction word counts only when substituted."""
    return _critical([k & ~CONTRAST for k in kinds], positions)


def _weights(kinds: Sequence[int]) -> list[int]:
    """Content words weigh 2, particles and endings 1."""
    return [2 if k & CONTENT else 1 for k in kinds]


def compare_near(a: SentenceKey, b: SentenceKey, threshold: float) -> tuple[float, str]:
    """Similarity of two sentences and why it does not count ("" when it does).

    The similarity is rapidfuzz's Indel similarity (2 x matched / total) on the
    unit sequences, with content words weighing 2 and particles or endings 1,
    so two short sentences that share only their grammar
    (政府は…を発表した / 野党は…を批判した) stay apart.

    >>> k = lambda units, kinds: SentenceKey(0, 0, 0, 0, 0, (), units, [str(u) for u in units], kinds, [], 9, 9, False, False, True)
    >>> compare_near(k([1, 2, 3, 4, 5], [1] * 5), k([1, 2, 3, 4, 6], [1] * 5), 0.8)
    (0.8, '')
    >>> compare_near(k([1, 2, 3, 4, 5], [1, 1, 1, 1, 5]), k([1, 2, 3, 4, 6], [1, 1, 1, 1, 5]), 0.8)
    (0.8, 'numbers differ')
    """
    lcs = LCSseq.similarity(a.units, b.units)
    # upper bound of the weighted score: every match a content word, every miss a particle
    if 4 * lcs / (len(a.units) + len(b.units) + 2 * lcs or 1) < threshold - _EPS:
        return Indel.normalized_similarity(a.units, b.units), "below threshold"
    ops = LCSseq.editops(a.units, b.units)
    only_a = [op.src_pos for op in ops if op.tag in ("delete", "replace")]
    only_b = [op.dest_pos for op in ops if op.tag in ("insert", "replace")]
    wa, wb = _weights(a.kinds), _weights(b.kinds)
    total = sum(wa) + sum(wb)
    score = 1 - (sum(wa[i] for i in only_a) + sum(wb[j] for j in only_b)) / total
    if score < threshold - _EPS:
        return score, "below threshold"
    why = _critical_near(a.kinds, only_a) or _critical_near(b.kinds, only_b)
    if not why and _substituted(a, only_a, b, only_b):
        why = "days, times or directions differ"
    if why:
        return score, why
    # a name on each side without a partner is a substitution (トヨタ/ホンダ): another
    # subject; a name on one side only is an addition (the more complete copy)
    if not (_names_partnered(only_a, a, b) or _names_partnered(only_b, b, a)):
        return score, "names differ"
    if _nouns_swapped(a, only_a, b, only_b):
        return score, "nouns differ"
    return score, ""


def _alike(x: str, y: str) -> bool:
    """Two nouns that may name the same thing: a shared kanji (創設/設立), one inside the other, or synonyms.

    >>> _alike("創設", "設立"), _alike("創業", "設立"), _alike("売上", "利益")
    (True, True, False)
    """
    if x in y or y in x or set(_KANJI.findall(x)) & set(_KANJI.findall(y)):
        return True
    gx, gy = _SYNONYM_OF.get(x), _SYNONYM_OF.get(y)
    return gx is not None and gx == gy


def _nouns_swapped(a: SentenceKey, only_a: Sequence[int], b: SentenceKey, only_b: Sequence[int]) -> bool:
    """Is a noun of ``a`` replaced by an unlike noun of ``b`` (売上/利益), with no rewording pair beside it?

    A noun on one side only is an addition; nouns swapped for alike ones are
    a rewording (創設/設立), and then an unlike pair beside them is taken as
    rewording too (利用/ユーザー).
    """
    # kanji nouns only: kana and Latin words are names or loanwords, which the names rule and
    # phonetic keys judge (イスマ・ラ・サール/イスーマ・ラ・サール is a respelling)
    na = [a.texts[i] for i in only_a if a.kinds[i] & NOUN and _KANJI.search(a.texts[i])]
    nb = [b.texts[j] for j in only_b if b.kinds[j] & NOUN and _KANJI.search(b.texts[j])]
    if not (na and nb):
        return False
    return not any(_alike(x, y) for x in na for y in nb)


def compare_fragment(
    short: SentenceKey, long: SentenceKey, threshold: float, wide: bool = False
) -> tuple[float, str, tuple[int, int] | None]:
    """Containment of ``short`` in the best window of ``long`` and why it does not count.

    The window is a little longer than the fragment, so scattered common words
    of a long sentence cannot add up to a match.  Containment is the share of
    the fragment's weight found in the window, content words weighing 2 and
    particles or endings 1, so shared function words alone do not make a fragment.

    >>> k = lambda units: SentenceKey(0, 0, 0, 0, 0, (), units, [str(u) for u in units], [1] * len(units), [(i, i + 1) for i in range(len(units))], 9, 9, False, False, True)
    >>> compare_fragment(k([4, 5, 6]), k([1, 2, 3, 4, 5, 6]), 0.7)[:2]
    (1.0, '')
    >>> compare_fragment(k([1, 3, 5]), k([1, 7, 8, 9, 3, 7, 8, 9, 5]), 0.7)[0] < 0.7
    True
    """
    n = len(short.units)
    if n == 0:
        return 0.0, "empty", None
    # ``wide``: a restatement right after its sentence may leave out more in between
    m = min(len(long.units), 2 * n + 2 if wide else n + max(2, math.ceil(n * 0.25)))
    best, best_i = -1, 0
    for i in range(0, len(long.units) - m + 1):
        sim = LCSseq.similarity(short.units, long.units[i : i + m])
        if sim > best:
            best, best_i = sim, i
            if sim == n:
                break
    weights = _weights(short.kinds)
    total = sum(weights)
    if 2 * best / total < threshold - _EPS:  # an upper bound of the weighted score
        return best / n, "below threshold", None
    window = long.units[best_i : best_i + m]
    ops = LCSseq.editops(short.units, window)
    missing = [op.src_pos for op in ops if op.tag in ("delete", "replace")]
    score = 1 - sum(weights[i] for i in missing) / total
    if score < threshold - _EPS:
        return score, "below threshold", None
    matched_long = sorted(set(range(len(window))) - {op.dest_pos for op in ops if op.tag in ("insert", "replace")})
    region = None
    if matched_long:
        spans = unit_spans(long)
        region = (spans[best_i + matched_long[0]][0], spans[best_i + matched_long[-1]][1])
    why = _critical(short.kinds, missing)
    if why:
        return score, why, region
    # a negation in the long sentence's matched window that the fragment lacks
    if any(long.kinds[best_i + j] & NEGATION for j in matched_long) != any(k & NEGATION for k in short.kinds):
        return score, "negation differs", region
    if not _names_partnered(missing, short, long):
        return score, "names differ", region
    return score, "", region


def _is_tail(short: SentenceKey, long: SentenceKey, adjacent: bool) -> bool:
    """Is ``short`` the end of the (live) sentence just before it, said again (…報告されている。報告されている。)?

    A repeated tail needs no content-word minimum, but at least 4 units and 6 characters.
    """
    n = len(short.units)
    return (
        adjacent
        and short.index > long.index
        and n >= 4
        and n < len(long.units)
        and long.units[-n:] == short.units
        and sum(len(t) for t in short.texts) >= 6
    )


def _more_complete(a: SentenceKey, b: SentenceKey, margin: float) -> bool:
    """Is ``b`` clearly more complete than ``a`` (more content words by a margin)?"""
    return b.content > a.content * (1 + margin) and b.content - a.content >= 2


_DISTANT = (
    "a repeat away from its original (another line, sentences between) may be the author's "
    "(a listing, a step, a refrain); --dedup-distant remove removes it"
)


def _removable(s: SentenceKey, rule: str, options: DedupOptions) -> bool:
    if s.quoted:
        return options.quotes == "all" or (options.quotes == "exact" and rule == "exact")
    return True


class _Finder:
    """Finds the repeats of one document, sentence by sentence."""

    def __init__(self, doc: Document, options: DedupOptions) -> None:
        self.doc = doc
        self.o = options
        self.removed: dict[int, Match] = {}
        self.flags: dict[int, tuple[SentenceKey, str, str]] = {}  # first doubt per sentence
        self.exact_index: dict[tuple[str, ...], SentenceKey] = {}
        self.postings: dict[int, list[SentenceKey]] = defaultdict(list)
        self.df: dict[int, int] = {}
        self._skip: dict[int, int] = {}  # removed position -> where the backward search goes on
        self._types: dict[int, tuple[str, ...]] = {}  # sentence index -> (act, tense, polarity)

    def doubt(self, s: SentenceKey, rule: str, reason: str) -> None:
        self.flags.setdefault(s.index, (s, rule, reason))

    def alive(self, k: SentenceKey) -> bool:
        return k.index not in self.removed

    # -- candidates
    def window_candidates(self, keys: list[SentenceKey], pos: int, same_paragraph: bool) -> list[SentenceKey]:
        """The kept sentences among the ``window`` before ``keys[pos]``, nearest first."""
        out = []
        s = keys[pos]
        j = self._alive_at_or_before(keys, pos - 1)
        while j >= 0 and len(out) < self.o.window:
            c = keys[j]
            if same_paragraph and c.paragraph != s.paragraph:
                break
            out.append(c)
            j = self._alive_at_or_before(keys, j - 1)
        return out

    def _alive_at_or_before(self, keys: list[SentenceKey], j: int) -> int:
        """The nearest kept position <= j (-1: none).

        Removed positions remember where the search went on (path
        compression), so a long run of removed repeats is crossed once, not
        once per later sentence: the stage stays linear on hostile input.
        """
        path = []
        while j >= 0 and not self.alive(keys[j]):
            path.append(j)
            j = self._skip.get(j, j - 1)
        for p in path:
            self._skip[p] = j
        return j

    def prefix(self, s: SentenceKey) -> list[int]:
        """Rarest units of ``s`` such that a near-duplicate must share one (prefix filtering)."""
        alpha = self.o.near / (2 - self.o.near)  # Dice >= t  =>  overlap >= alpha * |s|
        occ = _occurrences(s.units)
        occ.sort(key=lambda u: (self.df.get(u, 0), u))
        p = len(occ) - math.ceil(alpha * len(occ)) + 1
        return occ[: max(1, p)]

    def index_candidates(self, s: SentenceKey) -> list[SentenceKey]:
        seen: dict[int, SentenceKey] = {}
        for u in self.prefix(s):
            for c in reversed(self.postings.get(u, ())):
                if self.alive(c) and c.index not in seen:
                    seen[c.index] = c
                    if len(seen) >= self.o.max_candidates:
                        return list(seen.values())
        return list(seen.values())

    def add_to_index(self, s: SentenceKey) -> None:
        for u in self.prefix(s):
            self.postings[u].append(s)

    # -- rules
    def check_exact(self, c: SentenceKey, s: SentenceKey) -> Match | None:
        if not s.surface or s.surface != c.surface:
            return None
        if s.formulaic or c.formulaic or s.content < 2:
            why = "short or formulaic lines (dates, headings) are content"
            self.doubt(s, "exact", f"identical to sentence {c.index}, kept: {why}")
            return None
        source = self.source_says(c, s)
        if source == "repeats":
            self.doubt(s, "exact", f"identical to sentence {c.index}, kept: the source repeats it too")
            return None
        if not self.close(c, s) and not self.far_removable() and source != "single":
            self.doubt(s, "exact", f"identical to sentence {c.index}, kept: {_DISTANT}")
            return None
        if not _removable(s, "exact", self.o) and not self.adjacent_quotations(c, s):
            self.doubt(s, "exact", f"identical to sentence {c.index}, kept: inside a quotation (--dedup-quotes)")
            return None
        return Match("exact", 1.0, s, c)

    def source_says(self, c: SentenceKey, s: SentenceKey) -> str:
        """What the source text says of a repeat: "repeats", "single" or "" (no source, or it cannot tell)."""
        return self.o.source(self.doc, c.index, s.index) if self.o.source is not None else ""

    def far_removable(self) -> bool:
        """Are repeats that are not next to their original removed (``--dedup-distant remove``, document scope)?"""
        return self.o.distant == "remove" or self.o.scope == "document"

    def close(self, a: SentenceKey, b: SentenceKey) -> bool:
        """Is the copy next to its original: in the same line, or with no live sentence between in one paragraph?

        That is where MT and scraping put their repeats; a repeat further away
        (another list item, another step, a refrain) may be the author's.
        """
        if a.block == b.block:
            return True
        x, y = (a, b) if self.pos[a.index] < self.pos[b.index] else (b, a)
        return x.paragraph == y.paragraph and self.adjacent(x, y)

    def adjacent_quotations(self, c: SentenceKey, s: SentenceKey) -> bool:
        """Is ``s`` the same quoted text, quote marks and all, right after ``c``?

        「…。」「…。」 said twice in a row is a copy, not a speaker repeating
        himself (he would say something in between), and so is …。」…。」: the
        same quotation cannot close twice.  A speaker's own repetition inside
        one quotation (「A。B。A。」) has other text between, or other quote marks.
        """
        if not self.adjacent(c, s):
            return False
        a, b = self.doc.cleaned_slice(c.start, c.end).strip(), self.doc.cleaned_slice(s.start, s.end).strip()
        return a == b and bool(_QUOTE_MARKS.search(a))

    def type_of(self, k: SentenceKey) -> tuple[str, ...]:
        t = self._types.get(k.index)
        if t is None:
            t = self._types[k.index] = type_of(
                self.doc.sentences[k.index].tokens, self.doc.cleaned_slice(k.start, k.end)
            )
        return t

    def types_differ(self, a: SentenceKey, b: SentenceKey, features: int = 3) -> str:
        """Why the sentence types of ``a`` and ``b`` differ ("" when they match or types are off)."""
        if not self.o.types:
            return ""
        return describe_difference(self.type_of(a)[:features], self.type_of(b)[:features])

    def check_near(self, c: SentenceKey, s: SentenceKey) -> Match | None:
        if not (c.text and s.text) or c.formulaic or s.formulaic:
            return None
        if min(c.content, s.content) < self.o.near_min_content:
            return None
        score, why = compare_near(c, s, self.o.near)
        if score < self.o.near - _EPS:
            return None
        why = why or self.types_differ(c, s)
        if why:
            self.doubt(s, "near", f"looks like sentence {c.index} (similarity {score:.2f}) but {why}: kept")
            return None
        source = self.source_says(c, s)
        if source == "repeats":
            self.doubt(
                s, "near", f"looks like sentence {c.index} (similarity {score:.2f}), kept: the source repeats it"
            )
            return None
        if not self.close(c, s) and not self.far_removable() and source != "single":
            self.doubt(s, "near", f"near-duplicate of sentence {c.index} (similarity {score:.2f}), kept: {_DISTANT}")
            return None
        victim, keeper = (c, s) if _more_complete(c, s, self.o.complete_margin) else (s, c)
        if not _removable(victim, "near", self.o):
            why = f"near-duplicate of sentence {keeper.index} (similarity {score:.2f})"
            self.doubt(victim, "near", f"{why}, kept: inside a quotation")
            return None
        return Match("near", score, victim, keeper)

    def check_fragment(self, c: SentenceKey, s: SentenceKey) -> Match | None:
        if not (c.text and s.text) or c.block != s.block:
            return None  # a short line next to a full one is a headline or a caption
        short, long = (s, c) if len(s.units) <= len(c.units) else (c, s)
        if not _is_tail(short, long, self.adjacent(long, short)) and (
            c.formulaic or s.formulaic or short.content < self.o.fragment_min_content
        ):
            return None
        if short.index < long.index and self._first_in_block(short):
            return None  # a run-in headline: 見出し。本文…
        if len(short.units) > self.o.fragment_max_ratio * len(long.units):
            return None
        score, why, region = compare_fragment(short, long, self.o.fragment)
        if score < self.o.fragment - _EPS and short.index > long.index and self.adjacent(long, short):
            # a short restatement right after its sentence (…鹿児島県薩摩半島に上陸した。台風10号が鹿児島に上陸。)
            threshold = max(self.o.fragment, self.o.restatement)
            score, why, region = compare_fragment(short, long, threshold, wide=True)
            if score < threshold - _EPS:
                return None
        elif score < self.o.fragment - _EPS:
            return None
        what = f"sentence {long.index} (containment {score:.2f})"
        # the act must match; tense and polarity too when the fragment repeats the end of the sentence
        ends = region is not None and region[1] >= unit_spans(long)[-1][1]
        why = why or self.types_differ(short, long, 3 if ends else 1)
        if why:
            self.doubt(short, "fragment", f"mostly contained in {what} but {why}: kept")
            return None
        if not _removable(short, "fragment", self.o):
            self.doubt(short, "fragment", f"fragment of {what}, kept: inside a quotation")
            return None
        return Match("fragment", score, short, long, region)

    def is_long(self, s: SentenceKey) -> bool:
        """Running text long enough that an exact repeat of it anywhere is a repeat (``long_exact``)."""
        return (
            s.text
            and not s.formulaic
            and s.content >= self.o.long_exact_content
            and sum(map(len, s.surface)) >= self.o.long_exact
        )

    def adjacent(self, a: SentenceKey, b: SentenceKey) -> bool:
        """Is no live sentence between ``a`` and ``b`` (removed ones do not count)?"""
        return all(not self.alive(k) for k in self.keys[self.pos[a.index] + 1 : self.pos[b.index]])

    def _first_in_block(self, k: SentenceKey) -> bool:
        """Is ``k`` the first live sentence of its line?"""
        p = self.pos[k.index] - 1
        while p >= 0 and self.keys[p].block == k.block:
            if self.alive(self.keys[p]):
                return False
            p -= 1
        return True

    def best_match(self, cands: Iterable[SentenceKey], s: SentenceKey, rules: Iterable[str]) -> Match | None:
        best: Match | None = None
        for c in cands:
            for rule in rules:
                m = getattr(self, f"check_{rule}")(c, s)
                if m and (best is None or (m.rule == "exact") > (best.rule == "exact") or m.score > best.score):
                    best = m
                if m and m.rule == "exact":
                    return m
        return best

    def run(self, keys: list[SentenceKey]) -> None:
        self.keys = keys
        self.pos = {k.index: p for p, k in enumerate(keys)}
        rules = [r for r in SENTENCE_RULES if r in self.o.rules]
        doc_scope = self.o.scope == "document"
        local = [r for r in rules if not doc_scope or r == "fragment"]
        for u_list in (k.units for k in keys) if doc_scope else ():
            for u in set(_occurrences(u_list)):
                self.df[u] = self.df.get(u, 0) + 1
        anywhere = not doc_scope and "exact" in rules and self.o.long_exact > 0
        for pos, s in enumerate(keys):
            if not s.units:
                continue
            window = self.window_candidates(keys, pos, same_paragraph=not doc_scope)
            m = self.best_match(window, s, local)
            long = anywhere and self.is_long(s)
            if long and m is None:
                # a long sentence said twice is a repeat wherever the copies are (news does not
                # repeat a 30-character sentence word for word in another paragraph)
                c = self.exact_index.get(s.surface)
                if c is not None and self.alive(c):
                    m = self.check_exact(c, s)
            if doc_scope and m is None:
                if "exact" in rules:
                    c = self.exact_index.get(s.surface)
                    if c is not None and self.alive(c):
                        m = self.check_exact(c, s)
                if m is None and "near" in rules and not s.formulaic and s.content >= self.o.near_min_content:
                    m = self.best_match(self.index_candidates(s), s, ["near"])
            if m is not None:
                self.removed[m.victim.index] = m
            if long and self.alive(s):
                self.exact_index.setdefault(s.surface, s)
            if doc_scope and self.alive(s):
                self.exact_index.setdefault(s.surface, s)
                if not s.formulaic and s.content >= self.o.near_min_content:
                    self.add_to_index(s)


def _occurrences(units: Sequence[int]) -> list[int]:
    """Units with repeats made distinct (k-th occurrence), so multisets act as sets."""
    seen: dict[int, int] = {}
    out = []
    for u in units:
        k = seen.get(u, 0)
        seen[u] = k + 1
        out.append(u if k == 0 else -(u * 64 + k))
    return out


# -- edits ---------------------------------------------------------------------
def quote_text(text: str, limit: int = 30) -> str:
    """A short quotation of a sentence for a reason.

    >>> quote_text("短い文。")
    '「短い文。」'
    >>> quote_text("あ" * 40, 10)
    '「ああああ…ああああ」'
    """
    text = " ".join(text.split())
    if len(text) > limit:
        half = (limit - 2) // 2
        text = text[:half] + "…" + text[-half:]
    return f"「{text}」"


def final_keeper(m: Match, removed: dict[int, Match]) -> SentenceKey:
    """The sentence that stays for a removal (its keeper may have been removed for a fuller copy)."""
    k = m.keeper
    seen = {m.victim.index}
    while k.index in removed and k.index not in seen:
        seen.add(k.index)
        k = removed[k.index].keeper
    return k


def describe(doc: Document, m: Match, removed: dict[int, Match]) -> str:
    """The reason of a removal: the rule, the sentence kept, the score and a quotation."""
    label = {"exact": "duplicate", "near": "near-duplicate", "fragment": "fragment"}[m.rule]
    measure = {"exact": "identical", "near": "similarity", "fragment": "containment"}[m.rule]
    score = "identical" if m.rule == "exact" else f"{measure} {m.score:.2f}"
    where = "later, more complete " if m.keeper.index > m.victim.index and m.rule == "near" else ""
    span = m.region or (m.keeper.start, m.keeper.end)
    reason = f"{label} of {where}sentence {m.keeper.index} ({score}): {quote_text(doc.cleaned_slice(*span))}"
    k = final_keeper(m, removed)
    if k.index != m.keeper.index:
        reason += f"; that sentence repeats sentence {k.index}"
    return reason


_STOPS = "。．.！？!?、，,"  # punctuation an orphan of which would be left after a removed sentence


def deletion_span(doc: Document, s: SentenceKey) -> tuple[int, int]:
    """The sentence plus the spaces before it (or after it, at a line start).

    Stops and commas right after a sentence that does not end in a stop
    (``…「…。」`` + ``。``) go with it, so no orphan ``。`` or ``、`` is left
    behind to join the sentence before.
    """
    blk = doc.blocks[s.block] if 0 <= s.block < len(doc.blocks) else None
    lo = blk.start if blk else 0
    hi = blk.end if blk else len(doc.original)
    a, b = s.start, s.end
    if b > a and doc.original[b - 1] not in _STOPS:
        z = b
        while z < hi and doc.original[z] in _STOPS:
            z += 1
        if not (z < hi and doc.original[z].isascii() and doc.original[z].isalnum()):  # not the dot of .NET
            b = z
    while a > lo and doc.original[a - 1] in " \t\u3000":
        a -= 1
    if a == lo:
        while b < hi and doc.original[b] in " \t\u3000":
            b += 1
    return a, b


def remove_duplicates(doc: Document, options: DedupOptions) -> None:
    """Remove repeated sentences as edits of stage ``dedup`` (one ``add_edits`` call)."""
    options = options or DedupOptions()
    if not doc.sentences or not options.rules:
        return
    vocab = _Vocabulary()
    mentions = _mention_index(doc)
    # names: the variant clusters when the variants stage ran, else phonetic keys
    phonetic = "variants" not in doc.annotations
    keys = [build_key(doc, i, vocab, mentions, phonetic) for i, s in enumerate(doc.sentences) if s.tokens]
    keys = [k for k in keys if not doc.is_deleted(k.start, k.end)]
    finder = _Finder(doc, options)
    finder.run(keys)
    edits: list[Edit] = []
    records: list[dict[str, Any]] = []
    last_end = 0
    for idx in sorted(finder.removed):
        m = finder.removed[idx]
        reason = describe(doc, m, finder.removed)
        a, b = deletion_span(doc, m.victim)
        a = max(a, min(last_end, m.victim.start))  # spaces already taken by the previous deletion
        if not doc.can_replace(a, b):
            a, b = m.victim.start, m.victim.end
            if not doc.can_replace(a, b):
                doc.flag(a, b, STAGE, m.rule, f"{reason}; kept: an earlier edit crosses the sentence boundary")
                continue
        edits.append(Edit(a, b, doc.original[a:b], "", STAGE, m.rule, reason))
        last_end = b
        kept = final_keeper(m, finder.removed).index
        records.append({"removed": idx, "kept": kept, "rule": m.rule, "score": round(m.score, 4)})
        doc.count(STAGE, m.rule)
    for s, rule, reason in finder.flags.values():
        if s.index not in finder.removed:
            doc.flag(s.start, s.end, STAGE, rule, reason)
    if "loop" in options.rules:
        for k in keys:
            if k.index in finder.removed:
                continue
            loop_edits, loop_flags = sentence_loops(doc, doc.sentences[k.index])
            edits.extend(loop_edits)
            for a, b, reason in loop_flags:
                doc.flag(a, b, STAGE, "loop", reason)
            if loop_edits:
                doc.count(STAGE, "loop", len(loop_edits))
    if edits:
        doc.add_edits(edits)
        doc.annotations[STAGE] = {"removed": records}
    doc.count(STAGE, "sentences", len(keys))


# -- command line ----------------------------------------------------------------
def _fraction(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 < x <= 1.0:
        raise argparse.ArgumentTypeError(f"must be in (0, 1]: {text}")
    return x


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text}")
    return n


def _non_negative(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text}")
    return n


def _rules(text: str) -> frozenset[str]:
    rules = frozenset(r.strip() for r in text.split(",") if r.strip())
    bad = rules - set(RULES)
    if bad:
        raise argparse.ArgumentTypeError(f"unknown rule(s) {', '.join(sorted(bad))}; choose from {', '.join(RULES)}")
    return rules


def add_arguments(group: argparse._ArgumentGroup) -> None:
    """Command-line options of this stage (for ``clean`` and ``batch``)."""
    d = DedupOptions()
    group.add_argument(
        "--dedup-rules",
        type=_rules,
        default=d.rules,
        metavar="RULES",
        help="comma-separated dedup rules to run: exact, near, fragment, loop (default: all four)",
    )
    group.add_argument(
        "--dedup-near",
        type=_fraction,
        default=d.near,
        metavar="SIM",
        help=f"near-duplicate threshold: rapidfuzz similarity of lemma sequences (default {d.near})",
    )
    group.add_argument(
        "--dedup-fragment",
        type=_fraction,
        default=d.fragment,
        metavar="C",
        help=f"fragment threshold: share of a short sentence found in a neighbour (default {d.fragment})",
    )
    group.add_argument(
        "--dedup-window",
        type=_positive,
        default=d.window,
        metavar="N",
        help=f"compare each sentence with the N sentences before it (default {d.window})",
    )
    group.add_argument(
        "--dedup-scope",
        choices=SCOPES,
        default=d.scope,
        help="paragraph: only inside the window and the paragraph (default); "
        "document: exact and near repeats anywhere in the document",
    )
    group.add_argument(
        "--dedup-long-exact",
        type=_non_negative,
        default=d.long_exact,
        metavar="CHARS",
        help=f"in paragraph scope, also remove exact repeats anywhere in the document of sentences "
        f"whose key has at least CHARS characters and {d.long_exact_content} content words "
        f"(default {d.long_exact}; 0: off)",
    )
    group.add_argument(
        "--dedup-distant",
        choices=DISTANT_POLICIES,
        default=d.distant,
        help="exact and near repeats away from their original (another line with sentences between, "
        "another paragraph): flag (default: kept, they may be the author's: a listing, a step, a refrain) "
        "or remove (news, where the lede printed again at the end is a scraping repeat)",
    )
    group.add_argument(
        "--dedup-quotes",
        choices=QUOTE_POLICIES,
        default=d.quotes,
        help="sentences holding quotation marks: keep (default: never removed, flagged), "
        "exact (remove exact repeats only), all (treat like other sentences)",
    )


def options_from_args(args: argparse.Namespace) -> DedupOptions:
    d = DedupOptions()
    return DedupOptions(
        rules=frozenset(getattr(args, "dedup_rules", d.rules)),
        near=getattr(args, "dedup_near", d.near),
        fragment=getattr(args, "dedup_fragment", d.fragment),
        window=getattr(args, "dedup_window", d.window),
        scope=getattr(args, "dedup_scope", d.scope),
        quotes=getattr(args, "dedup_quotes", d.quotes),
        long_exact=getattr(args, "dedup_long_exact", d.long_exact),
        distant=getattr(args, "dedup_distant", d.distant),
    )

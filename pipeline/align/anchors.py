"""Anchors: things that survive translation between English and Japanese.

* numbers, normalised across scripts and scales: ``$500 billion`` and
  ``5,000億ドル`` both give ``5e+11``; full-width digits, ``万``/``億``/``兆``,
  kanji numerals with a counter (``三人``), percentages, years, English
  number words (``two million``), month names (``July`` -> 7, as in ``7月``)
  and weekdays (``Saturday`` <-> ``土曜``);
* Latin tokens that the Japanese side kept (``Discord``, ``COVID-19``);
* katakana words matched to English words through the phonetic key of
  :mod:`pipeline.romanise` (``アッシュランド`` <-> ``Ashland``).

Anchors are strings: ``n:<value>``, ``d:<weekday>``, ``w:<latin word>`` and
``k:<phonetic key>``.  :func:`document_anchors` keeps only the anchors that
occur on *both* sides of a document, so a number the translation dropped or a
name the aligner cannot match never counts against a pair.

>>> sorted(english_numbers("It raised $500 billion, up 3.5% since July 2020."))
['n:2020', 'n:3.5', 'n:5e+11', 'n:7']
>>> sorted(japanese_numbers("７月に５，０００億ドル（3.5％増）、2020年以来。"))
['n:2020', 'n:3.5', 'n:5e+11', 'n:7']
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from pipeline.romanise import ascii_key, phonetic_key

# -- English numbers ---------------------------------------------------------

# Scale words after an English number (lower-case).
EN_SCALES = {
    "thousand": 1e3,  # 5 thousand
    "million": 1e6,  # 2.5 million
    "billion": 1e9,  # $500 billion
    "trillion": 1e12,  # 1.2 trillion yen
    "k": 1e3,  # 50k (attached)
    "m": 1e6,  # $5m (attached, British news style)
    "mn": 1e6,  # 5mn
    "bn": 1e9,  # £3bn
    "tn": 1e12,  # $1tn
}
# Spelled-out numbers (``one`` is left out: mostly a pronoun, "one of them").
EN_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,  # "a hundred"
    "dozen": 12,  # "a dozen"
}
# Month names: the Japanese side writes 7月.
EN_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
} | {"jan": 1, "feb": 2, "aug": 8, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
del EN_MONTHS["may"]  # "may" is mostly the verb; "May 5" still gives 5
# Weekdays, and the kanji the Japanese side uses for them (月曜, 月曜日).
EN_WEEKDAYS = {
    d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
}
JA_WEEKDAYS = {k: i for i, k in enumerate("月火水木金土日")}

_EN_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:(?:st|nd|rd|th)\b)?"
    r"(?:\s?(thousand|million|billion|trillion)\b|(k|m|mn|bn|tn)\b)?",
    re.IGNORECASE,
)
_EN_WORD = re.compile(r"[A-Za-z]+")
_EN_CAPITAL_PAIR = re.compile(r"(?=\b([A-Z][a-z]+) ([A-Z][a-z]+)\b)")
_EN_WORD_NUMBER = re.compile(
    r"\b(?:(a|an|one)|([a-z]+)(?:-([a-z]+))?)\s+(hundred|thousand|million|billion|trillion|dozen)\b"
    r"|\b([a-z]+)(?:-([a-z]+))?\b",
    re.IGNORECASE,
)
_UNITS = {"one": 1} | {k: v for k, v in EN_WORDS.items() if v < 10}
# Every word that can give an anchor in the loop over _EN_WORD_NUMBER (which visits every word), as a
# whole run of letters: a cheap test that lets most sentences skip that loop (same result).
_EN_NUMBER_WORD = re.compile(
    r"(?<![a-z])(?:"
    + "|".join(sorted({*EN_WORDS, *EN_MONTHS, *EN_WEEKDAYS, "hundred", "thousand", "million", "billion", "trillion"}))
    + r")(?![a-z])",
    re.IGNORECASE,
)
# The same test for an ASCII sentence, by its runs of letters: the pattern matches a whole run of letters
# (case folded) that is one of these words, and in ASCII text [a-z] under IGNORECASE is exactly [A-Za-z].
# Outside ASCII the pattern itself is asked (IGNORECASE folds a few other letters into [a-z]: ſ, K).
_NUMBER_WORDS = frozenset(
    w.lower() for w in {*EN_WORDS, *EN_MONTHS, *EN_WEEKDAYS, "hundred", "thousand", "million", "billion", "trillion"}
)
assert all(w.isascii() and w.isalpha() for w in _NUMBER_WORDS)


def _has_number_word(text: str) -> bool:
    """Whether ``_EN_NUMBER_WORD`` finds a word in ``text`` (a search of that pattern costs 11 µs a sentence)."""
    if text.isascii():
        return not _NUMBER_WORDS.isdisjoint(english_lower_runs(text))
    return _EN_NUMBER_WORD.search(text) is not None


# One pass over an English sentence's letters for every reader: the number-word test above, the name anchors
# (_english_words) and the aligner's foreign check (its word and pair keys) read the same runs of ASCII letters.
@lru_cache(maxsize=1 << 14)
def english_runs(s: str) -> tuple[str, ...]:
    """The runs of ASCII letters of an English sentence (``[A-Za-z]+``), once per sentence text."""
    return tuple(_EN_WORD.findall(s))


@lru_cache(maxsize=1 << 14)
def english_lower_runs(s: str) -> tuple[str, ...]:
    """:func:`english_runs` lower-cased."""
    return tuple(map(str.lower, english_runs(s)))


def number_key(value: float) -> str:
    """The anchor string of a number: 6 significant digits.

    >>> number_key(5000 * 1e8), number_key(2020.0), number_key(1.5e6)
    ('n:5e+11', 'n:2020', 'n:1.5e+06')
    """
    return f"n:{value:.6g}"


def english_numbers(text: str) -> Counter[str]:
    """Number, month and weekday anchors of an English sentence."""
    out: Counter[str] = Counter()
    for m in _EN_NUMBER.finditer(text):
        value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        scale = (m.group(3) or m.group(4) or "").lower()
        out[number_key(value * EN_SCALES.get(scale, 1.0))] += 1
    if not _has_number_word(text):
        return out  # no number word, scale, month or weekday: the loop below would add nothing
    for m in _EN_WORD_NUMBER.finditer(text):
        if m.group(4):  # "two million", "a billion", "a dozen"
            scale = m.group(4).lower()
            base = 1.0 if m.group(1) else _word_value(m.group(2), m.group(3))
            if base is None:
                continue
            mult = 12 if scale == "dozen" else 100 if scale == "hundred" else EN_SCALES[scale]
            out[number_key(base * mult)] += 1
            continue
        word = m.group(5).lower()
        value = _word_value(word, m.group(6))
        if value is not None:
            out[number_key(value)] += 1
        elif word in EN_MONTHS and (word != "march" or m.group(5)[0] == "M"):
            out[number_key(EN_MONTHS[word])] += 1
        elif word in EN_WEEKDAYS:
            out[f"d:{EN_WEEKDAYS[word]}"] += 1
    return out


def _word_value(word: str, unit: str | None) -> float | None:
    """``twenty`` -> 20, ``twenty``+``five`` -> 25, other words -> None."""
    value = EN_WORDS.get(word.lower())
    if value is None:
        return None
    if unit:
        u = _UNITS.get(unit.lower())
        if u is None or value % 10 or value < 20:
            return None
        value += u
    return float(value)


# -- Japanese numbers ----------------------------------------------------------

JA_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
JA_SMALL = {"十": 10, "百": 100, "千": 1000}
JA_LARGE = {"万": 1e4, "億": 1e8, "兆": 1e12}
# Counters after which a lone kanji numeral is a number (三人, 二つ, 五年).
JA_COUNTERS = (
    "人",  # people
    "年",  # years
    "月",  # months / month names
    "日",  # days
    "歳",  # age
    "件",  # cases
    "回",  # times
    "つ",  # generic counter
    "個",  # pieces
    "台",  # vehicles, machines
    "度",  # degrees, times
    "倍",  # -fold
    "週",  # weeks
    "カ国",  # countries
    "か国",  # countries
    "カ月",  # months
    "か月",  # months
    "ヶ月",  # months
    "ドル",  # dollars
    "円",  # yen
    "%",  # percent (after NFKC)
    "パーセント",  # percent
)
_KANJI_NUM = "〇零一二三四五六七八九十百千"
_JA_NUMBER = re.compile(
    r"(?<![\d.])((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[" + _KANJI_NUM + r"]+)([万億兆千]?)"
    r"((?:(?:\d+(?:\.\d+)?|[" + _KANJI_NUM + r"]+)[万億兆])*)"
)
_JA_PART = re.compile(r"(\d+(?:\.\d+)?|[" + _KANJI_NUM + r"]+)([万億兆])")
_JA_WEEKDAY = re.compile(r"([月火水木金土日])曜")
# the character every match of _JA_NUMBER starts with: a sentence without one (two in three) skips its scan
_JA_NUMBER_START = re.compile(r"[\d" + _KANJI_NUM + r"]")


def japanese_numbers(text: str) -> Counter[str]:
    """Number and weekday anchors of a Japanese sentence (any width, any numerals)."""
    text = unicodedata.normalize("NFKC", text)
    out: Counter[str] = Counter()
    for m in _JA_NUMBER.finditer(text) if _JA_NUMBER_START.search(text) else ():
        head, mult, rest = m.group(1), m.group(2), m.group(3)
        if not head[0].isdigit() and not _kanji_is_number(text, m, head + mult + rest):
            continue
        first = _parse_ja(head)
        if first is None:
            continue
        if mult:
            first *= JA_LARGE.get(mult, 1000.0)
        total = first
        for pm in _JA_PART.finditer(rest):
            part = _parse_ja(pm.group(1))
            if part is not None:
                total += part * JA_LARGE[pm.group(2)]
        out[number_key(total)] += 1
    for m in _JA_WEEKDAY.finditer(text) if "曜" in text else ():
        out[f"d:{JA_WEEKDAYS[m.group(1)]}"] += 1
    return out


def _kanji_is_number(text: str, m: re.Match[str], run: str) -> bool:
    """A kanji numeral counts with a scale inside (二千, 三万) or a counter after it (三人)."""
    if run[0] in "十百千":
        return False  # 十分 (enough), 千葉 (a place): no leading digit
    if any(c in "十百千万億兆" for c in run[1:]) and len(run) >= 2:
        return True
    if len(run) >= 2 and all(c in JA_DIGITS for c in run):
        return True  # 二〇二〇
    return text.startswith(JA_COUNTERS, m.end())


def _parse_ja(s: str) -> float | None:
    """Arabic digits (with commas) or a kanji numeral below 10,000.

    >>> _parse_ja("5,000"), _parse_ja("二千五百"), _parse_ja("二〇二〇"), _parse_ja("三十")
    (5000.0, 2500.0, 2020.0, 30.0)
    """
    if s[0].isdigit():
        return float(s.replace(",", ""))
    if not any(c in JA_SMALL for c in s):
        return float("".join(str(JA_DIGITS[c]) for c in s))
    total = 0
    digit = None
    for c in s:
        if c in JA_DIGITS:
            digit = JA_DIGITS[c]
        elif c in JA_SMALL:
            total += (1 if digit is None else digit) * JA_SMALL[c]
            digit = None
    return float(total + (digit or 0))


# -- words and names -----------------------------------------------------------

_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'&.][A-Za-z0-9]+)*")
_KATAKANA_RUN = re.compile(r"[\u30a1-\u30faー]{3,}")
# Katakana words too common to identify a sentence (English loanwords of every article).
MIN_KEY = 3  # shortest phonetic key used for a name anchor ("Baden" -> "bdn")
FUZZY_KEY = 5  # keys this long may differ by one edit (Rutland/ラトランド)


def latin_tokens(text: str) -> set[str]:
    """Lower-cased Latin tokens of two letters or more (after NFKC: full-width too).

    >>> sorted(latin_tokens("ＮＦＬとCOVID-19、Discordで"))
    ['covid-19', 'discord', 'nfl']
    """
    text = unicodedata.normalize("NFKC", text)
    return {t.lower() for t in _LATIN_TOKEN.findall(text) if len(t) >= 2}


@lru_cache(maxsize=1 << 14)
def english_latin_tokens(s: str) -> frozenset[str]:
    """:func:`latin_tokens` of an English sentence, kept per sentence: the word anchors (:func:`_english_words`)
    and the aligner's foreign check (``aligner._english_latin``) both read them in the same document (shared
    value)."""
    return frozenset(latin_tokens(s))


QUESTION = "q:?"  # the anchor of a question: MT keeps a question a question
EXCLAIM = "q:!"  # an exclamation, kept as one too
_EN_EXCLAIM = re.compile(r"!+[\s\"'”’)\]]*$")
_JA_EXCLAIM = re.compile(r"[!！]+[\s」』）)”]*$")
_EN_QUESTION = re.compile(r"\?[\s\"'”’)\]]*$")
_JA_QUESTION = re.compile(r"(?:[?？]|か[。．]?)[\s」』）)”]*$")


def is_english_question(s: str) -> bool:
    """An English sentence that ends in a question mark.

    >>> is_english_question('Can you send it?'), is_english_question('"Why?" he asked.')
    (True, False)
    """
    return bool(_EN_QUESTION.search(s))


def is_japanese_question(s: str) -> bool:
    """A Japanese sentence that ends in a question mark or the particle か.

    >>> is_japanese_question("送っていただけますか。"), is_japanese_question("届きましたか？"), is_japanese_question("届いた。")
    (True, True, False)
    """
    return _ja_tail_stripped(s).endswith(_JA_QUESTION_ENDS)


# _JA_QUESTION and _JA_EXCLAIM read as "the sentence, its closing run of spaces and brackets cut, ends in
# ...": that run is all the pattern's tail can match (no mark it ends on is in it), and str.rstrip() cuts
# what \s matches (both are str.isspace).  Two C-level cuts instead of a regex search from every position
# of the sentence (is_japanese_question and the exclamation check: a third of _japanese_words).
_JA_CLOSERS = "」』）)”"
_JA_QUESTION_ENDS = ("?", "？", "か", "か。", "か．")
_JA_EXCLAIM_ENDS = ("!", "！")


def _ja_tail_stripped(s: str) -> str:
    """``s`` without its closing run of whitespace and closing brackets (the tail of _JA_QUESTION, _JA_EXCLAIM)."""
    while True:
        cut = s.rstrip().rstrip(_JA_CLOSERS)
        if cut == s:
            return s
        s = cut


def _is_japanese_exclaim(s: str) -> bool:
    """``bool(_JA_EXCLAIM.search(s))``: the sentence ends in ! or ！ before its closing run."""
    return ("!" in s or "！" in s) and _ja_tail_stripped(s).endswith(_JA_EXCLAIM_ENDS)


def katakana_words(text: str) -> list[str]:
    """Katakana runs of three or more kana (names and loanwords; ・ splits names)."""
    return _KATAKANA_RUN.findall(unicodedata.normalize("NFKC", text))


@dataclass
class SentenceAnchors:
    """Anchors of one sentence, reduced to those both sides of the document share.

    ``foreign`` counts the anchors with no partner anywhere on the other side
    (numbers; on the Japanese side also Latin tokens and katakana words):
    many of them hint at a sentence with no counterpart (junk, an omission).
    """

    numbers: Counter[str]
    words: frozenset[str]
    foreign: int = 0
    foreign_numbers: int = 0  # of ``foreign``: the numbers (the strongest sign of junk or an omission)
    # words of a lexicon learned from the document (pipeline.align.lexicon): a bonus when both sides of a
    # bead hold one, nothing otherwise (a topic word recurs in the neighbours of a dropped sentence)
    lexical: frozenset[str] = frozenset()
    # how many dictionary words the sentence holds (set by the second look only, 0 elsewhere): a sentence rich in
    # words that shares none of them with the other side of a bead is not its translation (AlignOptions.mismatch_*)
    content: int = 0


def document_anchors(
    english: Sequence[str], japanese: Sequence[str], names: bool = True, questions: bool = True
) -> tuple[list[SentenceAnchors], list[SentenceAnchors]]:
    """Anchors of every sentence of both sides, kept only where both sides have them.

    For words the Japanese side drives: a Japanese Latin token counts if the
    English document has it; a katakana word counts if its phonetic key
    equals (or, for long keys, nearly equals) the key of an English word.
    English words count when some Japanese sentence matched them.
    """
    en_nums, en_words, en_numbers, en_vocab, en_keys, match_cache = _english_side(tuple(english), names, questions)
    ja_nums = [_japanese_numbers(s) for s in japanese]
    shared_nums = en_numbers & set().union(*ja_nums) if en_nums and ja_nums else set()

    ja_words: list[set[str]] = []
    ja_foreign: list[int] = []
    for s in japanese:
        tokens, kana_parts, question, exclaim = _japanese_words(s)
        ws = {"w:" + t for t in tokens if "w:" + t in en_vocab} if tokens else set()
        if questions and question and QUESTION in en_vocab:
            ws.add(QUESTION)
        if questions and exclaim and EXCLAIM in en_vocab:
            ws.add(EXCLAIM)
        foreign = len(tokens) - len(ws)
        if names:
            for part in kana_parts:
                if part not in match_cache:
                    key = _cached_key(part)
                    match_cache[part] = _match_key(key, en_vocab, en_keys) or ("" if len(key) >= MIN_KEY else None)
                hit = match_cache[part]
                if hit:
                    ws.add("k:" + hit)
                elif hit == "":
                    foreign += 1  # a name-like word with no English partner
        ja_words.append(ws)
        ja_foreign.append(foreign)
    ja_vocab = set().union(*ja_words) if ja_words else set()

    def split(n: Counter[str]) -> tuple[Counter[str], int]:
        """The shared numbers of a sentence (a new Counter, in the sentence's order) and how many are not shared."""
        kept = _new_counter(Counter)  # (Counter() without its __init__: the same empty Counter)
        if not n:
            return kept, 0
        alone = 0
        for k, v in n.items():
            if k in shared_nums:
                kept[k] = v
            else:
                alone += v
        return kept, alone

    en = []
    for n, w in zip(en_nums, en_words, strict=True):
        kept, alone = split(n)
        en.append(SentenceAnchors(kept, frozenset(w & ja_vocab) if w else _NO_WORDS, alone, alone))
    ja = []
    for n, w, f in zip(ja_nums, ja_words, ja_foreign, strict=True):
        kept, alone = split(n)
        ja.append(SentenceAnchors(kept, frozenset(w), f + alone, alone))
    return en, ja


_NO_WORDS: frozenset[str] = frozenset()
_new_counter = Counter.__new__


@lru_cache(maxsize=1 << 14)  # MT systems often write a sentence alike: 14% of the dev sets' Japanese sentences recur
def _japanese_words(s: str) -> tuple[frozenset[str], tuple[str, ...], bool, bool]:
    """What document_anchors reads from a Japanese sentence before it knows the English: its Latin tokens
    (latin_tokens), its katakana name parts (katakana_words, split at ・), whether it asks and whether it
    exclaims (one NFKC pass for both word kinds)."""
    text = unicodedata.normalize("NFKC", s)
    tokens = frozenset(t.lower() for t in _LATIN_TOKEN.findall(text) if len(t) >= 2)
    parts = tuple(part for kana in _KATAKANA_RUN.findall(text) for part in kana.split("・"))
    return tokens, parts, is_japanese_question(s), _is_japanese_exclaim(s)


@lru_cache(maxsize=16)  # one English source is often aligned with several translations (dev sets: 14-16 in a row)
def _english_side(
    english: tuple[str, ...], names: bool, questions: bool
) -> tuple[list[Counter[str]], list[frozenset[str]], frozenset[str], frozenset[str], list[str], dict[str, str | None]]:
    """Numbers and word anchors of every English sentence, their unions, the sorted phonetic keys (shared
    values: callers must not change them), and the English key each katakana name part matched (filled by
    document_anchors as it goes: a match depends on the English side only, and the translations of one source
    share most of their names)."""
    en_nums = [_english_numbers(s) for s in english]
    en_words: list[frozenset[str]] = [_english_words(s, names, questions) for s in english]
    en_vocab = frozenset().union(*en_words)
    en_keys = sorted(w[2:] for w in en_vocab if w.startswith("k:"))
    return en_nums, en_words, frozenset().union(*en_nums), en_vocab, en_keys, {}


# the key of a word, kept across documents (the same words recur in every article)
_cached_key = lru_cache(maxsize=1 << 16)(phonetic_key)


# the key of an English word or word pair (ASCII letters), kept across documents: romanise.ascii_key, cached
latin_key = lru_cache(maxsize=1 << 16)(ascii_key)

# Per-sentence features, computed once per sentence text: the bilingual stage asks for the numbers of a
# Japanese sentence again when it checks a bead (pipeline.stages.bilingual.missing_numbers), and a sentence
# recurs across documents (one English source cleaned against several translations).  The values are
# shared: callers must not change them.
_english_numbers = lru_cache(maxsize=1 << 14)(english_numbers)
_japanese_numbers = lru_cache(maxsize=1 << 14)(japanese_numbers)
cached_english_numbers, cached_japanese_numbers = _english_numbers, _japanese_numbers


def clear_sentence_caches() -> None:
    """Forget the per-sentence features (benchmarks: the cost when no sentence recurs across documents)."""
    from pipeline.align import aligner, english, lexicon

    for f in (
        _english_numbers,
        _japanese_numbers,
        _english_words,
        _english_side,
        _japanese_words,
        english_latin_tokens,
        lexicon.english_words,
        lexicon._english_seeds,
        english._split_text,
        aligner.text_length,
        aligner.latin_length,
        aligner._english_latin,
        aligner._english_word_keys,
        aligner._english_pair_keys,
        english_runs,
        english_lower_runs,
        aligner._sentence_word_keys,
        aligner._sentence_pair_keys,
    ):
        f.cache_clear()


@lru_cache(maxsize=1 << 14)
def _english_words(s: str, names: bool, questions: bool) -> frozenset[str]:
    """The word anchors of one English sentence before they are reduced to those the Japanese shares."""
    ws: set[str] = {"w:" + t for t in english_latin_tokens(s)}
    if questions and is_english_question(s):
        ws.add(QUESTION)
    if questions and _EN_EXCLAIM.search(s):
        ws.add(EXCLAIM)
    if names:
        ws.update(map(_name_anchor, english_runs(s)))
        ws.discard("")  # (the words whose key is too short: no anchor)
        # two capitalised words written as one katakana run (Titanic Hotel / タイタニックホテル), keyed whole and as
        # the two words' keys joined: the whole word's key can merge sounds across the join (Point Size: pntz, too
        # short to count, but ポイントサイズ is pnt + sz)
        for a, b in _EN_CAPITAL_PAIR.findall(s):
            for k in {latin_key(a + b), latin_key(a) + latin_key(b)}:
                if len(k) >= MIN_KEY + 2:
                    ws.add("k:" + k)
    return frozenset(ws)


@lru_cache(maxsize=1 << 16)  # per word, kept across documents as _cached_key is
def _name_anchor(word: str) -> str:
    """The name anchor ``k:<phonetic key>`` of an English word, "" when its key is shorter than MIN_KEY."""
    k = latin_key(word)
    return "k:" + k if len(k) >= MIN_KEY else ""


def _match_key(key: str, vocab: set[str], keys: list[str]) -> str | None:
    """The English key a katakana key stands for: equal, or one edit away when long."""
    if len(key) < MIN_KEY:
        return None
    if "k:" + key in vocab:
        return key
    if len(key) < FUZZY_KEY:
        return None
    hit = process.extractOne(key, keys, scorer=Levenshtein.distance, score_cutoff=1)
    return hit[0] if hit else None

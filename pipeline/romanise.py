"""Katakana romanisation and a loose phonetic key for Latin/katakana matching.

Two public helpers other stages rely on (keep their signatures stable):

* :func:`romanise_katakana` – katakana (or hiragana) to lower-case Hepburn
  romaji, one syllable table plus the rules for ``ッ`` (double the next
  consonant) and ``ー`` (repeat the previous vowel).
* :func:`phonetic_key` / :func:`phonetic_similarity` – a consonant skeleton
  that a Latin spelling and its katakana rendering share ("Watergate" and
  ウォーターゲート both give ``wtgt``), and a 0..1 similarity of two such keys.

Why a table and not ``cutlet`` or ``pykakasi``: katakana romanisation is a
closed set of about 200 syllables, so a table is exact, has no dependency and
is fast.  Both libraries are built for kanji readings (they need a dictionary
for that, cutlet even a second tagger pass); for katakana they only add
spelling choices (``cutlet`` maps ー to a macron or drops it, pykakasi writes
``ー`` as ``-``), which the key below would have to undo again.

>>> romanise_katakana("ウォーターゲート")
'wootaageeto'
>>> phonetic_key("Watergate") == phonetic_key("ウォーターゲート")
True
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from pipeline.tables import required_text

__all__ = [
    "english_readings",
    "heard_keys",
    "katakana_of",
    "phonetic_key",
    "phonetic_keys",
    "phonetic_similarity",
    "romanise_katakana",
]

# -- the syllable table ----------------------------------------------------
# One row per kana: the romaji of each kana in a row, in order (Hepburn).
_ROWS: tuple[tuple[str, str], ...] = (
    ("アイウエオ", "a i u e o"),
    ("カキクケコ", "ka ki ku ke ko"),
    ("ガギグゲゴ", "ga gi gu ge go"),
    ("サシスセソ", "sa shi su se so"),
    ("ザジズゼゾ", "za ji zu ze zo"),
    ("タチツテト", "ta chi tsu te to"),
    ("ダヂヅデド", "da ji zu de do"),
    ("ナニヌネノ", "na ni nu ne no"),
    ("ハヒフヘホ", "ha hi fu he ho"),
    ("バビブベボ", "ba bi bu be bo"),
    ("パピプペポ", "pa pi pu pe po"),
    ("マミムメモ", "ma mi mu me mo"),
    ("ヤユヨ", "ya yu yo"),
    ("ラリルレロ", "ra ri ru re ro"),
    ("ワヰヱヲ", "wa i e o"),
    ("ン", "n"),
    ("ヴ", "vu"),
    ("ァィゥェォ", "a i u e o"),  # small vowels alone (after a vowel or at the start)
    ("ャュョヮ", "ya yu yo wa"),  # small y/w kana alone
    ("ヵヶ", "ka ke"),  # small ka/ke (ヶ in counters)
)
_MONO: dict[str, str] = {}
for _kana, _roma in _ROWS:
    for _k, _r in zip(_kana, _roma.split(), strict=True):
        _MONO[_k] = _r

# Two-kana syllables whose romaji is not "consonant of the first + vowel of
# the second" (the generic rule below handles e.g. ビィ -> bi).
_DIGRAPHS: dict[str, str] = {
    # palatalised kana + small ャュョ: drop the i of the first kana
    **{k + s: _MONO[k][:-1] + _MONO[s] for k in "キギニヒビピミリ" for s in "ャュョ"},
    **{k + s: _MONO[k][:-1] + _MONO[s][1:] for k in "シジチヂ" for s in "ャュョ"},  # sha, ja, cha
    "シェ": "she",
    "ジェ": "je",
    "チェ": "che",
    "ティ": "ti",  # modern spelling of English ti (ティーム); older チ is chi
    "ディ": "di",
    "トゥ": "tu",
    "ドゥ": "du",
    "テュ": "tyu",
    "デュ": "dyu",
    "ファ": "fa",
    "フィ": "fi",
    "フェ": "fe",
    "フォ": "fo",
    "フュ": "fyu",
    "ヴァ": "va",
    "ヴィ": "vi",
    "ヴェ": "ve",
    "ヴォ": "vo",
    "ヴュ": "vyu",
    "ウィ": "wi",
    "ウェ": "we",
    "ウォ": "wo",
    "ツァ": "tsa",
    "ツィ": "tsi",
    "ツェ": "tse",
    "ツォ": "tso",
    "イェ": "ye",
    "クァ": "kwa",
    "クィ": "kwi",
    "クェ": "kwe",
    "クォ": "kwo",
    "グァ": "gwa",
    "スィ": "si",
    "ズィ": "zi",
}
_SMALL_VOWELS = "ァィゥェォ"
_VOWELS = "aeiou"


def katakana_of(text: str) -> str:
    """Hiragana to katakana, half-width to full-width (NFKC); other characters kept.

    >>> katakana_of("はるとまん ﾊﾙﾄ")
    'ハルトマン ハルト'
    """
    text = unicodedata.normalize("NFKC", text)
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" or c in "ゝゞ" else c for c in text)


@lru_cache(maxsize=65536)
def romanise_katakana(text: str) -> str:
    """Katakana (or hiragana) to lower-case Hepburn romaji.

    ``ッ`` doubles the next consonant (``tch`` before ``ch``), ``ー`` repeats
    the previous vowel, ``ン`` is always ``n``, ``・`` and spaces become one
    space.  Latin letters are lower-cased; characters with no romaji (kanji,
    punctuation) pass through unchanged.

    >>> romanise_katakana("ハルトマン")
    'harutoman'
    >>> romanise_katakana("ベッドフォード")
    'beddofoodo'
    >>> romanise_katakana("ケン・スミス")
    'ken sumisu'
    >>> romanise_katakana("オープンAPI")
    'oopunapi'
    >>> romanise_katakana("ヴィッチ"), romanise_katakana("ティーム"), romanise_katakana("チーム")
    ('vitchi', 'tiimu', 'chiimu')
    >>> romanise_katakana("ひらがな")
    'hiragana'
    """
    kana = katakana_of(text)
    out: list[str] = []
    double_next = False
    i = 0
    n = len(kana)
    while i < n:
        c = kana[i]
        pair = kana[i : i + 2]
        if c == "ッ":
            double_next = True
            i += 1
            continue
        if c == "ー":
            last = next((ch for ch in reversed("".join(out)) if ch.isalpha()), "")
            if last in _VOWELS:
                out.append(last)
            i += 1
            continue
        if c in "・ \u3000":
            if out and out[-1] != " ":
                out.append(" ")
            i += 1
            continue
        if c in "ヽヾ":  # iteration marks: repeat the previous syllable
            i += 1
            continue
        if len(pair) == 2 and pair in _DIGRAPHS:
            roma, i = _DIGRAPHS[pair], i + 2
        elif (
            len(pair) == 2 and pair[1] in _SMALL_VOWELS and c in _MONO and _MONO[c][-1] in _VOWELS and len(_MONO[c]) > 1
        ):
            # generic: consonant of the first kana + the small vowel (ビィ -> bi, グォ -> go)
            roma, i = _MONO[c][:-1] + _MONO[pair[1]], i + 2
        elif c in _MONO:
            roma, i = _MONO[c], i + 1
        else:
            roma, i = c.lower(), i + 1
        if double_next:
            if roma.startswith("ch"):
                roma = "t" + roma
            elif roma and roma[0].isascii() and roma[0].isalpha() and roma[0] not in _VOWELS:
                roma = roma[0] + roma
            double_next = False
        out.append(roma)
    return "".join(out).strip()


# -- the loose key ------------------------------------------------------------
# Ordered rewrites on lower-case romaji or English spelling; each row is
# (pattern, replacement, why).  Vowels are dropped at the end, so only the
# consonant skeleton is compared.
_KEY_RULES: tuple[tuple[str, str, str], ...] = (
    (r"[^a-z]", "", "spaces, digits, ・ and punctuation carry no sound to compare"),
    (r"dg(?=[eiy])", "j", "dge/dgi is the j sound (Bridget -> ブリジット, Edgerton -> エジャートン)"),
    (r"tch", "ch", "English tch and romaji ッチ are both ch"),
    (r"ph", "f", "ph is f (Phelps -> フェルプス)"),
    (r"ck", "k", "ck is one k"),
    (r"q", "k", "q is k (Iraq -> イラク)"),
    (r"x", "ks", "x is ks (Max -> マックス)"),
    (r"c(?=[eiy])", "s", "soft c is s (Cecil -> セシル)"),
    (r"ch", "C", "ch is one sound: English ch and romaji チ"),
    (r"c", "k", "hard c is k (Computer -> コンピューター)"),
    (r"sh", "s", "sh/s: English s before i is written シ (shi)"),
    (r"th", "s", "th is usually written with サ行 (Smith -> スミス)"),
    (r"ts", "t", "ツ (tsu) renders English t at a syllable end (Roberts -> ロバーツ)"),
    (r"([bdfgjkmnpstvz])h", r"\1", "h after a consonant is silent or folded into it"),
    (r"v", "b", "v is often written with バ行 (ヴ/ブ)"),
    (r"r(?![aeiouy])", "", "r after a vowel is a long vowel in katakana (Watergate -> ウォーターゲート)"),
    (r"l", "r", "Japanese has one liquid: l and r are both ラ行 (after the r rule: Walton keeps its l)"),
    (r"m(?=[bp])", "n", "m before b/p is ン"),
    (r"y(?![aeiou])", "", "y not before a vowel is a vowel (Toby -> トビー)"),
    (r"(?<=n)y(?=[aeiou])", "", "ny before a vowel is n softened: Kenya -> ケニア (ニア), ニュ is nyu"),
    (r"w(?=[aeiou]?$)", "", "w at a word end is a vowel glide (Andrew -> アンドルー)"),
    (r"[aeiou]", "", "vowels differ too much between the scripts (epenthetic u/o)"),
    (r"(.)\1+", r"\1", "doubled consonants (ッ, English tt) are one"),
    (r"ng$", "n", "final ng is ン (Chiang -> チアン)"),
)
_KEY_REGEXES = tuple((re.compile(p), r) for p, r, _ in _KEY_RULES)


# (regex, replacement, required text): checking the text first is the same
# as running a rule that cannot match, and much cheaper
_KEY_STEPS = tuple((rx, r, required_text(rx.pattern)) for rx, r in _KEY_REGEXES)


@lru_cache(maxsize=65536)
def phonetic_key(text: str) -> str:
    """A consonant skeleton shared by a Latin name and its katakana rendering.

    Katakana is romanised first; then English spelling rules are folded
    (``ph``->``f``, soft ``c``->``s``, ``l``->``r``, ``v``->``b``, final
    ``r`` dropped ...) and vowels removed.  Loose on purpose: use it with
    :func:`phonetic_similarity` and a length-aware threshold, not as an
    identity.

    >>> phonetic_key("Watergate"), phonetic_key("ウォーターゲイト")
    ('wtgt', 'wtgt')
    >>> phonetic_key("OpenAPI") == phonetic_key("オープンAPI")
    True
    >>> phonetic_key("Z Holdings") == phonetic_key("Zホールディングス")
    True
    >>> phonetic_key("Walton") == phonetic_key("ウォルトン")
    True
    >>> phonetic_key("ジャーナリスト") == phonetic_key("ジャーナリズム")
    False
    """
    # ASCII text needs no romanising (a fifth of the cost of a Latin key): that step only lower-cases Latin
    # letters and collapses spaces, which the first key rule drops anyway
    return key_of_romaji(text.lower() if text.isascii() else romanise_katakana(text))


def key_of_romaji(s: str) -> str:
    """The key rules of :func:`phonetic_key` applied to lower-case romaji or lower-case English spelling.

    >>> key_of_romaji("watergate"), key_of_romaji(romanise_katakana("ウォーターゲイト"))
    ('wtgt', 'wtgt')
    """
    for rx, rep, needed in _KEY_STEPS:
        if needed in s:
            s = rx.sub(rep, s)
    return s.lower()


def ascii_key(text: str) -> str:
    """:func:`phonetic_key` of ASCII text, uncached (the aligner keys every English word and word pair of a
    source, most of them seen once, and keeps its own per-sentence caches).

    >>> ascii_key("Watergate") == phonetic_key("Watergate"), ascii_key("fishingrod")
    (True, 'fsngrd')
    """
    return key_of_romaji(text.lower())


# (phonetic_key, ascii_key: romanising ASCII text changes no letter but its case, as no ASCII character is a kana
# of the tables)
assert not any(c.isascii() for k in (*_MONO, *_DIGRAPHS) for c in k)


@lru_cache(maxsize=65536)
def phonetic_keys(text: str) -> frozenset[str]:
    """:func:`phonetic_key` plus the key that keeps an English r before a consonant.

    Katakana renders that r as a long vowel (Watergate -> ウォーターゲート) or as ル
    (Ortega -> オルテガ); comparing both keys covers both habits.

    >>> sorted(phonetic_keys("Ortega")), sorted(phonetic_keys("オルテガ"))
    (['rtg', 'tg'], ['rtg'])
    """
    keys = {phonetic_key(text)}
    if any("a" <= c <= "z" for c in text.lower()) and re.search("r(?![aeiouy])", text.lower()):
        s = romanise_katakana(text)
        for rx, rep, needed in _KEY_STEPS:
            if rx.pattern == "r(?![aeiouy])":
                continue
            if needed in s:
                s = rx.sub(rep, s)
        keys.add(s.lower())
    return frozenset(keys)


def phonetic_similarity(a: str, b: str) -> float:
    """0..1 similarity of the phonetic keys of two spellings (1 means same key).

    Both empty keys (vowel-only words) compare by their romaji instead.

    >>> phonetic_similarity("Watergate", "ウォーターゲート")
    1.0
    >>> round(phonetic_similarity("Rockman", "ハルトマン"), 2)
    0.6
    """
    best = 0.0
    for ka in phonetic_keys(a):
        for kb in phonetic_keys(b):
            if not ka and not kb:
                ka, kb = romanise_katakana(a), romanise_katakana(b)
            if ka and kb:
                best = max(best, Levenshtein.normalized_similarity(ka, kb))
    return best


def flat_romaji(text: str) -> str:
    """Letters only, lower case, ``l`` as ``r``, doubled letters once: how a Latin word and romaji compare.

    >>> flat_romaji("Ludlow"), flat_romaji(romanise_katakana("ラドロー"))
    ('rudrow', 'radoro')
    """
    return _DOUBLED.sub(r"\1", _NOT_LETTER.sub("", text.lower()).replace("l", "r"))


_DOUBLED = re.compile(r"(.)\1+")
_NOT_LETTER = re.compile(r"[^a-z]")


# -- how katakana hears an English spelling -------------------------------------
# (pattern, replacement, why): each row respells an English word the way one
# habit of katakana transliteration hears it.  Used only to ask whether a
# katakana spelling renders an English word of its aligned source sentence
# (the variants stage with an English source), never to compare two katakana
# spellings with each other.
_HEARD_AS: tuple[tuple[str, str, str], ...] = (
    (r"th", "t", "th is t in transliterated names (Vaidyanath -> ...ナート, Thames -> テムズ)"),
    (r"(?<=[bcdfgjklmnpqrstvz])y(?=[aeo])", "i", "y after a consonant before a vowel is i (Vaidya -> ...ディア)"),
    (r"(?<=[aeiou])s(?=[aeiou])", "z", "s between vowels is voiced (Moser -> モーザー)"),
    (r"(?<=[aeioubdglmnrv])s$", "z", "a final s after a voiced sound is z (Badgers -> ...ズ)"),
    (r"z", "s", "z is written with ス as often as with ズ (Diaz -> ディアス)"),
    (r"g(?=[eiy])", "j", "g before e, i or y is soft (Gerald -> ジェラルド)"),
    (r"^w(?=[aeiou])", "v", "an initial w is written with ヴ (Wendell -> ヴェンデル, as German names are)"),
    (r"^w(?=[ei])", "u", "an initial we/wi is also written ウエ/ウイ (Wesley -> ウエスレー, Wilson -> ウイルソン)"),
    (r"^w(?=[ou])", "", "an initial wo/wu is written ウ (Woodstock -> ウッドストック, Woolworth -> ウールワース)"),
    (r"^u(?=[bcdfgjklmnpqrstvz][aeiouy])", "yu", "an initial u before one consonant and a vowel is yu (Utah -> ユタ)"),
    (r"^u(?=([bcdfgkmnpstvz])\1)", "yu", "... also before a doubled consonant (Uppsala -> ユップサラ as MT writes it)"),
    (r"ee", "ii", "ee is a long i (Sweeney -> スウィーニー)"),
    (
        r"a(?=[bcdfgklmnpstvz]e[rs]?$)",
        "ei",
        "a before one consonant and a final e is ei (Maser -> メイザー, Drake -> ドレイク)",
    ),
    (r"(?<=[a-z]{3})ey$", "ii", "a final ey after a long stem is i (Sweeney -> ...ニー)"),
    (r"e?aux?$", "o", "French final -aux/-eau is o (Bordeaux -> ボルドー, Rousseau -> ルソー)"),
    (
        r"oa(?=[bcdfgklmnpstvz])",
        "o",
        "oa before a consonant is a long o (Oakley -> オークリー, Roadrunner -> ロードランナー)",
    ),
)
_HEARD_REGEXES = tuple((re.compile(p), r) for p, r, _ in _HEARD_AS)
# rows that say how MT or a foreign tradition writes a name, not how the English word sounds: they let a
# spelling be heard as the word, but a tie between two spellings is never broken toward them
# (ユップサラ is no closer to "Uppsala" than ウップサラ)
_HABITS_ONLY = frozenset({r"th", r"z", r"^w(?=[aeiou])", r"^w(?=[ei])", r"^u(?=([bcdfgkmnpstvz])\1)"})
_SOUND_REGEXES = tuple((re.compile(p), r) for p, r, _ in _HEARD_AS if p not in _HABITS_ONLY)
# sound rows that always apply when a tie is broken by sound: English ee is a long i, so a reading that keeps it
# as written (Sweeney as *sweenii*, which flat romaji hears as スウェニー) is no way the word sounds
_ALWAYS_SOUNDED = frozenset({r"ee"})
_ALWAYS_REGEXES = tuple((re.compile(p), r) for p, r, _ in _HEARD_AS if p in _ALWAYS_SOUNDED)
MAX_READINGS = 16  # respellings kept per English word (the rows applying to one word combine)


@lru_cache(maxsize=65536)
def english_readings(word: str, sounds_only: bool = False) -> tuple[str, ...]:
    """Respellings of an English word (or run of words) as katakana transliteration habits hear it.

    Each row of ``_HEARD_AS`` that applies respells the word; the rows
    applying to one word are combined (every subset, at most
    ``MAX_READINGS``), so ``Vaidyanath`` is heard both with t for th and
    with i for y.  The word itself is not among them; words are lower-cased
    (a run's words respelled each).

    >>> english_readings("Maser")
    ('mazer', 'meiser', 'meizer')
    >>> "vaidianat" in english_readings("Vaidyanath")
    True
    >>> "yuppsala university" in english_readings("Uppsala University")
    True
    >>> english_readings("Kim")
    ()

    ``sounds_only``: only the rows that say how the English word sounds, not
    the habits of writing it (th as t, z as s, an initial w as ヴ, Uppsala as ユップサラ):

    >>> "yuppsala university" in english_readings("Uppsala University", sounds_only=True)
    False

    and the rows that always say how it sounds (:data:`_ALWAYS_SOUNDED`: ee is a long i) are applied to
    every reading, none keeps them as written:

    >>> english_readings("Sweeney"), english_readings("Sweeney", sounds_only=True)
    (('sweenii', 'swiiney', 'swiinii'), ('swiiney', 'swiinii'))
    """
    parts = word.lower().split()
    if not parts or len(parts) > 3:
        return ()
    seen = {" ".join(parts)}
    regexes = _SOUND_REGEXES if sounds_only else _HEARD_REGEXES
    if sounds_only:
        regexes = tuple((rx, r) for rx, r in regexes if rx.pattern not in _ALWAYS_SOUNDED)
        for rx, r in _ALWAYS_REGEXES:
            parts = [rx.sub(r, p) for p in parts]
    options = [_readings_of_part(p, regexes) for p in parts]
    out: list[str] = []

    def walk(k: int, acc: list[str]) -> None:
        if len(out) >= MAX_READINGS:
            return
        if k == len(options):
            text = " ".join(acc)
            if text not in seen:
                seen.add(text)
                out.append(text)
            return
        for o in options[k]:
            walk(k + 1, [*acc, o])

    walk(0, [])
    return tuple(sorted(out)) if out else ()


def _readings_of_part(part: str, regexes: tuple[tuple[re.Pattern[str], str], ...] = _HEARD_REGEXES) -> list[str]:
    """One word and its respellings, the word first."""
    applying = [(rx, r) for rx, r in regexes if rx.search(part)]
    out = [part]
    for mask in range(1, 1 << len(applying)):
        s = part
        for i, (rx, r) in enumerate(applying):
            if mask >> i & 1:
                s = rx.sub(r, s)
        if s not in out:
            out.append(s)
        if len(out) > MAX_READINGS:
            break
    return out


@lru_cache(maxsize=65536)
def heard_keys(word: str) -> frozenset[str]:
    """:func:`phonetic_keys` of an English word and of its :func:`english_readings`.

    >>> phonetic_keys("Wendell") | phonetic_keys("ヴェンデル") <= heard_keys("Wendell")
    True
    """
    keys = set(phonetic_keys(word))
    for r in english_readings(word):
        keys |= phonetic_keys(r)
    return frozenset(keys)

"""Name mismatch: a name of an English sentence that the Japanese it is aligned to does not render.

A flag of the ``bilingual`` stage (never an edit).  What counts as a name, and
what counts as rendering it, are the two ways such a check floods a reviewer
with false alarms, so both are narrow on purpose:

* **a name of this document**: a capitalised English word (not all
  capitals, not a title, day or month of ``data/name_renderings.tsv``, never
  written in lower case in the English document) that the Japanese text
  renders *somewhere* — a katakana word (one to three tokens, one of them a
  proper noun or unknown to the dictionary: マニュアル is no name) that
  sounds like it (:data:`DOCUMENT_MATCH`), the word itself in Latin, or one
  of the table's exonyms (Germany: ドイツ, 独).  A word the whole translation never renders
  (a title translated as a common noun, a company named in kanji) says
  nothing about one sentence;
* **not rendered in its sentence**: the last name of its capitalised run
  (Percy Quinlan: クインラン alone renders the run, パーシー alone does not) is not
  rendered by the aligned Japanese, looser this time (:data:`SENTENCE_MATCH`),
  nor its initials (UAE), and the Japanese holds no stand-in for a name
  already given (同氏, 同社, 彼女).

So the flag says: this translation writes the name elsewhere, but not here —
the name was dropped, replaced or mangled beyond recognition here.

>>> from pipeline import clean
>>> en = "Ms Kovalenko won.\\nLater, Kovalenko thanked her coach."
>>> [f.reason for f in clean("コヴァレンコ氏が勝った。\\nその後、ミハイロフ氏はコーチに感謝した。", english=en).flags]
["'Kovalenko' of English sentence 1 is not in the Japanese (rendered elsewhere as コヴァレンコ)"]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from pipeline.romanise import english_readings, flat_romaji, phonetic_key, phonetic_similarity, romanise_katakana
from pipeline.stages.variants.forms import _romaji_ratio
from pipeline.tables import tsv_rows

if TYPE_CHECKING:
    from pipeline.document import Document, Flag, Token

TABLE = "name_renderings.tsv"
DOCUMENT_MATCH = 0.8  # a katakana word this like an English word (sounds_like) renders it in the document
SENTENCE_MATCH = 0.6  # ... and, once known as a name of the document, renders it in a sentence at this
# small words a headline capitalises (Tips For Cleaning Your Phone): one of them capitalised inside
# a sentence makes it a headline, whose capitals say nothing
HEADLINE_WORDS = frozenset(
    "For With From Into Over After About Your Their This That And The Of To In On At By As Is Are Be Its Our".split()  # noqa: SIM905
)
MIN_NAME = 3  # shorter capitalised words (Xi, Li, Ng) are too short to hear in katakana
INSIDE_MATCH = 0.75  # ... or when a longer katakana run holds a part this like it (rapidfuzz partial_ratio on romaji)
MIN_SKELETON = 4  # a sound skeleton this long found inside a run's renders the word (shorter ones match anything)
MIN_SHORT = 3  # a katakana word this long that begins the spelling found elsewhere shortens it (スナップ)
MAX_TOKENS = 3  # katakana words of up to this many tokens (ナイト + マーケット) are compared
# a katakana word of a sentence this like the katakana spelling the document gives the name elsewhere (mean of sound
# skeleton and romaji similarity, kana to kana) renders it: クレイス where クレイズ is found elsewhere (0.76), which the
# English (Creiz: 0.58) does not hear; ハルモン and ハルキン, two names, are 0.73
# a run of capitalised words this long or longer, all common English words, may be title case, not a name
# (NameIndex.translates): a lone capitalised word translated as a common noun is often a name lost (a genre)
MIN_COMMON_RUN = 2
KANA_MATCH = 0.74  # (0.75 sits on a rounding edge)
MIN_PREFIX = 4  # a title-case word's stem this long that begins a gloss stem of the sentence is translated by it
# Korean surnames a translation may write in hanja (金正勲): rendered by the token only when UniDic tags it a surname
# or a person's name (金正 of 金正勲), never as part of another word (資金 holds 金)
HANJA_SURNAMES = {
    "Kim": "金",
    "Lee": "李",
    "Park": "朴",
    "Choi": "崔",
    "Jeong": "鄭",
    "Kang": "姜",
    "Cho": "趙",
    "Yoon": "尹",
    "Moon": "文",
    "Shin": "申",
    "Hwang": "黄",
    "Ahn": "安",
}
# Korean surnames whose usual katakana (the Korean reading) the sound check does not hear in the Latin spelling
# (sounds_like below SENTENCE_MATCH): the sentence renders the surname when it holds one of these as a whole
# katakana run (イ・ソヨン, イ氏), never inside a longer katakana word.  (English, katakana, why) a row.
SURNAME_READINGS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Lee", ("イ",), "이 (李): South Korean drops an initial r/l, and Japanese writes the Korean sound イ"),
    ("Rhee", ("イ",), "the older spelling of 이 (李), read イ as Lee is"),
    ("Lim", ("イム",), "임 (林): the initial l is not pronounced in South Korea, イム"),
    ("Rim", ("イム",), "another spelling of 임 (林), イム"),
    ("Roh", ("ノ",), "노 (盧): the initial r is read n in South Korea, ノ"),
    ("Jeong", ("チョン",), "정 (鄭): Japanese writes the word-initial Korean ㅈ with チ, and eo as オ"),
    ("Jeon", ("チョン",), "전 (全): word-initial ㅈ as チ, チョン"),
    ("Jang", ("チャン",), "장 (張): word-initial ㅈ as チ, チャン"),
    ("Suh", ("ソ",), "서 (徐): the vowel eo is オ, ソ"),
    ("Hwang", ("ファン",), "황 (黄): hw is written ファ, ファン"),
    ("Baek", ("ペク",), "백 (白): word-initial ㅂ is unvoiced, written with ペ"),
    ("Bae", ("ペ",), "배 (裵): word-initial ㅂ unvoiced, ペ"),
    ("Byun", ("ピョン",), "변 (卞): word-initial ㅂ unvoiced, ピョン"),
    ("Woo", ("ウ",), "우 (禹): one vowel, ウ"),
)
READINGS_OF = {english: readings for english, readings, _ in SURNAME_READINGS}
# English sounds a katakana spelling writes that romanise.english_readings does not respell (this check only:
# that table is shared with the variants stage).  (pattern, replacement, why) a row, applied to the word and to
# each of its english_readings; the sentence check then hears the respelling (sounds_like >= SENTENCE_MATCH)
NAME_SOUNDS: tuple[tuple[str, str, str], ...] = (
    ("qu", "kw", "qu is kw (Quayle -> クウェール, Squike -> スクワイク)"),
    (
        r"i(?=[bcdfgklmnprstvz]e$)",
        "ai",
        "i before one consonant and a final e is ai (Pike -> パイク, Squike -> ...ワイク)",
    ),
    (
        r"(?<=[aeo][iu])[xs]$",
        "",
        "a final x or s after a French vowel pair is silent (Giroux -> ジルー, Dubois -> デュボワ)",
    ),
)
_NAME_SOUND_REGEXES = tuple((re.compile(p), r) for p, r, _ in NAME_SOUNDS)
# a capitalised word: Quinlan, McDonald, O'Brien's (the possessive is not the name)
NAME = re.compile(r"(?<![A-Za-zÀ-ÿ'’])([A-Z][a-zß-ÿ]+(?:[A-Z][a-zß-ÿ]+)*)(?:['’]s)?(?![A-Za-zÀ-ÿ])")
# what may stand between two words of one capitalised run (Percy Quinlan, Jean-Luc)
RUN_GAP = re.compile(r"[ \-]")
KATAKANA = re.compile(r"[ァ-ヺー]+")
DOTTED = re.compile(r"[ァ-ヺー]+(?:・[ァ-ヺー]+)+")  # katakana words joined by the middle dot, one token
LOWER_WORD = re.compile(r"(?<![A-Za-z'’])[a-zß-ÿ][a-zß-ÿ]+(?![A-Za-zÀ-ÿ])")
LATIN = re.compile(r"[A-Za-z]+")
KANJI = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def load_renderings() -> tuple[dict[str, tuple[str, ...]], frozenset[str], re.Pattern[str]]:
    """(exonyms: English -> Japanese spellings, common capitalised words, the stand-ins' regex)."""
    exonyms: dict[str, tuple[str, ...]] = {}
    common: set[str] = set()
    stand_ins: list[str] = []
    for row in tsv_rows(TABLE):
        if len(row) != 4 or not row[3].strip():
            raise ValueError(f"{TABLE}: a row needs KIND, ENGLISH, JAPANESE and WHY: {chr(9).join(row)!r}")
        kind, english, japanese, _ = row
        if kind == "exonym" and english and japanese:
            exonyms[english] = tuple(japanese.split(","))
        elif kind == "common" and english and not japanese:
            common.add(english)
        elif kind == "stand-in" and japanese and not english:
            re.compile(japanese)
            stand_ins.append(japanese)
        else:
            raise ValueError(f"{TABLE}: a row of an unknown kind or with a missing field: {chr(9).join(row)!r}")
    return exonyms, frozenset(common), re.compile("|".join(f"(?:{s})" for s in stand_ins) or "(?!)")


@lru_cache(maxsize=1 << 14)
def name_runs(
    sentence: str, names: frozenset[str] = frozenset()
) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """The runs of adjacent capitalised words of an English sentence: (every word, the words that may be names).

    Titles, days and months of the table and words of fewer than MIN_NAME
    letters are no names (Prime Minister Percy Quinlan: Percy, Quinlan).
    The sentence's first word, capitalised anyway, is one only when it is in
    ``names`` (words the document capitalises inside a sentence).  A headline
    in title case gives nothing.

    >>> [names for _, names in name_runs("Later, Prime Minister Percy Quinlan met Mr Ruddock's team on Monday.")]
    [('Percy', 'Quinlan'), ('Ruddock',)]
    >>> name_runs("Quinlan agreed.", frozenset({"Quinlan"})), name_runs("Tips For Cleaning Your Phone")
    (((('Quinlan',), ('Quinlan',)),), ())
    """
    _, common, _ = load_renderings()
    if any(w in HEADLINE_WORDS for w in sentence.split()[1:]):
        return ()
    runs: list[tuple[list[str], list[str]]] = []
    prev_end = -1
    for m in NAME.finditer(sentence):
        word = m.group(1)
        if prev_end < 0 or not RUN_GAP.fullmatch(sentence[prev_end : m.start()]):
            runs.append(([], []))
        prev_end = m.end()
        runs[-1][0].append(word)
        opens = not any(c.isalnum() for c in sentence[: m.start()])
        if word not in common and len(word) >= MIN_NAME and (not opens or word in names):
            runs[-1][1].append(word)
    return tuple((tuple(every), tuple(words)) for every, words in runs if words)


@lru_cache(maxsize=64)
def english_names(english: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """(:func:`inner_capitals`, :func:`lower_words`) of an English document (one per source, however many translations)."""
    return inner_capitals(english), lower_words(english)


def lower_words(sentences: Iterable[str]) -> frozenset[str]:
    """Words written in lower case somewhere in ``sentences``: common words, whatever their capitals elsewhere.

    >>> sorted(lower_words(["Manual pump.", "A manual of the Pump."]))
    ['manual', 'of', 'pump', 'the']
    """
    return frozenset(w for s in sentences for w in LOWER_WORD.findall(s))


def nameish(t: Token) -> bool:
    """A token that may be (part of) a name: a proper noun, or a word the dictionary does not know."""
    return "固有名詞" in t.pos or not t.reading


def inner_capitals(sentences: Iterable[str]) -> frozenset[str]:
    """Capitalised words found inside a sentence (not first) anywhere in ``sentences``: the document's names.

    >>> sorted(inner_capitals(["The mayor met Quinlan.", "Quinlan agreed."]))
    ['Quinlan']
    """
    out: set[str] = set()
    for sentence in sentences:
        for m in NAME.finditer(sentence):
            if any(c.isalnum() for c in sentence[: m.start()]):
                out.add(m.group(1))
    return frozenset(out)


def katakana_words(tokens: Iterable[str], nameish: Iterable[bool] | None = None) -> dict[str, bool]:
    """Katakana words of a sentence (every run of one to MAX_TOKENS katakana tokens) -> whether one is name-like.

    ``nameish`` (one per token): a proper noun or a word the dictionary does
    not know; a word made only of common loanwords (マニュアル, スポーツ) is
    no evidence that the English word it sounds like is a name.

    >>> words = katakana_words(["ナイト", "マーケット", "で", "ドイツ"], [False, False, False, True])
    >>> sorted(words), words["ドイツ"], words["ナイトマーケット"]
    (['ドイツ', 'ナイト', 'ナイトマーケット', 'マーケット'], True, False)
    """
    out: dict[str, bool] = {}
    run: list[str] = []
    names: list[bool] = []
    flags = list(nameish) if nameish is not None else None
    for k, surface in enumerate([*tokens, ""]):
        if surface and "ァ" <= surface[0] <= "ー" and KATAKANA.fullmatch(surface):
            run.append(surface)
            names.append(flags[k] if flags is not None else False)
            continue
        if run:
            _add_runs(out, run, names)
            run, names = [], []
    return out


# a run of whole katakana tokens in the surfaces joined by NUL (a token is katakana when KATAKANA matches it whole)
_TOKEN_RUN = re.compile("(?<![^\0])[ァ-ヺー]+(?:\0[ァ-ヺー]+)*(?![^\0])")


def token_katakana_words(tokens: Sequence[Token]) -> dict[str, bool]:
    """:func:`katakana_words` of a sentence's tokens, each name-like when :func:`nameish` (the same dict, in the
    same order): the runs of katakana tokens are found by one regular expression over the joined surfaces, and
    :func:`nameish` is asked of their tokens only."""
    surfaces = [t.surface for t in tokens]
    joined = "\0".join(surfaces)
    if joined.count("\0") != len(surfaces) - 1:  # a surface holding NUL itself: token by token
        return katakana_words(
            surfaces, ["ァ" <= x[:1] <= "ー" and nameish(t) for x, t in zip(surfaces, tokens, strict=True)]
        )
    out: dict[str, bool] = {}
    for m in _TOKEN_RUN.finditer(joined):
        run = m.group().split("\0")
        first = joined.count("\0", 0, m.start())  # the index of the run's first token
        _add_runs(out, run, [nameish(tokens[k]) for k in range(first, first + len(run))])
    return out


def _add_runs(out: dict[str, bool], run: list[str], names: list[bool]) -> None:
    """Every word of one to MAX_TOKENS tokens of a katakana ``run`` -> whether one of its tokens is name-like."""
    for i in range(len(run)):
        word = ""
        name = False
        for n in range(i, min(len(run), i + MAX_TOKENS)):
            word += run[n]
            name = name or names[n]
            out[word] = out.get(word, False) or name


@lru_cache(maxsize=1 << 16)
def kana_romaji(kana: str) -> str:
    """``flat_romaji(romanise_katakana(kana))``, once per katakana word: the same names recur in every translation
    of a source and in every document of a batch.

    >>> kana_romaji("クインラン")
    'kuinran'
    """
    return flat_romaji(romanise_katakana(kana))


@lru_cache(maxsize=1 << 16)
def inside(word: str, run: str) -> bool:
    """Whether a katakana ``run`` holds a rendering of ``word`` as a part (ベルタスポーツ holds Sport).

    >>> inside("Sport", "ベルタスポーツ"), inside("Frostpak", "フロストパックエクサンダパネル"), inside("Sport", "ベルタバキューム")
    (True, True, False)
    """
    folded = _fold(word)
    flat, romaji = flat_romaji(folded), kana_romaji(run)
    if len(romaji) > len(flat) and fuzz.partial_ratio(flat, romaji) >= 100 * INSIDE_MATCH:
        return True
    # the sound skeletons (Frostpak: frstpk, inside フロストパックエクサンダパネル), long enough to mean something
    key, run_key = phonetic_key(folded), phonetic_key(run)
    return len(key) >= MIN_SKELETON and key in run_key


def _fold(word: str) -> str:
    """The word without its accents (Kaminská: Kaminska), as katakana hears it."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 16)
def sounds_like(word: str, kana: str) -> float:
    """0..1: how like the English ``word`` the katakana ``kana`` sounds: the mean of sound skeletons and romaji.

    Either alone is too loose: skeletons drop the vowels (The and サウス share
    one), romaji keeps the English spelling's silent letters (Sweeney,
    スウィーニー).

    >>> round(sounds_like("Jackson", "ジャクソン"), 2), round(sounds_like("Thompson", "ジャクソン"), 2)
    (0.93, 0.4)
    """
    word = _fold(word)
    return (phonetic_similarity(word, kana) + _romaji_ratio(word, kana) / 100) / 2


@lru_cache(maxsize=1 << 14)
def kana_like(spelled: str, kana: str) -> float:
    """0..1: how like the katakana spelling ``spelled`` the katakana word ``kana`` is (0 when ``spelled`` is not
    katakana): the mean of sound skeletons and romaji, as :func:`sounds_like` but kana to kana.

    >>> round(kana_like("クレイズ", "クレイス"), 2), round(kana_like("ハルモン", "ハルキン"), 2), kana_like("Creiz", "クレイス")
    (0.76, 0.73, 0.0)
    """
    if not KATAKANA.fullmatch(spelled):
        return 0.0
    ratio = fuzz.ratio(kana_romaji(spelled), kana_romaji(kana))
    return (phonetic_similarity(spelled, kana) + ratio / 100) / 2


@lru_cache(maxsize=1 << 14)
def name_readings(word: str) -> tuple[str, ...]:
    """Respellings of ``word`` as katakana hears it: :func:`pipeline.romanise.english_readings` (Paser as
    *peizer*, Villaux as *villo*, Morez as *mores*) and, on the word and each of those, the rows of
    :data:`NAME_SOUNDS` (Squike as *skwaike*); the word itself is not among them.

    >>> "peizer" in name_readings("Paser"), "skwaike" in name_readings("Squike"), name_readings("Kim")
    (True, True, ())
    """
    out = dict.fromkeys(english_readings(word))
    for base in [word.lower(), *out]:
        every = base
        for rx, r in _NAME_SOUND_REGEXES:
            out[rx.sub(r, base)] = None  # one row alone
            every = rx.sub(r, every)
        out[every] = None  # and every row together (Squike: qu and i-e)
    out.pop(word.lower(), None)
    return tuple(out)


# Latin letters spaced out one by one (T o n y), at least three of them: one word once the spaces go
SPACED_LETTERS = re.compile(r"(?<![A-Za-z])[A-Za-z](?: [A-Za-z]){2,}(?![A-Za-z])")
CAMEL_PART = re.compile(r"[A-Z][a-z]+")  # the capitalised parts of a glued Latin word (ConradVale: Conrad, Vale)


@lru_cache(maxsize=1 << 12)
def kept_latin_words(text: str) -> frozenset[str]:
    """Latin words of a Japanese sentence (lower case) once letters spaced out one by one are joined and words
    glued together are cut at their capitals: a name kept in Latin whose spaces MT lost or spread
    (``C o n r a d V a l e``, ``ConradVale``).

    >>> sorted(kept_latin_words("C o n r a d V a l eが言った。ConradValeとMcKayも。"))
    ['conrad', 'conradvale', 'kay', 'mc', 'mckay', 'vale']
    """
    text = SPACED_LETTERS.sub(lambda m: m.group().replace(" ", ""), unicodedata.normalize("NFKC", text))
    out: set[str] = set()
    for w in LATIN.findall(text):
        out.add(w.lower())
        out.update(part.lower() for part in CAMEL_PART.findall(w))
    return frozenset(out)


class NameIndex:
    """The Japanese side of a document, read as needed: each sentence's katakana words, Latin words and text.

    ``sentences``: (text, tokens) of every sentence of the document.
    """

    def __init__(self, sentences: Sequence[tuple[str, Sequence[Token]]]) -> None:
        self.texts = [text for text, _ in sentences]
        self._tokens = [tokens for _, tokens in sentences]
        self._words: dict[int, dict[str, bool]] = {}
        self.whole = "".join(self.texts)
        self._latin: list[set[str]] | None = None
        self._all_latin: set[str] | None = None
        self._kana_list: list[str] | None = None
        self._romaji: list[str] = []
        self._known: dict[str, str | None] = {}

    def words(self, s: int) -> dict[str, bool]:
        """Sentence ``s``'s katakana words -> name-like (:func:`katakana_words`)."""
        if s not in self._words:
            if not KATAKANA.search(self.texts[s]):
                self._words[s] = {}
                return self._words[s]
            words = self._words[s] = token_katakana_words(self._tokens[s])
            for t in self._tokens[s]:  # a name UniDic does not know, kept whole with its dot (ボル・ザクーディ)
                if "・" in t.surface and DOTTED.fullmatch(t.surface):
                    for part in t.surface.split("・"):
                        words[part] = words.get(part, False) or nameish(t)
        return self._words[s]

    def latin(self, s: int) -> set[str]:
        """Sentence ``s``'s Latin words, lower-cased; full-width Latin (ＵＡＥ) read as ASCII for the comparison only."""
        if self._latin is None:
            self._latin = [{w.lower() for w in LATIN.findall(unicodedata.normalize("NFKC", t))} for t in self.texts]
        return self._latin[s]

    def runs(self, s: int) -> list[str]:
        """Whole katakana runs of sentence ``s``, for a name inside a word the tokenizer did not split."""
        return [r for r in KATAKANA.findall(self.texts[s]) if len(r) > MIN_SHORT]

    def rendered_elsewhere(self, word: str) -> str | None:
        """How the document renders ``word`` somewhere (a spelling), or None: not a name of this translation."""
        if word not in self._known:
            self._known[word] = self._find(word)
        return self._known[word]

    def _find(self, word: str) -> str | None:
        exonyms, _, _ = load_renderings()
        spelled = next((j for j in exonyms.get(word, ()) if j in self.whole), None)
        if spelled:
            return spelled
        if self._all_latin is None:
            self._all_latin = set().union(*(self.latin(s) for s in range(len(self.texts))))
        if word.lower() in self._all_latin:
            return word
        if self._kana_list is None:  # the katakana a name of the document is looked for in
            self._kana_list = sorted({k for s in range(len(self.texts)) for k, name in self.words(s).items() if name})
            self._romaji = [kana_romaji(k) for k in self._kana_list]
        # sounds_like is a mean with the romaji ratio, so a match needs that ratio >= 2 * DOCUMENT_MATCH - 1:
        # rapidfuzz's C loop finds those few among every katakana word of the document
        cutoff = 100 * (2 * DOCUMENT_MATCH - 1)
        near = process.extract(
            flat_romaji(_fold(word)), self._romaji, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        )
        scored = [(sounds_like(word, self._kana_list[i]), self._kana_list[i]) for _, _, i in near]
        best = max(scored, default=None)
        return best[1] if best is not None and best[0] >= DOCUMENT_MATCH else None

    def renders(self, word: str, sentences: Sequence[int]) -> bool:
        """Whether the Japanese ``sentences`` render ``word`` (looser than :meth:`rendered_elsewhere`).

        Also when they hold the spelling found elsewhere inside a longer
        word the tokenizer did not split (ステルスヴェルトロン), a katakana run
        with a part like the word (:func:`inside`), or the first part of
        the spelling found elsewhere (スナップ for スナップビスタ).
        """
        exonyms, _, _ = load_renderings()
        low = word.lower()
        spelled = self.rendered_elsewhere(word) or "\0"
        return any(
            spelled in self.texts[s]
            or any(len(k) >= MIN_SHORT and spelled.startswith(k) for k in self.words(s))
            or low in self.latin(s)
            or any(j in self.texts[s] for j in exonyms.get(word, ()))
            or any(sounds_like(word, k) >= SENTENCE_MATCH for k in self.words(s))
            or any(inside(word, run) for run in self.runs(s))
            or any(kana_like(spelled, k) >= KANA_MATCH for k in self.words(s) if len(k) >= MIN_SHORT)
            or self.has_surname(HANJA_SURNAMES.get(word), s)
            or self.heard(word, s)
            or low in kept_latin_words(self.texts[s])
            or self.has_korean_reading(READINGS_OF.get(word), s)
            for s in sentences
        )

    def heard(self, word: str, s: int) -> bool:
        """Whether a katakana word of sentence ``s`` sounds like one of :func:`name_readings` of ``word``
        (ペーザー for Paser, heard *peizer*) at SENTENCE_MATCH; a katakana word of MIN_SHORT kana or more (ル, a
        piece of a longer name, is like anything)."""
        readings = name_readings(word)
        return bool(readings) and any(
            sounds_like(r, k) >= SENTENCE_MATCH for k in self.words(s) if len(k) >= MIN_SHORT for r in readings
        )

    def has_korean_reading(self, readings: tuple[str, ...] | None, s: int) -> bool:
        """Whether sentence ``s`` holds one of a Korean surname's ``readings`` (:data:`SURNAME_READINGS`) as a whole
        katakana run (イ of イ・ジョンウ, of イ氏), not as a part of a longer katakana word (イギリス)."""
        return readings is not None and any(r in readings for r in KATAKANA.findall(self.texts[s]))

    def has_surname(self, hanja: str | None, s: int) -> bool:
        """Whether sentence ``s`` holds ``hanja`` as a token UniDic tags a surname (金 of 金氏, not of 資金), or as the
        start of a token it tags a person's name (金正 of 金正勲, which UniDic reads as a given name)."""
        return (
            hanja is not None
            and hanja in self.texts[s]
            and any(
                (t.surface == hanja and "姓" in t.pos) or ("人名" in t.pos and t.surface.startswith(hanja))
                for t in self._tokens[s]
            )
        )

    def translates(self, run: Sequence[str], word: str, sentences: Sequence[int]) -> bool:
        """Whether ``word`` is a common word in title case the Japanese ``sentences`` translate: its run has
        MIN_COMMON_RUN words or more, every one an English word of the JMdict table
        (:mod:`pipeline.align.dictionary`), and a word of the sentences has ``word`` among its glosses (a form's
        Full Name as 氏名, a product title's Battery as 電池).  Not a lone capitalised word (a genre translated
        literally is a name lost), nor a run with a word the table does not know (a coin named by a breed and a
        foreign word: the breed's Japanese name drops the name)."""
        from pipeline.align.dictionary import japanese_stems, known_stems, stem

        if len(run) < MIN_COMMON_RUN:
            return False
        known = known_stems()
        if not all(stem(w) in known for w in run):
            return False
        st = stem(word)
        if any(st in japanese_stems(self.texts[s]) for s in sentences):
            return True
        # the stemmer cuts a word and the gloss of its noun apart (Erase: eras, erasure: erasur): a gloss stem
        # that begins with the word's stem (MIN_PREFIX letters or more) translates it too
        return len(st) >= MIN_PREFIX and any(g.startswith(st) for s in sentences for g in japanese_stems(self.texts[s]))

    def borrowed(self, run: Sequence[str], sentences: Sequence[int]) -> bool:
        """Whether the Japanese ``sentences`` write the run as the Japanese word English borrowed it from: a word
        (a token with a kanji, or two such tokens together) whose JMdict glosses (:mod:`pipeline.align.dictionary`)
        hold a word of the run its own reading begins with — 埼玉, read サイタマ and glossed *saitama*, for a
        place *Saitama*; 和牛, read ワギュウ, for a brand *Wagyu Co* — and every other word of the run the table
        could hold (not one of fewer than MIN_WORD letters such as *Co*, nor a function word such as an opening
        *With*: the table has no such glosses).  A common noun that translates a name (嵐 for *Storm*, 鏡 for
        *Glass*) is no such word: its reading is not the English word."""
        from pipeline.align.dictionary import content_words, gloss_stems, known_stems, load_table, stem

        table = load_table()
        if not table or not any(stem(w) in known_stems() for w in run):  # no word of the run is a gloss at all
            return False
        words = [(w, stem(w), flat_romaji(_fold(w))) for w in run]
        needed = [(st, bool(content_words(w))) for w, st, _ in words]  # a word the table holds, if any holds it
        for s in sentences:
            if not KANJI.search(self.texts[s]):
                continue
            tokens = self._tokens[s]
            kanji = {i for i, t in enumerate(tokens) if KANJI.search(t.surface)}
            keys = [tokens[i : i + 1] for i in kanji]  # a token with a kanji, and with its neighbour on each side
            keys += [tokens[i : i + 2] for i in kanji if i + 1 < len(tokens)]
            keys += [tokens[i - 1 : i + 1] for i in kanji if i and i - 1 not in kanji]
            for key in keys:
                surface = "".join(t.surface for t in key)
                if surface not in table:
                    continue
                reading = "".join(t.reading for t in key)
                if not all(t.reading for t in key):
                    continue
                glosses, heard = gloss_stems(surface), kana_romaji(reading)
                if any(st in glosses and len(fl) >= MIN_SHORT and heard.startswith(fl) for _, st, fl in words) and all(
                    st in glosses or not held for st, held in needed
                ):
                    return True
        return False

    def has_initials(self, run: Sequence[str], sentences: Sequence[int]) -> bool:
        """Whether the Japanese ``sentences`` write the run's initials in Latin (Eastern Harbour Trust: EHT)."""
        initials = "".join(w[0] for w in run).lower()
        return len(initials) >= 2 and any(initials in self.latin(s) for s in sentences)

    def has_stand_in(self, sentences: Sequence[int]) -> bool:
        _, _, stand_ins = load_renderings()
        return any(stand_ins.search(self.texts[s]) for s in sentences)


def missing_names(
    english: str,
    sentences: Sequence[int],
    index: NameIndex,
    names: frozenset[str] = frozenset(),
    lower: frozenset[str] = frozenset(),
) -> list[tuple[str, str]]:
    """(name, how the document renders it elsewhere) for each name of ``english`` its Japanese does not render.

    ``names``: the words the English document capitalises inside a sentence (:func:`inner_capitals`);
    ``lower``: the words it also writes in lower case (:func:`lower_words`): common words, no names.
    """
    out: list[tuple[str, str]] = []
    stand_in: bool | None = None
    for run, candidates in name_runs(english, names):
        known = [(w, index.rendered_elsewhere(w)) for w in candidates if w.lower() not in lower]
        known = [(w, spelled) for w, spelled in known if spelled]
        # the run's last name is the one that identifies it (Percy Quinlan: Quinlan; Milton Lakers: Lakers):
        # the first name alone does not render it, the surname alone does
        if (
            not known
            or index.renders(known[-1][0], sentences)
            or index.has_initials(run, sentences)
            or index.translates(run, known[-1][0], sentences)
            or index.borrowed(run, sentences)
        ):
            continue
        if stand_in is None:
            stand_in = index.has_stand_in(sentences)
        if stand_in:
            return []
        out.append(known[-1])
    return out


def name_flags(doc: Document, min_score: float, stage: str) -> list[Flag]:
    """A ``name-mismatch`` flag per name of an aligned English sentence (bead score >= ``min_score``) not rendered."""
    from pipeline.document import Flag

    alignment = doc.annotations.get("alignment")
    if not alignment or not doc.sentences:
        return []
    english = tuple(e["text"] for e in alignment["english"])
    names, lower = english_names(english)
    beads = [
        b
        for b in alignment["beads"]
        if b["en"] and b["ja"] and b["score"] >= min_score and any(name_runs(english[i], names) for i in b["en"])
    ]
    if not beads:
        return []
    index = NameIndex([(doc.cleaned_slice(s.start, s.end), s.tokens or ()) for s in doc.sentences])
    flags: list[Flag] = []
    for bead in beads:
        first, last = doc.sentences[bead["ja"][0]], doc.sentences[bead["ja"][-1]]
        for i in bead["en"]:
            for name, spelled in missing_names(english[i], bead["ja"], index, names, lower):
                why = f"{name!r} of English sentence {i} is not in the Japanese (rendered elsewhere as {spelled})"
                flags.append(Flag(first.start, last.end, stage, "name-mismatch", why))
    return flags

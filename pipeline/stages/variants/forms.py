"""Forms (the distinct spellings of the mentions) and the comparison of two forms.

Step 2 of the stage: whether two katakana forms, or a Latin and a katakana
form, write the same word, with the kind of evidence (:mod:`.evidence`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from pipeline.document import Token
from pipeline.romanise import flat_romaji, phonetic_key, phonetic_keys, romanise_katakana
from pipeline.stages.variants.alternations import fold_kana
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
from pipeline.stages.variants.mentions import _JOINER_SPLIT, Mention, _is_known
from pipeline.stages.variants.options import VariantOptions


@lru_cache(maxsize=1 << 16)
def _name_parts(text: str) -> tuple[str, ...]:
    return tuple(p for p in _JOINER_SPLIT.split(text) if p)


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
        """Its votes: mentions outside word-for-word repeated sentences (at least one)."""
        return sum(not m.copy for m in self.mentions) or len(self.mentions)

    @property
    def votes(self) -> int:
        """The sentences that chose it: a spelling repeated within one sentence is one choice of the MT."""
        voting = [m for m in self.mentions if not m.copy] or self.mentions
        return len({m.sentence if m.sentence >= 0 else -1 - i for i, m in enumerate(voting)})

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
    >>> compare_kana(_form("ドイル", "ドイル-Doyle"), _form("ドイツ", "ドイツ"), o).same
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
            # a name and a common word that fold alike (a club named after a common noun): worth a look, no rewrite
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
    return fuzz.ratio(flat_romaji(latin), flat_romaji(romanise_katakana(kana)))


SOUND_SKELETON = "same sound skeleton"  # how compare_latin's verdicts on sound alone begin


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
        return Verdict(True, f"{SOUND_SKELETON} ({key}) as the romanised katakana", BILINGUAL)
    if len(key) == 2 and latin.text[:1].isupper() and _romaji_ratio(latin.text, kana.text) >= 58:
        return Verdict(True, f"{SOUND_SKELETON} ({key}) and close romaji", BILINGUAL)
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

"""Bilingual evidence from the English source: which English words each spelling's sentences translate.

With an English source, the ``bilingual`` stage has aligned its sentences to
the Japanese ones (``doc.annotations["alignment"]``).  A spelling's *source
words* are the Latin words (and runs of two or three capitalised words) of the
English sentences aligned to the sentences its mentions stand in.  Then

* two spellings whose source words share one that sounds like both are one
  name (``both render "Ruddock" in the aligned English``), even when they are
  spelled beyond the alternations table: rewrite evidence;
* two spellings that each sound like a *different* English word of their own
  sentences (``Transformers`` / ``transphobia``, ``Eagles`` / ``Eagle``) are
  different words: no rewrite, whatever else looks alike.

Without an alignment every function here returns "nothing known".
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.romanise import english_readings, heard_keys, phonetic_keys
from pipeline.stages.bilingual import english_by_sentence
from pipeline.stages.variants.evidence import BILINGUAL, Verdict, is_plural_pair, is_proper
from pipeline.stages.variants.forms import Form, _form, _name_parts, compare_latin

if TYPE_CHECKING:
    from pipeline.document import Document
    from pipeline.stages.variants.clusters import Cluster

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
# a whole run of capitalised words (House Speaker Nora Belmont); english_words takes its runs of two and three
CAPITAL_RUN = re.compile(r"[A-Z][A-Za-z'’-]+(?:\s+[A-Z][A-Za-z'’-]+)+")
SAME_WORD = 85  # rapidfuzz ratio from which two English words are one spelled two ways
MIN_WORD = 3  # shorter English words ("a", "of", "US") say nothing about a katakana spelling
POSSESSIVE = ("'s", "’s")  # a possessive is the name plus an ending the katakana does not write


class SourceWords(dict[str, frozenset[str]]):
    """Form text -> English words of its aligned sentences; :meth:`sentences_of` says which sentences hold a word.

    Which sentence holds which word is looked up only when a reason names it
    (a few times a document), not built for every form and word.
    """

    def __init__(self, english_words: list[frozenset[str]] | None = None) -> None:
        super().__init__()
        self.english_words = english_words or []  # the words of each English sentence
        self.aligned: dict[str, list[int]] = {}  # form text -> its aligned English sentences, in order
        self.all_stems: frozenset[str] | None = None  # stems of every word of the source (source.sense_absent)
        self.all_dictionary_stems: frozenset[str] | None = None  # the same, cut as JMdict's English (common_slip)
        self.all_flat: frozenset[str] | None = None  # every word, lower case, letters only (gloss_said)

    def sentences_of(self, word: str, *forms: str) -> list[int]:
        """The English sentences (indices of ``alignment["english"]``) where ``forms`` meet ``word``."""
        out: set[int] = set()
        for f in forms:
            out.update(i for i in self.aligned.get(f, ()) if word in self.english_words[i])
        return sorted(out)


def source_words(doc: Document, forms: Iterable[Form]) -> SourceWords:
    """Form text -> the English words its mentions' sentences are aligned to (empty without a source)."""
    alignment = doc.annotations.get("alignment")
    out = SourceWords()
    if not alignment or not doc.sentences:
        return out
    english_of_sentence = english_by_sentence(doc)
    starts = [s.start for s in doc.sentences]
    words_of_english = [english_words(e["text"]) for e in alignment["english"]]
    out = SourceWords(words_of_english)
    empty: frozenset[str] = frozenset()
    unions: dict[tuple[int, ...], frozenset[str]] = {}  # the forms of one sentence share their words
    for f in forms:
        aligned = sorted(
            {i for m in f.mentions for i in english_of_sentence.get(bisect.bisect_right(starts, m.start) - 1, ())}
        )
        key = tuple(aligned)
        union = unions.get(key)
        if union is None:
            union = unions[key] = empty.union(*(words_of_english[i] for i in aligned)) if aligned else empty
        out[f.text] = union
        out.aligned[f.text] = aligned
    return out


def _is_source_words(words: object) -> bool:
    """Whether ``words`` is a :class:`SourceWords` (by what it has: pytest's doctests may import this module twice)."""
    return hasattr(words, "sentences_of") and hasattr(words, "english_words")


def in_sentences(indices: list[int]) -> str:
    """How a reason names English sentences (numbered as the bilingual stage's flags number them).

    >>> in_sentences([4]), in_sentences([4, 9]), in_sentences([1, 2, 5]), in_sentences([])
    ('sentence 4', 'sentences 4 and 9', 'sentences 1, 2 and 5', '')
    """
    if not indices:
        return ""
    if len(indices) == 1:
        return f"sentence {indices[0]}"
    return "sentences " + ", ".join(str(i) for i in indices[:-1]) + f" and {indices[-1]}"


def where_rendered(words: Mapping[str, frozenset[str]], word: str, *forms: str) -> str:
    """``in the aligned English (sentences 4 and 9)``: where the forms meet ``word``."""
    indices = words.sentences_of(word, *forms) if _is_source_words(words) else []
    return "in the aligned English" + (f" ({in_sentences(indices)})" if indices else "")


@lru_cache(maxsize=1 << 14)
def english_words(sentence: str) -> frozenset[str]:
    """Latin words of MIN_WORD letters or more, and runs of two or three capitalised words.

    >>> sorted(english_words("Coach Jan Ruddock of the Hawks won."))
    ['Coach', 'Coach Jan', 'Coach Jan Ruddock', 'Hawks', 'Jan', 'Jan Ruddock', 'Ruddock', 'the', 'won']
    >>> sorted(english_words("for Tomas's sake"))
    ['Tomas', "Tomas's", 'for', 'sake']
    >>> sorted(w for w in english_words("Nova Scotia's coast") if " " in w)
    ['Nova Scotia']

    A run longer than three words gives every run of two and three inside it
    (a first cut of three words used to hide the name after it):

    >>> sorted(w for w in english_words("House Speaker Nora Belmont said") if " " in w)
    ['House Speaker', 'House Speaker Nora', 'Nora Belmont', 'Speaker Nora', 'Speaker Nora Belmont']
    """
    words = {w for w in LATIN_WORD.findall(sentence) if len(w) >= MIN_WORD}
    words |= {w[:-2] for w in words if w[-2:] in POSSESSIVE and len(w) - 2 >= MIN_WORD}  # Nadia's -> Nadia
    for m in CAPITAL_RUN.finditer(sentence):
        parts = m.group().split()
        if parts[-1][-2:] in POSSESSIVE:  # Uppsala University's -> Uppsala University, as for one word
            parts[-1] = parts[-1][:-2]
        for n in (2, 3):
            for k in range(len(parts) - n + 1):
                words.add(" ".join(parts[k : k + n]))
    return frozenset(words)


def renders(word: str, form: Form) -> bool:
    """Whether the katakana (or mixed) ``form`` sounds like the English ``word``.

    The answer depends only on the word and on the form's text, glosses and
    whether it has one dictionary lemma (what :func:`compare_latin` reads),
    so it is kept by those: the translations of one source ask the same
    questions again.

    >>> renders("Kenya", _form("ケニア")), renders("Kenya", _form("カメラ"))
    (True, False)
    """
    key = (word, form.text, frozenset(form.glosses), len(form.known) == 1)
    same = _RENDERS.get(key)
    if same is None:
        if len(_RENDERS) >= RENDERS_KEPT:
            _RENDERS.clear()
        kind = "latin-run" if " " in word else "latin"
        same = compare_latin(_form(word, kind=kind), form).same or any(
            compare_latin(_form(_cased_as(word, heard), kind=kind), form).same for heard in english_readings(word)
        )
        _RENDERS[key] = same
    return same


def _cased_as(word: str, reading: str) -> str:
    """``reading`` with the capitals of ``word``'s parts (compare_latin reads short capitalised skeletons as names).

    >>> _cased_as("Uppsala University", "yuppsala university"), _cased_as("maser", "mazer")
    ('Yuppsala University', 'mazer')
    """
    return " ".join(
        r[:1].upper() + r[1:] if w[:1].isupper() else r for w, r in zip(word.split(), reading.split(), strict=False)
    )


RENDERS_KEPT = 1 << 16  # answers of renders() kept (cleared whole when full)
_RENDERS: dict[tuple[str, str, frozenset[str], bool], bool] = {}


def rendered_words(form: Form, words: Mapping[str, frozenset[str]]) -> set[str]:
    """The English words of ``form``'s aligned sentences that it renders.

    :func:`renders` says "same" only on a gloss that spells the word or a
    shared sound skeleton (``compare_latin``), so only words sharing one of
    those are compared (a prefilter that changes no answer, and most of the
    cost with a source).
    """
    keys = phonetic_keys(form.text)
    return plainly_rendered(form, words, keys) | heard_past_gloss(form, words, keys)


def plainly_rendered(form: Form, words: Mapping[str, frozenset[str]], keys: set[str] | None = None) -> set[str]:
    """The words of :func:`rendered_words` that ``form`` renders with its dictionary reading (if any) heard too."""
    keys = phonetic_keys(form.text) if keys is None else keys
    glosses = {_flat(g) for g in form.glosses}
    return {w for w in words.get(form.text, ()) if (keys & heard_keys(w) or _flat(w) in glosses) and renders(w, form)}


def only_past_gloss(t: Form, f: Form, words: Mapping[str, frozenset[str]]) -> tuple[str, str] | None:
    """(word, gloss) when ``t`` renders the words it shares with ``f`` only past its absent dictionary reading.

    The spelling heard as the English word only once UniDic's reading of it is
    set aside (:func:`heard_past_gloss`) is the MT's slip into another word:
    it may move toward ``f``, which renders the word as written, never the
    other way.  None when ``f`` does not render a shared word plainly either.

    >>> w = {"ブリムス": frozenset({"Brimes"}), "ブライムス": frozenset({"Brimes"})}
    >>> only_past_gloss(_form("ブリムス", "ブリムス-Brimms", gloss="brimms"), _form("ブライムス"), w)
    ('Brimes', 'brimms')
    >>> only_past_gloss(_form("ブライムス"), _form("ブリムス", "ブリムス-Brimms", gloss="brimms"), w)
    """
    shared = rendered_words(f, words) & rendered_words(t, words)
    if not shared or plainly_rendered(t, words) & shared:
        return None
    plain = sorted(plainly_rendered(f, words) & shared)
    gloss = sense_absent(t, words)
    return (plain[0], gloss) if plain and gloss else None


def _stems(word: str) -> set[str]:
    """The spellings a gloss may take in the English: lower case, letters only, and without a plural ending.

    >>> sorted(_stems("Cruises")), sorted(_stems("Brime"))
    (['cruis', 'cruise', 'cruises'], ['brime'])
    """
    flat = _flat(word)
    out = {flat} if flat else set()
    if flat.endswith("s") and len(flat) > 3:
        out.add(flat[:-1])
        if flat.endswith("es"):
            out.add(flat[:-2])
    return out


def _kept_per_source(
    words: Mapping[str, frozenset[str]], attr: str, of_sentences: Callable[[tuple[frozenset[str], ...]], frozenset[str]]
) -> frozenset[str]:
    """``of_sentences`` of the source's sentences, kept on a :class:`SourceWords` as ``attr`` (once per document)."""
    kept = getattr(words, attr, None)
    if kept is not None:
        return kept
    sentences = words.english_words if _is_source_words(words) else list(words.values())
    out = of_sentences(tuple(sentences))
    if _is_source_words(words):
        setattr(words, attr, out)
    return out


def _source_stems(words: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """The stems of every word of the English source (once per document for :class:`SourceWords`)."""
    return _kept_per_source(words, "all_stems", _stems_of_sentences)


@lru_cache(maxsize=64)
def _stems_of_sentences(sentences: tuple[frozenset[str], ...]) -> frozenset[str]:
    """:func:`_source_stems` of one source, kept: the translations of one source are cleaned one after another."""
    return frozenset(x for ws in sentences for w in ws if " " not in w for x in _stems(w))


def sense_absent(form: Form, words: Mapping[str, frozenset[str]]) -> str | None:
    """The UniDic gloss of the dictionary word ``form`` when the English source never says it, else None.

    A katakana spelling that UniDic knows as one word (ブリム, glossed *brim*)
    is that word where the English says it; where no sentence of the whole
    source says the gloss (in any case or with a plural ending), the MT has
    written some other word — usually a name — that happens to be spelled like
    it.  Only forms of one dictionary word with a gloss: a word without an
    English gloss (a native word) has no sense to look for.

    >>> w = {"ブリムス": frozenset({"Brims", "band"})}
    >>> sense_absent(_form("ブリムス", "ブリムス-Brimms", gloss="brimms"), w)
    'brimms'
    >>> sense_absent(_form("ブリムス", "ブリムス-Brimms", gloss="brimms"), {"ブリムス": frozenset({"Brimm", "band"})})
    """
    if len(form.known) != 1 or not form.glosses or form.is_latin or form.kind == "mixed":
        return None
    for g in sorted(form.glosses):
        if gloss_said(g, words):
            return None
    return sorted(form.glosses)[0]


MIN_CLIPPING = 3  # an English word this long or longer that begins a gloss may be its clipped form (app: application)


def gloss_said(gloss: str, words: Mapping[str, frozenset[str]]) -> bool:
    """Whether some sentence of the source says a UniDic gloss: the word, its plural, or a clipping of it.

    English clips words (*app* for *application*, *lab* for *laboratory*);
    a source word of ``MIN_CLIPPING`` letters or more that begins the gloss
    counts as saying it.

    >>> w = {"アプリ": frozenset({"app", "Aprilia"})}
    >>> gloss_said("application", w), gloss_said("apples", {"x": frozenset({"Apple"})}), gloss_said("brimm", {"x": frozenset({"Brime"})})
    (True, True, False)
    """
    if _stems(gloss) & _source_stems(words):
        return True
    flat, whole = _flat(gloss), _source_flat(words)
    return any(flat[:n] in whole for n in range(MIN_CLIPPING, len(flat)))


def _source_flat(words: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """Every word of the source, lower case and letters only (the clippings :func:`gloss_said` looks for)."""
    return _kept_per_source(words, "all_flat", _flat_of_sentences)


@lru_cache(maxsize=64)
def _flat_of_sentences(sentences: tuple[frozenset[str], ...]) -> frozenset[str]:
    return frozenset(_flat(w) for ws in sentences for w in ws if " " not in w)


def _dictionary_stems(words: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """Every word of the source cut as the JMdict table's English is cut (:func:`pipeline.align.dictionary.stem`)."""
    return _kept_per_source(words, "all_dictionary_stems", _dictionary_stems_of_sentences)


@lru_cache(maxsize=64)
def _dictionary_stems_of_sentences(sentences: tuple[frozenset[str], ...]) -> frozenset[str]:
    """:func:`_dictionary_stems` of one source, kept as :func:`_stems_of_sentences` is."""
    from pipeline.align.dictionary import stem

    flat = {w.lower() for ws in sentences for w in ws if " " not in w}
    return frozenset({stem(w) for w in flat} | {stem(w[:-1]) for w in flat if w.endswith("s") and len(w) > 3})


def common_slip(form: Form, words: Mapping[str, frozenset[str]]) -> str | None:
    """UniDic's lemma of a common noun standing for a name, when the English never says what the noun means.

    A katakana spelling that UniDic takes for a common noun (サラダ, *salad*,
    written for a name *Sarada*) is that word where the English says it; where no
    sentence of the source says any of its senses (its UniDic gloss, or the
    English of its JMdict entry: :mod:`pipeline.align.dictionary`) and its
    own aligned English holds a capitalised word it renders, the MT may have
    written the name with a common noun's spelling.  Such a spelling, when it
    is also a look-alike of a spelling of the name (:func:`look_alike`: folded
    alike or one kana apart), may join the name's group and be rewritten into
    that spelling; it is never the spelling a name takes
    (:func:`.canonical.closest_to_source` leaves it out of a tie).
    Needs a sense to look for: a noun neither UniDic nor the JMdict table
    translates is left as it is (None).
    """
    if form.is_latin or form.kind != "kana" or len(form.tokens) != 1:
        return None
    tok = form.tokens[0]
    if "普通名詞" not in tok.pos or not tok.reading or len(form.known) != 1:
        return None
    from pipeline.align.dictionary import gloss_stems, load_table

    lemma = tok.lemma.split("-", 1)[0]
    table = load_table()
    senses = (
        set(gloss_stems(lemma)) if lemma in table else set(gloss_stems(tok.surface)) if tok.surface in table else set()
    )
    glosses = {g for g in form.glosses if g}
    if not senses and not glosses:
        return None
    if senses & _dictionary_stems(words) or any(gloss_said(g, words) for g in glosses):
        return None
    if not any(w[:1].isupper() for w in rendered_words(form, words)):
        return None
    return lemma


def heard_past_gloss(form: Form, words: Mapping[str, frozenset[str]], keys: set[str] | None = None) -> set[str]:
    """Capitalised words of ``form``'s aligned English it sounds like once its absent dictionary sense is set aside.

    :func:`renders` never hears a name in a dictionary word glossed as something
    else (ブリム, *brim*, is no *Brime*).  When the English source never says
    that gloss (:func:`sense_absent`), the dictionary's reading is not evidence
    any more, and the spelling renders a capitalised word of its own aligned
    English by sound alone, as an unknown spelling would.

    >>> w = {"ブリムス": frozenset({"Brimes", "band"})}
    >>> heard_past_gloss(_form("ブリムス", "ブリムス-Brimms", gloss="brimms"), w)
    {'Brimes'}
    >>> heard_past_gloss(_form("ブリムス", "ブリムス-Brimms", gloss="brimms"), {"ブリムス": frozenset({"Brimes", "Brimms"})})
    set()
    """
    if sense_absent(form, words) is None:
        return set()
    keys = phonetic_keys(form.text) if keys is None else keys
    bare = Form(form.text, form.kind, tokens=form.tokens)  # the spelling without the dictionary's reading
    return {w for w in words.get(form.text, ()) if w[:1].isupper() and keys & heard_keys(w) and renders(w, bare)}


@lru_cache(maxsize=1 << 16)
def _flat(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def alike(a: str, b: str) -> bool:
    """Two English words that are one word spelled two ways (Marrakesh / Marakesh), or one inside the other.

    >>> alike("Marrakesh", "Marakesh"), alike("Hawks", "Hawk"), alike("Transformers", "transphobia")
    (True, True, False)
    """
    from rapidfuzz.fuzz import ratio

    a, b = a.lower(), b.lower()
    return a in b or b in a or ratio(a, b) >= SAME_WORD


MIN_SPELLED_TWICE = 5  # shorter capitalised words one letter apart are more often two names (Jan / Joan)


def spelled_twice(a: str, b: str) -> bool:
    """Two capitalised English words that are one name the English spells two ways (Rajasthan / Rajastan).

    One letter inserted inside the word (not first or last: Hawk / Hawks,
    Gustav / Gustava are other words), or a doubled letter written once
    (Marrakesh / Marakesh); both at least ``MIN_SPELLED_TWICE`` letters and
    one word each.  A changed letter is not a spelling (Tanya / Tonya,
    Molina / Medina).

    >>> spelled_twice("Rajasthan", "Rajastan"), spelled_twice("Marrakesh", "Marakesh")
    (True, True)
    >>> spelled_twice("Gustav", "Gustava"), spelled_twice("Tanya", "Tonya"), spelled_twice("rajasthan", "rajastan")
    (False, False, False)
    """
    if a == b or " " in a or " " in b or not (a[:1].isupper() and b[:1].isupper()):
        return False
    short, long = sorted((a, b), key=len)
    if len(short) < MIN_SPELLED_TWICE or len(long) != len(short) + 1:
        return False
    return any(long[:i] + long[i + 1 :] == short for i in range(1, len(long) - 1))  # the letter is inside


def _dictionary_word(form: Form, candidates: set[str], shared: set[str]) -> str | None:
    """A word of ``candidates`` that ``form``'s UniDic gloss spells and that is no spelling of a ``shared`` word."""
    glosses = {_flat(g) for g in form.glosses}
    for w in sorted(candidates):
        if _flat(w) in glosses and not any(alike(w, s) for s in shared):
            return w
    return None


def _spelled_twice_in(mine: set[str], theirs: set[str]) -> tuple[str, str] | None:
    """A word of each set, one name spelled two ways (the first in sorted order), or None."""
    for a in sorted(mine):
        for b in sorted(theirs):
            if spelled_twice(a, b):
                return a, b
    return None


STANDS_FOR = 70  # heard romaji similarity (0-100) from which a spelling that renders nothing may stand for a word
MIN_STAND_IN_KEY = 3  # folded keys of fewer kana are too short for one kana of difference to be a slip


def _one_apart(f: Form, t: Form) -> bool:
    """Whether two spellings are one kana apart: folded keys, or the texts without ー (マドン / マドゥー)."""
    from rapidfuzz.distance import Levenshtein

    if f.key == t.key:
        return False
    if Levenshtein.distance(f.key, t.key, score_cutoff=1) <= 1:
        return True
    a, b = f.text.replace("ー", ""), t.text.replace("ー", "")
    return a != b and Levenshtein.distance(a, b, score_cutoff=1) <= 1


def look_alike(f: Form, g: Form) -> bool:
    """Two spellings equal once folded (サラダ / サラーダ) or one kana apart (:func:`_one_apart`)."""
    return f.key == g.key or _one_apart(f, g)


def stand_in_word(f: Form, t: Form, words: Mapping[str, frozenset[str]]) -> str | None:
    """The English word ``f`` stands for though it renders no word of its aligned English, or None.

    A machine translation drops or changes a sound (アッシュラン for *Ashland*,
    マドン inside *Sri Madu Sabha*); the matcher then hears nothing in
    that spelling.  It stands for the word ``w`` when: ``f`` renders no word
    of its own aligned sentences; those sentences hold ``w``; ``t`` renders
    ``w``; the two spellings are one kana apart (folded keys, or the texts
    without ー), each key of ``MIN_STAND_IN_KEY`` kana or more, with the same
    name parts, not a plural pair; ``f`` is no dictionary word of its own; and
    ``f``'s romaji is still close to ``w`` as katakana hears it (``STANDS_FOR``),
    and closer to it than to any other word of its English (ヴェルタニスト in a
    sentence holding *Veltanist* and *Veltan* stands for Veltanist, which no
    spelling renders: nothing is rewritten).
    Only ``f`` toward ``t``: the spelling that renders the word is never
    rewritten into the one that does not.

    >>> stand_in_word(_form("アッシュラン"), _form("アッシュランド"), {"アッシュラン": frozenset({"Ashland"}), "アッシュランド": frozenset({"Ashland"})})
    'Ashland'
    >>> stand_in_word(_form("アッシュランド"), _form("アッシュラン"), {"アッシュラン": frozenset({"Ashland"}), "アッシュランド": frozenset({"Ashland"})})
    """
    from pipeline.stages.variants.canonical import heard_similarity

    if f.is_latin or t.is_latin or f.kind == "mixed" or t.kind == "mixed" or (len(f.tokens) == 1 and f.known):
        return None
    if min(len(f.key), len(t.key)) < MIN_STAND_IN_KEY or is_plural_pair(f.key, t.key):
        return None
    if len(_name_parts(f.text)) != len(_name_parts(t.text)):
        return None
    if not _one_apart(f, t) or rendered_words(f, words):
        return None
    own = set(words.get(f.text, ()))
    candidates = rendered_words(t, words) & own
    for w in sorted(candidates, key=lambda w: (-len(w), w.isupper(), w)):  # Ashland before ASHLAND
        score = heard_similarity((w,), f.text)
        if score < STANDS_FOR:
            continue
        # the word of its own English it is closest to: ヴェルタニスト beside "Veltanist" and "Veltan" is Veltanist
        if any(heard_similarity((o,), f.text) > score for o in own if " " not in o and o.lower() != w.lower()):
            return None
        return w
    return None


def own_english_word(t: Form, f: Form, words: Mapping[str, frozenset[str]]) -> str | None:
    """A capitalised English word that ``f`` and ``t`` both render and that ``t``'s UniDic gloss spells, or None.

    A name never takes a common noun's spelling (ノース *North* / ノーズ
    *nose*), unless the common noun is that very English word: ヨガ,
    which UniDic glosses *yoga*, beside a ヨーガ tagged as a name, both
    rendering "Yoga" of their aligned English.

    >>> w = {"ヨガ": frozenset({"Yoga"}), "ヨーガ": frozenset({"Yoga"})}
    >>> own_english_word(_form("ヨガ", "ヨーガ-yoga", gloss="yoga"), _form("ヨーガ"), w)
    'Yoga'
    >>> own_english_word(_form("ノーズ", "ノーズ-nose", gloss="nose"), _form("ノース"), {"ノーズ": frozenset({"North"}), "ノース": frozenset({"North"})})
    """
    if not words or f.is_latin or t.is_latin:
        return None
    glosses = {_flat(g) for g in t.glosses}
    shared = rendered_words(f, words) & rendered_words(t, words)
    for w in sorted(shared, key=lambda w: (-len(w), w)):
        if w[:1].isupper() and _flat(w) in glosses:
            return w
    return None


def _is_plural_of(plural: str, singular: str) -> bool:
    """Whether folded key ``plural`` is ``singular`` with an English plural ending (s/z added, t becoming ts)."""
    if plural == singular + "ス":
        return True
    return (
        len(plural) == len(singular) >= 2
        and plural[:-1] == singular[:-1]
        and plural[-1] == "ツ"
        and singular[-1] in "トド"
    )


def _singulars(word: str) -> set[str]:
    """The singular spellings an English plural may have, lower case (Badgers: badger; Boxes: boxe, box)."""
    low = word.lower()
    return {low[:-1], low[:-2]} if low.endswith("es") else {low[:-1]}


def plural_word(f: Form, t: Form, words: Mapping[str, frozenset[str]]) -> str | None:
    """The English plural name the singular spelling ``f`` stands for, which its plural ``t`` renders, or None.

    A plural aligned to an English plural keeps its plural; the singular
    beside it (バジャー for *the Badgers*) is the plural name with the
    ending lost when ``t`` is ``f`` plus the plural ending, ``t`` renders a
    capitalised English plural ``w`` (ending in s), ``f``'s aligned sentences
    hold ``w`` and never its singular, and ``f`` renders no word there (ベルサイユ,
    which renders *Versailles* itself, is no singular of a plural ベルサイユス: a plural is
    never made singular, even where the English word only ends in s).
    Only ``f`` toward ``t``: a plural is never made singular.

    >>> w = {"ボルター": frozenset({"Bolters"}), "ボルターズ": frozenset({"Bolters"})}
    >>> plural_word(_form("ボルター"), _form("ボルターズ"), w), plural_word(_form("ボルターズ"), _form("ボルター"), w)
    ('Bolters', None)
    >>> plural_word(_form("ボルター"), _form("ボルターズ"), {**w, "ボルター": frozenset({"Bolters", "bolter"})})
    """
    if f.is_latin or t.is_latin or f.kind == "mixed" or t.kind == "mixed" or not _is_plural_of(t.key, f.key):
        return None
    own = set(words.get(f.text, ()))
    lowered = {o.lower() for o in own}
    mine = rendered_words(f, words)
    for w in sorted(rendered_words(t, words) & own, key=lambda w: (-len(w), w)):
        if not (w[:1].isupper() and w[-1:] in "sS" and len(w) >= 4) or _singulars(w) & lowered:
            continue
        if mine:  # the singular renders words of its own (ベルサイユ renders "Versailles" itself): no plural lost there
            return None
        return w
    return None


def _where_said(words: object, word: str, text: str) -> str:
    """ " (English sentences …)" where ``text`` stands and the English says ``word``, or "" when unknown."""
    where = in_sentences(words.sentences_of(word, text)) if _is_source_words(words) else ""
    return f" ({where})" if where else ""


def source_verdict(f: Form, t: Form, words: Mapping[str, frozenset[str]]) -> Verdict | None:
    """Rewrite evidence (both render one English word of their aligned sentences), a veto, or None.

    A veto is a Verdict that is not ``same``: each form renders English words
    of its own sentences and they share none.
    """
    if not words or f.is_latin or t.is_latin:
        return None
    mine, theirs = rendered_words(f, words), rendered_words(t, words)
    shared = mine & theirs
    for form, own, other in ((f, mine, theirs), (t, theirs, mine)):
        common = _dictionary_word(form, own - other, shared)
        if shared and common:  # ビザ beside "visa" in its own English is the visa, not a name Bisa spelled so
            return Verdict(False, f'{form.text} renders "{common}", its dictionary word, in the aligned English')
    if shared:
        word = max(shared, key=len)
        return Verdict(True, f'both render "{word}" {where_rendered(words, word, f.text, t.text)}', BILINGUAL)
    twice = _spelled_twice_in(mine, theirs)
    if twice:
        a, b = twice
        return Verdict(
            True,
            f'{f.text} renders "{a}" {where_rendered(words, a, f.text)} and {t.text} renders "{b}" '
            f"{where_rendered(words, b, t.text)}, one name the English spells two ways",
            BILINGUAL,
        )
    plural = plural_word(f, t, words)
    if plural:
        return Verdict(
            True,
            f"{f.text} stands where the aligned English{_where_said(words, plural, f.text)} says the plural "
            f'"{plural}", never its singular; {t.text} renders it',
            BILINGUAL,
        )
    if not mine and theirs:
        stand_in = stand_in_word(f, t, words)
        if stand_in:
            return Verdict(
                True,
                f'{f.text} stands where the aligned English{_where_said(words, stand_in, f.text)} says "{stand_in}" '
                f"and renders no word of it; {t.text} renders it and is one kana away",
                BILINGUAL,
            )
    if mine and theirs and not any(alike(a, b) for a in mine for b in theirs):
        a, b = max(mine, key=len), max(theirs, key=len)
        return Verdict(False, f'{f.text} renders "{a}" and {t.text} renders "{b}" in the aligned English')
    return None


# ----------------------------------------------------------------------------
# groups joined on the source (issue 14): spellings beyond the alternations table


def join_by_source(doc: Document, clusters: list[Cluster], words: SourceWords | None = None) -> list[Cluster]:
    """Join groups whose spellings render one English word of their aligned sentences.

    ``cluster_forms`` groups spellings only when they look alike; MT spells a
    name beyond that (トラニー / トラニエ for one English name, ケラー / ケール).
    With an English source, two groups are joined when a katakana form of
    each renders the same English word of the sentences its mentions are
    aligned to (:func:`renders`), and no pair across them objects
    (:func:`_objection`: a veto of :func:`source_verdict`, a plural, a
    name part more, a longer word (only one kana added at the end is a
    spelling), two different dictionary words, a Latin spelling that is not
    the word).  Joining only groups forms for the
    decisions: each rewrite still needs evidence against its target
    (:func:`source_verdict` names the word and the sentences), and a name
    never takes a common noun's spelling there.  Without an alignment the
    clusters come back untouched (the same list).  ``words``: :func:`source_words`
    of (at least) the clusters' forms, when the caller has them already.
    """
    if "alignment" not in doc.annotations:
        return clusters
    kana = [f for c in clusters for f in c.forms if not f.is_latin and f.kind != "mixed"]
    if words is None:
        words = source_words(doc, kana)
    if not words:
        return clusters
    rendered = _all_rendered(kana, words)
    by_word: dict[str, list[int]] = {}
    for ci, c in enumerate(clusters):
        if any(f.kind == "mixed" for f in c.forms):
            continue  # mixed partial transliterations keep their own groups (cluster_forms does too)
        for w in sorted({w for f in c.forms for w in rendered.get(f.text, ())}):
            by_word.setdefault(w, []).append(ci)
    _join_stand_ins(clusters, kana, rendered, words, by_word)
    _join_spelled_twice(by_word)
    into: dict[int, int] = {}  # absorbed cluster -> the cluster it joined

    def root(i: int) -> int:
        while i in into:
            i = into[i]
        return i

    for w in sorted(by_word, key=lambda w: (-len(w), w)):  # the longest (most specific) words first
        roots = sorted({root(i) for i in by_word[w]}, key=lambda i: (-clusters[i].total, clusters[i].forms[0].first))
        if len(roots) < 2:
            continue
        head = roots[0]
        for other in roots[1:]:
            a, b = clusters[head], clusters[other]
            if any(_objection(f, g, w, words) for f in a.forms for g in b.forms):
                continue
            renderer = next((f for f in a.forms if w in rendered.get(f.text, ())), None)
            how = f"as {renderer.text} does" if renderer else "which the English also spells another way"
            for g in b.forms:
                a.why[g.text] = b.why.get(g.text) or f'renders "{w}" of the aligned English, {how}'
            a.forms.extend(b.forms)
            into[other] = head
    if not into:
        return clusters
    return [c for i, c in enumerate(clusters) if i not in into]


def _join_stand_ins(
    clusters: list[Cluster],
    kana: list[Form],
    rendered: dict[str, set[str]],
    words: Mapping[str, frozenset[str]],
    by_word: dict[str, list[int]],
) -> None:
    """Add to each English word the groups of spellings that stand for it, in place.

    A spelling stands for a word when it renders nothing itself: a slip of one
    sound (:func:`stand_in_word`) or a singular that lost its plural
    (:func:`plural_word`).  Both need the two keys one kana apart (a plural
    ending is one), which is checked first: most spellings render a word or
    have no such neighbour, and cost nothing more.
    """
    cluster_of = {id(f): ci for ci, c in enumerate(clusters) for f in c.forms}
    renderers: dict[str, list[Form]] = {}
    for f in kana:
        for w in rendered.get(f.text, ()):
            renderers.setdefault(w, []).append(f)
    if not renderers:
        return
    for f in kana:
        if rendered.get(f.text) or id(f) not in cluster_of or len(f.key) < 2:
            continue
        n = len(f.key)
        mine = words.get(f.text, ())
        for w in sorted([w for w in renderers if w in mine]):  # (few words are rendered: test those)
            if w not in by_word:
                continue
            near = [
                t
                for t in renderers[w]
                if t is not f and abs(len(t.key) - n) <= 2 and (_is_plural_of(t.key, f.key) or _one_apart(f, t))
            ]
            if any(w in (stand_in_word(f, t, words), plural_word(f, t, words)) for t in near):
                ci = cluster_of[id(f)]
                if ci not in by_word[w]:
                    by_word[w].append(ci)


def _join_spelled_twice(by_word: dict[str, list[int]]) -> None:
    """Add to each English word the groups rendering another spelling of it (Rajasthan / Rajastan), in place."""
    # only one-word capitalised words of MIN_SPELLED_TWICE letters or more can be spelled twice (the same pairs
    # in the same order as over every word, without asking of the others)
    names = [w for w in sorted(by_word) if len(w) >= MIN_SPELLED_TWICE and w[:1].isupper() and " " not in w]
    for a in names:
        for b in names:
            if a < b and abs(len(a) - len(b)) == 1 and spelled_twice(a, b):
                both = sorted(set(by_word[a]) | set(by_word[b]))
                by_word[a], by_word[b] = both, list(both)


def _all_rendered(forms: list[Form], words: Mapping[str, frozenset[str]]) -> dict[str, set[str]]:
    """:func:`rendered_words` of every form, with the English words indexed by sound skeleton once."""
    index, every = {}, _NO_WORDS
    if isinstance(words, SourceWords):
        source = tuple(words.english_words)
        if _seen_before(source):  # a source cleaned with one translation only: the index would cost more
            index, every = _heard_index(source)
    if every and all(words.get(f.text, _NO_WORDS) <= every for f in forms):
        # every word of the source indexed once (the translations of one source share it); a form's words are
        # some of them, so the candidates are the same
        done: dict[str, set[str]] = {}
        for f in forms:
            mine = words.get(f.text)
            candidates: set[str] = set()
            if mine:
                for k in phonetic_keys(f.text):
                    hit = index.get(k)
                    if hit:
                        candidates |= hit & mine
                for g in f.glosses:
                    hit = index.get("g" + _flat(g))
                    if hit:
                        candidates |= hit & mine
            done[f.text] = ({w for w in candidates if renders(w, f)} if candidates else set()) | heard_past_gloss(
                f, words
            )
        return done
    probes_of = {f.text: (*phonetic_keys(f.text), *("g" + _flat(g) for g in f.glosses)) for f in forms}
    wanted = {k for probes in probes_of.values() for k in probes}  # only keys some form asks for are indexed
    by_key: dict[str, set[str]] = {}
    for w in {w for f in forms for w in words.get(f.text, ())}:
        for k in heard_keys(w) & wanted:
            by_key.setdefault(k, set()).add(w)
        g = "g" + _flat(w)
        if g in wanted:
            by_key.setdefault(g, set()).add(w)
    out: dict[str, set[str]] = {}
    for f in forms:
        mine = words.get(f.text, frozenset())
        candidates = {w for k in probes_of[f.text] for w in by_key.get(k, ()) if w in mine}
        out[f.text] = {w for w in candidates if renders(w, f)} | heard_past_gloss(f, words)
    return out


_NO_WORDS: frozenset[str] = frozenset()


_SEEN: dict[tuple[frozenset[str], ...], None] = {}  # the last sources _all_rendered was asked about, oldest first
_SEEN_MAX = 16


def _seen_before(source: tuple[frozenset[str], ...]) -> bool:
    """Whether _all_rendered met this source (its sentences' words) lately; remembers it.

    The index of a source's words (:func:`_heard_index`) pays when the source comes back with another
    translation (the dev sets hold 13-16 of each); built for a source cleaned once, it costs several times
    what the forms' own words cost (the way without the index, same candidates)."""
    if source in _SEEN:
        return True
    _SEEN[source] = None
    if len(_SEEN) > _SEEN_MAX:
        del _SEEN[next(iter(_SEEN))]
    return False


def clear_source_caches() -> None:
    """Forget the sources seen and their indexes (benchmarks: the cost when no source recurs)."""
    _SEEN.clear()
    _heard_index.cache_clear()


@lru_cache(maxsize=16)  # one English source is cleaned with several translations (dev sets: 14-16 in a row)
def _heard_index(english_words: tuple[frozenset[str], ...]) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """Every word of the English sentences by each key :func:`_all_rendered` probes with (its :func:`heard_keys`
    and ``g`` + :func:`_flat`), and all the words (shared values: callers must not change them)."""
    every = frozenset().union(*english_words)
    index: dict[str, set[str]] = {}
    for w in every:
        for k in heard_keys(w):
            index.setdefault(k, set()).add(w)
        index.setdefault("g" + _flat(w), set()).add(w)
    return {k: frozenset(v) for k, v in index.items()}, every


def _objection(f: Form, g: Form, word: str, words: Mapping[str, frozenset[str]]) -> bool:
    """Whether two forms of two groups about to be joined on ``word`` must stay apart."""
    if f.is_latin or g.is_latin:
        latin = f if f.is_latin else g
        return not alike(latin.text, word)  # a Latin spelling of the article joins only as the word itself
    verdict = source_verdict(f, g, words)
    if verdict is not None and not verdict.same:
        return True  # each renders another English word of its own sentences
    ka, kb = f.key, g.key
    if is_plural_pair(ka, kb):
        # Badgers / Badger: the plural is kept when the English is plural, and its singular joins it
        # only where the English says the plural and never the singular (plural_word)
        return not (plural_word(f, g, words) or plural_word(g, f, words))
    if len(_name_parts(f.text)) != len(_name_parts(g.text)):
        return True  # one adds a name part (オー・メディア / メディア): another name
    short, long = sorted((ka, kb), key=len)
    if short != long and short in long and not (long.startswith(short) and len(long) == len(short) + 1):
        return True  # a longer word: only one kana added at the end is a spelling (トラニー / トラニエ)
    if not (f.known and g.known) or f.known & g.known:
        return False
    if (common_slip(f, words) or common_slip(g, words)) and look_alike(f, g):
        return False  # a common noun the English never says, a look-alike of the name's spelling: no second word
    # two different words of the dictionary: two common nouns, or two entries for one English
    # word (ホランド / オランダ, both Holland: the English name and the Japanese one); two names
    # with other glosses may be the MT's misspelling (a Willa written for a Wyla)
    names = any(is_proper(t) for t in f.tokens) and any(is_proper(t) for t in g.tokens)
    return not names or bool(_glosses(f.known) & _glosses(g.known))


def _glosses(lemmas: set[str]) -> set[str]:
    """The English glosses of UniDic lemmas (``インド-India`` -> ``india``)."""
    return {lemma.split("-", 1)[1].lower() for lemma in lemmas if "-" in lemma}

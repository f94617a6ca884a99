"""Evidence: what a variant rewrite needs besides two spellings looking alike.

Two spellings may be grouped because they look alike, but a group's
spellings are rewritten only on one of these kinds of evidence, which the
edit's reason names:

* ``orthographic`` — equal once the alternations table is folded (ー, small
  kana, ッ, ヴ/ブ, ティ/チ, エイ/エー, ・ between name parts ...);
* ``dictionary`` — UniDic gives both surfaces as spellings of one lemma with
  the same part of speech, each one word, neither a plural or a longer word
  of the other, and their folded keys one kana apart at most
  (ウォッシャー / ワッシャー, washer fluid against a hardware washer, is two);
* ``bilingual`` — both forms render one Latin spelling of the article
  (a UniDic gloss or the same sound skeleton), or a mixed form
  (ノヴァAI) renders the Latin one (NovaAI); or, with an English source, both
  render one English word of their aligned sentences (:mod:`.source`, which
  also vetoes a pair whose forms render different English words);
* ``lexicon`` — the user's list.

``similar`` (edit distance, a kana written twice, one vowel a/u) groups
spellings for review and earns a flag, never an edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.document import Token

ORTHOGRAPHIC = "orthographic"
DICTIONARY = "dictionary"
BILINGUAL = "bilingual"
LEXICON = "lexicon"
SIMILAR = "similar"

# the kinds of evidence on which a spelling is rewritten; the rest earn a flag
REWRITE_EVIDENCE = frozenset({ORTHOGRAPHIC, DICTIONARY, BILINGUAL, LEXICON})

# the why of a SIMILAR verdict that no other evidence may override (ムーズ the surname / ムース mousse)
NAME_AND_WORD = "a name and a common word fold alike"

# what each kind says in an edit's reason
EVIDENCE_WORDS = {
    ORTHOGRAPHIC: "orthographic evidence",
    DICTIONARY: "dictionary evidence",
    BILINGUAL: "bilingual evidence",
    LEXICON: "lexicon evidence",
    SIMILAR: "similar spelling only",
}

# a weaker kind of evidence spoils a stronger one when several are combined
_STRENGTH = {LEXICON: 4, ORTHOGRAPHIC: 3, DICTIONARY: 2, BILINGUAL: 1, SIMILAR: 0, "": -1}


@dataclass(frozen=True)
class Verdict:
    """Whether two spellings are one word, why, and the kind of evidence (see the module doc)."""

    same: bool
    why: str
    evidence: str = ""


def weakest(kinds: list[str]) -> str:
    """The weakest of several kinds of evidence (a joined name is as sure as its least sure part).

    >>> weakest([ORTHOGRAPHIC, SIMILAR]), weakest([ORTHOGRAPHIC, DICTIONARY]), weakest([])
    ('similar', 'dictionary', 'orthographic')
    """
    return min(kinds, key=_STRENGTH.__getitem__) if kinds else ORTHOGRAPHIC


def allows_rewrite(evidence: str) -> bool:
    """Whether a kind of evidence is enough for an edit (else: a flag).

    >>> allows_rewrite(ORTHOGRAPHIC), allows_rewrite(SIMILAR), allows_rewrite("")
    (True, False, False)
    """
    return evidence in REWRITE_EVIDENCE


def _pos_head(pos: str) -> str:
    """The first three fields of a UniDic part of speech (名詞-固有名詞-人名)."""
    return "-".join(pos.split("-")[:3])


def is_proper(t: Token) -> bool:
    return "固有名詞" in t.pos


def dictionary_objection(ta: Token, tb: Token, key_a: str, key_b: str, distance: int) -> str:
    """Why one shared UniDic lemma is no evidence for two one-token spellings ("" when it is).

    >>> t = lambda s, p="名詞-普通名詞-一般": Token(0, len(s), s, "ワッシャー-washer", p, s)
    >>> dictionary_objection(t("ウォッシャー"), t("ワッシャー"), "ウオシヤ", "ワシヤ", 2)
    'spellings too far apart for one word (2 kana)'
    >>> dictionary_objection(t("ガリバー", "名詞-固有名詞-一般"), t("ガリヴァー"), "ガリバ", "ガリバ", 0)
    'different parts of speech (名詞-固有名詞-一般 / 名詞-普通名詞-一般)'
    >>> dictionary_objection(t("ジャイアンツ"), t("ジャイアント"), "ジャイアンツ", "ジャイアント", 1)
    'one is a plural of the other (ジャイアンツ / ジャイアント)'
    >>> dictionary_objection(t("タイガース"), t("タイガー"), "タイガス", "タイガ", 1)
    'one is a plural of the other (タイガース / タイガー)'
    >>> dictionary_objection(t("ヴァイオリン"), t("バイオリン"), "バイオリン", "バイオリン", 0)
    ''
    """
    if _pos_head(ta.pos) != _pos_head(tb.pos):
        return f"different parts of speech ({_pos_head(ta.pos)} / {_pos_head(tb.pos)})"
    if is_plural_pair(key_a, key_b):
        return f"one is a plural of the other ({ta.surface} / {tb.surface})"
    if key_a != key_b and (key_a.startswith(key_b) or key_b.startswith(key_a)):
        return f"one adds a longer ending ({ta.surface} / {tb.surface})"
    if distance > 1:
        return f"spellings too far apart for one word ({distance} kana)"
    return ""


def is_plural_pair(key_a: str, key_b: str) -> bool:
    """Whether one folded key is the other with an English plural ending (s/z added, t becoming ts).

    >>> is_plural_pair("バジャス", "バジャ"), is_plural_pair("ジャイアント", "ジャイアンツ"), is_plural_pair("ジョンス", "ジョンス")
    (True, True, False)
    """
    for x, y in ((key_a, key_b), (key_b, key_a)):
        if x == y + "ス":
            return True
        if len(x) == len(y) >= 2 and x[:-1] == y[:-1] and x[-1] == "ツ" and y[-1] in "トド":
            return True
    return False


def takes_common_spelling(proper_tokens: tuple[Token, ...], target_tokens: tuple[Token, ...]) -> bool:
    """Whether rewriting would give a proper-noun mention a common noun's spelling.

    A name is not a spelling of a common noun: a surname with ヴァ never becomes
    the バ of a golf term.
    """
    if not proper_tokens or not target_tokens:
        return False
    named = any(is_proper(t) for t in proper_tokens)
    common = len(target_tokens) == 1 and bool(target_tokens[0].reading) and "普通名詞" in target_tokens[0].pos
    return named and common

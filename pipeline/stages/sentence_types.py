"""Sentence types for the dedup stage: speech act, tense and polarity of the final predicate.

Two sentences that say nearly the same words can be different sentences: a
request and the follow-up question (…お試しいただけますでしょうか。 /
…お試しいただけましたでしょうか？), a promise and its report (…送ります。 /
…送りました。), a statement and its negation.  The dedup stage removes a
near-duplicate or a fragment only when both sentences have the same type.

The type is read from the **final predicate**: the last content word of the
sentence and the auxiliaries, particles and endings after it.  The rows of
``pipeline/data/dedup_sentence_types.tsv`` (one comment each) say which tokens
make a request, a question, the past or a negation.

>>> from pipeline.document import Token
>>> t = lambda s, lemma, pos: Token(0, 0, s, lemma, pos, "")
>>> ask = [t("試し", "試す", "動詞-一般"), t("いただけ", "頂く", "動詞-非自立可能"), t("ます", "ます", "助動詞"),
...        t("でしょう", "です", "助動詞"), t("か", "か", "助詞-終助詞"), t("。", "。", "補助記号-句点")]
>>> type_of(ask, "お試しいただけますでしょうか。")
('request', 'nonpast', 'positive')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.document import Token
from pipeline.tables import tsv_rows

FEATURES = ("act", "tense", "polarity")
_TRAILING = " \t\u3000」』”）)】。．.！!…"  # stripped before an `end` row is matched (? stays)
_SKIP_POS = ("補助記号", "空白", "記号")
# a token of these POS, unless 非自立可能 (auxiliary-like: し, いる, いただけ), is the head of the predicate
_HEAD_POS = ("名詞", "動詞", "形容詞", "形状詞", "副詞", "代名詞", "感動詞")


@dataclass(frozen=True)
class TypeRule:
    feature: str
    value: str
    match: str  # lemma | surface | end | default
    string: str
    why: str


@lru_cache(maxsize=1)
def load_type_rules() -> tuple[TypeRule, ...]:
    """The rows of ``pipeline/data/dedup_sentence_types.tsv``."""
    rows = []
    for fields in tsv_rows("dedup_sentence_types.tsv"):
        feature, value, match, string, why = (fields + [""] * 5)[:5]
        if feature not in FEATURES or match not in ("lemma", "surface", "end", "default"):
            raise ValueError(f"dedup_sentence_types.tsv: bad row {chr(9).join(fields)!r}")
        rows.append(TypeRule(feature, value, match, string, why.lstrip("# ")))
    return tuple(rows)


def final_predicate(tokens: Sequence[Token]) -> list[Token]:
    """The last content word and what follows it (punctuation left out).

    >>> from pipeline.document import Token
    >>> t = lambda s, pos: Token(0, 0, s, s, pos, "")
    >>> [x.surface for x in final_predicate([t("確認", "名詞-普通名詞"), t("し", "動詞-非自立可能"), t("た", "助動詞"), t("。", "補助記号-句点")])]
    ['確認', 'し', 'た']
    """
    words = [t for t in tokens if not t.pos.startswith(_SKIP_POS)]
    for i in range(len(words) - 1, -1, -1):
        pos = words[i].pos
        if pos.startswith(_HEAD_POS) and "非自立可能" not in pos:
            return words[i:]
    return words


def type_of(tokens: Sequence[Token], text: str) -> tuple[str, ...]:
    """(act, tense, polarity) of a sentence from its tokens and its text."""
    rules = load_type_rules()
    tail = final_predicate(tokens)
    lemmas = {t.lemma for t in tail}
    surfaces = {t.surface for t in tail}
    stripped = text.rstrip(_TRAILING)
    out = []
    for feature in FEATURES:
        value = ""
        default = ""
        for r in rules:
            if r.feature != feature:
                continue
            if r.match == "default":
                default = default or r.value
            elif (
                (r.match == "lemma" and r.string in lemmas)
                or (r.match == "surface" and r.string in surfaces)
                or (r.match == "end" and stripped.endswith(r.string))
            ):
                value = r.value
                break
        out.append(value or default)
    return tuple(out)


def describe_difference(a: tuple[str, ...], b: tuple[str, ...]) -> str:
    """Why two types differ ("" when they do not): ``request vs question``.

    >>> describe_difference(("request", "nonpast", "positive"), ("request", "past", "positive"))
    'sentence types differ (tense: nonpast vs past)'
    """
    parts = [f"{f}: {x} vs {y}" for f, x, y in zip(FEATURES[: len(a)], a, b, strict=True) if x != y]
    return f"sentence types differ ({'; '.join(parts)})" if parts else ""

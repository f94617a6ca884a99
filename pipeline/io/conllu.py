"""CoNLL-U output: one block per sentence of the cleaned text.

Built from an annotation record (:func:`pipeline.io.annotations.document_record`),
so it can also be made later from an ``.ann.jsonl`` file of either schema
(tokens as rows or as columns: :func:`~pipeline.io.annotations.token_tuples`).  Columns:

* ``FORM`` the token as it reads in the cleaned text, ``LEMMA`` UniDic's lemma
  without its English gloss (``ゲート-gate`` -> ``ゲート``);
* ``UPOS`` from UniDic's POS where the correspondence is standard (table
  below), ``_`` where it depends on context;
* ``XPOS`` UniDic's full POS (``名詞-普通名詞-一般``);
* ``FEATS``, ``HEAD``, ``DEPREL``, ``DEPS``: ``_`` (no parser here);
* ``MISC``: ``SpaceAfter=No`` (or ``SpacesAfter=`` for other gaps) so the
  forms rebuild ``# text``; ``Reading=`` the kana; ``OrigStart=``/``OrigEnd=``
  the token's character offsets in the **original** text.

Each document starts with ``# newdoc id = ID``; each sentence has
``# sent_id = ID-N`` (N is the sentence's index in the original, from 1, so
ids stay stable when earlier sentences are removed) and ``# text = ...``.
Whitespace tokens (UniDic ``空白``) are not words: they become the gap after
the previous token.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pipeline.io.annotations import token_tuples

# UniDic POS prefix -> UPOS.  The longest matching prefix wins.  Rows follow
# the UD Japanese treebanks' conversion (GSD/BCCWJ) where it is a fixed
# correspondence; None marks classes whose UPOS depends on context.
UPOS_TABLE: tuple[tuple[str, str | None], ...] = (
    ("名詞-普通名詞", "NOUN"),  # common noun, incl. サ変可能 and 形状詞可能 (UD keeps NOUN)
    ("名詞-固有名詞", "PROPN"),  # proper noun: person, place, organisation
    ("名詞-数詞", "NUM"),  # numerals, incl. 一 二 百
    ("名詞-助動詞語幹", "AUX"),  # そう in そうだ
    ("代名詞", "PRON"),  # pronouns: 私, これ
    ("形状詞-助動詞語幹", "AUX"),  # よう in ようだ
    ("形状詞", "ADJ"),  # na-adjectives (一般, タリ)
    ("連体詞", None),  # この/その are DET, 大きな is ADJ: depends on the word
    ("形容詞-非自立可能", None),  # ない/よい: ADJ alone, AUX after a verb
    ("形容詞", "ADJ"),  # i-adjectives
    ("動詞-非自立可能", None),  # いる/する/なる: VERB alone, AUX after て or a noun
    ("動詞", "VERB"),  # verbs
    ("副詞", "ADV"),  # adverbs
    ("接続詞", "CCONJ"),  # conjunctions: しかし, また
    ("感動詞", "INTJ"),  # interjections and fillers
    ("助動詞", "AUX"),  # auxiliaries: た, ます, です
    ("助詞-格助詞", "ADP"),  # case particles: が, を, に
    ("助詞-係助詞", "ADP"),  # binding particles: は, も
    ("助詞-副助詞", "ADP"),  # adverbial particles: まで, ばかり
    ("助詞-接続助詞", "SCONJ"),  # conjunctive particles: て, ば, から
    ("助詞-準体助詞", "SCONJ"),  # nominalising の
    ("助詞-終助詞", "PART"),  # sentence-final particles: か, ね, よ
    ("接頭辞", "NOUN"),  # prefixes: UD Japanese tags them NOUN
    ("接尾辞-名詞的", "NOUN"),  # nominal suffixes, counters: 者, 年
    ("接尾辞-形容詞的", "AUX"),  # らしい
    ("接尾辞-形状詞的", "PART"),  # がち, 的
    ("接尾辞-動詞的", "PART"),  # じみる
    ("補助記号-句点", "PUNCT"),  # 。
    ("補助記号-読点", "PUNCT"),  # 、
    ("補助記号-括弧開", "PUNCT"),  # 「 （
    ("補助記号-括弧閉", "PUNCT"),  # 」 ）
    ("補助記号-ＡＡ", "SYM"),  # text art, emoticons
    ("補助記号-一般", "SYM"),  # ・ ※ and other symbols
    ("記号", None),  # letters and signs used as words: NOUN or SYM
)

_GLOSS = re.compile(r"^(.+?)-[A-Za-z][A-Za-z ]*$")


@lru_cache(maxsize=4096)
def map_upos(unidic_pos: str) -> str:
    """UPOS of a UniDic POS, ``_`` where there is no fixed correspondence.

    >>> map_upos("名詞-固有名詞-人名-姓"), map_upos("助詞-格助詞"), map_upos("動詞-非自立可能"), map_upos("")
    ('PROPN', 'ADP', '_', '_')
    """
    best: str | None = None
    best_len = -1
    for prefix, upos in UPOS_TABLE:
        if (unidic_pos == prefix or unidic_pos.startswith(prefix + "-")) and len(prefix) > best_len:
            best, best_len = upos, len(prefix)
    return best or "_"


def plain_lemma(lemma: str) -> str:
    """UniDic's lemma without the English gloss of loanwords.

    >>> plain_lemma("ゲート-gate"), plain_lemma("走る"), plain_lemma("-")
    ('ゲート', '走る', '-')
    """
    m = _GLOSS.match(lemma)
    return m.group(1) if m else lemma


# NUL and every character str.splitlines() breaks a line at: none may reach a CoNLL-U line
_LINE_BREAKING = re.compile(r"[\x00\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# ...and in ids, every control character
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@lru_cache(maxsize=1 << 16)
def _field(value: str) -> str:
    """A column value: no tabs, line breaks or NUL, never empty (cached: forms, POS and readings repeat)."""
    return _LINE_BREAKING.sub(" ", value.replace("\t", " ")) or "_"


def _escape_spaces(gap: str) -> str:
    return (
        gap.replace("\\", "\\\\")
        .replace(" ", "\\s")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("|", "\\p")
    )


def _comment(value: str) -> str:
    """A comment value (``# text = ...``) on one line: line breaks and NUL become spaces (tabs stay)."""
    return _LINE_BREAKING.sub(" ", value)


def comment_id(value: Any) -> str:
    """A document id as ``# newdoc id`` and ``# sent_id`` write it: one word, no control characters.

    >>> comment_id("a\\nb"), comment_id("x\\x00y"), comment_id("two words"), comment_id("")
    ('a_b', 'x_y', 'two_words', '_')
    """
    return re.sub(r"\s", "_", _CONTROL.sub("_", str(value))) or "_"


def sentence_block(rec: dict[str, Any], sent: dict[str, Any]) -> str:
    """One sentence of an annotation record as a CoNLL-U block (ends with a blank line)."""
    text = rec["text"]
    # (surface, lemma, pos, reading, start, end, orig_start, orig_end) of the words, whatever the layout
    words = [t for t in token_tuples(sent) if t[0].strip()]
    if not words:
        return ""
    start, end = words[0][4], sent["end"]
    body = text[start:end].rstrip()
    end = start + len(body)
    lines = [f"# sent_id = {comment_id(rec['id'])}-{sent['index'] + 1}", f"# text = {_comment(body)}"]
    last = len(words) - 1
    for i, (_, lemma, pos, reading, t_start, t_end, orig_start, orig_end) in enumerate(words):
        nxt = words[i + 1][4] if i < last else end
        gap = text[t_end:nxt]
        misc = "SpaceAfter=No|" if gap == "" else "" if gap == " " else f"SpacesAfter={_escape_spaces(gap)}|"
        if reading:
            misc += f"Reading={_field(reading)}|"
        form = _field(text[t_start:t_end])
        lines.append(
            f"{i + 1}\t{form}\t{_lemma_column(lemma) if lemma else form}\t{map_upos(pos)}\t{_field(pos)}"
            f"\t_\t_\t_\t_\t{misc}OrigStart={orig_start}|OrigEnd={orig_end}"
        )
    return "\n".join(lines) + "\n\n"


@lru_cache(maxsize=1 << 14)
def _lemma_column(lemma: str) -> str:
    return _field(plain_lemma(lemma))


def record_to_conllu(rec: dict[str, Any]) -> str:
    """A whole document: ``# newdoc id`` and one block per sentence with words."""
    blocks = [sentence_block(rec, s) for s in rec["sentences"]]
    blocks = [b for b in blocks if b]
    if not blocks:
        return ""
    return f"# newdoc id = {comment_id(rec['id'])}\n" + "".join(blocks)

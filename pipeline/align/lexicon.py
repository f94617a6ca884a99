"""A word list learned from the document itself: which English words its confident pairs translate how.

Length and anchors (numbers, Latin tokens, names) cannot tell two short
sentences without anchors apart: a junk line next to the real translation,
or a missing translation next to its neighbour's, leaves two paths of about
the same cost, and the aligner picks one by a hair.  Most documents hold the
answer themselves: an article about an avalanche says "avalanche" in many
English sentences and 雪崩 in their Japanese ones.  So after a first pass,
English words are paired with Japanese terms that occur in the same
*confident* beads far more often than chance allows, and these pairs become
anchors (``x:<word>``) for a second look at the uncertain stretches.

No dictionary and no model: only co-occurrence inside one document
(in the spirit of K-vec, Fung & Church 1994).  Japanese terms are script
runs, not words: kanji bigrams (a run of one kanji says little; longer
compounds vary: 大雪 / 大雪警報) and katakana runs; English words are
lower-cased and cut to five letters, function words left out.

>>> en = ["The avalanche hit the resort.", "Rescuers reached the avalanche site.", "It snowed.", "Roads closed."]
>>> ja = ["雪崩がリゾートを襲った。", "救助隊が雪崩の現場に着いた。", "雪が降った。", "道路が閉鎖された。"]
>>> lex = learn_lexicon([(english_words(e), japanese_terms(j)) for e, j in zip(en, ja)])
>>> sorted(t for e, t in lex if e == "avala")
['雪崩']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

# English words that say nothing about a sentence's content (and short words: under MIN_WORD letters).
FUNCTION_WORDS = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "against",
        "also",
        "among",
        "another",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "could",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "every",
        "from",
        "further",
        "have",
        "having",
        "here",
        "into",
        "just",
        "more",
        "most",
        "much",
        "must",
        "only",
        "other",
        "over",
        "same",
        "should",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "until",
        "very",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "will",
        "with",
        "within",
        "would",
        "your",
        "yours",
        "ours",
        "said",
        "says",
        "like",
        "well",
        "even",
        "back",
        "make",
        "made",
        "many",
        "what",
        "will",
        "shall",
        "can't",
        "don't",
        "won't",
        "it's",
    ]
)
MIN_WORD = 4  # English words shorter than this are left out (the, and, for, you...)
STEM = 5  # English words count by their first letters only
MIN_TOGETHER = 2  # a pair must share at least this many confident beads...
MIN_DICE = 0.6  # ... and this share of the beads either occurs in: 2 * together / (english + japanese)
MAX_TERM_BEADS = 0.8  # a Japanese term in more than this share of the confident beads is too common to tell

_EN_WORD = re.compile(r"[A-Za-z][a-z]+(?:'[a-z]+)?")
_KANJI_RUN = re.compile(r"[\u4e00-\u9fff\u3005]{2,}")  # 々 continues a kanji run
_KATAKANA_RUN = re.compile(r"[\u30a1-\u30fa\u30fc]{3,}")


def english_words(sentence: str) -> frozenset[str]:
    """Content words of an English sentence, lower-cased, cut to their first STEM letters (a crude stemmer:
    dispatch, dispatched and dispatches are one word; so, by accident, are state and statement).

    >>> sorted(english_words("The skiers were rescued by two witnesses."))
    ['rescu', 'skier', 'witne']
    """
    out = set()
    for w in _EN_WORD.findall(sentence):
        w = w.lower()
        if len(w) >= MIN_WORD and w not in FUNCTION_WORDS:
            out.add(w[:STEM])
    return frozenset(out)


def japanese_terms(sentence: str) -> frozenset[str]:
    """Kanji bigrams and katakana runs of a Japanese sentence.

    >>> sorted(japanese_terms("今シーズン初の大雪警報が出た。"))
    ['シーズン', '大雪', '警報', '雪警']
    """
    out = set()
    for run in _KANJI_RUN.findall(sentence):
        out.update(run[k : k + 2] for k in range(len(run) - 1))
    out.update(_KATAKANA_RUN.findall(sentence))
    return frozenset(out)


def learn_lexicon(pairs: Iterable[tuple[frozenset[str], frozenset[str]]]) -> set[tuple[str, str]]:
    """(English word, Japanese term) pairs that go together in ``pairs`` (the words and terms of confident beads).

    A pair counts when the two share MIN_TOGETHER beads or more and their Dice
    coefficient is MIN_DICE or more; a term found in over MAX_TERM_BEADS of
    the beads (で, 日本 in a news text about Japan) is left out.
    """
    pairs = list(pairs)
    n_en: Counter[str] = Counter()
    n_ja: Counter[str] = Counter()
    together: Counter[tuple[str, str]] = Counter()
    for e, t in pairs:
        n_en.update(e)
        n_ja.update(t)
        together.update((w, x) for w in e for x in t)
    common = MAX_TERM_BEADS * len(pairs)
    return {
        (w, x)
        for (w, x), c in together.items()
        if c >= MIN_TOGETHER and 2 * c >= MIN_DICE * (n_en[w] + n_ja[x]) and n_ja[x] <= common
    }


def lexical_anchors(
    en_words: Sequence[frozenset[str]], ja_terms: Sequence[frozenset[str]], lexicon: set[tuple[str, str]]
) -> tuple[list[frozenset[str]], list[frozenset[str]]]:
    """Per sentence of each side, the anchors ``x:<english word>`` the lexicon finds in it."""
    by_term: dict[str, set[str]] = {}
    words = set()
    for w, x in lexicon:
        by_term.setdefault(x, set()).add(w)
        words.add(w)
    en = [frozenset("x:" + w for w in e if w in words) for e in en_words]
    ja = [frozenset("x:" + w for x in t if x in by_term for w in by_term[x]) for t in ja_terms]
    return en, ja

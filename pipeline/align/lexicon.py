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

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

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


@lru_cache(maxsize=1 << 14)  # once per sentence: the seed anchors, the relook and the variants stage ask again
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


# A few hundred translations everyone knows, for documents too short to teach the aligner anything (a chat of
# four lines): (English word, Japanese spellings, why).  Only words a translation keeps: everyday nouns and
# verbs of news, shops and support chats, with spellings of two kanji or more or distinctive kana, so that a
# spelling found inside a longer word is still that word.  Loanwords in katakana are left to the name anchors
# (pipeline.align.anchors).  Written for the project, not taken from any corpus.
SEED_LEXICON: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("thank", ("ありがと", "感謝", "お礼"), "thanks in every register"),
    ("sorry", ("申し訳", "すみません", "ごめん"), "apologies"),
    ("please", ("ください", "お願い", "下さい"), "requests"),
    ("help", ("手伝", "助け", "支援", "お役に立"), "help, assist"),
    ("assist", ("手伝", "支援", "サポート"), "assist"),
    ("question", ("質問", "問い合わせ", "疑問"), "a question"),
    ("query", ("質問", "問い合わせ"), "a query"),
    ("order", ("注文",), "an order (shops)"),
    ("deliver", ("配達", "配送", "届け", "届き", "届く"), "deliver, delivery"),
    ("ship", ("発送", "配送", "出荷"), "ship an order"),
    ("shipping", ("送料", "配送", "発送"), "shipping"),
    ("dispatch", ("発送", "出荷"), "dispatch"),
    ("package", ("荷物", "小包", "梱包"), "a package"),
    ("parcel", ("荷物", "小包"), "a parcel"),
    ("country", ("国",), "country: 国 alone, as in どの国"),
    ("time", ("時間", "時期"), "time"),
    ("today", ("今日", "本日"), "today"),
    ("tomorrow", ("明日",), "tomorrow"),
    ("yesterday", ("昨日",), "yesterday"),
    ("week", ("週間", "今週", "来週", "先週", "毎週"), "week"),
    ("price", ("価格", "値段", "料金"), "price"),
    ("refund", ("返金", "払い戻"), "refund"),
    ("return", ("返品", "返却", "返送"), "return an item"),
    ("payment", ("支払", "決済"), "payment"),
    ("address", ("住所",), "a postal address"),
    ("account", ("口座", "アカウント"), "an account"),
    ("problem", ("問題",), "a problem"),
    ("issue", ("問題",), "an issue"),
    ("information", ("情報",), "information"),
    ("product", ("製品", "商品"), "a product"),
    ("item", ("商品", "品物"), "an item"),
    ("customer", ("顧客", "お客様", "お客さま"), "a customer"),
    ("company", ("会社", "企業"), "a company"),
    ("government", ("政府",), "government"),
    ("people", ("人々", "国民", "住民"), "people"),
    ("police", ("警察",), "police"),
    ("school", ("学校",), "school"),
    ("student", ("学生", "生徒"), "student"),
    ("children", ("子ども", "子供", "児童"), "children"),
    ("child", ("子ども", "子供", "児童"), "child"),
    ("money", ("お金", "資金"), "money"),
    ("market", ("市場",), "market"),
    ("world", ("世界",), "world"),
    ("city", ("都市", "市内"), "city"),
    ("family", ("家族",), "family"),
    ("health", ("健康", "保健"), "health"),
    ("hospital", ("病院",), "hospital"),
    ("doctor", ("医師", "医者"), "doctor"),
    ("president", ("大統領", "社長", "会長"), "president"),
    ("minister", ("大臣", "首相"), "minister"),
    ("election", ("選挙",), "election"),
    ("court", ("裁判", "法廷"), "court"),
    ("report", ("報告", "報道"), "report"),
    ("research", ("研究", "調査"), "research"),
    ("study", ("研究", "調査", "勉強"), "study"),
    ("number", ("番号",), "a number (order number, phone number)"),
    ("phone", ("電話",), "phone"),
    ("message", ("メッセージ", "連絡"), "message"),
    ("contact", ("連絡", "問い合わせ"), "contact"),
    ("rating", ("評価",), "rating"),
    ("colour", ("色",), "colour: 色 alone"),
    ("color", ("色",), "color: 色 alone"),
    ("free", ("無料",), "free of charge"),
    ("stock", ("在庫", "株価", "株式"), "stock"),
    ("store", ("店舗", "お店"), "store"),
    ("weather", ("天気", "天候"), "weather"),
    ("fire", ("火災", "火事", "消防"), "fire"),
    ("died", ("死亡", "亡くな"), "died"),
    ("death", ("死亡", "死者"), "death"),
    ("killed", ("死亡", "殺害"), "killed"),
    ("game", ("試合",), "a game (sports)"),
    ("player", ("選手",), "a player"),
    ("season", ("季節", "今季"), "season"),
    ("music", ("音楽",), "music"),
    ("film", ("映画",), "film"),
    ("movie", ("映画",), "movie"),
    ("book", ("書籍", "著書"), "book"),
    ("wait", ("待ち", "待って", "待つ"), "wait"),
    ("check", ("確認",), "check"),
    ("confirm", ("確認",), "confirm"),
    ("cancel", ("取り消", "中止"), "cancel"),
    ("change", ("変更", "変わ", "変え"), "change"),
    ("replace", ("交換", "取り替え"), "replace"),
    ("exchange", ("交換",), "exchange"),
    ("receive", ("受け取", "受領", "届い"), "receive"),
    ("send", ("送り", "送信", "送っ", "送る"), "send"),
    ("sent", ("送り", "送信", "送っ"), "sent"),
    ("buy", ("購入", "買"), "buy"),
    ("purchase", ("購入",), "purchase"),
    ("email", ("メール",), "e-mail"),
    ("link", ("リンク",), "link"),
    ("website", ("サイト", "ウェブ"), "website"),
    ("today's", ("今日", "本日"), "today's"),
    ("day", ("日間", "営業日"), "days"),
    ("business", ("営業", "事業", "ビジネス"), "business"),
    ("work", ("仕事", "働", "作業"), "work"),
    ("year", ("年間", "今年", "昨年", "来年"), "year"),
    ("month", ("ヶ月", "か月", "カ月", "今月", "先月", "来月"), "month"),
    ("hour", ("時間",), "hour"),
    ("minute", ("分間",), "minute"),
)


# Sentence-initial connectives: MT keeps a sentence's link to the one before it.  (English first word,
# Japanese sentence openings, why.)
CONNECTIVES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("but", ("しかし", "でも", "だが", "ただ", "ところが", "けれど"), "contrast"),
    ("however", ("しかし", "ただし", "だが", "ところが", "とはいえ"), "contrast"),
    ("so", ("だから", "そのため", "それで", "なので", "したがって"), "consequence"),
    ("therefore", ("したがって", "そのため", "従って", "ですから"), "consequence"),
    ("also", ("また", "さらに", "それに"), "addition"),
    ("and", ("そして", "また", "それに"), "addition (sentence-initial only)"),
    ("then", ("それから", "その後", "次に"), "sequence"),
    ("if", ("もし",), "condition: もし opens it"),
    ("unfortunately", ("残念ながら", "あいにく"), "regret"),
)
_OPENERS = {word: spellings for word, spellings, _ in CONNECTIVES}
_FIRST_WORD = re.compile(r"[\W_]*([A-Za-z]+)")
_JA_OPENING = re.compile(r"[\s「『（(“\"]*")


def seed_stems() -> dict[str, tuple[str, ...]]:
    """English stem (as english_words cuts it) -> Japanese spellings of SEED_LEXICON."""
    out: dict[str, set[str]] = {}
    for word, spellings, _ in SEED_LEXICON:
        out.setdefault(word.lower()[:STEM], set()).update(spellings)
    return {k: tuple(sorted(v)) for k, v in out.items()}


_SEED = seed_stems()


def _opener(sentence: str) -> frozenset[str]:
    """``x:^<word>`` when the English sentence opens with a listed connective."""
    m = _FIRST_WORD.match(sentence)
    word = m.group(1).lower() if m else ""
    return frozenset({"x:^" + word}) if word in _OPENERS else frozenset()


def seed_anchors(english: Sequence[str], japanese: Sequence[str]) -> tuple[list[frozenset[str]], list[frozenset[str]]]:
    """Per sentence of each side, the anchors ``x:<stem>`` of SEED_LEXICON words found in it (both sides only)."""
    en = [_english_seeds(s) for s in english]
    vocab = {x[2:] for e in en for x in e if x[2] != "^"}
    openers = {x[3:] for e in en for x in e if x[2] == "^"}
    # the sentences holding each spelling, found in the whole text at once (a spelling holds no NUL, so no
    # match runs across two sentences): the same anchors as a test of every spelling in every sentence
    found_in: list[set[str]] = [set() for _ in japanese]
    if vocab and japanese:
        whole = "\0".join(japanese)
        starts = [0]
        for s in japanese[:-1]:
            starts.append(starts[-1] + len(s) + 1)
        ends = [*starts[1:], len(whole) + 1]
        for w in vocab:
            key = "x:" + w
            for t in _SEED[w]:
                i = whole.find(t)
                while i >= 0:
                    k = bisect.bisect_right(starts, i) - 1
                    found_in[k].add(key)
                    i = whole.find(t, ends[k])  # the next sentence that holds it
    ja = [
        frozenset(keys)
        | (
            frozenset("x:^" + w for w in openers if s[_JA_OPENING.match(s).end() :].startswith(_OPENERS[w]))
            if openers
            else _NONE
        )
        for s, keys in zip(japanese, found_in, strict=True)
    ]
    found = set().union(*ja) if ja else set()
    en = [e & found for e in en]
    return en, ja


_NONE: frozenset[str] = frozenset()


@lru_cache(maxsize=1 << 14)  # one English source is aligned with several translations
def _english_seeds(sentence: str) -> frozenset[str]:
    """The seed anchors an English sentence may give: its SEED_LEXICON stems and its opening connective."""
    return frozenset("x:" + w for w in english_words(sentence) if w in _SEED) | _opener(sentence)

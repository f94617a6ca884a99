"""Tables of the dedup stage: POS classes, unit kinds, contrast and synonym groups (one comment per row)."""

from __future__ import annotations

import re

from pipeline.chars import KATAKANA_LETTERS, LONG_VOWEL

# -- units -------------------------------------------------------------------
# Part-of-speech prefixes (UniDic pos1-pos2) of tokens that are left out of keys.
SKIP_POS = ("補助記号", "空白", "記号")
# Symbols that carry meaning next to numbers and so stay in keys.
KEPT_SYMBOLS = frozenset("%％$＄€£¥￥")
# Content words: these pos prefixes, except the 非自立可能 (auxiliary-like) ones.
CONTENT_POS = ("名詞", "動詞", "形容詞", "形状詞", "副詞", "代名詞", "接頭辞")
# Negation: auxiliaries ない/ず/ぬ/ん and the adjective ない after adjectives.
NEGATION_LEMMAS = frozenset({"ない", "無い", "ず", "ぬ", "ん"})
# Block labels (set by the blocks stage): headings and bylines are formulaic
# lines; captions are compared only by the exact rule (a caption that says
# what the body says is layout, not a repeat).  Timeline entries are text;
# their date lines are formulaic by being short.
FORMULAIC_LABELS = frozenset({"heading", "byline"})
NOT_TEXT_LABELS = frozenset({"heading", "byline", "caption"})
KATAKANA = re.compile(f"[{KATAKANA_LETTERS}{LONG_VOWEL}]+")
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9&'\-]*")
DIGITS = re.compile(r"[0-9]+")
NUMBER_SEPARATORS = frozenset(",.，．")

EPS = 1e-9  # a score equal to its threshold counts (20/25 is 0.7999999...)

# unit kinds (bit flags)
CONTENT = 1  # a content word
SUBSTANTIVE = 2  # a content word that is not a number or counter
NUMBER = 4  # a number: must match
NEGATION = 8  # a negation: must match
NAME = 16  # name-like: needs a phonetic partner when unmatched
PRONOUN = 32  # a pronoun (彼/彼女): must match, it names who
CONTRAST = 64  # a day, a relative time or a direction (日曜/月曜, 昨年/来年, 増/減): substituted, another fact

# Lemmas (UniDic) of words that, put in place of one another, make another
# fact: a sentence that swaps one for another of its row is not a repeat.
# One row per group; the comment says why.
CONTRAST_GROUPS = (
    ("月曜", "火曜", "水曜", "木曜", "金曜", "土曜", "日曜"),  # days of the week: JR運休は日曜 vs 月曜
    ("昨日", "今日", "明日", "一昨日", "明後日"),  # days relative to now
    ("先週", "今週", "来週"),  # weeks relative to now
    ("先月", "今月", "来月"),  # months relative to now
    ("去年", "昨年", "今年", "来年", "昨年度", "今年度", "来年度"),  # years relative to now
    ("午前", "午後", "朝", "昼", "夕方", "夜", "未明", "深夜"),  # times of day
    ("上旬", "中旬", "下旬", "前半", "後半", "年初", "年末"),  # parts of a month or year
    ("増", "減", "増加", "減少", "上昇", "下落", "拡大", "縮小", "上回る", "下回る"),  # direction of a change
    ("増える", "減る", "上がる", "下がる", "伸びる", "縮む"),  # direction of a change, as verbs: 人口は増えた/減った
    ("引き上げ", "引き下げ", "値上げ", "値下げ", "利上げ", "利下げ"),  # direction of a price or rate change
    ("黒字", "赤字"),  # profit or loss
    ("以上", "以下", "未満", "超"),  # bounds of a quantity
    ("可決", "否決", "賛成", "反対"),  # outcome of a vote
    ("勝利", "敗北", "勝つ", "負ける", "有罪", "無罪"),  # outcome of a match or a trial
    ("東部", "西部", "南部", "北部", "東", "西", "南", "北"),  # directions
)
CONTRAST_LEMMAS = frozenset(w for row in CONTRAST_GROUPS for w in row)
NOUN = 128  # a common noun (not a number, not name-like): one swapped for an unlike one is another subject

# Nouns MT renders one way or another for the same thing (a swap is a rewording,
# not another subject).  Nouns that share a kanji (創設/設立) need no row.
SYNONYM_GROUPS = (
    ("設立", "創設", "創業", "創立"),  # founding a company
    ("発表", "公表"),  # announcing
    ("会社", "企業"),  # a company
    ("首相", "総理"),  # the prime minister
    ("利用者", "使用者"),  # users
)
SYNONYM_OF = {w: i for i, row in enumerate(SYNONYM_GROUPS) for w in row}
KANJI = re.compile(r"[\u3400-\u9fff]")

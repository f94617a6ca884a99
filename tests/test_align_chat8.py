"""Round 8 of the aligner (issue 17): chats, junk that brings an anchor of its own chat.

The error analysis of WMT22 conversation noisy (docs/align.md, "Round 8") found junk from another chat of the
same client paired 1-1 with the English line whose translation was deleted although the junk holds an anchor
found nowhere in the English (a placeholder, a Latin token, a katakana name) and shares no word with the line:
``AlignOptions.mismatch_foreign_ja`` charges such a pair.  Every chat here is made up.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from align_helpers import beads

import pipeline.align.dictionary as dictionary
from pipeline.align.aligner import AlignOptions, _lexicon_per_sentence, _lexicon_shared, _Scorer, _Span
from pipeline.align.anchors import SentenceAnchors, document_anchors

pytestmark = pytest.mark.skipif(not dictionary.available(), reason="the dictionary table is not installed")

# made up: a garden shop's support chat, one line a turn; the third line's translation is deleted below
ROSES_EN = [
    "Hello, thank you for contacting the garden shop.",
    "Could you tell me the order number please?",
    "The gardener will plant the roses beside your fence on Thursday afternoon.",
    "Can I help you with anything more this morning?",
]
ROSES_JA = [
    "ガーデンショップにお問い合わせいただきありがとうございます。",
    "注文番号を教えていただけますか？",
    "庭師が木曜日の午後、フェンスの横にバラを植えます。",
    "今朝、他に何かお手伝いできることはございますか？",
]


@pytest.mark.parametrize(
    "junk",
    [
        # made up: a line of another chat with its placeholder (the English has no #TICKET#)
        "アプリの設定画面から#TICKET#の手順で支払い方法を変更してください。",
        # ... with a Latin token the English lacks
        "設定画面でWi-Fiを選び、パスワードを入力してください。",
        # ... with a katakana name the English lacks
        "ケルトマン様の請求書は昨日メールで送信しました。",
    ],
)
def test_junk_with_an_anchor_of_its_own_is_not_paired_with_a_deleted_lines_english(junk) -> None:
    # the roses line's translation is deleted and the junk stands in its place: the roses line's words (gardener,
    # plant, rose, fence) are rendered by no other line, so mismatch_placed does not check the pair, and the
    # lengths fit; the junk holds an anchor found nowhere in the English and shares no word with the line
    ja = ROSES_JA[:2] + [junk] + ROSES_JA[3:]
    assert ((2,), (2,)) in beads(ROSES_EN, ja, mismatch_foreign_ja=False)  # the error kind: the test can fail
    got = beads(ROSES_EN, ja)
    assert ((2,), ()) in got and ((), (2,)) in got and ((3,), (3,)) in got and ((1,), (1,)) in got


def test_a_real_line_with_an_anchor_of_its_own_stays_paired() -> None:
    # the roses line's own translation with a placeholder MT added: it holds an anchor the English lacks, but it
    # shares the line's words (gardener, rose, fence), so the check charges nothing
    ja = ROSES_JA[:2] + ["庭師が木曜日の午後、フェンスの横にバラを植えます（#TICKET#）。"] + ROSES_JA[3:]
    assert beads(ROSES_EN, ja) == [((k,), (k,)) for k in range(4)]


def _anchors(lexical: set[str], content: int, foreign: int = 0, foreign_numbers: int = 0) -> SentenceAnchors:
    return SentenceAnchors(Counter(), frozenset(), foreign, foreign_numbers, frozenset(lexical), content)


@pytest.mark.parametrize(
    ("ja_words", "foreign", "foreign_numbers", "ja_text", "on", "cost"),
    [
        # a Japanese line with 5 dictionary words and a Latin token the English lacks (a foreign anchor), none
        # shared with its English partner (4 words): it pays mismatch_pair_penalty
        (set(), 1, 0, "あいうえおWi-Fiかきくけこ", True, 7.0),
        # ... a katakana name no English word sounds like: the same
        (set(), 1, 0, "あいうえおケルトマンかきくけこ", True, 7.0),
        # ... a katakana word that is two English words written as one (fishing rod): a loanword, nothing
        (set(), 1, 0, "あいうえおフィッシングロッドかきくけこ", True, 0.0),
        # ... it shares a word: nothing
        ({"d:rose"}, 1, 0, "あいうえおWi-Fiかきくけこ", True, 0.0),
        # ... its only foreign anchor is a number (一日, 一度: MT's kanji counts in set phrases): nothing
        (set(), 1, 1, "あいうえお一日かきくけこ", True, 0.0),
        # ... it is under half the English (mismatch_partial: MT kept a part of the line): nothing
        (set(), 1, 0, "Wi-Fi", True, 0.0),
        # ... the option is off
        (set(), 1, 0, "あいうえおWi-Fiかきくけこ", False, 0.0),
    ],
)
def test_a_pair_whose_japanese_holds_a_foreign_anchor_is_checked(
    ja_words, foreign, foreign_numbers, ja_text, on, cost
) -> None:
    en = [_anchors({"d:rose", "d:fence"}, 4)]
    ja = [_anchors(ja_words, 5, foreign, foreign_numbers)]
    texts_en, texts_ja = ["the roses by the fishing rod are tall"], [ja_text]
    opts = AlignOptions(mismatch_foreign_ja=on, mismatch_pair_penalty=7.0, mismatch_placed=0)
    with_check = _Scorer(texts_en, texts_ja, opts, 0.5, anchors=(en, ja), first_pass=True)
    without = _Scorer(texts_en, texts_ja, replace(opts, mismatch_penalty=0), 0.5, anchors=(en, ja), first_pass=True)
    assert with_check.cost(1, 1, 1, 1) == pytest.approx(without.cost(1, 1, 1, 1) + cost)


@pytest.mark.parametrize(
    ("english", "japanese", "shared"),
    [
        # two capitalised words in one katakana run: the whole word's key (PointSize: pntz, too short to count)
        # merges the sounds across the join, the two words' keys joined (pnt + sz) are the katakana's
        ("Choose a setting under Point Size.", "ポイントサイズの下で設定を選びます。", True),
        # the whole word's key still counts where it is the one that matches (round 4's case)
        ("Members of the Titanic Hotel met.", "タイタニックホテルの会員が集まった。", True),
        # a katakana run of other words shares nothing
        ("Choose a setting under Point Size.", "テキストカラーの下で設定を選びます。", False),
    ],
)
def test_a_capitalised_pair_is_keyed_whole_and_word_by_word(english, japanese, shared) -> None:
    en, ja = document_anchors([english], [japanese])
    # (a katakana run that matches nothing is a foreign anchor of the Japanese: junk or an omission)
    assert (bool({w for w in en[0].words if w.startswith("k:")} & ja[0].words), ja[0].foreign == 0) == (shared, shared)


# -- the lexicon's cap per sentence of a 2-1 bead (AlignOptions.lexicon_cap_per_sentence) --------------------------

# made up: a nursery's chat; the two English lines were merged into one Japanese unit, and a line of another chat
# (junk) stands before it
NURSERY_EN = [
    "Thank you - so this order of roses is with the nursery as stated in yesterday's chat, we have to wait for the "
    "gardener to reply",
    "We will email you soon.",
]
NURSERY_JA = [
    "椅子の修理は職人が必要です。",
    "ありがとうございます。このバラのご注文は、昨日のチャットでお伝えした通り苗木園にありますので、"
    "庭師からの返事を待つ必要があります。すぐにメールでご連絡します。",
]


def test_a_merged_units_second_line_is_paid_for_its_own_words() -> None:
    # the first line alone shares more words than the cap (thank, order, rose, nursery, chat, yesterday, reply…),
    # so the 2-1 bead that adds the second line's email and soon gained nothing and the length model left the
    # second line unmatched; paid for its own two words (found in no other line), it joins the merged unit
    assert ((1,), ()) in beads(NURSERY_EN, NURSERY_JA, lexicon_cap_per_sentence=False)  # the error kind
    assert beads(NURSERY_EN, NURSERY_JA) == [((), (0,)), ((0, 1), (1,))]


FIRST = frozenset({"d:thank", "d:order", "d:rose", "d:nursery", "d:chat", "d:yesterd"})


@pytest.mark.parametrize(
    ("second", "unique", "paid"),
    [
        # the second line adds two dictionary words found in one line of each side: the first line is paid as a
        # bead of its own (cap 4 + 1 extra word = 5), the second for its two words
        ({"d:email", "d:soon"}, {"d:email", "d:soon"}, 7),
        # ... one of them recurs in other lines (a topic word): one word is not enough, the bead is paid as before
        ({"d:email", "d:soon"}, {"d:email"}, 5),
        # ... one dictionary word and one seed word ("please", ください, is everywhere): as before
        ({"d:email", "x:pleas"}, {"d:email", "x:pleas"}, 5),
        # ... it shares only words of the first line: as before
        ({"d:thank", "d:order"}, FIRST, 5),
    ],
)
def test_the_second_sentence_of_a_side_is_paid_for_its_own_words(second, unique, paid) -> None:
    en = _Span([_anchors(FIRST, 6), _anchors(second, 2)], 0.0, 0.0)
    ja = _Span([_anchors(FIRST | second, 8)], 0.0, 0.0)
    shared = en.lex & ja.lex
    assert _lexicon_shared(shared, 4, 1) == 5  # one cap for the whole bead
    assert _lexicon_per_sentence(en, ja, shared, 4, 1, frozenset(unique)) == paid


def test_a_japanese_side_of_two_is_paid_under_one_cap() -> None:
    # MT made one Japanese sentence of the end of one English sentence and the next (「…。…」): a
    # 1-2 bead paid per sentence would take the second English sentence's words with the second piece and leave
    # that sentence unmatched (a false omission flag); so only an English side of two is paid per sentence
    en = _Span([_anchors(FIRST | {"d:email", "d:soon"}, 8)], 0.0, 0.0)
    ja = _Span([_anchors(FIRST, 6), _anchors({"d:email", "d:soon"}, 2)], 0.0, 0.0)
    shared = en.lex & ja.lex
    assert _lexicon_per_sentence(en, ja, shared, 4, 1, shared) == _lexicon_shared(shared, 4, 1) == 5

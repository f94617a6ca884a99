"""The bilingual stage's ``name-mismatch`` flag: a name of the English the aligned Japanese does not render.

Made-up names and sentences.  Each case is a two-line article: the first line
introduces the name (so the translation is known to render it), the second
is the sentence under test.  The flag must fire on a dropped, replaced or
mangled name, and stay silent on the look-alikes: another spelling of the
same name, a stand-in (同氏, 彼女), initials, the name kept in Latin, a
shortened or compound katakana word, a first name dropped, a title, a day,
a headline, a word the translation never renders.
"""

from __future__ import annotations

import pytest

from pipeline import clean
from pipeline.document import restore_text
from pipeline.stages.name_check import load_renderings, name_runs, sounds_like

RULE = "name-mismatch"


def name_flags(ja: str, en: str) -> list[str]:
    doc = clean(ja, english=en, skip=["variants", "dedup"])
    assert restore_text(doc.text, doc.edits) == doc.original  # flags only: no edit
    return [f.reason.split("'")[1] for f in doc.flags if f.rule == RULE]


# (case, Japanese, English, names flagged)
CASES = [
    # -- flagged: the name is written elsewhere in the translation, but not in its sentence
    (
        "replaced by another name",
        "コヴァレンコ氏が市長選に勝った。\nその後、ミハイロフ氏は支援者に感謝した。",
        "Ms Kovalenko won the mayoral race.\nLater, Kovalenko thanked her supporters.",
        ["Kovalenko"],
    ),
    (
        "dropped",
        "コヴァレンコ氏が市長選に勝った。\nその後、支援者に感謝の言葉を述べた。",
        "Ms Kovalenko won the mayoral race.\nLater, Kovalenko thanked her supporters.",
        ["Kovalenko"],
    ),
    (
        "surname dropped, first name kept: the surname identifies the run",
        "マーラ・ヴェルデン氏が市長選に勝った。\nその後、マーラ氏は支援者に感謝した。",
        "Mara Velden won the mayoral race.\nLater, Mara Velden thanked her supporters.",
        ["Velden"],
    ),
    (
        "possessive: the name without its 's",
        "コヴァレンコ氏が市長選に勝った。\nその後、陣営の広報担当が声明を出した。",
        "Ms Kovalenko won the mayoral race.\nLater, Kovalenko's spokesman issued a statement.",
        ["Kovalenko"],
    ),
    (
        "an exonym the sentence does not write",
        "ドイツの港が閉鎖された。\nその後、港湾局は船の入港を認めた。",
        "A port in Germany was closed.\nLater, the harbour authority let ships into Germany again.",
        ["Germany"],
    ),
    (
        "a name opening its sentence, known as a name from another sentence",
        "市長選はコヴァレンコ氏が制した。\n支援者に感謝の言葉を述べた。",
        "The mayoral race was won by Kovalenko.\nKovalenko thanked her supporters.",
        ["Kovalenko"],
    ),
    (
        "a name with an accented letter",
        "カミンスカ氏が市長選に勝った。\nその後、支援者に感謝の言葉を述べた。",
        "Ms Kaminská won the mayoral race.\nLater, Kaminská thanked her supporters.",
        ["Kaminská"],
    ),
    # -- not flagged: the name is there, written another way
    (
        "another spelling of the same name",
        "コヴァレンコ氏が市長選に勝った。\nその後、コバレンコ氏は支援者に感謝した。",
        "Ms Kovalenko won the mayoral race.\nLater, Kovalenko thanked her supporters.",
        [],
    ),
    (
        "a stand-in the press uses for a name given before",
        "コヴァレンコ氏が市長選に勝った。\nその後、同氏は支援者に感謝した。",
        "Ms Kovalenko won the mayoral race.\nLater, Kovalenko thanked her supporters.",
        [],
    ),
    (
        "a pronoun",
        "コヴァレンコ氏が市長選に勝った。\nその後、彼女は支援者に感謝した。",
        "Ms Kovalenko won the mayoral race.\nLater, Kovalenko thanked her supporters.",
        [],
    ),
    (
        "the initials of the run, in full-width Latin",
        "イースタン・ハーバー・トラストは寄付を受けた。\nその後、ＥＨＴは新しい船を買った。",
        "The Eastern Harbour Trust received a gift.\nLater, the Eastern Harbour Trust bought a new ship.",
        [],
    ),
    (
        "the name kept in Latin",
        "コヴァレンコ氏が市長選に勝った。\nその後、Kovalenko氏は支援者に感謝した。",
        "Ms Kovalenko won the mayoral race.\nLater, Kovalenko thanked her supporters.",
        [],
    ),
    (
        "a shortened katakana word (its first part)",
        "スナップビスタが新機能を発表した。\nその後、スナップの利用者が増えた。",
        "Snapvista announced a new feature.\nLater, Snapvista gained users.",
        [],
    ),
    (
        "a compound the tokenizer does not split",
        "ヴェルトロンが新型を発表した。\nその後、ステルスヴェルトロンが話題になった。",
        "Veltron announced a new model.\nLater, the stealth Veltron became the talk of the town.",
        [],
    ),
    (
        "the first name dropped, the surname kept",
        "パーシー・クインラン氏が市長選に勝った。\nその後、クインラン氏は支援者に感謝した。",
        "Percy Quinlan won the mayoral race.\nLater, Percy Quinlan thanked his supporters.",
        [],
    ),
    (
        "a name the translation never writes in katakana or Latin (translated as a common noun)",
        "港湾局は船の入港を認めた。\nその後、港湾局は新しい桟橋を開いた。",
        "The Harbour Authority let ships in.\nLater, the Harbour Authority opened a new pier.",
        [],
    ),
    (
        "an exonym written in kanji",
        "ドイツの港が閉鎖された。\nその後、独政府は船の入港を認めた。",
        "A port in Germany was closed.\nLater, Germany let ships in again.",
        [],
    ),
    (
        "a title and a day: capitalised, not names",
        "コヴァレンコ市長が就任した。\n市長は月曜に会見を開いた。",
        "Mayor Kovalenko took office.\nThe Mayor held a press conference on Monday.",
        [],
    ),
    (
        "a headline in title case",
        "ヴェルトロンが新型を発表した。\n新型が三年連続で賞を受賞",
        "Veltron announced a new model.\nNew Model Wins The Award For Third Year",
        [],
    ),
    (
        "a sentence-initial function word that sounds like a katakana word of the text",
        "サウスポートの港が閉鎖された。\nその後、船は沖で待った。",
        "The port of Southport was closed.\nThe ships waited offshore.",
        [],
    ),
    (
        "a name too short to hear in katakana",
        "リー氏が市長選に勝った。\nその後、支援者に感謝の言葉を述べた。",
        "Ms Li won the mayoral race.\nLater, Li thanked her supporters.",
        [],
    ),
]


@pytest.mark.parametrize(("case", "ja", "en", "flagged"), CASES, ids=[c[0] for c in CASES])
def test_name_mismatch(case: str, ja: str, en: str, flagged: list[str]) -> None:
    assert name_flags(ja, en) == flagged


def test_without_a_source_nothing_is_flagged() -> None:
    doc = clean("コヴァレンコ氏が市長選に勝った。\nその後、ミハイロフ氏は支援者に感謝した。")
    assert [f for f in doc.flags if f.rule == RULE] == []


def test_the_reason_names_the_sentence_and_the_spelling_found_elsewhere() -> None:
    ja, en = CASES[0][1], CASES[0][2]
    doc = clean(ja, english=en)
    [flag] = [f for f in doc.flags if f.rule == RULE]
    assert flag.stage == "bilingual"
    assert (
        flag.reason == "'Kovalenko' of English sentence 1 is not in the Japanese (rendered elsewhere as コヴァレンコ)"
    )
    assert doc.original[flag.start : flag.end] == "その後、ミハイロフ氏は支援者に感謝した。"


# (English sentence, words the document capitalises inside sentences, expected runs' name words)
RUNS = [
    ("Later, Prime Minister Percy Quinlan met Mr Velden on Monday.", set(), [["Percy", "Quinlan"], ["Velden"]]),
    ("Quinlan agreed.", {"Quinlan"}, [["Quinlan"]]),  # first word: a name only when known as one
    ("Quinlan agreed.", set(), []),
    (
        "The Harbour Authority's chief, Ana Lopes-Marr, left.",
        set(),
        [["Harbour", "Authority"], ["Ana", "Lopes", "Marr"]],
    ),
    ("Tips For Cleaning Your Phone", set(), []),  # a headline
    ("She met Li and Ng.", set(), []),  # too short
]


@pytest.mark.parametrize(("sentence", "names", "expected"), RUNS)
def test_name_runs(sentence: str, names: set[str], expected: list[list[str]]) -> None:
    assert [list(words) for _, words in name_runs(sentence, frozenset(names))] == expected


def test_sounds_like_separates_a_name_from_another() -> None:
    assert sounds_like("Kovalenko", "コヴァレンコ") >= 0.8 > sounds_like("Kovalenko", "ミハイロフ")
    assert sounds_like("The", "サウス") < 0.6  # a short skeleton alone would call them alike


def test_every_table_row_is_read() -> None:
    exonyms, common, stand_ins = load_renderings()
    assert exonyms["Germany"] == ("ドイツ", "独") and "Monday" in common
    assert stand_ins.search("同氏は") and not stand_ins.search("同じ")

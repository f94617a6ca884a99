"""The JMdict word pairs as aligner anchors (pipeline/align/dictionary.py), on made-up chats.

The chats have short lines with no numbers and no names (and no word of the
seed lexicon), so length is all the aligner has without the dictionary.
"""

from __future__ import annotations

import pytest
from align_helpers import beads
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.align.dictionary as dictionary
from pipeline import clean
from pipeline.align.aligner import AlignOptions, align_sentences

pytestmark = pytest.mark.skipif(not dictionary.available(), reason="the dictionary table is not installed")

CHAT_EN = [
    "Is it raining where you are?",
    "I forgot my umbrella at home.",
    "The train was late again.",
    "Shall we walk the dog in the park later?",
    "My cat is sleeping by the window.",
    "I am cooking dinner now.",
]
CHAT_JA = [
    "そっちは雨が降ってる？",
    "傘を家に忘れちゃった。",
    "電車がまた遅れた。",
    "あとで公園で犬の散歩をしようか？",
    "猫が窓のそばで寝てる。",
    "今、晩ご飯を作ってる。",
]


@pytest.mark.parametrize(
    "dropped",
    [
        # the umbrella line is missing: by length alone the aligner pairs the umbrella line with 電車がまた遅れた
        # and merges the train line into the next pair; 傘 (umbrella), 電車 (train) and 遅れる (late) put the
        # gap where it is
        1,
        # the cat line is missing: by length alone the last English line is left over; 晩ご飯 (dinner) pins the
        # last pair and 窓 (window) is nowhere, so the gap is the cat line
        4,
    ],
)
def test_a_dropped_chat_line_is_found_only_through_the_dictionary(dropped):
    ja = CHAT_JA[:dropped] + CHAT_JA[dropped + 1 :]
    want = [((i,), (i if i < dropped else i - 1,)) if i != dropped else ((i,), ()) for i in range(len(CHAT_EN))]
    assert beads(CHAT_EN, ja) == want
    assert beads(CHAT_EN, ja, dictionary=False) != want  # length alone gets it wrong: the test can fail


def test_the_bilingual_stage_flags_the_dropped_line_with_the_dictionary_only(monkeypatch, tmp_path):
    # the same chat through `clean` with its source: the omission flag names the umbrella line only with the table
    ja = "\n".join(CHAT_JA[:1] + CHAT_JA[2:]) + "\n"
    en = "\n".join(CHAT_EN) + "\n"

    def omissions():
        dictionary.reload_table()
        return [f.reason for f in clean(ja, english=en).flags if f.rule == "omission"]

    with_table = omissions()
    monkeypatch.setattr(dictionary, "TABLE", tmp_path / "absent.tsv.gz")
    without = omissions()
    monkeypatch.undo()
    dictionary.reload_table()
    assert any("English sentence 1 " in r for r in with_table), with_table
    assert not any("English sentence 1 " in r for r in without), without


@pytest.mark.parametrize(
    "english, japanese, stems",
    [
        # an inflected verb meets its gloss: 届き -> 届く "to be delivered", "delivered" -> deliver
        ("The package was delivered.", "荷物が届きました。", {"packag", "deliver"}),
        # a word written in kana: ありがとう is read by its base form as well as its lemma 有り難う
        ("Thank you for waiting.", "お待ちいただきありがとうございます。", {"thank", "wait"}),
        # two tokens joined: 誕生 (birth) + 日 (day) -> 誕生日 (birthday); おめでとう by its lemma めでたい (happy)
        ("Happy birthday!", "お誕生日おめでとう！", {"birthda", "happi"}),
    ],
)
def test_words_meet_across_the_dictionary(english, japanese, stems):
    en = dictionary.english_stems(english)
    ja = dictionary.japanese_stems(japanese)
    assert stems <= (en & ja), (sorted(en), sorted(ja))


def test_particles_and_light_verbs_give_no_words():
    # する, いる, ある and particles would match half the glosses of the dictionary
    assert dictionary.japanese_stems("そうしている。") == frozenset()
    assert dictionary.japanese_stems("") == frozenset()


def test_a_word_only_one_side_has_is_no_anchor():
    # horse (English only) and 鳥 = bird (Japanese only) are left out; sleep is on both sides
    assert "hors" in dictionary.english_stems("The horse sleeps.")
    assert "bird" in dictionary.japanese_stems("鳥が寝ている。")
    en, ja = dictionary.dictionary_anchors(["The horse sleeps."], ["鳥が寝ている。"])
    assert en == [frozenset({"d:sleep"})] and ja == [frozenset({"d:sleep"})]


def test_without_the_table_nothing_is_found(no_table):
    assert not dictionary.available()
    assert dictionary.japanese_stems("荷物が届きました。") == frozenset()
    assert dictionary.dictionary_anchors(CHAT_EN, CHAT_JA) == ([frozenset()] * 6, [frozenset()] * 6)


_EN_WORDS = ["rain", "umbrella", "train", "late", "dog", "park", "cat", "window", "dinner", "thanks", "is", "the"]
_JA_WORDS = ["雨", "傘", "電車", "遅れた", "犬", "公園", "猫", "窓", "晩ご飯", "ありがとう", "が", "を"]
sentences_en = st.lists(
    st.lists(st.sampled_from(_EN_WORDS), min_size=1, max_size=5).map(lambda w: " ".join(w) + "."),
    max_size=6,
)
sentences_ja = st.lists(
    st.lists(st.sampled_from(_JA_WORDS), min_size=1, max_size=5).map(lambda w: "".join(w) + "。"),
    max_size=6,
)


@settings(max_examples=40, deadline=None)
@given(sentences_en, sentences_ja)
def test_option_off_is_the_aligner_without_the_dictionary(en, ja):
    # dictionary=False: no word of the dictionary and the learned words' cap of before (dictionary_cap unused)
    off = align_sentences(en, ja, AlignOptions(dictionary=False))
    assert off == align_sentences(en, ja, AlignOptions(dictionary=False, dictionary_cap=99))


@settings(max_examples=25, deadline=None)
@given(sentences_en, sentences_ja)
def test_not_installed_is_option_off(en, ja):
    # a missing table gives the same beads (and scores) as the option off
    off = [(b.en, b.ja, b.score) for b in align_sentences(en, ja, AlignOptions(dictionary=False))]
    saved = dictionary.TABLE
    try:
        dictionary.TABLE = saved.with_name("absent.tsv.gz")
        dictionary.reload_table()
        missing = [(b.en, b.ja, b.score) for b in align_sentences(en, ja)]
    finally:
        dictionary.TABLE = saved
        dictionary.reload_table()
    assert missing == off


def test_the_build_command_refuses_a_missing_database(capsys):
    assert dictionary.main(["build", "/nonexistent/jamdict.db"]) == 2
    assert capsys.readouterr().err.strip() == "error: /nonexistent/jamdict.db: no such file"


def test_the_table_carries_its_attribution():
    import gzip

    with gzip.open(dictionary.TABLE, "rt", encoding="utf-8") as f:
        head = f.readline() + f.readline() + f.readline()
    assert "JMdict" in head and "CC BY-SA" in head
    assert (dictionary.TABLE.parent / "JMDICT_LICENCE.md").is_file()


def test_a_long_stretch_is_left_to_the_learned_words(monkeypatch):
    # the whole of a very unbalanced pair is one uncertain stretch: reading it all would only cost time
    en, ja = ["The horse sleeps."], ["馬が寝ている。"]
    assert dictionary.dictionary_anchors(en, ja)[0] == [frozenset({"d:hors", "d:sleep"})]
    monkeypatch.setattr(dictionary, "MAX_STRETCH", 1)
    assert dictionary.dictionary_anchors(en, ja) == ([frozenset()], [frozenset()])

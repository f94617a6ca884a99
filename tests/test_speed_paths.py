"""The speed paths change no result: token types, the paused collector, documents freed without it.

* The tokeniser leaves a :class:`TokenType` beside each sentence's tokens;
  dedup, loops and variants read their per-token classes through it.  The
  results must be those of the slow path (every look-up by the token's own
  strings): a hypothesis property cleans each text both ways.
* ``run_stages``/``run_stages_many`` pause the cyclic collector and move what
  the stages made to the old generation unwalked; a cleaned document must
  still be freed by reference counting alone (no reference cycle), or
  memory would grow until a full collection.
"""

from __future__ import annotations

import contextlib
import gc
import weakref

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pipeline.stages.dedup.keys as dedup_keys
import pipeline.stages.loops as loops
import pipeline.stages.variants.mentions as mentions
from pipeline.document import Sentence, Token, TokenType, token_types
from pipeline.io.annotations import document_record
from pipeline.run import Config, _group_gc, clean_text, clean_texts, new_document, run_stages_many
from pipeline.stages.dedup import DedupOptions
from pipeline.stages.segment import segment_document
from pipeline.stages.tokenise import tokenise_document

# made-up pieces that reach every typed look-up: katakana variants (script codes), a loop
# (content words twice), repeats (dedup keys), digits and Latin (dedup's runs), markup (edited
# sentences, which take the untyped path), control characters (tokens with no type)
PIECES = [
    "ベルトラン氏は会見で述べた。",
    "ベルトランド氏は会見で述べた。",
    "ハーバーゲート",
    "ハーバーゲイト",
    "ZetaCorp",
    "ゼータコープ",
    "数カ月",
    "数ヶ月",
    "市場の動きは市場の動きは速い。",
    "新しい橋が完成した。",
    "新しい橋が完成した。",
    "2019年3月",
    "5,000人",
    "<b>",
    "&amp;",
    "「私は行く。」",
    "\x00",
    "\n",
    "\n\n",
    " ",
]
texts = st.lists(st.sampled_from(PIECES), max_size=20).map("".join)


def _result(doc):
    return (doc.text, [e.to_json() for e in doc.edits], [f.to_json() for f in doc.flags], doc.annotations)


@contextlib.contextmanager
def untyped():
    """A context in which every stage finds no token types (the slow path, by the tokens' strings)."""
    saved = dedup_keys.token_types, loops.token_types, mentions.token_types
    dedup_keys.token_types = loops.token_types = mentions.token_types = lambda s: None
    try:
        yield
    finally:
        dedup_keys.token_types, loops.token_types, mentions.token_types = saved


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from(["paragraph", "document"]))
def test_typed_lookups_give_the_untyped_result(text, scope):
    config = Config(dedup=DedupOptions(scope=scope))
    typed = clean_text(text, config)
    with untyped():
        untyped_doc = clean_text(text, config)
    assert _result(typed) == _result(untyped_doc)


def test_the_slow_path_is_really_taken():
    # the property above compares something only if the typed path runs by default
    doc = clean_text("新しい橋が完成した。")
    assert token_types(doc.sentences[0]) is not None
    with untyped():
        assert dedup_keys.token_types(doc.sentences[0]) is None


@settings(max_examples=150, deadline=None)
@given(texts)
def test_each_type_holds_its_tokens_strings(text):
    doc = new_document(text)
    segment_document(doc)
    tokenise_document(doc)
    for s in doc.sentences:
        types = token_types(s)
        if types is None:
            continue
        assert [(t.surface, t.lemma, t.pos, t.reading) for t in types] == [
            (t.surface, t.lemma, t.pos, t.reading) for t in s.tokens
        ]


def test_types_are_shared_and_dropped_with_their_tokens():
    doc = new_document("新しい橋が完成した。新しい橋が完成した。a\x00b。")
    segment_document(doc)
    tokenise_document(doc)
    first, second, unsafe = doc.sentences
    # one object per distinct token: the repeated sentence has the same types (other offsets)
    assert [id(t) for t in token_types(first)] == [id(t) for t in token_types(second)]
    assert first.tokens[0].start != second.tokens[0].start
    # a control character is replaced before tagging: no surface is the text's own, no types
    assert token_types(unsafe) is None
    # tokens replaced (as the record does when it releases them): the types no longer count
    first.tokens = []
    assert token_types(first) is None


def test_a_sentence_compares_without_its_types():
    # types are a cache: two sentences alike but for them are equal and print alike
    t = Token(0, 1, "橋", "橋", "名詞-普通名詞-一般", "ハシ")
    a = Sentence(0, 1, 0, [t])
    b = Sentence(0, 1, 0, [t], types=([t], [TokenType("橋", "橋", "名詞-普通名詞-一般", "ハシ")]))
    assert a == b and repr(a) == repr(b)


@pytest.mark.parametrize(
    "text",
    [
        "新しい橋が完成した。新しい橋が完成した。",  # dedup removes a repeat (finder, keys)
        "ベルトラン氏とベルトランド氏が来た。ベルトラン氏は述べた。",  # variants groups spellings
        "市場の動きは市場の動きは速い。",  # a loop
    ],
)
def test_a_cleaned_document_is_freed_without_the_cyclic_collector(text):
    was = gc.isenabled()
    gc.disable()
    try:
        [doc] = run_stages_many([new_document(text)])
        document_record(doc)
        ref = weakref.ref(doc)
        del doc
        assert ref() is None, "a reference cycle keeps the document (and its tokens) alive"
    finally:
        if was:
            gc.enable()


def test_group_gc_restores_the_collector_and_leaves_a_callers_freeze_alone():
    assert gc.isenabled()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with _group_gc():
            assert not gc.isenabled()
        assert gc.isenabled() and gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    gc.disable()
    try:
        with _group_gc():
            pass
        assert not gc.isenabled()  # off stays off
    finally:
        gc.enable()


def test_clean_texts_in_groups_gives_what_one_at_a_time_gives():
    texts = ["新しい橋が完成した。新しい橋が完成した。", "ハーバーゲートとハーバーゲイト。", "<b>橋</b>。"] * 3
    grouped = [_result(d) for d in clean_texts(texts, group=4)]
    alone = [_result(clean_text(t)) for t in texts]
    assert grouped == alone


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12), st.integers(-2, 14), st.integers(-2, 14), st.sampled_from(["left", "right"]))
def test_a_document_without_edits_maps_positions_as_its_offset_map_does(text, a, b, side):
    # the no-edit shortcut of Document must answer what the offset map (the general path) answers
    from pipeline.document import Document, Edit, OffsetMap

    doc = Document(text)
    m = OffsetMap([])
    assert doc.to_cleaned(a, side) == m.to_cleaned(a, side)
    assert doc.to_original(a, side) == m.to_original(a, side)
    cs = m.to_cleaned(a, "right")
    assert doc.span_to_cleaned(a, b) == (cs, max(cs, m.to_cleaned(b, "left") if b > a else cs))
    os_ = m.to_original(a, "right")
    assert doc.span_to_original(a, b) == (os_, max(os_, m.to_original(b, "left") if b > a else os_))
    try:  # the general path builds the span as an Edit, which refuses a span out of bounds
        Edit(a, b, text[a:b], "", "", "", "")
    except ValueError:
        with pytest.raises(ValueError):
            doc.overlaps_edit(a, b)
    else:
        assert doc.overlaps_edit(a, b) is False


# -- round 6: variants and dedup per distinct string ------------------------------------------
# made-up katakana spellings over a few kana, so that near, equal-key and unrelated pairs all occur
KANA = st.text(alphabet="アイカキラリーンッ", min_size=1, max_size=9)


def _near_by_pairs(a: str, b: str, short: int, two_edits_from: int) -> bool:
    """The near test of one pair, as cluster_forms made it before the graph (a per-document index)."""
    from pipeline.stages.variants.alternations import fold_kana
    from pipeline.stages.variants.clusters import _deletion_set, _first_sounds_of, _neighbour_lengths

    ka, kb = fold_kana(a), fold_kana(b)
    da = _deletion_set(ka, 2 if len(ka) >= two_edits_from else 1)
    db = _deletion_set(kb, 2 if len(kb) >= two_edits_from else 1)
    sa, sb = _first_sounds_of(a), _first_sounds_of(b)
    return bool(da & db) and len(kb) in _neighbour_lengths(len(ka), short) and (sa[0] == sb[0] or sa[1] == sb[1])


@settings(max_examples=200, deadline=None)
@given(st.lists(KANA, min_size=1, max_size=12, unique=True), st.integers(2, 5), st.integers(3, 8))
def test_the_near_graph_holds_exactly_the_near_pairs(texts, short, two_edits_from):
    # the graph is made once per spelling, in any order; each pair must be near in it exactly
    # when the pairwise test says so (both ways round), whatever was seen before
    from pipeline.stages.variants.alternations import fold_kana
    from pipeline.stages.variants.clusters import _NearTexts

    graph = _NearTexts(short, two_edits_from)
    for t in texts:
        graph.neighbours(t, fold_kana(t))
    for a in texts:
        near = graph.neighbours(a, fold_kana(a))
        for b in texts:
            assert (b in near) == _near_by_pairs(a, b, short, two_edits_from), (a, b)


def test_a_full_near_graph_starts_again_with_the_same_answers(monkeypatch):
    # past its bound the graph is replaced at the next document; the clusters must not change
    from pipeline.stages.variants import clusters
    from pipeline.stages.variants.options import VariantOptions

    spellings = ["ハルトマン", "ハルターマン", "ミラノ", "ミラーノ", "ゲート", "ゲイト"]
    expected = [[f.text for f in c.forms] for c in clusters.cluster_forms(_forms_of(spellings), VariantOptions())]
    monkeypatch.setattr(clusters._NearTexts, "_LIMIT", 2)
    monkeypatch.setattr(clusters, "_NEAR_GRAPHS", {})
    for _ in range(3):  # the first call fills the graph past 2, the next ones start again
        got = [[f.text for f in c.forms] for c in clusters.cluster_forms(_forms_of(spellings), VariantOptions())]
        assert got == expected
    assert [g for g in expected if len(g) > 1] == [
        ["ハルトマン", "ハルターマン"],
        ["ミラノ", "ミラーノ"],
        ["ゲート", "ゲイト"],
    ]


def _forms_of(spellings):
    from pipeline.stages.variants.forms import _form

    return [_form(t) for t in spellings]


@pytest.mark.parametrize(
    "spellings, expected",
    [
        (["ハルトマン", "ハルターマン"], True),  # near spellings: one group
        (["ゲート", "ゲイト"], True),  # equal keys once folded
        (["ハルトマン", "ミラノ"], False),  # nothing alike: every form stays alone
        (["ハルトマン"], False),  # one form
        (["エミリ・ブロッジ", "エミリー・ブロッジ"], True),  # two joined names are always compared
    ],
)
def test_may_group_table(spellings, expected):
    from pipeline.stages.variants.clusters import may_group
    from pipeline.stages.variants.options import VariantOptions

    forms = _forms_of(spellings)
    for i, f in enumerate(forms):  # distinct first positions, as a document gives
        f.mentions[0].start = i
    if any("・" in t for t in spellings):
        for f in forms:
            f.kind = "joined"
    assert may_group(forms, VariantOptions()) is expected


def test_may_group_sees_a_latin_alias():
    # a Latin form joins a katakana one through the English gloss of its lemma
    from pipeline.stages.variants.clusters import may_group
    from pipeline.stages.variants.forms import _form
    from pipeline.stages.variants.options import VariantOptions

    kana = _form("ウォーターゲート", gloss="watergate")
    latin = _form("Watergate", kind="latin")
    latin.mentions[0].start = 5
    assert may_group([kana, latin], VariantOptions())
    assert not may_group([kana, _form("Zeta", kind="latin")], VariantOptions())


@settings(max_examples=200, deadline=None)
@given(st.lists(KANA, min_size=1, max_size=8, unique=True))
def test_may_group_never_hides_a_group(spellings):
    # may_group may say "maybe" too often, never "no" where cluster_forms groups two forms
    from pipeline.stages.variants.clusters import cluster_forms, may_group
    from pipeline.stages.variants.options import VariantOptions

    forms = _forms_of(spellings)
    for i, f in enumerate(forms):
        f.mentions[0].start = i
    options = VariantOptions()
    if not may_group(forms, options):
        assert all(len(c.forms) == 1 for c in cluster_forms(forms, options))


# classes a dedup token can have: words, skipped punctuation, digits, number separators, names, blanks
_TOKEN_PIECES = [
    ("行っ", "動詞-一般", "行く"),
    ("は", "助詞-係助詞", "は"),
    ("。", "補助記号-句点", "。"),
    ("、", "補助記号-読点", "、"),
    ("5", "名詞-数詞", "5"),
    ("000", "名詞-数詞", "000"),
    (",", "補助記号-読点", ","),
    (".", "補助記号-句点", "."),
    ("アルター", "名詞-固有名詞-人名", "アルター"),
    ("マン", "名詞-普通名詞-一般", "マン"),
    ("AI", "名詞-固有名詞-一般", "AI"),
    ("X", "名詞-固有名詞-一般", "X"),
    (" ", "空白", " "),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_TOKEN_PIECES), st.booleans()), max_size=14), st.booleans())
def test_dedup_units_by_stretches_are_the_token_loops(pieces, phonetic):
    # the stretch path (words picked from their classes, runs only where digits or names are) must
    # give the units of the token-by-token loop, for tokens adjacent or not (``gap``)
    from pipeline.document import Document

    tokens, text = [], ""
    for (surface, pos, lemma), gap in pieces:
        text += " " if gap and text else ""
        tokens.append(Token(len(text), len(text) + len(surface), surface, lemma, pos, ""))
        text += surface
    doc = Document(text)
    sentence = Sentence(0, len(text), 0, tokens)
    fast, _ = dedup_keys._unit_rows(doc, sentence, ([], [], []), phonetic, True, False, False)
    classes = dedup_keys._plain_classes_of(tokens)
    slow: list = []
    dedup_keys._run_rows(classes, tokens, 0, len(tokens), ([], [], []), phonetic, False, False, slow, [])
    assert fast == slow


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=30), st.lists(st.integers(0, 6), max_size=30))
def test_near_bounds_and_the_score_below_them(a, b):
    # check_near skips a pair by the lengths alone only where compare_near's score is below the
    # threshold anyway; below the bound compare_near's score is rapidfuzz's Indel similarity
    from rapidfuzz.distance import Indel

    from pipeline.stages.dedup.compare import compare_near
    from pipeline.stages.dedup.keys import SentenceKey
    from pipeline.stages.dedup.tables import EPS

    def key(units):
        return SentenceKey(
            0, 0, 0, 0, 0, (), units, [str(u) for u in units], [1] * len(units), [], 9, 9, False, False, True
        )

    threshold = 0.8
    score, why = compare_near(key(a), key(b), threshold)
    shorter, both = min(len(a), len(b)), len(a) + len(b)
    if both and 4 * shorter / (both + 2 * shorter) < threshold - EPS:  # as check_near skips
        assert score < threshold - EPS
    if why == "below threshold" and not a == b == []:
        assert score == Indel.normalized_similarity(a, b)

"""Markup stage: table-driven cases, the sample's debris, options, and hypothesis properties."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.document import Document, apply_edits, restore_text
from pipeline.run import Config, clean_text
from pipeline.stages.markup import MarkupOptions, compose_fixes, find_fixes, plan_edits, strip_markup
from pipeline.stages.segment import split_sentences

HERE = Path(__file__).parent
CASES = yaml.safe_load((HERE / "cases" / "markup_cases.yaml").read_text(encoding="utf-8"))
SAMPLE = (HERE.parent / "corpus" / "musk-altman-feud.ja.txt").read_text(encoding="utf-8")


def run_markup(text: str, options: MarkupOptions | None = None) -> Document:
    doc = Document(text)
    strip_markup(doc, options or MarkupOptions())
    return doc


def test_case_table_rows_are_well_formed():
    # every look-alike must come back untouched, so its expected output is its input
    assert all(c.get("out", c["in"]) == c["in"] for c in CASES["kept"])
    # a removal case that changes nothing would pass vacuously
    assert all(c["out"] != c["in"] for c in CASES["removed"])
    names = [c["name"] for c in CASES["removed"] + CASES["kept"]]
    assert len(names) == len(set(names)), "case names must be unique"


@pytest.mark.parametrize("case", CASES["removed"], ids=[c["name"] for c in CASES["removed"]])
def test_debris_is_removed(case):
    doc = run_markup(case["in"])
    assert doc.text == case["out"]
    assert doc.edits, "a removal must be recorded as an edit"
    for e in doc.edits:
        assert e.stage == "markup" and e.rule and e.reason
    assert restore_text(doc.text, doc.edits) == case["in"]
    assert not run_markup(doc.text).edits, "a second run changes nothing"


@pytest.mark.parametrize("case", CASES["kept"], ids=[c["name"] for c in CASES["kept"]])
def test_look_alikes_survive(case):
    doc = run_markup(case["in"])
    assert doc.text == case["in"]
    assert doc.edits == []
    if "flag" in case:
        assert case["flag"] in {f.rule for f in doc.flags}


# --- the sample -------------------------------------------------------------


def test_sample_markup_edits_are_exactly_the_three_debris():
    """Golden: the markup stage changes the sample in exactly three places."""
    doc = run_markup(SAMPLE)
    got = [(e.old, e.new, e.rule) for e in doc.edits]
    assert got == [
        (".", "", "stray-period"),
        ("000bn.である。", "", "number-fragment"),
        ('align: left;">', "\n", "attribute-tail"),
    ]


@pytest.fixture(scope="module")
def sample_doc() -> Document:
    return clean_text(SAMPLE, Config())


def test_sample_debris_gone_end_to_end(sample_doc):
    text = sample_doc.text
    assert "。." not in text
    assert "000bn" not in text
    assert 'align: left;">' not in text
    assert restore_text(text, sample_doc.edits) == SAMPLE


def test_sample_date_is_a_sentence_of_its_own(sample_doc):
    texts = [sample_doc.cleaned_slice(s.start, s.end) for s in sample_doc.sentences]
    assert "2023年7月" in texts


def test_date_is_its_own_sentence_without_line_breaks():
    doc = run_markup('ディープAIがDeepChatを発表。align: left;">2023年7月', MarkupOptions(breaks="never"))
    assert doc.text == "ディープAIがDeepChatを発表。2023年7月"
    assert [doc.text[a:b] for a, b in split_sentences(doc.text)] == ["ディープAIがDeepChatを発表。", "2023年7月"]


# --- another article, with other markup and debris than the sample's ----------

OTHER_ARTICLE = """\
<h1 class="title">東京の新しい美術館が開館</h1>
文：山田太郎
<p>東京都内に新しい美術館が１日、開館した。&nbsp;館長は「多くの人に来てほしい」と話した。</p><p>入館料は1,500円で、65歳以上は無料となる。</p>
<!-- ad slot -->
<script type="text/javascript">var ads = [1, 2]; if (a < b) { show(); }</script>
<div class="photo"><img src="/img/a.jpg" alt="開館式"></div>

開館式でテープカットする館長（中央）ら

展示は3階建ての建物で、約2,000点の作品が並ぶ。、、特に人気なのは、19世紀の浮世絵だ。。
館長によると、来年には「AT&amp;T」などの企業と提携する予定だ。.詳細はhttps://example.jp/museum?id=3&amp;lang=jaを参照。
font-size: 12px; color: #333;">問い合わせはinfo@example.jpまで。
展示数は3.5倍に増えた。1.2m.である。来館者は x < 50% の確率で再訪する。
"""


def test_other_article_end_to_end():
    doc = clean_text(OTHER_ARTICLE, Config())
    text = doc.text
    assert restore_text(text, doc.edits) == OTHER_ARTICLE
    for gone in ["<", "&amp;", "&nbsp;", "ad slot", "var ads", "。、、", "。。", "。.", "font-size", "1.2m."]:
        assert gone not in text.replace("x < 50%", ""), gone
    for kept in [
        "東京の新しい美術館が開館\n",
        "開館した。館長は「多くの人に来てほしい」と話した。\n入館料は1,500円",
        "「AT&T」",
        "https://example.jp/museum?id=3&lang=ja",
        "info@example.jp",
        "3.5倍に増えた。来館者は x < 50% の確率",
        "約2,000点の作品が並ぶ。特に人気なのは",
    ]:
        assert kept in text, kept
    labels = {doc.cleaned_slice(b.start, b.end).strip(): b.label for b in doc.blocks}
    assert labels["東京の新しい美術館が開館"] == "heading"
    assert labels["文：山田太郎"] == "byline"
    assert labels["開館式でテープカットする館長（中央）ら"] == "caption"


# --- options ------------------------------------------------------------------


def test_keep_options_leave_their_part():
    text = "<b>AT&amp;T</b>。。"
    assert run_markup(text, MarkupOptions(tags=False)).text == "<b>AT&T</b>。"
    assert run_markup(text, MarkupOptions(entities=False)).text == "AT&amp;T。"
    assert run_markup(text, MarkupOptions(debris=False)).text == "AT&T。。"


def test_cli_options_reach_the_stage():
    from pipeline.cli import build_parser
    from pipeline.commands.options import config_from_args

    args = build_parser().parse_args(["clean", "--keep-entities", "--markup-breaks", "never", "x.txt"])
    cfg = config_from_args(args)
    assert cfg.markup == MarkupOptions(entities=False, breaks="never")


def test_stage_refuses_to_run_after_other_edits():
    doc = Document("ab")
    doc.edit(0, 1, "", "other", "r", "why")
    with pytest.raises(ValueError):
        strip_markup(doc, MarkupOptions())


def test_flags_are_in_original_offsets():
    text = "<b>x</b>そして。...それから"
    doc = run_markup(text)
    (flag,) = [f for f in doc.flags if f.rule == "stray-period"]
    assert text[flag.start : flag.end] == "..."


def test_layered_debris_stops_at_the_pass_limit_and_flags():
    # each pass removes the innermost <b> and makes a new one: 20 layers need 20 passes
    text = "<" * 20 + "b>" * 20 + "本文"
    doc = run_markup(text, MarkupOptions(max_passes=3))
    assert "max-passes" in {f.rule for f in doc.flags}
    assert restore_text(doc.text, doc.edits) == text


def test_nested_cut_tags_go_in_one_pass():
    """`<p a="` twenty times (each cut tag followed by the next) is removed whole, far below the pass limit."""
    for tail in ["", "\n本文。", "本文。"]:
        text = '<p a="' * 20 + tail
        edits, _, passes = plan_edits(text, MarkupOptions())
        assert apply_edits(text, edits) == tail.lstrip("\n") or apply_edits(text, edits) == tail, tail
        assert passes <= 2


def test_compose_merges_a_fix_over_an_earlier_replacement():
    original = "語&amp;lt;b&amp;gt;語"  # (between ASCII letters, x<b>y, it would be kept as a comparison)
    edits, _, passes = plan_edits(original, MarkupOptions())
    assert apply_edits(original, edits) == "語語"
    assert passes >= 2
    assert [e.old for e in edits] == ["&amp;lt;b&amp;gt;"]


def test_compose_without_fixes_is_identity():
    assert compose_fixes("abc", [], "abc", []) == []


# --- properties ---------------------------------------------------------------

DEBRIS = [
    "<b>",
    "</p>",
    "<br/>",
    '<span class="x">',
    '<div style="a:b"',
    "<!--",
    "-->",
    "<script>",
    "</script>",
    'align: left;">',
    '" target="_blank">',
    'class="date">',
    "&amp;",
    "&nbsp;",
    "&#12290;",
    "&lt;",
    "&gt;",
    "。.",
    "。。",
    "、、",
    "000bn.である。",
    "  ",
    ".",
    ",",
    "<",
    ">",
    '"',
    "'",
    ";",
    "=",
]
SAFE = [
    "A<B",
    "x < 50%",
    "C++",
    "<3",
    "->",
    "@ケルトマン",
    "Keltman, Inc.",
    "No. 1",
    "2025年1月~2月",
    "a.b@example.com",
    "https://example.com/a?b=1&c=2",
    '"foo_bar"',
    '"第一弟 "',
    "(人工知能)",
    "…",
    "‥",
    "Wait... what",
    "3.14",
    "5,000億ドル",
    "R&D",
    "AT&T",
]
JA = ["本文。", "ケルトマンは言った。", "2023年7月", "発表", "、", "\n", "\n\n", " ", "語"]

mixed = st.one_of(
    st.lists(st.sampled_from(DEBRIS + SAFE + JA), max_size=30).map("".join),
    st.lists(
        st.one_of(st.sampled_from(DEBRIS + JA), st.text(alphabet="<>\"';:=&#/ -.,。、語a\n", max_size=6)), max_size=20
    ).map("".join),
    st.text(max_size=80),
)
PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(mixed)
def test_markup_round_trip_bounds_and_idempotence(text):
    doc = run_markup(text)
    assert restore_text(doc.text, doc.edits) == text
    prev_end = 0
    for e in doc.edits:
        assert prev_end <= e.start <= e.end <= len(text)
        assert text[e.start : e.end] == e.old and e.old != e.new
        prev_end = e.end
    for f in doc.flags:
        assert 0 <= f.start <= f.end <= len(text)
    if "max-passes" not in {f.rule for f in doc.flags}:
        again, _ = find_fixes(doc.text, MarkupOptions())
        assert again == [], "the markup stage is idempotent"


@PROPS
@given(st.lists(st.sampled_from(SAFE), min_size=1, max_size=8))
def test_look_alikes_inside_japanese_sentences_are_never_touched(pieces):
    text = "".join(f"彼は{p}と言った。" for p in pieces)
    assert run_markup(text).edits == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed)
def test_whole_pipeline_restores(text):
    doc = clean_text(text, Config())
    assert restore_text(doc.text, doc.edits) == text


def test_flags_are_capped_per_rule_with_one_summary():
    """A text with 250 kept look-alikes gets 100 flags of that rule and one flag summing up the rest."""
    text = "。.NET" * 250
    doc = run_markup(text)
    flags = [f for f in doc.flags if f.rule == "stray-period"]
    assert len(flags) == 101
    assert "150 more" in flags[-1].reason
    assert flags[-1].start == flags[99].start + 5 and flags[-1].end == len(text) - 3  # the 101st to the 250th "."


# --- golden articles: other markup, debris and layouts than the sample's ----------
#
# tests/fixtures/markup/NAME.txt is the input, NAME.expected.txt the text after the
# markup stage alone (reviewed line by line), NAME.labels.tsv one `label<TAB>line`
# per block after markup, segment and blocks.
#   railway  - WordPress export: wp comments, [caption]/[gallery] shortcodes, &#x3002;,
#              &quot; inside 「」, &amp;nbsp;, data-* attribute tail at a line start
#   chips    - wire story: 【ジュネーブ=共同】, 。 。 and 、。, a table, 写真=AP credit,
#              ■ heading, a 2024年 line and 1月5日： entries
#   webdev   - an article about HTML: 「<p>タグ」, &lt;h1&gt;と書く, a<b>c, <=, =>, P&G,
#              AT&T, (^_^;), >>1, ;), e-mail, URL with &, full-width ＡＩ/ＩｏＴ
#   marathon - </div></div> runs, "> at a line start, <a href=…target="_blank cut and glued
#              to the next words, style tails, Photo: Getty Images, （写真：ロイター）

FIXTURES = HERE / "fixtures" / "markup"
GOLDEN = sorted(p.name.split(".")[0] for p in FIXTURES.glob("*.expected.txt"))


def read_fixture(name: str, suffix: str) -> str:
    return (FIXTURES / f"{name}{suffix}").read_text(encoding="utf-8")


def test_golden_fixtures_exist():
    assert GOLDEN == ["chips", "marathon", "railway", "webdev"]


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_markup_text(name):
    source = read_fixture(name, ".txt")
    doc = run_markup(source)
    assert doc.text == read_fixture(name, ".expected.txt")
    assert restore_text(doc.text, doc.edits) == source
    assert not run_markup(doc.text).edits, "a second run changes nothing"


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_block_labels(name):
    from pipeline.stages.blocks import BlockOptions, label_blocks
    from pipeline.stages.segment import segment_document

    doc = run_markup(read_fixture(name, ".txt"))
    segment_document(doc)
    label_blocks(doc, BlockOptions())
    got = [f"{b.label}\t{doc.cleaned_slice(b.start, b.end).strip()}" for b in doc.blocks]
    assert got == read_fixture(name, ".labels.tsv").splitlines()


# what each article must keep word for word (look-alikes), and the flags it must raise
GOLDEN_KEPT = {
    "webdev": [
        "「<p>タグ」と「<br>タグ」",
        "<h1>と書くと",
        "不等式 a<b>c のような",
        "「a <= b」や「x => y」",
        "P&G出身",
        "元AT&T社員",
        "(^_^;)",
        "「>>1」",
        "いるという;)",
        "info@example.jpか、https://example.jp/?page=contact&lang=jaで",
        "C++やPython",
        "<title>要素",
        '<a href="...">のような書き方',
        "ＡＩやＩｏＴ",
    ],
    "marathon": ["３万８０００人", "ＭＧＣの上位２人", "1,100万円", "2時間2分40秒", "日本陸連の瀬古リーダーは、"],
    "chips": ["AI(人工知能)", "４割", "【ジュネーブ=共同】", "1月5日：米政府"],
    "railway": ['「"みどりの風"」', "２日", "ＪＲの駅", "2,400円"],
}
GOLDEN_FLAGS = {
    "webdev": {("tag", "<p>"), ("tag", "<br>"), ("tag", "<b>"), ("tag", "<title>"), ("tag", '<a href="...">')},
}


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_look_alikes_kept_and_flagged(name):
    source = read_fixture(name, ".txt")
    doc = run_markup(source)
    for piece in GOLDEN_KEPT[name]:
        assert piece in doc.text, piece
    flags = {(f.rule, source[f.start : f.end]) for f in doc.flags}
    assert GOLDEN_FLAGS.get(name, set()) <= flags


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_whole_pipeline_restores(name):
    source = read_fixture(name, ".txt")
    doc = clean_text(source, Config())
    assert restore_text(doc.text, doc.edits) == source
    assert clean_text(doc.text, Config()).text == doc.text, "cleaning the cleaned text changes nothing"
    from pipeline.stages.blocks import DROPPABLE, BlockOptions

    dropped = clean_text(source, Config(blocks=BlockOptions(drop=DROPPABLE)))
    assert restore_text(dropped.text, dropped.edits) == source


# -- the debris pre-tests (round 6): find_debris skips a pattern only when no match of it can exist --

# pieces the debris patterns react to (marks, periods, digits, Latin, spaces, line breaks, copulas)
# and plain Japanese, so that random texts hit every pattern and every pre-test both ways
_DEBRIS_PIECES = [
    "。",
    "、",
    "！",
    "？",
    ".",
    ",",
    "．",
    "，",
    "3",
    "12",
    "A",
    "b",
    " ",
    "  ",
    "　",
    "\n",
    "です",
    "一",
    "「",
    "」",
]


def _debris_without_pre_tests(text: str):
    """find_debris as it was before its pre-tests: every pattern over the whole text (the reference)."""
    from pipeline.stages.markup import detectors as d
    from pipeline.stages.markup.model import Doubt, Fix
    from pipeline.stages.markup.rules import load_rules

    rules = load_rules()
    fixes, doubts = [], []
    for m in d._STRAY_AFTER_MARK.finditer(text):
        fixes.append(
            Fix(m.start(), m.end(), "", "stray-period", f"stray {m.group()!r} after a Japanese punctuation mark")
        )
    for m in d._STRAY_BEFORE_LATIN.finditer(text):
        reason = f"{m.group()!r} after a Japanese mark before a Latin word (.NET?): kept"
        doubts.append(Doubt(m.start(), m.end(), "stray-period", reason))
    for m in d._LONG_DOTS_AFTER_MARK.finditer(text):
        reason = "dots after a Japanese punctuation mark (an ellipsis?): kept"
        doubts.append(Doubt(m.start(), m.end(), "stray-period", reason))
    for m in d._STRAY_AT_START.finditer(text):
        a = m.start("mark")
        fixes.append(Fix(a, a + 1, "", "stray-period", f"stray {m.group('mark')!r} starting a line of Japanese text"))
    for m in d._REPEATED_MARK.finditer(text):
        run = m.group()
        keep = "。" if "。" in run else "、"
        fixes.append(Fix(m.start(), m.end(), keep, "repeated-mark", f"{run!r} repeated punctuation"))
    for m in d._SPACES.finditer(text):
        new = "" if text[m.start() - 1] in d._CLOSING else " "
        fixes.append(Fix(m.start(), m.end(), new, "double-space", "repeated spaces inside Japanese text"))
    for m in d._NUMBER_FRAGMENT.finditer(text):
        frag, ending = m.group("frag"), m.group("end")
        if frag[-1] in ".," and (not ending or ending in rules.fragment_endings):
            reason = f"{m.group()!r}: leftover of an English number, no sentence of its own"
            fixes.append(Fix(m.start(), m.end(), "", "number-fragment", reason))
        elif any(c.isalpha() for c in frag) or frag[-1] in ".,":
            reason = "short sentence made of a number fragment: kept"
            doubts.append(Doubt(m.start(), m.end(), "number-fragment", reason))
    for m in d._NUMBER_PREFIX.finditer(text):
        doubts.append(Doubt(m.start(), m.end(), "number-fragment", f"{m.group()!r} glued to the next sentence: kept"))
    return fixes, doubts


@pytest.mark.parametrize(
    "text, spans",
    [
        # a comma after a full stop, no other period in the text: the mark pre-test must let it through
        ("終わった。,次に進む。", [(5, 6)]),
        # a full-width period after a mark: '.' and ',' are absent, the full-width one is not
        ("終わった。．次に進む。", [(5, 6)]),
        # a number fragment at the start of a line (no sentence end before it)
        ("前の行\n3.です。", [(4, 9)]),
        # a number fragment after a sentence end (no digit at a line start)
        ("前の文。3.です。", [(4, 9)]),
        # two spaces inside Japanese text
        ("前の文  次の文", [(3, 5)]),
    ],
)
def test_debris_pre_tests_let_matches_through(text, spans):
    from pipeline.stages.markup.detectors import find_debris
    from pipeline.stages.markup.rules import load_rules

    fixes, _ = find_debris(text, load_rules())
    assert [(f.start, f.end) for f in fixes] == spans


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_DEBRIS_PIECES), max_size=30).map("".join))
def test_debris_pre_tests_change_no_finding(text):
    """Whatever the text, find_debris gives exactly the fixes and doubts (and their order) of every pattern run."""
    from pipeline.stages.markup.detectors import find_debris
    from pipeline.stages.markup.rules import load_rules

    assert find_debris(text, load_rules()) == _debris_without_pre_tests(text)

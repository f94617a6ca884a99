"""The HTML report: structure, escaping of hostile input, CSP, size on a 200 KB article."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from review_helpers import DEDUP_REASON, PAYLOADS, VARIANT_REASON, make_document

from pipeline.document import Document, Edit
from pipeline.review.html import SCRIPT, STYLE, csp_hash, render_report, render_row, stage_class
from pipeline.review.rows import build_rows
from pipeline.stages.segment import segment_document

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "musk-altman-feud.ja.txt"


# The only elements the report makes; anything else came from the input.
ALLOWED_TAGS = set(
    [
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "header",
        "h1",
        "h2",
        "p",
        "a",
        "label",
        "input",
        "span",
        "main",
        "details",
        "summary",
        "ol",
        "ul",
        "li",
        "section",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "colgroup",
        "col",
        "del",
        "ins",
        "sup",
        "mark",
        "q",
        "em",
        "b",
        "script",
    ]
)
ID_RE = re.compile(r"^(c\d+|doc\d+|top|only)$")
CLASS_RE = re.compile(r"^[a-z0-9 -]*$")


class PageParser(HTMLParser):
    """Every element with its attributes, the text, and script/style contents."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in self.raw:
            self._in = tag
            self.raw[tag].append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in:
            self.raw[self._in][-1] += data
        else:
            self.text.append(data)


def parse(page: str) -> PageParser:
    p = PageParser()
    p.feed(page)
    p.close()
    return p


def assert_safe(page: str) -> PageParser:
    """The page holds only the report's own elements, attributes, links and script."""
    p = parse(page)
    tags = {t for t, _ in p.elements}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    for tag, attrs in p.elements:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "srcdoc" not in attrs and "src" not in attrs, (tag, attrs)
        if "href" in attrs:
            assert attrs["href"].startswith("#"), attrs
        if "id" in attrs:
            assert ID_RE.match(attrs["id"]), attrs
        if "class" in attrs:
            assert CLASS_RE.match(attrs["class"]), attrs
    assert p.raw["script"] == [SCRIPT]
    assert p.raw["style"] == [STYLE]
    return p


def test_hostile_input_is_shown_as_text_and_nothing_else():
    doc = make_document(source="x" + PAYLOADS[2] + PAYLOADS[0])
    page = render_report([doc], title="report " + PAYLOADS[1])
    p = assert_safe(page)
    text = "".join(p.text)
    assert len(PAYLOADS) >= 5
    for payload in PAYLOADS:
        assert payload in text, payload  # visible, verbatim, as text
    titles = [a["title"] for _, a in p.elements if a.get("title")]
    assert any(PAYLOADS[5] in t for t in titles)  # a reason with a quote breakout, intact inside title=
    assert "<script>document" not in page and 'onerror="' not in page


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(list("<>\"'&/=` \n;:()a-zスミ。") + ["script", "javascript:", "onerror", "&#x3c;"]), max_size=30
    ).map("".join),
    st.lists(st.sampled_from(list("<>\"'&/= ") + ["onload", "script"]), max_size=12).map("".join),
)
def test_any_input_text_rule_and_reason_stay_escaped(text, reason):
    doc = Document(text, id=reason, source=reason)
    segment_document(doc)
    if text:
        doc.add_edits([Edit(0, 1, text[0], reason, reason or "s", reason, reason)])
    doc.flag(0, len(text), reason, reason, reason)
    doc.annotations["variants"] = {"clusters": [{"canonical": reason, "forms": {text: 1}}]}
    assert_safe(render_report([doc], title=reason))


def test_content_security_policy_allows_only_the_pages_own_script_and_style():
    page = render_report([make_document()])
    [csp] = [
        a["content"]
        for t, a in parse(page).elements
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    policy = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == csp_hash(SCRIPT)
    assert policy["style-src"] == csp_hash(STYLE)
    assert policy["base-uri"] == "'none'" and policy["form-action"] == "'none'"
    # the policy comes before any style or script
    assert page.index("Content-Security-Policy") < page.index("<style>") < page.index("<script>")
    assert "Content-Security-Policy" not in render_report([make_document()], csp=False)


def test_report_shows_removed_duplicate_variant_groups_and_summary():
    page = render_report([make_document()])
    p = parse(page)
    text = "".join(p.text)
    assert "(removed)" in text and DEDUP_REASON in text and VARIANT_REASON in text
    assert "Variant groups (2)" in text and "スミッス ×2" in text
    assert "Edits per stage and rule" in text
    # the removed duplicate still shows the variant rewrite it superseded
    assert any(t == "mark" and "superseded variants/variant" in a.get("title", "") for t, a in p.elements)
    # jump links: every change row has an id and links to its neighbours
    ids = [a["id"] for t, a in p.elements if t == "tr" and "id" in a]
    assert ids == [f"c{i}" for i in range(len(ids))] and len(ids) >= 4
    hrefs = {a["href"] for t, a in p.elements if t == "a"}
    assert {f"#c{i}" for i in range(len(ids))} <= hrefs


def test_row_html_golden():
    doc = Document("犬が<b>走る。")
    doc.edit(2, 5, "", "markup", "tag", "HTML tag")
    title = "markup/tag: HTML tag\n&#x27;&lt;b&gt;&#x27; removed"
    assert render_row(doc, build_rows(doc)[0], "c0", None, "c1") == (
        '<tr class="chg" id="c0"><td class="ln"><a href="#top" title="top">↑</a>1<a href="#c1" title="next change">↓</a></td>'
        f'<td class="o">犬が<del class="s-markup" title="{title}">&lt;b&gt;</del><sup>1</sup>走る。</td>'
        f'<td class="c">犬が<sup title="{title}">1</sup>走る。</td>'
        '<td class="why"><ol><li><sup>1</sup><span class="tag s-markup">markup/tag</span> HTML tag <q>&lt;b&gt;</q> removed</li></ol></td></tr>\n'
    )


STAGE_CLASS_CASES = [
    ("dedup", "s-dedup"),  # a known stage
    ("Variants", "s-variants"),  # case folded
    ('x" onclick="y', "s-xonclicky"),  # quotes and spaces dropped
    ("ステージ", "s-"),  # nothing usable left
]


@pytest.mark.parametrize("stage, expected", STAGE_CLASS_CASES)
def test_stage_class_is_always_a_safe_token(stage, expected):
    assert stage_class(stage) == expected


def big_document(target_bytes: int = 200_000) -> Document:
    """The sample repeated to 200 KB of UTF-8, with an edit every ~150 characters."""
    base = SAMPLE.read_text(encoding="utf-8")
    text = base * (target_bytes // len(base.encode("utf-8")) + 1)
    doc = Document(text, source="big.txt")
    segment_document(doc)
    edits = []
    for i, s in enumerate(doc.sentences):
        if i % 3 == 0 and s.end - s.start > 4:
            edits.append(Edit(s.start, s.start + 2, text[s.start : s.start + 2], "〇", "variants", "variant", "test"))
        elif i % 7 == 0:
            edits.append(Edit(s.start, s.end, text[s.start : s.end], "", "dedup", "exact", "test"))
    doc.add_edits(edits)
    return doc


def test_a_200_kb_article_makes_a_page_of_rows_not_of_characters():
    doc = big_document()
    assert len(doc.original.encode("utf-8")) >= 200_000
    page = render_report([doc])
    rows = build_rows(doc)
    elements = page.count("<") - page.count("</")
    # a row is a <tr> of four cells (+3 for jump links and the list of reasons when
    # changed); an edit adds at most 10 elements (marks, numbers, its reason);
    # the rest is the header and summary tables
    assert elements <= 5 * len(rows) + 3 * len(doc.edits) + 10 * len(doc.edits) + 300

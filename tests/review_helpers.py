"""The hand-made document the review tests share (not a test module): its lines, edits and hostile strings.

``tests/test_review.py``, ``tests/test_review_html.py`` and ``tests/test_browser.py`` review it.
"""

from __future__ import annotations

from pipeline.document import Document, Edit
from pipeline.stages.segment import segment_document

# Classic injection strings: each would change the page (title, an attribute
# on <body>, an element with id=pwned) if it ever ran.
PAYLOADS = [
    "<script>document.title='PWNED'</script>",  # plain script element
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">",  # event handler on a failing image
    "\"><svg onload=\"document.body.setAttribute('data-pwned','svg')\">",  # attribute breakout + svg onload
    "<a href=\"javascript:document.body.setAttribute('data-pwned','js')\">link</a>",  # javascript: URL
    "</textarea><script>document.body.setAttribute('data-pwned','textarea')</script>",  # raw-text element escape
    "' onmouseover='document.body.setAttribute(\"data-pwned\",\"attr\")' autofocus onfocus='document.title=\"PWNED\"' x='",  # single-quote attribute breakout
    "</td></tr></table><div id=pwned>pwned</div>",  # table breakout adding an element
    "<iframe srcdoc=\"<script>parent.document.title='PWNED'</script>\"></iframe>",  # nested document
    '<style>body{display:none}</style><base href="https://example.invalid/">',  # style and base injection
]

LINES = [
    "見出し<b>ニュース</b>",
    "スミス氏は火曜日、新しい計画を発表した。スミッス氏は火曜日、新しい計画を発表した。",
    "スミッス氏によると、計画は来年始まる。",
    "スミス氏の会社は東京にある。",
    *(f"入力{i}は{p}を含む。" for i, p in enumerate(PAYLOADS)),
]
DEDUP_REASON = "exact repeat of sentence 1 after variant normalisation"
VARIANT_REASON = "variant of 'スミス' (2 of 4 mentions)"


def find(text: str, s: str, k: int = 0) -> int:
    i = -1
    for _ in range(k + 1):
        i = text.index(s, i + 1)
    return i


def make_document(source: str = "review-sample.txt") -> Document:
    """A small article with markup, variant and dedup edits, a flag, and hostile strings.

    The rule, reason and flag of the payload lines carry injection strings too,
    and so do the id, the source and the variant groups.
    """
    text = "\n".join(LINES) + "\n"
    doc = Document(text, id="sample" + PAYLOADS[2], source=source)
    b, eb = find(text, "<b>"), find(text, "</b>")
    doc.add_edits(
        [
            Edit(b, b + 3, "<b>", "", "markup", "tag", "HTML tag"),
            Edit(eb, eb + 4, "</b>", "", "markup", "tag", "HTML tag"),
        ]
    )
    segment_document(doc)  # as in the pipeline: after markup
    v1, v2 = find(text, "スミッス", 0), find(text, "スミッス", 1)
    doc.add_edits(
        [
            Edit(v1, v1 + 4, "スミッス", "スミス", "variants", "variant", VARIANT_REASON),
            Edit(v2, v2 + 4, "スミッス", "スミス", "variants", "variant", VARIANT_REASON),
        ]
    )
    end = find(text, "。", 1) + 1
    doc.add_edits([Edit(v1, end, text[v1:end], "", "dedup", "exact", DEDUP_REASON)])
    # payload 0's script tag removed by markup with a hostile rule name and reason
    p0 = find(text, PAYLOADS[0])
    doc.add_edits([Edit(p0, p0 + len(PAYLOADS[0]), PAYLOADS[0], "", "markup", PAYLOADS[1], "reason " + PAYLOADS[5])])
    p3 = find(text, PAYLOADS[3])
    doc.flag(p3, p3 + len(PAYLOADS[3]), "markup", "tag-like", "kept: " + PAYLOADS[4])
    doc.annotations["variants"] = {
        "clusters": [
            {"canonical": "スミス", "forms": {"スミス": 2, "スミッス": 2}},
            {"canonical": PAYLOADS[6], "forms": {PAYLOADS[0]: 1, PAYLOADS[2]: 1}},
        ],
        "mentions": [],
    }
    return doc

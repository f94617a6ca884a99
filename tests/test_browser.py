"""The HTML report in a real browser (headless Chromium from its command line).

Skipped when no Chromium is installed (Debian: ``apt-get install chromium
fonts-noto-cjk``; or point ``$CHROMIUM`` at a binary).  ``--dump-dom`` gives
the DOM after scripts ran, so a payload that executed would show: it sets
``document.title``, puts ``data-pwned`` on ``<body>`` or adds ``#pwned``.
A positive control shows that the same payloads do run when not escaped.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from review_helpers import DEDUP_REASON, PAYLOADS, VARIANT_REASON, make_document

from pipeline.review.browser import dump_dom, find_chromium, screenshot
from pipeline.review.html import render_report

CHROMIUM = find_chromium()
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="headless Chromium not found: install Debian's chromium package (apt-get install chromium fonts-noto-cjk) or set CHROMIUM",
    ),
]


TITLE = "Cleaning report"


class Dom(HTMLParser):
    """Elements with attributes, the title, and the text of each table row's cells."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.rows: list[dict] = []
        self.title = ""
        self._in_title = False
        self._cell: list[str] | None = None
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag == "title":
            self._in_title = True
        elif tag == "tr":
            self.rows.append({"class": a.get("class") or "", "id": a.get("id"), "cells": []})
        elif tag == "td" and self.rows:
            self._cell = []
            self.rows[-1]["cells"].append(self._cell)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "td":
            self._cell = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._cell is not None:
            self._cell.append(data)

    def cells(self, row: dict) -> list[str]:
        return ["".join(c) for c in row["cells"]]


def assert_no_payload_ran(dom: Dom) -> None:
    assert dom.title == TITLE
    for tag, attrs in dom.elements:
        assert "data-pwned" not in attrs, (tag, attrs)
        assert attrs.get("id") != "pwned", (tag, attrs)
        assert tag not in {"img", "svg", "iframe", "textarea", "base"}, (tag, attrs)


def test_positive_control_the_payloads_do_run_when_not_escaped(tmp_path):
    """Without escaping, the detector sees the payloads act: the checks below are meaningful."""
    page = tmp_path / "unsafe.html"
    body = PAYLOADS[0] + PAYLOADS[1] + PAYLOADS[6]
    page.write_text(
        f"<!DOCTYPE html><html><head><title>{TITLE}</title></head><body>{body}</body></html>", encoding="utf-8"
    )
    dom = Dom(dump_dom(page))
    assert dom.title == "PWNED"
    assert any(attrs.get("data-pwned") == "img" for _, attrs in dom.elements)
    assert any(attrs.get("id") == "pwned" for _, attrs in dom.elements)


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "escaping-alone"])
def test_report_shows_changes_with_reasons_and_runs_no_input_script(tmp_path, csp):
    page = tmp_path / "report.html"
    page.write_text(render_report([make_document()], title=TITLE, csp=csp), encoding="utf-8")
    dom = Dom(dump_dom(page))
    # the page's own script ran (allowed by its CSP hash): scripts do run here
    [(_, html_attrs)] = [(t, a) for t, a in dom.elements if t == "html"]
    assert html_attrs.get("data-report") == "ready"
    assert_no_payload_ran(dom)
    changed = [dom.cells(r) for r in dom.rows if r["class"] == "chg"]
    # the removed duplicate: struck out on the left, "(removed)" on the right, with its reason
    assert any(
        "スミッス氏は火曜日、新しい計画を発表した。" in o and c.startswith("(removed)") and DEDUP_REASON in why
        for _, o, c, why in changed
    )
    # the normalised variant: old spelling on the left, canonical one on the right, with its reason
    assert any(
        o.startswith("スミッス") and c.startswith("スミス") and VARIANT_REASON in why for _, o, c, why in changed
    )
    # every injection string is on the page as text
    text = "".join("".join(cell) for r in dom.rows for cell in r["cells"])
    assert all(p in text for p in PAYLOADS)
    if csp:
        png = screenshot(page, tmp_path / "report.png", 1400, 1000)
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a rendered page, not a blank one

"""Markup and punctuation debris: tags, comments, entities, attribute tails, stray marks.

The stage runs first, on the original text, and records every change as an
:class:`~pipeline.document.Edit` (stage ``markup``) with its rule and reason.

Rules (tables in ``pipeline/data/markup_rules.yaml``):

* ``raw-block`` – ``<script>``/``<style>``/``<noscript>``/``<template>`` with
  their content, across lines.
* ``comment`` – ``<!-- … -->`` (an unclosed ``<!--`` is flagged, not removed).
* ``tag`` – a complete tag of a known element: ``<span class="x">``, ``</p>``,
  ``<br/>``, ``<!DOCTYPE html>``.  ``A<B``, ``<3``, ``x < 50%`` are not tags.
* ``broken-tag`` – a known element's opening tag cut before its ``>``:
  ``<p style="text-al`` at the end of a line, ``<span class="x"語`` glued to
  text.
* ``attribute-tail`` – the end of a tag whose start was cut:
  ``align: left;">``, ``style="text-align: center;">``, ``class="date">``,
  ``" target="_blank">``.
* ``entity`` – named and numeric character references (``&amp;``, ``&#12290;``,
  ``&#x3002;``, also double-escaped ``&amp;lt;``), decoded with Python's
  :mod:`html` tables; space entities become a space, or nothing between
  Japanese characters.
* ``stray-period`` – ``.``/``,`` glued after 。、！？ (``。.``) or starting a
  line before Japanese text.
* ``repeated-mark`` – ``。。``, ``、、``, ``。、`` runs become one mark.
* ``double-space`` – two or more spaces between Japanese characters.
* ``number-fragment`` – a "sentence" that is only the leftover of an English
  number and a copula (``7m.です。``).

A removed block-level tag or attribute tail that sits between a sentence end
and more text on the same line becomes a line break (``--markup-breaks
never`` deletes it instead).  Fragments that could be content are flagged
(``doc.flags``) and kept.

The rules run to a fixed point (removing ``<b>`` from ``<<b>b>`` makes a new
tag), and the edits of all passes are folded into edits against the
original, so running the stage on its own output changes nothing.

All patterns are linear on hostile input: possessive quantifiers, bounded
repeats, and ``str.find`` for the constructs that span lines.

>>> from pipeline.document import Document
>>> doc = Document('<p class="x">AT&amp;T社が発表。</p>')
>>> strip_markup(doc, MarkupOptions())
>>> doc.text
'AT&T社が発表。'
>>> doc = Document('公表した。align: left;">2021年3月')
>>> strip_markup(doc, MarkupOptions())
>>> doc.text
'公表した。\\n2021年3月'
"""

from __future__ import annotations

import argparse
import html
import html.entities
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from pipeline.document import Document, Edit, OffsetMap, apply_edits

STAGE = "markup"


@dataclass(frozen=True)
class MarkupOptions:
    """What the markup stage removes.

    ``breaks``: ``"auto"`` puts a line break where a block-level tag or an
    attribute tail is removed between a sentence end and more text on the same
    line; ``"never"`` just deletes it.
    """

    tags: bool = True  # tags, broken tags, comments, script/style blocks, attribute tails
    entities: bool = True  # character references
    debris: bool = True  # punctuation debris and number fragments
    breaks: str = "auto"
    max_passes: int = 8


@dataclass(frozen=True)
class Fix:
    """A change proposed on the text of one pass (offsets in that text)."""

    start: int
    end: int
    new: str
    rule: str
    reason: str
    breaks: bool = False  # a block-level tag or a tail: may become a line break


@dataclass(frozen=True)
class Doubt:
    """Something that looks like debris but could be content (offsets in the pass text)."""

    start: int
    end: int
    rule: str
    reason: str


# ---------------------------------------------------------------------------
# rule tables


@dataclass(frozen=True)
class Rules:
    block_tags: frozenset[str]
    inline_tags: frozenset[str]
    raw_text_tags: frozenset[str]
    boolean_attributes: frozenset[str]
    space_chars: frozenset[str]
    fragment_endings: tuple[str, ...]
    cell_tags: frozenset[str] = frozenset()
    void_tags: frozenset[str] = frozenset()
    mention_words: tuple[str, ...] = ()
    shortcodes: frozenset[str] = frozenset()
    line_break_tags: frozenset[str] = frozenset()

    @property
    def tags(self) -> frozenset[str]:
        return self.block_tags | self.inline_tags | self.raw_text_tags


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The tables of ``pipeline/data/markup_rules.yaml``."""
    raw: dict[str, dict[str, Any]] = yaml.safe_load(
        resources.files("pipeline.data").joinpath("markup_rules.yaml").read_text(encoding="utf-8")
    )
    return Rules(
        block_tags=frozenset(str(k).lower() for k in raw["block_tags"]),
        inline_tags=frozenset(str(k).lower() for k in raw["inline_tags"]),
        raw_text_tags=frozenset(str(k).lower() for k in raw["raw_text_tags"]),
        boolean_attributes=frozenset(str(k).lower() for k in raw["boolean_attributes"]),
        space_chars=frozenset(str(k) for k in raw["space_entities"]),
        fragment_endings=tuple(sorted((str(k) for k in raw["fragment_endings"]), key=len, reverse=True)),
        cell_tags=frozenset(str(k).lower() for k in raw["cell_tags"]),
        void_tags=frozenset(str(k).lower() for k in raw["void_tags"]),
        mention_words=tuple(sorted((str(k) for k in raw["mention_words"]), key=len, reverse=True)),
        shortcodes=frozenset(str(k).lower() for k in raw["shortcodes"]),
        line_break_tags=frozenset(str(k).lower() for k in raw.get("line_break_tags") or ()),
    )


# ---------------------------------------------------------------------------
# character classes

# Japanese script and full-width punctuation (kana, kanji, CJK symbols, full-width forms).
JA = "\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff9f"
_JA_CHAR = re.compile(f"[{JA}]")
SENTENCE_END = "。！？"
# after these, spaces between Japanese characters are dropped rather than collapsed to one
_CLOSING = "。、！？」』）】〉》〕"


def is_japanese(c: str) -> bool:
    """Is ``c`` a Japanese letter or full-width mark?

    >>> is_japanese("。"), is_japanese("語"), is_japanese("a"), is_japanese("")
    (True, True, False, False)
    """
    return bool(c) and _JA_CHAR.match(c) is not None


# ---------------------------------------------------------------------------
# patterns (all bounded or possessive: no backtracking blow-up)

_ATTR_NAME = r"[A-Za-z_:@][A-Za-z0-9_:.\-]{0,60}+"
# value: double- or single-quoted (no <, > or line break inside), unquoted, or
# a quoted value cut short: printable ASCII up to the end of the line, up to the
# next tag, or up to Japanese text (`target="_blank記事は…`: the Japanese is
# text, not part of the value)
_CUT_VALUE = r"""["'][\x20\x21\x23-\x26\x28-\x3b\x3d\x3f-\x7e]{0,2000}+(?=\r?\n|\Z|<|[^\x00-\x7f])"""
_ATTR_VALUE = rf"""(?:"[^"<>\n]{{0,2000}}+"|'[^'<>\n]{{0,2000}}+'|[^\s"'<>`=][^\s"'<>`]{{0,2000}}+|{_CUT_VALUE})"""
# the same, with ASCII-only quoted values: re-reads an unclosed tag whose value ran into Japanese text
_ATTR_VALUE_ASCII = (
    r"""(?:"[\x20\x21\x23-\x3b\x3d\x3f-\x7e]{0,2000}+"|'[\x20-\x26\x28-\x3b\x3d\x3f-\x7e]{0,2000}+'"""
    rf"""|[^\s"'<>`=][^\s"'<>`]{{0,2000}}+|{_CUT_VALUE})"""
)


def _tag_pattern(value: str) -> re.Pattern[str]:
    return re.compile(
        rf"""<(?P<slash>/?)(?P<name>(?i:!doctype)|[A-Za-z][A-Za-z0-9]{{0,20}}+(?::[A-Za-z][A-Za-z0-9]{{0,20}}+)?)(?![A-Za-z0-9:\-])
    (?P<attrs>(?:[ \t\r\f\v]{{1,50}}+{_ATTR_NAME}(?:[ \t]{{0,5}}+=[ \t]{{0,5}}+{value})?){{0,60}}+)
    [ \t]{{0,50}}+(?P<close>/?>)?""",
        re.X,
    )


_TAG = _tag_pattern(_ATTR_VALUE)
_TAG_ASCII = _tag_pattern(_ATTR_VALUE_ASCII)
_ATTR_IN_TAG = re.compile(rf"[ \t\r\f\v]{{1,50}}+({_ATTR_NAME})([ \t]{{0,5}}+=[ \t]{{0,5}}+{_ATTR_VALUE})?")
_QUOTED_VALUE_AT_END = re.compile(r"""=[ \t]{0,5}+(?:"[^"<>\n]{0,2000}+"|'[^'<>\n]{0,2000}+')$""")

# attribute tail: the end of a tag whose "<name" was cut off
_Q_ATTR = rf"""{_ATTR_NAME}[ \t]{{0,5}}+=[ \t]{{0,5}}+(?:"[^"<>\n]{{0,500}}+"|'[^'<>\n]{{0,500}}+')"""
_CSS_DECL = r"[A-Za-z\-]{1,40}+[ \t]{0,5}+:[ \t]{0,5}+[A-Za-z0-9_ \t#%.,()/!+*\-]{0,100}+"
_CSS = rf"{_CSS_DECL}(?:;[ \t]{{0,5}}+{_CSS_DECL}){{0,30}}+;?[ \t]{{0,5}}+"
# a cut value (URL, word, CSS value) glued to the text before it
_VALFRAG = r"[A-Za-z0-9_#%.,()/!+*:?=&~\-]{1,300}+(?:;[ \t]{0,5}+(?:" + _CSS + r")?)?"
_TAIL = re.compile(
    rf"""(?<![A-Za-z0-9_\-;:="'&])
    (?:
        {_CSS}["']                                   # align: left;"
      | (?:(?<![\x00-\x7f])|(?<=\n)){_VALFRAG}["']  # _blank"  (glued to non-ASCII text or a line start)
      | ["'](?=[ \t]{{0,5}}+{_ATTR_NAME}[ \t]{{0,5}}+=)  # " target=...
      | {_Q_ATTR}                                    # class="date"
    )
    (?:[ \t]{{0,5}}+{_Q_ATTR}){{0,20}}+[ \t]{{0,5}}+/?>""",
    re.X,
)
# lone `">` left by a tail we could not read: flagged only
_LONE_TAIL = re.compile(r"""["']/?>""")
# ...but at the start of a line, before text, it is the end of a tag cut on the line above
_LINE_START_TAIL = re.compile(r"""(?m)^[ \t]{0,20}+["']/?>(?=[^\s"'<>])""")

_ENTITY = re.compile(
    r"&(?P<amps>(?:amp;){0,10})(?P<body>#[0-9]{1,8}+|#[xX][0-9a-fA-F]{1,8}+|[A-Za-z][A-Za-z0-9]{1,31}+);"
)

_STRAY_AFTER_MARK = re.compile(r"(?<=[。、！？])[.,．，]{1,2}+(?![.,0-9．，A-Za-z])")
# ...before a Latin letter it may be a name (`。.NETは`): flagged only
_STRAY_BEFORE_LATIN = re.compile(r"(?<=[。、！？])[.,](?=[A-Za-z])")
_STRAY_AT_START = re.compile(rf"(?m)^[ \t]{{0,20}}+(?P<mark>[.,])(?=[ \t]{{0,3}}+[{JA}])")
_LONG_DOTS_AFTER_MARK = re.compile(r"(?<=[。、！？])[.,．，]{3,}+")
# `。。`, `、。`, and MT's `。 。` (marks with a space or two between them)
_REPEATED_MARK = re.compile(r"[。、](?:[ \u3000]{0,2}+[。、])++")
_SPACES = re.compile(rf"(?<=[{JA}]) {{2,}}+(?=[{JA}])")
# a number fragment (digits with Latin letters or a final period) and an optional copula, as a whole sentence
_NUMBER_FRAGMENT = re.compile(
    rf"(?:(?<=[{SENTENCE_END}])|(?<=^))(?P<frag>[.,]?[0-9][0-9A-Za-z,.]{{0,15}}+)(?P<end>[\u3041-\u309f]{{0,6}}+)。",
    re.M,
)
# the same, but followed by more Japanese text: flagged only
_NUMBER_PREFIX = re.compile(rf"(?<=[{SENTENCE_END}])(?P<frag>[.,]?[0-9][0-9,.]*+[A-Za-z]{{1,5}}+\.)(?=[{JA}])")


# ---------------------------------------------------------------------------
# detectors: each returns fixes (and doubts) in the coordinates of `text`


def find_raw_blocks(text: str, rules: Rules) -> tuple[list[Fix], list[Doubt]]:
    """``<script>…</script>`` and the like, content included.

    >>> find_raw_blocks("a<script>x<y</script>b", load_rules())[0]
    [Fix(start=1, end=21, new='', rule='raw-block', reason='<script> element with its content', breaks=False)]
    """
    fixes: list[Fix] = []
    doubts: list[Doubt] = []
    names = "|".join(sorted(rules.raw_text_tags))
    opener = re.compile(rf"<({names})(?![A-Za-z0-9\-])[^<>]{{0,2000}}+>", re.I)
    closers = {n: re.compile(rf"</{n}[ \t\r\n]{{0,50}}+>", re.I) for n in rules.raw_text_tags}
    unclosed: set[str] = set()
    pos = 0
    while True:
        m = opener.search(text, pos)
        if not m:
            break
        name = m.group(1).lower()
        if name in unclosed:
            pos = m.end()
            continue
        c = closers[name].search(text, m.end())
        if not c:
            unclosed.add(name)  # no closer anywhere after: none of the later openers has one either
            doubts.append(Doubt(m.start(), m.end(), "raw-block", f"<{name}> without </{name}>: content kept"))
            pos = m.end()
            continue
        fixes.append(Fix(m.start(), c.end(), "", "raw-block", f"<{name}> element with its content"))
        pos = c.end()
    return fixes, doubts


_SHORTCODE = re.compile(
    r"""\[(?P<slash>/?)(?P<name>[a-z][a-z0-9_\-]{0,40}+)"""
    r"""(?P<attrs>(?:[ \t]{1,10}+[A-Za-z_][A-Za-z0-9_\-]{0,40}+=(?:"[^"\]\n]{0,500}+"|'[^'\]\n]{0,500}+'|[^\s\]"']{1,200}+)){0,30}+)"""
    r"""[ \t]{0,10}+/?\]"""
)


def find_shortcodes(text: str, rules: Rules) -> tuple[list[Fix], list[Doubt]]:
    """WordPress/CMS shortcode markers (``[caption id="…"]``, ``[/caption]``); the text between them is kept.

    >>> text = '[caption id="a1" width="640"]会見する社長[/caption] [video] [gallery ids="1,2"]'
    >>> [text[f.start : f.end] for f in find_shortcodes(text, load_rules())[0]]
    ['[caption id="a1" width="640"]', '[/caption]', '[gallery ids="1,2"]']
    """
    fixes: list[Fix] = []
    doubts: list[Doubt] = []
    if "[" not in text:
        return fixes, doubts
    found = [m for m in _SHORTCODE.finditer(text) if m.group("name") in rules.shortcodes]
    openers = {m.group("name"): m.start() for m in reversed(found) if not m.group("slash")}  # first opener
    closers = {m.group("name"): m.start() for m in found if m.group("slash")}  # last closer
    for m in found:
        name, slash = m.group("name"), m.group("slash")
        if _is_mentioned(text, m.start(), m.end(), rules):
            doubts.append(Doubt(m.start(), m.end(), "shortcode", f"[{slash}{name}] written about: kept"))
            continue
        if slash:
            paired = openers.get(name, len(text)) < m.start()
        else:
            paired = bool(m.group("attrs")) or closers.get(name, -1) > m.start()
        if paired:
            fixes.append(Fix(m.start(), m.end(), "", "shortcode", f"CMS shortcode [{slash}{name}]"))
        else:
            doubts.append(Doubt(m.start(), m.end(), "shortcode", f"bare [{slash}{name}] without its partner: kept"))
    return fixes, doubts


def find_comments(text: str) -> tuple[list[Fix], list[Doubt]]:
    """``<!-- … -->`` comments (they may span lines).

    >>> find_comments("a<!-- x -->b<!-- open")
    ([Fix(start=1, end=11, new='', rule='comment', reason='HTML comment', breaks=False)], [Doubt(start=12, end=16, rule='comment', reason='unclosed HTML comment: kept')])
    """
    fixes: list[Fix] = []
    doubts: list[Doubt] = []
    pos = 0
    while True:
        a = text.find("<!--", pos)
        if a < 0:
            break
        b = text.find("-->", a + 4)
        if b < 0:
            doubts.append(Doubt(a, a + 4, "comment", "unclosed HTML comment: kept"))
            break
        fixes.append(Fix(a, b + 3, "", "comment", "HTML comment"))
        pos = b + 3
    return fixes, doubts


def _attrs_are_valid(attrs: str, rules: Rules) -> bool:
    """Every attribute without a value must be a known boolean attribute (or data-*/aria-*)."""
    for m in _ATTR_IN_TAG.finditer(attrs):
        if m.group(2):
            continue
        name = m.group(1).lower()
        if name in rules.boolean_attributes or name.startswith(("data-", "aria-")):
            continue
        return False
    return True


def find_tags(text: str, rules: Rules) -> tuple[list[Fix], list[Doubt]]:
    """Complete tags of known elements, and opening tags cut before their ``>``.

    >>> text = '<span class="x">語</span>A<B x<50 <br/> a<b>c'
    >>> [text[f.start : f.end] for f in find_tags(text, load_rules())[0]]
    ['<span class="x">', '</span>', '<br/>']
    """
    fixes: list[Fix] = []
    doubts: list[Doubt] = []
    known = rules.tags
    cut: list[tuple[int, int, str, bool]] = []  # unclosed tags: start, end, name, block
    partners: dict[tuple[int, str], Any] = {}
    for m in _TAG.finditer(text):
        name = m.group("name").lower()
        if name != "!doctype" and name not in known:
            if m.group("close") and m.group("attrs") and _attrs_are_valid(m.group("attrs"), rules):
                # a well-formed tag of an element not in the tables: whole, so no tail rule eats its end
                doubts.append(Doubt(m.start(), m.end(), "tag", f"<{name}> is not in the tag tables: kept whole"))
            continue
        attrs = m.group("attrs")
        if name != "!doctype" and not _attrs_are_valid(attrs, rules):
            continue
        block = name in rules.block_tags
        if _is_mentioned(text, m.start(), m.end(), rules):
            doubts.append(
                Doubt(m.start(), m.end(), "tag", f"<{name}> written about (quoted or followed by タグ/要素): kept")
            )
            continue
        if m.group("close"):
            if _looks_like_comparison(text, m, name, rules, partners):
                doubts.append(Doubt(m.start(), m.end(), "tag", f"<{name}> between letters, no partner (a<b>c?): kept"))
                continue
            kind = "end tag" if m.group("slash") else "tag"
            fixes.append(Fix(m.start(), m.end(), "", "tag", f"HTML {kind} <{m.group('slash')}{name}>", block))
            continue
        end = m.end()
        if not attrs.isascii():  # a quoted value ran on into Japanese text: read it again, ASCII only
            m2 = _TAG_ASCII.match(text, m.start())
            if m2 is None or m2.group("close"):
                doubts.append(Doubt(m.start(), end, "broken-tag", f"looks like a cut <{name}> tag: kept"))
                continue
            attrs, end = m2.group("attrs"), m2.end()
        cut.append((m.start(), end, name, block))
    # no '>': a cut tag, if it clearly carries attributes; right to left, so that a
    # cut tag followed by another cut tag that reaches the line end counts as at the line end
    removed_at: set[int] = set()
    for start, end, name, block in reversed(cut):
        attrs = text[start:end]
        nxt = text[end : end + 1]
        at_line_end = nxt in ("", "\n", "\r") or end in removed_at
        has_value = "=" in attrs
        glued = not nxt.isascii() and (_QUOTED_VALUE_AT_END.search(attrs.rstrip()) or _CUT_VALUE_AT_END.search(attrs))
        if has_value and (at_line_end or glued):
            fixes.append(Fix(start, end, "", "broken-tag", f"HTML <{name}> tag cut before its '>'", block))
            removed_at.add(start)
        elif has_value:
            doubts.append(Doubt(start, end, "broken-tag", f"looks like a cut <{name}> tag: kept"))
    fixes.sort(key=lambda f: f.start)
    return fixes, doubts


_CUT_VALUE_AT_END = re.compile(r"""=[ \t]{0,5}+["'][\x20\x21\x23-\x26\x28-\x3b\x3d\x3f-\x7e]{0,2000}+$""")


def _looks_like_comparison(
    text: str, m: re.Match[str], name: str, rules: Rules, partners: dict[tuple[int, str], Any] | None = None
) -> bool:
    """``a<b>c``: a bare inline tag between ASCII letters or digits, with no partner on its line.

    ``partners`` caches, per (line start, partner tag), whether the line holds it.

    >>> m = _TAG.search("a<b>c")
    >>> _looks_like_comparison("a<b>c", m, "b", load_rules()), _looks_like_comparison("a<b>c</b>", m, "b", load_rules())
    (True, False)
    """
    if m.group("attrs") or name in rules.void_tags or name in rules.block_tags:
        return False
    a, b = m.start(), m.end()
    before, after = text[a - 1 : a], text[b : b + 1]
    if not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum()):
        return False
    cache = {} if partners is None else partners
    # the start of the line, searched back only to the previous tag's line (matches come in order)
    lo, prev_ls = cache.get((-1, ""), (0, 0))
    nl = text.rfind("\n", lo, a)
    ls = nl + 1 if nl >= 0 else prev_ls
    cache[(-1, "")] = (a, ls)
    partner = f"<{name}" if m.group("slash") else f"</{name}"
    key = (ls, partner)
    if key not in cache:
        le = text.find("\n", ls)
        line = text[ls : le if le >= 0 else len(text)]
        cache[key] = partner in line.lower()
    return not cache[key]


# a tag that the text talks about: 「<p>」, "<br>", <p>タグ, <div>要素, the <p> tag
_MENTION_AFTER = re.compile(r"[ \t](?:tags?|elements?)\b", re.I)
_QUOTES = {"「": "」", "『": "』", '"': '"', "“": "”", "`": "`", "'": "'", "＂": "＂", "（": "）", "(": ")"}


def _is_mentioned(text: str, a: int, b: int, rules: Rules | None = None) -> bool:
    """Is the tag at ``text[a:b]`` quoted or named as a tag, i.e. content about HTML?

    >>> _is_mentioned("「<p>」で段落", 1, 4), _is_mentioned("<p>タグは", 0, 3), _is_mentioned("<p>本文", 0, 3)
    (True, True, False)
    """
    rules = rules or load_rules()
    if _MENTION_AFTER.match(text, b) or text.startswith(rules.mention_words, b):
        return True
    if a > 0 and b < len(text):
        closer = _QUOTES.get(text[a - 1])
        return closer is not None and text[b] == closer
    return False


def find_tails(text: str) -> tuple[list[Fix], list[Doubt]]:
    """Attribute and CSS tails of tags whose start was cut off.

    >>> text = '公表。align: left;">2021年 " target="_blank">x class="date">'
    >>> [text[f.start : f.end] for f in find_tails(text)[0]]
    ['align: left;">', '" target="_blank">', 'class="date">']
    """
    fixes: list[Fix] = []
    doubts: list[Doubt] = []
    if '">' not in text and "'>" not in text and '"/>' not in text and "'/>" not in text:
        return fixes, doubts
    taken_ends: set[int] = set()
    for m in _TAIL.finditer(text):
        fixes.append(Fix(m.start(), m.end(), "", "attribute-tail", "end of an HTML tag whose start was cut off", True))
        taken_ends.add(m.end())
    for m in _LINE_START_TAIL.finditer(text):
        if m.end() not in taken_ends:
            reason = "quote and '>' starting a line: end of a tag cut on the line above"
            fixes.append(Fix(m.start(), m.end(), "", "attribute-tail", reason, True))
            taken_ends.add(m.end())
    for m in _LONE_TAIL.finditer(text):
        if m.end() not in taken_ends:
            doubts.append(Doubt(m.start(), m.end(), "attribute-tail", "quote and '>' that may end a cut tag: kept"))
    return fixes, doubts


def find_entities(text: str, rules: Rules) -> tuple[list[Fix], list[Doubt]]:
    """Named and numeric character references, decoded with :func:`html.unescape`.

    >>> [(f.new, f.rule) for f in find_entities("AT&amp;T 。&#12290; R&D &bogus; 語&nbsp;語 a&nbsp;b", load_rules())[0]]
    [('&', 'entity'), ('。', 'entity'), ('', 'space-entity'), (' ', 'space-entity')]
    """
    fixes: list[Fix] = []
    doubts: list[Doubt] = []
    html5 = html.entities.html5
    for m in _ENTITY.finditer(text):
        body = m.group("body")
        if not body.startswith("#") and body + ";" not in html5:
            continue
        decoded = html.unescape("&" + body + ";")
        if decoded == "\ufffd" or any(_is_bad_char(c) for c in decoded):
            doubts.append(
                Doubt(
                    m.start(),
                    m.end(),
                    "entity",
                    f"character reference &{body}; to a control or invalid character: kept",
                )
            )
            continue
        layers = "double-escaped " if m.group("amps") else ""
        if decoded in rules.space_chars:
            fixes.append(Fix(m.start(), m.end(), " ", "space-entity", f"{layers}space entity &{body};"))
            continue
        fixes.append(Fix(m.start(), m.end(), decoded, "entity", f"{layers}character reference &{body};"))
    return _settle_space_runs(text, fixes), doubts


def _settle_space_runs(text: str, fixes: list[Fix]) -> list[Fix]:
    """A run of touching space entities with Japanese (or a line edge) on both sides becomes nothing."""
    out = list(fixes)
    edge = ("", "\n", "\r")
    i = 0
    while i < len(out):
        if out[i].rule != "space-entity":
            i += 1
            continue
        j = i
        while j + 1 < len(out) and out[j + 1].rule == "space-entity" and out[j + 1].start == out[j].end:
            j += 1
        before = text[out[i].start - 1 : out[i].start]
        after = text[out[j].end : out[j].end + 1]
        if (is_japanese(before) or before in edge) and (is_japanese(after) or after in edge):
            for k in range(i, j + 1):
                f = out[k]
                out[k] = Fix(f.start, f.end, "", f.rule, f.reason + " in Japanese text")
        i = j + 1
    return out


def _is_bad_char(c: str) -> bool:
    o = ord(c)
    return (o < 0x20 and c not in "\t\n") or 0x7F <= o < 0xA0 or 0xD800 <= o < 0xE000 or (o & 0xFFFE) == 0xFFFE


def find_debris(text: str, rules: Rules) -> tuple[list[Fix], list[Doubt]]:
    """Punctuation debris and number fragments.

    >>> text = "去った。.次に、、そして。。。終わり。"
    >>> [(text[f.start : f.end], f.new) for f in find_debris(text, load_rules())[0]]
    [('.', ''), ('、、', '、'), ('。。。', '。')]
    """
    fixes: list[Fix] = []
    doubts: list[Doubt] = []
    for m in _STRAY_AFTER_MARK.finditer(text):
        fixes.append(
            Fix(m.start(), m.end(), "", "stray-period", f"stray {m.group()!r} after a Japanese punctuation mark")
        )
    for m in _STRAY_BEFORE_LATIN.finditer(text):
        doubts.append(
            Doubt(
                m.start(),
                m.end(),
                "stray-period",
                f"{m.group()!r} after a Japanese mark before a Latin word (.NET?): kept",
            )
        )
    for m in _LONG_DOTS_AFTER_MARK.finditer(text):
        doubts.append(
            Doubt(m.start(), m.end(), "stray-period", "dots after a Japanese punctuation mark (an ellipsis?): kept")
        )
    for m in _STRAY_AT_START.finditer(text):
        a = m.start("mark")
        fixes.append(Fix(a, a + 1, "", "stray-period", f"stray {m.group('mark')!r} starting a line of Japanese text"))
    for m in _REPEATED_MARK.finditer(text):
        run = m.group()
        keep = "。" if "。" in run else "、"
        fixes.append(Fix(m.start(), m.end(), keep, "repeated-mark", f"{run!r} repeated punctuation"))
    for m in _SPACES.finditer(text):
        before = text[m.start() - 1]
        new = "" if before in _CLOSING else " "
        fixes.append(Fix(m.start(), m.end(), new, "double-space", "repeated spaces inside Japanese text"))
    for m in _NUMBER_FRAGMENT.finditer(text):
        frag, ending = m.group("frag"), m.group("end")
        # an English sentence's period glued to a Japanese copula is the residue signal;
        # "3Mです。" (no period) may well be content: flagged only
        residue = frag[-1] in ".," and (not ending or ending in rules.fragment_endings)
        if residue:
            reason = f"{m.group()!r}: leftover of an English number, no sentence of its own"
            fixes.append(Fix(m.start(), m.end(), "", "number-fragment", reason))
        elif any(c.isalpha() for c in frag) or frag[-1] in ".,":
            doubts.append(
                Doubt(m.start(), m.end(), "number-fragment", "short sentence made of a number fragment: kept")
            )
    for m in _NUMBER_PREFIX.finditer(text):
        doubts.append(Doubt(m.start(), m.end(), "number-fragment", f"{m.group()!r} glued to the next sentence: kept"))
    return fixes, doubts


# ---------------------------------------------------------------------------
# one pass: collect, resolve overlaps, decide line breaks

# earlier detectors win when fixes overlap
_PRIORITY = {
    "raw-block": 0,
    "comment": 1,
    "tag": 2,
    "broken-tag": 2,
    "shortcode": 2,
    "attribute-tail": 3,
    "entity": 4,
    "space-entity": 4,
}
_MARKUP_RULES = frozenset({"raw-block", "comment", "tag", "broken-tag", "shortcode", "attribute-tail"})
# a sentence end, possibly inside its closing bracket
_SENTENCE_CLOSE = SENTENCE_END + "!?」』）)”"


def find_fixes(text: str, options: MarkupOptions) -> tuple[list[Fix], list[Doubt]]:
    """All non-overlapping fixes of one pass over ``text``, and the doubts."""
    rules = load_rules()
    found: list[Fix] = []
    doubts: list[Doubt] = []
    if options.tags:
        for fx, db in (
            find_raw_blocks(text, rules),
            find_comments(text),
            find_tags(text, rules),
            find_shortcodes(text, rules),
            find_tails(text),
        ):
            found += fx
            doubts += db
        # a tag kept as content (「<a href="...">のような」) is not an attribute tail either
        kept = [(d.start, d.end) for d in doubts if d.rule in ("tag", "shortcode")]
        if kept:
            found = [f for f in found if f.rule != "attribute-tail" or not _inside_any(f, kept)]
    if options.entities:
        fx, db = find_entities(text, rules)
        found += fx
        doubts += db
    if options.debris:
        fx, db = find_debris(text, rules)
        found += fx
        doubts += db
    chosen = _resolve(found)
    if options.breaks == "auto":
        chosen = _place_breaks(text, chosen)
    return chosen, doubts


def _inside_any(f: Fix, spans: list[tuple[int, int]]) -> bool:
    return any(a < f.end and f.start < b for a, b in spans)


def _resolve(found: list[Fix]) -> list[Fix]:
    """Keep the higher-priority fix where two overlap (same priority: the earlier, then the longer).

    >>> [f.rule for f in _resolve([Fix(0, 5, "", "entity", ""), Fix(2, 8, "", "tag", ""), Fix(8, 9, "", "tag", "")])]
    ['tag', 'tag']
    """
    levels: dict[int, list[Fix]] = {}
    for f in found:
        levels.setdefault(_PRIORITY.get(f.rule, 9), []).append(f)
    kept: list[Fix] = []  # sorted by start, non-overlapping
    for level in sorted(levels):
        accepted: list[Fix] = []
        i = 0
        last_end = -1
        for f in sorted(levels[level], key=lambda x: (x.start, -(x.end - x.start))):
            while i < len(kept) and kept[i].end <= f.start:
                i += 1
            if (i < len(kept) and kept[i].start < f.end) or f.start < last_end:
                continue
            accepted.append(f)
            last_end = f.end
        kept = sorted(kept + accepted, key=lambda x: x.start)
    return kept


def _place_breaks(text: str, fixes: list[Fix]) -> list[Fix]:
    """A removed run of markup with more text on both sides may become a line break or a space.

    A run is a sequence of tag/tail deletions with at most spaces between
    them.  A run holding a block-level tag becomes a line break; one holding
    an attribute tail becomes a line break only after a sentence end (the tail
    glues two sentences, ``公表。align: left;">2021年3月``).  Otherwise, between
    two Latin letters or digits, a space keeps the words apart.  A run of
    table-cell tags inside a row (``</td><td>``) becomes one space, so a row
    stays one line.  Spaces that a removed run leaves at the start or the end
    of a line go too.
    """
    cells = load_rules().cell_tags
    out = list(fixes)
    n = len(out)
    gaps: list[Fix] = []
    i = 0
    while i < n:
        if out[i].new or out[i].rule not in _MARKUP_RULES:
            i += 1
            continue
        j = i
        while (
            j + 1 < n
            and out[j + 1].rule in _MARKUP_RULES
            and not out[j + 1].new
            and _only_spaces(text, out[j].end, out[j + 1].start)
        ):
            j += 1
        run = out[i : j + 1]
        before = text[run[0].start - 1] if run[0].start > 0 else "\n"
        after = text[run[-1].end] if run[-1].end < len(text) else "\n"
        has_text_around = before not in "\r\n" and not after.isspace()
        block = any(f.breaks and f.rule != "attribute-tail" for f in run)
        tail = any(f.rule == "attribute-tail" for f in run)
        breaks_here = (block or tail) and before in _SENTENCE_CLOSE or _is_block_boundary(text, run)
        f = run[0]
        if has_text_around and all(_tag_name(text, x) in cells for x in run):
            out[i] = Fix(f.start, f.end, " ", f.rule, f.reason + "; a space between two table cells", f.breaks)
            for a, b in zip(run, run[1:], strict=False):
                if a.end < b.start:
                    gaps.append(Fix(a.end, b.start, "", "tag", "space between removed tags"))
        elif has_text_around and breaks_here:
            out[i] = Fix(f.start, f.end, "\n", f.rule, f.reason + "; a line break takes its place", f.breaks)
            for a, b in zip(run, run[1:], strict=False):
                if a.end < b.start:
                    gaps.append(Fix(a.end, b.start, "", "tag", "space between removed tags"))
        elif (block or tail) and before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
            out[i] = Fix(f.start, f.end, " ", f.rule, f.reason + "; a space keeps the words apart", f.breaks)
        gaps += _edge_spaces(text, run, out[i - 1].end if i > 0 else 0, out[j + 1].start if j + 1 < n else len(text))
        i = j + 1
    return sorted(out + gaps, key=lambda x: x.start) if gaps else out


def _is_block_boundary(text: str, run: list[Fix]) -> bool:
    """The run says "new line" mid-text: a ``<br>``/``<hr>``, or a block that ends before another begins.

    ``</h2><p>`` and ``</p> <p>`` are boundaries; a lone ``<div class="a">`` or
    ``</div>`` inside a sentence is not.
    """
    rules = load_rules()
    closed = False
    for f in run:
        name = _tag_name(text, f)
        if name in rules.line_break_tags:
            return True
        if name not in rules.block_tags or not f.breaks:
            continue
        if text.startswith("</", f.start):
            closed = True
        elif closed:
            return True
    return False


def _edge_spaces(text: str, run: list[Fix], lo: int, hi: int) -> list[Fix]:
    """Spaces or tabs between a removed run and the start or the end of its line (within ``lo``..``hi``).

    >>> _edge_spaces("<b> 語", [Fix(0, 3, "", "tag", "")], 0, 5)
    [Fix(start=3, end=4, new='', rule='tag', reason='space left at a line edge by removed markup', breaks=False)]
    """
    a, b = run[0].start, run[-1].end
    reason = "space left at a line edge by removed markup"
    if a == 0 or text[a - 1] in "\r\n":
        k = b
        while k < hi and text[k] in " \t":
            k += 1
        if k > b and k < len(text) and text[k] not in "\r\n":
            return [Fix(b, k, "", run[0].rule, reason)]
    if b == len(text) or text[b] in "\r\n":
        k = a
        while k > lo and text[k - 1] in " \t":
            k -= 1
        if k < a:
            return [Fix(k, a, "", run[-1].rule, reason)]
    return []


_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9]{0,20}+)")


def _tag_name(text: str, fix: Fix) -> str:
    m = _TAG_NAME.match(text, fix.start) if fix.rule in ("tag", "broken-tag") else None
    return m.group(1).lower() if m else ""


def _only_spaces(text: str, a: int, b: int) -> bool:
    return a == b or (b - a <= 20 and not text[a:b].strip(" \t"))


# ---------------------------------------------------------------------------
# passes folded into edits against the original


def compose_fixes(original: str, edits: list[Edit], text: str, fixes: list[Fix]) -> list[Edit]:
    """Fold fixes on ``text`` (= ``original`` with ``edits``) into edits on ``original``.

    A fix that touches the replacement text of an earlier edit, or contains a
    deletion, is merged with it into one edit whose ``old`` is the original
    span and whose ``new`` is the final text.

    >>> e = [Edit(1, 4, "<b>", "", "markup", "tag", "t")]
    >>> compose_fixes("<<b>b>x", e, "<b>x", [Fix(0, 3, "", "tag", "t2")])
    [Edit(start=0, end=6, old='<<b>b>', new='', stage='markup', rule='tag', reason='t2; t', supersedes=())]
    """
    if not fixes:
        return list(edits)
    omap = OffsetMap(edits)
    # regions in cleaned coordinates: [cs, ce, first absorbed edit, last absorbed edit + 1, fixes]
    regions: list[list[Any]] = []
    for f in sorted(fixes, key=lambda x: (x.start, x.end)):
        if f.start >= f.end:
            raise ValueError("zero-width fixes are not supported")
        cs, ce = f.start, f.end
        # base edits whose new text overlaps the fix, or deletions strictly inside it
        absorbed = [
            (k, ks, ke)
            for k, ks, ke in omap.cleaned_extents(cs, ce)
            if (ks < ce and ke > cs) or (ks == ke and cs < ks < ce)
        ]
        a0, a1 = (absorbed[0][0], absorbed[-1][0] + 1) if absorbed else (-1, -1)
        if absorbed:
            cs = min(cs, absorbed[0][1])
            ce = max(ce, absorbed[-1][2])
        if regions and regions[-1][1] > cs:  # overlaps the previous region (through a shared edit)
            r = regions[-1]
            r[1] = max(r[1], ce)
            if absorbed:
                r[2] = a0 if r[2] < 0 else min(r[2], a0)
                r[3] = max(r[3], a1)
            r[4].append(f)
        else:
            regions.append([cs, ce, a0, a1, [f]])
    gone: set[int] = set()
    new_edits: list[Edit] = []
    for cs, ce, a0, a1, fs in regions:
        os_ = omap.to_original(cs, "right")
        oe = omap.to_original(ce, "left")
        if a0 >= 0:
            gone.update(range(a0, a1))
            os_ = min(os_, edits[a0].start)
            oe = max(oe, edits[a1 - 1].end)
        parts: list[str] = []
        pos = cs
        for f in fs:
            parts.append(text[pos : f.start])
            parts.append(f.new)
            pos = f.end
        parts.append(text[pos:ce])
        new = "".join(parts)
        old = original[os_:oe]
        rules = [f.rule for f in fs] + ([edits[k].rule for k in range(a0, a1)] if a0 >= 0 else [])
        reasons = [f.reason for f in fs] + ([edits[k].reason for k in range(a0, a1)] if a0 >= 0 else [])
        if old == new:
            continue
        new_edits.append(
            Edit(os_, oe, old, new, STAGE, "+".join(dict.fromkeys(rules)), "; ".join(dict.fromkeys(reasons)))
        )
    kept = [e for k, e in enumerate(edits) if k not in gone]
    return sorted(kept + new_edits, key=lambda e: (e.start, e.end))


def plan_edits(original: str, options: MarkupOptions) -> tuple[list[Edit], list[Doubt], int]:
    """Run the detectors to a fixed point; edits and doubts in original offsets, and the passes used."""
    edits: list[Edit] = []
    doubts: dict[tuple[int, int, str], Doubt] = {}
    text = original
    passes = 0
    for passes in range(1, options.max_passes + 1):  # noqa: B007 - used after the loop
        fixes, found = find_fixes(text, options)
        omap = OffsetMap(edits)
        for d in found:
            a = omap.to_original(d.start, "right")
            b = max(a, omap.to_original(d.end, "left"))
            doubts.setdefault((a, b, d.rule), Doubt(a, b, d.rule, d.reason))
        if not fixes:
            break
        edits = compose_fixes(original, edits, text, fixes)
        text = apply_edits(original, edits)
    else:
        passes = options.max_passes + 1
    return edits, sorted(doubts.values(), key=lambda d: (d.start, d.end)), passes


# at most this many flags per rule and document; the rest are summed up in one flag
FLAGS_PER_RULE = 100


def add_flags_capped(doc: Document, stage: str, doubts: list[Doubt], cap: int = FLAGS_PER_RULE) -> None:
    """Flag each doubt, but at most ``cap`` per rule; one more flag spans and counts the rest.

    >>> doc = Document("x" * 10)
    >>> add_flags_capped(doc, "markup", [Doubt(i, i + 1, "r", "why") for i in range(5)], cap=2)
    >>> [(f.start, f.end, f.reason) for f in doc.flags]
    [(0, 1, 'why'), (1, 2, 'why'), (2, 5, '3 more r flags in this span, not listed one by one')]
    """
    seen: dict[str, list[Doubt]] = {}
    for d in doubts:
        rest = seen.setdefault(d.rule, [])
        if len(rest) < cap:
            doc.flag(d.start, d.end, stage, d.rule, d.reason)
        rest.append(d)
    for rule, ds in seen.items():
        more = ds[cap:]
        if more:
            a, b = min(d.start for d in more), max(d.end for d in more)
            doc.flag(a, b, stage, rule, f"{len(more)} more {rule} flags in this span, not listed one by one")


def strip_markup(doc: Document, options: MarkupOptions) -> None:
    """Record edits that remove markup and punctuation debris; flag the doubtful cases."""
    if doc.edits:
        raise ValueError("the markup stage must run first, on the original text")
    edits, doubts, passes = plan_edits(doc.original, options)
    # a flagged span that an edit changed is no longer in doubt
    probe = doc.with_edits(edits)
    add_flags_capped(doc, STAGE, [d for d in doubts if d.end > d.start and not probe.overlaps_edit(d.start, d.end)])
    if passes > options.max_passes:
        doc.flag(0, len(doc.original), STAGE, "max-passes", f"markup still changing after {options.max_passes} passes")
    if edits:
        doc.add_edits(edits)
    for e in edits:
        for rule in e.rule.split("+"):
            doc.count(STAGE, rule)


def add_arguments(group: argparse._ArgumentGroup) -> None:
    """Command-line options of this stage (for ``clean`` and ``batch``)."""
    group.add_argument(
        "--keep-tags", action="store_true", help="leave tags, comments, script/style blocks and attribute tails"
    )
    group.add_argument(
        "--keep-entities", action="store_true", help="leave character references such as &amp; undecoded"
    )
    group.add_argument(
        "--keep-debris",
        action="store_true",
        help="leave punctuation debris (。. 。。 、、 double spaces, number fragments)",
    )
    group.add_argument(
        "--markup-breaks",
        choices=("auto", "never"),
        default="auto",
        help="auto (default): a block tag or attribute tail removed between a sentence end and more text "
        "becomes a line break; never: it is just deleted",
    )


def options_from_args(args: argparse.Namespace) -> MarkupOptions:
    return MarkupOptions(
        tags=not getattr(args, "keep_tags", False),
        entities=not getattr(args, "keep_entities", False),
        debris=not getattr(args, "keep_debris", False),
        breaks=getattr(args, "markup_breaks", "auto"),
    )

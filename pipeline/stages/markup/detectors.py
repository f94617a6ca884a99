"""Detectors: each finds fixes (and doubts) of one kind in the text of one pass.

Offsets are in the coordinates of the pass text; :mod:`.passes` collects
them and :mod:`.fold` turns them into edits against the original.
"""

from __future__ import annotations

import html
import html.entities
import re
from typing import Any

from pipeline.chars import is_japanese
from pipeline.stages.markup.model import Doubt, Fix
from pipeline.stages.markup.patterns import (
    _ATTR_IN_TAG,
    _CLOSING,
    _DIGIT_AFTER_END,
    _DIGIT_AT_LINE_START,
    _ENTITY,
    _LINE_START_TAIL,
    _LONE_TAIL,
    _LONG_DOTS_AFTER_MARK,
    _MARK_THEN_PERIOD,
    _NUMBER_FRAGMENT,
    _NUMBER_PREFIX,
    _QUOTED_VALUE_AT_END,
    _REPEATED_MARK,
    _SPACES,
    _STRAY_AFTER_MARK,
    _STRAY_AT_START,
    _STRAY_BEFORE_LATIN,
    _TAG,
    _TAG_ASCII,
    _TAIL,
)
from pipeline.stages.markup.rules import Rules, load_rules


def find_raw_blocks(text: str, rules: Rules) -> tuple[list[Fix], list[Doubt]]:
    """``<script>…</script>`` and the like, content included.

    >>> find_raw_blocks("a<script>x<y</script>b", load_rules())[0]
    [Fix(start=1, end=21, new='', rule='raw-block', reason='<script> element with its content', breaks=False)]
    """
    fixes: list[Fix] = []
    doubts: list[Doubt] = []
    if "<" not in text:  # every opener starts with it (most texts have none)
        return fixes, doubts
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
    if "<" not in text:  # every tag starts with it (most texts have none)
        return fixes, doubts
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
    # each pattern runs only when the text holds what every match of it needs (the pre-tests
    # say so in a fast scan, or with ``in``): 3 of 4 dev texts have no period or comma at all
    periods = "." in text or "," in text
    if (periods or "．" in text or "，" in text) and _MARK_THEN_PERIOD.search(text):
        _stray_periods(text, fixes, doubts)
    if periods:
        for m in _STRAY_AT_START.finditer(text):
            a = m.start("mark")
            fixes.append(
                Fix(a, a + 1, "", "stray-period", f"stray {m.group('mark')!r} starting a line of Japanese text")
            )
    for m in _REPEATED_MARK.finditer(text):
        run = m.group()
        keep = "。" if "。" in run else "、"
        fixes.append(Fix(m.start(), m.end(), keep, "repeated-mark", f"{run!r} repeated punctuation"))
    for m in _SPACES.finditer(text) if "  " in text else ():
        before = text[m.start() - 1]
        new = "" if before in _CLOSING else " "
        fixes.append(Fix(m.start(), m.end(), new, "double-space", "repeated spaces inside Japanese text"))
    after_end = _DIGIT_AFTER_END.search(text) is not None
    if after_end or _DIGIT_AT_LINE_START.search(text):
        _number_fragments(text, rules, fixes, doubts)
    if after_end:
        for m in _NUMBER_PREFIX.finditer(text):
            doubts.append(
                Doubt(m.start(), m.end(), "number-fragment", f"{m.group()!r} glued to the next sentence: kept")
            )
    return fixes, doubts


def _number_fragments(text: str, rules: Rules, fixes: list[Fix], doubts: list[Doubt]) -> None:
    """The number fragments of :func:`find_debris`, added to ``fixes`` and ``doubts``."""
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


def _stray_periods(text: str, fixes: list[Fix], doubts: list[Doubt]) -> None:
    """Periods and commas after a Japanese mark (:func:`find_debris`), added to ``fixes`` and ``doubts``."""
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

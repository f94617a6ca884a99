"""Character classes and the regular expressions the detectors use.

Every pattern is bounded or possessive, so none backtracks without limit on
hostile input.
"""

from __future__ import annotations

import re

from pipeline.chars import JAPANESE as JA

SENTENCE_END = "。！？"
# after these, spaces between Japanese characters are dropped rather than collapsed to one
_CLOSING = "。、！？」』）】〉》〕"


# -- patterns (all bounded or possessive: no backtracking blow-up) ----------------

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

# Pre-tests: text every match of the patterns above needs, looked for in one fast scan (a pattern
# that starts with a lookbehind tries it at every character; these scans skip most texts)
# ...a mark and then a period or comma: _STRAY_AFTER_MARK, _STRAY_BEFORE_LATIN, _LONG_DOTS_AFTER_MARK
_MARK_THEN_PERIOD = re.compile(r"[。、！？][.,．，]")
# ...a digit after a sentence end (_NUMBER_PREFIX, _NUMBER_FRAGMENT) or at a line start (_NUMBER_FRAGMENT)
_DIGIT_AFTER_END = re.compile(rf"[{SENTENCE_END}][.,]?[0-9]")
_DIGIT_AT_LINE_START = re.compile(r"(?m)^[.,]?[0-9]")

"""User lexicons of house spellings: a native line format and prh YAML.

A lexicon is a list of :class:`LexiconEntry`: the canonical spelling, the
variants to rewrite to it (literal strings or regexes) and whether a match
may sit inside a longer word (``anywhere``; off by default).

Native format (``.txt``/``.tsv``; what ``variants --write-lexicon`` writes)::

    # comment
    CANONICAL<TAB>VARIANT<TAB>VARIANT ...
    ウォーターゲート	ウォーターゲイト
    ハルトマン	ハルターマン	/アルト[ー]+マン/
    孫	サン	@anywhere

One entry per line, fields separated by tabs (or by `` | `` for hand
editing); a field ``/.../`` is a regular expression (``/.../i`` ignores
case); the field ``@anywhere`` lets the entry match inside a longer word
(prh's behaviour, which turns サンタバーバラ into 孫タバーバラ; leave it
off).  A line with a canonical form and no variants protects that spelling:
it is always the canonical form of a group it falls in.

prh format (``.yml``/``.yaml``)::

    version: 1
    rules:
      - expected: ウォーターゲート
        pattern: ウォーターゲイト           # or patterns: [..., /regex/]
        specs:                          # checked when the file is read
          - from: ウォーターゲイトの計画
            to: ウォーターゲートの計画

``$1`` in ``expected`` refers to a regex group.  prh's ``imports`` are read
relative to the file.  A rule without ``pattern(s)`` matches its own
``expected`` ignoring case (prh's default) and only fixes letter case.

>>> lex = parse_native("ハルトマン\\tハルターマン\\n")
>>> lex.entries[0].canonical, [p.text for p in lex.entries[0].patterns]
('ハルトマン', ['ハルターマン'])
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from pipeline.errors import InputError

__all__ = [
    "Lexicon",
    "LexiconEntry",
    "LexiconMatch",
    "Pattern",
    "find_matches",
    "format_native",
    "load_lexicon",
    "load_lexicons",
    "parse_native",
    "parse_prh",
]


@dataclass(frozen=True)
class Pattern:
    """One variant of an entry: a literal string or a compiled regex."""

    text: str
    regex: re.Pattern[str] | None = None

    def finditer(self, s: str) -> Iterator[tuple[int, int, re.Match[str] | None]]:
        """Spans of every occurrence (overlapping literal hits included)."""
        if self.regex is not None:
            for m in self.regex.finditer(s):
                if m.end() > m.start():
                    yield m.start(), m.end(), m
            return
        if not self.text:
            return
        i = s.find(self.text)
        while i >= 0:
            yield i, i + len(self.text), None
            i = s.find(self.text, i + 1)


@dataclass(frozen=True)
class LexiconEntry:
    """A house spelling: ``canonical`` replaces every pattern's match."""

    canonical: str
    patterns: tuple[Pattern, ...] = ()
    anywhere: bool = False  # may match inside a longer word (prh style)
    source: str = ""  # file:line, for reasons and errors

    def replacement(self, m: re.Match[str] | None) -> str:
        """The canonical text for one match (``$1`` refers to regex groups)."""
        if m is None or "$" not in self.canonical:
            return self.canonical
        return re.sub(r"\$(\d)", lambda g: m.group(int(g.group(1))) or "", self.canonical)


@dataclass
class Lexicon:
    """All entries of one or more files, in file order (earlier entries win)."""

    entries: list[LexiconEntry] = field(default_factory=list)

    def extend(self, other: Lexicon) -> None:
        self.entries.extend(other.entries)

    def canonical_of(self, form: str) -> str | None:
        """The house spelling for a whole form, if an entry names it.

        >>> parse_native("ウォーターゲート\\tウォーターゲイト").canonical_of("ウォーターゲイト")
        'ウォーターゲート'
        """
        for e in self.entries:
            if form == e.canonical and "$" not in form:
                return form
            for p in e.patterns:
                if p.regex is None and p.text == form:
                    return e.canonical
                if p.regex is not None:
                    m = p.regex.fullmatch(form)
                    if m:
                        return e.replacement(m)
        return None

    def __bool__(self) -> bool:
        return bool(self.entries)


@dataclass(frozen=True)
class LexiconMatch:
    start: int
    end: int
    new: str
    entry: LexiconEntry


def _compile(text: str, where: str) -> Pattern:
    """``/regex/flags`` -> regex pattern, anything else -> literal."""
    m = re.fullmatch(r"/(.+)/([imsux]*)", text, flags=re.S)
    if not m:
        return Pattern(text)
    flags = 0
    for f in m.group(2):
        flags |= {"i": re.I, "m": re.M, "s": re.S, "u": 0, "x": re.X}[f]
    try:
        return Pattern(text, re.compile(m.group(1), flags))
    except re.error as exc:
        raise InputError(where, f"bad regular expression {text}: {exc}") from None


def parse_native(text: str, source: str = "<lexicon>") -> Lexicon:
    """Read the native line format (see the module docstring).

    >>> lex = parse_native("# house spellings\\nZ Holdings | Zホールディングス\\n孫\\tサン\\t@anywhere\\n")
    >>> [(e.canonical, [p.text for p in e.patterns], e.anywhere) for e in lex.entries]
    [('Z Holdings', ['Zホールディングス'], False), ('孫', ['サン'], True)]
    """
    lex = Lexicon()
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in (line.split("\t") if "\t" in line else line.split(" | "))]
        fields = [f for f in fields if f]
        where = f"{source}:{n}"
        anywhere = "@anywhere" in fields
        fields = [f for f in fields if f != "@anywhere"]
        if not fields:
            raise InputError(where, "an entry needs a canonical form")
        canonical, variants = fields[0], fields[1:]
        patterns = tuple(_compile(v, where) for v in variants if v != canonical)
        lex.entries.append(LexiconEntry(canonical, patterns, anywhere, where))
    return lex


def parse_prh(text: str, source: str = "<prh>", _seen: frozenset[str] = frozenset()) -> Lexicon:
    """Read a prh YAML rule file; ``specs`` are checked like prh does.

    >>> y = "rules:\\n  - expected: ウォーターゲート\\n    pattern: /ウォーターゲ[イエ]ト/\\n"
    >>> e = parse_prh(y).entries[0]
    >>> e.canonical, e.patterns[0].regex.pattern, e.anywhere
    ('ウォーターゲート', 'ウォーターゲ[イエ]ト', False)
    """
    import yaml

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise InputError(source, f"not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise InputError(source, "a prh file is a mapping with a 'rules' list")
    lex = Lexicon()
    for imp in data.get("imports") or []:
        path = imp if isinstance(imp, str) else (imp or {}).get("path", "")
        full = os.path.join(os.path.dirname(source), path)
        if full in _seen:
            continue
        lex.extend(parse_prh(_read(full), full, _seen | {source}))
    rules = data.get("rules") or []
    if not isinstance(rules, list):
        raise InputError(source, "'rules' must be a list")
    for i, rule in enumerate(rules, 1):
        where = f"{source}: rule {i}"
        if isinstance(rule, str):
            rule = {"expected": rule}
        if not isinstance(rule, dict) or "expected" not in rule:
            raise InputError(where, "a rule needs 'expected'")
        expected = str(rule["expected"])
        raw = rule.get("patterns", rule.get("pattern"))
        if raw is None:
            pats = (Pattern(expected, re.compile(re.escape(expected), re.I)),)
        else:
            items = raw if isinstance(raw, list) else [raw]
            pats = tuple(_compile(str(p), where) for p in items)
        options = rule.get("options") or {}
        anywhere = not bool(options.get("wordBoundary", True)) if "wordBoundary" in options else False
        entry = LexiconEntry(expected, pats, anywhere, where)
        for spec in rule.get("specs") or []:
            got = apply_entry_to_text(entry, str(spec.get("from", "")))
            if got != str(spec.get("to", "")):
                raise InputError(where, f"spec failed: {spec.get('from')!r} gives {got!r}, expected {spec.get('to')!r}")
        lex.entries.append(entry)
    return lex


def apply_entry_to_text(entry: LexiconEntry, s: str) -> str:
    """Apply one entry to plain text by characters (prh semantics; used for specs).

    >>> apply_entry_to_text(parse_native("ゲート\\tゲイト").entries[0], "ウォーターゲイト")
    'ウォーターゲート'
    """
    out: list[str] = []
    pos = 0
    for start, end, new in _non_overlapping(entry, s):
        out.append(s[pos:start])
        out.append(new)
        pos = end
    out.append(s[pos:])
    return "".join(out)


def _non_overlapping(entry: LexiconEntry, s: str) -> list[tuple[int, int, str]]:
    hits: list[tuple[int, int, str]] = []
    for p in entry.patterns:
        for start, end, m in p.finditer(s):
            hits.append((start, end, entry.replacement(m)))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[tuple[int, int, str]] = []
    last = -1
    for h in hits:
        if h[0] >= last:
            out.append(h)
            last = h[1]
    return out


def find_matches(lexicon: Lexicon, text: str, starts: set[int], ends: set[int], base: int = 0) -> list[LexiconMatch]:
    """Lexicon hits in ``text`` that begin at a word start and end at a word end.

    ``starts``/``ends`` are the positions (relative to ``text``) where words
    begin and end (token boundaries); an entry with ``anywhere`` ignores them.
    Earlier entries win over later ones, longer matches over shorter ones; a
    match whose text is already canonical is dropped.

    >>> lex = parse_native("孫\\tサン")
    >>> find_matches(lex, "サンタバーバラ", {0}, {7})
    []
    >>> [(m.start, m.end, m.new) for m in find_matches(lex, "サンが来た", {0, 2, 3, 4}, {2, 3, 4, 5})]
    [(0, 2, '孫')]
    """
    hits: list[tuple[int, int, int, LexiconMatch]] = []
    for rank, entry in enumerate(lexicon.entries):
        for p in entry.patterns:
            for start, end, m in p.finditer(text):
                if not entry.anywhere and (start not in starts or end not in ends):
                    continue
                new = entry.replacement(m)
                if new == text[start:end]:
                    continue
                hits.append((rank, start, end, LexiconMatch(base + start, base + end, new, entry)))
    hits.sort(key=lambda h: (h[0], -(h[2] - h[1]), h[1]))
    taken: list[tuple[int, int]] = []
    out: list[LexiconMatch] = []
    for _, start, end, m in hits:
        if any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))
        out.append(m)
    return sorted(out, key=lambda m: m.start)


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return fh.read()
    except FileNotFoundError:
        raise InputError(path, "no such lexicon file") from None
    except UnicodeDecodeError:
        raise InputError(path, "a lexicon must be UTF-8") from None
    except OSError as exc:
        raise InputError(path, exc.strerror or "cannot read") from None


def load_lexicon(path: str) -> Lexicon:
    """Read one lexicon file; ``.yml``/``.yaml`` (or a ``rules:`` key) is prh, else native."""
    text = _read(path)
    if path.lower().endswith((".yml", ".yaml")) or re.search(r"^rules\s*:", text, flags=re.M):
        return parse_prh(text, path)
    return parse_native(text, path)


def load_lexicons(paths: Iterable[str]) -> Lexicon:
    lex = Lexicon()
    for p in paths:
        lex.extend(load_lexicon(p))
    return lex


def format_native(groups: Sequence[tuple[str, dict[str, int]]]) -> str:
    """A lexicon file for ``(canonical, {form: count})`` groups (one line each).

    >>> format_native([("ハルトマン", {"ハルトマン": 53, "ハルターマン": 9})]).splitlines()[-2:]
    ['# ハルトマン 53, ハルターマン 9', 'ハルトマン\\tハルターマン']
    """
    lines = [
        "# variant groups found by `variants`; edit, then pass back with: clean --lexicon FILE",
        "# format: CANONICAL<TAB>VARIANT<TAB>...   (/regex/ allowed, @anywhere to match inside words)",
        "",
    ]
    for canonical, forms in groups:
        lines.append("# " + ", ".join(f"{f} {n}" for f, n in forms.items()))
        lines.append("\t".join([canonical, *(f for f in forms if f != canonical)]))
    return "\n".join(lines) + "\n"

"""The document model: an untouched original plus a list of reversible edits.

Every stage proposes :class:`Edit` objects against the *original* text.  The
cleaned text, the offset map, the diff, the report and ``restore`` are all
views of ``Document.original`` + ``Document.edits``.

Rules of the edit list:

* edits are kept sorted by ``(start, end)`` and never partially overlap;
* a new edit that *contains* earlier edits (say, a duplicate sentence whose
  span holds a variant rewrite) supersedes them: they move into its
  ``supersedes`` field, so the record of what happened is kept;
* any other overlap raises :class:`OverlapError`.

>>> doc = Document("ab<b>cd</b>")
>>> doc.add_edit(Edit(2, 5, "<b>", "", "markup", "tag", "HTML tag"))
>>> doc.add_edit(Edit(7, 11, "</b>", "", "markup", "tag", "HTML tag"))
>>> doc.text
'abcd'
>>> doc.to_original(2, "left"), doc.to_original(2, "right"), doc.to_cleaned(5)
(2, 5, 2)
>>> restore_text(doc.text, doc.edits) == doc.original
True
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple


class OverlapError(ValueError):
    """Two edits touch the same characters and neither contains the other."""


@dataclass(frozen=True)
class Edit:
    """Replace ``original[start:end]`` (which is ``old``) by ``new``."""

    start: int
    end: int
    old: str
    new: str
    stage: str
    rule: str
    reason: str
    supersedes: tuple[Edit, ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad edit span {self.start}..{self.end}")
        if len(self.old) != self.end - self.start:
            raise ValueError(f"edit old text has {len(self.old)} chars for span {self.start}..{self.end}")

    @property
    def delta(self) -> int:
        return len(self.new) - (self.end - self.start)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "old": self.old,
            "new": self.new,
            "stage": self.stage,
            "rule": self.rule,
            "reason": self.reason,
        }
        if self.supersedes:
            out["supersedes"] = [e.to_json() for e in self.supersedes]
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Edit:
        return cls(
            d["start"],
            d["end"],
            d["old"],
            d["new"],
            d["stage"],
            d["rule"],
            d["reason"],
            tuple(cls.from_json(s) for s in d.get("supersedes", ())),
        )


class Token(NamedTuple):
    """A fugashi/UniDic token; ``start``/``end`` are character offsets in the original.

    A named tuple, not a dataclass: the tokeniser makes one per token, and a
    tuple is made in one step (``tuple.__new__(Token, fields)``) where a
    frozen slotted object took an allocation and six slot setters (about 2.7x
    the time).  Fields read alike (``t.surface``, ``attrgetter("pos")``), it
    is immutable, hashes and compares by its fields and prints as before.

    >>> t = Token(0, 1, "犬", "犬", "名詞-普通名詞-一般", "イヌ")
    >>> t
    Token(start=0, end=1, surface='犬', lemma='犬', pos='名詞-普通名詞-一般', reading='イヌ')
    >>> t.surface, t.end
    ('犬', 1)
    """

    start: int
    end: int
    surface: str
    lemma: str
    pos: str
    reading: str


_new_tuple = tuple.__new__


def new_token(start: int, end: int, surface: str, lemma: str, pos: str, reading: str) -> Token:
    """``Token(...)`` without the keyword handling of the named tuple's ``__new__`` (the tokeniser's hot loop).

    >>> new_token(0, 1, "犬", "犬", "名詞-普通名詞-一般", "イヌ") == Token(0, 1, "犬", "犬", "名詞-普通名詞-一般", "イヌ")
    True
    """
    return _new_tuple(Token, (start, end, surface, lemma, pos, reading))


class TokenType:
    """One distinct token as the tagger writes it: a surface with its features, made once per process.

    The tokeniser hands out one object per distinct (surface, MeCab features)
    pair, so later stages can keep what they derive from a token's strings
    (a script code, a dedup class, "content word") in a dict keyed by the
    object: a look-up by identity, with no tuple of strings made and hashed
    per token.  ``lemma`` is the token's lemma as :class:`Token` holds it (the
    surface when the dictionary gives none).

    >>> t = TokenType("犬", "犬", "名詞-普通名詞-一般", "イヌ")
    >>> t.surface, t.lemma, t == TokenType("犬", "犬", "名詞-普通名詞-一般", "イヌ")
    ('犬', '犬', False)
    """

    __slots__ = ("surface", "lemma", "pos", "reading")

    def __init__(self, surface: str, lemma: str, pos: str, reading: str) -> None:
        self.surface = surface
        self.lemma = lemma
        self.pos = pos
        self.reading = reading

    def __reduce__(self) -> tuple[type[TokenType], tuple[str, str, str, str]]:
        return TokenType, (self.surface, self.lemma, self.pos, self.reading)

    def __repr__(self) -> str:
        return f"TokenType({self.surface!r}, {self.lemma!r}, {self.pos!r}, {self.reading!r})"


@dataclass(slots=True)
class Sentence:
    """A sentence found by the segmenter; offsets are in the original text.

    ``tokens`` is replaced, never changed in place.  ``types`` is what the
    tokeniser leaves beside them: ``(tokens, [TokenType, ...])``, one type per
    token, valid only while ``tokens`` is that same list (read it with
    :func:`token_types`).
    """

    start: int
    end: int
    block: int
    tokens: list[Token] = field(default_factory=list)
    quoted: bool = False  # the sentence holds an unbalanced or enclosing 「…」 quotation
    types: tuple[list[Token], list[TokenType]] | None = field(default=None, compare=False, repr=False)


def token_types(s: Sentence) -> list[TokenType] | None:
    """The tokeniser's :class:`TokenType` of each of ``s.tokens``, or None (tokens from elsewhere, or replaced).

    A type's surface, lemma and POS are the token's own (the tokeniser gives
    none where they would differ).

    >>> s = Sentence(0, 1, 0, [Token(0, 1, "犬", "犬", "名詞", "イヌ")])
    >>> token_types(s) is None
    True
    >>> s.types = (s.tokens, [TokenType("犬", "犬", "名詞", "イヌ")])
    >>> [t.surface for t in token_types(s)]
    ['犬']
    >>> s.tokens = list(s.tokens)  # replaced: the types no longer count
    >>> token_types(s) is None
    True
    """
    t = s.types
    if t is None or t[0] is not s.tokens or len(t[1]) != len(s.tokens):
        return None
    return t[1]


@dataclass(slots=True)
class Block:
    """A non-empty line of the input; ``paragraph`` counts blank-line separated groups."""

    start: int
    end: int
    paragraph: int
    label: str = "body"


@dataclass(frozen=True)
class Flag:
    """A doubt a stage kept instead of acting on: text left in place, but worth a look."""

    start: int
    end: int
    stage: str
    rule: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("start", "end", "stage", "rule", "reason")}


class EditLog(tuple):
    """A document's edits: an immutable tuple that also compares equal to a list of the same edits.

    >>> EditLog([]) == [], EditLog([]) == ()
    (True, True)
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return tuple.__eq__(self, tuple(other) if isinstance(other, list) else other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = tuple.__hash__


def _span(e: Edit) -> tuple[int, int]:
    return (e.start, e.end)


class OffsetMap:
    """Maps positions between the original and the cleaned text.

    Built from sorted, non-overlapping edits.  A position inside a replaced
    region maps to the start (``side="left"``) or end (``side="right"``) of
    the region on the other side.
    """

    def __init__(self, edits: Sequence[Edit]) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._cstarts: list[int] = []
        self._cends: list[int] = []
        self._deltas: list[int] = [0]  # _deltas[k]: total length change of edits[:k]
        delta = 0
        for e in edits:
            self._starts.append(e.start)
            self._ends.append(e.end)
            self._cstarts.append(e.start + delta)
            self._cends.append(e.start + delta + len(e.new))
            delta += e.delta
            self._deltas.append(delta)

    def to_cleaned(self, pos: int, side: Literal["left", "right"] = "left") -> int:
        """Original position -> cleaned position.

        At a point where text was inserted, ``left`` is before the insertion
        and ``right`` after it.
        """
        k = bisect.bisect_right(self._ends, pos)  # edits ending at or before pos
        if k < len(self._starts) and self._starts[k] < pos:  # strictly inside edit k
            return self._cstarts[k] if side == "left" else self._cends[k]
        if side == "left" and k and self._starts[k - 1] == self._ends[k - 1] == pos:
            k -= 1  # stay before an insertion at pos
        return pos + self._deltas[k]

    def constant_shift(self, cs: int, ce: int) -> int | None:
        """``original - cleaned`` for every position of the cleaned span ``[cs, ce]``, or None if an edit touches it.

        An edit touches the span when its cleaned extent meets ``[cs, ce]``
        (boundaries included): only then can positions inside map differently.

        >>> m = OffsetMap([Edit(2, 4, "xx", "", "s", "r", "why")])
        >>> m.constant_shift(0, 1), m.constant_shift(3, 5), m.constant_shift(1, 3)
        (0, 2, None)
        """
        k = bisect.bisect_left(self._cends, cs)  # first edit whose cleaned end is at or after cs
        if k < len(self._cends) and self._cstarts[k] <= ce:
            return None
        return -self._deltas[k]

    def cleaned_extents(self, cs: int, ce: int) -> list[tuple[int, int, int]]:
        """``(k, start, end)`` of each edit ``k`` whose extent in the cleaned text meets ``[cs, ce]`` (boundaries included).

        ``start``/``end`` are cleaned positions (a deletion has ``start == end``).

        >>> m = OffsetMap([Edit(2, 4, "xx", "", "s", "r", "why"), Edit(6, 7, "y", "zz", "s", "r", "why")])
        >>> m.cleaned_extents(0, 1), m.cleaned_extents(2, 4), m.cleaned_extents(5, 9)
        ([], [(0, 2, 2), (1, 4, 6)], [(1, 4, 6)])
        """
        out: list[tuple[int, int, int]] = []
        k = bisect.bisect_left(self._cends, cs)  # first edit whose cleaned end is at or after cs
        while k < len(self._cstarts) and self._cstarts[k] <= ce:
            out.append((k, self._cstarts[k], self._cends[k]))
            k += 1
        return out

    def to_original(self, pos: int, side: Literal["left", "right"] = "left") -> int:
        """Cleaned position -> original position.

        Where text was deleted, ``left`` is before the deleted text and
        ``right`` after it.
        """
        if side == "left":
            k = bisect.bisect_left(self._cends, pos)
            if k < len(self._cends) and self._cends[k] == pos and self._cstarts[k] < pos:
                k += 1  # a replacement ending exactly at pos lies before it
        else:
            k = bisect.bisect_right(self._cends, pos)
        if k < len(self._cstarts) and self._cstarts[k] < pos:  # inside a replacement
            return self._starts[k] if side == "left" else self._ends[k]
        return pos - self._deltas[k]


def walk_edits(edits: Iterable[Edit]) -> Iterator[Edit]:
    """Every edit of a log and, after each, the edits it supersedes (depth first, at any depth).

    >>> inner = Edit(1, 2, "b", "B", "variants", "variant", "why")
    >>> outer = Edit(0, 3, "abc", "", "dedup", "exact", "why", (inner,))
    >>> [(e.stage, e.start) for e in walk_edits([outer, Edit(5, 6, "f", "", "markup", "tag", "why")])]
    [('dedup', 0), ('variants', 1), ('markup', 5)]
    """
    for e in edits:
        yield e
        if e.supersedes:
            yield from walk_edits(e.supersedes)


def apply_edits(original: str, edits: Iterable[Edit]) -> str:
    """Build the cleaned text from the original and sorted, non-overlapping edits.

    >>> apply_edits("a  b", [Edit(1, 2, " ", "", "s", "r", "why")])
    'a b'
    """
    parts: list[str] = []
    pos = 0
    for e in edits:
        parts.append(original[pos : e.start])
        parts.append(e.new)
        pos = e.end
    parts.append(original[pos:])
    return "".join(parts)


def restore_text(cleaned: str, edits: Sequence[Edit]) -> str:
    """Give back the original from the cleaned text and the edit list.

    >>> restore_text("a b", [Edit(1, 2, " ", "", "s", "r", "why")])
    'a  b'
    """
    parts: list[str] = []
    cpos = 0  # position in cleaned text
    delta = 0
    for e in edits:
        cstart = e.start + delta
        parts.append(cleaned[cpos:cstart])
        if cleaned[cstart : cstart + len(e.new)] != e.new:
            raise ValueError(f"edit at {e.start} does not match the cleaned text")
        parts.append(e.old)
        cpos = cstart + len(e.new)
        delta += e.delta
    parts.append(cleaned[cpos:])
    return "".join(parts)


class Document:
    """One article: its original text, the edits against it and the annotations stages add."""

    def __init__(self, original: str, id: str = "", source: str = "", meta: dict[str, Any] | None = None) -> None:
        self.original = original
        self.id = id
        self.source = source
        self.meta: dict[str, Any] = dict(meta or {})
        self._edits: EditLog = EditLog()
        self.blocks: list[Block] = []
        self.sentences: list[Sentence] = []
        self.flags: list[Flag] = []
        # stage name -> annotation records (mentions, variant clusters, ...)
        self.annotations: dict[str, Any] = {}
        # stage name -> counters (edits per rule, timing, ...)
        self.stats: dict[str, dict[str, Any]] = {}
        self._text: str | None = None
        self._map: OffsetMap | None = None

    # -- derived views -------------------------------------------------
    @property
    def edits(self) -> EditLog:
        """The edits, sorted by ``(start, end)``: read-only (add with :meth:`add_edits`, swap with :meth:`with_edits`)."""
        return self._edits

    @property
    def text(self) -> str:
        """The cleaned text: the original with every edit applied."""
        if self._text is None:
            self._text = apply_edits(self.original, self.edits)
        return self._text

    @property
    def offsets(self) -> OffsetMap:
        if self._map is None:
            self._map = OffsetMap(self.edits)
        return self._map

    # Most documents have no edit when a later stage asks (94% of the dev texts reach dedup with
    # none): then every position maps to itself, with no offset map to build or search.
    def to_original(self, pos: int, side: Literal["left", "right"] = "left") -> int:
        if not self._edits:
            return pos
        return self.offsets.to_original(pos, side)

    def to_cleaned(self, pos: int, side: Literal["left", "right"] = "left") -> int:
        if not self._edits:
            return pos
        return self.offsets.to_cleaned(pos, side)

    def span_to_cleaned(self, start: int, end: int) -> tuple[int, int]:
        """An original span -> the cleaned span it became (empty when deleted).

        Text inserted exactly at either boundary is not part of the span.
        """
        if not self._edits:
            return start, max(start, end)
        return _map_span(self.offsets.to_cleaned, start, end)

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """A cleaned span -> the original span it came from.

        Text deleted exactly at either boundary is not part of the span.
        """
        if not self._edits:
            return start, max(start, end)
        return _map_span(self.offsets.to_original, start, end)

    def cleaned_slice(self, start: int, end: int) -> str:
        """The cleaned text of an original span."""
        cs, ce = self.span_to_cleaned(start, end)
        return self.text[cs:ce]

    # -- edits -----------------------------------------------------------
    def edit(self, start: int, end: int, new: str, stage: str, rule: str, reason: str) -> Edit:
        """Record ``original[start:end] -> new``; returns the edit added."""
        e = Edit(start, end, self.original[start:end], new, stage, rule, reason)
        self.add_edit(e)
        return e

    def add_edit(self, e: Edit) -> None:
        self.add_edits([e])

    def add_edits(self, edits: Iterable[Edit]) -> None:
        """Add a stage's edits; an edit that contains earlier edits supersedes them.

        Costs O((n + m) log n) for n existing and m new edits, so a stage should
        add its edits in one call.
        """
        new = self._checked(edits)
        old = self._edits
        gone: set[int] = set()
        placed: list[Edit] = []
        for e in new:
            i = _first_end_at_or_after(old, e.start)
            contained: list[Edit] = []
            while i < len(old) and old[i].start <= e.end:
                x = old[i]
                if _overlaps(x, e):
                    if e.start < e.end and e.start <= x.start and x.end <= e.end:
                        contained.append(x)
                        gone.add(id(x))
                    else:
                        raise OverlapError(
                            f"{e.stage}/{e.rule} edit {e.start}..{e.end} overlaps "
                            f"{x.stage}/{x.rule} edit {x.start}..{x.end}"
                        )
                i += 1
            if contained:
                e = Edit(e.start, e.end, e.old, e.new, e.stage, e.rule, e.reason, e.supersedes + tuple(contained))
            placed.append(e)
        kept = [x for x in old if id(x) not in gone]
        self._set_edits(sorted(kept + placed, key=_span))

    def with_edits(self, edits: Iterable[Edit]) -> Document:
        """A copy of this document whose edit list is ``edits`` instead (checked, then sorted).

        The edits must match the original and not overlap one another; nothing
        is superseded.  Blocks, sentences, flags, annotations and statistics are
        copied (the lists and dicts, not the objects in them).

        >>> doc = Document("a  b")
        >>> other = doc.with_edits([Edit(1, 2, " ", "", "s", "r", "why")])
        >>> other.text, doc.text, other.edits == [Edit(1, 2, " ", "", "s", "r", "why")]
        ('a b', 'a  b', True)
        """
        new = self._checked(edits)
        out = Document(self.original, self.id, self.source, self.meta)
        out._set_edits(new)
        out.blocks = list(self.blocks)
        out.sentences = list(self.sentences)
        out.flags = list(self.flags)
        out.annotations = dict(self.annotations)
        out.stats = {stage: dict(counters) for stage, counters in self.stats.items()}
        return out

    def _checked(self, edits: Iterable[Edit]) -> list[Edit]:
        """``edits`` sorted; each must match the original and none overlap another."""
        new = sorted(edits, key=_span)
        for e in new:
            if e.end > len(self.original) or self.original[e.start : e.end] != e.old:
                raise ValueError(f"edit {e.start}..{e.end} does not match the original text")
        for a, b in itertools.pairwise(new):
            if _overlaps(a, b):
                raise OverlapError(
                    f"{b.stage}/{b.rule} edit {b.start}..{b.end} overlaps {a.rule} edit {a.start}..{a.end}"
                )
        return new

    def _set_edits(self, edits: list[Edit]) -> None:
        """The one place the edit list changes: the cached text and offset map go with it."""
        self._edits = EditLog(edits)
        self._text = None
        self._map = None

    def overlaps_edit(self, start: int, end: int) -> bool:
        """Whether an original span touches characters some edit already changed."""
        if not self._edits and 0 <= start <= end <= len(self.original):
            return False  # (a span out of bounds still raises, as the probe below does)
        probe = Edit(start, end, self.original[start:end], "", "", "", "")
        i = _first_end_at_or_after(self._edits, start)
        while i < len(self._edits) and self._edits[i].start <= end:
            if _overlaps(self._edits[i], probe):
                return True
            i += 1
        return False

    def can_replace(self, start: int, end: int) -> bool:
        """Whether an edit of ``start..end`` may be added: it may contain earlier
        edits (and supersede them) but must not cut one.

        >>> doc = Document("abcdef")
        >>> doc.edit(2, 4, "", "t", "r", "why")  # doctest: +ELLIPSIS
        Edit(...)
        >>> doc.can_replace(1, 5), doc.can_replace(3, 5), doc.can_replace(4, 6)
        (True, False, True)
        """
        probe = Edit(start, end, self.original[start:end], "", "", "", "")
        i = _first_end_at_or_after(self._edits, start)
        while i < len(self._edits) and self._edits[i].start <= end:
            e = self._edits[i]
            if _overlaps(e, probe) and not (start < end and start <= e.start and e.end <= end):
                return False
            i += 1
        return True

    def uncovered(self, start: int, end: int) -> list[tuple[int, int]]:
        """The parts of an original span that no edit touches."""
        gaps: list[tuple[int, int]] = []
        pos = start
        i = _first_end_at_or_after(self._edits, start)
        while i < len(self._edits) and self._edits[i].start < end:
            e = self._edits[i]
            if e.start > pos:
                gaps.append((pos, e.start))
            pos = max(pos, e.end)
            i += 1
        if pos < end:
            gaps.append((pos, end))
        return gaps

    def is_deleted(self, start: int, end: int) -> bool:
        """Whether the original span has nothing left in the cleaned text."""
        cs, ce = self.span_to_cleaned(start, end)
        return not self.text[cs:ce].strip()

    # -- annotations ------------------------------------------------------
    def flag(self, start: int, end: int, stage: str, rule: str, reason: str) -> None:
        self.flags.append(Flag(start, end, stage, rule, reason))

    def count(self, stage: str, key: str, n: int = 1) -> None:
        s = self.stats.setdefault(stage, {})
        s[key] = s.get(key, 0) + n


def _map_span(to: Callable[[int, Literal["left", "right"]], int], start: int, end: int) -> tuple[int, int]:
    """``start:end`` mapped by ``to`` (an offset map's ``to_cleaned`` or ``to_original``), text at either boundary left out."""
    a = to(start, "right")
    b = to(end, "left") if end > start else a
    return a, max(a, b)


def _overlaps(a: Edit, b: Edit) -> bool:
    """Do two edits touch the same characters (or insert at the same point)?"""
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def _first_end_at_or_after(edits: Sequence[Edit], pos: int) -> int:
    lo, hi = 0, len(edits)
    while lo < hi:
        mid = (lo + hi) // 2
        if edits[mid].end < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo

"""Non-overlapping spans by priority: the one selection every stage uses.

A stage proposes more changes than it can make (a tag inside a comment, two
spellings of one name that share characters, a sentence inside a removed
paragraph); :func:`resolve_overlaps` keeps, in the order of a ranking key, each
proposal that overlaps none already kept.

Overlap is the document's (:class:`~pipeline.document.Document`): two spans
overlap when they share a character, when both are insertions at one point,
or when an insertion falls strictly inside the other span.  Spans that only
touch do not overlap.

Cost: one sort, then a binary search per proposal in the kept spans (only
the kept span starting last before a proposal's end can overlap it, since
kept spans never overlap); inserting into the kept list moves pointers
(``bisect.insort``), which stays far below the sort up to millions of spans.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")


def edit_span(x: Any) -> tuple[int, int]:
    """``(x.start, x.end)``: the span of an Edit, a Fix or anything with those fields."""
    return x.start, x.end


def resolve_overlaps(
    items: Iterable[T],
    rank: Callable[[T], Any],
    span: Callable[[T], tuple[int, int]] = edit_span,
    accept: Callable[[T], bool] | None = None,
) -> list[T]:
    """The items kept, greedily in ``rank`` order, each overlapping none kept before it; sorted by span.

    ``accept`` (optional) is asked about an item that overlaps nothing kept;
    when it says no, the item is dropped and does not block later ones (the
    variants stage flags a proposal that an earlier stage's edit crosses).

    >>> spans = [(0, 5, "low"), (2, 8, "high"), (8, 9, "high")]
    >>> resolve_overlaps(spans, rank=lambda s: s[2] != "high", span=lambda s: s[:2])
    [(2, 8, 'high'), (8, 9, 'high')]
    >>> resolve_overlaps([(3, 3), (3, 3), (1, 4)], rank=lambda s: 0, span=lambda s: s)  # insertions at one point
    [(3, 3)]
    >>> resolve_overlaps([(0, 2), (2, 2), (2, 4)], rank=lambda s: 0, span=lambda s: s)  # touching is fine
    [(0, 2), (2, 2), (2, 4)]
    """
    taken: list[tuple[int, int]] = []  # kept spans, sorted
    kept: list[tuple[int, int, int, T]] = []
    for n, item in enumerate(sorted(items, key=rank)):
        start, end = span(item)
        if _overlaps_taken(taken, start, end):
            continue
        if accept is not None and not accept(item):
            continue
        insort(taken, (start, end))
        kept.append((start, end, n, item))
    kept.sort(key=lambda k: (k[0], k[1], k[2]))
    return [k[3] for k in kept]


def _overlaps_taken(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Does ``start..end`` overlap one of ``taken`` (sorted, pairwise non-overlapping)?"""
    i = bisect_left(taken, (end, -1))  # taken[:i] start before end
    if start < end:
        if i == 0:
            return False
        return taken[i - 1][1] > start  # the last one starting before end (an insertion inside counts too)
    # an insertion: inside a span, or at the point of another insertion
    if i > 0 and taken[i - 1][1] > start:
        return True
    return i < len(taken) and taken[i] == (start, start)

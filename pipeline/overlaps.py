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
kept spans never overlap).  The kept spans are held in blocks of at most
:data:`BLOCK` spans, so keeping one moves at most a block, wherever it lands:
O(n log n) even when proposals of two ranks interleave (one sorted list
would move half of it per insertion: quadratic).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
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
    # One loop over plain lists, the kept-span test written out (no method calls): markup sends
    # hundreds of thousands of fixes through here on a hostile page.  Kept spans are held in
    # blocks (see the module doc); ``firsts`` holds the first span of each block.
    blocks: list[list[tuple[int, int]]] = []
    firsts: list[tuple[int, int]] = []
    kept: list[tuple[int, int, int, T]] = []
    last, last_end = (-1, -1), -1  # the kept span that sorts last, and its end
    for n, item in enumerate(sorted(items, key=rank)):
        s = span(item)
        start, end = s
        if start >= last_end and s != last:  # after every kept span (kept ends never decrease): append
            if accept is not None and not accept(item):
                continue
            if blocks and len(blocks[-1]) < 2 * BLOCK:
                blocks[-1].append(s)
            else:
                blocks.append([s])
                firsts.append(s)
            last, last_end = s, end
            kept.append((start, end, n, item))
            continue
        if blocks:
            # the kept spans starting before ``end`` end at (b, i); only the last of them can overlap
            b = bisect_left(firsts, (end, -1)) - 1
            if b < 0:
                b, i = 0, 0
            else:
                i = bisect_left(blocks[b], (end, -1))
            block = blocks[b]
            prev = block[i - 1] if i else (blocks[b - 1][-1] if b else None)
            if prev is not None and prev[1] > start:
                continue  # shares characters, or ``start`` (an insertion) lies strictly inside it
            if start == end:  # an insertion: not at the point of another one
                nxt = block[i] if i < len(block) else (firsts[b + 1] if b + 1 < len(blocks) else None)
                if nxt == s:
                    continue
        if accept is not None and not accept(item):
            continue
        if s > last:
            last, last_end = s, end
        if blocks:
            b = max(0, bisect_right(firsts, s) - 1)
            block = blocks[b]
            insort(block, s)
            firsts[b] = block[0]
            if len(block) > 2 * BLOCK:
                blocks[b : b + 1] = [block[:BLOCK], block[BLOCK:]]
                firsts[b : b + 1] = [block[0], block[BLOCK]]
        else:
            blocks.append([s])
            firsts.append(s)
        kept.append((start, end, n, item))
    kept.sort(key=lambda k: (k[0], k[1], k[2]))
    return [k[3] for k in kept]


BLOCK = 512  # spans per block of the kept list (a block splits in two when it grows past twice this)

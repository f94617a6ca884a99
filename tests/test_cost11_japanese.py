"""split_inner_ends jumps from one possible stop to the next instead of asking every character: the same spans
as the walk character by character it replaced (round 10, issue 14)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.align.japanese import FULL_STOPS, _is_stop, _next_text, split_inner_ends, trim_span


def _walk(line: str, a: int, b: int) -> list[tuple[int, int]]:
    """split_inner_ends as it was: _is_stop asked at every character."""
    spans = []
    start = a
    i = a
    while i < b:
        if _is_stop(line, i):
            j = i + 1
            while j < b and line[j] in FULL_STOPS:
                j += 1
            if j < b and _next_text(line, j, b):
                spans.append((start, j))
                start = j
            i = j
            continue
        i += 1
    spans.append((start, b))
    return [s for s in (trim_span(line, x, y) for x, y in spans) if s[0] < s[1]]


# stops of both widths, a full-width dot between digits, ASCII !? after a Latin letter, closers, spaces, kana
CHARS = st.sampled_from(list("。！？!?．‼3５aY」』）) 　はいそうで「"))


@given(st.text(alphabet=CHARS, max_size=30), st.data())
def test_same_spans_as_the_walk(line, data) -> None:
    a = data.draw(st.integers(0, len(line)))
    b = data.draw(st.integers(a, len(line)))
    assert split_inner_ends(line, a, b) == _walk(line, a, b)


def test_golden() -> None:
    # a quotation of two sentences is cut after the first stop; the dot of 3．5 and Yahoo!'s ! do not end one
    assert split_inner_ends("「ええ。行こう。」", 0, 9) == [(0, 4), (4, 9)]
    assert split_inner_ends("価格は3．5ドル。安い。", 0, 12) == [(0, 9), (9, 12)]
    assert split_inner_ends("Yahoo!で見た。", 0, 10) == [(0, 10)]

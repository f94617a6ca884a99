"""A one-line progress bar on stderr: documents, characters per second, ETA.

Drawn only when the stream is a terminal (so logs and pipes stay clean) and
at most ten times a second.  The fraction done is measured in input bytes,
which is known in advance for files and corpora alike (for ``.jsonl.gz``, in
compressed bytes), so the ETA needs no counting pass over a corpus.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import IO


def format_duration(seconds: float) -> str:
    """``H:MM:SS`` or ``M:SS``.

    >>> format_duration(75), format_duration(3725.4), format_duration(-1)
    ('1:15', '1:02:05', '0:00')
    """
    s = max(0, int(seconds + 0.5))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def format_rate(per_second: float) -> str:
    """Short human figure: 950, 12.3k, 4.5M.

    >>> format_rate(950), format_rate(12345), format_rate(4_500_000)
    ('950', '12.3k', '4.5M')
    """
    if per_second >= 1e6:
        return f"{per_second / 1e6:.1f}M"
    if per_second >= 1e4:
        return f"{per_second / 1e3:.1f}k"
    return f"{per_second:.0f}"


def render_line(
    docs: int, failed: int, chars: int, done_bytes: int, total_bytes: int, elapsed: float, width: int = 24
) -> str:
    """The bar's text for given counters.

    >>> render_line(10, 0, 50_000, 250, 1000, 5.0, width=8)
    '[##------]  25% 10 docs 10.0k chars/s ETA 0:15'
    >>> render_line(3, 1, 0, 0, 0, 0.0, width=4)
    '[----]   0% 3 docs (1 failed) 0 chars/s ETA ?'
    """
    frac = min(1.0, done_bytes / total_bytes) if total_bytes else 0.0
    filled = int(frac * width)
    rate = chars / elapsed if elapsed > 0 else 0.0
    eta = format_duration(elapsed * (1 - frac) / frac) if frac > 0 else "?"
    failures = f" ({failed} failed)" if failed else ""
    return f"[{'#' * filled}{'-' * (width - filled)}] {frac * 100:3.0f}% {docs} docs{failures} {format_rate(rate)} chars/s ETA {eta}"


class Progress:
    """Counters plus a throttled redraw; a no-op when disabled."""

    def __init__(
        self,
        total_bytes: int,
        stream: IO[str] | None = None,
        enabled: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
        interval: float = 0.1,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = enabled
        self.total_bytes = total_bytes
        self.clock = clock
        self.interval = interval
        self.start = clock()
        self.last_draw = -1e9
        self.docs = 0
        self.failed = 0
        self.chars = 0
        self.done_bytes = 0
        self._width = 0

    def update(self, docs: int = 0, failed: int = 0, chars: int = 0, done_bytes: int | None = None) -> None:
        self.docs += docs
        self.failed += failed
        self.chars += chars
        if done_bytes is not None:
            self.done_bytes = done_bytes
        now = self.clock()
        if self.enabled and now - self.last_draw >= self.interval:
            self.draw(now)

    def draw(self, now: float | None = None) -> None:
        now = self.clock() if now is None else now
        self.last_draw = now
        line = render_line(self.docs, self.failed, self.chars, self.done_bytes, self.total_bytes, now - self.start)
        pad = " " * max(0, self._width - len(line))
        self._width = len(line)
        self.stream.write("\r" + line + pad)
        self.stream.flush()

    def clear(self) -> None:
        """Erase the bar (before printing an error line, and at the end)."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def close(self) -> None:
        if self.enabled:
            self.done_bytes = self.total_bytes
            self.draw()
            self.stream.write("\n")
            self.stream.flush()
            self._width = 0

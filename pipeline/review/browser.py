"""Headless Chromium from its command line: the DOM after scripts ran, and screenshots.

Used by the browser test of the HTML report and to make the screenshot in
docs/review.md; no Python dependency beyond the standard library.  Every run
gets a fresh profile folder and no network features (no sync, no component
updates, no QUIC), so it works offline and leaves nothing behind.

    python -m pipeline.review.browser REPORT.html SHOT.png [WIDTH HEIGHT [FRAGMENT]]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
)
TIMEOUT = 120


def find_chromium() -> str | None:
    """The Chromium executable (``$CHROMIUM`` first), or ``None``."""
    env = os.environ.get("CHROMIUM")
    if env:
        return env if os.path.exists(env) else shutil.which(env)
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def run_chromium(
    args: list[str], executable: str | None = None, timeout: float = TIMEOUT
) -> subprocess.CompletedProcess:
    exe = executable or find_chromium()
    if not exe:
        raise FileNotFoundError("no chromium executable found (install Debian's chromium package)")
    with tempfile.TemporaryDirectory(prefix="review-chromium-") as profile:
        return subprocess.run(
            [exe, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=3000", *args],
            capture_output=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "HOME": profile},
        )


def dump_dom(page: Path, executable: str | None = None) -> str:
    """The serialised DOM of a local page after its scripts ran."""
    proc = run_chromium(["--dump-dom", Path(page).resolve().as_uri()], executable)
    if proc.returncode != 0 or not proc.stdout:
        raise RuntimeError(
            f"chromium --dump-dom failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-2000:]}"
        )
    return proc.stdout.decode("utf-8", errors="replace")


def screenshot(
    page: Path, png: Path, width: int = 1400, height: int = 1000, executable: str | None = None, fragment: str = ""
) -> Path:
    """A PNG of a local page: its top, or scrolled to ``#fragment``."""
    png = Path(png).resolve()
    url = Path(page).resolve().as_uri() + (f"#{fragment}" if fragment else "")
    proc = run_chromium([f"--screenshot={png}", f"--window-size={width},{height}", url], executable)
    if not png.exists():
        raise RuntimeError(
            f"chromium --screenshot failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-2000:]}"
        )
    return png


if __name__ == "__main__":
    if len(sys.argv) not in (3, 5, 6):
        sys.exit(__doc__)
    size = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) >= 5 else (1400, 1000)
    frag = sys.argv[5] if len(sys.argv) == 6 else ""
    print(screenshot(Path(sys.argv[1]), Path(sys.argv[2]), *size, fragment=frag))

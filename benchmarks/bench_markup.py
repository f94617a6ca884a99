"""Markup and block stages: throughput on real text, and linear time on hostile input.

    /tmp/venv/bin/python benchmarks/bench_markup.py            # both parts
    /tmp/venv/bin/python benchmarks/bench_markup.py --quick    # hostile inputs at 250 KB only
    /tmp/venv/bin/python benchmarks/bench_markup.py --labels   # block labels on the dev set, four layouts

Part 1 (skipped with a message when the dev data is absent): characters per
second of the markup stage and of markup+segment+blocks over the 320 Japanese
texts of /work/shared/data/wmt21-enja-dev, with the same texts tokenised by
bare fugashi in the same run as the yardstick.

``--labels``: block labels by kind on the dev texts, whose lines are all body
except (usually) the first, a title.  The texts have no blank lines, so they
are also laid out three other ways (a blank line between all lines; one every
4 lines; two section breaks) to see what the layout-driven rules do there:
every caption, byline or timeline label on a line after the first is a false
positive.

Part 2: each adversarial input (long runs of ``<``, ``"``, ``;``, nested
quotes, unclosed tags and comments, thousands of tags, ...) is cleaned at
1/4 size and at full size (1 MB, one line).  The script fails (exit 1) when a
full-size input takes longer than ``--bound`` seconds or when quadrupling the
input multiplies the time by more than 8 (quadratic behaviour would give 16).
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
import time
from pathlib import Path

from pipeline.document import Document
from pipeline.stages.blocks import BlockOptions, label_blocks
from pipeline.stages.markup import MarkupOptions, plan_edits, strip_markup
from pipeline.stages.segment import segment_document
from pipeline.stages.tokenise import get_tagger

DEV = "/work/shared/data/wmt21-enja-dev"

# name -> (unit, how many units make ~1 MB); each is one line
HOSTILE: dict[str, str] = {
    "run of <": "<",
    'run of "': '"',
    "run of ;": ";",
    "run of >": ">",
    "run of &": "&",
    "nested quotes": "\"'「\"'",
    'unclosed <p a="': '<p a="',
    '"a=" repeated': '"a="',
    "css without end": "a: b; ",
    "css, no spaces": "a:b;",
    'lone ">': '">',
    "unclosed <!--": "<!--",
    "unclosed <script>": "<script>",
    "<b> tags": "<b>",
    "attribute tails": '。align: left;">',
    "&#12290; entities": "&#12290;",
    "&amp; entities": "&amp;",
    "。. debris": "。.",
    "、 run": "、",
    "double spaces": "語  ",
    "number fragments": "。000bn.",
    "<a  words": "<a ",
    "attributes only": 'a="b" ',
    "[caption runs": '[caption id="x" ',
    "[/caption] runs": "[/caption]",
    "。 。 runs": "。 ",
    "cut href before text": '<a href="x" target="_blank語',
    'lone "> at line starts': '">語\n',
    "a<b>c comparisons": "a<b>c ",
}
# single long constructs
LONG: dict[str, tuple[str, str, str]] = {
    "one attribute value": ('<span class="', "x", ""),
    "one value fragment": ("語", "a", '">'),
    "one tag of spaces": ("<p", " ", ""),
}


def make_input(name: str, size: int) -> str:
    if name in HOSTILE:
        unit = HOSTILE[name]
        return unit * (size // len(unit))
    head, fill, tail = LONG[name]
    return head + fill * size + tail


def time_markup(text: str) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    edits, doubts, passes = plan_edits(text, MarkupOptions())
    return time.perf_counter() - t0, len(edits), passes


def hostile(size: int, bound: float, quick: bool) -> bool:
    ok = True
    print(f"hostile inputs, one line each ({size // 1000} KB; ratio = time at full size / time at 1/4 size)")
    print(f"{'input':22s} {'1/4 size s':>10s} {'full s':>8s} {'ratio':>6s} {'edits':>8s} {'passes':>6s}")
    for name in [*HOSTILE, *LONG]:
        small_t, _, _ = time_markup(make_input(name, size // 4))
        if quick:
            print(f"{name:22s} {small_t:10.3f}")
            continue
        full_t, n_edits, passes = time_markup(make_input(name, size))
        ratio = full_t / small_t if small_t > 0.005 else 0.0
        flag = ""
        if full_t > bound:
            flag, ok = f"  SLOWER THAN {bound} s", False
        elif ratio > 8:
            flag, ok = "  SUPERLINEAR", False
        print(f"{name:22s} {small_t:10.3f} {full_t:8.3f} {ratio:6.1f} {n_edits:8d} {passes:6d}{flag}")
    return ok


def throughput() -> None:
    files = sorted(glob.glob(os.path.join(DEV, "*", "*.ja.txt")))
    if not files:
        print(f"dev data not found at {DEV}: throughput part skipped")
        return
    texts = [Path(f).read_text(encoding="utf-8") for f in files]
    chars = sum(len(t) for t in texts)
    tagger = get_tagger()
    t0 = time.perf_counter()
    for t in texts:
        for line in t.splitlines():
            tagger(line)
    fugashi_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    edits = 0
    for t in texts:
        doc = Document(t)
        strip_markup(doc, MarkupOptions())
        edits += len(doc.edits)
    markup_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    labels: dict[str, int] = {}
    for t in texts:
        doc = Document(t)
        strip_markup(doc, MarkupOptions())
        segment_document(doc)
        label_blocks(doc, BlockOptions())
        for b in doc.blocks:
            labels[b.label] = labels.get(b.label, 0) + 1
    all_s = time.perf_counter() - t0
    print(f"dev texts: {len(texts)} files, {chars:,} characters; markup edits: {edits}; block labels: {labels}")
    print(f"{'bare fugashi':28s} {chars / fugashi_s:12,.0f} chars/s")
    print(f"{'markup':28s} {chars / markup_s:12,.0f} chars/s  ({fugashi_s / markup_s:.1f}x fugashi's speed)")
    print(
        f"{'markup + segment + blocks':28s} {chars / all_s:12,.0f} chars/s  ({fugashi_s / all_s:.1f}x fugashi's speed)"
    )


LAYOUTS = {
    "as is (no blank lines)": lambda lines: "\n".join(lines),
    "blank line between all lines": lambda lines: "\n\n".join(lines),
    "blank line every 4 lines": lambda lines: "\n".join(x + ("\n" if i % 4 == 3 else "") for i, x in enumerate(lines)),
    "two section breaks": lambda lines: "\n".join(
        x + ("\n" if i in (len(lines) // 3, 2 * len(lines) // 3) else "") for i, x in enumerate(lines)
    ),
}


def label_counts() -> None:
    files = sorted(glob.glob(os.path.join(DEV, "*", "*.ja.txt")))
    if not files:
        print(f"dev data not found at {DEV}: label counts skipped")
        return
    texts = [Path(f).read_text(encoding="utf-8").splitlines() for f in files]
    print(f"block labels on {len(texts)} dev texts (title = first line; every non-body label on the rest is wrong)")
    for name, layout in LAYOUTS.items():
        title: dict[str, int] = {}
        rest: dict[str, int] = {}
        flags = 0
        for lines in texts:
            doc = Document(layout(lines))
            strip_markup(doc, MarkupOptions())
            segment_document(doc)
            label_blocks(doc, BlockOptions())
            flags += sum(1 for f in doc.flags if f.stage == "blocks")
            for i, b in enumerate(doc.blocks):
                into = title if i == 0 else rest
                into[b.label] = into.get(b.label, 0) + 1
        print(f"  {name:30s} title: {dict(sorted(title.items()))}  rest: {dict(sorted(rest.items()))}  flags: {flags}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=1_000_000, help="characters per hostile line (default 1 MB)")
    ap.add_argument("--bound", type=float, default=10.0, help="seconds allowed per full-size hostile line (default 10)")
    ap.add_argument("--quick", action="store_true", help="hostile inputs at 1/4 size only, no throughput")
    ap.add_argument("--labels", action="store_true", help="block label counts on the dev set only")
    args = ap.parse_args(argv)
    if args.labels:
        label_counts()
        return 0
    if not args.quick:
        throughput()
        print()
    ok = hostile(args.size, args.bound, args.quick)
    print("OK: linear on every hostile input" if ok else "FAIL: see above")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

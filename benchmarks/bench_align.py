"""Alignment quality on WMT21 + WMT22 English->Japanese dev, next to Gale–Church on the same units.

Data (research use, never copied into the repository; skipped when absent):
``$WMT21_DEV`` / ``$WMT22_DEV``, else ``../shared/data/wmt2{1,2}-enja-dev``
relative to the repository's parent.  Per document ``en.txt`` (one segment
per line) and line-aligned Japanese versions (the reference and the MT
systems).  WMT22's ``documents.jsonl`` gives each document's domain
(news, ecommerce, social, conversation); WMT21 is all news (``wmt21``).

Units:

* ``gold``: each line is one unit on both sides (the WMT segments);
* ``split``: each English line is split with :func:`split_english`, each
  Japanese line with the project segmenter (the ``align`` command's own
  split).  A line never crosses a unit.

Conditions: ``clean``; ``noisy``: with a fixed seed per text, 5% of the
neighbouring Japanese units merged (across a line boundary this makes a 2-1
gold bead), 5% deleted, 5% junk units inserted, half of them from another
document of the *same domain* (a related article: same vocabulary, often
the same names), half from any other document.  ``--lines kept``: the same
kinds and counts laid out as a layout-keeping MT makes them
(:func:`add_noise_kept`: a merge only inside a line, junk inside the line of
the unit it follows, a line gone only when all its units are deleted), and
``this`` given that layout.

Scores (Vecalign, Thompson & Koehn 2019, after Sennrich & Volk 2010), on
*line* beads: predicted beads are first joined where they share a line (an
English line, a Japanese line or a junk unit), so with the own split a line
pair cut into 1-1 + 1-1 sentence beads is one right line bead, and a bead
pairing a sentence with the wrong line spoils both lines.  Precision counts
every predicted bead (null beads included), recall every gold bead with both
sides non-empty; *strict*: a bead counts when it equals a gold bead; *lax*:
when some English line and some Japanese unit of it are linked in a gold bead.
Counts are pooled over the texts of a group.

Documents are split in two halves (``tune`` / ``check``) by a stable hash of
the document id (``benchmarks/audit/split.py`` when present); each half is
reported on its own: tune parameters on one, check them on the other.

Gale–Church is ``galechurch`` from PyPI (``pip install -e .[bench]``), given
the same units and the document's ratio of Japanese to English characters
(``mean_xy``); when it is missing its columns say ``n/a``.

    python benchmarks/bench_align.py                    # everything (~3 min on one core)
    python benchmarks/bench_align.py --quick            # ref + 3 systems per document
    python benchmarks/bench_align.py --corpus wmt22 --domain social --half tune --units split --show 5
    python benchmarks/bench_align.py --speed            # long and unbalanced documents: throughput
    python benchmarks/bench_align.py --lines kept --no-gc   # noise that keeps the line layout, aligned with it
    python benchmarks/bench_align.py --corpus wmt22 --domain social --seeds 10   # noisy F1 over 10 noise draws
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))

from pipeline.align.aligner import AlignOptions, align_sentences, text_length  # noqa: E402
from pipeline.align.english import split_english  # noqa: E402
from pipeline.align.japanese import split_japanese  # noqa: E402
from pipeline.align.layout import align_by_lines  # noqa: E402

try:
    import galechurch
except ImportError:  # the bench extra is not installed
    galechurch = None


def find_data(name: str) -> Path:
    """``$<NAME>_DEV``, else ``shared/data/<name>-enja-dev`` next to the repository or to one of its parents."""
    env = os.environ.get(f"{name.upper()}_DEV")
    if env:
        return Path(env)
    for parent in Path(__file__).resolve().parents[2:]:
        candidate = parent / "shared" / "data" / f"{name}-enja-dev"
        if candidate.is_dir():
            return candidate
    return Path(__file__).resolve().parents[2] / "shared" / "data" / f"{name}-enja-dev"


DATA = {"wmt21": find_data("wmt21"), "wmt22": find_data("wmt22")}
QUICK_SYSTEMS = frozenset(["ref", "Online-W", "Online-G", "NiuTrans", "Online-B", "JDExploreAcademy"])
NOISE_RATE = 0.05

Atom = tuple[str, object]  # ("e", line) / ("j", line) / ("x", junk id)
BeadT = tuple[tuple, tuple]
Unit = tuple[str, frozenset]  # text, the lines it translates (empty: junk)


@dataclass(frozen=True)
class Text:
    corpus: str
    domain: str
    doc: str
    system: str
    en: list[str]
    ja: list[str]


# -- data --------------------------------------------------------------------------------


def half_of(doc: str) -> str:
    """``tune`` or ``check``: the project's split when present, else sha1's first hex digit 0-7 -> tune."""
    try:
        from audit.split import half  # benchmarks/audit/split.py

        return half(doc)
    except ImportError:
        return "tune" if hashlib.sha1(doc.encode()).hexdigest()[0] in "01234567" else "check"


def load_texts(corpus: str, root: Path) -> list[Text]:
    """Every line-aligned Japanese version of every document of one corpus."""
    domains: dict[str, str] = {}
    meta = root / "documents.jsonl"
    if meta.is_file():
        for line in meta.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                domains[rec["doc"]] = rec["domain"]
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        en = read_lines(folder / "en.txt")
        for f in sorted(folder.glob("*.ja.txt")):
            ja = read_lines(f)
            if len(ja) == len(en):
                domain = "wmt21" if corpus == "wmt21" else domains.get(folder.name, "other")
                out.append(Text(corpus, domain, folder.name, f.name[: -len(".ja.txt")], en, ja))
    return out


def read_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


# -- units and noise -----------------------------------------------------------------------


def english_units(lines: Sequence[str], split: bool) -> list[tuple[str, int]]:
    """(text, line) of each English unit; empty lines give none."""
    out = []
    for i, line in enumerate(lines):
        spans = split_english(line) if split else ([(0, len(line))] if line.strip() else [])
        out.extend((line[a:b].strip(), i) for a, b in spans)
    return out


def japanese_units(lines: Sequence[str], split: bool) -> list[Unit]:
    out = []
    for i, line in enumerate(lines):
        spans = split_japanese(line) if split else ([(0, len(line))] if line.strip() else [])
        out.extend((line[a:b].strip(), frozenset([i])) for a, b in spans)
    return out


def noise_count(n: int, rate: float, count_kind: str, rng: random.Random) -> int:
    """Events of each noise kind in a text of ``n`` units (see :func:`add_noise`'s ``count_kind``).

    >>> noise_count(5, 0.15, "at-least-one", random.Random(1))
    1
    """
    if count_kind == "expected":
        whole, frac = divmod(rate * n, 1.0)
        return int(whole) + (1 if rng.random() < frac else 0)
    return max(1, round(rate * n))


def add_noise(
    units: list[Unit],
    related: Sequence[str],
    other: Sequence[str],
    rng: random.Random,
    rate: float = NOISE_RATE,
    count_kind: str = "at-least-one",
) -> list[Unit]:
    """Merge ``rate`` of neighbours, delete ``rate``, insert ``rate`` junk (half related, half other).

    ``count_kind``: ``at-least-one`` (the default, round 3): round(rate * units) events of each kind, at least
    one — a chat of 5 lines gets a merge, a deletion and a junk line, 55% of its lines on average in WMT22
    conversation; ``expected``: floor(rate * units) events of each kind and one more with the probability of
    the fraction left, so every document gets ``rate`` of noise on average (round 6: a second view on short
    documents, never the default).
    """
    out = list(units)
    count = noise_count(len(units), rate, count_kind, rng)
    for _ in range(count):  # merge neighbours
        if len(out) < 2:
            break
        k = rng.randrange(len(out) - 1)
        (t1, l1), (t2, l2) = out[k], out[k + 1]
        if l1 and l2:
            out[k : k + 2] = [(t1 + t2, l1 | l2)]
    for _ in range(count):  # delete
        if len(out) > 1:
            del out[rng.randrange(len(out))]
    for t in range(count):  # junk
        pool = related if (t % 2 == 0 and related) or not other else other
        if pool:
            out.insert(rng.randrange(len(out) + 1), (rng.choice(pool), frozenset()))
    return out


def add_noise_kept(
    units: list[Unit],
    related: Sequence[str],
    other: Sequence[str],
    rng: random.Random,
    rate: float = NOISE_RATE,
    count_kind: str = "at-least-one",
) -> tuple[list[Unit], list[int]]:
    """:func:`add_noise`'s kinds and counts laid out as a layout-keeping MT would (``--lines kept``): the noisy units
    and the Japanese line of each.

    A merge joins two neighbouring units of the *same* line: when the drawn pair crosses a line boundary, the
    nearest same-line pair is merged instead (the left one on a tie), and the merge is skipped when there is none
    (gold units: one unit a line, so no merge at all).  A deleted unit leaves its line; a line loses its place only
    when all its units are deleted (the Japanese has one line fewer, as MT dropping a paragraph).  Junk goes inside
    the line of the unit it follows (of the unit it precedes when it comes first), never on a line of its own.
    Draws the same random numbers as :func:`add_noise`, in the same order.

    A made-up case: line 0 holds two sentences, line 1 one; the first pair drawn (k=0) is on line 0 and merged,
    then the unit of line 1 is deleted (its line goes), then junk follows the merged unit on line 0:

    >>> class Draws:  # the positions add_noise would draw, in order
    ...     def __init__(self, *xs):
    ...         self.xs = list(xs)
    ...     def randrange(self, n):
    ...         return self.xs.pop(0)
    ...     def choice(self, pool):
    ...         return pool[0]
    >>> units = [("A。", frozenset([0])), ("B。", frozenset([0])), ("C。", frozenset([1])), ("D。", frozenset([2]))]
    >>> out, lines = add_noise_kept(units, ["JUNK。"], [], Draws(0, 1, 1), rate=0.25)
    >>> [(t, sorted(ls)) for t, ls in out], lines
    ([('A。B。', [0]), ('JUNK。', []), ('D。', [2])], [0, 0, 2])
    >>> out, lines = add_noise_kept(units, ["JUNK。"], [], Draws(1, 0, 0), rate=0.25)  # B|C crosses: A+B merged, deleted
    >>> [(t, sorted(ls)) for t, ls in out], lines
    ([('JUNK。', []), ('C。', [1]), ('D。', [2])], [1, 1, 2])
    """
    out = list(units)
    where = [min(lines) for _, lines in units]  # the Japanese line of each unit
    count = noise_count(len(units), rate, count_kind, rng)
    for _ in range(count):  # merge neighbours of one line
        if len(out) < 2:
            break
        drawn = rng.randrange(len(out) - 1)
        same = [k for k in range(len(out) - 1) if where[k] == where[k + 1]]
        if not same:
            continue
        k = min(same, key=lambda k: (abs(k - drawn), k))
        (t1, l1), (t2, l2) = out[k], out[k + 1]
        out[k : k + 2] = [(t1 + t2, l1 | l2)]
        del where[k + 1]
    for _ in range(count):  # delete: the line stays while another unit holds it
        if len(out) > 1:
            k = rng.randrange(len(out))
            del out[k]
            del where[k]
    for t in range(count):  # junk, inside the line of the unit it follows
        pool = related if (t % 2 == 0 and related) or not other else other
        if pool:
            k = rng.randrange(len(out) + 1)
            out.insert(k, (rng.choice(pool), frozenset()))
            where.insert(k, where[k - 1] if k else where[0])
    return out, where


# -- gold and scoring ----------------------------------------------------------------------


def gold_beads(en: Sequence[tuple[str, int]], ja: Sequence[Unit]) -> list[BeadT]:
    """Gold beads over unit indices: connected groups of lines, in order, plus null beads."""
    by_line: dict[int, list[int]] = defaultdict(list)
    for k, (_, line) in enumerate(en):
        by_line[line].append(k)
    lines_sorted = sorted(by_line)
    beads: list[BeadT] = []
    done = -1  # last English line already in a bead
    group: set[int] = set()
    group_ja: list[int] = []

    def flush() -> None:
        nonlocal done, group, group_ja
        if group_ja:
            lo, hi = min(group), max(group)
            beads.extend(((k,), ()) for line in lines_sorted if done < line < lo for k in by_line[line])
            beads.append(
                (tuple(k for line in lines_sorted if lo <= line <= hi for k in by_line[line]), tuple(group_ja))
            )
            done = hi
        group, group_ja = set(), []

    for j, (_, lines) in enumerate(ja):
        if not lines:
            flush()
            beads.append(((), (j,)))
            continue
        if group and min(lines) > max(group):
            flush()
        group |= lines
        group_ja.append(j)
    flush()
    beads.extend(((k,), ()) for line in lines_sorted if line > done for k in by_line[line])
    return beads


def to_line_beads(beads: Iterable[BeadT], en: Sequence[tuple[str, int]], ja: Sequence[Unit]) -> list[BeadT]:
    """Unit beads -> line beads: atoms are English lines, Japanese lines and junk units; beads sharing one are joined."""

    def atoms(b: BeadT) -> tuple[set[Atom], set[Atom]]:
        ea = {("e", en[k][1]) for k in b[0]}
        ja_atoms: set[Atom] = set()
        for j in b[1]:
            lines = ja[j][1]
            ja_atoms |= {("j", x) for x in lines} if lines else {("x", j)}
        return ea, ja_atoms

    parent: dict[Atom, Atom] = {}

    def find(a: Atom) -> Atom:
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    items = [atoms(b) for b in beads]
    for ea, jaa in items:
        all_atoms = list(ea | jaa)
        for a in all_atoms[1:]:
            parent[find(a)] = find(all_atoms[0])
    groups: dict[Atom, tuple[set[Atom], set[Atom]]] = {}
    for ea, jaa in items:
        root = find(next(iter(ea | jaa)))
        g = groups.setdefault(root, (set(), set()))
        g[0].update(ea)
        g[1].update(jaa)
    return [(tuple(sorted(e, key=str)), tuple(sorted(j, key=str))) for e, j in groups.values()]


def count_hits(gold: Sequence[BeadT], test: Sequence[BeadT]) -> tuple[int, int, int, int]:
    """(strict true positives, strict false positives, lax tp, lax fp) of ``test`` against ``gold``."""
    gold_set = {g for g in gold if g[0] or g[1]}
    links: dict[object, set[object]] = defaultdict(set)
    for ge, gj in gold_set:
        for i in ge:
            links[i].update(gj)
    tps = fps = tpl = fpl = 0
    for te, tj in test:
        if not te and not tj:
            continue
        if (te, tj) in gold_set:
            tps += 1
            tpl += 1
        elif te and set(tj) & set().union(*(links[i] for i in te)):
            fps += 1
            tpl += 1
        else:
            fps += 1
            fpl += 1
    return tps, fps, tpl, fpl


class Tally:
    """Pooled precision/recall counts, strict and lax."""

    def __init__(self) -> None:
        self.p = [0, 0, 0, 0]
        self.r = [0, 0, 0, 0]
        self.texts = 0

    def add(self, gold: Sequence[BeadT], test: Sequence[BeadT]) -> tuple[int, int]:
        """Add one text; returns its (strict errors in precision, gold pairs)."""
        pc = count_hits(gold, test)
        rc = count_hits([b for b in test if b[0] and b[1]], [b for b in gold if b[0] and b[1]])
        self.p = [x + y for x, y in zip(self.p, pc, strict=True)]
        self.r = [x + y for x, y in zip(self.r, rc, strict=True)]
        self.texts += 1
        return pc[1] + rc[1], rc[0] + rc[1]

    def f1(self, kind: str) -> float:
        k = 0 if kind == "strict" else 2
        prec = self.p[k] / max(1, self.p[k] + self.p[k + 1])
        rec = self.r[k] / max(1, self.r[k] + self.r[k + 1])
        return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


# -- aligners -------------------------------------------------------------------------------


def this_aligner(options: AlignOptions | None = None) -> Callable[..., list[BeadT]]:
    """What the bilingual stage does: line pair by line pair when ``lines`` are given and the layout holds
    (pipeline/align/layout.py), else the whole document."""

    def run(en: list[str], ja: list[str], lines: tuple[list[int], list[int]] | None = None) -> list[BeadT]:
        beads = align_by_lines(en, ja, lines, options)
        if beads is None:
            beads = align_sentences(en, ja, options, lines)
        return [(b.en, b.ja) for b in beads]

    return run


def unit_lines(c: Case, how: str, seed: int) -> tuple[list[int], list[int]] | None:
    """The line of each unit, for ``--lines``: ``none``; ``real`` (a junk unit on a line of its own, merged units
    on their first line); ``reflowed`` (the Japanese cut into as many lines at random unit boundaries: a layout
    with the right line count that is not the English one); ``kept`` (the layout :func:`add_noise_kept` gave the
    noisy units, junk inside a line; a clean item's own lines)."""
    if how == "none":
        return None
    en = [line for _, line in c.en]
    if how == "kept":
        return en, list(c.ja_lines) if c.ja_lines is not None else [min(lines) for _, lines in c.ja]
    ja, fresh = [], 10**6
    for _, lines in c.ja:
        if lines:
            ja.append(min(lines))
        else:
            fresh += 1
            ja.append(fresh)
    if how == "reflowed":
        count = len(set(ja))
        rng = random.Random(f"{seed}:reflow:{c.text.doc}:{c.text.system}:{c.condition}")
        cuts = sorted(rng.sample(range(1, len(ja)), min(count - 1, len(ja) - 1))) if len(ja) > 1 else []
        ja = [bisect.bisect_right(cuts, k) for k in range(len(ja))]
    return en, ja


def gale_church(en: list[str], ja: list[str]) -> list[BeadT]:
    """``galechurch`` with the document's character ratio (no spaces counted), as ``align`` estimates it."""
    le = sum(text_length(s) for s in en)
    lj = sum(text_length(s) for s in ja)
    ratio = lj / le if le and lj else 0.44
    block = galechurch.align(en, ja, mean_xy=ratio)
    return [
        (tuple(range(b.source_start, b.source_end)), tuple(range(b.target_start, b.target_end))) for b in block.beads
    ]


def parse_options(pairs: Sequence[str]) -> AlignOptions:
    """``--set`` values as AlignOptions (floats, ints, strings; priors as ``1-1:0.9,1-2:0.05``)."""
    defaults = AlignOptions()
    kwargs: dict[str, object] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if key == "priors":
            kwargs[key] = tuple(
                (tuple(int(x) for x in shape.split("-")), float(p))
                for shape, p in (item.split(":") for item in value.split(","))
            )
        elif isinstance(getattr(defaults, key), bool):  # bool("false") is True
            kwargs[key] = value.lower() in ("1", "true", "yes", "on")
        else:
            kwargs[key] = type(getattr(defaults, key))(value)
    return AlignOptions(**kwargs)


# -- main ------------------------------------------------------------------------------------


@dataclass
class Case:
    text: Text
    units: str
    condition: str
    en: list[tuple[str, int]]
    ja: list[Unit]
    gold: list[BeadT]
    ja_lines: list[int] | None = None  # the Japanese line of each unit when the noise kept the layout (--lines kept)


def build_cases(
    texts: Sequence[Text],
    units: Sequence[str],
    seed: int,
    pool: Sequence[Text] = (),
    noise_count: str = "at-least-one",
    lines: str = "none",
) -> list[Case]:
    """Clean and noisy test items for each text and unit kind; junk comes from the references of ``pool``.

    ``pool`` is every loaded text (default: ``texts``), so a text gets the same junk whatever subset is run.
    ``lines="kept"``: the noise keeps the line layout (:func:`add_noise_kept`); any other value, :func:`add_noise`.
    """
    cases = []
    for kind in units:
        split = kind == "split"
        pools: dict[tuple[str, str], list[str]] = defaultdict(list)  # (domain, doc) -> reference units
        for t in pool or texts:
            if t.system == "ref":
                pools[(t.domain, t.doc)].extend(s for s, _ in japanese_units(t.ja, split))
        for t in texts:
            en = english_units(t.en, split)
            ja = japanese_units(t.ja, split)
            if not en or not ja:
                continue
            cases.append(Case(t, kind, "clean", en, ja, to_line_beads(gold_beads(en, ja), en, ja)))
            related = [s for (d, doc), ss in pools.items() if d == t.domain and doc != t.doc for s in ss]
            other = [s for (d, _), ss in pools.items() if d != t.domain for s in ss] or related
            rng = random.Random(f"{seed}:{kind}:{t.doc}:{t.system}")
            if lines == "kept":
                noisy, ja_lines = add_noise_kept(ja, related, other, rng, count_kind=noise_count)
                gold = to_line_beads(gold_beads(en, noisy), en, noisy)
                cases.append(Case(t, kind, "noisy", en, noisy, gold, ja_lines))
                continue
            noisy = add_noise(ja, related, other, rng, count_kind=noise_count)
            cases.append(Case(t, kind, "noisy", en, noisy, to_line_beads(gold_beads(en, noisy), en, noisy)))
    return cases


def evaluate(
    cases: Sequence[Case],
    systems: dict[str, Callable[..., list[BeadT]]],
    show: int,
    lines: str = "none",
    seed: int = 13,
) -> dict[tuple[str, ...], dict[str, Tally]]:
    """Tallies per (domain, half, units, condition) and system; ``show`` prints the worst texts."""
    tallies: dict[tuple[str, ...], dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    worst: list[tuple[int, str]] = []
    for c in cases:
        key = (c.text.domain, half_of(c.text.doc), c.units, c.condition)
        en_texts = [s for s, _ in c.en]
        ja_texts = [s for s, _ in c.ja]
        for name, fn in systems.items():
            layout = unit_lines(c, lines, seed) if name == "this" else None
            test = to_line_beads(fn(en_texts, ja_texts, layout) if layout else fn(en_texts, ja_texts), c.en, c.ja)
            errors, _ = tallies[key][name].add(c.gold, test)
            if show and name == "this" and errors:
                worst.append((errors, f"{c.text.doc}/{c.text.system} {c.units} {c.condition}: {errors} errors"))
    for _, line in sorted(worst, reverse=True)[:show]:
        print("  worst:", line)
    return tallies


def print_table(tallies: dict[tuple[str, ...], dict[str, Tally]], systems: Sequence[str]) -> None:
    head = f"{'domain':13} {'half':5} {'units':5} {'set':5} {'texts':>5}"
    for s in systems:
        head += f" {s + ' strict':>12} {s[:6] + ' lax':>10}"
    print(head)
    order = {"wmt21": 0, "news": 1, "ecommerce": 2, "social": 3, "conversation": 4}
    for key in sorted(tallies, key=lambda k: (order.get(k[0], 9), k[0], k[2], k[3], k[1])):
        row = tallies[key]
        first = next(iter(row.values()))
        line = f"{key[0]:13} {key[1]:5} {key[2]:5} {key[3]:5} {first.texts:5}"
        for s in systems:
            t = row.get(s)
            line += f" {t.f1('strict'):12.3f} {t.f1('lax'):10.3f}" if t else f" {'n/a':>12} {'n/a':>10}"
        print(line)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="wmt21,wmt22", help="comma-separated: wmt21, wmt22")
    ap.add_argument("--domain", default="", help="only this domain (wmt21, news, ecommerce, social, conversation)")
    ap.add_argument("--half", default="", choices=("", "tune", "check"), help="only this half of the documents")
    ap.add_argument("--units", default="gold,split", help="comma-separated: gold, split")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--quick", action="store_true", help="ref + 5 systems per document")
    ap.add_argument("--no-gc", action="store_true", help="leave Gale–Church out")
    ap.add_argument("--show", type=int, default=0, help="print the N texts with the most strict errors")
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an AlignOptions field for 'this' (repeatable), e.g. --set pin_bonus=2 --set priors=1-1:0.9,0-1:0.02",
    )
    ap.add_argument("--speed", action="store_true", help="time long and unbalanced documents instead of scoring")
    ap.add_argument(
        "--noise-count",
        choices=("at-least-one", "expected"),
        default="at-least-one",
        help="noise events per kind: at least one per text (default), or the rate on average (short documents)",
    )
    ap.add_argument(
        "--seeds",
        type=int,
        default=0,
        help="run seeds 1..N (noise only; no Gale–Church) and print, per group, the mean and spread of F1 and of "
        "the own split's distance to gold units: the two unit kinds draw their noise apart",
    )
    ap.add_argument(
        "--lines",
        choices=("none", "real", "reflowed", "kept"),
        default="none",
        help="give 'this' the line of each unit (as the bilingual stage does, which then aligns line pair by line "
        "pair where the layout holds): the real layout, or a wrong one; kept: noise as a layout-keeping MT makes it "
        "(merges within a line, junk inside a line, a line gone only when all its units are) and that layout",
    )
    args = ap.parse_args(argv)
    if args.speed:
        return measure_speed(args.seed)
    texts: list[Text] = []
    for corpus in args.corpus.split(","):
        root = DATA[corpus]
        if not root.is_dir():
            print(f"skipped {corpus}: {root} not found (set ${corpus.upper()}_DEV)")
            continue
        texts.extend(load_texts(corpus, root))
    everything = texts
    if args.quick:
        texts = [t for t in texts if t.system in QUICK_SYSTEMS]
    if args.domain:
        texts = [t for t in texts if t.domain == args.domain]
    if args.half:
        texts = [t for t in texts if half_of(t.doc) == args.half]
    if not texts:
        return 0
    systems: dict[str, Callable[[list[str], list[str]], list[BeadT]]] = {"this": this_aligner(parse_options(args.set))}
    if galechurch is None:
        print("note: galechurch is not installed (pip install -e .[bench]); Gale–Church columns say n/a")
    elif not args.no_gc:
        systems["GC"] = gale_church
    if args.seeds:
        return seed_spread(texts, everything, systems["this"], args)
    t0 = time.perf_counter()
    cases = build_cases(texts, args.units.split(","), args.seed, everything, args.noise_count, args.lines)
    tallies = evaluate(cases, systems, args.show, args.lines, args.seed)
    print(f"{len(texts)} texts, {len(cases)} test items, seed {args.seed}, {time.perf_counter() - t0:.0f} s")
    print_table(tallies, ["this", "GC"])
    return 0


def seed_spread(
    texts: Sequence[Text], everything: Sequence[Text], aligner: Callable[..., list[BeadT]], args: argparse.Namespace
) -> int:
    """Noisy F1 over seeds 1..N: the gold and split items of one seed get different noise (their units differ), so
    one seed's distance between them is partly the draw (round 7, second part: its spread is about 0.01)."""
    scores: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    for seed in range(1, args.seeds + 1):
        cases = [c for c in build_cases(texts, ["gold", "split"], seed, everything, args.noise_count, args.lines)]
        cases = [c for c in cases if c.condition == "noisy"]
        for key, row in evaluate(cases, {"this": aligner}, 0, args.lines, seed).items():
            t = row["this"]
            scores[(key[0], key[1], key[2])].append((t.f1("strict"), t.f1("lax")))
    print(f"{len(texts)} texts, noisy, seeds 1-{args.seeds}: mean (sd) strict / lax; split - gold per seed")
    for domain, half in sorted({(d, h) for d, h, _ in scores}):
        gold, split = scores.get((domain, half, "gold"), []), scores.get((domain, half, "split"), [])
        line = f"{domain:13} {half:5}"
        for name, vals in (("gold", gold), ("split", split)):
            line += f"  {name} {_mean_sd([v[0] for v in vals])} / {_mean_sd([v[1] for v in vals])}"
        if gold and split:
            gaps = [(b[0] - a[0], b[1] - a[1]) for a, b in zip(gold, split, strict=True)]
            worst = min(g[0] for g in gaps)
            line += f"  gap {_mean_sd([g[0] for g in gaps], '+.3f')} / {_mean_sd([g[1] for g in gaps], '+.3f')}"
            line += f" (worst strict {worst:+.3f})"
        print(line)
    return 0


def _mean_sd(values: Sequence[float], fmt: str = ".3f") -> str:
    if not values:
        return "n/a"
    mean = sum(values) / len(values)
    sd = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
    return f"{mean:{fmt}} ({sd:.3f})"


# -- speed ---------------------------------------------------------------------------------------


def measure_speed(seed: int) -> int:
    """Long balanced documents (WMT21 references concatenated) and very unbalanced sides: seconds."""
    root = DATA["wmt21"]
    if not root.is_dir():
        print(f"skipped: {root} not found")
        return 0
    refs = [t for t in load_texts("wmt21", root) if t.system == "ref"]
    en_all = [s for t in refs for s in t.en if s.strip()]
    ja_all = [s for t in refs for s in t.ja if s.strip()]
    print(f"{'en':>6} {'ja':>6} {'align s':>8} {'units/s':>8}")
    rng = random.Random(seed)
    for n_en, n_ja in (
        (1000, 1000),
        (2000, 2000),
        (4000, 4000),
        (8000, 8000),
        (10, 1000),
        (10, 10000),
        (9, 18000),
        (10000, 10),
    ):
        en = [en_all[k % len(en_all)] for k in range(n_en)]
        ja = [ja_all[k % len(ja_all)] for k in range(n_ja)]
        if n_en == n_ja:  # a little noise so the band has work to do
            for _ in range(n_ja // 50):
                del ja[rng.randrange(len(ja))]
        t0 = time.perf_counter()
        align_sentences(en, ja)
        dt = time.perf_counter() - t0
        print(f"{len(en):6} {len(ja):6} {dt:8.2f} {(len(en) + len(ja)) / dt:8.0f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A blind second opinion on the edit audit: is the precision figure the rule writers' verdicts give trustworthy?

    python benchmarks/audit/rejudge.py blind --edits F [--edits F2 ...] --sample N|all --seed S --out SHEET.tsv [--quota STAGE=N ...] [--census STAGES] [--exclude-sheet SHEET ...]
    python benchmarks/audit/rejudge.py agree --sheet SHEET.tsv [--sheet SHEET2 ...] [--edits F ...]

Every verdict in ``verdicts/*.jsonl`` was written by the engineers who wrote
the rules, often with the rule's reason in front of them.  ``blind`` draws a
stratified random sample of the distinct edits of one or more ``audit.py
run`` outputs and writes a judging sheet that shows what a judge needs — the
edit's key, document and text, the Japanese line with the edit marked
``⟦old→new⟧``, the neighbouring lines, the English lines they translate, how
often the old and the new text occur in the whole text — and NOT the stored
verdict, the rule or its reason.  The judge fills the ``verdict`` and ``why``
columns.  ``agree`` compares those blind verdicts with the stored ones: the
3x3 confusion table, raw agreement, Cohen's kappa, precision (correct +
harmless over all) both ways with a Wilson 95% interval, all on the sample and
by stage, and every disagreement with both whys (with ``--edits``, also the
rule, its reason and the context, for adjudication).

The sample: the distinct edits (by key) of all ``--edits`` files; a stratum
is (stage, half, runs), where runs names the input files that make the edit
(``default+source`` — an edit of both runs, ``source`` — one only the source
run makes).  The ``--census`` stages (default ``dedup,lines``: few edits)
are taken whole; a ``--quota STAGE=N`` fixes a stage's share; the rest of
``--sample`` goes to the other stages in proportion to their size.  Inside a
stage the share is spread over its strata in proportion (largest remainder,
at least one edit a stratum while the share allows), so a stage's sample is
close to self-weighting and its precision estimates the stage's precision.
The same ``--seed`` draws the same sample.

A second pass (round 9b): ``--exclude-sheet SHEET`` (repeatable) leaves out
every key an existing sheet holds (judged or not), so a new sheet draws only
the edits nobody has judged blind yet; ``--sample all`` takes every remaining
edit (a census: every stage whole, in a seeded random order).  ``agree``
takes ``--sheet`` more than once (a key in two sheets must carry the same
verdict) and, with ``--edits``, reports for each run the share of its edits
the sheets cover and the blind precision of those edits, by stage: when the
sheets cover a run whole, that is the run's precision, not an estimate;
the ``(distinct)`` lines count each edit of any run once (the whole set).

A sheet kept in the repository holds only ``key``, ``verdict`` and ``why``
(no dev sentence); ``agree`` reads any TSV with those three header names.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from audit import (  # noqa: E402
    CORPORA,
    VERDICT_NAMES,
    VERDICTS,
    derive_line_verdicts,
    read_edits,
    read_jsonl,
)

NEIGHBOURS = 2  # lines each side shown to the judge
# What the judge sees, in this order; the rule, its reason and any verdict are left out on purpose.
SHEET_COLUMNS = (
    "key",
    "verdict",
    "why",
    "stage",
    "half",
    "runs",
    "corpus",
    "doc",
    "text",
    "line",
    "old",
    "new",
    "counts",
    "ja",
    "ja_before",
    "ja_after",
    "en",
    "en_around",
)
HIDDEN = ("rule", "reason")


# -- the sample ----------------------------------------------------------------------------------------------------


def distinct_edits(runs: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each key once, with ``runs``: the names of the runs (in the order given) that make the edit."""
    seen: dict[str, dict[str, Any]] = {}
    made_by: dict[str, list[str]] = defaultdict(list)
    for name, edits in runs.items():
        for e in edits:
            seen.setdefault(e["key"], e)
            if name not in made_by[e["key"]]:
                made_by[e["key"]].append(name)
    return [{**e, "runs": "+".join(made_by[k])} for k, e in seen.items()]


def stratum(e: dict[str, Any]) -> tuple[str, str, str]:
    return (e["stage"], e["half"], e["runs"])


def spread(total: int, sizes: dict[Any, int]) -> dict[Any, int]:
    """``total`` places over groups of ``sizes``: one each while places last (largest groups first), the rest in
    proportion by largest remainder, never more than a group holds.

    >>> spread(5, {"a": 10, "b": 10})
    {'a': 3, 'b': 2}
    >>> spread(3, {"a": 100, "b": 1, "c": 1})
    {'a': 1, 'b': 1, 'c': 1}
    >>> spread(50, {"a": 2, "b": 3})
    {'a': 2, 'b': 3}
    """
    groups = sorted(sizes, key=lambda g: (-sizes[g], str(g)))
    total = min(total, sum(sizes.values()))
    out = {g: 0 for g in groups}
    for g in groups[:total]:
        out[g] = 1 if sizes[g] else 0
    left = total - sum(out.values())
    while left > 0:
        room = {g: sizes[g] - out[g] for g in groups if sizes[g] > out[g]}
        weight = sum(room.values())
        exact = {g: left * room[g] / weight for g in room}
        for g in room:
            out[g] += math.floor(exact[g])
        left = total - sum(out.values())
        for g in sorted(room, key=lambda g: (-(exact[g] - math.floor(exact[g])), str(g)))[:left]:
            out[g] += 1
        left = total - sum(out.values())
    return {g: out[g] for g in sorted(out, key=str)}


def stage_shares(sizes: dict[str, int], sample: int, census: set[str], quota: dict[str, int]) -> dict[str, int]:
    """How many edits each stage gets: the census stages whole, the quotas, the rest in proportion.

    >>> stage_shares({"variants": 200, "markup": 40, "dedup": 7}, 60, {"dedup"}, {"markup": 20})
    {'dedup': 7, 'markup': 20, 'variants': 33}
    """
    shares = {s: n for s, n in sizes.items() if s in census}
    shares.update({s: min(n, sizes[s]) for s, n in quota.items() if s in sizes and s not in census})
    rest = {s: n for s, n in sizes.items() if s not in shares}
    left = max(0, sample - sum(shares.values()))
    if rest:
        shares.update(spread(max(left, len(rest)), rest))
    return dict(sorted(shares.items()))


def draw(
    edits: list[dict[str, Any]], sample: int, seed: int, census: set[str], quota: dict[str, int]
) -> list[dict[str, Any]]:
    """The stratified sample, in a seeded random order (so a stratum's edits are not read one after another)."""
    by_stratum: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for e in sorted(edits, key=lambda e: e["key"]):
        by_stratum[stratum(e)].append(e)
    sizes = Counter(e["stage"] for e in edits)
    rng = random.Random(seed)
    picked: list[dict[str, Any]] = []
    for stage, share in stage_shares(dict(sizes), sample, census, quota).items():
        strata = {k: len(v) for k, v in by_stratum.items() if k[0] == stage}
        for k, n in spread(share, strata).items():
            picked.extend(rng.sample(by_stratum[k], n))
    rng.shuffle(picked)
    return picked


# -- what the judge sees -------------------------------------------------------------------------------------------


def text_lines(corpus: str, doc: str, text: str) -> tuple[list[str], list[str]]:
    """The Japanese text's lines and the English lines (line-aligned), as ``audit.py run`` reads them."""
    folder = CORPORA[corpus] / doc
    ja, en = folder / f"{text}.ja.txt", folder / "en.txt"
    return (
        ja.read_text(encoding="utf-8").split("\n") if ja.is_file() else [],
        en.read_text(encoding="utf-8").split("\n") if en.is_file() else [],
    )


def flat(s: str) -> str:
    """One TSV cell: no tab, no line break."""
    return s.replace("\t", " ").replace("\r", "").replace("\n", " ⏎ ")


def sheet_row(e: dict[str, Any], ja: list[str], en: list[str]) -> dict[str, str]:
    """One edit as the judge sees it: no stored verdict, no rule, no reason."""
    n = e["line"]
    lo, hi = max(0, n - NEIGHBOURS), n + NEIGHBOURS + 1
    whole = "\n".join(ja)
    counts = f"old x{whole.count(e['old'])}, new x{whole.count(e['new'])} in this text" if e["old"] else ""
    if not e["new"]:
        counts = f"old x{whole.count(e['old'])} in this text"
    around = [f"{i + 1}: {en[i]}" for i in range(lo, min(hi, len(en))) if i != n and en[i].strip()]
    return {
        "key": e["key"],
        "verdict": "",
        "why": "",
        "stage": e["stage"],
        "half": e["half"],
        "runs": e["runs"],
        "corpus": e["corpus"],
        "doc": e["doc"],
        "text": e["text"],
        "line": str(n + 1),
        "old": flat(e["old"]),
        "new": flat(e["new"]),
        "counts": counts,
        "ja": flat(e["context"]),
        "ja_before": flat(" ⏎ ".join(ja[lo:n])),
        "ja_after": flat(" ⏎ ".join(ja[n + 1 : hi])),
        "en": flat(e["en"]),
        "en_around": flat(" | ".join(around)),
    }


def write_sheet(rows: list[dict[str, str]], out: Path) -> None:
    """Plain TSV: a header line, one edit a line (the cells were flattened; no quoting)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = ["\t".join(SHEET_COLUMNS)] + ["\t".join(flat(row.get(c, "")) for c in SHEET_COLUMNS) for row in rows]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def show(row: dict[str, str], i: int) -> str:
    return (
        f"\n[{i}] {row['key']}  {row['corpus']}/{row['doc']}/{row['text']}:{row['line']}  {row['stage']}"
        f"  ({row['half']}; runs {row['runs']})\n"
        f"  {row['old']!r} -> {row['new']!r}   {row['counts']}\n"
        f"  before: {row['ja_before']}\n"
        f"  ja:     {row['ja']}\n"
        f"  after:  {row['ja_after']}\n"
        f"  en:     {row['en']}\n"
        f"  around: {row['en_around']}"
    )


def read_runs(edits_files: list[Path]) -> dict[str, list[dict[str, Any]]]:
    """Each ``audit.py run`` output by its file's stem (a repeated stem gets a ')."""
    runs: dict[str, list[dict[str, Any]]] = {}
    for f in edits_files:
        name = f.stem
        while name in runs:
            name += "'"
        runs[name] = read_edits(f)
    return runs


def blind(
    edits_files: list[Path],
    sample: int | None,
    seed: int,
    out: Path,
    census: set[str],
    quota: dict[str, int],
    quiet: bool,
    exclude: list[Path] | None = None,
) -> int:
    """Write the judging sheet; ``sample`` None takes every edit; keys of the ``exclude`` sheets are left out."""
    runs = read_runs(edits_files)
    every = distinct_edits(runs)
    known: set[str] = set()
    for path in exclude or []:
        known |= sheet_keys(path)
    edits = [e for e in every if e["key"] not in known]
    picked = draw(edits, len(edits) if sample is None else sample, seed, census, quota)
    cache: dict[tuple, tuple[list[str], list[str]]] = {}
    rows = []
    for e in picked:
        where = (e["corpus"], e["doc"], e["text"])
        if where not in cache:
            cache[where] = text_lines(*where)
        rows.append(sheet_row(e, *cache[where]))
    write_sheet(rows, out)
    if not quiet:
        for i, row in enumerate(rows, 1):
            print(show(row, i))
    sizes = Counter(stratum(e) for e in edits)
    took = Counter(stratum(e) for e in picked)
    left_out = f" ({len(every) - len(edits)} of {len(every)} left out: already in {', '.join(map(str, exclude or []))})"
    print(
        f"\n{len(edits)} distinct edits in {len(runs)} runs{left_out if exclude else ''}; "
        f"{len(picked)} drawn (seed {seed}) -> {out}"
    )
    print(f"  {'stage':9} {'half':6} {'runs':32} {'edits':>6} {'drawn':>6}")
    for k in sorted(sizes):
        print(f"  {k[0]:9} {k[1]:6} {k[2]:32} {sizes[k]:6} {took[k]:6}")
    return 0


# -- agreement -----------------------------------------------------------------------------------------------------


def read_sheet(path: Path) -> list[dict[str, str]]:
    """The judged rows of a sheet (``key``, ``verdict``, ``why`` columns; other columns are kept as they are)."""
    if not path.is_file():
        raise SystemExit(f"error: {path}: no such sheet")
    lines = [x for x in path.read_text(encoding="utf-8").split("\n") if x.strip() and not x.startswith("#")]
    header = lines[0].split("\t") if lines else []
    missing = {"key", "verdict", "why"} - set(header)
    if missing:
        raise SystemExit(
            f"error: {path}: the header needs key, verdict and why columns ({', '.join(sorted(missing))} missing)"
        )
    rows = []
    for n, line in enumerate(lines[1:], 2):
        row = dict(zip(header, line.split("\t"), strict=False))
        if row.get("verdict") not in VERDICT_NAMES:
            raise SystemExit(
                f"error: {path}: row {n} ({row.get('key', '')}): verdict must be one of "
                f"{', '.join(VERDICT_NAMES)}, not {row.get('verdict', '')!r}"
            )
        row.setdefault("why", "")
        rows.append(row)
    return rows


def sheet_keys(path: Path) -> set[str]:
    """The keys of a sheet, judged or not (for ``--exclude-sheet``): the ``key`` column of a TSV."""
    if not path.is_file():
        raise SystemExit(f"error: {path}: no such sheet")
    lines = [x for x in path.read_text(encoding="utf-8").split("\n") if x.strip() and not x.startswith("#")]
    header = lines[0].split("\t") if lines else []
    if "key" not in header:
        raise SystemExit(f"error: {path}: the header needs a key column")
    at = header.index("key")
    return {cells[at] for cells in (line.split("\t") for line in lines[1:]) if len(cells) > at and cells[at]}


def read_sheets(paths: list[Path]) -> list[dict[str, str]]:
    """The judged rows of several sheets, each key once; a key two sheets judge differently is an error."""
    rows: list[dict[str, str]] = []
    first: dict[str, tuple[Path, str]] = {}
    for path in paths:
        for row in read_sheet(path):
            seen = first.get(row["key"])
            if seen is None:
                first[row["key"]] = (path, row["verdict"])
                rows.append(row)
            elif seen[1] != row["verdict"]:
                raise SystemExit(f"error: key {row['key']} is {seen[1]} in {seen[0]} but {row['verdict']} in {path}")
    return rows


def stored_verdicts() -> dict[str, dict[str, Any]]:
    """Every stored verdict by key, with ``stage`` from its file's name (``baseline-dedup`` -> ``dedup``)."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(VERDICTS.glob("*.jsonl")):
        stage = path.stem.removeprefix("baseline-")
        for v in read_jsonl(path):
            out[v["key"]] = {"stage": stage, **v}
    return out


def confusion(pairs: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """(stored, blind) -> count, over the three verdicts."""
    c = Counter(pairs)
    return {(a, b): c[(a, b)] for a in VERDICT_NAMES for b in VERDICT_NAMES}


def kappa(table: dict[tuple[str, str], int]) -> float | None:
    """Cohen's kappa of a square table; None when chance agreement is 1 (both raters used one and the same verdict).

    >>> kappa({("a", "a"): 20, ("a", "b"): 5, ("b", "a"): 10, ("b", "b"): 15})
    0.4
    """
    n = sum(table.values())
    if not n:
        return None
    cats = sorted({a for a, _ in table} | {b for _, b in table})
    observed = sum(table.get((c, c), 0) for c in cats) / n
    rows = {c: sum(table.get((c, d), 0) for d in cats) / n for c in cats}
    cols = {c: sum(table.get((d, c), 0) for d in cats) / n for c in cats}
    chance = sum(rows[c] * cols[c] for c in cats)
    if math.isclose(chance, 1.0):
        return None
    return round((observed - chance) / (1 - chance), 10)


def wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """The Wilson score interval of k successes in n (95% by default).

    >>> [round(x, 3) for x in wilson(10, 10)]
    [0.722, 1.0]
    """
    if not n:
        return (0.0, 1.0)
    p = k / n
    mid = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, mid - half), min(1.0, mid + half))


def precision_line(verdicts: list[str]) -> str:
    n = len(verdicts)
    good = sum(v != "harmful" for v in verdicts)
    lo, hi = wilson(good, n)
    p = f"{good / n:.3f}" if n else "-"
    return f"{p} ({good}/{n}; 95% {lo:.3f}-{hi:.3f})"


def agreement_text(pairs: list[tuple[str, str]], title: str) -> list[str]:
    table = confusion(pairs)
    n = len(pairs)
    agree = sum(a == b for a, b in pairs)
    k = kappa(table)
    head = "stored \\ blind"
    lines = [f"{title}: {n} edits", f"  {head:16}" + "".join(f"{b:>10}" for b in VERDICT_NAMES)]
    for a in VERDICT_NAMES:
        lines.append(f"  {a:16}" + "".join(f"{table[(a, b)]:10}" for b in VERDICT_NAMES))
    lines.append(f"  raw agreement {agree}/{n} = {agree / n:.3f}" if n else "  raw agreement -")
    lines.append(f"  Cohen's kappa {k:.3f}" if k is not None else "  Cohen's kappa undefined (one verdict only)")
    same_side = sum((a == "harmful") == (b == "harmful") for a, b in pairs)
    lines.append(f"  harmful or not (what precision counts): agree {same_side}/{n}")
    lines.append(f"  precision, blind verdicts:  {precision_line([b for _, b in pairs])}")
    lines.append(f"  precision, stored verdicts: {precision_line([a for a, _ in pairs])}")
    return lines


def stratified_precision(sample: list[tuple[tuple, str]], sizes: Counter) -> tuple[float, int, int] | None:
    """The precision of a whole population from a stratified sample: each stratum's sample precision weighted by
    the stratum's size.  ``sample``: (stratum, verdict) pairs; ``sizes``: edits a stratum.  Returns (estimate,
    edits of the strata the sample covers, edits of strata it misses); None without a sample.

    >>> round(stratified_precision([(("a",), "harmful"), (("a",), "correct"), (("b",), "correct")],
    ...                            Counter({("a",): 10, ("b",): 30}))[0], 3)
    0.875
    """
    drawn: dict[tuple, list[str]] = defaultdict(list)
    for k, v in sample:
        drawn[k].append(v)
    covered = sum(sizes[k] for k in drawn)
    if not covered:
        return None
    good = sum(sizes[k] * sum(v != "harmful" for v in vs) / len(vs) for k, vs in drawn.items())
    return good / covered, covered, sum(sizes.values()) - covered


def run_coverage(runs: dict[str, list[dict[str, Any]]], blind_by_key: dict[str, str]) -> list[str]:
    """For each run and stage: how many of the run's distinct edits the sheets judge, and their blind precision."""
    out = ["\nblind precision by run (the run's distinct edits the sheets judge; all of them = a census):"]
    every = dict(runs)
    if len(runs) > 1:
        every["(distinct)"] = distinct_edits(runs)  # each edit of any run once: the whole set
    for name, run in every.items():
        by_stage: dict[str, dict[str, str]] = defaultdict(dict)
        for e in run:
            by_stage[e["stage"]][e["key"]] = blind_by_key.get(e["key"], "")
        total = {k: v for stage in by_stage.values() for k, v in stage.items()}
        for stage, keys in [("all", total)] + sorted(by_stage.items()):
            judged = [v for v in keys.values() if v]
            whole = "census" if len(judged) == len(keys) else f"{len(keys) - len(judged)} not judged"
            out.append(f"  {name:14} {stage:9} {len(judged):4}/{len(keys):<4} {whole:14} {precision_line(judged)}")
    return out


def agree(sheets: list[Path], edits_files: list[Path]) -> int:
    rows = read_sheets(sheets)
    stored = stored_verdicts()
    edits: dict[str, dict[str, Any]] = {}
    runs = read_runs(edits_files)
    for run in runs.values():
        for key, v in derive_line_verdicts(run, stored).items():
            stored.setdefault(key, {"stage": "lines", **v})
    distinct = distinct_edits(runs) if runs else []
    edits = {e["key"]: e for e in distinct}
    pairs_by: dict[str, list[tuple[str, str]]] = defaultdict(list)
    strata_by: dict[str, list[tuple[tuple, str]]] = defaultdict(list)
    unjudged, disagreements = [], []
    for row in rows:
        s = stored.get(row["key"])
        e = edits.get(row["key"])
        stage = row.get("stage") or (e["stage"] if e else None) or (s or {}).get("stage", "?")
        if s is None:
            unjudged.append(row["key"])
            continue
        pairs_by[stage].append((s["verdict"], row["verdict"]))
        pairs_by["all"].append((s["verdict"], row["verdict"]))
        if e:
            strata_by[stage].append((stratum(e), row["verdict"]))
        if s["verdict"] != row["verdict"]:
            disagreements.append((stage, row, s))
    out = agreement_text(pairs_by.pop("all", []), "all stages")
    for stage in sorted(pairs_by):
        out += [""] + agreement_text(pairs_by[stage], stage)
    if distinct:
        sizes = Counter(stratum(e) for e in distinct)
        out.append(f"\nthe {len(distinct)} distinct edits of {', '.join(runs)}, blind precision weighted by stratum:")
        for stage in sorted(strata_by):
            est = stratified_precision(strata_by[stage], Counter({k: n for k, n in sizes.items() if k[0] == stage}))
            if est:
                missed = f", {est[2]} in strata the sample misses" if est[2] else ""
                out.append(f"  {stage:9} {est[0]:.3f} over {est[1]} edits{missed}")
    if runs:
        out += run_coverage(runs, {row["key"]: row["verdict"] for row in rows})
    if unjudged:
        hint = "" if edits_files else " (a lines edit's verdict is derived from its run: give --edits)"
        out.append(f"\n{len(unjudged)} sheet keys have no stored verdict, left out{hint}: {' '.join(unjudged)}")
    out.append(f"\n{len(disagreements)} disagreements:")
    for stage, row, s in sorted(disagreements, key=lambda d: (d[0], d[1]["key"])):
        e = edits.get(row["key"])
        out.append(f"\n  {row['key']} {stage}: stored {s['verdict']}, blind {row['verdict']}")
        if e:
            out.append(f"    {e['corpus']}/{e['doc']}/{e['text']}:{e['line'] + 1}  {e['rule']}: {e['reason']}")
            out.append(f"    ja: {e['context']}")
            out.append(f"    en: {e['en']}")
        out.append(f"    stored why: {s.get('why', '')}")
        out.append(f"    blind why:  {row['why']}")
    print("\n".join(out))
    return 0


# -- command line --------------------------------------------------------------------------------------------------


def parse_quota(items: list[str], p: argparse.ArgumentParser) -> dict[str, int]:
    out = {}
    for item in items:
        stage, eq, n = item.partition("=")
        if not eq or not n.isdigit():
            p.error(f"--quota {item}: expected STAGE=N")
        out[stage] = int(n)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("blind", help="draw a stratified sample of edits and write a blind judging sheet")
    b.add_argument("--edits", type=Path, action="append", required=True, help="an audit.py run output; repeatable")
    b.add_argument("--sample", required=True, help="edits to draw in all (census stages included), or all: every edit")
    b.add_argument("--seed", type=int, required=True)
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--census", default="dedup,lines", help="stages taken whole (comma-separated)")
    b.add_argument("--quota", action="append", default=[], metavar="STAGE=N", help="a stage's share; repeatable")
    b.add_argument("--quiet", action="store_true", help="write the sheet only, print the strata")
    b.add_argument(
        "--exclude-sheet",
        type=Path,
        action="append",
        default=[],
        metavar="SHEET",
        help="leave out the keys this sheet holds (judged or not); repeatable",
    )
    a = sub.add_parser("agree", help="compare a judged sheet with the stored verdicts")
    a.add_argument("--sheet", type=Path, action="append", required=True, help="a judged sheet; repeatable")
    a.add_argument(
        "--edits", type=Path, action="append", default=[], help="runs to show disagreements from; repeatable"
    )
    args = p.parse_args(argv)
    if args.command == "blind":
        if args.sample == "all":
            sample = None
        elif args.sample.isdigit() and int(args.sample) >= 1:
            sample = int(args.sample)
        else:
            p.error(f"--sample {args.sample}: expected a number of edits (at least 1) or all")
        census = {s for s in args.census.split(",") if s}
        quota = parse_quota(args.quota, p)
        return blind(args.edits, sample, args.seed, args.out, census, quota, args.quiet, args.exclude_sheet)
    return agree(args.sheet, args.edits)


if __name__ == "__main__":
    raise SystemExit(main())

"""The edit audit: every edit the pipeline makes on the dev data, judged by a person, kept as verdicts.

    python benchmarks/audit/audit.py run [--corpus wmt22|wmt21|all] [--half tune|check|all] [--out FILE] [--jobs N] [--source] [--tie-break batch] [--set NAME=VALUE ...]
    python benchmarks/audit/audit.py todo --stage STAGE [--edits FILE] [--half H] [--limit N]
    python benchmarks/audit/audit.py judge --stage STAGE [--edits FILE] < VERDICTS.tsv   # key<TAB>verdict<TAB>why
    python benchmarks/audit/audit.py report [--edits FILE] [--by rule] [--strict]

``run`` cleans every Japanese text of the dev sets (one document per file,
default options, as a user runs ``clean``) and writes every edit the cleaned
text carries as one JSON line: ``key`` (a stable id), ``corpus``, ``doc``,
``domain``, ``text`` (the system's name or ``ref``), ``line`` (0-based; the
files are line-aligned with ``en.txt``), ``half`` (``tune``/``check``, see
``split.py``), ``stage``, ``rule``, ``old``, ``new``, ``reason``,
``context`` (the Japanese line with the edit marked ``⟦old→new⟧``) and ``en``
(the English line it translates).  Flags are counted, not listed.  With
``--source`` each text is cleaned with its English source, as ``clean
--source`` does (the edits' keys are the same, so the verdicts carry over).
With ``--tie-break batch`` the translations of one dev document are one batch,
as ``clean DOC_FOLDER --tie-break batch`` cleans them.  ``--set NAME=VALUE``
(repeatable) turns on an option that is off by default, by its Python name
(``pipeline.api.make_config``): ``--set latin=rewrite``, ``--set
distant=remove``, ``--set drop=byline,caption`` (a set: comma-separated), so
the edits of the opt-in rules are judged too.

Verdicts live in ``verdicts/<stage>.jsonl`` beside this file, one JSON object
a line: ``key``, ``verdict`` (``correct`` fixes an MT artefact; ``harmless``
neither fixes nor damages, e.g. unifies two acceptable spellings the text
mixes; ``harmful`` changes meaning, merges two different words, removes an
author's repetition or real content), ``why`` (one line) and, for a reader,
``doc``, ``text``, ``old``, ``new``.  Verdicts of edits that no longer happen
are kept: they are the history that shows a regression when an edit comes
back.

``report`` prints, per stage and half: edits, judged, correct, harmless,
harmful, precision = (correct + harmless) / judged, the harmful rate =
harmful / judged, and the edits not judged; then every edit judged harmful
that the pipeline makes again.  ``--strict`` exits 1 when any edit is
unjudged or a harmful edit came back (for a before-merge check).  A ``lines``
edit (the break of a line that other edits emptied) takes the verdict of the
edits that emptied its line.

The key hashes the corpus, document, text, line, stage, old and new text and
eight characters of context on each side, but not the rule or the reason, so
renaming a rule or rewording a reason keeps the verdict.

The data are read from ``$WMT22_DEV`` / ``$WMT21_DEV`` or the nearest
``shared/data`` above the repository (``../shared/data`` for a checkout, one
level higher for a worktree); a missing corpus is skipped with a note.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from multiprocessing import Pool
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from split import half  # noqa: E402

DATA = next(
    (p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir()), ROOT.parent / "shared" / "data"
)
CORPORA = {
    "wmt22": Path(os.environ.get("WMT22_DEV", DATA / "wmt22-enja-dev")),
    "wmt21": Path(os.environ.get("WMT21_DEV", DATA / "wmt21-enja-dev")),
}
VERDICTS = HERE / "verdicts"
DEFAULT_EDITS = Path(os.environ.get("TMPDIR", "/tmp")) / "mtja-audit" / "edits.jsonl"
VERDICT_NAMES = ("correct", "harmless", "harmful")
CONTEXT = 8  # characters each side that go into the key


# -- the texts -----------------------------------------------------------------------------------------------------


def list_texts(corpus: str, which_half: str) -> list[dict[str, Any]]:
    """One job per Japanese text of ``corpus``: its path, the English path and the labels."""
    root = CORPORA[corpus]
    if not root.is_dir():
        print(f"note: {root} is absent; {corpus} skipped", file=sys.stderr)
        return []
    domains = read_domains(root)
    jobs = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        h = half(folder.name)
        if which_half not in ("all", h):
            continue
        for f in sorted(folder.glob("*.ja.txt")):
            jobs.append(
                {
                    "corpus": corpus,
                    "doc": folder.name,
                    "domain": domains.get(folder.name, "news"),
                    "text": f.name[: -len(".ja.txt")],
                    "half": h,
                    "path": str(f),
                    "en": str(folder / "en.txt"),
                }
            )
    return jobs


def read_domains(root: Path) -> dict[str, str]:
    index = root / "documents.jsonl"
    if not index.is_file():
        return {}
    out = {}
    for line in index.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out[d["doc"]] = d.get("domain", "")
    return out


# -- one text ------------------------------------------------------------------------------------------------------


def audit_text(job: dict[str, Any]) -> tuple[list[dict[str, Any]], Counter]:
    """Clean one text; every edit as an audit row, and the flags counted by stage/rule."""
    from pipeline.run import clean_text

    original = Path(job["path"]).read_text(encoding="utf-8")
    en_path = Path(job["en"])
    english = en_path.read_text(encoding="utf-8").split("\n") if en_path.is_file() else []
    source = "\n".join(english) if job.get("with_source") else None
    options = tuple(sorted((job.get("options") or {}).items()))
    if job.get("tie_break") == "batch":
        config = batch_config(str(Path(job["path"]).parent), options)
    else:
        config = options_config(options) if options else None
    doc = clean_text(original, config, id=f"{job['doc']}/{job['text']}", english=source)
    starts = line_starts(original)
    rows = [edit_row(job, original, starts, english, e) for e in doc.edits]
    flags = Counter(f"{f.stage}/{f.rule}" for f in doc.flags)
    return rows, flags


def line_starts(text: str) -> list[int]:
    starts = [0]
    i = text.find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


def line_of(starts: list[int], pos: int) -> int:
    from bisect import bisect_right

    return bisect_right(starts, pos) - 1


def edit_row(job: dict[str, Any], original: str, starts: list[int], english: list[str], e: Any) -> dict[str, Any]:
    line = line_of(starts, e.start)
    a = starts[line]
    b = original.find("\n", a)
    b = len(original) if b < 0 else b
    shown_end = min(e.end, b)
    context = f"{original[a : e.start]}⟦{original[e.start : shown_end]}→{e.new}⟧{original[shown_end:b]}"
    if e.end > b:
        context += " [+ the line break]"
    left = original[max(0, e.start - CONTEXT) : e.start]
    right = original[e.end : e.end + CONTEXT]
    rule = "+".join(e.rule) if isinstance(e.rule, tuple | list) else e.rule
    return {
        "key": edit_key(job["corpus"], job["doc"], job["text"], line, e.stage, e.old, e.new, left, right),
        "corpus": job["corpus"],
        "doc": job["doc"],
        "domain": job["domain"],
        "text": job["text"],
        "line": line,
        "half": job["half"],
        "stage": e.stage,
        "rule": rule,
        "old": e.old,
        "new": e.new,
        "reason": e.reason,
        "context": context,
        "en": english[line] if line < len(english) else "",
    }


def edit_key(corpus: str, doc: str, text: str, line: int, stage: str, old: str, new: str, left: str, right: str) -> str:
    """A stable id: the same edit at the same place gets the same key whatever its rule or reason says.

    >>> edit_key("c", "d", "t", 3, "variants", "ア", "イ", "x", "y") == edit_key("c", "d", "t", 3, "variants", "ア", "イ", "x", "y")
    True
    >>> edit_key("c", "d", "t", 3, "variants", "ア", "イ", "x", "y") == edit_key("c", "d", "t", 4, "variants", "ア", "イ", "x", "y")
    False
    """
    blob = json.dumps([corpus, doc, text, line, stage, old, new, left, right], ensure_ascii=False)
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=8)
def options_config(options: tuple[tuple[str, str], ...], **more: Any):
    """A config from ``--set NAME=VALUE`` pairs, each value read as the option's default's type.

    >>> options_config((("latin", "rewrite"), ("drop", "byline,caption"))).blocks.drop == {"byline", "caption"}
    True
    """
    from pipeline.api import find_option, make_config
    from pipeline.run import Config

    base = Config()
    values: dict[str, Any] = dict(more)
    for name, raw in options:
        group, field = find_option(name)
        default = getattr(getattr(base, group), field)
        if isinstance(default, bool):
            value: Any = raw.lower() in ("1", "true", "yes", "on")
        elif isinstance(default, int | float):
            value = type(default)(raw)
        elif isinstance(default, frozenset | tuple | list):
            value = type(default)(x for x in raw.split(",") if x)
        else:
            value = raw
        values[f"{group}_{field}"] = value
    return make_config(**values)


@lru_cache(maxsize=4)
def batch_config(folder: str, options: tuple[tuple[str, str], ...] = ()):
    """The config of ``--tie-break batch``: the spellings of every translation in ``folder`` counted."""
    from dataclasses import replace

    from pipeline.api import batch_spelling_counts

    config = options_config(options, tie_break="batch")
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(folder).glob("*.ja.txt"))]
    counts = batch_spelling_counts(texts, config)
    return replace(config, variants=replace(config.variants, batch_counts=counts))


# -- run -----------------------------------------------------------------------------------------------------------


def run_audit(
    corpora: list[str],
    which_half: str,
    out: Path,
    jobs: int,
    with_source: bool = False,
    tie_break: str = "flag",
    options: dict[str, str] | None = None,
) -> None:
    texts = [
        {**t, "with_source": with_source, "tie_break": tie_break, "options": options or {}}
        for c in corpora
        for t in list_texts(c, which_half)
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    flags: Counter = Counter()
    by_stage: Counter = Counter()
    tmp = out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for rows, text_flags in map_texts(texts, jobs):
            flags.update(text_flags)
            for row in rows:
                by_stage[row["stage"]] += 1
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(out)
    print(f"{len(texts)} texts, {sum(by_stage.values())} edits -> {out}")
    for stage, n in sorted(by_stage.items()):
        print(f"  {stage:10} {n:6} edits")
    for name, n in sorted(flags.items()):
        print(f"  flag {name:30} {n:6}")


def map_texts(texts: list[dict[str, Any]], jobs: int) -> Iterator[tuple[list[dict[str, Any]], Counter]]:
    if jobs <= 1 or len(texts) <= 1:
        yield from map(audit_text, texts)
        return
    # the pool is held by the with-block while its results are read: a pool only the imap iterator referred to
    # was collected inside imap's own bookkeeping thread and deadlocked there (a run with no dev data hung)
    with Pool(jobs) as pool:
        yield from pool.imap(audit_text, texts, chunksize=8)


# -- verdicts ------------------------------------------------------------------------------------------------------


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"error: {path}:{n}: not JSON ({exc.msg})") from None


def read_verdicts() -> dict[str, dict[str, Any]]:
    """Every verdict of every stage file, by key (a later line for the same key wins)."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(VERDICTS.glob("*.jsonl")):
        for n, v in enumerate(read_jsonl(path), 1):
            if v.get("verdict") not in VERDICT_NAMES:
                raise SystemExit(f"error: {path}:{n}: verdict must be one of {', '.join(VERDICT_NAMES)}")
            out[v["key"]] = v
    return out


def read_edits(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise SystemExit(f"error: {path}: no edits file; run `audit.py run` first")
    return list(read_jsonl(path))


def judge_edits(stage: str, edits_path: Path, lines: Iterable[str]) -> int:
    """Append verdicts (``key<TAB>verdict<TAB>why`` lines) to ``verdicts/<stage>.jsonl``."""
    edits = {e["key"]: e for e in read_edits(edits_path)}
    VERDICTS.mkdir(parents=True, exist_ok=True)
    added = 0
    with (VERDICTS / f"{stage}.jsonl").open("a", encoding="utf-8") as fh:
        for n, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t", 2)
            if len(parts) != 3 or parts[1] not in VERDICT_NAMES:
                raise SystemExit(f"error: line {n}: want key<TAB>correct|harmless|harmful<TAB>why")
            key, verdict, why = parts
            e = edits.get(key)
            if e is None:
                raise SystemExit(f"error: line {n}: no edit with key {key} in {edits_path}")
            v = {"key": key, "verdict": verdict, "why": why, "doc": e["doc"], "text": e["text"]}
            v.update(old=e["old"], new=e["new"], rule=e["rule"])
            fh.write(json.dumps(v, ensure_ascii=False) + "\n")
            added += 1
    print(f"{added} verdicts added to {VERDICTS / (stage + '.jsonl')}")
    return 0


# -- report --------------------------------------------------------------------------------------------------------


def derive_line_verdicts(edits: list[dict[str, Any]], verdicts: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A ``lines`` edit (the break of a line other edits emptied) is judged as the edits that emptied its line.

    It is harmful when one of them is, else correct when one is, else harmless; unjudged while one is unjudged.
    """
    by_line: dict[tuple, list[str]] = defaultdict(list)
    for e in edits:
        if e["stage"] != "lines":
            by_line[(e["corpus"], e["doc"], e["text"], e["line"])].append(e["key"])
    out = {}
    rank = {"harmful": 2, "correct": 1, "harmless": 0}
    for e in edits:
        if e["stage"] != "lines" or e["key"] in verdicts:
            continue
        causes = [verdicts.get(k) for k in by_line.get((e["corpus"], e["doc"], e["text"], e["line"]), [])]
        if causes and all(causes):
            worst = max((c["verdict"] for c in causes), key=rank.__getitem__)
            out[e["key"]] = {"key": e["key"], "verdict": worst, "why": "as the edits that emptied this line"}
    return out


def report(edits: list[dict[str, Any]], verdicts: dict[str, dict[str, Any]], by: str) -> tuple[str, bool]:
    """The precision table and the harmful edits that came back; True when all is judged and none came back."""
    table: dict[tuple[str, str], Counter] = defaultdict(Counter)
    returned = []
    verdicts = {**verdicts, **derive_line_verdicts(edits, verdicts)}
    for e in edits:
        group = e["stage"] if by == "stage" else f"{e['stage']}/{e['rule']}"
        v = verdicts.get(e["key"])
        verdict = v["verdict"] if v else "unjudged"
        for h in (e["half"], "all"):
            table[(group, h)][verdict] += 1
            table[(group, h)]["edits"] += 1
        if verdict == "harmful":
            returned.append((e, v))
    lines = [
        f"{'group':32} {'half':6} {'edits':>6} {'judged':>6} {'correct':>7} {'harmless':>8} {'harmful':>7}"
        f" {'precision':>9} {'harm %':>6} {'unjudged':>8}"
    ]
    ok = True
    for (group, h), c in sorted(table.items()):
        judged = c["correct"] + c["harmless"] + c["harmful"]
        precision = f"{(c['correct'] + c['harmless']) / judged:.3f}" if judged else "-"
        harm = f"{100 * c['harmful'] / judged:.1f}" if judged else "-"
        ok = ok and not c["unjudged"]
        lines.append(
            f"{group:32} {h:6} {c['edits']:6} {judged:6} {c['correct']:7} {c['harmless']:8} {c['harmful']:7}"
            f" {precision:>9} {harm:>6} {c['unjudged']:8}"
        )
    if returned:
        ok = False
        lines.append(f"\n{len(returned)} edits judged harmful are made again:")
        for e, v in returned:
            lines.append(f"  {e['key']} {e['corpus']}/{e['doc']}/{e['text']}:{e['line'] + 1} {e['stage']}/{e['rule']}")
            lines.append(f"     {e['context']}")
            lines.append(f"     why harmful: {v.get('why', '')}")
    return "\n".join(lines), ok


def show_todo(
    edits: list[dict[str, Any]], verdicts: dict[str, dict[str, Any]], stage: str, which_half: str, limit: int
) -> None:
    todo = [e for e in edits if e["stage"] == stage and e["key"] not in verdicts and which_half in ("all", e["half"])]
    print(f"{len(todo)} {stage} edits not judged")
    for e in todo[:limit]:
        print(f"\n{e['key']}  {e['corpus']}/{e['doc']}/{e['text']}:{e['line'] + 1}  [{e['domain']}, {e['half']}]")
        print(f"  {e['stage']}/{e['rule']}: {e['old']!r} -> {e['new']!r}")
        print(f"  reason: {e['reason']}")
        print(f"  ja: {e['context']}")
        print(f"  en: {e['en']}")


# -- command line --------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="clean every dev text and list its edits")
    r.add_argument("--corpus", choices=("wmt22", "wmt21", "all"), default="all")
    r.add_argument("--half", choices=("tune", "check", "all"), default="all")
    r.add_argument("--out", type=Path, default=DEFAULT_EDITS)
    r.add_argument("--jobs", type=int, default=2)
    r.add_argument(
        "--source", action="store_true", help="clean with the English source (the bilingual stage's evidence)"
    )
    r.add_argument(
        "--tie-break",
        choices=("flag", "batch"),
        default="flag",
        help="the variants stage's --tie-break; batch: the translations of one dev document are one batch",
    )
    r.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an option by its Python name (latin=rewrite, distant=remove, drop=byline,caption); repeatable",
    )
    for name in ("todo", "judge", "report"):
        s = sub.add_parser(name)
        s.add_argument("--edits", type=Path, default=DEFAULT_EDITS)
        if name != "report":
            s.add_argument("--stage", required=True)
    todo = sub.choices["todo"]
    todo.add_argument("--half", choices=("tune", "check", "all"), default="all")
    todo.add_argument("--limit", type=int, default=10**9)
    rep = sub.choices["report"]
    rep.add_argument("--by", choices=("stage", "rule"), default="stage")
    rep.add_argument("--strict", action="store_true", help="exit 1 when an edit is unjudged or a harmful one came back")
    args = p.parse_args(argv)

    if args.command == "run":
        corpora = list(CORPORA) if args.corpus == "all" else [args.corpus]
        options = {}
        for item in args.set:
            name, eq, value = item.partition("=")
            if not eq:
                p.error(f"--set {item}: expected NAME=VALUE")
            options[name] = value
        try:
            options_config(tuple(sorted(options.items())))
        except (TypeError, ValueError) as e:
            p.error(f"--set: {e}")
        run_audit(corpora, args.half, args.out, args.jobs, args.source, args.tie_break, options)
        return 0
    if args.command == "judge":
        return judge_edits(args.stage, args.edits, sys.stdin)
    edits = read_edits(args.edits)
    verdicts = read_verdicts()
    if args.command == "todo":
        show_todo(edits, verdicts, args.stage, args.half, args.limit)
        return 0
    text, ok = report(edits, verdicts, args.by)
    print(text)
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The flag audit: how often is a flag worth a look on real MT output (the bilingual, variants and dedup stages)?

    python benchmarks/audit/flags.py run [--corpus wmt22|wmt21|all] [--half tune|check|all] --out FLAGS.jsonl [--jobs N]
        [--stage bilingual|variants|dedup|all] [--source]
    python benchmarks/audit/flags.py sheet --flags FLAGS.jsonl (--sample N|all | --total N) --seed S --out SHEET.tsv
        [--quota RULE=N|all ...] [--exclude-verdicts VERDICTS.tsv ...] [--only-verdicts VERDICTS.tsv ...]
    python benchmarks/audit/flags.py report --flags FLAGS.jsonl --verdicts VERDICTS.tsv [--verdicts MORE.tsv ...]
    python benchmarks/audit/flags.py agree --verdicts A.tsv --verdicts B.tsv [--flags FLAGS.jsonl]

The synthetic benchmark (``benchmarks/bench_bilingual.py``) measures the
flags on a line deleted or inserted on purpose; this script measures what a
user sees: the flags ``clean --source`` raises on the unmodified dev texts.

``run`` cleans every Japanese text of the dev sets with its English (as
``audit.py run --source`` does) and writes every flag of the ``bilingual``
stage as one JSON line: ``key`` (a stable id, below), ``corpus``, ``doc``,
``domain``, ``text``, ``half``, ``rule``, ``item`` (what the flag points at:
the number or the name of the English, the English sentence of an omission,
the Japanese sentence of an addition or of untranslated text), ``span`` (the
flagged Japanese text; empty for an omission), ``ja`` / ``en`` (the
Japanese and English sentences of the flag's bead), ``line`` (0-based; the
dev files are line-aligned with ``en.txt``: the Japanese line of the flag,
or the English line of an omitted sentence), ``ja_line`` / ``en_line`` and
the neighbouring lines of both sides, ``score`` (the bead's probability) and
``reason`` (the flag's own words).

``--stage variants|dedup`` (round 10) lists the flags of those stages
instead (``all``: the three; it needs ``--source``), cleaning without the
English unless ``--source`` is given (as ``clean`` runs by default; the
bilingual stage always has it).  Their rows carry the same fields (``ja`` /
``en``: the flagged line of both sides, ``score`` empty), ``rule`` named
``variants/variant``, ``dedup/exact`` ..., ``stage``, and what the judge
compares: for a variants flag ``target`` (the spelling the group would be
merged into; also the ``item``) and ``group`` (every spelling of the group
with its count: ``ゲート 3, ゲイト 1``); for a dedup flag ``earlier`` (the
earlier occurrence the kept repeat repeats; also the ``item``),
``earlier_line`` and the Japanese and English of that line
(``ja_earlier_line``, ``en_earlier_line``).  Their verdicts mean "worth a
look": variants — ``true`` the flagged spelling and the group's target are
one word or name (a merge would be right), ``false`` different words (the
flag is noise), ``unsure``; dedup — ``true`` the kept repeat is an MT
artefact a reviewer should remove, ``false`` the author's repetition (a
listing, a dialogue, a refrain, a step: rightly kept, the flag is noise),
``unsure``.  The key of such a flag hashes its stage too (a bilingual key is
unchanged).

``sheet`` draws a stratified sample (rule x half; a rule with at most
``--sample`` flags is taken whole, else ``--sample`` flags, or its
``--quota RULE=N``, spread over the halves in proportion; ``all`` takes every
flag; ``--total N`` instead spreads N flags over all the rule x half strata
in proportion) and writes a blind
judging sheet: the rule's name and what it points at, the bead, the lines
around it, but NOT the flag's reason, which would anchor the judge.  The
judge fills ``verdict`` — ``true`` (the translation really drops / adds /
leaves untranslated / gets this number wrong / does not render this name in
this sentence), ``false`` (a false alarm; say why), ``unsure`` (a bilingual
reader cannot tell; say why) — and ``why``.  A sheet kept in the repository
holds only ``key``, ``rule``, ``half``, ``verdict`` and ``why`` (no dev
sentence).  ``--exclude-verdicts FILE`` leaves out the flags a verdict file
already judges (a census of the rest: ``--sample all``), ``--only-verdicts
FILE`` keeps only those (a second reader's sample of judged flags); the
verdicts themselves are never shown.

``report`` prints precision = true / (true + false) per rule and half with a
Wilson 95% interval (``unsure`` verdicts are counted apart, not in the
precision), and every false alarm with its why and the flag's reason.  With
several ``--verdicts`` files a key judged in more than one takes the verdict
of the LAST file given (so an adjudication file given last overrides).

``agree`` compares two verdict files on the keys both judge: the confusion
table (first file's verdicts in rows), raw agreement and Cohen's kappa
(``rejudge.kappa``), per rule when ``--flags`` gives the rules, and every
disagreement with both whys.

The key hashes the corpus, document, text, stage, rule, the item, the
flagged span and eight characters of the original on each side, never the
reason: a reworded reason keeps the verdict.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import Counter, defaultdict
from multiprocessing import Pool
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from audit import CONTEXT, CORPORA, line_of, line_starts, list_texts, read_jsonl  # noqa: E402
from rejudge import flat, kappa, spread, wilson  # noqa: E402

STAGE = "bilingual"
ALL = -1  # --sample all / --quota RULE=all: every flag of the rule
RULES = ("omission", "addition", "untranslated", "number-mismatch", "name-mismatch")


def at(lines: list[str], n: int) -> str:
    """Line ``n`` of ``lines``, empty outside them."""
    return lines[n] if 0 <= n < len(lines) else ""


def lines_around(ja_lines: list[str], en_lines: list[str], line: int) -> dict[str, str]:
    """A flag's line in both languages and the line before and after it (the judge's context)."""
    return {
        "ja_line": at(ja_lines, line),
        "en_line": at(en_lines, line),
        "ja_before": at(ja_lines, line - 1),
        "en_before": at(en_lines, line - 1),
        "ja_after": at(ja_lines, line + 1),
        "en_after": at(en_lines, line + 1),
    }


def rule_order(rule: str) -> tuple[int, str]:
    """The order rules are listed in: the bilingual stage's as in RULES, then any other (variants/…, dedup/…) by name.

    >>> sorted(["dedup/exact", "name-mismatch", "omission"], key=rule_order)
    ['omission', 'name-mismatch', 'dedup/exact']
    """
    return (RULES.index(rule) if rule in RULES else len(RULES), rule)


VERDICT_NAMES = ("true", "false", "unsure")
# What the judge sees, in this order; the flag's reason is left out on purpose.
SHEET_COLUMNS = (
    "key",
    "verdict",
    "why",
    "rule",
    "item",
    "half",
    "corpus",
    "doc",
    "text",
    "line",
    "span",
    "ja",
    "en",
    "ja_line",
    "en_line",
    "ja_before",
    "en_before",
    "ja_after",
    "en_after",
    "score",
)
HIDDEN = ("reason",)
ENGLISH_INDEX = re.compile(r"English sentences? (\d+)")
STAGES = ("bilingual", "variants", "dedup")
# the other stages' rows carry more columns, after the bilingual ones (a bilingual sheet keeps its columns)
STAGE_COLUMNS = {
    "variants": ("stage", "target", "group"),
    "dedup": ("stage", "earlier", "earlier_line", "ja_earlier_line", "en_earlier_line"),
}
VARIANT_TARGET = re.compile(r"^variant of (.+?) \(\d+ of \d+ mentions\)")
SENTENCE_INDEX = re.compile(r"sentence (\d+)")
QUOTED = re.compile(r"""'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)\"""")


# -- one text ------------------------------------------------------------------------------------------------------


def flag_key(
    corpus: str, doc: str, text: str, rule: str, item: str, span: str, left: str, right: str, stage: str = STAGE
) -> str:
    """A stable id of a flag: where it is and what it points at, never its reason.

    >>> flag_key("c", "d", "t", "addition", "", "文。", "前", "後") == flag_key("c", "d", "t", "addition", "", "文。", "前", "後")
    True
    >>> flag_key("c", "d", "t", "addition", "", "文。", "前", "後") == flag_key("c", "d", "t", "omission", "", "文。", "前", "後")
    False
    """
    blob = json.dumps([corpus, doc, text, stage, rule, item, span, left, right], ensure_ascii=False)
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()[:16]


def quoted_item(reason: str) -> str:
    """The number or the name a mismatch flag's reason quotes first (Python's repr: '...' or "...").

    >>> quoted_item("'2,500' of English sentence 0 is not in the Japanese")
    '2,500'
    >>> quoted_item('"O\\'Neil" of English sentence 3 is not in the Japanese')
    "O'Neil"
    """
    m = QUOTED.search(reason)
    if not m:
        return ""
    s = m.group(1) if m.group(1) is not None else m.group(2)
    return re.sub(r"\\(.)", r"\1", s)


def english_index(reason: str) -> int | None:
    m = ENGLISH_INDEX.search(reason)
    return int(m.group(1)) if m else None


def flag_rows(job: dict[str, Any], original: str, english: str, doc: Any) -> list[dict[str, Any]]:
    """Every bilingual flag of a cleaned document as a row (see the module's docstring)."""
    alignment = doc.annotations.get("alignment") or {}
    en_sents = alignment.get("english", [])
    beads = alignment.get("beads", [])
    sentences = doc.sentences
    ja_lines = original.split("\n")
    en_lines = english.split("\n")
    ja_starts = line_starts(original)
    en_starts = line_starts(english)
    rows = []
    for f in doc.flags:
        if f.stage != STAGE:
            continue
        bead: dict[str, Any] | None = None
        if f.rule == "omission":
            i = english_index(f.reason)
            bead = next((b for b in beads if i in b["en"] and not b["ja"]), None) or next(
                (b for b in beads if i in b["en"]), None
            )
            item = en_sents[i]["text"].strip() if i is not None and i < len(en_sents) else ""
            line = line_of(en_starts, en_sents[i]["start"]) if i is not None and i < len(en_sents) else 0
            span = ""
        else:
            inside = [n for n, s in enumerate(sentences) if s.start < f.end and s.end > f.start]
            bead = next((b for b in beads if inside and inside[0] in b["ja"]), None)
            span = original[f.start : f.end]
            item = quoted_item(f.reason) if f.rule in ("number-mismatch", "name-mismatch") else span.strip()
            line = line_of(ja_starts, f.start)
        # the original text, as the translation wrote it: later stages (variants, dedup) rewrite the cleaned text,
        # so a name the variants stage respelled would look rendered to the judge though the flag saw another spelling
        ja = [original[sentences[j].start : sentences[j].end] for j in (bead["ja"] if bead else [])]
        en = [en_sents[i]["text"] for i in (bead["en"] if bead else []) if i < len(en_sents)]
        left = original[max(0, f.start - CONTEXT) : f.start]
        right = original[f.end : f.end + CONTEXT]

        rows.append(
            {
                "key": flag_key(job["corpus"], job["doc"], job["text"], f.rule, item, span, left, right),
                "corpus": job["corpus"],
                "doc": job["doc"],
                "domain": job["domain"],
                "text": job["text"],
                "half": job["half"],
                "rule": f.rule,
                "item": item,
                "span": span,
                "ja": " ".join(x.strip() for x in ja),
                "en": " ".join(x.strip() for x in en),
                "line": line,
                **lines_around(ja_lines, en_lines, line),
                "score": bead["score"] if bead else None,
                "reason": f.reason,
            }
        )
    return rows


def group_of(doc: Any, start: int, end: int) -> tuple[str, str]:
    """The target and the spellings (with their counts) of the variant group a mention belongs to, from the
    ``variants`` annotation: ``("ゲート", "ゲート 3, ゲイト 1")``; empty when no group holds the mention."""
    ann = doc.annotations.get("variants") or {}
    clusters = ann.get("clusters") or []
    for m in ann.get("mentions") or []:
        if m["start"] == start and m["end"] == end and 0 <= m["cluster"] < len(clusters):
            c = clusters[m["cluster"]]
            return c["canonical"], ", ".join(f"{form} {n}" for form, n in c["forms"].items())
    return "", ""


def other_rows(job: dict[str, Any], original: str, english: str, doc: Any, stage: str) -> list[dict[str, Any]]:
    """Every flag of the ``variants`` or the ``dedup`` stage as a row: the bilingual row's fields (``item``: the
    group's target of a variants flag, the earlier occurrence of a dedup flag; ``ja`` / ``en``: the flagged
    line's Japanese and English) and the stage's own (see the module's docstring)."""
    ja_lines = original.split("\n")
    en_lines = english.split("\n")
    starts = line_starts(original)

    rows = []
    for f in doc.flags:
        if f.stage != stage:
            continue
        span = original[f.start : f.end]
        line = line_of(starts, f.start)
        extra: dict[str, Any] = {"stage": stage}
        if stage == "variants":
            target, group = group_of(doc, f.start, f.end)
            m = VARIANT_TARGET.match(f.reason)
            target = m.group(1) if m else target
            item = target
            extra.update(target=target, group=group)
        else:
            m = SENTENCE_INDEX.search(f.reason)
            i = int(m.group(1)) if m else -1
            earlier = doc.sentences[i] if 0 <= i < len(doc.sentences) else None
            item = original[earlier.start : earlier.end].strip() if earlier else ""
            e_line = line_of(starts, earlier.start) if earlier else -1
            extra.update(
                earlier=item,
                earlier_line=e_line,
                ja_earlier_line=at(ja_lines, e_line),
                en_earlier_line=at(en_lines, e_line),
            )
        left = original[max(0, f.start - CONTEXT) : f.start]
        right = original[f.end : f.end + CONTEXT]
        rows.append(
            {
                "key": flag_key(job["corpus"], job["doc"], job["text"], f.rule, item, span, left, right, stage),
                "corpus": job["corpus"],
                "doc": job["doc"],
                "domain": job["domain"],
                "text": job["text"],
                "half": job["half"],
                "rule": f"{stage}/{f.rule}",
                "item": item,
                "span": span,
                "ja": at(ja_lines, line),
                "en": at(en_lines, line),
                "line": line,
                **lines_around(ja_lines, en_lines, line),
                "score": None,
                **extra,
                "reason": f.reason,
            }
        )
    return rows


def flag_text(job: dict[str, Any], stages: tuple[str, ...] = ("bilingual",), source: bool = True) -> list[dict]:
    """Clean one dev text (with its English source when ``source``); the flags of ``stages`` as rows."""
    from pipeline.run import clean_text

    original = Path(job["path"]).read_text(encoding="utf-8")
    en_path = Path(job["en"])
    english = en_path.read_text(encoding="utf-8") if en_path.is_file() else ""
    doc = clean_text(original, None, id=f"{job['doc']}/{job['text']}", english=english if source else None)
    rows = flag_rows(job, original, english, doc) if "bilingual" in stages else []
    for stage in stages:
        if stage != "bilingual":
            rows.extend(other_rows(job, original, english, doc, stage))
    return rows


def _flag_text(args: tuple[dict[str, Any], tuple[str, ...], bool]) -> list[dict[str, Any]]:
    return flag_text(*args)


def run_flags(
    corpora: list[str], which_half: str, out: Path, jobs: int, stage: str = "bilingual", source: bool = True
) -> int:
    """List the flags of ``stage`` (or ``all``) on every dev text; the bilingual stage always has the English."""
    stages = STAGES if stage == "all" else (stage,)
    texts = [(t, stages, source) for c in corpora for t in list_texts(c, which_half)]
    out.parent.mkdir(parents=True, exist_ok=True)
    counts: Counter = Counter()
    tmp = out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        results = map(_flag_text, texts) if jobs <= 1 else Pool(jobs).imap(_flag_text, texts, chunksize=8)
        for rows in results:
            for row in rows:
                counts[(row["rule"], row["half"])] += 1
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(out)
    named = "flags of every stage" if stage == "all" else f"{stage} flags"
    what = "bilingual flags" if stage == "bilingual" else f"{named} ({'with' if source else 'without'} source)"
    print(f"{len(texts)} texts, {sum(counts.values())} {what} -> {out}")
    for rule in sorted({r for r, _ in counts}):
        by_half = ", ".join(f"{h} {counts[(rule, h)]}" for h in ("tune", "check"))
        print(f"  {rule:16} {sum(counts[(rule, h)] for h in ('tune', 'check')):5}  ({by_half})")
    return 0


def read_flags(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise SystemExit(f"error: {path}: no flags file; run `flags.py run --out {path}` first")
    return list(read_jsonl(path))


# -- the sheet -----------------------------------------------------------------------------------------------------


def draw(
    flags: list[dict[str, Any]], sample: int, seed: int, quota: dict[str, int], total: int | None = None
) -> list[dict[str, Any]]:
    """The stratified sample: per rule ``quota[rule]`` or ``sample`` flags (all when it has no more, or when the
    size is ``ALL``), spread over the halves in proportion; with ``total``, that many flags spread over every
    rule x half stratum in proportion instead.  Grouped by rule, in a seeded random order inside a rule."""
    by_stratum: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for f in sorted(flags, key=lambda f: f["key"]):
        by_stratum[(f["rule"], f["half"])].append(f)
    rng = random.Random(seed)
    overall = spread(total, {k: len(v) for k, v in by_stratum.items()}) if total is not None else {}
    picked: list[dict[str, Any]] = []
    for rule in sorted({r for r, _ in by_stratum}, key=rule_order):
        strata = {h: len(v) for (r, h), v in by_stratum.items() if r == rule}
        share = quota.get(rule, sample)
        if share == ALL:
            share = sum(strata.values())
        sizes = {h: overall[(rule, h)] for h in strata} if total is not None else spread(share, strata)
        chosen = []
        for h, n in sizes.items():
            chosen.extend(rng.sample(by_stratum[(rule, h)], n))
        rng.shuffle(chosen)
        picked.extend(chosen)
    return picked


def sheet_columns(flags: list[dict[str, Any]]) -> tuple[str, ...]:
    """The bilingual sheet's columns, then those of every other stage the flags come from."""
    extra: list[str] = []
    for stage in STAGES:
        if stage in STAGE_COLUMNS and any(f.get("stage") == stage for f in flags):
            extra.extend(c for c in STAGE_COLUMNS[stage] if c not in extra)
    return SHEET_COLUMNS + tuple(extra)


def sheet_row(f: dict[str, Any], columns: tuple[str, ...] = SHEET_COLUMNS) -> dict[str, str]:
    """One flag as the judge sees it: the rule and what it points at, not the reason."""
    row = {c: flat(str(f.get(c, "") if f.get(c) is not None else "")) for c in columns}
    row["line"] = str(f["line"] + 1)
    if "earlier_line" in columns and isinstance(f.get("earlier_line"), int):
        row["earlier_line"] = str(f["earlier_line"] + 1) if f["earlier_line"] >= 0 else ""
    row["verdict"] = row["why"] = ""
    return row


def write_sheet(rows: list[dict[str, str]], out: Path, columns: tuple[str, ...] = SHEET_COLUMNS) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = ["\t".join(columns)] + ["\t".join(row[c] for c in columns) for row in rows]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def judged_keys(paths: list[Path]) -> set[str]:
    """The keys the verdict files judge (rows with a verdict; the verdicts themselves are not looked at)."""
    return {k for path in paths for k in read_verdicts(path)}


def make_sheet(
    flags_path: Path,
    sample: int,
    seed: int,
    out: Path,
    quota: dict[str, int],
    total: int | None = None,
    exclude: list[Path] | None = None,
    only: list[Path] | None = None,
) -> int:
    """Write a blind sheet; ``exclude``: leave out the flags these verdict files judge, ``only``: keep only those."""
    flags = read_flags(flags_path)
    raised = len(flags)
    if exclude:
        left_out = judged_keys(exclude)
        flags = [f for f in flags if f["key"] not in left_out]
    if only:
        kept = judged_keys(only)
        flags = [f for f in flags if f["key"] in kept]
    picked = draw(flags, sample, seed, quota, total)
    columns = sheet_columns(picked)
    write_sheet([sheet_row(f, columns) for f in picked], out, columns)
    sizes = Counter((f["rule"], f["half"]) for f in flags)
    took = Counter((f["rule"], f["half"]) for f in picked)
    if exclude or only:
        print(f"{raised} flags raised; {len(flags)} left after --exclude-verdicts / --only-verdicts")
    print(f"{len(flags)} flags; {len(picked)} drawn (seed {seed}) -> {out}")
    print(f"  {'rule':16} {'half':6} {'flags':>6} {'drawn':>6}")
    for k in sorted(sizes):
        print(f"  {k[0]:16} {k[1]:6} {sizes[k]:6} {took[k]:6}")
    return 0


# -- the report ----------------------------------------------------------------------------------------------------


def read_verdicts(path: Path) -> dict[str, dict[str, str]]:
    """The judged rows of a sheet by key (a TSV with ``key``, ``verdict`` and ``why`` columns; rows with an empty
    verdict are not judged yet and skipped).  Anything else is one clear error."""
    if not path.is_file():
        raise SystemExit(f"error: {path}: no such verdict file")
    lines = path.read_text(encoding="utf-8").split("\n")
    body = [(n, x) for n, x in enumerate(lines, 1) if x.strip() and not x.startswith("#")]
    header = body[0][1].split("\t") if body else []
    missing = {"key", "verdict", "why"} - set(header)
    if missing:
        raise SystemExit(
            f"error: {path}: the header needs key, verdict and why columns ({', '.join(sorted(missing))} missing)"
        )
    out: dict[str, dict[str, str]] = {}
    for n, line in body[1:]:
        row = dict(zip(header, line.split("\t"), strict=False))
        verdict = row.get("verdict", "").strip()
        if not verdict:
            continue
        if verdict not in VERDICT_NAMES:
            raise SystemExit(f"error: {path}:{n}: verdict must be one of {', '.join(VERDICT_NAMES)}, not {verdict!r}")
        if verdict != "true" and not row.get("why", "").strip():
            raise SystemExit(f"error: {path}:{n}: a {verdict} verdict needs a why")
        if row["key"] in out:
            raise SystemExit(f"error: {path}:{n}: key {row['key']} judged twice")
        out[row["key"]] = {**row, "verdict": verdict}
    return out


def precision_table(flags: list[dict[str, Any]], verdicts: dict[str, dict[str, str]]) -> dict[tuple, Counter]:
    """Per (rule, half) and (rule, "all"): flags, true, false, unsure, unjudged."""
    table: dict[tuple, Counter] = defaultdict(Counter)
    for f in flags:
        v = verdicts.get(f["key"])
        verdict = v["verdict"] if v else "unjudged"
        for h in (f["half"], "all"):
            table[(f["rule"], h)]["flags"] += 1
            table[(f["rule"], h)][verdict] += 1
    return table


def precision_cell(c: Counter) -> str:
    n = c["true"] + c["false"]
    if not n:
        return "-"
    lo, hi = wilson(c["true"], n)
    return f"{c['true'] / n:.2f} [{lo:.2f}, {hi:.2f}]"


def report(flags: list[dict[str, Any]], verdicts: dict[str, dict[str, str]]) -> str:
    table = precision_table(flags, verdicts)
    out = [
        f"{'rule':16} {'half':6} {'flags':>5} {'judged':>6} {'true':>5} {'false':>5} {'unsure':>6}"
        f"  precision [Wilson 95%]"
    ]
    for rule, h in sorted(table, key=lambda k: (rule_order(k[0]), ("tune", "check", "all").index(k[1]))):
        c = table[(rule, h)]
        judged = c["true"] + c["false"] + c["unsure"]
        out.append(
            f"{rule:16} {h:6} {c['flags']:5} {judged:6} {c['true']:5} {c['false']:5} {c['unsure']:6}"
            f"  {precision_cell(c)}"
        )
    known = {f["key"] for f in flags}
    gone = [k for k in verdicts if k not in known]
    if gone:
        out.append(f"\n{len(gone)} verdicts are of flags this run does not raise (kept as history)")
    for kind in ("false", "unsure"):
        rows = [f for f in flags if verdicts.get(f["key"], {}).get("verdict") == kind]
        if not rows:
            continue
        out.append(f"\n{len(rows)} flags judged {kind}, by rule and why:")
        for f in sorted(rows, key=lambda f: (rule_order(f["rule"]), verdicts[f["key"]]["why"], f["key"])):
            out.append(
                f"  {f['key']} {f['rule']:15} {f['half']:5} {f['corpus']}/{f['doc']}/{f['text']}:{f['line'] + 1}"
            )
            out.append(f"     why:    {verdicts[f['key']]['why']}")
            out.append(f"     reason: {f['reason']}")
    return "\n".join(out)


def read_verdict_files(paths: list[Path]) -> dict[str, dict[str, str]]:
    """Several verdict files as one; a key judged in more than one takes the last file's verdict."""
    out: dict[str, dict[str, str]] = {}
    for path in paths:
        out.update(read_verdicts(path))
    return out


def agreement(
    first: dict[str, dict[str, str]],
    second: dict[str, dict[str, str]],
    flags: list[dict[str, Any]] | None = None,
    names: tuple[str, str] = ("first", "second"),
) -> str:
    """Two readers on the keys both judge: confusion table (first reader in rows), raw agreement, Cohen's kappa
    (overall and per rule when ``flags`` gives the rules), and every disagreement with both whys."""
    rule_of = {f["key"]: f["rule"] for f in flags or []}
    shared = sorted(set(first) & set(second), key=lambda k: (rule_order(rule_of.get(k, "~")), k))
    groups: dict[str, list[str]] = {"all": shared}
    if rule_of:
        for k in shared:
            groups.setdefault(rule_of.get(k, "(not raised)"), []).append(k)
    out = [f"{len(shared)} keys judged by both ({names[0]}: {len(first)}, {names[1]}: {len(second)})"]
    for group, keys in groups.items():
        table = Counter((first[k]["verdict"], second[k]["verdict"]) for k in keys)
        n = len(keys)
        same = sum(table[(v, v)] for v in VERDICT_NAMES)
        k = kappa({(a, b): table[(a, b)] for a in VERDICT_NAMES for b in VERDICT_NAMES})
        out.append(f"\n{group}: {n} flags")
        head = f"{names[0]} \\ {names[1]}"
        out.append(f"  {head:24}" + "".join(f"{b:>8}" for b in VERDICT_NAMES))
        for a in VERDICT_NAMES:
            out.append(f"  {a:24}" + "".join(f"{table[(a, b)]:8}" for b in VERDICT_NAMES))
        out.append(f"  raw agreement {same}/{n} = {same / n:.3f}" if n else "  raw agreement -")
        out.append(f"  Cohen's kappa {k:.3f}" if k is not None else "  Cohen's kappa undefined (one verdict only)")
    differ = [k for k in shared if first[k]["verdict"] != second[k]["verdict"]]
    if differ:
        out.append(f"\n{len(differ)} disagreements:")
        for k in differ:
            out.append(f"  {k} {rule_of.get(k, '')}")
            out.append(f"     {names[0]}: {first[k]['verdict']:7} {first[k].get('why', '')}")
            out.append(f"     {names[1]}: {second[k]['verdict']:7} {second[k].get('why', '')}")
    return "\n".join(out)


# -- command line --------------------------------------------------------------------------------------------------


def parse_size(text: str) -> int:
    """A sample size: a positive number or ``all``."""
    if text == "all":
        return ALL
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number or 'all', not {text!r}")
    return int(text)


def parse_quota(items: list[str], p: argparse.ArgumentParser) -> dict[str, int]:
    out = {}
    for item in items:
        rule, eq, n = item.partition("=")
        if not eq or not (n.isdigit() or n == "all"):
            p.error(f"--quota {item}: expected RULE=N or RULE=all")
        out[rule] = ALL if n == "all" else int(n)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="clean every dev text (with its English) and list the flags of a stage")
    r.add_argument("--corpus", choices=("wmt22", "wmt21", "all"), default="all")
    r.add_argument("--half", choices=("tune", "check", "all"), default="all")
    r.add_argument("--out", type=Path, required=True)
    r.add_argument("--jobs", type=int, default=2)
    r.add_argument(
        "--stage", choices=(*STAGES, "all"), default="bilingual", help="whose flags (default bilingual, as before)"
    )
    r.add_argument(
        "--source",
        action="store_true",
        help="variants / dedup: clean with the English source (default without, as clean runs); bilingual always has it",
    )
    s = sub.add_parser("sheet", help="a blind judging sheet of a stratified sample of the flags")
    s.add_argument("--flags", type=Path, required=True)
    s.add_argument(
        "--sample", type=parse_size, help="flags per rule, or all (a rule with fewer is taken whole); or give --total"
    )
    s.add_argument("--seed", type=int, required=True)
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--quota", action="append", default=[], metavar="RULE=N", help="a rule's own sample size (or all)")
    s.add_argument("--total", type=int, help="N flags in all, spread over rule x half in proportion (not --sample)")
    s.add_argument("--exclude-verdicts", type=Path, action="append", default=[], help="leave out keys judged here")
    s.add_argument("--only-verdicts", type=Path, action="append", default=[], help="keep only keys judged here")
    e = sub.add_parser("report", help="precision per rule and half from a judged sheet")
    e.add_argument("--flags", type=Path, required=True)
    e.add_argument("--verdicts", type=Path, action="append", required=True, help="several: the last file wins")
    a = sub.add_parser("agree", help="two readers' verdicts on the keys both judge: confusion, agreement, kappa")
    a.add_argument("--verdicts", type=Path, action="append", required=True, help="exactly two files")
    a.add_argument("--flags", type=Path, help="a flags.jsonl, for the rule of each key (per-rule tables)")
    args = p.parse_args(argv)
    if args.command == "run":
        corpora = list(CORPORA) if args.corpus == "all" else [args.corpus]
        if args.stage == "all" and not args.source:
            p.error("--stage all includes the bilingual stage, which needs the English: add --source")
        source = args.source or args.stage == "bilingual"
        return run_flags(corpora, args.half, args.out, args.jobs, args.stage, source)
    if args.command == "sheet":
        if args.total is not None and args.total < 1:
            p.error("--total must be at least 1")
        if (args.sample is None) == (args.total is None):
            p.error("give --sample N|all or --total N (one of them)")
        return make_sheet(
            args.flags,
            args.sample,
            args.seed,
            args.out,
            parse_quota(args.quota, p),
            args.total,
            args.exclude_verdicts,
            args.only_verdicts,
        )
    if args.command == "agree":
        if len(args.verdicts) != 2:
            p.error("agree takes exactly two --verdicts files")
        first, second = (read_verdicts(v) for v in args.verdicts)
        flags = read_flags(args.flags) if args.flags else None
        print(agreement(first, second, flags, (args.verdicts[0].stem, args.verdicts[1].stem)))
        return 0
    flags = read_flags(args.flags)
    print(report(flags, read_verdict_files(args.verdicts)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

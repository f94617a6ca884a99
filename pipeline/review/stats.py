"""Summary statistics of cleaned documents: edits per stage and rule, sentences, characters.

>>> from pipeline.document import Document, Sentence
>>> doc = Document("一つ。一つ。")
>>> doc.sentences = [Sentence(0, 3, 0), Sentence(3, 6, 0)]
>>> doc.edit(3, 6, "", "dedup", "exact", "repeat")  # doctest: +ELLIPSIS
Edit(...)
>>> s = document_stats(doc)
>>> s["chars_in"], s["chars_out"], s["sentences_kept"], s["sentences_removed"], s["edits"]
(6, 3, 1, 1, 1)
>>> s["rules"]
[{'stage': 'dedup', 'rule': 'exact', 'edits': 1, 'superseded': 0, 'chars_removed': 3, 'chars_added': 0}]
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from pipeline.document import Document, Edit
from pipeline.review.rows import sentence_counts
from pipeline.run import STAGES

STAGE_NAMES = [s.name for s in STAGES]


def stage_order(key: tuple[str, str]) -> tuple[int, str, str]:
    """Sort (stage, rule) in pipeline order; unknown stages last."""
    stage, rule = key
    return (STAGE_NAMES.index(stage) if stage in STAGE_NAMES else len(STAGE_NAMES), stage, rule)


COUNTERS = ("chars_in", "chars_out", "sentences", "sentences_kept", "sentences_removed", "edits", "superseded", "flags")


def rule_table(edits: Iterable[Edit]) -> list[dict[str, Any]]:
    """Per (stage, rule): edits applied, edits superseded by a later one, characters removed and added.

    Superseded edits (a variant rewrite inside a sentence dedup later removed)
    are counted apart: they are recorded but not what the cleaned text shows.
    """
    table: dict[tuple[str, str], dict[str, Any]] = {}

    def row(e: Edit) -> dict[str, Any]:
        key = (e.stage, e.rule)
        if key not in table:
            table[key] = {
                "stage": e.stage,
                "rule": e.rule,
                "edits": 0,
                "superseded": 0,
                "chars_removed": 0,
                "chars_added": 0,
            }
        return table[key]

    def add_superseded(e: Edit) -> None:
        for s in e.supersedes:
            row(s)["superseded"] += 1
            add_superseded(s)

    for e in edits:
        r = row(e)
        r["edits"] += 1
        r["chars_removed"] += len(e.old)
        r["chars_added"] += len(e.new)
        add_superseded(e)
    return [table[k] for k in sorted(table, key=stage_order)]


def document_stats(doc: Document) -> dict[str, Any]:
    kept, removed = sentence_counts(doc)
    rules = rule_table(doc.edits)
    return {
        "id": doc.id,
        "source": doc.source,
        "chars_in": len(doc.original),
        "chars_out": len(doc.text),
        "sentences": kept + removed,
        "sentences_kept": kept,
        "sentences_removed": removed,
        "edits": len(doc.edits),
        "superseded": sum(r["superseded"] for r in rules),
        "flags": len(doc.flags),
        "rules": rules,
        "flag_rules": flag_table(doc.flags),
    }


def flag_table(flags: Iterable[Any]) -> list[dict[str, Any]]:
    """Flags per stage and rule (doubts kept, not acted on: a bilingual omission, a similar spelling...)."""
    counts: dict[tuple[str, str], int] = {}
    for f in flags:
        counts[(f.stage, f.rule)] = counts.get((f.stage, f.rule), 0) + 1
    return [{"stage": st, "rule": ru, "flags": n} for (st, ru), n in sorted(counts.items(), key=stage_order_of_pair)]


def stage_order_of_pair(item: tuple[tuple[str, str], int]) -> tuple[int, str, str]:
    return stage_order(item[0])


def merge_rules(tables: Iterable[Sequence[dict[str, Any]]]) -> list[dict[str, Any]]:
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for table in tables:
        for r in table:
            key = (r["stage"], r["rule"])
            if key not in merged:
                merged[key] = dict(r)
            else:
                for k in ("edits", "superseded", "chars_removed", "chars_added"):
                    merged[key][k] += r[k]
    return [merged[k] for k in sorted(merged, key=stage_order)]


def total_stats(per_doc: Sequence[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {"documents": len(per_doc)}
    for k in COUNTERS:
        total[k] = sum(d[k] for d in per_doc)
    total["rules"] = merge_rules(d["rules"] for d in per_doc)
    flags: dict[tuple[str, str], int] = {}
    for d in per_doc:
        for r in d.get("flag_rules", ()):
            flags[(r["stage"], r["rule"])] = flags.get((r["stage"], r["rule"]), 0) + r["flags"]
    total["flag_rules"] = [
        {"stage": st, "rule": ru, "flags": n} for (st, ru), n in sorted(flags.items(), key=stage_order_of_pair)
    ]
    return total


def collect_stats(docs: Iterable[Document]) -> dict[str, Any]:
    """``{"documents": [...], "total": {...}}`` — the ``stats --json`` output."""
    per_doc = [document_stats(d) for d in docs]
    return {"documents": per_doc, "total": total_stats(per_doc)}


def display_width(s: str) -> int:
    """Columns a string takes in a terminal (wide CJK characters count two).

    >>> display_width("abc"), display_width("日本")
    (3, 4)
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def format_table(header: Sequence[str], rows: Sequence[Sequence[Any]], numeric_from: int = 1) -> str:
    """A plain aligned table; columns from ``numeric_from`` on are right-aligned.

    >>> print(format_table(["name", "n"], [["a", 1], ["bb", 22]]))
    name   n
    a      1
    bb    22
    """
    cells = [[str(c) for c in header]] + [[str(c) for c in r] for r in rows]
    widths = [max(display_width(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for r in cells:
        out = []
        for i, c in enumerate(r):
            pad = " " * (widths[i] - display_width(c))
            out.append(pad + c if i >= numeric_from else c + pad)
        lines.append("  ".join(out).rstrip())
    return "\n".join(lines)


def format_stats(stats: dict[str, Any]) -> str:
    """The two tables of ``stats``: per document (and total), then per stage and rule."""
    docs = stats["documents"]
    total = stats["total"]
    head = ["document", "chars in", "chars out", "sentences", "kept", "removed", "edits", "superseded", "flags"]

    def line(name: str, d: dict[str, Any]) -> list[Any]:
        return [
            name,
            d["chars_in"],
            d["chars_out"],
            d["sentences"],
            d["sentences_kept"],
            d["sentences_removed"],
            d["edits"],
            d["superseded"],
            d["flags"],
        ]

    rows = [line(d["source"] or d["id"] or "?", d) for d in docs]
    if len(docs) > 1:
        rows.append(line(f"total ({len(docs)} documents)", total))
    parts = [format_table(head, rows)]
    rule_rows = [
        [r["stage"], r["rule"], r["edits"], r["superseded"], r["chars_removed"], r["chars_added"]]
        for r in total["rules"]
    ]
    if rule_rows:
        parts.append(
            format_table(
                ["stage", "rule", "edits", "superseded", "chars removed", "chars added"], rule_rows, numeric_from=2
            )
        )
    else:
        parts.append("no edits")
    flag_rows = [[r["stage"], r["rule"], r["flags"]] for r in total.get("flag_rules", ())]
    if flag_rows:
        parts.append(format_table(["stage", "flag", "flags"], flag_rows, numeric_from=2))
    return "\n\n".join(parts) + "\n"

"""The totals of a batch: ``summary.json`` and the last line on stderr."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from pipeline.batch.tasks import Outcome
from pipeline.progress import format_rate

# Failures listed one by one in summary.json (the count is always exact).
MAX_LISTED_FAILURES = 10_000


@dataclass
class Summary:
    """Totals of one run; written as ``summary.json``."""

    inputs: int = 0
    inputs_skipped: int = 0
    documents: int = 0
    failed: int = 0
    sentences: int = 0
    chars_in: int = 0
    chars_out: int = 0
    flags: int = 0
    superseded: int = 0
    edits: dict[str, dict[str, int]] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    batch_seconds: dict[str, float] = field(default_factory=dict)  # building records, writing outputs
    failures: list[dict[str, str]] = field(default_factory=list)
    incomplete: set[str] = field(default_factory=set)  # inputs with a failed document: --resume runs them again
    wall_seconds: float = 0.0
    parent_cpu_seconds: float = 0.0  # the parent's own CPU time (reading, collecting, appending parts)
    jobs: int = 1
    executor: str = "local"
    boilerplate: dict[str, Any] = field(default_factory=dict)  # mode, documents counted, texts found
    options: dict[str, Any] = field(default_factory=dict)  # the cleaning options not at their defaults

    def add(self, o: Outcome) -> None:
        self.documents += 1
        self.sentences += o.sentences
        self.chars_in += o.chars_in
        self.chars_out += o.chars_out
        self.flags += o.flags
        self.superseded += o.superseded
        for stage, rules in o.edits.items():
            mine = self.edits.setdefault(stage, {})
            for rule, n in rules.items():
                mine[rule] = mine.get(rule, 0) + n
        for stage, s in o.seconds.items():
            self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + s
        for what, s in o.batch_seconds.items():
            self.batch_seconds[what] = self.batch_seconds.get(what, 0.0) + s

    def fail(self, label: str, reason: str) -> None:
        self.failed += 1
        if len(self.failures) < MAX_LISTED_FAILURES:
            self.failures.append({"document": label, "reason": reason})

    def to_json(self) -> dict[str, Any]:
        wall = self.wall_seconds
        return {
            "inputs": self.inputs,
            "inputs_skipped": self.inputs_skipped,
            "documents": self.documents,
            "failed": self.failed,
            "sentences": self.sentences,
            "chars_in": self.chars_in,
            "chars_out": self.chars_out,
            "flags": self.flags,
            "edits": {
                "total": sum(sum(r.values()) for r in self.edits.values()),
                "superseded": self.superseded,
                "by_stage": {
                    s: {"total": sum(r.values()), "rules": dict(sorted(r.items()))}
                    for s, r in sorted(self.edits.items())
                },
            },
            "stage_seconds": {s: round(v, 3) for s, v in self.stage_seconds.items()},
            "batch_seconds": {s: round(v, 3) for s, v in sorted(self.batch_seconds.items())},
            "failures": self.failures,
            "failures_listed": len(self.failures),
            "incomplete_inputs": sorted(self.incomplete),
            "wall_seconds": round(wall, 3),
            "parent_cpu_seconds": round(self.parent_cpu_seconds, 3),
            "chars_per_second": round(self.chars_in / wall) if wall > 0 else 0,
            "jobs": self.jobs,
            "executor": self.executor,
            "options": self.options,
            **({"boilerplate": self.boilerplate} if self.boilerplate else {}),
        }


def summary_line(s: Summary, out_dir: str | None) -> str:
    """The last line of a batch on stderr."""
    parts = [f"{s.documents:,} documents cleaned"]
    if s.inputs_skipped:
        parts.append(f"{s.inputs_skipped:,} inputs skipped (up to date)")
    parts.append(f"{s.failed:,} failed")
    rate = s.chars_in / s.wall_seconds if s.wall_seconds > 0 else 0
    where = (
        f"; summary in {os.path.join(out_dir, 'summary.json')}" if out_dir and (s.documents or s.inputs_skipped) else ""
    )
    return f"clean: {', '.join(parts)} in {s.wall_seconds:.1f} s ({format_rate(rate)} chars/s){where}"

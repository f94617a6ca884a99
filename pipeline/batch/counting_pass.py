"""The counting pass before cleaning: texts repeated across documents (``--boilerplate``), spellings (``--tie-break batch``)."""

from __future__ import annotations

import json
from collections import Counter, deque
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from pipeline.batch.events import Chunk, produce
from pipeline.batch.executors import make_executor
from pipeline.batch.tasks import COUNT_STAGES, Outcome, Settings
from pipeline.boilerplate import BoilerplateOptions, Repeated, StreamingCounter
from pipeline.io.atomic import atomic_writer
from pipeline.io.corpus import Input

if TYPE_CHECKING:
    from pipeline.batch.runner import BatchOptions


@dataclass
class BatchCounts:
    """What the counting pass found: boilerplate keys (or None) and documents per spelling (or None)."""

    boilerplate: StreamingCounter | None = None
    spellings: Counter[str] | None = None


def count_batch(inputs: list[Input], settings: Settings, opts: BatchOptions, *, spellings: bool) -> BatchCounts:
    """The counting pass: every input (``--resume`` or not), counted in input order.

    Boilerplate keys when ``settings.boilerplate`` is on; with ``spellings``,
    how many documents use each spelling the variants stage sees (each
    document counts a spelling once: a listing that repeats one spelling
    forty times is one vote).  Streams like the cleaning pass (a bounded
    window of chunks in flight), so the counts do not depend on ``--jobs``.
    Documents that fail here are left to the cleaning pass to report.
    """
    counts = BatchCounts()
    if settings.boilerplate != "off":
        o = settings.boilerplate_options
        counts.boilerplate = StreamingCounter(kinds=o.kinds, min_chars=o.min_chars)
    if spellings:
        counts.spellings = Counter()
    csettings = replace(settings, count_only=True, count_spellings=spellings, conllu=False, boilerplate_table=())
    copts = replace(opts, resume=False, out_dir=None)
    single = len(inputs) == 1 and inputs[0].kind == "text"
    executor = make_executor(csettings, copts, single)
    pending: deque[Any] = deque()

    def take(outcomes: list[Outcome]) -> None:
        for out in outcomes:
            if out.error:
                continue
            if counts.boilerplate is not None:
                counts.boilerplate.add_keys(out.keys)
            if counts.spellings is not None:
                counts.spellings.update(out.spellings)

    try:
        for event in produce(inputs, copts, False):
            if not isinstance(event, Chunk):
                continue
            pending.append(executor.submit(event.tasks))
            while len(pending) >= executor.window:
                take(executor.result(pending.popleft()))
        while pending:
            take(executor.result(pending.popleft()))
    finally:
        executor.close()
    return counts


def write_boilerplate_report(
    path: str, counter: StreamingCounter, report: list[Repeated], o: BoilerplateOptions
) -> None:
    """``boilerplate.json``: the options, the documents counted and every text found, most widespread first."""
    data = {
        "documents": counter.documents,
        "min_docs": o.min_docs,
        "min_share": o.min_share,
        "min_chars": o.min_chars,
        "anywhere": o.anywhere,
        "counted_after": list(COUNT_STAGES),
        "entries_dropped": counter.dropped,
        "repeated": [r.to_json() for r in report],
    }
    with atomic_writer(path) as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
        fh.write("\n")

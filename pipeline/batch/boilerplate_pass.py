"""The counting pass of ``--boilerplate``: texts repeated across documents, counted before cleaning."""

from __future__ import annotations

import json
from collections import deque
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from pipeline.batch.events import Chunk, produce
from pipeline.batch.executors import make_executor
from pipeline.batch.tasks import COUNT_STAGES, Outcome, Settings
from pipeline.boilerplate import BoilerplateOptions, Repeated, StreamingCounter
from pipeline.io.atomic import atomic_writer
from pipeline.io.corpus import Input

if TYPE_CHECKING:
    from pipeline.batch.runner import BatchOptions


def count_boilerplate(inputs: list[Input], settings: Settings, opts: BatchOptions) -> StreamingCounter:
    """The counting pass of ``--boilerplate``: every input (``--resume`` or not), markup removed, keys counted.

    Streams like the cleaning pass (a bounded window of chunks in flight) and
    counts in input order, so the report does not depend on ``--jobs``.
    Documents that fail here are left to the cleaning pass to report.
    """
    o = settings.boilerplate_options
    counter = StreamingCounter(kinds=o.kinds, min_chars=o.min_chars)
    csettings = replace(settings, count_only=True, conllu=False, boilerplate_table=())
    copts = replace(opts, resume=False, out_dir=None)
    single = len(inputs) == 1 and inputs[0].kind == "text"
    executor = make_executor(csettings, copts, single)
    pending: deque[Any] = deque()

    def take(outcomes: list[Outcome]) -> None:
        for out in outcomes:
            if not out.error:
                counter.add_keys(out.keys)

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
    return counter


def write_boilerplate_report(
    path: str, counter: StreamingCounter, report: list[Repeated], o: BoilerplateOptions
) -> None:
    """``boilerplate.json``: the options, the documents counted and every text found, most widespread first."""
    data = {
        "documents": counter.documents,
        "min_docs": o.min_docs,
        "min_share": o.min_share,
        "min_chars": o.min_chars,
        "counted_after": list(COUNT_STAGES),
        "entries_dropped": counter.dropped,
        "repeated": [r.to_json() for r in report],
    }
    with atomic_writer(path) as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
        fh.write("\n")

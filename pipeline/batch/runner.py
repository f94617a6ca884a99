"""``run_batch``: the inputs through an executor into sinks, in input order, with one fault policy.

The parent streams the inputs as events (:mod:`pipeline.batch.events`), hands
chunks to an executor (:mod:`pipeline.batch.executors`) with a bounded
window in flight, and takes the results in input order: workers have
written the outputs (:mod:`pipeline.batch.sinks`), the parent appends a
corpus's parts, counts, reports failures and draws the progress bar.
A document that fails is one ``error:`` line and the batch goes on; a full
or read-only disk ends the run (one line, exit 2, from the command line).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, replace
from typing import IO, Any

from pipeline.batch.counting_pass import count_batch, write_boilerplate_report
from pipeline.batch.events import BYTES_PER_CHAR, CHUNK_CHARS, Chunk, End, Event, Fail, Skip, Start, input_size, produce
from pipeline.batch.executors import SerialExecutor, make_executor
from pipeline.batch.sinks import CorpusOutputs, FileOutputs, StdoutOutputs, add_to_sink, remove_parts
from pipeline.batch.summary import Summary, summary_line
from pipeline.batch.tasks import Outcome, Settings
from pipeline.boilerplate import RULE as BOILERPLATE_RULE
from pipeline.boilerplate import STAGE as BOILERPLATE_STAGE
from pipeline.boilerplate import StreamingCounter
from pipeline.errors import one_line
from pipeline.io.atomic import atomic_writer, fsync_folders
from pipeline.io.corpus import Input
from pipeline.progress import Progress
from pipeline.run import changed_options


@dataclass
class BatchOptions:
    out_dir: str | None = None
    jobs: int = 1
    executor: str = "local"  # local | dask
    scheduler: str | None = None
    resume: bool = False
    quiet: bool = False
    text_field: str = "text"
    id_field: str = "id"
    source_field: str = ""  # corpus field holding the English source ("": none, or a translation pair)
    stdout_format: str = "text"  # text | json | conllu (without --out-dir)
    progress_stream: IO[str] | None = None
    progress: bool | None = None  # None: when stderr is a terminal
    fsync: bool = False  # fsync every output file (default: each folder once at the end)


@dataclass
class BatchResult:
    summary: Summary
    exit_status: int


class _Terminated(KeyboardInterrupt):
    pass


def _on_sigterm(signum, frame):  # pragma: no cover - exercised by the kill test's twin
    raise _Terminated()


def _with_boilerplate(
    settings: Settings, counter: StreamingCounter, summary: Summary, opts: BatchOptions, err: IO[str]
) -> Settings:
    """Report what the counting pass found repeated across documents; with ``remove``, the table to remove."""
    report = counter.report(settings.boilerplate_options)
    summary.boilerplate = {
        "mode": settings.boilerplate,
        "documents_counted": counter.documents,
        "repeated": len(report),
        "removed": 0,
    }
    if opts.out_dir:
        os.makedirs(opts.out_dir, exist_ok=True)
        write_boilerplate_report(
            os.path.join(opts.out_dir, "boilerplate.json"), counter, report, settings.boilerplate_options
        )
    if not opts.quiet:
        print(
            f"boilerplate: {len(report):,} repeated texts in {counter.documents:,} documents"
            + (" (to be removed)" if settings.boilerplate == "remove" and report else ""),
            file=err,
            flush=True,
        )
    if settings.boilerplate == "remove":
        settings = replace(settings, boilerplate_table=tuple(report), boilerplate_total=counter.documents)
    return settings


def run_batch(inputs: list[Input], settings: Settings, opts: BatchOptions, err: IO[str] | None = None) -> BatchResult:
    """Clean every input; failures are reported on ``err`` and the run goes on."""
    err = err or sys.stderr
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    summary = Summary(inputs=len(inputs), executor=opts.executor, options=changed_options(settings.config))
    tie_break = settings.config.variants.tie_break == "batch" and "variants" not in settings.config.skip
    if settings.boilerplate != "off" or tie_break:
        counts = count_batch(inputs, settings, opts, spellings=tie_break)
        if counts.boilerplate is not None:
            settings = _with_boilerplate(settings, counts.boilerplate, summary, opts, err)
        if counts.spellings is not None:
            variants = replace(settings.config.variants, batch_counts=counts.spellings)
            settings = replace(settings, config=replace(settings.config, variants=variants))
            if not opts.quiet:
                print(f"tie-break: {len(counts.spellings):,} spellings counted", file=err, flush=True)
    single = len(inputs) == 1 and inputs[0].kind == "text"
    total_bytes = sum(input_size(i.path) for i in inputs)
    progress = Progress(
        total_bytes,
        stream=opts.progress_stream or err,
        enabled=False if opts.quiet or single else opts.progress,
    )

    def report(label: str, reason: str) -> None:
        progress.clear()
        print(one_line(f"error: {label}: {reason}"), file=err, flush=True)
        summary.fail(label, reason)

    sink = None  # the current corpus's outputs
    stdout = StdoutOutputs(opts.stdout_format) if opts.out_dir is None else None
    written: set[str] = set()  # folders outputs were renamed into: synced once at the end
    if opts.fsync:
        settings = replace(settings, fsync=True)
    executor = make_executor(settings, opts, single)
    worker_writes = bool(opts.out_dir) and executor.shared_disk
    if worker_writes and executor.window > 1:
        # results are small counts: twice the chunks may wait behind a long document at the head,
        # so the other worker keeps going (in flight, only the inputs of the chunks are held)
        executor.window *= 2
    summary.jobs = 1 if isinstance(executor, SerialExecutor) else opts.jobs
    old_term = None
    if threading.current_thread() is threading.main_thread():
        old_term = signal.signal(signal.SIGTERM, _on_sigterm)

    def write(event: Chunk, i: int, o: Outcome) -> str:
        """The parent writes what no worker did: "" or why this document could not be written."""
        if o.written:
            return ""
        if event.corpus:
            return add_to_sink(sink if opts.out_dir else stdout, o)
        if opts.out_dir:
            return add_to_sink(FileOutputs(event.outputs[i], opts.fsync), o)
        return add_to_sink(stdout, o)

    def handle(event: Event, outcomes: list[Outcome] | None) -> None:
        nonlocal sink
        if isinstance(event, Start):
            if opts.out_dir is not None:
                sink = CorpusOutputs(event.outputs, opts.fsync)
                written.update(os.path.dirname(os.path.abspath(p)) for p in event.outputs)
        elif isinstance(event, Chunk):
            failed = 0
            chars = 0
            try:
                for i, o in enumerate(outcomes or []):
                    if o.fatal:
                        raise OSError(*o.fatal)
                    if not o.error:
                        o.error = write(event, i, o)
                    if o.error:
                        report(o.label, o.error)
                        summary.incomplete.add(event.owners[i])
                        failed += 1
                    else:
                        summary.add(o)
                        chars += o.chars_in
            finally:
                remove_parts(event.parts)  # appended, or never written whole
            if not event.corpus and opts.out_dir:
                # each folder resolved once (an abspath per output file was about 6% of the parent's profile)
                folders = {os.path.dirname(p) for outs in event.outputs for p in outs}
                written.update(os.path.abspath(f) if f else os.getcwd() for f in folders)
            if stdout is not None:
                stdout.commit()
            progress.update(docs=len(outcomes or []) - failed, failed=failed, chars=chars, done_bytes=event.done_bytes)
        elif isinstance(event, End):
            if sink is not None:
                sink.commit()
            sink = None
        elif isinstance(event, Skip):
            summary.inputs_skipped += 1
            progress.update(done_bytes=event.done_bytes)
        elif isinstance(event, Fail):
            report(event.label, event.reason)
            summary.incomplete.add(event.input_path)
            progress.update(failed=1, done_bytes=event.done_bytes)

    pending: deque[tuple[Event, Any]] = deque()
    inflight = 0

    def drain_one() -> None:
        nonlocal inflight
        event, h = pending.popleft()
        if isinstance(event, Chunk):
            inflight -= 1
            handle(event, executor.result(h))
        else:
            handle(event, None)

    try:
        # with several workers, the last chunk's worth per worker goes in smaller chunks
        tail_bytes = 0 if isinstance(executor, SerialExecutor) else opts.jobs * CHUNK_CHARS * BYTES_PER_CHAR
        for event in produce(inputs, opts, settings.conllu, settings.max_chars, worker_writes, total_bytes, tail_bytes):
            if isinstance(event, Chunk):
                pending.append((event, executor.submit(event.tasks)))
                inflight += 1
            else:
                pending.append((event, None))
            while inflight >= executor.window or (pending and not isinstance(pending[0][0], Chunk)):
                drain_one()
        while pending:
            drain_one()
    except BaseException:
        if sink is not None:
            sink.abort()
        raise
    finally:
        executor.close()
        for event, _ in pending:  # chunks never taken: their workers may have written parts
            if isinstance(event, Chunk):
                remove_parts(event.parts)
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)

    summary.wall_seconds = time.perf_counter() - t0
    summary.parent_cpu_seconds = time.process_time() - cpu0
    if summary.boilerplate:
        summary.boilerplate["removed"] = summary.edits.get(BOILERPLATE_STAGE, {}).get(BOILERPLATE_RULE, 0)
    produced = summary.documents + summary.inputs_skipped
    if summary.failed and not produced:
        status = 2
    elif summary.failed:
        status = 1
    else:
        status = 0
    if progress.enabled:
        progress.close()
    if opts.out_dir and produced:
        with atomic_writer(os.path.join(opts.out_dir, "summary.json"), fsync=opts.fsync) as fh:
            json.dump(summary.to_json(), fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        written.add(os.path.abspath(opts.out_dir))
    fsync_folders(written)
    handled = summary.documents + summary.failed + summary.inputs_skipped
    if handled > 1 and (summary.failed or not opts.quiet):
        print(summary_line(summary, opts.out_dir), file=err, flush=True)
    return BatchResult(summary, status)

"""Executors run chunks of tasks: in this process, in worker processes, or on a Dask cluster.

Each has ``submit(chunk) -> handle``, ``result(handle) -> outcomes``,
``close()``, ``window`` (chunks in flight) and ``shared_disk`` (its workers
see the parent's files, so they write the outputs themselves).  Worker processes die with
their parent, also when it is killed with SIGKILL.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import TYPE_CHECKING

from pipeline.batch.tasks import Outcome, Settings, Task, clean_chunk
from pipeline.errors import InputError

if TYPE_CHECKING:
    from pipeline.batch.runner import BatchOptions

_WORKER_SETTINGS: Settings | None = None


def _init_worker(settings: Settings, parent: int = 0) -> None:
    """Worker start: die with the parent, keep the settings, ignore Ctrl-C (the parent stops us), load the tagger."""
    global _WORKER_SETTINGS
    _WORKER_SETTINGS = settings
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited by fork
    if parent:
        die_with_parent(parent)
    from pipeline.stages.tokenise import get_tagger

    get_tagger()


def die_with_parent(parent: int) -> None:
    """End this worker when ``parent`` dies, even by SIGKILL (which no handler sees).

    Linux's ``PR_SET_PDEATHSIG`` asks the kernel to send SIGKILL; a watcher
    thread that polls the parent's pid covers other systems and a parent
    that died before the call.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _clean_chunk_in_worker(tasks: list[Task]) -> list[Outcome]:
    assert _WORKER_SETTINGS is not None
    return clean_chunk(tasks, _WORKER_SETTINGS)


# -- executors: submit(chunk) -> handle, result(handle) -> outcomes --------------------


def _died(tasks: list[Task], why: str) -> list[Outcome]:
    return [Outcome(t.label, error=why) for t in tasks]


class SerialExecutor:
    """In this process, one chunk at a time (``--jobs 1``)."""

    window = 1
    shared_disk = True

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def submit(self, tasks: list[Task]) -> list[Outcome]:
        return clean_chunk(tasks, self.settings)

    def result(self, handle: list[Outcome]) -> list[Outcome]:
        return handle

    def close(self) -> None:
        pass


class ProcessExecutor:
    """``--jobs N`` worker processes, each with its own tagger.

    A worker that dies (a crash in MeCab, the out-of-memory killer) breaks
    the pool; the chunks it held are retried one document at a time in a
    fresh process each, and a document that kills that one too fails alone.
    """

    shared_disk = True

    def __init__(self, settings: Settings, jobs: int) -> None:
        self.settings = settings
        self.jobs = jobs
        self.window = 2 * jobs + 2
        self.pool = self._new_pool(jobs)

    def _new_pool(self, n: int):
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(n, initializer=_init_worker, initargs=(self.settings, os.getpid()))

    def submit(self, tasks: list[Task]):
        return tasks, self.pool, self.pool.submit(_clean_chunk_in_worker, tasks)

    def result(self, handle) -> list[Outcome]:
        from concurrent.futures.process import BrokenProcessPool

        tasks, pool, fut = handle
        try:
            return fut.result()
        except BrokenProcessPool:
            if pool is self.pool:
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = self._new_pool(self.jobs)
            return [self._retry_alone(t) for t in tasks]

    def _retry_alone(self, task: Task) -> Outcome:
        from concurrent.futures.process import BrokenProcessPool
        from dataclasses import replace

        task = replace(task, parts=())  # its chunk's part is gone: the record comes back to the parent
        pool = self._new_pool(1)
        try:
            return pool.submit(_clean_chunk_in_worker, [task]).result()[0]
        except BrokenProcessPool:
            return Outcome(
                task.label, error="worker process died while cleaning this document (crash or out of memory)"
            )
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """The same chunks on a Dask cluster: ``--scheduler ADDRESS`` or a local cluster of ``--jobs`` processes."""

    def __init__(self, settings: Settings, jobs: int, scheduler: str | None = None) -> None:
        try:
            import logging

            from distributed import Client, LocalCluster
        except ImportError:
            raise InputError("--executor dask", "needs the dask extra: pip install 'mtja-clean[dask]'") from None
        self.cluster = None
        self.shared_disk = scheduler is None  # a local cluster's workers see our files; a remote one may not
        try:
            if scheduler:
                self.client = Client(scheduler)  # timeout: distributed.comm.timeouts.connect
            else:
                self.cluster = LocalCluster(
                    n_workers=jobs,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self.cluster)
        except OSError as exc:
            raise InputError(scheduler or "local cluster", f"cannot reach the Dask scheduler ({exc})") from None
        workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self.window = 2 * workers + 2
        [self.settings] = self.client.scatter([settings], broadcast=True)

    def submit(self, tasks: list[Task]):
        return tasks, self.client.submit(clean_chunk, tasks, self.settings, pure=False)

    def result(self, handle) -> list[Outcome]:
        tasks, fut = handle
        try:
            return fut.result()
        except Exception as exc:  # KilledWorker, lost connection, ...
            return _died(tasks, f"dask task failed: {type(exc).__name__}: {exc}")

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_executor(settings: Settings, opts: BatchOptions, single: bool):
    if opts.executor == "dask":
        return DaskExecutor(settings, opts.jobs, opts.scheduler)
    if opts.jobs <= 1 or single:
        return SerialExecutor(settings)
    return ProcessExecutor(settings, opts.jobs)

"""Batch cleaning: many inputs, worker processes or a Dask cluster, resumable.

The parent process streams the inputs (:mod:`pipeline.io.corpus`), cuts them
into *tasks* (one document each, grouped into small chunks), hands the chunks
to an executor, and consumes the results **in input order** with a bounded
window of chunks in flight, so memory does not grow with the corpus and the
output is the same whatever the executor or the number of jobs.

* Workers get raw bytes (a file) or text (a corpus line), write the
  document's outputs themselves (a file's atomically; a corpus chunk's
  records into a part file the parent appends in input order) and return
  counts.  Where they cannot (stdout, a Dask ``--scheduler`` cluster without
  a shared disk, a retried document) they return the cleaned text, the
  record as a JSON line and CoNLL-U, and the parent writes the same bytes.
* A document that fails (undecodable, longer than ``--max-chars``, an
  exception in a stage, a worker that died) becomes a failure with its path
  or id and the reason; the batch goes on.
* Every output file is written atomically (temporary file, then rename); an
  input whose outputs all exist and are newer than it is skipped by
  ``--resume``.
* Per-document timings are left out of the annotation records (they would
  make two runs differ); they are summed into ``summary.json`` instead
  (``--timings`` keeps them in the records).

One concern per module: :mod:`~pipeline.batch.tasks` (the per-document work
in a worker), :mod:`~pipeline.batch.executors` (serial, processes, Dask),
:mod:`~pipeline.batch.events` (the inputs as typed events),
:mod:`~pipeline.batch.sinks` (outputs), :mod:`~pipeline.batch.summary`
(``summary.json``), :mod:`~pipeline.batch.counting_pass` (the counting
pass of ``--boilerplate`` and ``--tie-break batch``) and :mod:`~pipeline.batch.runner` (``run_batch``).
"""

from pipeline.batch.events import CHUNK_CHARS, CHUNK_DOCS, Chunk, End, Event, Fail, Skip, Start, produce
from pipeline.batch.executors import DaskExecutor, ProcessExecutor, SerialExecutor, make_executor
from pipeline.batch.runner import BatchOptions, BatchResult, run_batch
from pipeline.batch.sinks import CorpusOutputs, FileOutputs, StdoutOutputs, is_up_to_date, output_paths
from pipeline.batch.summary import MAX_LISTED_FAILURES, Summary, summary_line
from pipeline.batch.tasks import Outcome, Settings, Task, clean_chunk, clean_task, clean_tasks, count_task

__all__ = [
    "CHUNK_CHARS",
    "CHUNK_DOCS",
    "MAX_LISTED_FAILURES",
    "BatchOptions",
    "BatchResult",
    "Chunk",
    "CorpusOutputs",
    "DaskExecutor",
    "End",
    "Event",
    "Fail",
    "FileOutputs",
    "Outcome",
    "ProcessExecutor",
    "SerialExecutor",
    "Settings",
    "Skip",
    "Start",
    "StdoutOutputs",
    "Summary",
    "Task",
    "clean_chunk",
    "clean_task",
    "clean_tasks",
    "count_task",
    "is_up_to_date",
    "make_executor",
    "output_paths",
    "produce",
    "run_batch",
    "summary_line",
]

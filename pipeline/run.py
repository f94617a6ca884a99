"""The stage list and how a document goes through it.

A stage is a function ``(Document, Config) -> None`` that records edits and
annotations on the document.  ``STAGES`` is the whole pipeline, in order:

1. ``markup``   – tags, entities, attribute tails, punctuation debris (edits)
2. ``segment``  – blocks (lines) and sentences of the text so far
3. ``blocks``   – labels body/byline/caption/heading/timeline; ``--drop``
4. ``tokenise`` – fugashi + UniDic, once; later stages reuse the tokens
5. ``bilingual`` – with an English source: alignment and translation-quality flags
6. ``variants`` – name/term variants rewritten to one spelling (edits)
7. ``dedup``    – repeated sentences removed (edits; may supersede 6's)
8. ``lines``    – a line emptied by earlier edits loses its line break too
   (:mod:`pipeline.stages.lines`)
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.document import Document
from pipeline.gcpause import paused_gc
from pipeline.stages.bilingual import BilingualOptions, align_source, repeat_evidence
from pipeline.stages.blocks import BlockOptions, label_blocks
from pipeline.stages.decode import decode_bytes
from pipeline.stages.dedup import DedupOptions, remove_duplicates
from pipeline.stages.lines import drop_emptied_lines
from pipeline.stages.markup import MarkupOptions, strip_markup
from pipeline.stages.segment import segment_document
from pipeline.stages.tokenise import tokenise_document
from pipeline.stages.variants import VariantOptions, normalise_variants


@dataclass(frozen=True)
class Config:
    """Options of every stage; each stage reads only its own part."""

    markup: MarkupOptions = field(default_factory=MarkupOptions)
    blocks: BlockOptions = field(default_factory=BlockOptions)
    bilingual: BilingualOptions = field(default_factory=BilingualOptions)
    variants: VariantOptions = field(default_factory=VariantOptions)
    dedup: DedupOptions = field(default_factory=DedupOptions)
    skip: frozenset[str] = frozenset()  # stage names not to run
    # the stage list to run (None: STAGES); set with the registered stages by config_with_plugins
    stages: tuple[Stage, ...] | None = None
    # options of registered stages, (stage name, options object) pairs
    extra: tuple[tuple[str, Any], ...] = ()

    def options_of(self, stage: str) -> Any:
        """The options object of a registered stage (its options class's defaults when none was given)."""
        for name, options in self.extra:
            if name == stage:
                return options
        declared = next((s for s in self.stages or all_stages() if s.name == stage), None)
        return declared.options() if declared is not None and declared.options is not None else None


# the option groups of Config, one per stage with options (make_config's ``<group>_<field>`` names)
OPTION_GROUPS = tuple(f.name for f in dataclasses.fields(Config) if f.name not in ("skip", "stages", "extra"))


def changed_options(config: Config) -> dict[str, Any]:
    """The options of ``config`` that differ from the defaults, by the names :func:`make_config` takes
    (``<group>_<field>``), as JSON values (a set as a sorted list): what ``summary.json`` records, so an output says
    how it was made.  Values that are not options a user gives (a loaded lexicon: its paths are recorded; the batch's
    spelling counts) are left out.

    >>> from pipeline.api import make_config
    >>> changed_options(make_config(latin="rewrite", evidence=frozenset({"lexicon", "bilingual"}), skip=["dedup"]))
    {'skip': ['dedup'], 'variants_evidence': ['bilingual', 'lexicon'], 'variants_latin': 'rewrite'}
    >>> changed_options(Config())
    {}
    """
    base = Config()
    out: dict[str, Any] = {"skip": sorted(config.skip)} if config.skip else {}
    for group in OPTION_GROUPS:
        mine, default = getattr(config, group), getattr(base, group)
        for f in dataclasses.fields(mine):
            value = getattr(mine, f.name)
            if value == getattr(default, f.name):
                continue
            if isinstance(value, (frozenset, set, tuple, list)) and all(
                isinstance(v, (str, int, float)) for v in value
            ):
                value = sorted(value) if isinstance(value, (frozenset, set)) else list(value)
            elif not isinstance(value, (str, int, float, bool, type(None))):
                continue  # an object, not an option given by name (a loaded lexicon, the batch's counts)
            out[f"{group}_{f.name}"] = value
    return dict(sorted(out.items()))


@dataclass(frozen=True)
class Stage:
    """One stage, declared once: its name, what it needs and what it leaves on the document.

    ``requires`` and ``provides`` name document facts (``text``, ``sentences``,
    ``blocks``, ``tokens``, ``annotations.variants``...).  ``apply`` is a
    module-level function, so a stage list pickles and runs in worker processes.
    """

    name: str
    apply: Callable[[Document, Config], None]
    requires: tuple[str, ...] = ()
    provides: tuple[str, ...] = ()
    summary: str = ""
    options: type | None = None  # a registered stage's options dataclass (CLI flags --NAME-FIELD come from it)


class StageError(ValueError):
    """A stage list that cannot run: an unknown name, or a stage whose requirement was skipped."""


def apply_markup(doc: Document, config: Config) -> None:
    strip_markup(doc, config.markup)


def apply_segment(doc: Document, config: Config) -> None:
    segment_document(doc)


def apply_blocks(doc: Document, config: Config) -> None:
    label_blocks(doc, config.blocks)


def apply_tokenise(doc: Document, config: Config) -> None:
    tokenise_document(doc)


def apply_bilingual(doc: Document, config: Config) -> None:
    align_source(doc, config.bilingual)


def apply_variants(doc: Document, config: Config) -> None:
    normalise_variants(doc, config.variants)


# The last options object given a source and its copy with ``repeat_evidence``: ``dataclasses.replace``
# of DedupOptions (20 fields and their checks) for every document with a source cost ~0.13 s over the
# dev pairs; a run uses one options object, so one slot is enough (the copy is frozen, so sharing it is safe).
_dedup_with_source: tuple[DedupOptions, DedupOptions] | None = None


def _with_repeat_evidence(options: DedupOptions) -> DedupOptions:
    global _dedup_with_source
    cached = _dedup_with_source
    if cached is not None and cached[0] is options:
        return cached[1]
    copy = replace(options, source=repeat_evidence)
    _dedup_with_source = (options, copy)
    return copy


def apply_dedup(doc: Document, config: Config) -> None:
    options = config.dedup
    if "alignment" in doc.annotations and options.source is None:
        options = _with_repeat_evidence(options)  # the English source says whose repeat it is
    remove_duplicates(doc, options)


STAGES: tuple[Stage, ...] = (
    Stage("markup", apply_markup, ("text",), ("edits",), "tags, entities, attribute tails, punctuation debris"),
    Stage("segment", apply_segment, ("text",), ("blocks", "sentences"), "lines and sentences of the text so far"),
    Stage("blocks", apply_blocks, ("blocks",), ("labels", "edits"), "body/byline/caption/heading/timeline; --drop"),
    Stage("tokenise", apply_tokenise, ("sentences",), ("tokens",), "fugashi + UniDic, once per document"),
    Stage(
        "bilingual",
        apply_bilingual,
        ("sentences",),
        ("alignment", "flags"),
        "with an English source: align it, flag omissions, additions, untranslated text, number mismatches",
    ),
    Stage(
        "variants",
        apply_variants,
        ("tokens",),
        ("edits", "annotations.variants"),
        "name/term spelling variants rewritten on evidence",
    ),
    Stage("dedup", apply_dedup, ("tokens",), ("edits", "flags"), "repeated sentences and loops removed"),
    Stage("lines", drop_emptied_lines, ("text",), ("edits",), "a line emptied by earlier edits loses its break"),
)
STAGE_NAMES: tuple[str, ...] = tuple(s.name for s in STAGES)


# Stages registered by users' modules (``register_stage``), with the stage each comes after.
_REGISTERED: list[tuple[Stage, str]] = []
ENTRY_POINT_GROUP = "mtja_clean.stages"  # an installed package's entry point: a module that registers stages


def register_stage(stage: Stage, after: str = "dedup") -> None:
    """Add a stage of your own to the pipeline, after the stage named ``after``.

    ``stage.apply`` must be a module-level function (worker processes and
    Dask import it by name); ``stage.options``, a dataclass, gives it
    command-line flags ``--NAME-FIELD`` and ``config.options_of(NAME)``.
    Registering the same name again replaces the earlier stage.
    """
    if stage.name in STAGE_NAMES:
        raise StageError(f"{stage.name!r} is a built-in stage")
    if after not in STAGE_NAMES and after not in (s.name for s, _ in _REGISTERED):
        raise StageError(f"unknown stage {after!r} to register {stage.name!r} after")
    _REGISTERED[:] = [(s, a) for s, a in _REGISTERED if s.name != stage.name]
    _REGISTERED.append((stage, after))


def all_stages() -> tuple[Stage, ...]:
    """STAGES with the registered stages in their places."""
    out = list(STAGES)
    for stage, after in _REGISTERED:
        at = next(i for i, s in enumerate(out) if s.name == after)
        out.insert(at + 1, stage)
    return tuple(out)


def load_stage_modules(modules: Iterable[str] = ()) -> None:
    """Import modules that register stages: the ones named, and every ``mtja_clean.stages`` entry point."""
    import importlib

    for name in modules:
        importlib.import_module(name)
    if not _may_declare_entry_points(ENTRY_POINT_GROUP):
        return  # importlib.metadata (its import and its scan) is 10-30 ms of every run's start-up
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        importlib.import_module(ep.value.split(":")[0])


def _may_declare_entry_points(group: str, path: Sequence[str] | None = None) -> bool:
    r"""Could an installed distribution declare an entry point of ``group``?  False only when none can.

    A pre-test for ``importlib.metadata.entry_points(group=...)``, which looks
    for ``*.dist-info`` and ``*.egg-info`` folders in each folder of
    ``sys.path`` and reads their ``entry_points.txt``: here the same files are
    searched for the group's name as bytes.  Anything this does not read as
    importlib.metadata does (a zip or an egg on the path, another finder of
    distributions) answers True, and importlib.metadata decides.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _may_declare_entry_points("mtja_clean.stages", [str(root)])
    False
    >>> (root / "plug-1.0.dist-info").mkdir()
    >>> _ = (root / "plug-1.0.dist-info" / "entry_points.txt").write_text("[mtja_clean.stages]\nx = plug.stages\n")
    >>> _may_declare_entry_points("mtja_clean.stages", [str(root)]), _may_declare_entry_points("other", [str(root)])
    (True, False)
    """
    import os
    import sys
    from importlib.machinery import PathFinder

    if path is None:
        path = sys.path
        for finder in sys.meta_path:
            if finder is not PathFinder and getattr(finder, "find_distributions", None) is not None:
                return True
    needle = group.encode()
    for entry in path:
        folder = entry or "."
        if folder.lower().endswith(".egg") or os.path.isfile(folder):
            return True
        try:
            names = os.listdir(folder)
        except OSError:
            continue  # a folder that is not there: importlib.metadata finds nothing in it either
        for name in names:
            if name.lower().endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(folder, name, "entry_points.txt"), "rb") as fh:
                        if needle in fh.read():
                            return True
                except OSError:
                    continue
    return False


def plan_stages(skip: Iterable[str] = (), stages: Sequence[Stage] | None = None) -> tuple[Stage, ...]:
    """The stages that run when ``skip`` is left out, checked: every name known, every requirement met.

    >>> [s.name for s in plan_stages({"dedup"})]
    ['markup', 'segment', 'blocks', 'tokenise', 'bilingual', 'variants', 'lines']
    >>> plan_stages({"dedupe"})
    Traceback (most recent call last):
    ...
    pipeline.run.StageError: unknown stage 'dedupe' (stages: markup, segment, blocks, tokenise, bilingual, variants, dedup, lines)
    >>> plan_stages({"tokenise"})
    Traceback (most recent call last):
    ...
    pipeline.run.StageError: stage 'variants' needs tokens, which only 'tokenise' provides: skip 'variants' too, or keep 'tokenise'
    """
    skip = set(skip)
    stages = all_stages() if stages is None else stages
    names = [s.name for s in stages]
    for name in sorted(skip - set(names), key=str):
        raise StageError(f"unknown stage {name!r} (stages: {', '.join(names)})")
    provided = {"text"}
    kept = []
    for stage in stages:
        if stage.name in skip:
            continue
        for need in stage.requires:
            if need not in provided:
                makers = [s.name for s in stages if need in s.provides]
                hint = (
                    f"which only {', '.join(repr(m) for m in makers)} provides" if makers else "which no stage provides"
                )
                raise StageError(
                    f"stage {stage.name!r} needs {need}, {hint}: skip {stage.name!r} too, "
                    f"or keep {' or '.join(repr(m) for m in makers) or 'it'}"
                )
        provided.update(stage.provides)
        kept.append(stage)
    return tuple(kept)


def stage_table(stages: Sequence[Stage] = STAGES) -> str:
    """The stage list as a Markdown table (docs/architecture.md holds it; a test keeps the two in sync).

    >>> stage_table().splitlines()[0]
    '| stage | requires | provides | what it does |'
    """
    rows = ["| stage | requires | provides | what it does |", "|---|---|---|---|"]
    for s in stages:
        rows.append(f"| `{s.name}` | {', '.join(s.requires)} | {', '.join(s.provides)} | {s.summary} |")
    return "\n".join(rows)


def run_stages(
    doc: Document,
    config: Config | None = None,
    stages: tuple[Stage, ...] | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> Document:
    """Run every stage on ``doc`` in order, recording edits and time per stage.

    The stages are ``stages``, else the config's list, else STAGES with the registered stages.
    ``on_stage`` is called with each stage's name before it runs (progress
    of one long document).
    """
    config = config or Config()
    planned = plan_stages(config.skip, stages or config.stages or all_stages())
    with _group_gc():
        for stage in planned:
            if on_stage is not None:
                on_stage(stage.name)
            _run_stage(stage, doc, config)
    return doc


def run_stages_many(
    docs: Sequence[Document], config: Config | None = None, stages: tuple[Stage, ...] | None = None
) -> list[Document]:
    """``run_stages`` on several documents, one stage over all of them before the next.

    Each document ends exactly as ``run_stages`` leaves it (stages read only
    their own document); it is faster because a stage's code and data, above
    all MeCab's dictionary, stay in the CPU caches: on the dev set, 8
    documents a pass made the whole pipeline 1.1-1.25x as fast.  An
    exception stops the whole group: a caller that must go on past a bad
    document runs that group again one document at a time.
    """
    config = config or Config()
    planned = plan_stages(config.skip, stages or config.stages or all_stages())
    with _group_gc():
        for stage in planned:
            for doc in docs:
                _run_stage(stage, doc, config)
    return list(docs)


@contextmanager
def _group_gc() -> Iterator[None]:
    """The cyclic collector paused over a group's stages, and the objects they leave moved to the old generation.

    The stages make many acyclic objects (tokens above all, then keys and
    mentions).  A collector left running walks them again and again; paused
    only for a stage, its first collection afterwards walked every token
    still alive (5-8% of a one-job run on the dev texts, docs/performance.md).
    Here the objects made in the group go to the oldest generation without
    a walk (``gc.freeze`` then ``gc.unfreeze``, two list splices): the
    tokens are freed by reference counting once the record is written, long
    before a full collection would reach them; a cycle among them is
    collected by the next full collection as usual.  Nothing is done when
    the caller froze objects itself (unfreezing them would undo that), nor
    when the collector was off.

    >>> import gc
    >>> with _group_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled(), gc.get_freeze_count()
    (True, 0)
    """
    with paused_gc(settle=True):
        yield


def _run_stage(stage: Stage, doc: Document, config: Config) -> None:
    before = _count_edits(doc, stage.name)
    t0 = time.perf_counter()
    stage.apply(doc, config)
    s = doc.stats.setdefault(stage.name, {})
    s["seconds"] = round(s.get("seconds", 0.0) + time.perf_counter() - t0, 6)
    # counted by stage name: a deletion that supersedes earlier edits still counts once
    s["edits"] = s.get("edits", 0) + _count_edits(doc, stage.name) - before


def _count_edits(doc: Document, stage: str) -> int:
    return sum(1 for e in doc.edits if e.stage == stage)


def clean_text(
    text: str, config: Config | None = None, id: str = "", source: str = "", english: str | None = None
) -> Document:
    """Clean a text already decoded (with its English source, if given); returns the document with its edits."""
    return run_stages(new_document(text, id, source, english), config)


def new_document(text: str, id: str = "", source: str = "", english: str | None = None) -> Document:
    doc = Document(text, id=id, source=source)
    if english is not None:
        doc.meta["english"] = english
    doc.meta.setdefault("sha256", hashlib.sha256(text.encode("utf-8")).hexdigest())
    doc.meta.setdefault("encoding", "utf-8")
    doc.meta.setdefault("bom", False)
    return doc


def clean_texts(texts: Iterable[str], config: Config | None = None, group: int = 8) -> Iterator[Document]:
    """``clean_text`` of each text, in order, ``group`` documents a stage pass (see run_stages_many)."""
    batch: list[Document] = []
    for text in texts:
        batch.append(new_document(text))
        if len(batch) >= group:
            yield from run_stages_many(batch, config)
            batch = []
    if batch:
        yield from run_stages_many(batch, config)


def clean_bytes(
    data: bytes, source: str, config: Config | None = None, encoding: str = "utf-8", id: str = ""
) -> Document:
    """Decode and clean raw bytes (a file's content)."""
    decoded = decode_bytes(data, source, encoding)
    doc = Document(decoded.text, id=id or source, source=source)
    doc.meta.update(sha256=hashlib.sha256(data).hexdigest(), encoding=decoded.encoding, bom=decoded.bom)
    return run_stages(doc, config)

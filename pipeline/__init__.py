"""mtja-clean: clean machine-translated Japanese with reversible, explained edits.

The front door, for a notebook or a script::

    >>> from pipeline import clean, explain
    >>> doc = clean("同社は発表した。同社は発表した。")
    >>> doc.text
    '同社は発表した。'
    >>> doc.edits[0].rule, doc.edits[0].stage
    ('exact', 'dedup')

``doc.original`` is never changed; ``doc.edits`` are the changes with spans
into it, a rule and a reason; ``to_record(doc)`` is the JSON object the
``clean`` command writes, ``from_record(rec)`` reads it back, and
``render_report([doc])`` is the HTML review page.

Names are imported on first use, so ``import pipeline`` and the command line
start fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# name -> (module, attribute): one place that says where each public name lives
_EXPORTS = {
    "clean": ("pipeline.api", "clean"),
    "clean_many": ("pipeline.api", "clean_many"),
    "explain": ("pipeline.api", "explain"),
    "make_config": ("pipeline.api", "make_config"),
    "Config": ("pipeline.run", "Config"),
    "STAGES": ("pipeline.run", "STAGES"),
    "Stage": ("pipeline.run", "Stage"),
    "register_stage": ("pipeline.run", "register_stage"),
    "Document": ("pipeline.document", "Document"),
    "Edit": ("pipeline.document", "Edit"),
    "Flag": ("pipeline.document", "Flag"),
    "restore_text": ("pipeline.document", "restore_text"),
    "walk_edits": ("pipeline.document", "walk_edits"),
    "to_record": ("pipeline.io.annotations", "document_record"),
    "from_record": ("pipeline.io.annotations", "document_from_record"),
    "render_report": ("pipeline.review.html", "render_report"),
    "align": ("pipeline.align.aligner", "align_sentences"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}") from None
    value = getattr(import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))

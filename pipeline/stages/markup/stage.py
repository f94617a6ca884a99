"""The markup stage: plan the edits, flag the doubts (capped per rule), count; its command-line options."""

from __future__ import annotations

import argparse

from pipeline.document import Document
from pipeline.stages.markup.fold import plan_edits
from pipeline.stages.markup.model import STAGE, Doubt, MarkupOptions

# at most this many flags per rule and document; the rest are summed up in one flag
FLAGS_PER_RULE = 100


def add_flags_capped(doc: Document, stage: str, doubts: list[Doubt], cap: int = FLAGS_PER_RULE) -> None:
    """Flag each doubt, but at most ``cap`` per rule; one more flag spans and counts the rest.

    >>> doc = Document("x" * 10)
    >>> add_flags_capped(doc, "markup", [Doubt(i, i + 1, "r", "why") for i in range(5)], cap=2)
    >>> [(f.start, f.end, f.reason) for f in doc.flags]
    [(0, 1, 'why'), (1, 2, 'why'), (2, 5, '3 more r flags in this span, not listed one by one')]
    """
    seen: dict[str, list[Doubt]] = {}
    for d in doubts:
        rest = seen.setdefault(d.rule, [])
        if len(rest) < cap:
            doc.flag(d.start, d.end, stage, d.rule, d.reason)
        rest.append(d)
    for rule, ds in seen.items():
        more = ds[cap:]
        if more:
            a, b = min(d.start for d in more), max(d.end for d in more)
            doc.flag(a, b, stage, rule, f"{len(more)} more {rule} flags in this span, not listed one by one")


def strip_markup(doc: Document, options: MarkupOptions) -> None:
    """Record edits that remove markup and punctuation debris; flag the doubtful cases."""
    if doc.edits:
        raise ValueError("the markup stage must run first, on the original text")
    edits, doubts, passes = plan_edits(doc.original, options)
    # a flagged span that an edit changed is no longer in doubt
    probe = doc.with_edits(edits)
    add_flags_capped(doc, STAGE, [d for d in doubts if d.end > d.start and not probe.overlaps_edit(d.start, d.end)])
    if passes > options.max_passes:
        doc.flag(0, len(doc.original), STAGE, "max-passes", f"markup still changing after {options.max_passes} passes")
    if edits:
        doc.add_edits(edits)
    for e in edits:
        for rule in e.rule.split("+"):
            doc.count(STAGE, rule)


def add_arguments(group: argparse._ArgumentGroup) -> None:
    """Command-line options of this stage (for ``clean`` and ``batch``)."""
    group.add_argument(
        "--keep-tags", action="store_true", help="leave tags, comments, script/style blocks and attribute tails"
    )
    group.add_argument(
        "--keep-entities", action="store_true", help="leave character references such as &amp; undecoded"
    )
    group.add_argument(
        "--keep-debris",
        action="store_true",
        help="leave punctuation debris (。. 。。 、、 double spaces, number fragments)",
    )
    group.add_argument(
        "--markup-breaks",
        choices=("auto", "never"),
        default="auto",
        help="auto (default): a block tag or attribute tail removed between a sentence end and more text "
        "becomes a line break; never: it is just deleted",
    )


def options_from_args(args: argparse.Namespace) -> MarkupOptions:
    return MarkupOptions(
        tags=not getattr(args, "keep_tags", False),
        entities=not getattr(args, "keep_entities", False),
        debris=not getattr(args, "keep_debris", False),
        breaks=getattr(args, "markup_breaks", "auto"),
    )

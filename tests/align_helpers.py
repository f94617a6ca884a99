"""A helper the aligner's test modules share (not a test module): beads as index pairs."""

from __future__ import annotations

from pipeline.align.aligner import AlignOptions, align_sentences


def beads(en, ja, **options):
    """The beads of ``align_sentences`` as (English indices, Japanese indices) pairs."""
    return [(b.en, b.ja) for b in align_sentences(en, ja, AlignOptions(**options))]

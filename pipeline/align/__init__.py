"""English-Japanese sentence alignment without a model (see docs/align.md).

:func:`align_sentences` aligns two lists of sentences; :mod:`.english`
splits English text, :mod:`.anchors` finds numbers, Latin tokens and names
shared by both sides, :mod:`.aligner` runs the banded DP.
"""

from pipeline.align.aligner import (
    AlignOptions,
    Bead,
    align_sentences,
    align_with_ratio,
    drop_low_scores,
    summarise_beads,
)
from pipeline.align.english import split_english, split_english_text

__all__ = [
    "AlignOptions",
    "Bead",
    "align_sentences",
    "align_with_ratio",
    "drop_low_scores",
    "split_english",
    "split_english_text",
    "summarise_beads",
]

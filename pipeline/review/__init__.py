"""Reviewing a cleaning: terminal diff, HTML report, statistics.

All three are views of ``Document.original`` + ``Document.edits``
(:mod:`pipeline.review.rows` aligns them sentence by sentence); inputs are
loaded by :mod:`pipeline.review.load`.
"""

from pipeline.review.diff import format_document, unified_diff, use_color
from pipeline.review.html import render_report
from pipeline.review.load import load_documents
from pipeline.review.stats import collect_stats, format_stats

__all__ = [
    "collect_stats",
    "format_document",
    "format_stats",
    "load_documents",
    "render_report",
    "unified_diff",
    "use_color",
]

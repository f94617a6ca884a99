"""Markup and punctuation debris: tags, comments, entities, attribute tails, stray marks.

The stage runs first, on the original text, and records every change as an
:class:`~pipeline.document.Edit` (stage ``markup``) with its rule and reason.

Rules (tables in ``pipeline/data/markup_rules.yaml``):

* ``raw-block`` – ``<script>``/``<style>``/``<noscript>``/``<template>`` with
  their content, across lines.
* ``comment`` – ``<!-- … -->`` (an unclosed ``<!--`` is flagged, not removed).
* ``tag`` – a complete tag of a known element: ``<span class="x">``, ``</p>``,
  ``<br/>``, ``<!DOCTYPE html>``.  ``A<B``, ``<3``, ``x < 50%`` are not tags.
* ``broken-tag`` – a known element's opening tag cut before its ``>``:
  ``<p style="text-al`` at the end of a line, ``<span class="x"語`` glued to
  text.
* ``attribute-tail`` – the end of a tag whose start was cut:
  ``align: left;">``, ``style="text-align: center;">``, ``class="date">``,
  ``" target="_blank">``.
* ``entity`` – named and numeric character references (``&amp;``, ``&#12290;``,
  ``&#x3002;``, also double-escaped ``&amp;lt;``), decoded with Python's
  :mod:`html` tables; space entities become a space, or nothing between
  Japanese characters.
* ``stray-period`` – ``.``/``,`` glued after 。、！？ (``。.``) or starting a
  line before Japanese text.
* ``repeated-mark`` – ``。。``, ``、、``, ``。、`` runs become one mark.
* ``double-space`` – two or more spaces between Japanese characters.
* ``number-fragment`` – a "sentence" that is only the leftover of an English
  number and a copula (``7m.です。``).

A removed block-level tag or attribute tail that sits between a sentence end
and more text on the same line becomes a line break (``--markup-breaks
never`` deletes it instead).  Fragments that could be content are flagged
(``doc.flags``) and kept.

The rules run to a fixed point (removing ``<b>`` from ``<<b>b>`` makes a new
tag), and the edits of all passes are folded into edits against the
original, so running the stage on its own output changes nothing.

All patterns are linear on hostile input: possessive quantifiers, bounded
repeats, and ``str.find`` for the constructs that span lines.

>>> from pipeline.document import Document
>>> doc = Document('<p class="x">AT&amp;T社が発表。</p>')
>>> strip_markup(doc, MarkupOptions())
>>> doc.text
'AT&T社が発表。'
>>> doc = Document('公表した。align: left;">2021年3月')
>>> strip_markup(doc, MarkupOptions())
>>> doc.text
'公表した。\\n2021年3月'

Layout, in the order a document goes through it: :mod:`.model` (options,
``Fix``, ``Doubt``), :mod:`.rules` (the YAML tables), :mod:`.patterns`
(character classes and regular expressions), :mod:`.detectors` (one finder
per kind of debris), :mod:`.passes` (one pass: overlaps by priority, line
breaks), :mod:`.fold` (passes folded into edits on the original, to a fixed
point), :mod:`.stage` (``strip_markup``, flags, command-line options).
"""

from __future__ import annotations

from pipeline.chars import is_japanese
from pipeline.stages.markup.detectors import (
    find_comments,
    find_debris,
    find_entities,
    find_raw_blocks,
    find_shortcodes,
    find_tags,
    find_tails,
)
from pipeline.stages.markup.fold import compose_fixes, plan_edits
from pipeline.stages.markup.model import STAGE, Doubt, Fix, MarkupOptions
from pipeline.stages.markup.passes import find_fixes
from pipeline.stages.markup.patterns import JA, SENTENCE_END
from pipeline.stages.markup.rules import Rules, load_rules
from pipeline.stages.markup.stage import (
    FLAGS_PER_RULE,
    add_arguments,
    add_flags_capped,
    options_from_args,
    strip_markup,
)

__all__ = [
    "Doubt",
    "FLAGS_PER_RULE",
    "Fix",
    "JA",
    "MarkupOptions",
    "Rules",
    "SENTENCE_END",
    "STAGE",
    "add_arguments",
    "add_flags_capped",
    "compose_fixes",
    "find_comments",
    "find_debris",
    "find_entities",
    "find_fixes",
    "find_raw_blocks",
    "find_shortcodes",
    "find_tags",
    "find_tails",
    "is_japanese",
    "load_rules",
    "options_from_args",
    "plan_edits",
    "strip_markup",
]

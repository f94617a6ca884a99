"""``align EN_FILE JA_FILE``: English-Japanese sentence pairs, model-free.

Output is TSV (English, Japanese, score) of the matched beads, or with
``--json`` a list of every bead ``{"en": [i...], "ja": [j...], "score": s,
"en_spans": [[start, end]...], "ja_spans": [...]}`` (0-based sentence indices,
character offsets into the decoded input).  When the Japanese side is an
annotation file (``NAME.ann.jsonl`` from ``clean --out-dir``), its sentences
are used and each bead also has ``ja_orig``: the spans in the original text.
A summary (beads by shape) goes to stderr unless ``--quiet``.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from typing import Any

from pipeline.align.aligner import (
    AlignOptions,
    Bead,
    align_with_ratio,
    drop_low_scores,
    summarise_beads,
)
from pipeline.align.checks import side_warnings
from pipeline.align.english import split_english_text
from pipeline.align.japanese import split_japanese
from pipeline.commands.restore import read_chosen_records
from pipeline.document import Edit, OffsetMap
from pipeline.errors import InputError
from pipeline.io.files import read_bytes
from pipeline.stages.decode import decode_bytes
from pipeline.stages.segment import iter_lines, trim_span

NAME = "align"
HELP = "align English sentences with their Japanese translation (TSV or --json)"


@dataclass
class Side:
    """The units of one side: texts, spans in ``text``, optional original spans."""

    text: str
    spans: list[tuple[int, int]]
    orig: list[tuple[int, int]] | None = None
    units: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.units = [self.text[a:b] for a, b in self.spans]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("en_file", metavar="EN_FILE", help="the English source text")
    p.add_argument("ja_file", metavar="JA_FILE", help="the Japanese translation: text, cleaned text, or NAME.ann.jsonl")
    p.add_argument("--json", action="store_true", help="print every bead as JSON (indices, spans, score)")
    p.add_argument("--lines", action="store_true", help="each non-empty line is one unit (no sentence splitting)")
    p.add_argument(
        "--min-score",
        type=float,
        default=0.0,
        metavar="S",
        help="beads with a lower confidence become unmatched sentences (default 0: keep all)",
    )
    p.add_argument(
        "--ratio",
        type=float,
        metavar="R",
        help="Japanese characters per English character (default: estimated per document, about 0.44 for news)",
    )
    p.add_argument("--unmatched", action="store_true", help="TSV: also print unmatched sentences (other column empty)")
    p.add_argument(
        "--ja-format",
        choices=("auto", "text", "ann"),
        default="auto",
        help="how to read JA_FILE (auto: .jsonl/.json is an annotation file)",
    )
    p.add_argument(
        "--id", help="the document of a multi-document annotation file (an error if several records have it)"
    )
    p.add_argument("--line", type=int, metavar="N", help="the record on line N of a multi-document annotation file")
    p.add_argument("--encoding", default="utf-8", help="encoding of text inputs (utf-8, cp932, euc-jp, auto)")
    p.add_argument("--quiet", action="store_true", help="no summary on stderr")


def read_text(path: str, encoding: str) -> str:
    source = "<stdin>" if path == "-" else path
    return decode_bytes(read_bytes(path), source, encoding).text


def english_side(text: str, lines: bool) -> Side:
    return Side(text, line_spans(text) if lines else split_english_text(text))


def japanese_side(text: str, lines: bool) -> Side:
    if lines:
        return Side(text, line_spans(text))
    spans = []
    for a, b in iter_lines(text):
        spans.extend((a + s, a + e) for s, e in split_japanese(text[a:b]))
    return Side(text, spans)


def line_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the non-empty lines, surrounding spaces left out.

    >>> line_spans(" a \\n\\nbc\\n")
    [(1, 2), (5, 7)]
    """
    out = []
    for a, b in iter_lines(text):
        a, b = trim_span(text, a, b)
        if a < b:
            out.append((a, b))
    return out


def annotation_side(path: str, doc_id: str | None, lines: bool, line: int | None = None) -> Side:
    """Japanese units of one annotation record, with their original spans.

    The record is chosen as ``restore`` chooses: by ``--id`` (an id several
    records hold is an error naming their lines) or by ``--line N``.
    """
    chosen = read_chosen_records(path, doc_id, line)
    if not chosen:
        raise InputError(path, "no annotation record")
    if len(chosen) > 1:
        ids = ", ".join(repr(r.get("id")) for _, r in chosen[:5])
        raise InputError(path, f"{len(chosen)} documents ({ids}...): choose one with --id or --line N")
    rec = chosen[0][1]
    text = rec["text"]
    if lines:
        offsets = OffsetMap([Edit.from_json(e) for e in rec["edits"]])
        spans = line_spans(text)
        orig = [(offsets.to_original(a, "right"), offsets.to_original(b, "left")) for a, b in spans]
        return Side(text, spans, orig)
    sents = rec.get("sentences")
    if sents is None:
        raise InputError(path, "annotation record has no 'sentences'")
    spans = [(s["start"], s["end"]) for s in sents]
    orig = [(s["orig_start"], s["orig_end"]) for s in sents]
    return Side(text, spans, orig)


def is_annotation(path: str, fmt: str) -> bool:
    if fmt != "auto":
        return fmt == "ann"
    return path.endswith((".jsonl", ".json"))


def bead_json(bead: Bead, en: Side, ja: Side) -> dict[str, Any]:
    out = bead.to_json()
    out["en_spans"] = [list(en.spans[i]) for i in bead.en]
    out["ja_spans"] = [list(ja.spans[j]) for j in bead.ja]
    if ja.orig is not None:
        out["ja_orig"] = [list(ja.orig[j]) for j in bead.ja]
    return out


def tsv_row(bead: Bead, en: Side, ja: Side) -> str:
    """English, Japanese, score; sentences of a side joined (a space for English)."""
    e = " ".join(en.units[i] for i in bead.en)
    j = "".join(ja.units[k] for k in bead.ja)
    return f"{_clean_cell(e)}\t{_clean_cell(j)}\t{bead.score:.3f}"


def _clean_cell(s: str) -> str:
    return s.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def format_summary(summary: dict[str, int], ratio: float) -> str:
    return (
        f"align: {summary['beads']} beads: {summary['1-1']} 1-1, {summary['n-m']} n-m, "
        f"{summary['unmatched_en']} English and {summary['unmatched_ja']} Japanese sentences unmatched "
        f"(ratio {ratio:.3f} Japanese chars per English char)"
    )


def run(args: argparse.Namespace) -> int:
    if args.en_file == "-" and args.ja_file == "-":
        raise InputError("-", "only one input can be stdin")
    if args.ratio is not None and args.ratio <= 0:
        raise InputError("--ratio", "must be positive")
    en = english_side(read_text(args.en_file, args.encoding), args.lines)
    if is_annotation(args.ja_file, args.ja_format):
        ja = annotation_side(args.ja_file, args.id, args.lines, args.line)
    else:
        ja = japanese_side(read_text(args.ja_file, args.encoding), args.lines)
    for warning in side_warnings(en.units, ja.units, args.en_file, args.ja_file):
        print(warning, file=sys.stderr)
    options = AlignOptions(ratio=args.ratio)
    beads, ratio = align_with_ratio(en.units, ja.units, options)
    if args.min_score > 0:
        beads = drop_low_scores(beads, args.min_score)
    out = sys.stdout
    if args.json:
        json.dump([bead_json(b, en, ja) for b in beads], out, ensure_ascii=False)
        out.write("\n")
    else:
        for b in beads:
            if (b.en and b.ja) or args.unmatched:
                out.write(tsv_row(b, en, ja) + "\n")
    out.flush()
    if not args.quiet:
        print(format_summary(summarise_beads(beads), ratio), file=sys.stderr)
    return 0

"""The variants stage's options and their command-line flags."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pipeline.lexicon import Lexicon, load_lexicons
from pipeline.stages.variants.evidence import REWRITE_EVIDENCE

STAGE = "variants"


@dataclass(frozen=True)
class VariantOptions:
    """Options of the variants stage."""

    enabled: bool = True
    lexicon_paths: tuple[str, ...] = ()
    lexicon: Lexicon | None = None  # already loaded (tests, batch workers)
    latin: Literal["keep", "rewrite"] = "keep"
    discover: bool = True  # find groups automatically (off: lexicon only)
    min_fuzzy_length: int = 4  # keys shorter than this merge only when equal
    long_length: int = 8  # keys this long may differ in two places, shorter ones in one
    orthography: bool = True  # 数カ月/数ヶ月 (same lemma, counter kana alternation)
    # a tie within one document (forms equally frequent): flag it, or take the spelling more
    # documents of the batch use (--tie-break batch: a counting pass before cleaning)
    tie_break: Literal["flag", "batch"] = "flag"
    # spelling -> documents of the batch that use it (the counting pass of --tie-break batch:
    # batch_spelling_counts); breaks a tie within one document.  None: one document alone.
    batch_counts: Mapping[str, int] | None = None
    # the kinds of evidence this run rewrites on (--variant-evidence); a pair proven by another kind is
    # flagged instead.  Default: all four.  ``bilingual,lexicon``: only what the English source or the
    # user's list proves (corpus builders who want no consistency edits of their own).
    evidence: frozenset[str] = REWRITE_EVIDENCE


def add_arguments(group: argparse._ArgumentGroup) -> None:
    """Command-line options of this stage (for ``clean`` and ``batch``)."""
    group.add_argument(
        "--lexicon",
        action="append",
        default=[],
        metavar="FILE",
        help="house spellings (native TSV or prh YAML); repeatable; overrides automatic groups",
    )
    group.add_argument(
        "--latin",
        choices=("keep", "rewrite"),
        default="keep",
        help="Latin spellings of a group (Watergate for ウォーターゲート): keep them (default) or rewrite "
        "every mention to the group's canonical form (in the script used more often)",
    )
    group.add_argument(
        "--no-discover",
        dest="discover",
        action="store_false",
        help="do not group variants automatically; apply only --lexicon",
    )
    group.add_argument(
        "--tie-break",
        choices=("flag", "batch"),
        default="flag",
        help="a variant group whose spellings are equally frequent in a document: flag it (default), or "
        "rewrite it to the spelling more documents of the batch use (a counting pass first; a document's "
        "output then depends on the batch it is cleaned with)",
    )
    group.add_argument(
        "--variant-min-length",
        type=int,
        default=4,
        metavar="N",
        help="katakana keys shorter than N merge only when equal after folding (default 4)",
    )
    group.add_argument(
        "--variant-evidence",
        type=evidence_kinds,
        default=None,
        metavar="KINDS",
        help="the kinds of evidence a variant is rewritten on, comma-separated, of orthographic, dictionary, "
        "bilingual, lexicon (default: all four); a pair proven only by another kind is flagged, not rewritten "
        "(bilingual,lexicon: only what the English source or your lexicon proves; none: flag every group)",
    )


def evidence_kinds(text: str) -> frozenset[str]:
    """The kinds of evidence named by ``--variant-evidence`` (comma-separated).

    >>> sorted(evidence_kinds("lexicon, bilingual"))
    ['bilingual', 'lexicon']
    >>> evidence_kinds("similar")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: unknown kind of evidence 'similar' (choose from bilingual, dictionary, lexicon, orthographic, or none)
    >>> evidence_kinds("none")  # group and flag, rewrite nothing
    frozenset()
    """
    if text.strip() == "none":
        return frozenset()
    kinds = frozenset(k.strip() for k in text.split(",") if k.strip())
    if not kinds:
        raise argparse.ArgumentTypeError("name a kind of evidence at least, or none")
    for k in sorted(kinds):
        if k not in REWRITE_EVIDENCE:
            choices = ", ".join(sorted(REWRITE_EVIDENCE))
            raise argparse.ArgumentTypeError(f"unknown kind of evidence {k!r} (choose from {choices}, or none)")
    return kinds


def options_from_args(args: argparse.Namespace) -> VariantOptions:
    paths = tuple(getattr(args, "lexicon", None) or ())
    return VariantOptions(
        lexicon_paths=paths,
        lexicon=load_lexicons(paths) if paths else None,
        latin=getattr(args, "latin", "keep"),
        discover=getattr(args, "discover", True),
        min_fuzzy_length=getattr(args, "variant_min_length", 4),
        tie_break=getattr(args, "tie_break", "flag"),
        evidence=REWRITE_EVIDENCE if getattr(args, "variant_evidence", None) is None else args.variant_evidence,
    )

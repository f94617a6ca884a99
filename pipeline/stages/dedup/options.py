"""Options of the dedup stage: the dataclass and the command line."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.document import Document

STAGE = "dedup"
SENTENCE_RULES = ("exact", "near", "fragment")  # a sentence repeated
RULES = (*SENTENCE_RULES, "loop")  # ... and a loop inside a sentence (pipeline/stages/loops.py)
SCOPES = ("paragraph", "document")
QUOTE_POLICIES = ("keep", "exact", "all")
DISTANT_POLICIES = ("flag", "remove")


@dataclass(frozen=True)
class DedupOptions:
    """Thresholds and scope of the dedup stage (defaults are the documented ones)."""

    rules: frozenset[str] = frozenset(RULES)  # which rules run
    near: float = 0.80  # Indel similarity of lemma-unit sequences
    fragment: float = 0.70  # containment of the shorter sentence in the longer one
    window: int = 4  # sentences before this one that it is compared with
    scope: str = "paragraph"  # paragraph: window inside the paragraph; document: whole document
    quotes: str = "keep"  # speech (inside quotes): keep (never removed), exact (exact repeats only), all
    near_min_content: int = 4  # content words both sentences need for the near rule
    fragment_min_content: int = 3  # content words a fragment needs
    fragment_max_ratio: float = 0.8  # a fragment has at most this share of the other's units
    complete_margin: float = 0.2  # a near-duplicate this much longer is "more complete"
    max_candidates: int = 50  # document scope: near-duplicate checks per sentence
    long_exact: int = 30  # exact repeats with keys this long (characters) are removed anywhere; 0: off
    long_exact_content: int = 6  # ... and at least this many content words
    restatement: float = 0.85  # containment of a short restatement right after its sentence (wider window)
    distant: str = (
        "flag"  # exact/near repeats not next to their original (another line, sentences between): flag or remove
    )
    types: bool = True  # near-duplicates and fragments need the same sentence type (act, tense, polarity)
    # The English source's word on a repeat (set by the runner to bilingual.repeat_evidence when the
    # document has an alignment): called with the document and the sentence indexes of the original
    # and the copy, it answers "repeats" (the source repeats it too: kept, flagged), "single" (the
    # copy has no English of its own: named as evidence when a close copy goes; distance still
    # decides, since an alignment error must not remove an author's distant repeat), "own" (each is
    # aligned to English of its own that differs: a distant copy is kept even with --dedup-distant
    # remove) or "" (unknown).
    source: Callable[[Document, int, int], str] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not set(self.rules) <= set(RULES):
            raise ValueError(f"unknown dedup rule(s): {sorted(set(self.rules) - set(RULES))}")
        if self.scope not in SCOPES:
            raise ValueError(f"dedup scope must be one of {SCOPES}")
        if self.quotes not in QUOTE_POLICIES:
            raise ValueError(f"dedup quote policy must be one of {QUOTE_POLICIES}")
        if self.distant not in DISTANT_POLICIES:
            raise ValueError(f"dedup distant policy must be one of {DISTANT_POLICIES}")
        for name in ("near", "fragment", "fragment_max_ratio"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ValueError(f"dedup {name} must be in (0, 1]")
        if not 0.0 < self.restatement <= 1.0:
            raise ValueError("dedup restatement must be in (0, 1]")
        if self.long_exact < 0:
            raise ValueError("dedup long_exact must be 0 (off) or more")
        if self.window < 1:
            raise ValueError("dedup window must be at least 1")


# -- command line ----------------------------------------------------------------
def _fraction(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 < x <= 1.0:
        raise argparse.ArgumentTypeError(f"must be in (0, 1]: {text}")
    return x


def _make_whole_number_parser(low: int, limit: str) -> Callable[[str], int]:
    """A parser of whole numbers of at least ``low``; ``limit`` says that bound in its error."""

    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if n < low:
            raise argparse.ArgumentTypeError(f"{limit}: {text}")
        return n

    return parse


_positive = _make_whole_number_parser(1, "must be at least 1")
_non_negative = _make_whole_number_parser(0, "must be 0 or more")


def _rules(text: str) -> frozenset[str]:
    rules = frozenset(r.strip() for r in text.split(",") if r.strip())
    bad = rules - set(RULES)
    if bad:
        raise argparse.ArgumentTypeError(f"unknown rule(s) {', '.join(sorted(bad))}; choose from {', '.join(RULES)}")
    return rules


def add_arguments(group: argparse._ArgumentGroup) -> None:
    """Command-line options of this stage (for ``clean`` and ``batch``)."""
    d = DedupOptions()
    group.add_argument(
        "--dedup-rules",
        type=_rules,
        default=d.rules,
        metavar="RULES",
        help="comma-separated dedup rules to run: exact, near, fragment, loop (default: all four)",
    )
    group.add_argument(
        "--dedup-near",
        type=_fraction,
        default=d.near,
        metavar="SIM",
        help=f"near-duplicate threshold: rapidfuzz similarity of lemma sequences (default {d.near})",
    )
    group.add_argument(
        "--dedup-fragment",
        type=_fraction,
        default=d.fragment,
        metavar="C",
        help=f"fragment threshold: share of a short sentence found in a neighbour (default {d.fragment})",
    )
    group.add_argument(
        "--dedup-window",
        type=_positive,
        default=d.window,
        metavar="N",
        help=f"compare each sentence with the N sentences before it (default {d.window})",
    )
    group.add_argument(
        "--dedup-scope",
        choices=SCOPES,
        default=d.scope,
        help="paragraph: only inside the window and the paragraph (default); "
        "document: exact and near repeats anywhere in the document",
    )
    group.add_argument(
        "--dedup-long-exact",
        type=_non_negative,
        default=d.long_exact,
        metavar="CHARS",
        help=f"in paragraph scope, also remove exact repeats anywhere in the document of sentences "
        f"whose key has at least CHARS characters and {d.long_exact_content} content words "
        f"(default {d.long_exact}; 0: off)",
    )
    group.add_argument(
        "--dedup-distant",
        choices=DISTANT_POLICIES,
        default=d.distant,
        help="exact and near repeats away from their original (another line with sentences between, "
        "another paragraph): flag (default: kept, they may be the author's: a listing, a step, a refrain) "
        "or remove (news, where the lede printed again at the end is a scraping repeat)",
    )
    group.add_argument(
        "--dedup-quotes",
        choices=QUOTE_POLICIES,
        default=d.quotes,
        help="sentences holding quotation marks: keep (default: never removed, flagged), "
        "exact (remove exact repeats only), all (treat like other sentences)",
    )


def options_from_args(args: argparse.Namespace) -> DedupOptions:
    d = DedupOptions()
    return DedupOptions(
        rules=frozenset(getattr(args, "dedup_rules", d.rules)),
        near=getattr(args, "dedup_near", d.near),
        fragment=getattr(args, "dedup_fragment", d.fragment),
        window=getattr(args, "dedup_window", d.window),
        scope=getattr(args, "dedup_scope", d.scope),
        quotes=getattr(args, "dedup_quotes", d.quotes),
        long_exact=getattr(args, "dedup_long_exact", d.long_exact),
        distant=getattr(args, "dedup_distant", d.distant),
    )

"""Block labels: body, byline, caption, heading, timeline; ``--drop`` removes some as edits.

Runs after segmentation (``doc.blocks`` and ``doc.sentences`` filled, original
offsets) and sets :attr:`~pipeline.document.Block.label`, which goes into the
annotation file.  Labels, in the order they are tried:

* ``byline`` – a credit line: ``By First Last, First Last``, ``文：…``,
  ``【ジュネーブ＝…】``, katakana names followed by 著.
* ``timeline`` – date lines (``2019年4月``, ``2020年3月~5月``, ``2011年10月:``)
  and, where two or more of them come close together, the lines between and
  right after them (the entries).
* ``caption`` – a short line with a photo marker (``(左)``, ``（中央）``,
  ``写真：``, ``Getty Images``).
* ``heading`` – a short line (≤ 30 characters) without final punctuation that
  does not end like a cut sentence (``…で``, ``…を``), followed by another block.
* ``caption`` – by layout: a line standing alone between blank lines without
  final punctuation; or, in an article whose paragraphs are single lines with
  almost no blank lines, a one-sentence line right after a blank line with
  the body going on under it (where a photo sat).  Layout-only captions are
  flagged so a reader can check them.
* ``body`` – everything else.

Nothing is removed unless ``BlockOptions.drop`` names labels (``--drop
byline,caption``): each such block is deleted with its line break (and the
blank line above it, so the body closes up) as an edit of stage ``blocks``,
rule ``drop-LABEL``.

Rule tables: ``pipeline/data/blocks_rules.yaml``.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.document import Block, Document, Edit, OverlapError
from pipeline.stages.markup import Doubt, add_flags_capped
from pipeline.tables import load_yaml

STAGE = "blocks"
LABELS = ("body", "byline", "caption", "heading", "timeline")
DROPPABLE = frozenset(LABELS) - {"body"}


@dataclass(frozen=True)
class BlockOptions:
    drop: frozenset[str] = frozenset()  # labels whose blocks are removed (as edits)


@dataclass(frozen=True)
class BlockRules:
    bylines: tuple[re.Pattern[str], ...]
    caption_markers: re.Pattern[str]
    final_marks: frozenset[str]
    non_heading_endings: frozenset[str]
    heading_max: int
    caption_max: int
    layout_caption_max: int
    credit_lines: re.Pattern[str]
    section_markers: frozenset[str]
    title_max: int
    isolated_caption_max: int


@lru_cache(maxsize=1)
def load_rules() -> BlockRules:
    """The tables of ``pipeline/data/blocks_rules.yaml``."""
    raw: dict[str, Any] = load_yaml("blocks_rules.yaml")
    return BlockRules(
        bylines=tuple(re.compile(p) for p in raw["byline_patterns"]),
        caption_markers=re.compile("|".join(f"(?:{p})" for p in raw["caption_markers"])),
        final_marks=frozenset(raw["final_marks"]),
        non_heading_endings=frozenset(raw["non_heading_endings"]),
        heading_max=int(raw["heading_max_chars"]),
        caption_max=int(raw["caption_max_chars"]),
        layout_caption_max=int(raw["layout_caption_max_chars"]),
        credit_lines=re.compile("|".join(f"(?:{p})" for p in raw["credit_line_patterns"])),
        section_markers=frozenset(raw["section_markers"]),
        title_max=int(raw["title_max_chars"]),
        isolated_caption_max=int(raw["isolated_caption_max_chars"]),
    )


_D = "[0-9０-９]"
_DATE = (
    rf"(?:(?:{_D}{{4}}年)(?:{_D}{{1,2}}月(?:{_D}{{1,2}}日)?)?|{_D}{{1,2}}月(?:{_D}{{1,2}}日)?)"
    rf"(?:(?:頃|ごろ|初め|初旬|上旬|中旬|下旬|末|後半|前半))?"
)
_MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_EN_DATE = rf"(?:{_MONTHS}\s+(?:[0-9]{{1,2}},?\s+)?[0-9]{{4}}|[0-9]{{4}})"
# a whole line that is a date or a date range: 2019年4月, 2020年3月~5月, 2011年, March 2019
DATE_LINE = re.compile(rf"(?:{_DATE}|{_EN_DATE})(?:\s*[~〜～\-–—]\s*(?:{_DATE}|{_EN_DATE}))?\s*[:：]?")
# a line that starts with a year-date and goes on with a short entry: "2019年4月：…", "2019年4月 新社長が…"
# (not "2019年4月、…": that is how ordinary sentences start)
_YEAR_DATE = rf"(?:{_D}{{4}}年(?:{_D}{{1,2}}月(?:{_D}{{1,2}}日)?)?|{_EN_DATE})"
DATE_LED = re.compile(
    rf"{_YEAR_DATE}(?:\s*[~〜～\-–—]\s*(?:{_DATE}|{_EN_DATE}))?(?:\s*[:：]|[ \t\u3000]+)(?=\S)"
    # "1月5日：…" (a month-day needs the colon: "1月5日 …" or "1月5日、…" start ordinary sentences)
    rf"|{_D}{{1,2}}月(?:{_D}{{1,2}}日)?\s*[:：](?=\S)"
)
# how far apart (in blocks) date lines may be and still belong to one timeline
TIMELINE_GAP = 4
# entries after the last date line of a timeline, at most
TIMELINE_TAIL = 3


def is_date_line(line: str) -> bool:
    """Is the (stripped) line a date or a date range?

    >>> [is_date_line(x) for x in ["2019年4月", "2020年3月~5月", "2011年10月:", "March 2019", "2019年に設立", "3,000億円"]]
    [True, True, True, True, False, False]
    """
    return DATE_LINE.fullmatch(line) is not None


def is_byline(line: str, rules: BlockRules | None = None) -> bool:
    """Is the (stripped) line a credit line?

    >>> [is_byline(x) for x in ["By Jane Roe, Ezra Doe and Ann Lee", "By the way, it rained.", "文：山田太郎"]]
    [True, False, True]
    """
    rules = rules or load_rules()
    if len(line) > 300 or "。" in line:
        return False
    return any(p.fullmatch(line) for p in rules.bylines)


def _ends_with_mark(line: str, rules: BlockRules) -> bool:
    return bool(line) and line[-1] in rules.final_marks


def is_heading(line: str, rules: BlockRules | None = None, limit: int = 0, commas: int = 1) -> bool:
    """Does the (stripped) line look like a heading: short, no final mark, not a cut sentence?

    >>> [is_heading(x) for x in ["海を渡った職人", "計画をある程度まで", "終わった。", "AIとは", "観光列車で再生へ"]]
    [True, False, False, True, True]
    """
    rules = rules or load_rules()
    if not line or len(line) > (limit or rules.heading_max) or _ends_with_mark(line, rules):
        return False
    if line[-1] in rules.non_heading_endings or line[-1] in "、,":
        return False
    return line.count("、") <= commas


def is_credit_line(line: str, rules: BlockRules | None = None) -> bool:
    """Is the (stripped) line nothing but a photo credit?

    >>> [is_credit_line(x) for x in ["写真=AP", "（写真：ロイター）", "Photo: Getty Images", "写真を撮った。"]]
    [True, True, True, False]
    """
    rules = rules or load_rules()
    return len(line) <= 80 and rules.credit_lines.fullmatch(line) is not None


# a bracketed group at the end of a line: "…館長（中央）", "…列車（写真：提供）"
_TRAILING_BRACKET = re.compile(r"[(（][^()（）]{1,40}[)）]$")


def _caption_ends_open(line: str, rules: BlockRules) -> bool:
    """No final mark, once a trailing photo marker in brackets (``（写真：…）``, ``(左)``) is set aside."""
    m = _TRAILING_BRACKET.search(line)
    if m and rules.caption_markers.search(m.group()):
        line = line[: m.start()].rstrip()
    return not _ends_with_mark(line, rules)


def compute_labels(doc: Document, rules: BlockRules | None = None) -> tuple[list[str], set[int]]:
    """A label per block, and the blocks labelled caption by layout alone."""
    rules = rules or load_rules()
    blocks = doc.blocks
    n = len(blocks)
    lines = [doc.cleaned_slice(b.start, b.end).strip() for b in blocks]
    nsent = [0] * n
    for s in doc.sentences:
        if 0 <= s.block < n and not doc.is_deleted(s.start, s.end):
            nsent[s.block] += 1
    first = [i == 0 or blocks[i].paragraph != blocks[i - 1].paragraph for i in range(n)]
    last = [i == n - 1 or blocks[i].paragraph != blocks[i + 1].paragraph for i in range(n)]
    labels: list[str | None] = [None] * n
    layout_only: set[int] = set()

    for i, line in enumerate(lines):
        if is_byline(line, rules):
            labels[i] = "byline"

    # a credit alone on its line, and the short caption text right above it
    for i, line in enumerate(lines):
        if labels[i] is None and is_credit_line(line, rules):
            labels[i] = "caption"
            j = i - 1
            if (
                j >= 0
                and labels[j] is None
                and len(lines[j]) <= rules.isolated_caption_max
                and nsent[j] <= 2
                and not _ends_with_mark(lines[j], rules)
                and lines[j][:1] not in rules.section_markers
                and not is_date_line(lines[j])
            ):
                labels[j] = "caption"

    _label_timelines(lines, labels, blocks, rules)

    # a photo marker: (左), （中央）, 写真：…, Getty Images
    slot_evidence = False
    final_marks = rules.final_marks
    for i, line in enumerate(lines):
        if labels[i] is not None or len(line) > rules.caption_max or nsent[i] > 2:
            continue
        if not first[i] and line and line[-1] in final_marks and line[-1] not in ")）":
            continue  # ends with its mark, no bracket to set aside: not open, so no caption (most lines)
        if rules.caption_markers.search(line) is not None and (first[i] or _caption_ends_open(line, rules)):
            labels[i] = "caption"
            if i > 0 and first[i] and not last[i]:
                slot_evidence = True  # this layout puts captions after a blank line, body under them

    for i, line in enumerate(lines):
        if labels[i] is None and i + 1 < n and not is_date_line(line):
            title = i == 0 and is_heading(line, rules, limit=rules.title_max, commas=3)
            if title or is_heading(line, rules):
                labels[i] = "heading"

    paragraphs = len({b.paragraph for b in blocks})
    single_line_layout = n >= 8 and paragraphs <= max(2, n // 4)
    for i, line in enumerate(lines):
        if labels[i] is not None or i == 0 or not first[i]:
            continue
        alone = last[i]
        # alone between blank lines, short, no final mark, not a cut sentence, longer than a heading
        isolated = (
            alone
            and rules.heading_max < len(line) <= rules.isolated_caption_max
            and nsent[i] <= 2
            and not _ends_with_mark(line, rules)
            and line[-1] not in rules.non_heading_endings
            and line[-1] not in "、,…‥"
        )
        # one sentence after a blank line, the body going on right under it (where a photo sat):
        # only where the same text shows a marked caption (左)/(中央)… in that very place
        slot = (
            slot_evidence
            and single_line_layout
            and not alone
            and nsent[i] == 1
            and len(line) <= rules.layout_caption_max
            and _ends_with_mark(line, rules)
        )
        if isolated or slot:
            labels[i] = "caption"
            layout_only.add(i)

    return [label or "body" for label in labels], layout_only


def _label_timelines(lines: list[str], labels: list[str | None], blocks: list[Block], rules: BlockRules) -> None:
    """Date lines, and the entries of runs of two or more dates close together.

    A run goes on while the next date comes within ``TIMELINE_GAP`` lines of a
    bare date line (its entries stand under it), or within 2 lines of a dated
    entry (``2019年4月：…`` holds its own entry), and no section heading
    (``■…``) stands between.  Entries under the last date are taken only when
    that date is a bare date line.
    """
    dates = [i for i, line in enumerate(lines) if labels[i] is None and (is_date_line(line) or _is_dated_entry(line))]
    runs: list[list[int]] = []
    for i in dates:
        if runs:
            prev = runs[-1][-1]
            limit = TIMELINE_GAP if is_date_line(lines[prev]) else 2
            between = lines[prev + 1 : i]
            if i - prev <= limit and not any(_is_section_heading(x, rules) for x in between):
                runs[-1].append(i)
                continue
        runs.append([i])
    for run in runs:
        pure = sum(1 for i in run if is_date_line(lines[i]))
        # two dated entries are a timeline only as a list: next to each other, no 。 in them
        pair = len(run) == 2 and run[1] == run[0] + 1 and not any("。" in lines[i] for i in run)
        if len(run) < 2 or (pure == 0 and len(run) < 3 and not pair):
            if is_date_line(lines[run[0]]):
                labels[run[0]] = "timeline"
            continue
        end = run[-1]
        # the entries under the last date: same paragraph, a few lines at most
        j = end + 1
        while (
            is_date_line(lines[run[-1]])
            and j < len(lines)
            and j - end <= TIMELINE_TAIL
            and blocks[j].paragraph == blocks[end].paragraph
            and labels[j] is None
            and not _is_section_heading(lines[j], rules)
        ):
            end = j
            j += 1
        for k in range(run[0], end + 1):
            if labels[k] is None:
                labels[k] = "timeline"


def _is_section_heading(line: str, rules: BlockRules) -> bool:
    return bool(line) and line[0] in rules.section_markers and is_heading(line, rules)


def _is_dated_entry(line: str) -> bool:
    return len(line) <= 100 and DATE_LED.match(line) is not None and line.count("。") <= 2


def label_blocks(doc: Document, options: BlockOptions) -> None:
    """Label each block; drop the blocks whose label is in ``options.drop`` (as edits)."""
    rules = load_rules()
    labels, layout_only = compute_labels(doc, rules)
    for b, label in zip(doc.blocks, labels, strict=True):
        b.label = label
        doc.count(STAGE, label)
    reason = "labelled caption from its place alone (after a blank line): check it"
    add_flags_capped(
        doc,
        STAGE,
        [Doubt(doc.blocks[i].start, doc.blocks[i].end, "caption-by-layout", reason) for i in sorted(layout_only)],
    )
    if options.drop:
        drop_blocks(doc, options.drop)


def drop_blocks(doc: Document, drop: frozenset[str]) -> None:
    """Delete the blocks with the given labels, each with its line break, as recorded edits.

    A dropped block that starts a paragraph takes the blank line above it
    along, so the text around it closes up.  A block that cannot be removed
    without cutting into another edit is kept and flagged.
    """
    text = doc.text
    edits: list[Edit] = []
    last_end = 0
    for b in doc.blocks:
        if b.label not in drop:
            continue
        cs, ce = doc.span_to_cleaned(b.start, b.end)
        ls = text.rfind("\n", 0, cs) + 1  # the whole cleaned line
        le = ce
        while le < len(text) and text[le] in " \t\r":
            le += 1
        if le < len(text) and text[le] == "\n":
            le += 1
            # a blank line above: take it too (the paragraph break the block stood behind)
            if ls >= 2 and text[ls - 1] == "\n" and text[ls - 2] == "\n":
                ls -= 1
            elif ls >= 3 and text[ls - 3 : ls] == "\n\r\n":
                ls -= 2
        elif ls > 0:
            ls -= 1  # the last line: take the line break before it
            if ls > 0 and text[ls - 1] == "\r":
                ls -= 1
        ls = max(ls, last_end)
        if ls >= le:
            continue
        os_ = doc.to_original(ls, "right")
        oe = doc.to_original(le, "left")
        if not _contains_whole_edits(doc, os_, oe, ls, le):
            doc.flag(
                b.start,
                b.end,
                STAGE,
                f"drop-{b.label}",
                f"{b.label} block not dropped: it shares text with another edit",
            )
            continue
        edits.append(
            Edit(
                os_,
                oe,
                doc.original[os_:oe],
                "",
                STAGE,
                f"drop-{b.label}",
                f"{b.label} block dropped (--drop {b.label})",
            )
        )
        last_end = le
    if not edits:
        return
    try:
        doc.add_edits(edits)
    except OverlapError as exc:  # pragma: no cover - guarded by _contains_whole_edits
        doc.flag(0, len(doc.original), STAGE, "drop", f"blocks not dropped: {exc}")
        return
    for e in edits:
        doc.count(STAGE, e.rule)


def _contains_whole_edits(doc: Document, os_: int, oe: int, ls: int, le: int) -> bool:
    """Does original [os_, oe) hold exactly the cleaned [ls, le), cutting no edit?"""
    if os_ > oe:
        return False
    if doc.span_to_cleaned(os_, oe) != (ls, le) and doc.cleaned_slice(os_, oe) != doc.text[ls:le]:
        return False
    for e in doc.edits:
        if e.end <= os_ or e.start >= oe:
            continue
        if not (os_ <= e.start and e.end <= oe):
            return False
    return True


def parse_labels(value: str) -> frozenset[str]:
    """``"byline,caption"`` -> the set; unknown labels are an argparse error.

    >>> sorted(parse_labels("byline, caption"))
    ['byline', 'caption']
    """
    labels = frozenset(x.strip() for x in value.split(",") if x.strip())
    bad = sorted(labels - DROPPABLE)
    if bad:
        raise argparse.ArgumentTypeError(
            f"unknown or undroppable label(s) {', '.join(bad)}: choose from {', '.join(sorted(DROPPABLE))}"
        )
    return labels


def add_arguments(group: argparse._ArgumentGroup) -> None:
    """Command-line options of this stage (for ``clean`` and ``batch``)."""
    group.add_argument(
        "--drop",
        type=parse_labels,
        default=frozenset(),
        metavar="LABELS",
        help="comma-separated block labels to remove as edits: byline, caption, heading, timeline (default: none)",
    )


def options_from_args(args: argparse.Namespace) -> BlockOptions:
    return BlockOptions(drop=frozenset(getattr(args, "drop", frozenset()) or frozenset()))

"""The English source as evidence: align it to the Japanese sentences and flag what the translation dropped or invented.

Runs only when the document carries its English source (``doc.meta["english"]``,
set by ``clean(text, english=...)`` or ``clean --source``); without one it
does nothing, so a monolingual run is unchanged.

What it records (no edits: these are doubts for a person, counted in ``stats``):

* ``annotations["alignment"]``: the English sentences (``start``/``end`` in the
  English text, and the text) and the beads ``{"en": [i...], "ja": [j...],
  "score"}``, ``j`` an index into ``doc.sentences``;
* flags, one per finding, each naming its evidence:

  - ``omission``: an English sentence with no Japanese counterpart (a 1-0 bead);
    the flag sits, zero-width, where the translation would be;
  - ``addition``: a Japanese sentence with no English counterpart (0-1) that
    does not copy a neighbour (a copy is a repeat, the dedup stage's business);
  - ``untranslated``: English words copied into the Japanese sentence, wholly
    or as a prefix before its translation;
  - ``number-mismatch``: a number written with digits in the English sentence
    that its aligned Japanese does not carry in any script (1,500 / 1500 /
    千五百 / 1.5 thousand are one number; 9 pm may be 21時);
  - ``name-mismatch``: a name of the English sentence that the translation
    writes elsewhere but not in its aligned Japanese
    (:mod:`pipeline.stages.name_check`).

Other stages ask :func:`english_of` which English sentences a Japanese
sentence translates.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pipeline.document import Document, Flag

if TYPE_CHECKING:
    from pipeline.align.aligner import Bead

# The aligner is imported where it is used, not here: every run imports this stage, and
# loading the aligner costs about a third of the start-up of a run without a source.

STAGE = "bilingual"
NEWLINE = re.compile("\n")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
UNTRANSLATED_RUN = 4  # this many English words in a row, copied from the aligned English, are untranslated text
UNTRANSLATED_LOWER = 2  # ... of which this many lower-case content words (names and titles are Title Case)
# words a Title Case name or title writes in lower case ("State of the Union", "Omar bin Khalid")
TITLE_SMALL_WORDS = frozenset(
    "a an the and or but nor of in on at to for by from with as is are be it its vs via de la le bin bint van von".split()  # noqa: SIM905
)
LONE_FIT = 0.35  # |log length ratio| within which one sentence of a merged bead matches the other side alone...
LONE_MISFIT = 0.6  # ... while the whole bead is this far off: the rest of it has no counterpart
# the range of the document ratio the length tests use: the 1st and 99th percentiles of estimate_ratio over the
# tune half's 810 dev texts (0.415, 0.760; the check half's are 0.414, 0.752)
LENGTH_RATIO = (0.415, 0.76)
COPY_SIMILARITY = 0.8  # a 0-1 sentence this like a neighbour (rapidfuzz ratio, 0..1) is a copy, not an addition


@dataclass(frozen=True)
class BilingualOptions:
    """Options of the bilingual stage."""

    flags: bool = True  # flag omissions, additions, untranslated text, number and name mismatches
    min_score: float = 0.5  # a bead less probable than this gives no number or untranslated flag


def align_source(doc: Document, options: BilingualOptions | None = None) -> None:
    """Align the English source to the document's sentences; store the beads; flag what does not match."""
    options = options or BilingualOptions()
    english = doc.meta.get("english")
    if not isinstance(english, str):
        return
    doubt = source_doubt(english)
    if doubt:  # the source given is empty or not English: say so once, where a reviewer sees flags
        doc.flags.append(Flag(0, 0, STAGE, "source-check", doubt))
        doc.count(STAGE, "source-check")
    if not english.strip():
        return
    from pipeline.align.english import split_english_text
    from pipeline.align.layout import align_document

    en_spans = split_english_text(english)
    en_texts = [english[a:b] for a, b in en_spans]
    texts = [doc.cleaned_slice(s.start, s.end) for s in doc.sentences]
    ja_index, copies = split_copies(doc, texts)
    ja_texts = [texts[i] for i in ja_index]
    # the line of each sentence on both sides: MT that keeps the paragraphs keeps a bead within one line
    breaks = [m.start() for m in NEWLINE.finditer(english)]
    lines = ([bisect.bisect_left(breaks, a) for a, _ in en_spans], [doc.sentences[i].block for i in ja_index])
    beads: list[Bead] = []
    if en_texts and ja_texts:
        # a translation that keeps the source's lines aligns line pair by line pair (pipeline/align/layout.py);
        # when the evidence says the layout does not hold, the whole document is aligned
        units = quotation_units(ja_texts, lines)
        if units is None:  # (a quotation the line pairs did not cut: see rejoin_quotations)
            beads = rejoin_quotations(align_document(en_texts, ja_texts, lines), en_texts, ja_texts, lines[0])
        else:  # a quotation of several sentences is aligned sentence by sentence, its beads joined back
            unit_lines = [lines[1][p] for p, _ in units]
            unit_beads = align_document(en_texts, [t for _, t in units], (lines[0], unit_lines))
            beads = sentence_beads(unit_beads, [p for p, _ in units])
    doc.annotations["alignment"] = {
        "english": [{"start": a, "end": b, "text": t} for (a, b), t in zip(en_spans, en_texts, strict=True)],
        "beads": [bead_record(b, ja_index, copies) for b in beads],
        "copies": [[c, o] for c, o in sorted(copies.items())],
    }
    doc.count(STAGE, "english_sentences", len(en_texts))
    doc.count(STAGE, "beads", len(beads))
    if options.flags:
        from pipeline.stages.name_check import name_flags

        found = find_flags(doc, beads, en_texts, ja_index, ja_texts, options) + name_flags(
            doc, options.min_score, STAGE
        )
        for flag in found:
            doc.flags.append(flag)
            doc.count(STAGE, flag.rule)


def source_doubt(english: str) -> str:
    """Why the English source given looks like no English source ("" when it looks like one): empty, or mostly
    Japanese letters (the Japanese file given twice, the sides swapped) — the same test ``align`` warns on.

    >>> source_doubt("  \\n"), source_doubt("The library reopens on Monday after two years.")
    ('the English source is empty: nothing aligned, no translation-quality flag', '')
    >>> source_doubt("図書館は二年ぶりに月曜日に再開する。市の職員が発表した。")
    'the English source: 100% of its letters are Japanese (kana or kanji): is it the English side?'
    """
    from pipeline.align.checks import JAPANESE_LETTER, MAX_JAPANESE_SHARE_EN, MIN_LETTERS, japanese_share

    if not english.strip():
        return "the English source is empty: nothing aligned, no translation-quality flag"
    if not JAPANESE_LETTER.search(english):  # (the usual case, in C: no letter to count)
        return ""
    share, letters = japanese_share([english])
    if letters >= MIN_LETTERS and share > MAX_JAPANESE_SHARE_EN:
        return f"the English source: {share:.0%} of its letters are Japanese (kana or kanji): is it the English side?"
    return ""


def split_copies(doc: Document, texts: Sequence[str] | None = None) -> tuple[list[int], dict[int, int]]:
    """The sentences to align, and the exact copies of the sentence right before them (copy -> original).

    A copy is left out of the alignment, so that it cannot pull the next
    English sentence onto itself; it joins its original's bead afterwards.
    ``texts``: the cleaned text of every sentence, when the caller has them.
    """
    kept: list[int] = []
    copies: dict[int, int] = {}
    last = ""
    for i, s in enumerate(doc.sentences):
        text = (doc.cleaned_slice(s.start, s.end) if texts is None else texts[i]).strip()
        if not text:
            continue
        if kept and text == last:
            copies[i] = kept[-1]  # the sentence it copies (never a copy itself)
            continue
        kept.append(i)
        last = text
    return kept, copies


def bead_record(bead: Bead, ja_index: Sequence[int], copies: dict[int, int]) -> dict[str, Any]:
    ja = [ja_index[j] for j in bead.ja]  # increasing, as bead.ja and ja_index are
    if copies:
        ja += [c for c, o in copies.items() if o in ja]
        ja.sort()
    return {"en": list(bead.en), "ja": ja, "score": round(bead.score, 4)}


def find_flags(
    doc: Document,
    beads: Sequence[Bead],
    en_texts: Sequence[str],
    ja_index: Sequence[int],
    ja_texts: Sequence[str],
    options: BilingualOptions,
) -> list[Flag]:
    from pipeline.align.aligner import estimate_ratio, text_length

    flags: list[Flag] = []
    # Japanese characters per English character, as the length tests expect them: the document's own, within the
    # range real translations have (a short document with a clause dropped is no guide to its other lines)
    ratio = min(max(estimate_ratio(en_texts, ja_texts), LENGTH_RATIO[0]), LENGTH_RATIO[1])
    pairs: LinePairs | None = None  # (made at the first 0-1 or 1-0 bead: most documents have none)
    for k, bead in enumerate(beads):
        if len(bead.en) > 1 and len(bead.ja) == 1:
            ja_text = ja_texts[bead.ja[0]]
            lengths, other = [text_length(en_texts[i]) * ratio for i in bead.en], text_length(ja_text)
            extra = lone_members(lengths, other)
            if extra and sum(abs(math.log(other / x)) <= LONE_FIT for x in lengths) > 1:
                # several fit alone: the words the Japanese renders say which one it translates (read only here)
                extra = lone_members(lengths, other, [shared_words(en_texts[i], ja_text) for i in bead.en])
            for i in (bead.en[n] for n in extra):
                s = doc.sentences[ja_index[bead.ja[0]]]
                flags.append(
                    Flag(
                        s.end,
                        s.end,
                        STAGE,
                        "omission",
                        f"English sentence {i} has no translation: {quote(en_texts[i])}"
                        " (by length: the Japanese matches the other English sentence of its bead alone)",
                    )
                )
        elif len(bead.ja) > 1 and len(bead.en) == 1:
            extra = lone_members([text_length(ja_texts[j]) for j in bead.ja], text_length(en_texts[bead.en[0]]) * ratio)
            for j in (bead.ja[n] for n in extra):
                if not copies_neighbour(ja_texts, j):
                    s = doc.sentences[ja_index[j]]
                    flags.append(
                        Flag(
                            s.start,
                            s.end,
                            STAGE,
                            "addition",
                            "no English sentence translates this one"
                            " (by length: the English of its bead matches the other Japanese sentence alone)",
                        )
                    )
        if bead.en and not bead.ja:
            at = omission_point(doc, beads, k, ja_index)
            pairs = pairs or LinePairs(doc, beads, en_texts, ja_index, ja_texts, ratio)
            left = pairs.remnant_of(k)
            also = f" (the Japanese at its place, {quote(left)}, is what is left of it)" if left else ""
            for i in bead.en:
                flags.append(
                    Flag(
                        at,
                        at,
                        STAGE,
                        "omission",
                        f"English sentence {i} has no translation: {quote(en_texts[i])}{also}",
                    )
                )
        elif bead.ja and not bead.en:
            pairs = pairs or LinePairs(doc, beads, en_texts, ja_index, ja_texts, ratio)
            if pairs.remnant_of(k) or pairs.run_on_piece(k):
                continue  # a remnant of a dropped sentence's translation, or a piece of its line's translation
            for j in bead.ja:
                if not copies_neighbour(ja_texts, j):
                    s = doc.sentences[ja_index[j]]
                    flags.append(Flag(s.start, s.end, STAGE, "addition", "no English sentence translates this one"))
        elif bead.score >= options.min_score:
            en = " ".join(en_texts[i] for i in bead.en)
            first, last = doc.sentences[ja_index[bead.ja[0]]], doc.sentences[ja_index[bead.ja[-1]]]
            ja = "".join(ja_texts[j] for j in bead.ja)
            where = f"English sentence{'s' if len(bead.en) > 1 else ''} {', '.join(map(str, bead.en))}"
            missing = missing_numbers(en, ja)
            for number, times in Counter(missing).items() if missing else ():  # a number missing twice: one flag
                also = f" (written {times} times)" if times > 1 else ""
                flags.append(
                    Flag(
                        first.start,
                        last.end,
                        STAGE,
                        "number-mismatch",
                        f"{number!r} of {where} is not in the Japanese{also}",
                    )
                )
            copied = untranslated_run(en, ja)
            if copied:
                flags.append(
                    Flag(first.start, last.end, STAGE, "untranslated", f"English copied from {where}: {quote(copied)}")
                )
    return flags


def lone_members(lengths: Sequence[float], other: float, shared: Sequence[int] = ()) -> list[int]:
    """Members of a merged bead that the other side does not cover: one member alone fits ``other`` by length
    (``lengths`` are in comparable units) while all of them together are far too long.

    ``shared``: how many dictionary words each member shares with the other side (:func:`shared_words`).  Of the
    members that fit alone, the one sharing the most is the one translated, length deciding a tie: two sentences
    of about the same length both fit, and length alone named the wrong one.

    >>> lone_members([40, 38], 41)  # one sentence fits; both are twice too long
    [1]
    >>> lone_members([40, 38], 80)  # both together fit: a true merge
    []
    >>> lone_members([40, 38], 41, [0, 2])  # both fit; the second shares words with the other side
    [0]
    """
    if other <= 0 or any(x <= 0 for x in lengths):
        return []
    whole = abs(math.log(other / sum(lengths)))
    fits = [abs(math.log(other / x)) for x in lengths]
    words = list(shared) or [0] * len(lengths)
    best = min(range(len(lengths)), key=lambda n: (fits[n] > LONE_FIT, -words[n], fits[n]))
    if fits[best] <= LONE_FIT and whole >= LONE_MISFIT:
        return [n for n in range(len(lengths)) if n != best]
    return []


def shared_words(english: str, japanese: str) -> int:
    """How many English words (dictionary stems, :mod:`pipeline.align.dictionary`) the Japanese renders.

    >>> shared_words("The parcel arrived yesterday.", "昨日荷物が届いた。") >= 2
    True
    """
    from pipeline.align.dictionary import english_stems, japanese_stems

    return len(english_stems(english) & japanese_stems(japanese))


class LinePairs:
    """Which line pair a bead belongs to, as the alignment pairs the lines: the 0-1 beads that are not an
    addition (:meth:`run_on_piece`, :meth:`remnant_of`).  Built for every document, read only at a 0-1 bead."""

    def __init__(
        self,
        doc: Document,
        beads: Sequence[Bead],
        en_texts: Sequence[str],
        ja_index: Sequence[int],
        ja_texts: Sequence[str],
        ratio: float,
    ) -> None:
        self.doc, self.beads, self.en_texts, self.ja_texts, self.ratio = doc, beads, en_texts, ja_texts, ratio
        self.ja_index = ja_index
        self._lines: tuple[list[int], list[int]] | None = None

    def lines(self) -> tuple[list[int], list[int]]:
        """The line of each English sentence (from the alignment's English spans) and of each Japanese one."""
        if self._lines is None:
            english = self.doc.meta.get("english") or ""
            spans = (self.doc.annotations.get("alignment") or {}).get("english") or []
            breaks = [m.start() for m in NEWLINE.finditer(english)]
            en = [bisect.bisect_left(breaks, x["start"]) for x in spans]
            if len(en) != len(self.en_texts):  # (not the alignment of these texts: each sentence its own line)
                en = list(range(len(self.en_texts)))
            self._lines = (en, [self.doc.sentences[i].block for i in self.ja_index])
        return self._lines

    def run_on_piece(self, k: int) -> bool:
        """Whether the 0-1 bead ``k`` is a piece of its line pair's translation: a sentence of MT that cut one
        English sentence (or a line of them) in two — or left a word of it, a list's last item, a clause after a
        brand's ``!``, as a sentence of its own — where the aligner took the other piece for the translation.

        The line pair is the alignment's: the beads around ``k`` whose Japanese is on ``k``'s line hold all of
        that line and, as their English, all of one English line, and the beads beside them are matched (an
        unmatched sentence there puts the pairing itself in doubt: a line inserted, paired with the English
        line whose translation is then left over).  The piece is an addition after all when
        it shares dictionary words with the English of the beads beside the line pair and none with its own
        (a sentence of the line before said again, or of the line after said early), or by length, as
        :func:`lone_members` has it for a 1-n bead: the line's Japanese without the piece fits its English, with
        the piece it is far too long."""
        from pipeline.align.aligner import text_length

        beads = self.beads
        en_line, ja_line = self.lines()
        line = ja_line[beads[k].ja[0]]
        lo, hi = k, k + 1
        while lo > 0 and beads[lo - 1].ja and all(ja_line[j] == line for j in beads[lo - 1].ja):
            lo -= 1
        while hi < len(beads) and beads[hi].ja and all(ja_line[j] == line for j in beads[hi].ja):
            hi += 1
        group = beads[lo:hi]
        en = [i for b in group for i in b.en]
        if not en or any(ja_line[j] != line for j in beads[k].ja):
            return False
        own = en_line[en[0]]
        if any(en_line[i] != own for i in en) or en_line.count(own) != len(en):
            return False  # the English is not one whole line
        if ja_line.count(line) != sum(len(b.ja) for b in group):
            return False  # a sentence of the Japanese line is elsewhere
        if any(
            not (b.en and b.ja) for b in (beads[lo - 1] if lo else None, beads[hi] if hi < len(beads) else None) if b
        ):
            return False  # a sentence left unmatched beside it: the line pair itself is in doubt
        pieces = [j for b in group if not b.en for j in b.ja]
        near = [
            x
            for x in (self.english_beside(self.beads[lo - 1 :: -1] if lo else ()), self.english_beside(self.beads[hi:]))
            if x
        ]
        for j in pieces:
            if any(shared_words(x, self.ja_texts[j]) for x in near) and not any(
                shared_words(self.en_texts[i], self.ja_texts[j]) for i in en
            ):
                return False  # it says something of a neighbouring line
        expected = sum(text_length(self.en_texts[i]) for i in en) * self.ratio
        whole = sum(text_length(self.ja_texts[j]) for b in group for j in b.ja)
        rest = whole - sum(text_length(self.ja_texts[j]) for j in pieces)
        if expected <= 0 or rest <= 0:
            return False
        return not (abs(math.log(expected / rest)) <= LONE_FIT and abs(math.log(expected / whole)) >= LONE_MISFIT)

    def english_beside(self, beads: Sequence[Bead]) -> str:
        """The English of the first of ``beads`` that has some (the nearest before or after, in reading order)."""
        b = next((b for b in beads if b.en), None)
        return " ".join(self.en_texts[i] for i in b.en) if b else ""

    def remnant_of(self, k: int) -> str:
        """The Japanese of a 0-1 bead that is what is left of the translation of a 1-0 bead beside it: bead ``k``
        and its neighbour are one 0-1 and one 1-0, each the whole of its line, and the Japanese is far shorter
        than the English says (a line cut to a few characters, a garbled rest): one fault, reported by the
        omission flag.  Empty when bead ``k`` is no such pair's."""
        from pipeline.align.aligner import text_length

        beads = self.beads
        b = beads[k]
        for n in (k - 1, k + 1):
            if not 0 <= n < len(beads):
                continue
            o = beads[n]
            ja, en = (b.ja, o.en) if b.ja else (o.ja, b.en)
            if not ja or not en or (b.ja and b.en) or (o.ja and o.en) or (b.ja and o.ja) or (b.en and o.en):
                continue
            en_line, ja_line = self.lines()  # (read only for a 0-1 beside a 1-0)
            if len({ja_line[j] for j in ja}) != 1 or ja_line.count(ja_line[ja[0]]) != len(ja):
                continue
            if len({en_line[i] for i in en}) != 1 or en_line.count(en_line[en[0]]) != len(en):
                continue
            expected = sum(text_length(self.en_texts[i]) for i in en) * self.ratio
            left = sum(text_length(self.ja_texts[j]) for j in ja)
            if left > 0 and math.log(expected / left) >= LONE_MISFIT:
                return "".join(self.ja_texts[j] for j in ja)
        return ""


def omission_point(doc: Document, beads: Sequence[Bead], k: int, ja_index: Sequence[int]) -> int:
    """Where a missing translation would stand: after the Japanese of the nearest bead before, else the start."""
    for prev in reversed(beads[:k]):
        if prev.ja:
            return doc.sentences[ja_index[prev.ja[-1]]].end
    return doc.sentences[ja_index[0]].start if ja_index else 0


def copies_neighbour(ja_texts: Sequence[str], j: int) -> bool:
    """A 0-1 sentence that is (nearly) a neighbour sentence again is a repeat, not an addition.

    >>> copies_neighbour(["同社は発表した。", "同社は発表した。"], 1)
    True
    >>> copies_neighbour(["同社は発表した。", "関係のない広告です。"], 1)
    False
    """
    from rapidfuzz.fuzz import ratio

    for n in (j - 1, j + 1):
        if 0 <= n < len(ja_texts) and ratio(ja_texts[j], ja_texts[n]) >= 100 * COPY_SIMILARITY:
            return True
    return False


EN_NUMBER = re.compile(
    # a number written with digits, perhaps after a currency sign; a comma inside it only (11, 2001: the comma
    # after 11 is the sentence's, not the number's)
    r"(?<![\w/.])(?<![A-Za-z]-)(?:[£$€¥]\s?)?\d[\d,]*(?<!,)(?:\.\d+)?"
    r"(?:\s*(?:million|billion|trillion|thousand|bn)\b|(?<=\d)(?:m|bn|k)\b)?"  # and its scale (75m after £/$ only)
    r"(?=[ap]\.?m\b|[^\w/]|$)"  # whole: not a part of a word or of 24/7 (but 9pm is a number)
)
_DIGIT = re.compile(r"\d")
_SPACED_SCALE = re.compile(r"(?<=\d)\s+(?=[万億兆])")
_TENTHS = re.compile(r"(\d+)割")
_JA_DIGITS = re.compile(r"(?<![\d.])\d[\d,]*(?:\.\d+)?")
EN_TIME = re.compile(r"^(\d{1,2})[.:](\d{2})\s*([ap]\.?m\.?)?$", re.I)
EN_CLOCK = re.compile(r"(?<![\w.:,])\d{1,2}:\d{2}(?![\d:])")  # 11:30 (p.m.): one clock time, not 11 and 30
# the second look's loose readings of the Japanese: a thousands separator (, or 、) between digits, and spaces
# between a large unit and the digits after it (1億6,940万, 1、200, 118 億 5000 万)
_THOUSANDS = re.compile(r"(?<=\d)[,、](?=\d{3}(?!\d))")
_SCALE_THEN_SPACE = re.compile(r"(?<=[万億兆])\s+(?=\d)")


JA_TIME = re.compile(r"(\d{1,2})\s*(?:時|[:：])\s*(半|\d{1,2})?")
WIDE_DIGITS = str.maketrans("０１２３４５６７８９：", "0123456789:")


def japanese_times(japanese: str) -> set[tuple[int, int]]:
    """(hour, minutes) of each clock time written in the Japanese: 5時30分, 17:30, 5時半.

    >>> sorted(japanese_times("午後5時半から17:45まで、9時に"))
    [(5, 30), (9, 0), (17, 45)]
    """
    out = set()
    for m in JA_TIME.finditer(japanese.translate(WIDE_DIGITS)):
        minutes = m.group(2)
        out.add((int(m.group(1)), 30 if minutes == "半" else int(minutes or 0)))
    return out


def missing_numbers(english: str, japanese: str) -> list[str]:
    """Numbers written with digits in the English that the Japanese does not carry, in any script.

    >>> missing_numbers("Sales rose 1,500 units in 2021.", "2021年に販売台数は千五百台増えた。")
    []
    >>> missing_numbers("It costs $3 trillion.", "3兆ドルかかる。")
    []
    >>> missing_numbers("The warning starts at 9pm.", "警報は21時に始まる。")
    []
    >>> missing_numbers("About 25,000 people came.", "約2万5000人が来た。")
    []
    >>> missing_numbers("About 25,000 people came.", "約2万人が来た。")
    ['25,000']
    """
    if not _DIGIT.search(english):
        return []  # every number checked is written with digits
    wanted = numbers_to_check(english)
    if not wanted:
        return []  # digits only inside words or labels (Covid-19, No 10): the Japanese need not be read
    from pipeline.align.anchors import cached_japanese_numbers as japanese_numbers

    japanese = _SPACED_SCALE.sub("", japanese.translate(WIDE_DIGITS))  # 33 億 -> 33億
    ja_values = number_values(japanese_numbers(japanese))
    # the usual case: every number is there as the number reader reads it (a found number stays found when more
    # Japanese values are added, so the other readings are needed only for what is still missing)
    times: set[tuple[int, int]] = set()
    missing = [
        (written, after) for written, after in wanted if not english_number_found(written, after, ja_values, times)
    ]
    if not missing:
        return []
    ja_values |= number_values(japanese_numbers(kanji_compounds(japanese)))
    ja_values |= {float(m.group(1)) * 10 for m in _TENTHS.finditer(japanese)}  # 8割 = 80%
    ja_values |= {float(d.replace(",", "")) for d in _JA_DIGITS.findall(japanese)}  # No.10
    ja_values |= compound_amounts(japanese)  # 2万5000, 1億2000万
    loose = _THOUSANDS.sub("", _SCALE_THEN_SPACE.sub("", japanese))
    if loose != japanese:
        ja_values |= compound_amounts(loose) | {float(d) for d in _JA_DIGITS.findall(loose) if "," not in d}
    ja_values |= scaled_amounts(loose)  # 30百万, 2万8千
    times = japanese_times(japanese)
    return [
        written
        for written, after in missing
        if not english_number_found(written, after, ja_values, times) and not copied_as_written(written, japanese)
    ]


def scaled_amounts(japanese: str) -> set[float]:
    """Amounts written with digits before a kanji scale the number reader does not take as one.

    >>> sorted(scaled_amounts("30百万ドルと3.5千万円、2万8千人、65.9百万、118億5千万、十億"))
    [28000.0, 30000000.0, 35000000.0, 65900000.0, 11850000000.0]
    """
    out = {round(float(m.group(1)) * _KANJI_SCALES[m.group(2)], 3) for m in _DIGITS_THEN_SCALE.finditer(japanese)}
    out |= {int(m.group(1)) * 1e4 + int(m.group(2)) * 1e3 for m in _MAN_THEN_SEN.finditer(japanese)}
    out |= {int(m.group(1)) * 1e8 + int(m.group(2)) * 1e7 for m in _OKU_THEN_SENMAN.finditer(japanese)}
    return out


_KANJI_SCALES = {"百万": 1e6, "千万": 1e7, "十億": 1e9, "百億": 1e10}
_DIGITS_THEN_SCALE = re.compile(r"(?<![\d.億万兆])(\d+(?:\.\d+)?)(百万|千万|十億|百億)")
_MAN_THEN_SEN = re.compile(r"(?<![\d.])(\d+)万(\d)千(?![\d百十万])")
_OKU_THEN_SENMAN = re.compile(r"(?<![\d.])(\d+)億(\d)千万")


def copied_as_written(written: str, japanese: str) -> bool:
    """Whether the Japanese holds the English number exactly as the English writes it (an amount left in Latin).

    >>> copied_as_written("£75m", "£75mの契約"), copied_as_written("£75m", "£175mの契約")
    (True, False)
    """
    return re.search(r"(?<![\d.,])" + re.escape(written) + r"(?![\d.,])", japanese) is not None


@lru_cache(maxsize=1024)  # per English bead text: one source is often checked against several translations
def numbers_to_check(english: str) -> tuple[tuple[str, str], ...]:
    """(number as written, the text after it) of every number of the English sentence the check looks for.

    >>> numbers_to_check("No 10 said 1,500 jobs and Covid-19.")
    (('1,500', ' jobs and Covid-19.'),)
    """
    out = []
    clocks = [(m.start(), m.end()) for m in EN_CLOCK.finditer(english)]
    for a, b in clocks:
        out.append((english[a:b], english[b:]))
    for m in EN_NUMBER.finditer(english):
        if any(a <= m.start() < b for a, b in clocks):
            continue  # the hour or the minutes of a clock time, checked as one
        if re.search(r"\bNo\.?\s*$", english[: m.start()]):
            continue  # a label ("No 10" for the prime minister's office) is often translated by name
        out.append((m.group().strip(), english[m.end() :]))
    out.sort(key=lambda x: len(english) - len(x[1]))  # in the order of the text
    return tuple(out)


def english_number_found(written: str, after: str, ja_values: set[float], times: set[tuple[int, int]]) -> bool:
    """Whether one English number (``written``, followed by ``after``) is among the Japanese values or times."""
    clock, values = english_number_values(written, after)
    if clock is not None:  # 5.30pm / 17:30: a clock time in the Japanese, 12- or 24-hour
        hour, minutes = clock
        return bool({(hour, minutes), (hour + 12, minutes)} & times)
    if not values:
        return True
    return bool(values & ja_values)


@lru_cache(maxsize=4096)  # the English side of the check: one source is checked against several translations
def english_number_values(written: str, after: str) -> tuple[tuple[int, int] | None, frozenset[float]]:
    """(hour, minutes) if the number is a clock time, else the values the Japanese may write it as (empty: the
    number is not checked).

    >>> english_number_values("9", "pm it starts")
    (None, frozenset({9.0, 21.0}))
    >>> english_number_values("5.30pm", "")
    ((5, 30), frozenset())
    """
    clock = EN_TIME.match(written)
    if clock:
        return (int(clock.group(1)), int(clock.group(2))), frozenset()
    if written[0] in "£$€¥" and written[-1] == "m" and written[-2].isdigit():
        written = written[:-1] + " million"
    from pipeline.align.anchors import cached_english_numbers as english_numbers

    values = {v for v in number_values(english_numbers(written)) if v != 0}
    if re.fullmatch(r"\d{1,3}(?:,\d{2})+,\d{3}", written):  # Indian grouping: 2,06,737
        values.add(float(written.replace(",", "")))
    if not values:
        return None, frozenset()
    if re.match(r"\s*decades?\b", after):
        values |= {v * 10 for v in values}  # six decades: 60年
    if re.match(r"\s*[ap]\.?m\b", after, re.I):
        values |= {v + 12 for v in values if 1 <= v <= 12}  # 9pm: 21時
    return None, frozenset(values)


def compound_amounts(japanese: str) -> set[float]:
    """Amounts written with a large unit in the middle, which the number reader splits in two.

    >>> sorted(compound_amounts("約2万5000人と1億2000万円、午後9時から8時"))
    [25000.0, 120000000.0]
    """
    out = set()
    for m in re.finditer(r"(\d+)億(?:(\d+)万)?(\d+)?|(\d+)万(\d+)(?![\d万億])", japanese):
        if m.group(1):
            out.add(int(m.group(1)) * 1e8 + int(m.group(2) or 0) * 1e4 + int(m.group(3) or 0))
        else:
            out.add(int(m.group(4)) * 1e4 + int(m.group(5)))
    return out


def number_values(keys: Any) -> set[float]:
    out = set()
    for key in keys:
        if key.startswith("n:"):
            try:
                out.add(float(key[2:]))
            except ValueError:
                continue
    return out


KANJI_DIGIT = dict(zip("〇一二三四五六七八九", "0123456789", strict=True))


def kanji_compounds(text: str) -> str:
    """千五百 -> 1500 and similar kanji numbers of 十/百/千 written out, so the number reader sees digits.

    >>> kanji_compounds("千五百台と二十五人")
    '1500台と25人'
    """

    def value(m: re.Match[str]) -> str:
        total, digit = 0, None
        for c in m.group():
            if c in KANJI_DIGIT:
                digit = int(KANJI_DIGIT[c])
            else:
                total += (digit if digit is not None else 1) * {"十": 10, "百": 100, "千": 1000}[c]
                digit = None
        return str(total + (digit or 0))

    return re.sub(r"(?:[一二三四五六七八九]?[千百十])+[一二三四五六七八九]?", value, text)


def untranslated_run(english: str, japanese: str) -> str:
    """The longest run of English words copied, in order, from the English sentence into the Japanese one.

    Only a run of UNTRANSLATED_RUN words or more, UNTRANSLATED_LOWER of them
    lower-case, counts: a name, a title or a term kept in Latin script on
    purpose is short or Title Case.

    >>> untranslated_run("The office will reopen on Monday.", "The office will reopen on Monday. 事務所は月曜日に再開する。")
    'The office will reopen on Monday'
    >>> untranslated_run("Apple Music launched today.", "Apple Musicが本日開始された。")
    ''
    """
    ja_matches = list(LATIN_WORD.finditer(japanese))
    if len(ja_matches) < UNTRANSLATED_RUN:
        return ""
    en_words = [w.lower() for w in LATIN_WORD.findall(english)]
    best = ""
    i = 0
    while i < len(ja_matches):
        run = 0
        for start in range(len(en_words)):
            n = 0
            while (
                i + n < len(ja_matches)
                and start + n < len(en_words)
                and ja_matches[i + n].group().lower() == en_words[start + n]
                and (n == 0 or only_spaces(japanese[ja_matches[i + n - 1].end() : ja_matches[i + n].start()]))
            ):
                n += 1
            run = max(run, n)
        lower = sum(1 for m in ja_matches[i : i + run] if m.group()[0].islower() and m.group() not in TITLE_SMALL_WORDS)
        if run >= UNTRANSLATED_RUN and lower >= UNTRANSLATED_LOWER:
            text = japanese[ja_matches[i].start() : ja_matches[i + run - 1].end()]
            best = max(best, text, key=len)
            i += run
        else:
            i += 1
    return best


def only_spaces(s: str) -> bool:
    return all(c in " ,;:'\"-" for c in s) and len(s) <= 3


def quote(s: str, limit: int = 80) -> str:
    s = " ".join(s.split())
    return f'"{s if len(s) <= limit else s[: limit - 1] + "…"}"'


SAME_ENGLISH = 90  # rapidfuzz ratio from which the English of two beads is the same sentence again


def repeat_evidence(doc: Document, original: int, copy: int) -> str:
    """What the English source says of a Japanese repeat (the dedup stage's ``source`` hook).

    ``"repeats"``: the two Japanese sentences translate two English sentences
    that are the same again (the author's repetition: keep it);
    ``"single"``: the copy has no English of its own (it shares its original's
    bead, or stands in a 0-1 bead): the machine repeated it; ``"own"``: each
    stands in its own bead with English sentences that differ (the machine
    gave two English sentences one translation; the copy still translates its
    own: removing it far from its original would drop that sentence);
    ``""``: cannot tell.
    """
    from rapidfuzz.fuzz import ratio

    alignment = doc.annotations.get("alignment")
    if not alignment:
        return ""
    bead_of = {j: k for k, bead in enumerate(alignment["beads"]) for j in bead["ja"]}
    if original not in bead_of or copy not in bead_of:
        return ""
    a, b = alignment["beads"][bead_of[original]], alignment["beads"][bead_of[copy]]
    english = alignment["english"]
    if a is b:  # one bead: the machine's copy, unless its English says the sentence twice itself
        texts = [english[i]["text"] for i in a["en"]]
        said_twice = any(ratio(x, y) >= SAME_ENGLISH for n, x in enumerate(texts) for y in texts[n + 1 :])
        return "repeats" if said_twice else "single"
    if not b["en"]:
        return "single"
    if not a["en"]:
        return ""
    ea = " ".join(english[i]["text"] for i in a["en"])
    eb = " ".join(english[i]["text"] for i in b["en"])
    return "repeats" if ratio(ea, eb) >= SAME_ENGLISH else "own"


def english_by_sentence(doc: Document) -> dict[int, list[int]]:
    """Japanese sentence index -> the English sentence indices of its bead (``[]`` in a 0-1 bead; ``{}`` without a source).

    The one reading of the alignment's beads per sentence that other stages and passes use.
    """
    alignment = doc.annotations.get("alignment")
    if not alignment:
        return {}
    return {j: list(bead["en"]) for bead in alignment["beads"] for j in bead["ja"]}


def english_of(doc: Document, sentence: int) -> list[str]:
    """The English sentences the Japanese sentence ``sentence`` (an index into doc.sentences) translates.

    Empty when the document has no English source or the sentence is in a 0-1 bead.
    """
    indices = english_by_sentence(doc).get(sentence, [])
    return [doc.annotations["alignment"]["english"][i]["text"] for i in indices]


def quotation_units(
    ja_texts: Sequence[str], lines: tuple[Sequence[int], Sequence[int]]
) -> list[tuple[int, str]] | None:
    """(sentence position, text) of the units the aligner sees when some sentence holds a quotation of several
    sentences (the cleaning segmenter keeps 「はい。そうです。」 whole; the English splitter cuts it): each such sentence
    cut at its inner sentence ends (:func:`pipeline.align.japanese.split_inner_ends`).  None when no sentence is
    cut: the sentences are the units.

    Only where the cut may be wanted: both texts have as many lines (``lines``: the line of each English and each
    Japanese sentence), and the English line of the same rank holds several sentences.  When
    a line is missing or added, the line pairs are not known, and units cut where no English line asks for them
    only give the aligner more ways to misplace a gap (bench_bilingual's deleted lines).

    >>> quotation_units(["「はい。そうです。」と答えた。", "次。"], ([0, 0, 1], [0, 1]))
    [(0, '「はい。'), (0, 'そうです。」と答えた。'), (1, '次。')]
    >>> quotation_units(["「はい。そうです。」と答えた。", "次。"], ([0, 1], [0, 1])) is None  # one English sentence
    True
    >>> quotation_units(["「はい。」と言った。"], ([0, 0], [0])) is None  # nothing to cut
    True
    """
    from pipeline.align.japanese import split_inner_ends
    from pipeline.align.layout import line_runs

    en_runs, ja_runs = line_runs(lines[0]), line_runs(lines[1])
    if len(en_runs) != len(ja_runs):
        return None
    wanted = {p for (e0, e1), (j0, j1) in zip(en_runs, ja_runs, strict=True) if e1 - e0 > 1 for p in range(j0, j1)}
    out: list[tuple[int, str]] = []
    cut = False
    for p, text in enumerate(ja_texts):
        spans = split_inner_ends(text, 0, len(text)) if p in wanted else ()
        if len(spans) > 1:
            cut = True
            out.extend((p, text[a:b]) for a, b in spans)
        else:
            out.append((p, text))
    return out if cut else None


def sentence_beads(unit_beads: Sequence[Bead], unit_sentence: Sequence[int]) -> list[Bead]:
    """Beads over units (:func:`quotation_units`) as beads over the sentences: beads that share a sentence are one
    bead (its score the lowest, its cost the sum); a bead with no Japanese stays as it is, so an English sentence
    of the quotation left untranslated is still a 1-0 bead.

    >>> from pipeline.align.aligner import Bead
    >>> beads = [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.8), Bead((2,), (), 0.7), Bead((3,), (2,), 0.9)]
    >>> [(b.en, b.ja, b.score) for b in sentence_beads(beads, [0, 0, 1])]
    [((0, 1), (0,), 0.8), ((2,), (), 0.7), ((3,), (1,), 0.9)]
    """
    from pipeline.align.aligner import Bead

    out: list[Bead] = []
    last = -1  # index in out of the last bead with Japanese
    for b in unit_beads:
        ja = tuple(sorted({unit_sentence[j] for j in b.ja}))
        if ja and last >= 0 and out[last].ja[-1] == ja[0]:
            m = out[last]
            out[last] = Bead(
                tuple(sorted({*m.en, *b.en})), tuple(sorted({*m.ja, *ja})), min(m.score, b.score), m.cost + b.cost
            )
            continue
        out.append(Bead(b.en, ja, b.score, b.cost))
        if ja:
            last = len(out) - 1
    return out


def rejoin_quotations(
    beads: Sequence[Bead], en_texts: Sequence[str], ja_texts: Sequence[str], en_lines: Sequence[int]
) -> list[Bead]:
    """``beads`` with each quotation the aligner left half matched aligned again unit by unit: a bead whose
    Japanese holds inner sentence ends (:func:`pipeline.align.japanese.split_inner_ends`) and whose English is on
    one line, beside 1-0 beads of English sentences of that same line, is aligned anew against its units (the
    English of the run, the units of its Japanese: a small problem of its own), the unit beads joined back
    (:func:`sentence_beads`).  The whole-document path's counterpart of :func:`quotation_units`, which needs
    the line pairs (as many lines on both sides); here the alignment pairs the quotation with its English line.
    An English sentence the units leave unmatched stays a 1-0 bead.

    >>> from pipeline.align.aligner import Bead
    >>> en = ["He said: 'Yes.", "We will go.", "It is late.'", "Next."]
    >>> beads = [Bead((0, 1), (0,), 0.9), Bead((2,), (), 0.5), Bead((3,), (1,), 0.9)]
    >>> [(b.en, b.ja) for b in rejoin_quotations(beads, en, ["彼は「はい。行きます。遅いです」と言った。", "次。"], [0, 0, 0, 1])]
    [((0, 1, 2), (0,)), ((3,), (1,))]
    """
    from pipeline.align.aligner import Bead, align_sentences
    from pipeline.align.japanese import split_inner_ends

    def lone(b: Bead, line: int) -> bool:  # a 1-0 bead of that English line
        return bool(b.en) and not b.ja and all(en_lines[i] == line for i in b.en)

    out = list(beads)
    k = 0
    while k < len(out):
        b = out[k]
        line = en_lines[b.en[0]] if b.en and b.ja else -1
        lo, hi = k, k + 1
        if line >= 0 and all(en_lines[i] == line for i in b.en):
            while lo > 0 and lone(out[lo - 1], line):
                lo -= 1
            while hi < len(out) and lone(out[hi], line):
                hi += 1
        if hi - lo == 1:  # no 1-0 bead of its line beside it (most beads: their units are not needed)
            k += 1
            continue
        units = [(j, ja_texts[j][x:y]) for j in b.ja for x, y in split_inner_ends(ja_texts[j], 0, len(ja_texts[j]))]
        if len(units) == len(b.ja):
            k += 1
            continue
        en_ids = [i for x in out[lo:hi] for i in x.en]
        sub = align_sentences([en_texts[i] for i in en_ids], [t for _, t in units])
        sub = [Bead(tuple(en_ids[i] for i in s.en), s.ja, s.score, s.cost) for s in sub]
        new = sentence_beads(sub, [j for j, _ in units])
        out[lo:hi] = new
        k = lo + len(new)
    return out

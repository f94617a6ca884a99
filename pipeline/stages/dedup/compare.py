"""Comparing two sentence keys: near-duplicate similarity, fragment containment, and why a match does not count."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from rapidfuzz.distance import LCSseq

from pipeline.romanise import phonetic_key
from pipeline.stages.dedup.keys import SentenceKey, unit_spans
from pipeline.stages.dedup.options import DedupOptions
from pipeline.stages.dedup.tables import (
    CONTENT,
    CONTRAST,
    EPS,
    KANJI,
    NAME,
    NEGATION,
    NOUN,
    NUMBER,
    PRONOUN,
    SYNONYM_OF,
)


# -- comparison ----------------------------------------------------------------
def _name_runs(k: SentenceKey, positions: Iterable[int] | None = None) -> list[str]:
    """Texts of the runs of adjacent name-like units (オープン|AI -> one name).

    With ``positions``, only the runs that hold one of those positions.
    """
    runs: list[tuple[int, int]] = []
    i, n = 0, len(k.kinds)
    while i < n:
        if k.kinds[i] & NAME:
            j = i
            while j + 1 < n and k.kinds[j + 1] & NAME and unit_spans(k)[j + 1][0] <= unit_spans(k)[j][1]:
                j += 1
            runs.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    if positions is not None:
        wanted = {p for p in positions if k.kinds[p] & NAME}
        runs = [(a, b) for a, b in runs if any(a <= p < b for p in wanted)]
    return ["".join(k.texts[a:b]) for a, b in runs]


def _names_partnered(mine: Iterable[int], a: SentenceKey, b: SentenceKey) -> bool:
    """Does every name-like word of ``a`` at ``mine`` have a phonetic partner in ``b``?

    Names are compared by :func:`phonetic_key` (a run of adjacent name-like
    units as one word), so spelling variants of one name
    (ハルターマン/ハルトマン, OpenAPI/オープンAPI) partner, different names
    (トヨタ/ホンダ) do not.
    """
    names = _name_runs(a, mine)
    if not names:
        return True
    theirs = _name_runs(b) + [b.texts[j] for j in range(len(b.kinds)) if b.kinds[j] & NAME]
    keys = {phonetic_key(t) or t for t in theirs}
    return all((phonetic_key(t) or t) in keys for t in names)


def _critical(kinds: Sequence[int], positions: Iterable[int]) -> str:
    """What makes the unmatched units at ``positions`` a real difference ("" when nothing)."""
    which = 0
    for i in positions:
        which |= kinds[i]
    if which & NUMBER:
        return "numbers differ"
    if which & NEGATION:
        return "negation differs"
    if which & PRONOUN:
        return "pronouns differ"
    if which & CONTRAST:
        return "days, times or directions differ"
    return ""


def _substituted(a: SentenceKey, only_a: Sequence[int], b: SentenceKey, only_b: Sequence[int]) -> bool:
    """Does each side hold a day, time or direction word the other lacks (日曜 for 月曜)?

    One on one side only is an addition (the fuller copy), not another fact.
    """
    return any(a.kinds[i] & CONTRAST for i in only_a) and any(b.kinds[j] & CONTRAST for j in only_b)


def _critical_near(kinds: Sequence[int], positions: Iterable[int]) -> str:
    """As :func:`_critical`, but a day, time or direction word counts only when substituted."""
    return _critical([k & ~CONTRAST for k in kinds], positions)


def _weights(kinds: Sequence[int]) -> list[int]:
    """Content words weigh 2, particles and endings 1."""
    return [2 if k & CONTENT else 1 for k in kinds]


def compare_near(a: SentenceKey, b: SentenceKey, threshold: float) -> tuple[float, str]:
    """Similarity of two sentences and why it does not count ("" when it does).

    The similarity is rapidfuzz's Indel similarity (2 x matched / total) on the
    unit sequences, with content words weighing 2 and particles or endings 1,
    so two short sentences that share only their grammar
    (政府は…を発表した / 野党は…を批判した) stay apart.

    >>> k = lambda units, kinds: SentenceKey(0, 0, 0, 0, 0, (), units, [str(u) for u in units], kinds, [], 9, 9, False, False, True)
    >>> compare_near(k([1, 2, 3, 4, 5], [1] * 5), k([1, 2, 3, 4, 6], [1] * 5), 0.8)
    (0.8, '')
    >>> compare_near(k([1, 2, 3, 4, 5], [1, 1, 1, 1, 5]), k([1, 2, 3, 4, 6], [1, 1, 1, 1, 5]), 0.8)
    (0.8, 'numbers differ')
    """
    lcs = LCSseq.similarity(a.units, b.units)
    both = len(a.units) + len(b.units)
    # upper bound of the weighted score: every match a content word, every miss a particle
    if 4 * lcs / (both + 2 * lcs or 1) < threshold - EPS:
        # rapidfuzz's Indel.normalized_similarity of the two, from the LCS already known
        # (Indel distance = both - 2 lcs), not a second alignment
        return (1.0 - (both - 2 * lcs) / both) if both else 1.0, "below threshold"
    ops = LCSseq.editops(a.units, b.units)
    only_a = [op.src_pos for op in ops if op.tag in ("delete", "replace")]
    only_b = [op.dest_pos for op in ops if op.tag in ("insert", "replace")]
    wa, wb = _weights(a.kinds), _weights(b.kinds)
    total = sum(wa) + sum(wb)
    score = 1 - (sum(wa[i] for i in only_a) + sum(wb[j] for j in only_b)) / total
    if score < threshold - EPS:
        return score, "below threshold"
    why = _critical_near(a.kinds, only_a) or _critical_near(b.kinds, only_b)
    if not why and _substituted(a, only_a, b, only_b):
        why = "days, times or directions differ"
    if why:
        return score, why
    # a name on each side without a partner is a substitution (トヨタ/ホンダ): another
    # subject; a name on one side only is an addition (the more complete copy)
    if not (_names_partnered(only_a, a, b) or _names_partnered(only_b, b, a)):
        return score, "names differ"
    if _nouns_swapped(a, only_a, b, only_b):
        return score, "nouns differ"
    return score, ""


def _alike(x: str, y: str) -> bool:
    """Two nouns that may name the same thing: a shared kanji (創設/設立), one inside the other, or synonyms.

    >>> _alike("創設", "設立"), _alike("創業", "設立"), _alike("売上", "利益")
    (True, True, False)
    """
    if x in y or y in x or set(KANJI.findall(x)) & set(KANJI.findall(y)):
        return True
    gx, gy = SYNONYM_OF.get(x), SYNONYM_OF.get(y)
    return gx is not None and gx == gy


def _nouns_swapped(a: SentenceKey, only_a: Sequence[int], b: SentenceKey, only_b: Sequence[int]) -> bool:
    """Is a noun of ``a`` replaced by an unlike noun of ``b`` (売上/利益), with no rewording pair beside it?

    A noun on one side only is an addition; nouns swapped for alike ones are
    a rewording (創設/設立), and then an unlike pair beside them is taken as
    rewording too (利用/ユーザー).
    """
    # kanji nouns only: kana and Latin words are names or loanwords, which the names rule and
    # phonetic keys judge (ベルタ・ノバーラ/ベルタ・ノヴァーラ is a respelling)
    na = [a.texts[i] for i in only_a if a.kinds[i] & NOUN and KANJI.search(a.texts[i])]
    nb = [b.texts[j] for j in only_b if b.kinds[j] & NOUN and KANJI.search(b.texts[j])]
    if not (na and nb):
        return False
    return not any(_alike(x, y) for x in na for y in nb)


def compare_fragment(
    short: SentenceKey, long: SentenceKey, threshold: float, wide: bool = False
) -> tuple[float, str, tuple[int, int] | None]:
    """Containment of ``short`` in the best window of ``long`` and why it does not count.

    The window is a little longer than the fragment, so scattered common words
    of a long sentence cannot add up to a match.  Containment is the share of
    the fragment's weight found in the window, content words weighing 2 and
    particles or endings 1, so shared function words alone do not make a fragment.

    >>> k = lambda units: SentenceKey(0, 0, 0, 0, 0, (), units, [str(u) for u in units], [1] * len(units), [(i, i + 1) for i in range(len(units))], 9, 9, False, False, True)
    >>> compare_fragment(k([4, 5, 6]), k([1, 2, 3, 4, 5, 6]), 0.7)[:2]
    (1.0, '')
    >>> compare_fragment(k([1, 3, 5]), k([1, 7, 8, 9, 3, 7, 8, 9, 5]), 0.7)[0] < 0.7
    True
    """
    n = len(short.units)
    if n == 0:
        return 0.0, "empty", None
    # ``wide``: a restatement right after its sentence may leave out more in between
    m = min(len(long.units), 2 * n + 2 if wide else n + max(2, math.ceil(n * 0.25)))
    best, best_i = -1, 0
    for i in range(0, len(long.units) - m + 1):
        sim = LCSseq.similarity(short.units, long.units[i : i + m])
        if sim > best:
            best, best_i = sim, i
            if sim == n:
                break
    weights = _weights(short.kinds)
    total = sum(weights)
    if 2 * best / total < threshold - EPS:  # an upper bound of the weighted score
        return best / n, "below threshold", None
    window = long.units[best_i : best_i + m]
    ops = LCSseq.editops(short.units, window)
    missing = [op.src_pos for op in ops if op.tag in ("delete", "replace")]
    score = 1 - sum(weights[i] for i in missing) / total
    if score < threshold - EPS:
        return score, "below threshold", None
    matched_long = sorted(set(range(len(window))) - {op.dest_pos for op in ops if op.tag in ("insert", "replace")})
    region = None
    if matched_long:
        spans = unit_spans(long)
        region = (spans[best_i + matched_long[0]][0], spans[best_i + matched_long[-1]][1])
    why = _critical(short.kinds, missing)
    if why:
        return score, why, region
    # a negation in the long sentence's matched window that the fragment lacks
    if any(long.kinds[best_i + j] & NEGATION for j in matched_long) != any(k & NEGATION for k in short.kinds):
        return score, "negation differs", region
    if not _names_partnered(missing, short, long):
        return score, "names differ", region
    return score, "", region


def is_tail(short: SentenceKey, long: SentenceKey, adjacent: bool) -> bool:
    """Is ``short`` the end of the (live) sentence just before it, said again (…報告されている。報告されている。)?

    A repeated tail needs no content-word minimum, but at least 4 units and 6 characters.
    """
    n = len(short.units)
    return (
        adjacent
        and short.index > long.index
        and n >= 4
        and n < len(long.units)
        and long.units[-n:] == short.units
        and sum(len(t) for t in short.texts) >= 6
    )


def more_complete(a: SentenceKey, b: SentenceKey, margin: float) -> bool:
    """Is ``b`` clearly more complete than ``a`` (more content words by a margin)?"""
    return b.content > a.content * (1 + margin) and b.content - a.content >= 2


DISTANT_REASON = (
    "a repeat away from its original (another line, sentences between) may be the author's "
    "(a listing, a step, a refrain); --dedup-distant remove removes it"
)


def removable(s: SentenceKey, rule: str, options: DedupOptions) -> bool:
    if s.quoted:
        return options.quotes == "all" or (options.quotes == "exact" and rule == "exact")
    return True

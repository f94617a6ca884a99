"""The spelling a variant group ends in: the one that changes the article least.

Order: the user lexicon; else the article's majority spelling; a tie is
broken by the dictionary's standard spelling (a form another form's UniDic
lemma points to), then by the spelling of the ・-joined full name, then (with
an English source, in :mod:`.decide`) by the spelling closest to the English
word, then by the batch (``--tie-break batch``: the spelling more documents of
the batch use, ``VariantOptions.batch_counts`` from a counting pass); still
tied → no choice (the group is flagged, nothing rewritten).  A first-seen tie
break would pick the MT's mistake as often as not — except where the English
source proves the tied spellings one name and none is closer to it
(:func:`_source_proven_tie`): then which one stays is cosmetic, and a spelling
without a hyphen, else the first in the text, is kept.

Mixed partial transliterations (ノヴァAI, Zキャピタル) have a target of
their own: the group's majority spelling over every script.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from pipeline.lexicon import Lexicon
    from pipeline.stages.variants.clusters import Cluster
    from pipeline.stages.variants.forms import Form


@dataclass(frozen=True)
class Choice:
    """A group's spelling and why; ``decided`` is False on a tie (then nothing is rewritten to it)."""

    text: str
    why: str
    decided: bool = True
    from_batch: bool = False  # decided by the batch's counts: the document's English source may still overrule it
    from_source: bool = False  # a tie broken by the English source (closest_to_source); full names say why too
    by_name: bool = False  # a tie given to the full name's spelling: the source may overrule a slip there


def _rank(f: Form) -> tuple[int, int, int]:
    """Sentences first (how often the MT chose the spelling), then mentions, then the first in the text."""
    return (-f.votes, -f.count, f.first)


def _strength(f: Form) -> tuple[int, int]:
    """What decides a majority: :func:`_rank` without the position; equal strengths are a tie."""
    return (f.votes, f.count)


def candidate_pool(forms: list[Form], script: Literal["kana", "any"]) -> list[Form]:
    """The forms a group's spelling may be chosen from.

    ``kana`` (``--latin keep``): the pure katakana forms, else whatever there is.
    ``any`` (``--latin rewrite``): the forms of the script used more often; every form when both scripts are
    used as often (a tie of scripts is a tie, not a win for katakana: ZenithAI once and ゼニスAI once).
    """
    if script == "any":
        n_latin = sum(f.count for f in forms if f.is_latin)
        n_other = sum(f.count for f in forms if not f.is_latin)
        if n_latin == n_other:
            return list(forms)
        pool = [f for f in forms if f.is_latin == (n_latin > n_other)]
    else:
        pool = [f for f in forms if not f.is_latin and f.kind != "mixed"]
        if not pool:
            pool = majority_pool(forms)
    return pool or list(forms)


def majority_pool(forms: list[Form]) -> list[Form]:
    """The most frequent forms, by sentences then mentions (several on a tie)."""
    top = max(map(_strength, forms))
    return [f for f in forms if _strength(f) == top]


def dictionary_standard(f: Form, forms: list[Form]) -> bool:
    """Whether another form's UniDic lemma spells ``f`` (the dictionary's standard spelling)."""
    return any(f.text in g.lemma_forms and g.text != f.text for g in forms)


def choose_canonical(
    c: Cluster,
    lexicon: Lexicon | None,
    script: Literal["kana", "any"] = "kana",
    batch_counts: Mapping[str, int] | None = None,
) -> Choice:
    """The spelling a group ends in, and why (see the module doc).

    On a tie: the dictionary's standard spelling, then the spelling of the
    ・-joined full name, then the batch's majority (``batch_counts``: documents
    using each spelling) — the article's own evidence before the batch's.
    """
    if lexicon:
        for f in c.forms:
            canon = lexicon.canonical_of(f.text)
            if canon is not None:
                return Choice(canon, "house spelling from the lexicon")
    pool = candidate_pool(c.forms, script)
    total = sum(f.count for f in pool)
    best = min(pool, key=_rank)
    tie = [f for f in pool if _strength(f) == _strength(best)]
    if len(tie) == 1:
        if len(pool) == 1:
            return Choice(best.text, "the only spelling of its script")
        if any(f.count >= best.count for f in pool if f is not best):
            # more mentions elsewhere, but in fewer sentences: one sentence repeating a name is one choice
            votes = sum(f.votes for f in pool)
            why = f"the article's majority spelling by sentences ({best.votes} of {votes}; {best.count} of {total} mentions)"
            return Choice(best.text, why)
        return Choice(best.text, f"the article's majority spelling ({best.count} of {total})")
    standard = [f for f in tie if dictionary_standard(f, c.forms)]
    if len(standard) == 1:
        return Choice(standard[0].text, "the dictionary's standard spelling (forms equally frequent)")
    named = [f for f in tie if any(m.in_name for m in f.mentions)]
    if len(named) == 1:
        return Choice(named[0].text, "the spelling of the full name (forms equally frequent)", by_name=True)
    if batch_counts:
        ranked = sorted(tie, key=lambda f: -batch_counts.get(f.text, 0))
        first, second = (batch_counts.get(f.text, 0) for f in ranked[:2])
        if first > second:
            why = f"the spelling more documents of the batch use ({first} against {second}; forms equally frequent)"
            return Choice(ranked[0].text, why, from_batch=True)
    return Choice(best.text, "no majority (forms equally frequent)", decided=False)


# The counter kana written on a tie (数カ月 / 数ヶ月 / 数か月): the press style
# of the Kyodo/Jiji handbooks writes カ.  Data, one row: the kana and why.
PRESS_COUNTER_KANA = ("カ", "the press style's counter kana (forms equally frequent)")


def counter_choice(counts: dict[str, int]) -> Choice:
    """The spelling of a word written with different counter kana: the majority, else the press style.

    >>> counter_choice({"カ月": 2, "ヶ月": 1}).why, counter_choice({"ヶ月": 2, "カ月": 2}).text
    ("the article's majority spelling (2 of 3)", 'カ月')
    >>> counter_choice({"ヶ月": 1, "か月": 1}).decided
    False
    """
    top = max(counts.values())
    tie = [k for k, n in counts.items() if n == top]
    if len(tie) == 1:
        return Choice(tie[0], f"the article's majority spelling ({top} of {sum(counts.values())})")
    kana, why = PRESS_COUNTER_KANA
    press = [k for k in tie if kana in k]
    if len(press) == 1:
        return Choice(press[0], why)
    return Choice(tie[0], "no majority (forms equally frequent)", decided=False)


def mixed_target(c: Cluster) -> Choice | None:
    """Where a mixed katakana+Latin form goes: the group's majority spelling over every script.

    ``None`` when the most frequent forms tie or the majority is itself mixed
    (then the mixed form is the article's own spelling).
    """
    top = majority_pool(c.forms)
    if len(top) != 1 or top[0].kind == "mixed":
        return None
    total = sum(f.count for f in c.forms)
    return Choice(top[0].text, f"the article's majority spelling ({top[0].count} of {total}; partial transliteration)")


_JOINERS = re.compile("[・＝=･\\-‐‑－]")  # the joiners of a ・-joined name (mentions._JOINER_SPLIT)

# romaji similarity points (0-100) by which the spelling chosen on a tie must be closer to the
# English word than every other: a smaller lead is noise of the romanisation, not evidence
CLOSER_BY = 5
# ... and by which it must be closer to outrank the spelling of the ・-joined full name (the article's own choice on a
# tie): a vowel or consonant of the English the other spelling misses (Sweeney's ii heard as e: 100 against 75), not a
# habit of transliteration such as an r after a vowel written or not (6 points)
CLOSER_BY_THAN_NAME = 15


def heard_similarity(spellings: tuple[str, ...], kana: str) -> int:
    """How close ``kana``'s romaji is to an English word as katakana hears it: the best of the word's readings.

    Each spelling is compared as written and as :func:`pipeline.romanise.english_readings`
    respells it from its sounds (Maser is also heard *meizer*), so a sound of
    English the spelling does not show is not counted as a difference; the
    rows that are only habits of writing (Uppsala as ユップサラ) are left out.

    >>> heard_similarity(("Maser",), "メイザー"), heard_similarity(("Maser",), "メーザー")
    (73, 60)
    """
    from pipeline.romanise import english_readings
    from pipeline.stages.variants.forms import _romaji_ratio

    return max(round(_romaji_ratio(r, kana)) for w in spellings for r in (w, *english_readings(w, sounds_only=True)))


def _only_renderer(tie: list[Form], rendered: list[set[str]], words: Mapping[str, frozenset[str]]) -> Choice | None:
    """A tie where one spelling renders the English word and the others only stand for it (a sound dropped)."""
    from pipeline.stages.variants.source import plural_word, stand_in_word

    renderers = [f for f, r in zip(tie, rendered, strict=True) if r]
    if len(renderers) != 1:
        return None
    t = renderers[0]
    stand_ins = {stand_in_word(g, t, words) or plural_word(g, t, words) for g in tie if g is not t}
    if None in stand_ins or len(stand_ins) != 1:
        return None
    word = stand_ins.pop()
    why = (
        f'the only spelling that renders "{word}" of the aligned English; the others stand where it says '
        f'"{word}", one kana away; forms equally frequent'
    )
    return Choice(t.text, why, from_source=True)


def _only_as_written(tie: list[Form], word: str, words: Mapping[str, frozenset[str]]) -> Choice | None:
    """A tie where one spelling renders ``word`` as written and the others only past a dictionary reading.

    UniDic reads the others as another word (ブリム, *brim*) that the English
    source never says (:func:`.source.only_past_gloss`): they are the MT's
    slip into that word, and the spelling that renders the English word wins,
    also over the spelling of a full name.
    """
    from pipeline.stages.variants.source import only_past_gloss, where_rendered

    plain = [f for f in tie if all(only_past_gloss(f, g, words) is None for g in tie if g is not f)]
    if len(plain) != 1:
        return None
    t = plain[0]
    slips = [(g, only_past_gloss(g, t, words)) for g in tie if g is not t]
    if any(s is None for _, s in slips):
        return None
    readings = ", ".join(f'{g.text} as "{s[1]}"' for g, s in slips if s)
    why = (
        f'the only spelling that renders "{word}" {where_rendered(words, word, *(g.text for g in tie))} as '
        f"written; UniDic reads {readings}, which the English never says; forms equally frequent"
    )
    return Choice(t.text, why, from_source=True)


def closest_to_source(
    c: Cluster, words: Mapping[str, frozenset[str]], script: Literal["kana", "any"] = "kana"
) -> Choice | None:
    """With an English source, break a tie toward the spelling whose romaji is closest to the English word.

    Only for a group left undecided by :func:`choose_canonical` (forms equally
    frequent; or decided by the batch's counts, which the document's own English
    outranks; or by the full name's spelling, which only a spelling closer to the
    English word by ``CLOSER_BY_THAN_NAME`` points outranks): every tied spelling must render one English word of its aligned
    sentences (:func:`.source.rendered_words`) — or each renders one of the two
    spellings the English gives one name (Rajasthan / Rajastan, :func:`.source.spelled_twice`)
    — and one spelling's romaji must be closer to that word, as written or as
    katakana hears it (:func:`heard_similarity`: Maser heard *meizer*), than every
    other's by ``CLOSER_BY`` points (タヴィッシュ / タビッシュ for "Tavish": 92
    against 77; メイザー / メーザー for "Maser": 73 against 60).  Spellings equally close that differ only in
    a joiner (ルナ・パーク / ルナパーク) follow the English: the one joined with ・
    (not a hyphen or ＝) when the English word has a space ("Luna Park"), the unjoined one when
    it has none.  When only one tied spelling renders the word and the others
    stand where the English says it, one kana away (:func:`.source.stand_in_word`:
    a sound dropped or changed), the one that renders it wins.  Otherwise, when
    every tied spelling renders the word (or one of its two spellings), the
    English proves them one name and :func:`_source_proven_tie` keeps one (no
    hyphen, the batch, the first in the text).  ``None`` otherwise: the tie
    stays a flag.  Without a source (``words`` empty) nothing changes.
    """
    from pipeline.stages.variants.source import common_slip, look_alike

    if not words or c.choice is None or (c.choice.decided and not (c.choice.from_batch or c.choice.by_name)):
        return None
    pool = candidate_pool(c.forms, script)
    top = max(map(_strength, pool))
    tie = [f for f in pool if _strength(f) == top]
    if len(tie) < 2 or any(f.is_latin or f.kind == "mixed" for f in tie):
        return None
    by_name = c.choice.decided and c.choice.by_name and not c.choice.from_batch
    slips = {
        f.text: lemma
        for f in tie
        if (lemma := common_slip(f, words)) is not None and any(look_alike(f, g) for g in tie if g is not f)
    }
    said = ", ".join(f"{t} is UniDic's common noun {lemma}" for t, lemma in sorted(slips.items()))
    if len(slips) == len(tie):
        slips = {}
    if slips:
        # a common noun the English never says, written for the name: never the spelling the name takes
        tie = [f for f in tie if f.text not in slips]
        if len(tie) == 1:
            why = f"the only spelling of the name ({said}, which the English never says); forms equally frequent"
            return Choice(tie[0].text, why, from_source=True)
        by_name = by_name and c.choice.text not in slips
    choice = _closest_in(c, tie, by_name, words)
    if choice is not None and slips:
        choice = Choice(choice.text, f"{choice.why}; {said}, which the English never says: left out", from_source=True)
    return choice


def _closest_in(c: Cluster, tie: list[Form], by_name: bool, words: Mapping[str, frozenset[str]]) -> Choice | None:
    """:func:`closest_to_source` on the tied spellings that may be chosen (``by_name``: the full name's stands)."""
    from pipeline.stages.variants.source import rendered_words, spelled_twice, where_rendered

    rendered = [rendered_words(f, words) for f in tie]
    shared = set.intersection(*rendered)
    spellings: tuple[str, ...] = ()
    if shared:
        word = max(shared, key=lambda w: (len(w), w))
        spellings = (word,)
        as_written = _only_as_written(tie, word, words)
        if as_written is not None:
            return as_written
    if by_name and not shared:
        return None  # the English names no word all of them render: the full name's spelling stands
    if not shared:  # one name the English spells two ways (Rajasthan / Rajastan), each rendered by some tied forms
        every = set().union(*rendered)
        for a in sorted(every):
            two = sorted({a, *(b for b in every if spelled_twice(a, b))})
            if len(two) == 2 and all(r & set(two) for r in rendered):
                spellings = tuple(two)
                break
        if not spellings:
            return _only_renderer(tie, rendered, words)
        word = " / ".join(spellings)
    scored = sorted(((heard_similarity(spellings, f.text), f) for f in tie), key=lambda x: (-x[0], x[1].first))
    (best, f), (second, _) = scored[0], scored[1]
    if best >= second + (CLOSER_BY_THAN_NAME if by_name else CLOSER_BY) and not (by_name and f.text == c.choice.text):
        if len(spellings) > 1:
            what = "one name the English spells two ways, each rendered by some of them in the aligned English"
        else:
            what = f"the English word all of them render {where_rendered(words, word, *(g.text for g in tie))}"
        why = (
            f'the spelling closest to "{word}" (romaji similarity {best} against {second}, the English as '
            f"katakana hears it), "
            f"{what}; forms equally frequent"
        )
        return Choice(f.text, why, from_source=True)
    if by_name:
        return None  # no spelling closer to the English word by sound: the full name's spelling stands
    where = where_rendered(words, word, *(g.text for g in tie))
    if len(spellings) == 1:
        # the same sounds joined another way (ルナ・パーク / ルナパーク): the English
        # says whether the name is one word or several
        closest = [g for _, g in scored]
        several = " " in word
        if several:
            split = [g for g in closest if g.kind == "joined" and set(_JOINERS.findall(g.text)) == {"・"}]
        else:
            split = [g for g in closest if g.kind != "joined"]
        if len(split) == 1 and len({g.key for g in closest}) == 1:
            how = "as separate words" if several else "as one word"
            why = f'the English writes "{word}", which all of them render {where}, {how}; forms equally frequent'
            return Choice(split[0].text, why, from_source=True)
    return _source_proven_tie(c, scored, word, where, len(spellings) > 1)


# the hyphens MT writes between the parts of a katakana name (ルナ-パーク): no Japanese name joiner
_HYPHENS = re.compile("[\\-‐‑－]")


def _source_proven_tie(c: Cluster, scored: list[tuple[int, Form]], word: str, where: str, twice: bool) -> Choice | None:
    """A tie the English proves one name but cannot break by sound: a spelling without a hyphen, else the first.

    Every tied spelling renders ``word`` of its aligned English (or, ``twice``,
    one of the two spellings the English gives the name), so merging them has
    bilingual evidence; none is closer to the word by ``CLOSER_BY`` (those
    farther than that from the closest are left out), so which one is kept is
    cosmetic.  A spelling with a hyphen between its parts loses to one without
    (a hyphen is no joiner of Japanese names); then a choice of the batch's
    counts (``--tie-break batch``) stands; then the spelling first in the text
    is kept.  Without a source this is never reached: a tie stays a flag.
    """
    best = scored[0][0]
    near = sorted((f for s, f in scored if s > best - CLOSER_BY), key=lambda f: f.first)
    counts = "–".join(str(f.count) for f in near)
    said = (
        f'"{word}", one name the English spells two ways, each rendered by some of them in the aligned English'
        if twice
        else f'"{word}" {where}'
    )
    proof = f"all render {said}, none closer to it as heard by {CLOSER_BY} points"
    unhyphened = [f for f in near if not _HYPHENS.search(f.text)]
    if unhyphened and len(unhyphened) < len(near):
        if len(unhyphened) == 1:
            why = f"the spelling without a hyphen, which is no Japanese name joiner ({counts} tie; {proof})"
            return Choice(unhyphened[0].text, why, from_source=True)
        near = unhyphened
    if c.choice is not None and c.choice.from_batch and any(f.text == c.choice.text for f in near):
        return None  # the batch's counts break a tie the source only proves
    why = f"the spelling first in the text ({counts} tie; {proof}; which one is kept is cosmetic)"
    return Choice(near[0].text, why, from_source=True)

"""Which spellings of a group are rewritten, to what, on what evidence; the rest are flagged.

A form is rewritten only when

* its group has a decided spelling (no tie, see :mod:`.canonical`);
* the pair (form, target) has rewrite evidence (:mod:`.evidence`): the
  comparison says orthographic or dictionary, or a Latin spelling of the
  article renders both (bilingual), or the lexicon maps the form;
* a proper-noun mention would not take a common noun's spelling.

One decision per name: a ・-joined full name is rewritten part by part, as
each part's own group decided (a surname and the full names holding it
count together there), so the full name and the surname never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.chars import has_latin
from pipeline.stages.variants.canonical import Choice, closest_to_source, mixed_target
from pipeline.stages.variants.clusters import _letters_of
from pipeline.stages.variants.evidence import (
    BILINGUAL,
    EVIDENCE_WORDS,
    LEXICON,
    NAME_AND_WORD,
    ORTHOGRAPHIC,
    Verdict,
    allows_rewrite,
    takes_common_spelling,
    weakest,
)
from pipeline.stages.variants.forms import SOUND_SKELETON, compare_kana, compare_latin
from pipeline.stages.variants.source import common_slip, only_past_gloss, own_english_word, source_verdict

if TYPE_CHECKING:
    from pipeline.lexicon import Lexicon
    from pipeline.stages.variants.clusters import Cluster
    from pipeline.stages.variants.forms import Form
    from pipeline.stages.variants.options import VariantOptions


# the end of a flag's reason when the pair has evidence, but of a kind the run does not rewrite on
NOT_CHOSEN = "a kind of evidence this run does not rewrite on (--variant-evidence), kept"


@dataclass(frozen=True)
class Decision:
    """What happens to the mentions of one form of a group."""

    form: Form
    target: str
    rewrite: bool  # False: the mentions are flagged instead
    reason: str
    rule: str
    evidence: str = ""  # the kind of evidence of a rewrite


def target_choice(f: Form, c: Cluster, choice: Choice, latin: str) -> Choice | None:
    """Where a form should go, or None when it stays as written.

    Mixed forms (ノヴァAI) go to the group's majority spelling over every
    script; with ``--latin keep`` Latin forms stay, katakana ones take the
    group's spelling.
    """
    if f.kind == "mixed" and latin == "keep":
        return mixed_target(c)
    if latin == "keep" and f.is_latin:
        return None
    return choice


def pair_verdict(
    f: Form, t: Form, c: Cluster, options: VariantOptions, words: Mapping[str, frozenset[str]] | None = None
) -> Verdict:
    """The evidence that ``f`` is a spelling of ``t`` (both forms of group ``c``).

    ``words``: each form's English words in the aligned source (:mod:`.source`);
    they can prove a pair the same name, or prove it two different words.  They
    never override the objection that a name and a common word only look alike, unless
    both forms are several tokens (the common word a piece UniDic cut from a name) or
    the target is UniDic's own spelling of the English word both render
    (:func:`.source.own_english_word`).
    """
    verdict = article_verdict(f, t, c, options)
    from_source = source_verdict(f, t, words or {})
    in_pieces = len(f.tokens) > 1 and len(t.tokens) > 1  # the "common word" is a piece UniDic cut from a name
    if verdict.why.startswith(NAME_AND_WORD) and from_source is not None and from_source.same and not in_pieces:
        # the target is UniDic's own spelling of the English word both render (スワン, glossed swan, beside
        # "Swan"): the look-alike common word is the MT writing that name
        word = own_english_word(t, f, words or {})
        if word is not None:
            why = f'{from_source.why}; UniDic glosses {t.text} as "{word}", the word both render'
            return Verdict(True, why, from_source.evidence)
        lemma = common_slip(f, words or {})
        common_target = len(t.tokens) == 1 and bool(t.tokens[0].reading) and "普通名詞" in t.tokens[0].pos
        if lemma is not None and not common_target:
            # the rewritten form is a common noun (UniDic's サラダ, salad, for a name Sarada) whose sense the English never says,
            # written where it says the name: it takes the name's spelling, never the other way
            why = f"{from_source.why}; {f.text} is UniDic's common noun {lemma}, which the English never says"
            return Verdict(True, why, from_source.evidence)
    if from_source is None or (verdict.why.startswith(NAME_AND_WORD) and not (from_source.same and in_pieces)):
        return verdict
    if not from_source.same or not (verdict.same and verdict.evidence in options.evidence):
        return from_source  # a veto, or the only rewrite evidence there is (that this run rewrites on)
    return verdict


def article_verdict(f: Form, t: Form, c: Cluster, options: VariantOptions) -> Verdict:
    """The evidence the article itself holds that ``f`` is a spelling of ``t``."""
    if t.is_latin and not f.is_latin:
        verdict = compare_latin(t, f)
    elif f.is_latin and not t.is_latin:
        verdict = compare_latin(f, t)
    elif f.is_latin and t.is_latin:
        same = _letters_of(f.text) == _letters_of(t.text)
        verdict = Verdict(same, "same letters", ORTHOGRAPHIC if same else "")
    else:
        verdict = compare_kana(f, t, options)
    if verdict.same and verdict.evidence in options.evidence:
        return verdict
    for g in c.forms:
        if g.is_latin and g is not t and g is not f and compare_latin(g, f).same and compare_latin(g, t).same:
            return Verdict(True, f"both render {g.text} of the same article", BILINGUAL)
    return verdict


def _form_of(c: Cluster, text: str) -> Form | None:
    return next((g for g in c.forms if g.text == text), None)


_JOINER_CAPTURE = re.compile("([・＝=･\\-‐‑－]+)")  # stage._JOINERS, captured


def joined_target(f: Form, c: Cluster, part_targets: dict[str, tuple[str, str]]) -> tuple[str, str, str]:
    """A full name rewritten part by part as the parts' groups decided, with joiners as the group's spelling.

    Returns (target, evidence kind, why); the target is the form itself when nothing changes.
    """
    pieces = _JOINER_CAPTURE.split(f.text)
    canon = _form_of(c, c.canonical)
    canon_pieces = _JOINER_CAPTURE.split(canon.text) if canon and canon.kind == "joined" else pieces
    if len(canon_pieces) != len(pieces):
        canon_pieces = pieces
    out: list[str] = []
    kinds: list[str] = []
    changed: list[str] = []
    for i, piece in enumerate(pieces):
        if i % 2:  # a joiner
            new = canon_pieces[i]
            if new != piece:
                kinds.append(ORTHOGRAPHIC)
                changed.append(f"{piece}→{new}")
            out.append(new)
            continue
        new, kind = part_targets.get(piece, (piece, ""))
        if new != piece:
            kinds.append(kind)
            changed.append(f"{piece}→{new}")
        out.append(new)
    return "".join(out), weakest(kinds), "name parts as their own groups decided (" + ", ".join(changed) + ")"


def decide_group(
    c: Cluster,
    options: VariantOptions,
    lexicon: Lexicon | None,
    part_targets: dict[str, tuple[str, str]],
    words: Mapping[str, frozenset[str]] | None = None,
) -> list[Decision]:
    """The decisions for every form of a group that does not already have its target spelling."""
    choice: Choice = c.choice
    total = c.total
    out: list[Decision] = []
    for f in c.forms:
        target = target_choice(f, c, choice, options.latin)
        if target is None or target.text == f.text:
            continue
        t = _form_of(c, target.text)
        head = f"variant of {target.text} ({f.count} of {total} mentions)"
        if not target.decided:
            out.append(Decision(f, target.text, False, f"{head}: {target.why}, kept", "variant"))
            continue
        if f.kind == "joined" and t is not None and t.kind == "joined":
            new, kind, why = joined_target(f, c, part_targets)
            if new != f.text and allows_rewrite(kind) and kind not in options.evidence:
                out.append(Decision(f, new, False, f"{head}: {EVIDENCE_WORDS[kind]}: {why}; {NOT_CHOSEN}", "variant"))
            elif new != f.text and allows_rewrite(kind):
                reason = f"{head}: {EVIDENCE_WORDS[kind]}: {why}"
                if target.from_source and new == target.text:  # a tie the English broke: say how
                    reason += f"; {target.text} chosen as {target.why}"
                out.append(Decision(f, new, True, reason, "variant", kind))
            elif new != joined_target(t, c, part_targets)[0]:  # still unlike the group's full name: worth a look
                out.append(Decision(f, target.text, False, f"{head}: name parts not rewritten, kept", "variant"))
            continue
        if lexicon is not None and lexicon.canonical_of(f.text) == target.text:
            verdict = Verdict(True, "the lexicon maps it", LEXICON)
        elif t is None:  # a lexicon spelling absent from the article
            verdict = Verdict(True, "the lexicon's house spelling of the group", LEXICON)
        else:
            verdict = pair_verdict(f, t, c, options, words)
        rule = "latin-alias" if f.is_latin or has_latin(target.text) != has_latin(f.text) else "variant"
        if not (verdict.same and allows_rewrite(verdict.evidence)):
            why = f"{verdict.why}; no orthographic, dictionary, bilingual or lexicon evidence"
            out.append(Decision(f, target.text, False, f"{head}: {why}, kept", rule))
            continue
        if verdict.evidence not in options.evidence:
            why = f"{EVIDENCE_WORDS[verdict.evidence]}: {verdict.why}; {NOT_CHOSEN}"
            out.append(Decision(f, target.text, False, f"{head}: {why}", rule))
            continue
        if f.is_latin and f.text.islower() and verdict.why.startswith(SOUND_SKELETON) and not has_latin(target.text):
            # user names, handles, codes and commands are typed in lower case; a name is capitalised
            why = (
                f"{verdict.why}, but a lower-case Latin spelling joined by its sound alone may be a user name or a code"
            )
            out.append(Decision(f, target.text, False, f"{head}: {why}, kept", rule))
            continue
        if t is not None and takes_common_spelling(f.tokens, t.tokens) and verdict.evidence != LEXICON:
            word = own_english_word(t, f, words or {})
            if word is None:
                why = f"{f.text} is a name and {t.text} a common noun"
                out.append(Decision(f, target.text, False, f"{head}: {why}, kept", rule))
                continue
            # the common noun is the English word itself (ヨガ, UniDic's yoga, beside "yoga"): no other word
            said = f'UniDic glosses {t.text} as "{word}", the word both render'
            if said not in verdict.why:  # pair_verdict may have said it already
                verdict = Verdict(verdict.same, f"{verdict.why}; {said}", verdict.evidence)
        slip = only_past_gloss(t, f, words) if t is not None and words and verdict.evidence != LEXICON else None
        if slip is not None:  # the target is heard as the English word only past a dictionary reading never said
            word, gloss = slip
            why = (
                f'{t.text} renders "{word}" only once UniDic\'s reading of it ("{gloss}", which the English never '
                f"says) is set aside, and {f.text} renders it as written: never rewritten toward the slip"
            )
            out.append(Decision(f, target.text, False, f"{head}: {why}, kept", rule))
            continue
        reason = f"{head}: {EVIDENCE_WORDS[verdict.evidence]}: {verdict.why}; {target.text} chosen as {target.why}"
        out.append(Decision(f, target.text, True, reason, rule, verdict.evidence))
    return out


def decide_all(
    groups: list[Cluster],
    options: VariantOptions,
    lexicon: Lexicon | None,
    words: Mapping[str, frozenset[str]] | None = None,
) -> list[Decision]:
    """Decisions for every group: single-part groups first, whose choices the full names then follow.

    ``words`` (from :func:`.source.source_words`) are the English words each
    form's sentences are aligned to, when the document has an English source;
    they also break a group's tie (:func:`.canonical.closest_to_source`).
    """
    part_targets: dict[str, tuple[str, str]] = {}
    out: list[Decision] = []
    joined: list[Cluster] = []
    if words:  # with a source, a tie goes to the spelling closest to the English word all tied forms render
        script = "any" if options.latin == "rewrite" else "kana"
        for c in groups:
            choice = closest_to_source(c, words, script)
            if choice is not None:
                c.choice, c.canonical, c.canonical_why = choice, choice.text, choice.why
    for c in groups:
        if any(f.kind == "joined" for f in c.forms):
            joined.append(c)
            continue
        for d in decide_group(c, options, lexicon, part_targets, words):
            out.append(d)
            if d.rewrite and d.form.kind == "kana":
                part_targets[d.form.text] = (d.target, d.evidence)
    for c in joined:
        out.extend(decide_group(c, options, lexicon, part_targets, words))
        canon = _form_of(c, c.canonical)
        if canon is not None and canon.kind == "joined" and c.choice.decided:
            c.canonical = joined_target(canon, c, part_targets)[0]  # the spelling the full names end in
    return out

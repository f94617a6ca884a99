"""Name/term variant normalisation: find spelling variants, pick one, rewrite.

MT output spells one name several ways in one article (two katakana
renderings, a katakana and a Latin one).  The stage works on the tokens of
the ``tokenise`` stage (never re-tokenising):

1. **Mentions** are maximal runs of katakana tokens (with ー, ・, ヴ), of
   Latin words (``Z Holdings``: words joined by one space) and of both
   scripts touching (``オープンAPI``).  A mention starts and ends on token
   boundaries; a ``・`` inside a token (UniDic keeps some full names whole)
   also counts as a boundary, and a joined name is compared part by part.
2. **Grouping** of katakana forms: same UniDic lemma (ゲイト has lemma
   ゲート), or the same key once the alternations in
   ``data/variants_alternations.tsv`` are folded (ー, small kana, ヴ/ブ,
   ッ, エイ/エー, ティ/チ ...), or a small edit distance between keys with a
   threshold that grows with length.  Look-alikes are kept apart: two
   different dictionary words (ドイル/ドイツ, ジャーナリスト/ジャーナリズム)
   never merge, a key that only extends another (カドゥー/カドゥートヴァ)
   is a different word, and groups merge only when every pair agrees
   (complete linkage), so names sharing one part stay two people.
3. **Bilingual aliases**: a Latin form joins a katakana group when the
   English glosses of the UniDic lemmas spell it (ムーン-moon + ゲート-gate)
   or when the phonetic keys of :mod:`pipeline.romanise` agree.
4. **Canonical form**: the user lexicon first, then the dictionary-standard
   spelling (a form that another form's lemma points to), then the most
   frequent, then the first seen.
5. **Rewrites** are edits with reasons; Latin mentions are rewritten only
   with ``--latin rewrite``.  Mentions overlapping earlier edits are kept and
   flagged, and so is a mention whose change of script would leave one word
   of a longer English phrase or one part of a katakana name in the other
   script (:mod:`.islands`).

``doc.annotations["variants"]`` lists the groups of two or more forms and
every mention of them (original offsets).
"""

from __future__ import annotations

from typing import Any

from pipeline.document import Document, Token
from pipeline.gcpause import paused_gc
from pipeline.lexicon import Lexicon, find_matches, load_lexicons
from pipeline.stages.variants.canonical import choose_canonical, counter_choice
from pipeline.stages.variants.clusters import Cluster, _orthographic_groups, cluster_forms, may_group
from pipeline.stages.variants.decide import NOT_CHOSEN, decide_all
from pipeline.stages.variants.evidence import LEXICON, ORTHOGRAPHIC
from pipeline.stages.variants.forms import collect_forms
from pipeline.stages.variants.islands import mixed_script_reason
from pipeline.stages.variants.mentions import _SEPARATORS, _scan
from pipeline.stages.variants.options import STAGE, VariantOptions
from pipeline.stages.variants.select import select_edits
from pipeline.stages.variants.source import join_by_source, source_words


def normalise_variants(doc: Document, options: VariantOptions) -> None:
    """Group variant spellings, choose a canonical form, rewrite the others as edits."""
    if not options.enabled:
        return
    with paused_gc():  # mentions, forms and groups hold no reference cycles
        _normalise_variants(doc, options)


def _normalise_variants(doc: Document, options: VariantOptions) -> None:
    lexicon = options.lexicon
    if lexicon is None and options.lexicon_paths:
        lexicon = load_lexicons(options.lexicon_paths)
    mentions, counter_tokens = _scan(doc)
    forms = collect_forms(mentions)
    clusters: list[Cluster] = []
    # a form alone makes no record: without an English source (which joins groups, singletons
    # too) a document where no two forms can group is not clustered at all
    if options.discover and ("alignment" in doc.annotations or may_group(list(forms.values()), options)):
        clusters = cluster_forms(list(forms.values()), options)
    # with an English source: the English words each spelling's sentences are aligned to (one walk
    # for the joins and the decisions), and the groups joined on spellings rendering one English word
    words = source_words(doc, forms.values()) if "alignment" in doc.annotations else None
    clusters = join_by_source(doc, clusters, words)
    proposals: list[tuple[int, int, str, str, str]] = []  # start, end, new, rule, reason

    # 1. lexicon hits, on token (and ・) boundaries
    if lexicon:
        for start, end, new, rule, reason in _lexicon_proposals(doc, lexicon):
            if LEXICON in options.evidence:
                proposals.append((start, end, new, rule, reason))
            else:
                doc.flag(start, end, STAGE, rule, f"{reason}; {NOT_CHOSEN}")

    # 2. automatic groups: rewrites on evidence, flags for the rest
    records: list[dict[str, Any]] = []
    mention_records: list[dict[str, Any]] = []
    groups = [c for c in clusters if len(c.forms) >= 2 and not all(f.is_latin for f in c.forms)]
    for c in groups:
        c.choice = choose_canonical(
            c, lexicon, "any" if options.latin == "rewrite" else "kana", batch_counts=options.batch_counts
        )
        c.canonical, c.canonical_why = c.choice.text, c.choice.why
    decisions = decide_all(groups, options, lexicon, words)
    rewritten = {id(d.form) for d in decisions if d.rewrite}
    for c in _inner_groups(groups, rewritten):
        groups.remove(c)
    kept = {id(c) for c in groups}
    for c in groups:
        cid = len(records)
        records.append(
            {
                "canonical": c.canonical,
                "forms": {f.text: f.count for f in sorted(c.forms, key=lambda f: (-f.count, f.first))},
            }
        )
        for f in c.forms:
            for m in f.mentions:
                mention_records.append(
                    {"start": m.start, "end": m.end, "form": m.form, "canonical": c.canonical, "cluster": cid}
                )
    in_kept = {id(f) for c in groups if id(c) in kept for f in c.forms}
    for d in decisions:
        if id(d.form) not in in_kept:
            continue
        for m in d.form.mentions:
            island = (
                d.rewrite
                and d.rule == "latin-alias"
                and mixed_script_reason(
                    doc.original, m.start, m.end, d.target, m.in_name, tuple(t.pos for t in m.tokens)
                )
            )
            if island:
                doc.flag(m.start, m.end, STAGE, d.rule, f"{d.reason}; kept: {island}")
            elif d.rewrite:
                proposals.append((m.start, m.end, d.target, d.rule, d.reason))
            else:
                doc.flag(m.start, m.end, STAGE, d.rule, d.reason)

    # 3. orthographic variants of one word
    if options.orthography and options.discover:
        for (lemma, _), by_surface in _orthographic_groups(counter_tokens).items():
            ranked = sorted(by_surface.items(), key=lambda kv: (-len(kv[1]), kv[1][0].start))
            choice = counter_choice({k: len(v) for k, v in ranked})
            canon = choice.text
            total = sum(len(v) for v in by_surface.values())
            records.append({"canonical": canon, "forms": {k: len(v) for k, v in ranked}})
            cid = len(records) - 1
            for surface, toks in ranked:
                for t in toks:
                    mention_records.append(
                        {"start": t.start, "end": t.end, "form": surface, "canonical": canon, "cluster": cid}
                    )
                    if surface == canon:
                        continue
                    reason = f"spelling of {lemma} ({len(toks)} of {total}): orthographic evidence: {choice.why}"
                    if not choice.decided:
                        doc.flag(t.start, t.end, STAGE, "orthography", f"{reason}, kept")
                    elif ORTHOGRAPHIC not in options.evidence:
                        doc.flag(t.start, t.end, STAGE, "orthography", f"{reason}; {NOT_CHOSEN}")
                    else:
                        proposals.append((t.start, t.end, canon, "orthography", reason))

    edits = select_edits(doc, proposals, STAGE)
    if edits:
        doc.add_edits(edits)
    for e in edits:
        doc.count(STAGE, e.rule)
    mention_records.sort(key=lambda r: (r["start"], r["end"]))
    doc.annotations[STAGE] = {"clusters": records, "mentions": mention_records}


def _inner_groups(groups: list[Cluster], rewritten: set[int]) -> list[Cluster]:
    """Groups that only restate part of a longer grouped name: dropped from the output.

    Holdings / ホールディングス is no group of its own when every mention of
    both lies inside Z Holdings / Zホールディングス (a Latin run or a mixed
    name, written as one unit).  Parts of ・-joined names stay groups: a given
    name or surname is a name of its own (エミリ / エミリー in エミリ・ブロッジ).
    Only a group that would rewrite nothing is dropped, so no rewrite is lost.
    """
    spans = [[(m.start, m.end) for f in c.forms for m in f.mentions] for c in groups]
    units = [
        [(m.start, m.end) for f in c.forms if f.kind in ("latin-run", "mixed") for m in f.mentions] for c in groups
    ]
    out = []
    for i, c in enumerate(groups):
        if any(id(f) in rewritten for f in c.forms):
            continue
        others = [sp for j, group_spans in enumerate(units) if j != i for sp in group_spans]
        if others and all(any(a <= s and e <= b and b - a > e - s for a, b in others) for s, e in spans[i]):
            out.append(c)
    return out


def _lexicon_proposals(doc: Document, lexicon: Lexicon) -> list[tuple[int, int, str, str, str]]:
    out: list[tuple[int, int, str, str, str]] = []
    for s in doc.sentences:
        if not s.tokens:
            continue
        a, b = s.tokens[0].start, s.tokens[-1].end
        text = doc.original[a:b]
        starts: set[int] = set()
        ends: set[int] = set()
        for t in s.tokens:
            starts.add(t.start - a)
            ends.add(t.end - a)
            if original_matches(doc, t):
                for i, ch in enumerate(t.surface):
                    if ch in _SEPARATORS:
                        ends.add(t.start - a + i)
                        starts.add(t.start - a + i + 1)
        for m in find_matches(lexicon, text, starts, ends, base=a):
            where = m.entry.source or "lexicon"
            out.append(
                (
                    m.start,
                    m.end,
                    m.new,
                    "lexicon",
                    f"house spelling {m.new} for {doc.original[m.start : m.end]} (lexicon {where})",
                )
            )
    return out


def original_matches(doc: Document, t: Token) -> bool:
    return doc.original[t.start : t.end] == t.surface

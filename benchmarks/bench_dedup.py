"""Sentence deduplication: speed on a 20,000-sentence document, false positives and recall on the dev set.

    python benchmarks/bench_dedup.py speed      # 5k/10k/20k-sentence documents, both scopes
    python benchmarks/bench_dedup.py quality    # removals on real text + recall of injected repeats
    python benchmarks/bench_dedup.py quality --skip-variants   # the same without variant clusters
    python benchmarks/bench_dedup.py profile    # dedup vs bare tokenisation on the 320 dev texts (+ cProfile)
    python benchmarks/bench_dedup.py check --write REF.jsonl        # dump every dedup edit and flag
    python benchmarks/bench_dedup.py check --check-against REF.jsonl  # the same output, or a diff

Check: every dedup edit (span, rule, reason) and flag of the 320 dev texts and
of the injected-repeat set (seed 5), in both scopes, with and without the
variants stage.  An optimisation must leave this dump byte-identical.

Speed: characters per second of the dedup stage alone (tokens made beforehand)
and of the whole pipeline, with the ratio to bare fugashi tokenisation of the
same text in the same run.  The time per sentence stays flat from 5,000 to
20,000 sentences: no all-pairs comparison.

Quality: every real text of the dev set (reference and 15 MT outputs, no
repeats injected) is cleaned and each dedup removal is a false positive
unless checked otherwise by eye.  Then repeats are injected into the same
texts (one line in four): an exact copy of a sentence, its tail as a sentence
of its own, or a copy with a spelling change (a katakana word with a long
vowel added or dropped, a comma dropped).  A repeat counts as found when one
of its two copies is removed (the fragment itself for tails); any other
removal is a false positive.  Exact copies are reported in three groups:
``exact``, ``quoted`` (a whole quoted sentence 「…。」 copied right after
itself: removed since round 3) and ``speech`` (a copy of part of a quotation
that runs over several sentences).  A ``loop`` edit that removes an injected
copy (a copy the segmenter left inside the sentence, ``…」…」``) counts as
found; loop edits elsewhere are bench_loops.py's matter, not false positives.
``--distant remove`` runs with ``--dedup-distant remove``.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import json
import pstats
import random
import re
import sys
import time
from dataclasses import dataclass

from common import bare_tokenise, best_of, dev_texts, print_recall

from pipeline.document import Document
from pipeline.run import Config, clean_text
from pipeline.stages.dedup import DedupOptions, is_speech, is_whole_quotation, remove_duplicates
from pipeline.stages.segment import segment_document, split_sentences
from pipeline.stages.tokenise import get_tagger, tokenise_document

FALLBACK = [
    "東京の会社は新しい計画を発表した。",
    "担当者は「来年には完成する」と述べた。",
    "DeepAIのCEOも記者会見に出席した。",
    "市場関係者はこの動きを好意的に受け止めている。",
]


def real_lines() -> list[str]:
    lines = [ln.strip() for _, t in dev_texts() for ln in t.splitlines() if ln.strip()]
    return lines or [f"{i}番目の段落で、" + FALLBACK[i % len(FALLBACK)] for i in range(2000)]


def build_document(n_sentences: int, lines: list[str]) -> str:
    """A long document of real lines (paragraphs of 8 lines), with a repeat every 10th line."""
    out: list[str] = []
    count = 0
    i = 0
    while count < n_sentences:
        line = lines[i % len(lines)]
        spans = split_sentences(line)
        if i % 10 == 3 and spans:
            a, b = spans[-1]
            line = line + line[a:b]  # an exact repeat of the last sentence
        out.append(line)
        count += len(spans) + (i % 10 == 3)
        i += 1
        if i % 8 == 0:
            out.append("")
    return "\n".join(out) + "\n"


def prepared(text: str) -> Document:
    doc = Document(text)
    segment_document(doc)
    tokenise_document(doc)
    return doc


def speed(args: argparse.Namespace) -> None:
    lines = real_lines()
    get_tagger()
    print(
        f"{'sentences':>9} {'scope':>9} {'chars':>10} {'dedup s':>8} {'us/sent':>8} {'dedup chars/s':>14} {'ratio':>7} {'removed':>8}"
    )
    for n in args.sizes:
        text = build_document(n, lines)
        base = best_of(lambda text=text: bare_tokenise([text]), args.repeat)
        for scope in ("paragraph", "document"):
            opts = DedupOptions(scope=scope)
            best = float("inf")
            removed = 0
            for _ in range(args.repeat):
                doc = prepared(text)
                t0 = time.perf_counter()
                remove_duplicates(doc, opts)
                best = min(best, time.perf_counter() - t0)
                removed = sum(1 for e in doc.edits if e.stage == "dedup")
            ns = len(doc.sentences)
            print(
                f"{ns:9,} {scope:>9} {len(text):10,} {best:8.3f} {best / ns * 1e6:8.1f} "
                f"{len(text) / best:14,.0f} {base / best:7.2f} {removed:8,}"
            )
        t = best_of(lambda text=text: clean_text(text), 1)
        print(f"{'':9} {'pipeline':>9} {len(text):10,} {t:8.3f} {'':8} {len(text) / t:14,.0f} {base / t:7.2f}")
        print(f"{'':9} {'fugashi':>9} {len(text):10,} {base:8.3f} {'':8} {len(text) / base:14,.0f} {1.0:7.2f}")


# -- quality ---------------------------------------------------------------------
_KATAKANA_WORD = re.compile(r"[\u30a1-\u30fa]{2,}ー?[\u30a1-\u30faー]*")


def spelling_change(sentence: str) -> str | None:
    """The sentence with one katakana word respelt (ー added or dropped) and one comma dropped."""
    m = _KATAKANA_WORD.search(sentence)
    if not m:
        return None
    word = m.group()
    new = word.replace("ー", "", 1) if "ー" in word else word[:2] + "ー" + word[2:]
    out = sentence[: m.start()] + new + sentence[m.end() :]
    return out.replace("、", "", 1)


def tail_of(sentence: str) -> str | None:
    """The last clause of a sentence (after its last comma or topic particle), as a sentence."""
    body = sentence.rstrip("。")
    cut = max(body.rfind("、"), body.rfind("は"), body.rfind("が"))
    if cut < len(body) // 3 or len(body) - cut < 8:
        return None
    return body[cut + 1 :] + "。"


@dataclass
class Injection:
    kind: str
    orig: tuple[int, int]  # the sentence copied (offsets in the injected text)
    copy: tuple[int, int]  # the injected sentence


def inject(text: str, rng: random.Random, every: int = 4) -> tuple[str, list[Injection]]:
    """Repeats injected after one sentence in every ``every``-th line (kinds in turn)."""
    out: list[str] = []
    injections: list[Injection] = []
    pos = 0
    kinds = ("exact", "fragment", "near")
    k = 0
    for i, line in enumerate(text.split("\n")):
        spans = [(a, b) for a, b in split_sentences(line) if b - a >= 20]
        if i % every == every - 1 and spans:
            a, b = rng.choice(spans)
            sent = line[a:b]
            kind = kinds[k % 3]
            piece = sent if kind == "exact" else tail_of(sent) if kind == "fragment" else spelling_change(sent)
            if piece:
                k += 1
                label = kind
                if kind == "exact" and is_whole_quotation(sent):
                    label = "quoted"  # 「…。」「…。」: an adjacent copy of a whole quoted sentence
                elif kind == "exact" and is_speech(sent):
                    label = "speech"  # a copy of part of a quotation running over sentences: kept by design
                injections.append(Injection(label, (pos + a, pos + b), (pos + b, pos + b + len(piece))))
                line = line[:b] + piece + line[b:]
        out.append(line)
        pos += len(line) + 1
    return "\n".join(out), injections


def quality(args: argparse.Namespace) -> None:
    texts = dev_texts()
    if not texts:
        print("the dev set is absent: nothing to measure", file=sys.stderr)
        return
    skip = frozenset({"variants"}) if args.skip_variants else frozenset()
    config = Config(dedup=DedupOptions(scope=args.scope, distant=args.distant), skip=skip)
    sentences = removed = flags = 0
    print("== real text, no repeats injected: every removal is listed ==")
    for name, text in texts:
        doc = clean_text(text, config)
        sentences += len(doc.sentences)
        flags += sum(1 for f in doc.flags if f.stage == "dedup")
        for e in doc.edits:
            if e.stage == "dedup" and e.rule != "loop":
                removed += 1
                print(f"  {name}: {e.rule}: {e.old!r} | {e.reason}")
    print(f"texts {len(texts)}, sentences {sentences:,}, removed {removed}, flagged {flags}")

    print("\n== repeats injected (one line in four) ==")
    rng = random.Random(args.seed)
    found = {k: 0 for k in ("exact", "quoted", "speech", "fragment", "near")}
    total = dict.fromkeys(found, 0)
    false_pos = 0
    missed: list[str] = []
    for name, text in texts:
        injected, injections = inject(text, rng)
        doc = clean_text(injected, config)
        hit = set()
        for e in doc.edits:
            if e.stage != "dedup":
                continue
            ok = False
            for j, inj in enumerate(injections):
                targets = [inj.copy] if inj.kind == "fragment" else [inj.copy, inj.orig]
                if any(e.start < t[1] and t[0] < e.end and e.end - e.start <= t[1] - t[0] + 3 for t in targets):
                    hit.add(j)
                    ok = True
            if not ok and e.rule != "loop":  # a loop edit elsewhere: benchmarks/bench_loops.py judges those
                false_pos += 1
                print(f"  false positive {name}: {e.rule}: {e.old!r} | {e.reason}")
        for j, inj in enumerate(injections):
            total[inj.kind] += 1
            if j in hit:
                found[inj.kind] += 1
            elif len(missed) < args.show_missed:
                missed.append(f"  missed {inj.kind} in {name}: {injected[inj.orig[0] : inj.copy[1]]!r}")
    print("\n".join(missed))
    print_recall(found, total, "found", 9)
    print(f"false positives with injections: {false_pos}")


# -- reference dump and check ------------------------------------------------------
def dedup_output(doc: Document) -> dict:
    """What the dedup stage decided for one document: edits, flags, annotation."""
    return {
        "edits": [
            [e.start, e.end, e.rule, e.reason, [s.rule for s in e.supersedes]] for e in doc.edits if e.stage == "dedup"
        ],
        "flags": [[f.start, f.end, f.rule, f.reason] for f in doc.flags if f.stage == "dedup"],
        "annotation": doc.annotations.get("dedup"),
    }


def check_records(seed: int = 5) -> list[dict]:
    """Dedup output of every dev text and every injected text, in each scope and variants setting."""
    texts = dev_texts()
    rng = random.Random(seed)
    injected = [(f"{name}+inj", inject(text, rng)[0]) for name, text in texts]
    out = []
    for scope in ("paragraph", "document"):
        for skip in (frozenset(), frozenset({"variants"})):
            config = Config(dedup=DedupOptions(scope=scope), skip=skip)
            for name, text in texts + injected:
                doc = clean_text(text, config)
                out.append({"text": name, "scope": scope, "skip": sorted(skip), **dedup_output(doc)})
    return out


def check(args: argparse.Namespace) -> None:
    if not dev_texts():
        print("the dev set is absent: nothing to check", file=sys.stderr)
        return
    t0 = time.perf_counter()
    records = check_records(args.seed)
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records]
    n_edits = sum(len(r["edits"]) for r in records)
    n_flags = sum(len(r["flags"]) for r in records)
    print(f"{len(records)} runs, {n_edits} dedup edits, {n_flags} flags ({time.perf_counter() - t0:.1f} s)")
    if args.write:
        with open(args.write, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        print(f"written to {args.write}")
    if args.check_against:
        with open(args.check_against, encoding="utf-8") as f:
            ref = f.read().splitlines()
        diffs = [(a, b) for a, b in zip(ref, lines, strict=False) if a != b]
        if len(ref) != len(lines):
            print(f"DIFFERENT: {len(ref)} reference runs, {len(lines)} now")
        for a, b in diffs[:10]:
            ra, rb = json.loads(a), json.loads(b)
            print(f"DIFFERENT: {ra['text']} scope={ra['scope']} skip={ra['skip']}")
            for part in ("edits", "flags", "annotation"):
                if ra[part] != rb[part]:
                    print(f"  {part}:\n    was {ra[part]}\n    now {rb[part]}")
        if diffs or len(ref) != len(lines):
            print(f"{len(diffs)} runs differ")
            sys.exit(1)
        print(f"identical to {args.check_against}")


def profile(args: argparse.Namespace) -> None:
    """The dedup stage on the 320 dev texts against bare tokenisation of the same texts.

    Documents are run up to the variants stage beforehand; the dedup stage
    alone is timed, in CPU seconds and wall seconds, best of ``--repeat``.
    """
    from pipeline.run import STAGES, run_stages

    texts = [t for _, t in dev_texts()]
    if not texts:
        print("the dev set is absent: nothing to profile", file=sys.stderr)
        return
    get_tagger()
    chars = sum(map(len, texts))
    config = Config(dedup=DedupOptions(scope=args.scope))
    upto = tuple(s for s in STAGES if s.name not in ("dedup", "lines"))

    def prepared_docs() -> list[Document]:
        docs = []
        for t in texts:
            d = Document(t)
            run_stages(d, config, upto)
            docs.append(d)
        return docs

    rows = []
    for clock, best in (("cpu", functools.partial(best_of, clock=time.process_time)), ("wall", best_of)):
        base = best(lambda: bare_tokenise(texts), args.repeat)
        dedup = float("inf")
        for _ in range(args.repeat):
            docs = prepared_docs()
            dedup = min(dedup, best(lambda docs=docs: [remove_duplicates(d, config.dedup) for d in docs], 1))
        rows.append((clock, base, dedup))
    print(f"320 dev texts, {chars:,} characters, scope {args.scope}, best of {args.repeat}")
    print(f"{'':22} {'seconds':>8} {'chars/s':>12} {'x tokenise time':>16}")
    for clock, base, dedup in rows:
        print(f"{'bare fugashi (' + clock + ')':22} {base:8.3f} {chars / base:12,.0f} {1.0:16.2f}")
        print(f"{'dedup stage (' + clock + ')':22} {dedup:8.3f} {chars / dedup:12,.0f} {dedup / base:16.2f}")
    if args.cprofile:
        docs = prepared_docs()
        prof = cProfile.Profile()
        prof.enable()
        for d in docs:
            remove_duplicates(d, config.dedup)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(args.cprofile)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    sp = sub.add_parser("speed")
    sp.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000])
    sp.add_argument("--repeat", type=int, default=3)
    q = sub.add_parser("quality")
    q.add_argument("--scope", choices=("paragraph", "document"), default="paragraph")
    q.add_argument("--skip-variants", action="store_true", help="run without the variants stage")
    q.add_argument("--distant", choices=("flag", "remove"), default="flag", help="--dedup-distant")
    q.add_argument("--seed", type=int, default=5)
    q.add_argument("--show-missed", type=int, default=15)
    c = sub.add_parser("check")
    c.add_argument("--write", metavar="FILE", help="write the reference dump (JSON Lines)")
    c.add_argument("--check-against", metavar="FILE", help="compare with a reference dump; exit 1 on a difference")
    c.add_argument("--seed", type=int, default=5)
    p = sub.add_parser("profile")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--scope", choices=("paragraph", "document"), default="paragraph")
    p.add_argument("--cprofile", type=int, default=0, metavar="N", help="also print the N costliest functions")
    args = ap.parse_args()
    {"speed": speed, "quality": quality, "check": check, "profile": profile}[args.what](args)


if __name__ == "__main__":
    main()

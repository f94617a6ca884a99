"""Quality and speed of the variants stage against a gold file of variant groups.

    python benchmarks/bench_variants.py [--gold FILE] [--show-errors] [--latin keep|rewrite]
    python benchmarks/bench_variants.py --dump REF.json           # every variants edit/cluster/mention/flag
    python benchmarks/bench_variants.py --check-against REF.json  # the same output, or the differences
    python benchmarks/bench_variants.py --profile                 # cProfile of the stage alone
    python benchmarks/bench_variants.py --properties              # idempotence and majority on WMT21 + WMT22 dev
    python benchmarks/bench_variants.py --batch-ties              # ties broken by the article's batch (16 texts)

The texts are benchmarks/common.py's ``dev_texts()`` (``$WMT21_DEV`` or
../shared/data/wmt21-enja-dev; skipped with a message when absent).  The gold file (``variants-gold.jsonl``) has one JSON object per
line: ``doc``, ``text`` (the file ``DIR/<doc>/<text>.ja.txt``), ``label``
(``same``: forms of one word; ``different``: look-alikes that must stay
apart) and ``forms``.

Scores are over pairs of gold forms in one text.  A pair is *predicted same*
when both forms end up in one group of the stage's output; a gold form that
is a ・-joined name counts as grouped with another when every part maps to the
same group (``エミリ・ブロッジ`` / ``エミリー・ブロッジ``) or the whole name is a
form of the group.

* recall    = same pairs predicted same / all same pairs
* precision = same pairs predicted same / (that + different pairs predicted same)
* strict precision also counts, as errors, grouped pairs of forms that the
  gold lists in no group at all (the gold is meant to list every real group)

Speed: characters per second of the variants stage alone (documents
tokenised beforehand, best of ``--repeat`` runs) and of the whole pipeline,
with the ratio to common.py's ``bare_tokenise`` (the project's one baseline)
of the same texts measured in the same run.

Check: ``--dump`` writes, per text, the variants edits, clusters, mentions
and flags as JSON; ``--check-against`` recomputes them and reports every text
whose output differs (exit status 1), so a speed change can be shown to keep
results identical.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import os
import pstats
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

from common import DEV_DATA, bare_tokenise, dev_texts  # noqa: E402

from pipeline.document import Document  # noqa: E402
from pipeline.run import STAGES, Config, clean_text, run_stages  # noqa: E402
from pipeline.stages.tokenise import get_tagger  # noqa: E402
from pipeline.stages.variants import VariantOptions, clear_caches, normalise_variants, spelling_counts  # noqa: E402

_SEP = re.compile(r"[・＝=･\-]")


def load_gold(path: str) -> dict[tuple[str, str], list[dict]]:
    by_text: dict[tuple[str, str], list[dict]] = defaultdict(list)
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                by_text[(r["doc"], r["text"])].append(r)
    return by_text


def group_of(form: str, member: dict[str, int]) -> tuple:
    """A comparable value: the group id of the form, or of each of its parts."""
    if form in member:
        return ("g", member[form])
    parts = [p for p in _SEP.split(form) if p]
    if len(parts) > 1:
        return tuple(("g", member[p]) if p in member else ("f", p) for p in parts)
    return ("f", form)


def score_rewrites(edits: list[dict], gold: list[dict]) -> dict[str, list]:
    """Pairs of gold katakana forms that end in one spelling through the stage's rewrites.

    ``rw_tp``/``rw_fn``: gold "same" pairs unified or not; ``rw_fp``: gold
    "different" pairs unified by a rewrite.  A form's final spelling is the
    ``new`` of a variants edit of it, else the form (pairs with a Latin letter
    are left out: ``--latin keep`` never unifies them).
    """
    final: dict[str, str] = {}
    for e in edits:
        final.setdefault(e["old"], e["new"])
    out: dict[str, list] = {"rw_tp": [], "rw_fn": [], "rw_fp": []}
    for r in gold:
        forms = [f for f in r["forms"] if not re.search("[A-Za-z]", f)]
        for a, b in itertools.combinations(forms, 2):
            unified = final.get(a, a) == final.get(b, b)
            if r["label"] == "same":
                out["rw_tp" if unified else "rw_fn"].append((a, b))
            elif unified:
                out["rw_fp"].append((a, b))
    return out


def score_text(clusters: list[dict], gold: list[dict]) -> dict[str, list]:
    member: dict[str, int] = {}
    for i, c in enumerate(clusters):
        for f in c["forms"]:
            member.setdefault(f, i)
    out: dict[str, list] = {"tp": [], "fn": [], "fp": [], "tn": [], "unjudged": []}
    gold_same_pairs: set[frozenset[str]] = set()
    gold_forms: set[str] = set()
    for r in gold:
        forms = r["forms"]
        gold_forms.update(forms)
        for a, b in itertools.combinations(forms, 2):
            same = group_of(a, member) == group_of(b, member)
            if r["label"] == "same":
                gold_same_pairs.add(frozenset((a, b)))
                out["tp" if same else "fn"].append((a, b))
            else:
                out["fp" if same else "tn"].append((a, b))
    # predicted pairs the gold does not list as a same group
    for c in clusters:
        for a, b in itertools.combinations(c["forms"], 2):
            if frozenset((a, b)) in gold_same_pairs:
                continue
            if _covered(a, b, gold_same_pairs):
                continue
            out["unjudged"].append((a, b))
    return out


def _covered(a: str, b: str, pairs: set[frozenset[str]]) -> bool:
    """A predicted pair the gold holds under its part/whole naming convention."""
    for p in pairs:
        x, y = tuple(p)
        for u, v in ((x, y), (y, x)):
            if (a == u or a in _SEP.split(u)) and (b == v or b in _SEP.split(v)):
                return True
            if (a in _SEP.split(u) or u in _SEP.split(a)) and (b in _SEP.split(v) or v in _SEP.split(b)):
                return True
    return False


def stage_output(doc: Document) -> dict[str, Any]:
    """What the variants stage decided for one document, JSON-ready."""
    ann = doc.annotations.get("variants", {})
    return {
        "edits": [e.to_json() for e in doc.edits if e.stage == "variants"],
        "clusters": ann.get("clusters", []),
        "mentions": ann.get("mentions", []),
        "flags": [f.to_json() for f in doc.flags if f.stage == "variants"],
    }


def tokenised(texts: list[str]) -> list[Document]:
    """Documents run up to (not including) the variants stage."""
    pre = tuple(s for s in STAGES if s.name in ("markup", "segment", "blocks", "tokenise"))
    return [run_stages(Document(t), Config(), pre) for t in texts]


def time_stage(texts: list[str], options: VariantOptions, repeat: int) -> tuple[float, float]:
    """Seconds of bare tokenisation and of the variants stage alone over all texts, best of ``repeat`` runs.

    The two are timed text by text, interleaved, in CPU time of this process
    (``time.process_time``), so that load from other processes on a shared
    machine does not count and hits both alike.  Each run starts with empty
    string caches (what one pass of a batch pays) and, as in the pipeline,
    holds one tokenised document at a time.
    """
    pre = tuple(s for s in STAGES if s.name in ("markup", "segment", "blocks", "tokenise"))
    best_tok = best_var = float("inf")
    for _ in range(repeat):
        clear_caches()
        t_tok = t_var = 0.0
        for text in texts:
            t0 = time.process_time()
            bare_tokenise([text])
            t_tok += time.process_time() - t0
            doc = run_stages(Document(text), Config(), pre)
            t0 = time.process_time()
            normalise_variants(doc, options)
            t_var += time.process_time() - t0
        best_tok, best_var = min(best_tok, t_tok), min(best_var, t_var)
    return best_tok, best_var


def check_against(path: str, outputs: dict[str, dict[str, Any]]) -> int:
    """Print the texts whose output differs from a --dump file; 1 if any does."""
    with open(path, encoding="utf-8") as fh:
        ref = json.load(fh)
    now = json.loads(json.dumps(outputs, ensure_ascii=False))  # tuples become lists, as in the file
    bad = [n for n in sorted(set(ref) | set(now)) if ref.get(n) != now.get(n)]
    for n in bad[:20]:
        for part in ("edits", "clusters", "mentions", "flags"):
            a, b = (ref.get(n) or {}).get(part), (now.get(n) or {}).get(part)
            if a != b:
                print(f"DIFFERS {n} {part}")
                print(f"  ref: {json.dumps(a, ensure_ascii=False)[:300]}")
                print(f"  now: {json.dumps(b, ensure_ascii=False)[:300]}")
    print(f"check: {len(now) - len(bad)} of {len(ref)} texts identical" + (f", {len(bad)} differ" if bad else ""))
    return 1 if bad else 0


WMT22_DEV = Path(os.environ.get("WMT22_DEV", Path(HERE).parents[1] / "shared" / "data" / "wmt22-enja-dev"))


def all_dev_texts() -> list[tuple[str, str]]:
    """Every Japanese text of the WMT21 and WMT22 dev sets (name, text); absent sets are skipped."""
    named = [(f"wmt21/{n}", t) for n, t in dev_texts()] if DEV_DATA.is_dir() else []
    if WMT22_DEV.is_dir():
        for folder in sorted(p for p in WMT22_DEV.iterdir() if p.is_dir()):
            for f in sorted(folder.glob("*.ja.txt")):
                named.append((f"wmt22/{folder.name}/{f.name}", f.read_text(encoding="utf-8")))
    return named


def majority_violations(doc: Document) -> list[str]:
    """Variant rewrites (not lexicon, not a full name following its parts) of a group's unique majority spelling."""
    ann = doc.annotations.get("variants", {})
    out = []
    for e in doc.edits:
        if e.stage != "variants" or e.rule not in ("variant", "latin-alias") or "name parts as" in e.reason:
            continue
        for c in ann.get("clusters", []):
            counts = c["forms"]
            if e.old in counts:
                top = max(counts.values())
                if counts[e.old] == top and sum(n == top for n in counts.values()) == 1:
                    out.append(f"{e.old}->{e.new} ({counts})")
    return out


def check_properties(named: list[tuple[str, str]]) -> int:
    """Idempotence (a second clean makes no variant edit) and majority kept, on every text; 1 if any fails."""
    bad_idem: list[str] = []
    bad_major: list[str] = []
    for name, text in named:
        once = clean_text(text)
        twice = clean_text(once.text)
        again = [f"{e.old}->{e.new}" for e in twice.edits if e.stage == "variants"]
        if again:
            bad_idem.append(f"{name}: {again[:5]}")
        bad_major.extend(f"{name}: {v}" for v in majority_violations(once))
    print(f"texts: {len(named)}")
    print(f"idempotence: {len(named) - len(bad_idem)} of {len(named)} texts make no variant edit when cleaned again")
    for line in bad_idem[:20]:
        print(f"  AGAIN {line}")
    print(f"majority kept: {len(bad_major)} rewrites of a group's unique majority spelling")
    for line in bad_major[:20]:
        print(f"  MAJORITY {line}")
    return 1 if bad_idem or bad_major else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=None, help="gold file (default: variants-gold.jsonl of the dev set)")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--latin", choices=("keep", "rewrite"), default="keep")
    ap.add_argument("--limit", type=int, default=0, help="only the first N texts (quick runs)")
    ap.add_argument("--repeat", type=int, default=3, help="timing runs (the best counts)")
    ap.add_argument("--dump", metavar="FILE", help="write the stage's output per text as JSON")
    ap.add_argument("--check-against", metavar="FILE", help="compare the stage's output with a --dump file")
    ap.add_argument("--profile", action="store_true", help="cProfile the stage alone (top 25 by own time)")
    ap.add_argument("--properties", action="store_true", help="idempotence and majority on WMT21 + WMT22 dev")
    ap.add_argument("--batch-ties", action="store_true", help="break ties by the counts of the article's batch")
    args = ap.parse_args(argv)
    if args.properties:
        return check_properties(all_dev_texts())
    named = dev_texts()
    gold_path = args.gold or str(DEV_DATA / "variants-gold.jsonl")
    if not named or not os.path.exists(gold_path):
        print(f"skipped: no dev data at {DEV_DATA}")
        return 0
    if args.limit:
        named = named[: args.limit]
    options = VariantOptions(latin=args.latin)
    texts = [t for _, t in named]
    chars = sum(len(t) for t in texts)
    batch_counts: dict[str, Counter[str]] = defaultdict(Counter)
    if args.batch_ties:  # one batch per article: its 15 systems and the reference
        for (name, _), doc in zip(named, tokenised(texts), strict=True):
            batch_counts[name.split("/", 1)[0]] += spelling_counts(doc)

    if args.profile:
        docs = tokenised(texts)
        clear_caches()
        prof = cProfile.Profile()
        prof.enable()
        for d in docs:
            normalise_variants(d, options)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return 0

    gold = load_gold(gold_path)
    outputs: dict[str, dict[str, Any]] = {}
    totals: dict[str, int] = defaultdict(int)
    errors: dict[str, list] = defaultdict(list)
    t0 = time.process_time()
    for name, text in named:
        doc_options = options
        if args.batch_ties:
            doc_options = replace(options, batch_counts=batch_counts[name.split("/", 1)[0]])
        doc = clean_text(text, Config(variants=doc_options))
        outputs[name] = stage_output(doc)
        folder, file = name.split("/", 1)
        key = (folder, file.removesuffix(".ja.txt"))
        scores = score_text(outputs[name]["clusters"], gold.get(key, []))
        scores.update(score_rewrites(outputs[name]["edits"], gold.get(key, [])))
        for k, v in scores.items():
            totals[k] += len(v)
            errors[k].extend((*key, pair) for pair in v)
    t_all = time.process_time() - t0

    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as fh:
            json.dump(outputs, fh, ensure_ascii=False, indent=0, sort_keys=True)
        print(f"wrote {args.dump} ({len(outputs)} texts)")
    status = check_against(args.check_against, outputs) if args.check_against else 0

    get_tagger()
    t_tok, t_var = time_stage(texts, options, args.repeat)
    tp, fn, fp, unj = totals["tp"], totals["fn"], totals["fp"], totals["unjudged"]
    recall = tp / (tp + fn) if tp + fn else 0.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    strict = tp / (tp + fp + unj) if tp + fp + unj else 0.0
    print(f"texts: {len(texts)}  characters: {chars}")
    print(f"same pairs: {tp + fn}  found: {tp}  recall: {recall:.3f}")
    print(f"different pairs: {fp + totals['tn']}  wrongly merged: {fp}  precision: {precision:.3f}")
    print(f"grouped pairs not in the gold: {unj}  strict precision: {strict:.3f}")
    rw_tp, rw_fn, rw_fp = totals["rw_tp"], totals["rw_fn"], totals["rw_fp"]
    print(
        f"rewrites (katakana pairs): same pairs unified {rw_tp} of {rw_tp + rw_fn}"
        f" ({rw_tp / max(1, rw_tp + rw_fn):.3f}); different pairs unified: {rw_fp}"
    )
    print(f"bare fugashi (common.bare_tokenise), CPU: {chars / t_tok:>12,.0f} chars/s  {t_tok:.3f} s")
    print(
        f"variants stage alone, CPU:           {chars / t_var:>12,.0f} chars/s  {t_var:.3f} s  ({t_var / t_tok:.2f}x tokenisation)"
    )
    print(
        f"whole pipeline (one run), CPU:       {chars / t_all:>12,.0f} chars/s  {t_all:.3f} s  ({t_tok / t_all:.2f} of bare tokenisation throughput)"
    )
    if args.show_errors:
        for k in ("fn", "fp", "unjudged", "rw_fp"):
            print(f"\n== {k} ==")
            for d, name, pair in errors[k]:
                print(f"{d}\t{name}\t{' / '.join(pair)}")
    return status


if __name__ == "__main__":
    sys.exit(main())

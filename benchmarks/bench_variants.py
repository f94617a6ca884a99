"""Quality and speed of the variants stage against a gold file of variant groups.

    python benchmarks/bench_variants.py [--data DIR] [--gold FILE] [--show-errors] [--latin keep|rewrite]

DIR defaults to ../shared/data/wmt21-enja-dev (skipped with a message when
absent).  The gold file (``variants-gold.jsonl``) has one JSON object per
line: ``doc``, ``text`` (the file ``DIR/<doc>/<text>.ja.txt``), ``label``
(``same``: forms of one word; ``different``: look-alikes that must stay
apart) and ``forms``.

Scores are over pairs of gold forms in one text.  A pair is *predicted same*
when both forms end up in one group of the stage's output; a gold form that
is a ・-joined name counts as grouped with another when every part maps to the
same group (``ソフィ・リッジ`` / ``ソフィー・リッジ``) or the whole name is a
form of the group.

* recall    = same pairs predicted same / all same pairs
* precision = same pairs predicted same / (that + different pairs predicted same)
* strict precision also counts, as errors, grouped pairs of forms that the
  gold lists in no group at all (the gold is meant to list every real group)

Speed: characters per second of the whole pipeline (``clean_text``) and of
the variants stage alone, and the ratio to bare fugashi tokenisation of the
same texts measured in the same run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import sys
import time
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from pipeline.run import Config, clean_text  # noqa: E402
from pipeline.stages.tokenise import get_tagger  # noqa: E402
from pipeline.stages.variants import VariantOptions  # noqa: E402

DEFAULT_DATA = os.path.join(os.path.dirname(HERE), "..", "shared", "data", "wmt21-enja-dev")
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--gold", default=None)
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--latin", choices=("keep", "rewrite"), default="keep")
    ap.add_argument("--limit", type=int, default=0, help="only the first N texts (quick runs)")
    args = ap.parse_args(argv)
    gold_path = args.gold or os.path.join(args.data, "variants-gold.jsonl")
    if not os.path.isdir(args.data) or not os.path.exists(gold_path):
        print(f"skipped: no dev data at {args.data}")
        return 0
    gold = load_gold(gold_path)
    texts: list[tuple[str, str, str]] = []
    for d in sorted(os.listdir(args.data)):
        folder = os.path.join(args.data, d)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(".ja.txt"):
                with open(os.path.join(folder, name), encoding="utf-8") as fh:
                    texts.append((d, name[: -len(".ja.txt")], fh.read()))
    if args.limit:
        texts = texts[: args.limit]
    config = Config(variants=VariantOptions(latin=args.latin))
    totals: dict[str, int] = defaultdict(int)
    errors: dict[str, list] = defaultdict(list)
    chars = 0
    t_all = t_var = 0.0
    for d, name, text in texts:
        chars += len(text)
        t0 = time.perf_counter()
        doc = clean_text(text, config)
        t_all += time.perf_counter() - t0
        t_var += doc.stats.get("variants", {}).get("seconds", 0.0)
        clusters = doc.annotations.get("variants", {}).get("clusters", [])
        res = score_text(clusters, gold.get((d, name), []))
        for k, v in res.items():
            totals[k] += len(v)
            errors[k].extend((d, name, pair) for pair in v)
    t0 = time.perf_counter()
    tagger = get_tagger()
    for _, _, text in texts:
        for line in text.splitlines():
            tagger(line)
    t_tok = time.perf_counter() - t0
    tp, fn, fp, unj = totals["tp"], totals["fn"], totals["fp"], totals["unjudged"]
    recall = tp / (tp + fn) if tp + fn else 0.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    strict = tp / (tp + fp + unj) if tp + fp + unj else 0.0
    print(f"texts: {len(texts)}  characters: {chars}")
    print(f"same pairs: {tp + fn}  found: {tp}  recall: {recall:.3f}")
    print(f"different pairs: {fp + totals['tn']}  wrongly merged: {fp}  precision: {precision:.3f}")
    print(f"grouped pairs not in the gold: {unj}  strict precision: {strict:.3f}")
    print(
        f"speed: pipeline {chars / t_all:,.0f} chars/s, variants stage {chars / max(t_var, 1e-9):,.0f} chars/s, "
        f"bare fugashi {chars / t_tok:,.0f} chars/s (variants costs {t_var / t_tok:.2f}x tokenisation)"
    )
    if args.show_errors:
        for k in ("fn", "fp", "unjudged"):
            print(f"\n== {k} ==")
            for d, name, pair in errors[k]:
                print(f"{d}\t{name}\t{' / '.join(pair)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The bilingual stage's ``name-mismatch`` flag: false alarms on human translations, and names it catches.

    python benchmarks/bench_name_flags.py [--half tune|check|all] [--systems ref] [--show N] [--seed 7]

* **false alarms**: every human reference (``ref.ja.txt``) of the WMT22 and
  WMT21 dev sets is cleaned with its English source (the stages the flag
  needs: markup, segment, blocks, tokenise, bilingual); a reference renders
  its names, so each ``name-mismatch`` flag there is counted as a false
  alarm (per 100 beads) and listed (``--show``) for a person to read — a few
  are the reference's own omissions.  ``--systems`` adds MT outputs (counted
  apart: their flags are not known to be false).
* **caught**: in each reference, one sentence whose aligned English holds a
  name (one capitalised word, not an exonym of the table) the sentence
  renders once in katakana (a word holding a UniDic proper noun or a word
  UniDic does not know: the flag's own notion of a name), and which the
  rest of the text renders too,
  gets that katakana word **replaced** by a katakana name
  taken from another document (one that sounds nothing like it) — or
  **dropped** (with a following 氏/さん).  Recall = the injected texts
  flagged for that name (flags already on the unmodified text are not
  counted).

The data are read from ``shared/data`` (``$WMT22_DEV``/``$WMT21_DEV``) and
never copied; without them the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE / "audit"))

from audit import CORPORA  # noqa: E402
from split import half  # noqa: E402

from pipeline.api import make_config  # noqa: E402
from pipeline.run import clean_text  # noqa: E402
from pipeline.stages.name_check import katakana_words, load_renderings, name_runs, nameish, sounds_like  # noqa: E402

STAGES = ("markup", "segment", "blocks", "tokenise", "bilingual")
CONFIG = make_config(skip=["variants", "dedup", "lines"])
RULE = "name-mismatch"
HONORIFIC = re.compile("^(?:氏|さん|選手|監督)")


def documents(which: str) -> list[tuple[str, Path]]:
    out = []
    for corpus, root in CORPORA.items():
        if not root.is_dir():
            print(f"note: {root} is absent; {corpus} skipped", file=sys.stderr)
            continue
        out += [(corpus, p) for p in sorted(root.iterdir()) if p.is_dir() and which in ("all", half(p.name))]
    return out


def name_flags(doc) -> list:
    return [f for f in doc.flags if f.rule == RULE]


def flagged_names(doc) -> Counter:
    return Counter(f.reason.split("'")[1] for f in name_flags(doc))


def candidates(doc) -> list[tuple[int, str, str]]:
    """(sentence, English name, katakana word) the sentence renders and another sentence renders too."""
    alignment = doc.annotations.get("alignment") or {}
    english = [e["text"] for e in alignment.get("english", [])]
    sentences = [[t.surface for t in (s.tokens or ())] for s in doc.sentences]
    words = [
        katakana_words(tokens, [nameish(t) for t in s.tokens or ()])
        for tokens, s in zip(sentences, doc.sentences, strict=True)
    ]
    kana = [{k for k, name in w.items() if name} for w in words]  # names: a proper noun or unknown to UniDic
    exonyms, _, _ = load_renderings()
    out = []
    for bead in alignment.get("beads", []):
        if len(bead["ja"]) != 1 or not bead["en"] or bead["score"] < 0.5:
            continue
        j = bead["ja"][0]
        for i in bead["en"]:
            for _, run in name_runs(english[i]):
                for word in run:
                    if word in exonyms:
                        continue  # rendered by kanji or a fixed spelling, not by sound
                    hits = [k for k in kana[j] if sounds_like(word, k) >= 0.8 and k in sentences[j]]
                    elsewhere = any(sounds_like(word, k) >= 0.8 for s, ks in enumerate(kana) if s != j for k in ks)
                    text = "".join(sentences[j])
                    if len(hits) == 1 and text.count(hits[0]) == 1 and elsewhere and len(run) == 1:
                        out.append((j, word, hits[0]))
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--half", choices=("tune", "check", "all"), default="all")
    p.add_argument("--systems", default="ref", help="comma-separated texts to count flags on (ref first)")
    p.add_argument("--show", type=int, default=20, help="list at most N flags of the references")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--misses", action="store_true", help="list the injected names not caught")
    args = p.parse_args()
    docs = documents(args.half)
    if not docs:
        print("no dev data; nothing measured")
        return 0
    rng = random.Random(args.seed)
    systems = args.systems.split(",")
    beads: Counter = Counter()
    flags: Counter = Counter()
    shown: list[str] = []
    cleaned: dict[str, object] = {}
    pool: list[str] = []  # katakana names of every document, to inject elsewhere
    for corpus, folder in docs:
        en = (folder / "en.txt").read_text(encoding="utf-8")
        for system in systems:
            path = folder / f"{system}.ja.txt"
            if not path.is_file():
                continue
            doc = clean_text(path.read_text(encoding="utf-8"), CONFIG, english=en)
            beads[system] += sum(1 for b in doc.annotations["alignment"]["beads"] if b["en"] and b["ja"])
            found = name_flags(doc)
            flags[system] += len(found)
            if system == systems[0]:
                cleaned[folder.name] = (doc, en)
                pool += [k for _, _, k in candidates(doc)]
                for f in found:
                    shown.append(f"{corpus}/{folder.name}: {f.reason}\n      ja: {doc.original[f.start : f.end][:90]}")
    print(f"{len(docs)} documents (half {args.half})")
    for system in systems:
        rate = 100 * flags[system] / max(1, beads[system])
        print(f"  {system:12} {flags[system]:5} name-mismatch flags in {beads[system]:6} beads ({rate:.1f} per 100)")
    for line in shown[: args.show]:
        print("   ", line)

    caught: Counter = Counter()
    tried: Counter = Counter()
    for name, (doc, en) in cleaned.items():
        before = flagged_names(doc)
        for j, word, kana in candidates(doc):
            s = doc.sentences[j]
            sentence = doc.original[s.start : s.end]
            at = sentence.index(kana)
            others = [k for k in pool if all(sounds_like(w, k) < 0.5 for w in (word,)) and len(k) >= 3]
            for how in ("replaced", "dropped"):
                if how == "replaced":
                    new = sentence[:at] + rng.choice(others) + sentence[at + len(kana) :]
                else:
                    rest = sentence[at + len(kana) :]
                    new = sentence[:at] + HONORIFIC.sub("", rest)
                text = doc.original[: s.start] + new + doc.original[s.end :]
                injected = clean_text(text, CONFIG, english=en)
                tried[how] += 1
                hit = flagged_names(injected)[word] > before[word]
                caught[how] += hit
                if args.misses and not hit:
                    print(f"    missed ({how} {kana} for {word}): {name}: {new[:80]}")
            break  # one sentence a document
    for how in ("replaced", "dropped"):
        print(f"  caught, name {how}: {caught[how]} of {tried[how]} ({caught[how] / max(1, tried[how]):.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Generate synthetic machine-translated-looking Japanese articles for batch runs.

    python benchmarks/make_corpus.py articles DIR --count 1000        # DIR/000/article-00000.txt ...
    python benchmarks/make_corpus.py jsonl corpus.jsonl --mb 100      # one {"id", "text"} per line
    python benchmarks/make_corpus.py jsonl corpus.jsonl.gz --count 500

Articles mix plain sentences with the debris the pipeline removes (tags,
entities, a repeated sentence, spelling variants of a name), deterministic
for a given --seed.  Sizes are about 1,500-4,000 characters per article.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
from collections.abc import Iterator

SUBJECTS = [
    "市の担当者",
    "研究チーム",
    "新しい委員会",
    "地元の企業",
    "政府の報道官",
    "大学の教授",
    "調査会社",
    "専門家",
]
VERBS = [
    "新しい計画を発表した",
    "来年の予算について説明した",
    "調査の結果を公表した",
    "記者会見で質問に答えた",
    "業界の動向を分析した",
    "住民との対話を続けると述べた",
    "電力の供給について懸念を示した",
    "海外の投資家と協議を行った",
]
DETAILS = [
    "関係者によると、交渉は数か月続く見通しだ",
    "この決定は市場に大きな影響を与える可能性がある",
    "同社の株価は前日比で3.5%上昇した",
    "詳細は来週の会合で明らかになる予定だ",
    "批判的な意見も少なくない",
    "2023年の売上高は120億ドルに達した",
]
# spelling variants of invented names, as machine translation produces them
NAMES = [("ジョナサン・ブレイク", "ジョナサン・ブレーク"), ("ヴェルタ社", "ベルタ社"), ("ハリソン", "ハリスン")]
DEBRIS = ["<b>", "</b>", "&nbsp;", '<span class="x">', "</span>", "&amp;"]


def make_sentence(rng: random.Random) -> str:
    name, variant = rng.choice(NAMES)
    subject = rng.choice(SUBJECTS + [name, variant])
    s = f"{subject}は{rng.choice(VERBS)}。"
    if rng.random() < 0.5:
        s += rng.choice(DETAILS) + "。"
    if rng.random() < 0.08:
        pos = rng.randrange(len(s))
        s = s[:pos] + rng.choice(DEBRIS) + s[pos:]
    return s


def make_article(rng: random.Random, index: int) -> str:
    title = f"{rng.choice(SUBJECTS)}、{rng.choice(VERBS)}（第{index}報）"
    paragraphs = []
    for _ in range(rng.randint(6, 14)):
        sentences = [make_sentence(rng) for _ in range(rng.randint(2, 5))]
        paragraphs.append("".join(sentences))
    if len(paragraphs) > 3 and rng.random() < 0.5:
        paragraphs.insert(rng.randrange(1, len(paragraphs)), paragraphs[0])  # a repeated paragraph
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def iter_articles(seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    i = 0
    while True:
        yield make_article(rng, i)
        i += 1


def write_articles(folder: str, count: int, seed: int) -> int:
    total = 0
    for i, text in zip(range(count), iter_articles(seed), strict=False):
        sub = os.path.join(folder, f"{i // 100:03d}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"article-{i:05d}.txt"), "w", encoding="utf-8") as fh:
            fh.write(text)
        total += len(text.encode("utf-8"))
    return total


def write_jsonl(path: str, count: int | None, mb: float | None, seed: int) -> tuple[int, int]:
    limit = int(mb * 1_000_000) if mb else None
    opener = gzip.open if path.endswith(".gz") else open
    written = n = 0
    with opener(path, "wt", encoding="utf-8") as fh:
        for i, text in enumerate(iter_articles(seed)):
            if (count is not None and i >= count) or (limit is not None and written >= limit):
                break
            line = (
                json.dumps({"id": f"doc-{i:07d}", "text": text, "url": f"https://example.org/{i}"}, ensure_ascii=False)
                + "\n"
            )
            fh.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    return n, written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=["articles", "jsonl"])
    ap.add_argument("target", help="folder (articles) or file (.jsonl / .jsonl.gz)")
    ap.add_argument("--count", type=int, help="number of articles (default 1000 for a folder)")
    ap.add_argument("--mb", type=float, help="jsonl: stop at this many megabytes of JSON")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.kind == "articles":
        size = write_articles(args.target, args.count or 1000, args.seed)
        print(f"{args.count or 1000} articles, {size / 1e6:.1f} MB in {args.target}")
    else:
        n, size = write_jsonl(args.target, args.count if args.count or args.mb else 1000, args.mb, args.seed)
        print(f"{n} documents, {size / 1e6:.1f} MB of JSON in {args.target}")


if __name__ == "__main__":
    main()

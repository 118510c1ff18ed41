"""Measure quotes + time throughput (articles per second) on the bundled sample corpus.

Usage: .venv/bin/python scripts/benchmark_quotes_time.py [--repeat N] [--workers W]

Each article is segmented first (not timed); the timed part is ``QuotesStage`` then ``TimeStage``,
the way the pipeline runs them. With ``--workers`` > 1 the articles are split over processes.
"""

from __future__ import annotations

import argparse
import json
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

from babelwire.model import Article
from babelwire.nlp.quotes import QuotesStage
from babelwire.nlp.segment import sentence_spans
from babelwire.nlp.timex import TimeStage

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "babelwire" / "data" / "sample" / "articles.jsonl"


def load(repeat: int) -> list[Article]:
    articles = []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        published = datetime.fromisoformat(rec["published"]) if rec.get("published") else None
        art = Article(id=rec["id"], text=rec["text"], lang=rec.get("lang"), published=published)
        art.sentences = sentence_spans(art.text, art.lang)
        articles.append(art)
    return articles * repeat


def run(articles: list[Article]) -> int:
    QuotesStage().run(articles)
    TimeStage().run(articles)
    return len(articles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="times the sample corpus is repeated")
    parser.add_argument("--workers", type=int, default=1, help="processes (the target machine has 2 cores)")
    args = parser.parse_args()
    articles = load(args.repeat)
    run(articles[:5])  # load resources before timing
    start = time.perf_counter()
    if args.workers > 1:
        chunks = [articles[i :: args.workers] for i in range(args.workers)]
        with ProcessPoolExecutor(args.workers) as pool:
            done = sum(pool.map(run, chunks))
    else:
        done = run(articles)
    elapsed = time.perf_counter() - start
    words = sum(len(a.text.split()) for a in articles)
    print(
        f"{done} articles ({words / len(articles):.0f} words each) in {elapsed:.2f} s: "
        f"{done / elapsed:.0f} articles/s with {args.workers} worker(s)"
    )


if __name__ == "__main__":
    main()

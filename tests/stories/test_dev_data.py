"""Accuracy gates on the shared dev data (skipped when ``../shared/data`` is absent; slow)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from babelwire.config import DEFAULT_ENCODER
from babelwire.embed import get_encoder
from babelwire.stories import DEFAULT_PARAMS, StoryClusterer, compute_features, order_for_clustering
from babelwire.stories.datasets import analyse_records, load_gold_clusters, load_pairs
from babelwire.stories.evaluate import evaluate_clusters, evaluate_pairs
from tests.helpers import SHARED_DATA, shared_file

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "babelwire" / "data" / "sample" / "articles.jsonl"

# Floors a little under the dev numbers in docs/accuracy.md, so that noise does not fail them.
ECB_F1_FLOOR = 0.88
SEMEVAL_PEARSON_FLOOR = 0.73
SAMPLE_F1_FLOOR = 0.95


@pytest.mark.slow
def test_seed_reports_form_one_story() -> None:
    folder = SHARED_DATA / "seeds"
    if not folder.exists():
        pytest.skip(f"{folder} not found")
    records = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        records.append({"id": path.stem, "title": text.split("\n", 1)[0], "text": text})
    feats = compute_features(analyse_records(records), get_encoder(DEFAULT_ENCODER))
    clusterer = StoryClusterer(DEFAULT_PARAMS)
    assert len(set(clusterer.add_many(order_for_clustering(feats)))) == 1


@pytest.mark.slow
def test_ecbplus_bcubed() -> None:
    articles, gold, _ = load_gold_clusters(shared_file("ecbplus/dev.jsonl"))
    report = evaluate_clusters(articles, gold, get_encoder(DEFAULT_ENCODER), DEFAULT_PARAMS)
    assert report.f1 >= ECB_F1_FLOOR, report.lines()


@pytest.mark.slow
def test_semeval_pearson() -> None:
    articles, pairs = load_pairs(
        shared_file("semeval2022_t8/dev_pairs.jsonl"), shared_file("semeval2022_t8/dev_articles.jsonl")
    )
    feats = {f.id: f for f in compute_features(articles, get_encoder(DEFAULT_ENCODER))}
    report = evaluate_pairs(pairs, feats, DEFAULT_PARAMS)
    assert report.pearson >= SEMEVAL_PEARSON_FLOOR, report.lines()
    assert report.pearson > report.baseline_pearson


@pytest.mark.slow
def test_sample_corpus_bcubed() -> None:
    if not SAMPLE.exists():
        pytest.skip("no sample corpus")
    records = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = {str(r["id"]): str(r["cluster_id"]) for r in records if r.get("cluster_id")}
    if len(set(gold.values())) < 2:
        pytest.skip("the sample corpus has no gold clusters yet")
    report = evaluate_clusters(analyse_records(records), gold, get_encoder(DEFAULT_ENCODER), DEFAULT_PARAMS)
    assert report.f1 >= SAMPLE_F1_FLOOR, report.lines()

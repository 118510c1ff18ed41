"""Readers for story gold files: clustered articles (``cluster_id``) and scored article pairs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babelwire.model import Article


@dataclass(frozen=True, slots=True)
class GoldPair:
    """Two article ids with a human similarity (``overall``: 1 = same story … 4 = unrelated)."""

    id1: str
    id2: str
    overall: float
    lang: str  # "de" or "de-en"


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """Yield the JSON objects of a JSONL file, skipping blank lines."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def record_for_pipeline(record: dict[str, Any]) -> dict[str, Any]:
    """Map a gold record onto the ingest fields (``url_date`` becomes ``published`` when none is given)."""
    out = dict(record)
    if not out.get("published") and out.get("url_date"):
        out["published"] = out["url_date"]
    return out


def analyse_records(records: Iterable[dict[str, Any]]) -> list[Article]:
    """Turn records into articles analysed by the engine's full pipeline (no database, no dedupe).

    The stages are those of ``babelwire.engine.build_pipeline`` without a duplicate index:
    normalise, language, segment, entities (linked ids in ``article.mentions``), quotes, time,
    so that the features see the same articles as in production (``entities`` included).
    """
    from babelwire.config import Settings
    from babelwire.engine import Models, build_pipeline
    from babelwire.ingest.records import Overrides, article_from_record

    articles: list[Article] = []
    for i, rec in enumerate(records):
        art = article_from_record(record_for_pipeline(rec), f"gold:{i}", Overrides())
        if isinstance(art, Article):
            articles.append(art)
    build_pipeline(Models(Settings()), None).run(articles)
    return articles


def load_gold_clusters(path: str | Path) -> tuple[list[Article], dict[str, str], dict[str, str]]:
    """Articles of a gold JSONL, article id -> ``cluster_id``, and article id -> group (``topic``)."""
    records = list(read_jsonl(path))
    gold = {str(r["id"]): str(r["cluster_id"]) for r in records if r.get("cluster_id") is not None}
    groups = {str(r["id"]): str(r.get("topic", "all")) for r in records}
    return analyse_records(records), gold, groups


def load_pairs(pairs_path: str | Path, articles_path: str | Path) -> tuple[list[Article], list[GoldPair]]:
    """The articles of a pair set and its pairs (pairs whose articles are missing are dropped)."""
    articles = analyse_records(read_jsonl(articles_path))
    known = {a.id for a in articles}
    pairs: list[GoldPair] = []
    for rec in read_jsonl(pairs_path):
        id1, id2 = str(rec["id1"]), str(rec["id2"])
        if id1 in known and id2 in known:
            l1, l2 = rec.get("lang1", ""), rec.get("lang2", "")
            pairs.append(GoldPair(id1, id2, float(rec["overall"]), l1 if l1 == l2 else f"{l1}-{l2}"))
    return articles, pairs

"""Measure the entities stage (recognition + linking) in articles per second, per language.

Test articles of about 600 words are built by concatenating the bundled sample corpus's texts of
each language (so the numbers are reproducible and need no outside data). Models load, and the
entity worker processes start, before the clock starts (one untimed run of the same batch).
Wall time is the throughput on the machine; CPU time is this process's only (a worker's is not
counted), so compare ``articles_per_cpu_s`` with ``--workers 1``.

    .venv/bin/python scripts/benchmark_entities.py [--words 600] [--articles 40] [--langs en,sv,de,fr,es]
        [--workers N]   # BABELWIRE_NER_WORKERS for this run (default: up to 2)
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import defaultdict
from pathlib import Path

from babelwire.model import Article
from babelwire.nlp.entities import EntitiesStage, link_across
from babelwire.nlp.recognizers import ner_workers

EVENTS = Path(__file__).resolve().parent.parent / "src" / "babelwire" / "data" / "sample" / "events"


def build_articles(lang: str, words: int, count: int) -> list[Article]:
    """``count`` articles of about ``words`` words each, made of the sample texts in ``lang``."""
    texts = []
    for path in sorted(EVENTS.glob("*.json")):
        texts += [
            a["text"] for a in json.loads(path.read_text(encoding="utf-8"))["articles"] if a["lang"] == lang
        ]
    if not texts:
        raise SystemExit(f"no sample texts in {lang!r}")
    articles: list[Article] = []
    i = 0
    while len(articles) < count:
        parts: list[str] = []
        while sum(len(p.split()) for p in parts) < words:
            parts.append(texts[i % len(texts)])
            i += 1
        articles.append(Article(id=f"{lang}-{len(articles)}", text="\n\n".join(parts), lang=lang))
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--langs", default="en,sv,de,fr,es")
    parser.add_argument("--workers", type=int, help="entity processes (BABELWIRE_NER_WORKERS)")
    args = parser.parse_args()
    if args.workers:
        os.environ["BABELWIRE_NER_WORKERS"] = str(args.workers)
    stage = EntitiesStage()
    results: dict[str, dict[str, float]] = defaultdict(dict)
    for lang in args.langs.split(","):
        articles = build_articles(lang, args.words, args.articles)
        stage.run(articles)  # load the models and the gazetteer, start the workers
        words = sum(len(a.text.split()) for a in articles)
        wall, cpu = time.perf_counter(), time.process_time()
        stage.run(articles)
        link_across(articles)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        results[lang] = {
            "articles": len(articles),
            "workers": ner_workers(),
            "words_per_article": round(words / len(articles)),
            "articles_per_s_wall": round(len(articles) / wall, 1),
            "articles_per_cpu_s": round(len(articles) / cpu, 1),
            "mentions_per_article": round(sum(len(a.mentions) for a in articles) / len(articles), 1),
        }
        print(lang, json.dumps(results[lang]), flush=True)


if __name__ == "__main__":
    main()

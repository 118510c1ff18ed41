"""Measure the entities stage (recognition + linking) in articles per second, per language.

Test articles of about 600 words are built by concatenating the bundled sample corpus's texts of
each language (so the numbers are reproducible and need no outside data). Models load, and the
entity worker processes start, before the clock starts (one untimed run of the same batch).
Wall time is the throughput on the machine; CPU time is this process's only (a worker's is not
counted), so compare ``articles_per_cpu_s`` with ``--workers 1``.

    .venv/bin/python scripts/benchmark_entities.py [--words 600] [--articles 40] [--langs en,sv,de,fr,es]
        [--workers N]   # BABELWIRE_NER_WORKERS for this run (default: up to 2)
    .venv/bin/python scripts/benchmark_entities.py --sv-gate [--articles 10] [--rounds 2]
        # the Swedish tagger alone, with and without its sentence gate, alternated in one process
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
    parser.add_argument(
        "--sv-gate", action="store_true", help="time the Swedish tagger with and without its gate"
    )
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the --sv-gate comparison")
    args = parser.parse_args()
    if args.sv_gate:
        compare_sv_gate(build_articles("sv", args.words, args.articles), args.rounds)
        return
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


def compare_sv_gate(articles: list[Article], rounds: int) -> None:
    """The Swedish tagger on its own, with its sentence gate and without, alternated."""
    from babelwire.nlp.recognizers import SwedishTaggerRecognizer
    from babelwire.nlp.sv_tagger import _sentences, split_words
    from babelwire.nlp.swedish import may_hold_names

    texts = [a.text for a in articles]
    sentences = [[w for w, _, _ in s] for t in texts for s in _sentences(t, split_words(t))]
    skipped = [s for s in sentences if not may_hold_names(s)]
    words = sum(map(len, sentences))
    print(
        json.dumps(
            {
                "articles": len(texts),
                "sentences": len(sentences),
                "sentences_skipped": len(skipped),
                "words_skipped_share": round(sum(map(len, skipped)) / words, 3),
            }
        ),
        flush=True,
    )
    recognizer = SwedishTaggerRecognizer()
    recognizer.spans(texts[:2])  # load the model
    for _ in range(rounds):
        for name, gate in (("gate", may_hold_names), ("no_gate", None)):
            recognizer.tagger.gate = gate
            wall, cpu = time.perf_counter(), time.process_time()
            recognizer.spans(texts)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            row = {
                "articles_per_s_wall": round(len(texts) / wall, 2),
                "articles_per_cpu_s": round(len(texts) / cpu, 2),
            }
            print(name, json.dumps(row), flush=True)


if __name__ == "__main__":
    main()

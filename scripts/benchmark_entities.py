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
    .venv/bin/python scripts/benchmark_entities.py --en-gate [--articles 60] [--rounds 2] [--jsonl FILE ...]
        # English recognition and clean-up with and without the sentence gate, alternated in one
        # process: characters and model tokens skipped, every span that differs, CPU time; with
        # --jsonl the English records ("lang": "en", "text") of those files instead of the
        # benchmark articles
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
    parser.add_argument(
        "--en-gate", action="store_true", help="English with and without its sentence gate (one process)"
    )
    parser.add_argument("--jsonl", nargs="*", default=[], help="articles for --en-gate (English records)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the gate comparisons")
    args = parser.parse_args()
    if args.sv_gate:
        compare_sv_gate(build_articles("sv", args.words, args.articles), args.rounds)
        return
    if args.en_gate:
        if args.jsonl:
            texts = [
                record["text"]
                for name in args.jsonl
                for line in Path(name).read_text(encoding="utf-8").splitlines()
                if line.strip() and (record := json.loads(line)).get("lang") == "en"
            ]
        else:
            texts = [a.text for a in build_articles("en", args.words, args.articles)]
        compare_en_gate(texts, args.rounds)
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


def compare_en_gate(texts: list[str], rounds: int) -> None:
    """English recognition and clean-up (:func:`recognize_here`) with the sentence gate and without.

    Prints the characters and spaCy tokens the gate blanks, every cleaned span found only with or
    only without it, and the CPU time of each variant, alternated ``rounds`` times after a run on
    a few of the texts that loads the model.
    """
    from babelwire.nlp.recognizers import recognize_here, recognizer_for
    from babelwire.nlp.sentence_gate import blank_name_free

    recognizer = recognizer_for("en")
    openers = recognizer.lang.name_free_openers
    context = recognizer.GATE_CONTEXT  # type: ignore[attr-defined]
    tokenizer = recognizer.nlp.tokenizer  # type: ignore[attr-defined]
    gated = [blank_name_free(t, openers, context) for t in texts]
    blanked = [text for text, _ in gated]
    tokens = sum(sum(not tok.is_space for tok in tokenizer(t)) for t in texts)
    kept = sum(sum(not tok.is_space for tok in tokenizer(t)) for t in blanked)
    chars = sum(map(len, texts))
    skipped = sum(count for _, count in gated)
    print(
        json.dumps(
            {
                "articles": len(texts),
                "words_per_article": round(sum(len(t.split()) for t in texts) / len(texts)),
                "chars_skipped_share": round(skipped / chars, 4),
                "tokens_skipped_share": round(1 - kept / tokens, 4),
            }
        ),
        flush=True,
    )
    found: dict[str, list[list[tuple[int, int, str]]]] = {}
    recognize_here(texts[:5], "en")  # load the model and the gazetteer
    for _ in range(rounds):
        for name, gate in (("gate", True), ("no_gate", False)):
            recognizer.gate = gate  # type: ignore[attr-defined]
            cpu = time.process_time()
            spans = recognize_here(texts, "en")
            cpu = time.process_time() - cpu
            found[name] = [[(s.start, s.end, s.label) for s in per] for per in spans]
            print(name, json.dumps({"cpu_s_per_article": round(cpu / len(texts), 4)}), flush=True)
    lost = gained = 0
    for index, text in enumerate(texts):
        with_gate, without = set(found["gate"][index]), set(found["no_gate"][index])
        for sign, spans in (("-", without - with_gate), ("+", with_gate - without)):
            for start, end, label in sorted(spans):
                print(f"{sign} article {index} {start}-{end} {label} {text[start:end]!r}")
        lost += len(without - with_gate)
        gained += len(with_gate - without)
    total = sum(map(len, found["no_gate"]))
    print(json.dumps({"spans_without_gate": total, "lost_with_gate": lost, "gained_with_gate": gained}))


if __name__ == "__main__":
    main()

"""Merge the sample corpus event files into articles.jsonl and gold.json.

Usage: python scripts/build_sample.py [--check]

The event files in src/babelwire/data/sample/events/ are the source of truth (format in
docs/dev/sample-corpus-format.md). ``--check`` exits 1 if the merged files are out of date or
a gold string is not found in its article.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

SAMPLE = Path(__file__).resolve().parent.parent / "src" / "babelwire" / "data" / "sample"
ARTICLE_FIELDS = ("id", "url", "source", "title", "text", "published", "lang")
GOLD_KEYS = ("entities", "quotes", "timexes", "facts", "unique", "conflicts")


def load_events() -> list[dict[str, Any]]:
    """Every event file, sorted by slug."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((SAMPLE / "events").glob("*.json"))]


def check_event(event: dict[str, Any]) -> list[str]:
    """Gold strings that are not substrings of their article."""
    texts = {a["id"]: a["text"] for a in event["articles"]}
    problems = []
    for key in GOLD_KEYS:
        for item in event.get(key, []):
            for ref in item.get("mentions") or item.get("sentences") or item.get("sides") or [item]:
                if ref["text"] not in texts.get(ref["article"], ""):
                    problems.append(f"{event['event']}: {key}: {ref['article']}: {ref['text']!r} not found")
    return problems


def build(events: list[dict[str, Any]]) -> tuple[str, str]:
    """The contents of articles.jsonl and gold.json."""
    lines = []
    gold: dict[str, Any] = {"events": [], "duplicates": [], **{k: [] for k in GOLD_KEYS}}
    for event in events:
        slug = event["event"]
        gold["events"].append(
            {
                "event": slug,
                "description": event.get("description", ""),
                "kind": event.get("kind", ""),
                "articles": [a["id"] for a in event["articles"]],
            }
        )
        for art in event["articles"]:
            record = {k: art.get(k) for k in ARTICLE_FIELDS}
            record["cluster_id"] = slug
            lines.append(json.dumps(record, ensure_ascii=False))
            if art.get("duplicate_of"):
                gold["duplicates"].append({"id": art["id"], "duplicate_of": art["duplicate_of"]})
        for key in GOLD_KEYS:
            for item in event.get(key, []):
                gold[key].append({"event": slug, **item})
    return "\n".join(lines) + "\n", json.dumps(gold, ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    """Build (or check) the merged sample corpus files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify; exit 1 if out of date")
    args = parser.parse_args()
    events = load_events()
    problems = [p for e in events for p in check_event(e)]
    for problem in problems:
        print(problem, file=sys.stderr)
    articles, gold = build(events)
    targets = {SAMPLE / "articles.jsonl": articles, SAMPLE / "gold.json": gold}
    if args.check:
        stale = [p.name for p, c in targets.items() if not p.exists() or p.read_text(encoding="utf-8") != c]
        if stale:
            print(f"out of date: {', '.join(stale)}; run python scripts/build_sample.py", file=sys.stderr)
        return 1 if stale or problems else 0
    for path, content in targets.items():
        path.write_text(content, encoding="utf-8")
    n = articles.count("\n")
    print(f"{len(events)} events, {n} articles -> {SAMPLE}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

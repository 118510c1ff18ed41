"""``babelwire process``: stateless JSONL in, JSONL out, one output line per input line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from typing import IO, Any

from babelwire.engine import Engine
from babelwire.errors import malformed_json
from babelwire.ingest.files import loads_strict
from babelwire.ingest.records import Overrides, Rejection, article_from_record
from babelwire.model import Article
from babelwire.store.codec import iso_utc


def read_lines(
    stream: IO[str], name: str
) -> Iterator[tuple[int, dict[str, Any] | None, Article | Rejection]]:
    """(line number, parsed record or None, article or rejection) for every non-blank line."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record = loads_strict(line.rstrip("\r\n"))  # so that the column of an error is right
        except json.JSONDecodeError as exc:
            yield number, None, Rejection(where, malformed_json(exc))
            continue
        if not isinstance(record, dict):
            yield number, None, Rejection(where, "expected a JSON object")
            continue
        try:
            item = article_from_record(record, where, Overrides())
        except Exception as exc:  # a bug on one line must not stop the others
            item = Rejection(where, f"cannot read this line ({_failure(exc)})")
        yield number, record, item


def _failure(exc: Exception) -> str:
    """An unexpected exception in words: "OverflowError: date value out of range"."""
    message = str(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def error_record(
    record: dict[str, Any] | None, item: Article | Rejection, line: int, reason: str
) -> dict[str, Any]:
    """The line's error output: its own fields, the id, ``line`` and the fields every line has."""
    out: dict[str, Any] = dict(record or {})
    out.setdefault("id", None)
    if isinstance(item, Article) and out["id"] in (None, ""):
        out["id"] = item.id
    out.update({"line": line, "lang": None, "sentences": [], "duplicate_of": None, "error": reason})
    return out


def output_line(
    record: dict[str, Any] | None, item: Article | Rejection, line: int
) -> tuple[dict[str, Any], str]:
    """The output of one input line and its JSON; a failure to make it gives the line's error output.

    An error in one line never stops the others: an exception here (a date that cannot be shown
    in UTC, say) becomes this line's ``error``, and the next line is written as usual.
    """
    try:
        out = output_record(record, item, line)
        return out, json.dumps(out, ensure_ascii=False)
    except Exception as exc:
        reason = f"could not write this line's output ({_failure(exc)})"
        out = error_record(record, item, line, reason)
        return out, json.dumps(out, ensure_ascii=False, default=str)


def output_record(record: dict[str, Any] | None, item: Article | Rejection, line: int) -> dict[str, Any]:
    """The input record with babelwire's fields added (or replaced)."""
    out: dict[str, Any] = dict(record or {})
    out.setdefault("id", None)
    if isinstance(item, Rejection):
        return error_record(record, item, line, item.reason)
    article = item
    out.update(
        {
            "id": out["id"] if out["id"] not in (None, "") else article.id,
            "text": article.text,
            "title": article.title,
            "lead": article.lead,
            "source": article.source,
            "published": iso_utc(article.published) if article.published else out.get("published"),
            "lang": article.lang,
            "paragraphs": [{"start": p.start, "end": p.end} for p in article.paragraphs],
            "sentences": [{"start": s.start, "end": s.end} for s in article.sentences],
            "duplicate_of": article.duplicate_of,
            "duplicate_kind": article.duplicate_kind,
            "content_hash": article.content_hash,
            "error": article.error,
        }
    )
    out["story_id"] = article.story_id
    if "entities" in article.stages:
        out["entities"] = [asdict(m) for m in article.mentions]
    if "quotes" in article.stages:
        out["quotes"] = [asdict(q) for q in article.quotes]
    if "time" in article.stages:
        out["timexes"] = [asdict(t) for t in article.timexes]
        out["event_date"] = article.event_date
    return out


def process_stream(engine: Engine, source: IO[str], sink: IO[str], name: str) -> dict[str, int]:
    """Process every line of ``source`` and write one JSON line per input line to ``sink``."""
    rows = list(read_lines(source, name))
    articles = [item for _, _, item in rows if isinstance(item, Article)]
    # ids must be unique for dedupe and stories; make repeats distinct but keep them in output.
    # A repeat becomes ID#2, ID#3, ...: the first of those no line uses (as its own id or already)
    taken = {article.id for article in articles}
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            count = 2
            while f"{article.id}#{count}" in taken:
                count += 1
            article.id = f"{article.id}#{count}"
            taken.add(article.id)
        seen.add(article.id)
    list(engine.process(articles))
    counts = {"lines": len(rows), "errors": 0, "duplicates": 0}
    for line, record, item in rows:
        out, text = output_line(record, item, line)
        if out.get("error"):
            counts["errors"] += 1
        if out.get("duplicate_of"):
            counts["duplicates"] += 1
        sink.write(text + "\n")
    return counts

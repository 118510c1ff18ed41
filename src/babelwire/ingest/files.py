"""Read local inputs: text, Markdown, HTML, JSON, JSONL, CSV, feed and OPML files, folders and stdin."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from babelwire.config import Settings
from babelwire.ingest.decode import NotText, declared_charset, decode_bytes
from babelwire.ingest.feeds import articles_from_feed, feed_urls_from_opml, looks_like_feed
from babelwire.ingest.html import article_from_html
from babelwire.ingest.normalize import cap_title
from babelwire.ingest.records import Overrides, Rejection, article_from_record
from babelwire.model import Article

Item = Article | Rejection

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv", ".tsv"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
OPML_SUFFIXES = {".opml"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES | FEED_SUFFIXES
SUPPORTED |= OPML_SUFFIXES


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def walk_folder(folder: Path) -> Iterator[Path | Rejection]:
    """Every supported file under a folder, recursively, in a stable order, hidden entries skipped.

    An entry that cannot be looked at (a link into a place the user may not read, a folder that
    cannot be listed) is a rejection naming it and why; the walk goes on with the rest. Linked
    folders are followed, each folder once (a link back up does not loop).
    """
    seen: set[tuple[int, int]] = set()

    def walk(directory: Path) -> Iterator[Path | Rejection]:
        try:
            info = directory.stat()
            if (info.st_dev, info.st_ino) in seen:
                return
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(directory) as listing:
                names = sorted(entry.name for entry in listing)
        except OSError as exc:
            yield Rejection(str(directory), f"cannot read folder ({_why(exc)})")
            return
        for name in names:
            if name.startswith("."):
                continue
            path = directory / name
            try:
                is_dir = path.is_dir()
                is_file = not is_dir and path.is_file()
            except OSError as exc:
                yield Rejection(str(path), f"cannot read ({_why(exc)})")
                continue
            if is_dir:
                yield from walk(path)
            elif is_file and path.suffix.lower() in SUPPORTED:
                yield path

    yield from walk(folder)


def iter_folder(folder: Path) -> Iterator[Path]:
    """The supported files of :func:`walk_folder`, without the entries that cannot be read."""
    for item in walk_folder(folder):
        if isinstance(item, Path):
            yield item


def read_bytes_limited(path: Path, settings: Settings) -> bytes:
    """Read a file, refusing files over ``settings.max_file_bytes``."""
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise NotText(
            f"file is {size:,} bytes, over the {settings.max_file_bytes:,}-byte limit "
            "(raise it with --max-bytes)"
        )
    return path.read_bytes()


def article_from_plain_text(text: str, origin: str, overrides: Overrides, name_hint: str = "") -> Item:
    """A plain-text article: the first non-empty line is the title, the whole content is the text."""
    if not text.strip():
        return Rejection(origin, "empty file (no text)")
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    title = cap_title(first_line.lstrip("# ").strip())  # a long first line is a paragraph, not a title
    return article_from_record({"text": text, "title": title}, origin, overrides)


class _NonFinite(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _reject_constant(name: str) -> Any:
    raise _NonFinite(name)


def loads_strict(text: str) -> Any:
    """``json.loads`` without the ``NaN``, ``Infinity`` and ``-Infinity`` that Python accepts: they
    are not JSON, and echoed into an output line they would make it unreadable for other tools."""
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except _NonFinite as exc:
        raise json.JSONDecodeError(
            f"{exc.name} is not valid JSON", text, max(text.find(exc.name), 0)
        ) from None


def _json_error(exc: json.JSONDecodeError) -> str:
    """The parser's message ready for "line N column M" ("Unterminated string starting at")."""
    return exc.msg if exc.msg.endswith(" at") else f"{exc.msg} at"


def _looks_like_jsonl(text: str) -> bool:
    """Whether text that is not one JSON document is JSON lines: more than one line, the first
    non-blank of which is a whole JSON object by itself (an indented object's first line is not)."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return False
    try:
        return isinstance(loads_strict(lines[0].lstrip("\ufeff")), dict)
    except json.JSONDecodeError:
        return False


def records_from_jsonl(text: str, origin: str) -> Iterator[tuple[str, Any] | Rejection]:
    """Each non-blank line parsed as JSON, or a rejection naming the line and the parse error."""
    # only "\n" ends a JSON line: str.splitlines() would also split inside strings at U+2028,
    # U+0085 and other separators that JSON writers leave unescaped
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        # concatenated files each start with a UTF-8 byte-order mark: one may begin any line
        line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        try:
            yield where, loads_strict(line)
        except json.JSONDecodeError as exc:
            yield Rejection(where, f"malformed JSON ({_json_error(exc)} column {exc.colno})")


def records_from_json(text: str, origin: str) -> Iterator[tuple[str, Any] | Rejection]:
    """A JSON file holding one object, a list of objects, or (leniently) JSON lines."""
    try:
        data = loads_strict(text)
    except json.JSONDecodeError as exc:
        if _looks_like_jsonl(text):  # JSON lines saved as .json
            yield from records_from_jsonl(text, origin)
            return
        yield Rejection(origin, f"malformed JSON ({_json_error(exc)} line {exc.lineno} column {exc.colno})")
        return
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, list):
        for number, item in enumerate(data, start=1):
            yield f"{origin}[{number}]", item
    else:
        yield origin, data


def records_from_csv(text: str, origin: str, delimiter: str) -> Iterator[tuple[str, Any] | Rejection]:
    """Rows of a CSV/TSV file with a header naming the columns; the line number names each row."""
    # the file size is already capped; the csv module's own 128 KB field limit would reject long articles
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1, 1 << 20))
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    if not reader.fieldnames or "text" not in [f.strip().lower() for f in reader.fieldnames]:
        yield Rejection(origin, f"CSV header has no 'text' column (columns: {reader.fieldnames})")
        return
    try:
        for row in reader:
            where = f"{origin}:{reader.line_num}"
            if None in row:
                yield Rejection(where, "row has more fields than the header")
                continue
            yield where, {k.strip().lower(): v for k, v in row.items() if k}
    except csv.Error as exc:
        yield Rejection(f"{origin}:{reader.line_num}", f"malformed CSV ({exc})")


def items_from_text(
    text: str, origin: str, kind: str, overrides: Overrides, settings: Settings
) -> Iterator[Item]:
    """Dispatch decoded text by kind: text, html, json, jsonl, csv, tsv, feed or opml."""
    if kind == "html":
        yield article_from_html(text, origin, overrides)
    elif kind in ("json", "jsonl", "csv", "tsv"):
        if kind == "json":
            records = records_from_json(text, origin)
        elif kind == "jsonl":
            records = records_from_jsonl(text, origin)
        else:
            records = records_from_csv(text, origin, "\t" if kind == "tsv" else ",")
        seen_any = False
        for entry in records:
            seen_any = True
            if isinstance(entry, Rejection):
                yield entry
            else:
                where, record = entry
                yield article_from_record(record, where, overrides)
        if not seen_any:
            yield Rejection(origin, "no records (empty file)")
    elif kind == "feed":
        yield from articles_from_feed(text, origin, overrides, settings)
    elif kind == "opml":
        from babelwire.ingest.web import items_from_url

        urls = feed_urls_from_opml(text)
        if not urls:
            yield Rejection(origin, "OPML file lists no feeds (no outline with xmlUrl)")
        for url in urls:
            yield from items_from_url(url, overrides, settings)
    else:
        yield article_from_plain_text(text, origin, overrides)


def kind_of(path: Path, text: str) -> str:
    """The input kind from the file suffix, sniffing the content for unknown suffixes."""
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in CSV_SUFFIXES:
        return "tsv" if suffix == ".tsv" else "csv"
    if suffix in OPML_SUFFIXES:
        return "opml"
    if suffix in FEED_SUFFIXES:
        return "opml" if "<opml" in text[:2000].lower() else "feed"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return sniff_kind(text)


def sniff_kind(text: str) -> str:
    """Guess the kind of content with no telling suffix (stdin, URLs without a type)."""
    head = text.lstrip()[:2000]
    lower = head.lower()
    if head.startswith("{"):
        first_line = head.split("\n", 1)[0].strip()
        return "jsonl" if first_line.endswith("}") and "\n" in text.strip() else "json"
    if head.startswith("["):
        return "json"
    if "<opml" in lower:
        return "opml"
    if looks_like_feed(head):
        return "feed"
    if lower.startswith(("<!doctype html", "<html")) or "<body" in lower:
        return "html"
    return "text"


def items_from_path(path: Path, overrides: Overrides, settings: Settings) -> Iterator[Item]:
    """Every article (or rejection) a local file yields."""
    origin = str(path)
    try:
        data = read_bytes_limited(path, settings)
    except NotText as exc:
        yield Rejection(origin, str(exc))
        return
    except OSError as exc:
        yield Rejection(origin, f"cannot read file ({exc.strerror or exc})")
        return
    if not data.strip():
        yield Rejection(origin, "empty file")
        return
    suffix = path.suffix.lower()
    markup = suffix in HTML_SUFFIXES | FEED_SUFFIXES | OPML_SUFFIXES or suffix not in SUPPORTED
    try:
        decoded = decode_bytes(data, declared=declared_charset(data) if markup else None)
    except NotText as exc:
        yield Rejection(origin, str(exc))
        return
    for item in items_from_text(decoded.text, origin, kind_of(path, decoded.text), overrides, settings):
        if decoded.warning and isinstance(item, Article):
            own = item.extra.get("warning")
            item.extra["warning"] = f"{decoded.warning}; {own}" if own else decoded.warning
        yield item


def items_from_stdin(overrides: Overrides, settings: Settings) -> Iterator[Item]:
    """Articles from standard input: JSON/JSONL, a feed, HTML, or plain text (sniffed)."""
    data = sys.stdin.buffer.read(settings.max_file_bytes + 1)
    if len(data) > settings.max_file_bytes:
        yield Rejection("-", f"standard input is over the {settings.max_file_bytes:,}-byte limit")
        return
    if not data.strip():
        yield Rejection("-", "standard input is empty")
        return
    markup = data.lstrip()[:1] == b"<"
    try:
        decoded = decode_bytes(data, declared=declared_charset(data) if markup else None)
    except NotText as exc:
        yield Rejection("-", str(exc))
        return
    yield from items_from_text(decoded.text, "-", sniff_kind(decoded.text), overrides, settings)


def iter_items(
    inputs: Iterable[str | os.PathLike[str]], overrides: Overrides, settings: Settings
) -> Iterator[Item]:
    """Every article or rejection from inputs: paths (``str`` or ``Path``), folders, URLs or ``-``."""
    from babelwire.ingest.web import items_from_url

    for given in inputs:
        raw = os.fspath(given)
        if raw == "-":
            yield from items_from_stdin(overrides, settings)
        elif raw.startswith(("http://", "https://")):
            yield from items_from_url(raw, overrides, settings)
        else:
            path = Path(raw)
            try:
                is_dir, exists = path.is_dir(), path.exists()
            except OSError as exc:  # a link into a place the user may not read
                yield Rejection(raw, f"cannot read ({_why(exc)})")
                continue
            if is_dir:
                found = False
                for entry in walk_folder(path):
                    found = True
                    if isinstance(entry, Rejection):
                        yield entry
                    else:
                        yield from items_from_path(entry, overrides, settings)
                if not found:
                    yield Rejection(raw, "folder holds no supported files")
            elif exists:
                yield from items_from_path(path, overrides, settings)
            else:
                yield Rejection(raw, "no such file or folder")

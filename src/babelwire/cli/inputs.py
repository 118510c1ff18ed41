"""Reading the command line's JSONL inputs: files or stdin, records, articles and pair ids.

A line that cannot be read is reported on stderr with its file and line number and the rest is
read; a file that cannot be opened ends the command with exit code 2.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from babelwire.cli.common import err
from babelwire.errors import malformed_json
from babelwire.ingest.files import loads_strict
from babelwire.ingest.records import Overrides
from babelwire.model import Article


def _read_input_text(path: str) -> str:
    """The text of an input file (or stdin for ``-``), decoded as :func:`decode_lenient` does.

    A file that cannot be read or is not text ends the command with a message naming it and exit
    code 2; bytes that are not UTF-8 are replaced and a warning names the file.
    """
    from babelwire.ingest.decode import NotText, decode_lenient

    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        err.print(f"[red]error:[/red] {escape(path)}: cannot open ({exc.strerror})", highlight=False)
        raise typer.Exit(2) from exc
    try:
        decoded = decode_lenient(data)
    except NotText as exc:
        err.print(f"[red]error:[/red] {escape(path)}: {exc}", highlight=False)
        raise typer.Exit(2) from exc
    if decoded.warning:
        err.print(f"[yellow]warning[/yellow] {escape(path)}: {decoded.warning}", highlight=False)
    return decoded.text


def _read_json_lines(path: str) -> list[tuple[int, dict[str, Any] | None, str | None]]:
    """(line, record, None) for every JSON object line of a file, (line, None, why) for a bad one.

    Blank lines are left out; they still count in the line numbers.
    """
    out: list[tuple[int, dict[str, Any] | None, str | None]] = []
    # universal newlines, as a file opened in text mode: CRLF and CR end lines, U+2028 does not
    for number, line in enumerate(io.StringIO(_read_input_text(path), newline=None), start=1):
        if not line.strip():
            continue
        try:
            record = loads_strict(line.rstrip("\r\n"))  # so that the column of an error is right
        except json.JSONDecodeError as exc:
            out.append((number, None, malformed_json(exc)))
            continue
        if isinstance(record, dict):
            out.append((number, record, None))
        else:
            out.append((number, None, "expected a JSON object"))
    return out


def _read_jsonl(path: str) -> list[tuple[int, dict[str, Any]]]:
    """(line, record) for every JSON object line of a file; bad lines are reported and skipped."""
    out = []
    for number, record, problem in _read_json_lines(path):
        if record is None:
            message = f"{path}:{number}: {problem}"
            err.print(f"[yellow]skipped[/yellow] {escape(message)}", highlight=False)
        else:
            out.append((number, record))
    return out


def _load_articles(
    path: str,
    rows: list[tuple[int, dict[str, Any]]] | None = None,
    rejected: dict[str, str] | None = None,
) -> list[Article]:
    """The articles of a JSONL file (or of its ``rows`` already read); lines that are not are reported.

    ``rejected``, when given, receives id -> reason for the lines with an id that are no article.
    """
    from babelwire.ingest.records import Rejection, article_from_record, clean_str

    articles = []
    for number, record in _read_jsonl(path) if rows is None else rows:
        item = article_from_record(record, f"{path}:{number}", Overrides())
        if isinstance(item, Rejection):
            err.print(f"[yellow]skipped[/yellow] {escape(str(item))}", highlight=False)
            if rejected is not None and record.get("id") not in (None, ""):
                rejected[clean_str(record["id"])] = item.reason
        else:
            articles.append(item)
    return articles


def _first_of_each_id(arts: list[Article]) -> list[Article]:
    """The articles with the first line of each id; a repeated id is reported and skipped."""
    first: dict[str, Article] = {}
    for article in arts:
        if article.id in first:
            message = f"{article.origin}: id {article.id!r} repeats {first[article.id].origin}"
            err.print(f"[yellow]skipped[/yellow] {escape(message)}", highlight=False)
        else:
            first[article.id] = article
    return list(first.values())


def _pair_ids(record: dict[str, Any]) -> tuple[str, str] | str:
    """The ids of a pair record (``id1``/``id2``, else SemEval's ``pair_id`` "ID1_ID2"), or why not."""
    from babelwire.ingest.records import clean_str

    pair_id = record.get("pair_id")
    if "id1" not in record and "id2" not in record and isinstance(pair_id, str) and pair_id.count("_") == 1:
        first, second = pair_id.split("_")
        if first and second:
            return first, second
    ids = []
    for key in ("id1", "id2"):
        value = record.get(key)
        if key not in record:
            return f"no {key!r} field"
        if value is None or (isinstance(value, str) and not value.strip()):
            return f"{key!r} is empty"
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return f"{key!r} must be a string or a number"
        ids.append(clean_str(value))
    return ids[0], ids[1]

"""Turn one input record (a dict of fields) into an ``Article``, or a ``Rejection`` saying why not."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

from babelwire.model import Article

FIELDS = ("id", "url", "source", "title", "text", "published", "lang")


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that could not become an article: ``origin`` names it, ``reason`` says why."""

    origin: str
    reason: str

    def __post_init__(self) -> None:
        # a file name that is not valid UTF-8 arrives with surrogate escapes; keep it printable
        object.__setattr__(self, "origin", clean_str(self.origin))

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Overrides:
    """Values the user forces on every article of an ingest (``--source``, ``--lang``, ``--published``)."""

    source: str | None = None
    lang: str | None = None
    published: str | None = None


def clean_str(value: Any) -> str:
    """``str(value)`` with lone surrogates (from JSON escapes like ``"\\ud800"``) replaced by U+FFFD.

    SQLite and UTF-8 output cannot encode them, so one bad field would otherwise sink a batch.
    """
    text = value if isinstance(value, str) else str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean_name(value: Any) -> str:
    """A one-line field (an outlet's name) without control characters: they become spaces.

    An escape character in a record's ``source`` would otherwise reach the terminal of whoever
    lists the articles, as the title and the text (cleaned by the normalise stage) do not.
    """
    return " ".join(_CONTROLS.sub(" ", clean_str(value)).split())


def clean_url(value: Any) -> str:
    """A URL without control characters (and the whitespace around it)."""
    return _CONTROLS.sub("", clean_str(value)).strip()


def derive_id(source: str | None, url: str | None, title: str, text: str) -> str:
    """A stable id for an input without one: the same input always gets the same id."""
    basis = url if url else f"{source or ''}\x1f{title}\x1f{text}"
    return hashlib.sha1(basis.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def domain_of(url: str | None) -> str | None:
    """The host of a URL without ``www.``, used as the source when none is given."""
    if not url:
        return None
    try:
        host = urlparse(url).hostname
    except ValueError:  # "http://[::1": an unclosed or invalid IPv6 host
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


#: Publication dates before this are taken for mistakes (a default like 0001-01-01) and left unknown.
EARLIEST_PUBLISHED = datetime(1800, 1, 1, tzinfo=UTC)
#: Publication dates more than this many years after the day of ingest are left unknown too.
MAX_YEARS_AHEAD = 5
_UNREADABLE = "could not parse publication date {}"


def parse_published(value: Any) -> datetime | None:
    """Parse a publication date in common formats (ISO 8601, RFC 2822, epoch, free text); None if unknown.

    A date outside the sane range (before 1800, or more than ``MAX_YEARS_AHEAD`` years from now)
    or one that cannot be expressed in UTC (``9999-12-31T23:59:59-12:00``) is unknown as well.
    """
    return read_published(value)[0]


def read_published(value: Any) -> tuple[datetime | None, str | None]:
    """``parse_published`` and, for a given date left unknown, why: a warning with ``{}`` for the value."""
    if value is None or value == "" or isinstance(value, bool):
        return None, None if value is None or value == "" else _UNREADABLE
    parsed = _parse_date(value)
    if parsed is None:
        return None, _UNREADABLE
    try:
        in_utc = parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None, "publication date {} cannot be converted to UTC (past the range of dates)"
    latest = datetime.now(UTC).replace(microsecond=0)
    try:
        latest = latest.replace(year=latest.year + MAX_YEARS_AHEAD)
    except ValueError:  # 29 February
        latest = latest.replace(year=latest.year + MAX_YEARS_AHEAD, day=28)
    if in_utc < EARLIEST_PUBLISHED or in_utc > latest:
        return None, (
            f"publication date {{}} is before {EARLIEST_PUBLISHED.year} "
            f"or more than {MAX_YEARS_AHEAD} years in the future"
        )
    return parsed, None


def _parse_date(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    if not text:
        return None
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None:
        from email.utils import parsedate_to_datetime

        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            parsed = None
    if parsed is None:
        import dateparser

        # no relative dates ("yesterday"): they would depend on when the input is ingested
        try:
            parsed = dateparser.parse(
                text,
                settings={
                    "PREFER_DAY_OF_MONTH": "first",
                    "REQUIRE_PARTS": ["year", "month", "day"],
                    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
                },
            )
        except (OverflowError, ValueError):
            parsed = None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    return "a list" if isinstance(value, list) else "an object" if isinstance(value, dict) else "a value"


def article_from_record(record: dict[str, Any], origin: str, overrides: Overrides) -> Article | Rejection:
    """Build an article from a record with the fields ``id url source title text published lang``."""
    if not isinstance(record, dict):
        return Rejection(origin, f"expected a JSON object, got {type(record).__name__}")
    # ``text``, else ``body`` when it has something, else ``content``
    field = "text" if record.get("text") is not None else "body" if record.get("body") else "content"
    text = record.get(field)
    if text is None:
        if "text" in record:
            return Rejection(origin, "'text' is empty (null); it is the only required field")
        return Rejection(origin, "no 'text' field (the only required field)")
    if not isinstance(text, str):
        return Rejection(origin, f"{field!r} must be a string, not {_json_kind(text)}")
    if not text.strip():
        return Rejection(origin, "empty 'text'")
    raw_id = record.get("id")
    if isinstance(raw_id, bool | list | dict):
        return Rejection(
            origin, f"'id' must be a string or a number, not {_json_kind(raw_id)}; give it its own id"
        )
    warnings: list[str] = []
    text = clean_str(text)
    raw_title = record.get("title")
    if isinstance(raw_title, bool | list | dict):
        warnings.append(f"'title' is {_json_kind(raw_title)}, not text; left out")
        raw_title = None
    title = clean_str(raw_title if raw_title is not None else "")
    url = clean_url(record["url"]) if record.get("url") else None
    url = url or None
    given_source = overrides.source or record.get("source")
    source = (clean_name(given_source) if given_source else None) or domain_of(url)
    published_raw = overrides.published or record.get("published") or record.get("date")
    published, unknown_why = read_published(published_raw)
    lang = overrides.lang or record.get("lang") or record.get("language") or None
    article_id = clean_str(raw_id) if raw_id not in (None, "") else derive_id(source, url, title, text)
    article = Article(
        id=article_id,
        text=text,
        title=title,
        url=url,
        source=clean_str(source) if source else None,
        published=published,
        lang=clean_str(lang).strip().lower() if lang else None,
        lang_given=bool(lang),
        origin=clean_str(origin),
    )
    if unknown_why and published is None:
        warnings.append(unknown_why.format(repr(published_raw)) + "; left unknown")
    if warnings:
        article.extra["warning"] = "; ".join(warnings)
    return article

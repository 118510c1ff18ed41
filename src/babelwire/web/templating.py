"""The Jinja2 environment: autoescaping everywhere, and the small helpers templates use."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from babelwire.web.schemas import safe_url

LANGUAGE_NAMES = {
    "en": "English",
    "sv": "Svenska",
    "no": "Norsk",
    "da": "Dansk",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "it": "Italiano",
    "nl": "Nederlands",
    "pl": "Polski",
    "pt": "Português",
    "ru": "Русский",
    "fi": "Suomi",
    "tr": "Türkçe",
    "ar": "العربية",
}


def seg(value: str) -> str:
    """An id made safe as one URL path segment (``/`` and everything else percent-encoded)."""
    return quote(value, safe="")


def story_url(story_id: str) -> str:
    return f"/stories/{seg(story_id)}"


def article_url(article_id: str) -> str:
    return f"/articles/{seg(article_id)}"


def entity_url(entity_id: str) -> str:
    return f"/entities/{seg(entity_id)}"


def query_url(path: str, params: dict[str, Any], **changes: Any) -> str:
    """``path`` with ``params`` updated by ``changes`` (None or "" removes a parameter)."""
    merged = {**params, **changes}
    clean = {k: v for k, v in merged.items() if v not in (None, "")}
    return path + ("?" + urlencode(clean) if clean else "")


def fmt_dt(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A date in UTC (``-`` when unknown)."""
    if value is None:
        return "–"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime(fmt)


def fmt_span(first: datetime | None, last: datetime | None) -> str:
    """A time span as "30 Oct 06:10 – 31 Oct 10:00 UTC (28 h)"."""
    if first is None or last is None:
        return fmt_dt(first or last)
    hours = (last - first).total_seconds() / 3600
    length = f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"
    if first == last:
        return fmt_dt(first, "%d %b %Y %H:%M") + " UTC"
    return f"{fmt_dt(first, '%d %b %H:%M')} – {fmt_dt(last, '%d %b %Y %H:%M')} UTC ({length})"


def lang_name(code: str | None) -> str:
    return LANGUAGE_NAMES.get(code or "", code or "?")


def page_context(request: Request) -> dict[str, Any]:
    """What every page template uses: the configured languages, the query and the path."""
    return {
        "languages": list(request.app.state.web.settings.engine.languages),
        "params": dict(request.query_params),
        "path": request.url.path,
    }


def make_templates() -> Jinja2Templates:
    """Templates from the package's ``templates`` folder, autoescaped whatever the file name."""
    folder = str(resources.files("babelwire.web").joinpath("templates"))
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        story_url=story_url,
        article_url=article_url,
        entity_url=entity_url,
        query_url=query_url,
        safe_url=safe_url,
        lang_name=lang_name,
        seg=seg,
    )
    env.filters.update(dt=fmt_dt, span=fmt_span)
    return Jinja2Templates(env=env)

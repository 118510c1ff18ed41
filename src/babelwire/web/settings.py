"""Settings of the web app (engine settings plus the HTTP limits and the write token)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from babelwire.config import Settings
from babelwire.nlp.language import normalize_code


@dataclass(frozen=True, slots=True)
class WebSettings:
    """What ``create_app`` needs; ``WebSettings.from_env()`` reads ``BABELWIRE_*`` overrides.

    Write endpoints (``POST /api/articles``) are off unless ``token`` is set
    (``BABELWIRE_API_TOKEN``); clients then send ``Authorization: Bearer TOKEN``.
    """

    engine: Settings = field(default_factory=Settings)
    token: str | None = None
    max_body_bytes: int = 5_000_000  # largest accepted request body (BABELWIRE_MAX_BODY_BYTES)
    max_ingest_records: int = 1000  # most articles accepted by one POST
    page_size: int = 30  # default items per page of every list
    story_page_size: int = 12  # reports per page of a story (shown in full)
    search_page_size: int = 10  # story groups per page of search results
    max_page_size: int = 100
    reader_lang: str = "en"  # default language for headlines and summaries
    feed_size: int = 50  # entries per Atom feed

    @classmethod
    def from_env(cls, db: str | None = None, token: str | None = None) -> WebSettings:
        """Engine settings from ``BABELWIRE_*``, then the web variables, then explicit arguments."""
        engine = Settings.from_env(db=db)
        env: dict[str, object] = {"engine": engine}
        if os.environ.get("BABELWIRE_API_TOKEN"):
            env["token"] = os.environ["BABELWIRE_API_TOKEN"]
        if os.environ.get("BABELWIRE_MAX_BODY_BYTES"):
            env["max_body_bytes"] = int(os.environ["BABELWIRE_MAX_BODY_BYTES"])
        if os.environ.get("BABELWIRE_READER_LANG"):
            env["reader_lang"] = normalize_code(os.environ["BABELWIRE_READER_LANG"])
        if token:
            env["token"] = token
        return replace(cls(), **env)  # type: ignore[arg-type]

    @classmethod
    def coerce(cls, value: WebSettings | Settings | str | None) -> WebSettings:
        """Accept web settings, engine settings, a database path, or None (the environment)."""
        if isinstance(value, WebSettings):
            return value
        if isinstance(value, Settings):
            return replace(cls.from_env(), engine=value)
        return cls.from_env(db=value)

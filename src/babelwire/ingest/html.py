"""Extract the main text and metadata of an HTML page with trafilatura."""

from __future__ import annotations

import logging

from babelwire.ingest.records import Overrides, Rejection, article_from_record
from babelwire.model import Article

# trafilatura logs every page it finds empty at WARNING; we report those ourselves.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

MIN_MAIN_TEXT = 40  # characters: less than this is navigation or boilerplate, not an article
_DATE_PARAMS = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True, "extensive_search": True}


def article_from_html(
    html: str, origin: str, overrides: Overrides, url: str | None = None
) -> Article | Rejection:
    """Main text, title, date and site name of a page, or a rejection if it has no main text."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            # keep the time and offset of the publication, not only its day
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as exc:
        return Rejection(origin, f"could not parse HTML ({type(exc).__name__}: {exc})")
    if doc is None:
        return Rejection(origin, "HTML has no main text (only navigation or boilerplate)")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = (data.get("text") or "").strip()
    title = (data.get("title") or "").strip()
    if title and text.startswith(title):  # trafilatura repeats the <h1> as the first line
        rest = text[len(title) :].lstrip("\n")
        if rest:
            text = rest
    if len(text) < MIN_MAIN_TEXT:
        return Rejection(origin, f"HTML has no main text (only {len(text)} characters found)")
    record = {
        "text": text,
        "title": title,
        "url": url or data.get("url"),
        "source": data.get("sitename") or None,
        "published": data.get("date"),
    }
    return article_from_record(record, origin, overrides)

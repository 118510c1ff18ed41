"""URLs of pages and feeds, OPML lists, time-outs and size limits, against a local HTTP server only."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from babelwire.config import Settings
from babelwire.engine import Engine
from babelwire.ingest.files import iter_items
from babelwire.ingest.records import Overrides, Rejection
from babelwire.ingest.web import FetchError, fetch
from babelwire.model import Article
from tests.corpus import DA_TEXT, DA_TITLE, NO_TEXT, NO_TITLE, SV_TEXT, SV_TITLE
from tests.helpers import LocalServer, Route, local_server

pytestmark = pytest.mark.network

FAST = replace(Settings(), fetch_timeout=0.5)


def page(title: str, text: str, site: str = "Kustbladet", date: str = "2026-11-18") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="{site}">'
        f'<meta property="article:published_time" content="{date}T08:00:00Z"></head>'
        f"<body><nav><a href='/'>Start</a></nav><article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>Kontakt</footer></body></html>"
    )


def rss(title: str, items: list[tuple[str, str, str]]) -> str:
    """An RSS document; items are (title, link, description)."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Thu, 19 Nov 2026 07:00:00 +0000</pubDate><description>{d}</description></item>"
        for t, link, d in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"{entries}</channel></rss>"
    )


def opml(urls: list[str]) -> str:
    outlines = "".join(f'<outline type="rss" text="feed" xmlUrl="{u}"/>' for u in urls)
    return (
        '<?xml version="1.0"?><opml version="2.0"><head><title>Mina flöden</title></head>'
        f"<body>{outlines}</body></opml>"
    )


def read(
    *inputs: str, settings: Settings = FAST, overrides: Overrides | None = None
) -> list[Article | Rejection]:
    return list(iter_items(list(inputs), overrides or Overrides(), settings))


def test_page_url(http_server: LocalServer) -> None:
    http_server.routes["/sv/farja"] = Route(page(SV_TITLE, SV_TEXT))
    (article,) = read(http_server.url("/sv/farja"))
    assert isinstance(article, Article)
    assert article.url == http_server.url("/sv/farja")
    assert article.title == SV_TITLE and "isbrytaren Frej" in article.text
    assert article.source == "Kustbladet"
    assert article.published == datetime(2026, 11, 18, 8, 0, tzinfo=UTC)


def test_page_without_site_name_uses_the_domain(http_server: LocalServer) -> None:
    html = page(SV_TITLE, SV_TEXT).replace('<meta property="og:site_name" content="Kustbladet">', "")
    http_server.routes["/x"] = Route(html)
    (article,) = read(http_server.url("/x"))
    assert isinstance(article, Article) and (article.source or "").startswith("127.0.0.1")


def test_fetch_sends_a_user_agent(http_server: LocalServer) -> None:
    http_server.routes["/ua"] = Route("hello", content_type="text/plain")
    fetch(http_server.url("/ua"), FAST)
    (_, headers) = http_server.requests[-1]
    assert headers["user-agent"] == Settings().user_agent


def test_feed_url_with_full_entries(http_server: LocalServer) -> None:
    long_no = NO_TEXT.replace("\n\n", " ")
    http_server.routes["/feed.xml"] = Route(
        rss("Nordlys", [(NO_TITLE, "https://nordlys.example/1", long_no)]), content_type="application/rss+xml"
    )
    (article,) = read(http_server.url("/feed.xml"))
    assert isinstance(article, Article)
    assert article.title == NO_TITLE and article.source == "Nordlys"
    assert article.url == "https://nordlys.example/1"
    assert article.published == datetime(2026, 11, 19, 7, 0, tzinfo=UTC)
    assert len(http_server.requests) == 1  # full text in the feed: no page fetched


def test_feed_teasers_fetch_their_pages(http_server: LocalServer) -> None:
    http_server.routes["/a/1"] = Route(page(SV_TITLE, SV_TEXT))
    http_server.routes["/feed"] = Route(
        rss("Kustbladet", [(SV_TITLE, http_server.url("/a/1"), "Färjan fastnade i isen.")]),
        content_type="application/rss+xml; charset=utf-8",
    )
    (article,) = read(http_server.url("/feed"))
    assert isinstance(article, Article)
    assert "isbrytaren Frej" in article.text  # the page's full text, not the teaser
    assert article.source == "Kustbladet" and article.title == SV_TITLE


def test_feed_teaser_kept_when_its_page_fails(http_server: LocalServer) -> None:
    http_server.routes["/feed"] = Route(
        rss("Kustbladet", [(SV_TITLE, http_server.url("/gone"), "Färjan fastnade i isen utanför Holmsund.")]),
        content_type="application/rss+xml",
    )
    (article,) = read(http_server.url("/feed"))
    assert isinstance(article, Article) and article.text == "Färjan fastnade i isen utanför Holmsund."


def test_feed_served_as_text_xml_is_sniffed(http_server: LocalServer) -> None:
    http_server.routes["/f"] = Route(
        rss("Nordlys", [(NO_TITLE, "https://nordlys.example/1", NO_TEXT.replace("\n\n", " "))]),
        content_type="text/xml",
    )
    (article,) = read(http_server.url("/f"))
    assert isinstance(article, Article) and article.source == "Nordlys"


def test_jsonl_served_over_http(http_server: LocalServer) -> None:
    body = json.dumps({"id": "j1", "text": DA_TEXT}) + "\n" + json.dumps({"id": "j2", "text": SV_TEXT}) + "\n"
    http_server.routes["/dump"] = Route(body, content_type="application/x-ndjson")
    assert [a.id for a in read(http_server.url("/dump"))] == ["j1", "j2"]


def test_http_error_is_a_rejection(http_server: LocalServer) -> None:
    http_server.routes["/down"] = Route("oops", status=503)
    (item,) = read(http_server.url("/down"))
    assert isinstance(item, Rejection)
    assert item.origin == http_server.url("/down") and "HTTP 503" in item.reason
    (missing,) = read(http_server.url("/nowhere"))
    assert isinstance(missing, Rejection) and "HTTP 404" in missing.reason


def test_timeout_is_a_rejection(http_server: LocalServer) -> None:
    http_server.routes["/slow"] = Route(page(SV_TITLE, SV_TEXT), delay=2.0)
    settings = replace(Settings(), fetch_timeout=0.3)
    (item,) = read(http_server.url("/slow"), settings=settings)
    assert isinstance(item, Rejection) and "timed out after 0.3 s" in item.reason


def test_response_over_the_size_limit(http_server: LocalServer) -> None:
    http_server.routes["/huge"] = Route(page(SV_TITLE, SV_TEXT * 20))
    settings = replace(FAST, max_fetch_bytes=2000)
    (item,) = read(http_server.url("/huge"), settings=settings)
    assert isinstance(item, Rejection) and "2,000-byte limit" in item.reason


def test_binary_and_empty_responses(http_server: LocalServer) -> None:
    http_server.routes["/img"] = Route(bytes(range(256)) * 10, content_type="image/png")
    http_server.routes["/empty"] = Route(b"", content_type="text/html")
    with pytest.raises(FetchError, match="binary"):
        fetch(http_server.url("/img"), FAST)
    with pytest.raises(FetchError, match="empty"):
        fetch(http_server.url("/empty"), FAST)


def test_unreachable_server_is_a_rejection() -> None:
    with local_server() as server:  # a port that was ours a moment ago, now closed
        url = server.url("/feed")
    (item,) = read(url)
    assert isinstance(item, Rejection) and "request failed" in item.reason


def test_opml_file_lists_feeds_one_failing(http_server: LocalServer, tmp_path: Path) -> None:
    http_server.routes["/no.xml"] = Route(
        rss("Nordlys", [(NO_TITLE, "https://nordlys.example/1", NO_TEXT.replace("\n\n", " "))]),
        content_type="application/rss+xml",
    )
    http_server.routes["/da.xml"] = Route(
        rss("Havnebladet", [(DA_TITLE, "https://havnebladet.example/1", DA_TEXT.replace("\n\n", " "))]),
        content_type="application/rss+xml",
    )
    http_server.routes["/slow.xml"] = Route("<rss/>", content_type="application/rss+xml", delay=2.0)
    path = tmp_path / "feeds.opml"
    urls = [http_server.url(p) for p in ("/no.xml", "/broken.xml", "/slow.xml", "/da.xml")]
    path.write_text(opml(urls), encoding="utf-8")
    items = read(str(path), settings=replace(Settings(), fetch_timeout=0.3))
    assert [a.source for a in items if isinstance(a, Article)] == ["Nordlys", "Havnebladet"]
    bad = {r.origin: r.reason for r in items if isinstance(r, Rejection)}
    assert "HTTP 404" in bad[http_server.url("/broken.xml")]
    assert "timed out" in bad[http_server.url("/slow.xml")]


def test_opml_url_and_xml_suffix(http_server: LocalServer, tmp_path: Path) -> None:
    http_server.routes["/no.xml"] = Route(
        rss("Nordlys", [(NO_TITLE, "https://nordlys.example/1", NO_TEXT.replace("\n\n", " "))]),
        content_type="application/rss+xml",
    )
    http_server.routes["/list.opml"] = Route(opml([http_server.url("/no.xml")]), content_type="text/x-opml")
    assert [a.source for a in read(http_server.url("/list.opml")) if isinstance(a, Article)] == ["Nordlys"]
    path = tmp_path / "subscriptions.xml"
    path.write_text(opml([http_server.url("/no.xml")]), encoding="utf-8")
    assert [a.source for a in read(str(path)) if isinstance(a, Article)] == ["Nordlys"]


def test_opml_without_feeds(tmp_path: Path) -> None:
    path = tmp_path / "empty.opml"
    path.write_text('<?xml version="1.0"?><opml version="2.0"><body></body></opml>', encoding="utf-8")
    (item,) = read(str(path))
    assert isinstance(item, Rejection) and "no feeds" in item.reason


def test_url_overrides(http_server: LocalServer) -> None:
    http_server.routes["/p"] = Route(page(SV_TITLE, SV_TEXT))
    overrides = Overrides(source="Min källa", lang="sv", published="2026-12-01")
    (article,) = read(http_server.url("/p"), overrides=overrides)
    assert isinstance(article, Article)
    assert (article.source, article.lang) == ("Min källa", "sv")
    assert article.published == datetime(2026, 12, 1, tzinfo=UTC)


def test_engine_ingests_a_feed_twice_idempotently(http_server: LocalServer, engine: Engine) -> None:
    http_server.routes["/a/1"] = Route(page(SV_TITLE, SV_TEXT))
    http_server.routes["/feed"] = Route(
        rss("Kustbladet", [(SV_TITLE, http_server.url("/a/1"), "Kort ingress.")]),
        content_type="application/rss+xml",
    )
    first = engine.ingest([http_server.url("/feed")])
    second = engine.ingest([http_server.url("/feed")])
    assert (first.added, second.added, second.already_stored) == (1, 0, 1)


@pytest.mark.parametrize("url", ["http://[::1", "http://kustbladet.example:port/a"])
def test_a_malformed_url_is_rejected_and_the_rest_is_read(url: str, tmp_path: Path, engine: Engine) -> None:
    with pytest.raises(FetchError, match="invalid URL"):
        fetch(url, engine.settings)
    path = tmp_path / "a.txt"
    path.write_text(SV_TITLE + "\n\n" + SV_TEXT, encoding="utf-8")
    report = engine.ingest([url, str(path)])
    assert (report.added, report.rejected) == (1, 1)
    assert url in report.messages[0] and "invalid URL" in report.messages[0]

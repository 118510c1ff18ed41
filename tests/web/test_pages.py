"""HTML pages: they render, link to each other, and show hostile article text as text."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

from tests.web.conftest import HOSTILE

HOSTILE_PATH = "/articles/" + quote(HOSTILE["id"], safe="")


def test_stories_page(client: TestClient) -> None:
    page = client.get("/", params={"window": "all"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    listed = client.get("/api/stories", params={"window": "all"}).json()["items"]
    assert len(listed) >= 3 and page.text.count('class="card story"') == len(listed)
    assert 'href="/feeds/stories.atom' in page.text
    assert client.get("/").status_code == 200  # the default window: the last day of news


def test_story_page(client: TestClient, largest_story: dict[str, Any]) -> None:
    page = client.get(f"/stories/{largest_story['id']}")
    assert page.status_code == 200
    assert '<svg class="timeline"' in page.text
    assert page.text.count('class="card report"') == largest_story["reports"]
    for lang in largest_story["languages"]:
        assert f'lang="{lang}"' in page.text
    swedish = client.get(f"/stories/{largest_story['id']}", params={"lang": "sv"})
    assert swedish.status_code == 200 and '<html lang="sv">' in swedish.text


def test_forms_with_empty_fields_work(client: TestClient) -> None:
    """HTML forms send every field, empty ones included: "any" must not be a validation error."""
    for path in (
        "/?window=1d&lang=&source=&entity=&sort=size",
        "/search?q=Budapest&mode=hybrid&lang=",
        "/entities?q=&label=",
    ):
        assert client.get(path).status_code == 200, path


def test_entities_and_search_pages(client: TestClient) -> None:
    assert client.get("/entities").status_code == 200
    assert client.get("/entities", params={"q": "Budapest"}).status_code == 200
    bad = client.get("/entities", params={"label": "XYZ"}, headers={"accept": "text/html"})
    assert bad.status_code == 400 and "invalid request" in bad.text


def test_hostile_article_is_escaped(client: TestClient) -> None:
    html = client.get(HOSTILE_PATH).text
    assert "&lt;script&gt;window.__pwned" in html
    assert "<script>window" not in html
    assert not re.search(r"<[^>]+\son\w+\s*=", html), "an event handler attribute reached the page"
    assert 'href="javascript' not in html and "href='javascript" not in html
    assert "&lt;b&gt;Outlet&lt;/b&gt;" in html


def test_hostile_article_in_lists_search_and_feeds(client: TestClient) -> None:
    api = client.get(f"/api{HOSTILE_PATH}").json()
    assert api["url"] is None  # a javascript: link is never handed out
    for path in ("/?window=all&sort=recent", "/search?q=Valderhavn+storm"):
        html = client.get(path).text
        assert "<script>window" not in html and 'href="javascript' not in html
    feed = client.get("/feeds/stories.atom", params={"window": "all", "sort": "recent"}).text
    assert "<script>" not in feed and "&lt;script&gt;" in feed

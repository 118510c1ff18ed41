"""What a review of the web app found: reader languages, the fact matrix, entity filters, paging."""

from __future__ import annotations

import re
import sqlite3
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

from babelwire.store import EntityFilter, SQLiteStore
from tests.web.conftest import TOKEN, SampleDb

AUTH = {"authorization": f"Bearer {TOKEN}"}
ATOM = "{http://www.w3.org/2005/Atom}"


def _cached_langs(db: SampleDb, story_id: str) -> set[str]:
    with sqlite3.connect(db.path) as conn:
        rows = conn.execute("SELECT reader_lang FROM coverage_cache WHERE story_id = ?", (story_id,))
        return {r[0] for r in rows}


def test_reader_language_must_be_a_configured_one(
    client: TestClient, sample_db: SampleDb, largest_story: dict[str, Any]
) -> None:
    sid = largest_story["id"]
    for code in ("qa", "zz", "xyz"):
        answer = client.get(f"/api/stories/{sid}", params={"lang": code})
        assert answer.status_code == 422 and "en, sv" in answer.json()["detail"], answer.text
        page = client.get(f"/stories/{sid}", params={"lang": code})
        assert page.status_code == 400 and "en, sv" in page.text
    assert not {"qa", "zz", "xyz"} & _cached_langs(sample_db, sid)  # nothing computed or stored
    for code in ("SV", "sv-SE", "sv_se"):
        answer = client.get(f"/api/stories/{sid}", params={"lang": code})
        assert answer.status_code == 200 and answer.json()["reader_lang"] == "sv"


def test_list_language_filters_are_normalised_and_checked(client: TestClient) -> None:
    plain = client.get("/api/stories", params={"window": "all", "lang": "de"}).json()["items"]
    tagged = client.get("/api/stories", params={"window": "all", "lang": "DE-at"}).json()["items"]
    assert plain and [s["id"] for s in plain] == [s["id"] for s in tagged]
    assert client.get("/api/stories", params={"lang": "qq"}).status_code == 422
    assert client.get("/feeds/stories.atom", params={"lang": "qq"}).status_code == 422
    assert client.get("/", params={"lang": "qq"}).status_code == 400
    assert client.get("/", params={"window": "all", "lang": "De"}).status_code == 200


def test_language_switch_offers_the_story_languages_and_the_default(
    client: TestClient, largest_story: dict[str, Any]
) -> None:
    missing = next(c for c in ("fi", "it", "nl", "pl", "es", "fr") if c not in largest_story["languages"])
    page = client.get(f"/stories/{largest_story['id']}", params={"lang": missing})
    assert page.status_code == 200
    nav = re.search(r'<nav class="langswitch".*?</nav>', page.text, re.S)
    assert nav is not None
    offered = set(re.findall(r">([a-z]{2,3})</a>", nav.group(0)))
    assert offered == {*largest_story["languages"], "en"}


def _matrix_columns(html: str) -> int:
    return html.count('<th scope="col" class="col">')


def test_fact_matrix_compares_every_report_whatever_the_page(
    client: TestClient, largest_story: dict[str, Any]
) -> None:
    sid = largest_story["id"]
    whole = client.get(f"/stories/{sid}", params={"per_page": 100})
    assert 'class="matrix"' in whole.text, "the sample story should have a fact comparison"
    reports = _matrix_columns(whole.text)
    assert reports == largest_story["reports"] >= 3
    for params in ({"per_page": 2}, {"per_page": 2, "page": 2}, {"page": 99}):
        page = client.get(f"/stories/{sid}", params=params)
        assert page.status_code == 200 and _matrix_columns(page.text) == reports, params


def test_an_empty_entity_id_is_no_entity(client: TestClient, sample_db: SampleDb) -> None:
    assert client.get("/api/entities/").status_code == 404
    assert "no entity id" in client.get("/api/entities/").json()["detail"]
    page = client.get("/entities/", follow_redirects=False)
    assert page.status_code in (301, 302, 307, 308) and page.headers["location"] == "/entities"
    assert client.get("/entities/").status_code == 200  # the list
    assert client.get("/feeds/entities/.atom").status_code == 404
    store = SQLiteStore(sample_db.path)
    try:
        assert store.get_entity("") is None
        assert store.list_entities(EntityFilter(only_id="")) == []
        assert store.list_entities(EntityFilter(only_id=None, limit=1))  # no filter: any entity
    finally:
        store.close()


def test_entity_filter_takes_a_name(client: TestClient) -> None:
    top = client.get("/api/entities", params={"per_page": 1}).json()["items"][0]
    by_id = client.get("/api/stories", params={"window": "all", "entity": top["id"]}).json()["items"]
    for spelling in (top["name"], top["name"].upper()):
        by_name = client.get("/api/stories", params={"window": "all", "entity": spelling}).json()["items"]
        assert by_id and [s["id"] for s in by_name] == [s["id"] for s in by_id], spelling
    page = client.get("/", params={"window": "all", "entity": top["name"]})
    assert page.text.count('class="card story"') == len(by_id)
    assert "no entity named" not in page.text.lower()


def test_unknown_entity_name_says_so(client: TestClient) -> None:
    page = client.get("/", params={"window": "all", "entity": "Orsolya Trenkwald-Ibañez"})
    assert page.status_code == 200 and 'class="card story"' not in page.text
    assert "There is no entity named “Orsolya Trenkwald-Ibañez”" in page.text
    assert "Try a longer time window" not in page.text
    listed = client.get("/api/stories", params={"window": "all", "entity": "Orsolya Trenkwald-Ibañez"})
    assert listed.json()["items"] == []


def test_empty_story_list_says_why(client: TestClient) -> None:
    past_end = client.get("/", params={"window": "all", "page": 10000})
    assert "No more stories" in past_end.text and "Try a longer time window" not in past_end.text
    assert 'href="/?window=all"' in past_end.text  # back to the first page
    no_outlet = client.get("/", params={"window": "all", "source": "Quillmoor Gazette"})
    assert "No story matches these filters" in no_outlet.text
    assert "Try a longer time window" not in no_outlet.text


def test_summary_marks_sentences_in_another_language(
    client: TestClient, largest_story: dict[str, Any]
) -> None:
    sid = largest_story["id"]
    other = next(c for c in ("it", "nl", "pl", "pt", "es") if c not in largest_story["languages"])
    data = client.get(f"/api/stories/{sid}", params={"lang": other}).json()
    sentences = data["summary_sentences"]
    assert sentences and [s["text"] for s in sentences] == data["summary"]
    assert all(s["lang"] in largest_story["languages"] and s["article"] for s in sentences)
    page = client.get(f"/stories/{sid}", params={"lang": other}).text
    for s in sentences:
        assert '<span class="badge lang" title="in ' in page
        assert f'<span lang="{s["lang"]}">' in page
    english = client.get(f"/api/stories/{sid}", params={"lang": "en"}).json()["summary_sentences"]
    english_page = client.get(f"/stories/{sid}", params={"lang": "en"}).text
    marked = re.findall(r'<p class="summary" dir="auto"><span class="badge lang"', english_page)
    assert len(marked) == sum(1 for s in english if s["lang"] != "en")
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert "summary_sentences" in schema["StoryDetail"]["properties"]
    assert {"text", "lang", "article"} <= set(schema["SummarySentence"]["properties"])


def test_feeds_date_undated_reports_by_the_request(write_client: TestClient) -> None:
    undated = {
        "id": "web-review-undated",
        "source": "Testbladet",
        "lang": "en",
        "title": "Lighthouse keeper on Skarven retires",
        "text": "The last lighthouse keeper on Skarven retired this week after thirty years.\n\n"
        "The light will be run from the mainland from now on.",
    }
    assert write_client.post("/api/articles", json=undated, headers=AUTH).status_code == 201
    story_id = write_client.get("/api/articles/web-review-undated").json()["story_id"]
    assert story_id
    before = datetime.now(UTC).replace(microsecond=0)
    feed = write_client.get(f"/feeds/stories/{quote(story_id, safe='')}.atom")
    assert feed.status_code == 200
    root = ET.fromstring(feed.content)
    stamps = [el.text or "" for el in root.iter(f"{ATOM}updated")]
    assert len(stamps) == 2 and not any(s.startswith("1970") for s in stamps)
    assert all(datetime.fromisoformat(s.replace("Z", "+00:00")) >= before for s in stamps)


def test_story_page_past_the_last_page_says_so(client: TestClient, largest_story: dict[str, Any]) -> None:
    sid = largest_story["id"]
    page = client.get(f"/stories/{sid}", params={"page": 99, "lang": "en"})
    assert page.status_code == 200 and "No reports on this page" in page.text
    assert f'href="/stories/{sid}?lang=en"' in page.text  # the first page, same language
    assert "No reports on this page" not in client.get(f"/stories/{sid}").text


def test_head_is_answered_where_get_is(client: TestClient, largest_story: dict[str, Any]) -> None:
    for path in ("/", f"/stories/{largest_story['id']}", "/entities", "/feeds/stories.atom", "/api/stories"):
        got = client.get(path)
        head = client.head(path)
        assert head.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]
        assert "content-security-policy" in head.headers
    assert client.head("/stories/no-such-story").status_code == 404

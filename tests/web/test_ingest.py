"""HTTP ingest: bearer token, write switch, size and count limits, JSON and JSON lines."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.web.conftest import TOKEN, SampleDb, make_app

AUTH = {"authorization": f"Bearer {TOKEN}"}
ARTICLE = {
    "id": "web-post-1",
    "source": "Testbladet",
    "lang": "sv",
    "published": "2026-10-30T09:00:00Z",
    "title": "Pråm och kryssningsfartyg kolliderade på Donau",
    "text": "Ett kryssningsfartyg kolliderade med en pråm på Donau norr om Budapest på torsdagen.\n\n"
    "Nio passagerare skadades lindrigt, uppger polisen.",
}


def test_writes_are_off_without_a_configured_token(sample_db: SampleDb) -> None:
    with TestClient(make_app(sample_db, token=None)) as client:
        response = client.post("/api/articles", json=ARTICLE, headers=AUTH)
    assert response.status_code == 403 and "BABELWIRE_API_TOKEN" in response.json()["detail"]


def test_a_token_is_required(write_client: TestClient) -> None:
    missing = write_client.post("/api/articles", json=ARTICLE)
    assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith("Bearer")
    wrong = write_client.post("/api/articles", json=ARTICLE, headers={"authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "wrong" in wrong.json()["detail"]
    basic = write_client.post("/api/articles", json=ARTICLE, headers={"authorization": f"Basic {TOKEN}"})
    assert basic.status_code == 401


def test_bad_bodies_get_a_reason(write_client: TestClient) -> None:
    def post(body: bytes, content_type: str = "application/json") -> tuple[int, str]:
        r = write_client.post("/api/articles", content=body, headers={**AUTH, "content-type": content_type})
        return r.status_code, r.json()["detail"]

    status, detail = post(b"x" * 300_000)
    assert status == 413 and "limit" in detail
    status, detail = post(b"<xml/>", "application/xml")
    assert status == 415 and "application/json" in detail
    status, detail = post(b"")
    assert status == 400 and "empty" in detail
    status, detail = post(b"\xff\xfe")
    assert status == 400 and "UTF-8" in detail
    status, detail = post(b'{"title": "no text"}')
    assert status == 422 and "text" in detail
    status, detail = post(b"{broken")
    assert status == 422 and "malformed JSON" in detail
    many = "\n".join(json.dumps({"text": f"article {i}"}) for i in range(1001)).encode()
    status, detail = post(many, "application/x-ndjson")
    assert status == 413 and "batches" in detail


def test_post_json_then_read_it_back(write_client: TestClient) -> None:
    response = write_client.post("/api/articles", json=ARTICLE, headers=AUTH)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["added"] + result["near_duplicates"] + result["duplicates"] == 1
    assert result["article_ids"] == ["web-post-1"]
    stored = write_client.get("/api/articles/web-post-1").json()
    assert stored["lang"] == "sv" and stored["sentences"]
    again = write_client.post("/api/articles", json=ARTICLE, headers=AUTH)
    assert again.status_code == 200 and again.json()["already_stored"] == 1


def test_post_json_lines_with_a_bad_line(write_client: TestClient) -> None:
    lines = [
        json.dumps(
            {**ARTICLE, "id": "web-post-2", "text": "Hamnstrejken i Hamburg fortsätter en tredje dag."}
        ),
        "{not json",
    ]
    response = write_client.post(
        "/api/articles",
        content="\n".join(lines).encode(),
        headers={**AUTH, "content-type": "application/x-ndjson"},
    )
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["rejected"] == 1 and any("malformed JSON" in m for m in result["messages"])
    assert "web-post-2" in result["article_ids"]


def test_post_reports_warnings_stored_ids_and_refusals(write_client: TestClient) -> None:
    first = {
        "id": "web-review-1",
        "source": "Testbladet",
        "lang": "en",
        "published": "the day after the flood",
        "title": "Ferry service to Orlen Island resumes",
        "text": "The ferry to Orlen Island sailed again on Monday after a week of repairs.\n\n"
        "The harbour master said the timetable would return to normal by Friday.",
    }
    added = write_client.post("/api/articles", json=first, headers=AUTH)
    assert added.status_code == 201, added.text
    result = added.json()
    assert result["article_ids"] == ["web-review-1"] and result["already_stored_ids"] == []
    assert len(result["warnings"]) == 1 and "the day after the flood" in result["warnings"][0]
    assert result["detail"] is None

    again = write_client.post("/api/articles", json=first, headers=AUTH)
    assert again.status_code == 200, again.text
    assert again.json()["article_ids"] == [] and again.json()["already_stored_ids"] == ["web-review-1"]

    clash = {**first, "text": "A different text that reuses the id of the ferry report.\n\nIt must not pass."}
    refused = write_client.post("/api/articles", json=clash, headers=AUTH)
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["rejected"] == 1 and body["messages"] and body["detail"].startswith("nothing was stored")
    assert write_client.get("/api/articles/web-review-1").json()["text"] == first["text"]

    fresh = {**first, "id": "web-review-2", "published": "9999-12-31T23:59:59-12:00"}
    fresh["text"] = (
        "Orlen Island's school reopened on Tuesday, a week after the storm.\n\nClasses start at nine."
    )
    mixed = write_client.post("/api/articles", json=[fresh, clash], headers=AUTH)
    assert mixed.status_code == 201, mixed.text
    assert mixed.json()["rejected"] == 1 and mixed.json()["article_ids"] == ["web-review-2"]
    assert mixed.json()["warnings"] and "9999" in mixed.json()["warnings"][0]

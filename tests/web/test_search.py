"""Search: full text, cross-lingual semantic search, grouping by story, and the search index."""

from __future__ import annotations

from typing import Any

import numpy as np
from fastapi.testclient import TestClient

from babelwire.search import VectorIndex, article_vector, search
from babelwire.store import FullTextQuery
from babelwire.stories import ArticleFeatures

#: Swedish for "cruise ship collided with a barge on the Danube near Budapest".
SWEDISH_QUERY = "kryssningsfartyg kolliderade med en pråm på Donau nära Budapest"


def _hits(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [h for g in data["groups"] for h in g["hits"]]


def test_swedish_query_finds_english_and_german_reports(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": SWEDISH_QUERY, "mode": "semantic"}).json()
    top = _hits(data)[:8]
    assert any(h["article"]["id"].startswith("danube-barge-collision-en") for h in top), top
    assert any(h["article"]["id"].startswith("danube-barge-collision-de") for h in top), top
    assert all("semantic" in h["via"] for h in top)


def test_results_are_grouped_by_story(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": SWEDISH_QUERY}).json()
    story_ids = [g["story"]["id"] for g in data["groups"] if g["story"]]
    assert len(story_ids) == len(set(story_ids))
    for group in data["groups"]:
        if group["story"]:
            assert all(h["article"]["story_id"] == group["story"]["id"] for h in group["hits"])


def test_full_text_search_and_language_filter(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": "Budapest", "mode": "text"}).json()
    hits = _hits(data)
    assert hits and all(h["via"] == ["text"] for h in hits)
    assert any("Budapest" in h["snippet"] for h in hits)
    german = _hits(client.get("/api/search", params={"q": "Budapest", "lang": "de"}).json())
    assert german and all(h["article"]["lang"] == "de" for h in german)


def test_search_paging_and_bad_input(client: TestClient) -> None:
    # two stories of the sample are earthquakes (Greece, Ecuador)
    first = client.get("/api/search", params={"q": "earthquake", "per_page": 1, "mode": "semantic"}).json()
    assert len(first["groups"]) == 1 and first["has_next"]
    second = client.get(
        "/api/search", params={"q": "earthquake", "per_page": 1, "page": 2, "mode": "semantic"}
    )
    assert second.json()["groups"] and second.json()["groups"][0] != first["groups"][0]
    assert client.get("/api/search", params={"q": '"unbalanced AND ('}).status_code == 200
    assert client.get("/api/search", params={"q": ""}).status_code == 422
    assert client.get("/api/search", params={"q": "x" * 600}).status_code == 422
    assert client.get("/api/search", params={"q": "x", "mode": "magic"}).status_code == 422


def test_invalid_full_text_syntax_is_searched_as_words_and_noted(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": 'Budapest"', "mode": "text"}).json()
    assert data["note"] and "Budapest" in data["note"] and "searched as typed" in data["note"]
    assert _hits(data)  # the fallback still searched the word
    assert client.get("/api/search", params={"q": "Budapest", "mode": "text"}).json()["note"] is None
    # meaning alone reads no full-text syntax: nothing to note
    assert client.get("/api/search", params={"q": 'Budapest"', "mode": "semantic"}).json()["note"] is None
    page = client.get("/search", params={"q": 'Budapest"'})
    assert page.status_code == 200
    assert "not valid full-text (FTS5) syntax" in page.text and 'class="card note"' in page.text
    assert 'class="card note"' not in client.get("/search", params={"q": "Budapest"}).text


def test_search_page_html(client: TestClient) -> None:
    page = client.get("/search", params={"q": SWEDISH_QUERY})
    assert page.status_code == 200 and "danube-barge-collision-en" in page.text
    assert client.get("/search").status_code == 200


class FakeStore:
    """Just enough of the store for ``VectorIndex`` and ``search``."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, str, bytes]] = []

    def add(self, article_id: str, head: np.ndarray, body: np.ndarray) -> None:
        feats = ArticleFeatures(id=article_id, head=head.astype(np.float32), body=body.astype(np.float32))
        self.rows.append((len(self.rows) + 1, article_id, feats.to_bytes()))

    def story_features_marker(self) -> int:
        return self.rows[-1][0] if self.rows else 0

    def story_features_after(self, after: int, limit: int = 5000) -> list[tuple[int, str, bytes]]:
        return [r for r in self.rows if r[0] > after][:limit]

    def search_article_ids(self, query: str, limit: int, lang: str | None = None) -> list[str]:
        return []

    def full_text_query(self, query: str) -> FullTextQuery:
        return FullTextQuery(query, query)

    def article_story_ids(self, ids: Any) -> dict[str, tuple[str | None, str | None]]:
        return {i: ("story-" + i[0], None) for i in ids}

    def get_articles(self, ids: Any) -> list[Any]:
        from babelwire.model import Article

        return [Article(id=i, text="t", lang="en") for i in ids]


def _unit(v: list[float]) -> np.ndarray:
    a = np.asarray(v, dtype=np.float32)
    return a / np.linalg.norm(a)


def test_vector_index_loads_incrementally_and_ranks_by_cosine() -> None:
    store = FakeStore()
    store.add("a1", _unit([1, 0, 0]), _unit([1, 0.1, 0]))
    store.add("b1", _unit([0, 1, 0]), _unit([0, 1, 0]))
    index = VectorIndex(batch_size=1)
    assert index.refresh(store) == 2 and len(index) == 2  # type: ignore[arg-type]
    assert index.refresh(store) == 0  # type: ignore[arg-type]
    store.add("a2", _unit([0.9, 0, 0.1]), _unit([1, 0, 0]))
    assert index.refresh(store) == 1 and len(index) == 3  # type: ignore[arg-type]
    top = index.top(_unit([1, 0, 0]), 2)
    assert [t[0] for t in top] == ["a1", "a2"] and top[0][1] > 0.9
    store.add("a1", _unit([0, 0, 1]), _unit([0, 0, 1]))  # features replaced: same row, new vector
    index.refresh(store)  # type: ignore[arg-type]
    assert len(index) == 3 and index.top(_unit([0, 0, 1]), 1)[0][0] == "a1"


def test_article_vector_rejects_broken_blobs() -> None:
    assert article_vector(b"no header") is None
    assert article_vector(b'{"dim":2}\n' + b"\x00" * 16) is None  # a zero vector has no direction


class FixedEncoder:
    """The query "q" points along x; anything else (the generic probe queries) along z."""

    name = "fixed"
    dim = 3

    def encode(self, texts: Any, kind: str = "passage") -> np.ndarray:
        return np.stack([_unit([1, 0, 0] if t == "q" else [0, 0, 1]) for t in texts])


def test_search_groups_semantic_hits_by_story() -> None:
    store = FakeStore()
    store.add("a1", _unit([1, 0, 0]), _unit([1, 0, 0]))
    store.add("a2", _unit([1, 0.2, 0]), _unit([1, 0, 0]))
    store.add("b1", _unit([0, 1, 0]), _unit([0, 1, 0]))
    result = search(store, "q", index=VectorIndex(), encoder=FixedEncoder(), mode="semantic")  # type: ignore[arg-type]
    assert [g.story_id for g in result.groups] == ["story-a", "story-b"]
    assert [h.article_id for h in result.groups[0].hits] == ["a1", "a2"]


def test_meaning_finds_nothing_for_a_query_about_nothing_in_the_archive(client: TestClient) -> None:
    # e5 puts any text near any article (cosine ~0.78): only hits well above the query's mean count
    for query in ("football match results", "xyzzyqwerty", '"'):
        data = client.get("/api/search", params={"q": query, "mode": "semantic"}).json()
        assert data["groups"] == [], query
    quake = client.get("/api/search", params={"q": "earthquake", "mode": "semantic"}).json()
    labels = " ".join(g["story"]["label"] for g in quake["groups"]).lower()
    assert len(quake["groups"]) == 2 and "greece" in labels and "ecuador" in labels


def test_an_article_close_to_any_query_is_not_everyones_best_hit() -> None:
    # "hub" is nearer the query than "a1" but also near the generic queries (z): net of its
    # hubness it ranks below the article that is about the query alone
    store = FakeStore()
    store.add("a1", _unit([0.9, 0.44, 0]), _unit([0.9, 0.44, 0]))
    store.add("hub", _unit([1, 0, 0.3]), _unit([1, 0, 0.3]))
    store.add("b1", _unit([0, 1, 0]), _unit([0, 1, 0]))
    index = VectorIndex()
    index.refresh(store)  # type: ignore[arg-type]
    assert [t[0] for t in index.top(_unit([1, 0, 0]), 2)] == ["hub", "a1"]
    index.set_probes(np.stack([_unit([0, 0, 1])]))
    top = index.top(_unit([1, 0, 0]), 2)
    assert [t[0] for t in top] == ["a1", "hub"]
    assert top[1][1] > top[0][1]  # the cosine reported is the raw one

"""Search stored articles by full text (FTS5) and across languages by meaning, grouped by story.

Semantic search compares an e5 ``query`` embedding of the search text with the article vectors
the clustering stage already stored (``story_features``: the title+lead and body embeddings),
so a Swedish query finds English and German reports of the same event. The vectors live in an
in-memory float32 matrix that is loaded on first use and extended when new features are stored.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from babelwire.embed import Encoder
from babelwire.model import Article
from babelwire.store import Store

#: Reciprocal-rank-fusion constant: how much the first places of each list outweigh later ones.
RRF_K = 60
#: A hit by meaning must beat the query's mean over the archive by this much, both measured after
#: the article's pull on any query is taken off (``GENERIC_QUERIES``). e5 puts any text at a
#: cosine of about 0.78 from any news article, so without a floor every query "finds" every
#: story: on the sample corpus (and one page of markup) queries about its events reach
#: 0.059-0.145 above the mean with their best article, queries about nothing in it ("football
#: match", "xyzzyqwerty", "Putin", "the", "🔥") 0.017-0.028.
SEMANTIC_MARGIN = 0.045
#: Queries about nothing in particular. An article's mean cosine with them is how close it sits to
#: any query (a "hub": a page of markup, a list of short items); it is taken off its cosine with a
#: real query, as cross-domain similarity local scaling does for word translation.
GENERIC_QUERIES = (
    "news", "Nachrichten", "nyheter", "actualités", "noticias", "today", "report", "information",
    "the latest", "update",
)  # fmt: skip
#: Below this many articles the mean says too little about the archive: no floor is applied.
MIN_ARTICLES_FOR_MARGIN = 20
#: At most this many candidates are taken from each method (bounds the work of one search).
MAX_CANDIDATES = 500
MODES = ("hybrid", "text", "semantic")


class VectorIndex:
    """Article vectors in one float32 matrix (unit rows), refreshed from the store when it grows.

    Each row is the normalised sum of an article's head and body embeddings. Thread-safe: a
    refresh swaps in new arrays under a lock, readers use whatever arrays they got.
    """

    def __init__(self, batch_size: int = 5000) -> None:
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._marker = 0
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._probes: np.ndarray | None = None  # GENERIC_QUERIES embedded, one row each
        self._hub = np.zeros(0, dtype=np.float32)  # each row's mean cosine with the probes

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def marker(self) -> int:
        """The store marker the index has caught up with."""
        return self._marker

    def refresh(self, store: Store) -> int:
        """Load feature rows stored since the last refresh; returns how many rows were read."""
        if store.story_features_marker() == self._marker:
            return 0
        with self._lock:
            read = 0
            ids = list(self._ids)
            pos = dict(self._pos)
            blocks: list[np.ndarray] = [self._matrix] if len(self._ids) else []
            replaced: list[tuple[int, np.ndarray]] = []
            marker = self._marker
            while True:
                rows = store.story_features_after(marker, self.batch_size)
                if not rows:
                    break
                marker = rows[-1][0]
                read += len(rows)
                new_vecs: list[np.ndarray] = []
                for _, article_id, blob in rows:
                    vec = article_vector(blob)
                    if vec is None and article_id in pos:  # replaced by features with no content
                        vec = np.zeros(_blob_dim(blob), dtype=np.float32)  # drops the old vector
                    if vec is None:
                        continue
                    if article_id in pos:  # features replaced: overwrite the row in place
                        replaced.append((pos[article_id], vec))
                        continue
                    pos[article_id] = len(ids)
                    ids.append(article_id)
                    new_vecs.append(vec)
                if new_vecs:
                    blocks.append(np.vstack(new_vecs).astype(np.float32))
            matrix = np.vstack(blocks) if blocks else np.zeros((0, 0), dtype=np.float32)
            if replaced:
                for row, vec in replaced:
                    if vec.shape[0] == matrix.shape[1]:
                        matrix[row] = vec
            self._matrix, self._ids, self._pos, self._marker = matrix, ids, pos, marker
            self._hub = self._hubness(matrix)
            return read

    def set_probes(self, probes: np.ndarray) -> None:
        """Embedded ``GENERIC_QUERIES`` (query kind): from now on hits are scored net of hubness."""
        with self._lock:
            self._probes = probes.astype(np.float32)
            self._hub = self._hubness(self._matrix)

    @property
    def has_probes(self) -> bool:
        """Whether ``set_probes`` was given the generic queries."""
        return self._probes is not None

    def _hubness(self, matrix: np.ndarray) -> np.ndarray:
        probes = self._probes
        if probes is None or not len(matrix) or matrix.shape[1] != probes.shape[1]:
            return np.zeros(len(matrix), dtype=np.float32)
        return (matrix @ probes.T).mean(axis=1).astype(np.float32)

    def top(self, query: np.ndarray, k: int, margin: float | None = None) -> list[tuple[str, float]]:
        """The ``k`` articles most similar to a unit query vector, as (article id, cosine).

        Articles are ranked by their cosine less their hubness (their mean cosine with generic
        queries, once ``set_probes`` was called). With ``margin``, only articles whose net score
        beats the query's mean net score over the whole index by that much are kept (when the
        index holds ``MIN_ARTICLES_FOR_MARGIN`` articles or more).
        """
        matrix, ids, hub = self._matrix, self._ids, self._hub
        if not len(ids) or matrix.shape[1] != query.shape[-1]:
            return []
        scores = matrix @ query.astype(np.float32).reshape(-1)
        net = scores - hub if len(hub) == len(scores) else scores
        k = min(k, len(ids))
        best = np.argpartition(-net, k - 1)[:k]
        best = best[np.argsort(-net[best])]
        if margin is not None and len(ids) >= MIN_ARTICLES_FOR_MARGIN:
            # articles with no content have zero rows: they are not part of the archive's mean
            live = np.any(matrix, axis=1)
            floor = float(net[live].mean()) + margin if live.any() else float("inf")
            best = best[net[best] >= floor]
        return [(ids[i], float(scores[i])) for i in best]


def _blob_dim(blob: bytes) -> int:
    """The dimension of a ``story_features`` blob's vectors."""
    return (len(blob) - blob.find(b"\n") - 1) // 8


def article_vector(blob: bytes) -> np.ndarray | None:
    """The search vector of a ``story_features`` blob: the unit sum of its head and body vectors."""
    header_end = blob.find(b"\n")  # the JSON header escapes newlines, so the first one ends it
    if header_end < 0:
        return None
    raw = blob[header_end + 1 :]
    if not raw or len(raw) % 8:
        return None
    vecs = np.frombuffer(raw, dtype="<f4")
    dim = vecs.shape[0] // 2
    vec = vecs[:dim] + vecs[dim:]
    norm = float(np.linalg.norm(vec))
    if not norm or not np.isfinite(norm):
        return None
    return (vec / norm).astype(np.float32)


@dataclass(slots=True)
class Hit:
    """One matching article: its fused score and what each method said about it."""

    article_id: str
    score: float = 0.0
    text_rank: int | None = None  # 1-based place in the full-text results
    similarity: float | None = None  # cosine with the query
    article: Article | None = None

    @property
    def via(self) -> list[str]:
        """Which methods found the article: ``text``, ``semantic`` or both."""
        return [
            name for name, v in (("text", self.text_rank), ("semantic", self.similarity)) if v is not None
        ]


@dataclass(slots=True)
class HitGroup:
    """Hits that belong to one story (``story_id`` None for an article not in any story)."""

    story_id: str | None
    hits: list[Hit] = field(default_factory=list)

    @property
    def score(self) -> float:
        """The best score of the group's hits."""
        return max((h.score for h in self.hits), default=0.0)


@dataclass(slots=True)
class SearchResult:
    """One page of story groups for a query, and whether more follow."""

    query: str
    mode: str
    groups: list[HitGroup]
    has_more: bool
    #: when the full-text part could not read the query as FTS5 syntax and searched its words as
    #: typed: one line saying so (``FullTextQuery.note``), for the reader to show
    note: str | None = None


def search(
    store: Store,
    query: str,
    *,
    index: VectorIndex | None = None,
    encoder: Encoder | None = None,
    mode: str = "hybrid",
    lang: str | None = None,
    limit: int = 20,
    offset: int = 0,
    hits_per_group: int = 5,
) -> SearchResult:
    """Search by full text and/or meaning, fuse the rankings and group the hits by story.

    ``limit``/``offset`` page over story groups. Semantic search needs ``index`` and ``encoder``;
    without them ``hybrid`` falls back to full text. ``lang`` keeps only articles in that language.
    """
    if mode not in MODES:
        raise ValueError(f"search mode must be one of {', '.join(MODES)}, got {mode!r}")
    query = query.strip()
    if not query:
        return SearchResult(query, mode, [], False)
    want = min(MAX_CANDIDATES, (offset + limit) * 4 + 40)
    hits: dict[str, Hit] = {}
    note = None
    if mode in ("hybrid", "text"):
        note = store.full_text_query(query).note
        for rank, article_id in enumerate(store.search_article_ids(query, want, lang=lang), start=1):
            hit = hits.setdefault(article_id, Hit(article_id))
            hit.text_rank = rank
            hit.score += 1.0 / (RRF_K + rank)
    # a query of no word (punctuation, a stray quote) means nothing to compare by meaning either
    meaningful = any(ch.isalnum() for ch in query)
    if mode in ("hybrid", "semantic") and index is not None and encoder is not None and meaningful:
        if not index.has_probes:
            index.set_probes(encoder.encode(list(GENERIC_QUERIES), kind="query"))
        index.refresh(store)
        vector = encoder.encode([query], kind="query")[0]
        for rank, (article_id, sim) in enumerate(index.top(vector, want, SEMANTIC_MARGIN), start=1):
            hit = hits.setdefault(article_id, Hit(article_id))
            hit.similarity = sim
            hit.score += 1.0 / (RRF_K + rank)
    refs = store.article_story_ids(hits)
    groups: dict[str, HitGroup] = {}
    for hit in sorted(hits.values(), key=lambda h: (-h.score, h.article_id)):
        if hit.article_id not in refs:
            continue  # deleted since the index was built
        story_id, duplicate_of = refs[hit.article_id]
        if duplicate_of is not None:
            continue  # a copy: its original stands for it
        key = story_id or f"article:{hit.article_id}"
        groups.setdefault(key, HitGroup(story_id)).hits.append(hit)
    ordered = sorted(groups.values(), key=lambda g: -g.score)
    page = ordered[offset : offset + limit]
    for group in page:
        del group.hits[hits_per_group:]
    _attach_articles(store, page, lang)
    page = [g for g in page if g.hits]
    return SearchResult(query, mode, page, len(ordered) > offset + limit, note)


def _attach_articles(store: Store, groups: Sequence[HitGroup], lang: str | None) -> None:
    """Load the articles of the shown hits (and drop hits in another language when ``lang`` is set)."""
    ids = [h.article_id for g in groups for h in g.hits]
    found = {a.id: a for a in store.get_articles(ids)}
    for group in groups:
        for hit in group.hits:
            hit.article = found.get(hit.article_id)
        group.hits = [h for h in group.hits if h.article is not None and (not lang or h.article.lang == lang)]

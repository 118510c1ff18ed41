"""Online story clustering: candidates from a time-windowed index, link to the best story, merge."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from babelwire.stories.features import ArticleFeatures
from babelwire.stories.score import DEFAULT_PARAMS, ClusterParams, pair_score

#: Pair scores memoised per clusterer before the memo is emptied (bounds memory on long runs).
MAX_MEMO = 500_000


def story_id_for(article_id: str) -> str:
    """The id of a story opened by an article: stable, derived from the first member's id."""
    return "s" + hashlib.sha1(article_id.encode("utf-8", "surrogatepass")).hexdigest()[:15]


def order_for_clustering(articles: Sequence[Any]) -> list[Any]:
    """Articles in publication order; undated ones keep their input position relative to the clock.

    Stable: equal dates keep input order. An undated article is placed right after the article
    that precedes it in the input, so a corpus without dates is clustered in input order.
    """
    keyed: list[tuple[float, int, Any]] = []
    clock = float("-inf")
    for position, article in enumerate(articles):
        published = getattr(article, "published", None)
        day = getattr(article, "day", None)
        if published is not None:
            clock = published.timestamp() / 86400.0
        elif day is not None:
            clock = float(day)
        keyed.append((clock, position, article))
    keyed.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in keyed]


class _ActiveIndex:
    """Vectors of the articles inside the time window, searched by inner product (numpy, exact)."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.vectors = np.zeros((64, dim), dtype=np.float32)
        self.ids: list[str] = []
        self.days: list[float] = []

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, article_id: str, vector: np.ndarray, day: float) -> None:
        """Append one article."""
        n = len(self.ids)
        if n == self.vectors.shape[0]:
            grown = np.zeros((2 * n, self.dim), dtype=np.float32)
            grown[:n] = self.vectors
            self.vectors = grown
        self.vectors[n] = vector
        self.ids.append(article_id)
        self.days.append(day)

    def evict_before(self, day: float, keep_at_most: int) -> None:
        """Drop articles older than ``day`` and, beyond ``keep_at_most``, the oldest ones."""
        n = len(self.ids)
        keep = [i for i in range(n) if not self.days[i] < day]  # undated (NaN) entries stay
        if len(keep) > keep_at_most:
            keep = keep[-keep_at_most:]
        if len(keep) == n:
            return
        self.vectors[: len(keep)] = self.vectors[keep]
        self.ids = [self.ids[i] for i in keep]
        self.days = [self.days[i] for i in keep]

    def search(
        self, vector: np.ndarray, k: int, min_cos: float, min_day: float, max_day: float
    ) -> list[tuple[str, float]]:
        """Up to ``k`` (id, cosine) pairs, cosine >= ``min_cos``, dated in [min_day, max_day]; best first."""
        n = len(self.ids)
        if n == 0:
            return []
        sims = self.vectors[:n] @ vector
        days = np.asarray(self.days)
        inside = np.isnan(days) | ((days >= min_day) & (days <= max_day))  # NaN: undated, always a candidate
        sims = np.where(inside, sims, -2.0)
        if n > k:
            top = np.argpartition(-sims, k - 1)[:k]
        else:
            top = np.arange(n)
        top = top[sims[top] >= min_cos]
        order = sorted(top.tolist(), key=lambda i: (-float(sims[i]), -i))  # ties: newest first
        return [(self.ids[i], float(sims[i])) for i in order]


def combine(scores: Sequence[float], link: str) -> float:
    """Combine pair scores between an article (or story) and a story's members: average|max|min|mean-max."""
    if not scores:
        return 0.0
    if link == "max":
        return max(scores)
    if link == "min":
        return min(scores)
    if link == "mean-max":
        return 0.5 * (max(scores) + sum(scores) / len(scores))
    return sum(scores) / len(scores)


def top_split(scores: np.ndarray) -> tuple[list[int], list[int], float]:
    """Average-link clustering of a symmetric score matrix down to two groups.

    Returns the two groups (indices in ascending order; the group holding index 0 first) and the
    average score between them. Deterministic: ties merge the lowest index pair first.
    """
    n = scores.shape[0]
    if n < 2:
        return list(range(n)), [], 1.0
    sums = np.array(scores, dtype=np.float64)
    sizes = np.ones(n)
    alive = np.ones(n, dtype=bool)
    groups: list[list[int]] = [[i] for i in range(n)]
    for _ in range(n - 2):
        avg = sums / np.outer(sizes, sizes)
        mask = np.triu(np.outer(alive, alive), k=1)
        avg = np.where(mask, avg, -np.inf)
        i, j = divmod(int(np.argmax(avg)), n)
        sums[i, :] += sums[j, :]
        sums[:, i] += sums[:, j]
        sizes[i] += sizes[j]
        alive[j] = False
        groups[i].extend(groups[j])
        groups[j] = []
    first, second = (int(k) for k in np.flatnonzero(alive))
    link = float(sums[first, second] / (sizes[first] * sizes[second]))
    return sorted(groups[first]), sorted(groups[second]), link


def _mean_where(scores: np.ndarray, mask: np.ndarray) -> float | None:
    """Mean of the scores where ``mask`` is true; None when it is nowhere true."""
    return float(scores[mask].mean()) if mask.any() else None


def index_vector(feats: ArticleFeatures) -> np.ndarray:
    """The vector an article is indexed and searched by: the normalised sum of head and body."""
    vec = feats.head.astype(np.float32) + feats.body.astype(np.float32)
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm > 0 else vec


class StoryClusterer:
    """Assigns articles, in order, to stories; deterministic for a given input order."""

    def __init__(self, params: ClusterParams = DEFAULT_PARAMS) -> None:
        self.params = params
        self._feats: dict[str, ArticleFeatures] = {}
        self._story: dict[str, str] = {}  # article id -> story id as assigned (resolve through merges)
        self._members: dict[str, list[str]] = {}  # live story id -> member article ids, in order
        self._merged: dict[str, str] = {}  # merged-away story id -> the story it went into
        self._created: dict[str, int] = {}  # story id -> creation sequence (older wins merges)
        self._index: _ActiveIndex | None = None
        self._clock: float | None = None  # the latest publication day seen
        self._scores: dict[tuple[str, str], float] = {}  # memo of pair scores (cohesion checks)
        self._moved: dict[str, str] = {}  # article id -> story it was moved to by a split (not yet taken)

    # -- state ----------------------------------------------------------------------------
    def resolve(self, story_id: str) -> str:
        """The live story a (possibly merged-away) story id now belongs to."""
        while story_id in self._merged:
            story_id = self._merged[story_id]
        return story_id

    def assignments(self) -> dict[str, str]:
        """Article id -> story id, after merges."""
        return {article: self.resolve(story) for article, story in self._story.items()}

    def merged(self) -> dict[str, str]:
        """Merged-away story id -> the live story it is now part of."""
        return {old: self.resolve(old) for old in self._merged}

    def stories(self) -> dict[str, list[str]]:
        """Live story id -> member article ids."""
        return {sid: list(members) for sid, members in self._members.items()}

    def take_moved(self) -> dict[str, str]:
        """Article id -> live story id for every article a split moved since the last call."""
        moved = {article: self.resolve(story) for article, story in self._moved.items()}
        self._moved.clear()
        return moved

    def _day_of(self, feats: ArticleFeatures) -> float:
        if feats.day is not None:
            self._clock = feats.day if self._clock is None else max(self._clock, feats.day)
            return feats.day
        return self._clock if self._clock is not None else float("nan")

    def _remember(self, feats: ArticleFeatures, story_id: str) -> None:
        day = self._day_of(feats)
        if self._index is None:
            self._index = _ActiveIndex(feats.head.shape[0])
        self._feats[feats.id] = feats
        self._story[feats.id] = story_id
        if story_id not in self._members:
            self._members[story_id] = []
            self._created[story_id] = len(self._created)
        self._members[story_id].append(feats.id)
        if self._clock is not None and len(self._index) % 256 == 255:
            self._index.evict_before(self._clock - self.params.window_days, self.params.max_active)
        self._index.add(feats.id, index_vector(feats), day)

    # -- scoring ----------------------------------------------------------------------------
    def _in_window(self, a: ArticleFeatures, b: ArticleFeatures) -> bool:
        if a.day is None or b.day is None:
            return True
        return abs(a.day - b.day) <= self.params.window_days

    def _link(self, feats: ArticleFeatures, members: Sequence[str]) -> float:
        """Score of an article against a story from pair scores with its nearest members (``params.link``)."""
        p = self.params
        ranked = members[: p.max_link_members]
        scores = [pair_score(feats, self._feats[m], p) for m in ranked]
        return combine(scores, p.link)

    def _story_link(self, left: str, right: str) -> float:
        """Average pair score between the (most recent) members of two stories."""
        p = self.params
        a_members = self._members[left][-p.max_link_members :]
        b_members = self._members[right][-p.max_link_members :]
        scores = [
            pair_score(self._feats[a], self._feats[b], p)
            for a in a_members
            for b in b_members
            if self._in_window(self._feats[a], self._feats[b])
        ]
        return combine(scores, p.link)

    def _pair(self, a: ArticleFeatures, b: ArticleFeatures) -> float:
        """The pair score of two articles, memoised (cohesion checks score the same pairs again)."""
        key = (a.id, b.id) if a.id < b.id else (b.id, a.id)
        score = self._scores.get(key)
        if score is None:
            if len(self._scores) >= MAX_MEMO:
                self._scores.clear()
            score = self._scores[key] = pair_score(a, b, self.params)
        return score

    def _cohesion(self, feats: Sequence[ArticleFeatures]) -> float | None:
        """Mean pair score among same-language pairs of ``feats``; None without such a pair."""
        scores = [self._pair(a, b) for i, a in enumerate(feats) for b in feats[i + 1 :] if a.lang == b.lang]
        return sum(scores) / len(scores) if scores else None

    def _coheres(self, feats: ArticleFeatures, members: Sequence[str]) -> bool:
        """True unless the article scores clearly under the story's own cohesion (``cohesion_margin``).

        Compared over the members in the article's language only: a translation scores lower than
        a same-language report of the event, and must still be able to join.
        """
        margin = self.params.cohesion_margin
        if margin is None:
            return True
        same = [self._feats[m] for m in members[: self.params.max_link_members]]
        same = [f for f in same if f.lang == feats.lang]
        cohesion = self._cohesion(same)
        if cohesion is None:
            return True
        link = sum(self._pair(feats, f) for f in same) / len(same)
        return link >= cohesion - margin

    def _stories_cohere(self, left: str, right: str) -> bool:
        """True unless two stories link clearly under their own cohesion (``merge_cohesion_margin``)."""
        margin = self.params.merge_cohesion_margin
        if margin is None:
            return True
        n = self.params.max_link_members
        a = [self._feats[m] for m in self._members[left][-n:]]
        b = [self._feats[m] for m in self._members[right][-n:]]
        cross = [self._pair(x, y) for x in a for y in b if x.lang == y.lang]
        cohesions = [c for c in (self._cohesion(a), self._cohesion(b)) if c is not None]
        if not cross or not cohesions:
            return True
        return sum(cross) / len(cross) >= sum(cohesions) / len(cohesions) - margin

    # -- the algorithm --------------------------------------------------------------------------
    def add(self, feats: ArticleFeatures) -> str:
        """Assign an article to the best-scoring story, or open a new one; returns the story id."""
        if feats.id in self._story:
            return self.resolve(self._story[feats.id])
        p = self.params
        hits: list[tuple[str, float]] = []
        if self._index is not None:
            day = feats.day if feats.day is not None else self._clock
            low, high = (-np.inf, np.inf) if day is None else (day - p.window_days, day + p.window_days)
            hits = self._index.search(index_vector(feats), p.candidates, p.min_candidate_cos, low, high)
        by_story: dict[str, list[str]] = {}
        for article_id, _ in hits:
            by_story.setdefault(self.resolve(self._story[article_id]), []).append(article_id)
        scored = []
        for story_id in by_story:
            score = self._link(feats, by_story[story_id])
            scored.append((score, -self._created[story_id], story_id))
        scored.sort(reverse=True)
        accepted = [
            sid for score, _, sid in scored if score >= p.threshold and self._coheres(feats, by_story[sid])
        ]
        if not accepted:
            story_id = story_id_for(feats.id)
            while story_id in self._members or story_id in self._merged:
                story_id = story_id_for(story_id)
            self._remember(feats, story_id)
            return story_id
        best = accepted[0]
        self._remember(feats, best)
        # the story grew: merge it with neighbouring stories it now converges with (older id wins)
        for _, _, other in scored:
            target, other = self.resolve(best), self.resolve(other)
            if other != target and self._should_merge(target, other):
                self._merge(target, other)
        target = self.resolve(best)
        split = self._split(target)
        if split is not None:
            # the part split off may belong with a neighbouring story
            for _, _, other in scored:
                other = self.resolve(other)
                if other not in (split, target) and self._should_merge(split, other):
                    split = self._merge(split, other)
        return self.resolve(self._story[feats.id])

    def _should_merge(self, left: str, right: str) -> bool:
        """The merge rule: link >= ``merge_threshold``, cohesive, and not two parts a split would undo."""
        if self._story_link(left, right) < self.params.merge_threshold or not self._stories_cohere(
            left, right
        ):
            return False
        if self.params.split_margin is None:
            return True
        n = self.params.max_link_members
        a = [self._feats[m] for m in self._members[left][-n:]]
        b = [self._feats[m] for m in self._members[right][-n:]]
        if min(len(a), len(b)) < self.params.split_min_size:
            return True
        feats = a + b
        scores = np.zeros((len(feats), len(feats)))
        for i in range(len(feats)):
            for j in range(i + 1, len(feats)):
                scores[i, j] = scores[j, i] = self._pair(feats[i], feats[j])
        return not self._apart(feats, scores, list(range(len(a))), list(range(len(a), len(feats))))

    def _apart(
        self, feats: Sequence[ArticleFeatures], scores: np.ndarray, left: list[int], right: list[int]
    ) -> bool:
        """True when, over same-language pairs, two groups link ``split_margin`` under their cohesion.

        Same-language pairs only: translations score lower than same-language reports, so a story
        whose parts differ by language is never apart.
        """
        margin = self.params.split_margin
        if margin is None:
            return False
        langs = [f.lang for f in feats]
        same = np.array([[x == y for y in langs] for x in langs])
        np.fill_diagonal(same, False)
        between = same[np.ix_(left, right)]
        inner = [_mean_where(scores[np.ix_(g, g)], same[np.ix_(g, g)]) for g in (left, right)]
        cohesions = [c for c in inner if c is not None]
        if not between.any() or not cohesions:
            return False
        return float(scores[np.ix_(left, right)][between].mean()) < min(cohesions) - margin

    def _split(self, story_id: str) -> str | None:
        """Split a story whose members fall into two parts that would not have formed one story.

        Only stories of at most ``split_members`` members are checked (the cost per article stays
        bounded). The part holding the story's first member keeps the id; the other part opens a
        story named after its first member, whose id is returned (None when nothing is split).
        """
        p = self.params
        members = self._members[story_id]
        if p.split_margin is None or not 2 * p.split_min_size <= len(members) <= p.split_members:
            return None
        feats = [self._feats[m] for m in members]
        n = len(feats)
        scores = np.zeros((n, n))
        for i in range(n):
            for j in range(i + 1, n):
                scores[i, j] = scores[j, i] = self._pair(feats[i], feats[j])
        keep, away, link = top_split(scores)
        if min(len(keep), len(away)) < p.split_min_size:
            return None
        if link >= p.merge_threshold and not self._apart(feats, scores, keep, away):
            return None
        moved = [members[i] for i in away]
        new_id = story_id_for(moved[0])
        while new_id in self._members or new_id in self._merged:
            new_id = story_id_for(new_id)
        self._members[story_id] = [members[i] for i in keep]
        self._members[new_id] = moved
        self._created[new_id] = len(self._created)
        for article in moved:
            self._story[article] = new_id
            self._moved[article] = new_id
        return new_id

    def _merge(self, a: str, b: str) -> str:
        """Merge two live stories; the older id survives."""
        keep, gone = (a, b) if self._created[a] <= self._created[b] else (b, a)
        self._members[keep].extend(self._members.pop(gone))
        self._merged[gone] = keep
        return keep

    def add_many(self, feats: Sequence[ArticleFeatures]) -> list[str]:
        """Add articles in the given order; returns each one's story id at the end (after merges)."""
        for f in feats:
            self.add(f)
        return [self.resolve(self._story[f.id]) for f in feats]

    def restore(self, members: Sequence[tuple[ArticleFeatures, str]]) -> None:
        """Rebuild state from stored (features, story id) pairs, in order, without re-deciding."""
        for feats, story_id in members:
            if feats.id not in self._story:
                self._remember(feats, story_id)

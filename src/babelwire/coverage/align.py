"""The alignment scorer (embedding margin plus names, numbers, dates and leads) and grouping into facts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from babelwire.coverage.numbers import qualifiers_compatible
from babelwire.coverage.units import Unit


@dataclass(frozen=True, slots=True)
class AlignParams:
    """Weights and thresholds of the aligner; defaults come from ``scripts/calibrate_coverage.py``."""

    margin: float = 1.0  # weight of the hubness correction (mean cosine of each side's nearest neighbours)
    knn: int = 3  # neighbours in that correction
    w_names: float = 0.0  # bonus for shared names (share of the smaller name set)
    w_numbers: float = 0.05  # bonus for shared exact numbers
    w_dates: float = 0.03  # bonus for shared dates
    w_lead: float = 0.02  # bonus when both sentences open their reports (leads tell the same core event)
    w_position: float = 0.03  # penalty per unit of distance of the two sentences' places (anchor_places)
    anchor_threshold: float = 0.03  # mutual best matches scoring this much anchor the places (9: none)
    quote_penalty: float = (
        0.08  # a quote and a plain sentence rarely state the same fact (reported speech may)
    )
    fact_threshold: float = 0.01  # the strongest pair of two groups that are merged
    link_threshold: float = 0.01  # mean score between two groups that are merged
    pair_threshold: float = 0.01  # a fact of only two sentences (no third report to agree) needs this
    min_link: float = -1.0  # lowest score allowed between any two sentences of one fact (-1: no limit)
    conflict_threshold: float = 0.0  # sentences this close are compared for disagreeing values
    date_threshold: float = 0.005  # ... for dates, which news is full of ("on Monday"), this close
    money_threshold: float = -0.05  # ... for large sums of money (a million or more), this close
    entity_conflicts: bool = False  # needs entities linked across languages (off until the linker does)
    quote_margin: float = 0.06  # quotes this far above the fact threshold but with other speakers conflict
    quote_words_threshold: float = 0.03  # margin of quoted words given to different speakers (a conflict)
    split_threshold: float = 0.005  # a left-out sentence joins one aligned elsewhere (split_links)
    split_gap: float = 0.02  # ... by beating its next best there by this much


DEFAULT_PARAMS = AlignParams()


@dataclass(frozen=True, slots=True)
class UnitFeatures:
    """What the scorer knows about one sentence besides its vector."""

    names: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()  # Unit.numbers_key: "value|kind|role|severity"
    dates: frozenset[str] = frozenset()
    quote: bool = False
    knn: float = 0.0  # mean cosine of its nearest neighbours among the candidates (the margin's baseline)
    lead: bool = False  # the first sentence of its report
    reported: bool = False  # reported speech: may paraphrase a quote, so no quote penalty against one
    place: float = 0.0  # relative position in its report: 0 for the first sentence, 1 for the last

    @classmethod
    def of(cls, unit: Unit, knn: float = 0.0, common: frozenset[str] = frozenset()) -> UnitFeatures:
        """The features of an alignment unit, leaving out the story's ``common`` names."""
        return cls(
            unit.names - common,
            unit.numbers_key,
            unit.dates_key,
            unit.quote,
            knn,
            unit.position == 0,
            unit.reported,
            unit.place,
        )


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def alignment_score(
    a_vec: np.ndarray,
    b_vec: np.ndarray,
    a_features: UnitFeatures,
    b_features: UnitFeatures,
    params: AlignParams = DEFAULT_PARAMS,
) -> float:
    """How strongly two sentences state the same thing: margin-corrected cosine plus shared signals.

    The position penalty here uses the plain distance of the two places; ``compare`` measures it
    from the reports' anchors instead (``anchor_places``), which needs the whole story.
    """
    cos = float(np.dot(a_vec, b_vec))
    score = cos - params.margin * 0.5 * (a_features.knn + b_features.knn)
    score += params.w_names * _overlap(a_features.names, b_features.names)
    score += params.w_numbers * _number_overlap(a_features.numbers, b_features.numbers)
    score += params.w_dates * _overlap(a_features.dates, b_features.dates)
    if _quote_mismatch(a_features, b_features):
        score -= params.quote_penalty
    if a_features.lead and b_features.lead:
        score += params.w_lead
    return score - params.w_position * abs(a_features.place - b_features.place)


#: The (role, severity) pairs one value of a sentence is given.
Qualifiers = frozenset[tuple[str, str]]


def _number_values(keys: frozenset[str]) -> dict[str, Qualifiers]:
    """Each value ("7|", "20|km") of ``Unit.numbers_key`` keys with the roles and severities it has."""
    out: dict[str, set[tuple[str, str]]] = {}
    for key in keys:
        value, kind, role, severity = [*key.split("|"), "", "", ""][:4]
        out.setdefault(f"{value}|{kind}", set()).add((role, severity))
    return {value: frozenset(quals) for value, quals in out.items()}


def _shared_value(a: Qualifiers, b: Qualifiers) -> bool:
    """One value counts the same thing on both sides: some pair of its roles and severities is compatible."""
    return any(qualifiers_compatible(ra, sa, rb, sb) for ra, sa in a for rb, sb in b)


def _number_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared exact numbers as a share of the smaller set of values.

    "Two dead" and "two injured", or "two seriously injured" and "two with minor injuries", share
    no number; a value whose role or severity one side does not say is shared.
    """
    values_a, values_b = _number_values(a), _number_values(b)
    if not values_a or not values_b:
        return 0.0
    shared = sum(1 for v, q in values_a.items() if v in values_b and _shared_value(q, values_b[v]))
    return shared / min(len(values_a), len(values_b))


def _number_overlap_matrix(a: Sequence[frozenset[str]], b: Sequence[frozenset[str]]) -> np.ndarray:
    """The vectorised ``_number_overlap``: rows of one value are grouped by their roles and severities."""
    values_a = [_number_values(x) for x in a]
    values_b = [_number_values(x) for x in b]

    def postings(values: list[dict[str, Qualifiers]]) -> dict[str, dict[Qualifiers, list[int]]]:
        out: dict[str, dict[Qualifiers, list[int]]] = {}
        for row, items in enumerate(values):
            for value, quals in items.items():
                out.setdefault(value, {}).setdefault(quals, []).append(row)
        return out

    rows_a, rows_b = postings(values_a), postings(values_b)
    inter = np.zeros((len(a), len(b)), dtype=np.float32)
    for value, groups_a in rows_a.items():
        groups_b = rows_b.get(value)
        if groups_b is None:
            continue
        for quals_a, ra in groups_a.items():
            for quals_b, rb in groups_b.items():
                if _shared_value(quals_a, quals_b):
                    inter[np.ix_(ra, rb)] += 1.0
    sizes_a = np.array([len(x) for x in values_a], dtype=np.float32)
    sizes_b = np.array([len(x) for x in values_b], dtype=np.float32)
    smaller = np.minimum(sizes_a[:, None], sizes_b[None, :])
    return np.where(smaller > 0, inter / np.maximum(smaller, 1.0), 0.0).astype(np.float32)


def _quote_mismatch(a: UnitFeatures, b: UnitFeatures) -> bool:
    """A quote against a plain sentence, unless that sentence reports speech (it may paraphrase the quote)."""
    return a.quote != b.quote and not (a.reported or b.reported)


def knn_means(sims: np.ndarray, k: int) -> np.ndarray:
    """Mean of each row's ``k`` largest finite entries (the hubness term of margin scoring)."""
    if sims.shape[1] == 0:
        return np.zeros(sims.shape[0], dtype=np.float32)
    k = max(1, min(k, sims.shape[1]))
    filled = np.where(np.isfinite(sims), sims, -1.0)
    top = -np.sort(-filled, axis=1)[:, :k]
    return top.mean(axis=1).astype(np.float32)


def _overlap_matrix(a: Sequence[frozenset[str]], b: Sequence[frozenset[str]]) -> np.ndarray:
    rows_a = _postings(a)
    rows_b = _postings(b)
    inter = np.zeros((len(a), len(b)), dtype=np.float32)
    for item, ra in rows_a.items():
        rb = rows_b.get(item)
        if rb is not None:
            inter[np.ix_(ra, rb)] += 1.0
    sizes_a = np.array([len(x) for x in a], dtype=np.float32)
    sizes_b = np.array([len(x) for x in b], dtype=np.float32)
    smaller = np.minimum(sizes_a[:, None], sizes_b[None, :])
    return np.where(smaller > 0, inter / np.maximum(smaller, 1.0), 0.0).astype(np.float32)


def _postings(sets: Sequence[frozenset[str]]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for row, items in enumerate(sets):
        for item in items:
            out.setdefault(item, []).append(row)
    return out


def _per_article_baseline(
    cos: np.ndarray, docs_a: Sequence[str], docs_b: Sequence[str], knn: int
) -> np.ndarray:
    """The margin's baseline per pair of articles; pairs within one article get ``-inf`` in ``cos``.

    For a pair ``(i, j)``: the mean of ``i``'s ``knn`` nearest sentences in ``j``'s article and of
    ``j``'s in ``i``'s article. The first depends only on ``i`` and ``j``'s article, so it is taken
    once per article of the columns for every row at once (and the second once per article of the
    rows), not once per block.
    """
    ids: dict[str, int] = {}
    art_a = np.array([ids.setdefault(d, len(ids)) for d in docs_a], dtype=np.int64)
    art_b = np.array([ids.setdefault(d, len(ids)) for d in docs_b], dtype=np.int64)
    same = art_a[:, None] == art_b[None, :]
    cos[same] = -np.inf
    row_means = np.zeros((len(art_a), len(ids)), dtype=np.float32)  # [i, article]: i's nearest there
    col_means = np.zeros((len(ids), len(art_b)), dtype=np.float32)  # [article, j]: j's nearest there
    for article in np.unique(art_b):
        row_means[:, article] = knn_means(cos[:, art_b == article], knn)
    for article in np.unique(art_a):
        col_means[article, :] = knn_means(cos[art_a == article, :].T, knn)
    base = 0.5 * (row_means[:, art_b] + col_means[art_a, :])
    base[same] = 0.0
    return base


@dataclass(slots=True)
class SignalMatrices:
    """The parts of the score matrix that do not depend on the weights (computed once per story)."""

    cos: np.ndarray
    knn: np.ndarray  # per pair: mean of the two sides' neighbourhood cosines (the margin's baseline)
    names: np.ndarray
    numbers: np.ndarray
    dates: np.ndarray
    quote_mismatch: np.ndarray
    leads: np.ndarray  # 1 where both sentences open their reports
    places: np.ndarray  # distance of the two relative positions, from the nearest anchor's (anchor_places)

    def score(self, params: AlignParams) -> np.ndarray:
        """The score matrix under ``params`` (the vectorised ``alignment_score``)."""
        out = self.cos - params.margin * self.knn
        out = (
            out + params.w_names * self.names + params.w_numbers * self.numbers + params.w_dates * self.dates
        )
        out = out - params.quote_penalty * self.quote_mismatch + params.w_lead * self.leads
        return out - params.w_position * self.places


def signal_matrices(
    a_vecs: np.ndarray,
    b_vecs: np.ndarray,
    a_feats: Sequence[UnitFeatures],
    b_feats: Sequence[UnitFeatures],
    docs_a: Sequence[str] | None = None,
    docs_b: Sequence[str] | None = None,
    knn: int = DEFAULT_PARAMS.knn,
) -> SignalMatrices:
    """Cosines, margin baselines and feature overlaps between two sets of sentences.

    With ``docs_a``/``docs_b`` (the article of each sentence), pairs within one article get
    ``-inf`` cosine, and each side's neighbourhood is taken within the other article, so the
    margin adapts to every pair of articles (and so to every pair of languages).
    """
    cos = (a_vecs @ b_vecs.T).astype(np.float32)
    if docs_a is None or docs_b is None:
        base = 0.5 * (knn_means(cos, knn)[:, None] + knn_means(cos.T, knn)[None, :])
    else:
        base = _per_article_baseline(cos, docs_a, docs_b, knn)
    quote_a = np.array([f.quote for f in a_feats], dtype=np.float32)
    quote_b = np.array([f.quote for f in b_feats], dtype=np.float32)
    said_a = np.array([f.reported for f in a_feats], dtype=np.float32)
    said_b = np.array([f.reported for f in b_feats], dtype=np.float32)
    lead_a = np.array([f.lead for f in a_feats], dtype=np.float32)
    lead_b = np.array([f.lead for f in b_feats], dtype=np.float32)
    place_a = np.array([f.place for f in a_feats], dtype=np.float32)
    place_b = np.array([f.place for f in b_feats], dtype=np.float32)
    return SignalMatrices(
        cos=cos,
        knn=base.astype(np.float32),
        names=_overlap_matrix([f.names for f in a_feats], [f.names for f in b_feats]),
        numbers=_number_overlap_matrix([f.numbers for f in a_feats], [f.numbers for f in b_feats]),
        dates=_overlap_matrix([f.dates for f in a_feats], [f.dates for f in b_feats]),
        quote_mismatch=np.abs(quote_a[:, None] - quote_b[None, :])
        * (1.0 - np.maximum(said_a[:, None], said_b[None, :])),
        leads=lead_a[:, None] * lead_b[None, :],
        places=np.abs(place_a[:, None] - place_b[None, :]),
    )


def anchor_places(units: Sequence[Unit], signals: SignalMatrices, params: AlignParams) -> np.ndarray:
    """How far two sentences sit from where the nearest confident pair of their reports puts them.

    Anchors are the mutual best matches of two reports (each the other's best there, scored
    without the position penalty) that reach ``anchor_threshold``. For a sentence ``i`` of report
    A and ``j`` of report B, the anchor of A nearest to ``i`` (by relative place) says how far
    ahead or behind B tells what A tells there: ``j`` is expected at ``i``'s place plus that
    anchor's shift. The distance is the mean of the two directions (B's anchor nearest to ``j``
    the other way). Two reports that tell the story in one order get the plain distance of their
    places; a report that tells a stretch of the story later than the other (background first,
    reactions last) is not penalised for its order there. Without an anchor between two reports
    the plain distance stays.
    """
    place = np.array([u.place for u in units], dtype=np.float32)
    if params.anchor_threshold >= 9.0 or not len(units):
        return np.abs(place[:, None] - place[None, :])
    ids: dict[str, int] = {}
    art = np.array([ids.setdefault(u.article, len(ids)) for u in units], dtype=np.intp)
    free = signals.score(replace(params, w_position=0.0))
    minor = np.array([u.minor for u in units])
    free[minor, :] = free[:, minor] = -np.inf
    free[art[:, None] == art[None, :]] = -np.inf
    n, reports = len(units), len(ids)
    # best[i, b]: i's best match in report b; an anchor where that match's best in i's report is i
    best = np.zeros((n, reports), dtype=np.intp)
    for b in range(reports):
        cols = np.flatnonzero(art == b)
        best[:, b] = cols[np.argmax(free[:, cols], axis=1)]
    rows = np.arange(n)[:, None]
    anchor = (best[best, art[:, None]] == rows) & (free[rows, best] >= params.anchor_threshold)
    anchor &= ~minor[:, None] & (art[:, None] != np.arange(reports)[None, :])
    # shift[i, b]: how much later report b tells what i's report tells at the anchor nearest to i
    shift = np.zeros((n, reports), dtype=np.float32)
    for a in range(reports):
        own = np.flatnonzero(art == a)
        near = np.abs(place[own][:, None] - place[own][None, :])  # [sentence, anchor candidate]
        masked = np.where(anchor[own][None, :, :], near[:, :, None], np.inf)  # [sentence, candidate, b]
        k = own[np.argmin(masked, axis=1)]  # the nearest anchor of each sentence towards each report
        found = np.isfinite(np.min(masked, axis=1))
        moved = place[best[k, np.arange(reports)[None, :]]] - place[k]
        shift[own] = np.where(found, moved, np.float32(0.0))
    expected = np.abs(place[:, None] + shift[:, art] - place[None, :])  # j against where i puts it
    return (np.float32(0.5) * (expected + expected.T)).astype(np.float32)


def group_units(units: Sequence[Unit], scores: np.ndarray, params: AlignParams) -> list[list[int]]:
    """Group units into facts by average linkage: the closest two groups are merged while they can be.

    Two groups merge when their strongest pair scores at least ``fact_threshold``, the mean score
    of all their pairs (across articles) at least ``link_threshold`` and no pair below
    ``min_link``. Merging by the mean lets a sentence join a fact on the evidence of all its
    sentences rather than of one best match, so a pair that is nobody's best match still links
    when the rest of the fact agrees. A fact holds at most one sentence per article, except two
    adjacent sentences of one article that together say what one sentence says elsewhere. A
    fact of two sentences rests on one pair, with no third report to agree: it needs
    ``pair_threshold``.

    Each group keeps its best candidate partner, so a merge updates two rows and the rows that
    pointed at the merged groups instead of rescanning the whole matrix: a story of 1,300
    sentences groups in well under a second. Ties go to the lowest (row, column), as a scan of
    the whole matrix would break them.
    """
    active = [u.index for u in units if not u.minor]
    n = len(active)
    if n < 2:
        return []
    sub = scores[np.ix_(active, active)].astype(np.float64)
    finite = np.isfinite(sub)
    total = np.where(finite, sub, 0.0)
    count = finite.astype(np.float64)
    low = np.where(finite, sub, np.inf)
    high = np.where(finite, sub, -np.inf)
    alive = np.ones(n, dtype=bool)
    blocked = np.eye(n, dtype=bool)  # pairs of groups found incompatible (one sentence per article)
    members: dict[int, list[int]] = {g: [active[g]] for g in range(n)}

    def candidates(rows: np.ndarray | slice) -> np.ndarray:
        """Mean linkage of ``rows`` to every group, -inf where the two may not merge."""
        t, c = total[rows], count[rows]
        mean = np.divide(t, c, out=np.full_like(t, -np.inf), where=c > 0)
        ok = (high[rows] >= params.fact_threshold) & (mean >= params.link_threshold)
        ok &= (low[rows] >= params.min_link) & ~blocked[rows] & alive[None, :]
        return np.where(ok, mean, -np.inf)

    cand = candidates(slice(None))
    cand[~alive] = -np.inf
    best_col = np.argmax(cand, axis=1)
    best = cand[np.arange(n), best_col]

    def refresh(rows: np.ndarray) -> None:
        if len(rows):
            best_col[rows] = np.argmax(cand[rows], axis=1)
            best[rows] = cand[rows, best_col[rows]]

    while True:
        a = int(np.argmax(best))
        if best[a] == -np.inf:
            break
        b = int(best_col[a])
        if not _compatible(units, members[a], members[b]):
            blocked[a, b] = blocked[b, a] = True
            cand[a, b] = cand[b, a] = -np.inf
            refresh(np.array([r for r in (a, b) if best_col[r] in (a, b)], dtype=np.intp))
            continue
        members[a] = members[a] + members.pop(b)
        alive[b] = False
        for matrix, merge in ((total, np.add), (count, np.add), (low, np.minimum), (high, np.maximum)):
            matrix[a, :] = merge(matrix[a, :], matrix[b, :])
            matrix[:, a] = matrix[a, :]
        blocked[a, :] = blocked[:, a] = False  # the merged group is checked afresh
        blocked[a, a] = True
        cand[b, :] = cand[:, b] = -np.inf
        row = candidates(np.array([a]))[0]
        row[~alive] = -np.inf
        cand[a, :] = cand[:, a] = row
        # rows whose best partner was a or b are rescanned; the others may now prefer a
        stale = np.flatnonzero(alive & ((best_col == a) | (best_col == b)))
        better = alive & ((row > best) | ((row == best) & (a < best_col))) & (row > -np.inf)
        best_col[better] = a
        best[better] = row[better]
        refresh(np.union1d(stale, [a]).astype(np.intp))
        best[b] = -np.inf
    groups = [sorted(m) for m in members.values() if len(m) > 1]
    return [g for g in groups if len(g) > 2 or scores[g[0], g[1]] >= params.pair_threshold]


def split_links(
    units: Sequence[Unit], scores: np.ndarray, groups: Sequence[Sequence[int]], params: AlignParams
) -> list[list[int]]:
    """Second facts for sentences that state one half of a sentence already aligned elsewhere.

    A report may say in one sentence ("the warrant was issued in March 2023 over the deportation
    of children") what another says in two sentences far apart. The first pairs with one of them;
    the other (``v``) is left out, since a fact holds one sentence per article. ``v`` is linked to
    that sentence (``u``) as a fact of its own when ``u`` is ``v``'s best match in its article,
    ``v`` is among ``u``'s two best matches in ``v``'s article, the score reaches
    ``split_threshold`` and beats ``v``'s next best match there by ``split_gap``, and ``u``'s fact
    already holds a sentence of ``v``'s article.
    """
    fact_of = {i: g for g, ids in enumerate(groups) for i in ids}
    by_article: dict[str, list[int]] = {}
    for unit in units:
        if not unit.minor:
            by_article.setdefault(unit.article, []).append(unit.index)
    out: list[list[int]] = []
    for v in (x.index for x in units if not x.minor and x.index not in fact_of):
        for article, cols in by_article.items():
            if article == units[v].article:
                continue
            ranked = np.argsort(-scores[v, cols])
            u = cols[int(ranked[0])]
            if u not in fact_of or scores[v, u] < params.split_threshold:
                continue
            if len(cols) > 1 and scores[v, u] - scores[v, cols[int(ranked[1])]] < params.split_gap:
                continue
            own = by_article[units[v].article]
            rivals = np.sort(scores[u, own])[::-1]
            if len(rivals) > 2 and scores[u, v] < rivals[1]:
                continue
            partners = [i for i in groups[fact_of[u]] if units[i].article == units[v].article]
            if partners and _compatible(units, [v], [u]):
                out.append(sorted((u, v)))
    return out


def _compatible(units: Sequence[Unit], a: list[int], b: list[int]) -> bool:
    """At most one sentence per article, or two adjacent ones (a split sentence)."""
    positions: dict[str, list[int]] = {}
    for i in (*a, *b):
        positions.setdefault(units[i].article, []).append(units[i].position)
    for pos in positions.values():
        if len(pos) > 2 or (len(pos) == 2 and abs(pos[0] - pos[1]) != 1):
            return False
    return True

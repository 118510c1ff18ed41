"""Conflicts: close sentences of different reports that disagree on a number, date, entity or quote."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from babelwire.coverage.align import AlignParams
from babelwire.coverage.dates import DateValue, date_distance, dates_differ
from babelwire.coverage.numbers import CURRENCIES, Quantity, comparable, distance, qualifiers_compatible
from babelwire.coverage.units import Unit, speaker_ids
from babelwire.unionfind import UnionFind

#: Values further apart than this are about different things, not a disagreement (log ratio).
MAX_NUMBER_GAP = math.log(3.0)
MAX_VAGUE_GAP = math.log(10.0)
#: "About 70" and "68" agree: a hedged value within this share of an exact one is no conflict.
HEDGE_TOLERANCE = 0.05
#: Largest gaps for dates of each grain (days, months, years, minutes).
MAX_DATE_GAP = {"day": 14, "month": 12, "year": 5, "time": 180}
#: Vague counts name an order of magnitude: "dozens" and "decenas" (tens) within this factor agree.
VAGUE_SAME_ORDER = 3.0
#: Quoted words this many words long or more are compared for attribution (shorter ones say too little).
MIN_QUOTE_WORDS = 3
#: Neighbours in the quoted words' margin (their nearest sentences of the other report).
QUOTE_KNN = 3
#: Durations ("68 seconds", "for about a week") are told loosely; they are not reported as conflicts.
#: Sums of money from this size on are compared between sentences that are not aligned (``money_threshold``).
LARGE_SUM = 1e6
DURATION_UNITS = frozenset({"h", "min", "s", "d", "wk", "mo", "y"})


@dataclass(frozen=True, slots=True)
class RawSide:
    """One side of a detected conflict before it is turned into a ``ConflictSide``."""

    unit: int
    value: str


@dataclass(frozen=True, slots=True)
class RawConflict:
    """A detected conflict: its kind, sides (unit indexes and displayed values) and what is disputed."""

    kind: str
    sides: tuple[RawSide, ...]
    what: str = ""  # number conflicts: "dead", "injured (serious)", "money", "km" ... ("" when unknown)


def disputed(quantities: Sequence[Quantity]) -> str:
    """A short label of what the values of one number conflict measure ("" when they do not say).

    The label of the sides that say it; when they say different things ("injured" and "injured
    (serious)", which may count the same people) the role they share, otherwise nothing. A unit
    comes before a role: hectares burned near "evacuated" are an area.
    """
    labels = {q.what for q in quantities} - {""}
    if len(labels) == 1:
        return labels.pop()
    roles = {q.role for q in quantities if q.unit in ("", "vague")} - {""}
    return roles.pop() if len(roles) == 1 else ""


def _numbers_disagree(a: Quantity, b: Quantity) -> bool:
    if a.value == b.value:
        return False  # the same amount in two currencies is a misread conversion, not a disagreement
    if a.unit == b.unit == "vague":
        return max(a.value, b.value) >= VAGUE_SAME_ORDER * min(a.value, b.value)
    if ("~" in (a.hedge, b.hedge)) and a.unit == b.unit:
        return abs(a.value - b.value) > HEDGE_TOLERANCE * max(a.value, b.value)
    return True


def _match(
    left: Sequence[Any],
    right: Sequence[Any],
    same: Callable[[Any, Any], bool],
    gap: Callable[[Any, Any], float],
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Pair values of two sentences: equal ones first, then the closest comparable ones."""
    agree: list[tuple[int, int]] = []
    used_l: set[int] = set()
    used_r: set[int] = set()
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            if j not in used_r and i not in used_l and same(a, b):
                agree.append((i, j))
                used_l.add(i)
                used_r.add(j)
    candidates = sorted(
        (gap(a, b), i, j)
        for i, a in enumerate(left)
        for j, b in enumerate(right)
        if i not in used_l and j not in used_r and math.isfinite(gap(a, b))
    )
    disagree: list[tuple[int, int]] = []
    for _, i, j in candidates:
        if i not in used_l and j not in used_r:
            disagree.append((i, j))
            used_l.add(i)
            used_r.add(j)
    return agree, disagree


def _number_gap(a: Quantity, b: Quantity) -> float:
    if not comparable(a, b) or a.unit in DURATION_UNITS:
        return math.inf
    d = distance(a, b)
    limit = MAX_VAGUE_GAP if a.unit == "vague" else MAX_NUMBER_GAP
    return d if d <= limit and _numbers_disagree(a, b) else math.inf


def _date_gap(a: DateValue, b: DateValue) -> float:
    if not dates_differ(a, b):
        return math.inf
    d = date_distance(a, b)
    return d if d <= MAX_DATE_GAP[a.grain] else math.inf


def _same_number(a: Quantity, b: Quantity) -> bool:
    return comparable(a, b) and not _numbers_disagree(a, b)


def _same_date(a: DateValue, b: DateValue) -> bool:
    return a.grain == b.grain and not dates_differ(a, b)


class _Qualified:
    """The known roles and severities of each component of numbers, so that links keep them apart.

    Two values are linked only when they are comparable, but a component grows through values
    whose role is unknown: "two with minor injuries" agrees with "two barges", which agrees with
    "two seriously injured". A link is refused when it would put values of different known roles
    or severities in one component.
    """

    def __init__(self, uf: UnionFind[tuple[int, int]]) -> None:
        self.uf = uf
        self.of_root: dict[tuple[int, int], set[tuple[str, str]]] = {}

    def _known(self, node: tuple[int, int], q: Quantity) -> set[tuple[str, str]]:
        root = self.uf.find(node)
        if root not in self.of_root:
            self.of_root[root] = {(q.role, q.severity)} if q.role or q.severity else set()
        return self.of_root[root]

    def link(self, x: tuple[int, int], qx: Quantity, y: tuple[int, int], qy: Quantity) -> bool:
        """Whether ``x`` and ``y`` may be joined; if so, their components' qualifiers are merged
        under the root ``UnionFind.join(x, y)`` keeps (``x``'s)."""
        kx, ky = self._known(x, qx), self._known(y, qy)
        rx, ry = self.uf.find(x), self.uf.find(y)
        if rx == ry:
            return True
        if not all(qualifiers_compatible(ra, sa, rb, sb) for ra, sa in kx for rb, sb in ky):
            return False
        self.of_root[rx] = kx | ky
        self.of_root.pop(ry, None)
        return True


def _value_conflicts(
    units: Sequence[Unit],
    pairs: Sequence[tuple[int, int]],
    kind: str,
    sums_only: Sequence[tuple[int, int]] = (),
) -> list[RawConflict]:
    """Link values of close sentences that agree or disagree; components with two values are conflicts.

    For the pairs of ``sums_only`` only large sums of money are compared.
    """
    uf: UnionFind[tuple[int, int]] = UnionFind()
    known = _Qualified(uf)
    disagreeing: list[tuple[Any, Any]] = []
    values: dict[tuple[int, int], Any] = {}
    restricted = set(sums_only)
    for i, j in [*pairs, *sums_only]:
        left: Sequence[Any] = units[i].quantities if kind == "number" else units[i].dates
        right: Sequence[Any] = units[j].quantities if kind == "number" else units[j].dates
        keep_l, keep_r = list(range(len(left))), list(range(len(right)))
        if (i, j) in restricted:
            keep_l = [k for k in keep_l if _is_large_sum(left[k])]
            keep_r = [k for k in keep_r if _is_large_sum(right[k])]
        if not keep_l or not keep_r:
            continue
        sub_l, sub_r = [left[k] for k in keep_l], [right[k] for k in keep_r]
        if kind == "number":
            agree, disagree = _match(sub_l, sub_r, _same_number, _number_gap)
        else:
            agree, disagree = _match(sub_l, sub_r, _same_date, _date_gap)
        # back to positions in the full lists, so the nodes are those of the sentences' other pairs
        agree = [(keep_l[a], keep_r[b]) for a, b in agree]
        disagree = [(keep_l[a], keep_r[b]) for a, b in disagree]
        for a, b in agree + disagree:
            if kind == "number" and not known.link((i, a), left[a], (j, b), right[b]):
                continue  # would put numbers of different roles or severities in one component
            values[(i, a)], values[(j, b)] = left[a], right[b]
            uf.join((i, a), (j, b))
            if (a, b) in disagree:
                disagreeing.append(((i, a), (j, b)))
    components: dict[Any, set[tuple[int, int]]] = {}
    for node in values:
        components.setdefault(uf.find(node), set()).add(node)
    flagged = {uf.find(a) for a, _ in disagreeing}
    out: list[RawConflict] = []
    for root, nodes in components.items():
        if root not in flagged:
            continue
        sides: dict[int, RawSide] = {}
        for unit, idx in sorted(nodes):
            sides.setdefault(unit, RawSide(unit, values[(unit, idx)].display))
        if len({s.value for s in sides.values()}) > 1 and len({units[u].article for u in sides}) > 1:
            what = disputed([values[node] for node in sorted(nodes)]) if kind == "number" else ""
            ordered = tuple(sorted(sides.values(), key=lambda s: (s.value, s.unit)))
            out.append(RawConflict(kind, ordered, what))
    return out


def _entity_conflicts(units: Sequence[Unit], pairs: Sequence[tuple[int, int]]) -> list[RawConflict]:
    """Aligned sentences that name a different linked entity of one type in the same place."""
    by_article: dict[str, set[str]] = {}
    for u in units:
        by_article.setdefault(u.article, set()).update(u.entities)
    out: list[RawConflict] = []
    for i, j in pairs:
        a, b = units[i], units[j]
        only_a = [e for e in a.entities if e not in by_article[b.article]]
        only_b = [e for e in b.entities if e not in by_article[a.article]]
        # people are named in many ways (and mis-spanned); organisations in one role are the clear case
        if (
            len(only_a) == 1
            and len(only_b) == 1
            and a.entities[only_a[0]] == b.entities[only_b[0]] == "ORG"
            and a.entity_text[only_a[0]] != b.entity_text[only_b[0]]
        ):
            sides = (RawSide(i, a.entity_text[only_a[0]]), RawSide(j, b.entity_text[only_b[0]]))
            out.append(RawConflict("entity", sides))
    return out


def _quote_conflicts(units: Sequence[Unit], scores: np.ndarray, params: AlignParams) -> list[RawConflict]:
    """The same words given to different speakers, or one speaker's quote told in different words."""
    # only speakers linked by the quotes stage: guessed speakers ("Meridian Wire") are too noisy here
    quotes = [u for u in units if u.quote and u.speaker_linked and not u.minor]
    out: list[RawConflict] = []
    for x, a in enumerate(quotes):
        for b in quotes[x + 1 :]:
            if a.article == b.article:
                continue
            score = float(scores[a.index, b.index])
            if a.speaker_key != b.speaker_key and score >= params.fact_threshold + params.quote_margin:
                sides = (RawSide(a.index, a.speaker or ""), RawSide(b.index, b.speaker or ""))
                out.append(RawConflict("quote", sides))
    return out


def compares_quoted_words(u: Unit) -> bool:
    """Whether attribution conflicts compare this unit's quoted words (a quote given to a name)."""
    return bool(
        u.quote_text
        and u.speaker_linked
        and not u.minor
        and u.speaker
        and u.speaker[:1].isupper()
        and len(u.quote_text.split()) >= MIN_QUOTE_WORDS
    )


def _attribution_conflicts(
    units: Sequence[Unit],
    vectors: np.ndarray,
    quote_vectors: np.ndarray,
    params: AlignParams,
    related: set[frozenset[str]],
) -> list[RawConflict]:
    """The same quoted words given to different people in two reports, by a margin of their own.

    Raw cosines of quoted words do not separate a translation from another quote of the story,
    and the sentence score keeps a partial quote ("X said the thieves 'knew where to go'") away
    from a quote paragraph. So the quoted words of the two are compared directly, minus the mean
    cosine of each side's nearest sentences in the other report (the margin of bitext mining), and
    counted when each is the other's closest quote in that report, the margin reaches
    ``quote_words_threshold`` and the two speakers differ. Only reports that share a fact
    (``related``) are compared: against a report about something else the baseline is low, and
    any two quotes of one tone would pass.
    """
    quoted = [u for u in units if compares_quoted_words(u)]
    by_article: dict[str, list[int]] = {}
    for u in units:
        if not u.minor:
            by_article.setdefault(u.article, []).append(u.index)
    quotes_of: dict[str, list[Unit]] = {}
    for u in quoted:
        quotes_of.setdefault(u.article, []).append(u)

    ids = {u.index: speaker_ids(u) for u in quoted}
    bases: dict[tuple[int, str], float] = {}
    nearest: dict[tuple[int, str], int] = {}

    def base(u: Unit, article: str) -> float:
        if (u.index, article) not in bases:
            sims = vectors[by_article[article]] @ quote_vectors[u.index]
            bases[(u.index, article)] = float(np.sort(sims)[::-1][:QUOTE_KNN].mean())
        return bases[(u.index, article)]

    def closest(u: Unit, article: str) -> int:
        if (u.index, article) not in nearest:
            others = quotes_of[article]
            sims = quote_vectors[[v.index for v in others]] @ quote_vectors[u.index]
            nearest[(u.index, article)] = others[int(np.argmax(sims))].index
        return nearest[(u.index, article)]

    out: list[RawConflict] = []
    for x, a in enumerate(quoted):
        for b in quoted[x + 1 :]:
            if frozenset((a.article, b.article)) not in related or ids[a.index] & ids[b.index]:
                continue
            if closest(a, b.article) != b.index or closest(b, a.article) != a.index:
                continue
            cos = float(quote_vectors[a.index] @ quote_vectors[b.index])
            if cos - 0.5 * (base(a, b.article) + base(b, a.article)) >= params.quote_words_threshold:
                sides = (RawSide(a.index, a.speaker or ""), RawSide(b.index, b.speaker or ""))
                out.append(RawConflict("quote", sides))
    return out


def _is_large_sum(q: Quantity) -> bool:
    """A sum of money of a million or more: few in a story, so two of them likely tell one amount."""
    return q.unit in CURRENCIES and q.value >= LARGE_SUM


def find_conflicts(
    units: Sequence[Unit],
    scores: np.ndarray,
    params: AlignParams,
    aligned: Sequence[tuple[int, int]],
    vectors: np.ndarray | None = None,
    quote_vectors: np.ndarray | None = None,
) -> list[RawConflict]:
    """Every conflict: numbers and dates of close pairs, entities and quotes of aligned ones.

    With ``vectors`` (the sentences') and ``quote_vectors`` (each unit's quoted words), quotes
    given to different speakers are also sought by their quoted words (``_attribution_conflicts``).
    """
    n = len(units)
    ids: dict[str, int] = {}
    article = np.array([ids.setdefault(u.article, len(ids)) for u in units], dtype=np.int64)
    claim = np.array([not u.minor for u in units], dtype=bool)
    large_sum = np.array([any(_is_large_sum(q) for q in u.quantities) for u in units], dtype=bool)
    # pairs i < j of claims in different reports that score high enough for numbers or for sums
    candidate = np.triu(scores[:n, :n] >= min(params.conflict_threshold, params.money_threshold), k=1)
    candidate &= (article[:, None] != article[None, :]) & claim[:, None] & claim[None, :]
    rows, cols = np.nonzero(candidate)
    near = scores[rows, cols] >= params.conflict_threshold
    sums = ~near & large_sum[rows] & large_sum[cols]  # below the conflict threshold, both a large sum
    close = list(zip(rows[near].tolist(), cols[near].tolist(), strict=True))
    money = list(zip(rows[sums].tolist(), cols[sums].tolist(), strict=True))
    out = _value_conflicts(units, close, "number", money)
    # dates are everywhere in news ("on Monday"): only sentences aligned about as closely as facts
    dated = [(i, j) for i, j in close if scores[i, j] >= params.date_threshold]
    out += _value_conflicts(units, dated, "date")
    if params.entity_conflicts:
        out += _entity_conflicts(units, aligned)
    quotes = _quote_conflicts(units, scores, params)
    if vectors is not None and quote_vectors is not None and len(units):
        seen = {frozenset(s.unit for s in c.sides) for c in quotes}
        related = {frozenset((units[i].article, units[j].article)) for i, j in aligned}
        for c in _attribution_conflicts(units, vectors, quote_vectors, params, related):
            if frozenset(s.unit for s in c.sides) not in seen:
                quotes.append(c)
    return out + quotes

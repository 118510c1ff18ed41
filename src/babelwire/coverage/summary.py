"""A story headline and an extractive summary in the reader's language, most-supported facts first."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from babelwire.coverage.result import FactGroup, SentenceRef
from babelwire.coverage.units import Unit
from babelwire.model import Article

#: Sentences in a summary.
SUMMARY_SIZE = 5


def _centrality(unit_ids: Sequence[int], scores: np.ndarray) -> dict[int, float]:
    """Mean score of each unit to the other units of its group (how typical its wording is)."""
    if len(unit_ids) < 2:
        return {u: 0.0 for u in unit_ids}
    block = scores[np.ix_(list(unit_ids), list(unit_ids))]
    block = np.where(np.isfinite(block), block, 0.0)
    return {u: float(block[k].sum() / (len(unit_ids) - 1)) for k, u in enumerate(unit_ids)}


def fact_order(facts: Sequence[FactGroup]) -> list[int]:
    """Fact indexes, most-supported first (outlets, then languages, then alignment strength)."""
    return sorted(
        range(len(facts)),
        key=lambda i: (-facts[i].support, -len(facts[i].languages), -facts[i].score),
    )


def headline(
    originals: Sequence[Article], support: dict[str, float], reader_lang: str
) -> tuple[str, str | None]:
    """The title of the most central report in the reader's language, else of the most central report."""
    titled = [a for a in originals if a.title.strip()]
    if not titled:
        return "", None
    in_lang = [a for a in titled if a.lang == reader_lang]
    pool = in_lang or titled
    best = max(pool, key=lambda a: (support.get(a.id, 0.0), -len(a.text)))
    return best.title.strip(), best.lang


def _words(text: str) -> str:
    """Lower-case words only, so that a title and a sentence that repeats it compare equal."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def summarise(
    facts: Sequence[FactGroup],
    fact_units: Sequence[Sequence[int]],
    units: Sequence[Unit],
    scores: np.ndarray,
    reader_lang: str,
    fallback: Sequence[Unit] = (),
    title: str = "",
) -> list[SentenceRef]:
    """One sentence per fact, most-supported first: the reader's language when a report has it.

    When a fact has no sentence in the reader's language its most central sentence stands in, and
    its ``lang`` says which language it is in. With fewer facts than ``SUMMARY_SIZE``, the lead
    sentences of ``fallback`` fill the rest. A sentence that only repeats the headline (``title``;
    a plain-text report often opens with its title) is left out: the reader has just read it.
    """
    out: list[SentenceRef] = []
    repeats = _words(title)

    def add(unit: Unit) -> None:
        if repeats and _words(unit.text) == repeats:
            return
        out.append(SentenceRef(unit.article, unit.start, unit.end, unit.text, unit.lang, unit.source))

    for index in fact_order(facts)[:SUMMARY_SIZE]:
        ids = list(fact_units[index])
        central = _centrality(ids, scores)
        in_lang = [u for u in ids if units[u].lang == reader_lang]
        pick = max(in_lang or ids, key=lambda u: central[u])
        unit = units[pick]
        if any(r.article == unit.article and r.start == unit.start for r in out):
            continue  # a sentence in two facts (a split) is summarised once
        add(unit)
    seen = {(r.article, r.start) for r in out}
    for unit in fallback:
        if len(out) >= SUMMARY_SIZE:
            break
        if not unit.minor and (unit.article, unit.start) not in seen:
            add(unit)
    return out

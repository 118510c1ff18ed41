"""Number conflicts between sentences that do not align: large sums of money."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from babelwire.coverage import DEFAULT_PARAMS
from babelwire.coverage.conflicts import find_conflicts
from babelwire.coverage.units import Unit, article_units
from babelwire.model import Article, Sentence


def _units(texts: list[tuple[str, str]]) -> list[Unit]:
    """One single-sentence report per (text, language)."""
    units: list[Unit] = []
    for i, (text, lang) in enumerate(texts):
        article = Article(id=f"r{i}", text=text, lang=lang, sentences=[Sentence(0, len(text), 0)])
        units += article_units(article, len(units))
    return units


def _numbers(units: list[Unit], scores: np.ndarray, threshold: float) -> list[set[str]]:
    params = replace(DEFAULT_PARAMS, money_threshold=threshold)
    found = find_conflicts(units, scores, params, [])
    return [{s.value for s in c.sides} for c in found if c.kind == "number"]


def test_sums_of_money_conflict_below_the_conflict_threshold() -> None:
    # the second sentence takes its subject (the ransom) from the sentence before it, so the two
    # do not align; two sums of millions of euros in one story still tell one amount
    units = _units(
        [
            ("The hackers demanded a ransom of €12 million, according to the police.", "en"),
            ("Die Bank nannte keine Summe, Medien berichteten von 15 Millionen Euro.", "de"),
        ]
    )
    scores = np.full((2, 2), -0.04, dtype=np.float32)
    assert _numbers(units, scores, -0.06) == [{"EUR 12 million", "EUR 15 million"}]
    assert _numbers(units, scores, 9.0) == []  # off: only sentences above the conflict threshold
    assert _numbers(units, scores, -0.03) == []  # the pair scores below the money threshold


def test_below_the_conflict_threshold_only_sums_of_money_are_compared() -> None:
    units = _units(
        [
            ("The insurer paid €12 million to 40 families.", "en"),
            ("Der Versicherer zahlte 12 Millionen Euro an 55 Familien.", "de"),
        ]
    )
    scores = np.full((2, 2), -0.04, dtype=np.float32)
    # the sums agree; the counts of families are not compared at this score
    assert _numbers(units, scores, -0.06) == []
    close = np.full((2, 2), 0.05, dtype=np.float32)
    assert _numbers(units, close, -0.06) == [{"40", "55"}]

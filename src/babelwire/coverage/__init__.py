"""Fact-level comparison of a story's coverage: facts, unique claims, conflicts, headline and summary."""

from babelwire.coverage.align import DEFAULT_PARAMS, AlignParams, UnitFeatures, alignment_score
from babelwire.coverage.compare import COVERAGE_VERSION, compare, coverage_from, coverage_key, prepare
from babelwire.coverage.result import (
    Conflict,
    ConflictSide,
    Coverage,
    FactGroup,
    SentenceRef,
    SpeakerQuotes,
)

__all__ = [
    "COVERAGE_VERSION",
    "DEFAULT_PARAMS",
    "AlignParams",
    "Conflict",
    "ConflictSide",
    "Coverage",
    "FactGroup",
    "SentenceRef",
    "SpeakerQuotes",
    "UnitFeatures",
    "alignment_score",
    "compare",
    "coverage_from",
    "coverage_key",
    "prepare",
]

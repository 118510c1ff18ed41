"""What a comparison returns: facts, unique claims, conflicts, headline and summary (JSON-ready)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class SentenceRef:
    """A sentence of one article: its character range in that article's text."""

    article: str
    start: int
    end: int
    text: str
    lang: str | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


@dataclass(slots=True)
class FactGroup:
    """Sentences of different reports that state the same thing, and who carries it.

    ``sources`` includes the outlets of syndicated copies of the reports that carry the fact.
    """

    sentences: list[SentenceRef]
    kind: str = "fact"  # fact | quote
    articles: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    score: float = 0.0  # mean alignment score inside the group

    @property
    def support(self) -> int:
        """How many outlets carry the fact (copies included)."""
        return len(self.sources) or len(self.articles)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "kind": self.kind,
            "sentences": [s.to_dict() for s in self.sentences],
            "articles": self.articles,
            "sources": self.sources,
            "languages": self.languages,
            "score": round(self.score, 4),
        }


@dataclass(slots=True)
class ConflictSide:
    """One side of a conflict: the sentence and the value it gives."""

    article: str
    start: int
    end: int
    text: str
    value: str
    source: str | None = None
    lang: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


@dataclass(slots=True)
class Conflict:
    """Aligned sentences that disagree on a number, date, entity or quote."""

    kind: str  # number | date | entity | quote
    sides: list[ConflictSide]
    fact: int | None = None  # index in ``Coverage.facts`` of the fact most of its sides belong to
    what: str = ""  # what a number conflict is about: "dead", "injured (serious)", "money", "km" or ""

    @property
    def heading(self) -> str:
        """The kind with what is disputed, for a reader: ``number: dead``, ``date``."""
        return f"{self.kind}: {self.what}" if self.what else self.kind

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "kind": self.kind,
            "what": self.what,
            "fact": self.fact,
            "sides": [s.to_dict() for s in self.sides],
        }


@dataclass(slots=True)
class SpeakerQuotes:
    """Quotes by one speaker in different reports that do not say the same words."""

    speaker: str
    quotes: list[SentenceRef]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"speaker": self.speaker, "quotes": [q.to_dict() for q in self.quotes]}


@dataclass(slots=True)
class Coverage:
    """The fact-level comparison of a story's reports."""

    facts: list[FactGroup] = field(default_factory=list)
    unique: list[SentenceRef] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    headline: str = ""
    headline_lang: str | None = None
    summary: list[SentenceRef] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    speakers: list[SpeakerQuotes] = field(default_factory=list)
    reader_lang: str = "en"

    def unique_by_source(self) -> dict[str, list[SentenceRef]]:
        """The unique claims grouped by outlet (``"?"`` when an article has no source)."""
        out: dict[str, list[SentenceRef]] = {}
        for ref in self.unique:
            out.setdefault(ref.source or "?", []).append(ref)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``babelwire compare --json`` (stable: facts, unique, conflicts first)."""
        return {
            "facts": [f.to_dict() for f in self.facts],
            "unique": [u.to_dict() for u in self.unique],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "headline": self.headline,
            "headline_lang": self.headline_lang,
            "summary": [s.to_dict() for s in self.summary],
            "languages": self.languages,
            "sources": self.sources,
            "speakers": [s.to_dict() for s in self.speakers],
            "reader_lang": self.reader_lang,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Coverage:
        """Rebuild a coverage from ``to_dict`` output (for caches)."""
        facts = [
            FactGroup(
                sentences=[SentenceRef(**s) for s in f["sentences"]],
                kind=f.get("kind", "fact"),
                articles=list(f.get("articles", [])),
                sources=list(f.get("sources", [])),
                languages=list(f.get("languages", [])),
                score=float(f.get("score", 0.0)),
            )
            for f in data.get("facts", [])
        ]
        conflicts = [
            Conflict(c["kind"], [ConflictSide(**s) for s in c["sides"]], c.get("fact"), c.get("what", ""))
            for c in data.get("conflicts", [])
        ]
        return cls(
            facts=facts,
            unique=[SentenceRef(**u) for u in data.get("unique", [])],
            conflicts=conflicts,
            headline=data.get("headline", ""),
            headline_lang=data.get("headline_lang"),
            summary=[SentenceRef(**s) for s in data.get("summary", [])],
            languages=list(data.get("languages", [])),
            sources=list(data.get("sources", [])),
            speakers=[
                SpeakerQuotes(s["speaker"], [SentenceRef(**q) for q in s["quotes"]])
                for s in data.get("speakers", [])
            ],
            reader_lang=data.get("reader_lang", "en"),
        )

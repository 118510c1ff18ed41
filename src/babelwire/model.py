"""Plain dataclasses shared by every stage: articles and what the stages attach to them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class Span:
    """A character range ``[start, end)`` in an article's text."""

    start: int
    end: int


@dataclass(slots=True)
class Sentence:
    """One sentence: its character range and the paragraph it belongs to."""

    start: int
    end: int
    paragraph: int = 0


@dataclass(slots=True)
class Mention:
    """A named-entity mention with its offsets, type and linked canonical entity."""

    text: str
    start: int
    end: int
    label: str  # PER | ORG | LOC | MISC
    entity_id: str | None = None
    lemma: str | None = None  # base form after inflection and title stripping
    role: str | None = None  # a title or role seen before the name ("executive director")


@dataclass(slots=True)
class Speaker:
    """The mention a quote is attributed to."""

    text: str
    start: int
    end: int
    entity_id: str | None = None


@dataclass(slots=True)
class Quote:
    """A direct quotation with its cue, speaker and the medium it was said to."""

    text: str
    start: int
    end: int
    cue: str | None = None
    speaker: Speaker | None = None
    medium: str | None = None
    partial: bool = False


@dataclass(slots=True)
class TimeExpr:
    """A time expression normalised to TIMEX3 (``type`` DATE|TIME|DURATION|SET)."""

    text: str
    start: int
    end: int
    type: str
    value: str


@dataclass(slots=True)
class Article:
    """One news report and everything the pipeline learns about it."""

    id: str
    text: str
    title: str = ""
    lead: str = ""
    url: str | None = None
    source: str | None = None
    published: datetime | None = None
    lang: str | None = None
    lang_given: bool = False  # the input (or --lang) named the language
    content_hash: str | None = None
    origin: str | None = None  # where it came from: a path, "path:line", a URL or "-"
    paragraphs: list[Span] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    timexes: list[TimeExpr] = field(default_factory=list)
    event_date: str | None = None  # estimate of when the reported event happened (TIMEX3 value)
    duplicate_of: str | None = None
    duplicate_kind: str | None = None  # "exact" | "near"
    story_id: str | None = None
    error: str | None = None
    stages: dict[str, str] = field(default_factory=dict)  # stage name -> version that ran
    extra: dict[str, Any] = field(default_factory=dict)  # stage-private data (e.g. minhash)

    def sentence_texts(self) -> list[str]:
        """Return the text of every sentence, in order."""
        return [self.text[s.start : s.end] for s in self.sentences]

    @property
    def ok(self) -> bool:
        """True while no stage has rejected the article."""
        return self.error is None


@dataclass(slots=True)
class Story:
    """A group of reports of one event: its label, languages, outlets and time span."""

    id: str
    label: str
    size: int = 0  # articles, copies included
    reports: int = 0  # distinct reports (copies excluded)
    languages: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    first_published: datetime | None = None
    last_published: datetime | None = None


@dataclass(slots=True)
class Fact:
    """Sentences from different articles of one story that state the same thing."""

    sentences: list[tuple[str, int, int]]  # (article id, start, end)
    languages: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def to_dict(obj: Any) -> dict[str, Any]:
    """Return a JSON-ready dict of a dataclass (datetimes as ISO strings)."""
    data = asdict(obj)
    for key, value in list(data.items()):
        if isinstance(value, datetime):
            data[key] = value.isoformat()
    return data

"""Data for the stories list and the story page, shared by the HTML pages and the JSON API."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from babelwire.coverage import Conflict, Coverage, coverage_key
from babelwire.engine import Engine
from babelwire.model import Article, Story
from babelwire.store import EntityFilter, StoryFilter
from babelwire.web.markup import ParagraphView, story_paragraphs
from babelwire.web.schemas import (
    ArticleSummary,
    SpeakerGroup,
    SpeakerQuote,
    StoryDetail,
    StoryEntity,
    StoryPublic,
    SummarySentence,
    TimelineBucket,
)
from babelwire.web.timeline import Timeline, build_timeline

log = logging.getLogger(__name__)

#: Time windows of the stories page, counted back from the newest report stored (or now).
WINDOWS: dict[str, timedelta | None] = {
    "1d": timedelta(days=1),
    "3d": timedelta(days=3),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
    "all": None,
}
SORTS = ("size", "languages", "recent")
MAX_MATRIX_FACTS = 60
MAX_STORY_ENTITIES = 60
#: How a report without a known outlet is named.
UNKNOWN_OUTLET = "unknown outlet"


@dataclass(frozen=True, slots=True)
class StoryQuery:
    """The filters, order and page of the stories list."""

    window: str = "1d"
    lang: str | None = None
    source: str | None = None
    entity: str | None = None
    sort: str = "size"
    page: int = 1
    per_page: int = 30


@dataclass(slots=True)
class StoryList:
    stories: list[Story]
    has_next: bool
    since: datetime | None
    entity_name: str | None = None
    entity_id: str | None = None  # the entity filtered by (``entity`` given as an id or a name)
    entity_missing: bool = False  # ``entity`` is neither an entity id nor an entity's name


def resolve_entity(engine: Engine, value: str) -> tuple[str, str] | None:
    """(id, display name) of the entity ``value`` names: its id, else the most mentioned entity
    whose name or one of whose spellings is ``value`` (case aside); None when there is none."""
    found = engine.store.get_entity(value)
    if found is not None:
        return found.id, found.name or found.id
    wanted = value.strip().casefold()
    if not wanted:
        return None
    candidates = engine.store.list_entities(EntityFilter(query=value.strip(), limit=50))
    for e in candidates:  # most mentioned first
        spellings = {e.name, *(n for names in e.names.values() for n in names)}
        if wanted in {n.casefold() for n in spellings if n}:
            return e.id, e.name or e.id
    return None


def list_stories(engine: Engine, q: StoryQuery) -> StoryList:
    """One page of stories in the window ending at the newest stored report (not in the future)."""
    window = WINDOWS.get(q.window, WINDOWS["1d"])
    since = None
    if window is not None:
        now = datetime.now(UTC)
        latest = engine.store.latest_published()
        anchor = min(latest, now) if latest is not None else now
        since = anchor - window
    flt = StoryFilter(
        since=since,
        lang=q.lang,
        source=q.source,
        sort=q.sort if q.sort in SORTS else "size",
        limit=q.per_page + 1,
        offset=(q.page - 1) * q.per_page,
    )
    entity_id = entity_name = None
    if q.entity:
        entity = resolve_entity(engine, q.entity)
        if entity is None:
            return StoryList([], False, since, entity_missing=True)
        entity_id, entity_name = entity
    found = engine.store.query_stories(flt, entity_id=entity_id)
    return StoryList(found[: q.per_page], len(found) > q.per_page, since, entity_name, entity_id)


@dataclass(slots=True)
class ReportView:
    """One report on the story page, its sentences marked with facts, and the outlets of its copies."""

    article: Article
    paragraphs: list[ParagraphView]
    copies: list[str] = field(default_factory=list)


@dataclass(slots=True)
class LangGroup:
    lang: str
    reports: list[ReportView]


@dataclass(slots=True)
class MatrixRow:
    """A fact of the matrix: its text in the reader's language where possible, and which reports carry it."""

    index: int
    text: str
    lang: str | None
    kind: str
    cells: list[str | None]  # per column: the sentence that states the fact there, or None
    support: int
    conflict: bool
    carriers: str = ""  # "3 outlets", or "2 reports" when the reports' outlets are not known


@dataclass(slots=True)
class StoryView:
    detail: StoryDetail
    story: Story
    coverage: Coverage | None
    groups: list[LangGroup]
    columns: list[Article]  # the matrix's columns: every original report, not only this page's
    matrix: list[MatrixRow]
    conflicts: list[Conflict]
    unique_by_source: dict[str, list[str]]
    timeline: Timeline | None
    languages: list[str]
    titles: dict[str, str]  # article id -> "source (lang)" for labels


def story_coverage(engine: Engine, story: Story, members: list[Article], lang: str) -> Coverage | None:
    """The story's fact comparison, or None while ``engine.coverage`` is missing or fails.

    The engine caches comparisons in the store by a key of the story's articles; the page reads
    that cache with the articles it already loaded, and asks the engine only on a miss.
    """
    method: Any = getattr(engine, "coverage", None)
    if method is None:
        return None
    try:
        cached = engine.store.get_coverage(story.id, lang, coverage_key(members, lang))
        if cached is not None:
            return Coverage.from_dict(cached)
        result = method(story.id, lang)
    except (AttributeError, NotImplementedError):
        return None
    except Exception:  # the page must render even when the comparison breaks on one story
        log.exception("coverage of story %s failed; showing the reports without it", story.id)
        return None
    return result if isinstance(result, Coverage) else None


def story_view(
    engine: Engine,
    story_id: str,
    lang: str,
    page: int,
    per_page: int,
    coverage_json: bool = True,
    default_lang: str | None = None,
) -> StoryView:
    """Everything the story page and ``/api/stories/{id}`` show (``NotFoundError`` for an unknown id).

    ``lang`` must be a validated reader language (the routes take only the configured ones).
    ``coverage_json=False`` leaves ``detail.coverage`` empty (the HTML page reads the objects).
    The language switch offers the story's own languages plus ``default_lang`` (the server's
    default reader language).
    """
    story, members = engine.story(story_id)
    originals = [a for a in members if a.duplicate_of is None] or members
    copies: dict[str, list[str]] = {}
    for a in members:
        if a.duplicate_of and a.source:
            copies.setdefault(a.duplicate_of, []).append(a.source)
    coverage = story_coverage(engine, story, members, lang)
    ordered = sorted(
        originals, key=lambda a: (a.lang or "~", a.published or datetime.max.replace(tzinfo=UTC))
    )
    shown = ordered[(page - 1) * per_page : page * per_page]
    has_next = len(ordered) > page * per_page

    fact_of: dict[str, dict[tuple[int, int], int]] = {}
    unique: dict[str, set[tuple[int, int]]] = {}
    conflicting: dict[str, set[tuple[int, int]]] = {}
    if coverage is not None:
        for i, fact in enumerate(coverage.facts):
            for ref in fact.sentences:
                fact_of.setdefault(ref.article, {})[(ref.start, ref.end)] = i
        for ref in coverage.unique if len(originals) > 1 else []:
            unique.setdefault(ref.article, set()).add((ref.start, ref.end))
        for conflict in coverage.conflicts:
            for side in conflict.sides:
                conflicting.setdefault(side.article, set()).add((side.start, side.end))
    groups: list[LangGroup] = []
    for a in shown:
        report = ReportView(
            a,
            story_paragraphs(a, fact_of.get(a.id, {}), unique.get(a.id, set()), conflicting.get(a.id, set())),
            copies.get(a.id, []),
        )
        if groups and groups[-1].lang == (a.lang or "?"):
            groups[-1].reports.append(report)
        else:
            groups.append(LangGroup(a.lang or "?", [report]))

    # the matrix compares every report, whichever page of reports is shown below it
    matrix = _matrix(coverage, ordered, lang) if coverage is not None else []
    headline, summary = _headline(coverage, originals, story, lang)
    timeline = build_timeline((a.lang, a.published) for a in originals)
    entities = _entities(engine, members)
    speakers = _speakers(engine, originals)
    languages = sorted({*story.languages, default_lang or lang})
    detail = StoryDetail(
        story=StoryPublic.of(story),
        reader_lang=lang,
        headline=headline,
        summary=[line.text for line in summary],
        summary_sentences=summary,
        coverage=coverage.to_dict() if coverage is not None and coverage_json else None,
        coverage_status="ok" if coverage is not None else "unavailable",
        articles=[ArticleSummary.of(a) for a in shown],
        entities=entities,
        speakers=speakers,
        timeline=[TimelineBucket(lang=b[0], start=b[1], count=b[2]) for b in timeline.buckets]
        if timeline
        else [],
        page=page,
        per_page=per_page,
        has_next=has_next,
    )
    return StoryView(
        detail=detail,
        story=story,
        coverage=coverage,
        groups=groups,
        columns=ordered,
        matrix=matrix,
        conflicts=coverage.conflicts if coverage is not None else [],
        unique_by_source={
            (UNKNOWN_OUTLET if k == "?" else k): [r.text for r in v]
            for k, v in coverage.unique_by_source().items()
        }
        if coverage is not None
        else {},
        timeline=timeline,
        languages=languages,
        titles={a.id: f"{a.source or UNKNOWN_OUTLET} ({a.lang or '?'})" for a in members},
    )


def _headline(
    coverage: Coverage | None, originals: list[Article], story: Story, lang: str
) -> tuple[str, list[SummarySentence]]:
    """The headline and summary sentences in the reader's language where a report has them
    (each sentence with its own language, so a page can mark those in another one)."""
    if coverage is not None and coverage.headline:
        return coverage.headline, [
            SummarySentence(text=s.text, lang=s.lang, article=s.article) for s in coverage.summary
        ]
    in_lang = [a for a in originals if a.lang == lang] or originals
    first = in_lang[0] if in_lang else None
    if first is None:
        return story.label, []
    lead = first.lead or " ".join(first.sentence_texts()[1:3])
    sentences = [SummarySentence(text=lead, lang=first.lang, article=first.id)] if lead else []
    return first.title or story.label, sentences


def _matrix(coverage: Coverage, columns: list[Article], lang: str) -> list[MatrixRow]:
    conflict_facts = {c.fact for c in coverage.conflicts if c.fact is not None}
    rows = []
    for i, fact in enumerate(coverage.facts[:MAX_MATRIX_FACTS]):
        by_article = {ref.article: ref.text for ref in fact.sentences}
        pick = next(
            (r for r in fact.sentences if r.lang == lang), fact.sentences[0] if fact.sentences else None
        )
        rows.append(
            MatrixRow(
                index=i,
                text=pick.text if pick else "",
                lang=pick.lang if pick else None,
                kind=fact.kind,
                cells=[by_article.get(a.id) for a in columns],
                support=fact.support,
                conflict=i in conflict_facts,
                carriers=_carriers(fact.sources, fact.articles),
            )
        )
    return rows


def _carriers(sources: list[str], articles: list[str]) -> str:
    """ "3 outlets" (copies included), or "2 reports" when the reports' outlets are not known."""
    count, word = (len(sources), "outlet") if sources else (len(articles), "report")
    return f"{count} {word}{'s' if count != 1 else ''}"


def _entities(engine: Engine, members: list[Article]) -> list[StoryEntity]:
    """The story's entities from its articles' mentions, most widely mentioned first."""
    counts: dict[str, dict[str, Any]] = {}
    for a in members:
        for m in a.mentions:
            if not m.entity_id:
                continue
            entry = counts.setdefault(
                m.entity_id, {"label": m.label, "mentions": 0, "articles": set(), "names": {}}
            )
            entry["mentions"] += 1
            entry["articles"].add(a.id)
            names = entry["names"].setdefault(a.lang or "?", [])
            if m.text not in names:
                names.append(m.text)
    top = sorted(counts, key=lambda k: (-len(counts[k]["articles"]), -counts[k]["mentions"], k))
    top = top[:MAX_STORY_ENTITIES]
    display = engine.store.entity_names(top)
    return [
        StoryEntity(
            id=k,
            name=display.get(k) or counts[k]["names"][next(iter(counts[k]["names"]))][0],
            label=counts[k]["label"],
            mentions=counts[k]["mentions"],
            articles=len(counts[k]["articles"]),
            names=counts[k]["names"],
        )
        for k in top
    ]


def _speakers(engine: Engine, originals: list[Article]) -> list[SpeakerGroup]:
    """Quotes grouped by speaker (the linked entity where there is one, else the name as written)."""
    groups: dict[str, SpeakerGroup] = {}
    ids = [q.speaker.entity_id for a in originals for q in a.quotes if q.speaker and q.speaker.entity_id]
    display = engine.store.entity_names(ids)
    for a in originals:
        for q in a.quotes:
            sp = q.speaker
            key = (sp.entity_id or sp.text) if sp else "?"
            name = (display.get(sp.entity_id or "") or sp.text) if sp else "unattributed"
            group = groups.setdefault(
                key, SpeakerGroup(speaker=name, entity_id=sp.entity_id if sp else None, quotes=[])
            )
            group.quotes.append(SpeakerQuote(article_id=a.id, text=q.text, source=a.source, lang=a.lang))
    return sorted(groups.values(), key=lambda g: (g.entity_id is None, -len(g.quotes), g.speaker))

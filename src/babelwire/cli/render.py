"""Terminal rendering of a story's coverage: headline, summary, fact matrix, unique claims, conflicts."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from babelwire.coverage import Coverage
from babelwire.model import Article, Story
from babelwire.store.base import EntitySummary, QuoteRow
from babelwire.store.codec import iso_utc

MAX_FACT_ROWS = 40


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def report_labels(members: list[Article]) -> dict[str, str]:
    """A short column label (R1, R2, ...) for each original report, oldest first."""
    originals = [a for a in members if a.duplicate_of is None]
    return {a.id: f"R{i}" for i, a in enumerate(originals, start=1)}


def story_json(
    story: Story,
    members: list[Article],
    coverage: Coverage | None,
    entities: list[EntitySummary],
    quotes: list[QuoteRow],
    story_row: dict[str, Any],
) -> dict[str, Any]:
    """The whole story view as JSON: summary, coverage, articles, quotes, entities, timeline.

    ``reports`` is the list of the story's articles (copies included), as it has been since the
    first version of this view (scripts read it); the count of original reports, ``reports`` in
    ``stories --json``, is ``report_count`` here.
    """
    groups: dict[str, dict[str, list[str]]] = {}
    for a in members:
        groups.setdefault(a.lang or "?", {}).setdefault(a.source or "?", []).append(a.id)
    data = dict(story_row)
    data["report_count"] = data.get("reports")
    data["reports"] = [
        {
            "id": a.id,
            "title": a.title,
            "source": a.source,
            "lang": a.lang,
            "url": a.url,
            "published": iso_utc(a.published),
            "duplicate_of": a.duplicate_of,
            "event_date": a.event_date,
        }
        for a in members
    ]
    data["coverage_by_language"] = groups
    data["timeline"] = [
        {"published": iso_utc(a.published), "lang": a.lang, "source": a.source, "article": a.id}
        for a in members
        if a.published is not None
    ]
    data["comparison"] = coverage.to_dict() if coverage is not None else None
    data["quotes"] = [
        {
            "speaker": q.speaker_name or q.speaker_text,
            "speaker_entity_id": q.speaker_entity_id,
            "text": q.text,
            "article": q.article_id,
            "start": q.start,
            "end": q.end,
            "cue": q.cue,
            "medium": q.medium,
            "source": q.source,
            "lang": q.lang,
        }
        for q in quotes
    ]
    data["entities"] = [
        {"id": e.id, "name": e.name, "type": e.label, "names": e.names, "articles": e.articles}
        for e in entities
    ]
    return data


def print_story(
    console: Console,
    story: Story,
    members: list[Article],
    coverage: Coverage | None,
    entities: list[EntitySummary],
    quotes: list[QuoteRow],
) -> None:
    """Print the story view."""
    headline = coverage.headline if coverage and coverage.headline else story.label
    console.print(f"[bold]{escape(headline)}[/bold]", highlight=False)
    console.print(escape(f"{story.id}: {story_line(story)}"), highlight=False, style="dim")
    labels = report_labels(members)
    if coverage is not None and coverage.summary:
        console.print("\n[bold]Summary[/bold]")
        for ref in coverage.summary:
            mark = f"[{ref.lang}] " if ref.lang and ref.lang != coverage.reader_lang else ""
            console.print(escape(f"  {mark}{ref.text}"), highlight=False)  # "[fr]" is no markup
    console.print("\n[bold]Reports[/bold]")
    # a title is shown whole: the line wraps anyway, and the title says what the report is
    for a in members:
        label = labels.get(a.id, "copy")
        copy = f" (copy of {labels.get(a.duplicate_of or '', a.duplicate_of)})" if a.duplicate_of else ""
        title = " ".join(a.title.split())
        console.print(
            f"  {label:>4}  {(iso_utc(a.published) or 'undated')[:16]}  {a.lang or '?'}  "
            f"{escape(a.source or 'outlet unknown')}: {escape(title)}{copy}  [dim]{a.id}[/dim]",
            highlight=False,
        )
    if coverage is None:
        return
    _print_matrix(console, coverage, labels)
    unique = coverage.unique_by_source()
    if unique:
        console.print("\n[bold]Only one report says[/bold]")
        for source, refs in sorted(unique.items()):
            heading = "outlet unknown" if source == "?" else source
            console.print(f"  [bold]{escape(heading)}[/bold]", highlight=False)
            for ref in refs:
                line = f"    {labels.get(ref.article, '')} {_short(ref.text, 110)}"
                console.print(line, markup=False, highlight=False)
    if coverage.conflicts:
        console.print("\n[bold red]Conflicts[/bold red]")
        for conflict in coverage.conflicts:
            console.print(f"  [bold]{escape(conflict.heading)}[/bold]", highlight=False)
            for side in conflict.sides:
                console.print(
                    f"    {side.value!s:>12}  {side.source or 'outlet unknown'} ({side.lang or '?'}): "
                    f"{_short(side.text, 90)}",
                    markup=False,
                    highlight=False,
                )
    _print_quotes(console, coverage, quotes)
    if entities:
        console.print("\n[bold]Entities[/bold]")
        console.print(
            "  " + "; ".join(f"{e.name} ({e.label}, {e.articles})" for e in entities[:25]),
            markup=False,
            highlight=False,
        )


def story_line(story: Story) -> str:
    """ "3 reports (4 with copies) in en, sv from 2 outlets: A, B", without what is not known."""
    reports = f"{story.reports} report{'s' if story.reports != 1 else ''}"
    if story.size > story.reports:
        reports += f" ({story.size} with copies)"
    langs = f" in {', '.join(story.languages)}" if story.languages else ""
    if story.sources:
        count = len(story.sources)
        outlets = f" from {count} outlet{'s' if count != 1 else ''}: {', '.join(story.sources)}"
    else:
        outlets = " (outlets unknown)"
    return reports + langs + outlets


def _print_matrix(console: Console, coverage: Coverage, labels: dict[str, str]) -> None:
    facts = [f for f in coverage.facts if len(f.articles) > 1]
    if not facts:
        return
    legend = "● = the report states it" + ("; ≠ = the reports disagree on it" if coverage.conflicts else "")
    console.print(f"\n[bold]Shared facts[/bold] ({len(facts)}; {legend})")
    columns = list(labels.values())
    table = Table("fact", *columns, box=None, header_style="bold", show_edge=False)
    conflicted = {c.fact for c in coverage.conflicts if c.fact is not None}
    for index, fact in enumerate(coverage.facts):
        if len(fact.articles) < 2 or index >= MAX_FACT_ROWS:
            continue
        carried = {labels.get(a) for a in fact.articles}
        first = fact.sentences[0]
        flag = "[red]≠[/red] " if index in conflicted else ""
        kind = "quote: " if fact.kind == "quote" else ""
        table.add_row(
            f"{flag}{kind}{escape(_short(first.text, 60))}", *["●" if c in carried else "·" for c in columns]
        )
    console.print(table)


def _print_quotes(console: Console, coverage: Coverage, quotes: list[QuoteRow]) -> None:
    if not quotes:
        return
    console.print("\n[bold]Quotes by speaker[/bold]")
    by_speaker: dict[str, list[QuoteRow]] = {}
    for q in quotes:
        by_speaker.setdefault(q.speaker_name or q.speaker_text or "unattributed", []).append(q)
    different = {s.speaker for s in coverage.speakers}
    for speaker, rows in sorted(by_speaker.items(), key=lambda kv: -len(kv[1])):
        note = " [dim](different words in different reports)[/dim]" if speaker in different else ""
        console.print(f"  [bold]{escape(speaker)}[/bold]{note}", highlight=False)
        for q in rows:
            medium = f" to {q.medium}" if q.medium else ""
            console.print(
                escape(f"    “{_short(q.text, 100)}” — {q.source or 'outlet unknown'} ({q.lang}){medium}"),
                highlight=False,
            )


def print_comparison(console: Console, coverage: Coverage, names: dict[str, str]) -> None:
    """Print a direct comparison of articles (``babelwire compare``).

    ``names`` maps each article id to how it is described ("id (outlet, lang)"); the articles are
    then called A, B, ... on every line, so that long ids or paths are written once.
    """
    marks = {article: chr(ord("A") + i) for i, article in enumerate(names)}

    def who(article: str) -> str:
        return marks.get(article, article)

    for article, mark in marks.items():
        console.print(escape(f"{mark} = {names[article]}"), highlight=False, style="dim", soft_wrap=True)
    if coverage.headline:
        console.print(escape(coverage.headline), style="bold", highlight=False)
    for ref in coverage.summary:
        mark = f"[{ref.lang}] " if ref.lang and ref.lang != coverage.reader_lang else ""
        console.print(escape(f"  {mark}{ref.text}"), highlight=False)
    shared = [f for f in coverage.facts if len(f.articles) > 1]
    console.print(f"\n[bold]Shared facts[/bold] ({len(shared)})")
    for fact in shared:
        for ref in fact.sentences:
            console.print(escape(f"  {who(ref.article)}: {_short(ref.text, 110)}"), highlight=False)
        console.print("")
    console.print(f"[bold]Unique claims[/bold] ({len(coverage.unique)})")
    for ref in coverage.unique:
        console.print(escape(f"  {who(ref.article)}: {_short(ref.text, 110)}"), highlight=False)
    console.print(f"\n[bold]Conflicts[/bold] ({len(coverage.conflicts)})")
    for conflict in coverage.conflicts:
        console.print(escape(f"  {conflict.heading}"), highlight=False)
        for side in conflict.sides:
            console.print(
                escape(f"    {side.value!s:>12}  {who(side.article)}: {_short(side.text, 90)}"),
                highlight=False,
            )
    if coverage.speakers:
        # one person quoted with different words: not one fact, and not a contradiction
        console.print("\n[bold]One speaker, different words[/bold]")
        for group in coverage.speakers:
            console.print(escape(f"  {group.speaker}"), highlight=False)
            for ref in group.quotes:
                console.print(escape(f"    {who(ref.article)}: {_short(ref.text, 110)}"), highlight=False)

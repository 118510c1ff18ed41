"""Cut an article's text into plain segments that carry marks (entity, quote, time, fact).

Templates render each segment as an escaped text node inside a tag chosen from its marks, so an
article's text is never interpreted as markup, whatever it contains. Offsets from the database
are treated as untrusted too: they are clipped to the text and empty or inverted ranges dropped.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from babelwire.model import Article

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(slots=True)
class Segment:
    """A run of text with the same marks."""

    text: str
    entity_id: str | None = None
    entity_label: str | None = None
    quote: bool = False
    timex: str | None = None  # the normalised value (TIMEX3)


@dataclass(slots=True)
class SentenceView:
    """One sentence on the story page, with the fact it belongs to (index into the fact list)."""

    text: str
    fact: int | None = None
    unique: bool = False
    conflict: bool = False


@dataclass(slots=True)
class ParagraphView:
    """A paragraph: segments (article page) or sentences (story page)."""

    segments: list[Segment] = field(default_factory=list)
    sentences: list[SentenceView] = field(default_factory=list)


def _clip(start: int, end: int, size: int) -> tuple[int, int] | None:
    start, end = max(0, min(start, size)), max(0, min(end, size))
    return (start, end) if end > start else None


def paragraph_ranges(article: Article) -> list[tuple[int, int]]:
    """The paragraphs' character ranges (blank-line splits when the pipeline recorded none)."""
    size = len(article.text)
    ranges = [r for p in article.paragraphs if (r := _clip(p.start, p.end, size))]
    if ranges:
        return sorted(ranges)
    out = []
    pos = 0
    for match in re.finditer(r"\n\s*\n", article.text):
        if match.start() > pos:
            out.append((pos, match.start()))
        pos = match.end()
    if pos < size:
        out.append((pos, size))
    return out


def article_paragraphs(article: Article) -> list[ParagraphView]:
    """The article's text as paragraphs of segments marked with entities, quotes and time expressions."""
    text = article.text
    size = len(text)
    mentions = [(r, m.entity_id, m.label) for m in article.mentions if (r := _clip(m.start, m.end, size))]
    quotes = [r for q in article.quotes if (r := _clip(q.start, q.end, size))]
    timexes = [(r, t.value) for t in article.timexes if (r := _clip(t.start, t.end, size))]
    cuts = {0, size}
    for (s, e), *_ in mentions:
        cuts.update((s, e))
    for s, e in quotes:
        cuts.update((s, e))
    for (s, e), _ in timexes:
        cuts.update((s, e))
    paragraphs = paragraph_ranges(article)
    for s, e in paragraphs:
        cuts.update((s, e))
    points = sorted(cuts)
    out: list[ParagraphView] = []
    for p_start, p_end in paragraphs:
        para = ParagraphView()
        first = bisect.bisect_left(points, p_start)
        last = bisect.bisect_right(points, p_end)
        for a, b in itertools.pairwise(points[first:last]):
            seg = Segment(text[a:b])
            for (s, e), entity_id, label in mentions:
                if s <= a and b <= e:
                    seg.entity_id, seg.entity_label = entity_id, label
                    break
            seg.quote = any(s <= a and b <= e for s, e in quotes)
            seg.timex = next((v for (s, e), v in timexes if s <= a and b <= e), None)
            para.segments.append(seg)
        if para.segments:
            out.append(para)
    return out


def story_paragraphs(
    article: Article,
    fact_of: dict[tuple[int, int], int],
    unique: set[tuple[int, int]],
    conflicts: set[tuple[int, int]],
) -> list[ParagraphView]:
    """An article's sentences by paragraph, each with its fact index and unique/conflict flags.

    ``fact_of``, ``unique`` and ``conflicts`` are keyed by the sentence's (start, end) in this article.
    """
    size = len(article.text)
    sentences = sorted(
        (r, s.paragraph) for s in article.sentences if (r := _clip(s.start, s.end, size)) is not None
    )
    if not sentences:
        return [
            ParagraphView(sentences=[SentenceView(article.text[s:e])]) for s, e in paragraph_ranges(article)
        ]
    out: list[ParagraphView] = []
    current: int | None = None
    for (start, end), paragraph in sentences:
        if paragraph != current or not out:
            out.append(ParagraphView())
            current = paragraph
        out[-1].sentences.append(
            SentenceView(
                article.text[start:end],
                fact=fact_of.get((start, end)),
                unique=(start, end) in unique,
                conflict=(start, end) in conflicts,
            )
        )
    return out


def snippet(text: str, query: str, width: int = 220) -> str:
    """About ``width`` characters of ``text`` around the first word of ``query`` found in it."""
    text = " ".join(text.split())
    lowered = text.casefold()
    at = -1
    for word in _WORD.findall(query.casefold()):
        if len(word) > 2 and (at := lowered.find(word)) >= 0:
            break
    if at < 0:
        return text[:width] + ("…" if len(text) > width else "")
    start = max(0, at - width // 3)
    piece = text[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")

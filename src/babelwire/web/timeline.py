"""A story's timeline: reports per language per time bucket, laid out as a server-side SVG chart.

The chart has one row per language and a dot per bucket whose area grows with the number of
reports; the template draws it with plain SVG elements (no script, no external library).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

#: Bucket sizes to choose from, smallest first: the first that gives at most ``MAX_BUCKETS`` wins.
BUCKETS = (
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
    timedelta(days=1),
    timedelta(days=7),
    timedelta(days=30),
)
MAX_BUCKETS = 48
WIDTH = 900
ROW = 30
LEFT = 44
RIGHT = 16
TOP = 8
AXIS = 26


@dataclass(slots=True)
class Dot:
    x: float
    y: float
    r: float
    count: int
    title: str


@dataclass(slots=True)
class Row:
    lang: str
    y: float
    dots: list[Dot] = field(default_factory=list)


@dataclass(slots=True)
class Tick:
    x: float
    label: str


@dataclass(slots=True)
class Timeline:
    """Buckets (lang, start, count) and the chart geometry derived from them."""

    bucket: timedelta
    buckets: list[tuple[str, datetime, int]]
    rows: list[Row]
    ticks: list[Tick]
    width: int = WIDTH
    height: int = 0
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT

    @property
    def bucket_label(self) -> str:
        """The bucket size in words ("3 hours", "1 day")."""
        hours = int(self.bucket.total_seconds() // 3600)
        if hours < 24:
            return f"{hours} hour{'s' if hours != 1 else ''}"
        days = hours // 24
        return f"{days} day{'s' if days != 1 else ''}"


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _floor(dt: datetime, bucket: timedelta) -> datetime:
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    seconds = bucket.total_seconds()
    return epoch + timedelta(seconds=math.floor((dt - epoch).total_seconds() / seconds) * seconds)


def build_timeline(reports: Iterable[tuple[str | None, datetime | None]]) -> Timeline | None:
    """The timeline of (language, published) pairs; None when no report has a date."""
    dated = [(lang or "?", _utc(when)) for lang, when in reports if when is not None]
    if not dated:
        return None
    first = min(w for _, w in dated)
    last = max(w for _, w in dated)
    bucket = BUCKETS[-1]
    for size in BUCKETS:
        if (last - first) / size < MAX_BUCKETS:
            bucket = size
            break
    counts = Counter((lang, _floor(when, bucket)) for lang, when in dated)
    per_lang = Counter(lang for lang, _ in dated)
    langs = sorted(per_lang, key=lambda k: (-per_lang[k], k))
    start = _floor(first, bucket)
    end = _floor(last, bucket) + bucket
    span = (end - start).total_seconds()
    plot = WIDTH - LEFT - RIGHT
    biggest = max(counts.values())

    def x_of(when: datetime) -> float:
        return round(LEFT + plot * (when - start).total_seconds() / span, 1)

    rows = []
    for i, lang in enumerate(langs):
        row = Row(lang, TOP + ROW * i + ROW / 2)
        for (l2, at), n in sorted(counts.items(), key=lambda kv: kv[0][1]):
            if l2 != lang:
                continue
            radius = round(3 + 8 * math.sqrt(n / biggest), 1)
            label = f"{lang}: {n} report{'s' if n != 1 else ''} from {at:%Y-%m-%d %H:%M} UTC"
            row.dots.append(Dot(x_of(at + bucket / 2), row.y, radius, n, label))
        rows.append(row)
    height = TOP + ROW * len(langs) + AXIS
    steps = max(1, min(5, round(span / bucket.total_seconds())))
    ticks = []
    for k in range(steps + 1):
        at = start + (end - start) * k / steps
        fmt = "%d %b %H:%M" if bucket < timedelta(days=1) else "%d %b"
        ticks.append(Tick(x_of(at), at.strftime(fmt)))
    buckets = sorted(((lang, at, n) for (lang, at), n in counts.items()), key=lambda b: (b[1], b[0]))
    return Timeline(bucket, buckets, rows, ticks, height=int(height))

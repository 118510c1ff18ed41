"""Quantities and dates read from sentences in the five main languages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from babelwire.coverage.conflicts import _number_gap
from babelwire.coverage.dates import dates_differ, extract_dates
from babelwire.coverage.numbers import extract_quantities


def _values(text: str, lang: str) -> list[str]:
    return [q.display for q in extract_quantities(text, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("A magnitude 6.1 earthquake killed at least seven people.", "en", ["6.1", ">7"]),
        ("Ein Erdbeben der Stärke 6,1 tötete mindestens neun Menschen.", "de", ["6.1", ">9"]),
        ("Skalvet hade magnituden 6,2 och ett sextiotal personer skadades.", "sv", ["6.2", "~60"]),
        ("Some 1,500 hectares have burned.", "en", ["~1500 ha"]),
        ("Ha calcinado ya unas 1.200 hectáreas.", "es", ["~1200 ha"]),
        ("Quelque 1 300 hectares étaient partis en fumée.", "fr", ["~1300 ha"]),
        ("The ransom was €40 million.", "en", ["EUR 40 million"]),
        ("Die Kosten werden auf 2,4 Milliarden Euro geschätzt.", "de", ["EUR 2.4 billion"]),
        ("Helvetia will pay SEK 298 per share, a premium of 45%.", "en", ["SEK 298", "45%"]),
        ("Kyiv says thousands of children were deported.", "en", ["1000 (vague)"]),
        ("Une vingtaine de porte-conteneurs attendaient.", "fr", ["~20"]),
        ("Ett 30-tal vagnar hamnade utanför spåret.", "sv", ["~30"]),
        ("The 17th-century abbey lost works of the 19e siècle.", "en", []),
        ("Verdi wants a 12-month deal after a strike of two days.", "en", ["12 mo", "2 d"]),
        ("Två dagars strejk och åtta procents löneökning.", "sv", ["2 d", "8%"]),
        ("It struck 40 km (25 miles) off Valderhavn.", "en", ["40 km", "25 mi"]),  # not a count of 25
        ("Miles de vecinos huyeron a 25 millas de la costa.", "es", ["1000 (vague)", "25 mi"]),
    ],
)
def test_quantities(text: str, lang: str, expected: list[str]) -> None:
    assert _values(text, lang) == expected


def test_vague_counts_of_one_order_agree() -> None:
    (tens,) = extract_quantities("El sismo dejó decenas de heridos.", "es")
    (dozens,) = extract_quantities("Dutzende wurden verletzt.", "de")
    (hundreds,) = extract_quantities("Hundreds were injured.", "en")
    assert _number_gap(tens, dozens) == float("inf")  # "tens" and "dozens": the same order, no conflict
    assert _number_gap(dozens, hundreds) < float("inf")  # "dozens" against "hundreds" is one


def test_years_and_clock_times_are_not_quantities() -> None:
    assert _values("In 1986 the quake hit at 4:17 a.m. local time.", "en") == []


def test_dates_in_each_language() -> None:
    published = datetime(2026, 10, 16, 9, 0, tzinfo=UTC)  # a Friday
    assert [d.value for d in extract_dates("The next round is scheduled for Oct. 27.", published)] == [
        "2026-10-27"
    ]
    assert [d.value for d in extract_dates("Die nächste ist für den 28. Oktober geplant.", published)] == [
        "2026-10-28"
    ]
    assert [d.value for d in extract_dates("Les négociations reprendront le 27 octobre.", published)] == [
        "2026-10-27"
    ]
    assert [d.value for d in extract_dates("The warrant was issued in March 2023.", published)] == ["2023-03"]
    assert [d.value for d in extract_dates("Banan väntas öppna igen på måndag.", published)] == ["2026-10-19"]


def test_clock_times_across_zones_compare_minutes() -> None:
    published = datetime(2026, 10, 27, 22, 0, tzinfo=UTC)
    (local,) = extract_dates("Raketen lyfte kl. 19.42.", published)
    (gmt,) = extract_dates("It lifted off at 18:45 GMT.", published)
    (same,) = extract_dates("It lifted off at 18:42 GMT.", published)
    assert dates_differ(local, gmt)
    assert not dates_differ(local, same)


def test_loosely_told_clock_times_agree_with_close_ones() -> None:
    published = datetime(2026, 10, 29, 23, 59, tzinfo=UTC)
    (hour,) = extract_dates("Olyckan inträffade strax efter klockan 19.00 norr om Kiruna.", published)
    (exact,) = extract_dates("Der Zug entgleiste um 19.10 Uhr.", published)
    (later,) = extract_dates("The train left the rails at 19:35.", published)
    (around,) = extract_dates("La collision s'est produite vers 23.15.", published)
    (close,) = extract_dates("The ship hit the barge at 23:31.", published)
    assert hour.approx and not exact.approx and around.approx
    assert not dates_differ(hour, exact)  # "shortly after 7 pm" and 19:10 tell one moment
    assert dates_differ(hour, later)  # 35 minutes apart is a disagreement
    assert dates_differ(exact, later)
    assert not dates_differ(around, close)  # 'vers 23.15' and 23:31 are 16 minutes apart
    (precise_a,) = extract_dates("Raketen lyfte kl. 19.42.", published)
    (precise_b,) = extract_dates("The rocket lifted off at 19:45.", published)
    assert dates_differ(precise_a, precise_b)  # two exact times still disagree by three minutes

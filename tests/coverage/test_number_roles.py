"""What a number counts: roles (on board, crew, dead, injured ...), injury severity and the conflict label."""

from __future__ import annotations

import json

import numpy as np
import pytest
from rich.console import Console

from babelwire.cli.render import print_comparison
from babelwire.coverage import DEFAULT_PARAMS, Conflict, ConflictSide, Coverage, UnitFeatures, alignment_score
from babelwire.coverage.align import signal_matrices
from babelwire.coverage.conflicts import _number_gap, _same_number, find_conflicts
from babelwire.coverage.numbers import Quantity, extract_quantities
from babelwire.coverage.units import Unit, article_units
from babelwire.model import Article, Sentence


def _units(texts: list[tuple[str, str]]) -> list[Unit]:
    """One single-sentence report per (text, language)."""
    units: list[Unit] = []
    for i, (text, lang) in enumerate(texts):
        article = Article(id=f"r{i}", text=text, lang=lang, sentences=[Sentence(0, len(text), 0)])
        units += article_units(article, len(units))
    return units


def _number_conflicts(texts: list[tuple[str, str]]) -> list[tuple[str, set[str]]]:
    """Number conflicts between single-sentence reports that all align closely."""
    units = _units(texts)
    scores = np.full((len(units), len(units)), 0.05, dtype=np.float32)
    found = find_conflicts(units, scores, DEFAULT_PARAMS, [])
    return [(c.what, {s.value for s in c.sides}) for c in found if c.kind == "number"]


def _quantity(text: str, lang: str, display: str) -> Quantity:
    (found,) = [q for q in extract_quantities(text, lang) if q.display == display]
    return found


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("The coach was carrying 48 passengers when it left the road.", "en", [("48", "on board")]),
        ("Some 30 people were aboard the small plane.", "en", [("~30", "on board")]),
        (
            "Ombord på tåget fanns 214 resenärer och sju anställda ur besättningen.",
            "sv",
            [("214", "on board"), ("7", "crew")],
        ),
        (
            "Färjan hade 312 passagerare och 27 besättningsmedlemmar.",
            "sv",
            [("312", "on board"), ("27", "crew")],
        ),
        ("Der Zug hatte 180 Fahrgäste an Bord, darunter eine Schulklasse.", "de", [("180", "on board")]),
        (
            "Das Schiff war mit 95 Passagieren und 22 Besatzungsmitgliedern unterwegs.",
            "de",
            [("95", "on board"), ("22", "crew")],
        ),
        (
            "Le ferry transportait 410 passagers et 35 membres d'équipage.",
            "fr",
            [("410", "on board"), ("35", "crew")],
        ),
        ("Il y avait 60 personnes à bord de l'avion.", "fr", [("60", "on board")]),
        ("El autobús llevaba 52 pasajeros cuando volcó.", "es", [("52", "on board")]),
        ("En el barco viajaban 18 tripulantes.", "es", [("18", "crew")]),
        # a count of injured passengers is a count of injured
        ("Eleven passengers were injured when the train braked.", "en", [("11", "injured")]),
        ("Elf Passagiere wurden verletzt.", "de", [("11", "injured")]),
    ],
)
def test_roles_of_people_on_board(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    assert [(q.display, q.role) for q in extract_quantities(text, lang)] == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Four people were injured, two of them seriously.",
            "en",
            [("4", "injured", ""), ("2", "injured", "serious")],
        ),
        ("Three hikers suffered minor injuries.", "en", [("3", "injured", "minor")]),
        (
            "Sex personer skadades, varav tre allvarligt.",
            "sv",
            [("6", "injured", ""), ("3", "injured", "serious")],
        ),
        ("Två resenärer fick lindriga skador.", "sv", [("2", "injured", "minor")]),
        (
            "Zwei Menschen wurden schwer verletzt, fünf leicht.",
            "de",
            [("2", "injured", "serious"), ("5", "injured", "minor")],
        ),
        ("Acht Menschen wurden verletzt, die meisten leicht.", "de", [("8", "injured", "")]),
        (
            "Trois blessés graves et sept blessés légers ont été transportés à l'hôpital.",
            "fr",
            [("3", "injured", "serious"), ("7", "injured", "minor")],
        ),
        ("Deux personnes ont été grièvement blessées.", "fr", [("2", "injured", "serious")]),
        ("Cuatro personas sufrieron heridas leves.", "es", [("4", "injured", "minor")]),
        ("Dos heridos graves fueron trasladados al hospital.", "es", [("2", "injured", "serious")]),
    ],
)
def test_severity_of_the_injured(text: str, lang: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(q.display, q.role, q.severity) for q in extract_quantities(text, lang)] == expected


@pytest.mark.parametrize(
    ("on_board", "injured"),
    [
        (("Nineteen Danes were on board the coach.", "en"), ("Police said eight people were injured.", "en")),
        (("Ombord fanns 19 danskar.", "sv"), ("Polisen uppger att åtta personer skadades.", "sv")),
        (("An Bord waren 19 Dänen.", "de"), ("Acht Menschen wurden verletzt.", "de")),
        (("Dix-neuf Danois se trouvaient à bord.", "fr"), ("Huit personnes ont été blessées.", "fr")),
        (("A bordo viajaban 19 daneses.", "es"), ("Ocho personas resultaron heridas.", "es")),
    ],
)
def test_counts_of_different_roles_do_not_conflict(
    on_board: tuple[str, str], injured: tuple[str, str]
) -> None:
    assert _number_conflicts([on_board, injured]) == []
    people = _quantity(*on_board, "19")
    hurt = _quantity(*injured, "8")
    assert (people.role, hurt.role) == ("on board", "injured")
    assert _number_gap(people, hurt) == float("inf") and not _same_number(people, hurt)


SERIOUS_MINOR = [
    (("Two of the climbers were seriously injured.", "en"), ("Två klättrare fick lindriga skador.", "sv")),
    (("Zwei Kletterer wurden schwer verletzt.", "de"), ("Two climbers suffered minor injuries.", "en")),
    (
        ("Deux alpinistes ont été grièvement blessés.", "fr"),
        ("Dos escaladores sufrieron heridas leves.", "es"),
    ),
    (("Två klättrare skadades allvarligt.", "sv"), ("Zwei Kletterer wurden leicht verletzt.", "de")),
]


@pytest.mark.parametrize(("serious", "minor"), SERIOUS_MINOR)
def test_serious_and_minor_injuries_neither_agree_nor_conflict(
    serious: tuple[str, str], minor: tuple[str, str]
) -> None:
    a, b = _quantity(*serious, "2"), _quantity(*minor, "2")
    assert (a.severity, b.severity) == ("serious", "minor")
    assert not _same_number(a, b) and _number_gap(a, b) == float("inf")
    # and against another count of one severity they are no conflict either
    assert _number_conflicts([serious, ("Three climbers suffered minor injuries.", "en")]) == []


@pytest.mark.parametrize(("serious", "minor"), SERIOUS_MINOR)
def test_serious_and_minor_injuries_share_no_number_in_the_alignment_score(
    serious: tuple[str, str], minor: tuple[str, str]
) -> None:
    units = _units([serious, minor, ("Two climbers were injured.", "en")])
    feats = [UnitFeatures.of(u) for u in units]
    vecs = np.eye(3, dtype=np.float32)
    signals = signal_matrices(vecs, vecs, feats, feats)
    assert signals.numbers[0, 1] == 0.0  # "two seriously injured" and "two with minor injuries"
    assert signals.numbers[0, 2] == 1.0 and signals.numbers[1, 2] == 1.0  # severity unknown: may be them
    params = DEFAULT_PARAMS
    with_bonus = alignment_score(vecs[0], vecs[2], feats[0], feats[2], params)
    without = alignment_score(vecs[0], vecs[1], feats[0], feats[1], params)
    assert with_bonus - without == pytest.approx(params.w_numbers)


def test_two_dead_and_two_injured_share_no_number() -> None:
    units = _units([("Two people were killed in the fire.", "en"), ("Zwei Menschen wurden verletzt.", "de")])
    feats = [UnitFeatures.of(u) for u in units]
    vecs = np.eye(2, dtype=np.float32)
    assert signal_matrices(vecs, vecs, feats, feats).numbers[0, 1] == 0.0


@pytest.mark.parametrize(
    ("texts", "what", "values"),
    [
        (
            [
                ("The landslide killed 12 people, officials said.", "en"),
                ("Jordskredet dödade 14 personer.", "sv"),
            ],
            "dead",
            {"12", "14"},
        ),
        (
            [
                ("Bei dem Erdrutsch kamen 12 Menschen ums Leben.", "de"),
                ("El deslizamiento causó la muerte de 14 personas.", "es"),
            ],
            "dead",
            {"12", "14"},
        ),
        (
            [
                ("Three people were seriously injured.", "en"),
                ("Quatre personnes ont été grièvement blessées.", "fr"),
            ],
            "injured (serious)",
            {"3", "4"},
        ),
        (
            [("The ferry carried 300 passengers.", "en"), ("Le ferry transportait 340 passagers.", "fr")],
            "on board",
            {"300", "340"},
        ),
        (
            [("The bridge will cost €40 million.", "en"), ("Die Brücke kostet 45 Millionen Euro.", "de")],
            "money",
            {"EUR 40 million", "EUR 45 million"},
        ),
        (
            [("Turnout rose to 61% this year.", "en"), ("Valdeltagandet steg till 64 procent i år.", "sv")],
            "%",
            {"61%", "64%"},
        ),
        (
            [("The pipeline is 120 km long.", "en"), ("La tubería mide 150 km.", "es")],
            "km",
            {"120 km", "150 km"},
        ),
        ([("The council met 12 times.", "en"), ("Der Rat tagte 14 Mal.", "de")], "", {"12", "14"}),
    ],
)
def test_a_number_conflict_says_what_is_disputed(
    texts: list[tuple[str, str]], what: str, values: set[str]
) -> None:
    assert _number_conflicts(texts) == [(what, values)]


def test_an_unknown_severity_still_conflicts_and_the_label_keeps_the_shared_role() -> None:
    found = _number_conflicts(
        [
            ("Nine people were injured, police said.", "en"),
            ("Zwölf Menschen wurden verletzt, zwei schwer.", "de"),
        ]
    )
    assert found == [("injured", {"9", "12"})]


def _coverage_with_conflict() -> Coverage:
    sides = [
        ConflictSide("a", 0, 40, "The landslide killed 12 people, officials said.", "12", "Gazette", "en"),
        ConflictSide("b", 0, 32, "Jordskredet dödade 14 personer.", "14", "Posten", "sv"),
    ]
    return Coverage(conflicts=[Conflict("number", sides, None, "dead"), Conflict("date", sides, None)])


def test_the_json_keeps_its_stable_fields_and_adds_what() -> None:
    data = json.loads(json.dumps(_coverage_with_conflict().to_dict()))
    number, date = data["conflicts"]
    assert {"kind", "sides"} <= set(number) and number["kind"] == "number" and number["what"] == "dead"
    assert date["what"] == ""
    for side in number["sides"]:
        assert {"article", "start", "end", "text", "value"} <= set(side)
    back = Coverage.from_dict(data)
    assert [c.what for c in back.conflicts] == ["dead", ""]
    del data["conflicts"][0]["what"]  # a cache written before the label
    assert Coverage.from_dict(data).conflicts[0].what == ""


def test_compare_text_names_what_is_disputed() -> None:
    console = Console(record=True, width=200)
    print_comparison(console, _coverage_with_conflict(), {"a": "a (Gazette, en)", "b": "b (Posten, sv)"})
    text = console.export_text()
    assert "  number: dead\n" in text
    assert "  date\n" in text  # no label: the kind alone


def test_a_value_of_unknown_role_does_not_chain_serious_and_minor_injuries() -> None:
    # "two climbers" agrees with both twos; through it the minor injuries joined the serious ones' conflict
    units = _units(
        [
            ("Two climbers were seriously injured.", "en"),
            ("Two climbers came down the north face.", "en"),
            ("Två klättrare fick lindriga skador.", "sv"),
            ("Drei Kletterer wurden schwer verletzt.", "de"),
        ]
    )
    scores = np.full((4, 4), 0.05, dtype=np.float32)
    (conflict,) = [c for c in find_conflicts(units, scores, DEFAULT_PARAMS, []) if c.kind == "number"]
    assert sorted(units[s.unit].article for s in conflict.sides) == ["r0", "r1", "r3"]
    assert conflict.what == "injured (serious)"


def test_a_unit_labels_before_a_role_and_a_still_life_is_no_death() -> None:
    assert _number_conflicts(
        [
            ("Some 900 hectares burned and 300 people were evacuated.", "en"),
            ("Il a brûlé 1 200 hectares.", "fr"),
        ]
    ) == [("ha", {"~900 ha", "1200 ha"})]
    (three, two) = extract_quantities("Les trois toiles, dont deux natures mortes, ont été volées.", "fr")
    assert (three.role, two.role) == ("", "")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Drei Tote und 12 Verletzte meldete die Polizei in Vellmar.",
            "de",
            [("3", "dead"), ("12", "injured")],
        ),
        ("The blast killed 12 people and injured 30 in Harwick.", "en", [("12", "dead"), ("30", "injured")]),
        ("At least 12 people were killed and 30 injured.", "en", [(">12", "dead"), ("30", "injured")]),
        ("Siete muertos y 20 heridos dejó el choque en Lérida.", "es", [("7", "dead"), ("20", "injured")]),
        ("Sju döda och 20 skadade efter bussolyckan.", "sv", [("7", "dead"), ("20", "injured")]),
        (
            "Bei dem Unfall starben zwei Menschen, neun wurden verletzt.",
            "de",
            [("2", "dead"), ("9", "injured")],
        ),
    ],
)
def test_two_counts_in_one_sentence_each_take_the_role_next_to_them(
    text: str, lang: str, expected: list[tuple[str, str]]
) -> None:
    assert [(q.display, q.role) for q in extract_quantities(text, lang)] == expected


@pytest.mark.parametrize(
    ("text", "lang", "display"),
    [
        ("Le préjudice est estimé à 12 millions d'euros, selon la police.", "fr", "EUR 12 million"),
        ("Le préjudice dépasserait 10 millions d’euros.", "fr", "EUR 10 million"),
        ("El botín se estima en 10 millones de euros.", "es", "EUR 10 million"),
    ],
)
def test_millions_of_a_currency_keep_the_currency(text: str, lang: str, display: str) -> None:
    assert [q.display for q in extract_quantities(text, lang)] == [display]


def test_a_sum_of_money_is_no_count_of_people() -> None:
    # "skada" is both an injury and a damage in Swedish: a sum has no role
    (damage,) = extract_quantities("Skadan uppskattas till 12 miljoner kronor, enligt rederiet.", "sv")
    assert damage.unit == "SEK" and damage.role == ""

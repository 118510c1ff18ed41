"""People announced by their nationality (babelwire.nlp.nationality_names), English."""

from __future__ import annotations

import pytest

from babelwire.nlp.gazetteer import default_gazetteer
from babelwire.nlp.langdata import language_data
from babelwire.nlp.nationality_names import nationality_person_spans
from babelwire.nlp.recognizers import _common_word, recognize
from babelwire.nlp.spans import RawSpan

EN = language_data("en")


def people(text: str, spans: list[RawSpan] | None = None) -> list[str]:
    found = nationality_person_spans(text, spans or [], EN, default_gazetteer(), _common_word("en"))
    assert all(s.label == "PER" for s in found)
    return [text[s.start : s.end] for s in found]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Oyelaran beat Jamaican Shericka Dunbar by two tenths .", ["Shericka Dunbar"]),
        ("with Italy 's Alessia Fontana third .", ["Alessia Fontana"]),
        ("with Italy's Alessia Fontana third.", ["Alessia Fontana"]),  # a surname that is also a town
        (
            "ahead of Spaniard Pablo Ortiz Lagos and Belgian Wout Verhaegen .",
            ["Pablo Ortiz Lagos", "Wout Verhaegen"],
        ),
    ],
)
def test_a_nationality_announces_a_person(text: str, names: list[str]) -> None:
    assert people(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "German Finance Minister Theo Waigel said",  # a title after the nationality
        "the French Open final",
        "American Airlines said",  # an organisation word
        "Germany's Deutsche Bank said",
        "Britain's Royal Mail said",  # a common word
        "the Bank of England",
        "Lukas Brandtner of Austria",  # after the country: only what the recogniser found is re-typed
    ],
)
def test_other_names_after_a_nationality_are_left_alone(text: str) -> None:
    assert people(text) == []


def test_a_name_before_of_country_is_re_typed_only_where_found() -> None:
    text = "Halvarsen will play Lukas Brandtner of Austria on Saturday ."
    start = text.index("Lukas")
    assert people(text, [RawSpan(start, start + len("Lukas Brandtner"), "ORG")]) == ["Lukas Brandtner"]


def test_the_recogniser_applies_the_rule() -> None:
    text = "Jonsson finished ahead of Belgian Wout Verhaegen and Italy's Alessia Fontana."
    found = {(text[s.start : s.end], s.label) for s in recognize([text], "en")[0]}
    assert {("Wout Verhaegen", "PER"), ("Alessia Fontana", "PER")} <= found


def test_a_nationality_and_a_role_announce_a_person() -> None:
    assert people("a header from Nigerian defender Emeka Obi gave Alderton the win") == ["Emeka Obi"]

"""Names the neighbouring words announce where the recogniser found nothing (invented names).

Each rule has its positive cases next to the false positives it must not produce.
"""

from __future__ import annotations

from babelwire.nlp.context_names import apposition, context_spans, quoted_names
from babelwire.nlp.gazetteer import default_gazetteer
from babelwire.nlp.langdata import language_data
from babelwire.nlp.recognizers import recognize
from babelwire.nlp.spans import RawSpan


def spans(text: str, lang: str) -> dict[str, str]:
    """Surface → label of the cleaned recogniser spans of one text."""
    return {text[s.start : s.end]: s.label for s in recognize([text], lang)[0]}


def added(text: str, lang: str, found: list[tuple[str, str]] = ()) -> dict[str, str]:  # type: ignore[assignment]
    """What ``context_spans`` adds next to the given (surface, label) spans."""
    given = [RawSpan(text.index(s), text.index(s) + len(s), label) for s, label in found]
    out = context_spans(text, given, language_data(lang), default_gazetteer())
    return {text[s.start : s.end]: s.label for s in out}


def test_descriptor_before_an_unknown_name() -> None:
    text = "The rocket carried a weather craft from French company Quellborn. Its value was not disclosed."
    assert added(text, "en") == {"Quellborn": "ORG"}


def test_apposition_names_a_company_or_a_person() -> None:
    assert added("Tarvamalm, the mining company that owns the train, said little.", "en") == {
        "Tarvamalm": "ORG"
    }
    text = "Ove-Harald Brekkestad, a spokesman for the port operator, said the strike was costly."
    assert added(text, "en") == {"Ove-Harald Brekkestad": "PER"}


def test_apposition_needs_a_determiner_or_the_title_first() -> None:
    lang = language_data("en")
    assert apposition("Quellborn, the company said", 9, lang) == ("ORG", "company")
    assert apposition("Pia Lund, president of the board", 8, lang) == ("PER", "president")
    # a clause after the comma, not an apposition
    assert apposition("on 10th Nov, she detected a group of boats", 11, lang) is None
    # "the company's chief executive": the owner is skipped, the title decides
    assert apposition("Pia Lund, the company's chief executive, said", 8, lang) == ("PER", "chief executive")


def test_common_words_and_single_words_are_not_persons() -> None:
    # a sentence-initial common word before an apposition is no name
    assert added("However, the company said it would appeal.", "en") == {}
    assert added("Yesterday, a spokesman said the talks had ended.", "en") == {}
    # one word before a title may be a body or a place: no person from one word
    assert added("Quellborn, a spokesman said, would appeal.", "en") == {}
    # "insurance company CEOs": the plural of an acronym
    assert added("The rule angered insurance company CEOs across the state.", "en") == {}


def test_between_gives_the_other_sides_type() -> None:
    text = "Banan mellan Kiruna och Tjåkkavaara är nu avstängd."
    assert added(text, "sv", [("Kiruna", "LOC")]) == {"Tjåkkavaara": "LOC"}
    # a capitalised common word ("Riksgränsen" is also "the national border") counts here
    text = "Trafiken mellan Kiruna och Riksgränsen är avstängd."
    assert added(text, "sv", [("Kiruna", "LOC")]) == {"Riksgränsen": "LOC"}
    text = "Talks between Quellborn and Tarvamalm Shipping broke down."
    assert added(text, "en", [("Tarvamalm Shipping", "ORG")]) == {"Quellborn": "ORG"}
    # without "between", a coordination says nothing here
    assert added("Trafiken från Kiruna och Tjåkkavaara är avstängd.", "sv", [("Kiruna", "LOC")]) == {}


def test_quoted_names_after_an_article_are_misc() -> None:
    de = language_data("de")
    gaz = default_gazetteer()
    text = "Die „Moselperle Aurora“ war mit 90 Passagieren unterwegs."
    out = quoted_names(text, [], de)
    assert [(text[s.start : s.end], s.label) for s in out] == [("Moselperle Aurora", "MISC")]
    # one quoted noun where nouns are capitalised is a noun
    assert quoted_names("Er sprach von einem „Durchbruch“ in den Gesprächen.", [], de) == []
    en = language_data("en")
    text = 'Passengers boarded the "Nordic Quellstar" in the morning.'
    assert [text[s.start : s.end] for s in quoted_names(text, [], en)] == ["Nordic Quellstar"]
    # quoted common words and quotes after a verb are left alone
    assert quoted_names('He called it the "Big Four" of the market.', [], en) == []
    assert quoted_names('She said "Quellborn" twice.', [], en) == []
    assert context_spans("Die „Moselperle Aurora“ lag fest.", [], de, gaz) != []


def test_recognised_through_refine_in_english() -> None:
    text = (
        "Ove-Harald Brekkestad, a spokesman for the port operator, said the strike was costly. "
        "The rocket carried a weather craft from French company Quellborn."
    )
    found = spans(text, "en")
    assert found.get("Ove-Harald Brekkestad") == "PER"
    assert found.get("Quellborn") == "ORG"


def test_person_typed_as_organisation_before_a_title_apposition() -> None:
    text = "Rents fell again this month. Lucía Barandiarán, president of the tenants' union, said: “Enough.”"
    found = spans(text, "en")
    assert found.get("Lucía Barandiarán") == "PER"


def test_a_descriptor_followed_by_a_title_makes_a_person() -> None:
    lang = language_data("en")
    assert apposition("Pia Lund, a company director, said", 8, lang) == ("PER", "director")
    assert added("Ove Brekkestad, a company director, said the talks had failed.", "en") == {
        "Ove Brekkestad": "PER"
    }


def test_an_apposition_corrects_the_type_of_a_found_name() -> None:
    # the model's type gives way to what the apposition says; a person keeps its type
    text = "Il rappelle le naufrage du Quellhavet, un petit bateau touristique, en 2019."
    start = text.index("Quellhavet")
    out = recognize_refined(text, "fr", [RawSpan(start, start + len("Quellhavet"), "LOC")])
    assert out == {"Quellhavet": "MISC"}
    text = "said Lisa Brimmond, an attorney with Tarvagreen, an environmental group."
    start = text.index("Tarvagreen")
    out = recognize_refined(text, "en", [RawSpan(start, start + len("Tarvagreen"), "LOC")])
    assert out["Tarvagreen"] == "ORG"


def test_a_pipeline_named_after_its_descriptor_is_misc() -> None:
    text = "En 2023, le gazoduc Quellconnector avait été mis hors service."
    start = text.index("Quellconnector")
    assert recognize_refined(text, "fr", [RawSpan(start, start + 14, "PER")]) == {"Quellconnector": "MISC"}


def recognize_refined(text: str, lang: str, raw: list[RawSpan]) -> dict[str, str]:
    """Surface → label after ``refine`` of the given recogniser spans."""
    from babelwire.nlp.recognizers import refine

    out = refine(text, raw, language_data(lang), default_gazetteer())
    return {text[s.start : s.end]: s.label for s in out}


def test_facilities_are_places() -> None:
    # CoNLL conventions: a space centre, an airport, a launch base are places
    text = "The rocket lifted off from the Tarvaset Space Center in the north on Tuesday."
    start = text.index("Tarvaset")
    span = RawSpan(start, start + len("Tarvaset Space Center"), "ORG")
    assert recognize_refined(text, "en", [span]) == {"Tarvaset Space Center": "LOC"}
    # a lower-case descriptor inside the model's span is cut off and gives the type
    text = "La fusée a décollé depuis la base d'Tarvaset, dans le nord."
    start = text.index("base")
    span = RawSpan(start, text.index(",", start), "ORG")
    assert recognize_refined(text, "fr", [span]) == {"Tarvaset": "LOC"}

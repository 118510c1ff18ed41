"""Names that capitalisation hides or that run into their neighbours (invented names).

German bodies named with a capitalised adjective, names defined by an acronym, employers joined
to a role by a hyphen, street names, "the X area", a body run into a person, a known longer name
over a model's shorter span. Each rule has its positive cases next to what it must not do.
"""

from __future__ import annotations

from babelwire.nlp.body_names import body_spans, defined_name_spans
from babelwire.nlp.extra_spans import employer_prefix_spans, lower_case_spans
from babelwire.nlp.gazetteer import default_gazetteer
from babelwire.nlp.langdata import language_data
from babelwire.nlp.recognizers import recognize, refine
from babelwire.nlp.spans import RawSpan


def surfaces(text: str, spans: list[RawSpan]) -> dict[str, str]:
    return {text[s.start : s.end]: s.label for s in spans}


def bodies(text: str) -> dict[str, str]:
    return surfaces(text, body_spans(text, language_data("de"), default_gazetteer()))


def refined(text: str, lang: str, raw: list[tuple[str, str]]) -> dict[str, str]:
    """Surface → label after ``refine`` of the given (surface, label) recogniser spans."""
    given = [RawSpan(text.index(s), text.index(s) + len(s), label) for s, label in raw]
    return surfaces(text, refine(text, given, language_data(lang), default_gazetteer()))


def test_german_bodies_named_with_a_capitalised_adjective() -> None:
    text = "Geholfen hat das Ortanische Institut für Meeresbiologie, sagte ein Sprecher."
    assert bodies(text) == {"Ortanische Institut für Meeresbiologie": "ORG"}
    # the genitive head, and a field joined by "und"
    text = (
        "Laut Angaben des Geovalischen Instituts bebte die Erde. "
        "Die Nationalen Amt für Häfen und Kanäle schwieg."
    )
    found = bodies(text)
    assert found["Geovalischen Instituts"] == "ORG"
    assert "Nationalen Amt für Häfen und Kanäle" in found
    # a known place right after the head is part of the name; after "in" it is where the body is
    text = (
        "Eine Forscherin vom Nationalen Observatorium Athen warnte. "
        "Das Geovalische Institut in Athen schwieg."
    )
    assert bodies(text) == {"Nationalen Observatorium Athen": "ORG", "Geovalische Institut": "ORG"}


def test_german_truncated_compound_starts_a_body() -> None:
    text = "Das sagte ein Sprecher der Industrie- und Handelskammer für Nordhafen und Umland am Montag."
    assert bodies(text) == {"Industrie- und Handelskammer für Nordhafen und Umland": "ORG"}


def test_german_body_rule_leaves_nouns_and_sentence_starts_alone() -> None:
    # nouns are capitalised in German: no adjective, no body
    assert bodies("Die Beschäftigten der Bank streiken, und das Institut schweigt.") == {}
    # a capitalised adjective that starts the sentence says nothing
    assert bodies("Nationale Behörden prüfen den Fall.") == {}
    # other languages are untouched
    assert body_spans("The National Institute said so.", language_data("en"), default_gazetteer()) == []


def test_german_bodies_through_the_whole_recogniser() -> None:
    text = "Unterstützt wird die Bank vom Ortanischen Institut für Cybersicherheit, kurz OIC."
    assert recognize([text], "de")[0] and surfaces(text, recognize([text], "de")[0]) == {
        "Ortanischen Institut für Cybersicherheit": "ORG",
        "OIC": "ORG",
    }


def test_a_name_with_small_words_defined_by_its_acronym() -> None:
    text = (
        "L'enquête est confiée à l'Office central de lutte contre le vol des cartes anciennes "
        "(OCVCA), a dit le parquet."
    )
    out = surfaces(text, defined_name_spans(text, [], language_data("fr"), default_gazetteer()))
    assert out == {"Office central de lutte contre le vol des cartes anciennes": "ORG", "OCVCA": "ORG"}
    # without a type word, the name keeps the type of the recogniser's span at its start, and
    # the acronym takes it too
    text = "Le Mécanisme pour la liaison des îles (MLI) financera le câble."
    start = text.index("Mécanisme")
    found = [RawSpan(start, start + len("Mécanisme pour la liaison"), "MISC")]
    out = surfaces(text, defined_name_spans(text, found, language_data("fr"), default_gazetteer()))
    assert out == {"Mécanisme pour la liaison des îles": "MISC", "MLI": "MISC"}


def test_an_acronym_whose_letters_do_not_fit_defines_nothing() -> None:
    lang, gazetteer = language_data("fr"), default_gazetteer()
    # letters out of order, punctuation between, or a name all in capitals
    for text in (
        "Le Bureau a publié un avis sur la ville (XYZ) hier.",
        "Selon Orvane, le mécanisme de soutien (OMS) reste actif.",
    ):
        assert defined_name_spans(text, [], lang, gazetteer) == [], text
    # a name the recogniser found as it is stays the recogniser's
    text = "La Banque Centrale Ortanaise (BCO) a relevé ses taux."
    start = text.index("Banque")
    found = [RawSpan(start, start + len("Banque Centrale Ortanaise"), "ORG")]
    assert defined_name_spans(text, found, lang, gazetteer) == []


def test_employer_joined_to_a_role_by_a_hyphen() -> None:
    lang, gazetteer = language_data("de"), default_gazetteer()
    text = (
        "Quellborn-Chefin Marit Lövgren sprach von einem Rückschlag, "
        "der Vize-Chef und die Ex-Chefin schwiegen."
    )
    assert surfaces(text, employer_prefix_spans(text, lang, gazetteer)) == {"Quellborn": "ORG"}
    # a known name keeps the gazetteer's type; a role compound in Swedish is left to the model
    text = "Der EU-Kommissar und der Nato-Chef kamen."
    assert surfaces(text, employer_prefix_spans(text, lang, gazetteer)) == {"Nato": "ORG"}
    assert employer_prefix_spans("Quellborn-chefen sade nej.", language_data("sv"), gazetteer) == []


def test_a_known_body_written_in_small_letters() -> None:
    gazetteer = default_gazetteer()
    text = "Die Gewerkschaft ver.di verlangt mehr Lohn; mehr unter www.ver.di.de und bei ver.diana."
    assert surfaces(text, lower_case_spans(text, gazetteer)) == {"ver.di": "ORG"}


def test_street_names_in_any_language_are_places() -> None:
    text = "The gallery, on the Place des Orvanes since 1990, reopened on Monday."
    assert refined(text, "en", [("the Place des Orvanes", "ORG")]) == {"Place des Orvanes": "LOC"}
    # "Calle" is also a Swedish first name: on its own it is no street
    text = "Målet gjorde Calle Järnvall i andra perioden."
    assert refined(text, "sv", [("Calle Järnvall", "PER")]) == {"Calle Järnvall": "PER"}


def test_the_x_area_is_a_place() -> None:
    text = "Some 900 people left their homes in the Orvandà area of the province on Sunday."
    assert surfaces(text, recognize([text], "en")[0]).get("Orvandà") == "LOC"


def test_body_and_person_run_together() -> None:
    text = "dijo a la Radio Orvanet Tomás Quellmar, portavoz de la asociación."
    assert refined(text, "es", [("Radio Orvanet Tomás Quellmar", "ORG")]) == {
        "Radio Orvanet": "ORG",
        "Tomás Quellmar": "PER",
    }


def test_a_known_longer_name_wins_over_a_shorter_model_span() -> None:
    text = "The grid operators, Elering in Estonia and Svenska kraftnät in Sweden, will own the link."
    out = refined(text, "en", [("Svenska", "LOC"), ("Elering", "ORG")])
    assert out["Svenska kraftnät"] == "ORG"
    # the same extent keeps the model's type ("Norwegian" is no place)
    text = "Halvorsen Shipping, the Norwegian tanker operator, said so."
    assert refined(text, "en", [("Norwegian", "MISC")]).get("Norwegian") == "MISC"


def test_a_place_noun_before_a_place_is_no_institution() -> None:
    text = "Elle dirige le port du Havre depuis 2020."
    assert refined(text, "fr", [("port du Havre", "LOC")]) == {"Havre": "LOC"}


def test_a_span_running_into_a_defined_name_ends_before_it() -> None:
    text = (
        "Selon Karim Ostvall, coordinateur du Plan bleu pour la côte du Bureau des mers du Sud (BMS), rien."
    )
    out = refined(
        text, "fr", [("Karim Ostvall", "PER"), ("Plan bleu pour la côte du Bureau des mers du Sud", "ORG")]
    )
    assert out["Plan bleu pour la côte"] == "ORG"
    assert out["Bureau des mers du Sud"] == "ORG"
    assert out["BMS"] == "ORG"


def test_a_capitalised_name_the_rules_split_is_joined_by_its_acronym() -> None:
    # German rules stop at a known place ("Europe"); the acronym's letters join the name again
    text = "Die Regierungen wollen Geld aus dem Programm Linking Europe Grid (LEG) beantragen."
    out = surfaces(text, recognize([text], "de")[0])
    assert out.get("Linking Europe Grid") is not None and out.get("LEG") == out["Linking Europe Grid"]


def test_a_name_ending_in_a_year_is_misc() -> None:
    from babelwire.nlp.retype import cue_label

    assert cue_label(["Natura", "2000"], language_data("en")) == "MISC"
    assert cue_label(["Vision", "2030"], language_data("sv")) == "MISC"
    assert cue_label(["Ortanic", "Bank", "2030"], language_data("en")) == "ORG"  # a body's word first


def test_a_known_body_in_the_genitive() -> None:
    gazetteer = default_gazetteer()
    sv = language_data("sv")
    assert gazetteer.org_in_genitive("FN:s", sv.genitive).entity_id == "ORG:un"  # type: ignore[union-attr]
    assert gazetteer.org_in_genitive("Uneps", sv.genitive).entity_id == "ORG:unep"  # type: ignore[union-attr]
    assert gazetteer.org_in_genitive("Kalmars", sv.genitive) is None  # cities are not looked up

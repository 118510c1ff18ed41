"""The clean-up after the Swedish model: common words at the front of its spans."""

from __future__ import annotations

import pytest

from babelwire.nlp.spans import RawSpan
from babelwire.nlp.swedish import drop_common_words


def _span(text: str, words: str, label: str) -> RawSpan:
    start = text.index(words)
    return RawSpan(start, start + len(words), label)


def _texts(text: str, spans: list[RawSpan]) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in spans]


def test_sentence_initial_common_word_is_dropped() -> None:
    text = "Man vet inte. Tvisten gäller Stockholm."
    spans = [_span(text, "Man", "LOC"), _span(text, "Tvisten", "MISC"), _span(text, "Stockholm", "LOC")]
    assert _texts(text, drop_common_words(text, spans)) == [("Stockholm", "LOC")]


def test_sentence_initial_names_stay() -> None:
    text = "Stockholm växer. Anna Lind talade. Dagens Nyheter skriver."
    spans = [
        _span(text, "Stockholm", "LOC"),
        _span(text, "Anna Lind", "PER"),
        _span(text, "Dagens Nyheter", "ORG"),
    ]
    assert _texts(text, drop_common_words(text, spans)) == [
        ("Stockholm", "LOC"),
        ("Anna Lind", "PER"),
        ("Dagens Nyheter", "ORG"),
    ]


def test_definite_common_noun_glued_to_a_name_is_removed() -> None:
    text = "Det uppger nyhetsbyrån Reuters och Nyhetsbyrån Reuters."
    spans = [_span(text, "Nyhetsbyrån Reuters", "ORG")]
    assert _texts(text, drop_common_words(text, spans)) == [("Reuters", "ORG")]


def test_common_word_inside_a_longer_name_stays() -> None:
    text = "Han läser Svenska Dagbladet och Muslimska brödraskapet protesterar."
    spans = [_span(text, "Svenska Dagbladet", "ORG"), _span(text, "Muslimska brödraskapet", "ORG")]
    assert _texts(text, drop_common_words(text, spans)) == [
        ("Svenska Dagbladet", "ORG"),
        ("Muslimska brödraskapet", "ORG"),
    ]


def test_swedish_uses_the_tagger_unless_spacy_is_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    from babelwire.nlp import recognizers

    recognizers.recognizer_for.cache_clear()
    try:
        monkeypatch.delenv("BABELWIRE_SV_NER", raising=False)
        assert isinstance(recognizers.recognizer_for("sv"), recognizers.SwedishTaggerRecognizer)
        recognizers.recognizer_for.cache_clear()
        monkeypatch.setenv("BABELWIRE_SV_NER", "spacy")
        chosen = recognizers.recognizer_for("sv")
        assert isinstance(chosen, recognizers.SwedishRecognizer)
        text = "Statsministern Karin Lundqvist besökte Göteborg."
        assert ("Karin Lundqvist", "PER") in [
            (text[s.start : s.end], s.label) for s in chosen.spans([text])[0]
        ]
    finally:
        recognizers.recognizer_for.cache_clear()


def test_post_processing_keeps_person_names_and_drops_initial_prepositions() -> None:
    from babelwire.nlp.langdata import language_data
    from babelwire.nlp.retype import cue_label
    from babelwire.nlp.spans import strip_title

    text = "Bland dessa återfinns Milan Kunderas roman."
    assert drop_common_words(text, [RawSpan(22, 36, "PER")]) == [RawSpan(22, 36, "PER")]
    text = "Runt Manama slogs en järnring."
    assert drop_common_words(text, [RawSpan(0, 11, "PER")]) == [RawSpan(5, 11, "PER")]
    text = "Målet kom efter en halv sekund av van der Burgh ."
    span, _ = strip_title(text, RawSpan(34, 47, "PER"), language_data("sv"))
    assert text[span.start : span.end] == "van der Burgh"
    sv = language_data("sv")
    assert cue_label(["EU-kommissionens"], sv) == "ORG"
    assert cue_label(["Miljöpartiets"], sv) == "ORG"
    assert cue_label(["Internationella", "valutafonden"], sv) == "ORG"
    assert cue_label(["Anders"], sv) is None


def test_quoted_titles_and_named_public_bodies_stay_at_the_start() -> None:
    # "Tvisten" alone is a common word and goes; a quoted word is a title, and a one-word body
    # ("Miljödepartementet", "Räddningstjänsten") is an organisation even though it is a common noun
    text = 'Hon skrev " Snö " . Miljödepartementet svarar . Räddningstjänsten kom . Tvisten växer .'
    spans = [
        _span(text, "Snö", "MISC"),
        _span(text, "Miljödepartementet", "ORG"),
        _span(text, "Räddningstjänsten", "ORG"),
        _span(text, "Tvisten", "ORG"),
    ]
    assert _texts(text, drop_common_words(text, spans)) == [
        ("Snö", "MISC"),
        ("Miljödepartementet", "ORG"),
        ("Räddningstjänsten", "ORG"),
    ]


def test_refine_keeps_web_addresses_and_leaves_glued_compounds_alone() -> None:
    from babelwire.nlp.gazetteer import default_gazetteer
    from babelwire.nlp.langdata import language_data
    from babelwire.nlp.recognizers import refine

    sv, gazetteer = language_data("sv"), default_gazetteer()
    # a website written in lower case is a name (MISC, as the Swedish corpus marks them); so is a
    # title that starts with a digit; a lower-case description is not
    text = "Det skriver korsvikenbladet.se om pjäsen 7fyrverkerier och om en kommunal nämnd ."
    spans = [
        _span(text, "korsvikenbladet.se", "ORG"),
        _span(text, "7fyrverkerier", "MISC"),
        _span(text, "kommunal nämnd", "ORG"),
    ]
    assert _texts(text, refine(text, spans, sv, gazetteer)) == [
        ("korsvikenbladet.se", "MISC"),
        ("7fyrverkerier", "MISC"),
    ]
    # a known name glued to a common word ("USA-tillverkade", "EU-området") is not added, while
    # the name on its own is
    text = "De hittade en USA-tillverkad mina i EU-området och reste sedan till USA ."
    assert _texts(text, refine(text, [], sv, gazetteer)) == [("USA", "LOC")]
    assert text.rindex("USA") == refine(text, [], sv, gazetteer)[0].start


def test_a_role_at_the_end_of_a_span_is_left_to_the_person_after_it() -> None:
    # "Greenpeaces Norgechef" names Greenpeace; the role goes with the person who follows
    from babelwire.nlp.langdata import language_data
    from babelwire.nlp.spans import strip_title

    sv = language_data("sv")
    text = "Det säger Greenpeaces Norgechef Ola Vikstrand till tidningen."
    span, leftovers = strip_title(text, RawSpan(10, 31, "MISC"), sv)
    assert text[span.start : span.end] == "Greenpeaces" and span.label == "MISC" and not leftovers
    # a bare title is not a compound role: "Högsta domstolen"-like names keep their words
    assert not sv.is_role_compound("chef") and sv.is_role_compound("Norgechef")
    # a person's span is still split as before: the name after the role
    person, _ = strip_title(text, RawSpan(10, 45, "PER"), sv)
    assert text[person.start : person.end] == "Ola Vikstrand" and person.role == "Greenpeaces Norgechef"


def test_a_disease_named_after_a_name_with_a_hyphen_is_one_misc_span() -> None:
    from babelwire.nlp.extra_spans import disease_spans
    from babelwire.nlp.langdata import language_data

    text = "Hon fick veta att hon har IgA-nefropati. Ett icke-sjukdomsfall och en Tourette-diagnos."
    spans = disease_spans(text, language_data("sv"))
    assert [(text[s.start : s.end], s.label) for s in spans] == [("IgA-nefropati", "MISC")]

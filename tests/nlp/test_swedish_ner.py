"""The clean-up after the Swedish model: common words at the front of its spans."""

from __future__ import annotations

from babelwire.nlp.recognizers import drop_common_words
from babelwire.nlp.spans import RawSpan


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

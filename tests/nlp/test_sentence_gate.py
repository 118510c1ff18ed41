"""The English sentence gate: sentences that cannot hold a name are not read by the model.

Every sentence here is invented.
"""

from __future__ import annotations

import pytest

from babelwire.nlp.langdata import language_data
from babelwire.nlp.recognizers import SpacyRecognizer, recognizer_for
from babelwire.nlp.sentence_gate import blank_name_free, may_hold_names, sentence_pieces

OPENERS = language_data("en").name_free_openers


@pytest.mark.parametrize(
    "sentence",
    [
        "But it was raining all day.",
        "The ferry left an hour late, they said.",
        "However, nobody expected the vote to pass.",
        "“It will take years,” she said.",
        "In the 1990s the 19th-century mill became a 30-year-old ruin.",
        "Meanwhile I was told to wait outside.",
        "It rained.",
    ],
)
def test_sentences_without_names_are_skipped(sentence: str) -> None:
    assert not may_hold_names(sentence, OPENERS)


@pytest.mark.parametrize(
    "sentence",
    [
        "Henry said it was raining all day.",  # a first word that is a name
        "Boston was cold and wet.",
        "Europe has waited long enough.",
        "Will it rain again tomorrow?",  # "Will" and "May" are names too
        "May spoke for an hour.",
        "But the mayor of Lindqvarn disagreed.",  # a capital after the first word
        "The ship sailed for the US last week.",
        "US officials said nothing.",  # the first word in capitals
        "It was bought by 3M in the end.",  # a digit next to a letter
        "The alarm rang at 8.49pm on the roof.",
        "The report is online at example.org for everyone.",
        "Delays were reported on the northern line.",  # an opener not on the list
    ],
)
def test_sentences_that_may_hold_names_are_read(sentence: str) -> None:
    assert may_hold_names(sentence, OPENERS)


def test_no_openers_means_no_gate() -> None:
    text = "But it was raining all day."
    assert blank_name_free(text, frozenset()) == (text, 0)


def test_blanking_keeps_offsets_and_context_words() -> None:
    text = (
        "Marta Olsen opened the new bridge on Monday. But it was raining all day and the crowd was "
        "small, so the ceremony was short. Olsen said the bridge would last a century."
    )
    blanked, skipped = blank_name_free(text, OPENERS, context=3)
    assert len(blanked) == len(text)
    assert skipped == text.index(" ceremony") - text.index("raining")  # the blanked characters
    # the sentences that are read, and three words of the skipped one on each side, are unchanged
    assert blanked.startswith("Marta Olsen opened the new bridge on Monday. But it was ")
    assert blanked.endswith(" ceremony was short. Olsen said the bridge would last a century.")
    assert "raining" not in blanked and "crowd" not in blanked
    # without context the whole sentence goes
    whole, _ = blank_name_free(text, OPENERS)
    start = text.index("But")
    end = text.index("Olsen said") - 1
    assert whole[start:end].strip() == ""
    assert whole[:start] == text[:start] and whole[end:] == text[end:]


def test_sentence_pieces() -> None:
    text = "It rained. Then it stopped!\nA new line\n\n“Quoted.” Done"
    assert [text[a:b] for a, b in sentence_pieces(text)] == [
        "It rained.",
        "Then it stopped!",
        "A new line",
        "“Quoted.”",
        "Done",
    ]


def test_gate_leaves_the_model_spans_unchanged() -> None:
    recognizer = recognizer_for("en")
    if not isinstance(recognizer, SpacyRecognizer):
        pytest.skip("the English spaCy model is not installed")
    text = (
        "Henrik Vasquez, the chairman of Brightwater Shipping, arrived in Rotterdam on Tuesday. "
        "But the talks were postponed again, and nobody would say for how long or why it happened. "
        "Boston-based Kelso Partners said it would wait. "
        "It was the third delay this year, and it will not be the last one, an adviser said quietly. "
        "Vasquez declined to comment."
    )
    assert recognizer.gate
    gated = recognizer.spans([text])
    recognizer.gate = False
    try:
        plain = recognizer.spans([text])
    finally:
        recognizer.gate = True
    assert gated == plain
    assert any(text[s.start : s.end] == "Henrik Vasquez" for s in gated[0])

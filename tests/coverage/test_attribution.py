"""Quotes across reports: attribution conflicts found by the quoted words' own margin; reported speech."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pytest

from babelwire.coverage import DEFAULT_PARAMS
from babelwire.coverage.align import UnitFeatures, signal_matrices
from babelwire.coverage.compare import embedding_text, paraphrase_cosines, prepare, reported_units
from babelwire.coverage.conflicts import RawConflict, find_conflicts
from babelwire.coverage.units import Unit, article_units, speaker_ids
from babelwire.embed import HashingEncoder
from babelwire.model import Article, Quote, Sentence, Speaker

DIM = 8


def _unit(index: int, article: str, text: str, quote: str | None = None, speaker: str | None = None) -> Unit:
    unit = Unit(index, article, index, 0, len(text), text, "en", article)
    if quote is not None and speaker is not None:
        unit.quote_text, unit.speaker, unit.speaker_linked = quote, speaker, True
        unit.speaker_key = "PER:" + speaker.lower().replace(" ", "-")
    return unit


def _axis(i: int, lean: float = 0.0, towards: int = 0) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[i] = 1.0
    v[towards] += lean
    return v / np.linalg.norm(v)


def _story(second_speaker: str) -> tuple[list[Unit], np.ndarray, np.ndarray]:
    """Two reports of an invented theft; both quote 'they knew where to go', by two names or one."""
    words = "knew exactly where to go"
    units = [
        _unit(0, "a", "Three paintings were stolen from the museum in Arles overnight."),
        _unit(1, "a", f"'They {words},' the prosecutor Marc Delon said.", f"They {words}", "Marc Delon"),
        _unit(2, "a", "The museum will stay closed until Monday."),
        _unit(3, "b", "Thieves took three paintings from the Arles museum."),
        _unit(4, "b", f"The director said the thieves '{words}'.", words, second_speaker),
        _unit(5, "b", "Police are studying camera footage."),
    ]
    vectors = np.stack([_axis(0), _axis(1, 0.2), _axis(2), _axis(0, 0.1, 3), _axis(4, 0.3, 1), _axis(5)])
    quotes = np.zeros_like(vectors)
    quotes[1] = _axis(6, 0.1, 7)
    quotes[4] = _axis(6, 0.1, 5)
    return units, vectors, quotes


def _quotes(found: list[RawConflict]) -> list[RawConflict]:
    return [c for c in found if c.kind == "quote"]


def test_same_words_given_to_two_speakers_conflict() -> None:
    units, vectors, quotes = _story("Claire Vidal")
    scores = np.full((6, 6), -1.0, dtype=np.float32)  # the sentences themselves do not align
    leads = [(0, 3)]  # the two reports share a fact: they tell one story
    found = find_conflicts(units, scores, DEFAULT_PARAMS, leads, vectors, quotes)
    (conflict,) = _quotes(found)
    assert {(s.unit, s.value) for s in conflict.sides} == {(1, "Marc Delon"), (4, "Claire Vidal")}
    # without the quoted words' vectors only the sentence scores are used: nothing is found
    assert not _quotes(find_conflicts(units, scores, DEFAULT_PARAMS, leads))
    # reports that share no fact are not compared (their baselines say nothing)
    assert not _quotes(find_conflicts(units, scores, DEFAULT_PARAMS, [], vectors, quotes))
    # and a margin no cosine can reach switches it off
    strict = replace(DEFAULT_PARAMS, quote_words_threshold=1.5)
    assert not _quotes(find_conflicts(units, scores, strict, leads, vectors, quotes))


def test_one_speaker_named_two_ways_is_no_conflict() -> None:
    units, vectors, quotes = _story("Delon")
    units[4].speaker_key = "delon"  # the fallback's surname key, not the entity id
    assert speaker_ids(units[1]) & speaker_ids(units[4])
    scores = np.full((6, 6), -1.0, dtype=np.float32)
    assert not _quotes(find_conflicts(units, scores, DEFAULT_PARAMS, [(0, 3)], vectors, quotes))


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        ("The ferry company said it would not pay for the hotel rooms.", True),
        ("Rederiet uppgav att ingen passagerare hade skadats.", True),
        ("Die Reederei erklärte, dass niemand verletzt worden sei.", True),
        ("Le capitaine a assuré que le navire était en règle.", True),
        ("La naviera aseguró que nadie resultó herido.", True),
        ("The ferry left Visby at noon with 212 passengers.", False),
        ("The operator said nothing about the cause of the fire in its statement that evening.", False),
        ("'Nobody was hurt,' the captain said.", False),  # a quote, not reported speech
    ],
)
def test_reported_speech(text: str, reported: bool) -> None:
    article = Article(id="x", text=text, lang="en", sentences=[Sentence(0, len(text), 0)])
    (unit,) = article_units(article)
    assert unit.reported is reported


def test_quote_meets_reported_speech_by_what_was_said() -> None:
    encoder = HashingEncoder()
    texts = [
        '"We will not pay any ransom to these criminals," the chief executive said.',
        "The bank said it would not pay a ransom.",
    ]
    articles = [
        Article(id=f"r{i}", text=t, lang="en", sentences=[Sentence(0, len(t), 0)])
        for i, t in enumerate(texts)
    ]
    units = [u for i, a in enumerate(articles) for u in article_units(a, i)]
    assert units[0].quote and units[1].reported and units[1].reported_text == "it would not pay a ransom."
    vectors = encoder.encode([embedding_text(u) for u in units], kind="query")
    feats = [UnitFeatures.of(u) for u in units]
    signals = signal_matrices(vectors, vectors, feats, feats, ["r0", "r1"], ["r0", "r1"])
    assert reported_units(units) == [units[1]]
    said = encoder.encode(["it would not pay a ransom."], kind="query")[0]
    paraphrase_cosines(units, vectors, said[None, :], signals)
    assert signals.cos[0, 1] == signals.cos[1, 0] == pytest.approx(float(vectors[0] @ said))
    assert signals.cos[0, 0] == -np.inf  # one article: still never a pair


def test_prepare_embeds_sentences_said_words_and_quoted_words_in_one_call() -> None:
    calls: list[list[str]] = []

    class Counting(HashingEncoder):
        def encode(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
            calls.append(list(texts))
            return super().encode(texts, kind)

    texts = [
        'The director said the thieves "knew exactly where to go" that night.',
        "The bank said it would not pay a ransom.",
        '"We will not pay any ransom to these criminals," the chief executive said.',
    ]
    articles = [
        Article(id=f"r{i}", text=t, lang="en", sentences=[Sentence(0, len(t), 0)])
        for i, t in enumerate(texts)
    ]
    # the quotes stage gave the partial quote to a name: attribution conflicts compare its words
    start = texts[0].index("knew")
    speaker = Speaker("Claire Dubois", 0, 12)
    articles[0].quotes = [Quote("knew exactly where to go", start, start + 24, speaker=speaker, partial=True)]
    prep = prepare(articles, Counting())
    assert len(calls) == 1
    assert calls[0][:3] == [embedding_text(u) for u in prep.units]
    assert calls[0][3:] == ["it would not pay a ransom.", "knew exactly where to go"]
    plain = HashingEncoder()
    assert prep.quote_vectors is not None
    assert np.allclose(prep.quote_vectors[0], plain.encode(["knew exactly where to go"], "query")[0])
    assert np.allclose(prep.quote_vectors[2], prep.vectors[2])
    said = plain.encode(["it would not pay a ransom."], "query")[0]
    assert prep.signals.cos[1, 2] == pytest.approx(float(prep.vectors[2] @ said))
    # a partial quote with no named speaker is not compared, so its words are not embedded
    articles[0].quotes = []
    calls.clear()
    prep = prepare(articles, Counting())
    assert calls[0][3:] == ["it would not pay a ransom."]
    assert prep.quote_vectors is not None and not prep.quote_vectors[0].any()

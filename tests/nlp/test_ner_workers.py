"""Large batches are shared with worker processes; the spans are the same as in one process."""

from __future__ import annotations

import logging

import pytest

from babelwire.nlp import ner_worker, recognizers
from babelwire.nlp.entities import find_mentions
from babelwire.nlp.recognizers import ner_workers, recognize, recognize_here

TEXTS = [
    "Mayor Helena Vasquez of Port Aldine opened the new Kestrel Bridge on Monday, the Harbour "
    "Authority said.",
    "The Northwind Shipping Company said its ferry Marisol ran aground near Cape Lorn in Norway.",
    "Talks between Gabriel Okafor and the European Commission in Brussels ended without a deal.",
    "Residents of Lake Tova told the Daily Ledger that the flood reached Main Street by noon.",
    "Professor Ines Kowalski of Uppsala University leads the inquiry for the Swedish government.",
]


@pytest.fixture
def two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABELWIRE_NER_WORKERS", "2")
    monkeypatch.setattr(recognizers, "PARALLEL_MIN_CHARS", 0)


def test_worker_count_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABELWIRE_NER_WORKERS", "3")
    assert ner_workers() == 3
    monkeypatch.setenv("BABELWIRE_NER_WORKERS", "0")
    assert ner_workers() == 1
    monkeypatch.setenv("BABELWIRE_NER_WORKERS", "many")
    assert ner_workers() == 1
    monkeypatch.delenv("BABELWIRE_NER_WORKERS")
    assert 1 <= ner_workers() <= 2


def test_a_worker_gives_the_same_spans(two_workers: None) -> None:
    expected = recognize_here(TEXTS, "en")
    assert any(expected), "the English model finds names in these texts"
    assert recognize(TEXTS, "en") == expected
    assert recognize(TEXTS, "en") == expected  # the worker is reused
    assert len(ner_worker._WORKERS) == 1


def test_a_dead_worker_is_replaced_by_local_work(two_workers: None, caplog: pytest.LogCaptureFixture) -> None:
    expected = recognize_here(TEXTS, "en")
    worker = ner_worker.workers(1)[0]
    original_start = worker.start

    def start_then_die(texts: list[str], lang: str | None) -> None:
        original_start(texts, lang)
        worker.process.kill()

    worker.start = start_then_die  # type: ignore[method-assign]
    with caplog.at_level(logging.WARNING, logger="babelwire.nlp.recognizers"):
        assert recognize(TEXTS, "en") == expected
    assert "recognising its texts here" in caplog.text
    assert worker not in ner_worker._WORKERS
    assert recognize(TEXTS, "en") == expected  # a fresh worker takes over


GERMAN = [
    "Bundeskanzlerin Petra Albers traf am Montag in Hamburg den Vorstand der Nordhafen AG.",
    "Die Reederei Weserlicht meldete, dass ihr Frachter vor Cuxhaven auf Grund gelaufen sei.",
    "Nach Angaben der Polizei Bremen wurde die Autobahn 27 bei Achim stundenlang gesperrt.",
    "Der Umweltverband NABU kritisierte die Pläne der Landesregierung in Hannover scharf.",
    "Professor Jonas Reiter von der Universität Leipzig leitet die Kommission der EU.",
    "Auf dem Treffen in Wien sprach Außenministerin Clara Hofbauer mit Vertretern der UNO.",
]


def test_a_rule_language_batch_shared_with_a_worker_gives_the_same_spans(two_workers: None) -> None:
    ner_worker.close_all()
    expected = recognize_here(GERMAN, "de")
    assert any(expected), "the rules find names in these texts"
    assert recognize(GERMAN, "de") == expected
    assert len(ner_worker._WORKERS) == 1  # the rule recogniser shares large batches too


def test_linked_mentions_do_not_depend_on_sharing(two_workers: None, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = GERMAN * 3
    shared = find_mentions(texts, "de")
    assert ner_worker._WORKERS
    monkeypatch.setenv("BABELWIRE_NER_WORKERS", "1")
    assert find_mentions(texts, "de") == shared


def test_pieces_cover_the_batch_once(two_workers: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every text is recognised exactly once, by this process or a worker, whatever the sizes."""
    texts = [f"Anna Berg{i} besuchte Wien." + " und" * (i % 7 * 40) for i in range(23)]
    here: list[str] = []
    real = recognizers.recognize_here

    def recording(part: list[str], lang: str | None) -> list[list[recognizers.RawSpan]]:
        here.extend(part)
        return real(part, lang)

    monkeypatch.setattr(recognizers, "recognize_here", recording)
    answers = list(recognizers.recognize_each(texts, "de"))
    assert sorted(index for index, _ in answers) == list(range(len(texts)))
    assert 0 < len(here) < len(texts)  # both processes took part
    assert dict(answers) == dict(enumerate(real(texts, "de")))


def test_processes_sharing_a_batch_use_one_blas_thread_each(
    two_workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from threadpoolctl import threadpool_info

    seen: list[int] = []
    real = recognizers.recognize_here

    def recording(texts: list[str], lang: str | None) -> list[list[recognizers.RawSpan]]:
        seen.extend(pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas")
        return real(texts, lang)

    monkeypatch.setattr(recognizers, "recognize_here", recording)
    recognize(TEXTS, "en")
    assert seen and set(seen) == {1}  # this process's part ran with one BLAS thread
    worker = ner_worker.workers(1)[0]
    assert worker.env["OPENBLAS_NUM_THREADS"] == "1" and worker.env["OMP_NUM_THREADS"] == "1"

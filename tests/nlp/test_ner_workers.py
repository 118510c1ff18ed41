"""Large batches are shared with worker processes; the spans are the same as in one process."""

from __future__ import annotations

import logging

import pytest

from babelwire.nlp import ner_worker, recognizers
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


def test_rule_languages_stay_in_process(two_workers: None) -> None:
    ner_worker.close_all()
    assert recognize(["La alcaldesa Marta Ibáñez visitó Valparaíso el lunes."], "es")
    assert not ner_worker._WORKERS


def test_chunks_keep_order_and_balance() -> None:
    texts = ["a" * 10, "b" * 10, "c" * 30, "d" * 10]
    parts = recognizers._chunks(texts, 2)
    assert [t for part in parts for t in part] == texts
    assert len(parts) == 2


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

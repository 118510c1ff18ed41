"""The 8-bit e5 runtime (ONNX Runtime): close to the float32 encoder, chosen by environment, safe to batch."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from babelwire.nlp import e5_onnx
from babelwire.nlp.e5_onnx import (
    OnnxEncoder,
    e5_runtime,
    load_activations,
    make_encoder,
    measure_activations,
    quantize_columns,
    save_activations,
)
from babelwire.nlp.e5_tokens import Encoder, e5_file, pad_rows

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

SENTENCES = [
    "Regnet föll hela natten över Lillsjöby, och vägen mot hamnen stängdes.",
    "The ferry company said on Tuesday that its night crossings would resume.",
    "Kommunen räknar med att reparationerna tar tre veckor.",
    "Los vecinos de Puerto Blanco esperan desde el lunes.",
]


def _batch(texts: list[str]) -> tuple[np.ndarray, list[int]]:
    tok = e5_file().tokenizer
    return pad_rows([[tok.bos, *tok.encode("passage: " + t)[0], tok.eos] for t in texts], tok.pad)


def _pooled(hidden: np.ndarray, lengths: list[int]) -> np.ndarray:
    out = np.stack([hidden[i, :n].mean(axis=0) for i, n in enumerate(lengths)])
    return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def small() -> tuple[Encoder, OnnxEncoder]:
    """The base model's first three layers, in float32 and in 8 bits (with measured activations)."""
    e5 = e5_file()
    layers = [e5.layer(i) for i in range(3)]
    float_encoder = Encoder(e5, layers)
    seen = measure_activations(float_encoder, [_batch(SENTENCES)])
    return float_encoder, OnnxEncoder(e5, layers, activations=seen)


def test_weights_are_quantised_per_column_within_half_a_step() -> None:
    rng = np.random.default_rng(1)
    w = rng.normal(0, 0.05, (16, 8)).astype(np.float32)
    w[:, 3] *= 40  # one large column keeps its own scale
    q, scale = quantize_columns(w)
    assert q.dtype == np.int8 and scale.shape == (8,) and int(np.abs(q).max()) <= 127
    assert np.all(np.abs(q * scale - w) <= scale / 2 + 1e-7)


def test_hidden_states_agree_with_float32(small: tuple[Encoder, OnnxEncoder]) -> None:
    float_encoder, int8 = small
    ids, lengths = _batch(SENTENCES)
    expected = _pooled(float_encoder(ids, lengths), lengths)
    got = _pooled(int8(ids, lengths), lengths)
    assert got.shape == expected.shape
    assert np.all(np.sum(got * expected, axis=1) > 0.995)


def test_the_graph_in_float32_is_the_numpy_encoder(small: tuple[Encoder, OnnxEncoder]) -> None:
    float_encoder, _ = small
    exact = OnnxEncoder(float_encoder.file, float_encoder.layers, float_layers=len(float_encoder.layers))
    ids, lengths = _batch(SENTENCES)
    expected, got = float_encoder(ids, lengths), exact(ids, lengths)
    for row, n in enumerate(lengths):  # padded positions are not compared
        assert np.allclose(got[row, :n], expected[row, :n], atol=2e-3)


def test_padding_is_masked(small: tuple[Encoder, OnnxEncoder]) -> None:
    _, int8 = small
    ids, lengths = _batch(SENTENCES[:2])
    assert lengths[0] != lengths[1]
    alone = [_pooled(int8(*_batch([t])), [n])[0] for t, n in zip(SENTENCES[:2], lengths, strict=True)]
    together = _pooled(int8(ids, lengths), lengths)
    for a, b in zip(alone, together, strict=True):
        assert float(a @ b) > 0.99999  # one 8-bit scale per token row: the batch does not matter


def test_row_scales_are_closer_to_float32_than_one_scale_per_tensor(
    small: tuple[Encoder, OnnxEncoder],
) -> None:
    float_encoder, rows = small
    tensor = OnnxEncoder(
        float_encoder.file, float_encoder.layers, activations=rows.activations, row_scales=False
    )
    ids, lengths = _batch(SENTENCES)
    expected = float_encoder(ids, lengths)

    def error(encoder: OnnxEncoder) -> float:
        got = encoder(ids, lengths)
        return float(np.mean([np.abs(got[r, :n] - expected[r, :n]).mean() for r, n in enumerate(lengths)]))

    assert rows.row_scales and not tensor.row_scales
    assert error(rows) < error(tensor)
    # with one scale per tensor a text's states depend a little on the texts batched with it
    alone = tensor(*_batch(SENTENCES[:1]))[0, : lengths[0]]
    assert not np.allclose(alone, tensor(ids, lengths)[0, : lengths[0]], atol=1e-4)
    alone = rows(*_batch(SENTENCES[:1]))[0, : lengths[0]]
    assert np.allclose(alone, rows(ids, lengths)[0, : lengths[0]], atol=1e-4)


def test_measured_activations_cover_every_product(small: tuple[Encoder, OnnxEncoder]) -> None:
    _, int8 = small
    names = {f"l{i}.{p}" for i in range(3) for p in ("qkv", "ao", "fi", "fo")}
    assert set(int8.activations) == names
    assert int8.activations["l0.fo"].shape == (int8.config.ffn,)
    assert all(np.all(v >= 0) for v in int8.activations.values())


def test_the_8_bit_encoder_refuses_to_measure(small: tuple[Encoder, OnnxEncoder]) -> None:
    _, int8 = small
    with pytest.raises(ValueError, match="float32"):
        int8(*_batch(SENTENCES[:1]), observe=lambda name, rows: None)


def test_runtime_is_chosen_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(e5_onnx.RUNTIME_ENV, "numpy")
    assert e5_runtime() == "numpy"
    assert type(make_encoder(e5_file(), [e5_file().layer(0)])) is Encoder
    monkeypatch.setenv(e5_onnx.RUNTIME_ENV, "ONNX")
    assert e5_runtime() == "onnx"
    assert isinstance(make_encoder(e5_file(), [e5_file().layer(0)]), OnnxEncoder)
    monkeypatch.setenv(e5_onnx.RUNTIME_ENV, "gpu")
    with pytest.raises(ValueError, match="BABELWIRE_E5_RUNTIME"):
        e5_runtime()


def test_numpy_without_onnxruntime(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(e5_onnx.RUNTIME_ENV, raising=False)
    monkeypatch.setattr(e5_onnx, "onnx_available", lambda: False)
    assert e5_runtime() == "numpy"


def test_activations_of_another_model_are_ignored(tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "acts.npz"
    seen = {"l0.fi": np.ones(4, dtype=np.float32)}
    save_activations(path, seen, "abc")
    assert list(load_activations(path, "abc")) == ["l0.fi"]
    assert load_activations(tmp_path / "missing.npz", "abc") == {}
    with caplog.at_level(logging.WARNING):
        assert load_activations(path, "other") == {}
    assert "another model" in caplog.text


def test_the_shipped_tagger_has_its_activations() -> None:
    from babelwire.nlp.e5_onnx import model_digest
    from babelwire.nlp.sv_tagger import ACTIVATIONS_FILE, default_model_path

    model = default_model_path()
    seen = load_activations(model.with_name(ACTIVATIONS_FILE), model_digest(model))
    assert len(seen) == 4 * e5_file().config.layers  # re-run scripts/measure_activations.py after training


def test_a_texts_spans_do_not_depend_on_the_texts_beside_it() -> None:
    from babelwire.nlp.sv_tagger import default_tagger

    tagger = default_tagger()
    text = "Anna Lindqvist från Lillsjöby kommun reste till Oslo i måndags. Hon träffade Nordbanken."
    other = "Regeringen i Stockholm meddelade att Trafikverket och SJ ska utreda olyckan vid Hallsberg. " * 5
    alone = tagger.spans([text])[0]
    assert alone
    assert tagger.spans([other, text, other])[1] == alone


def test_a_runtime_that_cannot_start_falls_back_to_numpy(monkeypatch: pytest.MonkeyPatch, caplog) -> None:  # type: ignore[no-untyped-def]
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("no kernel for this CPU")

    monkeypatch.delenv(e5_onnx.RUNTIME_ENV, raising=False)
    monkeypatch.setattr(e5_onnx, "OnnxEncoder", broken)
    with caplog.at_level(logging.WARNING):
        encoder = make_encoder(e5_file(), [e5_file().layer(0)])
    assert type(encoder) is Encoder
    assert "no kernel for this CPU" in caplog.text

"""e5's transformer layers run by ONNX Runtime with 8-bit weights: the fast path for token tagging.

:class:`OnnxEncoder` is a drop-in :class:`~babelwire.nlp.e5_tokens.Encoder`: the same inputs (padded
token ids and each row's length), the same output (hidden states ``[batch, length, hidden]``).
The embeddings are looked up and normalised in numpy as before; the layers are one ONNX graph,
built in memory from the float32 weights when the encoder is created (no file is written or
downloaded):

* the four products of each layer (fused Q/K/V, attention output, the two feed-forward ones) are
  8-bit products: weights stored as signed 8-bit integers with one scale per output column,
  activations quantised at run time with one scale per token row (``QuantizeLinear`` along the
  rows, so a text's vector does not depend on the texts batched with it), integer products
  accumulated in 32 bits (``MatMulIntegerToFloat``; VNNI and AMX instructions where the CPU has
  them). ``row_scales=False`` uses one scale per tensor instead (``DynamicQuantizeMatMul``);
* attention is ONNX Runtime's ``MultiHeadAttention`` kernel, with padding masked by each row's
  length; GELU (erf) and LayerNorm are its float kernels.

The graph is optimised at the ``basic`` level only: the extended level fuses each residual add
with its LayerNorm into a kernel that measured three times slower than the two apart on these
cores (one thread, 32 sentences of 32 tokens).

Precision: activations are smoothed (SmoothQuant) with channel maxima measured once with the
float32 encoder (:func:`measure_activations`, ``scripts/measure_activations.py``), and the first
:data:`FLOAT_LAYERS` layers keep float32 products. Cost and precision are measured in
``docs/entities.md`` (*The tagger in 8 bits*): about a fifth of numpy's CPU time per token; the
tagger's word labels differ from float32's for 14-17 of 23,111 held-out words.

``BABELWIRE_E5_RUNTIME=numpy`` keeps the float32 numpy forward pass (also used when
``onnxruntime`` is not installed).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from babelwire.nlp.e5_tokens import E5File, Encoder, FloatArray, LayerWeights, real_tokens

__all__ = [
    "FLOAT_LAYERS",
    "RUNTIME_ENV",
    "SMOOTHED",
    "SMOOTH_ALPHA",
    "OnnxEncoder",
    "e5_runtime",
    "load_activations",
    "make_encoder",
    "measure_activations",
    "model_digest",
    "onnx_available",
    "quantize_columns",
    "save_activations",
]

log = logging.getLogger(__name__)

RUNTIME_ENV = "BABELWIRE_E5_RUNTIME"

#: Products whose input is smoothed when activation maxima are known: those fed by a LayerNorm
#: (a few channels 10-30 times the others) and the one fed by GELU, which lose most to one 8-bit
#: scale per tensor; the attention output's input has no such channels.
SMOOTHED: tuple[str, ...] = ("qkv", "fi", "fo")

#: SmoothQuant's migration strength (0: all in the activations, 1: all in the weights).
SMOOTH_ALPHA = 0.7

#: Layers whose products stay in float32: 8-bit rounding in the first layer reaches every later
#: one (on the Swedish held-out 20 %, 31 of 23,111 word labels differed from float32's with every
#: layer in 8 bits, 14 with the first in float32, at about a twelfth more time).
FLOAT_LAYERS = 1

#: Activations quantised with one scale per token row (True) or one per tensor (False, the
#: ``DynamicQuantizeMatMul`` kernel: a little faster, but a text's vector then depends on the
#: texts batched with it, and precision is lower).
ROW_SCALES = True

_CONTRIB_OPS = frozenset({"DynamicQuantizeMatMul", "MatMulIntegerToFloat", "MultiHeadAttention", "Gelu"})

MODEL_KEY = "model_sha256"  # the entry of an activations file naming its model
_RUNTIMES = ("onnx", "numpy")


@cache
def onnx_available() -> bool:
    """Whether ``onnxruntime`` and ``onnx`` (to build the graph) can be imported."""
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def e5_runtime() -> str:
    """``onnx`` (default when installed) or ``numpy``, from ``BABELWIRE_E5_RUNTIME``."""
    chosen = os.environ.get(RUNTIME_ENV, "").strip().lower()
    if chosen and chosen not in _RUNTIMES:
        raise ValueError(f"{RUNTIME_ENV}={chosen!r}: expected one of {', '.join(_RUNTIMES)}")
    if chosen == "numpy" or not onnx_available():
        return "numpy"
    return "onnx"


def make_encoder(
    file: E5File | None = None,
    layers: Sequence[LayerWeights] | None = None,
    embeddings: dict[str, FloatArray] | None = None,
    *,
    threads: int = 1,
    activations: Mapping[str, FloatArray] | None = None,
) -> Encoder:
    """The encoder of :func:`e5_runtime`: :class:`OnnxEncoder` or the numpy :class:`Encoder`.

    If ONNX Runtime cannot build its session (an unusual CPU or a broken install), the numpy
    encoder takes over with a warning that names the reason: slower, never missing.
    """
    if e5_runtime() == "onnx":
        try:
            return OnnxEncoder(file, layers, embeddings, threads=threads, activations=activations)
        except Exception as err:  # any failure of the optional runtime falls back
            log.warning("the 8-bit e5 runtime could not start (%s); using the float32 numpy encoder", err)
    return Encoder(file, layers, embeddings)


def measure_activations(
    encoder: Encoder, batches: Iterable[tuple[npt.ArrayLike, Sequence[int]]]
) -> dict[str, FloatArray]:
    """Per-channel maxima of ``|x|`` at the input of every product, over the given batches.

    The float32 :class:`Encoder` runs each batch (padded ids and lengths) and records each
    product's input; the result is what :class:`OnnxEncoder` takes as ``activations``.
    """
    seen: dict[str, FloatArray] = {}

    def observe(name: str, rows: FloatArray) -> None:
        if len(rows):
            top = np.abs(rows).max(axis=0)
            seen[name] = np.maximum(seen[name], top) if name in seen else top

    for ids, lengths in batches:
        Encoder.__call__(encoder, ids, lengths, observe)
    return seen


def model_digest(path: str | Path) -> str:
    """SHA-256 of a model file: activation maxima are only used with the model they were measured on."""
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def save_activations(path: str | Path, seen: Mapping[str, FloatArray], digest: str) -> None:
    """Write activation maxima (float32) with the digest of the model they belong to."""
    arrays: dict[str, npt.NDArray[np.generic]] = {
        name: np.asarray(v, dtype=np.float32) for name, v in seen.items()
    }
    arrays[MODEL_KEY] = np.array(digest)
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]


def load_activations(path: str | Path, digest: str | None = None) -> dict[str, FloatArray]:
    """Activation maxima saved by :func:`save_activations`.

    Empty when the file does not exist or was measured on another model than ``digest``'s (then
    the 8-bit runtime quantises without smoothing, which is less precise but correct).
    """
    if not Path(path).is_file():
        return {}
    with np.load(path) as data:
        if digest is not None and (MODEL_KEY not in data.files or str(data[MODEL_KEY]) != digest):
            log.warning("%s: activation maxima of another model; the 8-bit encoder runs without them", path)
            return {}
        return {name: np.asarray(data[name], dtype=np.float32) for name in data.files if name != MODEL_KEY}


def quantize_columns(w_t: FloatArray) -> tuple[npt.NDArray[np.int8], FloatArray]:
    """Symmetric 8-bit weights ``[in, out]`` with one scale per output column (-127..127)."""
    scale = (np.maximum(np.abs(w_t).max(axis=0), 1e-12) / 127.0).astype(np.float32)
    q = np.clip(np.rint(w_t / scale), -127, 127).astype(np.int8)
    return q, scale


class OnnxEncoder(Encoder):
    """The e5 encoder with its layers in ONNX Runtime, 8-bit weights (see the module docstring).

    ``threads`` is ONNX Runtime's thread count for one call; several Python threads may call one
    encoder at once (the runtime releases the GIL), which is how large batches are shared.
    """

    def __init__(
        self,
        file: E5File | None = None,
        layers: Sequence[LayerWeights] | None = None,
        embeddings: dict[str, FloatArray] | None = None,
        *,
        threads: int = 1,
        activations: Mapping[str, FloatArray] | None = None,
        float_layers: int = FLOAT_LAYERS,
        row_scales: bool = ROW_SCALES,
    ) -> None:
        import onnxruntime as ort

        super().__init__(file, layers, embeddings)
        self.activations = dict(activations or {})
        self.float_layers = float_layers
        self.row_scales = row_scales
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.log_severity_level = 3  # warnings about unused initialisers are not the user's concern
        self._session = ort.InferenceSession(self._graph(), options, providers=["CPUExecutionProvider"])
        # the float weights are in the session now (as 8-bit integers); the numpy copies can go
        self._qkv = []

    def _smoothing(self, name: str, w_t: FloatArray) -> FloatArray | None:
        """Per-input-channel factors ``s`` for product ``name`` (SmoothQuant), or None.

        ``s_j = max|x_j|^a / max|w_j|^(1-a)`` with ``a`` = :data:`SMOOTH_ALPHA`, from the measured
        activation maxima: dividing channel ``j`` of the activation by ``s_j`` and multiplying row
        ``j`` of the weights by it leaves the product unchanged but moves the activation's outlier
        channels into the weights, which are quantised per column, so the one scale of the
        activation tensor no longer has to cover them.
        """
        kind = name.rsplit(".", 1)[-1]
        seen = self.activations.get(name)
        if kind not in SMOOTHED or seen is None or seen.shape != (w_t.shape[0],):
            return None
        w_max = np.maximum(np.abs(w_t).max(axis=1), 1e-5)
        factors = np.maximum(seen, 1e-5) ** SMOOTH_ALPHA / w_max ** (1.0 - SMOOTH_ALPHA)
        out: FloatArray = np.clip(factors, 1e-2, 1e2).astype(np.float32)
        return out

    def _graph(self) -> bytes:
        """The serialised ONNX model of the layers: ``x [B, L, H]``, ``mask [B, L]`` → ``y``.

        Between attentions the hidden states are one matrix of token rows ``[B*L, H]``, so that
        each row can have its own 8-bit scale (``QuantizeLinear`` along axis 0).
        """
        from onnx import NodeProto, TensorProto, helper, numpy_helper

        cfg = self.config
        nodes: list[NodeProto] = []
        weights: list[TensorProto] = []

        def const(name: str, value: npt.NDArray[np.generic]) -> str:
            weights.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
            return name

        def node(op: str, inputs: list[str], output: str, **attrs: Any) -> str:
            domain = "com.microsoft" if op in _CONTRIB_OPS else ""
            nodes.append(helper.make_node(op, inputs, [output], domain=domain, **attrs))
            return output

        last_axis = const("axis_last", np.array([-1], dtype=np.int64))
        tiny = const("tiny", np.array(1e-8, dtype=np.float32))
        inv127 = const("inv127", np.array(1.0 / 127.0, dtype=np.float32))
        one = const("one", np.array(1.0, dtype=np.float32))
        zero_u8 = const("zero_u8", np.array(128, dtype=np.uint8))
        shape3 = node("Shape", ["x"], "shape3")  # [B, L, H]
        rows = node("Reshape", ["x", const("shape_rows", np.array([-1, cfg.hidden], dtype=np.int64))], "rows")
        count = node(
            "Slice",
            [
                node("Shape", [rows], "shape_rows_now"),
                const("s0", np.array([0], dtype=np.int64)),
                const("s1", np.array([1], dtype=np.int64)),
            ],
            "row_count",
        )
        row_zero = node(
            "ConstantOfShape",
            [count],
            "row_zero",
            value=helper.make_tensor("v", TensorProto.UINT8, [1], [128]),
        )

        def quantized(x: str, q: npt.NDArray[np.int8], scale: FloatArray, b: str, name: str) -> str:
            w, col_scale = const(f"{name}.w", q), const(f"{name}.s", scale)
            if not self.row_scales:  # one scale for the whole tensor, found by the kernel
                zero = const(f"{name}.z", np.zeros_like(q[0]))
                return node("DynamicQuantizeMatMul", [x, w, col_scale, zero, b], name)
            # one symmetric scale per token row: max|x_row| / 127, stored as uint8 around 128
            top = node("ReduceMax", [x, last_axis], f"{name}.max", keepdims=0)
            low = node("Neg", [node("ReduceMin", [x, last_axis], f"{name}.min", keepdims=0)], f"{name}.nmin")
            row_scale = node("Mul", [node("Max", [top, low, tiny], f"{name}.amax"), inv127], f"{name}.rs")
            xq = node("QuantizeLinear", [x, row_scale, row_zero], f"{name}.xq", axis=0)
            acc = node("MatMulIntegerToFloat", [xq, w, one, col_scale, zero_u8, "", ""], f"{name}.acc")
            per_row = node("Unsqueeze", [row_scale, last_axis], f"{name}.rs2")
            scaled = node("Mul", [acc, per_row], f"{name}.y")
            return node("Add", [scaled, b], name)

        def product(x: str, w_t: FloatArray, bias: FloatArray, name: str, layer: int) -> str:
            b = const(f"{name}.b", bias.astype(np.float32))
            if layer < self.float_layers:
                w = const(f"{name}.w", w_t.astype(np.float32))
                return node("Add", [node("MatMul", [x, w], f"{name}.m"), b], name)
            smooth = self._smoothing(name, w_t)
            if smooth is not None:  # x / s into w * s: the activation's outlier channels shrink
                x = node("Mul", [x, const(f"{name}.inv", 1.0 / smooth)], f"{name}.x")
                w_t = w_t * smooth[:, None]
            q, scale = quantize_columns(w_t)
            return quantized(x, q, scale, b, name)

        def layer_norm(x: str, w: FloatArray, b: FloatArray, name: str) -> str:
            inputs = [x, const(f"{name}.w", w.astype(np.float32)), const(f"{name}.b", b.astype(np.float32))]
            return node("LayerNormalization", inputs, name, axis=-1, epsilon=cfg.eps)

        x = rows
        for i, (ly, (qkv_w, qkv_b)) in enumerate(zip(self.layers, self._qkv, strict=True)):
            p = f"l{i}"
            qkv = product(x, qkv_w, qkv_b, f"{p}.qkv", i)  # Q already scaled by 1/sqrt(head size)
            split = [f"{p}.q2", f"{p}.k2", f"{p}.v2"]
            nodes.append(helper.make_node("Split", [qkv], split, axis=-1, num_outputs=3))
            heads = [node("Reshape", [part, shape3], part[:-1]) for part in split]  # [B, L, H] each
            ctx = node("MultiHeadAttention", [*heads, "", "mask"], f"{p}.ctx", num_heads=cfg.heads, scale=1.0)
            ctx_rows = node("Reshape", [ctx, "shape_rows"], f"{p}.ctx2")
            attn = product(ctx_rows, np.ascontiguousarray(ly.ao_w.T), ly.ao_b, f"{p}.ao", i)
            mid = layer_norm(node("Add", [attn, x], f"{p}.res1"), ly.aln_w, ly.aln_b, f"{p}.ln1")
            up = product(mid, np.ascontiguousarray(ly.fi_w.T), ly.fi_b, f"{p}.fi", i)
            down = product(
                node("Gelu", [up], f"{p}.gelu"), np.ascontiguousarray(ly.fo_w.T), ly.fo_b, f"{p}.fo", i
            )
            x = layer_norm(node("Add", [down, mid], f"{p}.res2"), ly.oln_w, ly.oln_b, f"{p}.out")
        node("Reshape", [x, shape3], "y")
        graph = helper.make_graph(
            nodes,
            "e5_layers",
            [
                helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "length", cfg.hidden]),
                helper.make_tensor_value_info("mask", TensorProto.INT32, ["batch", "length"]),
            ],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", "length", cfg.hidden])],
            weights,
        )
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", 18), helper.make_opsetid("com.microsoft", 1)]
        )
        data: bytes = model.SerializeToString()
        return data

    def __call__(
        self,
        ids: npt.ArrayLike,
        lengths: Sequence[int] | None = None,
        observe: Callable[[str, FloatArray], None] | None = None,
    ) -> FloatArray:
        """Hidden states ``[batch, length, hidden]`` for padded token ids ``[batch, length]``."""
        if observe is not None:
            raise ValueError("activations are measured with the float32 Encoder, not the 8-bit one")
        x = self.embed(ids)
        batch, length, _ = x.shape
        if lengths is None:
            mask = np.ones((batch, length), dtype=np.int32)
        else:
            mask = real_tokens(lengths, length).astype(np.int32)
        (out,) = self._session.run(["y"], {"x": x, "mask": mask})
        result: FloatArray = np.asarray(out, dtype=np.float32)
        return result

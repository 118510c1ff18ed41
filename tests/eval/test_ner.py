"""CoNLL-style gold files: reading, span decoding and scoring of the recognisers."""

from __future__ import annotations

from pathlib import Path

import pytest

from babelwire.eval.ner import entities_from_labels, evaluate_ner, normalise_label, read_conll, score

BARE = """Ingrid\tPER
Solvang\tPER
besökte\t0
Bergen\tLOC
.\t0

Hon\t0
talade\t0
med\t0
Nordvik\tORG
Energi\tORG
.\t0
"""

CONLL2003 = """-DOCSTART- -X- -X- O

Mayor NNP B-NP O
Tessa NNP I-NP I-PER
Marlow NNP I-NP I-PER
visited VBD B-VP O
Portland NNP B-NP I-LOC
and CC O O
Halden NNP B-NP I-LOC
Grain NNP I-NP I-ORG
Holdings NNP I-NP I-ORG
. . O O
"""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0", "O"),
        ("O", "O"),
        ("B-PER", "B-PER"),
        ("I-GPE", "I-LOC"),
        ("PERSON", "PER"),
        ("DATE", "O"),
        ("MISC", "MISC"),
    ],
)
def test_normalise_label(raw: str, expected: str) -> None:
    assert normalise_label(raw) == expected


def test_read_bare_labels(tmp_path: Path) -> None:
    path = tmp_path / "bare.conll"
    path.write_text(BARE, encoding="utf-8")
    sentences = read_conll(path)
    assert len(sentences) == 2
    assert sentences[0][0] == ("Ingrid", "PER") and sentences[0][2] == ("besökte", "O")
    assert entities_from_labels([lab for _, lab in sentences[0]]) == [(0, 0, 2, "PER"), (0, 3, 4, "LOC")]


def test_read_conll2003_columns_and_iob1(tmp_path: Path) -> None:
    path = tmp_path / "iob1.conll"
    path.write_text(CONLL2003, encoding="utf-8")
    (sentence,) = read_conll(path)
    labels = [lab for _, lab in sentence]
    assert entities_from_labels(labels) == [
        (0, 1, 3, "PER"),
        (0, 4, 5, "LOC"),
        (0, 6, 7, "LOC"),
        (0, 7, 9, "ORG"),
    ]


def test_iob2_and_bioes_split_adjacent_entities() -> None:
    assert entities_from_labels(["B-PER", "I-PER", "B-PER", "O"]) == [(0, 0, 2, "PER"), (0, 2, 3, "PER")]
    assert entities_from_labels(["S-LOC", "B-ORG", "E-ORG", "U-PER"]) == [
        (0, 0, 1, "LOC"),
        (0, 1, 3, "ORG"),
        (0, 3, 4, "PER"),
    ]


def test_score_exact_span_and_type() -> None:
    gold = [(0, 0, 2, "PER"), (0, 3, 4, "LOC")]
    pred = [(0, 0, 2, "PER"), (0, 3, 4, "ORG")]
    result = score(gold, pred)
    assert result["overall"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert result["per_type"]["LOC"]["recall"] == 0.0
    assert score(gold, pred, types=["PER"])["overall"]["f1"] == 1.0


def test_evaluate_ner_runs_the_recogniser_on_gold_tokens(tmp_path: Path) -> None:
    path = tmp_path / "de.conll"
    path.write_text(
        "Ministerpräsidentin O\nAnke B-PER\nVollrath I-PER\nbesuchte O\nSchweden B-LOC\n. O\n",
        encoding="utf-8",
    )
    result = evaluate_ner(str(path), "de")
    assert result["overall"]["f1"] == 1.0
    assert set(result["per_type"]) == {"PER", "LOC"}
    assert result["sentences"] == 1


def test_read_conll_skips_a_byte_order_mark_and_reads_crlf(tmp_path: Path) -> None:
    path = tmp_path / "gold.conll"
    path.write_bytes(b"\xef\xbb\xbf" + BARE.replace("\n", "\r\n").encode("utf-8"))
    sentences = read_conll(path)
    assert sentences[0][0] == ("Ingrid", "PER") and sentences == read_conll_text(BARE, tmp_path)


def read_conll_text(text: str, folder: Path) -> list[list[tuple[str, str]]]:
    path = folder / "plain.conll"
    path.write_text(text, encoding="utf-8")
    return read_conll(path)


def test_read_conll_that_is_not_utf8_names_the_file(tmp_path: Path) -> None:
    from babelwire.errors import InputError

    path = tmp_path / "latin1.conll"
    path.write_bytes("Malmö\tLOC\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1\.conll: not valid UTF-8 \(first bad byte on line 1\)"):
        read_conll(path)

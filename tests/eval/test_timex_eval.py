"""Time-expression evaluation against TimeBank-style TSV files: a written fixture and the gate."""

from __future__ import annotations

from pathlib import Path

import pytest

from babelwire.errors import BabelwireError
from babelwire.eval.timex import evaluate_timex, read_timebank
from tests.helpers import shared_file

TSV = """*!-DCTVALUE="2021-05-12"-!*\tO\t-

The\tO\t-
harbour\tO\t-
closed\tO\t-
on\tO\t-
Monday\tB-DATE\t2021-05-10
for\tO\t-
three\tB-DURATION\tP3D
days\tI-DURATION\tP3D
.\tO\t-

It\tO\t-
reopened\tO\t-
last\tB-DATE\t2020
year\tI-DATE\t2020
in\tO\t-
May\tB-DATE\t2021-05
.\tO\t-
"""


def test_reads_documents_and_gold_spans(tmp_path: Path) -> None:
    path = tmp_path / "gold.tsv"
    path.write_text(TSV, encoding="utf-8")
    (doc,) = read_timebank(path)
    assert doc.dct is not None and doc.dct.date().isoformat() == "2021-05-12"
    assert [(doc.tokens[a], t, v) for a, _, t, v in doc.gold] == [
        ("Monday", "DATE", "2021-05-10"),
        ("three", "DURATION", "P3D"),
        ("last", "DATE", "2020"),
        ("May", "DATE", "2021-05"),
    ]


def test_strict_relaxed_and_value_accuracy(tmp_path: Path) -> None:
    path = tmp_path / "gold.tsv"
    path.write_text(TSV, encoding="utf-8")
    result = evaluate_timex(str(path))
    # the finder includes prepositions ("on Monday", "for three days", "in May"): relaxed matches
    assert result["relaxed"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert result["strict"]["recall"] == 0.25  # only "last year" has the same tokens
    assert result["value_accuracy"] == 1.0


def test_missing_file_says_what_to_give(tmp_path: Path) -> None:
    with pytest.raises(BabelwireError, match="TimeBank-style TSV"):
        evaluate_timex(str(tmp_path / "absent.tsv"))


@pytest.mark.slow
def test_timebank_relaxed_f1_and_value_accuracy() -> None:
    result = evaluate_timex(str(shared_file("timexes/timebank/en/train.tsv")))
    assert result["relaxed"]["f1"] >= 0.85  # measured 0.912
    assert result["value_accuracy"] >= 0.80  # measured 0.833

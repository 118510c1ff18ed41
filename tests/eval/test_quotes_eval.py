"""Quote evaluation against brat attribution files: a written fixture and the PolNeAR gate."""

from __future__ import annotations

from pathlib import Path

import pytest

from babelwire.errors import BabelwireError, InputError
from babelwire.eval.quotes import evaluate_quotes, read_ann
from tests.helpers import shared_file

TEXT = (
    '"The dam will hold," said engineer Petra Novak. The river was falling, officials said.\n\n'
    "Novak added that crews had worked all night. “We slept in shifts,” she said."
)


def _span(needle: str) -> str:
    start = TEXT.index(needle)
    return f"{start} {start + len(needle)}\t{needle}"


def write_fixture(root: Path) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "dam.txt").write_text(TEXT, encoding="utf-8")
    lines = [
        f"T1\tContent {_span(chr(34) + 'The dam will hold,' + chr(34))}",
        f"T2\tSource {_span('engineer Petra Novak')}",
        f"T3\tCue {_span('said')}",
        "E1\tAttribution:T3 Content:T1 Cue:T3 Source:T2",
        f"T4\tContent {_span('The river was falling')}",
        f"T5\tSource {_span('officials')}",
        f"T6\tCue {_span('officials said')}",
        "E2\tAttribution:T6 Content:T4 Cue:T6 Source:T5",
        f"T7\tContent {_span('“We slept in shifts,”')}",
        f"T8\tSource {_span('she')}",
        "E3\tAttribution:T8 Content:T7 Source:T8",
    ]
    # the annotator suffix (_ab12) is dropped to find the text
    (root / "attributions" / "dam_ab12.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_reads_attributions_with_quoted_flag_and_pronoun_antecedent(tmp_path: Path) -> None:
    root = write_fixture(tmp_path / "gold")
    gold = read_ann(root / "attributions" / "dam_ab12.ann", TEXT)
    assert [g.quoted for g in gold] == [True, False, True]
    assert gold[2].source_text == "she" and gold[2].antecedent == "engineer Petra Novak"


def test_scores_content_and_source_for_all_and_quoted(tmp_path: Path) -> None:
    result = evaluate_quotes(str(write_fixture(tmp_path / "gold")))
    assert result["documents"] == 1
    quoted = result["quoted"]
    assert quoted["gold"] == 2 and quoted["predicted"] == 2
    assert quoted["content"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert quoted["source"]["f1"] == 1.0  # "she" -> Petra Novak, the named source before it
    assert quoted["source_strict"]["recall"] == 0.5  # only the overlapping one
    everything = result["all"]
    assert everything["gold"] == 3 and everything["content"]["recall"] == pytest.approx(2 / 3, abs=1e-3)


def test_bad_folder_says_what_it_needs(tmp_path: Path) -> None:
    with pytest.raises(BabelwireError, match=r"text/\*\.txt and attributions/\*\.ann"):
        evaluate_quotes(str(tmp_path))


@pytest.mark.slow
def test_polnear_speaker_f1_on_quotation_mark_attributions() -> None:
    root = shared_file("polnear/dev")
    result = evaluate_quotes(str(root))
    assert result["quoted"]["source"]["f1"] >= 0.85  # measured 0.853
    assert result["quoted"]["content"]["f1"] >= 0.9  # measured 0.961


def test_a_malformed_span_names_the_file_and_line(tmp_path: Path) -> None:
    ann = tmp_path / "d1.ann"
    ann.write_text("T1\tContent 11 21\tit is cold\nT2\tSource abc\tAnna\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"d1\.ann:2: .*'abc'"):
        read_ann(ann, 'Anna said "it is cold" today.')

"""`babelwire process`: stateless JSONL in, JSONL out, one output line per input line (docs/process.md)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from babelwire.batch import process_stream
from babelwire.engine import Engine
from tests.corpus import DA_TEXT, DE_TEXT, ES_TEXT, SV_TEXT, WIRE, WIRE_COPY

REQUIRED = {"id", "lang", "sentences", "duplicate_of", "error"}


def run(engine: Engine, lines: list[str]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    sink = io.StringIO()
    counts = process_stream(engine, io.StringIO("\n".join(lines) + "\n"), sink, "in.jsonl")
    return [json.loads(line) for line in sink.getvalue().splitlines()], counts


def test_one_output_line_per_input_line_with_the_same_id(engine: Engine) -> None:
    records = [
        {"id": "sv", "text": SV_TEXT, "source": "Kustbladet", "my_field": [1, 2]},
        {"id": "da", "text": DA_TEXT},
        {"id": 17, "text": DE_TEXT},
    ]
    out, counts = run(engine, [json.dumps(r, ensure_ascii=False) for r in records])
    assert [o["id"] for o in out] == ["sv", "da", 17]
    assert counts == {"lines": 3, "errors": 0, "duplicates": 0}
    for line in out:
        assert set(line) >= REQUIRED
        assert line["error"] is None and line["duplicate_of"] is None
    assert [o["lang"] for o in out] == ["sv", "da", "de"]
    assert out[0]["my_field"] == [1, 2] and out[0]["source"] == "Kustbladet"  # input fields are kept


def test_sentence_offsets_refer_to_the_output_text(engine: Engine) -> None:
    raw = "  FÃ¤rjan fastnade i isen.\u00a0 Ingen  skadades.\r\n\r\n\r\nRederiet stÃ¤ller in turerna.  "
    (line,), _ = run(engine, [json.dumps({"id": "m", "text": raw})])
    text = line["text"]
    assert text == "Färjan fastnade i isen. Ingen skadades.\n\nRederiet ställer in turerna."
    pieces = [text[s["start"] : s["end"]] for s in line["sentences"]]
    assert pieces == ["Färjan fastnade i isen.", "Ingen skadades.", "Rederiet ställer in turerna."]
    assert set(line["sentences"][0]) == {"start", "end"}


def test_error_lines(engine: Engine) -> None:
    lines = [
        json.dumps({"id": "ok", "text": ES_TEXT}),
        '{"id": "cut", "text": "Färjan',
        "[1, 2]",
        json.dumps({"id": "notext", "title": "Rubrik"}),
        json.dumps({"id": "blank", "text": "\u200b \u00ad"}),
    ]
    out, counts = run(engine, lines)
    assert len(out) == 5 and counts["errors"] == 4
    malformed = out[1]
    assert (
        malformed["id"] is None and malformed["line"] == 2 and malformed["error"].startswith("malformed JSON")
    )
    assert out[2]["line"] == 3 and out[2]["error"] == "expected a JSON object"
    assert out[3]["id"] == "notext" and out[3]["line"] == 4 and "text" in out[3]["error"]
    assert out[3]["title"] == "Rubrik"  # the input's fields are echoed
    assert out[4]["id"] == "blank" and "no text left" in out[4]["error"]
    for line in out[1:]:
        assert set(line) >= REQUIRED and line["sentences"] == [] and line["lang"] is None


def test_blank_lines_are_skipped_but_line_numbers_count_them(engine: Engine) -> None:
    out, counts = run(engine, [json.dumps({"id": "a", "text": SV_TEXT}), "", "   ", "{bad"])
    assert [o.get("line") for o in out] == [None, 4]
    assert counts["lines"] == 2


def test_duplicates_within_the_input(engine: Engine) -> None:
    lines = [
        json.dumps({"id": "wire", "text": WIRE, "source": "Meridian Wire"}),
        json.dumps({"id": "copy", "text": WIRE_COPY, "source": "Northwind Post"}),
        json.dumps({"id": "same", "text": WIRE.upper()}),
        json.dumps({"id": "url1", "text": SV_TEXT, "url": "https://kust.example/1"}),
        json.dumps({"id": "url2", "text": DA_TEXT, "url": "https://kust.example/1"}),
    ]
    out, counts = run(engine, lines)
    dup = {o["id"]: (o["duplicate_of"], o["duplicate_kind"]) for o in out}
    assert dup == {
        "wire": (None, None),
        "copy": ("wire", "near"),
        "same": ("wire", "exact"),
        "url1": (None, None),
        "url2": ("url1", "exact"),
    }
    assert counts["duplicates"] == 3
    assert out[1]["source"] == "Northwind Post"  # the copy keeps its outlet


def test_records_without_id_get_a_stable_derived_id(engine: Engine) -> None:
    lines = [json.dumps({"text": SV_TEXT}), json.dumps({"text": SV_TEXT, "source": "B"})]
    first, _ = run(engine, lines)
    second, _ = run(engine, lines)
    assert first[0]["id"] and first[0]["id"] == second[0]["id"]
    assert first[1]["duplicate_of"] == first[0]["id"]


def test_an_empty_id_is_no_id(engine: Engine) -> None:
    """An empty id gets the derived one, so that a copy's duplicate_of names a line of the output."""
    lines = [json.dumps({"id": "", "text": SV_TEXT}), json.dumps({"id": "", "text": SV_TEXT, "source": "B"})]
    out, _ = run(engine, lines)
    assert out[0]["id"] and out[1]["duplicate_of"] == out[0]["id"]


def test_repeated_ids_are_kept_in_the_output(engine: Engine) -> None:
    lines = [json.dumps({"id": "x", "text": SV_TEXT}), json.dumps({"id": "x", "text": DE_TEXT})]
    out, _ = run(engine, lines)
    assert [o["id"] for o in out] == ["x", "x"]
    assert [o["lang"] for o in out] == ["sv", "de"]


def test_a_repeated_id_never_takes_the_id_of_another_line(engine: Engine) -> None:
    """Lines "x", "x", "x#2": the second "x" was told apart as "x#2" and shared the third line's story."""
    lines = [
        json.dumps({"id": "x", "text": SV_TEXT}),
        json.dumps({"id": "x", "text": DE_TEXT}),
        json.dumps({"id": "x#2", "text": ES_TEXT}),
    ]
    out, _ = run(engine, lines)
    assert [o["id"] for o in out] == ["x", "x", "x#2"]
    assert len({o["story_id"] for o in out}) == 3  # three unrelated reports


def test_published_is_normalised_to_utc_iso(engine: Engine) -> None:
    lines = [
        json.dumps({"id": "a", "text": SV_TEXT, "published": "Wed, 18 Nov 2026 21:40:00 +0100"}),
        json.dumps({"id": "b", "text": DA_TEXT, "published": "någon gång"}),
    ]
    out, _ = run(engine, lines)
    assert out[0]["published"] == "2026-11-18T20:40:00+00:00"
    assert out[1]["published"] == "någon gång"  # unparseable: echoed, not invented


def test_output_is_deterministic(engine: Engine) -> None:
    lines = [json.dumps({"id": str(i), "text": t}) for i, t in enumerate([SV_TEXT, WIRE, WIRE_COPY, ES_TEXT])]
    first, _ = run(engine, lines)
    second, _ = run(engine, lines)
    assert first == second


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_unicode_separators_inside_strings(engine: Engine, separator: str) -> None:
    line = json.dumps({"id": "u", "text": f"Första meningen.{separator}Andra meningen."}, ensure_ascii=False)
    out, counts = run(engine, [line])
    assert len(out) == 1 and out[0]["error"] is None and counts["errors"] == 0


def test_ingest_and_process_report_a_malformed_line_alike(engine: Engine, tmp_path: Path) -> None:
    from babelwire.config import Settings
    from babelwire.ingest.files import iter_items
    from babelwire.ingest.records import Overrides, Rejection

    bad = '{"id": "cut", "text": '
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "ok", "text": SV_TEXT}) + "\n" + bad + "\n", encoding="utf-8")
    (rejected,) = [i for i in iter_items([str(path)], Overrides(), Settings()) if isinstance(i, Rejection)]
    out, _ = run(engine, [json.dumps({"id": "ok", "text": SV_TEXT}), bad])
    assert out[1]["error"] == rejected.reason == "malformed JSON (Expecting value at column 23)"


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"id": "n", "text": 42}, "'text' must be a string, not a number"),
        ({"id": "l", "text": ["Färjan", "fastnade"]}, "'text' must be a string, not a list"),
        ({"id": "o", "body": {"p": "Färjan"}}, "'body' must be a string, not an object"),
        ({"id": "m", "title": "Rubrik"}, "no 'text' field (the only required field)"),
    ],
)
def test_a_text_that_is_not_a_string_says_so(engine: Engine, record: dict[str, object], reason: str) -> None:
    (out,), counts = run(engine, [json.dumps(record)])
    assert out["error"] == reason and out["id"] == record["id"] and counts["errors"] == 1


def test_nan_and_infinity_are_not_json() -> None:
    """Python's json accepts NaN and Infinity; echoed into an output line they would make it
    unreadable for strict parsers, so such a line is malformed input, named with its column."""
    from babelwire.ingest.files import loads_strict

    with pytest.raises(json.JSONDecodeError, match="NaN is not valid JSON"):
        loads_strict('{"id": "a", "score": NaN}')
    with pytest.raises(json.JSONDecodeError, match="-Infinity is not valid JSON"):
        loads_strict('{"score": -Infinity}')
    assert loads_strict('{"text": "NaN and Infinity in words are fine"}')["text"].startswith("NaN")


def test_a_failure_while_writing_one_line_becomes_its_error_line(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import babelwire.batch

    real = babelwire.batch.output_record

    def failing(record: dict[str, Any] | None, item: Any, line: int) -> dict[str, Any]:
        if record and record.get("id") == "boom":
            raise OverflowError("date value out of range")
        return real(record, item, line)

    monkeypatch.setattr(babelwire.batch, "output_record", failing)
    lines = [
        json.dumps({"id": "a", "text": SV_TEXT}),
        json.dumps({"id": "boom", "text": DE_TEXT, "mine": 1}),
        json.dumps({"id": "c", "text": ES_TEXT}),
    ]
    out, counts = run(engine, lines)
    assert [o["id"] for o in out] == ["a", "boom", "c"]
    assert out[0]["error"] is None and out[2]["error"] is None and out[2]["lang"] == "es"
    failed = out[1]
    assert set(failed) >= REQUIRED and failed["line"] == 2 and failed["mine"] == 1
    assert failed["error"] == "could not write this line's output (OverflowError: date value out of range)"
    assert failed["sentences"] == [] and failed["lang"] is None
    assert counts == {"lines": 3, "errors": 1, "duplicates": 0}


def test_a_failure_while_reading_one_line_becomes_its_error_line(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import babelwire.batch

    real = babelwire.batch.article_from_record

    def failing(record: dict[str, Any], where: str, overrides: Any) -> Any:
        if record.get("id") == "boom":
            raise ValueError("unexpected")
        return real(record, where, overrides)

    monkeypatch.setattr(babelwire.batch, "article_from_record", failing)
    out, counts = run(engine, [json.dumps({"id": "boom", "text": SV_TEXT}), json.dumps({"text": DA_TEXT})])
    assert out[0]["error"] == "cannot read this line (ValueError: unexpected)" and out[0]["line"] == 1
    assert out[1]["error"] is None and out[1]["lang"] == "da"
    assert counts["errors"] == 1


def test_an_extreme_date_never_stops_the_other_lines(engine: Engine) -> None:
    lines = [
        json.dumps({"id": "a", "text": SV_TEXT}),
        json.dumps({"id": "far", "text": DE_TEXT, "published": "0001-01-01T00:00:00+05:00"}),
        json.dumps({"id": "end", "text": ES_TEXT, "published": "9999-12-31"}),
        json.dumps({"id": "b", "text": DA_TEXT}),
    ]
    out, _ = run(engine, lines)
    assert [o["id"] for o in out] == ["a", "far", "end", "b"]
    assert out[0]["error"] is None and out[3]["error"] is None and out[3]["lang"] == "da"
    for line in out:
        assert set(line) >= REQUIRED


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"id": "t", "text": "a\tb"}', "malformed JSON (Invalid control character at column 23)"),
        ('{"id": "u", "text": "open', "malformed JSON (Unterminated string starting at column 21)"),
        ('{"id": "v" "text": "x"}', "malformed JSON (Expecting ',' delimiter at column 12)"),
    ],
)
def test_a_malformed_line_names_its_column(engine: Engine, line: str, reason: str) -> None:
    (out,), _ = run(engine, [line])
    assert out["error"] == reason and out["line"] == 1

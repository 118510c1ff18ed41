"""Article ids: one id is one article; a clash with a different text is reported, never silent."""

from __future__ import annotations

from pathlib import Path

from babelwire.engine import Engine
from babelwire.ingest.files import iter_items
from babelwire.ingest.records import Overrides
from tests.corpus import DA_TEXT, DE_TEXT, SV_TEXT
from tests.helpers import write_jsonl


def test_a_repeated_id_with_another_text_in_one_run_is_rejected(tmp_path: Path, engine: Engine) -> None:
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [{"id": "same", "text": SV_TEXT}, {"id": "same", "text": DE_TEXT}, {"id": "same", "text": SV_TEXT}],
    )
    report = engine.ingest([str(path)])
    assert report.added == 1 and report.rejected == 1 and report.already_stored == 1, report
    assert report.messages == [
        f"{path}:2: id 'same' is already used by another article (different text); "
        "not stored — give it its own id"
    ]
    assert engine.article("same").text == SV_TEXT  # the first is kept
    assert [r.origin for r in engine.store.rejections()] == [f"{path}:2"]


def test_a_repeated_id_across_batches_is_rejected(tmp_path: Path, engine: Engine) -> None:
    records = [{"id": "same", "text": SV_TEXT}, {"id": "same", "text": DE_TEXT}]
    path = write_jsonl(tmp_path / "a.jsonl", records)
    report = engine.ingest_items(iter_items([str(path)], Overrides(), engine.settings), batch_size=1)
    assert report.added == 1 and report.rejected == 1 and report.already_stored == 0, report


def test_an_id_already_stored_with_another_text_is_rejected(tmp_path: Path, engine: Engine) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", [{"id": "7", "text": SV_TEXT}])
    second = write_jsonl(tmp_path / "b.jsonl", [{"id": 7, "text": DA_TEXT}])
    assert engine.ingest([str(first)]).added == 1
    report = engine.ingest([str(second)])
    assert report.added == 0 and report.already_stored == 0 and report.rejected == 1, report
    assert "id '7' is already used by another article" in report.messages[0]
    assert engine.article("7").text == SV_TEXT


def test_identical_reingest_stays_silent(tmp_path: Path, engine: Engine) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": "x", "text": SV_TEXT}, {"id": "y", "text": DE_TEXT}])
    engine.ingest([str(path)])
    # the same words with other whitespace or case are the same text
    again = write_jsonl(tmp_path / "b.jsonl", [{"id": "x", "text": "  " + SV_TEXT.upper()}])
    report = engine.ingest([str(path), str(again)])
    assert report.added == 0 and report.rejected == 0 and report.already_stored == 3, report
    assert engine.store.rejections() == []


def test_an_updated_feed_entry_keeps_the_first_version_and_says_so(tmp_path: Path, engine: Engine) -> None:
    def feed(text: str) -> str:
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Nordlys</title>'
            "<link>https://nordlys.example/</link><item><title>Ferry aground off Tjörn</title>"
            "<link>https://nordlys.example/ferry-aground</link>"
            f"<description>{text}</description></item></channel></rss>"
        )

    path = tmp_path / "nordlys.rss"
    path.write_text(feed(SV_TEXT), encoding="utf-8")
    assert engine.ingest([str(path)]).added == 1
    path.write_text(feed(DE_TEXT), encoding="utf-8")  # the outlet updated its entry
    report = engine.ingest([str(path)])
    assert report.added == 0 and report.rejected == 1, report
    assert (
        "changed since it was stored (an updated entry); the version stored first is kept"
        in (report.messages[0])
    )
    assert "give it its own id" not in report.messages[0]

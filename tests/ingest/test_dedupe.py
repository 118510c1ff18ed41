"""Idempotent ingest; exact and near-duplicate copies recorded as copies of the first article."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from babelwire.config import Settings
from babelwire.engine import Engine, new_duplicate_index
from babelwire.errors import PipelineError
from babelwire.ingest.dedupe import DedupeStage, DuplicateIndex, signature_bytes
from babelwire.ingest.normalize import NormalizeStage
from babelwire.model import Article
from babelwire.store import ArticleFilter
from tests.corpus import DA_TEXT, DE_TEXT, ES_TEXT, OTHER_WIRE, SV_TEXT, WIRE, WIRE_COPY
from tests.helpers import write_jsonl


def wire_records() -> list[dict[str, str]]:
    return [
        {"id": "wire-1", "url": "https://meridian.example/valdora", "source": "Meridian Wire", "text": WIRE},
        {
            "id": "post-1",
            "url": "https://northwind.example/valdora",
            "source": "Northwind Post",
            "text": WIRE_COPY,
        },
        {
            "id": "other-1",
            "url": "https://meridian.example/castrena",
            "source": "Meridian Wire",
            "text": OTHER_WIRE,
        },
    ]


def dedupe(articles: list[Article], index: DuplicateIndex | None = None) -> list[Article]:
    NormalizeStage().run(articles)
    DedupeStage(index or DuplicateIndex()).run(articles)
    return articles


# -- idempotence --------------------------------------------------------------------------------


def test_ingesting_the_same_input_again_adds_nothing(tmp_path: Path, engine: Engine) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", [*wire_records(), {"text": SV_TEXT}, {"text": DA_TEXT}])
    (tmp_path / "a.txt").write_text(f"Rubrik\n\n{DE_TEXT}", encoding="utf-8")
    first = engine.ingest([str(path), str(tmp_path / "a.txt")])
    assert (first.added, first.near_duplicates, first.rejected) == (5, 1, 0)
    before = engine.store.count_articles()
    second = engine.ingest([str(path), str(tmp_path / "a.txt")])
    assert (second.added, second.duplicates, second.near_duplicates, second.rejected) == (0, 0, 0, 0)
    assert second.already_stored == 6
    assert engine.store.count_articles() == before
    assert second.summary() == "added 0, duplicates 0, near-duplicates 0, rejected 0, already stored 6"


def test_repeated_id_within_one_input_is_stored_once(tmp_path: Path, engine: Engine) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", [{"id": "x", "text": SV_TEXT}, {"id": "x", "text": DA_TEXT}])
    report = engine.ingest([str(path)])
    # the second text is not stored, and the user is told (see test_ids.py)
    assert (report.added, report.already_stored, report.rejected) == (1, 0, 1)
    assert engine.article("x").text == SV_TEXT  # the first wins


# -- exact duplicates ---------------------------------------------------------------------------


def test_same_url_is_an_exact_duplicate() -> None:
    a, b = dedupe(
        [
            Article(id="a", text=SV_TEXT, url="https://kust.example/1"),
            Article(id="b", text=SV_TEXT + "\n\nUppdaterad kl. 12.", url="https://kust.example/1"),
        ]
    )
    assert (a.duplicate_of, b.duplicate_of, b.duplicate_kind) == (None, "a", "exact")


def test_same_normalised_text_is_an_exact_duplicate() -> None:
    variant = SV_TEXT.upper().replace(",", "").replace("\n\n", "\n\n\n   ")
    a, b = dedupe([Article(id="a", text=SV_TEXT), Article(id="b", text=variant, url="https://b.example/x")])
    assert (b.duplicate_of, b.duplicate_kind) == ("a", "exact")
    assert a.duplicate_of is None


def test_different_reports_are_not_duplicates() -> None:
    articles = dedupe(
        [Article(id=f"r{i}", text=t) for i, t in enumerate([SV_TEXT, DA_TEXT, DE_TEXT, ES_TEXT, WIRE])]
    )
    assert all(a.duplicate_of is None for a in articles)


# -- near duplicates ----------------------------------------------------------------------------


def test_wire_copy_with_small_edits_is_a_near_duplicate() -> None:
    wire, copy, other = dedupe(
        [
            Article(id="wire", text=WIRE),
            Article(id="copy", text=WIRE_COPY),
            Article(id="other", text=OTHER_WIRE),
        ]
    )
    assert wire.duplicate_of is None and other.duplicate_of is None
    assert (copy.duplicate_of, copy.duplicate_kind) == ("wire", "near")
    assert 0.8 <= copy.extra["near_score"] < 1.0


def test_the_first_article_seen_is_the_original() -> None:
    copy, wire = dedupe([Article(id="copy", text=WIRE_COPY), Article(id="wire", text=WIRE)])
    assert copy.duplicate_of is None and wire.duplicate_of == "copy"


def test_threshold_is_configurable() -> None:
    strict = DuplicateIndex(threshold=0.97)
    _, copy = dedupe([Article(id="wire", text=WIRE), Article(id="copy", text=WIRE_COPY)], strict)
    assert copy.duplicate_of is None
    lenient = DuplicateIndex(threshold=0.5)
    trimmed = WIRE.rsplit("\n\n", 2)[0]  # a copy that drops the last two paragraphs
    _, short = dedupe([Article(id="wire", text=WIRE), Article(id="short", text=trimmed)], lenient)
    assert short.duplicate_of == "wire"


def test_threshold_from_settings_and_environment(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    assert new_duplicate_index(engine.settings).threshold == engine.settings.near_duplicate_threshold == 0.8
    strict = replace(engine.settings, near_duplicate_threshold=0.97)
    assert new_duplicate_index(strict).threshold == 0.97
    monkeypatch.setenv("BABELWIRE_NEAR_DUPLICATE_THRESHOLD", "0.9")
    assert Settings.from_env().near_duplicate_threshold == 0.9


def test_signatures_survive_the_store(tmp_path: Path, engine: Engine) -> None:
    """A wire copy ingested in a later run is still found: the original's MinHash is stored."""
    first = write_jsonl(tmp_path / "first.jsonl", wire_records()[:1])
    later = write_jsonl(tmp_path / "later.jsonl", wire_records()[1:])
    engine.ingest([str(first)])
    engine.close()  # a new process: the index is rebuilt from the database
    report = engine.ingest([str(later)])
    assert (report.added, report.near_duplicates) == (1, 1)
    copy = engine.article("post-1")
    assert (copy.duplicate_of, copy.duplicate_kind) == ("wire-1", "near")


def test_signature_round_trip_keeps_lsh_buckets() -> None:
    index = DuplicateIndex()
    sig = index.signature(WIRE)
    restored = DuplicateIndex()
    restored.add_signature_bytes("wire", None, None, signature_bytes(sig))
    found = restored.near(index.signature(WIRE_COPY))
    assert found is not None and found[0] == "wire"


def test_exact_duplicate_across_runs_by_url_and_by_text(tmp_path: Path, engine: Engine) -> None:
    engine.ingest_items([Article(id="a", text=SV_TEXT, url="https://kust.example/1", source="Kustbladet")])
    report = engine.ingest_items(
        [
            Article(id="b", text=DA_TEXT, url="https://kust.example/1", source="Kustbladet"),
            Article(id="c", text=SV_TEXT.lower(), source="Havsposten"),
        ]
    )
    assert (report.duplicates, report.added) == (2, 0)
    assert {c.id: c.duplicate_kind for c in engine.duplicates("a")} == {"b": "exact", "c": "exact"}


# -- a copy's outlet still counts ---------------------------------------------------------------


def test_copies_keep_their_outlet_and_are_listed_with_the_original(tmp_path: Path, engine: Engine) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", wire_records())
    engine.ingest([str(path)])
    copies = engine.duplicates("wire-1")
    assert [(c.id, c.source, c.duplicate_kind) for c in copies] == [("post-1", "Northwind Post", "near")]
    outlets = {a.source for a in engine.articles() if a.id == "wire-1" or a.duplicate_of == "wire-1"}
    assert outlets == {"Meridian Wire", "Northwind Post"}
    originals = engine.articles(ArticleFilter(include_duplicates=False))
    assert {a.id for a in originals} == {"wire-1", "other-1"}


def test_copies_are_analysed_too(tmp_path: Path, engine: Engine) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", wire_records()[:2])
    engine.ingest([str(path)])
    copy = engine.article("post-1")
    assert copy.lang == "en" and copy.sentences
    assert {"normalize", "dedupe", "language", "segment"} <= set(copy.stages)


def test_near_duplicates_just_above_the_threshold_are_found() -> None:
    """LSH must not miss copies near the threshold (banded at the threshold itself it misses ~30%)."""
    import random

    rng = random.Random(7)
    words = WIRE.split()
    found = tried = 0
    for trial in range(40):
        edited = list(words)
        for i in rng.sample(range(len(edited)), 3):  # three small edits, as a subeditor makes
            edited[i] = f"edit{trial}x{i}"
        index = DuplicateIndex(threshold=0.8)
        original, copy = index.signature(WIRE), index.signature(" ".join(edited))
        if original.jaccard(copy) < 0.82:
            continue
        tried += 1
        index.add("wire", None, None, original)
        found += index.near(copy) is not None
    assert tried >= 20 and found == tried


def test_bad_thresholds() -> None:
    for bad in (0.0, -0.5, 1.5):
        with pytest.raises(PipelineError, match="near-duplicate threshold"):
            DuplicateIndex(threshold=bad)
    for fine in (0.05, 0.5, 0.97, 0.99, 1.0):
        assert DuplicateIndex(threshold=fine).lsh is not None
    exact_only = DuplicateIndex(threshold=1.0)
    exact_only.add("wire", None, None, exact_only.signature(WIRE))
    assert exact_only.near(exact_only.signature(WIRE_COPY)) is None
    assert exact_only.near(exact_only.signature(WIRE)) == ("wire", 1.0)

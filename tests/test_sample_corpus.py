"""End to end on the bundled sample corpus with the real models: ingest, dedupe, stories, entities,
quotes, dates and coverage, checked against the gold labels shipped beside the corpus.

The corpus is ingested once for the module (about a minute: every report is embedded).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from babelwire.config import Settings
from babelwire.coverage import coverage_key
from babelwire.data import sample_articles_path, sample_gold
from babelwire.engine import Engine
from babelwire.eval.metrics import bcubed
from babelwire.store import ArticleFilter, QuoteFilter, StoryFilter

GOLD_ARTICLES = [json.loads(line) for line in sample_articles_path().read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def ingested(sample_corpus_db: Path) -> Iterator[tuple[Engine, str]]:
    """An engine over the session's sample-corpus database, and the ingest's summary line."""
    summary = (sample_corpus_db.parent / "report.txt").read_text(encoding="utf-8")
    with Engine(settings=Settings(db=str(sample_corpus_db))) as engine:
        yield engine, summary


def test_counts_languages_and_duplicates_match_the_gold(ingested: tuple[Engine, str]) -> None:
    engine, summary = ingested
    gold = sample_gold()
    copies = len(gold["duplicates"])
    assert summary == (
        f"added {len(GOLD_ARTICLES) - copies}, duplicates 0, near-duplicates {copies}, rejected 0"
    )
    stored = {a.id: a for a in engine.articles(ArticleFilter(limit=1000))}
    assert len(stored) == len(GOLD_ARTICLES)
    for record in GOLD_ARTICLES:
        assert stored[record["id"]].lang == record["lang"], record["id"]
        assert stored[record["id"]].sentences
    for dup in gold["duplicates"]:
        assert stored[dup["id"]].duplicate_of == dup["duplicate_of"]


def test_every_gold_story_is_one_story_and_distractors_stay_apart(
    ingested: tuple[Engine, str],
) -> None:
    engine, _ = ingested
    stored = {a.id: a for a in engine.articles(ArticleFilter(limit=1000))}
    gold = {r["id"]: r["cluster_id"] for r in GOLD_ARTICLES}
    pred = {i: stored[i].story_id or f"none:{i}" for i in gold}
    precision, recall, f1 = bcubed(gold, pred)
    assert f1 >= 0.95, (precision, recall)
    assert pred["quake-peloponnese-en-1"] != pred["quake-ecuador-en-1"]
    assert pred["tallinn-energy-summit-en-1"] != pred["valencia-water-summit-en-1"]
    stories = engine.stories(StoryFilter(limit=100))
    assert sum(s.size for s in stories) == len(GOLD_ARTICLES)


def test_copies_count_their_outlet_in_the_story(ingested: tuple[Engine, str]) -> None:
    engine, _ = ingested
    copy = engine.article("madrid-bank-cyberattack-es-2")
    assert copy.story_id is not None
    story, _ = engine.story(copy.story_id)
    assert copy.source in story.sources
    assert story.reports == story.size - 1


def test_gold_quotes_are_found_with_their_speakers(ingested: tuple[Engine, str]) -> None:
    engine, _ = ingested
    gold = sample_gold()["quotes"]
    found = engine.store.list_quotes(QuoteFilter(limit=10_000))
    by_article: dict[str, list[str]] = {}
    for q in found:
        by_article.setdefault(q.article_id, []).append(q.text)
    hits = sum(
        1 for g in gold if any(g["text"] in t or t in g["text"] for t in by_article.get(g["article"], []))
    )
    assert hits / len(gold) >= 0.95


def test_gold_dates_are_found_with_their_values(ingested: tuple[Engine, str]) -> None:
    engine, _ = ingested
    gold = sample_gold()["timexes"]
    articles = {a.id: a for a in engine.articles(ArticleFilter(limit=1000))}
    found = right = 0
    for g in gold:
        matches = [t for t in articles[g["article"]].timexes if g["text"] in t.text or t.text in g["text"]]
        found += bool(matches)
        right += any(t.value == g["value"] for t in matches)
    assert found == len(gold)  # measured: 381 of 381
    assert right == len(gold)  # measured: 381 of 381 values (363 before the night and quote rules)


def test_story_coverage_is_cached_and_shaped_for_compare(ingested: tuple[Engine, str]) -> None:
    engine, _ = ingested
    story_id = engine.article("lyon-museum-heist-fr-1").story_id
    assert story_id is not None
    _, members = engine.story(story_id)
    # precomputed at ingest: reading the story is a cache read, not a comparison
    assert engine.store.get_coverage(story_id, "en", coverage_key(members, "en")) is not None
    coverage = engine.coverage(story_id)
    data = coverage.to_dict()
    assert data["facts"] and data["unique"]
    texts = {a.id: a.text for a in engine.story(story_id)[1]}
    for fact in data["facts"]:
        for ref in fact["sentences"]:
            assert texts[ref["article"]][ref["start"] : ref["end"]] == ref["text"]
    for conflict in data["conflicts"]:
        assert conflict["kind"] in {"number", "date", "entity", "quote"} and len(conflict["sides"]) >= 2


def test_cross_language_entities_share_one_id(ingested: tuple[Engine, str]) -> None:
    engine, _ = ingested
    ids_by_article = {
        a.id: {m.text: m.entity_id for m in a.mentions} for a in engine.articles(ArticleFilter(limit=1000))
    }
    assert ids_by_article["quake-peloponnese-en-1"].get("Greece") == ids_by_article[
        "quake-peloponnese-de-1"
    ].get("Griechenland")


def test_seed_reports_form_one_story(tmp_path: Path) -> None:
    seeds = Path(__file__).resolve().parents[2] / "shared" / "data" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared seeds not found")
    with Engine(settings=Settings(db=str(tmp_path / "seeds.db"))) as engine:
        report = engine.ingest([str(seeds)])
        assert report.added == 2
        stored = engine.articles(ArticleFilter(limit=10))
        assert {a.lang for a in stored} == {"en", "sv"}
        assert len({a.story_id for a in stored}) == 1
        en, sv = sorted(stored, key=lambda a: a.lang)
        ids = {lang: {m.text: m.entity_id for m in a.mentions} for lang, a in (("en", en), ("sv", sv))}
        for english, swedish in [
            ("Putin", "Putin"),
            ("Mongolia", "Mongoliet"),
            ("Ulaanbaatar", "Ulan Bator"),
            ("ICC", "Internationella brottmålsdomstolen"),
            ("Russia", "Ryssland"),
            ("Ukraine", "Ukraina"),
            ("China", "Kina"),
            ("Altantuya Batdorj", "Altantuya Batdorj"),
        ]:
            assert ids["en"][english] == ids["sv"][swedish], (english, swedish)
        assert any(m.label == "PER" and m.text.startswith("Khurelsukh") for m in sv.mentions)
        batdorj = {
            q.speaker.entity_id for a in stored for q in a.quotes if q.speaker and "Batdorj" in q.speaker.text
        }
        assert len(batdorj) == 1
        politico = [q for q in sv.quotes if q.text.startswith("Om Mongoliet förser Putin")]
        assert politico and politico[0].medium == "Politico"


def test_story_and_compare_commands_give_the_documented_json(sample_corpus_db: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from babelwire.cli import app

    runner = CliRunner()
    db = ["--db", str(sample_corpus_db)]
    listed = json.loads(runner.invoke(app, ["stories", *db, "--json"], catch_exceptions=False).stdout)
    assert len(listed) == 12 and all({"id", "label", "languages", "sources"} <= set(s) for s in listed)
    story_id = next(s["id"] for s in listed if "de" in s["languages"] and "sv" in s["languages"])
    shown = json.loads(runner.invoke(app, ["story", story_id, *db, "--json"], catch_exceptions=False).stdout)
    assert shown["comparison"]["facts"] and shown["reports"] and shown["entities"]
    result = runner.invoke(
        app, ["compare", "quake-ecuador-es-1", "quake-ecuador-en-1", *db, "--json"], catch_exceptions=False
    )
    compared = json.loads(result.stdout)
    assert {"facts", "unique", "conflicts"} <= set(compared)
    texts = {a["id"]: a["text"] for a in GOLD_ARTICLES}
    for ref in [s for f in compared["facts"] for s in f["sentences"]] + compared["unique"]:
        assert ref["article"] in {"quake-ecuador-es-1", "quake-ecuador-en-1"}
        assert texts[ref["article"]][ref["start"] : ref["end"]] == ref["text"]
    for conflict in compared["conflicts"]:
        assert all({"article", "start", "end", "text", "value"} <= set(side) for side in conflict["sides"])


def test_story_view_counts_entities_in_the_story_and_marks_foreign_summary_lines(
    sample_corpus_db: Path,
) -> None:
    from typer.testing import CliRunner

    from babelwire.cli import app

    runner = CliRunner()
    db = ["--db", str(sample_corpus_db)]
    listed = json.loads(runner.invoke(app, ["stories", *db, "--json"], catch_exceptions=False).stdout)
    # a story with no French report, read in French: its summary lines are marked with their language
    story = next(s for s in listed if "de" in s["languages"] and "fr" not in s["languages"])
    shown = json.loads(
        runner.invoke(
            app, ["story", story["id"], *db, "--json", "--lang", "fr"], catch_exceptions=False
        ).stdout
    )
    # counts are the story's own: no entity is in more of its articles than it has
    assert shown["entities"] and all(e["articles"] <= story["size"] for e in shown["entities"])
    text = runner.invoke(app, ["story", story["id"], *db, "--lang", "fr"], catch_exceptions=False).stdout
    foreign = {s["lang"] for s in shown["comparison"]["summary"] if s["lang"] != "fr"}
    assert foreign
    for lang in foreign:  # a summary line in another language keeps its "[de]" mark on the console
        assert f"[{lang}]" in text

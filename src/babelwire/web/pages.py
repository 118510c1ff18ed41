"""Server-rendered HTML pages: stories, a story, an article, entities, search."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from babelwire.web.deps import (
    LabelQuery,
    LangQuery,
    PagingDep,
    ReaderDep,
    SearchPagingDep,
    StateDep,
    StoryPagingDep,
)
from babelwire.web.lookups import article_view, entity_detail, entity_list, search_page
from babelwire.web.templating import page_context
from babelwire.web.views import SORTS, WINDOWS, StoryQuery, list_stories, story_view

router = APIRouter(include_in_schema=False)

Text = Annotated[str | None, Query(max_length=200)]


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """Render a template with the request, the configured languages and the current query."""
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(
        request, name, {**page_context(request), **context}, status_code=status
    )
    return response


@router.get("/", response_class=HTMLResponse)
def stories_page(
    request: Request,
    reader: ReaderDep,
    paging: PagingDep,
    window: Literal["1d", "3d", "7d", "30d", "all"] = "1d",
    lang: LangQuery = None,
    source: Text = None,
    entity: Text = None,
    sort: Literal["size", "languages", "recent"] = "size",
) -> Response:
    q = StoryQuery(window, lang or None, source or None, entity or None, sort, paging.page, paging.per_page)
    found = list_stories(reader.engine, q)
    return render(
        request,
        "stories.html",
        {"q": q, "found": found, "windows": list(WINDOWS), "sorts": SORTS, "paging": paging},
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(
    request: Request,
    reader: ReaderDep,
    state: StateDep,
    paging: StoryPagingDep,
    story_id: str,
    lang: LangQuery = None,
) -> Response:
    reader_lang = lang or state.settings.reader_lang
    view = story_view(
        reader.engine,
        story_id,
        reader_lang,
        paging.page,
        paging.per_page,
        coverage_json=False,
        default_lang=state.settings.reader_lang,
    )
    return render(request, "story.html", {"v": view, "reader_lang": reader_lang, "paging": paging})


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, reader: ReaderDep, article_id: str) -> Response:
    return render(request, "article.html", {"v": article_view(reader.engine, article_id)})


@router.get("/entities", response_class=HTMLResponse)
def entities_page(
    request: Request,
    reader: ReaderDep,
    paging: PagingDep,
    q: Text = None,
    label: LabelQuery = None,
) -> Response:
    items, has_next = entity_list(reader.engine, q, label, paging.page, paging.per_page)
    return render(
        request,
        "entities.html",
        {"items": items, "has_next": has_next, "paging": paging, "q": q or "", "label": label or ""},
    )


@router.get("/entities/{entity_id:path}", response_class=HTMLResponse)
def entity_page(request: Request, reader: ReaderDep, paging: PagingDep, entity_id: str) -> Response:
    if not entity_id:  # /entities/ is the list, not the first entity
        return RedirectResponse("/entities", status_code=307)
    detail = entity_detail(reader.engine, entity_id, paging.page, paging.per_page)
    return render(request, "entity.html", {"d": detail, "paging": paging})


@router.get("/search", response_class=HTMLResponse)
def search_html(
    request: Request,
    reader: ReaderDep,
    state: StateDep,
    paging: SearchPagingDep,
    q: Annotated[str, Query(max_length=500)] = "",
    mode: Literal["hybrid", "text", "semantic"] = "hybrid",
    lang: LangQuery = None,
) -> Response:
    result = None
    if q.strip():
        result = search_page(
            reader.engine,
            state.index,
            state.query_encoder,
            q,
            mode,
            lang or None,
            paging.page,
            paging.per_page,
        )
    return render(
        request,
        "search.html",
        {"q": q, "mode": mode, "lang": lang or "", "result": result, "paging": paging},
    )

"""FastAPI dependencies: the app state, a per-thread read engine, paging, and the write token."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError

from babelwire.engine import Engine
from babelwire.nlp.language import normalize_code
from babelwire.web.state import WebState


def get_state(request: Request) -> WebState:
    """The app's shared state (``app.state.web``)."""
    state: WebState = request.app.state.web
    return state


StateDep = Annotated[WebState, Depends(get_state)]


class Reader:
    """Gives the engine of whichever thread asks, so no SQLite object crosses threads.

    FastAPI may resolve a dependency on one worker thread and run the endpoint on another;
    the engine is therefore looked up when the endpoint uses it, not when the dependency runs.
    """

    def __init__(self, state: WebState) -> None:
        self.state = state

    @property
    def engine(self) -> Engine:
        """The calling thread's read engine."""
        return self.state.readers.engine()


def get_reader(state: StateDep) -> Reader:
    """A read handle on the database."""
    return Reader(state)


ReaderDep = Annotated[Reader, Depends(get_reader)]


@dataclass(frozen=True, slots=True)
class Paging:
    """A 1-based page number and a page size."""

    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def _paging(default: str) -> Any:
    """A paging dependency whose default page size is the setting named ``default``."""

    def get_paging(
        state: StateDep,
        page: Annotated[int, Query(ge=1, le=10_000, description="1-based page number")] = 1,
        per_page: Annotated[int | None, Query(ge=1, le=100, description="items per page")] = None,
    ) -> Paging:
        size = min(per_page or getattr(state.settings, default), state.settings.max_page_size)
        return Paging(page, size)

    return get_paging


PagingDep = Annotated[Paging, Depends(_paging("page_size"))]
#: Reports per page of a story (each is shown in full).
StoryPagingDep = Annotated[Paging, Depends(_paging("story_page_size"))]
#: Story groups per page of search results.
SearchPagingDep = Annotated[Paging, Depends(_paging("search_page_size"))]


def accepted_languages(state: WebState) -> list[str]:
    """The language codes ``lang`` takes: the configured languages and the default reader language."""
    configured = (normalize_code(c) for c in state.settings.engine.languages)
    return list(dict.fromkeys([*configured, normalize_code(state.settings.reader_lang)]))


def get_lang(
    state: StateDep,
    lang: Annotated[
        str | None,
        Query(
            max_length=35,
            description="a configured language (BABELWIRE_LANGUAGES), e.g. en or sv; a tag such as "
            "sv-SE or SV is read as sv; empty: any",
        ),
    ] = None,
) -> str | None:
    """``lang`` as babelwire names it (``SV``, ``sv-SE`` -> ``sv``), or None for empty.

    Only the configured languages pass: any other code is refused with the list of those that
    do, so that a request cannot make the server compute (and cache) a comparison per made-up code.
    """
    if lang is None or not lang.strip():
        return None
    code = normalize_code(lang)
    allowed = accepted_languages(state)
    if code not in allowed:
        raise RequestValidationError(
            [
                {
                    "loc": ("query", "lang"),
                    "msg": f"{lang[:35]!r} is not one of the languages this server works with: "
                    f"{', '.join(allowed)} (empty for any)",
                    "type": "value_error",
                }
            ]
        )
    return code


#: A configured language code, normalised (None when empty or missing).
LangQuery = Annotated[str | None, Depends(get_lang)]
LabelQuery = Annotated[
    str | None, Query(pattern=r"^(PER|ORG|LOC|MISC)?$", description="PER, ORG, LOC or MISC (empty: any)")
]


def require_token(
    state: StateDep,
    authorization: Annotated[str | None, Header(description="Bearer TOKEN")] = None,
) -> None:
    """Let a write through only with the configured bearer token; without one, writes are off."""
    token = state.settings.token
    if not token:
        raise HTTPException(
            403,
            "write endpoints are off: start the server with BABELWIRE_API_TOKEN set to a secret "
            "and send it as 'Authorization: Bearer TOKEN'",
        )
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise HTTPException(
            401, "missing bearer token: send 'Authorization: Bearer TOKEN'", {"WWW-Authenticate": "Bearer"}
        )
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(401, "wrong bearer token", {"WWW-Authenticate": 'Bearer error="invalid_token"'})


WriteAccess = Annotated[None, Depends(require_token)]

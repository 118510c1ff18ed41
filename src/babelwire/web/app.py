"""The app factory: ``create_app(settings_or_db)`` builds a FastAPI app with no import-time state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from babelwire import __version__
from babelwire.config import Settings
from babelwire.engine import Models
from babelwire.errors import NotFoundError, StoreError
from babelwire.web import api, feeds, ingest, pages
from babelwire.web.settings import WebSettings
from babelwire.web.state import WebState
from babelwire.web.templating import make_templates, page_context

#: Scripts, styles, images and fonts only from this server; no inline script, no plugins, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """ASGI middleware that adds the CSP and related headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """ASGI middleware that answers ``HEAD`` wherever ``GET`` is allowed: the GET response's
    status and headers (Content-Length included), without its body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)


def _wants_html(request: Request) -> bool:
    """Errors on pages are HTML for browsers (and ``*/*``); the API and feeds answer in JSON."""
    if request.url.path.startswith(("/api/", "/feeds/", "/openapi", "/static/")):
        return False
    accept = request.headers.get("accept", "")
    return not accept or "text/html" in accept or "*/*" in accept


def create_app(
    settings_or_db: WebSettings | Settings | str | None = None, models: Models | None = None
) -> FastAPI:
    """Build the web app over one database (a path, engine ``Settings`` or ``WebSettings``).

    ``models`` lets a caller that already loaded the NLP models and the encoder share them.
    """
    settings = WebSettings.coerce(settings_or_db)
    state = WebState(settings, models)
    state.check_database()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    app = FastAPI(
        title="babelwire",
        version=__version__,
        description=(
            "Multilingual news grouped into stories. Every HTML page has a JSON twin under `/api/`; "
            "Atom feeds are under `/feeds/`. Write endpoints need `Authorization: Bearer TOKEN` "
            "(the server's `BABELWIRE_API_TOKEN`)."
        ),
        docs_url=None,  # served below from local files: no CDN, and the CSP forbids inline script
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.web = state
    templates = make_templates()
    app.state.templates = templates
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    _mount_swagger(app)  # before /static, which would otherwise answer for /static/swagger/
    static = resources.files("babelwire.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api.router)
    app.include_router(ingest.router)
    app.include_router(feeds.router)
    app.include_router(pages.router)

    def problem(
        request: Request, status: int, detail: str, headers: dict[str, str] | None = None
    ) -> Response:
        if _wants_html(request):
            return templates.TemplateResponse(
                request,
                "error.html",
                {**page_context(request), "status": status, "detail": detail},
                status_code=status,
                headers=headers,
            )
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return problem(request, 404, str(exc))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        return problem(request, 503, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"nothing at {request.url.path}"
        return problem(request, exc.status_code, detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        reasons = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body"))
            reasons.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
        detail = "invalid request: " + "; ".join(reasons)
        if _wants_html(request):
            return problem(request, 400, detail)
        return JSONResponse({"detail": detail, "errors": _plain(exc.errors())}, status_code=422)

    return app


def _plain(errors: object) -> object:
    """Validation errors without the raw input (which may be large or hostile)."""
    if isinstance(errors, list | tuple):
        return [
            {k: v for k, v in e.items() if k in ("loc", "msg", "type")} if isinstance(e, dict) else str(e)
            for e in errors
        ]
    return str(errors)


def _mount_swagger(app: FastAPI) -> None:
    """Serve Swagger UI at ``/docs`` from the ``swagger-ui-bundle`` package (offline, CSP-clean)."""
    try:
        import swagger_ui_bundle
    except ImportError:  # pragma: no cover - the package is a dependency; keep /openapi.json anyway
        return
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        templates = request.app.state.templates
        response: HTMLResponse = templates.TemplateResponse(request, "docs.html", {})
        return response

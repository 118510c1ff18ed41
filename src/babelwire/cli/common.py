"""Shared pieces of the command line: the app, console, options, error handling and row helpers."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from babelwire import __version__
from babelwire.config import DEFAULT_DB, Settings
from babelwire.engine import Engine
from babelwire.errors import BabelwireError, StoreError
from babelwire.ingest.records import parse_published
from babelwire.model import Article, Story
from babelwire.store.codec import iso_utc

#: The exit code of an interrupted command (Ctrl-C).
EXIT_INTERRUPTED = 130


class _App(typer.Typer):
    """The command line app; run as a program, an interrupted command ends the process at once.

    The encoders' native threads (ONNX Runtime, the e5 engine) may still be running after Ctrl-C;
    left to the interpreter's shutdown, their C++ runtime aborts the process (SIGABRT, exit code
    134, "terminate called without an active exception"). What is stored is already committed
    (the store commits batch by batch and is closed before the message is printed; SQLite rolls
    back an open transaction), so the process flushes its output and ends with ``os._exit``.
    Tests invoke the command itself, not this call, and are not ended.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except SystemExit as exc:
            if exc.code == EXIT_INTERRUPTED:
                for stream in (sys.stdout, sys.stderr):
                    with contextlib.suppress(Exception):
                        stream.flush()
                os._exit(EXIT_INTERRUPTED)
            raise


app = _App(
    name="babelwire",
    help="Offline multilingual news engine: ingest reports, group them into stories, compare coverage.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


#: Control characters but newline and tab: shown escaped, never sent to the terminal as they are.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with its control characters written out (ESC as ``\\x1b``), newlines and tabs kept.

    A stored string (an outlet, an id, a file name) can hold an escape sequence that would move
    the cursor, rewrite the screen or set the window title of whoever lists it.
    """
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class _Console(Console):
    """A console that shows the control characters of every string it prints (see ``visible``).

    Rich turns each string it prints, a table's cells too, into text with ``render_str``; the
    styles it adds itself are not strings and keep working.
    """

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(visible(text), **kwargs)


console = _Console()


# messages are not wrapped by the console: a path or URL in them stays on one line (greppable,
# copyable); a terminal still wraps what is too wide for it
err = _Console(stderr=True, soft_wrap=True)


#: Exit codes (documented in the README): 0 ok, 1 some inputs rejected, 2 usage error,
#: 3 database error, 4 pipeline misconfigured, 5 id not found, 130 interrupted.
EXIT_PARTIAL = 1


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="BABELWIRE_DB",
        help=f"SQLite database file (default ./{DEFAULT_DB}).",
        show_envvar=True,
    ),
]


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 article", "3 articles" ("1 story", "2 stories" with ``many``)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def reader_language(value: str) -> str:
    """A ``--lang`` value: an ISO 639-1 code ("en", "sv"), lower-cased; anything else is refused."""
    import pycountry

    code = value.strip().lower()
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        raise typer.BadParameter(f"{value!r} is not a two-letter language code (en, sv, de, fr, ...)")
    return code


def filter_language(value: str | None) -> str | None:
    """A ``--lang`` filter: None (any language) or a two-letter code, so a typo is not "no results"."""
    return None if value is None else reader_language(value)


def forced_language(value: str, languages: tuple[str, ...]) -> str:
    """``ingest --lang``: the language every article is in, among those babelwire identifies.

    A tag (``sv-SE``) or ``nb``/``nn`` is read as the language stage reads it. A code that is no
    language, or one outside ``BABELWIRE_LANGUAGES`` (which the language stage would replace by the
    detected one, so that the option did nothing), is refused with the list of those it takes.
    """
    import pycountry

    from babelwire.nlp.language import normalize_code

    code = normalize_code(value)
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        raise typer.BadParameter(
            f"{value!r} is not a language code (en, sv, de, fr, ...; a tag such as sv-SE is fine)",
            param_hint="--lang",
        )
    allowed = list(dict.fromkeys(normalize_code(c) for c in languages))
    if code not in allowed:
        raise typer.BadParameter(
            f"{value!r} is not one of the languages babelwire works with: {', '.join(allowed)} "
            "(set BABELWIRE_LANGUAGES to add one)",
            param_hint="--lang",
        )
    return code


def _engine(db: str | None, **overrides: Any) -> Engine:
    return Engine(settings=Settings.from_env(db=db, **overrides))


def _reader(db: str | None) -> Engine:
    """An engine for a command that only reads: a SQLite file that does not exist is an error.

    Opening it would create an empty database, so a mistyped ``--db`` would answer "not found" or
    list nothing instead of saying that nothing is stored there.
    """
    settings = Settings.from_env(db=db)
    if not settings.db.startswith(("postgresql://", "postgres://")) and not settings.db_path.exists():
        raise StoreError(
            f"no database at {settings.db}: nothing has been ingested there "
            "(run `babelwire ingest` first, or give --db / BABELWIRE_DB)"
        )
    return Engine(settings=settings)


STORED_IS_KEPT = "interrupted; everything already stored is kept"


def interrupted_ingest(stored: int) -> str:
    """What an interrupted ingest says: how many articles it stored (they are kept)."""
    if stored == 0:
        return "interrupted before any article was stored"
    kept = "it is" if stored == 1 else "they are"
    return f"interrupted after storing {plural(stored, 'article')}; {kept} kept"


@contextmanager
def _errors(interrupted: str | Callable[[], str] = STORED_IS_KEPT) -> Iterator[None]:
    """Known errors as a message and their exit code; Ctrl-C as ``interrupted`` and exit code 130.

    ``interrupted`` is the message, or a function that says it when the interrupt comes (an
    ingest's count of articles stored). Standard output and error are flushed after it.
    """
    try:
        yield
    except BabelwireError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(exc.exit_code) from exc
    except KeyboardInterrupt:
        err.print(
            interrupted if isinstance(interrupted, str) else interrupted(), markup=False, highlight=False
        )
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _interrupted_output(path: str) -> str:
    """What an interrupt leaves of the output of a command that stores nothing (see ``_output``)."""
    if path == "-":
        return "interrupted; the output is incomplete"
    if os.path.exists(path):
        return f"interrupted; no output written ({path} is unchanged)"
    return f"interrupted; no output written ({path} was not created)"


def _json_stdout() -> Any:
    """Standard output for JSON, which is UTF-8 whatever the locale or console says (cp1252, ascii)."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if encoding != "utf8":
        # a stream that cannot change (a test runner's capture) is kept as it is
        with contextlib.suppress(AttributeError, ValueError, OSError):
            sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    return sys.stdout


def _dump_json(data: Any) -> None:
    _json_stdout().write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _date_option(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    parsed = parse_published(value)
    if parsed is None:
        raise typer.BadParameter(f"cannot read {value!r} as a date (try 2026-10-12)", param_hint=name)
    return parsed


def _date_range(
    since: str | None, until: str | None, *, empty_when_equal: bool = True
) -> tuple[datetime | None, datetime | None]:
    """``--since`` and ``--until`` read as dates; a reversed range is a usage error, not "nothing".

    ``--until`` is exclusive: with ``empty_when_equal`` (a listing of dated items), the same date
    for both holds nothing either and is refused too.
    """
    start, end = _date_option(since, "--since"), _date_option(until, "--until")
    if start is not None and end is not None and (start > end or (empty_when_equal and start == end)):
        raise typer.BadParameter(
            f"--since {since} is {'after' if start > end else 'the same as'} --until {until}, "
            "so nothing can match (--until is the first date left out)",
            param_hint="--since/--until",
        )
    return start, end


def page_footer(shown: int, offset: int, more: bool, word: str, many: str | None = None) -> str:
    """The line under a listing: how many are shown, and whether ``--offset`` shows more.

    "3 quotes", "first 100 quotes (more with --offset 100)", "100 quotes from 101 (more with
    --offset 200)": a full page never claims to be the total.
    """
    count = plural(shown, word, many)
    if more:
        where = f"first {count}" if offset == 0 else f"{count} from {offset + 1}"
        return f"{where} (more with --offset {offset + shown})"
    return f"{count} from {offset + 1}" if offset and shown else count


def story_or_not_found(engine: Engine, story_id: str) -> Story:
    """A stored story (a merged-away id is followed); ``NotFoundError`` (exit code 5) if none."""
    from babelwire.errors import NotFoundError

    found = engine.store.get_story(story_id)
    if found is None:
        raise NotFoundError(f"no story with id {story_id!r}; list ids with `babelwire stories`")
    return found


def _article_row(article: Article) -> dict[str, Any]:
    """An article as the listings show it: the export's record without the text, with its analysis."""
    from babelwire.export import article_record

    row = article_record(article)
    del row["text"]
    row.update(sentences=len(article.sentences), error=article.error)
    return row


def _story_row(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "label": story.label,
        "size": story.size,
        "reports": story.reports,
        "languages": story.languages,
        "sources": story.sources,
        "first_published": iso_utc(story.first_published),
        "last_published": iso_utc(story.last_published),
    }


#: The narrowest label column worth a table cell; with less room, each label gets its own line.
MIN_LABEL_WIDTH = 30

_STORY_COLUMNS = ("id", "articles", "languages", "outlets", "span")


def _print_stories(found: list[Story], footer: str | None = None) -> None:
    """The stories as a table; the label, the main information, is shown whole.

    Ids, counts and dates never wrap. The label takes the rest of the line and wraps there; when
    that rest is narrower than ``MIN_LABEL_WIDTH`` (80 columns leave it about six), each story's
    label goes on its own indented line under its row instead of being cut.
    """
    rows = []
    for s in found:
        first = (iso_utc(s.first_published) or "?")[:10]
        last = (iso_utc(s.last_published) or "?")[:10]
        span = first if first == last else f"{first}..{last[5:]}"
        rows.append((s.id, str(s.size), ",".join(s.languages), str(len(s.sources)), span))
    widths = [max([len(name), *(len(r[i]) for r in rows)]) for i, name in enumerate(_STORY_COLUMNS)]
    # rich pads every cell with one space on each side
    room = console.width - sum(w + 2 for w in widths) - 2
    if room >= MIN_LABEL_WIDTH:
        table = Table(box=None, header_style="bold", expand=True)
        for name, width in zip(_STORY_COLUMNS, widths, strict=True):
            table.add_column(name, no_wrap=True, min_width=width)
        table.add_column("label", overflow="fold", ratio=1)
        for row, story in zip(rows, found, strict=True):
            table.add_row(*(escape(cell) for cell in row), escape(story.label))
        console.print(table, highlight=False)
    else:
        header = "  ".join(name.ljust(width) for name, width in zip(_STORY_COLUMNS, widths, strict=True))
        console.print(f" {header.rstrip()}", style="bold", highlight=False, overflow="ignore", crop=False)
        for row, story in zip(rows, found, strict=True):
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            console.print(f" {line.rstrip()}", markup=False, highlight=False, overflow="ignore", crop=False)
            label = textwrap.fill(
                story.label, width=max(console.width, 40), initial_indent="   ", subsequent_indent="   "
            )
            console.print(label, markup=False, highlight=False, soft_wrap=True)
    console.print(footer or plural(len(found), "story", "stories"), style="dim", highlight=False)


def version_callback(value: bool) -> None:
    """Print the version and exit."""
    if value:
        console.print(f"babelwire {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """babelwire: multilingual news into stories, with coverage compared fact by fact."""


def _cannot_write(path: str, reason: str | None) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(path)}: cannot write ({reason})", highlight=False)
    return typer.Exit(2)


def _open_output(path: str) -> Any:
    """A file to write, or a clear message naming it and exit code 2."""
    try:
        return open(path, "w", encoding="utf-8")
    except OSError as exc:
        raise _cannot_write(path, exc.strerror) from exc


@contextmanager
def _output(path: str) -> Iterator[IO[str]]:
    """Where a command writes its JSON lines: standard output for ``-``, else a file written whole.

    The lines go to a temporary file in the same folder, which replaces ``path`` only when the
    command has written them all: an interrupt or a failure removes it and leaves an earlier file
    as it was, never empty or cut short. A path that cannot be written ends the command at once,
    before any input is read, with a message naming it and exit code 2. A device or a named pipe
    (``/dev/null``), and a file in a folder where no temporary file can be made, are written in
    place.
    """
    if path == "-":
        yield _json_stdout()
        return
    target = Path(os.path.realpath(path))  # a symlink keeps pointing at the file it names
    if target.is_dir():
        raise _cannot_write(path, "it is a folder")
    if target.exists() and not target.is_file():
        with _open_output(path) as sink:
            yield sink
        return
    if target.exists() and not os.access(target, os.W_OK):
        raise _cannot_write(path, "Permission denied")
    try:
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        if not target.exists():
            raise _cannot_write(path, exc.strerror) from exc
        handle = -1
    if handle < 0:  # a writable file in a folder that takes no new file: written in place, as before
        with _open_output(path) as sink:
            yield sink
        return
    try:
        if target.exists():
            mode = target.stat().st_mode & 0o7777
        else:  # what open() would have made: mkstemp's files are private (0600)
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temp, mode)
        with open(handle, "w", encoding="utf-8") as sink:
            yield sink
        try:
            os.replace(temp, target)
        except OSError as exc:
            raise _cannot_write(path, exc.strerror) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise

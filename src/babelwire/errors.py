"""One exception hierarchy; every message says what went wrong and how to fix it."""

from __future__ import annotations

import json


class BabelwireError(Exception):
    """Base of every error babelwire raises on purpose."""

    exit_code = 1


class InputError(BabelwireError):
    """An input could not be read or understood; ``source`` names it (path, path:line or URL)."""

    exit_code = 2

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(BabelwireError):
    """The database could not be opened, migrated or written."""

    exit_code = 3


class PipelineError(BabelwireError):
    """Stages are misconfigured (a stage needs something no earlier stage provides)."""

    exit_code = 4


class NotFoundError(BabelwireError):
    """An article, story or entity id that the store does not hold."""

    exit_code = 5


def malformed_json(exc: json.JSONDecodeError) -> str:
    """Why a JSON line is not JSON, with the column: "malformed JSON (Expecting value at column 23)".

    Some of Python's messages end in "at" ("Invalid control character at", "Unterminated string
    starting at"): the column follows them directly.
    """
    joined = "" if exc.msg.endswith(" at") else " at"
    return f"malformed JSON ({exc.msg}{joined} column {exc.colno})"

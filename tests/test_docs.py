"""The README documents every command, eval sub-command and setting: a new one without docs fails here."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import typer

from babelwire.cli import app
from babelwire.cli.evaluate import eval_app
from babelwire.config import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _names(typer_app: typer.Typer) -> list[str]:
    return [c.name or (c.callback.__name__ if c.callback else "") for c in typer_app.registered_commands]


def test_every_command_is_in_the_readme() -> None:
    for name in _names(app):
        assert f"`babelwire {name}" in README, f"babelwire {name} is not documented in README.md"


def test_every_eval_subcommand_is_in_the_readme() -> None:
    for name in _names(eval_app):
        assert f"`babelwire eval {name}" in README, f"babelwire eval {name} is not documented in README.md"


def test_every_environment_setting_is_in_the_readme() -> None:
    source = (Path(__file__).resolve().parents[1] / "src" / "babelwire" / "config.py").read_text(
        encoding="utf-8"
    )
    for variable in sorted(set(re.findall(r"BABELWIRE_[A-Z_]+", source))):
        assert variable in README, f"{variable} is not documented in README.md"
    assert {f.name for f in fields(Settings)} >= {"db", "languages", "encoder"}

"""What ``Engine.ingest`` takes as inputs: one path or URL, a list of them, ``str`` or ``Path``."""

from __future__ import annotations

from pathlib import Path

import pytest

from babelwire.engine import Engine, input_list
from tests.corpus import DE_TEXT, SV_TEXT


def test_a_single_string_is_one_input_not_its_characters(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text(SV_TEXT, encoding="utf-8")
    report = engine.ingest(str(path))
    assert (report.added, report.rejected) == (1, 0), report.messages


def test_paths_alone_and_in_a_list(engine: Engine, tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(SV_TEXT, encoding="utf-8")
    second.write_text(DE_TEXT, encoding="utf-8")
    report = engine.ingest([first, str(second)])
    assert (report.added, report.rejected) == (2, 0), report.messages
    again = engine.ingest(first)
    assert again.already_stored == 1 and again.rejected == 0


@pytest.mark.parametrize("bad", [42, b"a.txt", None, [42], ["a.txt", 3.5], [b"a.txt"]])
def test_anything_else_is_a_type_error_before_anything_is_read(engine: Engine, bad: object) -> None:
    with pytest.raises(TypeError, match=r"str or os\.PathLike"):
        engine.ingest(bad)  # type: ignore[arg-type]


def test_input_list_keeps_order_and_converts_paths() -> None:
    assert input_list("-") == ["-"]
    assert input_list(Path("x") / "y.txt") == [str(Path("x") / "y.txt")]
    assert input_list(("a", Path("b"), "https://example.invalid/feed")) == [
        "a",
        "b",
        "https://example.invalid/feed",
    ]

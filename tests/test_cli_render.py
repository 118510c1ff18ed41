"""The story header line says what is known and leaves out what is not."""

from __future__ import annotations

from babelwire.cli.render import story_line
from babelwire.model import Story


def test_story_line_with_copies_and_outlets() -> None:
    story = Story(
        id="s1",
        label="x",
        size=4,
        reports=3,
        languages=["en", "sv"],
        sources=["Harbour Gazette", "Island Courier"],
    )
    assert (
        story_line(story)
        == "3 reports (4 with copies) in en, sv from 2 outlets: Harbour Gazette, Island Courier"
    )


def test_story_line_without_copies_or_outlets() -> None:
    # the seed reports come as bare text files: no outlet, no copy
    assert story_line(Story(id="s2", label="x", size=2, reports=2, languages=["en", "sv"])) == (
        "2 reports in en, sv (outlets unknown)"
    )
    one = Story(id="s3", label="x", size=1, reports=1, languages=["de"], sources=["Nordhafen Kurier"])
    assert story_line(one) == "1 report in de from 1 outlet: Nordhafen Kurier"

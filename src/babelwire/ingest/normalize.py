"""Normalise text (mojibake, Unicode NFC, whitespace), derive title and lead, and hash the content."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import ftfy

from babelwire.model import Article

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u2060\ufeff"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_HASH_STRIP = re.compile(r"[\W_]+", re.UNICODE)
_FTFY = ftfy.TextFixerConfig(normalization="NFC", explain=False, unescape_html=False)

MAX_TITLE = 200


def clean_text(text: str) -> str:
    """Repair mojibake, apply NFC, drop invisible characters and tidy whitespace; keeps paragraphs."""
    if not text:
        return ""
    fixed = ftfy.fix_text(text, config=_FTFY)
    fixed = unicodedata.normalize("NFC", fixed).translate(_INVISIBLE)
    fixed = fixed.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in fixed.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def clean_line(text: str) -> str:
    """``clean_text`` for one-line fields (titles): newlines become spaces."""
    return " ".join(clean_text(text).split())


def content_hash(text: str) -> str:
    """Hash of the text with case, punctuation and whitespace ignored: equal for the same words."""
    key = _HASH_STRIP.sub(" ", text.casefold()).strip()
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def cap_title(line: str) -> str:
    """A line used as a title, cut at a word before ``MAX_TITLE`` characters with "…" when longer."""
    if len(line) <= MAX_TITLE:
        return line
    cut = line[:MAX_TITLE].rsplit(" ", 1)[0] if " " in line[:MAX_TITLE] else line[: MAX_TITLE - 1]
    return cut + "…"


def _paragraphs(text: str) -> list[str]:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) == 1 and "\n" in blocks[0]:
        blocks = [line.strip() for line in blocks[0].split("\n") if line.strip()]
    return blocks


def derive_title_and_lead(text: str, title: str) -> tuple[str, str]:
    """A title (given, or the first short line) and a lead (the first paragraph that is not the title)."""
    paragraphs = _paragraphs(text)
    if not paragraphs:
        return title, ""
    if not title:
        title = cap_title(paragraphs[0].split("\n", 1)[0])
    lead_candidates = [p for p in paragraphs if p != title and not title.startswith(p)]
    lead = lead_candidates[0] if lead_candidates else paragraphs[0]
    return title, lead


class NormalizeStage:
    """Clean text and title, derive lead and content hash."""

    name = "normalize"
    version = "1"
    requires: tuple[str, ...] = ("text",)
    provides: tuple[str, ...] = ("text", "title", "lead", "content_hash")
    skip_duplicates = False

    def run(self, articles: list[Article]) -> None:
        """Normalise each article in place; an article with no text left is rejected."""
        for article in articles:
            article.text = clean_text(article.text)
            if not article.text:
                article.error = "no text left after cleaning (only whitespace or invisible characters)"
                continue
            title, lead = derive_title_and_lead(article.text, clean_line(article.title))
            article.title, article.lead = title, lead
            article.content_hash = content_hash(article.text)

"""Per-article clustering features: embeddings of the head and body, names, numbers and a date."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from babelwire.embed import Encoder
from babelwire.ingest.normalize import derive_title_and_lead
from babelwire.ingest.notices import blank_notices, is_notice, without_notices
from babelwire.model import Article

#: Characters of the head text (title + lead) that are embedded; e5 reads 512 tokens at most.
HEAD_CHARS = 600
#: Characters of the body that are embedded (the model truncates anyway; this bounds the work).
BODY_CHARS = 2500
#: Names are compared by their first letters so that inflections and spellings meet
#: ("Putins"/"Putin", "Mongoliet"/"Mongolia"); short names are kept whole.
NAME_PREFIX = 5
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
_AFTER_STOP = re.compile(r"[.!?:\"»«]\s$")
_URL_DATE = re.compile(r"/(20\d\d|19\d\d)[/-](\d\d?)[/-](\d\d?)(?:/|[-_])")
_URL_MONTH = re.compile(r"/(20\d\d|19\d\d)[/-](\d\d)/")
#: Capitalised words that are not names: function words and calendar words in the main languages.
_NOT_NAMES = frozenset(
    " ".join(
        (
            "the a an this that these those it he she they we i you his her their our its in on at for",
            "of and but or if when while after before as by with from to is was are were has have had",
            "will would said says monday tuesday wednesday thursday friday saturday sunday january",
            "february march april may june july august september october november december mr mrs ms dr",
            "der die das ein eine einer eines dem den des und oder aber wenn als nach bei mit von vor",
            "im am zum zur er sie es wir ich ihr sein seine montag dienstag mittwoch donnerstag freitag",
            "samstag sonntag januar februar märz mai juni juli oktober dezember herr frau el la los las",
            "un una unos unas y o pero si cuando en con por para del al lunes martes miércoles jueves",
            "viernes sábado domingo enero febrero marzo abril mayo junio julio agosto septiembre",
            "octubre noviembre diciembre le les une des et ou mais quand dans avec pour sur lundi mardi",
            "mercredi jeudi vendredi samedi dimanche janvier février mars avril juin juillet août",
            "septembre octobre novembre décembre den det en ett och men när på med för till av om",
            "måndag tisdag onsdag torsdag fredag lördag söndag januari februari mars april maj juni",
            "juli augusti oktober w z i na do od po przez dla że się bu ve ile için de da ama",
        )
    ).split()
)


@dataclass(slots=True)
class ArticleFeatures:
    """Everything clustering needs about one article; ``to_bytes``/``from_bytes`` for the store."""

    id: str
    head: np.ndarray  # unit vector of "title + lead" (passage)
    body: np.ndarray  # unit vector of the body text (passage)
    lang: str | None = None
    day: float | None = None  # publication time in days since 1970-01-01 UTC
    names: frozenset[str] = field(default_factory=frozenset)  # normalised name keys (fallback)
    entities: frozenset[str] = field(default_factory=frozenset)  # canonical entity ids, when linked
    numbers: frozenset[str] = field(default_factory=frozenset)  # normalised numbers (no years)
    source: str | None = None  # the sender (outlet name or URL host), folded; None when unknown
    # (centre share, head, body) as compared by the score; filled on first use, never stored
    compared: tuple[float, np.ndarray, np.ndarray] | None = field(
        default=None, init=False, compare=False, repr=False
    )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (vectors as lists of floats)."""
        return {
            "id": self.id,
            "lang": self.lang,
            "day": self.day,
            "names": sorted(self.names),
            "entities": sorted(self.entities),
            "numbers": sorted(self.numbers),
            "source": self.source,
            "head": [float(x) for x in self.head],
            "body": [float(x) for x in self.body],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleFeatures:
        """Rebuild features from ``to_dict`` output."""
        return cls(
            id=str(data["id"]),
            head=np.asarray(data["head"], dtype=np.float32),
            body=np.asarray(data["body"], dtype=np.float32),
            lang=data.get("lang"),
            day=data.get("day"),
            names=frozenset(data.get("names", ())),
            entities=frozenset(entity_key(e) for e in data.get("entities", ())),  # stored with types before
            numbers=frozenset(data.get("numbers", ())),
            source=sender_key(data.get("source")),  # absent in features stored before senders were kept
        )

    def to_bytes(self) -> bytes:
        """Compact binary form: a JSON header line, then the two float32 vectors."""
        meta = self.to_dict()
        del meta["head"], meta["body"]
        meta["dim"] = int(self.head.shape[0])
        header = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        vecs = np.concatenate([self.head, self.body]).astype("<f4").tobytes()
        return header + b"\n" + vecs

    @classmethod
    def from_bytes(cls, blob: bytes) -> ArticleFeatures:
        """Rebuild features from ``to_bytes`` output."""
        header, _, vecs = blob.partition(b"\n")
        meta = json.loads(header.decode("utf-8"))
        dim = int(meta.pop("dim"))
        arr = np.frombuffer(vecs, dtype="<f4").astype(np.float32)
        meta["head"], meta["body"] = arr[:dim], arr[dim : 2 * dim]
        return cls.from_dict(meta)


def fold(word: str) -> str:
    """Case- and accent-folded form of a word (``Ñuñoa`` -> ``nunoa``)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ß", "ss")


def name_key(word: str) -> str:
    """The comparison key of a name: folded, possessive removed, cut to ``NAME_PREFIX`` letters."""
    key = fold(word).replace("’", "'")
    key = re.sub(r"'s?$", "", key).strip("'-")
    return key[:NAME_PREFIX]


def is_title_case(title: str) -> bool:
    """True when most words of a title are capitalised ("Floods Hit Valderhavn Again")."""
    words = [w for w in _WORD.findall(title) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def extract_names(text: str, starts: Sequence[int] = (), title_end: int = 0) -> frozenset[str]:
    """Capitalised words and acronyms that look like names (a cheap fallback for entity linking).

    A capitalised word at a sentence start (offsets in ``starts``) or in a Title Case title that
    opens the text (before ``title_end``) counts only if it also appears capitalised inside a
    sentence or starts two sentences, so that ordinary sentence-initial words are left out.
    """
    initial = set(starts)
    inside: set[str] = set()
    at_start: dict[str, int] = {}
    for match in _WORD.finditer(text):
        word = match.group()
        if not word[0].isupper() or len(word) < 2 or fold(word) in _NOT_NAMES:
            continue
        key = name_key(word)
        if len(key) < 2:
            continue
        pos = match.start()
        prev = text[max(0, pos - 2) : pos]
        if pos < title_end or pos in initial or pos == 0 or "\n" in prev or _AFTER_STOP.search(prev):
            at_start[key] = at_start.get(key, 0) + 1
        else:
            inside.add(key)
    return frozenset(inside | {k for k, n in at_start.items() if n >= 2 or k in inside})


def normalise_number(raw: str) -> str | None:
    """A canonical number string (``6,7`` and ``6.7`` meet; ``1,000`` is ``1000``); years are dropped."""
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", raw):
        raw = re.sub(r"[.,]", "", raw)
    raw = raw.replace(",", ".")
    if raw.count(".") > 1:
        return None
    if re.fullmatch(r"(19|20)\d\d", raw):
        return None  # a year says little about which event it is
    try:
        value = float(raw)
    except ValueError:
        return None
    if value < 2:
        return None
    return f"{value:g}"


def extract_numbers(text: str) -> frozenset[str]:
    """Normalised numbers in a text, without years and without 0 and 1."""
    out = {normalise_number(m.group()) for m in _NUMBER.finditer(text)}
    return frozenset(n for n in out if n is not None)


def url_day(url: str | None) -> float | None:
    """The date in a URL path (``/2020/01/31/``) in days since 1970, or None."""
    if not url:
        return None
    match = _URL_DATE.search(url)
    try:
        if match:
            y, m, d = (int(g) for g in match.groups())
            return (datetime(y, m, d, tzinfo=UTC) - EPOCH).total_seconds() / 86400.0
        month = _URL_MONTH.search(url)
        if month:
            y, m = int(month.group(1)), int(month.group(2))
            return (datetime(y, m, 15, tzinfo=UTC) - EPOCH).total_seconds() / 86400.0
    except ValueError:
        return None
    return None


def article_day(article: Article) -> float | None:
    """Publication time in days since 1970, or None when unknown.

    Dates found in URL paths are not used: they are often the date of a section or an older
    story, and a wrong date would keep an article out of its story's time window.
    """
    if article.published is not None:
        published = article.published
        if published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
        return (published - EPOCH).total_seconds() / 86400.0
    return None


def head_text(article: Article) -> str:
    """Title and lead, the part of a report that says which event it is about.

    A site's access notice (``ingest.notices``) is neither: a title or lead that is one is left
    out, and the lead is then the first paragraph after the title that is not. Empty when the
    whole text is notices (nothing to compare).
    """
    title, lead = article.title.strip(), article.lead.strip()
    text_left = article.text
    if is_notice(title) or is_notice(lead):
        text_left = without_notices(article.text)
        # a notice title is replaced by the first line that is not one (as ``derive_title_and_lead``
        # picks a title), so the real headline after a wall is compared, not skipped
        title, lead = derive_title_and_lead(text_left, "" if is_notice(title) else title)
        if not text_left.strip():
            title, lead = "", ""
    if not lead or lead == title or title.startswith(lead):
        text = title or text_left
    elif not title or lead.startswith(title.rstrip("…").rstrip()):
        text = lead
    else:
        text = f"{title}\n{lead}"
    return text.strip()[:HEAD_CHARS]


def body_text(article: Article) -> str:
    """The text embedded as the body: the article text without access notices, cut to ``BODY_CHARS``."""
    return _body(without_notices(article.text))


def _body(cleaned: str) -> str:
    return cleaned.strip()[:BODY_CHARS]


def _embed(encoder: Encoder, texts: list[str]) -> np.ndarray:
    """Passage vectors of ``texts``; an empty text (nothing but notices) gets a zero vector."""
    out = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    filled = [i for i, text in enumerate(texts) if text]
    if filled:
        out[filled] = encoder.encode([texts[i] for i in filled], "passage")
    return out


def _title_end(article: Article) -> int:
    """Where a Title Case first line (a headline) ends, else 0."""
    first_line = article.text.split("\n", 1)[0]
    if len(first_line) > 200 or not is_title_case(first_line):
        return 0
    return len(first_line)


def sender_key(source: str | None) -> str | None:
    """The comparison key of an article's sender: folded, ``www.`` dropped; None when unknown."""
    if not source or not source.strip():
        return None
    key = source.strip().casefold()
    return key[4:] if key.startswith("www.") else key


def entity_key(entity_id: str) -> str:
    """An entity id without its type: recognisers of two languages may type one name differently.

    "PER:altantuya-batdorj" in one report and "MISC:altantuya-batdorj" in another are one person;
    before the story exists, nothing unifies their types.
    """
    kind, sep, rest = entity_id.partition(":")
    return rest if sep and kind in _ENTITY_TYPES else entity_id


_ENTITY_TYPES = frozenset({"PER", "ORG", "LOC", "MISC"})


def compute_features(articles: Sequence[Article], encoder: Encoder) -> list[ArticleFeatures]:
    """Embed and extract the clustering features of analysed articles (normalised and segmented)."""
    if not articles:
        return []
    # one scan for notice cues per text: ``without_notices`` returns the text itself when it has none
    cleaned = [without_notices(a.text) for a in articles]
    heads = _embed(encoder, [head_text(a) for a in articles])
    bodies = _embed(encoder, [_body(c) for c in cleaned])
    out: list[ArticleFeatures] = []
    for i, article in enumerate(articles):
        starts = [s.start for s in article.sentences]
        # a site's notice holds no name or number of the event
        text = article.text if cleaned[i] is article.text else blank_notices(article.text)
        entities = frozenset(
            entity_key(m.entity_id)
            for m in article.mentions
            if m.entity_id and (text is article.text or not text[m.start : m.end].isspace())
        )
        out.append(
            ArticleFeatures(
                id=article.id,
                head=heads[i],
                body=bodies[i],
                lang=article.lang,
                day=article_day(article),
                names=extract_names(text, starts, _title_end(article)),
                entities=entities,
                numbers=extract_numbers(text),
                source=sender_key(article.source),
            )
        )
    return out

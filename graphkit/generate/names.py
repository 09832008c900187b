"""Firm, person and street names, rendered the way each country's registry writes them.

A firm name is a base (prefix word, core word, optional suffix word or number) dressed in a
legal form (`ТОО «…»`, `… GmbH`). Bases are drawn without replacement per country, so names
are unique per country by construction; the same base in another script or legal form is a
spelling variant of one firm, which is what planted intermediaries use on their shipments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.generate import words as w
from graphkit.generate.messy import COUNTRIES
from graphkit.generate.tables import put
from graphkit.generate.words import Word


class Script(IntEnum):
    LATIN = 0
    CYRILLIC = 1
    KAZAKH = 2


def spelled(word: Word, script: Script) -> str:
    if script == Script.KAZAKH:
        return word.kazakh or word.cyrillic or word.latin
    if script == Script.CYRILLIC:
        return word.cyrillic or word.latin
    return word.latin


@dataclass(frozen=True)
class Form:
    """A legal form: the text around the name's words, and the script the words are in."""

    before: str
    script: Script
    after: str
    odds: float


@dataclass(frozen=True)
class Kit:
    """What one country's firm names are made of."""

    prefixes: tuple[Word, ...]
    cores: tuple[Word, ...]
    suffixes: tuple[Word, ...]  # an empty first word means the suffix is optional
    forms: tuple[Form, ...]
    joiner: str = " "

    @property
    def pairs(self) -> int:
        return len(self.prefixes) * len(self.cores)

    @property
    def suffix_optional(self) -> bool:
        return self.suffixes[0].latin == ""


def _forms(script: Script, *pieces: tuple[str, str, float]) -> tuple[Form, ...]:
    return tuple(Form(before, script, after, odds) for before, after, odds in pieces)


LAT, CYR, KAZ = Script.LATIN, Script.CYRILLIC, Script.KAZAKH
KZ_LONG_FORM = "Жауапкершілігі шектеулі серіктестігі «"
KZ = Kit(
    w.KZ_PREFIXES,
    w.KZ_CORES,
    w.KZ_SUFFIXES,
    (
        Form("ТОО «", CYR, "»", 0.35),
        Form('ТОО "', CYR, '"', 0.08),
        Form('TOO "', LAT, '"', 0.2),
        Form(KZ_LONG_FORM, KAZ, "»", 0.1),
        Form("", LAT, " LLP", 0.22),
        Form("«", CYR, "» ЖШС", 0.05),
    ),
)
_RU = Kit(
    w.RU_CORES,
    w.RU_REGIONS,
    w.RU_SUFFIXES,
    (
        Form("ООО «", CYR, "»", 0.45),
        Form('ООО "', CYR, '"', 0.1),
        Form('OOO "', LAT, '"', 0.12),
        Form("АО «", CYR, "»", 0.15),
        Form("ПАО «", CYR, "»", 0.05),
        Form("АО «Завод ", CYR, "»", 0.05),
        Form("", LAT, " LLC", 0.08),
    ),
    joiner="-",
)
_KG = Kit(
    w.KG_PREFIXES,
    w.KG_CORES,
    w.KG_SUFFIXES,
    (Form("ОсОО «", CYR, "»", 0.6), Form('OsOO "', LAT, '"', 0.25), Form("", LAT, " LLC", 0.15)),
)
_AM = Kit(
    w.AM_PREFIXES,
    w.AM_CORES,
    w.AM_SUFFIXES,
    _forms(LAT, ("", " LLC", 0.6), ("", " CJSC", 0.25), ('OOO "', '"', 0.15)),
)
_CY = Kit(
    w.CY_PREFIXES, w.CY_CORES, w.CY_SUFFIXES, _forms(LAT, ("", " Ltd", 0.7), ("", " Limited", 0.3))
)
_AE = Kit(
    w.AE_PREFIXES,
    w.AE_CORES,
    w.AE_SUFFIXES,
    _forms(LAT, ("", " FZE", 0.35), ("", " FZCO", 0.2), ("", " LLC", 0.25), ("", " DMCC", 0.2)),
)
_CN = Kit(
    w.CN_CITIES,
    w.CN_BRANDS,
    w.CN_INDUSTRIES,
    _forms(LAT, ("", " Co., Ltd.", 0.8), ("", " Company Limited", 0.2)),
)
_TR = Kit(
    w.TR_PREFIXES,
    w.TR_CORES,
    w.TR_SUFFIXES,
    _forms(LAT, ("", " A.Ş.", 0.5), ("", " Ltd. Şti.", 0.3), ("", " Sanayi ve Ticaret A.Ş.", 0.2)),
)
_GERMAN_FORMS = _forms(
    LAT, ("", " GmbH", 0.65), ("", " AG", 0.1), ("", " GmbH & Co. KG", 0.2), ("", " KG", 0.05)
)


def _eu(*pieces: tuple[str, str, float]) -> Kit:
    return Kit(w.EU_PREFIXES, w.EU_CORES, w.EU_SUFFIXES, _forms(LAT, *pieces))


FIRM_KITS: dict[str, Kit] = {
    "KZ": KZ,
    "RU": _RU,
    "KG": _KG,
    "AM": _AM,
    "CY": _CY,
    "AE": _AE,
    "CN": _CN,
    "TR": _TR,
    "DE": Kit(w.DE_PREFIXES, w.DE_CORES, w.DE_SUFFIXES, _GERMAN_FORMS),
    "AT": Kit(w.DE_PREFIXES, w.DE_CORES, w.DE_SUFFIXES, _GERMAN_FORMS),
    "IT": Kit(
        w.IT_PREFIXES,
        w.IT_CORES,
        w.IT_SUFFIXES,
        _forms(LAT, ("", " S.r.l.", 0.7), ("", " S.p.A.", 0.2), ("", " S.a.s.", 0.1)),
    ),
    "FR": Kit(
        w.FR_PREFIXES,
        w.FR_CORES,
        w.FR_SUFFIXES,
        _forms(LAT, ("", " SAS", 0.5), ("", " SARL", 0.35), ("", " SA", 0.15)),
    ),
    "PL": Kit(
        w.PL_PREFIXES,
        w.PL_CORES,
        w.PL_SUFFIXES,
        _forms(LAT, ("", " Sp. z o.o.", 0.8), ("", " S.A.", 0.2)),
    ),
    "NL": Kit(
        w.NL_PREFIXES,
        w.NL_CORES,
        w.NL_SUFFIXES,
        _forms(LAT, ("", " B.V.", 0.85), ("", " N.V.", 0.15)),
    ),
    "BE": Kit(
        w.NL_PREFIXES,
        w.NL_CORES,
        w.NL_SUFFIXES,
        _forms(LAT, ("", " BV", 0.6), ("", " NV", 0.2), ("", " SRL", 0.2)),
    ),
    "CZ": _eu(("", " s.r.o.", 0.8), ("", " a.s.", 0.2)),
    "FI": _eu(("", " Oy", 0.85), ("", " Oyj", 0.15)),
    "ES": _eu(("", " S.L.", 0.7), ("", " S.A.", 0.3)),
    "SE": _eu(("", " AB", 1.0)),
    "DK": _eu(("", " ApS", 0.7), ("", " A/S", 0.3)),
    "LT": _eu(("UAB ", "", 0.9), ("AB ", "", 0.1)),
    "LV": _eu(("SIA ", "", 1.0)),
    "EE": _eu(("", " OÜ", 0.8), ("", " AS", 0.2)),
    "SK": _eu(("", " s.r.o.", 0.8), ("", " a.s.", 0.2)),
    "HU": _eu(("", " Kft.", 0.8), ("", " Zrt.", 0.2)),
}
assert set(FIRM_KITS) == {c.alpha2 for c in COUNTRIES}, "every country needs a firm name kit"


@dataclass(frozen=True)
class Bases:
    """Drawn name bases: prefix, core and suffix index per firm (suffix past the words = number)."""

    prefix: np.ndarray
    core: np.ndarray
    suffix: np.ndarray


def draw_bases(rng: np.random.Generator, kit: Kit, count: int, reserved_pairs: np.ndarray) -> Bases:
    """Distinct bases for count firms, none using a reserved (prefix, core) pair.

    Plain names are used up first, then names with a suffix word, then numbered names, so a
    small world reads like a registry and a large one stays unique.
    """
    free_pairs = np.setdiff1d(np.arange(kit.pairs), reserved_pairs)
    per_pair = max(len(kit.suffixes), math.ceil(count / max(len(free_pairs), 1)) + 1)
    suffixes = np.arange(per_pair)
    tier = np.where(suffixes >= len(kit.suffixes), 2, (suffixes > 0) & kit.suffix_optional)
    pair_of = np.repeat(free_pairs, per_pair)
    suffix_of = np.tile(suffixes, len(free_pairs))
    order = np.lexsort((rng.random(len(pair_of)), np.tile(tier, len(free_pairs))))[:count]
    order = order[rng.permutation(count)]  # tiers were for choosing, not for row order
    prefix, core = np.divmod(pair_of[order], len(kit.cores))
    return Bases(prefix, core, suffix_of[order])


def _suffix_texts(kit: Kit, script: Script, count: int) -> list[str]:
    words = [(" " + spelled(s, script)) if s.latin else "" for s in kit.suffixes]
    return words + [f" {n}" for n in range(2, 2 + count - len(words))]


def render_firm_names(rng: np.random.Generator, kit: Kit, bases: Bases) -> pa.Array:
    """Registry names for drawn bases, each in a legal form picked by the kit's odds."""
    odds = np.array([f.odds for f in kit.forms])
    form = rng.choice(len(kit.forms), size=len(bases.prefix), p=odds / odds.sum())
    scripts = sorted({f.script for f in kit.forms})
    suffix_count = max(len(kit.suffixes), int(bases.suffix.max(initial=0)) + 1)
    words_by_script = [
        pc.binary_join_element_wise(
            pa.array([spelled(x, s) for x in kit.prefixes]).take(bases.prefix),
            pa.array([spelled(x, s) for x in kit.cores]).take(bases.core),
            kit.joiner,
        )
        for s in scripts
    ]
    suffix_by_script = [
        pa.array(_suffix_texts(kit, s, suffix_count)).take(bases.suffix) for s in scripts
    ]
    script_slot = np.array([scripts.index(f.script) for f in kit.forms])[form]
    return pc.binary_join_element_wise(
        pa.array([f.before for f in kit.forms]).take(form),
        pc.choose(pa.array(script_slot), *words_by_script),
        pc.choose(pa.array(script_slot), *suffix_by_script),
        pa.array([f.after for f in kit.forms]).take(form),
        "",
    )


def firm_name(kit: Kit, form: Form, prefix: int, core: int, extra: str = "") -> str:
    """One registry name; extra is the text after the core words (" Group", " 22")."""
    words = spelled(kit.prefixes[prefix], form.script) + kit.joiner
    return f"{form.before}{words}{spelled(kit.cores[core], form.script)}{extra}{form.after}"


def pick_form(rng: np.random.Generator, kit: Kit) -> Form:
    odds = np.array([f.odds for f in kit.forms])
    return kit.forms[int(rng.choice(len(kit.forms), p=odds / odds.sum()))]


def kazakh_spelling_variants(prefix: int, core: int, extra: str, registered: Form) -> list[str]:
    """How a customs clerk might write a Kazakh firm's name instead of its registry spelling:
    Latin transliteration, the legal form swapped, the Kazakh form."""
    p, c = KZ.prefixes[prefix], KZ.cores[core]
    translit = f"{p.transliterated} {c.transliterated}{extra}".upper()
    english = f"{p.latin} {c.latin}{extra}"
    cyr = f"{spelled(p, CYR)} {spelled(c, CYR)}{extra}"
    kaz = f"{spelled(p, KAZ)} {spelled(c, KAZ)}{extra}"
    swapped = f'TOO "{english}"' if registered.after == " LLP" else f"{english.upper()} LLP"
    kazakh = f"{KZ_LONG_FORM}{kaz}»" if registered.after == "» ЖШС" else f"«{cyr}» ЖШС"
    return [f'TOO "{translit}"', swapped, kazakh]


def typo(rng: np.random.Generator, name: str) -> str:
    """The name with one letter dropped, doubled or swapped with its neighbour."""
    letters = [i for i in range(1, len(name) - 1) if name[i].isalpha() and name[i + 1].isalpha()]
    at = int(rng.choice(letters))
    kind = int(rng.integers(3))
    if kind == 0:
        return name[:at] + name[at + 1 :]
    if kind == 1:
        return name[:at] + name[at] + name[at:]
    return name[:at] + name[at + 1] + name[at] + name[at + 2 :]


# Persons


@dataclass(frozen=True)
class PersonKit:
    surnames: tuple[Word, ...]
    male: tuple[Word, ...]
    female: tuple[Word, ...]
    fathers: tuple[Word, ...]  # given names patronymics are made from; empty: none used
    cyrillic_odds: float  # share of names written in Cyrillic
    surname_first: bool = False  # how the Latin form orders the name


def _patronymic(father: str, female: bool) -> str:
    ending = "на" if female else "ич"
    if father.endswith("ий"):
        return father[:-2] + "ьев" + ending
    if father.endswith("й"):
        return father[:-1] + "ев" + ending
    return father + "ов" + ending


def _feminine(surname: Word) -> Word:
    """Иванов -> Иванова, Ivanov -> Ivanova; other surnames do not change."""
    if surname.cyrillic and surname.cyrillic.endswith(("ов", "ев", "ин", "ын")):
        return Word(surname.latin + "a", surname.cyrillic + "а")
    return surname


def _patronymics(fathers: tuple[Word, ...], female: bool) -> tuple[Word, ...]:
    return w.cyrillic("|".join(_patronymic(f.cyrillic or f.latin, female) for f in fathers))


PERSON_KITS: dict[str, PersonKit] = {
    "RU": PersonKit(w.RU_SURNAMES, w.RU_MALE, w.RU_FEMALE, w.RU_FATHERS, 0.6),
    "KZ": PersonKit(w.KZ_SURNAMES, w.KZ_MALE, w.KZ_FEMALE, w.KZ_MALE, 0.5),
    "KG": PersonKit(w.KG_SURNAMES, w.KG_MALE, w.KG_FEMALE, w.KG_MALE, 0.6),
    "AM": PersonKit(w.AM_SURNAMES, w.AM_MALE, w.AM_FEMALE, (), 0.3),
    "CN": PersonKit(w.CHINESE_SURNAMES, w.CHINESE_GIVEN, w.CHINESE_GIVEN, (), 0.0, True),
    "TR": PersonKit(w.TURKISH_SURNAMES, w.TURKISH_GIVEN, w.TURKISH_GIVEN, (), 0.0),
    "CY": PersonKit(w.GREEK_SURNAMES, w.GREEK_GIVEN, w.GREEK_GIVEN, (), 0.0),
    "AE": PersonKit(w.ARAB_SURNAMES, w.ARAB_GIVEN, w.ARAB_GIVEN, (), 0.0),
    "DE": PersonKit(w.GERMAN_SURNAMES, w.GERMAN_GIVEN, w.GERMAN_GIVEN, (), 0.0),
    "AT": PersonKit(w.GERMAN_SURNAMES, w.GERMAN_GIVEN, w.GERMAN_GIVEN, (), 0.0),
    "IT": PersonKit(w.ITALIAN_SURNAMES, w.ITALIAN_GIVEN, w.ITALIAN_GIVEN, (), 0.0),
    "FR": PersonKit(w.FRENCH_SURNAMES, w.FRENCH_GIVEN, w.FRENCH_GIVEN, (), 0.0),
    "PL": PersonKit(w.POLISH_SURNAMES, w.POLISH_GIVEN, w.POLISH_GIVEN, (), 0.0),
    "NL": PersonKit(w.DUTCH_SURNAMES, w.DUTCH_GIVEN, w.DUTCH_GIVEN, (), 0.0),
    "BE": PersonKit(w.DUTCH_SURNAMES, w.DUTCH_GIVEN, w.DUTCH_GIVEN, (), 0.0),
}
_NORTHERN = PersonKit(w.NORTHERN_SURNAMES, w.NORTHERN_GIVEN, w.NORTHERN_GIVEN, (), 0.0)

_FEMALE_ODDS = 0.3  # of owners and directors
_PATRONYMIC_ODDS = 0.6  # of Cyrillic names, where the nation uses patronymics
_UPPER_ODDS = 0.1  # of Latin names, written in capitals as in a passport


def _texts(items: tuple[Word, ...], script: Script) -> pa.Array:
    return pa.array([spelled(x, script) for x in items])


@dataclass(frozen=True)
class _Picks:
    """Which words make each person's name: indices are taken modulo each list's length."""

    female: np.ndarray
    surname: np.ndarray
    given: np.ndarray
    father: np.ndarray

    def gendered(
        self, script: Script, male: tuple[Word, ...], female: tuple[Word, ...], index: np.ndarray
    ) -> pa.Array:
        return pc.if_else(
            pa.array(self.female),
            _texts(female, script).take(index % len(female)),
            _texts(male, script).take(index % len(male)),
        )


def _name_parts(kit: PersonKit, picks: _Picks, script: Script) -> tuple[pa.Array, pa.Array]:
    feminine = tuple(_feminine(s) for s in kit.surnames)
    surname = picks.gendered(script, kit.surnames, feminine, picks.surname)
    return surname, picks.gendered(script, kit.male, kit.female, picks.given)


def _cyrillic_names(rng: np.random.Generator, kit: PersonKit, picks: _Picks) -> pa.Array:
    """Surname, given name and, often, patronymic, as Russian-language registries write."""
    surname, given = _name_parts(kit, picks, CYR)
    plain = pc.binary_join_element_wise(surname, given, " ")
    if not kit.fathers:
        return plain
    patronymic = picks.gendered(
        CYR, _patronymics(kit.fathers, False), _patronymics(kit.fathers, True), picks.father
    )
    full = pc.binary_join_element_wise(surname, given, patronymic, " ")
    return pc.if_else(pa.array(rng.random(len(picks.female)) < _PATRONYMIC_ODDS), full, plain)


def _latin_names(rng: np.random.Generator, kit: PersonKit, picks: _Picks) -> pa.Array:
    surname, given = _name_parts(kit, picks, LAT)
    ordered = (surname, given) if kit.surname_first else (given, surname)
    text = pc.binary_join_element_wise(*ordered, " ")
    upper = pa.array(rng.random(len(picks.female)) < _UPPER_ODDS)
    return pc.if_else(upper, pc.utf8_upper(text), text)


def _person_names_of(rng: np.random.Generator, kit: PersonKit, count: int) -> pa.Array:
    picks = _Picks(rng.random(count) < _FEMALE_ODDS, *rng.integers(1 << 20, size=(3, count)))
    cyrillic = pa.array(rng.random(count) < kit.cyrillic_odds)
    return pc.if_else(cyrillic, _cyrillic_names(rng, kit, picks), _latin_names(rng, kit, picks))


def person_names(rng: np.random.Generator, nationality: np.ndarray) -> pa.Array:
    """A name for each person, in the style of the person's nationality."""
    names = pa.nulls(len(nationality), pa.string())
    for code, country in enumerate(COUNTRIES):
        rows = np.flatnonzero(nationality == code)
        if len(rows):
            kit = PERSON_KITS.get(country.alpha2, _NORTHERN)
            names = put(names, rows, _person_names_of(rng, kit, len(rows)))
    return names


# Addresses

_ADDRESS_WORDS: dict[str, tuple[tuple[Word, ...], tuple[Word, ...]]] = {
    "KZ": (w.KZ_CITIES, w.KZ_STREETS),
    "RU": (w.RU_CITIES, w.RU_STREETS),
    "KG": (w.KG_CITIES, w.KG_STREETS),
    "AM": (w.AM_CITIES, w.AM_STREETS),
    "CY": (w.CY_CITIES, w.CY_STREETS),
    "AE": (w.AE_CITIES, w.AE_STREETS),
    "CN": (w.CN_CITIES, w.CN_STREETS),
    "TR": (w.TR_CITIES, w.TR_STREETS),
    **w.EU_ADDRESSES,
}
_CYRILLIC_ADDRESS_ODDS = {"RU": 0.9, "KZ": 0.6, "KG": 0.7}
_BLANK_ADDRESS_ODDS = 0.05


def _addresses_of(rng: np.random.Generator, alpha2: str, count: int) -> pa.Array:
    cities, streets = _ADDRESS_WORDS[alpha2]
    city = rng.integers(len(cities), size=count)
    street = rng.integers(len(streets), size=count)
    number = pa.array(rng.integers(1, 250, size=count)).cast(pa.string())
    lat = pc.binary_join_element_wise(
        pc.binary_join_element_wise(_texts(streets, LAT).take(street), number, " "),
        _texts(cities, LAT).take(city),
        ", ",
    )
    cyr = pc.binary_join_element_wise(
        "г. ",
        _texts(cities, CYR).take(city),
        ", ул. ",
        _texts(streets, CYR).take(street),
        ", д. ",
        number,
        "",
    )
    cyrillic = rng.random(count) < _CYRILLIC_ADDRESS_ODDS.get(alpha2, 0.0)
    blank = rng.random(count) < _BLANK_ADDRESS_ODDS
    text = pc.if_else(pa.array(cyrillic), cyr, lat)
    return pc.if_else(pa.array(blank), pa.scalar(None, pa.string()), text)


def addresses(rng: np.random.Generator, country: np.ndarray) -> pa.Array:
    out = pa.nulls(len(country), pa.string())
    for code, c in enumerate(COUNTRIES):
        rows = np.flatnonzero(country == code)
        if len(rows):
            out = put(out, rows, _addresses_of(rng, c.alpha2, len(rows)))
    return out


class NameCheck:
    """Names already in use in one country, compared regardless of case."""

    def __init__(self, used: pa.Array) -> None:
        self._used = set(pc.utf8_lower(used).to_pylist())

    def __call__(self, name: str) -> bool:
        return name.lower() in self._used

    def claim(self, name: str) -> None:
        self._used.add(name.lower())

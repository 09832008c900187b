"""The many ways real extracts write one fact: countries, dates, shares, HS codes, money.

The world is generated as numbers (country indices, day numbers, hundredths of a percent,
cents); these renderers turn numpy arrays of such facts into pyarrow arrays of text, mostly by
looking them up in a table of every spelling, so millions of rows cost a few array operations.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

NO_DAY = np.iinfo(np.int32).min  # marks a blank date in day arrays


def day(iso: str) -> int:
    """Days since 1970-01-01, the unit every date is generated in."""
    return int(np.datetime64(iso, "D").astype(np.int64))


INVASION = day("2022-02-24")
WORLD_START = day("2019-01-01")  # first day of the customs extract
WORLD_END = day("2025-06-30")  # last day of the customs extract


@dataclass(frozen=True)
class Country:
    alpha2: str
    alpha3: str
    english: tuple[str, ...]  # one or two English names
    russian: str | None = None  # only the names a Russian-language extract commonly uses


COUNTRIES: tuple[Country, ...] = (
    Country("KZ", "KAZ", ("Kazakhstan",), "Казахстан"),
    Country("RU", "RUS", ("Russia", "Russian Federation"), "Россия"),
    Country("KG", "KGZ", ("Kyrgyzstan",), "Кыргызстан"),
    Country("AM", "ARM", ("Armenia",), "Армения"),
    Country("CY", "CYP", ("Cyprus",), "Кипр"),
    Country("AE", "ARE", ("United Arab Emirates",)),
    Country("CN", "CHN", ("China",), "Китай"),
    Country("TR", "TUR", ("Turkey",), "Турция"),
    Country("DE", "DEU", ("Germany",), "Германия"),
    Country("IT", "ITA", ("Italy",), "Италия"),
    Country("FR", "FRA", ("France",), "Франция"),
    Country("PL", "POL", ("Poland",), "Польша"),
    Country("NL", "NLD", ("Netherlands",)),
    Country("CZ", "CZE", ("Czechia", "Czech Republic")),
    Country("AT", "AUT", ("Austria",)),
    Country("FI", "FIN", ("Finland",), "Финляндия"),
    Country("BE", "BEL", ("Belgium",)),
    Country("ES", "ESP", ("Spain",)),
    Country("SE", "SWE", ("Sweden",)),
    Country("DK", "DNK", ("Denmark",)),
    Country("LT", "LTU", ("Lithuania",), "Литва"),
    Country("LV", "LVA", ("Latvia",), "Латвия"),
    Country("EE", "EST", ("Estonia",), "Эстония"),
    Country("SK", "SVK", ("Slovakia",)),
    Country("HU", "HUN", ("Hungary",)),
)
CODE = {c.alpha2: i for i, c in enumerate(COUNTRIES)}  # alpha-2 -> index used in arrays
# The EU countries background suppliers come from, weighted by their trade with the region.
EU_MARKETS = {
    "DE": 25, "IT": 15, "FR": 12, "PL": 10, "NL": 8, "CZ": 6, "AT": 5, "FI": 4, "BE": 3,
    "ES": 3, "SE": 2, "DK": 2, "LT": 2, "LV": 1, "EE": 1, "SK": 1, "HU": 1,
}  # fmt: skip
EU = tuple(CODE[alpha2] for alpha2 in EU_MARKETS)

# Slots: alpha-2, alpha-3, first English name, second English name, Russian name.
# Mostly alpha-2, as in real extracts; a country without a common Russian name falls back
# to English so that the odds of the other forms stay the same for every country.
_COUNTRY_FORM_ODDS = (0.64, 0.12, 0.08, 0.08, 0.08)


def _country_forms(country: Country) -> list[str]:
    return [
        country.alpha2,
        country.alpha3,
        country.english[0],
        country.english[-1],
        country.russian or country.english[0],
    ]


_COUNTRY_TABLE = pa.array([form for c in COUNTRIES for form in _country_forms(c)])
_FORMS_PER_COUNTRY = len(_COUNTRY_FORM_ODDS)


def country_texts(rng: np.random.Generator, codes: np.ndarray) -> pa.Array:
    slots = rng.choice(_FORMS_PER_COUNTRY, size=len(codes), p=_COUNTRY_FORM_ODDS)
    return _COUNTRY_TABLE.take(codes.astype(np.int64) * _FORMS_PER_COUNTRY + slots)


# Dates: a table of every day in both spellings, so rendering a date is a lookup.
_TABLE_FIRST_DAY = day("1930-01-01")
_TABLE_LAST_DAY = day("2027-12-31")
_DOTTED_ODDS = 0.3  # share of DD.MM.YYYY among written dates


@cache
def _date_table() -> pa.Array:
    days = np.arange(_TABLE_FIRST_DAY, _TABLE_LAST_DAY + 1).astype("datetime64[D]")
    iso = pa.array(np.datetime_as_string(days, unit="D"))
    dotted = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(iso, 8, 10),
        pc.utf8_slice_codeunits(iso, 5, 7),
        pc.utf8_slice_codeunits(iso, 0, 4),
        ".",
    )
    # interleave: row 2k is day k in ISO form, row 2k + 1 the same day dotted
    return pa.concat_arrays([iso, dotted]).take(np.arange(2 * len(days)).reshape(2, -1).T.ravel())


def date_texts(rng: np.random.Generator, days: np.ndarray) -> pa.Array:
    """Each day as YYYY-MM-DD or DD.MM.YYYY; NO_DAY becomes blank."""
    blank = days == NO_DAY
    dotted = rng.random(len(days)) < _DOTTED_ODDS
    rows = (np.where(blank, _TABLE_FIRST_DAY, days).astype(np.int64) - _TABLE_FIRST_DAY) * 2
    return _date_table().take(pa.array(rows + dotted, mask=blank))


# Shares are generated in hundredths of a percent (5100 = 51%).
_SHARE_FORM_ODDS = (0.6, 0.25, 0.15)


def _share_forms(hundredths: int) -> list[str]:
    whole, cents = divmod(hundredths, 100)
    if cents == 0:
        return [str(whole), f"{whole}%", f"{whole}.0"]
    plain = f"{whole}.{cents:02d}".rstrip("0")
    return [plain, f"{plain}%", plain]


@cache
def _share_table() -> pa.Array:
    return pa.array([form for v in range(10001) for form in _share_forms(v)])


def share_texts(rng: np.random.Generator, hundredths: np.ndarray, blank: np.ndarray) -> pa.Array:
    slots = rng.choice(len(_SHARE_FORM_ODDS), size=len(hundredths), p=_SHARE_FORM_ODDS)
    rows = hundredths.astype(np.int64) * len(_SHARE_FORM_ODDS) + slots
    return _share_table().take(pa.array(rows, mask=blank))


@dataclass(frozen=True)
class Goods:
    hs6: str
    national: str  # the two or four digits an 8- or 10-digit national code adds
    unit: str
    english: str
    russian: str


# The EU's common high-priority items: what intermediaries move.
HIGH_PRIORITY: tuple[Goods, ...] = (
    Goods("854231", "9000", "pcs", "Processors and controllers", "Процессоры и контроллеры"),
    Goods("854232", "1000", "pcs", "Memory integrated circuits", "Интегральные схемы памяти"),
    Goods("854233", "0000", "pcs", "Amplifiers, integrated circuits", "Усилители"),
    Goods("854239", "9000", "pcs", "Other electronic integrated circuits", "Прочие микросхемы"),
    Goods(
        "851762",
        "0000",
        "pcs",
        "Machines for the transmission of data",
        "Аппаратура передачи данных",
    ),
    Goods("852691", "2000", "pcs", "Radio navigational aid apparatus", "Навигационная аппаратура"),
    Goods("852692", "0000", "pcs", "Radio remote control apparatus", "Аппаратура радиоуправления"),
    Goods("847150", "0000", "pcs", "Processing units for computers", "Вычислительные блоки"),
    Goods("848210", "1000", "pcs", "Ball bearings", "Шарикоподшипники"),
    Goods("848220", "0000", "pcs", "Tapered roller bearings", "Роликоподшипники конические"),
    Goods("845811", "4100", "u", "Numerically controlled lathes", "Токарные станки с ЧПУ"),
    Goods("903180", "3800", "pcs", "Measuring and checking instruments", "Измерительные приборы"),
    Goods("880730", "0000", "pcs", "Parts of aircraft and drones", "Части летательных аппаратов"),
    Goods("850760", "0000", "pcs", "Lithium-ion accumulators", "Литий-ионные аккумуляторы"),
    Goods("852589", "1900", "pcs", "Cameras", "Камеры"),
)

_ORDINARY: tuple[Goods, ...] = (
    Goods("300490", "0009", "kg", "Medicaments", "Лекарственные средства"),
    Goods("330499", "0000", "kg", "Cosmetics", "Косметические средства"),
    Goods("220421", "7900", "u", "Wine", "Вино"),
    Goods("090111", "0000", "kg", "Coffee, not roasted", "Кофе необжаренный"),
    Goods("180690", "1900", "kg", "Chocolate", "Шоколад"),
    Goods("610910", "0000", "pcs", "T-shirts of cotton", "Футболки хлопковые"),
    Goods("640399", "9300", "pcs", "Footwear", "Обувь"),
    Goods("940360", "1000", "pcs", "Wooden furniture", "Мебель деревянная"),
    Goods("392690", "9709", "kg", "Articles of plastics", "Изделия из пластмасс"),
    Goods("732690", "9808", "kg", "Articles of iron or steel", "Изделия из черных металлов"),
    Goods("401110", "0009", "pcs", "Tyres for cars", "Шины для легковых автомобилей"),
    Goods("870899", "9709", "kg", "Parts of motor vehicles", "Части автомобилей"),
    Goods("870323", "1940", "u", "Passenger cars", "Легковые автомобили"),
    Goods("841810", "2001", "u", "Refrigerators", "Холодильники"),
    Goods("845011", "1100", "u", "Washing machines", "Стиральные машины"),
    Goods("851712", "0000", "pcs", "Mobile phones", "Мобильные телефоны"),
    Goods("847130", "0000", "pcs", "Laptops", "Ноутбуки"),
    Goods("852872", "4000", "pcs", "Television receivers", "Телевизоры"),
    Goods("843149", "2000", "kg", "Parts of cranes and excavators", "Части кранов"),
    Goods("848180", "8500", "pcs", "Valves", "Краны и клапаны"),
    Goods("850440", "5500", "pcs", "Static converters", "Статические преобразователи"),
    Goods("271019", "4200", "kg", "Lubricating oils", "Смазочные масла"),
    Goods("310520", "1000", "kg", "Mineral fertilisers", "Минеральные удобрения"),
    Goods("720839", "0000", "kg", "Flat-rolled iron", "Прокат плоский"),
    Goods("760120", "2000", "kg", "Aluminium alloys", "Алюминиевые сплавы"),
    Goods("100199", "0000", "kg", "Wheat", "Пшеница"),
    Goods("020230", "9000", "kg", "Frozen beef", "Говядина замороженная"),
    Goods("440711", "1000", "kg", "Sawn wood", "Пиломатериалы"),
    Goods("481910", "0000", "kg", "Cartons", "Коробки из гофрокартона"),
    Goods("940540", "3100", "pcs", "Lamps", "Светильники"),
)
GOODS: tuple[Goods, ...] = HIGH_PRIORITY + _ORDINARY
HIGH_PRIORITY_INDEX = np.arange(len(HIGH_PRIORITY))
ORDINARY_INDEX = np.arange(len(HIGH_PRIORITY), len(GOODS))

_HS_FORM_ODDS = (0.55, 0.15, 0.08, 0.12, 0.05, 0.05)


def _hs_forms(goods: Goods) -> list[str]:
    code, chapter, sub = goods.hs6, goods.hs6[:4], goods.hs6[4:]
    return [
        code,
        f"{chapter}.{sub}",
        f"{chapter} {sub}",
        code + goods.national[:2],
        code + goods.national,
        f"{chapter}.{sub}.{goods.national[:2]}",
    ]


_HS_TABLE = pa.array([form for g in GOODS for form in _hs_forms(g)])
_DESCRIPTION_TABLE = pa.array([text for g in GOODS for text in (g.english, g.russian)])
_UNIT_TABLE = pa.array([g.unit for g in GOODS])
_RUSSIAN_DESCRIPTION_ODDS = 0.3
_ODD_UNIT_ODDS = 0.05  # declarants who write "u" whatever the goods


def hs_texts(rng: np.random.Generator, goods: np.ndarray) -> pa.Array:
    slots = rng.choice(len(_HS_FORM_ODDS), size=len(goods), p=_HS_FORM_ODDS)
    return _HS_TABLE.take(goods.astype(np.int64) * len(_HS_FORM_ODDS) + slots)


def description_texts(rng: np.random.Generator, goods: np.ndarray) -> pa.Array:
    russian = rng.random(len(goods)) < _RUSSIAN_DESCRIPTION_ODDS
    return _DESCRIPTION_TABLE.take(goods.astype(np.int64) * 2 + russian)


def unit_texts(rng: np.random.Generator, goods: np.ndarray) -> pa.Array:
    odd = rng.random(len(goods)) < _ODD_UNIT_ODDS
    return pc.if_else(pa.array(odd), "u", _UNIT_TABLE.take(goods))


_THOUSANDS_ODDS = 0.12  # "12,345.67" instead of "12345.67"


def money_texts(rng: np.random.Generator, cents: np.ndarray) -> pa.Array:
    whole, fraction = np.divmod(cents.astype(np.int64), 100)
    grouped = rng.random(len(cents)) < _THOUSANDS_ODDS
    integer = pc.if_else(pa.array(grouped), _with_thousands(whole), _digits(whole))
    return pc.binary_join_element_wise(integer, _digits(fraction, width=2), ".")


def _digits(values: np.ndarray, width: int = 1) -> pa.Array:
    return pc.utf8_lpad(pa.array(values).cast(pa.string()), width, "0")


def _with_thousands(whole: np.ndarray) -> pa.Array:
    millions, rest = np.divmod(whole, 1_000_000)
    thousands, units = np.divmod(rest, 1000)
    over_million = pc.binary_join_element_wise(
        _digits(millions), _digits(thousands, width=3), _digits(units, width=3), ","
    )
    over_thousand = pc.binary_join_element_wise(_digits(thousands), _digits(units, width=3), ",")
    return pc.if_else(
        pa.array(millions > 0),
        over_million,
        pc.if_else(pa.array(thousands > 0), over_thousand, _digits(units)),
    )

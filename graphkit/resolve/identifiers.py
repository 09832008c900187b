"""Registration numbers: validate them, find them in free text, read the dates they carry.

- Kazakh BIN (business identification number, 12 digits): digits 1-4 are the year and month of
  registration (YYMM), digit 5 the entity type (4 resident legal entity, 5 non-resident,
  6 individual entrepreneur), digit 12 a check digit (weights 1..11, mod 11; if that gives 10,
  weights 3..11,1,2; if again 10 the number is invalid). python-stdnum has no Kazakh module.
- Russian INN (10 digits for firms, 12 for persons) and OGRN (13 or 15 digits): python-stdnum.
- Kyrgyz INN of a firm (14 digits): 0 followed by the registration date as DDMMYYYY.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd
from stdnum.ru import inn as ru_inn
from stdnum.ru import ogrn as ru_ogrn

KZ_BIN = "KZ BIN"
RU_INN = "RU INN"
RU_OGRN = "RU OGRN"
KG_INN = "KG INN"

BIN_WEIGHTS = (tuple(range(1, 12)), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))
DIGIT_RUNS = re.compile(r"(?<!\d)\d{10,15}(?!\d)")


@dataclass(frozen=True)
class Identifier:
    kind: str  # KZ BIN, RU INN, RU OGRN, KG INN
    number: str

    @property
    def registered_on(self) -> date | None:
        """The registration date the number encodes, where it encodes one."""
        if self.kind == KZ_BIN:
            return bin_registration_month(self.number)
        if self.kind == KG_INN:
            return kg_inn_registration_date(self.number)
        return None


def is_kz_bin(number: str) -> bool:
    """A 12-digit Kazakh BIN with a valid check digit and a plausible month.

    >>> is_kz_bin("220340015320"), is_kz_bin("220340015321")
    (True, False)
    """
    if not re.fullmatch(r"\d{12}", number) or not 1 <= int(number[2:4]) <= 12:
        return False
    digits = [int(d) for d in number]
    for weights in BIN_WEIGHTS:
        check = sum(w * d for w, d in zip(weights, digits, strict=False)) % 11
        if check != 10:
            return check == digits[11]
    return False


def bin_registration_month(number: str) -> date:
    """First day of the month a BIN was issued in: ``2203...`` is March 2022.

    The day is not encoded; taking the first day means a firm registered in February 2022
    is not counted as registered after the 24th without a registry date that shows it.
    """
    year, month = int(number[:2]), int(number[2:4])
    century = 2000 if year <= date.today().year % 100 else 1900
    return date(century + year, month, 1)


def kg_inn_registration_date(number: str) -> date | None:
    """The registration date in a Kyrgyz company INN (0 + DDMMYYYY + 5 digits), if valid."""
    if not re.fullmatch(r"0\d{13}", number):
        return None
    try:
        day = date(int(number[5:9]), int(number[3:5]), int(number[1:3]))
    except ValueError:
        return None
    return day if date(1991, 1, 1) <= day <= date.today() else None


def identify(number: str, country: str | None = None) -> Identifier | None:
    """The kind of a bare number, using the country to settle numbers valid in two systems."""
    candidates = []
    if is_kz_bin(number):
        candidates.append(Identifier(KZ_BIN, number))
    if len(number) in (10, 12) and ru_inn.is_valid(number):
        candidates.append(Identifier(RU_INN, number))
    if len(number) in (13, 15) and ru_ogrn.is_valid(number):
        candidates.append(Identifier(RU_OGRN, number))
    if kg_inn_registration_date(number):
        candidates.append(Identifier(KG_INN, number))
    preferred = {"KZ": KZ_BIN, "RU": RU_INN, "KG": KG_INN}.get(country or "")
    for candidate in candidates:
        if candidate.kind == preferred:
            return candidate
    return candidates[0] if len(candidates) == 1 else None


def find_identifiers(text: str, country: str | None = None) -> list[Identifier]:
    """Valid identifiers anywhere in ``text``: 'ТОО «Алтын» БИН 220340015320' has one."""
    found = (identify(m.group(), country) for m in DIGIT_RUNS.finditer(text))
    return [i for i in found if i is not None]


REGISTRY = "registry"


def registration_digits(numbers: pd.Series) -> pd.Series:
    """The digits of each registration number ('KZ 220 440 901 788' -> '220440901788')."""
    return numbers.astype("string").str.replace(r"\D", "", regex=True)


def fill_registration_dates(companies: pd.DataFrame) -> pd.DataFrame:
    """Where the registry gives no registration date, take it from the BIN or Kyrgyz INN.

    Adds ``registered_on_source``: 'registry', the identifier kind it came from, or NA.
    """
    source = pd.Series(pd.NA, index=companies.index, dtype="string")
    source[companies["registered_on"].notna()] = REGISTRY
    dates = companies["registered_on"].copy()
    blank = companies["registered_on"].isna() & companies["registration_number"].notna()
    digits = registration_digits(companies.loc[blank, "registration_number"])
    for index, number in digits.items():
        found = identify(number, companies.at[index, "country"])
        if found is not None and found.registered_on is not None:
            dates[index] = pd.Timestamp(found.registered_on)
            source[index] = f"{found.kind} {number}"
    return companies.assign(registered_on=dates, registered_on_source=source)

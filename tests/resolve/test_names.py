"""Name keys on real spellings from the EU's Regulation 833/2014 annexes (shared/reference)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from graphkit.resolve.names import address_keys, name_key, name_keys

ANNEXES = Path(__file__).parents[3] / "shared" / "reference" / "eu_reg833_2014_annexes.csv"


@pytest.fixture(scope="module")
def annexes() -> pd.DataFrame:
    return pd.read_csv(ANNEXES, dtype=str)


def spellings(annexes: pd.DataFrame, record: str) -> list[str]:
    """The name and every alias of one entry, with "Full form (Short form)" split in two.

    Aliases are separated by ';' or, in some entries, ', ' (none of the chosen names has a comma).
    """
    row = annexes[annexes["recordId"] == record].iloc[0]
    names = [row["name"], *re.split(r";|, ", str(row["alias"]))]
    result = []
    for name in names:
        full, short = re.match(r"^(.*?)(?:\s\((\w+ «.*»)\))?$", name.strip()).groups()
        result += [full] + ([short] if short else [])
    return result


@pytest.mark.parametrize(
    ("record", "key"),
    [
        ("606", "elem group"),  # TOO Elem Group: Latin, Russian, Kazakh, (ЭЛЕМ ГРУПП) in brackets
        ("666", "da group 22"),  # Da Group 22, BIN 220340015320
        ("737", "kazstaneks"),  # LIMITED LIABILITY PARTNERSHIP KAZSTANEX / KAZSTANEX LLP / TOO
        ("104", "robin trade"),  # Robin Trade Limited / ООО «Робин Трейд» / OOO Robin Treid / LLC
    ],
)
def test_spellings_of_one_entity_share_one_key(
    annexes: pd.DataFrame, record: str, key: str
) -> None:
    names = spellings(annexes, record)
    assert len(names) >= 3
    assert {name_key(n) for n in names} == {key}, names


def test_kazakh_legal_form_written_in_latin_letters(annexes: pd.DataFrame) -> None:
    row = annexes[annexes["recordId"] == "736"].iloc[0]  # aliases STANEX GROUP ZHSHS, ... LLP
    aliases = [a.strip() for a in row["alias"].split(",")]
    assert aliases == ["STANEX GROUP ZHSHS", "STANEX GROUP LLP"]
    assert name_key(aliases[0]) == name_key(aliases[1]) == "staneks group"


def test_entities_with_different_numbers_keep_different_keys(annexes: pd.DataFrame) -> None:
    """Entries with different INNs or registration numbers are different firms: their keys
    (with the legal-form family) must differ, or linking would merge them."""
    firms = annexes[annexes["schema"].isin(["LegalEntity", "Company", "Organization"])]
    numbers = (
        firms["innCode"].fillna("")
        + " "
        + firms["registrationNumber"].fillna("")
        + " "
        + firms["taxNumber"].fillna("")
    ).str.extract(r"(\d{9,15})")[0]
    keys = name_keys(firms["name"])
    keyed = pd.DataFrame({"number": numbers, "key": keys["key"], "form": keys["legal_form"]})
    per_key = keyed.dropna(subset=["number"]).groupby(["key", "form"], dropna=False)["number"]
    clashes = per_key.nunique()
    # Two Russian firms are both called "Radiozavod" (JSC, INN 5835049799, and ZAO, INN
    # 1833010911): no name key can tell them apart, so linking must leave such a name
    # ambiguous (tests/resolve/test_link.py); every other pair stays apart.
    assert sorted(k for k, _ in clashes[clashes > 1].index) == ["radiozavod"]
    assert len(keyed.dropna(subset=["number"])) > 300


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ТОО «Алтын Трейд»", "ТОО «Алтын Трейд Групп»"),
        ("Da Group 22", "Da Group 23"),
        ("Жанна", "Анна"),
        ("ОсОО «Ала-Тоо Импорт»", "ОсОО «Ала Импорт»"),  # Тоо inside a name is not a legal form
    ],
)
def test_distinguishing_words_numbers_and_letters_survive(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


@pytest.mark.parametrize(
    "variants",
    [
        [
            "Товарищество с ограниченной ответственностью «Алтын Трейд»",
            'TOO "ALTYN TREID"',
            "ALTYN TRADE LLP",
            "«Алтын Трейд» ЖШС",
            "Limited Liability Partnership Altyn Trade",
            "Жауапкершілігі шектеулі серіктестігі «Алтын Трейд»",
            "ТОО “Алтын Трейд”",
        ],
        [
            "ООО «Микросхема-Урал»",
            'OOO "Mikroskhema-Ural"',
            "Mikroskhema Ural LLC",
            "Общество с ограниченной ответственностью «Микросхема Урал»",
        ],
        ["Қазақ Радио", "Казак Радио", "Qazaq Radio", "KAZAK RADIO"],
        ["Юрий Царев", "Yuriy Tsarev", "Iurii Tsarev", "Yurii Tzarev"],
        ["Жанна", "Zhanna"],
        ["Сергей Хабаров", "Sergei Khabarov", "Sergey Habarov"],
        ["Polprzewodnik Sp. z o.o.", "POLPRZEWODNIK SP Z OO", "Polprzewodnik Sp.z.o.o."],
        ["Werkzeugmaschinen Süd AG", "WERKZEUGMASCHINEN SUD AG"],
        ["ОсОО «Ала-Тоо Импорт»", "OsOO Ala-Too Import", "Ala Too Import LLC"],
    ],
)
def test_transliterations_quotes_case_and_legal_forms_meet(variants: list[str]) -> None:
    assert len({name_key(v) for v in variants}) == 1, [(v, name_key(v)) for v in variants]


def test_legal_form_families() -> None:
    forms = name_keys(pd.Series(["ТОО X", "X LLC", "X GmbH", "АО X", "X JSC", "X"]))["legal_form"]
    assert forms.tolist()[:5] == ["limited liability"] * 3 + ["joint stock"] * 2
    assert pd.isna(forms.iloc[5])


def test_a_name_that_is_only_a_legal_form_keeps_it() -> None:
    assert name_key("ТОО") == "to"


def test_address_keys_ignore_case_spacing_punctuation_and_width() -> None:
    addresses = pd.Series(
        ["г. Алматы, пр. Достык, 97Б", "Г АЛМАТЫ  ПР_ДОСТЫК 97б", "г. Алматы, пр. Достык, ９７Б",
         "г. Алматы, пр. Достык, 97", None],
        dtype="string",
    )  # fmt: skip
    keys = address_keys(addresses)
    assert keys.iloc[0] == keys.iloc[1] == keys.iloc[2] == "г алматы пр достык 97б"
    assert keys.iloc[3] == "г алматы пр достык 97"
    assert pd.isna(keys.iloc[4])


def test_keys_stay_with_their_names_whatever_the_index() -> None:
    names = pd.Series(
        ["ТОО «Алтын Трейд»", None, "Süd Lager GmbH"], index=[10, 3, 7], dtype="string"
    )
    keys = name_keys(names)
    assert keys.index.tolist() == [10, 3, 7]
    assert keys["key"].tolist()[0] == "altin trade" and keys["key"].tolist()[2] == "sud lager"
    assert keys.loc[7, "legal_form"] == name_keys(pd.Series(["X GmbH"]))["legal_form"][0]

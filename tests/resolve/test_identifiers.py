from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from graphkit.resolve.identifiers import (
    KG_INN,
    KZ_BIN,
    RU_INN,
    RU_OGRN,
    bin_registration_month,
    fill_registration_dates,
    find_identifiers,
    identify,
    is_kz_bin,
)


@pytest.mark.parametrize(
    ("number", "month"),
    [  # real BINs from the EU's Annex IV (shared/reference/eu_reg833_2014_annexes.csv)
        ("220340015320", date(2022, 3, 1)),  # Da Group 22
        ("220340015717", date(2022, 3, 1)),  # Elem Group
        ("120540008532", date(2012, 5, 1)),  # MetallStan
        ("110340017087", date(2011, 3, 1)),  # Kazstanex
    ],
)
def test_real_bins_are_valid_and_carry_their_month(number: str, month: date) -> None:
    assert is_kz_bin(number)
    assert bin_registration_month(number) == month


@pytest.mark.parametrize("number", ["220340015321", "22034001532", "221340015320", "abcdefghijkl"])
def test_wrong_check_digit_length_or_month_is_not_a_bin(number: str) -> None:
    assert not is_kz_bin(number)


def test_bin_check_digit_falls_back_to_the_second_weights() -> None:
    # for 22034000060 the weights 1..11 give 10, so the weights 3..11,1,2 decide: 0
    assert is_kz_bin("220340000600")
    assert not is_kz_bin("220340000601")


def test_russian_and_kyrgyz_numbers() -> None:
    assert identify("9715259583", "RU") == identify("9715259583")  # Robin Trade's INN
    assert identify("9715259583").kind == RU_INN
    assert identify("1027700132195").kind == RU_OGRN  # Sberbank's OGRN
    kg = identify("01705202275781", "KG")
    assert kg.kind == KG_INN and kg.registered_on == date(2022, 5, 17)
    assert identify("03213202275781") is None  # day 32


def test_identifiers_found_in_free_text() -> None:
    found = find_identifiers("ТОО «DA GROUP 22» БИН 220340015320, ИНН 9715259583", "KZ")
    assert [(i.kind, i.number) for i in found] == [(KZ_BIN, "220340015320"), (RU_INN, "9715259583")]
    assert find_identifiers("order 12345678901234567890") == []


def test_blank_registration_date_is_taken_from_bin_or_kyrgyz_inn() -> None:
    companies = pd.DataFrame(
        {
            "id": ["A", "B", "C", "D"],
            "country": ["KZ", "KG", "KZ", "KZ"],
            "registration_number": ["220340015320", "01705202275781", "220340015320", "not a bin"],
            "registered_on": pd.to_datetime([None, None, "2022-03-15", None]),
        }
    )
    filled = fill_registration_dates(companies)
    assert filled["registered_on"].dt.date.tolist()[:3] == [
        date(2022, 3, 1),
        date(2022, 5, 17),
        date(2022, 3, 15),
    ]
    assert filled["registered_on_source"].tolist()[:3] == [
        "KZ BIN 220340015320",
        "KG INN 01705202275781",
        "registry",
    ]
    assert pd.isna(filled["registered_on"].iloc[3]) and pd.isna(
        filled["registered_on_source"].iloc[3]
    )

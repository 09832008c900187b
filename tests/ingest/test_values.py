from __future__ import annotations

import pandas as pd
import pytest

from graphkit.ingest.values import (
    parse_countries,
    parse_country,
    parse_date,
    parse_hs_code,
    parse_number,
    parse_share,
)


def column(*values: str | None) -> pd.Series:
    return pd.Series(list(values), dtype="string")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("KZ", "KZ"),
        ("kz", "KZ"),
        ("KAZ", "KZ"),
        ("Kazakhstan", "KZ"),
        ("Казахстан", "KZ"),
        ("RU", "RU"),
        ("RUS", "RU"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Россия", "RU"),
        ("Российская Федерация", "RU"),
        ("DEU", "DE"),
        ("Germany", "DE"),
        ("Германия", "DE"),
        (" Cyprus ", "CY"),
        ("Kyrgyz Republic", "KG"),
        ("Кыргызстан", "KG"),
    ],
)
def test_country_forms_read_as_alpha2(raw: str, code: str) -> None:
    parsed = parse_country(column(raw))
    assert parsed.values.iloc[0] == code
    assert not parsed.bad.iloc[0]


def test_unknown_country_and_group_names_are_bad_but_blank_is_not() -> None:
    parsed = parse_country(column("Narnia", "EU", None, ""))
    assert parsed.bad.tolist() == [True, True, False, False]
    assert parsed.values.isna().all()


def test_nationalities_may_list_several_countries() -> None:
    parsed = parse_countries(column("RU; Kazakhstan", "Россия", "RU;Narnia"))
    assert parsed.values.tolist()[:2] == ["KZ;RU", "RU"]
    assert parsed.bad.tolist() == [False, False, True]


def test_dates_in_both_forms_and_bad_dates() -> None:
    parsed = parse_date(
        column("2022-03-01", "01.03.2022", " 24.02.2022 ", "31.02.2022", "2022/03/01", None)
    )
    days = [None if pd.isna(v) else v.date().isoformat() for v in parsed.values]
    assert days == ["2022-03-01", "2022-03-01", "2022-02-24", None, None, None]
    assert parsed.bad.tolist() == [False, False, False, True, True, False]


def test_impossible_and_two_digit_year_dates_are_bad_not_rolled_over() -> None:
    parsed = parse_date(column("2022-02-30", "29.02.2023", "29.02.2024", "22-04-01", "1.4.2022"))
    days = [None if pd.isna(v) else v.date().isoformat() for v in parsed.values]
    assert days == [None, None, "2024-02-29", None, "2022-04-01"]
    assert parsed.bad.tolist() == [True, True, False, True, False]


def test_shares_with_and_without_percent_sign() -> None:
    parsed = parse_share(column("51", "51%", "33,5 %", "0", "100", "", "101", "-1", "half"))
    assert parsed.values.tolist()[:5] == [51.0, 51.0, 33.5, 0.0, 100.0]
    assert pd.isna(parsed.values.iloc[5])
    assert parsed.bad.tolist() == [False] * 6 + [True] * 3


def test_hs_codes_lose_dots_and_spaces_and_need_6_to_10_digits() -> None:
    parsed = parse_hs_code(column("854231", "8542.31", "8542 31", "8542.31.90", "85423", "ab1234"))
    assert parsed.values.tolist()[:4] == ["854231", "854231", "854231", "85423190"]
    assert parsed.bad.tolist() == [False, False, False, False, True, True]


def test_numbers_with_thousands_separators_and_decimal_commas() -> None:
    parsed = parse_number(
        column("12345.67", "12,345.67", "12 345,67", "1.234,5", "1,5", "1,234", "n/a")
    )
    assert parsed.values.tolist()[:6] == [12345.67, 12345.67, 12345.67, 1234.5, 1.5, 1234.0]
    assert parsed.bad.tolist() == [False] * 6 + [True]


@pytest.mark.parametrize(
    ("kind", "parse"),
    [
        ("DATE", "parse_date"),
        ("HS_CODE", "parse_hs_code"),
        ("NUMBER", "parse_number"),
        ("SHARE", "parse_share"),
    ],
)
def test_parsing_each_distinct_value_once_gives_what_parsing_every_value_gives(
    kind: str, parse: str
) -> None:
    """The loader parses repeated values once (PARSERS); the result is the same, in place."""
    from graphkit.ingest import values
    from graphkit.model import Kind

    samples = ["2022-03-01", "01.03.2022", "2022-02-30", "8542.31", "854231", "1 234,5", "50%",
               "x", "", " 7 "]  # fmt: skip
    raw = pd.Series([samples[i % len(samples)] for i in range(97)] + [None] * 3, dtype="string")
    once = values.PARSERS[Kind[kind]](raw)
    every = getattr(values, parse)(raw)
    pd.testing.assert_series_equal(once.values, every.values)
    assert once.bad.tolist() == every.bad.tolist()

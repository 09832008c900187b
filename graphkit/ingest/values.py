"""Parsers for the messy values of real extracts, one per column kind.

Each parser takes a column of raw text (missing values as NA) and returns the parsed column
and a mask of the values that were given but could not be read. Work is vectorised, and
slow paths run once per distinct value, so millions of rows parse in seconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rigour.territories import lookup_territory

from graphkit.columns import arrow, from_arrow
from graphkit.model import Kind


class Parsed(NamedTuple):
    values: pd.Series
    bad: pd.Series  # True where a value was given but could not be parsed


# What to tell the user when a value of each kind cannot be read.
FIXES: dict[Kind, str] = {
    Kind.COUNTRY: "use an ISO 3166 code (KZ, KAZ) or an English or Russian country name",
    Kind.COUNTRIES: "use ISO 3166 codes or country names, several separated by ';'",
    Kind.DATE: "use YYYY-MM-DD or DD.MM.YYYY",
    Kind.SHARE: "use a percentage from 0 to 100, with or without '%', or leave it blank",
    Kind.HS_CODE: "use 6 to 10 digits, dots and spaces allowed (8542.31); "
    "a code that lost its leading zero in a spreadsheet must be stored as text",
    Kind.NUMBER: "use a plain number such as 12345.67",
}


def parse_text(raw: pd.Series) -> Parsed:
    """Text without surrounding spaces; a blank is missing.

    A column with nothing to strip or blank is returned as it is, sharing the raw column's
    memory: ten million descriptions are not held twice.
    """
    array = arrow(raw)
    stripped = pc.utf8_trim_whitespace(array)
    if _total_length(stripped) == _total_length(array):  # stripping only ever shortens
        stripped = array
    blank = pc.equal(stripped, "")
    if pc.any(blank).as_py():
        stripped = pc.if_else(blank, None, stripped)
    return Parsed(from_arrow(stripped, raw.index), pd.Series(False, index=raw.index))


def _total_length(text: pa.Array) -> int:
    return int(pc.sum(pc.binary_length(text)).as_py() or 0)


@lru_cache(maxsize=65536)
def country_code(text: str) -> str | None:
    """ISO alpha-2 code for a code or name in any common form, or None.

    >>> country_code("Казахстан"), country_code("KAZ"), country_code("Germany")
    ('KZ', 'KZ', 'DE')
    """
    territory = lookup_territory(text.strip())
    if territory is None or not territory.is_country:
        return None
    return territory.code.upper()


DISTINCT_SAMPLE = 100_000  # values looked at to tell a column of mostly distinct values


def _per_distinct(parse: Callable[[pd.Series], Parsed]) -> Callable[[pd.Series], Parsed]:
    """``parse`` run on each distinct value once and the results put back in place: ten million
    declarations hold a few thousand dates and HS codes. A column of mostly distinct values
    (amounts) is parsed as it is."""

    def parse_distinct(raw: pd.Series) -> Parsed:
        array = arrow(raw)
        sample = array[:DISTINCT_SAMPLE]  # encoding ten million amounts would be wasted work
        if 2 * len(pc.unique(sample)) > len(sample):
            return parse(raw)
        encoded = pc.dictionary_encode(array)
        if 2 * len(encoded.dictionary) > len(raw):
            return parse(raw)
        distinct = parse(from_arrow(encoded.dictionary, pd.RangeIndex(len(encoded.dictionary))))
        positions = np.asarray(encoded.indices.fill_null(-1), dtype=np.int64)
        values = distinct.values.array.take(positions, allow_fill=True)
        bad = np.append(distinct.bad.to_numpy(dtype=bool), False)[positions]  # -1: missing
        return Parsed(pd.Series(values, index=raw.index), pd.Series(bad, index=raw.index))

    return parse_distinct


def _map_distinct(raw: pd.Series, func: Callable[[str], str | None]) -> Parsed:
    """``func`` (text -> value or None) applied once per distinct value."""

    def apply(column: pd.Series) -> Parsed:
        text = parse_text(column).values
        values = pd.Series(
            [None if pd.isna(value) else func(value) for value in text],
            index=column.index,
            dtype="string",
        )
        return Parsed(values, text.notna() & values.isna())

    return _per_distinct(apply)(raw)


def parse_country(raw: pd.Series) -> Parsed:
    return _map_distinct(raw, country_code)


def _countries(text: str) -> str | None:
    codes = {country_code(part) for part in re.split(r"[;|]", text) if part.strip()}
    if not codes or None in codes:
        return None
    return ";".join(sorted(code for code in codes if code))


def parse_countries(raw: pd.Series) -> Parsed:
    """Nationalities: one or more countries, stored as sorted alpha-2 codes joined by ';'."""
    return _map_distinct(raw, _countries)


DATE_FORMS = (  # the two forms found in registry extracts
    (r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$", "%Y-%m-%d"),
    (r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})$", "%d.%m.%Y"),
)


def parse_date(raw: pd.Series) -> Parsed:
    """Dates written YYYY-MM-DD or DD.MM.YYYY (the two forms found in registry extracts).

    Arrow parses them (ten million dates in a second); as its parser rolls 2022-02-30 over to
    2 March, a date counts only when its year, month and day are the ones written.
    """
    text = parse_text(raw).values
    array = arrow(text)
    found = pa.nulls(len(array), pa.timestamp("s"))
    for pattern, form in DATE_FORMS:
        written = pc.extract_regex(array, pattern)
        parsed = pc.strptime(array, format=form, unit="s", error_is_null=True)
        kept = pc.and_kleene(
            pc.and_kleene(
                _same(pc.year(parsed), written, "year"), _same(pc.month(parsed), written, "month")
            ),
            _same(pc.day(parsed), written, "day"),
        )
        found = pc.coalesce(found, pc.if_else(kept, parsed, None))
    values = found.to_pandas().set_axis(raw.index).astype("datetime64[s]")
    return Parsed(values, text.notna() & values.isna())


def _same(part: pa.Array, written: pa.Array, name: str) -> pa.Array:
    return pc.equal(part, pc.cast(pc.struct_field(written, name), pa.int64()))


def parse_share(raw: pd.Series) -> Parsed:
    """Percent from 0 to 100; '51', '51%', '51,5' and '51.5 %' all read."""
    text = parse_text(raw).values
    cleaned = text.str.replace("%", "", regex=False).str.replace(",", ".", regex=False)
    values = pd.to_numeric(cleaned.str.strip(), errors="coerce").astype("float64")
    values = values.where((values >= 0) & (values <= 100))
    return Parsed(values, text.notna() & values.isna())


HS_CODE = re.compile(r"^\d{6,10}$")


def parse_hs_code(raw: pd.Series) -> Parsed:
    """HS codes as digits only: '8542.31' and '8542 31' become '854231'."""
    text = parse_text(raw).values
    digits = text.str.replace(r"[\s.\-]", "", regex=True)
    values = digits.where(digits.str.fullmatch(HS_CODE.pattern).fillna(False).astype(bool))
    return Parsed(values.astype("string"), text.notna() & values.isna())


THOUSANDS_WITH_COMMAS = re.compile(r"^-?\d{1,3}(,\d{3})+$")


PLAIN_NUMBER = r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"


def parse_number(raw: pd.Series) -> Parsed:
    """Numbers with the separators people write: '1 234,5', '1.234,5' and '1,234.5' are 1234.5.

    When both ',' and '.' appear, the later one is the decimal mark. A lone ',' is a decimal
    mark unless it separates groups of exactly three digits ('1,234' is one thousand two
    hundred and thirty-four). Done in Arrow column passes: ten million values in seconds.
    """
    text = parse_text(raw).values
    array = arrow(text)
    messy = pc.invert(pc.match_substring_regex(array, PLAIN_NUMBER)).fill_null(False)
    readable = pc.replace_with_mask(array, messy, _plain(array.filter(messy)))
    values = pc.cast(readable, pa.float64()).to_pandas().set_axis(raw.index)
    values = values.where(np.isfinite(values))
    return Parsed(values, text.notna() & values.isna())


def _plain(written: pa.Array) -> pa.Array:
    """Numbers written with separators as plain numbers; None where none can be read."""
    compact = pc.replace_substring_regex(written, r"[\s\x{00a0}'_]", "")
    has_dot = pc.match_substring(compact, ".")
    comma_decimal = pc.and_(has_dot, pc.match_substring_regex(compact, r",[^.]*$"))
    grouped = pc.or_(
        pc.and_(has_dot, pc.invert(comma_decimal)),  # 1,234.5
        pc.and_(
            pc.invert(has_dot), pc.match_substring_regex(compact, THOUSANDS_WITH_COMMAS.pattern)
        ),
    )
    plain = pc.if_else(grouped, pc.replace_substring(compact, ",", ""), compact)
    plain = pc.if_else(comma_decimal, pc.replace_substring(plain, ".", ""), plain)  # 1.234,5
    plain = pc.replace_substring(plain, ",", ".")
    return pc.if_else(pc.match_substring_regex(plain, PLAIN_NUMBER), plain, None)


def parse_id(raw: pd.Series) -> Parsed:
    return parse_text(raw)


PARSERS: dict[Kind, Callable[[pd.Series], Parsed]] = {
    Kind.ID: parse_id,
    Kind.TEXT: parse_text,
    Kind.COUNTRY: parse_country,
    Kind.COUNTRIES: parse_countries,
    Kind.DATE: _per_distinct(parse_date),
    Kind.SHARE: _per_distinct(parse_share),
    Kind.HS_CODE: _per_distinct(parse_hs_code),
    Kind.NUMBER: _per_distinct(parse_number),
}

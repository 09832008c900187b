"""Registration numbers: Kazakh BINs, Russian and Kyrgyz INNs, and plausible others.

Numbers are unique within each country because loaders may use them to tell firms apart.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.generate.messy import COUNTRIES
from graphkit.generate.tables import put

_BIN_WEIGHTS = (np.arange(1, 12), np.array([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]))
_RU_INN_WEIGHTS = np.array([2, 4, 10, 3, 5, 9, 4, 6, 8])
_RU_REGIONS = np.array([77, 78, 50, 66, 54, 16, 23, 52, 63, 74, 2, 61, 24, 59, 36, 40])

# Elsewhere: a prefix and a number of digits, close enough to the real format; some blank.
_OTHER_FORMATS: dict[str, tuple[str, int]] = {
    "AM": ("", 8),
    "CY": ("HE", 6),
    "AE": ("DMCC-", 6),
    "CN": ("91", 16),
    "TR": ("0", 15),
    "DE": ("HRB ", 6),
    "AT": ("FN ", 6),
    "IT": ("IT", 11),
    "FR": ("FR", 11),
    "PL": ("KRS 0000", 6),
    "NL": ("NL", 9),
    "BE": ("0", 9),
    "CZ": ("CZ", 8),
    "FI": ("FI", 8),
    "ES": ("B", 8),
    "SE": ("SE556", 7),
    "DK": ("DK", 8),
    "LT": ("LT", 9),
    "LV": ("LV4000", 7),
    "EE": ("EE1", 7),
    "SK": ("SK", 10),
    "HU": ("HU", 8),
}
_BLANK_ODDS = 0.1  # of numbers outside KZ, RU and KG, left out of the extract


def bin_check_digit(first_eleven: np.ndarray) -> np.ndarray:
    """Check digit of a Kazakh BIN, or 10 where none exists (such a number is invalid).

    first_eleven has one row of 11 digits per number. The weights 1..11 give the digit; where
    they give 10 the weights 3..11,1,2 are tried instead, and 10 again means invalid.
    """
    check = (first_eleven @ _BIN_WEIGHTS[0]) % 11
    return np.where(check == 10, (first_eleven @ _BIN_WEIGHTS[1]) % 11, check)


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """Decimal digits of each value, most significant first, as a (len, width) array."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers) % 10


def _distinct(
    count: int,
    propose: Callable[[np.ndarray], np.ndarray],
    valid: Callable[[np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:
    """One number per row, all distinct and valid: rows that collide or fail are redrawn.

    propose(rows) draws candidates for those rows.
    """
    numbers = np.zeros(count, dtype=np.int64)
    pending = np.arange(count)
    while len(pending):
        numbers[pending] = propose(pending)
        _, first = np.unique(numbers, return_index=True)
        redo = np.ones(count, dtype=bool)
        redo[first] = False
        if valid is not None:
            redo |= ~valid(numbers)
        pending = np.flatnonzero(redo)
    return numbers


def _text(numbers: np.ndarray, width: int) -> pa.Array:
    return pc.utf8_lpad(pa.array(numbers).cast(pa.string()), width, "0")


def _yymm(registered: np.ndarray) -> np.ndarray:
    months = registered.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return (months // 12 + 70) % 100 * 100 + months % 12 + 1


def kazakh_bins(rng: np.random.Generator, registered: np.ndarray) -> pa.Array:
    """BINs of resident legal entities: YYMM of registration, 4, 0, serial, check digit."""
    head = (_yymm(registered) * 100 + 40) * 100_000

    def propose(rows: np.ndarray) -> np.ndarray:
        return head[rows] + rng.integers(100_000, size=len(rows))

    def checkable(first_eleven: np.ndarray) -> np.ndarray:
        return bin_check_digit(_digits(first_eleven, 11)) != 10

    first_eleven = _distinct(len(registered), propose, checkable)
    return _text(first_eleven * 10 + bin_check_digit(_digits(first_eleven, 11)), 12)


def russian_inns(rng: np.random.Generator, count: int) -> pa.Array:
    """10-digit INNs of legal entities: region, tax office and serial, then the check digit."""

    def propose(rows: np.ndarray) -> np.ndarray:
        region = rng.choice(_RU_REGIONS, size=len(rows))
        return region * 10_000_000 + rng.integers(10_000_000, size=len(rows))

    first_nine = _distinct(count, propose)
    check = (_digits(first_nine, 9) @ _RU_INN_WEIGHTS) % 11 % 10
    return _text(first_nine * 10 + check, 10)


def kyrgyz_inns(rng: np.random.Generator, registered: np.ndarray) -> pa.Array:
    """14-digit INNs of legal entities: 0, DDMMYYYY of registration, 5-digit serial."""

    def propose(rows: np.ndarray) -> np.ndarray:
        return registered[rows].astype(np.int64) * 100_000 + rng.integers(100_000, size=len(rows))

    numbers = _distinct(len(registered), propose)
    days, serial = np.divmod(numbers, 100_000)
    iso = pa.array(np.datetime_as_string(days.astype("datetime64[D]"), unit="D"))
    return pc.binary_join_element_wise(
        "0",
        pc.utf8_slice_codeunits(iso, 8, 10),
        pc.utf8_slice_codeunits(iso, 5, 7),
        pc.utf8_slice_codeunits(iso, 0, 4),
        _text(serial, 5),
        "",
    )


def _other_numbers(rng: np.random.Generator, alpha2: str, count: int) -> pa.Array:
    prefix, width = _OTHER_FORMATS[alpha2]
    numbers = _distinct(count, lambda rows: rng.integers(10**width, size=len(rows)))
    text = pc.binary_join_element_wise(prefix, _text(numbers, width), "")
    return pc.if_else(pa.array(rng.random(count) < _BLANK_ODDS), pa.scalar(None, pa.string()), text)


def registration_numbers(
    rng: np.random.Generator, country: np.ndarray, registered: np.ndarray
) -> pa.Array:
    """The registration number of every firm, in its country's format."""
    out = pa.nulls(len(country), pa.string())
    for code, c in enumerate(COUNTRIES):
        rows = np.flatnonzero(country == code)
        if not len(rows):
            continue
        if c.alpha2 == "KZ":
            numbers = kazakh_bins(rng, registered[rows])
        elif c.alpha2 == "RU":
            numbers = russian_inns(rng, len(rows))
        elif c.alpha2 == "KG":
            numbers = kyrgyz_inns(rng, registered[rows])
        else:
            numbers = _other_numbers(rng, c.alpha2, len(rows))
        out = put(out, rows, numbers)
    return out

"""The world as facts: numpy columns of indices, day numbers and amounts, rendered only on write.

Firms and persons are referred to by row; ids, names and messy spellings are made from the
rows when the files are written, so the background and the planted part share one renderer.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import IntEnum
from typing import Self

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


class Segment(IntEnum):
    """What a firm does in the world, which decides its country, owners and trade."""

    EU_SUPPLIER = 0
    RU_BUYER = 1
    ASIAN_SUPPLIER = 2  # China and Turkey
    KZ_OLD = 3  # registered before the invasion: any owners, any trade
    KZ_NEW_LOCAL = 4  # new, Kazakh-owned (a Russian minority of at most 20%): any trade
    KZ_NEW_RU_DOMESTIC = 5  # new, Russian-owned: buys from the EU but never sells to Russia
    KZ_NEW_RU_EXPORTER = 6  # new, Russian-owned: sells to Russia but never buys from the EU
    REGIONAL = 7  # Kyrgyzstan and Armenia
    HOLDING = 8  # Cyprus and the Emirates: owns, does not trade
    GULF_TRADER = 9  # the Emirates: trades
    PLANTED = 10  # intermediaries, decoys, look-alikes and the holdings built for them


@dataclass
class Firms:
    country: np.ndarray  # index into messy.COUNTRIES
    segment: np.ndarray
    registered: np.ndarray  # day
    dissolved: np.ndarray  # day or NO_DAY
    names: pa.Array


@dataclass
class Persons:
    nationality: np.ndarray  # index into messy.COUNTRIES
    born: np.ndarray  # day or NO_DAY
    names: pa.Array

    def pool(self, code: int) -> np.ndarray:
        """Rows of the persons of one nationality."""
        return np.flatnonzero(self.nationality == code)


@dataclass
class _Columns:
    """Equal-length numpy columns that concatenate column by column."""

    @classmethod
    def concat(cls, parts: list[Self]) -> Self:
        return cls(
            **{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)}
        )

    def take(self, rows: np.ndarray) -> Self:
        return type(self)(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})

    def __len__(self) -> int:
        return len(getattr(self, fields(self)[0].name))


@dataclass
class Links(_Columns):
    """Ownership: who holds what share of which firm, and when."""

    owner: np.ndarray  # firm row, or person row where owner_is_person
    owner_is_person: np.ndarray
    owned: np.ndarray  # firm row
    share: np.ndarray  # hundredths of a percent; UNKNOWN_SHARE where not known
    since: np.ndarray  # day or NO_DAY
    until: np.ndarray  # day or NO_DAY


UNKNOWN_SHARE = -1
NO_ALIAS = -1


class Role(IntEnum):
    DIRECTOR = 0
    CHIEF_ACCOUNTANT = 1


ROLE_NAMES = ("director", "chief accountant")


@dataclass
class Officers(_Columns):
    person: np.ndarray
    company: np.ndarray
    role: np.ndarray
    since: np.ndarray
    until: np.ndarray


@dataclass
class Trades(_Columns):
    """Shipments: who sent what to whom, when, for how much.

    A party's alias, where not NO_ALIAS, indexes the names planted firms trade under instead
    of their registry name; such a party is shown by that name, without an id.
    """

    day: np.ndarray
    exporter: np.ndarray  # firm row
    importer: np.ndarray
    exporter_named_only: np.ndarray  # id left blank, registry name given
    importer_named_only: np.ndarray
    exporter_alias: np.ndarray
    importer_alias: np.ndarray
    goods: np.ndarray  # index into messy.GOODS
    cents: np.ndarray  # value in US cents
    quantity: np.ndarray


def id_width(count: int) -> int:
    """Digits in an id: six, as in C000001, or more for a registry that needs them."""
    return max(6, len(str(count)))


def row_id(prefix: str, row: int, count: int) -> str:
    return f"{prefix}{row + 1:0{id_width(count)}d}"


def row_ids(prefix: str, count: int) -> pa.Array:
    digits = pa.array(np.arange(1, count + 1)).cast(pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(digits, id_width(count), "0"), "")


def put(target: pa.Array, rows: np.ndarray, values: pa.Array) -> pa.Array:
    """target with values at rows (ascending): arrow arrays cannot be assigned to in place."""
    mask = np.zeros(len(target), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(target, pa.array(mask), values)

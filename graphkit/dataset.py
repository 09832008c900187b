"""The parsed dataset: one typed table per input file, as the analysis and the stores see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

# One row per value in which a repeated id's skipped row differs from the row kept: the table
# ("companies" or "persons"), the id, the lines of the kept and the skipped row, the column, and
# the two values as text, with the files of the two rows (tables may combine several files).
DUPLICATE_ID_COLUMNS = {
    "table": "string",
    "id": "string",
    "first_file": "string",
    "first_line": "int64",
    "file": "string",
    "line": "int64",
    "column": "string",
    "first_value": "string",
    "value": "string",
}


def empty_duplicate_ids() -> pd.DataFrame:
    """A ``duplicate_ids`` table with no rows."""
    return pd.DataFrame(
        {name: pd.Series(dtype=kind) for name, kind in DUPLICATE_ID_COLUMNS.items()}
    )


@dataclass
class Dataset:
    """Registry and customs records after parsing and linking.

    Every table keeps a ``line`` column pointing back to its input file, so that each finding
    can name the records it rests on. ``shipments`` also carries ``exporter_key`` and
    ``importer_key``: the registry id a party was linked to (NA when it is not in the registry),
    and ``exporter_link`` / ``importer_link``: the rule that linked it.

    ``duplicate_ids`` keeps what the loader saw of a company or person id given twice with
    different content, the later row being skipped. A dataset read back from a store has none:
    the store only ever received the row kept.
    """

    companies: pd.DataFrame
    persons: pd.DataFrame
    ownership: pd.DataFrame
    officers: pd.DataFrame
    shipments: pd.DataFrame
    sanctions: pd.DataFrame
    source: str
    duplicate_ids: pd.DataFrame = field(default_factory=empty_duplicate_ids)


def as_date(value: object) -> date | None:
    """A table cell as a date, None when missing."""
    return None if pd.isna(value) else pd.Timestamp(value).date()


def as_dates(column: pd.Series) -> list[date | None]:
    """``as_date`` of each cell, converted as one column (a Timestamp per cell is slow)."""
    return pd.to_datetime(column).to_numpy(dtype="datetime64[D]").astype(object).tolist()


def as_text(value: object) -> str | None:
    """A table cell as text, None when missing."""
    return None if pd.isna(value) else str(value)

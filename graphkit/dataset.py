"""The parsed dataset: one typed table per input file, as the analysis and the stores see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd


@dataclass
class Dataset:
    """Registry and customs records after parsing and linking.

    Every table keeps a ``line`` column pointing back to its input file, so that each finding
    can name the records it rests on. ``shipments`` also carries ``exporter_key`` and
    ``importer_key``: the registry id a party was linked to (NA when it is not in the registry),
    and ``exporter_link`` / ``importer_link``: the rule that linked it.
    """

    companies: pd.DataFrame
    persons: pd.DataFrame
    ownership: pd.DataFrame
    officers: pd.DataFrame
    shipments: pd.DataFrame
    sanctions: pd.DataFrame
    source: str


def as_date(value: object) -> date | None:
    """A table cell as a date, None when missing."""
    return None if pd.isna(value) else pd.Timestamp(value).date()


def as_text(value: object) -> str | None:
    """A table cell as text, None when missing."""
    return None if pd.isna(value) else str(value)

"""The parsed dataset: one typed table per input file, as the analysis and the stores see it."""

from __future__ import annotations

from dataclasses import dataclass

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

    def company_ids(self) -> pd.Index:
        return pd.Index(self.companies["id"])

"""Ids derived for shipments without a declaration id: users may have written them down, so
they must not change, with netscan's code or with pandas upgrades."""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphkit.ingest.load import _shipment_ids
from graphkit.model import SHIPMENTS

NUMBER_COLUMNS = ("value_usd", "quantity")
TEXT_COLUMNS = [c.name for c in SHIPMENTS.columns if c.name not in ("id", "date", *NUMBER_COLUMNS)]
DAY = 86_400  # seconds


def blank_row(**values: object) -> dict[str, object]:
    row: dict[str, object] = {c: None for c in TEXT_COLUMNS}
    return row | {"id": None, "date": 19_000 * DAY, "value_usd": 1.0, "quantity": np.nan} | values


def shipments_table(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Shipments with the dtypes the loader gives them; a row's date is seconds since 1970."""
    frame = pd.DataFrame(
        {
            "id": pd.array([r["id"] for r in rows], dtype="string"),
            "date": np.array([r["date"] for r in rows], dtype=np.int64).view("datetime64[s]"),
            **{c: pd.array([r[c] for r in rows], dtype="string") for c in TEXT_COLUMNS},
            **{c: np.array([r[c] for r in rows], dtype=np.float64) for c in NUMBER_COLUMNS},
            "line": np.arange(2, len(rows) + 2),
            "file": pd.Categorical(["shipments.csv"] * len(rows)),
        }
    )
    return frame[[c.name for c in SHIPMENTS.columns] + ["line", "file"]]


def test_a_derived_id_never_changes() -> None:
    # written down from the first implementation
    row = blank_row(exporter_name="ТОО «Алтын»", value_usd=2065.49)
    assert _shipment_ids(shipments_table([row])).tolist() == ["row-6e0443dcc70a3574"]


def test_identical_rows_are_numbered_in_file_order() -> None:
    row = blank_row(exporter_name="ТОО «Алтын»", value_usd=12837.0)
    other = blank_row(exporter_name="ТОО «Алтын»", value_usd=12837.5)
    ids = _shipment_ids(shipments_table([row, other, row, row, other])).tolist()
    first, second = ids[0], ids[1]
    assert first != second
    assert ids == [first, second, f"{first}-1", f"{first}-2", f"{second}-1"]


def test_given_ids_are_kept_as_they_are() -> None:
    rows = [blank_row(id="S1"), blank_row(id="S2", value_usd=2.0), blank_row()]
    ids = _shipment_ids(shipments_table(rows)).tolist()
    assert ids[:2] == ["S1", "S2"] and ids[2].startswith("row-")

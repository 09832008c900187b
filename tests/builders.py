"""Builders for test inputs: rows as dicts, written as the CSV files netscan reads."""

from __future__ import annotations

import csv
from pathlib import Path

from graphkit.dataset import Dataset

EU_SUPPLIER = {
    "id": "DE1",
    "name": "Halbleiter GmbH",
    "country": "DE",
    "registered_on": "1999-01-01",
}
RU_BUYER = {"id": "RU1", "name": "ООО «Прибор»", "country": "RU", "registered_on": "2005-01-01"}


def write_csv(path: Path, rows: list[dict[str, str]], *, encoding: str = "utf-8") -> Path:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def shipment(
    day: str,
    exporter: str,
    exporter_country: str,
    importer: str,
    importer_country: str,
    hs: str = "854231",
    value: str = "1000",
    **extra: str,
) -> dict[str, str]:
    return {
        "id": extra.pop("id", f"{exporter}-{importer}-{day}-{hs}"),
        "date": day,
        "exporter_id": exporter,
        "exporter_name": extra.pop("exporter_name", ""),
        "exporter_country": exporter_country,
        "importer_id": importer,
        "importer_name": extra.pop("importer_name", ""),
        "importer_country": importer_country,
        "hs_code": hs,
        "value_usd": value,
        **extra,
    }


def expected_graph_counts(dataset: Dataset) -> dict[str, int]:
    """Nodes per label and relationships per type that loading ``dataset`` must create."""
    ships = dataset.shipments
    return {
        "Company": len(dataset.companies),
        "Person": len(dataset.persons),
        "Entity": len(dataset.companies) + len(dataset.persons),
        "Shipment": len(ships),
        "OWNS": len(dataset.ownership),
        "DIRECTS": len(dataset.officers),
        "EXPORTED": int(ships["exporter_key"].notna().sum()),
        "SHIPPED_TO": int(ships["importer_key"].notna().sum()),
        "SanctionEntry": len(dataset.sanctions),
    }

"""Files for ``neo4j-admin database import full``: the fastest first load of a large graph.

The import tool reads CSV files whose header names each column's role and type
(``id:ID(Entity)``, ``:LABEL``, ``since:date``, ``:START_ID(Entity)``). The files written here
hold the same nodes, relationships and properties that ``netscan load`` creates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from graphkit.dataset import Dataset
from graphkit.model import (
    COMPANY,
    DIRECTS,
    OWNS,
    PERSON,
    SANCTION,
    SHIPMENT,
    EdgeKind,
    Kind,
    NodeKind,
)
from graphkit.report.files import write_atomically
from graphkit.store.rows import node_table, stable_key

TYPES = {Kind.DATE: "date", Kind.SHARE: "float", Kind.NUMBER: "float"}


@dataclass(frozen=True)
class AdminImport:
    nodes: list[Path]
    relationships: list[Path]

    def command(self, database: str = "neo4j") -> str:
        parts = ["neo4j-admin database import full", database, "--overwrite-destination"]
        parts += [f"--nodes={p.name}" for p in self.nodes]
        parts += [f"--relationships={p.name}" for p in self.relationships]
        return " ".join(parts)


def _header(name: str, kind: NodeKind | EdgeKind) -> str:
    if name == "line":
        return "line:int"
    column = next((c for c in kind.table.columns if c.name == name), None)
    suffix = TYPES.get(column.kind) if column else None
    return f"{name}:{suffix}" if suffix else name


def _csv(frame: pd.DataFrame) -> str:
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return out.to_csv(index=False)


def _nodes(dataset: Dataset, kind: NodeKind, labels: str, key: str, space: str) -> pd.DataFrame:
    frame = node_table(dataset, kind)
    columns = [c for c in kind.properties if c in frame.columns and c != key]
    out = pd.DataFrame({f"{key}:ID({space})": frame[key]})
    out[":LABEL"] = labels
    for column in columns:
        out[_header(column, kind)] = frame[column]
    if key != "id" and "id" in frame.columns:
        out["id"] = frame["id"]
    return out


def _edges(frame: pd.DataFrame, kind: EdgeKind, spaces: tuple[str, str]) -> pd.DataFrame:
    out = pd.DataFrame(
        {f":START_ID({spaces[0]})": frame[kind.start], f":END_ID({spaces[1]})": frame[kind.end]}
    )
    out[":TYPE"] = kind.type
    if kind.key:
        out["key"] = stable_key(frame, [kind.start, kind.end, *kind.key]).to_numpy()
    for column in kind.properties:
        out[_header(column, kind)] = frame[column].to_numpy()
    return out.dropna(subset=[out.columns[0], out.columns[1]])


def write_admin_import(dataset: Dataset, out_dir: Path) -> AdminImport:
    """Write node and relationship files for neo4j-admin into ``out_dir``."""
    sanctions = dataset.sanctions.assign(
        key=stable_key(dataset.sanctions, ["entity_id", "name", "program", "listed_on"])
    )
    nodes = {
        "companies.csv": _nodes(dataset, COMPANY, "Entity;Company", "id", "Entity"),
        "persons.csv": _nodes(dataset, PERSON, "Entity;Person", "id", "Entity"),
        "shipments.csv": _nodes(dataset, SHIPMENT, "Shipment", "id", "Shipment"),
        "sanctions.csv": _nodes(
            Dataset(**{**dataset.__dict__, "sanctions": sanctions}),
            SANCTION,
            "SanctionEntry",
            "key",
            "Sanction",
        ),
    }
    shipments = dataset.shipments
    relationships = {
        "owns.csv": _edges(dataset.ownership, OWNS, ("Entity", "Entity")),
        "directs.csv": _edges(dataset.officers, DIRECTS, ("Entity", "Entity")),
        "exported.csv": _link(shipments, "exporter_key", "id", "EXPORTED", ("Entity", "Shipment")),
        "shipped_to.csv": _link(
            shipments, "id", "importer_key", "SHIPPED_TO", ("Shipment", "Entity")
        ),
        "lists.csv": _link(
            sanctions,
            "key",
            "entity_id",
            "LISTS",
            ("Sanction", "Entity"),
            known=set(dataset.companies["id"]) | set(dataset.persons["id"]),
        ),
    }
    for name, frame in {**nodes, **relationships}.items():
        write_atomically(out_dir / name, _csv(frame))
    return AdminImport(
        nodes=[out_dir / n for n in nodes], relationships=[out_dir / r for r in relationships]
    )


def _link(
    frame: pd.DataFrame,
    start: str,
    end: str,
    type_: str,
    spaces: tuple[str, str],
    known: set[str] | None = None,
) -> pd.DataFrame:
    out = pd.DataFrame(
        {f":START_ID({spaces[0]})": frame[start], f":END_ID({spaces[1]})": frame[end]}
    ).dropna()
    if known is not None:
        out = out[out.iloc[:, 1].isin(known)]
    out[":TYPE"] = type_
    return out

"""Table rows as the plain values a graph store takes: dates as dates, missing as None."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pandas as pd

from graphkit.dataset import Dataset
from graphkit.model import COMPANY, Kind, NodeKind, Table
from graphkit.resolve.names import address_keys


def node_table(dataset: Dataset, kind: NodeKind) -> pd.DataFrame:
    """The table ``kind`` comes from, with the properties derived from it: ``address_key``.

    A Company node carries its address key so that the store can find the firms at one address
    as the analysis does (``graphkit.resolve.names.address_keys``).
    """
    frame: pd.DataFrame = getattr(dataset, kind.table.name)
    if kind is COMPANY:
        frame = frame.assign(address_key=address_keys(frame["address"]))
    return frame


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of Python values: Timestamp -> date, NaN/NA -> None (missing property)."""
    converted = {}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            converted[column] = [None if pd.isna(v) else v.date() for v in values]
        elif pd.api.types.is_float_dtype(values):
            converted[column] = [None if pd.isna(v) else float(v) for v in values]
        elif pd.api.types.is_integer_dtype(values):
            converted[column] = [int(v) for v in values]
        else:
            converted[column] = [None if pd.isna(v) else str(v) for v in values]
    return [dict(zip(converted, row, strict=True)) for row in zip(*converted.values(), strict=True)]


def stable_key(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """A key that identifies a row by ``columns``, the same on every load of the same data.

    Rows equal in ``columns`` are numbered in file order, so that two holdings of one owner in
    one firm stay two relationships, while a changed share updates the one it belongs to.
    """
    if frame.empty:
        return pd.Series([], index=frame.index, dtype="string")
    text = frame[columns].astype("string").fillna("").agg("\x1f".join, axis=1)
    text = text + "\x1f" + text.groupby(text).cumcount().astype("string")
    return text.map(lambda t: hashlib.sha1(t.encode()).hexdigest()[:20]).astype("string")


def batches(items: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def table_frame(rows: list[dict[str, Any]], kind: NodeKind | Table) -> pd.DataFrame:
    """Rows read back from a store as a table with the dtypes the loader gives the same data."""
    table = kind.table if isinstance(kind, NodeKind) else kind
    names = list(kind.properties) if isinstance(kind, NodeKind) else [
        *(c.name for c in table.columns), "line", "file"]  # fmt: skip
    kinds = {c.name: c.kind for c in table.columns}
    frame = pd.DataFrame({name: [row.get(name) for row in rows] for name in names})
    for name in names:
        frame[name] = _typed(frame[name], kinds.get(name), name)
    return frame


def _typed(values: pd.Series, kind: Kind | None, name: str) -> pd.Series:
    if name == "line":
        return values.astype("int64")
    if kind is Kind.DATE:
        native = [v.to_native() if hasattr(v, "to_native") else v for v in values]
        return pd.Series(pd.to_datetime(native), index=values.index).astype("datetime64[s]")
    if kind in (Kind.SHARE, Kind.NUMBER):
        return values.astype("float64")
    return values.astype("string")

"""Table rows as the plain values a graph store takes: dates as dates, missing as None."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pandas as pd

from graphkit.dataset import Dataset
from graphkit.model import EdgeKind, NodeKind


def table_of(dataset: Dataset, kind: NodeKind | EdgeKind) -> pd.DataFrame:
    return getattr(dataset, kind.table.name)


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
    """A key that identifies a row by its content, the same on every load of the same data."""
    text = frame[columns].astype("string").fillna("").agg("\x1f".join, axis=1)
    return text.map(lambda t: hashlib.sha1(t.encode()).hexdigest()[:20])


def batches(items: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

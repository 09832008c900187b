"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from builders import write_csv

from graphkit.model import TABLES

WriteDataset = Callable[..., Path]


@pytest.fixture
def write_dataset(tmp_path: Path) -> WriteDataset:
    """write_dataset(companies=[...], shipments=[...], ...) -> folder with those CSV files."""

    def write(folder_name: str = "data", **tables: list[dict[str, str]]) -> Path:
        folder = tmp_path / folder_name
        folder.mkdir(exist_ok=True)
        known = {t.name for t in TABLES}
        for name, rows in tables.items():
            assert name in known, name
            write_csv(folder / f"{name}.csv", rows)
        return folder

    return write

"""Shared fixtures."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from builders import write_csv

from graphkit.model import TABLES

WriteDataset = Callable[..., Path]


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The CLI's cache of loaded folders goes to a temporary folder, not the user's ~/.cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NETSCAN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


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


@pytest.fixture
def logs() -> Iterator[list[str]]:
    """Every record of netscan's and the driver's loggers, DEBUG included, formatted."""
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Keep(logging.DEBUG)
    loggers = [logging.getLogger(name) for name in ("graphkit", "neo4j")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield records
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)

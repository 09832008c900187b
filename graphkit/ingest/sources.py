"""Find the input files of a data folder and recognise each one's format by its content.

A folder may mix netscan's own CSV files (companies.csv, shipments.csv, ...) with files in other
formats (``graphkit.ingest.formats``): each is read into netscan's tables, and the loader combines
the tables of all files. Files netscan does not recognise are listed, not read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from graphkit.errors import InputError
from graphkit.ingest.formats import HEAD_SIZE, Extract, bods, egrul, ftm, gleif, mapping
from graphkit.ingest.read import RawTable, open_input, read_csv
from graphkit.model import TABLES, Table

log = logging.getLogger(__name__)

NETSCAN_CSV = "netscan CSV"
# Formats are tried in this order; the first that recognises a file reads it.
READERS: tuple[ModuleType, ...] = (ftm, egrul, gleif, bods, mapping)


@dataclass
class Sources:
    """The files of a data folder: each table's raw parts, and what was read from where."""

    tables: dict[str, list[RawTable]] = field(default_factory=dict)
    extracts: list[Extract] = field(default_factory=list)  # files in other formats
    ignored: list[Path] = field(default_factory=list)  # files netscan does not recognise


def find_sources(folder: Path) -> Sources:
    """Read every input file in ``folder``: netscan CSV files by name, others by content."""
    if not folder.is_dir():
        raise InputError(
            "no such folder", path=folder, fix="Give --data the folder that holds companies.csv"
        )
    sources = Sources({table.name: [] for table in TABLES})
    csv_files = {}
    for table in TABLES:
        path = _find_file(folder, table)
        if path is not None:
            csv_files[path.resolve()] = (path, table)
    mapped: set[Path] = set()  # the CSV files that mapping files describe
    for path in sorted(p for p in folder.iterdir() if _is_candidate(p)):
        if path.resolve() in csv_files:
            continue
        reader = _recognise(path)
        if reader is None:
            sources.ignored.append(path)
            continue
        if reader is mapping:
            mapped.update(_inside(folder, path, mapping.claimed_files(path)))
        sources.extracts.append(reader.read(path))
    for resolved, (path, table) in csv_files.items():
        if resolved not in mapped:  # a mapping file says how to read it instead
            sources.tables[table.name].append(read_csv(path, table))
    for extract in sources.extracts:
        for name, raw in extract.tables.items():
            sources.tables[name].append(raw)
    sources.ignored = [p for p in sources.ignored if p.resolve() not in mapped]
    return sources


def _inside(folder: Path, mapping_file: Path, files: list[Path]) -> set[Path]:
    """The files a mapping file describes, which must be in the data folder: the cache and the
    list of inputs a run reports cover that folder only."""
    for file in files:
        if file.resolve().parent != folder.resolve():
            raise InputError(
                f"the mapping describes {file}, which is not in the data folder",
                path=mapping_file,
                fix="Put the CSV file in the data folder, next to the mapping file, and name it "
                "without a folder",
            )
    return {file.resolve() for file in files}


def _is_candidate(path: Path) -> bool:
    return path.is_file() and not path.name.startswith(".")


def _recognise(path: Path) -> ModuleType | None:
    """The reader of the first format that recognises the file's first bytes."""
    with open_input(path) as file:
        head = file.read(HEAD_SIZE)
    return next((reader for reader in READERS if reader.recognises(head)), None)


def _find_file(folder: Path, table: Table) -> Path | None:
    """The table's file in ``folder``, matching the name in any letter case."""
    exact = folder / table.filename
    if exact.is_file():
        return exact
    matches = sorted(p for p in folder.iterdir() if p.name.lower() == table.filename)
    return matches[0] if matches else None

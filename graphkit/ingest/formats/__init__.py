"""Readers for the formats investigators already have, besides netscan's own CSV files.

Each reader turns one file into an ``Extract``: netscan's own tables (``graphkit.model``) as text,
exactly as if they had come from CSV files, so that every record goes through the same checks
(dates, countries, shares, ids, references) and the same rejects file; plus the records or
values the reader could not map into the model, each with its line and the reason.

A reader module provides two functions:

- ``recognises(head: bytes) -> bool``: whether the file's first bytes (up to ``HEAD_SIZE``) are
  in its format. Formats are told by content, never by file name alone.
- ``read(path: Path) -> Extract``: the records of the file. A file that cannot be read at all
  raises ``InputError`` (file, line, fix); a record that cannot be used goes to ``unmapped``.

Ids from the source are kept as they are (an FtM entity id, an OGRN-based id, an LEI), so that
records from different files that share an id join in one graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from graphkit.ingest.read import LINE, MalformedRow, RawTable
from graphkit.model import TABLES

HEAD_SIZE = 64 << 10  # bytes a reader sees to recognise its format
QUOTE_LENGTH = 200  # characters of a record quoted in ``unmapped``

TABLES_BY_NAME = {table.name: table for table in TABLES}


@dataclass
class Extract:
    """What a reader took from one file.

    ``tables`` maps a netscan table name ("companies", "persons", "ownership", "officers",
    "shipments", "sanctions") to its rows as text; a table the file has no rows for is absent.
    ``unmapped`` lists the source records (or parts of them) that have no place in netscan's model
    or were unusable: (line, a short quote of the record, what was not mapped and why).
    """

    path: Path
    format: str  # the name users read in messages: "FollowTheMoney", "EGRUL XML", ...
    tables: dict[str, RawTable] = field(default_factory=dict)
    unmapped: list[MalformedRow] = field(default_factory=list)


def raw_table(
    path: Path, encoding: str, table: str, rows: Iterable[Mapping[str, object]]
) -> RawTable:
    """A RawTable of ``table``'s columns from dict rows that each carry a ``line`` key.

    Keys that are not columns of the table are refused (a typo would lose data silently);
    values are turned to text (None stays missing) so the loader parses them like CSV text.

    >>> raw_table(Path("x.json"), "utf-8", "sanctions", [{"line": 3, "name": "ACME"}]).frame
      entity_id  name country program listed_on  line
    0      <NA>  ACME    <NA>    <NA>      <NA>     3
    """
    model = TABLES_BY_NAME[table]
    names = [c.name for c in model.columns]
    rows = list(rows)
    for row in rows:
        unknown = set(row) - set(names) - {LINE}
        if unknown:
            raise ValueError(f"{table} has no column {', '.join(sorted(unknown))}")
    columns = {
        name: pd.Series([stripped(row.get(name)) for row in rows], dtype="string") for name in names
    }
    frame = pd.DataFrame(columns)
    frame[LINE] = pd.Series([int(row[LINE]) for row in rows], dtype="int64")  # type: ignore[call-overload]
    return RawTable(path, encoding, frame)


# Small helpers the readers share.


def stripped(value: object) -> str | None:
    """A value as text without surrounding space; None when missing or blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def shorten(text: str, length: int = QUOTE_LENGTH) -> str:
    """``text`` cut to ``length`` characters, "…" marking the cut: a record quoted in a message."""
    return text if len(text) <= length else text[: length - 1] + "…"


FULL_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:$|T| )")


def full_date(text: str) -> str | None:
    """The date of a full date or timestamp, as written ("2012-06-06T15:56:00.000Z" ->
    "2012-06-06": a time with an offset keeps the local date); None for anything else (a year
    or a month alone, not a date)."""
    match = FULL_DATE.match(text)
    return match.group(1) if match else None


def date_part(text: str | None) -> str | None:
    """The date of a full date or timestamp (see ``full_date``); anything else is passed on for
    the loader to judge."""
    if text is None:
        return None
    return full_date(text) or text


def jurisdiction_country(jurisdiction: str | None) -> str | None:
    """The country of a jurisdiction code: "US" of "US-DE"."""
    if not jurisdiction:
        return None
    return jurisdiction.split("-")[0].strip() or None

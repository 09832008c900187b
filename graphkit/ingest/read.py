"""Read one CSV file into a table of text columns, whatever its encoding and header case.

pyarrow does the reading (columnar and fast); this module finds the encoding, normalises the
header, checks the required columns, and keeps rows with the wrong number of fields aside
with their line numbers, so that they can be reported instead of stopping the run.
"""

from __future__ import annotations

import codecs
import csv
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from graphkit.errors import InputError
from graphkit.model import Table

log = logging.getLogger(__name__)

LINE = "line"  # the column that carries each row's line number in its file
BLOCK_SIZE = 16 << 20  # bytes; pyarrow needs one whole row to fit in a block
SNIFF_SIZE = 1 << 20  # bytes read to guess the encoding
QUOTING_FIX = (
    "Check the quoting: a value that contains a comma, a quote or a line break must be "
    'enclosed in double quotes, and a quote inside it written twice ("")'
)


@dataclass(frozen=True)
class MalformedRow:
    line: int | None
    text: str
    problem: str


@dataclass
class RawTable:
    """A file's rows as text (missing values as NA), with a ``line`` column."""

    path: Path
    encoding: str
    frame: pd.DataFrame
    malformed: list[MalformedRow] = field(default_factory=list)


def normalise_header(name: str) -> str:
    """'Registered On ' and 'REGISTERED-ON' both become 'registered_on'."""
    return re.sub(r"[\s\-]+", "_", name.replace("\ufeff", "").strip()).lower()


def _sniff(path: Path) -> tuple[bytes, str]:
    """The file's first bytes and its likely encoding (UTF-8 with or without BOM, or cp1251)."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_SIZE)
    if not head.strip():
        raise InputError(
            "the file is empty", path=path, line=1, fix="It needs a header row and data rows"
        )
    if b"\x00" in head:
        raise InputError(
            "this is not a text file (it contains binary data)",
            path=path,
            fix="Export the sheet as CSV (comma-separated, UTF-8), not as XLSX or another format",
        )
    if head.startswith(codecs.BOM_UTF8):
        return head, "utf8"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        cut_at_end = len(head) == SNIFF_SIZE and error.start >= len(head) - 4
        if not cut_at_end:  # a multi-byte character cut by the sample's end is no evidence
            return head, "cp1251"
    return head, "utf8"


def _header(head: bytes, encoding: str, path: Path) -> list[str]:
    text = head.decode("utf-8-sig" if encoding == "utf8" else encoding, errors="replace")
    first_line = text.splitlines()[0] if text else ""
    return next(csv.reader([first_line]), [])


def _check_columns(names: list[str], table: Table, path: Path) -> None:
    normalised = [normalise_header(n) for n in names]
    seen: set[str] = set()
    for name in normalised:
        if name in seen:
            raise InputError(
                f"the header names column '{name}' twice",
                path=path,
                line=1,
                column=name,
                fix="Rename or remove one of them",
            )
        seen.add(name)
    for name in table.required_columns:
        if name not in seen:
            raise InputError(
                f"required column '{name}' is missing (the header has: {', '.join(normalised)})",
                path=path,
                line=1,
                column=name,
                fix=f"Add a '{name}' column or rename the column that holds it; "
                f"{table.filename} needs {', '.join(table.required_columns)}",
            )
    unknown = sorted(seen - {c.name for c in table.columns})
    if unknown:
        log.info("%s: ignoring columns netscan does not use: %s", path, ", ".join(unknown))


def _read_arrow(path: Path, names: list[str], encoding: str) -> tuple[pa.Table, list[MalformedRow]]:
    malformed: list[MalformedRow] = []

    def keep_aside(row: pacsv.InvalidRow) -> str:
        problem = f"the row has {row.actual_columns} fields, the header has {row.expected_columns}"
        if row.text.count('"') % 2:
            problem += f"; a quote is never closed. {QUOTING_FIX}"
        malformed.append(MalformedRow(row.number, row.text, problem))
        return "skip"

    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(
            encoding=encoding, block_size=BLOCK_SIZE, use_threads=False
        ),  # one thread: pyarrow knows the line numbers of malformed rows only then
        parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=keep_aside),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in names},
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    return table, malformed


def _line_numbers(rows: int, malformed: list[MalformedRow]) -> np.ndarray:
    """Record numbers of the rows kept: the header is line 1, malformed rows leave gaps."""
    skipped = np.array(sorted(m.line for m in malformed if m.line is not None), dtype=np.int64)
    candidates = np.arange(2, rows + len(skipped) + 2, dtype=np.int64)
    return np.setdiff1d(candidates, skipped, assume_unique=True)[:rows]


def read_csv(path: Path, table: Table) -> RawTable:
    """Read ``path`` as the input file ``table``; raise InputError if it cannot be used at all."""
    head, encoding = _sniff(path)
    names = _header(head, encoding, path)
    _check_columns(names, table, path)
    try:
        arrow, malformed = _read_arrow(path, names, encoding)
    except pa.ArrowInvalid as error:
        if encoding == "utf8" and "UTF8" in str(error):
            encoding = "cp1251"  # a UTF-8 error past the sniffed head: a cp1251 file after all
            arrow, malformed = _read_arrow_or_explain(path, names, encoding)
        else:
            raise _explain(error, path) from None
    frame = arrow.to_pandas()
    frame.columns = [normalise_header(n) for n in frame.columns]
    frame[LINE] = _line_numbers(len(frame), malformed)
    if encoding != "utf8":
        log.info("%s: read as %s", path, encoding)
    return RawTable(path, encoding, frame, malformed)


def _read_arrow_or_explain(
    path: Path, names: list[str], encoding: str
) -> tuple[pa.Table, list[MalformedRow]]:
    try:
        return _read_arrow(path, names, encoding)
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        raise _explain(error, path) from None


def _explain(error: Exception, path: Path) -> InputError:
    text = str(error)
    if "straddling" in text or "block" in text:
        return InputError(
            f"a row is longer than {BLOCK_SIZE >> 20} MB, probably because a quote is never closed",
            path=path,
            fix=QUOTING_FIX,
        )
    if isinstance(error, UnicodeDecodeError) or "UTF8" in text or "decode" in text:
        return InputError(
            "the file is neither UTF-8 nor cp1251 text",
            path=path,
            fix="Save it as CSV in UTF-8",
        )
    return InputError(f"the file cannot be read as CSV ({text})", path=path, fix=QUOTING_FIX)

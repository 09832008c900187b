"""Read one CSV file into a table of text columns, whatever its encoding, delimiter and header case.

pyarrow does the reading (columnar and fast); this module finds the encoding and the delimiter,
normalises the header, checks the required columns, and keeps rows with the wrong number of
fields aside with their line numbers, so that they can be reported instead of stopping the run.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from graphkit.errors import InputError
from graphkit.model import Table

log = logging.getLogger(__name__)

LINE = "line"  # the column that carries each row's line number in its file
FILE = "file"  # the column that names each row's input file, when tables combine several
BLOCK_SIZE = 16 << 20  # bytes; pyarrow needs one whole row to fit in a block
SNIFF_SIZE = 1 << 20  # bytes read to guess the encoding
DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}  # the first is the default
QUOTING_FIX = (
    "Check the quoting: a value that contains a comma, a quote or a line break must be "
    'enclosed in double quotes, and a quote inside it written twice ("")'
)
# Each byte as "L" (a lead byte of Cyrillic in UTF-8), "C" (a continuation byte) or ".", so that
# "LCLC", two Cyrillic letters in a row in UTF-8, can be found fast; cp1251 text has it practically
# never, as it would read "С»Р»".
BYTE_CLASSES = bytes(
    ord("L") if 0xD0 <= b <= 0xD3 else ord("C") if 0x80 <= b <= 0xBF else ord(".")
    for b in range(256)
)
SAVE_AS_CSV = "Save the file as CSV UTF-8 (in Excel: File > Save As > CSV UTF-8)"
ONE_ROW_PER_LINE = (
    "Check that this is a CSV file with one row per line (a file whose line breaks were lost "
    "reads as one long line) and that no value is that long"
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


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):g} MB"


def open_input(path: Path, kind: str = "file") -> BinaryIO:
    """``path`` opened to read bytes; InputError when it is a folder or netscan may not read it.

    ``kind`` names what belongs there, for the message: "CSV file".
    """
    if path.is_dir():
        raise InputError(
            "this is a folder, not a file", path=path, fix=f"Put the {kind} itself in its place"
        )
    try:
        return path.open("rb")
    except PermissionError:
        raise InputError(
            "netscan is not allowed to read this file",
            path=path,
            fix=f"Give your user permission to read it (on macOS or Linux: chmod a+r {path.name})",
        ) from None
    except OSError as error:
        raise InputError(f"cannot be read: {error.strerror}", path=path) from None


def _sniff(path: Path) -> tuple[bytes, str]:
    """The file's first bytes and its likely encoding: "utf8" (with or without BOM), "utf16"
    (Excel's "Unicode text") or "cp1251" (not UTF-8; see ``_read``)."""
    with open_input(path, "CSV file") as handle:
        head = handle.read(SNIFF_SIZE)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head, "utf16"
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


def _decode_line(raw: bytes, path: Path, line: int) -> tuple[str, str]:
    """One line as text, and what it was: "ascii", else "utf8" if it is valid UTF-8, else
    "cp1251". Real cp1251 Russian text is practically never valid UTF-8."""
    if raw.isascii():
        return raw.decode("ascii"), "ascii"
    try:
        return raw.decode("utf-8"), "utf8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1251"), "cp1251"
    except UnicodeDecodeError:
        raise InputError(
            "this line is neither UTF-8 nor cp1251 text", path=path, line=line, fix=SAVE_AS_CSV
        ) from None


class _LineByLine(io.RawIOBase):
    """A file re-encoded as UTF-8 for pyarrow, each line decoded in its own encoding: for a
    file pasted together from a UTF-8 export and a cp1251 one. Slower than pyarrow's decoding.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = path.open("rb")
        self.line = 0
        self.lines: Counter[str] = Counter()  # lines per encoding
        self.rest = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        parts, length = [self.rest], len(self.rest)
        # a line cut at twice the block size is too long for pyarrow anyway
        while (size < 0 or length < size) and (raw := self.file.readline(2 * BLOCK_SIZE)):
            self.line += 1
            text, encoding = _decode_line(raw, self.path, self.line)
            self.lines[encoding] += 1
            parts.append(text.encode())
            length += len(parts[-1])
        data = b"".join(parts)
        if size < 0:
            size = len(data)
        self.rest = data[size:]
        return data[:size]

    def close(self) -> None:
        self.file.close()
        super().close()

    def encoding(self) -> str:
        return "utf8+cp1251" if self.lines["utf8"] else "cp1251"


def _first_line(head: bytes, encoding: str, path: Path) -> str:
    if len(head) == SNIFF_SIZE and b"\n" not in head and b"\r" not in head:
        raise InputError(
            f"the line is longer than {_megabytes(SNIFF_SIZE)}, too long for a header",
            path=path,
            line=1,
            fix=ONE_ROW_PER_LINE,
        )
    if encoding == "utf16":
        line = next(iter(head.decode("utf-16", errors="replace").splitlines()), "")
    elif encoding == "utf8":
        line = next(iter(head.splitlines()), b"").decode("utf-8-sig", errors="replace")
    else:
        line = _decode_line(next(iter(head.splitlines()), b""), path, 1)[0]
    if not line.strip():
        raise InputError(
            "the line is blank", path=path, line=1, fix="Delete the blank lines above the header"
        )
    return line


def _header(first_line: str, table: Table) -> tuple[list[str], str]:
    """The column names and the delimiter: a comma, unless the header makes sense only when
    split at semicolons (what Excel writes where the comma is the decimal mark) or tabs."""

    def fit(delimiter: str) -> tuple[bool, int]:
        names = next(csv.reader([first_line], delimiter=delimiter), [])
        found = {normalise_header(n) for n in names}
        return set(table.required_columns) <= found, len(names)

    delimiter = max(DELIMITERS, key=fit)
    return next(csv.reader([first_line], delimiter=delimiter), []), delimiter


def _shorten(text: str, length: int = 200) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _check_columns(names: list[str], table: Table, path: Path) -> None:
    normalised = [normalise_header(n) for n in names]
    seen: set[str] = set()
    for name in normalised:
        if name and name in seen:
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
                f"required column '{name}' is missing "
                f"(the header has: {_shorten(', '.join(normalised))})",
                path=path,
                line=1,
                column=name,
                fix=f"Add a '{name}' column or rename the column that holds it; "
                f"{table.filename} needs {', '.join(table.required_columns)}",
            )
    unknown = sorted(seen - {c.name for c in table.columns} - {""})
    if unknown:
        log.info("%s: ignoring columns netscan does not use: %s", path, ", ".join(unknown))
    if "" in seen:  # Excel saves columns that were ever formatted, with no name
        log.info("%s: ignoring %d columns without a name", path, normalised.count(""))


def _read_arrow(
    path: Path, names: list[str], encoding: str, delimiter: str
) -> tuple[pa.Table, list[MalformedRow], str]:
    """The file's rows, the rows kept aside, and the encoding they were read in.

    ``encoding`` is "utf8", "utf16", "cp1251" or "utf8+cp1251" (line by line).
    """
    malformed: list[MalformedRow] = []

    def keep_aside(row: pacsv.InvalidRow) -> str:
        problem = f"the row has {row.actual_columns} fields, the header has {row.expected_columns}"
        if row.text.count('"') % 2:
            lines = row.text.count("\n") + 1
            runs_on = f", so the row runs over {lines} lines" if lines > 1 else ""
            problem += f"; a quote is never closed{runs_on}. {QUOTING_FIX}"
        malformed.append(MalformedRow(row.number, row.text, problem))
        return "skip"

    def parse(source: Any, threads: bool) -> pa.Table:
        return pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(
                encoding="utf8" if by_line else encoding,
                block_size=BLOCK_SIZE,
                use_threads=threads,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=keep_aside
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.large_string() for name in names},  # what pandas holds
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )

    by_line = _LineByLine(path) if encoding == "utf8+cp1251" else None
    try:
        table = parse(by_line or path, threads=by_line is None)
        if malformed and by_line is None:  # pyarrow numbers malformed rows on one thread only
            malformed.clear()
            table = parse(path, threads=False)
    except pa.ArrowInvalid as error:
        if "Empty CSV file" not in str(error):
            raise
        # a header, no rows: still a table
        table = pa.table({name: pa.array([], pa.large_string()) for name in names})
    finally:
        if by_line:
            by_line.close()
    return table, malformed, by_line.encoding() if by_line else encoding


def _line_numbers(rows: int, malformed: list[MalformedRow]) -> np.ndarray:
    """Record numbers of the rows kept: the header is line 1, malformed rows leave gaps."""
    skipped = np.array(sorted(m.line for m in malformed if m.line is not None), dtype=np.int64)
    candidates = np.arange(2, rows + len(skipped) + 2, dtype=np.int64)
    return np.setdiff1d(candidates, skipped, assume_unique=True)[:rows]


def _in_one_piece(table: pa.Table) -> pa.Table:
    """``table`` with each column in one block. The threaded reader returns hundreds of blocks;
    in one, a column passes between pandas and Arrow without a copy (see ``columns.arrow``).
    Two columns are combined at a time: Arrow copies without holding the interpreter."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        columns = list(pool.map(pa.ChunkedArray.combine_chunks, table.columns))
    return pa.Table.from_arrays(columns, names=table.column_names)


def read_csv(path: Path, table: Table) -> RawTable:
    """Read ``path`` as the input file ``table``; raise InputError if it cannot be used at all."""
    head, encoding = _sniff(path)
    names, delimiter = _header(_first_line(head, encoding, path), table)
    _check_columns(names, table, path)
    try:
        arrow, malformed, encoding = _read(path, names, encoding, delimiter)
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        raise _explain(error, path, encoding) from None
    frame = _in_one_piece(arrow).to_pandas()
    frame.columns = [normalise_header(n) for n in frame.columns]
    frame = frame.drop(columns="", errors="ignore")
    frame[LINE] = _line_numbers(len(frame), malformed)
    if encoding == "utf8+cp1251":
        log.info("%s: read line by line, as the file mixes UTF-8 and cp1251 lines", path)
    elif encoding != "utf8":
        log.info("%s: read as %s", path, encoding)
    if delimiter != ",":
        log.info("%s: columns separated by %s", path, DELIMITERS[delimiter])
    return RawTable(path, encoding, frame, malformed)


def read_header(path: Path, table: Table) -> list[str]:
    """The column names in ``path``'s first line as written, split as ``read_csv`` splits them
    (by the delimiter that gives ``table``'s required columns), without reading the rows."""
    head, encoding = _sniff(path)
    return _header(_first_line(head, encoding, path), table)[0]


def _read(
    path: Path, names: list[str], encoding: str, delimiter: str
) -> tuple[pa.Table, list[MalformedRow], str]:
    """Read in the sniffed encoding. A file that is not all UTF-8 is read as cp1251, or line by
    line if some of its lines are UTF-8 after all."""
    if encoding != "cp1251":
        try:
            return _read_arrow(path, names, encoding, delimiter)
        except pa.ArrowInvalid as error:
            if encoding != "utf8" or "UTF8" not in str(error):
                raise
            # a line past the sniffed head is not UTF-8
    if not _has_utf8_cyrillic(path):
        try:
            return _read_arrow(path, names, "cp1251", delimiter)
        except UnicodeDecodeError:  # a byte cp1251 lacks, maybe in a UTF-8 line after all
            pass
    return _read_arrow(path, names, "utf8+cp1251", delimiter)


def _has_utf8_cyrillic(path: Path) -> bool:
    with path.open("rb") as handle:
        tail = b""
        while chunk := handle.read(BLOCK_SIZE):
            classes = tail + chunk.translate(BYTE_CLASSES)
            if b"LCLC" in classes:
                return True
            tail = classes[-3:]
    return False


def _explain(error: Exception, path: Path, encoding: str) -> InputError:
    text = str(error)
    if "straddling" in text:
        return _long_row(path, encoding)
    if isinstance(error, UnicodeDecodeError):
        return InputError(f"the file is not valid {encoding} text", path=path, fix=SAVE_AS_CSV)
    return InputError(f"the file cannot be read as CSV ({text})", path=path, fix=QUOTING_FIX)


def _long_row(path: Path, encoding: str) -> InputError:
    """Name the row too long for pyarrow's blocks: one long line, or a quote never closed."""
    size = _megabytes(BLOCK_SIZE)
    # in UTF-16 a quote's byte may be half of another character: no line to name
    where = None if encoding == "utf16" else _first_long_row(path, BLOCK_SIZE)
    if where is None:
        return InputError(f"a row is longer than {size}", path=path, fix=ONE_ROW_PER_LINE)
    start, lines = where
    if lines == 1:
        return InputError(
            f"the line is longer than {size}", path=path, line=start, fix=ONE_ROW_PER_LINE
        )
    return InputError(
        f"a quote opened in this row is not closed within {size}",
        path=path,
        line=start,
        fix=QUOTING_FIX,
    )


def _first_long_row(path: Path, limit: int) -> tuple[int, int] | None:
    """The first line of the first row longer than ``limit`` bytes, and how many lines it spans
    (a row goes on while it has an odd number of quotes)."""
    with path.open("rb") as handle:
        line = start = 1
        length, quoted = 0, False
        while piece := handle.readline(limit + 1):
            length += len(piece)
            if length > limit:
                return start, line - start + 1
            quoted ^= piece.count(b'"') % 2 == 1
            if piece.endswith(b"\n"):
                line += 1
                if not quoted:
                    start, length = line, 0
    return None

"""Write CSV from pyarrow string arrays, quoting only the values that need it.

pyarrow's own writer quotes every string; real extracts quote only what contains a comma, a
quote or a line break, and so does this. Lines are built with pyarrow compute and written as
one buffer per chunk, so a chunk of half a million rows costs no Python loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

BOM = "\ufeff".encode()


def _quoted_where_needed(values: pa.Array) -> pa.Array:
    needs_quotes = pc.match_substring_regex(values, '[",\r\n]')
    if not pc.any(needs_quotes).as_py():
        return values
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(values, '"', '""'), '"', "")
    return pc.if_else(needs_quotes, quoted, values)


def _lines(columns: Sequence[pa.Array]) -> bytes:
    cells = [_quoted_where_needed(c) for c in columns]
    rows = pc.binary_join_element_wise(*cells, ",", null_handling="replace", null_replacement="")
    lines = pc.binary_join_element_wise(rows, "", "\n")
    # the lines lie end to end in the array's data buffer: that buffer is the chunk's text
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)
    first, last = offsets[lines.offset], offsets[lines.offset + len(lines)]
    return bytes(lines.buffers()[2][first:last].to_pybytes())


def _write(out: BinaryIO, text: bytes, encoding: str) -> None:
    out.write(text if encoding == "utf-8" else text.decode("utf-8").encode(encoding))


def write_csv(
    path: Path,
    header: Sequence[str],
    chunks: Iterable[Sequence[pa.Array]],
    *,
    encoding: str = "utf-8",
    bom: bool = False,
) -> int:
    """Write header and chunks of columns to path; return the number of data rows."""
    rows = 0
    with path.open("wb") as out:
        if bom:
            out.write(BOM)
        _write(out, (",".join(header) + "\n").encode(), encoding)
        for columns in chunks:
            if len(columns[0]):
                _write(out, _lines(columns), encoding)
                rows += len(columns[0])
    return rows

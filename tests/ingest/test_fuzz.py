"""Property-based tests: adversarial rows never crash a load, and every row is accounted for."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.errors import InputError
from graphkit.ingest.load import load_folder
from graphkit.model import TABLES

# Values real extracts contain, and values that break naive loaders.
NASTY = st.sampled_from(
    [
        "",
        " ",
        "KZ",
        "kaz",
        "Россия",
        "Narnia",
        "EU",
        "2022-02-30",
        "31.12.1899",
        "01.01.2999",
        "1e309",
        "-5",
        "150%",
        "NaN",
        "null",
        "8542.31",
        "85",
        "８５４２３１",
        "\x00",
        "\x1b[31m",
        "a\nb",
        '"',
        "'; DROP TABLE x; --",
        "MATCH (n) DETACH DELETE n",
        "<script>alert(1)</script>",
        "ТОО «Алтын»",
        "Қазақ",
        "C1",
        "C2",
        "P1",
        "9" * 40,
        "١٢٣",
        "\u202e",
        "%",
        ",",
        ";",
    ]
)
VALUES = st.one_of(NASTY, st.text(max_size=12))


def table_rows(columns: list[str]) -> st.SearchStrategy[list[dict[str, str]]]:
    return st.lists(st.fixed_dictionaries({c: VALUES for c in columns}), max_size=8)


def write(
    path: Path, columns: list[str], rows: list[dict[str, str]], raw: list[str], encoding: str
) -> None:
    """Rows as proper CSV, then lines of raw text (wrong field counts, stray quotes)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    buffer.write("".join(line + "\n" for line in raw))
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251"]))
def test_any_rows_load_or_stop_cleanly_and_every_row_is_accounted_for(
    tmp_path_factory, data, encoding
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    for table in TABLES:
        if table.required or data.draw(st.booleans()):
            columns = [c.name for c in table.columns]
            rows = data.draw(table_rows(columns))
            raw = data.draw(st.lists(st.text(alphabet=',"x\u0451;', max_size=10), max_size=2))
            write(folder / table.filename, columns, rows, raw, encoding)
    try:
        dataset, report = load_folder(folder)
    except InputError as error:  # e.g. a file that is empty because no row was drawn
        assert error.exit_code == 2 and str(error)
        return
    rejects = report.rejects.frame()
    for table in TABLES:
        count = report.counts[table.name]
        assert count.rows == count.loaded + count.skipped, table.name
        assert len(getattr(dataset, table.name)) == count.loaded
        skipped = rejects[
            (rejects["action"] == "row skipped") & rejects["file"].str.endswith(table.filename)
        ]
        assert skipped["line"].nunique() == count.skipped, table.name
    assert not dataset.companies["id"].duplicated().any()
    assert pd.api.types.is_datetime64_any_dtype(dataset.shipments["date"])

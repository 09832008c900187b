"""The bad-input catalogue (issue 9): each way a data folder goes wrong in real life, run through
the real command on a copy of examples/ with one file spoiled, with the exact line the user
reads on stderr and the exit code. README section 'Bad input catalogue' shows the same table.

Exit code 2 means the input cannot be used; a row that cannot be used is skipped, listed in
the rejects file, and the run goes on (exit code 0).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graphkit.cli import cli
from graphkit.ingest import read

EXAMPLES = Path(__file__).parents[2] / "examples"
LOADED = (
    "Loaded 56 companies, 39 persons, 38 ownership links, 31 officer records, 349 shipments, "
    "3 sanctions entries."
)
QUOTING_FIX = (
    "Check the quoting: a value that contains a comma, a quote or a line break must be "
    'enclosed in double quotes, and a quote inside it written twice ("")'
)
ONE_ROW_PER_LINE = (
    "Check that this is a CSV file with one row per line (a file whose line breaks were lost "
    "reads as one long line) and that no value is that long"
)
SMALL_BLOCK = 1 << 20  # the reader's block in the long-row cases, so that they need not be 16 MB

Spoil = Callable[[Path], object]
Check = Callable[[Result, Path], None]


@dataclass(frozen=True)
class Case:
    spoil: Spoil  # changes one thing in the copy of examples/
    exit_code: int
    line: str  # the exact line on stderr: {data} is the folder, {rejects} the rejects file
    check: Check | None = None  # what else the user must get
    block_size: int | None = None
    as_root: bool = True  # False: root reads any file, so the case cannot happen


def write(name: str, content: Callable[[str], str | bytes]) -> Spoil:
    """Replace examples' file ``name`` with ``content(its text)``, as text (UTF-8) or bytes."""

    def spoil(folder: Path) -> None:
        path = folder / name
        new = content(path.read_text(encoding="utf-8-sig"))
        path.write_bytes(new if isinstance(new, bytes) else new.encode())

    return spoil


def on_line(number: int, change: Callable[[str], str]) -> Callable[[str], str]:
    """The text with line ``number`` (the header is 1) changed."""

    def content(text: str) -> str:
        lines = text.splitlines(keepends=True)
        lines[number - 1] = change(lines[number - 1])
        return "".join(lines)

    return content


def resaved(delimiter: str = ",", encoding: str = "utf-8") -> Callable[[str], bytes]:
    """The same rows saved by a spreadsheet with another delimiter or encoding. cp1251 has no
    Kazakh letters, so a cp1251 export turns them into '?', as Excel does."""

    def content(text: str) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        writer.writerows(csv.reader(io.StringIO(text)))
        if encoding == "utf-16":  # Excel's "Unicode text": little-endian with a BOM
            return codecs.BOM_UTF16_LE + out.getvalue().encode("utf-16-le")
        return out.getvalue().encode(encoding, errors="replace")

    return content


def mixed(text: str) -> bytes:
    """A file pasted together: the header and three rows in UTF-8, the rest in cp1251."""
    lines = text.splitlines(keepends=True)
    return "".join(lines[:4]).encode() + "".join(lines[4:]).encode("cp1251", errors="replace")


def without_column(name: str) -> Callable[[str], str]:
    def content(text: str) -> str:
        rows = list(csv.reader(io.StringIO(text)))
        index = rows[0].index(name)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(r[:index] + r[index + 1 :] for r in rows)
        return out.getvalue()

    return content


def xlsx(text: str) -> bytes:
    """What an Excel workbook is inside: a zip archive of XML files."""
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    return packed.getvalue()


def quote_free_rows(count: int) -> str:
    return "".join(
        f"SH-9{i:06},2022-05-01,DE-001,,DE,KZ-001,,KZ,854231,ICs,1000,1,pcs\n" for i in range(count)
    )


def remove(name: str) -> Spoil:
    return lambda folder: (folder / name).unlink()


def becomes_a_folder(name: str) -> Spoil:
    def spoil(folder: Path) -> None:
        (folder / name).unlink()
        (folder / name).mkdir()

    return spoil


def unreadable(name: str) -> Spoil:
    return lambda folder: (folder / name).chmod(0)


def saved_as_xlsx(folder: Path) -> None:
    (folder / "companies.csv").unlink()
    (folder / "companies.xlsx").write_bytes(xlsx(""))


def listed(*names: str) -> Check:
    """The run loaded every row and the findings show these names as written."""

    def check(result: Result, rejects: Path) -> None:
        assert LOADED in result.stderr.splitlines()
        for name in names:
            assert name in result.stdout

    return check


def rejected(*rows: tuple[str, str, str]) -> Check:
    """The rejects file lists exactly these (file, line, start of the problem)."""

    def check(result: Result, rejects: Path) -> None:
        found = list(csv.DictReader(io.StringIO(rejects.read_text(encoding="utf-8"))))
        assert len(found) == len(rows)
        for row, (file, line, problem) in zip(found, rows, strict=True):
            assert (Path(row["file"]).name, row["line"]) == (file, line)
            assert row["problem"].startswith(problem) and row["action"] == "row skipped"

    return check


CASES = {
    "missing data folder": Case(
        shutil.rmtree,
        2,
        "Error: {data}: no such folder. Give --data the folder that holds companies.csv",
    ),
    "missing required file": Case(
        remove("shipments.csv"),
        2,
        "Error: {data}: required file shipments.csv is missing. Put shipments.csv (customs "
        "declarations) in the folder; see README 'Input'",
    ),
    "missing required column": Case(
        write("shipments.csv", without_column("exporter_country")),
        2,
        "Error: {data}/shipments.csv, line 1, column 'exporter_country': required column "
        "'exporter_country' is missing (the header has: id, date, exporter_id, exporter_name, "
        "importer_id, importer_name, importer_country, hs_code, description, value_usd, "
        "quantity, unit). Add a 'exporter_country' column or rename the column that holds it; "
        "shipments.csv needs date, exporter_country, importer_country, hs_code",
    ),
    "empty file (0 bytes)": Case(
        write("shipments.csv", lambda text: b""),
        2,
        "Error: {data}/shipments.csv, line 1: the file is empty. It needs a header row and data "
        "rows",
    ),
    "blank lines above the header": Case(
        write("companies.csv", lambda text: "\n\n" + text),
        2,
        "Error: {data}/companies.csv, line 1: the line is blank. Delete the blank lines above the "
        "header",
    ),
    "header only, required file": Case(
        write("shipments.csv", lambda text: text.splitlines()[0]),  # no line break either
        2,
        "Error: {data}/shipments.csv, line 2: the file has a header but no rows. It needs at "
        "least one row of customs declarations; check the export",
    ),
    "header only, optional file": Case(
        write("sanctions.csv", lambda text: text.splitlines(keepends=True)[0]),
        0,
        LOADED.replace("3 sanctions", "0 sanctions"),
    ),
    "Excel workbook renamed .csv": Case(
        write("shipments.csv", xlsx),
        2,
        "Error: {data}/shipments.csv: this is not a text file (it contains binary data). Export "
        "the sheet as CSV (comma-separated, UTF-8), not as XLSX or another format",
    ),
    "Excel workbook instead of CSV": Case(
        saved_as_xlsx,
        2,
        "Error: {data}: there is companies.xlsx but no companies.csv. netscan reads CSV files: "
        "open companies.xlsx in Excel or LibreOffice and save it as CSV UTF-8 named "
        "companies.csv",
    ),
    "a folder named companies.csv": Case(
        becomes_a_folder("companies.csv"),
        2,
        "Error: {data}/companies.csv: this is a folder, not a file. Put the CSV file itself in "
        "its place",
    ),
    "unreadable file (chmod 000)": Case(
        unreadable("companies.csv"),
        2,
        "Error: {data}/companies.csv: netscan is not allowed to read this file. Give your user "
        "permission to read it (on macOS or Linux: chmod a+r companies.csv)",
        as_root=False,
    ),
    "unclosed quote mid-file": Case(
        write("shipments.csv", on_line(6, lambda line: line.replace('turret"', "turret"))),
        0,
        "Skipped 1 rows and ignored 0 unreadable values; each is listed with its reason in "
        "{rejects}.",
        rejected(
            (
                "shipments.csv",
                "6",
                "the row has 16 fields, the header has 13; a quote is never closed, so the row "
                "runs over 3 lines. Check the quoting",
            ),
        ),
    ),
    "rows with too many and too few fields": Case(
        write(
            "shipments.csv",
            lambda text: on_line(8, lambda line: "SH-0007,2021-03-13\n")(
                on_line(6, lambda line: line.replace("\n", ",extra\n"))(text)
            ),
        ),
        0,
        "Skipped 2 rows and ignored 0 unreadable values; each is listed with its reason in "
        "{rejects}.",
        rejected(
            ("shipments.csv", "6", "the row has 14 fields, the header has 13"),
            ("shipments.csv", "8", "the row has 2 fields, the header has 13"),
        ),
    ),
    "a line longer than the reader's block (a '2 GB line')": Case(
        write("shipments.csv", on_line(6, lambda line: "x" * (3 * SMALL_BLOCK) + line)),
        2,
        "Error: {data}/shipments.csv, line 6: the line is longer than 1 MB. " + ONE_ROW_PER_LINE,
        block_size=SMALL_BLOCK,
    ),
    "no line break in the first MB (a '2 GB line' as the header)": Case(
        write("companies.csv", lambda text: text.replace("\n", " ") * 200),
        2,
        "Error: {data}/companies.csv, line 1: the line is longer than 1 MB, too long for a "
        "header. " + ONE_ROW_PER_LINE,
    ),
    "an unclosed quote that swallows the rest of the file": Case(
        write("shipments.csv", lambda text: text + 'SH-9,"2022-05-01\n' + quote_free_rows(40_000)),
        2,
        "Error: {data}/shipments.csv, line 351: a quote opened in this row is not closed within "
        "1 MB. " + QUOTING_FIX,
        block_size=SMALL_BLOCK,
    ),
    "a cp1251 file": Case(
        write("companies.csv", resaved(encoding="cp1251")),
        0,
        "{data}/companies.csv: read as cp1251",
        listed("ТОО «Степь Электроникс»  [KZ-001, KZ]", "ТОО «Сункар Микро»"),
    ),
    "a file mixing UTF-8 and cp1251 lines": Case(
        write("companies.csv", mixed),
        0,
        "{data}/companies.csv: read line by line, as the file mixes UTF-8 and cp1251 lines",
        listed("ТОО «Степь Электроникс»  [KZ-001, KZ]", "ТОО «Сункар Микро»"),
    ),
    "a line neither UTF-8 nor cp1251": Case(
        write("persons.csv", lambda text: text.encode() + b"P-999,\x98,RU,\n"),
        2,
        "Error: {data}/persons.csv, line 41: this line is neither UTF-8 nor cp1251 text. Save "
        "the file as CSV UTF-8 (in Excel: File > Save As > CSV UTF-8)",
    ),
    "Excel 'Unicode text' (UTF-16, tabs)": Case(
        write("companies.csv", resaved(delimiter="\t", encoding="utf-16")),
        0,
        "{data}/companies.csv: columns separated by tabs",
        listed("ТОО «Степь Электроникс»  [KZ-001, KZ]", "Жауапкершілігі шектеулі серіктестігі"),
    ),
    "semicolons, as European Excel saves CSV": Case(
        write("companies.csv", resaved(delimiter=";")),
        0,
        "{data}/companies.csv: columns separated by semicolons",
        listed("ТОО «Степь Электроникс»  [KZ-001, KZ]"),
    ),
    "a column named twice": Case(
        write("companies.csv", on_line(1, lambda line: line.replace("address", "Name"))),
        2,
        "Error: {data}/companies.csv, line 1, column 'name': the header names column 'name' "
        "twice. Rename or remove one of them",
    ),
    "empty columns without a name (Excel)": Case(
        write("companies.csv", lambda text: text.replace("\n", ",,\n")),
        0,
        "{data}/companies.csv: ignoring 2 columns without a name",
        listed(),
    ),
    "a column netscan does not know": Case(
        write("companies.csv", lambda text: text.replace("\n", ",x\n").replace(",x", ",notes", 1)),
        0,
        "{data}/companies.csv: ignoring columns netscan does not use: notes",
        listed(),
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input_gets_one_clear_line_and_the_right_exit_code(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not case.as_root and os.geteuid() == 0:
        pytest.skip("root reads any file")
    data, rejects = tmp_path / "data", tmp_path / "rejects.csv"
    shutil.copytree(EXAMPLES, data)
    case.spoil(data)
    if case.block_size is not None:
        monkeypatch.setattr(read, "BLOCK_SIZE", case.block_size)

    command = ["find-intermediaries", "--data", str(data), "--rejects", str(rejects), "--all"]
    result = CliRunner().invoke(cli, command)

    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == case.exit_code, result.stderr
    line = case.line.format(data=data, rejects=rejects)
    if case.exit_code:
        assert result.stderr == line + "\n"
    else:
        assert line in result.stderr.splitlines(), result.stderr
    if case.check is not None:
        case.check(result, rejects)

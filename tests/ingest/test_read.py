from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.errors import InputError
from graphkit.ingest.read import read_csv
from graphkit.model import COMPANIES

HEADER = "id,name,country\n"


def test_utf8_with_bom_and_header_in_any_case(tmp_path: Path) -> None:
    path = tmp_path / "companies.csv"
    path.write_bytes("\ufeffID,Name,COUNTRY,Registered On\nC1,ТОО «Алтын»,KZ,\n".encode())
    raw = read_csv(path, COMPANIES)
    assert list(raw.frame.columns) == ["id", "name", "country", "registered_on", "line"]
    assert raw.frame.loc[0, "name"] == "ТОО «Алтын»"
    assert raw.frame.loc[0, "id"] == "C1"


def test_cp1251_file_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "companies.csv"
    path.write_bytes((HEADER + "C1,ООО «Ромашка»,Россия\n").encode("cp1251"))
    raw = read_csv(path, COMPANIES)
    assert raw.encoding == "cp1251"
    assert raw.frame.loc[0, "name"] == "ООО «Ромашка»"
    assert raw.frame.loc[0, "country"] == "Россия"


def test_cp1251_bytes_late_in_a_large_file_are_detected(tmp_path: Path) -> None:
    path = tmp_path / "companies.csv"
    ascii_rows = "".join(f"C{i},Firm {i},KZ\n" for i in range(60_000))  # more than the sniffed head
    path.write_bytes((HEADER + ascii_rows + "X1,ТОО «Алтын»,KZ\n").encode("cp1251"))
    raw = read_csv(path, COMPANIES)
    assert raw.encoding == "cp1251"
    assert raw.frame["name"].iloc[-1] == "ТОО «Алтын»"


def test_ids_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "companies.csv"
    path.write_text(HEADER + "007,A,KZ\n220340015320,B,KZ\n")
    assert read_csv(path, COMPANIES).frame["id"].tolist() == ["007", "220340015320"]


def test_rows_with_wrong_field_count_are_kept_aside_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "companies.csv"
    path.write_text(HEADER + 'C1,"multi\nline name",KZ\nC2,too,many,fields\nC3,C,KZ\nC4\n')
    raw = read_csv(path, COMPANIES)
    assert raw.frame["id"].tolist() == ["C1", "C3"]
    assert raw.frame["line"].tolist() == [2, 4]  # record numbers, the header being 1
    assert [(m.line, m.text) for m in raw.malformed] == [(3, "C2,too,many,fields"), (5, "C4")]
    assert "4 fields, the header has 3" in raw.malformed[0].problem


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"   \n", "the file is empty"),
        (b"PK\x03\x04\x00\x00binary", "not a text file"),
        (b"id,name\nC1,A\n", "required column 'country' is missing"),
        (b"id,name,country,Name\nC1,A,KZ,B\n", "names column 'name' twice"),
    ],
)
def test_unusable_files_raise_input_error_naming_the_file(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "companies.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_csv(path, COMPANIES)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert caught.value.exit_code == 2


def test_missing_column_message_names_line_column_and_fix(tmp_path: Path) -> None:
    path = tmp_path / "companies.csv"
    path.write_text("id,name,land\nC1,A,KZ\n")
    with pytest.raises(InputError) as caught:
        read_csv(path, COMPANIES)
    text = str(caught.value)
    assert "line 1" in text and "column 'country'" in text
    assert "the header has: id, name, land" in text
    assert "Add a 'country' column" in text


def test_unclosed_quote_swallows_the_rest_into_one_row_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "companies.csv"
    path.write_text(HEADER + 'C1,"Unclosed,KZ\nC2,B,KZ\n')
    raw = read_csv(path, COMPANIES)
    assert raw.frame.empty
    [row] = raw.malformed
    assert row.line == 2
    assert "a quote is never closed" in row.problem


def test_small_cp1251_file_whose_only_cyrillic_is_at_the_very_end(tmp_path: Path) -> None:
    path = tmp_path / "companies.csv"
    path.write_bytes((HEADER + "C1,A,KZ\nC2,Б,KZ\n").encode("cp1251"))
    raw = read_csv(path, COMPANIES)
    assert raw.encoding == "cp1251" and raw.frame["name"].tolist() == ["A", "Б"]


def test_a_file_mixing_utf8_and_cp1251_lines_is_read_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "companies.csv"
    ascii_rows = "".join(f"C{i},Firm {i},KZ\n" for i in range(60_000))  # more than the sniffed head
    path.write_bytes(
        (HEADER + "U1,ТОО «Алтын»,KZ\n" + ascii_rows).encode()
        + "W1,ООО «Ромашка»,Россия\n".encode("cp1251")
    )
    raw = read_csv(path, COMPANIES)
    assert raw.encoding == "utf8+cp1251"
    assert raw.frame["name"].iloc[[0, -1]].tolist() == ["ТОО «Алтын»", "ООО «Ромашка»"]


def test_a_lone_utf8_letter_in_a_cp1251_file_is_not_garbled(tmp_path: Path) -> None:
    path = tmp_path / "companies.csv"  # 'И' in UTF-8 holds a byte cp1251 lacks
    path.write_bytes((HEADER + "C1,ООО «Ромашка»,RU\n").encode("cp1251") + "C2,И,RU\n".encode())
    raw = read_csv(path, COMPANIES)
    assert raw.encoding == "utf8+cp1251"
    assert raw.frame["name"].tolist() == ["ООО «Ромашка»", "И"]

"""Mapping files: a YAML file next to any CSV file says which of its columns are which netscan
columns; the CSV file is read as netscan's own files are, and bad mappings name their line."""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pytest

from graphkit.errors import InputError
from graphkit.ingest.formats import mapping
from graphkit.ingest.read import MalformedRow

FIXTURES = Path(__file__).parents[2] / "fixtures" / "formats" / "mapping"
DECLARATIONS = FIXTURES / "declarations.yaml"
REGISTRY = FIXTURES / "registry.yaml"

CUSTOMS_CSV = (
    "Номер ДТ;Дата ДТ;Отправитель;Страна отправления;Получатель;Код ТН ВЭД;Примечание\n"
    "10005020/150622/0012345;15.06.2022;ТОО «Степной Транзит»;KZ;ООО «Северный Полюс»;"
    "854231;\n"
)
CUSTOMS_YAML = """\
netscan: mapping 1
file: customs.csv
table: shipments
columns:
  id: Номер ДТ
  date: Дата ДТ
  exporter_name: Отправитель
  exporter_country: Страна отправления
  importer_name: Получатель
  hs_code: Код ТН ВЭД
constants:
  importer_country: RU
"""


def frame_rows(path: Path, table: str) -> list[dict[str, object]]:
    return mapping.read(path).tables[table].frame.to_dict("records")


# recognising


def test_recognises_the_marker_line_of_a_mapping_file() -> None:
    assert mapping.recognises(DECLARATIONS.read_bytes())
    assert mapping.recognises(REGISTRY.read_bytes())  # a comment line comes first
    assert mapping.recognises(b"\xef\xbb\xbffile: a.csv\nnetscan: 'mapping 1'\n")  # BOM, 2nd key
    assert mapping.recognises(codecs.BOM_UTF16_LE + "netscan: mapping 1\n".encode("utf-16-le"))


@pytest.mark.parametrize(
    "head",
    [
        (FIXTURES / "declarations.csv").read_bytes(),
        b"id,name,country\nnetscan,mapping,KZ\n",
        b"files:\n  - netscan: mapping 1\n",  # not a top-level key
        b'{"netscan": "mapping 1"}\n',
        b"netscan: graph 1\n",
        b"",
    ],
)
def test_other_files_are_not_mapping_files(head: bytes) -> None:
    assert not mapping.recognises(head)


# reading


def test_customs_export_reads_as_shipments_with_its_own_lines() -> None:
    extract = mapping.read(DECLARATIONS)
    assert (extract.path, extract.format, extract.unmapped) == (DECLARATIONS, "YAML mapping", [])
    raw = extract.tables["shipments"]
    assert list(extract.tables) == ["shipments"]
    assert raw.path == FIXTURES / "declarations.csv"  # rejects name the CSV file
    assert raw.encoding == "cp1251"  # read as netscan's own files: Excel's Russian CSV
    # text as written, parsed later by the loader as for any shipments.csv
    assert raw.frame.to_dict("records") == [
        {
            "id": "10005020/150622/0012345", "date": "15.06.2022",
            "exporter_name": "ТОО «Степной Транзит»", "exporter_country": "Казахстан",
            "importer_id": "7708123450", "importer_name": "ООО «Северный Полюс»",
            "hs_code": "8542 31 000 0", "description": "Процессоры", "value_usd": "12 345,60",
            "quantity": "1,5", "importer_country": "RU", "unit": "kg", "line": 2,
        },
        {
            "id": "10005020/200722/0013456", "date": "20.07.2022",
            "exporter_name": "ТОО «Степной Транзит»", "exporter_country": "KZ",
            "importer_id": "5027123457", "importer_name": "ООО «Уральские Микросхемы»",
            "hs_code": "8542 32 000 0", "description": "Микросхемы памяти",
            "value_usd": "8 100,00", "quantity": "0,8", "importer_country": "RU", "unit": "kg",
            "line": 3,
        },
        {
            "id": "10005020/010922/0014567", "date": "01.09.2022",
            "exporter_name": "ТОО «Алтын Логистик»", "exporter_country": "KZ",
            "importer_id": "7708123450", "importer_name": "ООО «Северный Полюс»",
            "hs_code": "8471 50 000 0", "description": "Серверы; стоечные",
            "value_usd": "40 000,00", "quantity": "120", "importer_country": "RU", "unit": "kg",
            "line": 5,
        },
    ]  # fmt: skip
    assert raw.malformed == [
        MalformedRow(
            4,
            "3;10005020/050822/0015678;05.08.2022;ТОО «Степной Транзит»;KZ;ООО «Северный Полюс»",
            "the row has 6 fields, the header has 12",
        )
    ]


def test_columns_the_mapping_does_not_use_are_logged_once(logs: list[str]) -> None:
    mapping.read(DECLARATIONS)
    unused = [line for line in logs if "ignoring columns" in line]
    assert unused == [
        f"{FIXTURES / 'declarations.csv'}: ignoring columns netscan does not use: примечание, №_п/п"
    ]


def test_one_mapping_file_describes_several_csv_files() -> None:
    extract = mapping.read(REGISTRY)
    assert list(extract.tables) == ["companies", "ownership"]
    assert extract.tables["ownership"].path == FIXTURES / "founders.csv"  # tab-separated
    # one CSV column feeds two netscan columns; a constant fills a required one
    assert frame_rows(REGISTRY, "companies") == [
        {"id": "220540012343", "registration_number": "220540012343",
         "name": "ТОО «Степной Транзит»", "registered_on": "12.05.2022",
         "address": "г. Алматы, ул. Абая, 10", "country": "KZ", "line": 2},
        {"id": "220940023452", "registration_number": "220940023452",
         "name": "ТОО «Алтын Логистик»", "registered_on": "2022-09-03",
         "address": "г. Астана, пр. Республики, 5", "country": "KZ", "line": 3},
    ]  # fmt: skip
    assert frame_rows(REGISTRY, "ownership") == [
        {"owner_id": "P-KZ-01", "owned_id": "220540012343", "share": "100", "line": 2},
        {"owner_id": "P-KZ-01", "owned_id": "220940023452", "share": "60%", "line": 3},
        {"owner_id": "P-KZ-02", "owned_id": "220940023452", "share": "40%", "line": 4},
    ]


def test_claimed_files_are_the_csv_files_the_loader_must_not_read_again() -> None:
    assert mapping.claimed_files(DECLARATIONS) == [FIXTURES / "declarations.csv"]
    assert mapping.claimed_files(REGISTRY) == [FIXTURES / "registry.csv", FIXTURES / "founders.csv"]


def test_values_stay_as_written_whatever_yaml_would_make_of_them(tmp_path: Path) -> None:
    (tmp_path / "firms.csv").write_text("No,Name\n007,Fjord AS\n", encoding="utf-8")
    (tmp_path / "firms.yaml").write_text(
        "netscan: mapping 1\nfile: firms.csv\ntable: companies\n"
        "columns: {id: No, name: NAME}\n"  # 'No' would be false; headers match in any case
        "constants: {country: NO, registered_on: 2022-03-01, registration_number: 0101}\n",
        encoding="utf-8",
    )
    assert frame_rows(tmp_path / "firms.yaml", "companies") == [
        {"id": "007", "name": "Fjord AS", "country": "NO", "registered_on": "2022-03-01",
         "registration_number": "0101", "line": 2}
    ]  # fmt: skip


def test_file_may_be_in_another_folder(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "customs.csv").write_text(CUSTOMS_CSV, encoding="utf-8")
    yaml_text = CUSTOMS_YAML.replace("file: customs.csv", "file: exports/customs.csv")
    (tmp_path / "customs.yaml").write_text(yaml_text, encoding="utf-8")
    raw = mapping.read(tmp_path / "customs.yaml").tables["shipments"]
    assert raw.path == tmp_path / "exports" / "customs.csv"
    assert raw.frame["id"].tolist() == ["10005020/150622/0012345"]


# mistakes: each names the mapping file, the line and the fix


def spoiled(old: str, new: str) -> str:
    assert old in CUSTOMS_YAML
    return CUSTOMS_YAML.replace(old, new)


@pytest.mark.parametrize(
    ("yaml_text", "line", "problem", "fix"),
    [
        (
            spoiled("  date: Дата ДТ", "  date: Дата ДТ\n    hs: 1"),
            7,
            "not valid YAML: mapping values are not allowed here",
            mapping.YAML_FIX,
        ),
        (
            spoiled("table: shipments", "table: shipment"),
            3,
            "'shipment' is not a netscan table (did you mean 'shipments'?)",
            "Use one of: companies, persons, ownership, officers, shipments, sanctions",
        ),
        (
            spoiled("  exporter_name:", "  exporter:"),
            7,
            "'exporter' is not a column of shipments (did you mean 'exporter_id'?)",
            "Use one of: id, date, exporter_id, exporter_name, exporter_country, importer_id, "
            "importer_name, importer_country, hs_code, description, value_usd, quantity, unit",
        ),
        (
            spoiled("  date: Дата ДТ", "  Дата ДТ: date"),
            6,
            "'Дата ДТ' is not a column of shipments",
            "The netscan column comes first: write 'date: Дата ДТ'",
        ),
        (
            spoiled("  hs_code: Код ТН ВЭД\n", ""),
            4,
            "shipments needs date, exporter_country, importer_country, hs_code; the mapping "
            "gives no hs_code",
            "Add 'hs_code: <the CSV's header for it>' under 'columns:', or 'hs_code: <a value "
            "for every row>' under 'constants:'",
        ),
        (
            spoiled("Получатель\n", "Получатель\n  importer_name: Получатель\n"),
            10,
            "'importer_name' is given twice in 'columns' (also on line 9)",
            "Remove one of them",
        ),
        (
            spoiled("  importer_country: RU", "  importer_country: RU\n  exporter_country: KZ"),
            13,
            "exporter_country is given both under 'columns' (line 8) and under 'constants'",
            "Keep one of them",
        ),
        (
            spoiled("  id: Номер ДТ", "  id:"),
            5,
            "'id' has no value",
            "Give a value after the colon, or remove the line; a value starting with '#' is a "
            "comment unless it is in double quotes",
        ),
        (
            spoiled("  id: Номер ДТ", "  id: [Номер ДТ, Номер]"),
            5,
            "'id' must be a single value",
            mapping.YAML_FIX,
        ),
        (
            spoiled("constants:", "constant:"),
            11,
            "unknown key 'constant' (did you mean 'constants'?)",
            "Use netscan, file, table, columns, constants; see README 'Mapping files'",
        ),
        (
            spoiled("netscan: mapping 1", "netscan: mapping 2"),
            1,
            "this is a mapping file of version 2; this netscan reads version 1",
            "Update netscan, or write the file for version 1 (see README 'Mapping files')",
        ),
        (
            spoiled("netscan: mapping 1\n", ""),
            1,
            "the 'netscan:' line is missing",
            "Start the file with the line 'netscan: mapping 1'",
        ),
        (
            spoiled("table: shipments\n", "table: shipments\nfiles: []\n"),
            2,
            "'file:' is given beside 'files:'",
            "Give either one file with 'file:', 'table:', 'columns:', or a list under 'files:' "
            "whose items each have them",
        ),
        (
            "netscan: mapping 1\nfiles:\n  - file: customs.csv\n    table: shipments\n",
            3,
            "'columns:' is missing",
            "Give 'file:' (the CSV file), 'table:' (its netscan table) and 'columns:' (which CSV "
            "column holds which netscan column)",
        ),
    ],
)
def test_a_mistake_in_the_mapping_names_its_line(
    tmp_path: Path, yaml_text: str, line: int, problem: str, fix: str
) -> None:
    (tmp_path / "customs.csv").write_text(CUSTOMS_CSV, encoding="utf-8")
    path = tmp_path / "customs.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        mapping.read(path)
    assert (caught.value.path, caught.value.line) == (path, line)
    assert (caught.value.problem, caught.value.fix) == (problem, fix)


def test_a_header_the_csv_lacks_is_named_with_the_headers_it_has(tmp_path: Path) -> None:
    (tmp_path / "customs.csv").write_text(CUSTOMS_CSV, encoding="utf-8")
    path = tmp_path / "customs.yaml"
    path.write_text(spoiled("Код ТН ВЭД", "Код ТНВЭД"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        mapping.read(path)
    assert str(caught.value) == (
        f"{path}, line 10: customs.csv has no column 'Код ТНВЭД' for hs_code (its header has: "
        "'Номер ДТ', 'Дата ДТ', 'Отправитель', 'Страна отправления', 'Получатель', "
        "'Код ТН ВЭД', 'Примечание'). Write the header as it is in the first line of customs.csv"
    )


def test_a_missing_csv_file_is_named_at_the_file_line(tmp_path: Path) -> None:
    path = tmp_path / "customs.yaml"
    path.write_text(CUSTOMS_YAML, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        mapping.read(path)
    assert str(caught.value) == (
        f"{path}, line 2: the file customs.csv it names does not exist (looked for "
        f"{tmp_path / 'customs.csv'}). Put the CSV file in the mapping file's folder, or correct "
        "'file:' (a path relative to the mapping file)"
    )


def test_a_table_given_twice_needs_a_second_mapping_file(tmp_path: Path) -> None:
    for year in (2022, 2023):
        (tmp_path / f"customs{year}.csv").write_text(CUSTOMS_CSV, encoding="utf-8")
    entry = CUSTOMS_YAML.replace("netscan: mapping 1\n", "").replace("\n", "\n    ")
    path = tmp_path / "customs.yaml"
    path.write_text(
        "netscan: mapping 1\nfiles:\n"
        + "  - " + entry.replace("customs.csv", "customs2022.csv").rstrip() + "\n"
        + "  - " + entry.replace("customs.csv", "customs2023.csv").rstrip() + "\n",
        encoding="utf-8",
    )  # fmt: skip
    with pytest.raises(InputError) as caught:
        mapping.read(path)
    assert (caught.value.line, caught.value.problem, caught.value.fix) == (
        14,
        "shipments is already read from customs2022.csv; a mapping file gives each table once",
        "Describe customs2023.csv in a mapping file of its own",
    )


def test_a_mapping_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "customs.yaml"
    path.write_bytes(CUSTOMS_YAML.encode("cp1251"))
    with pytest.raises(InputError) as caught:
        mapping.read(path)
    assert (caught.value.line, caught.value.problem, caught.value.fix) == (
        5,
        "the mapping file is not UTF-8 text",
        mapping.SAVE_AS_UTF8,
    )


def test_a_utf16_mapping_file_from_notepad_is_read(tmp_path: Path) -> None:
    (tmp_path / "customs.csv").write_text(CUSTOMS_CSV, encoding="utf-8")
    path = tmp_path / "customs.yaml"
    path.write_bytes(CUSTOMS_YAML.encode("utf-16"))  # with its BOM
    assert mapping.recognises(path.read_bytes())
    assert mapping.read(path).tables["shipments"].frame["hs_code"].tolist() == ["854231"]


def test_a_bad_csv_file_is_named_as_for_netscans_own_files(tmp_path: Path) -> None:
    shutil.copy(DECLARATIONS, tmp_path / "declarations.yaml")
    (tmp_path / "declarations.csv").write_bytes(b"")
    with pytest.raises(InputError) as caught:
        mapping.read(tmp_path / "declarations.yaml")
    assert (caught.value.path, caught.value.line, caught.value.problem) == (
        tmp_path / "declarations.csv",
        1,
        "the file is empty",
    )

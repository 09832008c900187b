"""FollowTheMoney entity files (OpenSanctions, Aleph): what is mapped, what is reported."""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import pytest

from graphkit.errors import InputError
from graphkit.ingest.formats import HEAD_SIZE, Extract, ftm
from graphkit.ingest.values import parse_countries, parse_country, parse_date, parse_share

FIXTURES = Path(__file__).parents[2] / "fixtures" / "formats" / "ftm"
OPENSANCTIONS = FIXTURES / "opensanctions.ftm.json"
MALFORMED = FIXTURES / "malformed.ftm.json"
KZ_FIRM = "kz-bin-220540012343"
RU_FIRM = "ru-inn-6671041239"


def rows(extract: Extract, table: str) -> list[dict[str, Any]]:
    frame = extract.tables[table].frame
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def entity(entity_id: str, schema: str, **properties: list[str]) -> str:
    return json.dumps({"id": entity_id, "schema": schema, "properties": properties})


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "entities.ftm.json"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def extract() -> Extract:
    return ftm.read(OPENSANCTIONS)


def test_companies_take_inn_first_and_the_address_entity_given_later(extract: Extract) -> None:
    assert extract.format == "FollowTheMoney"
    assert rows(extract, "companies") == [
        {
            "id": RU_FIRM,
            "name": "ООО «Уралмикросхема»",
            "country": "ru",
            "registration_number": "6671041239",  # innCode before ogrnCode and registrationNumber
            "registered_on": "2015-06-01",
            "dissolved_on": None,
            "address": "620014, г. Екатеринбург, ул. Малышева, 51",  # Address entity on line 10
            "line": 2,
        },
        {
            "id": KZ_FIRM,
            "name": "ТОО «Степной Транзит»",
            "country": "kz",
            "registration_number": "220540012343",
            "registered_on": "2022-05-17",  # 2022-05-17T00:00:00
            "dissolved_on": None,
            "address": "050000, г. Алматы, ул. Абая, 10, офис 5",
            "line": 3,
        },
        {
            "id": "ru-org-rostekhmash",  # an Organization: mainCountry, taxNumber
            "name": "АО «Ростехмаш»",
            "country": "ru",
            "registration_number": "7709123453",
            "registered_on": None,
            "dissolved_on": "2024-02-29",
            "address": None,
            "line": 4,
        },
    ]


def test_persons_join_nationality_and_citizenship(extract: Extract) -> None:
    assert rows(extract, "persons") == [
        {
            "id": "ru-person-petrov-is",
            "name": "Петров Иван Сергеевич",
            "nationality": "ru;cy",
            "birth_date": "1975-02-03",
            "line": 5,
        },
        {
            "id": "kz-person-akhmetov-db",
            "name": "Ахметов Данияр Болатович",
            "nationality": "kz",
            "birth_date": "1988-11-09",
            "line": 6,
        },
    ]


def test_ownership_and_directorship_links(extract: Extract) -> None:
    assert rows(extract, "ownership") == [
        {
            "owner_id": "ru-person-petrov-is",
            "owned_id": KZ_FIRM,
            "share": "51",
            "since": "2022-05-17",
            "until": None,
            "share_range": None,
            "line": 7,
        },
        {
            "owner_id": RU_FIRM,
            "owned_id": KZ_FIRM,
            "share": "49%",
            "since": "2022-05-17",
            "until": "2024-01-31",
            "share_range": None,
            "line": 8,
        },
    ]
    assert rows(extract, "officers") == [
        {
            "person_id": "kz-person-akhmetov-db",
            "company_id": KZ_FIRM,
            "role": "директор",
            "since": "2022-05-17",
            "until": None,
            "line": 9,
        }
    ]


def test_sanctions_from_sanction_entities_and_from_the_sanction_topic(extract: Extract) -> None:
    assert rows(extract, "sanctions") == [
        {  # the Sanction on line 1 names a firm given on line 2
            "entity_id": RU_FIRM,
            "name": "ООО «Уралмикросхема»",
            "country": "ru",
            "program": "EU 833/2014 Annex IV",
            "listed_on": "2023-06-23",
            "line": 1,
        },
        {  # no Sanction names this person, but OpenSanctions gives it the topic "sanction"
            "entity_id": "ru-person-petrov-is",
            "name": "Петров Иван Сергеевич",
            "country": "ru",
            "program": "topic sanction (datasets: gb_hmt_sanctions, ua_war_sanctions)",
            "listed_on": None,
            "line": 5,
        },
    ]
    assert extract.unmapped == []


def test_values_are_ones_the_loader_reads(extract: Extract) -> None:
    checks = [
        ("companies", "country", parse_country),
        ("companies", "registered_on", parse_date),
        ("companies", "dissolved_on", parse_date),
        ("persons", "nationality", parse_countries),
        ("persons", "birth_date", parse_date),
        ("ownership", "share", parse_share),
        ("ownership", "since", parse_date),
        ("ownership", "until", parse_date),
        ("sanctions", "listed_on", parse_date),
        ("sanctions", "country", parse_country),
    ]
    for table, column, parse in checks:
        parsed = parse(extract.tables[table].frame[column])
        assert not parsed.bad.any(), (table, column)
    nationality = parse_countries(extract.tables["persons"].frame["nationality"]).values
    assert nationality.tolist() == ["CY;RU", "KZ"]


def test_malformed_file_keeps_the_usable_and_reports_the_rest() -> None:
    extract = ftm.read(MALFORMED)
    assert [row["id"] for row in rows(extract, "companies")] == ["kz-bin-211190005677"]
    assert rows(extract, "companies")[0]["registered_on"] is None
    assert rows(extract, "persons") == [
        {
            "id": "ru-person-ivanova-ea",
            "name": "Иванова Елена Андреевна",
            "nationality": "ru",
            "birth_date": None,
            "line": 12,
        }
    ]
    assert set(extract.tables) == {"companies", "persons"}
    out_of_model = (
        "entities have no place in netscan's model (companies, persons, ownership, "
        "officers, sanctions)"
    )
    cut = "fix or remove the line (a file cut off during download ends with such a line)"
    assert [(row.line, row.problem) for row in extract.unmapped] == [
        (1, "incorporationDate '2022-03' is only a month; netscan needs a day, so the date is "
            "left out"),
        (2, f"this line is not valid JSON: Expecting ',' delimiter (character 81); {cut}"),
        (4, "'Compnay' is not a FollowTheMoney schema; check its spelling (Company, Person, "
            "Ownership, ...)"),
        (5, "this Ownership has no asset; netscan needs both the owner and the asset"),
        (6, f"Vessel {out_of_model}"),
        (7, f"vessel-severny-put is a Vessel; Vessel {out_of_model}"),
        (8, "this Company has no name; netscan needs one"),
        (9, "endDate '2023' is only a year; without the day netscan cannot tell when this "
            "Ownership was in force, so it is not used"),
        (10, "this sanction ended (2020-12-31); netscan's sanctions list has no end date, so "
             "ended sanctions are left out"),
        (11, "this Address is no company's address in this file; netscan keeps addresses only "
             "on companies"),
        (12, "nationality 'ua-cri' is not a country netscan knows; it is left out"),
        (12, "birthDate '1970' is only a year; netscan needs a day, so the date is left out"),
        (13, 'this line is not a FollowTheMoney entity (a JSON object with "id", "schema" and '
             '"properties"); fix or remove the line'),
        (14, f"vessel-severny-put is a Vessel; Vessel {out_of_model}"),
        (15, f"Family {out_of_model}"),
        (16, "this line is not UTF-8 text; save the file as UTF-8"),
        (17, f"this line is not valid JSON: Unterminated string starting at (character 63); "
             f"{cut}"),
    ]  # fmt: skip
    quotes = {row.line: row.text for row in extract.unmapped}
    assert quotes[16] == "ООО «Кодировка»"  # the cp1251 line, shown as cp1251
    assert quotes[6].startswith('{"id": "vessel-severny-put", "caption": "Северный Путь"')
    assert quotes[11].startswith(
        '{"id": "addr-unused", "caption": "050000, г. Алматы'
    )  # at the end
    assert quotes[14].startswith('{"id": "ownership-of-vessel", "caption": "Ownership"')
    assert all(len(row.text) <= 200 for row in extract.unmapped)


def test_same_id_twice_gives_two_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        entity("kz-1", "Company", name=["ТОО «Первое»"], jurisdiction=["kz"]),
        entity("kz-1", "Company", name=["ТОО «Второе»"], jurisdiction=["kz"]),
    )
    assert [row["name"] for row in rows(ftm.read(path), "companies")] == [
        "ТОО «Первое»",
        "ТОО «Второе»",
    ]


def test_first_readable_country_and_sanctions_still_in_force(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        entity("ru-1", "Company", name=["ООО «Крым»"], country=["ua-cri", "ru"]),
        entity("s-1", "Sanction", entity=["ru-1"], authority=["OFAC"], endDate=["2099-01-01"]),
        entity("s-2", "Sanction", entity=["ru-1"], programId=["EU-RUS"], listingDate=["2023"]),
    )
    extract = ftm.read(path)
    assert rows(extract, "companies")[0]["country"] == "ru"
    assert [(r["program"], r["listed_on"], r["name"]) for r in rows(extract, "sanctions")] == [
        ("OFAC", None, "ООО «Крым»"),  # no program: the authority
        ("EU-RUS", None, "ООО «Крым»"),  # no caption on the line: the model's caption
    ]
    assert [(r.line, r.problem) for r in extract.unmapped] == [
        (3, "listingDate '2023' is only a year; netscan needs a day, so the date is left out")
    ]


def test_a_partial_start_drops_the_directorship(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        entity("p-1", "Person", name=["Ким Виктор"]),
        entity("d-1", "Directorship", director=["p-1"], organization=["kz-1"], startDate=["2022"]),
    )
    extract = ftm.read(path)
    assert "officers" not in extract.tables
    assert [(r.line, r.problem) for r in extract.unmapped] == [
        (2, "startDate '2022' is only a year; without the day netscan cannot tell when this "
            "Directorship was in force, so it is not used"),
    ]  # fmt: skip


def test_a_nested_entity_on_a_later_line_is_reported(tmp_path: Path) -> None:
    nested = {"id": "s-1", "schema": "Sanction", "properties": {"program": ["EU"]}}
    path = write(
        tmp_path,
        entity("kz-1", "Company", name=["ТОО «Первое»"]),
        json.dumps({"id": "p-1", "schema": "Person", "properties": {"sanctions": [nested]}}),
    )
    extract = ftm.read(path)
    assert "persons" not in extract.tables
    assert [(r.line, r.problem) for r in extract.unmapped] == [
        (2, "this line nests entities inside its properties (OpenSanctions' "
            "targets.nested.json); netscan reads flat FollowTheMoney entities; download the "
            "dataset's entities.ftm.json (FollowTheMoney entities) instead"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\n  \n", "the file is empty"),
        (b"id,name,country\nKZ-1,A,KZ\n", "line 1: this is not a FollowTheMoney file: the line "
                                          "is not JSON (Expecting value)"),
        (b'\n[{"id": "a"}]\n', "line 2: this is not a FollowTheMoney file: the line is not an "
                               "entity"),
        (codecs.BOM_UTF16_LE + entity("a", "Company").encode("utf-16-le"), "line 1: this file "
                                                                           "is UTF-16 text"),
        (b'{"id": "p", "schema": "Person", "properties": {"sanctions": [{"id": "s", "schema": '
         b'"Sanction", "properties": {}}]}}\n', "line 1: this line nests entities"),
    ],
)  # fmt: skip
def test_files_that_are_not_ftm_entities_raise(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "entities.ftm.json"
    path.write_bytes(content)
    with pytest.raises(InputError) as error:
        ftm.read(path)
    assert error.value.path == path
    assert message in error.value.message()
    assert error.value.fix


def test_recognises_ftm_lines_even_when_the_head_cuts_the_first() -> None:
    head = OPENSANCTIONS.read_bytes()[:HEAD_SIZE]
    assert ftm.recognises(head)
    assert ftm.recognises(head[:150])  # cut inside the first entity's properties
    assert ftm.recognises(codecs.BOM_UTF8 + b"\n" + entity("x", "Vessel").encode())
    aleph = '{"id": "5d1c1e4b9f", "schema": "LegalEntity", "properties": {"name": ["ACME"]}}'
    assert ftm.recognises(aleph.encode())


@pytest.mark.parametrize(
    "head",
    [
        "id,name,country,registration_number\nKZ-001,ТОО «Алтын»,KZ,220540012343\n",
        '[\n  {\n    "statementID": "openownership-register-1",\n    "statementType": '
        '"entityStatement",\n    "entityType": "registeredEntity"\n',  # BODS 0.2 JSON array
        '{"statementId": "1dc0e987", "recordType": "entity", "recordDetails": {}}\n',  # BODS 0.4
        '{"meta": {"goldenCopy": {"publishDate": "2024-06-01"}}, "data": [{"type": "lei-records",'
        ' "id": "529900T8BM49AURSDO55", "attributes": {"lei": "529900T8BM49AURSDO55"}}]}',
        '{\n  "data": [\n    {\n      "type": "lei-records",\n',  # GLEIF API, pretty-printed
        '<?xml version="1.0" encoding="windows-1251"?>\n<Файл ИдФайл="VO_RUGFO" ВерсФорм="4.06">',
        '{"id": "a", "schema": "Compnay", "properties": {}}\n',  # not an FtM schema
        '{"id": "a", "schema": "Company"}\n',  # no properties
        "\n\n",
    ],
)
def test_recognises_nothing_else(head: str) -> None:
    assert not ftm.recognises(head.encode())

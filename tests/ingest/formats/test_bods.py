"""BODS files (0.4, and 0.2/0.3): entities become companies, persons persons, shareholdings
ownership (ranges kept), board roles officers; the rest is reported with its line and reason."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

import pytest

from graphkit.errors import InputError
from graphkit.ingest.formats import Extract, bods
from graphkit.ingest.read import MalformedRow
from graphkit.ingest.values import PARSERS
from graphkit.model import TABLES

FIXTURES = Path(__file__).parents[2] / "fixtures" / "formats" / "bods"
GLEIF = Path(__file__).parents[2] / "fixtures" / "formats" / "gleif"
PACKAGE = FIXTURES / "package-0.4.json"
LINES_04 = FIXTURES / "statements-0.4.jsonl"
LINES_02 = FIXTURES / "statements-0.2.jsonl"

STEPPE = {
    "id": "kz-steppe-trade",
    "name": "Steppe Trade Partners LLP",
    "country": "KZ",
    "registration_number": "220340015320",  # the KZ-BIN, not the XI-LEI listed first
    "registered_on": "2022-03-15",
    "dissolved_on": None,
    "address": "Dostyk Ave 97B, Almaty, 050051, KZ",  # the registered address, not the business
}


def rows(extract: Extract, table: str) -> list[dict[str, Any]]:
    frame = extract.tables[table].frame
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def problems(extract: Extract) -> list[tuple[int | None, str]]:
    return [(row.line, row.problem) for row in extract.unmapped]


# recognising


@pytest.mark.parametrize("path", sorted(FIXTURES.iterdir()), ids=lambda p: p.name)
def test_recognises_bods_arrays_and_lines(path: Path) -> None:
    assert bods.recognises(path.read_bytes()[: 64 << 10])


def test_recognises_a_head_with_a_bom_cut_inside_the_first_statement() -> None:
    assert bods.recognises(codecs.BOM_UTF8 + PACKAGE.read_bytes()[:700])
    assert bods.recognises(LINES_02.read_bytes()[:120])


@pytest.mark.parametrize(
    "head",
    [
        '{"id": "ru-inn-7709123453", "schema": "Company", '
        '"properties": {"name": ["Ural Precision Instruments JSC"]}}\n',
        "id,name,country,registration_number\nKZ-1,Steppe Trade,KZ,220340015320\n",
        '<?xml version="1.0" encoding="utf-8"?>\n<EGRUL><СвЮЛ ОГРН="1027700132195"/></EGRUL>',
        '[{"recordId": "r", "recordType": "entity", "name": "no recordDetails"}]',
        '{"statementType": "someOtherStatement"}\n',
        # the first line is FtM; a BODS-like key further down does not count
        '{"id": "x", "schema": "Company", "properties": {}}\n'
        '{"statementType": "entityStatement"}\n',
        "",
    ],
    ids=["ftm", "csv", "egrul", "no-details", "other-type", "ftm-first", "empty"],
)
def test_recognises_nothing_else(head: str) -> None:
    assert not bods.recognises(head.encode())


@pytest.mark.parametrize("path", sorted(GLEIF.iterdir()), ids=lambda p: p.name)
def test_does_not_take_gleif_files(path: Path) -> None:
    assert not bods.recognises(path.read_bytes()[: 64 << 10])


# BODS 0.4


def test_entities_become_companies() -> None:
    extract = bods.read(PACKAGE)
    assert extract.format == "BODS JSON"
    assert rows(extract, "companies") == [
        {**STEPPE, "line": 2},
        {  # the latest statement of the record (2024-01-10), not the 2019 one further down
            "id": "ru-ural-precision",
            "name": "Ural Precision Instruments JSC",
            "country": "RU",
            "registration_number": "7709123453",  # RU-INN before RU-OGRN
            "registered_on": "2004-07-01",
            "dissolved_on": None,
            "address": None,
            "line": 64,
        },
        {
            "id": "us-bluewater",
            "name": "Bluewater Holdings Inc.",
            "country": "US",  # of US-DE
            "registration_number": "7650005",  # not the publisher's own number
            "registered_on": "2011-02-14",
            "dissolved_on": "2023-06-30",
            "address": None,
            "line": 107,
        },
        {  # a state owns firms: it is a company to netscan
            "id": "ru-state",
            "name": "Russian Federation",
            "country": "RU",
            "registration_number": None,
            "registered_on": None,
            "dissolved_on": None,
            "address": None,
            "line": 151,
        },
    ]


def test_persons_become_persons() -> None:
    assert rows(bods.read(PACKAGE), "persons") == [
        {  # the individual name, not the transliteration listed first
            "id": "person-sidorov",
            "name": "Иван Петрович Сидоров",
            "nationality": "RU;CY",
            "birth_date": "1971-04-12",
            "line": 183,
        },
        {  # given and family names; the month-only birth date is the loader's to judge
            "id": "person-nurlanova",
            "name": "Aigerim Nurlanova",
            "nationality": "KZ",
            "birth_date": "1985-11",
            "line": 229,
        },
    ]


def test_shareholdings_become_ownership_with_ranges_kept() -> None:
    extract = bods.read(PACKAGE)
    assert rows(extract, "ownership") == [
        {
            "owner_id": "ru-ural-precision",
            "owned_id": "kz-steppe-trade",
            "share": "51",
            "since": "2022-04-01",
            "until": None,
            "line": 301,
            "share_range": None,
        },
        {  # indirect, but no component records give the chain: the only record of it
            "owner_id": "person-sidorov",
            "owned_id": "kz-steppe-trade",
            "share": "25",  # the lower bound of the range
            "since": "2022-04-01",
            "until": None,
            "line": 349,
            "share_range": "over 25%, up to 50%",
        },
        {
            "owner_id": "ru-state",
            "owned_id": "ru-ural-precision",
            "share": "20",
            "since": "2014-03-01",
            "until": None,
            "line": 488,
            "share_range": "at least 20%, below 25%",
        },
        {  # closed record: the holding ends at the closing statement's date
            "owner_id": "cy-holder-not-in-file",
            "owned_id": "kz-steppe-trade",
            "share": "30",
            "since": "2021-01-01",
            "until": "2023-05-01",
            "line": 599,
            "share_range": None,
        },
    ]


def test_board_roles_become_officers() -> None:
    assert rows(bods.read(PACKAGE), "officers") == [
        {
            "person_id": "person-nurlanova",
            "company_id": "ru-ural-precision",
            "role": "board member",
            "since": "2019-06-01",
            "until": None,
            "line": 387,
        }
    ]


def test_what_is_not_mapped_is_reported_with_its_line() -> None:
    extract = bods.read(PACKAGE)
    assert problems(extract) == [
        (
            272,
            "an anonymous person (subjectExemptFromDisclosure: Protected under national law) "
            "has no name: netscan cannot record it",
        ),
        (
            301,
            "voting rights alongside a shareholding in the same relationship: netscan keeps the "
            "shareholding only, as both would count the holding twice",
        ),
        (
            387,
            "interest 'appointmentOfBoard' is control without a holding: netscan's model has "
            "ownership shares and officers only",
        ),
        (
            424,
            "the interested party is an anonymous person (subjectExemptFromDisclosure: "
            "Protected under national law), described at line 272: netscan cannot record who "
            "holds this interest",
        ),
        (459, "the interested party is not specified (noBeneficialOwners: Listed company)"),
        (
            525,
            "an older statement about record rel-outsider-steppe: the statement at line 599 "
            "(statementDate 2023-05-01) replaces it, as netscan keeps the latest statement of "
            "each record",
        ),
        (
            560,
            "an indirect holding whose chain is given by component records: netscan computes "
            "it from them, and this link as well would count it twice",
        ),
        (
            634,
            "an older statement about record ru-ural-precision: the statement at line 64 "
            "(statementDate 2024-01-10) replaces it, as netscan keeps the latest statement of "
            "each record",
        ),
        (
            673,
            "not a BODS statement: it has neither recordType (BODS 0.4) nor statementType "
            "(BODS 0.2 and 0.3)",
        ),
    ]
    by_line = {row.line: row.text for row in extract.unmapped}
    assert by_line[301].startswith(
        '{"recordId":"rel-ural-steppe","interest":{"type":"votingRights"'
    )
    assert by_line[424].startswith('{"recordId":"rel-withheld-ural","recordType":"relationship"')
    assert all(len(row.text) <= 200 for row in extract.unmapped)


def test_every_value_reads_as_netscan_reads_it() -> None:
    """Dates, countries and shares come out in forms the loader parses; the month-only birth
    date is the one value the loader will report."""
    for path in (PACKAGE, LINES_02):
        for name, raw in bods.read(path).tables.items():
            table = next(t for t in TABLES if t.name == name)
            for column in table.columns:
                bad = PARSERS[column.kind](raw.frame[column.name]).bad
                expected = ["1985-11"] if column.name == "birth_date" and path == PACKAGE else []
                assert raw.frame[column.name][bad].tolist() == expected, (path.name, column.name)


def test_json_lines_are_read_and_a_bad_line_reported() -> None:
    extract = bods.read(LINES_04)
    assert [(r["id"], r["line"]) for r in rows(extract, "companies")] == [
        ("kz-steppe-trade", 1),
        ("ru-ural-precision", 2),
        ("us-bluewater", 3),
        ("ru-state", 5),
    ]
    assert [(r["id"], r["line"]) for r in rows(extract, "persons")] == [("person-sidorov", 6)]
    assert extract.unmapped == [
        MalformedRow(
            4,
            "this line is not JSON",
            "the line is not valid JSON (Expecting value); fix or remove the line",
        )
    ]


# BODS 0.2 and 0.3


def test_older_statements_are_read_by_their_statement_ids() -> None:
    extract = bods.read(LINES_02)
    assert rows(extract, "companies") == [
        {
            "id": "oo-ent-altyn-2",  # the statement that replaces oo-ent-altyn-1
            "name": "Altyn Bridge Logistics LLP",
            "country": "KZ",
            "registration_number": "190940012345",
            "registered_on": "2019-09-10",
            "dissolved_on": None,
            "address": "Abay Ave 10, Astana, KZ",
            "line": 2,
        }
    ]
    assert rows(extract, "persons") == [
        {
            "id": "oo-per-smirnov",
            "name": "Oleg Smirnov",
            "nationality": "RU",
            "birth_date": "1968-02-03",
            "line": 3,
        }
    ]
    assert rows(extract, "ownership") == [
        {  # the subject named the replaced statement: followed to its replacement
            "owner_id": "oo-per-smirnov",
            "owned_id": "oo-ent-altyn-2",
            "share": "50",
            "since": "2019-09-10",
            "until": None,
            "line": 4,
            "share_range": "over 50%, up to 75%",  # 0.2: exclusiveMinimum is a flag
        }
    ]
    assert problems(extract) == [
        (
            1,
            "replaced by statement oo-ent-altyn-2 (line 2): netscan keeps the statement that "
            "replaces it",
        ),
        (
            4,
            "voting rights alongside a shareholding in the same relationship: netscan keeps the "
            "shareholding only, as both would count the holding twice",
        ),
        (5, "the interested party is not specified (unknown: No PSC details filed)"),
    ]


# shares


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        ({"exact": 51, "minimum": 51, "maximum": 51}, ("51", None)),
        ({"exact": 33.5}, ("33.5", None)),
        ({"minimum": 10.0, "maximum": 10.0}, ("10", None)),
        ({"minimum": 25, "maximum": 50}, ("25", "at least 25%, up to 50%")),
        ({"exclusiveMinimum": 25, "maximum": 50}, ("25", "over 25%, up to 50%")),
        ({"minimum": 50, "exclusiveMaximum": 75}, ("50", "at least 50%, below 75%")),
        ({"minimum": 25, "maximum": 50, "exclusiveMinimum": True}, ("25", "over 25%, up to 50%")),
        ({"minimum": 75}, ("75", "at least 75%")),
        ({"maximum": 25}, (None, "up to 25%")),  # no lower bound: the share is unknown
        ({}, (None, None)),
        (None, (None, None)),
    ],
)
def test_shares(share: object, expected: tuple[str | None, str | None]) -> None:
    assert bods._share(share) == expected


# broken files


def test_a_cut_off_array_gives_the_statements_before_the_cut() -> None:
    extract = bods.read(FIXTURES / "package-cut-off.json")
    assert [r["id"] for r in rows(extract, "companies")] == [
        "kz-steppe-trade",
        "ru-ural-precision",
        "us-bluewater",
    ]
    assert problems(extract) == [
        (
            175,
            "the file ends in the middle of the record that starts at line 151 (the 3 records "
            "before it were read, the rest was not); it was probably cut off, as by an "
            "interrupted download: download it again",
        )
    ]


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("", 1, "the file is empty"),
        ('[\n  {"recordId": "a",\n', 2, "the file ends in the middle of the record that starts"),
        ("{not json}\n{nor this}\n", 1, "no line is a JSON statement"),
    ],
)
def test_files_that_cannot_be_read_say_why(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    path = tmp_path / "bods.json"
    path.write_text(text)
    with pytest.raises(InputError) as error:
        bods.read(path)
    assert error.value.line == line
    assert error.value.problem.startswith(problem)


def test_statements_that_are_not_usable_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "bods.jsonl"
    path.write_text(
        '{"recordType": "entity", "recordDetails": {"name": "No Id LLP"}}\n'
        '{"recordId": "x", "recordType": "arrangement", "recordDetails": {}}\n'
        '["a list"]\n'
        '{"recordId": "r", "recordType": "relationship", "recordDetails": '
        '{"subject": "kz-1", "interestedParty": "p-1"}}\n'
        '{"recordId": "s", "recordType": "relationship", "recordDetails": '
        '{"subject": "kz-1", "interestedParty": "p-1", "interests": [{"type": "unknownInterest"},'
        ' {"type": "seniorManagingOfficial", "endDate": "2020-01-31"}, {"share": {"exact": 5}}]}}\n'
    )
    extract = bods.read(path)
    assert rows(extract, "officers") == [
        {
            "person_id": "p-1",
            "company_id": "kz-1",
            "role": "senior managing official",
            "since": None,
            "until": "2020-01-31",
            "line": 5,
        }
    ]
    assert problems(extract) == [
        (1, "the statement has no recordId to identify its record"),
        (2, "recordType 'arrangement' is not entity, person or relationship"),
        (3, "not a BODS statement (not a JSON object)"),
        (
            4,
            "the relationship names no interest: netscan cannot tell whether it is ownership "
            "or control",
        ),
        (
            5,
            "interest 'unknownInterest' is control without a holding: netscan's model has "
            "ownership shares and officers only",
        ),
        (
            5,
            "an interest of unknown kind is control without a holding: netscan's model has "
            "ownership shares and officers only",
        ),
    ]

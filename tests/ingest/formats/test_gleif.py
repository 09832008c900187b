"""GLEIF files (golden copy and API JSON): LEI records become companies, direct-parent links
ownership; what is not mapped is reported with its line; large files are read piece by piece."""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from stdnum import lei

from graphkit.errors import InputError
from graphkit.ingest.formats import Extract, gleif, jsonstream
from graphkit.ingest.read import MalformedRow
from graphkit.ingest.values import PARSERS
from graphkit.model import TABLES

FIXTURES = Path(__file__).parents[2] / "fixtures" / "formats" / "gleif"
BODS = Path(__file__).parents[2] / "fixtures" / "formats" / "bods"
LEI2 = FIXTURES / "lei2-golden-copy.json"
RR = FIXTURES / "rr-golden-copy.json"

STEPPE = "9845001NETSCAN0A1K19"  # Kazakh
URAL = "9845001NETSCAN0B2L14"  # Russian
HALBLEITER = "9845001NETSCAN0C3M09"
BLUEWATER = "9845001NETSCAN0D4N04"
NAMELESS = "9845001NETSCAN0E5P93"
ABSENT = "9845001NETSCAN0F6Q88"  # a parent in no file
CASPIAN = "9845001NETSCAN0G7R83"
ALTYN = "9845001NETSCAN0K1V56"
NORDLICHT = "9845001NETSCAN0L2W51"


def rows(extract: Extract, table: str) -> list[dict[str, Any]]:
    frame = extract.tables[table].frame
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def problems(extract: Extract) -> list[tuple[int | None, str]]:
    return [(row.line, row.problem) for row in extract.unmapped]


def test_the_fixtures_use_valid_leis() -> None:
    for code in (STEPPE, URAL, HALBLEITER, BLUEWATER, NAMELESS, ABSENT, CASPIAN, ALTYN, NORDLICHT):
        assert lei.is_valid(code), code


# recognising


@pytest.mark.parametrize("path", sorted(FIXTURES.iterdir()), ids=lambda p: p.name)
def test_recognises_golden_copy_and_api_files(path: Path) -> None:
    assert gleif.recognises(path.read_bytes()[: 64 << 10])


def test_recognises_a_head_with_a_bom_and_cut_inside_a_record() -> None:
    assert gleif.recognises(codecs.BOM_UTF8 + LEI2.read_bytes()[:300])
    assert gleif.recognises(RR.read_bytes()[:200])


@pytest.mark.parametrize(
    "head",
    [
        '{"id": "lei-9845001NETSCAN0A1K19", "schema": "Company", "properties": '
        '{"name": ["Steppe Trade Partners LLP"], "leiCode": ["9845001NETSCAN0A1K19"]}}',
        "id,name,country,registration_number\nKZ-1,Steppe Trade,KZ,220340015320\n",
        '<?xml version="1.0" encoding="utf-8"?>\n<EGRUL><СвЮЛ ОГРН="1027700132195"/></EGRUL>',
        '{"records": [{"id": 1, "name": "not GLEIF"}]}',
        '[{"statementId": "x", "recordId": "r", "recordType": "entity", "recordDetails": '
        '{"name": "LEI Entity Ltd", "identifiers": [{"scheme": "XI-LEI", "id": "x"}]}}]',
        "",
    ],
    ids=["ftm", "csv", "egrul", "other-json", "bods", "empty"],
)
def test_recognises_nothing_else(head: str) -> None:
    assert not gleif.recognises(head.encode())


@pytest.mark.parametrize("path", sorted(BODS.iterdir()), ids=lambda p: p.name)
def test_does_not_take_bods_files(path: Path) -> None:
    assert not gleif.recognises(path.read_bytes()[: 64 << 10])


# LEI records


def test_lei_records_become_companies() -> None:
    extract = gleif.read(LEI2)
    assert extract.format == "GLEIF JSON"
    assert set(extract.tables) == {"companies"}
    assert rows(extract, "companies") == [
        {
            "id": STEPPE,
            "name": "Steppe Trade Partners LLP",
            "country": "KZ",
            "registration_number": "220340015320",
            "registered_on": "2022-03-15",  # the local date of 2022-03-15T00:00:00+06:00
            "dissolved_on": None,
            "address": "Dostyk Ave 97B, 050051 Almaty, KZ-75, KZ",
            "line": 3,
        },
        {
            "id": URAL,
            "name": "Ural Precision Instruments JSC",
            "country": "RU",
            "registration_number": "7709123453",
            "registered_on": "2004-07-01",
            "dissolved_on": None,
            "address": "ul. Lenina 12, 620014 Yekaterinburg, RU-SVE, RU",
            "line": 98,
        },
        {
            "id": HALBLEITER,
            "name": "Halbleiter Nord GmbH",
            "country": "DE",
            "registration_number": "HRB 12345",
            "registered_on": "1999-01-01",
            "dissolved_on": None,
            "address": "Hafenstrasse 5, Gebaeude C, 20457 Hamburg, DE",
            "line": 193,
        },
        {
            "id": BLUEWATER,
            "name": "Bluewater Holdings Inc.",
            "country": "US",  # of the jurisdiction US-DE
            "registration_number": "7650005",
            "registered_on": "2011-02-14",
            "dissolved_on": "2023-06-30",  # INACTIVE, expired
            "address": "1209 Orange Street, 19801 Wilmington, US-DE, US",
            "line": 292,
        },
        {  # no legal name: the loader skips the row and says so
            "id": NAMELESS,
            "name": None,
            "country": "KZ",
            "registration_number": "230140009876",
            "registered_on": "2023-01-20",
            "dissolved_on": None,
            "address": "Abay Ave 150, 050046 Almaty, KZ",
            "line": 393,
        },
        {  # no LEI: the loader skips the row and says so
            "id": None,
            "name": "Gulf Relay Trading FZE",
            "country": "AE",
            "registration_number": "FZE-4471",
            "registered_on": "2021-08-01",
            "dissolved_on": None,
            "address": "Jebel Ali Free Zone, LOB 16, Dubai, AE",
            "line": 478,
        },
        {
            "id": CASPIAN,
            "name": "Caspian Logistics Group Ltd",
            "country": "KZ",
            "registration_number": "150240021119",
            "registered_on": "2015-02-10",
            "dissolved_on": None,
            "address": "Satpayev St 30, 060011 Atyrau, KZ",
            "line": 558,
        },
    ]
    assert problems(extract) == [
        (
            558,
            "the entity is INACTIVE but no expiration date is given: netscan needs a date to "
            "record a dissolution, so the firm is loaded as if still active",
        ),
        (647, "GLEIF marks this LEI DUPLICATE: it is not to be used"),
    ]
    assert extract.unmapped[1].text.startswith('{"LEI":{"$":"9845001NETSCAN0H8S78"}')
    assert len(extract.unmapped[1].text) <= 200


def test_api_lei_records_become_companies() -> None:
    extract = gleif.read(FIXTURES / "api-lei-records.json")
    assert rows(extract, "companies") == [
        {
            "id": ALTYN,
            "name": "Altyn Bridge Logistics LLP",
            "country": "KZ",
            "registration_number": "190940012345",
            "registered_on": "2019-09-10",
            "dissolved_on": None,
            "address": "Abay Ave 10, Office 5, 010000 Astana, KZ-71, KZ",
            "line": 19,
        },
        {
            "id": NORDLICHT,
            "name": "Nordlicht Trading GmbH",
            "country": "DE",
            "registration_number": "HRB 99881",
            "registered_on": "2016-04-01",
            "dissolved_on": "2024-02-29",
            "address": "Speicherstadt 3, 20457 Hamburg, DE",
            "line": 121,
        },
    ]
    assert extract.unmapped == []


# relationship records


def test_direct_parents_become_ownership_and_the_rest_is_reported() -> None:
    extract = gleif.read(RR)
    assert set(extract.tables) == {"ownership"}
    assert rows(extract, "ownership") == [
        {  # the quantifier is the share; the relationship period, not the accounting one
            "owner_id": URAL,
            "owned_id": STEPPE,
            "share": "51.00",
            "since": "2022-04-01",
            "until": None,
            "share_range": None,
            "line": 3,
        },
        {  # a parent in no file is kept: the loader reports it unless another file has it
            "owner_id": ABSENT,
            "owned_id": URAL,
            "share": None,  # consolidation without a quantifier: share unknown
            "since": "2010-05-20",
            "until": None,
            "share_range": None,
            "line": 155,
        },
        {  # ended, with an end date
            "owner_id": BLUEWATER,
            "owned_id": CASPIAN,
            "share": None,
            "since": "2015-01-01",
            "until": "2021-12-31",
            "share_range": None,
            "line": 318,
        },
    ]
    assert problems(extract) == [
        (
            92,
            "an ultimate-parent link is not loaded: netscan computes ultimate owners from the "
            "direct-parent links, and this link as well would count the holding twice",
        ),
        (
            216,
            "a branch is part of its head office, not a firm it owns: netscan's model has no "
            "place for branch links",
        ),
        (267, "fund links (managed by, sub-fund of, feeder to) have no place in netscan's model"),
        (
            384,
            "the relationship has ended (INACTIVE) but gives no end date: netscan cannot tell "
            "when the holding ended, and would count it as current",
        ),
        (447, "GLEIF marks this relationship record ANNULLED: it is not to be used"),
    ]


def test_an_api_direct_parent_becomes_ownership() -> None:
    extract = gleif.read(FIXTURES / "api-direct-parent.json")
    assert rows(extract, "ownership") == [
        {
            "owner_id": URAL,
            "owned_id": ALTYN,
            "share": None,
            "since": "2020-01-15",
            "until": None,
            "share_range": None,
            "line": 7,
        }
    ]
    assert extract.unmapped == []


def test_api_records_of_other_types_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "exceptions.json"
    record = {"type": "reporting-exceptions", "id": "x", "attributes": {"lei": STEPPE}}
    path.write_text(f'{{"data": [\n  {json.dumps(record)}\n]}}\n')
    extract = gleif.read(path)
    assert extract.tables == {}
    assert problems(extract) == [
        (2, "GLEIF API records of type 'reporting-exceptions' have no place in netscan's model")
    ]


def test_a_reporting_exceptions_file_is_reported_once() -> None:
    extract = gleif.read(FIXTURES / "repex-golden-copy.json")
    assert extract.tables == {}
    assert problems(extract) == [(3, gleif.EXCEPTIONS)]


def test_every_value_reads_as_netscan_reads_it() -> None:
    """Dates, countries and shares come out in forms the loader parses."""
    for path in (LEI2, RR, FIXTURES / "api-lei-records.json", FIXTURES / "api-direct-parent.json"):
        for name, raw in gleif.read(path).tables.items():
            table = next(t for t in TABLES if t.name == name)
            for column in table.columns:
                bad = PARSERS[column.kind](raw.frame[column.name]).bad
                assert not bad.any(), (path.name, column.name, raw.frame[column.name][bad])


# broken files


def test_a_cut_off_file_gives_the_records_before_the_cut() -> None:
    extract = gleif.read(FIXTURES / "lei2-cut-off.json")
    assert [r["id"] for r in rows(extract, "companies")] == [STEPPE, URAL]
    assert extract.unmapped == [
        MalformedRow(
            202,
            '"LegalAddress": {',
            "the file ends in the middle of the record that starts at line 193 (the 2 records "
            "before it were read, the rest was not); it was probably cut off, as by an "
            "interrupted download: download it again",
        )
    ]


def test_broken_json_stops_the_reading_there() -> None:
    extract = gleif.read(FIXTURES / "lei2-broken.json")
    assert [r["id"] for r in rows(extract, "companies")] == [STEPPE]
    assert problems(extract) == [
        (
            107,
            "the record that starts at line 98 is not valid JSON (Expecting ',' delimiter) "
            "(the record before it was read, the rest of the file was not); fix the JSON here, "
            "or download the file again",
        )
    ]


def test_a_file_cut_inside_its_first_record_cannot_be_read() -> None:
    with pytest.raises(InputError) as error:
        gleif.read(FIXTURES / "lei2-cut-at-start.json")
    assert error.value.line == 11
    assert error.value.problem == "the file ends in the middle of the record that starts at line 3"
    assert error.value.fix == (
        "It was probably cut off, as by an interrupted download: download it again"
    )


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("", 1, "the file is empty"),
        ("  \n", 1, "the file is empty"),
        ("LEI,LegalName\n", 1, "this is not a JSON document (it does not start with '{' or '[')"),
        (
            '{"meta": {"goldenCopy": {}}, "links": {}}',
            1,
            "the file holds no GLEIF records (no 'records', 'relations' or 'data' list)",
        ),
        ('{"records": [\n', 2, "the file ends where a value should follow"),
    ],
)
def test_files_that_cannot_be_read_say_why(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    path = tmp_path / "gleif.json"
    path.write_text(text)
    with pytest.raises(InputError) as error:
        gleif.read(path)
    assert (error.value.line, error.value.problem) == (line, problem)


def test_a_file_that_is_not_utf8_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "gleif.json"
    path.write_bytes('{"records": [{"LEI": {"$": "Ü"}}]}'.encode("utf-16-le"))
    with pytest.raises(InputError, match="not UTF-8 text"):
        gleif.read(path)


# reading piece by piece


@pytest.mark.parametrize(
    "name",
    ["lei2-golden-copy.json", "rr-golden-copy.json", "lei2-cut-off.json", "lei2-broken.json"],
)
def test_a_small_window_reads_the_same(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Records cut by the window's edge are read whole, with the same lines, as with one
    window for the whole file."""
    whole = gleif.read(FIXTURES / name)
    monkeypatch.setattr(jsonstream, "CHUNK", 7)
    pieces = gleif.read(FIXTURES / name)
    assert whole.unmapped == pieces.unmapped
    assert whole.tables.keys() == pieces.tables.keys()
    for table in whole.tables:
        pd.testing.assert_frame_equal(whole.tables[table].frame, pieces.tables[table].frame)

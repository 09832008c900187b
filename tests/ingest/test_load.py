from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from builders import EU_SUPPLIER, RU_BUYER, shipment, write_csv

from graphkit.errors import InputError
from graphkit.ingest.load import load_folder
from graphkit.model import TABLES

KZ_FIRM = {
    "id": "KZ1",
    "name": "ТОО «Алтын Трейд»",
    "country": "Казахстан",
    "registered_on": "01.04.2022",
    "registration_number": "220440012345",
}


def test_messy_but_valid_values_all_load(write_dataset) -> None:
    folder = write_dataset(
        companies=[KZ_FIRM, EU_SUPPLIER | {"country": "DEU"}, RU_BUYER | {"country": "Россия"}],
        persons=[{"id": "P1", "name": "Иванов Иван", "nationality": "Russian Federation"}],
        ownership=[
            {"owner_id": "P1", "owned_id": "KZ1", "share": "51 %", "since": "2022-04-01"},
            {"owner_id": "DE1", "owned_id": "KZ1", "share": "", "since": ""},
        ],
        shipments=[
            shipment("05.05.2022", "DE1", "Germany", "KZ1", "KAZ", hs="8542.31"),
            shipment("2022-06-01", "KZ1", "KZ", "RU1", "Россия", hs="8542 31", value="1,234.50"),
        ],
    )
    dataset, report = load_folder(folder)
    assert report.skipped == 0 and report.values_ignored == 0
    assert dataset.companies.set_index("id")["country"].to_dict() == {
        "KZ1": "KZ",
        "DE1": "DE",
        "RU1": "RU",
    }
    assert dataset.companies.loc[0, "registered_on"] == pd.Timestamp("2022-04-01")
    assert dataset.persons.loc[0, "nationality"] == "RU"
    assert dataset.ownership["share"].tolist()[0] == 51.0
    assert pd.isna(dataset.ownership["share"].tolist()[1])  # blank share: unknown, still loaded
    assert dataset.shipments["hs_code"].tolist() == ["854231", "854231"]
    assert dataset.shipments["value_usd"].tolist() == [1000.0, 1234.5]


def test_cp1251_and_bom_files_in_one_folder(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    write_csv(folder / "companies.csv", [KZ_FIRM, RU_BUYER], encoding="utf-8-sig")
    write_csv(
        folder / "persons.csv",
        [{"id": "P1", "name": "Иванов", "nationality": "Россия"}],
        encoding="cp1251",
    )
    write_csv(folder / "shipments.csv", [shipment("2022-06-01", "KZ1", "KZ", "RU1", "RU")])
    dataset, report = load_folder(folder)
    assert dataset.persons.loc[0, "name"] == "Иванов"
    assert report.counts["persons"].encoding == "cp1251"
    assert report.counts["companies"].loaded == 2


def test_unusable_rows_are_skipped_with_reasons_and_counts_add_up(write_dataset) -> None:
    folder = write_dataset(
        companies=[
            KZ_FIRM,
            KZ_FIRM | {"name": "Same id again"},  # duplicate id
            {"id": "X1", "name": "Nowhere Ltd", "country": "Narnia"},  # unknown country
            {"id": "X2", "name": "", "country": "KZ"},  # required name missing
            {"id": "X3", "name": "Bad Date LLP", "country": "KZ", "registered_on": "31.02.2022"},
        ],
        ownership=[
            {"owner_id": "P9", "owned_id": "KZ1", "share": "50"},  # names nothing
            {"owner_id": "X3", "owned_id": "KZ1", "share": "150"},  # share outside 0-100
            {"owner_id": "X3", "owned_id": "KZ1", "share": "20", "until": "someday"},
            {"owner_id": "X3", "owned_id": "KZ1", "share": "20"},  # fine
        ],
        shipments=[
            shipment("2022-13-01", "KZ1", "KZ", "RU1", "RU"),  # bad required date
            shipment("2022-06-01", "KZ1", "KZ", "RU1", "RU", hs="85"),
        ],  # bad HS code
    )
    dataset, report = load_folder(folder)
    rejects = report.rejects.frame()
    skipped = rejects[rejects["action"] == "row skipped"]
    by_line = {(Path(r.file).name, r.line): r.problem for r in skipped.itertuples()}
    assert by_line[("companies.csv", 3)] == "duplicate id; it was first given at line 2"
    assert by_line[("companies.csv", 4)].startswith("country 'Narnia' cannot be read; use an ISO")
    assert by_line[("companies.csv", 5)] == "a required value is missing"
    assert by_line[("ownership.csv", 2)] == "owner_id names no person or company in this dataset"
    assert by_line[("ownership.csv", 3)].startswith("share '150' cannot be read")
    assert by_line[("ownership.csv", 4)].startswith("until 'someday' cannot be read")
    assert by_line[("shipments.csv", 2)].startswith("date '2022-13-01' cannot be read; use YYYY")
    assert by_line[("shipments.csv", 3)].startswith("hs_code '85' cannot be read")
    # an unreadable optional value is dropped, the row kept, and both are reported
    ignored = rejects[rejects["action"] == "value ignored"]
    assert ignored[["line", "column", "value"]].values.tolist() == [
        [6, "registered_on", "31.02.2022"]
    ]
    assert "X3" in set(dataset.companies["id"])
    for table in TABLES:
        count = report.counts[table.name]
        assert count.rows == count.loaded + count.skipped, table.name
    assert report.counts["companies"].skipped == 3
    assert len(dataset.ownership) == 1


def test_owner_may_be_a_person_or_a_company_and_ids_must_not_clash(write_dataset) -> None:
    folder = write_dataset(
        companies=[KZ_FIRM, RU_BUYER],
        persons=[{"id": "P1", "name": "Иванов"}, {"id": "RU1", "name": "Clash"}],
        ownership=[{"owner_id": "P1", "owned_id": "KZ1"}, {"owner_id": "RU1", "owned_id": "KZ1"}],
        shipments=[shipment("2022-06-01", "KZ1", "KZ", "RU1", "RU")],
    )
    dataset, report = load_folder(folder)
    assert sorted(dataset.ownership["owner_id"]) == ["P1", "RU1"]
    assert dataset.persons["id"].tolist() == ["P1"]
    problem = report.rejects.frame().query("column == 'id'")["problem"].iloc[0]
    assert "already a company's" in problem


def test_missing_required_file_stops_with_input_error(write_dataset) -> None:
    folder = write_dataset(companies=[KZ_FIRM])
    with pytest.raises(InputError) as caught:
        load_folder(folder)
    assert "required file shipments.csv is missing" in str(caught.value)
    assert caught.value.exit_code == 2


def test_file_names_in_any_case_and_optional_files_absent(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    write_csv(folder / "Companies.CSV", [KZ_FIRM, RU_BUYER])
    write_csv(folder / "SHIPMENTS.csv", [shipment("2022-06-01", "KZ1", "KZ", "RU1", "RU")])
    dataset, report = load_folder(folder)
    assert len(dataset.companies) == 2 and len(dataset.shipments) == 1
    assert dataset.persons.empty and report.counts["persons"].encoding is None


def test_blank_shipment_ids_are_derived_from_content_and_stable(write_dataset) -> None:
    row = shipment("2022-06-01", "KZ1", "KZ", "RU1", "RU", id="")
    folder = write_dataset(
        companies=[KZ_FIRM, RU_BUYER], shipments=[row, row, row | {"value_usd": "5"}]
    )
    first, _ = load_folder(folder)
    second, _ = load_folder(folder)
    ids = first.shipments["id"].tolist()
    assert ids == second.shipments["id"].tolist()
    assert len(set(ids)) == 3  # identical rows are separate declarations
    assert all(i.startswith("row-") for i in ids)


def test_input_files_are_not_modified(write_dataset) -> None:
    folder = write_dataset(
        companies=[KZ_FIRM, {"id": "X", "name": "", "country": "KZ"}],
        shipments=[shipment("bad", "KZ1", "KZ", "RU1", "RU")],
    )
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    load_folder(folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before

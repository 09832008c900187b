"""A folder that mixes formats: an EGRUL extract of the Russian buyer and its founder, an FtM
sanctions list, and netscan CSV files for the Kazakh firm and the customs declarations.

The firm's owner in ownership.csv is named by the id the EGRUL extract gives the buyer's founder
(ru-inn-<personal INN>); the FtM list names the buyer under its own id, with the buyer's INN.
"""

from __future__ import annotations

import json
from pathlib import Path

from builders import EU_SUPPLIER, shipment, write_csv
from click.testing import CliRunner

from graphkit.cli import cli
from graphkit.ingest.load import load_folder

BUYER_INN = "7701000026"
BUYER_OGRN = "1167746000069"
FOUNDER_INN = "770100002083"  # a person's INN: 12 digits
BUYER = f"ru-inn-{BUYER_INN}"
FOUNDER = f"ru-inn-{FOUNDER_INN}"

EGRUL = f"""<?xml version="1.0" encoding="windows-1251"?>
<Файл ИдФайл="VO_RUGFO_0000_9965_20240101_test" ВерсФорм="4.06" ТипИнф="ЕГРЮЛ_ОТКР_СВЕД" КолДок="1">
  <Документ ИдДок="1">
    <СвЮЛ ДатаВып="2024-01-01" ОГРН="{BUYER_OGRN}" ДатаОГРН="2016-02-11" ИНН="{BUYER_INN}"
          КПП="770101001" КодОПФ="12300" ПолнНаимОПФ="Общество с ограниченной ответственностью">
      <СвНаимЮЛ НаимЮЛПолн="ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ &quot;ПОЛЯРНАЯ ЗВЕЗДА&quot;"/>
      <СвУстКап НаимВидКап="УСТАВНЫЙ КАПИТАЛ" СумКап="10000"/>
      <СведДолжнФЛ>
        <ГРНДатаПерв ГРН="2167746100003" ДатаЗаписи="2016-03-01"/>
        <СвФЛ Фамилия="СОКОЛОВ" Имя="ПАВЕЛ" Отчество="АНДРЕЕВИЧ" ИННФЛ="{FOUNDER_INN}"/>
        <СвДолжн НаимДолжн="ГЕНЕРАЛЬНЫЙ ДИРЕКТОР"/>
      </СведДолжнФЛ>
      <СвУчредит>
        <УчрФЛ>
          <ГРНДатаПерв ГРН="1167746000069" ДатаЗаписи="2016-02-11"/>
          <СвФЛ Фамилия="СОКОЛОВ" Имя="ПАВЕЛ" Отчество="АНДРЕЕВИЧ" ИННФЛ="{FOUNDER_INN}"/>
          <ДоляУстКап НоминСтоим="10000">
            <РазмерДоли><Процент>100</Процент></РазмерДоли>
          </ДоляУстКап>
        </УчрФЛ>
      </СвУчредит>
    </СвЮЛ>
  </Документ>
</Файл>
"""

SANCTIONS_FTM = [
    {
        "id": "NK-polar-star",
        "schema": "Company",
        "caption": "Polar Star LLC",
        "properties": {
            "name": ["Polar Star LLC"],
            "innCode": [BUYER_INN],
            "jurisdiction": ["ru"],
            "topics": ["sanction"],
        },
    },
    {
        "id": "eu-fsf-polar-star",
        "schema": "Sanction",
        "properties": {
            "entity": ["NK-polar-star"],
            "program": ["EU 833/2014 Annex IV"],
            "listingDate": ["2023-06-23"],
        },
    },
    {"id": "NK-ship", "schema": "Vessel", "properties": {"name": ["Polar Star I"]}},
]


def mixed_folder(folder: Path) -> Path:
    folder.mkdir()
    (folder / "egrul.xml").write_bytes(EGRUL.encode("cp1251"))
    lines = [json.dumps(entity, ensure_ascii=False) for entity in SANCTIONS_FTM]
    (folder / "sanctions.ftm.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
    kz = {"id": "KZ1", "name": "ТОО «Дала Трейд»", "country": "KZ", "registered_on": "2022-05-10"}
    write_csv(folder / "companies.csv", [kz, EU_SUPPLIER])
    write_csv(
        folder / "ownership.csv",
        [{"owner_id": FOUNDER, "owned_id": "KZ1", "share": "60", "since": "2022-05-10"}],
    )
    to_buyer = shipment("2022-06-20", "KZ1", "KZ", BUYER_INN, "RU", value="120000")
    write_csv(
        folder / "shipments.csv",
        [shipment("2022-06-01", "DE1", "DE", "KZ1", "KZ", value="100000"), to_buyer],
    )
    return folder


def test_egrul_ftm_and_csv_make_one_graph(tmp_path: Path) -> None:
    dataset, report = load_folder(mixed_folder(tmp_path / "data"))
    assert [(e.file, e.format, e.rows, e.not_mapped) for e in report.extracts] == [
        ("egrul.xml", "EGRUL XML", dict(companies=1, persons=1, ownership=1, officers=1), 0),
        ("sanctions.ftm.json", "FollowTheMoney", {"companies": 1, "sanctions": 1}, 1),
    ]
    companies = dataset.companies.set_index("id")
    assert list(companies.index) == ["KZ1", "DE1", BUYER]  # the FtM firm joined the EGRUL one
    assert companies.loc[BUYER, ["registration_number", "file"]].tolist() == [
        BUYER_INN,
        "egrul.xml",
    ]
    assert dataset.sanctions["entity_id"].tolist() == [BUYER]
    holdings = dataset.ownership[["owner_id", "owned_id", "share", "file"]]
    assert holdings.astype(object).values.tolist() == [
        [FOUNDER, "KZ1", 60.0, "ownership.csv"],
        [FOUNDER, BUYER, 100.0, "egrul.xml"],
    ]
    keys = dataset.shipments[["exporter_key", "importer_key", "importer_link"]]
    assert keys.astype(object).values.tolist() == [
        ["DE1", "KZ1", "id"],
        ["KZ1", BUYER, "identifier"],  # the declaration gives the INN, the registry knows it
    ]
    rejects = report.rejects.frame()
    assert rejects[["file", "action"]].values.tolist() == [
        [str(tmp_path / "data" / "sanctions.ftm.json"), "joined to another row"],
        [str(tmp_path / "data" / "sanctions.ftm.json"), "not mapped"],
    ]


def test_shared_founder_fires_and_the_sanctioned_buyer_is_found_by_id(tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path / "data")
    result = CliRunner().invoke(
        cli,
        [
            "find-intermediaries",
            "--data",
            str(folder),
            "--format",
            "json",
            "--no-cache",
            "--rejects",
            str(tmp_path / "rejects.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Read egrul.xml as EGRUL XML: 1 companies, 1 persons" in result.stderr
    assert "joined to another row" in (tmp_path / "rejects.csv").read_text(encoding="utf-8")
    assert "Read sanctions.ftm.json as FollowTheMoney: 1 companies, 1 sanctions entries; " in (
        result.stderr
    )
    [finding] = json.loads(result.stdout)
    assert (finding["id"], finding["failed"]) == ("KZ1", [])
    assert finding["evidence"]["ownership"] == ["ownership.csv line 2"]
    [owner] = finding["owners"]
    assert (owner["id"], owner["name"], owner["nationality"]) == (
        FOUNDER,
        "СОКОЛОВ ПАВЕЛ АНДРЕЕВИЧ",
        "RU",
    )
    shared = finding["red_flags"]["shared_people_with_buyer"]
    assert shared["points"] > 0
    assert {
        (link["entity"]["id"], link["at_firm"], link["buyer"]["id"], link["at_buyer"])
        for link in shared["links"]
    } == {
        (FOUNDER, "owner (level 1)", BUYER, "owner"),
        (FOUNDER, "owner (level 1)", BUYER, "генеральный директор"),
    }
    assert {(link["firm_file"], link["buyer_file"]) for link in shared["links"]} == {
        ("ownership.csv", "egrul.xml")
    }
    [hit] = finding["red_flags"]["sanctioned_parties"]["hits"]
    assert (hit["role"], hit["id"], hit["rule"], hit["program"]) == (
        "buyer",
        BUYER,
        "entity_id",
        "EU 833/2014 Annex IV",
    )
    assert hit["sanctions_file"] == "sanctions.ftm.json"


def test_a_firm_given_in_two_files_keeps_the_first_row_with_its_blanks_filled(
    tmp_path: Path,
) -> None:
    """A split EGRUL dump or a short CSV row: the record given first is kept, and what it
    leaves blank comes from the later record of the same id; values that differ are conflicts."""
    folder = mixed_folder(tmp_path / "data")
    short = {"id": BUYER, "name": "ООО «Полярная звезда»", "country": "RU"}
    kz = {"id": "KZ1", "name": "ТОО «Дала Трейд»", "country": "KZ", "registered_on": "2022-05-10"}
    write_csv(folder / "companies.csv", [kz, EU_SUPPLIER, short])
    dataset, report = load_folder(folder)
    buyer = dataset.companies.set_index("id").loc[BUYER]
    assert (buyer["name"], buyer["registration_number"], buyer["file"]) == (
        "ООО «Полярная звезда»",
        BUYER_INN,
        "companies.csv",
    )
    assert str(buyer["registered_on"].date()) == "2016-02-11"
    [difference] = dataset.duplicate_ids.to_dict("records")
    assert (difference["column"], difference["first_file"], difference["file"]) == (
        "name",
        "companies.csv",
        "egrul.xml",
    )
    skipped = report.rejects.frame().query("action == 'row skipped'")
    first_given = "duplicate id; it was first given at companies.csv line 4"
    assert skipped["problem"].tolist() == [first_given]

"""Findings as FollowTheMoney entities: valid under the model, stable ids, the finding's chains."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

from followthemoney import model

from graphkit.analysis.intermediaries import Finding
from graphkit.ingest.formats.ftm import read, recognises
from graphkit.report.ftm import findings_ftm, ftm_id


def entities(text: str) -> dict[str, dict[str, Any]]:
    lines = [json.loads(line) for line in text.splitlines()]
    by_id = {data["id"]: data for data in lines}
    assert len(by_id) == len(lines), "an entity is written twice"
    return by_id


def by_schema(found: dict[str, dict[str, Any]], schema: str) -> list[dict[str, Any]]:
    return [data["properties"] for data in found.values() if data["schema"] == schema]


def test_every_line_is_a_valid_ftm_entity(example_findings: list[Finding]) -> None:
    text = findings_ftm(example_findings)
    assert text.endswith("\n")
    for line in text.splitlines():
        data = json.loads(line)
        schema = model.get(data["schema"])
        assert schema is not None
        assert set(data["properties"]) <= set(schema.properties), data
        assert set(schema.required) <= set(data["properties"]), data
        # loading untrusted data re-validates every value: nothing may be dropped or changed
        assert model.get_proxy(data, cleaned=False).to_dict() == data


def test_the_flagged_firm_keeps_netscan_id_and_carries_the_finding(
    example_findings: list[Finding],
) -> None:
    found = entities(findings_ftm(example_findings))
    firm = found["KZ-001"]
    assert firm["schema"] == "Company"
    properties = firm["properties"]
    assert properties["name"] == ["ТОО «Степь Электроникс»"]
    assert properties["jurisdiction"] == ["kz"]
    assert properties["registrationNumber"] == ["220440901788"]
    assert properties["incorporationDate"] == ["2022-04-12"]
    assert properties["topics"] == ["export.risk"]  # the sanctioned party is a buyer: no link
    assert properties["summary"] == [
        "Lead from netscan find-intermediaries (not a finding of fact): meets all three "
        "criteria (newly registered, russian owned, between suppliers and buyers); score "
        f"{example_findings[0].score:.1f}"
    ]
    assert properties["notes"] == example_findings[0].reasons
    assert [f.id for f in example_findings if f.flagged] == [
        "KZ-001", "KZ-005", "KZ-003", "KZ-008",
    ]  # fmt: skip
    assert all(found[f.id]["properties"]["topics"] == ["export.risk"] for f in example_findings)


def test_owners_along_the_chain_and_directors(example_findings: list[Finding]) -> None:
    found = entities(findings_ftm(example_findings))
    assert found["P-001"] == {
        "id": "P-001",
        "schema": "Person",
        "properties": {"name": ["Волков Андрей Игоревич"], "nationality": ["cy", "ru"]},
    }
    assert found["CY-001"]["properties"] == {"name": ["Meridian Holdings Ltd"]}
    assert found["RU-007"]["properties"] == {
        "name": ["ООО «Восток Техноснаб»"],
        "jurisdiction": ["ru"],
    }
    links = {
        (p["owner"][0], p["asset"][0]): (p.get("percentage"), p.get("startDate"), p.get("endDate"))
        for p in by_schema(found, "Ownership")
    }
    assert links == {
        ("P-001", "CY-001"): (["100"], ["2019-03-11"], None),
        ("CY-001", "KZ-001"): (["75"], ["2022-04-12"], None),
        ("RU-007", "KZ-005"): (["51"], ["2023-03-01"], None),
        ("P-003", "KZ-003"): (["15"], ["2022-09-20"], None),
        ("P-004", "KZ-003"): (["15"], ["2022-09-20"], None),
        ("P-009", "AE-001"): (["60"], ["2021-08-02"], None),
        ("AE-001", "KZ-008"): (["80"], ["2023-07-18"], None),
    }
    directors = {
        (p["director"][0], p["organization"][0], p["role"][0], p["startDate"][0])
        for p in by_schema(found, "Directorship")
    }
    assert ("P-005", "KZ-001", "director", "2022-04-12") in directors
    assert ("P-012", "KZ-008", "директор", "2023-07-18") in directors
    assert len(directors) == 4


def test_ids_are_stable(example_findings: list[Finding]) -> None:
    first = findings_ftm(example_findings)
    assert findings_ftm(example_findings) == first
    found = entities(first)
    # a hash of owner, asset, start and end: the same link gets the same id in every run
    assert found["netscan-ownership-960ee4c3336db5a2edee856cacdfb0e566c296ee"]["properties"][
        "owner"
    ] == ["CY-001"]


def test_partial_finding_has_no_risk_topic_and_a_sanctioned_owner_links(
    example_findings: list[Finding],
) -> None:
    flagged = example_findings[0]
    partial = dataclasses.replace(
        flagged,
        criteria={**flagged.criteria, "russian_owned": False},
        sanctioned=[{"role": "owner", "id": "P-001", "name": "Волков", "programs": ["EU"]}],
    )
    firm = entities(findings_ftm([partial]))["KZ-001"]["properties"]
    assert firm["topics"] == ["sanction.linked"]
    assert firm["summary"][0].startswith(
        "Lead from netscan find-intermediaries (not a finding of fact): fails russian owned;"
    )


def test_date_from_a_bin_is_a_month_and_odd_ids_are_hashed(
    example_findings: list[Finding],
) -> None:
    flagged = example_findings[0]
    owners = json.loads(json.dumps(flagged.owners).replace('"KZ-001"', '"KZ 001/A"'))
    odd = dataclasses.replace(
        flagged,
        id="KZ 001/A",
        owners=owners,
        registered_on=date(2022, 4, 1),
        registered_on_source="KZ BIN 220440901788",
        registration_number="7709123453",  # a Russian INN: also written as innCode
        country="RU",
    )
    found = entities(findings_ftm([odd]))
    hashed = ftm_id("KZ 001/A")
    assert hashed == "netscan-47d37e16ee295acacd11063a10f61a506f2840e4"
    firm = found[hashed]["properties"]
    assert firm["incorporationDate"] == ["2022-04"]
    assert firm["innCode"] == ["7709123453"]
    assert firm["notes"][0] == "netscan id: KZ 001/A"
    assert {p["asset"][0] for p in by_schema(found, "Ownership")} == {"CY-001", hashed}
    assert {p["organization"][0] for p in by_schema(found, "Directorship")} == {hashed}


def test_no_findings_no_lines() -> None:
    assert findings_ftm([]) == ""


def test_the_export_reads_back_with_the_ftm_reader(
    example_findings: list[Finding], tmp_path: Path
) -> None:
    path = tmp_path / "findings.ftm.json"
    path.write_text(findings_ftm(example_findings), encoding="utf-8")
    assert recognises(path.read_bytes())
    extract = read(path)
    assert extract.unmapped == []
    companies = extract.tables["companies"].frame.set_index("id")
    firm = companies.loc["KZ-001", ["name", "country", "registration_number", "registered_on"]]
    assert firm.tolist() == ["ТОО «Степь Электроникс»", "kz", "220440901788", "2022-04-12"]
    ownership = extract.tables["ownership"].frame
    held = ownership[(ownership["owner_id"] == "CY-001") & (ownership["owned_id"] == "KZ-001")]
    assert held[["share", "since"]].values.tolist() == [["75", "2022-04-12"]]

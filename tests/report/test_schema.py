"""The published JSON Schema of the findings: real output validates against it, and it is strict
enough that a field added to the output without being documented fails."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from builders import EU_SUPPLIER, RU_BUYER, shipment
from jsonschema import Draft202012Validator, FormatChecker, ValidationError

from graphkit.analysis.conflicts import KINDS
from graphkit.analysis.indicators import INDICATORS
from graphkit.analysis.intermediaries import CRITERIA, Criteria, Finding, find_intermediaries
from graphkit.dataset import Dataset
from graphkit.generate import generate_world
from graphkit.ingest.load import load_folder
from graphkit.report.findings import to_json
from graphkit.report.schema import SCHEMA_ID, SCHEMA_VERSION, findings_schema

Findings = list[dict[str, Any]]


def strict_json(text: str) -> Any:
    """JSON as RFC 8259 has it: NaN and Infinity, which Python writes and reads, are refused."""

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def as_json(findings: list[Finding]) -> Findings:
    """What `netscan find-intermediaries --format json` prints for these findings."""
    parsed: Findings = strict_json(to_json(findings))
    return parsed


def find(folder: Path, criteria: Criteria | None = None) -> Findings:
    return as_json(find_intermediaries(load_folder(folder)[0], criteria))


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    return Draft202012Validator(findings_schema(), format_checker=FormatChecker())


@pytest.fixture(scope="module")
def examples_json(example_findings: list[Finding]) -> Findings:
    return as_json(example_findings)  # the examples are loaded once for all report tests


def errors(validator: Draft202012Validator, findings: Findings) -> list[str]:
    """'path: message' for each error, the errors inside 'anyOf' (a nullable part) included."""

    def leaves(error: ValidationError) -> Iterator[ValidationError]:
        if not error.context:
            yield error
        for inner in error.context or []:
            if inner.validator_value != "null":  # not the null alternative of a nullable part
                yield from leaves(inner)

    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for found in validator.iter_errors(findings)
        for error in leaves(found)
    ]


def test_the_schema_is_valid_draft_2020_12_and_prints_as_json() -> None:
    schema = findings_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert (
        schema["$id"]
        == SCHEMA_ID
        == f"https://netscan.example/schema/findings-{SCHEMA_VERSION}.json"
    )
    assert json.loads(json.dumps(schema, ensure_ascii=False)) == schema


def test_every_property_tells_the_reader_what_it_is() -> None:
    def properties(node: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
        if isinstance(node, dict):
            if node.get("type") == "object":  # not the 'properties' of a oneOf condition
                for name, sub in node.get("properties", {}).items():
                    yield f"{path}/{name}", sub
            for key, sub in node.items():
                yield from properties(sub, f"{path}/{key}")
        elif isinstance(node, list):
            for index, sub in enumerate(node):
                yield from properties(sub, f"{path}/{index}")

    schema = findings_schema()
    found = list(properties(schema, ""))
    assert len(found) > 150
    undocumented = [
        path for path, sub in found if not (sub.get("title") and sub.get("description"))
    ]
    assert undocumented == []
    untitled = [name for name, sub in schema["$defs"].items() if not sub.get("description")]
    assert untitled == []


def test_examples_validate(validator: Draft202012Validator, examples_json: Findings) -> None:
    assert len(examples_json) == 4 and not any(f["failed"] for f in examples_json)
    assert errors(validator, examples_json) == []


def test_examples_with_all_validate(validator: Draft202012Validator, examples: Dataset) -> None:
    findings = as_json(find_intermediaries(examples, Criteria(include_partial=True)))
    assert len(findings) == 20 and sum(not f["failed"] for f in findings) == 4
    assert errors(validator, findings) == []


def test_a_generated_world_validates(validator: Draft202012Validator, tmp_path: Path) -> None:
    generate_world(tmp_path, firms=500, shipments=5000, seed=2)
    found = find_intermediaries(load_folder(tmp_path)[0], Criteria(include_partial=True))
    # the flagged firms, the few with conflicts or ownership changes, and every 8th of the
    # others: validating all 263 would take seconds
    sample = [
        finding
        for n, finding in enumerate(found)
        if finding.flagged
        or finding.conflicts
        or "Ownership changed" in " ".join(finding.reasons)
        or n % 8 == 0
    ]
    findings = as_json(sample)
    assert len(found) > 200 and len(findings) > 30
    assert any(f["red_flags"]["clusters"]["same_officer"] for f in findings)
    assert any(f["red_flags"]["ownership_changes"]["changes"] for f in findings)
    assert any(f["conflicts"] for f in findings)
    assert errors(validator, findings) == []


# Rare shapes the examples do not have: parties known only by name, unknown shares, no
# registration date, sanctions matched by name, both kinds of ownership change, clusters at one
# address, chains through a party without an id, and all three kinds of data conflict.
FIRMS = [
    {"id": "KZ1", "name": "ТОО «Альфа Транзит»", "country": "KZ", "registered_on": "2022-04-01",
     "address": "г. Алматы, ул. Абая, 1"},
    {"id": "KZ2", "name": "ТОО «Бета Транзит»", "country": "KZ", "registered_on": "2022-05-01",
     "address": "г. Алматы, ул. Абая, 1"},
    {"id": "KZ3", "name": "ТОО «Гамма»", "country": "KZ"},
    {"id": "CY1", "name": "Orbit Holdings Ltd", "country": "CY", "registered_on": "2015-01-01"},
    {"id": "CY1", "name": "Orbit Holdings Limited", "country": "CY", "registered_on": "2015-01-01"},
    {"id": "CY2", "name": "Nova Holdings Ltd", "country": "CY", "registered_on": "2015-01-01"},
    EU_SUPPLIER,
    RU_BUYER,
]  # fmt: skip
PEOPLE = [
    {"id": "P1", "name": "Иванов Иван", "nationality": "RU"},
    {"id": "P2", "name": "Петров Пётр", "nationality": "RU;KZ"},
    {"id": "P3", "name": "Сидоров Олег"},
]
HOLDINGS = [
    {"owner_id": "P1", "owned_id": "KZ1", "share": "51", "since": "2022-04-01"},
    {"owner_id": "CY1", "owned_id": "KZ1", "share": ""},  # unknown share
    {"owner_id": "P2", "owned_id": "CY1", "share": "100"},
    {"owner_id": "P2", "owned_id": "KZ2", "share": "30", "since": "2022-05-01",
     "until": "2022-06-01"},
    {"owner_id": "P2", "owned_id": "KZ2", "share": "24", "since": "2022-06-01"},  # a drop
    {"owner_id": "RU1", "owned_id": "KZ2", "share": "10"},  # the buyer owns the firm
    {"owner_id": "P1", "owned_id": "KZ3", "share": "60", "since": "2021-01-01",
     "until": "2022-05-01"},
    {"owner_id": "P3", "owned_id": "KZ3", "share": "60", "since": "2022-05-10"},  # an exit
    {"owner_id": "CY1", "owned_id": "CY2", "share": "60"},  # a cycle
    {"owner_id": "CY2", "owned_id": "CY1", "share": "60"},  # and over 100%
]  # fmt: skip
OFFICERS = [
    {"person_id": "P3", "company_id": "KZ1", "role": ""},
    {"person_id": "P3", "company_id": "KZ2", "role": "director", "since": "2022-05-01"},
    {"person_id": "P1", "company_id": "RU1", "role": "director"},
]
SHIPMENTS = [
    shipment("2022-05-01", "DE1", "DE", "KZ1", "KZ"),
    shipment("2022-05-02", "", "DE", "KZ1", "KZ", exporter_name="Chips AG"),
    shipment("2022-05-20", "KZ1", "KZ", "RU1", "RU", value="1300"),
    shipment("2022-05-21", "KZ1", "KZ", "", "RU", importer_name="ООО «Ромашка»"),
    shipment("2022-06-01", "DE1", "DE", "KZ2", "KZ", quantity="10", unit="pcs"),
    shipment("2022-06-10", "KZ2", "KZ", "RU1", "RU", quantity="10", unit="pcs", value="1200"),
    shipment("2022-06-01", "DE1", "DE", "KZ3", "KZ", hs="847150"),
    shipment("2022-06-10", "KZ3", "KZ", "RU1", "RU", hs="847150"),
]
SANCTIONS = [
    {"name": "ООО «Ромашка»", "country": "RU"},  # by name, no program, no date
    {"entity_id": "RU1", "name": "ООО «Прибор»", "program": "EU 833/2014",
     "listed_on": "2022-03-15"},
]  # fmt: skip


def test_rare_shapes_validate(validator: Draft202012Validator, write_dataset) -> None:
    folder = write_dataset(
        companies=FIRMS, persons=PEOPLE, ownership=HOLDINGS, officers=OFFICERS,
        shipments=SHIPMENTS, sanctions=SANCTIONS,
    )  # fmt: skip
    findings = find(folder, Criteria(include_partial=True))
    findings.sort(key=lambda f: f["id"])
    red_flags = [f["red_flags"] for f in findings]
    assert [f["id"] for f in findings] == ["KZ1", "KZ2", "KZ3"]
    assert {c["kind"] for f in findings for c in f["conflicts"]} == set(KINDS)
    assert None in [o["share"] for f in findings for o in f["owners"]]
    assert None in [p["id"] for f in findings for p in f["suppliers"] + f["buyers"]]
    assert [f["registered_on"] for f in findings][2] is None and red_flags[2]["speed"] is None
    assert {h["rule"] for r in red_flags for h in r["sanctioned_parties"]["hits"]} == {
        "entity_id",
        "name",
    }
    assert {c["kind"] for r in red_flags for c in r["ownership_changes"]["changes"]} == {
        "exit",
        "drop",
    }
    assert [len(r["clusters"]["same_address"]) for r in red_flags] == [1, 1, 0]
    assert None in [f["id"] for r in red_flags for c in r["clusters"]["chains"] for f in c["firms"]]
    links = [link for r in red_flags for link in r["shared_people_with_buyer"]["links"]]
    assert "is the buyer" in [link["at_buyer"] for link in links]
    assert errors(validator, findings) == []


def test_a_party_without_id_or_name_validates(
    validator: Draft202012Validator, write_dataset
) -> None:
    folder = write_dataset(
        companies=[*FIRMS[:1], EU_SUPPLIER, RU_BUYER],
        persons=PEOPLE[:1],
        ownership=HOLDINGS[:1],
        shipments=[
            shipment("2022-05-01", "", "DE", "KZ1", "KZ"),  # no exporter id, no name
            shipment("2022-05-20", "KZ1", "KZ", "RU1", "RU"),
        ],
    )
    [finding] = find(folder)
    assert finding["suppliers"][0]["name"] is None
    assert errors(validator, [finding]) == []


def test_a_zero_quantity_gives_valid_json(write_dataset) -> None:
    folder = write_dataset(
        companies=[*FIRMS[:1], EU_SUPPLIER, RU_BUYER],
        persons=PEOPLE[:1],
        ownership=HOLDINGS[:1],
        shipments=[
            shipment("2022-05-01", "DE1", "DE", "KZ1", "KZ", quantity="0", unit="pcs"),
            shipment("2022-05-20", "KZ1", "KZ", "RU1", "RU", quantity="5", unit="pcs"),
        ],
    )
    find(folder)  # strict JSON: no Infinity


# strict enough to fail


def spoil(findings: Findings, change: Any) -> Findings:
    spoiled = copy.deepcopy(findings)
    change(spoiled[0])
    return spoiled


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.update(new_field=1), "0: Additional properties are not allowed ('new_field'"),
        (
            lambda f: f["red_flags"]["pass_through"]["pairs"][0].update(lot="A"),
            "0/red_flags/pass_through/pairs/0: Additional properties are not allowed ('lot'",
        ),
        (
            lambda f: f["owners"][0]["chain"][0].update(note="x"),
            "0/owners/0/chain/0: Additional properties are not allowed ('note'",
        ),
        (lambda f: f.pop("score"), "0: 'score' is a required property"),
        (lambda f: f.update(score="97.4"), "0/score: '97.4' is not of type 'number'"),
        (
            lambda f: f.update(registered_on="12.04.2022"),
            "0/registered_on: '12.04.2022' does not match",
        ),
        (
            lambda f: f.update(registered_on="2022-02-30"),
            "0/registered_on: '2022-02-30' is not a 'date'",
        ),
        (lambda f: f.update(country="Kazakhstan"), "0/country: 'Kazakhstan' does not match"),
        (lambda f: f["failed"].append("cheap"), "0/failed/0: 'cheap' is not one of"),
        (lambda f: f["criteria"].update(sanctioned=True), "0/criteria: Additional properties"),
        (
            lambda f: f["red_flags"].update(new_indicator=None),
            "0/red_flags: Additional properties are not allowed ('new_indicator'",
        ),
        (lambda f: f["owners"][0].update(country="CY"), "0/owners/0: "),  # country and nationality
    ],
)
def test_an_undocumented_or_changed_field_fails(
    validator: Draft202012Validator, examples_json: Findings, change: Any, message: str
) -> None:
    found = errors(validator, spoil(examples_json, change))
    assert any(error.startswith(message) for error in found), found


def test_the_schema_names_every_criterion_and_indicator() -> None:
    definitions = findings_schema()["$defs"]
    assert list(definitions["finding"]["properties"]["criteria"]["properties"]) == list(CRITERIA)
    red_flags = definitions["red_flags"]["properties"]
    assert [name for name in red_flags if name in definitions] == list(INDICATORS)
    assert definitions["finding"]["required"] == list(definitions["finding"]["properties"])

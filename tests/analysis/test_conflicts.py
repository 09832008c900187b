"""Conflicting records: each kind found with its numbers and lines, and told in the findings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from builders import EU_SUPPLIER, RU_BUYER, shipment

from graphkit.analysis.conflicts import (
    DUPLICATE_ID,
    OVER_OWNED,
    OWNERSHIP_CYCLE,
    conflict_sentence,
    conflicts_summary,
    find_conflicts,
)
from graphkit.analysis.intermediaries import find_intermediaries
from graphkit.dataset import Dataset
from graphkit.ingest.load import load_folder

EXAMPLES = Path(__file__).parents[2] / "examples"
KZ_FIRM = {"id": "KZ1", "name": "ТОО «Алтын Трейд»", "country": "KZ", "registered_on": "2022-04-01"}
CY_HOLDING = {"id": "CY1", "name": "Meridian Holdings Ltd", "country": "CY"}
AE_HOLDING = {"id": "AE1", "name": "Gulf Star FZE", "country": "AE"}
IVANOV = {"id": "P1", "name": "Иванов Иван Иванович", "nationality": "RU"}
NURLAN = {"id": "P2", "name": "Nurlan Abenov", "nationality": "KZ"}
ASKAR = {"id": "P3", "name": "Askar Seitkali", "nationality": "KZ"}


def holding(owner: str, owned: str, share: str, since: str = "", until: str = "") -> dict[str, str]:
    return {"owner_id": owner, "owned_id": owned, "share": share, "since": since, "until": until}


def load(write_dataset, *, companies=(), persons=(), ownership=(), shipments=None):
    """A Kazakh firm and its trade, with the companies, persons and holdings given."""
    folder = write_dataset(
        companies=[KZ_FIRM, EU_SUPPLIER, RU_BUYER, *companies],
        persons=[IVANOV, NURLAN, ASKAR, *persons],
        ownership=list(ownership) or [holding("P1", "KZ1", "51")],
        shipments=shipments
        or [
            shipment("2022-05-01", "DE1", "DE", "KZ1", "KZ", value="100000"),
            shipment("2022-05-20", "KZ1", "KZ", "RU1", "RU", value="130000"),
        ],
    )
    return load_folder(folder)


def records(dataset) -> list[tuple[str, list[str], str, str, list[int]]]:
    return [
        (c.kind, c.ids, c.detail, c.file, c.lines) for c in find_conflicts(dataset).itertuples()
    ]


def test_an_id_given_twice_with_different_names_is_a_conflict(write_dataset) -> None:
    dataset, report = load(
        write_dataset,
        companies=[RU_BUYER | {"name": "ООО «Прибор-2»", "country": "KZ"}],
        persons=[IVANOV | {"nationality": "RU;CY"}],
    )
    assert records(dataset) == [
        (
            DUPLICATE_ID,
            ["RU1"],
            "RU1 is given with different values (name 'ООО «Прибор»' at line 4, "
            "'ООО «Прибор-2»' at line 5; country 'RU' at line 4, 'KZ' at line 5)",
            "companies.csv",
            [4, 5],
        ),
        (
            DUPLICATE_ID,
            ["P1"],
            "P1 is given with different values (nationality 'RU' at line 2, 'CY;RU' at line 5)",
            "persons.csv",
            [2, 5],
        ),
    ]
    rejects = report.rejects.frame()
    assert rejects[["line", "problem"]].values.tolist() == [
        [5, "duplicate id; it was first given at line 4"],
        [5, "duplicate id; it was first given at line 2"],
    ]
    assert dataset.companies.set_index("id").loc["RU1", "name"] == "ООО «Прибор»"


def test_an_id_repeated_with_the_same_values_is_only_a_duplicate(write_dataset) -> None:
    dataset, report = load(
        write_dataset,
        companies=[
            RU_BUYER | {"country": "Россия", "registered_on": "01.01.2005"},  # same, other forms
            RU_BUYER | {"registered_on": ""},  # a value left out contradicts nothing
        ],
        persons=[IVANOV],
    )
    assert records(dataset) == []
    assert report.counts["companies"].skipped == 2 and report.counts["persons"].skipped == 1


def test_a_company_owned_more_than_100_percent_at_once(write_dataset) -> None:
    dataset, _ = load(
        write_dataset,
        ownership=[
            holding("P1", "KZ1", "70", since="2023-01-01"),
            holding("P2", "KZ1", "30", until="2022-12-31"),
            holding("P3", "KZ1", "60", since="2021-06-01"),
        ],
    )
    assert records(dataset) == [
        (
            OVER_OWNED,
            ["KZ1"],
            "KZ1 is owned 130% by its owners at once (70% + 60%) from 2023-01-01",
            "ownership.csv",
            [2, 4],
        )
    ]


def test_shares_of_no_known_date_count_as_always_held(write_dataset) -> None:
    dataset, _ = load(
        write_dataset, ownership=[holding("P1", "KZ1", "51%"), holding("P2", "KZ1", "51%")]
    )
    [(_, _, detail, _, lines)] = records(dataset)
    assert detail == "KZ1 is owned 102% by its owners at once (51% + 51%)"
    assert lines == [2, 3]


def test_shares_adding_up_to_100_are_not_over_owned(write_dataset) -> None:
    dataset, _ = load(
        write_dataset,
        companies=[CY_HOLDING, AE_HOLDING],
        ownership=[
            holding("P1", "KZ1", "60"),
            holding("P2", "KZ1", "40"),
            holding("P1", "CY1", "33.4"),  # rounded thirds: 100.2%
            holding("P2", "CY1", "33.4"),
            holding("P3", "CY1", "33.4"),
            # a handover: the 60% pass from P1 to P2 on the day P1's holding ends
            holding("P1", "AE1", "60", since="2022-06-08", until="2022-12-15"),
            holding("P2", "AE1", "60", since="2022-12-15"),
            holding("P3", "AE1", "40", since="2022-06-08"),
            holding("P3", "AE1", ""),  # an unknown share is not counted
        ],
    )
    assert records(dataset) == []


def test_companies_owning_each_other_form_a_cycle(write_dataset) -> None:
    dataset, _ = load(
        write_dataset,
        companies=[CY_HOLDING, AE_HOLDING],
        ownership=[
            holding("P1", "CY1", "50"),
            holding("CY1", "KZ1", "60"),
            holding("KZ1", "AE1", "10"),
            holding("AE1", "CY1", "50"),
        ],
    )
    assert records(dataset) == [
        (
            OWNERSHIP_CYCLE,
            ["AE1", "CY1", "KZ1"],
            "ownership runs in a cycle: AE1 → CY1 → KZ1 → AE1",
            "ownership.csv",
            [3, 4, 5],
        )
    ]


def test_cycles_sharing_companies_are_one_conflict(write_dataset) -> None:
    dataset, _ = load(
        write_dataset,
        companies=[CY_HOLDING, AE_HOLDING],
        ownership=[
            holding("CY1", "KZ1", "60"),
            holding("KZ1", "CY1", "10"),
            holding("KZ1", "AE1", "10"),
            holding("AE1", "KZ1", "20"),
        ],
    )
    [(kind, ids, detail, _, lines)] = records(dataset)
    assert (kind, ids, lines) == (OWNERSHIP_CYCLE, ["AE1", "CY1", "KZ1"], [2, 3, 4, 5])
    assert detail == "AE1, CY1 and KZ1 own each other through more than one cycle"


def test_a_chain_without_a_cycle_is_no_conflict(write_dataset) -> None:
    dataset, _ = load(
        write_dataset,
        companies=[CY_HOLDING, AE_HOLDING],
        ownership=[
            holding("P1", "AE1", "100"),
            holding("AE1", "CY1", "100"),
            holding("CY1", "KZ1", "60"),
            holding("AE1", "KZ1", "40"),  # two paths from AE1 down to KZ1, but no way back
        ],
    )
    assert records(dataset) == []


def test_a_finding_whose_holding_is_over_owned_says_so(write_dataset) -> None:
    dataset, _ = load(
        write_dataset,
        companies=[CY_HOLDING, AE_HOLDING],
        ownership=[
            holding("P1", "CY1", "100"),
            holding("CY1", "KZ1", "80"),
            holding("P2", "KZ1", "20"),
            holding("P2", "CY1", "30", since="2022-03-01"),
            holding("P2", "AE1", "70"),  # over-owned too, but not above KZ1
            holding("P3", "AE1", "70"),
        ],
    )
    [finding] = find_intermediaries(dataset)
    sentence = (
        "Data conflict: ownership.csv lines 2, 5: CY1 is owned 130% by its owners at once "
        "(100% + 30%) from 2022-03-01; shares held through it may be overstated."
    )
    assert finding.conflicts == [
        {
            "kind": OVER_OWNED,
            "ids": ["CY1"],
            "detail": "CY1 is owned 130% by its owners at once (100% + 30%) from 2022-03-01",
            "file": "ownership.csv",
            "lines": [2, 5],
        }
    ]
    assert finding.reasons[-1] == sentence
    assert finding.to_dict()["conflicts"] == finding.conflicts


def test_a_finding_whose_owner_is_on_a_cycle_says_so(write_dataset) -> None:
    dataset, _ = load(
        write_dataset,
        companies=[CY_HOLDING, AE_HOLDING],
        ownership=[
            holding("P1", "CY1", "50"),
            holding("AE1", "CY1", "50"),
            holding("CY1", "AE1", "50"),
            holding("CY1", "KZ1", "60"),
        ],
    )
    [finding] = find_intermediaries(dataset)
    assert [(c["kind"], c["lines"]) for c in finding.conflicts] == [(OWNERSHIP_CYCLE, [3, 4])]
    assert finding.reasons[-1] == (
        "Data conflict: ownership.csv lines 3, 4: ownership runs in a cycle: AE1 → CY1 → AE1; "
        "netscan follows each chain round a cycle only once, so shares held through it may be "
        "understated."
    )


def test_a_finding_whose_buyer_was_given_twice_says_so(write_dataset) -> None:
    dataset, _ = load(write_dataset, companies=[RU_BUYER | {"name": "ООО «Прибор-2»"}])
    [finding] = find_intermediaries(dataset)
    assert [(c["kind"], c["ids"], c["lines"]) for c in finding.conflicts] == [
        (DUPLICATE_ID, ["RU1"], [4, 5])
    ]
    assert finding.reasons[-1] == (
        "Data conflict: companies.csv lines 4, 5: RU1 is given with different values "
        "(name 'ООО «Прибор»' at line 4, 'ООО «Прибор-2»' at line 5); netscan uses the first "
        "row and skips the rest."
    )


def test_a_finding_without_conflicts_says_nothing_of_them(write_dataset) -> None:
    dataset, _ = load(
        write_dataset,
        companies=[AE_HOLDING],
        ownership=[
            holding("P1", "KZ1", "51"),
            holding("P2", "AE1", "70"),
            holding("P3", "AE1", "70"),
        ],
    )
    [finding] = find_intermediaries(dataset)
    assert finding.conflicts == []
    assert not any(reason.startswith("Data conflict") for reason in finding.reasons)


def test_a_dataset_from_a_store_has_no_duplicate_ids_but_the_other_kinds(write_dataset) -> None:
    loaded, _ = load(
        write_dataset,
        companies=[RU_BUYER | {"name": "ООО «Прибор-2»"}],
        ownership=[holding("P1", "KZ1", "70"), holding("P2", "KZ1", "60")],
    )
    tables = ("companies", "persons", "ownership", "officers", "shipments", "sanctions")
    stored = Dataset(**{name: getattr(loaded, name) for name in tables}, source="neo4j")
    assert [c[0] for c in records(loaded)] == [DUPLICATE_ID, OVER_OWNED]
    assert [c[0] for c in records(stored)] == [OVER_OWNED]
    assert conflicts_summary(find_conflicts(loaded)) == (
        "Data conflicts: 1 id given twice with different values, 1 company owned over 100% at "
        "once; the findings they touch say so in their reasons."
    )
    no_holdings = replace(stored, ownership=stored.ownership.iloc[:0])
    assert conflicts_summary(find_conflicts(no_holdings)) is None


def test_one_line_is_named_as_a_line() -> None:
    conflict = {"kind": OVER_OWNED, "file": "ownership.csv", "lines": [7], "detail": "X"}
    assert conflict_sentence(conflict) == (
        "Data conflict: ownership.csv line 7: X; shares held through it may be overstated."
    )


def test_the_examples_hold_no_conflict() -> None:
    dataset, _ = load_folder(EXAMPLES)
    assert find_conflicts(dataset).empty
    assert all(not f.conflicts for f in find_intermediaries(dataset))

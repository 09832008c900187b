"""Each criterion and option of find_intermediaries on small hand-built datasets."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from builders import EU_SUPPLIER, RU_BUYER, shipment

from graphkit.analysis.indicators import DEFAULT_WEIGHTS
from graphkit.analysis.intermediaries import (
    BETWEEN,
    NEWLY_REGISTERED,
    RUSSIAN_OWNED,
    Criteria,
    expand_countries,
    find_intermediaries,
)
from graphkit.errors import OptionError
from graphkit.ingest.load import load_folder

KZ_FIRM = {"id": "KZ1", "name": "ТОО «Алтын Трейд»", "country": "KZ", "registered_on": "2022-04-01"}
IVANOV = {"id": "P1", "name": "Иванов Иван Иванович", "nationality": "RU"}
NURLAN = {"id": "P2", "name": "Nurlan Abenov", "nationality": "KZ"}


def world(write_dataset, *, firm=None, ownership=None, shipments=None, **tables):
    """A Kazakh firm, 51% Russian-owned, buying chips in Germany and selling them in Russia."""
    folder = write_dataset(
        companies=[firm or KZ_FIRM, EU_SUPPLIER, RU_BUYER, *tables.pop("companies", [])],
        persons=[IVANOV, NURLAN, *tables.pop("persons", [])],
        ownership=ownership
        or [
            {"owner_id": "P1", "owned_id": "KZ1", "share": "51"},
            {"owner_id": "P2", "owned_id": "KZ1", "share": "49"},
        ],
        shipments=shipments
        or [
            shipment("2022-05-01", "DE1", "DE", "KZ1", "KZ", value="100000"),
            shipment("2022-05-20", "KZ1", "KZ", "RU1", "RU", value="130000"),
        ],
        **tables,
    )
    dataset, _ = load_folder(folder)
    return dataset


def test_firm_meeting_all_three_criteria_is_flagged_with_its_evidence(write_dataset) -> None:
    [finding] = find_intermediaries(world(write_dataset))
    assert finding.flagged and finding.id == "KZ1"
    assert finding.russian_share == pytest.approx(51.0)
    assert finding.registered_on == date(2022, 4, 1)
    assert finding.first_inbound == date(2022, 5, 1) and finding.last_outbound == date(2022, 5, 20)
    assert [(s["id"], s["country"], s["shipments"], s["value_usd"]) for s in finding.suppliers] == [
        ("DE1", "DE", 1, 100000.0)
    ]
    assert [(b["id"], b["name"], b["shipments"]) for b in finding.buyers] == [
        ("RU1", "ООО «Прибор»", 1)
    ]
    assert finding.hs_codes == ["854231"]
    [owner] = finding.owners
    assert (owner["id"], owner["nationality"], owner["share"]) == ("P1", "RU", 51.0)
    assert finding.evidence["company"] == "companies.csv line 2"
    assert finding.evidence["ownership"] == ["ownership.csv line 2"]
    reasons = " ".join(finding.reasons)
    assert "Registered on 2022-04-01, 36 days after 2022-02-24" in reasons
    assert (
        "Russian owners held 51.0% (2022-05-01 to 2022-05-20), at least the 25% threshold: "
        "Иванов Иван Иванович (P1) holds 51.0%." in reasons
    )
    assert "Received 1 shipment worth USD 100,000 from 1 supplier in DE" in reasons
    assert "sent 1 shipment worth USD 130,000 to 1 buyer in RU" in reasons


def test_registered_before_the_cutoff_fails_newly_registered(write_dataset) -> None:
    dataset = world(write_dataset, firm=KZ_FIRM | {"registered_on": "15.03.2016"})
    assert find_intermediaries(dataset) == []
    [finding] = find_intermediaries(dataset, Criteria(include_partial=True))
    assert finding.failed == [NEWLY_REGISTERED]
    assert "Not newly registered: registered on 2016-03-01" not in finding.reasons
    assert finding.reasons[0] == (
        "Not newly registered: registered on 2016-03-15, before 2022-02-24 (companies.csv line 2)."
    )
    assert find_intermediaries(dataset, Criteria(registered_after=date(2015, 1, 1)))


def test_unknown_registration_date_is_not_counted_as_new(write_dataset) -> None:
    dataset = world(write_dataset, firm=KZ_FIRM | {"registered_on": ""})
    [finding] = find_intermediaries(dataset, Criteria(include_partial=True))
    assert finding.failed == [NEWLY_REGISTERED]
    assert finding.reasons[0].startswith("Registration date unknown")


def test_min_russian_share_option(write_dataset) -> None:
    dataset = world(write_dataset)
    assert find_intermediaries(dataset, Criteria(min_russian_share=51))
    [finding] = find_intermediaries(dataset, Criteria(min_russian_share=60, include_partial=True))
    assert finding.failed == [RUSSIAN_OWNED]
    assert "below the 60% threshold" in finding.reasons[1]


def test_russian_share_through_a_cyprus_holding(write_dataset) -> None:
    dataset = world(
        write_dataset,
        companies=[{"id": "CY1", "name": "Meridian Holdings Ltd", "country": "CY"}],
        ownership=[
            {"owner_id": "P1", "owned_id": "CY1", "share": "60%"},
            {"owner_id": "CY1", "owned_id": "KZ1", "share": "80"},
            {"owner_id": "P2", "owned_id": "KZ1", "share": "20"},
        ],
    )
    [finding] = find_intermediaries(dataset)
    assert finding.russian_share == pytest.approx(48.0)
    [owner] = finding.owners
    assert [link["owned_id"] for link in owner["chain"]] == ["CY1", "KZ1"]
    assert owner["arithmetic"] == "60% × 80% = 48%"
    assert "through Meridian Holdings Ltd (60% × 80% = 48%)" in finding.reasons[1]


def test_russian_share_through_two_holdings_beside_other_owners(write_dataset) -> None:
    # the graph holds only what the Russian owner holds, directly or not: the chain is whole
    dataset = world(
        write_dataset,
        companies=[
            {"id": "AE1", "name": "Gulf Ventures FZE", "country": "AE"},
            {"id": "CY1", "name": "Meridian Holdings Ltd", "country": "CY"},
        ],
        ownership=[
            {"owner_id": "P1", "owned_id": "AE1", "share": "100"},
            {"owner_id": "AE1", "owned_id": "CY1", "share": "60"},
            {"owner_id": "P2", "owned_id": "CY1", "share": "40"},
            {"owner_id": "CY1", "owned_id": "KZ1", "share": "90"},
            {"owner_id": "P2", "owned_id": "KZ1", "share": "10"},
        ],
    )
    [finding] = find_intermediaries(dataset)
    assert finding.russian_share == pytest.approx(54.0)
    [owner] = finding.owners
    assert [link["owned_id"] for link in owner["chain"]] == ["AE1", "CY1", "KZ1"]


def test_russian_company_counts_as_russian_owner(write_dataset) -> None:
    dataset = world(
        write_dataset, ownership=[{"owner_id": "RU1", "owned_id": "KZ1", "share": "30"}]
    )
    [finding] = find_intermediaries(dataset)
    assert finding.owners[0]["country"] == "RU"


def test_owner_country_option_changes_whose_share_counts(write_dataset) -> None:
    dataset = world(write_dataset)
    kazakh = Criteria(owner_countries=expand_countries(["KZ"]), min_russian_share=49)
    [finding] = find_intermediaries(dataset, kazakh)
    assert finding.russian_share == pytest.approx(49.0)


@pytest.mark.parametrize(
    ("since", "until", "owned"),
    [
        ("", "2022-04-30", False),  # sold the day before the first EU shipment
        ("2022-05-21", "", False),  # bought the day after the last Russian shipment
        ("", "2022-05-01", True),  # still held on the day of the first EU shipment
        ("2022-05-20", "", True),  # held on the day of the last Russian shipment
    ],
)
def test_ownership_counts_only_in_force_while_the_firm_traded(
    write_dataset, since: str, until: str, owned: bool
) -> None:
    dataset = world(
        write_dataset,
        ownership=[
            {"owner_id": "P1", "owned_id": "KZ1", "share": "60", "since": since, "until": until}
        ],
    )
    [finding] = find_intermediaries(dataset, Criteria(include_partial=True))
    assert finding.criteria[RUSSIAN_OWNED] is owned


def test_via_option_and_firms_outside_the_via_countries(write_dataset) -> None:
    kyrgyz = KZ_FIRM | {"country": "Kyrgyzstan"}
    dataset = world(
        write_dataset,
        firm=kyrgyz,
        shipments=[
            shipment("2022-05-01", "DE1", "DE", "KZ1", "KG"),
            shipment("2022-05-20", "KZ1", "KG", "RU1", "RU"),
        ],
    )
    assert find_intermediaries(dataset) == []
    [finding] = find_intermediaries(dataset, Criteria(include_partial=True))
    assert finding.failed == [BETWEEN]
    assert "located in KG, not in KZ" in finding.reasons[2]
    assert find_intermediaries(dataset, Criteria(via=expand_countries(["KZ", "KG"])))


def test_suppliers_option_and_eu_group(write_dataset) -> None:
    dataset = world(write_dataset)
    assert find_intermediaries(dataset, Criteria(suppliers=expand_countries(["EU"])))
    assert find_intermediaries(dataset, Criteria(suppliers=expand_countries(["Germany"])))
    [finding] = find_intermediaries(
        dataset, Criteria(suppliers=expand_countries(["FR"]), include_partial=True)
    )
    assert finding.failed == [BETWEEN]
    assert "no shipments from FR" in finding.reasons[2]


def test_buyers_option(write_dataset) -> None:
    dataset = world(write_dataset)
    assert find_intermediaries(dataset, Criteria(buyers=expand_countries(["BY"]))) == []
    [finding] = find_intermediaries(
        dataset, Criteria(buyers=expand_countries(["BY"]), include_partial=True)
    )
    assert "no shipments to BY" in finding.reasons[2]


def test_firm_that_only_imports_from_the_eu_fails_between(write_dataset) -> None:
    dataset = world(write_dataset, shipments=[shipment("2022-05-01", "DE1", "DE", "KZ1", "KZ")])
    [finding] = find_intermediaries(dataset, Criteria(include_partial=True))
    assert finding.failed == [BETWEEN] and finding.buyers == []
    assert "no shipments to RU" in finding.reasons[2]


def test_all_ranks_firms_meeting_every_criterion_first(write_dataset) -> None:
    old_but_fully_russian = {
        "id": "KZ2",
        "name": "Old LLP",
        "country": "KZ",
        "registered_on": "2010-01-01",
    }
    dataset = world(
        write_dataset,
        companies=[old_but_fully_russian],
        ownership=[
            {"owner_id": "P1", "owned_id": "KZ1", "share": "26"},
            {"owner_id": "P1", "owned_id": "KZ2", "share": "100"},
        ],
        shipments=[
            shipment("2022-05-01", "DE1", "DE", "KZ1", "KZ"),
            shipment("2022-05-20", "KZ1", "KZ", "RU1", "RU"),
            shipment("2022-05-01", "DE1", "DE", "KZ2", "KZ"),
            shipment("2022-05-20", "KZ2", "KZ", "RU1", "RU"),
        ],
    )
    findings = find_intermediaries(dataset, Criteria(include_partial=True))
    assert [f.id for f in findings] == ["KZ1", "KZ2"]
    assert findings[0].score > findings[1].score
    assert [f.id for f in find_intermediaries(dataset)] == ["KZ1"]


def test_score_is_30_per_criterion_plus_a_tenth_of_the_red_flags(write_dataset) -> None:
    [finding] = find_intermediaries(world(write_dataset))
    assert finding.red_flags is not None
    # pass-through 25 (all of it left within 19 days), CHPL tier 1 goods 15, and speed: 49 days
    # from registration to trading both ways is worth (365 - 49) / (365 - 30) of 5 points
    speed = 5 * (365 - 49) / (365 - 30)
    assert finding.red_flags.score == pytest.approx(25 + 15 + speed)
    assert finding.score == pytest.approx(3 * 30 + (25 + 15 + speed) / 10)
    assert finding.reasons[3].endswith("[pass-through: 25.0 of 25 points]")
    assert finding.to_dict()["red_flags"]["pass_through"]["pairs"][0]["outbound_id"] == (
        "KZ1-RU1-2022-05-20-854231"
    )


def test_red_flags_rank_firms_meeting_as_many_criteria_but_never_outweigh_one(
    write_dataset,
) -> None:
    """Whatever the weights: all three criteria first, then pass-through before none."""
    holds_the_goods = {
        "id": "KZ3",
        "name": "Склад LLP",
        "country": "KZ",
        "registered_on": "2022-04-01",
    }
    old = {"id": "KZ2", "name": "Old LLP", "country": "KZ", "registered_on": "2010-01-01"}
    dataset = world(
        write_dataset,
        companies=[old, holds_the_goods],
        ownership=[
            {"owner_id": "P1", "owned_id": firm, "share": "100"} for firm in ("KZ1", "KZ2", "KZ3")
        ],
        shipments=[
            *(shipment("2022-05-01", "DE1", "DE", firm, "KZ") for firm in ("KZ1", "KZ2", "KZ3")),
            shipment("2022-05-20", "KZ1", "KZ", "RU1", "RU"),
            shipment("2022-05-20", "KZ2", "KZ", "RU1", "RU"),
            shipment("2022-05-20", "KZ3", "KZ", "RU1", "RU", hs="940360"),  # other goods
        ],
    )
    heavy = Criteria(
        include_partial=True,
        weights=replace(
            DEFAULT_WEIGHTS, indicators={**DEFAULT_WEIGHTS.indicators, "pass_through": 1000}
        ),
    )
    for criteria in (Criteria(include_partial=True), heavy):
        findings = find_intermediaries(dataset, criteria)
        assert [f.id for f in findings] == ["KZ1", "KZ3", "KZ2"]
        assert [f.red_flags.contributions["pass_through"] > 0 for f in findings] == [
            True,
            False,
            True,
        ]
        assert findings[2].failed == [NEWLY_REGISTERED] and findings[2].score < 70


def test_sanctioned_buyer_is_named(write_dataset) -> None:
    dataset = world(
        write_dataset,
        sanctions=[{"entity_id": "RU1", "name": "ООО «Прибор»", "program": "EU 833/2014 Annex IV"}],
    )
    [finding] = find_intermediaries(dataset)
    assert finding.sanctioned == [
        {"role": "buyer", "id": "RU1", "name": "ООО «Прибор»", "programs": ["EU 833/2014 Annex IV"]}
    ]
    assert (
        "On the sanctions list: buyer ООО «Прибор» (RU1) (EU 833/2014 Annex IV; matched by entity"
        " id). [sanctioned parties: 15.0 of 15 points]" in finding.reasons
    )


def test_unlinked_parties_are_listed_by_name(write_dataset) -> None:
    dataset = world(
        write_dataset,
        shipments=[
            shipment("2022-05-01", "", "IT", "KZ1", "KZ", exporter_name="Elettronica Nord S.r.l."),
            shipment("2022-05-20", "KZ1", "KZ", "RU1", "RU"),
        ],
    )
    [finding] = find_intermediaries(dataset)
    assert finding.suppliers[0]["id"] is None
    assert finding.suppliers[0]["name"] == "Elettronica Nord S.r.l."


def test_expand_countries_rejects_unknown_names() -> None:
    with pytest.raises(OptionError, match="'Atlantis' is not a country"):
        expand_countries(["Atlantis"])
    assert len(expand_countries(["EU"])) == 27


def test_criteria_defaults() -> None:
    defaults = Criteria()
    assert defaults.via == {"KZ"} and defaults.buyers == {"RU"} and len(defaults.suppliers) == 27
    assert replace(defaults, min_russian_share=10).min_russian_share == 10

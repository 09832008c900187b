"""The Neo4j path end to end, against a real Bolt server (see conftest.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import neo4j
import pytest
from builders import EU_SUPPLIER, RU_BUYER, expected_graph_counts, shipment
from click.testing import CliRunner

from graphkit.analysis.indicators import INDICATORS, compute_indicators
from graphkit.analysis.intermediaries import Criteria, find_intermediaries
from graphkit.cli import cli
from graphkit.dataset import Dataset
from graphkit.errors import Neo4jUnavailable, NetscanError
from graphkit.generate import generate_world
from graphkit.ingest.load import load_folder
from graphkit.settings import INVASION_DATE
from graphkit.store import neo4j as store

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_load_examples_counts_and_loading_again_doubles_nothing(empty_database) -> None:
    driver, database = empty_database
    dataset, _ = load_folder(EXAMPLES)
    store.load_dataset(driver, database, dataset, batch_size=100)
    counts = store.graph_counts(driver, database)
    assert {k: counts.get(k, 0) for k in expected_graph_counts(dataset)} == expected_graph_counts(
        dataset
    )
    store.load_dataset(driver, database, dataset, batch_size=37)
    assert store.graph_counts(driver, database) == counts


def test_findings_from_neo4j_equal_the_embedded_run(empty_database) -> None:
    """Findings, and the red flags of every candidate: by default, and with --all and 2 hops."""
    driver, database = empty_database
    dataset, _ = load_folder(EXAMPLES)
    store.load_dataset(driver, database, dataset)
    subsets, fired = [], set()
    for criteria in (Criteria(), Criteria(include_partial=True, max_hops=2)):
        subset, red_flags = assert_same_results(driver, database, dataset, criteria)
        subsets.append(subset)
        fired |= _fired(red_flags)
        assert red_flags["KZ-001"]["supplier_redirection"]["value"] == 1
        assert red_flags["KZ-001"]["sanctioned_parties"]["value"] == 1
    assert fired == set(INDICATORS) - {"clusters"}  # see test_every_red_flag_...
    # with the defaults, only the candidates' shipments and their suppliers' direct trade with
    # Russia before the invasion cross the wire
    candidates = set(_candidates(driver, database, Criteria()))
    shipments = subsets[0].shipments
    theirs = shipments["exporter_key"].isin(candidates) | shipments["importer_key"].isin(candidates)
    before = (shipments["date"] < str(INVASION_DATE)) & (shipments["importer_country"] == "RU")
    assert (theirs | before).all() and len(shipments) < len(dataset.shipments)


def assert_same_results(
    driver: neo4j.Driver, database: str, dataset: Dataset, criteria: Criteria
) -> tuple[Dataset, dict[str, Any]]:
    """Findings, and every candidate's red flags, on the part read equal the embedded ones.

    Returns the part read from Neo4j and the red flags (``Indicators.to_dict``) by firm.
    """
    subset = store.read_candidates(driver, database, criteria)
    embedded = [f.to_dict() for f in find_intermediaries(dataset, criteria)]
    assert [f.to_dict() for f in find_intermediaries(subset, criteria)] == embedded, criteria
    candidates = _candidates(driver, database, criteria)
    assert candidates
    red_flags = _red_flags(dataset, candidates, criteria)
    assert _red_flags(subset, candidates, criteria) == red_flags, criteria
    return subset, red_flags


def _candidates(driver: neo4j.Driver, database: str, criteria: Criteria) -> list[str]:
    return store._find_candidates(store._Session(driver, database), criteria)


def _red_flags(dataset: Dataset, firm_ids: list[str], criteria: Criteria) -> dict[str, Any]:
    found = compute_indicators(
        dataset,
        firm_ids,
        suppliers=criteria.suppliers,
        buyers=criteria.buyers,
        window_days=criteria.window_days,
        match_level=criteria.match_level,
        max_hops=criteria.max_hops,
        owner_countries=criteria.owner_countries,
        min_share=criteria.min_russian_share,
    )
    return {firm: indicators.to_dict() for firm, indicators in found.items()}


def _fired(red_flags: dict[str, Any]) -> set[str]:
    """The indicators that fired for some firm."""
    return {
        name
        for flags in red_flags.values()
        for name in INDICATORS
        if flags[name] is not None and flags[name]["value"] > 0
    }


def test_generated_world_gives_the_same_findings(empty_database, tmp_path: Path) -> None:
    driver, database = empty_database
    generate_world(tmp_path, firms=600, shipments=6000, seed=4)
    dataset, _ = load_folder(tmp_path)
    store.load_dataset(driver, database, dataset)
    counts = store.graph_counts(driver, database)
    assert {k: counts.get(k, 0) for k in expected_graph_counts(dataset)} == expected_graph_counts(
        dataset
    )
    assert find_intermediaries(dataset)
    subset, red_flags = assert_same_results(driver, database, dataset, Criteria())
    assert len(subset.shipments) < len(dataset.shipments) / 2
    _, more = assert_same_results(
        driver, database, dataset, Criteria(include_partial=True, max_hops=2)
    )
    assert _fired(red_flags) | _fired(more) == set(INDICATORS)


def test_every_red_flag_from_neo4j_equals_the_embedded_run(empty_database, write_dataset) -> None:
    """A firm with every red flag, each resting on records that only its own read brings."""
    driver, database = empty_database
    dataset, _ = load_folder(write_dataset(**RED_FLAGS))
    store.load_dataset(driver, database, dataset)
    for include_partial in (False, True):
        for max_hops in (1, 2):
            criteria = Criteria(include_partial=include_partial, max_hops=max_hops)
            flags = assert_same_results(driver, database, dataset, criteria)[1]["KZ1"]
            assert [r["last_direct_id"] for r in flags["supplier_redirection"]["redirections"]] == [
                "DE1-RU1-2021-06-01-854231"
            ]
            hits = flags["sanctioned_parties"]["hits"]
            assert [(h["id"], h["role"], h["rule"]) for h in hits] == [("CN1", "supplier", "name")]
            links = flags["shared_people_with_buyer"]["links"]
            assert {(x["entity"]["id"], x["at_firm"], x["at_buyer"]) for x in links} == {
                ("P1", "owner (level 2)", "owner of an owner"),
                ("P1", "owner (level 2)", "director"),
                ("P3", "director of an owner (level 1)", "owner"),
                ("P5", "director of an owner (level 1)", "director of an owner"),
            }
            clusters = flags["clusters"]
            assert [firm["id"] for firm in clusters["same_address"]] == ["KZ2"]
            assert [firm["id"] for firm in clusters["same_officer"]] == ["KZ3"]
            layered = [c for c in clusters["chains"] if c["transit_firms"] == 2]
            assert [[f["id"] for f in c["firms"]] for c in layered] == (
                [["DE2", "AM1", "KZ1", "RU1"]] if max_hops == 2 else []
            )
            changes = [(c["kind"], c["owner"]["id"]) for c in flags["ownership_changes"]["changes"]]
            assert changes == [("exit", "P6"), ("drop", "P1")]


def test_a_graph_loaded_without_address_keys_is_refused(empty_database, write_dataset) -> None:
    driver, database = empty_database
    dataset, _ = load_folder(write_dataset(**RED_FLAGS))
    store.load_dataset(driver, database, dataset)
    with driver.session(database=database) as session:
        session.run("MATCH (c:Company) REMOVE c.address_key").consume()
    with pytest.raises(NetscanError, match=r"no address_key, .* run netscan load again"):
        store.read_candidates(driver, database, Criteria())
    with driver.session(database=database) as session:
        session.run("MATCH (c:Company) SET c.address_key = toUpper(c.address)").consume()
    with pytest.raises(NetscanError, match=r"or an outdated one \(company "):
        store.read_candidates(driver, database, Criteria())
    store.load_dataset(driver, database, dataset)
    subset = store.read_candidates(driver, database, Criteria())
    assert subset.companies.set_index("id").loc["KZ1", "address_key"] == "г алматы пр достык 97б"


def _company(
    id_: str, name: str, country: str, registered_on: str, address: str = ""
) -> dict[str, str]:
    return {"id": id_, "name": name, "country": country, "registered_on": registered_on,
            "address": address}  # fmt: skip


def _holding(
    owner: str, owned: str, share: str, since: str = "", until: str = ""
) -> dict[str, str]:
    return {"owner_id": owner, "owned_id": owned, "share": share, "since": since, "until": until}


# KZ1 (new, Kazakh, Russian-owned through CY1) buys from DE1, DE2 through AM1, and CN1, and
# sells to RU1. Each red flag rests on records that only one read of read_candidates brings.
RED_FLAGS: dict[str, list[dict[str, str]]] = {
    "companies": [
        _company("KZ1", "ТОО «Алтын Трейд»", "KZ", "2022-06-01", "г. Алматы, пр. Достык, 97Б"),
        _company("KZ2", "ТОО «Бета»", "KZ", "2022-08-01", "Г. АЛМАТЫ ПР ДОСТЫК 97б"),  # address
        _company("KZ3", "ТОО «Гамма»", "KZ", "2022-09-01", "Астана"),  # same officer, P2
        _company("KZ4", "ТОО «Дельта»", "KZ", "2020-01-01", "г. Алматы, пр. Достык, 97Б"),  # old
        _company("DE1", "Halbleiter GmbH", "DE", "1999-01-01"),
        _company("DE2", "Maschinenbau AG", "DE", "1990-01-01"),
        _company("AM1", "Ararat Trade LLC", "AM", "2022-03-01"),  # transit: DE2 -> AM1 -> KZ1
        _company("CN1", "Shenzhen Chip Co Ltd", "CN", "2010-01-01"),  # sanctioned by name
        _company("CY1", "Meridian Holdings Ltd", "CY", "2015-01-01"),
        _company("RU1", "ООО «Прибор»", "RU", "2005-01-01"),  # the buyer
        _company("RU3", "АО «Прибор Холдинг»", "RU", "2004-01-01"),  # owns RU1
        _company("RU9", "АО «Прибор-Сервис»", "RU", "2001-01-01"),  # listed as 'ООО «Прибор»'
    ],
    "persons": [
        {"id": "P1", "name": "Волков Андрей", "nationality": "RU"},
        {"id": "P2", "name": "Ахметов Ерлан", "nationality": "KZ"},
        {"id": "P3", "name": "Смирнов Олег", "nationality": "RU"},
        {"id": "P5", "name": "Кузнецова Анна", "nationality": "RU"},
        {"id": "P6", "name": "Орлов Павел", "nationality": "RU"},
    ],
    "ownership": [
        _holding("P6", "KZ1", "100", "2022-06-01", "2022-10-01"),  # exit, CY1 takes over
        _holding("CY1", "KZ1", "60", "2022-10-15"),
        _holding("P1", "CY1", "100", "2019-01-01", "2023-01-01"),
        _holding("P1", "CY1", "49", "2023-01-01"),  # drop to just below 50%
        _holding("RU3", "RU1", "90"),
        _holding("P3", "RU1", "10"),
        _holding("P1", "RU3", "100"),
    ],
    "officers": [
        {"person_id": "P2", "company_id": "KZ1", "role": "director"},
        {"person_id": "P2", "company_id": "KZ3", "role": "director"},
        {"person_id": "P3", "company_id": "CY1", "role": "director"},
        {"person_id": "P5", "company_id": "CY1", "role": "director"},
        {"person_id": "P1", "company_id": "RU1", "role": "director"},
        {"person_id": "P5", "company_id": "RU3", "role": "director"},
    ],
    "shipments": [
        shipment("2021-06-01", "DE1", "DE", "RU1", "RU"),  # before the invasion: redirection
        shipment("2022-07-01", "DE1", "DE", "KZ1", "KZ"),
        shipment("2022-07-20", "KZ1", "KZ", "RU1", "RU", value="1300"),
        shipment("2022-08-01", "DE2", "DE", "AM1", "AM", hs="847150"),
        shipment("2022-08-10", "AM1", "AM", "KZ1", "KZ", hs="847150"),
        shipment("2022-08-20", "KZ1", "KZ", "RU1", "RU", hs="847150", value="1200"),
        shipment("2022-05-01", "CN1", "CN", "KZ1", "KZ", hs="850440"),
    ],
    "sanctions": [
        {"entity_id": "", "name": "Shenzhen Chip Co., Ltd.", "country": "CN", "program": "SDN"},
        {"entity_id": "RU9", "name": "ООО «Прибор»", "country": "RU", "program": "Annex IV"},
    ],
}


def test_newer_extract_updates_what_changed(empty_database, write_dataset) -> None:
    driver, database = empty_database
    firm = {"id": "KZ1", "name": "ТОО «Алтын»", "country": "KZ", "address": "Almaty"}
    rows = [shipment("2022-05-01", "DE1", "DE", "KZ1", "KZ")]
    first, _ = load_folder(
        write_dataset("v1", companies=[firm, EU_SUPPLIER, RU_BUYER], shipments=rows)
    )
    store.load_dataset(driver, database, first)
    renamed = firm | {"name": "ТОО «Алтын Трейд»", "address": ""}
    second, _ = load_folder(
        write_dataset("v2", companies=[renamed, EU_SUPPLIER, RU_BUYER], shipments=rows)
    )
    store.load_dataset(driver, database, second)
    with driver.session(database=database) as session:
        [row] = session.run(
            "MATCH (c:Company {id: $id}) RETURN c.name AS name, c.address AS address", id="KZ1"
        ).data()
    assert row == {"name": "ТОО «Алтын Трейд»", "address": None}
    assert store.graph_counts(driver, database)["Company"] == 3


def test_hostile_names_round_trip_intact_and_dates_are_dates(empty_database, write_dataset) -> None:
    driver, database = empty_database
    hostile = 'O\'Brien "X" \\ ; MATCH (n) DETACH DELETE n // }) RETURN 1 UNION MATCH (m)'
    firm = {"id": "KZ'1\"", "name": hostile, "country": "KZ", "registered_on": "01.03.2022"}
    dataset, _ = load_folder(
        write_dataset(
            companies=[firm, EU_SUPPLIER, RU_BUYER],
            shipments=[shipment("2022-05-01", "DE1", "DE", "", "RU")],
        )
    )
    store.load_dataset(driver, database, dataset)
    with driver.session(database=database) as session:
        [row] = session.run(
            "MATCH (c:Company) WHERE c.country = 'KZ' RETURN c.id AS id, c.name AS name, "
            "c.registered_on AS registered_on"
        ).data()
    assert row["id"] == "KZ'1\"" and row["name"] == hostile
    assert isinstance(row["registered_on"], neo4j.time.Date)
    assert row["registered_on"].to_native() == date(2022, 3, 1)
    assert store.graph_counts(driver, database)["Company"] == 3


def test_write_back_creates_findings_and_replaces_them_on_the_next_run(empty_database) -> None:
    driver, database = empty_database
    dataset, _ = load_folder(EXAMPLES)
    store.load_dataset(driver, database, dataset)
    findings = find_intermediaries(dataset)
    store.write_findings(driver, database, findings, date(2026, 11, 23))
    store.write_findings(driver, database, findings[:2], date(2026, 11, 24))
    with driver.session(database=database) as session:
        rows = session.run(
            "MATCH (f:Finding)-[:FLAGS]->(c:Company) "
            "RETURN c.id AS id, f.score AS score, f.reasons AS reasons, f.run_on AS run_on, "
            "f.red_flag_score AS red_flag_score, f.red_flags AS red_flags ORDER BY f.score DESC"
        ).data()
    assert [r["id"] for r in rows] == [f.id for f in findings[:2]]
    assert rows[0]["reasons"] == findings[0].reasons
    assert rows[0]["red_flag_score"] == 74.18  # KZ-001: `netscan explain KZ-001` shows 74.2
    assert rows[0]["red_flags"] == [
        "pass_through", "high_priority_goods", "supplier_redirection", "speed",
        "sanctioned_parties",
    ]  # fmt: skip
    assert rows[0]["run_on"].to_native() == date(2026, 11, 24)


def test_cli_load_and_find_with_write_back(bolt_server, empty_database, monkeypatch) -> None:
    monkeypatch.setenv("NEO4J_URI", bolt_server.uri)
    monkeypatch.setenv("NEO4J_USERNAME", bolt_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", bolt_server.password)
    monkeypatch.setenv("NEO4J_DATABASE", bolt_server.database)
    runner = CliRunner()
    loaded = runner.invoke(cli, ["load", "--data", str(EXAMPLES)])
    assert loaded.exit_code == 0, loaded.output
    assert "The database now holds" in loaded.stderr
    found = runner.invoke(cli, ["find-intermediaries", "--format", "csv", "--write-back"])
    assert found.exit_code == 0, found.output
    assert found.stdout.count("\n") == 5  # header and the four planted firms
    assert "Wrote 4 Finding nodes" in found.stderr
    assert bolt_server.password not in found.output + loaded.output


def test_unreachable_server_wrong_password_missing_database(bolt_server, monkeypatch) -> None:
    with pytest.raises(
        Neo4jUnavailable, match=r"no Neo4j server answers at bolt://127\.0\.0\.1:1 "
    ):
        store.open_driver("bolt://127.0.0.1:1", "neo4j", "secret")
    if bolt_server.process is None:
        pytest.skip("password and database checks need the test server's known settings")
    with pytest.raises(Neo4jUnavailable, match="refused user 'root'") as refused:
        store.open_driver(bolt_server.uri, "root", "wrong-password-123")
    assert "wrong-password-123" not in str(refused.value)
    driver = store.open_driver(bolt_server.uri, bolt_server.user, bolt_server.password)
    try:
        with pytest.raises(Neo4jUnavailable, match="database 'nowhere' does not exist"):
            store.read_candidates(driver, "nowhere", Criteria())
    finally:
        driver.close()
    monkeypatch.setenv("NEO4J_PASSWORD", "wrong-password-123")
    result = CliRunner().invoke(
        cli, ["find-intermediaries", "--neo4j", bolt_server.uri, "--neo4j-user", "root"]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Neo4j at") and result.stderr.count("\n") == 1
    assert "wrong-password-123" not in result.output


def test_export_for_neo4j_admin(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["export", "--data", str(EXAMPLES), "--neo4j-admin", str(tmp_path), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("neo4j-admin database import full neo4j")
    header = (tmp_path / "owns.csv").read_text(encoding="utf-8").splitlines()[0]
    assert (
        header == ":START_ID(Entity),:END_ID(Entity),:TYPE,key,share:float,share_range,since:date,"
        "until:date,line:int,file"
    )
    companies = (tmp_path / "companies.csv").read_text(encoding="utf-8").splitlines()
    assert companies[0].startswith("id:ID(Entity),:LABEL,name,country")
    assert ",address,address_key,line:int,file" in companies[0]
    assert len(companies) == 57


def test_a_mixed_format_folder_gives_the_same_findings_from_neo4j(
    empty_database, tmp_path: Path
) -> None:
    """EGRUL XML, an FtM sanctions list and CSV files: records keep their file through the store,
    so findings cite egrul.xml lines from Neo4j as they do embedded."""
    from ingest.test_mixed_formats import mixed_folder

    driver, database = empty_database
    dataset, _ = load_folder(mixed_folder(tmp_path / "data"))
    store.load_dataset(driver, database, dataset)
    flags = assert_same_results(driver, database, dataset, Criteria())[1]["KZ1"]
    links = flags["shared_people_with_buyer"]["links"]
    assert {(link["buyer_file"], link["at_buyer"]) for link in links} == {
        ("egrul.xml", "owner"),
        ("egrul.xml", "генеральный директор"),
    }

"""The Neo4j path end to end, against a real Bolt server (see conftest.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import neo4j
import pytest
from builders import EU_SUPPLIER, RU_BUYER, expected_graph_counts, shipment
from click.testing import CliRunner

from graphkit.analysis.intermediaries import Criteria, find_intermediaries
from graphkit.cli import cli
from graphkit.errors import Neo4jUnavailable
from graphkit.generate import generate_world
from graphkit.ingest.load import load_folder
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
    driver, database = empty_database
    dataset, _ = load_folder(EXAMPLES)
    store.load_dataset(driver, database, dataset)
    for criteria in (Criteria(), Criteria(include_partial=True)):
        embedded = [f.to_dict() for f in find_intermediaries(dataset, criteria)]
        from_neo4j = store.read_candidates(driver, database, criteria)
        assert [f.to_dict() for f in find_intermediaries(from_neo4j, criteria)] == embedded
    # only the candidates' neighbourhood crossed the wire
    subset = store.read_candidates(driver, database, Criteria())
    assert len(subset.shipments) < len(dataset.shipments) / 2


def test_generated_world_gives_the_same_findings(empty_database, tmp_path: Path) -> None:
    driver, database = empty_database
    generate_world(tmp_path, firms=600, shipments=6000, seed=4)
    dataset, _ = load_folder(tmp_path)
    store.load_dataset(driver, database, dataset)
    counts = store.graph_counts(driver, database)
    assert {k: counts.get(k, 0) for k in expected_graph_counts(dataset)} == expected_graph_counts(
        dataset
    )
    embedded = [f.to_dict() for f in find_intermediaries(dataset)]
    assert embedded
    neo = find_intermediaries(store.read_candidates(driver, database, Criteria()))
    assert [f.to_dict() for f in neo] == embedded


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
            "RETURN c.id AS id, f.score AS score, f.reasons AS reasons, f.run_on AS run_on "
            "ORDER BY f.score DESC"
        ).data()
    assert [r["id"] for r in rows] == [f.id for f in findings[:2]]
    assert rows[0]["reasons"] == findings[0].reasons
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
        header
        == ":START_ID(Entity),:END_ID(Entity),:TYPE,key,share:float,since:date,until:date,line:int"
    )
    companies = (tmp_path / "companies.csv").read_text(encoding="utf-8").splitlines()
    assert companies[0].startswith("id:ID(Entity),:LABEL,name,country")
    assert len(companies) == 57

"""What the Cypher netscan needs does over Bolt, on the test server (ArcadeDB) and on Neo4j 5.

Every statement goes through the official driver, in managed transactions, with values as
parameters only. Tests marked "ArcadeDB:" pin down a way it differs from Neo4j, with the
form that works on both; they are skipped against a real Neo4j (NETSCAN_TEST_NEO4J_URI).
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import neo4j
import pytest
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConstraintError,
    CypherSyntaxError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.time import Date, DateTime

if TYPE_CHECKING:
    from store.conftest import BoltServer

Db = tuple[neo4j.Driver, str]
Row = dict[str, Any]

SCHEMA = (  # the same definitions as cypher/schema.cypher, so the two never disagree
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT company_id IF NOT EXISTS FOR (n:Company) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT shipment_id IF NOT EXISTS FOR (n:Shipment) REQUIRE n.id IS UNIQUE",
    "CREATE INDEX company_country IF NOT EXISTS FOR (n:Company) ON (n.country)",
)

MERGE_COMPANIES = (
    "UNWIND $rows AS row MERGE (c:Company {id: row.id}) "
    "SET c.name = row.name, c.country = row.country"
)

# MERGE (n:Entity:Company {id: row.id}) does what netscan wants but scans on ArcadeDB (see
# test_arcadedb_scans_for_two_labels_and_label_alternatives). This creates the missing nodes
# with both labels through the index, then updates every row; Neo4j runs it as well.
# The ids of one batch must be distinct (two rows with a new id would both create it).
UPSERT_COMPANIES = """
UNWIND $rows AS row
OPTIONAL MATCH (existing:Entity {id: row.id})
FOREACH (_ IN CASE WHEN existing IS NULL THEN [1] ELSE [] END |
  CREATE (:Entity:Company {id: row.id}))
WITH row
MATCH (n:Company {id: row.id})
SET n += row
"""

HOSTILE = 'O\'Brien "X" \\ ; MATCH (n) DETACH DELETE n // `$x` {} \n\tЁлка 名 😀'


def write(db: Db, query: str, **params: Any) -> list[Row]:
    driver, database = db
    with driver.session(database=database) as session:
        return session.execute_write(lambda tx: tx.run(query, params).data())


def read(db: Db, query: str, **params: Any) -> list[Row]:
    driver, database = db
    with driver.session(database=database) as session:
        return session.execute_read(lambda tx: tx.run(query, params).data())


def one(db: Db, query: str, **params: Any) -> Any:
    """The single value of the single row of a read."""
    [row] = read(db, query, **params)
    [value] = row.values()
    return value


def create_schema(db: Db) -> None:
    for statement in SCHEMA:  # one statement per transaction, as schema changes must be
        write(db, statement)


def most_rows_of_one_step(db: Db, query: str, **params: Any) -> int:
    """ArcadeDB: the most rows any step of the query's plan handled, from PROFILE."""
    driver, database = db
    with driver.session(database=database) as session:
        summary = session.execute_read(lambda tx: tx.run("PROFILE " + query, params).consume())
    assert summary.profile is not None
    plan = summary.profile["args"]["string-representation"]
    return max(int(n.replace(",", "")) for n in re.findall(r"([\d,]+) rows\)", plan))


@pytest.fixture
def arcadedb_only(bolt_server: BoltServer) -> None:
    """For tests that pin down how ArcadeDB differs from Neo4j."""
    if not bolt_server.is_arcadedb:
        pytest.skip("pins down how ArcadeDB differs from Neo4j")


def test_the_server_answers_as_neo4j_5(bolt_server: BoltServer, neo4j_driver: neo4j.Driver) -> None:
    info = neo4j_driver.get_server_info()
    assert info.agent.startswith("Neo4j/5.")
    assert info.protocol_version >= (5, 0)
    if bolt_server.is_arcadedb:
        assert info.agent == "Neo4j/5.26.0 compatible (ArcadeDB 26.10.2)"
    system = (neo4j_driver, "system")
    names = {row["name"] for row in read(system, "SHOW DATABASES YIELD name RETURN name")}
    assert bolt_server.database in names


def test_schema_statements_are_accepted_idempotent_and_enforced(clean_database: Db) -> None:
    create_schema(clean_database)
    create_schema(clean_database)  # IF NOT EXISTS: a second run changes nothing
    constraints = read(clean_database, "SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties")
    assert {"name": "company_id", "labelsOrTypes": ["Company"], "properties": ["id"]} in constraints
    indexes = {row["name"] for row in read(clean_database, "SHOW INDEXES YIELD name")}
    assert "company_country" in indexes
    write(clean_database, "CREATE (:Entity:Company {id: $id})", id="c1")
    with pytest.raises(ConstraintError) as duplicate:
        write(clean_database, "CREATE (:Company {id: $id})", id="c1")
    assert duplicate.value.code == "Neo.ClientError.Schema.ConstraintValidationFailed"
    with pytest.raises(ConstraintError):  # Entity.id is unique across persons and companies
        write(clean_database, "CREATE (:Entity:Person {id: $id})", id="c1")
    # No type has to exist before a MERGE: a label never seen is created on the fly.
    assert write(clean_database, "MERGE (n:NeverSeenBefore {id: 1}) RETURN n.id AS id") == [
        {"id": 1}
    ]


@pytest.mark.usefixtures("arcadedb_only")
def test_arcadedb_refuses_fulltext_indexes_and_the_neo4j_4_syntax(clean_database: Db) -> None:
    with pytest.raises(CypherSyntaxError, match="Only standard, RANGE and TEXT"):
        write(
            clean_database,
            "CREATE FULLTEXT INDEX names IF NOT EXISTS FOR (n:Company) ON EACH [n.name]",
        )
    with pytest.raises(CypherSyntaxError):
        write(
            clean_database,
            "CREATE CONSTRAINT old IF NOT EXISTS ON (c:Company) ASSERT c.id IS UNIQUE",
        )


@pytest.mark.parametrize("size", [1_000, 10_000])
def test_unwind_merge_of_companies_is_fast_and_idempotent(clean_database: Db, size: int) -> None:
    create_schema(clean_database)
    rows = [
        {"id": f"c{i}", "name": f"Firm {i}", "country": ("RU", "KZ")[i % 2]} for i in range(size)
    ]
    began = time.perf_counter()
    write(clean_database, MERGE_COMPANIES, rows=rows)
    first = time.perf_counter() - began
    rows[7]["name"] = "Renamed"
    began = time.perf_counter()
    write(clean_database, MERGE_COMPANIES, rows=rows)
    again = time.perf_counter() - began
    print(f"\nMERGE {size} companies: {size / first:,.0f} rows/s, again {size / again:,.0f} rows/s")
    assert one(clean_database, "MATCH (c:Company) RETURN count(c) AS n") == size
    assert read(
        clean_database, "MATCH (c:Company {id: 'c7'}) RETURN c.name AS n, c.country AS k"
    ) == [{"n": "Renamed", "k": "KZ"}]
    assert first + again < 60  # without the index behind the constraint it is quadratic


def test_upsert_with_two_labels_creates_the_missing_and_updates_the_rest(
    clean_database: Db,
) -> None:
    create_schema(clean_database)
    rows = [{"id": f"c{i}", "name": f"Firm {i}", "country": "AE", "vat": None} for i in range(500)]
    write(clean_database, UPSERT_COMPANIES, rows=rows)
    rows[0] |= {"name": "Renamed", "vat": "AE123"}
    rows.append({"id": "c500", "name": "New", "country": "AE", "vat": None})
    write(clean_database, UPSERT_COMPANIES, rows=rows)
    counts = read(clean_database, "MATCH (n) RETURN labels(n) AS labels, count(*) AS n")
    assert [(sorted(r["labels"]), r["n"]) for r in counts] == [(["Company", "Entity"], 501)]
    assert read(clean_database, "MATCH (c:Company {id: 'c0'}) RETURN properties(c) AS p") == [
        {"p": {"id": "c0", "name": "Renamed", "country": "AE", "vat": "AE123"}}
    ]
    keys = one(clean_database, "MATCH (c:Company {id: 'c1'}) RETURN keys(c) AS k")
    assert sorted(keys) == ["country", "id", "name"]  # a null in += sets nothing, as in Neo4j


@pytest.mark.usefixtures("arcadedb_only")
def test_arcadedb_scans_for_two_labels_and_label_alternatives(clean_database: Db) -> None:
    """ArcadeDB uses an index only for ONE label on the FIRST node of a pattern.

    Scans, so loads and reads grow with rows x nodes: (n:Entity:Company {id}), MERGE with two
    labels, (a:Person|Company {id}), (a {id}), and (owner:Entity)-[:OWNS]->(owned:Company {id}).
    Index: (n:Company {id}) WHERE n:Entity, and (owned:Company {id})<-[:OWNS]-(owner:Entity).
    """
    create_schema(clean_database)
    write(clean_database, UPSERT_COMPANIES, rows=[{"id": f"c{i}"} for i in range(200)])
    write(clean_database, "UNWIND range(0, 99) AS i CREATE (:Entity:Person {id: 'p' + i})")
    write(
        clean_database,
        "UNWIND range(0, 199) AS i MATCH (o:Person {id: 'p' + (i % 100)}) "
        "MATCH (c:Company {id: 'c' + i}) CREATE (o)-[:OWNS {key: 'k' + i}]->(c)",
    )
    ids = [f"c{i}" for i in range(10)]
    nodes = 300

    def rows(query: str) -> int:
        return most_rows_of_one_step(clean_database, query, ids=ids)

    scans = [
        "UNWIND $ids AS id MATCH (n:Entity:Company {id: id}) RETURN count(n) AS n",
        "UNWIND $ids AS id MATCH (n:Person|Company {id: id}) RETURN count(n) AS n",
        "UNWIND $ids AS id MATCH (n {id: id}) RETURN count(n) AS n",
        "UNWIND $ids AS id MATCH (o:Entity)-[:OWNS]->(c:Company {id: id}) RETURN count(*) AS n",
    ]
    for query in scans:
        assert rows(query) >= len(ids) * 200, query
    seeks = [
        "UNWIND $ids AS id MATCH (n:Company {id: id}) WHERE n:Entity RETURN count(n) AS n",
        "UNWIND $ids AS id MATCH (c:Company {id: id})<-[:OWNS]-(o:Entity) RETURN count(*) AS n",
    ]
    for query in seeks:
        assert rows(query) < nodes, query


OWNER_FORMS = {
    "unlabelled": "MATCH (a {id: row.owner_id})",
    "label_alternatives": "MATCH (a:Person|Company {id: row.owner_id})",
    "where_or": "MATCH (a) WHERE (a:Person OR a:Company) AND a.id = row.owner_id",
    "common_label": "MATCH (a:Entity {id: row.owner_id})",
    "optional_coalesce": (
        "OPTIONAL MATCH (p:Person {id: row.owner_id}) OPTIONAL MATCH (q:Company {id: row.owner_id})"
        " WITH row, coalesce(p, q) AS a WHERE a IS NOT NULL"
    ),
    "call_union": (
        "CALL { WITH row MATCH (a:Person {id: row.owner_id}) RETURN a"
        " UNION WITH row MATCH (a:Company {id: row.owner_id}) RETURN a }"
    ),
}


@pytest.mark.parametrize("form", OWNER_FORMS)
def test_merge_of_ownership_when_the_owner_may_be_a_person_or_a_company(
    clean_database: Db, form: str
) -> None:
    create_schema(clean_database)
    write(clean_database, "UNWIND range(0, 19) AS i CREATE (:Entity:Person {id: 'p' + i})")
    write(clean_database, UPSERT_COMPANIES, rows=[{"id": f"c{i}"} for i in range(30)])
    rows: list[Row] = [
        {
            "owner_id": f"p{i}",
            "owned_id": f"c{i}",
            "key": f"pk{i}",
            "share": 0.5,
            "since": "2020-01-02",
        }
        for i in range(20)
    ] + [
        {
            "owner_id": f"c{i}",
            "owned_id": f"c{i + 1}",
            "key": f"ck{i}",
            "share": 0.25,
            "since": None,
        }
        for i in range(20, 29)
    ]
    rows.append(
        {"owner_id": "nobody", "owned_id": "c0", "key": "lost", "share": 1.0, "since": None}
    )
    query = (
        f"UNWIND $rows AS row {OWNER_FORMS[form]} "
        "MATCH (b:Company {id: row.owned_id}) "
        "MERGE (a)-[r:OWNS {key: row.key}]->(b) "
        "SET r.share = row.share, r.since = date(row.since)"
    )
    write(clean_database, query, rows=rows)
    write(clean_database, query, rows=rows)  # idempotent
    assert one(clean_database, "MATCH ()-[r:OWNS]->() RETURN count(r) AS n") == 29
    assert read(
        clean_database,
        "MATCH (a)-[r:OWNS]->(b) WHERE r.key IN ['pk3', 'ck21'] "
        "RETURN a.id AS a, b.id AS b, r.share AS share, r.since AS since ORDER BY a",
    ) == [
        {"a": "c21", "b": "c22", "share": 0.25, "since": None},
        {"a": "p3", "b": "c3", "share": 0.5, "since": Date(2020, 1, 2)},
    ]


def test_dates_as_parameters_and_from_iso_strings_compare_and_may_be_null(
    bolt_server: BoltServer, clean_database: Db
) -> None:
    rows = [
        {"id": "s1", "date": date(2023, 5, 17), "iso": None},
        {"id": "s2", "date": None, "iso": "2023-06-01"},
        {"id": "s3", "date": None, "iso": None},
    ]
    write(
        clean_database,
        "UNWIND $rows AS row CREATE (s:Shipment {id: row.id}) "
        "SET s.date = coalesce(row.date, date(row.iso))",
        rows=rows,
    )
    stored = read(clean_database, "MATCH (s:Shipment) RETURN s.id AS id, s.date AS d ORDER BY id")
    assert stored == [
        {"id": "s1", "d": Date(2023, 5, 17)},
        {"id": "s2", "d": Date(2023, 6, 1)},
        {"id": "s3", "d": None},  # date(null) is null, and a null property is not stored
    ]
    assert type(stored[0]["d"]) is Date  # neo4j.time.Date; .to_native() gives datetime.date
    assert stored[0]["d"].to_native() == date(2023, 5, 17)
    after = "MATCH (s:Shipment) WHERE s.date >= date($from) RETURN collect(s.id) AS ids"
    assert one(clean_database, after, **{"from": "2023-05-20"}) == ["s2"]
    since = "MATCH (s:Shipment) WHERE s.date >= $from RETURN s.id AS id ORDER BY s.date"
    assert read(clean_database, since, **{"from": date(2023, 1, 1)}) == [{"id": "s1"}, {"id": "s2"}]
    assert one(clean_database, "MATCH (s:Shipment) WHERE s.date IS NULL RETURN s.id AS id") == "s3"
    assert read(
        clean_database,
        "MATCH (s:Shipment) WITH min(s.date) AS first, max(s.date) AS last "
        "RETURN first, last, toString(last) AS iso, last.year AS year",
    ) == [{"first": Date(2023, 5, 17), "last": Date(2023, 6, 1), "iso": "2023-06-01", "year": 2023}]
    if bolt_server.is_arcadedb:  # a property of an aggregate vanishes: aggregate in WITH first
        assert read(clean_database, "MATCH (s:Shipment) RETURN max(s.date).year AS year") == [{}]
    with pytest.raises(ClientError):  # '' is not a date: turn empty strings into None first
        write(clean_database, "RETURN date($iso) AS d", iso="")


@pytest.mark.usefixtures("arcadedb_only")
def test_arcadedb_drops_the_offset_of_a_stored_datetime_parameter(clean_database: Db) -> None:
    moscow = timezone(timedelta(hours=3))
    write(
        clean_database,
        "CREATE (:Stamp {id: 1, at: $at})",
        at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=moscow),
    )
    [stored] = read(clean_database, "MATCH (s:Stamp) RETURN s.at AS at")
    assert type(stored["at"]) is DateTime
    assert stored["at"].tzinfo is None  # Neo4j keeps +03:00; ArcadeDB keeps the UTC wall time
    assert stored["at"].to_native() == datetime(2024, 1, 2, 0, 4, 5)


def test_labels_set_removed_and_matched_on_a_committed_node_with_relationships(
    bolt_server: BoltServer, clean_database: Db
) -> None:
    create_schema(clean_database)
    write(clean_database, UPSERT_COMPANIES, rows=[{"id": "c1"}, {"id": "c2"}])
    write(
        clean_database,
        "MATCH (a:Company {id: 'c1'}) MATCH (b:Company {id: 'c2'}) "
        "CREATE (a)-[:OWNS {key: 'k'}]->(b)",
    )
    before = one(clean_database, "MATCH (c:Company {id: 'c1'}) RETURN elementId(c) AS e")
    reasons = ["ships to RU", "registered 2022", HOSTILE]
    write(
        clean_database,
        "MATCH (c:Company {id: $id}) SET c:SuspectedIntermediary SET c.reasons = $reasons",
        id="c1",
        reasons=reasons,
    )
    [flagged] = read(
        clean_database,
        "MATCH (n:SuspectedIntermediary) RETURN n.id AS id, n.reasons AS reasons, "
        "size(n.reasons) AS size, labels(n) AS labels",
    )
    assert sorted(flagged.pop("labels")) == ["Company", "Entity", "SuspectedIntermediary"]
    assert flagged == {"id": "c1", "reasons": reasons, "size": 3}
    assert (
        one(clean_database, "MATCH (:SuspectedIntermediary)-[r:OWNS]->() RETURN count(r) AS n") == 1
    )
    after = one(clean_database, "MATCH (c:Company {id: 'c1'}) RETURN elementId(c) AS e")
    if bolt_server.is_arcadedb:  # a label change rewrites the node: new elementId
        assert after != before
    write(clean_database, "MATCH (n:SuspectedIntermediary) REMOVE n:SuspectedIntermediary")
    assert one(clean_database, "MATCH (n:SuspectedIntermediary) RETURN count(n) AS n") == 0
    assert read(clean_database, "MATCH (a)-[:OWNS]->(b) RETURN a.id AS a, b.id AS b") == [
        {"a": "c1", "b": "c2"}
    ]


@pytest.mark.usefixtures("arcadedb_only")
def test_arcadedb_refuses_a_label_change_in_the_transaction_that_created_the_node(
    clean_database: Db,
) -> None:
    """With a unique constraint on the label, the rewritten node collides with itself."""
    create_schema(clean_database)
    with pytest.raises(ConstraintError):
        write(clean_database, "MERGE (c:Company {id: 'x1'}) SET c:SuspectedIntermediary")
    assert one(clean_database, "MATCH (c:Company) RETURN count(c) AS n") == 0  # rolled back
    write(clean_database, "MERGE (c:Company {id: 'x1'})")  # commit first ...
    write(clean_database, "MATCH (c:Company {id: 'x1'}) SET c:SuspectedIntermediary:Checked")
    assert one(clean_database, "MATCH (c:SuspectedIntermediary) RETURN c.id AS id") == "x1"
    with pytest.raises(ConstraintError):  # ... and change its labels once per transaction
        driver, database = clean_database
        with driver.session(database=database) as session:

            def twice(tx: neo4j.ManagedTransaction) -> None:
                tx.run("MATCH (c:Company {id: 'x1'}) REMOVE c:Checked").consume()
                tx.run("MATCH (c:Company {id: 'x1'}) SET c:Reviewed").consume()

            session.execute_write(twice)


GRAPH = """
CREATE (p1:Entity:Person {id: 'p1', name: 'Ivan Petrov'})
CREATE (c1:Entity:Company {id: 'c1', name: 'Alfa LLC', country: 'RU'})
CREATE (c2:Entity:Company {id: 'c2', name: 'Beta TOO', country: 'KZ'})
CREATE (c3:Entity:Company {id: 'c3', name: 'Gamma FZE', country: 'AE'})
CREATE (c4:Entity:Company {id: 'c4', name: 'Alfa Trade GmbH', country: 'RU'})
CREATE (p1)-[:OWNS {key: 'o1', share: 1.0}]->(c1)
CREATE (c1)-[:OWNS {key: 'o2', share: 0.6}]->(c2)
CREATE (c2)-[:OWNS {key: 'o3', share: 0.5}]->(c3)
CREATE (s1:Shipment {id: 's1', exporter_country: 'DE', importer_country: 'KZ'})
CREATE (s2:Shipment {id: 's2', exporter_country: 'KZ', importer_country: 'RU'})
CREATE (s1)-[:SHIPPED_TO]->(c2)
CREATE (c2)-[:EXPORTED]->(s2)
"""

CASES: dict[str, tuple[str, dict[str, Any], list[Row]]] = {
    "coalesce": (
        "MATCH (c:Company {id: $id}) RETURN coalesce(c.vat, c.country, 'none') AS v",
        {"id": "c4"},
        [{"v": "RU"}],
    ),
    "count_distinct_collect": (
        "MATCH (c:Company) WITH count(c) AS n, collect(DISTINCT c.country) AS countries "
        "RETURN n, size(countries) AS distinct_countries",
        {},
        [{"n": 4, "distinct_countries": 3}],
    ),
    "ordered_collect": (
        "MATCH (c:Company) WITH DISTINCT c.country AS country ORDER BY country "
        "RETURN collect(country) AS countries",
        {},
        [{"countries": ["AE", "KZ", "RU"]}],
    ),
    "optional_match": (
        "MATCH (c:Company) OPTIONAL MATCH (o:Entity)-[:OWNS]->(c) "
        "RETURN c.id AS id, collect(o.id) AS owners, count(o) AS n ORDER BY id",
        {},
        [
            {"id": "c1", "owners": ["p1"], "n": 1},
            {"id": "c2", "owners": ["c1"], "n": 1},
            {"id": "c3", "owners": ["c2"], "n": 1},
            {"id": "c4", "owners": [], "n": 0},
        ],
    ),
    "variable_length_path": (
        "MATCH p = (o:Person {id: $id})-[:OWNS*1..10]->(c:Company) "
        "RETURN c.id AS id, length(p) AS depth, [n IN nodes(p) | n.id] AS chain, "
        "round(reduce(s = 1.0, r IN relationships(p) | s * r.share), 4) AS effective "
        "ORDER BY depth",
        {"id": "p1"},
        [
            {"id": "c1", "depth": 1, "chain": ["p1", "c1"], "effective": 1.0},
            {"id": "c2", "depth": 2, "chain": ["p1", "c1", "c2"], "effective": 0.6},
            {"id": "c3", "depth": 3, "chain": ["p1", "c1", "c2", "c3"], "effective": 0.3},
        ],
    ),
    "unwind_nested_maps": (
        "UNWIND $rows AS row UNWIND row.items AS item "
        "RETURN row.id AS id, item.k AS k, item.v AS v, row.meta.source AS source",
        {
            "rows": [
                {
                    "id": "x",
                    "meta": {"source": "egrul"},
                    "items": [{"k": "a", "v": 1}, {"k": "b", "v": [1, 2]}],
                },
                {"id": "y", "meta": {}, "items": []},
            ]
        },
        [
            {"id": "x", "k": "a", "v": 1, "source": "egrul"},
            {"id": "x", "k": "b", "v": [1, 2], "source": "egrul"},
        ],
    ),
    "return_map": (
        "MATCH (o)-[r:OWNS]->(c:Company {id: $id}) "
        "RETURN {company: c.id, owner: {id: o.id, company: o:Company}, share: r.share} AS m",
        {"id": "c2"},
        [{"m": {"company": "c2", "owner": {"id": "c1", "company": True}, "share": 0.6}}],
    ),
    "call_subquery_importing_with": (
        "MATCH (c:Company) "
        "CALL { WITH c OPTIONAL MATCH (c)-[r:OWNS]->() RETURN count(r) AS owned } "
        "RETURN c.id AS id, owned ORDER BY id",
        {},
        [
            {"id": "c1", "owned": 1},
            {"id": "c2", "owned": 1},
            {"id": "c3", "owned": 0},
            {"id": "c4", "owned": 0},
        ],
    ),
    "call_subquery_scoped": (  # Neo4j 5.23+ syntax
        "MATCH (c:Company) CALL (c) { OPTIONAL MATCH (c)-[r:OWNS]->() RETURN count(r) AS owned } "
        "RETURN c.id AS id, owned ORDER BY id",
        {},
        [
            {"id": "c1", "owned": 1},
            {"id": "c2", "owned": 1},
            {"id": "c3", "owned": 0},
            {"id": "c4", "owned": 0},
        ],
    ),
    "either_direction_of_two_types": (  # as in cypher/read_shipments.cypher
        "UNWIND $ids AS id MATCH (:Company {id: id})-[:EXPORTED|SHIPPED_TO]-(s:Shipment) "
        "RETURN DISTINCT s.id AS id ORDER BY id",
        {"ids": ["c2", "c1"]},
        [{"id": "s1"}, {"id": "s2"}],
    ),
    "match_on_a_property_of_an_earlier_node": (  # as in cypher/read_same_address.cypher
        "MATCH (c:Company {id: $id}) MATCH (other:Company {country: c.country}) "
        "WHERE other.id <> c.id RETURN other.id AS id",
        {"id": "c1"},
        [{"id": "c4"}],
    ),
    "call_union": (
        "MATCH (c:Company {id: $id}) CALL { "
        "WITH c MATCH (c)<-[:SHIPPED_TO]-(s:Shipment) "
        "WHERE s.exporter_country IN $suppliers RETURN s "
        "UNION WITH c MATCH (c)-[:EXPORTED]->(s:Shipment) "
        "WHERE s.importer_country IN $buyers RETURN s "
        "} RETURN DISTINCT s.id AS id ORDER BY id",
        {"id": "c2", "suppliers": ["DE"], "buyers": ["RU"]},
        [{"id": "s1"}, {"id": "s2"}],
    ),
    "exists_subquery": (  # as in cypher/find_candidates.cypher
        "MATCH (c:Company) WHERE c.country IN $via "
        "AND EXISTS { MATCH (c)<-[:SHIPPED_TO]-(s:Shipment) "
        "WHERE s.exporter_country IN $suppliers } "
        "AND EXISTS { MATCH (c)-[:EXPORTED]->(s:Shipment) WHERE s.importer_country IN $buyers } "
        "RETURN c.id AS id",
        {"via": ["KZ", "AE"], "suppliers": ["DE"], "buyers": ["RU"]},
        [{"id": "c2"}],
    ),
    "count_subquery": (
        "MATCH (c:Company) RETURN c.id AS id, COUNT { (c)<-[:OWNS]-() } AS owners ORDER BY id",
        {},
        [
            {"id": "c1", "owners": 1},
            {"id": "c2", "owners": 1},
            {"id": "c3", "owners": 1},
            {"id": "c4", "owners": 0},
        ],
    ),
    "in_list_and_starts_with": (
        "MATCH (c:Company) WHERE c.country IN $countries AND c.name STARTS WITH $prefix "
        "RETURN c.id AS id ORDER BY id",
        {"countries": ["RU", "KZ"], "prefix": "Alfa"},
        [{"id": "c1"}, {"id": "c4"}],
    ),
    "size_of_strings_and_lists": (
        "MATCH (c:Company {id: $id}) RETURN size(c.name) AS chars, size($reasons) AS reasons",
        {"id": "c2", "reasons": ["a", "b", "c"]},
        [{"chars": 8, "reasons": 3}],
    ),
    "aggregate_then_filter": (
        "MATCH (o:Entity)-[:OWNS]->(c:Company) WITH o, count(c) AS n WHERE n >= 1 "
        "RETURN o.id AS id, n ORDER BY id SKIP 1 LIMIT 2",
        {},
        [{"id": "c2", "n": 1}, {"id": "p1", "n": 1}],
    ),
    "case_and_list_predicates": (
        "RETURN any(r IN $reasons WHERE r STARTS WITH 'trade') AS any_trade, "
        "CASE WHEN size($reasons) > 1 THEN 'many' ELSE 'one' END AS how_many",
        {"reasons": ["trade via KZ", "new firm"]},
        [{"any_trade": True, "how_many": "many"}],
    ),
    "nodes_per_label": (  # as in cypher/count_nodes.cypher
        "MATCH (n) UNWIND labels(n) AS kind RETURN kind, count(*) AS n ORDER BY kind",
        {},
        [
            {"kind": "Company", "n": 4},
            {"kind": "Entity", "n": 5},
            {"kind": "Person", "n": 1},
            {"kind": "Shipment", "n": 2},
        ],
    ),
    "relationships_per_type": (
        "MATCH ()-[r]->() RETURN type(r) AS kind, count(*) AS n ORDER BY kind",
        {},
        [{"kind": "EXPORTED", "n": 1}, {"kind": "OWNS", "n": 3}, {"kind": "SHIPPED_TO", "n": 1}],
    ),
    "properties_as_a_map": (
        "UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN properties(e) AS row",
        {"ids": ["c3", "p1"]},
        [
            {"row": {"id": "c3", "name": "Gamma FZE", "country": "AE"}},
            {"row": {"id": "p1", "name": "Ivan Petrov"}},
        ],
    ),
}


@pytest.fixture
def small_graph(clean_database: Db) -> Db:
    write(clean_database, GRAPH)
    return clean_database


@pytest.mark.parametrize("case", CASES)
def test_cypher_that_netscan_uses(small_graph: Db, case: str) -> None:
    query, params, expected = CASES[case]
    assert read(small_graph, query, **params) == expected


def test_a_hostile_string_round_trips_intact_as_a_parameter(clean_database: Db) -> None:
    write(clean_database, "CREATE (:Company {id: 'other'})")
    write(
        clean_database,
        "MERGE (c:Company {id: $value}) SET c.name = $value, c.aka = [$value]",
        value=HOSTILE,
    )
    write(clean_database, "MERGE (c:Company {id: $value}) SET c.name = $value", value=HOSTILE)
    assert read(
        clean_database,
        "MATCH (c:Company {id: $value}) RETURN c.name AS n, c.aka AS aka",
        value=HOSTILE,
    ) == [{"n": HOSTILE, "aka": [HOSTILE]}]
    assert one(clean_database, "MATCH (n) RETURN count(n) AS n") == 2


def test_a_batch_over_16_mib_goes_through(clean_database: Db) -> None:
    rows = [f"{i:04d}" + "x" * (2**20) for i in range(17)]  # 17 MiB in one Bolt message
    answer: list[Row] = []
    worker = threading.Thread(
        target=lambda: answer.extend(
            read(
                clean_database,
                "UNWIND $rows AS row RETURN count(row) AS n, sum(size(row)) AS chars",
                rows=rows,
            )
        ),
        daemon=True,  # without bolt_maxMessageSize raised, ArcadeDB never answers at all
    )
    worker.start()
    worker.join(timeout=60)
    assert answer == [{"n": 17, "chars": 17 * (2**20 + 4)}], "is bolt_maxMessageSize raised?"


def test_a_failed_transaction_rolls_back_the_whole_batch(clean_database: Db) -> None:
    create_schema(clean_database)
    rows = [{"id": "a"}, {"id": "b"}, {"id": "a"}]
    with pytest.raises(ConstraintError):
        write(clean_database, "UNWIND $rows AS row CREATE (:Company {id: row.id})", rows=rows)
    driver, database = clean_database

    def half_then_fail(tx: neo4j.ManagedTransaction) -> None:
        tx.run("CREATE (:Company {id: 'c'})").consume()
        raise RuntimeError("the loader failed mid-batch")

    with driver.session(database=database) as session, pytest.raises(RuntimeError):
        session.execute_write(half_then_fail)
    assert one(clean_database, "MATCH (n) RETURN count(n) AS n") == 0


def test_errors_arrive_fast_and_as_the_neo4j_driver_classes(
    bolt_server: BoltServer, neo4j_driver: neo4j.Driver
) -> None:
    def connect(uri: str, password: str, **settings: Any) -> None:
        with neo4j.GraphDatabase.driver(uri, auth=(bolt_server.user, password), **settings) as d:
            d.verify_connectivity()

    began = time.perf_counter()
    with pytest.raises(AuthError) as refused:
        connect(bolt_server.uri, "wrong-password")
    assert refused.value.code == "Neo.ClientError.Security.Unauthorized"
    assert time.perf_counter() - began < 5

    began = time.perf_counter()
    with (
        pytest.raises(ClientError) as missing,
        neo4j_driver.session(database="no_such_database") as session,
    ):
        session.run("RETURN 1").consume()
    assert missing.value.code == "Neo.ClientError.Database.DatabaseNotFound"
    assert time.perf_counter() - began < 5

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nobody = probe.getsockname()[1]  # closed again below: nothing listens there
    began = time.perf_counter()
    with pytest.raises(ServiceUnavailable):
        connect(f"bolt://127.0.0.1:{nobody}", "x")
    assert time.perf_counter() - began < 5

    # A port that accepts but never answers: connection_timeout does not cover the handshake,
    # connection_acquisition_timeout does (60 s by default).
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        began = time.perf_counter()
        with pytest.raises(ServiceUnavailable):
            connect(
                f"bolt://127.0.0.1:{silent.getsockname()[1]}", "x", connection_acquisition_timeout=1
            )
        assert time.perf_counter() - began < 5

    db = (neo4j_driver, bolt_server.database)
    with pytest.raises(CypherSyntaxError) as syntax:
        read(db, "MATCH (n RETURN n")
    assert syntax.value.code == "Neo.ClientError.Statement.SyntaxError"
    with pytest.raises(ClientError) as unbound:
        read(db, "RETURN $missing AS m")
    assert unbound.value.code == "Neo.ClientError.Statement.ParameterMissing"


@pytest.fixture
def retrying_driver(private_arcadedb: BoltServer) -> Iterator[neo4j.Driver]:
    driver = private_arcadedb.driver(max_transaction_retry_time=60.0)
    try:
        yield driver
    finally:
        driver.close()


def test_a_killed_server_keeps_what_was_committed_and_the_driver_recovers(
    bolt_server: BoltServer,
    neo4j_driver: neo4j.Driver,
    private_arcadedb: BoltServer,
    retrying_driver: neo4j.Driver,
) -> None:
    server, driver = private_arcadedb, retrying_driver
    db = (driver, server.database)
    # Two servers at once, each on its own ports.
    assert read((neo4j_driver, bolt_server.database), "RETURN 1 AS x") == [{"x": 1}]
    assert server.uri != bolt_server.uri
    write(db, "UNWIND range(1, 100) AS i CREATE (:Kept {id: i})")

    session = driver.session(database=server.database)
    tx = session.begin_transaction()
    tx.run("UNWIND range(1, 50) AS i CREATE (:Lost {id: i})").consume()
    server.kill()
    with pytest.raises((ServiceUnavailable, SessionExpired)):
        tx.run("RETURN 1").consume()
        tx.commit()
    for close in (tx.close, session.close):
        with contextlib.suppress(ServiceUnavailable, SessionExpired):
            close()

    began = time.perf_counter()
    with pytest.raises(ServiceUnavailable), driver.session(database=server.database) as down:
        down.run("RETURN 1").consume()  # an auto-commit query is not retried
    assert time.perf_counter() - began < 5

    failures: list[BaseException] = []

    def restart() -> None:
        try:
            server.start()  # same folder, same ports
        except BaseException as error:
            failures.append(error)

    restarter = threading.Thread(target=restart)
    restarter.start()
    try:  # a managed transaction retries until the server is back
        counts = read(
            db,
            "MATCH (k:Kept) WITH count(k) AS kept "
            "OPTIONAL MATCH (l:Lost) RETURN kept, count(l) AS lost",
        )
    finally:
        restarter.join()
    assert not failures, failures
    assert counts == [{"kept": 100, "lost": 0}]
    write(db, "CREATE (:Kept {id: 101})")
    assert one(db, "MATCH (k:Kept) RETURN count(k) AS n") == 101
    print(f"\nArcadeDB started again in {server.start_seconds:.1f} s")
    assert "not closed properly" in server.log_tail(20_000)

    assert server.stop() == 0
    with socket.socket() as client:
        assert client.connect_ex(("127.0.0.1", server.bolt_port)) != 0  # nothing listens now

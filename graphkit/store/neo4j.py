"""Neo4j as the store: load a dataset, read back what the analysis needs, write findings back.

Library functions take a ``neo4j.Driver`` and a database name; the CLI builds the driver from
the settings (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE) and closes it.
Every statement is a file of ``cypher/`` run through ``graphkit.store.cypher``: values travel
as parameters, writes go in batches of ``UNWIND $rows`` inside managed transactions, so a
batch that fails is retried or rolled back whole, and loading again changes nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

import neo4j
import pandas as pd
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConfigurationError,
    Neo4jError,
    ServiceUnavailable,
)

from graphkit import settings
from graphkit.analysis.intermediaries import Criteria, Finding
from graphkit.dataset import Dataset
from graphkit.errors import Neo4jUnavailable, NetscanError
from graphkit.model import (
    COMPANY,
    DIRECTS,
    OFFICERS,
    OWNERSHIP,
    OWNS,
    PERSON,
    SANCTION,
    SHIPMENT,
    EdgeKind,
    NodeKind,
    Table,
)
from graphkit.resolve.names import address_keys
from graphkit.settings import INVASION_DATE
from graphkit.store.cypher import query
from graphkit.store.rows import batches, node_table, records, stable_key, table_frame

log = logging.getLogger(__name__)

BATCH_SIZE = settings.NEO4J_BATCH_SIZE
Progress = Callable[[str, int, int], None]  # (what, done, total)


def open_driver(uri: str, user: str, password: str | None, **options: Any) -> neo4j.Driver:
    """A driver that has shown it can connect; a clear Neo4jUnavailable otherwise.

    ``options`` go to the driver (e.g. ``max_transaction_retry_time``, how long a managed
    transaction is retried while the server is unavailable; 30 s by default).
    """
    shown = _without_credentials(uri)
    if shown != uri:
        raise Neo4jUnavailable(
            f"the Neo4j URI '{shown}' carries a user name or password; give them in "
            "NEO4J_USERNAME and NEO4J_PASSWORD instead"
        )
    try:
        driver = neo4j.GraphDatabase.driver(
            uri,
            auth=(user, password or ""),
            connection_timeout=10,
            # a port that accepts but never answers would otherwise hang for a minute
            connection_acquisition_timeout=30,
            **options,
        )
    except (ValueError, ConfigurationError) as error:  # a malformed URI
        raise Neo4jUnavailable(f"'{uri}' is not a Neo4j URI ({error})") from None
    try:
        driver.verify_connectivity()
    except AuthError:
        driver.close()
        raise Neo4jUnavailable(
            f"Neo4j at {uri} refused user '{user}': wrong user name or password "
            "(set NEO4J_USERNAME and NEO4J_PASSWORD)"
        ) from None
    except (ServiceUnavailable, OSError) as error:
        driver.close()
        raise Neo4jUnavailable(
            f"no Neo4j server answers at {uri} ({type(error).__name__}); start it or fix NEO4J_URI"
        ) from None
    return driver


def _without_credentials(uri: str) -> str:
    """The URI with any ``user:password@`` taken out, safe to print."""
    return re.sub(r"(?<=://)[^/@]*@", "", uri)


def _run(tx: neo4j.ManagedTransaction, name: str, **params: Any) -> list[dict[str, Any]]:
    q = query(name)
    q.check(params)
    result: list[dict[str, Any]] = []
    for statement in q.statements:
        result = tx.run(statement, params).data()
    return result


class _Session:
    """A session on one database that turns driver errors into netscan's."""

    def __init__(self, driver: neo4j.Driver, database: str) -> None:
        self.driver, self.database = driver, database

    def write(self, name: str, **params: Any) -> list[dict[str, Any]]:
        return self._call(lambda s: s.execute_write(_run, name, **params))

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        return self._call(lambda s: s.execute_read(_run, name, **params))

    def write_all(self, steps: list[tuple[str, dict[str, Any]]]) -> None:
        """Several queries in one transaction: all of them happen, or none."""

        def work(tx: neo4j.ManagedTransaction) -> None:
            for name, params in steps:
                _run(tx, name, **params)

        self._call(lambda s: s.execute_write(work))

    def _call(self, work: Callable[[neo4j.Session], Any]) -> Any:
        try:
            with self.driver.session(database=self.database) as session:
                return work(session)
        except ClientError as error:
            if error.code and "DatabaseNotFound" in error.code:
                raise Neo4jUnavailable(
                    f"the database '{self.database}' does not exist on the server; "
                    "create it or set NEO4J_DATABASE"
                ) from None
            raise
        except ServiceUnavailable as error:
            raise Neo4jUnavailable(f"the Neo4j server went away ({error})") from None


def create_schema(driver: neo4j.Driver, database: str) -> None:
    """Constraints and indexes; they must exist before the first MERGE to keep loads fast."""
    session = _Session(driver, database)
    for statement in query("schema").statements:
        try:  # schema changes run as auto-commit statements, one each
            session._call(partial(_auto_commit, statement))
        except Neo4jError as error:  # an older server without IF NOT EXISTS, or an equivalent
            log.warning("schema statement not applied (%s): %s", error.code, statement)


def _auto_commit(statement: str, session: neo4j.Session) -> None:
    session.run(statement).consume()


@dataclass
class LoadCounts:
    rows: dict[str, int] = field(default_factory=dict)  # what -> rows sent

    def add(self, what: str, count: int) -> None:
        self.rows[what] = self.rows.get(what, 0) + count


def load_dataset(
    driver: neo4j.Driver,
    database: str,
    dataset: Dataset,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> LoadCounts:
    """Create or update every node and relationship of ``dataset``; idempotent.

    Loading the same data twice changes nothing; loading a newer extract updates the
    properties that changed (a value that became blank is removed).
    """
    create_schema(driver, database)
    session = _Session(driver, database)
    counts = LoadCounts()
    plan: list[tuple[str, str, list[dict[str, Any]]]] = [
        ("companies", "load_companies", _node_rows(dataset, COMPANY)),
        ("persons", "load_persons", _node_rows(dataset, PERSON)),
        ("shipments", "load_shipments", _node_rows(dataset, SHIPMENT)),
        ("shipment links", "link_shipments", _shipment_links(dataset)),
        ("ownership links", "load_owns", _edge_rows(dataset, OWNS)),
        ("officer records", "load_directs", _edge_rows(dataset, DIRECTS)),
        ("sanctions entries", "load_sanctions", _sanction_rows(dataset)),
    ]
    for what, name, rows in plan:
        for batch in batches(rows, batch_size):
            session.write(name, rows=batch)
            counts.add(what, len(batch))
            if progress:
                progress(what, counts.rows[what], len(rows))
    return counts


def _node_rows(dataset: Dataset, kind: NodeKind) -> list[dict[str, Any]]:
    frame = node_table(dataset, kind)
    return records(frame[[c for c in kind.properties if c in frame.columns]])


def _shipment_links(dataset: Dataset) -> list[dict[str, Any]]:
    return records(dataset.shipments[["id", "exporter_key", "importer_key"]])


def _edge_rows(dataset: Dataset, kind: EdgeKind) -> list[dict[str, Any]]:
    """Relationship rows keyed by their content, so that reloading merges instead of adding."""
    frame = getattr(dataset, kind.table.name)
    keys = stable_key(frame, [kind.start, kind.end, *kind.key])
    props = records(frame[list(kind.properties)])
    return [
        {"key": key, "start": start, "end": end, "props": p}
        for key, start, end, p in zip(keys, frame[kind.start], frame[kind.end], props, strict=True)
    ]


def _sanction_rows(dataset: Dataset) -> list[dict[str, Any]]:
    frame = dataset.sanctions
    columns = [c for c in SANCTION.properties if c in frame.columns]
    rows = records(frame[columns])
    keys = stable_key(frame, ["entity_id", "name", "program", "listed_on"])
    return [row | {"key": key} for row, key in zip(rows, keys, strict=True)]


def read_candidates(driver: neo4j.Driver, database: str, criteria: Criteria) -> Dataset:
    """The part of the graph that find_intermediaries needs, selected on the server.

    find_intermediaries, and the red flags it measures (``compute_indicators`` with the options
    in ``criteria``), give the same results for the candidate firms (``find_candidates``) on
    this part as on the whole graph. What crosses the wire, and what needs it:

    - every declaration the candidates exported or imported (their trade; sanctioned
      counterparties); with ``max_hops`` > 1, those of the firms they trade with outside the
      supplier and buyer countries, ``max_hops`` - 1 steps on (chains of transit firms);
    - the declarations before the invasion from their suppliers since then to linked importers
      in buyer countries (supplier redirection);
    - the ownership chains above the candidates, whole, and two levels above their buyers;
    - the officers of the candidates, of the companies above them, of their buyers and of the
      buyers' direct owners; every company the candidates' officers direct (same officer);
    - the companies registered since the invasion at a candidate's address (same address,
      matched on the ``address_key`` stored at load);
    - the sanctions list, and every person and company that a row above names.

    Each table keeps its rows in file order, as the embedded load gives them.
    """
    session = _Session(driver, database)
    candidates = _find_candidates(session, criteria)
    ours = set(candidates)
    shipments = _shipments_around(session, candidates, criteria)
    trade = table_frame(shipments, SHIPMENT)
    since_invasion = trade["date"] >= pd.Timestamp(INVASION_DATE)
    supplied = trade["importer_key"].isin(ours) & trade["exporter_country"].isin(criteria.suppliers)
    history = _read_in_batches(
        session,
        "read_supplier_history",
        _ids(trade.loc[supplied & since_invasion, "exporter_key"]),
        buyers=sorted(criteria.buyers),
        before=INVASION_DATE,
    )
    shipments += [r["row"] for r in history]
    sold = trade["exporter_key"].isin(ours) & trade["importer_country"].isin(criteria.buyers)
    buyers = set(trade.loc[sold, "importer_key"].dropna())
    above = _holdings_above(session, candidates)
    above_buyers = _holdings_above(session, buyers, levels=2)
    buyer_owners = {r["owner_id"] for r in above_buyers if r["owned_id"] in buyers}
    directed = ours | {r["owner_id"] for r in above} | buyers | buyer_owners
    officers = _read_in_batches(session, "read_officers", sorted(directed))
    people = sorted({r["person_id"] for r in officers if r["company_id"] in ours})
    officers += _read_in_batches(session, "read_directorships", people)
    neighbours = _read_in_batches(session, "read_same_address", candidates, since=INVASION_DATE)
    sanctions = [r["row"] for r in session.read("read_sanctions")]
    holdings = above + above_buyers
    ids = ours | {r["id"] for r in neighbours} | {r.get("entity_id") for r in sanctions}
    ids |= {s.get(key) for s in shipments for key in ("exporter_key", "importer_key")}
    ids |= {r[key] for r in holdings for key in ("owner_id", "owned_id")}
    ids |= {r[key] for r in officers for key in ("person_id", "company_id")}
    entities = _read_in_batches(session, "read_entities", sorted(i for i in ids if i is not None))
    companies = _table([e["row"] for e in entities if "Company" in e["labels"]], COMPANY)
    _check_address_keys(companies, database)
    return Dataset(
        companies=companies,
        persons=_table([e["row"] for e in entities if "Person" in e["labels"]], PERSON),
        ownership=_table(holdings, OWNERSHIP),
        officers=_table(officers, OFFICERS),
        shipments=_table(shipments, SHIPMENT),
        sanctions=_table(sanctions, SANCTION),
        source=f"Neo4j database {database}",
    )


def _find_candidates(session: _Session, criteria: Criteria) -> list[str]:
    suppliers, buyers = sorted(criteria.suppliers), sorted(criteria.buyers)
    if criteria.include_partial:
        found = session.read("find_candidates_all", suppliers=suppliers, buyers=buyers,
                             endpoints=sorted(criteria.suppliers | criteria.buyers))  # fmt: skip
    else:
        found = session.read("find_candidates", via=sorted(criteria.via), suppliers=suppliers,
                             buyers=buyers, registered_after=criteria.registered_after)  # fmt: skip
    return sorted(r["id"] for r in found)


def _shipments_around(
    session: _Session, firms: list[str], criteria: Criteria
) -> list[dict[str, Any]]:
    """Every declaration of ``firms``, then of their transit counterparties, max_hops - 1 times.

    A transit counterparty is a registry firm declared outside the supplier and buyer
    countries: the next link of a chain of transit firms (``indicators._paths``).
    """
    ends = criteria.suppliers | criteria.buyers
    found = [r["row"] for r in _read_in_batches(session, "read_shipments", firms)]
    shipments, seen = list(found), set(firms)
    for _ in range(criteria.max_hops - 1):
        step = table_frame(found, SHIPMENT)
        transit = set(_ids(step.loc[~step["exporter_country"].isin(ends), "exporter_key"]))
        transit |= set(_ids(step.loc[~step["importer_country"].isin(ends), "importer_key"]))
        frontier = sorted(transit - seen)
        seen.update(frontier)
        found = [r["row"] for r in _read_in_batches(session, "read_shipments", frontier)]
        shipments += found
    return shipments


def _ids(values: pd.Series) -> list[str]:
    return sorted(set(values.dropna()))


def _table(rows: list[dict[str, Any]], kind: NodeKind | Table) -> pd.DataFrame:
    """Rows that several reads may have returned, each once and in file order."""
    unique = {(row.get("file") or "", row["line"]): row for row in rows}
    return table_frame([unique[record] for record in sorted(unique)], kind)


def _check_address_keys(companies: pd.DataFrame, database: str) -> None:
    """Same-address firms are found by the stored address_key: it must be today's key.

    A graph loaded by an older netscan has none; "" and a missing key are alike (neo4j-admin
    imports an empty field as no property).
    """
    stored = companies["address_key"].fillna("")
    stale = stored != address_keys(companies["address"]).fillna("")
    if stale.any():
        raise NetscanError(
            f"the Company nodes of Neo4j database {database} have no address_key, or an "
            f"outdated one (company {companies.loc[stale, 'id'].iloc[0]}): they were loaded by "
            "an older netscan; run netscan load again, which updates it and changes nothing else"
        )


def _read_in_batches(
    session: _Session, name: str, ids: list[str], **params: Any
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for start in range(0, len(ids), BATCH_SIZE):
        rows += session.read(name, ids=ids[start : start + BATCH_SIZE], **params)
    return rows


def _holdings_above(
    session: _Session, firms: Iterable[str], levels: int | None = None
) -> list[dict[str, Any]]:
    """Holdings level by level up the chains, ended ones too: every level, or ``levels``."""
    seen = set(firms)
    frontier = sorted(seen)
    holdings: list[dict[str, Any]] = []
    level = 0
    while frontier and level != levels:
        found = _read_in_batches(session, "read_holdings", frontier)
        holdings += found
        frontier = sorted({r["owner_id"] for r in found} - seen)
        seen.update(frontier)
        level += 1
    return holdings


def write_findings(
    driver: neo4j.Driver, database: str, findings: list[Finding], run_on: date
) -> None:
    """Replace the previous run's Finding nodes with this run's, in one transaction.

    Findings are nodes of their own, (:Finding)-[:FLAGS]->(:Company), rather than a label on
    the company: an investigator sees score and reasons in Neo4j Browser, and ArcadeDB (the
    test server) cannot add and remove labels of a node within one transaction.
    """
    rows = [
        {
            "id": f.id,
            "name": f.name,
            "score": round(f.score, 2),
            "red_flag_score": round(f.red_flags.score, 2) if f.red_flags else 0.0,
            "red_flags": list(f.red_flags.scored) if f.red_flags else [],
            "russian_share": round(f.russian_share, 2),
            "reasons": f.reasons,
            "failed": f.failed,
            "flagged": f.flagged,
        }
        for f in findings
    ]
    _Session(driver, database).write_all(
        [("clear_findings", {}), ("write_findings", {"findings": rows, "run_on": run_on})]
    )


def graph_counts(driver: neo4j.Driver, database: str) -> dict[str, int]:
    """Nodes per label and relationships per type, for load reports and tests."""
    session = _Session(driver, database)
    rows = session.read("count_nodes") + session.read("count_relationships")
    return {r["kind"]: r["n"] for r in rows}

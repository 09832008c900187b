"""Network maps of findings for journalists: HTML pages that work offline in any browser.

Every map is a NetworkX graph first (``finding_graph``, ``overview_graph``,
``neighbourhood_graph``), so that the Gephi exports show what the maps show:

- ``finding_map``: one intermediary with its EU suppliers (left), Russian buyers (right), its
  Russian owners and the holdings between them (above) and its directors (below);
- ``overview_map``: all findings in one map, a party shared by several findings drawn once;
- ``neighbourhood_map``: any firm or person and everything linked to it by ownership,
  directorships and shipments, up to ``depth`` steps away.

pyvis holds the vis-network nodes, edges and options and renders them into netscan's own
page template. pyvis' template loads vis-network and Bootstrap from CDNs (even with
``cdn_resources="local"``), so its pages draw nothing offline and tell a CDN which firms a
journalist is looking at. The template here inlines vis-network, links nothing, embeds the
data as escaped JSON, and carries a Content-Security-Policy that forbids every request and
every script but its own.

Positions are computed here and physics is off: vis' force layout takes minutes beyond a few
hundred nodes, and a fixed layout draws the same picture every time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import pandas as pd
from markupsafe import Markup
from pyvis.network import Network

from graphkit.analysis.intermediaries import Finding
from graphkit.dataset import Dataset, as_date, as_text
from graphkit.errors import OptionError
from graphkit.report.files import write_atomically
from graphkit.report.policy import content_security_policy
from graphkit.resolve.names import TRANSLITERATE
from graphkit.settings import EU_MEMBERS

log = logging.getLogger(__name__)

ASSETS = Path(__file__).parent / "assets"

# Beyond this many nodes a map is aggregated: thousands of labels are unreadable, and vis
# slows down. Exports for Gephi are never aggregated.
MAX_MAP_NODES = 2000

# Edge kinds, also the edge keys of the graphs (one edge per kind between two parties).
GOODS, OWNS, DIRECTS = "goods", "owns", "directs"

# Node kinds: a registry firm, a registry person, a party named only on customs declarations,
# or a group of parties drawn as one node when a map is aggregated.
COMPANY, PERSON, UNLINKED, GROUP = "company", "person", "unlinked", "group"

LAYERED, RADIAL = "layered", "radial"


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    color: str


# Paul Tol's colour-blind-safe "light" scheme, made for boxes with dark text in them; red is
# kept for the outline of sanctioned parties. The order is the priority when a party has two
# roles on one map: an owner who also directs the firm is drawn as an owner.
ROLES: dict[str, Role] = {
    role.key: role
    for role in (
        Role("intermediary", "Intermediary under suspicion", "#EE8866"),
        Role("focus", "The firm or person this map is centred on", "#EE8866"),
        Role("owner", "Owner (person)", "#44BB99"),
        Role("holding", "Owning company (holding)", "#99DDFF"),
        Role("supplier", "EU supplier", "#77AADD"),
        Role("buyer", "Russian buyer", "#FFAABB"),
        Role("eu_firm", "Firm in the EU", "#77AADD"),
        Role("ru_firm", "Firm in Russia", "#FFAABB"),
        Role("director", "Director or officer", "#EEDD88"),
        Role("other", "Other firm", "#DDDDDD"),
    )
}
SANCTIONED_COLOR = "#D40000"
TEXT_COLOR = "#1A202C"
EDGE_COLORS = {GOODS: "#4A5568", OWNS: "#1D6996", DIRECTS: "#8C6D1F"}
# Labels inside the shapes, so that lines end at the outline and never run through a name.
SHAPES = {COMPANY: "box", PERSON: "ellipse", UNLINKED: "box", GROUP: "database"}

# Layout, in vis pixels.
ROW = 160  # between ownership levels
SLOT = 240  # between parties side by side
STACK = 100  # between suppliers (or buyers) in their column
COLUMN_GAP = 460  # from the firms in the middle to the supplier and buyer columns
PANEL_BANDS = 6  # an overview of up to this many findings is one column of firms
RING = 280  # between the rings of a neighbourhood map
ARC = 210  # room for one party on a ring

NODE_FIELDS = (
    "kind", "name", "label", "latin", "registry_id", "country", "registered_on",
    "registered_source", "registration_number", "address", "sanctions", "notes",
)  # fmt: skip


def latin(text: str) -> str:
    """``text`` with Russian and Kazakh Cyrillic in Latin letters, case kept, for readers of
    Latin script. Uses the one transliteration table of ``graphkit.resolve.names``.

    >>> latin("ТОО «Степь Электроникс»")
    'TOO «Step Elektroniks»'
    """
    return re.sub(r"\w+", _latin_word, text)


def _latin_word(match: re.Match[str]) -> str:
    word = match.group(0)
    letters = "".join(
        letter.lower().translate(TRANSLITERATE).capitalize()
        if letter.isupper()
        else letter.translate(TRANSLITERATE)
        for letter in word
    )
    return letters.upper() if len(word) > 1 and word.isupper() else letters


# --- graphs ------------------------------------------------------------------------------


def finding_graph(finding: Finding, dataset: Dataset) -> nx.MultiDiGraph:
    """The parties of one finding and the links the finding rests on.

    Nodes are the firm (role ``intermediary``), its suppliers and buyers, the owners and
    holdings of each ownership chain and its directors; edges are goods flows (key ``goods``,
    supplier -> firm -> buyer, with shipment count, value and HS codes), holdings (``owns``,
    owner -> owned, with the share and the file and line of each record) and directorships
    (``directs``). Attributes are plain strings and numbers.
    """
    return overview_graph([finding], dataset)


def overview_graph(findings: Sequence[Finding], dataset: Dataset) -> nx.MultiDiGraph:
    """``finding_graph`` of every finding, merged: a party of several findings is one node."""
    registry = _Registry.of(dataset, {i for f in findings for i in _finding_ids(f)})
    shipments = _ShipmentFacts.of(dataset, findings)
    graph = nx.MultiDiGraph(layout=LAYERED, source=dataset.source)
    for order, finding in enumerate(findings):
        _add_finding(graph, finding, order, registry, shipments)
    return graph


def _finding_ids(finding: Finding) -> Iterable[str]:
    yield finding.id
    for owner in finding.owners:
        for link in owner["chain"]:
            yield from (link["owner_id"], link["owned_id"])
    yield from (director["id"] for director in finding.directors)
    yield from (p["id"] for p in finding.suppliers + finding.buyers if p["id"] is not None)


def _add_finding(
    graph: nx.MultiDiGraph,
    finding: Finding,
    order: int,
    registry: _Registry,
    shipments: _ShipmentFacts,
) -> None:
    firm = finding.id
    _add_party(graph, firm, "intermediary", registry.attributes(firm, finding.name))
    graph.nodes[firm]["order"] = min(order, graph.nodes[firm].get("order", order))
    _add_note(graph, firm, _finding_note(finding))
    for owner in finding.owners:
        for link in owner["chain"]:
            top, owned = link["owner_id"], link["owned_id"]
            _add_party(
                graph, top, _owner_role(registry, top), registry.attributes(top, link["owner_name"])
            )
            _add_party(graph, owned, "holding", registry.attributes(owned, link["owned_name"]))
            _add_holding(graph, top, owned, link["share"], _holding_record(link))
        _add_note(graph, owner["id"], _owner_note(owner, finding))
    for director in finding.directors:
        person = director["id"]
        _add_party(graph, person, "director", registry.attributes(person, director["name"]))
        _add_directorship(graph, person, firm, director.get("role"), _since(director.get("since")))
    for party in finding.suppliers:
        supplier = _add_counterparty(graph, party, "supplier", registry)
        _add_goods(graph, supplier, firm, party, shipments)
    for party in finding.buyers:
        buyer = _add_counterparty(graph, party, "buyer", registry)
        _add_goods(graph, firm, buyer, party, shipments)


def _owner_role(registry: _Registry, party: str) -> str:
    return "owner" if party in registry.persons else "holding"


def _finding_note(finding: Finding) -> str:
    status = "FLAGGED" if finding.flagged else "fails " + ", ".join(finding.failed)
    return (
        f"Finding: {status}, score {finding.score:.1f}, Russian share "
        f"{finding.russian_share:.1f}%, trade {finding.first_inbound or '?'} to "
        f"{finding.last_outbound or '?'}"
    )


def _owner_note(owner: dict[str, Any], finding: Finding) -> str:
    share = "an unknown share" if owner["share"] is None else f"{owner['share']:g}%"
    return f"Holds {share} of {finding.name} ({owner['arithmetic']})"


def _holding_record(link: Mapping[str, Any]) -> str:
    span = _span(as_date(link["since"]), as_date(link["until"]))
    return f"{_share_text(link['share'])}{span} ({link['file']} line {link['line']})"


def _add_counterparty(
    graph: nx.MultiDiGraph, party: Mapping[str, Any], role: str, registry: _Registry
) -> str:
    if party["id"] is not None:
        key = party["id"]
        attributes = registry.attributes(key, party["name"], party["country"])
    else:
        key, attributes = _unlinked(party["name"], party["country"])
    _add_party(graph, key, role, attributes)
    return key


def _unlinked(name: str | None, country: str) -> tuple[str, dict[str, Any]]:
    """A party named on declarations but not linked to the registry: its name is its key."""
    name = name or "unnamed party"
    note = "Named on customs declarations only: not found in the company registry"
    return f"name:{country}:{name}", _node_fields(
        kind=UNLINKED, name=name, country=country, notes=note
    )


def _add_party(graph: nx.MultiDiGraph, key: str, role: str, attributes: dict[str, Any]) -> None:
    if key not in graph:
        graph.add_node(key, **attributes, role=role)
    elif _priority(role) < _priority(graph.nodes[key]["role"]):
        graph.nodes[key]["role"] = role


def _priority(role: str) -> int:
    return list(ROLES).index(role)


def _add_note(graph: nx.MultiDiGraph, key: str, note: str) -> None:
    notes = graph.nodes[key]["notes"]
    if note not in notes.split("\n"):
        graph.nodes[key]["notes"] = f"{notes}\n{note}" if notes else note


def _add_holding(
    graph: nx.MultiDiGraph, owner: str, owned: str, share: float | None, record: str
) -> None:
    if graph.has_edge(owner, owned, OWNS):
        data = graph.edges[owner, owned, OWNS]
        if record not in data["records"].split("\n"):
            data["records"] += "\n" + record
        return
    attributes = {"kind": OWNS, "records": record, "links": 1}
    if share is not None:  # GraphML and GEXF have no "unknown": leave the share out
        attributes["share"] = float(share)
    graph.add_edge(owner, owned, OWNS, **attributes)


def _add_directorship(
    graph: nx.MultiDiGraph, person: str, firm: str, role: str | None, since: str
) -> None:
    record = f"{role or 'officer'}{since}"
    if graph.has_edge(person, firm, DIRECTS):
        data = graph.edges[person, firm, DIRECTS]
        if record not in data["records"].split("\n"):
            data["records"] += "\n" + record
        return
    graph.add_edge(
        person, firm, DIRECTS, kind=DIRECTS, role=role or "officer", records=record, links=1
    )


def _since(day: str | None) -> str:
    return f" since {day}" if day else ""


def _add_goods(
    graph: nx.MultiDiGraph,
    seller: str,
    buyer: str,
    party: Mapping[str, Any],
    shipments: _ShipmentFacts,
) -> None:
    facts = shipments.summary(party["shipment_ids"])
    flow = {
        "kind": GOODS,
        "shipments": int(party["shipments"]),
        "value_usd": float(party["value_usd"]),
    }
    _merge_goods(graph, seller, buyer, flow | facts)


def _merge_goods(graph: nx.MultiDiGraph, seller: str, buyer: str, flow: dict[str, Any]) -> None:
    if not graph.has_edge(seller, buyer, GOODS):
        graph.add_edge(seller, buyer, GOODS, **({"links": 1} | flow))
        return
    data = graph.edges[seller, buyer, GOODS]
    data["shipments"] += flow["shipments"]
    data["value_usd"] += flow["value_usd"]
    data["hs_codes"] = " ".join(
        sorted(set(data["hs_codes"].split()) | set(flow["hs_codes"].split()))
    )
    data["first"] = min(filter(None, (data["first"], flow["first"])), default="")
    data["last"] = max(data["last"], flow["last"])
    data["links"] += flow.get("links", 1)


@dataclass
class _Registry:
    """Registry facts about the parties of one map, looked up in one pass per table."""

    companies: dict[str, dict[str, Any]]
    persons: dict[str, dict[str, Any]]
    sanctions: dict[str, list[str]]

    @classmethod
    def of(cls, dataset: Dataset, ids: Collection[str]) -> _Registry:
        wanted = sorted(ids)
        companies = dataset.companies[dataset.companies["id"].isin(wanted)]
        persons = dataset.persons[dataset.persons["id"].isin(wanted)]
        sanctions: dict[str, list[str]] = defaultdict(list)
        listed = dataset.sanctions[dataset.sanctions["entity_id"].isin(wanted)]
        for row in listed.itertuples():
            sanctions[row.entity_id].append(_listing(row))
        return cls(
            companies={row.id: _company_fields(row) for row in companies.itertuples()},
            persons={row.id: _person_fields(row) for row in persons.itertuples()},
            sanctions=dict(sanctions),
        )

    def attributes(self, key: str, name: str | None = None, country: str = "") -> dict[str, Any]:
        """Node attributes of a registry id; ``name`` and ``country`` if the registry lacks it."""
        fields = self.companies.get(key) or self.persons.get(key)
        if fields is None:
            fields = _node_fields(kind=COMPANY, name=name or key, registry_id=key, country=country)
        return fields | {"sanctions": "; ".join(sorted(set(self.sanctions.get(key, []))))}


def _listing(row: Any) -> str:
    program = as_text(row.program) or "sanctions list"
    listed_on = as_date(row.listed_on)
    return f"{program}, listed {listed_on.isoformat()}" if listed_on else program


def _node_fields(**values: Any) -> dict[str, Any]:
    fields = dict.fromkeys(NODE_FIELDS, "") | values
    fields["name"] = fields["name"] or fields["registry_id"] or "?"
    fields["label"] = fields["name"]
    transliterated = latin(fields["name"])
    fields["latin"] = "" if transliterated == fields["name"] else transliterated
    return fields


def _company_fields(row: Any) -> dict[str, Any]:
    return _node_fields(
        kind=COMPANY,
        name=row.name,
        registry_id=row.id,
        country=row.country,
        registered_on=_iso(row.registered_on),
        registered_source=as_text(row.registered_on_source) or "",
        registration_number=as_text(row.registration_number) or "",
        address=as_text(row.address) or "",
    )


def _person_fields(row: Any) -> dict[str, Any]:
    return _node_fields(
        kind=PERSON, name=row.name, registry_id=row.id, country=as_text(row.nationality) or ""
    )


def _iso(value: object) -> str:
    day = as_date(value)
    return day.isoformat() if day else ""


@dataclass
class _ShipmentFacts:
    """Date and HS code of each shipment behind the findings: one lookup for all of them."""

    dates: dict[str, str]
    hs_codes: dict[str, str]

    @classmethod
    def of(cls, dataset: Dataset, findings: Sequence[Finding]) -> _ShipmentFacts:
        ids = {i for f in findings for p in f.suppliers + f.buyers for i in p["shipment_ids"]}
        rows = dataset.shipments[dataset.shipments["id"].isin(sorted(ids))]
        dates = rows["date"].dt.strftime("%Y-%m-%d").fillna("")
        return cls(
            dates=dict(zip(rows["id"], dates, strict=True)),
            hs_codes=dict(zip(rows["id"], rows["hs_code"], strict=True)),
        )

    def summary(self, shipment_ids: Iterable[str]) -> dict[str, str]:
        ids = list(shipment_ids)
        days = sorted(d for d in (self.dates.get(i, "") for i in ids) if d)
        codes = sorted({self.hs_codes[i] for i in ids if i in self.hs_codes})
        return {
            "hs_codes": " ".join(codes),
            "first": days[0] if days else "",
            "last": days[-1] if days else "",
        }


def neighbourhood_graph(dataset: Dataset, focus_id: str, *, depth: int = 1) -> nx.MultiDiGraph:
    """A firm or person and every party within ``depth`` links of ownership, directorship or
    trade, with the links between them; shipments between two parties become one edge.

    Parties named on declarations but not linked to the registry are end points: the walk
    does not continue through them. Node attribute ``distance`` is the number of links from
    the focus. Raises OptionError for an id that is neither a firm nor a person.
    """
    _check_focus(dataset, focus_id, depth)
    links = _Links.of(dataset)
    distances = links.walk(focus_id, depth)
    registry = _Registry.of(dataset, distances)
    graph = nx.MultiDiGraph(layout=RADIAL, focus=focus_id, source=dataset.source)
    for key in sorted(distances, key=lambda k: (distances[k], k)):
        attributes = registry.attributes(key) if key in links.registered else links.unlinked(key)
        graph.add_node(key, **attributes, role="other", distance=distances[key])
    links.add_edges(graph)
    _assign_neighbourhood_roles(graph, focus_id)
    return graph


def _check_focus(dataset: Dataset, focus_id: str, depth: int) -> None:
    known = dataset.companies["id"].eq(focus_id).any() or dataset.persons["id"].eq(focus_id).any()
    if not known:
        raise OptionError(
            f"'{focus_id}' is not the id of a firm or a person in {dataset.source}",
            fix="Use an id from the id column of companies.csv or persons.csv",
        )
    if depth < 1:
        raise OptionError(
            f"depth {depth} is less than 1", fix="Give the number of links to follow, 1 or more"
        )


@dataclass
class _Links:
    """Ownership, officer and shipment records as edges between party keys.

    A shipment party's key is its registry id or, when it is not linked, ``name:CC:NAME``.
    """

    ownership: pd.DataFrame
    officers: pd.DataFrame
    shipments: pd.DataFrame
    registered: frozenset[str]

    @classmethod
    def of(cls, dataset: Dataset) -> _Links:
        shipments = dataset.shipments
        frame = pd.DataFrame(
            {
                "seller": _party_keys(shipments, "exporter"),
                "buyer": _party_keys(shipments, "importer"),
                "hs_code": shipments["hs_code"],
                "value_usd": shipments["value_usd"].fillna(0.0),
                "date": shipments["date"],
            }
        )
        registered = frozenset(dataset.companies["id"]) | frozenset(dataset.persons["id"])
        return cls(dataset.ownership, dataset.officers, frame, registered)

    def walk(self, focus: str, depth: int) -> dict[str, int]:
        """Breadth-first: party key -> number of links from ``focus``."""
        distances, frontier = {focus: 0}, {focus}
        for step in range(1, depth + 1):
            found: set[str] = set()
            for table, start, end in self._tables():
                found |= _neighbours(table, start, end, frontier)
            frontier = {key for key in found if key not in distances}
            distances |= dict.fromkeys(frontier, step)
            frontier &= self.registered  # unlinked parties are end points
            if not frontier:
                break
        return distances

    def _tables(self) -> Iterable[tuple[pd.DataFrame, str, str]]:
        yield self.ownership, "owner_id", "owned_id"
        yield self.officers, "person_id", "company_id"
        yield self.shipments, "seller", "buyer"

    def unlinked(self, key: str) -> dict[str, Any]:
        _, country, name = key.split(":", 2)
        return _unlinked(name, country)[1]

    def add_edges(self, graph: nx.MultiDiGraph) -> None:
        inside = sorted(graph)
        for row in _within(self.ownership, "owner_id", "owned_id", inside).itertuples():
            share = None if pd.isna(row.share) else float(row.share)
            record = f"{_share_text(share)}{_span(as_date(row.since), as_date(row.until))}"
            _add_holding(
                graph,
                row.owner_id,
                row.owned_id,
                share,
                f"{record} ({row.file} line {row.line})",
            )
        for row in _within(self.officers, "person_id", "company_id", inside).itertuples():
            since = _since(_iso(row.since) or None)
            _add_directorship(graph, row.person_id, row.company_id, as_text(row.role), since)
        for flow in _flows(_within(self.shipments, "seller", "buyer", inside)):
            _merge_goods(graph, flow.pop("seller"), flow.pop("buyer"), flow)


def _party_keys(shipments: pd.DataFrame, side: str) -> pd.Series:
    keys = shipments[f"{side}_key"].astype("string")
    unlinked = keys.isna()  # only these need a name key: cheap on millions of declarations
    names = shipments.loc[unlinked, f"{side}_name"].fillna("?")
    keys[unlinked] = "name:" + shipments.loc[unlinked, f"{side}_country"] + ":" + names
    return keys


def _neighbours(table: pd.DataFrame, start: str, end: str, frontier: set[str]) -> set[str]:
    keys = sorted(frontier)
    forward = table.loc[table[start].isin(keys), end]
    backward = table.loc[table[end].isin(keys), start]
    return set(forward.dropna()) | set(backward.dropna())


def _within(table: pd.DataFrame, start: str, end: str, keys: list[str]) -> pd.DataFrame:
    rows = table[table[start].isin(keys) & table[end].isin(keys) & (table[start] != table[end])]
    return rows.sort_values([start, end, *(["line"] if "line" in rows else [])], kind="stable")


def _flows(shipments: pd.DataFrame) -> list[dict[str, Any]]:
    """One flow per seller and buyer: count, value, HS codes, first and last date."""
    if shipments.empty:
        return []
    totals = shipments.groupby(["seller", "buyer"], sort=True).agg(
        shipments=("hs_code", "size"),
        value_usd=("value_usd", "sum"),
        first=("date", "min"),
        last=("date", "max"),
    )
    codes = _codes_by_pair(shipments)
    first, last = (totals[c].dt.strftime("%Y-%m-%d").fillna("") for c in ("first", "last"))
    return [
        {
            "seller": pair[0],
            "buyer": pair[1],
            "kind": GOODS,
            "shipments": int(count),
            "value_usd": round(float(value), 2),
            "hs_codes": codes[pair],
            "first": start,
            "last": end,
        }
        for pair, count, value, start, end in zip(
            totals.index, totals["shipments"], totals["value_usd"], first, last, strict=True
        )
    ]


def _codes_by_pair(shipments: pd.DataFrame) -> dict[tuple[str, str], str]:
    """The distinct HS codes between each seller and buyer, sorted, space-separated."""
    distinct = (
        shipments[["seller", "buyer", "hs_code"]]
        .drop_duplicates()
        .sort_values(["seller", "buyer", "hs_code"])
    )
    rows = zip(distinct["seller"], distinct["buyer"], distinct["hs_code"], strict=True)
    return {
        pair: " ".join(code for _, _, code in group)
        for pair, group in groupby(rows, key=lambda row: (row[0], row[1]))
    }


def _assign_neighbourhood_roles(graph: nx.MultiDiGraph, focus: str) -> None:
    """Roles from what a party does on the map and where it is: owners of firms are owners or
    holdings; other firms are coloured by country (EU, Russia, elsewhere)."""
    for key, data in graph.nodes(data=True):
        owns = any(k == OWNS for _, _, k in graph.out_edges(key, keys=True))
        if key == focus:
            data["role"] = "focus"
        elif data["kind"] == PERSON:
            data["role"] = "owner" if owns else "director"
        elif owns:
            data["role"] = "holding"
        elif data["country"] in EU_MEMBERS:
            data["role"] = "eu_firm"
        elif data["country"] == "RU":
            data["role"] = "ru_firm"


# --- aggregation -------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    """One step of aggregation: which parties are grouped, and how the caption says so."""

    grouped: Callable[[Mapping[str, Any]], bool]
    says: str


COUNTERPARTY_ROLES = frozenset({"supplier", "buyer", "eu_firm", "ru_firm", "other"})
FINDING_STAGES = (
    Stage(
        lambda d: d["role"] in COUNTERPARTY_ROLES,
        "suppliers and buyers are grouped into one node per role and country",
    ),
    Stage(
        lambda d: d["role"] != "intermediary",
        "suppliers, buyers, owners, holdings and directors are grouped into one node per role "
        "and country",
    ),
    Stage(lambda d: True, "all parties are grouped into one node per role and country"),
)
NEIGHBOURHOOD_STAGES = (
    Stage(
        lambda d: d["distance"] > 1,
        "parties more than one link away are grouped into one node per role and country",
    ),
    Stage(
        lambda d: d["role"] != "focus",
        "all parties but the one in focus are grouped into one node per role and country",
    ),
)


def aggregated(
    graph: nx.MultiDiGraph, stages: Sequence[Stage], max_nodes: int
) -> tuple[nx.MultiDiGraph, str | None]:
    """``graph`` with parties grouped by the first stage that leaves at most ``max_nodes``
    (or the last stage), and a sentence for the caption; ``graph`` itself if small enough."""
    size = graph.number_of_nodes()
    if size <= max_nodes:
        return graph, None
    for stage in stages:
        smaller = _grouped(graph, stage.grouped)
        if smaller.number_of_nodes() <= max_nodes:
            break
    log.info("map of %d parties aggregated to %d nodes", size, smaller.number_of_nodes())
    return smaller, (
        f"The full map has {size:,} firms and persons, too many to read, so {stage.says}. "
        "Open the Gephi export to see every party."
    )


def _grouped(
    graph: nx.MultiDiGraph, grouped: Callable[[Mapping[str, Any]], bool]
) -> nx.MultiDiGraph:
    target = {k: _group_key(d) if grouped(d) else k for k, d in graph.nodes(data=True)}
    sizes = Counter(target.values())
    # A group of one says less than the party itself.
    target = {k: k if sizes[group] == 1 else group for k, group in target.items()}
    result = nx.MultiDiGraph(**graph.graph)
    for key, data in graph.nodes(data=True):
        if target[key] == key:
            result.add_node(key, **data)
        else:
            _add_member(result, target[key], data)
    for u, v, kind, data in graph.edges(keys=True, data=True):
        if target[u] != target[v]:  # links inside a group are not drawn
            _merge_edge(result, target[u], target[v], kind, data)
    return result


def _group_key(data: Mapping[str, Any]) -> str:
    return f"group:{data['role']}:{data['country']}"


def _add_member(graph: nx.MultiDiGraph, key: str, member: Mapping[str, Any]) -> None:
    if key not in graph:
        graph.add_node(
            key,
            **_node_fields(kind=GROUP, name=key, country=member["country"]),
            role=member["role"],
            members=0,
            sanctioned_members=0,
            **{k: member[k] for k in ("order", "distance") if k in member},
        )
    data = graph.nodes[key]
    data["members"] += 1
    data["sanctioned_members"] += bool(member["sanctions"])
    for position in ("order", "distance"):
        if position in member:
            data[position] = min(data[position], member[position])
    where = f"in {data['country']}" if data["country"] else "of unknown country"
    data["name"] = data["label"] = f"{data['members']:,} × {ROLES[data['role']].label} {where}"
    if data["sanctioned_members"]:
        data["sanctions"] = f"{data['sanctioned_members']:,} of them on the sanctions list"


def _merge_edge(graph: nx.MultiDiGraph, u: str, v: str, kind: str, data: Mapping[str, Any]) -> None:
    if kind == GOODS:
        _merge_goods(graph, u, v, dict(data))
    elif graph.has_edge(u, v, kind):
        merged = graph.edges[u, v, kind]
        merged["links"] += data["links"]
        merged["records"] = f"{merged['links']:,} records"
        merged.pop("share", None)  # shares of different holdings do not add up
    else:
        graph.add_edge(u, v, kind, **data)


# --- layout ------------------------------------------------------------------------------

Position = tuple[float, float]


def positions(graph: nx.MultiDiGraph) -> dict[str, Position]:
    """Where each party is drawn: findings left to right (suppliers | firm | buyers, owners
    above, directors below), a neighbourhood in rings around its focus."""
    if graph.graph.get("layout") == RADIAL:
        return _radial_positions(graph, graph.graph["focus"])
    return _layered_positions(graph)


def _layered_positions(graph: nx.MultiDiGraph) -> dict[str, Position]:
    """Panels side by side, each with a column of firms (owners above each, directors below),
    their suppliers on the left and their buyers on the right. One panel holds up to
    ``_bands_per_panel`` firms, so that many findings make a grid, not a thin strip."""
    hubs = sorted(
        (k for k, d in graph.nodes(data=True) if d["role"] == "intermediary"),
        key=lambda k: (graph.nodes[k].get("order", 0), k),
    )
    bands: list[dict[str, Position]] = []
    taken: set[str] = set()  # a party shared by several firms goes with the first of them
    for hub in hubs:
        bands.append(_band(graph, hub, taken))
        taken |= bands[-1].keys()
    placed: dict[str, Position] = {}
    left = 0.0
    size = _bands_per_panel(len(bands))
    for start in range(0, len(bands), size):
        panel = _panel(graph, hubs[start : start + size], bands[start : start + size], placed)
        shift = left - min(x for x, _ in panel.values())
        placed |= {key: (x + shift, y) for key, (x, y) in panel.items()}
        left = max(x for x, _ in placed.values()) + 2 * SLOT
    return placed | _rest(graph, placed, left)


def _bands_per_panel(count: int) -> int:
    # About as many panels across as firms down each: a grid as wide as a screen.
    return max(PANEL_BANDS, math.ceil(math.sqrt(2 * count)))


def _panel(
    graph: nx.MultiDiGraph,
    hubs: Sequence[str],
    bands: Sequence[dict[str, Position]],
    placed: Mapping[str, Position],
) -> dict[str, Position]:
    """Bands one below the other at x = 0, then the suppliers and buyers of their firms that
    no earlier panel has drawn."""
    panel: dict[str, Position] = {}
    y = 0.0
    for band in bands:
        low = min(dy for _, dy in band.values())
        high = max(dy for _, dy in band.values())
        panel |= {key: (dx, y - low + dy) for key, (dx, dy) in band.items()}
        y += high - low + ROW
    half_width = max(abs(x) for x, _ in panel.values())
    for incoming, x in ((True, -half_width - COLUMN_GAP), (False, half_width + COLUMN_GAP)):
        partners = _goods_partners(graph, hubs, panel, placed, incoming=incoming)
        panel |= _column(partners, x, panel, graph)
    return panel


def _rest(graph: nx.MultiDiGraph, placed: Mapping[str, Position], x: float) -> dict[str, Position]:
    """Parties not in a band: groups of owners in a row above all firms, groups of directors
    in a row below, anything else in a column on the right."""
    rest = sorted(k for k in graph if k not in placed)
    kinds = {k: {kind for _, _, kind in graph.out_edges(k, keys=True)} for k in rest}
    xs = [x for x, _ in placed.values()] or [0.0]
    ys = [y for _, y in placed.values()] or [0.0]
    middle = (min(xs) + max(xs)) / 2
    rows: dict[str, Position] = {}
    for kind, y in ((OWNS, min(ys) - 2 * ROW), (DIRECTS, max(ys) + 2 * ROW)):
        parties = [k for k in rest if kind in kinds[k] and k not in rows]
        row = _row(_ordered_by_partners(graph, parties, placed), y)
        rows |= {key: (dx + middle, dy) for key, (dx, dy) in row.items()}
    others: dict[str, list[float]] = {k: [] for k in rest if k not in rows}
    return rows | _column(others, x, placed, graph)


def _band(graph: nx.MultiDiGraph, hub: str, taken: Collection[str]) -> dict[str, Position]:
    """A firm at (0, 0), its owners level by level above it, its directors below."""
    band: dict[str, Position] = {hub: (0.0, 0.0)}
    level = [hub]
    while level:
        above = {
            owner
            for owned in level
            for owner, _, kind in graph.in_edges(owned, keys=True)
            if kind == OWNS and _in_band(graph, owner, band, taken)
        }
        y = min(y for _, y in band.values()) - ROW
        level = _ordered_by_partners(graph, above, band)
        band |= _row(level, y)
    directors = {
        person
        for person, _, kind in graph.in_edges(hub, keys=True)
        if kind == DIRECTS and _in_band(graph, person, band, taken)
    }
    band |= _row(_ordered_by_partners(graph, directors, band), ROW)
    return band


def _in_band(
    graph: nx.MultiDiGraph, key: str, band: Collection[str], taken: Collection[str]
) -> bool:
    """Whether a party joins a firm's band: not yet placed, and not a group (which belongs
    to many firms and is drawn above or below them all)."""
    return key not in band and key not in taken and graph.nodes[key]["kind"] != GROUP


def _ordered_by_partners(
    graph: nx.MultiDiGraph, parties: Iterable[str], placed: Mapping[str, Position]
) -> list[str]:
    """Parties sorted by the mean x of their placed neighbours, so that lines cross less."""

    def mean_x(key: str) -> float:
        xs = [placed[n][0] for n in nx.all_neighbors(graph, key) if n in placed]
        return sum(xs) / len(xs) if xs else 0.0

    return sorted(parties, key=lambda k: (mean_x(k), graph.nodes[k]["name"], k))


def _row(parties: Sequence[str], y: float) -> dict[str, Position]:
    offset = (len(parties) - 1) * SLOT / 2
    return {key: (i * SLOT - offset, float(y)) for i, key in enumerate(parties)}


def _goods_partners(
    graph: nx.MultiDiGraph,
    hubs: Sequence[str],
    panel: Mapping[str, Position],
    placed: Mapping[str, Position],
    *,
    incoming: bool,
) -> dict[str, list[float]]:
    """Parties not yet drawn that sell to (or buy from) the firms, with the y of those firms."""
    partners: dict[str, list[float]] = defaultdict(list)
    for hub in hubs:
        edges = graph.in_edges(hub, keys=True) if incoming else graph.out_edges(hub, keys=True)
        for u, v, kind in edges:
            other = u if incoming else v
            if kind == GOODS and other not in panel and other not in placed:
                partners[other].append(panel[hub][1])
    return partners


def _column(
    partners: Mapping[str, list[float]],
    x: float,
    placed: Mapping[str, Position],
    graph: nx.MultiDiGraph,
) -> dict[str, Position]:
    """A column of parties, each as near as it can be to the mean y of its partners."""
    centre = sum(y for _, y in placed.values()) / len(placed) if placed else 0.0
    wanted = {k: sum(ys) / len(ys) if ys else centre for k, ys in partners.items()}
    order = sorted(wanted, key=lambda k: (wanted[k], graph.nodes[k]["name"], k))
    ys: list[float] = []
    for key in order:
        ys.append(max(wanted[key], ys[-1] + STACK) if ys else wanted[key])
    if ys:  # the pushing only moves parties down: shift the column back to centre it
        shift = sum(ys) / len(ys) - sum(wanted.values()) / len(wanted)
        ys = [y - shift for y in ys]
    return {key: (x, y) for key, y in zip(order, ys, strict=True)}


def _radial_positions(graph: nx.MultiDiGraph, focus: str) -> dict[str, Position]:
    """The focus in the centre, the parties one link away on a ring around it, those two
    links away on the next ring, and so on; evenly spaced on each ring, in the order of the
    parties that lead to them, so that links between rings stay short."""
    placed: dict[str, Position] = {}
    radius = 0.0
    for number, ring in enumerate(_rings(graph, focus)):
        if number:
            radius = max(radius + RING, len(ring) * ARC / (2 * math.pi))
        for index, key in enumerate(ring):
            angle = 2 * math.pi * index / len(ring)
            placed[key] = (radius * math.cos(angle), radius * math.sin(angle))
    return placed


def _rings(graph: nx.MultiDiGraph, focus: str) -> list[list[str]]:
    """Parties by their number of links from ``focus`` (breadth first), each ring ordered by
    the party that reached it first."""
    rings, seen = [[focus]], {focus}
    while rings[-1]:
        ring = []
        for parent in rings[-1]:
            found = set(nx.all_neighbors(graph, parent)) - seen
            ring += sorted(
                found, key=lambda k: (_priority(graph.nodes[k]["role"]), _name_order(graph, k))
            )
            seen |= found
        rings.append(ring)
    unreached = sorted(set(graph) - seen)  # a party without drawn links: on the outer ring
    return [*rings[:-1], *([unreached] if unreached else [])]


def _name_order(graph: nx.MultiDiGraph, key: str) -> tuple[str, str]:
    return (graph.nodes[key]["name"], key)


# --- rendering ---------------------------------------------------------------------------


def finding_map(
    finding: Finding,
    dataset: Dataset,
    *,
    title: str | None = None,
    run_date: date | None = None,
    max_nodes: int = MAX_MAP_NODES,
    template: str = "map.html",
    context: Mapping[str, Any] | None = None,
) -> str:
    """An HTML page with the map of one finding (see ``finding_graph``), legend and caption.

    The page makes no network request and the same finding gives the same bytes for the
    same ``run_date`` (default today). ``template`` and ``context``: another page of the
    assets folder that extends map.html, and what it needs (the case file uses this).
    """
    graph, note = aggregated(finding_graph(finding, dataset), FINDING_STAGES, max_nodes)
    what = (
        f"Goods flow from EU suppliers (left) through {finding.name} ({finding.id}) to "
        "Russian buyers (right); its Russian owners and the holdings between them are above, "
        "its directors below."
    )
    return render_map_page(
        graph,
        title=title or f"{finding.name} ({finding.id}): suppliers, buyers and owners",
        caption=_caption(what, note, dataset, run_date),
        warnings=_status_warnings(finding) + _sanction_warnings(graph),
        template=template,
        context=context,
    )


def overview_map(
    findings: Sequence[Finding],
    dataset: Dataset,
    *,
    title: str | None = None,
    run_date: date | None = None,
    max_nodes: int = MAX_MAP_NODES,
) -> str:
    """An HTML page with every finding on one map; a party of several findings is one node."""
    graph, note = aggregated(overview_graph(findings, dataset), FINDING_STAGES, max_nodes)
    count = len(findings)
    what = (
        f"{count} firm{'s' if count != 1 else ''} found by netscan (orange), highest score "
        "first from the top: EU suppliers on the left, Russian buyers on the right, owners "
        "above each firm and directors below. A supplier, buyer or owner of several firms is "
        "drawn once."
    )
    return render_map_page(
        graph,
        title=title or f"Overview: {count} suspected intermediar{'ies' if count != 1 else 'y'}",
        caption=_caption(what, note, dataset, run_date),
        warnings=_sanction_warnings(graph),
    )


def neighbourhood_map(
    dataset: Dataset,
    focus_id: str,
    *,
    depth: int = 1,
    title: str | None = None,
    run_date: date | None = None,
    max_nodes: int = MAX_MAP_NODES,
) -> str:
    """An HTML page with ``neighbourhood_graph(dataset, focus_id, depth=depth)``."""
    graph, note = aggregated(
        neighbourhood_graph(dataset, focus_id, depth=depth), NEIGHBOURHOOD_STAGES, max_nodes
    )
    name = graph.nodes[focus_id]["name"]
    steps = f"{depth} link{'s' if depth != 1 else ''}"
    what = (
        f"Everything linked to {name} ({focus_id}) by ownership, directorships or shipments, "
        f"up to {steps} away, in rings around it: the nearer the ring, the closer the link. "
        "Shipments between two parties are one arrow."
    )
    return render_map_page(
        graph,
        title=title or f"Neighbourhood of {name} ({focus_id}), {steps}",
        caption=_caption(what, note, dataset, run_date),
        warnings=_sanction_warnings(graph),
    )


def _caption(what: str, note: str | None, dataset: Dataset, run_date: date | None) -> list[str]:
    day = (run_date or date.today()).isoformat()
    source = f"Data: {dataset.source}, netscan run of {day}."
    return [what, *([note] if note else []), source]


def _status_warnings(finding: Finding) -> list[str]:
    if finding.flagged:
        return []
    return [f"Not flagged: netscan lists this firm, but it fails {', '.join(finding.failed)}."]


def _sanction_warnings(graph: nx.MultiDiGraph, shown: int = 8) -> list[str]:
    names = sorted(d["name"] for _, d in graph.nodes(data=True) if d["sanctions"])
    if not names:
        return []
    more = f" and {len(names) - shown:,} more" if len(names) > shown else ""
    return [f"On the sanctions list (red outline): {'; '.join(names[:shown])}{more}."]


def write_maps(
    findings: Sequence[Finding],
    dataset: Dataset,
    out_dir: Path,
    *,
    run_date: date | None = None,
) -> list[Path]:
    """One map per finding (``<firm id>.html``, the id made safe as a file name) and
    ``overview.html`` in ``out_dir``, each written atomically. Returns the paths written."""
    run_date = run_date or date.today()
    stems = file_stems([f.id for f in findings])
    written = []
    for finding in findings:
        path = out_dir / f"{stems[finding.id]}.html"
        write_atomically(path, finding_map(finding, dataset, run_date=run_date))
        written.append(path)
    overview = out_dir / "overview.html"
    write_atomically(overview, overview_map(findings, dataset, run_date=run_date))
    log.info("wrote %d maps to %s", len(written) + 1, out_dir)
    return [*written, overview]


# File names that are taken (overview.html) or that Windows reserves for devices.
RESERVED_STEMS = frozenset(
    {"overview", "con", "prn", "aux", "nul"}
    | {f"{device}{n}" for device in ("com", "lpt") for n in range(1, 10)}
)


def file_stems(ids: Sequence[str]) -> dict[str, str]:
    """A file name stem per firm id: the id if it is a safe name, else a safe spelling of
    it plus a short hash of the id, so that two ids never share a file, even on
    case-insensitive file systems.

    >>> file_stems(["KZ-001", "KZ/001", "kz-001"])
    {'KZ-001': 'KZ-001', 'KZ/001': 'KZ_001-25c61efe', 'kz-001': 'kz-001-d7415bf6'}
    """
    stems = {}
    for firm_id in ids:
        safe = re.sub(r"[^A-Za-z0-9_-]+", "_", firm_id).strip("_-")[:80] or "firm"
        if safe != firm_id or safe.lower() in RESERVED_STEMS:
            safe = f"{safe}-{_short_hash(firm_id)}"
        stems[firm_id] = safe
    folded: dict[str, list[str]] = defaultdict(list)
    for firm_id, stem in stems.items():
        folded[stem.lower()].append(firm_id)
    for clash in (ids for ids in folded.values() if len(ids) > 1):
        for firm_id in clash[1:]:
            stems[firm_id] = f"{stems[firm_id]}-{_short_hash(firm_id)}"
    return stems


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


@cache
def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _page_css() -> str:
    """The page's style sheet: map.css and the legend's colours, from ROLES and EDGE_COLORS."""
    colours = [f".role-{r.key} {{ background: {r.color}; }}" for r in ROLES.values()]
    colours += [f".line.{kind} {{ border-top-color: {c}; }}" for kind, c in EDGE_COLORS.items()]
    return _asset("map.css") + "\n".join(colours) + "\n"


@dataclass(frozen=True)
class LegendItem:
    css: str
    label: str


@dataclass
class _Page:
    """What the page template shows around the map."""

    title: str
    caption: list[str]
    warnings: list[str]
    roles: list[Role]
    shapes: list[LegendItem]
    lines: list[LegendItem]
    vis_js: Markup = field(default_factory=lambda: Markup(_asset("vis-network.min.js")))
    vis_css: Markup = field(default_factory=lambda: Markup(_asset("vis-network.min.css")))
    app_js: Markup = field(default_factory=lambda: Markup(_asset("map.js")))
    css: Markup = field(default_factory=lambda: Markup(_page_css()))

    @property
    def csp(self) -> str:
        """Only this page's own scripts and styles run; nothing is fetched from anywhere."""
        return content_security_policy(
            scripts=(self.vis_js, self.app_js), styles=(self.vis_css, self.css)
        )


def render_map_page(
    graph: nx.MultiDiGraph,
    *,
    title: str,
    caption: Sequence[str],
    warnings: Sequence[str] = (),
    template: str = "map.html",
    context: Mapping[str, Any] | None = None,
) -> str:
    """Render ``graph`` with pyvis into ``template`` (from the assets folder), which gets
    ``page`` (title, caption, legend) and ``context``."""
    network = _network(graph)
    page = _Page(
        title=title,
        caption=list(caption),
        warnings=list(warnings),
        roles=_legend_roles(graph),
        shapes=_legend_shapes(graph),
        lines=_legend_lines(graph),
    )
    network.set_template_dir(f"{ASSETS}/", template)
    network.templateEnv = _environment()
    network.templateEnv.globals.update(page=page, **(context or {}))
    return network.generate_html()


def _environment() -> jinja2.Environment:
    """pyvis' environment does not escape: this one escapes every value into HTML. A new one
    per page, so that one page's globals never leak into the next."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(ASSETS),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    environment.filters["script_json"] = script_json
    environment.filters["script_json_text"] = lambda text: Markup(_script_safe(text))
    return environment


def script_json(value: object) -> Markup:
    """``value`` as JSON that can sit inside a <script> element: ``<``, ``>``, ``&`` and ``/``
    are written as JSON escapes, so a name like ``</script><script>`` cannot end the element.

    >>> str(script_json({"name": "</script>"}))
    '{"name": "\\\\u003c\\\\/script\\\\u003e"}'
    """
    return Markup(_script_safe(json.dumps(value, ensure_ascii=False)))


def _script_safe(json_text: str) -> str:
    # These characters only occur inside JSON strings, where the escapes mean the same.
    return (
        json_text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("/", "\\/")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _network(graph: nx.MultiDiGraph) -> Network:
    network = Network(directed=True)
    places = positions(graph)
    ids = {key: number for number, key in enumerate(graph)}  # data never becomes a vis id
    for key, data in graph.nodes(data=True):
        network.add_node(ids[key], **_vis_node(data, places[key]))
    most = max(
        (d["value_usd"] for *_, d in graph.edges(data=True) if d["kind"] == GOODS), default=0
    )
    names = dict(graph.nodes(data="name"))
    drawn: dict[frozenset[str], int] = defaultdict(int)  # links already drawn between two parties
    for number, (u, v, data) in enumerate(graph.edges(data=True)):
        edge = _vis_edge(data, names[u], names[v], most)
        pair = frozenset((u, v))
        if drawn[pair]:  # straight lines would lie on top of each other: bend the others
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.25 * drawn[pair]}
        drawn[pair] += 1
        network.add_edge(ids[u], ids[v], id=number, **edge)
    network.options = _vis_options(graph.number_of_nodes())
    return network


def _vis_node(data: Mapping[str, Any], place: Position) -> dict[str, Any]:
    hub = data["role"] in ("intermediary", "focus")
    node: dict[str, Any] = {
        "label": _node_label(data),
        "title": node_tooltip(data),
        "shape": SHAPES[data["kind"]],
        "x": round(place[0], 1),
        "y": round(place[1], 1),
        "color": _node_colour(ROLES[data["role"]].color, sanctioned=bool(data["sanctions"])),
        "borderWidth": 4 if data["sanctions"] else 2 if hub else 1,
        "font": {"size": 17 if hub else 13},
    }
    if data["kind"] == UNLINKED:
        node["shapeProperties"] = {"borderDashes": [5, 4]}
        node["borderWidth"] = max(node["borderWidth"], 2)
    if data["sanctions"]:
        node["font"] |= {"color": SANCTIONED_COLOR}
    return node


def _node_colour(fill: str, *, sanctioned: bool) -> dict[str, Any]:
    """The role's colour, also when selected or hovered (vis would turn it light blue)."""
    marked = {"background": fill, "border": SANCTIONED_COLOR if sanctioned else "#000000"}
    border = SANCTIONED_COLOR if sanctioned else "#2D3748"
    return {"background": fill, "border": border, "highlight": marked, "hover": marked}


def _node_label(data: Mapping[str, Any]) -> str:
    label = data["label"]
    if data["country"] and data["kind"] != GROUP:
        label += f" ({data['country']})"
    return f"SANCTIONED\n{label}" if data["sanctions"] else label


def node_tooltip(data: Mapping[str, Any]) -> str:
    """The hover text of a party, as plain text (the page shows it as text, never as HTML)."""
    what = ROLES[data["role"]].label
    if data["kind"] == GROUP:
        lines = [data["name"], f"{what}: {data['members']:,} grouped into one node"]
    else:
        lines = [data["name"]]
        if data["latin"]:
            lines.append(f"Latin: {data['latin']}")
        ids = f"id {data['registry_id']}" if data["registry_id"] else "not in the registry"
        lines.append(f"{what}, {ids}")
        lines += _registry_lines(data)
    if data["sanctions"]:
        lines.append(f"SANCTIONED: {data['sanctions']}")
    if data["notes"]:
        lines += data["notes"].split("\n")
    return "\n".join(lines)


def _registry_lines(data: Mapping[str, Any]) -> list[str]:
    if data["kind"] == PERSON:
        return [f"Nationality: {data['country'] or 'unknown'}"]
    lines = [f"Country: {data['country'] or 'unknown'}"]
    if data["registered_on"]:
        source = data["registered_source"]
        lines.append(f"Registered {data['registered_on']}" + (f" ({source})" if source else ""))
    if data["registration_number"]:
        lines.append(f"Registration number {data['registration_number']}")
    if data["address"]:
        lines.append(f"Address: {data['address']}")
    return lines


def _vis_edge(data: Mapping[str, Any], source: str, target: str, most: float) -> dict[str, Any]:
    colour = EDGE_COLORS[data["kind"]]
    edge: dict[str, Any] = {
        "title": edge_tooltip(data, source, target),
        "label": _edge_label(data),
        "color": {"color": colour, "highlight": colour, "hover": colour},
        "font": {"color": colour},
        "arrows": "to",
        "width": 2,
    }
    if data["kind"] == GOODS:
        edge["width"] = goods_width(data["value_usd"], most)
    elif data["kind"] == DIRECTS:
        edge["dashes"] = True
        edge["width"] = 1.5
    return edge


def goods_width(value: float, most: float) -> float:
    """Width of a goods arrow: 1.5 to 12 pixels, by the square root of its share of the
    largest flow on the map, so that a flow of a quarter of the largest is half as wide."""
    if most <= 0:
        return 1.5
    return round(1.5 + 10.5 * math.sqrt(max(value, 0.0) / most), 2)


def _edge_label(data: Mapping[str, Any]) -> str:
    if data["kind"] == GOODS:
        return _short_usd(data["value_usd"])
    if data["links"] > 1:
        return f"{data['links']:,} links"
    if data["kind"] == OWNS:
        return _share_text(data.get("share"))
    return str(data["role"])


def edge_tooltip(data: Mapping[str, Any], source: str, target: str) -> str:
    """The hover text of a link, as plain text."""
    if data["kind"] == GOODS:
        lines = [
            f"Goods: {source} → {target}",
            f"{data['shipments']:,} shipment{'s' if data['shipments'] != 1 else ''}, "
            f"USD {data['value_usd']:,.0f}",
        ]
        if data["hs_codes"]:
            lines.append(f"HS codes: {_hs_codes(data['hs_codes'])}")
        if data["first"]:
            lines.append(f"From {data['first']} to {data['last']}")
        return "\n".join(lines)
    verb = "owns" if data["kind"] == OWNS else "is an officer of"
    return "\n".join([f"{source} {verb} {target}", *data["records"].split("\n")])


def _hs_codes(codes: str, shown: int = 12) -> str:
    listed = codes.split()
    more = f" and {len(listed) - shown} more" if len(listed) > shown else ""
    return ", ".join(listed[:shown]) + more


def _short_usd(value: float) -> str:
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if value >= size:
            return f"USD {value / size:.1f}{suffix}"
    return f"USD {value:.0f}"


def _share_text(share: float | None) -> str:
    return "share unknown" if share is None else f"{share:g}%"


def _span(since: date | None, until: date | None) -> str:
    if since and until:
        return f" from {since.isoformat()} to {until.isoformat()}"
    if since:
        return f" since {since.isoformat()}"
    return f" until {until.isoformat()}" if until else ""


def _vis_options(size: int) -> dict[str, Any]:
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "edges": {
            "smooth": False,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
            "font": {"size": 11, "strokeWidth": 5},
            "arrowStrikethrough": False,
        },
        "nodes": {
            "font": {
                "face": "DejaVu Sans, Liberation Sans, Arial, sans-serif",
                "color": TEXT_COLOR,
            },
            "widthConstraint": {"maximum": 180},
            "margin": 8,
            "shapeProperties": {"borderRadius": 3},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "navigationButtons": True,
            "hideEdgesOnDrag": size > 300,
        },
    }


def _legend_roles(graph: nx.MultiDiGraph) -> list[Role]:
    present = {role for _, role in graph.nodes(data="role")}
    return [role for key, role in ROLES.items() if key in present]


def _legend_shapes(graph: nx.MultiDiGraph) -> list[LegendItem]:
    kinds = {kind for _, kind in graph.nodes(data="kind")}
    items = [LegendItem("company role-other", "Box: a firm")]
    if PERSON in kinds:
        items.append(LegendItem("person role-other", "Oval: a person"))
    if UNLINKED in kinds:
        items.append(
            LegendItem(
                "unlinked",
                "Dashed outline: named on customs declarations only, not "
                "found in the company registry",
            )
        )
    if GROUP in kinds:
        items.append(LegendItem("group role-other", "Cylinder: a group of parties (see caption)"))
    if any(sanctions for _, sanctions in graph.nodes(data="sanctions")):
        items.append(LegendItem("sanctioned", "Red outline and SANCTIONED: on the sanctions list"))
    return items


def _legend_lines(graph: nx.MultiDiGraph) -> list[LegendItem]:
    kinds = {kind for *_, kind in graph.edges(keys=True)}
    most = max(
        (d["value_usd"] for *_, d in graph.edges(data=True) if d["kind"] == GOODS), default=0
    )
    items = []
    if GOODS in kinds:
        items.append(
            LegendItem(
                GOODS,
                f"Goods, from seller to buyer; the thicker, the more value "
                f"(thickest: USD {most:,.0f})",
            )
        )
    if OWNS in kinds:
        items.append(LegendItem(OWNS, "Ownership, from owner to owned firm, with the share"))
    if DIRECTS in kinds:
        items.append(LegendItem(DIRECTS, "Director or officer of the firm it points to"))
    return items

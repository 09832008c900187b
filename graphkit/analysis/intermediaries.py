"""Find newly registered, Russian-owned firms that sit between EU suppliers and Russian buyers.

The pattern comes from the investigations of re-exports to Russia after February 2022 (see
the FinCEN/BIS joint alerts of 28 June 2022 and 19 May 2023, and the EU's guidance on
high-priority items): a firm in a third country, registered after the invasion and owned by
Russians, imports goods from EU suppliers and exports goods to Russian buyers.

Shipments are joined as columns (pandas), so millions of declarations are cheap; NetworkX
only walks the ownership chains above the few firms that trade both ways.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.analysis.conflicts import conflict_sentence, conflicts_by_id, find_conflicts
from graphkit.analysis.indicators import DEFAULT_WEIGHTS, RedFlags, Weights, compute_indicators
from graphkit.analysis.ownership import (
    Chain,
    Interval,
    PeakShare,
    owner_chains,
    ownership_graph,
    peak_share,
)
from graphkit.columns import is_in, rows
from graphkit.dataset import Dataset, as_date, as_dates, as_text
from graphkit.errors import OptionError
from graphkit.ingest.values import country_code
from graphkit.resolve.identifiers import REGISTRY
from graphkit.settings import (
    COUNTRY_GROUPS,
    DEFAULT_BUYERS,
    DEFAULT_MATCH_LEVEL,
    DEFAULT_MAX_HOPS,
    DEFAULT_MIN_RUSSIAN_SHARE,
    DEFAULT_OWNER_COUNTRIES,
    DEFAULT_SUPPLIERS,
    DEFAULT_VIA,
    DEFAULT_WINDOW_DAYS,
    INVASION_DATE,
)

NEWLY_REGISTERED = "newly_registered"
RUSSIAN_OWNED = "russian_owned"
BETWEEN = "between_suppliers_and_buyers"
CRITERIA = (NEWLY_REGISTERED, RUSSIAN_OWNED, BETWEEN)

# The score orders findings: each criterion met is worth more than all red flags together, so a
# firm meeting all three always ranks above one that fails a criterion; among firms meeting as
# many criteria, the red flags decide.
POINTS_PER_CRITERION = 30.0
POINTS_FOR_ALL_RED_FLAGS = 10.0


def expand_countries(names: Iterable[str]) -> frozenset[str]:
    """Alpha-2 codes for country codes, names or groups: ``EU`` stands for the 27 member states.

    >>> sorted(expand_countries(["KZ", "Kyrgyzstan", "Армения"]))
    ['AM', 'KG', 'KZ']
    """
    result: set[str] = set()
    for name in names:
        group = COUNTRY_GROUPS.get(name.strip().upper())
        code = country_code(name)
        if group is not None:
            result.update(group)
        elif code is not None:
            result.add(code)
        else:
            raise OptionError(
                f"'{name}' is not a country or a group of countries",
                fix="Use ISO codes such as KZ or RU, country names, or a group: "
                + ", ".join(COUNTRY_GROUPS),
            )
    return frozenset(result)


@dataclass(frozen=True)
class Criteria:
    """The options of find-intermediaries, with the defaults investigators start from."""

    registered_after: date = INVASION_DATE
    min_russian_share: float = DEFAULT_MIN_RUSSIAN_SHARE
    via: frozenset[str] = expand_countries(DEFAULT_VIA)
    suppliers: frozenset[str] = expand_countries(DEFAULT_SUPPLIERS)
    buyers: frozenset[str] = expand_countries(DEFAULT_BUYERS)
    owner_countries: frozenset[str] = expand_countries(DEFAULT_OWNER_COUNTRIES)
    include_partial: bool = False  # --all: also firms that fail a criterion
    # how the red-flag indicators are measured and weighed (graphkit/analysis/indicators.py)
    window_days: int = DEFAULT_WINDOW_DAYS
    match_level: str = DEFAULT_MATCH_LEVEL
    max_hops: int = DEFAULT_MAX_HOPS
    weights: Weights = DEFAULT_WEIGHTS


@dataclass
class Finding:
    """One firm, the criteria it meets, and the records that show it."""

    id: str
    name: str
    country: str
    registration_number: str | None
    registered_on: date | None
    registered_on_source: str | None  # 'registry', or the identifier the date was read from
    russian_share: float
    owners: list[dict[str, Any]]
    suppliers: list[dict[str, Any]]
    buyers: list[dict[str, Any]]
    hs_codes: list[str]
    first_inbound: date | None
    last_outbound: date | None
    criteria: dict[str, bool]
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    directors: list[dict[str, Any]] = field(default_factory=list)
    sanctioned: list[dict[str, Any]] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)
    red_flags: RedFlags | None = None
    conflicts: list[dict[str, Any]] = field(default_factory=list)  # graphkit.analysis.conflicts

    @property
    def failed(self) -> list[str]:
        return [name for name in CRITERIA if not self.criteria[name]]

    @property
    def flagged(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "registration_number": self.registration_number,
            "registered_on": _iso(self.registered_on),
            "registered_on_source": self.registered_on_source,
            "russian_share": round(self.russian_share, 2),
            "owners": self.owners,
            "directors": self.directors,
            "suppliers": self.suppliers,
            "buyers": self.buyers,
            "hs_codes": self.hs_codes,
            "first_inbound": _iso(self.first_inbound),
            "last_outbound": _iso(self.last_outbound),
            "criteria": self.criteria,
            "failed": self.failed,
            "sanctioned": self.sanctioned,
            "score": round(self.score, 2),
            "reasons": self.reasons,
            "evidence": self.evidence,
            "red_flags": self.red_flags.to_dict() if self.red_flags else None,
            "conflicts": self.conflicts,
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def find_intermediaries(
    dataset: Dataset, criteria: Criteria | None = None, *, firm_ids: Iterable[str] | None = None
) -> list[Finding]:
    """Firms that are newly registered, Russian-owned and between suppliers and buyers.

    Returns the firms meeting all three criteria (with ``include_partial``, also the firms that
    trade with a supplier or buyer country and fail some), each with its red flags, highest
    score first. ``firm_ids`` limits the assessment to those firms.

    Example: a Kazakh firm registered on 2022-06-01, 60% owned by a Cypriot holding that a
    Russian owns fully, buying chips from Germany and selling them to Russia, is flagged with
    ``russian_share == 60.0`` and a reason per criterion.
    """
    criteria = criteria or Criteria()
    trade = _Trade(dataset.shipments, dataset.companies, criteria, firm_ids)
    context = _Context.build(dataset, trade.population, criteria)
    population = trade.population
    if not criteria.include_partial:  # all but ownership is checked: the owners decide
        firms = population["id"].tolist()
        owned = [_russian_owned(firm, trade, context, criteria) for firm in firms]
        population = population[np.array(owned, dtype=bool)]
    trade.detail(population["id"])
    context.add_directors(population["id"])
    findings = [_assess(company, trade, context, criteria) for company in population.itertuples()]
    if not criteria.include_partial:
        findings = [f for f in findings if f.flagged]
    _add_red_flags(dataset, findings, criteria)
    _add_conflicts(dataset, findings)
    return sorted(findings, key=lambda f: (-f.score, f.id))


def _add_red_flags(dataset: Dataset, findings: list[Finding], criteria: Criteria) -> None:
    """Measure the indicators of the firms found, and let them rank and explain each finding."""
    measured = measure_red_flags(dataset, [finding.id for finding in findings], criteria)
    for finding in findings:
        finding.red_flags = measured[finding.id]
        finding.score = score(finding)
        finding.reasons += finding.red_flags.reasons()


def _add_conflicts(dataset: Dataset, findings: list[Finding]) -> None:
    """List the data conflicts that involve each firm, the owners and holdings on its chains,
    its directors, suppliers or buyers, and say so among its reasons."""
    if not findings:
        return
    by_id = conflicts_by_id(find_conflicts(dataset))
    for finding in findings:
        chains = [link for owner in finding.owners for link in owner["chain"]]
        parties = [finding.id]
        parties += [i for link in chains for i in (link["owner_id"], link["owned_id"])]
        parties += [p["id"] for p in (*finding.directors, *finding.suppliers, *finding.buyers)]
        for party in dict.fromkeys(p for p in parties if p is not None):
            for conflict in by_id.get(party, []):
                if conflict not in finding.conflicts:
                    finding.conflicts.append(dict(conflict))
        finding.reasons += [conflict_sentence(c) for c in finding.conflicts]


def measure_red_flags(
    dataset: Dataset, firm_ids: Iterable[str], criteria: Criteria
) -> dict[str, RedFlags]:
    """The indicators of each firm, measured and weighed with the options in ``criteria``.

    Raises OptionError for an id that names no registry firm.
    """
    measured = compute_indicators(
        dataset,
        firm_ids,
        suppliers=criteria.suppliers,
        buyers=criteria.buyers,
        invasion=INVASION_DATE,
        window_days=criteria.window_days,
        match_level=criteria.match_level,
        max_hops=criteria.max_hops,
        owner_countries=criteria.owner_countries,
        min_share=criteria.min_russian_share,
    )
    return {firm: RedFlags.of(found, criteria.weights) for firm, found in measured.items()}


@dataclass
class _FirmTrade:
    """One firm's shipments in one direction: dates, goods, counterparties, declaration ids."""

    first: date | None = None
    last: date | None = None
    hs_codes: frozenset[str] = frozenset()
    shipment_ids: tuple[str, ...] = ()
    parties: tuple[dict[str, Any], ...] = ()


class _Trade:
    """Shipments from supplier countries into registry firms, and out of them to buyers.

    Everything is aggregated per firm in a few groupby passes over the shipments of the firms
    assessed, so that assessing a firm is a dictionary lookup.
    """

    def __init__(
        self,
        shipments: pd.DataFrame,
        companies: pd.DataFrame,
        criteria: Criteria,
        firm_ids: Iterable[str] | None,
    ):
        if criteria.include_partial:
            candidates = ~companies["country"].isin(criteria.suppliers | criteria.buyers)
        else:  # the cheap criteria first: only new firms trading both ways need their owners
            new = companies["registered_on"] >= pd.Timestamp(criteria.registered_after)
            candidates = companies["country"].isin(criteria.via) & new
        if firm_ids is not None:
            candidates &= companies["id"].isin(set(firm_ids))
        # the candidates' shipments from supplier countries, and to buyer countries
        ids = companies["id"][candidates]  # a small set to look keys up in
        from_suppliers = shipments["exporter_country"].isin(criteria.suppliers)
        to_buyers = shipments["importer_country"].isin(criteria.buyers)
        self.received = _Side(shipments, "importer_key", from_suppliers, ids)
        self.sent = _Side(shipments, "exporter_key", to_buyers, ids)
        receives = is_in(companies["id"], self.received.keys)
        sends = is_in(companies["id"], self.sent.keys)
        trades = (receives | sends) if criteria.include_partial else (receives & sends)
        self.population = companies[candidates & trades]
        self.companies = companies
        firms = self.population["id"]
        self.windows = _windows(self.received.of(firms, ["date"]), self.sent.of(firms, ["date"]))
        self.inbound: dict[str, _FirmTrade] = {}
        self.outbound: dict[str, _FirmTrade] = {}

    def detail(self, firms: pd.Series) -> None:
        """Aggregate the counterparties, goods and declarations of ``firms``: the firms that
        will be listed, a few of the firms assessed."""
        inbound = self.received.of(firms, _per_firm_columns("importer"))
        outbound = self.sent.of(firms, _per_firm_columns("exporter"))
        parties = pd.concat([inbound["exporter_key"], outbound["importer_key"]]).dropna()
        known = self.companies[is_in(self.companies["id"], parties)]
        names = dict(rows(known, "id", "name"))
        self.inbound = _per_firm(inbound, "importer", names)
        self.outbound = _per_firm(outbound, "exporter", names)


class _Side:
    """Some of the shipments, and the key of the firm on one side of them (importer_key or
    exporter_key): the firms' shipments are then looked for among these keys alone."""

    def __init__(
        self, shipments: pd.DataFrame, key: str, counted: pd.Series, firms: pd.Series
    ) -> None:
        """The shipments ``counted`` (a mask) whose ``key`` is one of ``firms``; the keys are
        looked up in the rows counted alone."""
        self.shipments, self.key = shipments, key
        keys = shipments[key][counted]
        found = is_in(keys, firms).to_numpy()
        self.positions = np.flatnonzero(counted.to_numpy())[found]
        self.keys = keys[found]

    def of(self, firms: pd.Series, columns: list[str]) -> pd.DataFrame:
        """The shipments of ``firms``, with the key and ``columns`` only: taking rows copies
        each column taken whole when it is stored in pieces (chunks), as the cache reads it."""
        found = self.positions[is_in(self.keys, firms).to_numpy()]
        return self.shipments[[self.key, *columns]].iloc[found]


def _windows(inbound: pd.DataFrame, outbound: pd.DataFrame) -> dict[str, Interval]:
    """Each firm's trading window: from its first inbound supplier shipment to its last
    outbound buyer shipment. A firm that trades one way only (listed with --all) is measured
    over its own shipments."""
    spans = pd.concat(
        [
            inbound.groupby("importer_key")["date"].agg(["min", "max"]).add_prefix("in_"),
            outbound.groupby("exporter_key")["date"].agg(["min", "max"]).add_prefix("out_"),
        ],
        axis=1,
    )
    both = spans["in_min"].notna() & spans["out_max"].notna()
    start = spans["in_min"].where(~both, spans[["in_min", "out_max"]].min(axis=1))
    end = spans["out_max"].where(~both, spans[["in_min", "out_max"]].max(axis=1))
    start = start.where(both, spans.min(axis=1))
    end = end.where(both, spans.max(axis=1))
    firms = map(str, spans.index.tolist())
    return dict(zip(firms, zip(as_dates(start), as_dates(end), strict=True), strict=True))


def _russian_owned(firm: str, trade: _Trade, context: _Context, criteria: Criteria) -> bool:
    window = trade.windows.get(firm, (None, None))
    chains = owner_chains(context.graph, firm, context.owner_group, window=window)
    return peak_share(chains).share >= criteria.min_russian_share - 1e-9


def _per_firm_columns(firm_side: str) -> list[str]:
    """The columns besides the firm's key that ``_per_firm`` reads."""
    other = "exporter" if firm_side == "importer" else "importer"
    return [
        "id",
        "date",
        "hs_code",
        "value_usd",
        f"{other}_key",
        f"{other}_name",
        f"{other}_country",
    ]


def _per_firm(
    shipments: pd.DataFrame, firm_side: str, names: dict[str, str]
) -> dict[str, _FirmTrade]:
    """Aggregate shipments by the firm on ``firm_side`` and by its counterparty.

    One sort puts each firm's shipments, and within them each counterparty's, next to each
    other; the groups are then slices of the sorted columns, with no Python call per shipment.
    """
    if shipments.empty:
        return {}
    other = "exporter" if firm_side == "importer" else "importer"
    frame = pd.DataFrame(
        {
            "firm": shipments[f"{firm_side}_key"],
            "party": shipments[f"{other}_key"].fillna(
                "name:"
                + shipments[f"{other}_country"]
                + ":"
                + shipments[f"{other}_name"].fillna("?")
            ),
            "id": shipments["id"],
            "date": shipments["date"],
            "hs_code": shipments["hs_code"],
            "value_usd": shipments["value_usd"].fillna(0.0),
            "name": shipments[f"{other}_name"],
            "country": shipments[f"{other}_country"],
        }
    ).sort_values(["firm", "party", "id"], ignore_index=True)
    ids = frame["id"].to_numpy()
    per_party = frame.groupby(["firm", "party"], sort=False).agg(
        shipments=("id", "size"),
        value_usd=("value_usd", "sum"),
        name=("name", "first"),
        country=("country", "first"),
    )
    per_party["start"] = np.r_[0, np.cumsum(per_party["shipments"].to_numpy())[:-1]]
    parties: dict[str, list[dict[str, Any]]] = {}
    for (firm_id, party_key), (start, count, value, name, country) in zip(
        per_party.index.tolist(),
        rows(per_party, "start", "shipments", "value_usd", "name", "country"),
        strict=True,
    ):
        linked = not party_key.startswith("name:")
        parties.setdefault(firm_id, []).append(
            {
                "id": party_key if linked else None,
                "name": names[party_key] if linked else as_text(name),
                "country": country,
                "shipments": int(count),
                "value_usd": round(float(value), 2),
                "shipment_ids": ids[start : start + count].tolist(),
            }
        )
    per_firm = frame.groupby("firm", sort=False).agg(first=("date", "min"), last=("date", "max"))
    codes: dict[str, set[str]] = {}
    for firm_id, code in rows(frame.drop_duplicates(["firm", "hs_code"]), "firm", "hs_code"):
        codes.setdefault(firm_id, set()).add(code)
    return {
        firm_id: _FirmTrade(
            first=first,
            last=last,
            hs_codes=frozenset(codes[firm_id]),
            shipment_ids=tuple(sorted(i for p in parties[firm_id] for i in p["shipment_ids"])),
            parties=tuple(sorted(parties[firm_id], key=_by_value)),
        )
        for firm_id, first, last in zip(
            per_firm.index.tolist(),
            as_dates(per_firm["first"]),
            as_dates(per_firm["last"]),
            strict=True,
        )
    }


def _by_value(party: dict[str, Any]) -> tuple[float, str]:
    return (-party["value_usd"], str(party["id"] or party["name"]))


@dataclass
class _Context:
    """What assessing a firm needs besides its shipments: owners, names, sanctions."""

    graph: nx.MultiDiGraph
    owner_group: frozenset[str]
    names: dict[str, str]
    countries: dict[str, str]
    nationalities: dict[str, str]
    sanctions: dict[str, list[str]]  # entity id -> programs
    officers: pd.DataFrame  # of the firms screened, in file order (see add_directors)
    directors: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # firm -> officers

    @classmethod
    def build(cls, dataset: Dataset, population: pd.DataFrame, criteria: Criteria) -> _Context:
        holdings = _holdings_above(dataset.ownership, set(population["id"]))
        officers = dataset.officers[is_in(dataset.officers["company_id"], population["id"])]
        # only the firms, owners and officers around the population are ever looked up
        around = pd.concat(
            [population["id"], holdings["owner_id"], holdings["owned_id"], officers["person_id"]]
        )
        companies = dataset.companies[is_in(dataset.companies["id"], around)]
        persons = dataset.persons[is_in(dataset.persons["id"], around)]
        # a person is in the group by any of its nationalities; tested once per distinct value
        nationalities = persons["nationality"].fillna("").tolist()
        distinct = set(nationalities)
        in_group = {n: bool(set(n.split(";")) & criteria.owner_countries) for n in distinct}
        russian_persons = persons["id"][np.array([in_group[n] for n in nationalities], bool)]
        russian_firms = companies.loc[companies["country"].isin(criteria.owner_countries), "id"]
        owner_group = frozenset(russian_persons.tolist()) | frozenset(russian_firms.tolist())
        listed = dataset.sanctions.dropna(subset=["entity_id"])
        sanctions: dict[str, list[str]] = {}
        for entity, program in rows(listed, "entity_id", "program"):
            sanctions.setdefault(entity, []).append(str(program or "sanctions list"))
        return cls(
            graph=ownership_graph(_held_by(owner_group, holdings)),
            owner_group=owner_group,
            names=dict(rows(companies, "id", "name")) | dict(rows(persons, "id", "name")),
            countries=dict(rows(companies, "id", "country")),
            nationalities=dict(zip(persons["id"].tolist(), nationalities, strict=True)),
            sanctions=sanctions,
            officers=officers.sort_values(["file", "line"], kind="stable"),  # whatever the store
        )

    def add_directors(self, firms: pd.Series) -> None:
        """Describe the officers of ``firms``, the firms assessed in full: not of every firm
        whose owners are looked at."""
        officers = self.officers[is_in(self.officers["company_id"], firms)]
        for (firm, person, role), since in zip(
            rows(officers, "company_id", "person_id", "role"),
            as_dates(officers["since"]),
            strict=True,
        ):
            self.directors.setdefault(firm, []).append(
                self.describe(person) | {"role": as_text(role), "since": _iso(since)}
            )

    def describe(self, entity: str) -> dict[str, Any]:
        party: dict[str, Any] = {"id": entity, "name": self.names.get(entity, entity)}
        if entity in self.countries:
            party["country"] = self.countries[entity]
        else:
            party["nationality"] = self.nationalities.get(entity) or None
        return party


def _holdings_above(ownership: pd.DataFrame, firms: set[str]) -> pd.DataFrame:
    """The ownership records on any chain above ``firms``: the owners looked at."""
    frontier, seen = set(firms), set(firms)
    parts = []
    while frontier:
        rows = ownership[is_in(ownership["owned_id"], frontier)]
        parts.append(rows)
        frontier = set(rows["owner_id"].tolist()) - seen
        seen |= frontier
    if not parts:
        return ownership.iloc[:0]
    return pd.concat(parts).drop_duplicates(subset=["file", "line"])


def _held_by(group: frozenset[str], holdings: pd.DataFrame) -> pd.DataFrame:
    """The holdings of members of ``group`` and of what they hold, directly or not: the only
    ones a chain from the group can take. Most firms have no such chain, and NetworkX is slow
    to build a graph of holdings that no chain takes."""
    owners, owned = holdings["owner_id"], holdings["owned_id"]
    reached = set(group)
    while held := set(owned[is_in(owners, reached)].tolist()) - reached:
        reached |= held
    return holdings[is_in(owners, reached)]


def _assess(company: Any, trade: _Trade, context: _Context, criteria: Criteria) -> Finding:
    inbound = trade.inbound.get(company.id, _FirmTrade())
    outbound = trade.outbound.get(company.id, _FirmTrade())
    window = trade.windows.get(company.id, (None, None))
    chains = owner_chains(context.graph, company.id, context.owner_group, window=window)
    peak = peak_share(chains)
    registered_on = as_date(company.registered_on)
    finding = Finding(
        id=company.id,
        name=company.name,
        country=company.country,
        registration_number=as_text(company.registration_number),
        registered_on=registered_on,
        registered_on_source=as_text(company.registered_on_source),
        russian_share=peak.share,
        owners=[_owner_entry(chain, context) for chain in chains],
        suppliers=list(inbound.parties),
        buyers=list(outbound.parties),
        hs_codes=sorted(inbound.hs_codes | outbound.hs_codes),
        first_inbound=inbound.first,
        last_outbound=outbound.last,
        criteria={
            NEWLY_REGISTERED: bool(registered_on and registered_on >= criteria.registered_after),
            RUSSIAN_OWNED: peak.share >= criteria.min_russian_share - 1e-9,
            BETWEEN: company.country in criteria.via
            and bool(inbound.parties)
            and bool(outbound.parties),
        },
        directors=context.directors.get(company.id, []),
        evidence={
            "company": f"{company.file} line {company.line}",
            "ownership": [
                f"{file} line {line}"
                for file, line in sorted({(h.file, h.line) for c in chains for h in c.holdings})
            ],
            "inbound_shipments": list(inbound.shipment_ids),
            "outbound_shipments": list(outbound.shipment_ids),
        },
    )
    finding.sanctioned = _sanctioned(finding, context)
    finding.reasons = explain(finding, peak, criteria)
    return finding


def _owner_entry(chain: Chain, context: _Context) -> dict[str, Any]:
    shares = [h.share for h in chain.holdings]
    arithmetic = " × ".join("?" if s is None else f"{s:g}%" for s in shares)
    share = chain.share
    entry = context.describe(chain.owner)
    entry.update(
        share=None if share is None else round(share, 4),
        chain=[
            {
                "owner_id": h.owner,
                "owner_name": context.names.get(h.owner, h.owner),
                "owned_id": h.owned,
                "owned_name": context.names.get(h.owned, h.owned),
                "share": h.share,
                "since": _iso(h.since),
                "until": _iso(h.until),
                "file": h.file,
                "line": h.line,
            }
            for h in chain.holdings
        ],
        arithmetic=arithmetic + ("" if len(shares) == 1 or share is None else f" = {share:.4g}%"),
        in_force_from=_iso(chain.start),
        in_force_until=_iso(chain.end),
    )
    return entry


def _sanctioned(finding: Finding, context: _Context) -> list[dict[str, Any]]:
    """The firm, its owners, directors, suppliers and buyers that are on the sanctions list."""
    roles = [("the firm itself", {"id": finding.id, "name": finding.name})]
    roles += [("owner", o) for o in finding.owners]
    roles += [("director", d) for d in finding.directors]
    roles += [("supplier", s) for s in finding.suppliers]
    roles += [("buyer", b) for b in finding.buyers]
    hits, seen = [], set()
    for role, party in roles:
        if party["id"] in context.sanctions and (role, party["id"]) not in seen:
            seen.add((role, party["id"]))
            hits.append(
                {
                    "role": role,
                    "id": party["id"],
                    "name": party["name"],
                    "programs": context.sanctions[party["id"]],
                }
            )
    return hits


def score(finding: Finding) -> float:
    """30 points per criterion met, plus up to 10 for red flags: higher means look first.

    The red flags add their score as a share of the most the weights allow, so whatever the
    weights, they never outweigh a criterion.
    """
    met = sum(finding.criteria.values())
    red_flags = finding.red_flags.share_of_most if finding.red_flags else 0.0
    return met * POINTS_PER_CRITERION + red_flags * POINTS_FOR_ALL_RED_FLAGS


def explain(finding: Finding, peak: PeakShare, criteria: Criteria) -> list[str]:
    """Plain sentences, one per criterion, that an investigator can paste into a report.

    Sanctioned parties are told among the red flags, which match by name as well as by id.
    """
    return [
        _explain_registration(finding, criteria),
        _explain_ownership(finding, peak, criteria),
        _explain_trade(finding, criteria),
    ]


def _explain_registration(finding: Finding, criteria: Criteria) -> str:
    cutoff = criteria.registered_after.isoformat()
    registered = finding.registered_on
    if registered is None:
        return f"Registration date unknown: netscan cannot show it was registered after {cutoff}."
    source = finding.registered_on_source or ""
    if source.startswith(REGISTRY):
        when = f"Registered on {registered.isoformat()}"
        evidence = finding.evidence["company"]
    else:  # the month from a BIN, or the date from a Kyrgyz INN: the registry has no date
        when = f"Registered in {registered:%B %Y} according to its {source}"
        evidence = "the registry gives no date" + (
            "; the day is not encoded, the 1st is assumed" if "BIN" in source else ""
        )
    if finding.criteria[NEWLY_REGISTERED]:
        days = (registered - criteria.registered_after).days
        return f"{when}, {days} days after {cutoff} ({evidence})."
    return f"Not newly registered: {when[0].lower() + when[1:]}, before {cutoff} ({evidence})."


def _explain_ownership(finding: Finding, peak: PeakShare, criteria: Criteria) -> str:
    group = (
        "Russian" if criteria.owner_countries == {"RU"} else _group_label(criteria.owner_countries)
    )
    threshold = f"{criteria.min_russian_share:g}%"
    if not finding.owners:
        return f"No {group} owner found in the ownership records in force while it traded."
    holders = "; ".join(_holder_phrase(owner) for owner in finding.owners)
    when = _period(peak.start, peak.end)
    verdict = "at least" if finding.criteria[RUSSIAN_OWNED] else "below"
    return (
        f"{group} owners held {finding.russian_share:.1f}%{when}, {verdict} the {threshold} "
        f"threshold: {holders}."
    )


def _period(start: date | None, end: date | None) -> str:
    if start and end:
        return f" ({start.isoformat()} to {end.isoformat()})"
    if start:
        return f" (from {start.isoformat()})"
    if end:
        return f" (until {end.isoformat()})"
    return ""


def _holder_phrase(owner: dict[str, Any]) -> str:
    """'Волков А.И. (P-001) holds 75.0% through Meridian Holdings Ltd (100% × 75% = 75%)'."""
    phrase = f"{owner['name']} ({owner['id']}) holds {_pct(owner['share'])}"
    intermediate = [link["owned_name"] for link in owner["chain"][:-1]]
    if intermediate:
        phrase += f" through {' → '.join(intermediate)} ({owner['arithmetic']})"
    return phrase


def _pct(share: float | None) -> str:
    return "an unknown share (not counted)" if share is None else f"{share:.1f}%"


def _explain_trade(finding: Finding, criteria: Criteria) -> str:
    inbound = _trade_sentence("Received", "from", "suppliers", finding.suppliers)
    outbound = _trade_sentence("sent", "to", "buyers", finding.buyers)
    if finding.criteria[BETWEEN]:
        return f"{inbound}; {outbound}."
    problems = []
    if finding.country not in criteria.via:
        problems.append(f"located in {finding.country}, not in {'/'.join(sorted(criteria.via))}")
    if not finding.suppliers:
        problems.append(f"no shipments from {_group_label(criteria.suppliers)}")
    if not finding.buyers:
        problems.append(f"no shipments to {_group_label(criteria.buyers)}")
    trade = "; ".join(s for s in (inbound, outbound) if s)
    return f"Not between suppliers and buyers: {', '.join(problems)}" + (
        f" ({trade[0].lower() + trade[1:]})." if trade else "."
    )


def _trade_sentence(verb: str, preposition: str, role: str, parties: list[dict[str, Any]]) -> str:
    if not parties:
        return ""
    count = sum(p["shipments"] for p in parties)
    value = sum(p["value_usd"] for p in parties)
    countries = ", ".join(sorted({p["country"] for p in parties}))
    return (
        f"{verb} {count} shipment{'s' if count != 1 else ''} worth USD {value:,.0f} "
        f"{preposition} {len(parties)} {role[:-1] if len(parties) == 1 else role} in {countries}"
    )


def _group_label(countries: frozenset[str]) -> str:
    for name, members in COUNTRY_GROUPS.items():
        if countries == frozenset(members):
            return name
    return "/".join(sorted(countries))

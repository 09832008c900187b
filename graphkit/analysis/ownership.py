"""Effective ownership: the share a group of owners holds in a firm through every chain.

The method is the one used for beneficial ownership: along a chain of holdings the shares
multiply (60% of a holding that owns 80% of the firm is 48% of the firm), and the chains of
the group add up. A chain ends at the first owner of the group, so a Russian firm owned by
another Russian is not counted twice. A holding counts only while in force (since/until), and
only chains whose holdings were all in force at the same time count. See the OECD/FATF
guidance on beneficial ownership (FATF, "Guidance on Beneficial Ownership of Legal Persons",
March 2023, section 4) for the multiplication rule.
"""

from __future__ import annotations

import math
from collections.abc import Container, Iterator
from dataclasses import dataclass
from datetime import date

import networkx as nx
import pandas as pd

from graphkit.dataset import as_dates
from graphkit.settings import MAX_CHAIN_DEPTH

Interval = tuple[date | None, date | None]  # inclusive; None is open-ended


@dataclass(frozen=True)
class Holding:
    """One ownership record: ``owner`` holds ``share`` percent of ``owned`` (None: unknown)."""

    owner: str
    owned: str
    share: float | None
    since: date | None
    until: date | None
    line: int
    file: str


@dataclass(frozen=True)
class Chain:
    """A path of holdings from an owner of the measured group down to the firm."""

    holdings: tuple[Holding, ...]  # from the top owner down to the firm
    start: date | None  # when all holdings of the chain were in force together
    end: date | None

    @property
    def owner(self) -> str:
        return self.holdings[0].owner

    @property
    def share(self) -> float | None:
        """Product of the shares along the chain, in percent; None if one is unknown."""
        fraction = 1.0
        for holding in self.holdings:
            if holding.share is None:
                return None
            fraction *= holding.share / 100
        return fraction * 100


def ownership_graph(ownership: pd.DataFrame) -> nx.MultiDiGraph:
    """A graph with an edge owner -> owned per ownership record, carrying a ``holding``.

    Records are added in file order, so that the graph is the same whatever order a store
    returns them in.
    """
    rows = ownership.sort_values(["file", "line"], kind="stable")
    # whole columns as Python values: reading Arrow-backed cells row by row is slow
    holdings = map(
        Holding,
        rows["owner_id"].tolist(),
        rows["owned_id"].tolist(),
        [None if math.isnan(share) else share for share in rows["share"].astype(float).tolist()],
        as_dates(rows["since"]),
        as_dates(rows["until"]),
        rows["line"].astype(int).tolist(),
        rows["file"].astype(str).tolist(),
    )
    graph = nx.MultiDiGraph()
    for holding in holdings:
        graph.add_edge(holding.owner, holding.owned, holding=holding)
    return graph


def _intersect(a: Interval, b: Interval) -> Interval | None:
    start = max((d for d in (a[0], b[0]) if d is not None), default=None)
    end = min((d for d in (a[1], b[1]) if d is not None), default=None)
    if start is not None and end is not None and start > end:
        return None
    return start, end


def owner_chains(
    graph: nx.MultiDiGraph,
    company: str,
    group: Container[str],
    *,
    window: Interval = (None, None),
    max_depth: int = MAX_CHAIN_DEPTH,
) -> list[Chain]:
    """Every chain of holdings by which a member of ``group`` owns ``company`` during ``window``.

    Chains are simple paths followed upwards from ``company``: a cycle of cross-holdings is
    walked once, and a chain stops at the first member of ``group`` it reaches.

    >>> g = ownership_graph(pd.DataFrame({
    ...     "owner_id": ["ivanov", "cy"], "owned_id": ["cy", "kz"], "share": [60.0, 80.0],
    ...     "since": [pd.NaT, pd.NaT], "until": [pd.NaT, pd.NaT], "line": [2, 3]}))
    >>> [round(c.share, 1) for c in owner_chains(g, "kz", {"ivanov"})]
    [48.0]
    """
    if company not in graph:
        return []
    return sorted(
        _walk_up(graph, company, group, window, (), max_depth),
        key=lambda c: [h.owner for h in c.holdings],
    )


def _walk_up(
    graph: nx.MultiDiGraph,
    node: str,
    group: Container[str],
    window: Interval,
    below: tuple[Holding, ...],
    depth_left: int,
) -> Iterator[Chain]:
    visited = {node, *(h.owned for h in below)}
    for owner, _, data in graph.in_edges(node, data=True):
        holding: Holding = data["holding"]
        together = _intersect(window, (holding.since, holding.until))
        if owner in visited or together is None:
            continue  # a cycle, or a holding not in force when the rest of the chain was
        holdings = (holding, *below)
        if owner in group:
            yield Chain(holdings, *together)
        elif depth_left > 1:
            yield from _walk_up(graph, owner, group, together, holdings, depth_left - 1)


@dataclass(frozen=True)
class PeakShare:
    share: float  # percent
    start: date | None  # the first period in which the group held that much
    end: date | None
    chains: tuple[Chain, ...]  # the chains in force in that period


def peak_share(chains: list[Chain]) -> PeakShare:
    """The highest combined share of ``chains`` at any one time, and when it was held.

    Chains of unknown share count as zero: a share netscan cannot show is not claimed.
    """
    known = [c for c in chains if c.share is not None]
    if not known:
        return PeakShare(0.0, None, None, ())
    # candidate moments: every chain start (and the open start); the sum only rises there
    moments = sorted({c.start for c in known if c.start is not None})
    best = PeakShare(-1.0, None, None, ())
    for moment in [None, *moments]:
        active = tuple(c for c in known if _in_force(c, moment))
        total = sum(c.share or 0.0 for c in active)
        if total > best.share + 1e-9:
            end = min((c.end for c in active if c.end is not None), default=None)
            best = PeakShare(total, moment, end, active)
    return best


def _in_force(chain: Chain, moment: date | None) -> bool:
    if moment is None:
        return chain.start is None
    started = chain.start is None or chain.start <= moment
    return started and (chain.end is None or chain.end >= moment)

"""Background shipments: ordinary trade between segments, drawn a chunk at a time.

Each flow says which segments send to which, in which period, and how often the goods are on
the EU's high-priority list. Flows are where the background keeps its promise: new Russian-
owned Kazakh firms either never buy from the EU or never sell to Russia, and EU suppliers sell
to Russia directly only before the invasion.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphkit.generate.messy import (
    GOODS,
    HIGH_PRIORITY_INDEX,
    INVASION,
    NO_DAY,
    ORDINARY_INDEX,
    WORLD_END,
    WORLD_START,
)
from graphkit.generate.tables import NO_ALIAS, Firms, Segment, Trades

S = Segment
_KZ_BUYING_FROM_EU = (S.KZ_OLD, S.KZ_NEW_LOCAL, S.KZ_NEW_RU_DOMESTIC)
_KZ_SELLING_TO_RU = (S.KZ_OLD, S.KZ_NEW_LOCAL, S.KZ_NEW_RU_EXPORTER)
_KZ = (S.KZ_OLD, S.KZ_NEW_LOCAL, S.KZ_NEW_RU_DOMESTIC, S.KZ_NEW_RU_EXPORTER)


@dataclass(frozen=True)
class Flow:
    exporters: tuple[Segment, ...]
    importers: tuple[Segment, ...]
    first: int  # first day
    last: int  # last day
    high_priority_odds: float
    weight: float  # share of background shipments


FLOWS: tuple[Flow, ...] = (
    Flow((S.EU_SUPPLIER,), _KZ_BUYING_FROM_EU, WORLD_START, WORLD_END, 0.35, 0.16),
    Flow((S.EU_SUPPLIER,), (S.RU_BUYER,), WORLD_START, INVASION - 1, 0.3, 0.08),
    Flow((S.EU_SUPPLIER,), (S.REGIONAL,), WORLD_START, WORLD_END, 0.25, 0.04),
    Flow((S.EU_SUPPLIER, S.ASIAN_SUPPLIER), (S.GULF_TRADER,), WORLD_START, WORLD_END, 0.3, 0.02),
    Flow((S.ASIAN_SUPPLIER,), (S.RU_BUYER,), WORLD_START, WORLD_END, 0.25, 0.14),
    Flow((S.ASIAN_SUPPLIER,), _KZ, WORLD_START, WORLD_END, 0.2, 0.12),
    Flow((S.ASIAN_SUPPLIER,), (S.REGIONAL,), WORLD_START, WORLD_END, 0.2, 0.03),
    Flow(_KZ_SELLING_TO_RU, (S.RU_BUYER,), WORLD_START, WORLD_END, 0.3, 0.12),
    Flow(_KZ, (*_KZ, S.REGIONAL), WORLD_START, WORLD_END, 0.15, 0.08),
    Flow((S.RU_BUYER,), (*_KZ, S.REGIONAL), WORLD_START, WORLD_END, 0.1, 0.10),
    Flow((S.REGIONAL,), (S.RU_BUYER,), WORLD_START, WORLD_END, 0.25, 0.05),
    Flow((S.GULF_TRADER,), (S.RU_BUYER,), WORLD_START, WORLD_END, 0.3, 0.02),
)

_NAMED_ONLY_ODDS = 1 / 3  # parties given by name and country, without a registry id
_POPULARITY_SKEW = 0.8  # a few firms trade a lot, most a little
_VALUE = (np.log(15_000), 1.2, 50, 9_000_000)  # lognormal dollars: log median, sigma, clip
_QUANTITY = {"pcs": (1, 5000), "kg": (1, 25000), "u": (1, 50)}
_GOODS_QUANTITY = np.array([_QUANTITY[g.unit] for g in GOODS])


@dataclass(frozen=True)
class _Pool:
    """Firms that can take one side of a flow, each with its odds of being picked."""

    rows: np.ndarray
    cumulative: np.ndarray

    @classmethod
    def of(
        cls, rng: np.random.Generator, firms: Firms, segments: tuple[Segment, ...], last: int
    ) -> _Pool:
        # registered a month before the flow ends, so every pair has days to trade on
        rows = np.flatnonzero(
            np.isin(firms.segment, segments)
            & (firms.dissolved == NO_DAY)
            & (firms.registered <= last - 30)
        )
        odds = 1.0 / (rng.permutation(len(rows)) + 3.0) ** _POPULARITY_SKEW
        return cls(rows, np.cumsum(odds) / odds.sum())

    def positions(self, rng: np.random.Generator, count: int) -> np.ndarray:
        found = np.searchsorted(self.cumulative, rng.random(count), side="right")
        return np.minimum(found, len(self.rows) - 1)


class BackgroundTrade:
    """Draws background shipments, any number at a time."""

    def __init__(self, rng: np.random.Generator, firms: Firms) -> None:
        self.rng = rng
        self.firms = firms
        self.pools = [
            (_Pool.of(rng, firms, f.exporters, f.last), _Pool.of(rng, firms, f.importers, f.last))
            for f in FLOWS
        ]
        weights = np.array([f.weight for f in FLOWS])
        self.flow_odds = weights / weights.sum()

    def draw(self, count: int) -> Trades:
        rng = self.rng
        flow = rng.choice(len(FLOWS), size=count, p=self.flow_odds)
        exporter = np.zeros(count, dtype=np.int64)
        importer = np.zeros(count, dtype=np.int64)
        goods = np.zeros(count, dtype=np.int64)
        first = np.zeros(count, dtype=np.int64)
        last = np.zeros(count, dtype=np.int64)
        for i, f in enumerate(FLOWS):
            rows = np.flatnonzero(flow == i)
            exporter[rows], importer[rows] = self._parties(i, len(rows))
            goods[rows] = _goods(rng, f.high_priority_odds, len(rows))
            first[rows], last[rows] = f.first, f.last
        registered = np.maximum(self.firms.registered[exporter], self.firms.registered[importer])
        start = np.maximum(registered + 1, first)
        day = start + (rng.random(count) * (last - start + 1)).astype(np.int64)
        low, high = _GOODS_QUANTITY[goods, 0], _GOODS_QUANTITY[goods, 1]
        dollars = np.clip(rng.lognormal(_VALUE[0], _VALUE[1], size=count), _VALUE[2], _VALUE[3])
        no_alias = np.full(count, NO_ALIAS, dtype=np.int64)
        return Trades(
            day.astype(np.int32),
            exporter,
            importer,
            rng.random(count) < _NAMED_ONLY_ODDS,
            rng.random(count) < _NAMED_ONLY_ODDS,
            no_alias,
            no_alias.copy(),
            goods,
            np.round(dollars * 100).astype(np.int64),
            (low + rng.random(count) * (high - low + 1)).astype(np.int64),
        )

    def _parties(self, flow: int, count: int) -> tuple[np.ndarray, np.ndarray]:
        exporters, importers = self.pools[flow]
        exporter = exporters.rows[exporters.positions(self.rng, count)]
        at = importers.positions(self.rng, count)
        # a firm does not ship to itself: take the next importer in the pool instead
        same = importers.rows[at] == exporter
        at[same] = (at[same] + 1) % len(importers.rows)
        return exporter, importers.rows[at]


def _goods(rng: np.random.Generator, high_priority_odds: float, count: int) -> np.ndarray:
    high = rng.random(count) < high_priority_odds
    return np.where(
        high,
        rng.choice(HIGH_PRIORITY_INDEX, size=count),
        rng.choice(ORDINARY_INDEX, size=count),
    )

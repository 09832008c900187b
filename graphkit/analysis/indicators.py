"""Red-flag indicators: how strongly a firm's records show the behaviour regulators warn about.

``find_intermediaries`` says whether a firm fits the pattern (new, Russian-owned, between EU
suppliers and Russian buyers). The indicators here measure the red flags published for
Russia-related export-control evasion, and each keeps the records it rests on (shipment ids,
ownership and officer lines, party ids), so that every number can be shown to a reader:

- ``pass_through``: goods from supplier countries that leave again for buyer countries within
  ``window_days`` (FIFO matching, see ``fifo_match``);
- ``high_priority_goods``: trade in HS-6 codes of the Common High Priority Items list, by tier;
- ``supplier_redirection``: an EU supplier that shipped to a Russian buyer directly before the
  invasion now ships to the firm, which ships to that buyer;
- ``speed``: days from registration to trading both ways;
- ``sanctioned_parties``: the firm, its suppliers, buyers, owners at any level or officers on the
  sanctions list, by entity id or by name key (same country and legal form when known);
- ``shared_people_with_buyer``: an owner or officer of the firm who owns or directs one of its
  buyers (directly or one level up), or the buyer itself owning the firm;
- ``clusters``: firms registered in a burst at the same address or with the same officer, and
  chains of transit firms between suppliers and buyers;
- ``ownership_changes``: a Russian owner who left after the invasion with a successor taking
  over, or whose share dropped to just below a threshold.

Each indicator has a value in [0, 1]; ``score_indicators`` multiplies it by a weight per
indicator (``DEFAULT_WEIGHTS``, or a TOML file read by ``load_weights``) and adds them up.
``Indicators.reasons`` gives one plain sentence per indicator that fired.

Shipments are restricted to the firms assessed before anything is joined, and every step is a
column operation (pandas, numpy), so a few thousand firms in ten million shipments are cheap.
"""

from __future__ import annotations

import logging
import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

import numpy as np
import pandas as pd

from graphkit.columns import is_in, rows
from graphkit.dataset import Dataset, as_date
from graphkit.errors import InputError, OptionError
from graphkit.reference import chpl_tiers
from graphkit.resolve.names import address_keys, name_keys
from graphkit.settings import (
    DEFAULT_MATCH_LEVEL,
    DEFAULT_MAX_HOPS,
    DEFAULT_MIN_RUSSIAN_SHARE,
    DEFAULT_WINDOW_DAYS,
    EU_MEMBERS,
    INVASION_DATE,
    MAX_CHAIN_DEPTH,
)

log = logging.getLogger(__name__)

PASS_THROUGH = "pass_through"
HIGH_PRIORITY_GOODS = "high_priority_goods"
SUPPLIER_REDIRECTION = "supplier_redirection"
SPEED = "speed"
SANCTIONED_PARTIES = "sanctioned_parties"
SHARED_PEOPLE_WITH_BUYER = "shared_people_with_buyer"
CLUSTERS = "clusters"
OWNERSHIP_CHANGES = "ownership_changes"
INDICATORS = (
    PASS_THROUGH,
    HIGH_PRIORITY_GOODS,
    SUPPLIER_REDIRECTION,
    SPEED,
    SANCTIONED_PARTIES,
    SHARED_PEOPLE_WITH_BUYER,
    CLUSTERS,
    OWNERSHIP_CHANGES,
)
CHPL_TIERS = ("1", "2", "3A", "3B", "4A", "4B")

MATCH_LEVELS = {"hs6": 6, "hs4": 4}  # digits of the HS code that must agree
BURST_DAYS = 180  # firms registered this close together count as one burst
FAST_DAYS, SLOW_DAYS = 30, 365  # speed is worth 1 up to FAST_DAYS, 0 from SLOW_DAYS
TAKEOVER_DAYS = 31  # a successor's holding starting this close to the exit takes over
NEAR_THRESHOLD_POINTS = 5.0  # "just below" a threshold: within this many percentage points
SANCTIONS_OWNERSHIP_THRESHOLD = 50.0  # EU and OFAC: owned 50% or more by listed persons

# The shipment columns the indicators read. Rows are selected with these alone: selecting rows
# copies each column taken, whole, when it is stored in pieces (chunks), as read from the cache.
SHIPMENT_COLUMNS = [
    "id", "date", "hs_code", "value_usd", "quantity", "unit",
    "exporter_key", "exporter_name", "exporter_country",
    "importer_key", "importer_name", "importer_country",
]  # fmt: skip
QUANTITY_SCALE, VALUE_SCALE = 1000, 100  # FIFO works on whole thousandths of a unit and cents
UNIT_SYNONYMS = {
    "pc": "pcs", "piece": "pcs", "pieces": "pcs", "u": "pcs", "unit": "pcs", "units": "pcs",
    "шт": "pcs", "nmb": "pcs", "kgs": "kg", "кг": "kg",
}  # fmt: skip


@dataclass(frozen=True)
class Weights:
    """Points per indicator (weight × the indicator's value in [0, 1]) and CHPL tier factors."""

    indicators: Mapping[str, float]
    tiers: Mapping[str, float]  # CHPL tier -> factor in [0, 1] for high_priority_goods


# The one place where the score's weights are set. They are netscan's judgement of how directly
# each red flag shows diversion, not numbers from the guidance; the guidance each follows:
DEFAULT_WEIGHTS = Weights(
    indicators=MappingProxyType(
        {
            # FinCEN/BIS alert FIN-2022-Alert003 (28 June 2022): purchases routed through
            # transshipment points near Russia; G7 industry guidance (24 Sept 2024): items first
            # sent through a third country to hide the true end user.
            PASS_THROUGH: 25.0,
            # Common High Priority Items list (EU, US, UK, Japan; tiers by risk); FIN-2023-Alert004
            # (19 May 2023) and the EU's enhanced due diligence guidance (Sept 2023): extra
            # diligence for these HS codes.
            HIGH_PRIORITY_GOODS: 15.0,
            # FIN-2022-Alert003: shipments previously scheduled for Russia sent elsewhere; G7 2024:
            # suppliers of Russia that found new customers in third countries after 24 Feb 2022.
            SUPPLIER_REDIRECTION: 15.0,
            # FIN-2023-Alert004: evaluate the date of incorporation (after 24 February 2022).
            SPEED: 5.0,
            # G7 2024: a customer connected to a sanctioned entity; EU Reg. 833/2014 Annex IV.
            SANCTIONED_PARTIES: 15.0,
            # FIN-2022-Alert003: corporate vehicles that obscure ownership or the countries
            # involved; G7 2024: a customer with connections to Russia.
            SHARED_PEOPLE_WITH_BUYER: 10.0,
            # G7 2024: new importers of CHPL items at the same address as others; routing
            # through several third-country firms.
            CLUSTERS: 10.0,
            # EU best practices on restrictive measures (ownership of 50% or more) and the usual
            # 25% beneficial-ownership threshold: holdings moved to stay out of reach.
            OWNERSHIP_CHANGES: 5.0,
        }
    ),
    # The CHPL ranks its tiers by risk: tier 1 integrated circuits first, tier 4 machine tools last.
    tiers=MappingProxyType({"1": 1.0, "2": 0.8, "3A": 0.6, "3B": 0.6, "4A": 0.4, "4B": 0.4}),
)
WEIGHTS_FILE_FIX = (
    "Write numbers of 0 or more under [weights] and factors from 0 to 1 under [chpl_tiers]"
)


def load_weights(path: Path) -> Weights:
    """Weights from a TOML file; indicators or tiers the file leaves out keep their defaults.

    A file that counts pass-through double and speed not at all::

        [weights]
        pass_through = 50
        speed = 0

        [chpl_tiers]
        4B = 0.2
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(
            f"cannot read the weights file ({error.strerror})",
            path=path,
            fix="Give a TOML file with a [weights] table",
        ) from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"not a TOML file: {error}", path=path, fix=WEIGHTS_FILE_FIX) from error
    for table in data:
        if table not in ("weights", "chpl_tiers"):
            raise InputError(
                f"unknown key '{table}'", path=path, fix="Use the tables [weights] and [chpl_tiers]"
            )
    return Weights(
        indicators=_weights_table(data, "weights", DEFAULT_WEIGHTS.indicators, None, path),
        tiers=_weights_table(data, "chpl_tiers", DEFAULT_WEIGHTS.tiers, 1.0, path),
    )


def _weights_table(
    data: dict[str, Any],
    table: str,
    defaults: Mapping[str, float],
    most: float | None,
    path: Path,
) -> Mapping[str, float]:
    given = data.get(table, {})
    if not isinstance(given, dict):
        raise InputError(f"'{table}' must be a table", path=path, fix=f"Write [{table}] on a line")
    result = dict(defaults)
    for key, value in given.items():
        if key not in defaults:
            raise InputError(
                f"unknown key '{table}.{key}'", path=path, fix=f"Use one of: {', '.join(defaults)}"
            )
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not math.isfinite(value) or value < 0 or (most and value > most):
            upto = f" up to {most:g}" if most else ""
            raise InputError(
                f"'{table}.{key}' is {value!r}, not a number of 0 or more{upto}",
                path=path,
                fix=WEIGHTS_FILE_FIX,
            )
        result[key] = float(value)
    return MappingProxyType(result)


def fifo_match(inbound: pd.DataFrame, outbound: pd.DataFrame, *, window_days: int) -> pd.DataFrame:
    """Match outbound to inbound amounts first in, first out, within ``window_days``.

    Both frames have columns ``group`` (only equal groups match: a firm and an HS code),
    ``day`` (an integer day) and ``amount`` (a whole number, such as cents or thousandths of
    a unit). Within a group, outbound rows are taken in date order, and each takes what it
    carries from the oldest inbound amount still in stock, until it is used up:

    - an inbound amount is in stock from its day (an outbound of the same day may take it);
    - an inbound amount more than ``window_days`` old is written off: it did not leave in time;
    - an outbound row takes at most what is in stock; the rest of it is unmatched.

    Returns one row per (inbound row, outbound row) that share an amount: ``inbound`` and
    ``outbound`` (positions in the frames given) and ``amount``.

    >>> inbound = pd.DataFrame({"group": ["a", "a"], "day": [0, 10], "amount": [100, 100]})
    >>> outbound = pd.DataFrame({"group": ["a"], "day": [12], "amount": [150]})
    >>> fifo_match(inbound, outbound, window_days=90).values.tolist()
    [[0, 0, 100], [1, 0, 50]]

    How it stays vectorised: with ``C`` the total taken after outbound row j, ``W`` the total
    asked, ``I`` what has arrived and ``E`` what has expired by its day, the stock rule is
    ``C_j = min(max(C_j-1, E_j) + w_j, I_j)``, so ``D = C - W`` follows
    ``D_j = clamp(D_j-1, E_j - W_j-1, I_j - W_j)``. Clamps compose into clamps, so every
    prefix is found with a segmented scan in log2(n) array steps; the shares are then the
    overlaps of the taken intervals with the inbound intervals on one cumulative axis.
    """
    if inbound.empty or outbound.empty:
        return pd.DataFrame({"inbound": [], "outbound": [], "amount": []}, dtype="int64")
    codes, _ = pd.factorize(pd.concat([inbound["group"], outbound["group"]], ignore_index=True))
    group_in, group_out = codes[: len(inbound)], codes[len(inbound) :]
    day_in = inbound["day"].to_numpy(np.int64)
    day_out = outbound["day"].to_numpy(np.int64)
    first_day = min(day_in.min(), day_out.min()) - window_days - 1
    span = max(day_in.max(), day_out.max()) - first_day + 1

    def key(group: np.ndarray, day: np.ndarray) -> np.ndarray:  # sorts by group, then day
        return group.astype(np.int64) * span + (day - first_day)

    in_order = np.lexsort((np.arange(len(inbound)), day_in, group_in))
    lot_keys = key(group_in[in_order], day_in[in_order])
    ends = np.cumsum(inbound["amount"].to_numpy(np.int64)[in_order])  # one axis for all groups
    starts = ends - inbound["amount"].to_numpy(np.int64)[in_order]

    def arrived_by(keys: np.ndarray) -> np.ndarray:  # the axis position after the lots up to keys
        found = np.searchsorted(lot_keys, keys, side="right")
        return np.where(found > 0, ends[np.maximum(found - 1, 0)], 0)

    out_order = np.lexsort((np.arange(len(outbound)), day_out, group_out))
    group, day = group_out[out_order], day_out[out_order]
    asked = outbound["amount"].to_numpy(np.int64)[out_order]
    group_start = arrived_by(key(group, np.full_like(day, first_day)))
    arrived = arrived_by(key(group, day))
    expired = arrived_by(key(group, day - window_days - 1))
    asked_total = pd.Series(asked).groupby(group).cumsum().to_numpy()
    # taken - asked_total is clamped, row after row, to [floor, ceiling] (see above)
    ceiling = arrived - asked_total
    floor = np.minimum(expired - (asked_total - asked), ceiling)
    low, high = _clamp_scan(floor, ceiling, group)
    taken_to = np.clip(group_start, low, high) + asked_total
    same_group = np.r_[False, group[1:] == group[:-1]]
    taken_before = np.where(same_group, np.r_[0, taken_to[:-1]], group_start)
    taken_from = np.maximum(taken_before, expired)
    return _overlaps(starts, ends, taken_from, taken_to, in_order, out_order)


def _clamp_scan(
    low: np.ndarray, high: np.ndarray, groups: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Bounds of each prefix composition of ``x -> min(max(x, low_j), high_j)`` within a group.

    A clamp to [a, b] followed by a clamp to [c, d] is a clamp to [clamp(a), clamp(b)] (both
    clamped to [c, d]), so a Hillis-Steele scan composes all prefixes in log2(n) steps.
    """
    low, high, step = low.copy(), high.copy(), 1
    while step < len(low):
        same = groups[step:] == groups[:-step]
        earlier_low = np.clip(low[:-step], low[step:], high[step:])
        earlier_high = np.clip(high[:-step], low[step:], high[step:])
        low[step:] = np.where(same, earlier_low, low[step:])
        high[step:] = np.where(same, earlier_high, high[step:])
        step *= 2
    return low, high


def _overlaps(
    starts: np.ndarray,
    ends: np.ndarray,
    taken_from: np.ndarray,
    taken_to: np.ndarray,
    in_order: np.ndarray,
    out_order: np.ndarray,
) -> pd.DataFrame:
    """The inbound lots each taken interval [taken_from, taken_to) covers, and by how much."""
    takes = np.flatnonzero(taken_to > taken_from)
    first = np.searchsorted(ends, taken_from[takes], side="right")
    last = np.searchsorted(starts, taken_to[takes], side="left") - 1
    counts = last - first + 1
    which = np.repeat(takes, counts)
    lot = (
        np.repeat(first, counts)
        + np.arange(counts.sum())
        - np.repeat(np.cumsum(counts) - counts, counts)
    )
    amount = np.minimum(ends[lot], taken_to[which]) - np.maximum(starts[lot], taken_from[which])
    keep = amount > 0  # lots of amount 0 inside an interval
    return pd.DataFrame(
        {"inbound": in_order[lot[keep]], "outbound": out_order[which[keep]], "amount": amount[keep]}
    )


class Indicator(Protocol):
    def value(self, weights: Weights) -> float:
        """The indicator's strength in [0, 1]; 0 means it did not fire."""
        ...

    def sentence(self, weights: Weights) -> str:
        """One plain sentence with the numbers, for an indicator that fired."""
        ...


@dataclass
class PassThrough:
    """Goods that came in from suppliers and left for buyers within the window.

    Each outbound shipment is matched to earlier inbound shipments of the same firm and goods
    (HS-6, or HS-4 with ``match_level="hs4"``) first in, first out (``fifo_match``), in
    quantities when every shipment of those goods gives one in the same unit, else in US
    dollars. ``pairs`` lists each match; ``share`` is the inbound value matched over the value
    of all inbound shipments from suppliers; ``markup`` compares the matched outbound and
    inbound values of the pairs matched in quantities. A match in dollars cannot show a markup,
    and overstates the share by as much: a resale at a 30% markup takes 130 of the stock bought
    for 100.
    """

    window_days: int
    match_level: str
    inbound_shipments: int
    inbound_value: float
    passed_value: float
    median_days: float | None
    markup: float | None
    suppliers: list[dict[str, Any]]  # suppliers whose goods left again
    buyers: list[dict[str, Any]]  # buyers that received them
    hs_codes: list[str]
    pairs: list[dict[str, Any]]

    @property
    def share(self) -> float:
        return self.passed_value / self.inbound_value if self.inbound_value > 0 else 0.0

    def value(self, weights: Weights) -> float:
        return min(self.share, 1.0)

    def sentence(self, weights: Weights) -> str:
        tiers = chpl_tiers()
        codes = [f"{hs} (CHPL tier {tiers[hs]})" if hs in tiers else hs for hs in self.hs_codes]
        markup = f", at a markup of {self.markup:.0%}" if self.markup is not None else ""
        return (
            f"{self.share:.0%} of the value of {_count(self.inbound_shipments, 'inbound shipment')}"
            f" from suppliers (USD {self.inbound_value:,.0f}) left again within "
            f"{self.window_days} days as the same goods ({self.match_level.upper()} "
            f"{_listed(codes)}): {_count(len(self.pairs), 'match', 'matches')} from "
            f"{_parties(self.suppliers, 'supplier')} to {_parties(self.buyers, 'buyer')}, a "
            f"median {self.median_days:g} days after arrival{markup}."
        )


@dataclass
class HighPriorityGoods:
    """The firm's trade with suppliers and buyers in Common High Priority Items, by tier.

    The value is the tier-weighted share of that trade: sum over tiers of factor × value,
    divided by the value of all its shipments from suppliers and to buyers.
    """

    trade_value: float
    by_tier: dict[str, float]  # tier -> USD
    codes: list[dict[str, Any]]  # hs, tier, inbound_value, outbound_value, shipment_ids

    def value(self, weights: Weights) -> float:
        if self.trade_value <= 0:
            return 0.0
        weighted = sum(weights.tiers[tier] * usd for tier, usd in self.by_tier.items())
        return min(weighted / self.trade_value, 1.0)

    def sentence(self, weights: Weights) -> str:
        listed = sum(self.by_tier.values())
        tiers = "; ".join(
            f"tier {tier} USD {usd:,.0f} (HS "
            f"{', '.join(c['hs'] for c in self.codes if c['tier'] == tier)})"
            for tier, usd in sorted(self.by_tier.items())
        )
        return (
            f"USD {listed:,.0f} of its USD {self.trade_value:,.0f} trade with suppliers and "
            f"buyers ({listed / self.trade_value:.0%}) is in Common High Priority items: {tiers}."
        )


@dataclass
class SupplierRedirection:
    """Suppliers that sold to a buyer directly before the invasion and through the firm after."""

    redirections: list[dict[str, Any]]

    def value(self, weights: Weights) -> float:
        return 1.0 if self.redirections else 0.0

    def sentence(self, weights: Weights) -> str:
        cases = "; ".join(
            f"{_who(r['supplier'])} shipped to {_who(r['buyer'])} directly until "
            f"{r['last_direct']} ({_count(r['direct_shipments'], 'shipment')}), then to this "
            f"firm from {r['first_to_firm']}, which has shipped to that buyer since "
            f"{r['first_to_buyer']}"
            for r in self.redirections[:3]
        )
        more = len(self.redirections) - 3
        return f"Supplier redirected after the invasion: {cases}" + (
            f"; and {more} more." if more > 0 else "."
        )


@dataclass
class Speed:
    """Days from registration to the first shipment from a supplier and to a buyer.

    ``days`` is the later of the two (how long until the firm traded both ways, or the one way
    it trades). The value is 1 up to 30 days, falling in a straight line to 0 at 365; trade
    before the registration date says nothing of speed and is worth 0.
    """

    registered_on: date
    first_inbound: date | None
    first_outbound: date | None

    @property
    def days_to_inbound(self) -> int | None:
        return (self.first_inbound - self.registered_on).days if self.first_inbound else None

    @property
    def days_to_outbound(self) -> int | None:
        return (self.first_outbound - self.registered_on).days if self.first_outbound else None

    @property
    def days(self) -> int:
        return max(d for d in (self.days_to_inbound, self.days_to_outbound) if d is not None)

    def value(self, weights: Weights) -> float:
        if min(d for d in (self.days_to_inbound, self.days_to_outbound) if d is not None) < 0:
            return 0.0
        return float(np.clip((SLOW_DAYS - self.days) / (SLOW_DAYS - FAST_DAYS), 0.0, 1.0))

    def sentence(self, weights: Weights) -> str:
        legs = [
            f"{_count(days, 'day')} to its first shipment {leg}"
            for days, leg in (
                (self.days_to_inbound, "from a supplier"),
                (self.days_to_outbound, "to a buyer"),
            )
            if days is not None
        ]
        return f"Registered on {self.registered_on.isoformat()}, {' and '.join(legs)}."


@dataclass
class SanctionedParties:
    """The firm, its counterparties, owners at any level and officers found on the sanctions list.

    ``rule`` says how: ``entity_id`` (the list names the party's registry id) or ``name`` (the
    same name key, see ``graphkit.resolve.names``, with the same country and a compatible legal
    form when both are known). A name does not match an entry that names another registry id.
    """

    hits: list[dict[str, Any]]

    def value(self, weights: Weights) -> float:
        return 1.0 if self.hits else 0.0

    def sentence(self, weights: Weights) -> str:
        by_party: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for hit in self.hits:
            by_party.setdefault((hit["role"], hit["id"] or hit["name"]), []).append(hit)
        parts = []
        for (role, _), hits in by_party.items():
            programs = ", ".join(dict.fromkeys(h["program"] or "sanctions list" for h in hits))
            rules = " and ".join(sorted({_rule_phrase(h) for h in hits}))
            parts.append(f"{role} {_who(hits[0])} ({programs}; matched {rules})")
        return f"On the sanctions list: {'; '.join(parts)}."


@dataclass
class SharedPeopleWithBuyer:
    """Owners or officers of the firm (any level) who also own or direct one of its buyers."""

    links: list[dict[str, Any]]

    def value(self, weights: Weights) -> float:
        return 1.0 if self.links else 0.0

    def sentence(self, weights: Weights) -> str:
        roles: dict[tuple[str, str, str], list[str]] = {}
        for link in self.links:
            person, buyer = _who(link["entity"]), _who(link["buyer"])
            roles.setdefault((person, link["at_firm"], buyer), []).append(link["at_buyer"])
        cases = "; ".join(
            f"{person}, {at_firm} of this firm, "
            + ("is its buyer" if at_buyer == ["is the buyer"] else
               f"is {' and '.join(at_buyer)} of its buyer {buyer}")
            for (person, at_firm, buyer), at_buyer in roles.items()
        )  # fmt: skip
        return f"Shared with a buyer: {cases}."


@dataclass
class Clusters:
    """Firms registered in a burst with the firm, and chains of transit firms it is part of.

    ``same_address`` and ``same_officer`` list firms registered after the invasion within
    ``burst_days`` of the firm at the same normalised address or with one of its officers.
    ``chains`` lists the trade chains supplier -> transit firm(s) -> buyer through the firm with
    up to ``max_hops`` transit firms (1: the firm alone, from the pass-through matches). The
    value is 1 when there is a burst or a chain of two transit firms or more.
    """

    burst_days: int
    same_address: list[dict[str, Any]]
    same_officer: list[dict[str, Any]]
    chains: list[dict[str, Any]]

    def value(self, weights: Weights) -> float:
        layered = any(chain["transit_firms"] >= 2 for chain in self.chains)
        return 1.0 if self.same_address or self.same_officer or layered else 0.0

    def sentence(self, weights: Weights) -> str:
        parts = []
        if self.same_address:
            parts.append(
                f"{_count(len(self.same_address), 'other firm')} registered within "
                f"{self.burst_days} days at the same address ({_names(self.same_address)})"
            )
        if self.same_officer:
            parts.append(
                f"{_count(len(self.same_officer), 'other firm')} registered within "
                f"{self.burst_days} days with the same officer ({_names(self.same_officer)})"
            )
        layered = [c for c in self.chains if c["transit_firms"] >= 2]
        if layered:
            shown = " | ".join(" → ".join(_who(f) for f in c["firms"]) for c in layered[:2])
            parts.append(
                f"goods passed through {_count(len(layered), 'chain')} of transit firms ({shown})"
            )
        return f"In a cluster: {'; '.join(parts)}."


@dataclass
class OwnershipChanges:
    """Russian owners who left after the invasion or dropped to just below a threshold."""

    changes: list[dict[str, Any]]

    def value(self, weights: Weights) -> float:
        return 1.0 if self.changes else 0.0

    def sentence(self, weights: Weights) -> str:
        return f"Ownership changed: {'; '.join(_change_phrase(c) for c in self.changes)}."


@dataclass
class Indicators:
    """Every indicator of one firm; None where there is nothing to measure."""

    firm_id: str
    firm_name: str
    pass_through: PassThrough | None = None  # None: no inbound shipments from suppliers
    high_priority_goods: HighPriorityGoods | None = None  # None: no trade with either side
    supplier_redirection: SupplierRedirection | None = None
    speed: Speed | None = None  # None: no registration date or no trade with either side
    sanctioned_parties: SanctionedParties | None = None
    shared_people_with_buyer: SharedPeopleWithBuyer | None = None
    clusters: Clusters | None = None
    ownership_changes: OwnershipChanges | None = None
    options: dict[str, Any] = field(default_factory=dict)  # what they were computed with

    def measured(self) -> dict[str, Indicator]:
        found = {name: getattr(self, name) for name in INDICATORS}
        return {name: indicator for name, indicator in found.items() if indicator is not None}

    def values(self, weights: Weights = DEFAULT_WEIGHTS) -> dict[str, float]:
        measured = self.measured()
        return {
            name: measured[name].value(weights) if name in measured else 0.0 for name in INDICATORS
        }

    def reasons(self, weights: Weights = DEFAULT_WEIGHTS) -> list[str]:
        """One sentence per indicator that fired, in the order of ``INDICATORS``."""
        return [
            indicator.sentence(weights)
            for indicator in self.measured().values()
            if indicator.value(weights) > 0
        ]

    def to_dict(self, weights: Weights = DEFAULT_WEIGHTS) -> dict[str, Any]:
        result: dict[str, Any] = {"firm_id": self.firm_id, "firm_name": self.firm_name}
        for name in INDICATORS:
            indicator = getattr(self, name)
            result[name] = (
                None
                if indicator is None
                else {"value": round(indicator.value(weights), 4), **_jsonable(_fields(indicator))}
            )
        result["options"] = self.options
        return result


def score_indicators(
    indicators: Indicators, weights: Weights = DEFAULT_WEIGHTS
) -> tuple[float, dict[str, float]]:
    """The score and each indicator's part of it: weight × value, summed.

    With the default weights (they add up to 100) a firm whose records show every red flag in
    full scores 100.
    """
    values = indicators.values(weights)
    contributions = {name: weights.indicators[name] * values[name] for name in INDICATORS}
    return sum(contributions.values()), contributions


LABELS = {
    PASS_THROUGH: "pass-through",
    HIGH_PRIORITY_GOODS: "high-priority goods",
    SUPPLIER_REDIRECTION: "supplier redirection",
    SPEED: "speed",
    SANCTIONED_PARTIES: "sanctioned parties",
    SHARED_PEOPLE_WITH_BUYER: "shared people with a buyer",
    CLUSTERS: "clusters",
    OWNERSHIP_CHANGES: "ownership changes",
}


@dataclass
class RedFlags:
    """A firm's indicators scored with a set of weights: what ranks and explains a finding."""

    indicators: Indicators
    weights: Weights
    score: float  # the sum of the contributions: 0 to 100 with the default weights
    contributions: dict[str, float]  # indicator -> weight × value

    @classmethod
    def of(cls, indicators: Indicators, weights: Weights = DEFAULT_WEIGHTS) -> RedFlags:
        score, contributions = score_indicators(indicators, weights)
        return cls(indicators, weights, score, contributions)

    @property
    def scored(self) -> dict[str, float]:
        """The red flags that added points, with their points, in the order of ``INDICATORS``."""
        return {name: points for name, points in self.contributions.items() if points > 0}

    @property
    def share_of_most(self) -> float:
        """The score as a share of the most the weights can give, in [0, 1]."""
        most = sum(self.weights.indicators.values())
        return self.score / most if most > 0 else 0.0

    def reasons(self) -> list[str]:
        """'100% of the value of ... [pass-through: 25.0 of 25 points]' per indicator that fired."""
        measured = self.indicators.measured()
        return [
            f"{measured[name].sentence(self.weights)} [{LABELS[name]}: "
            f"{self.contributions[name]:.1f} of {self.weights.indicators[name]:g} points]"
            for name in INDICATORS
            if name in measured and measured[name].value(self.weights) > 0
        ]

    def to_dict(self) -> dict[str, Any]:
        details = self.indicators.to_dict(self.weights)
        for name in INDICATORS:
            if details[name] is not None:
                details[name] = {
                    "weight": self.weights.indicators[name],
                    "points": round(self.contributions[name], 2),
                    **details[name],
                }
        return {"score": round(self.score, 2), **details}


def _fields(indicator: Any) -> dict[str, Any]:
    """A dataclass's fields by name, not copied: ``asdict`` deep-copies every value, slowly for
    the thousands of records an indicator may hold."""
    return {entry.name: getattr(indicator, entry.name) for entry in fields(indicator)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    return value


def _count(number: int, noun: str, plural: str = "") -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _listed(items: list[str], most: int = 4) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


def _who(party: Mapping[str, Any]) -> str:
    return f"{party['name']} ({party['id']})" if party.get("id") else str(party["name"])


def _parties(parties: list[dict[str, Any]], noun: str) -> str:
    countries = ", ".join(sorted({str(p["country"]) for p in parties if p.get("country")}))
    return _count(len(parties), noun) + (f" in {countries}" if countries else "")


def _names(firms: list[dict[str, Any]]) -> str:
    return _listed([_who(firm) for firm in firms], most=3)


def _rule_phrase(hit: Mapping[str, Any]) -> str:
    if hit["rule"] == "entity_id":
        return "by entity id"
    return f"by name as '{hit['sanctions_name']}'"


def _change_phrase(change: Mapping[str, Any]) -> str:
    owner, company = _who(change["owner"]), _who(change["company"])
    records = ", ".join(change["records"])
    if change["kind"] == "exit":
        successor = change["successor"]
        return (
            f"Russian owner {owner} held {_share(change['share_before'])} of {company} until "
            f"{change['until']}, when {_who(successor)} took over {_share(change['share_after'])} "
            f"({records})"
        )
    return (
        f"Russian owner {owner}'s share of {company} fell from {_share(change['share_before'])} to "
        f"{_share(change['share_after'])} on {change['since']}, just below the "
        f"{change['threshold']:g}% threshold ({records})"
    )


def _share(share: float | None) -> str:
    return "an unknown share" if share is None else f"{share:g}%"


@dataclass(frozen=True)
class _Options:
    suppliers: frozenset[str]
    buyers: frozenset[str]
    invasion: pd.Timestamp
    window_days: int
    match_level: str
    max_hops: int
    owner_countries: frozenset[str]
    thresholds: tuple[float, ...]
    burst_days: int

    @property
    def hs_digits(self) -> int:
        return MATCH_LEVELS[self.match_level]

    def check(self) -> None:
        if self.match_level not in MATCH_LEVELS:
            raise OptionError(
                f"'{self.match_level}' is not a match level",
                fix=f"Use one of: {', '.join(MATCH_LEVELS)}",
            )
        least = {"window_days": 0, "max_hops": 1, "burst_days": 0}
        for name, smallest in least.items():
            if getattr(self, name) < smallest:
                raise OptionError(
                    f"{name} is {getattr(self, name)}",
                    fix=f"Give a whole number of {smallest} or more",
                )

    def described(self) -> dict[str, Any]:
        return {
            "suppliers": sorted(self.suppliers),
            "buyers": sorted(self.buyers),
            "invasion": self.invasion.date().isoformat(),
            "window_days": self.window_days,
            "match_level": self.match_level,
            "max_hops": self.max_hops,
            "owner_countries": sorted(self.owner_countries),
            "thresholds": list(self.thresholds),
            "burst_days": self.burst_days,
        }


def compute_indicators(
    dataset: Dataset,
    firm_ids: Iterable[str],
    *,
    suppliers: frozenset[str] = frozenset(EU_MEMBERS),
    buyers: frozenset[str] = frozenset({"RU"}),
    invasion: date = INVASION_DATE,
    window_days: int = DEFAULT_WINDOW_DAYS,
    match_level: str = DEFAULT_MATCH_LEVEL,
    max_hops: int = DEFAULT_MAX_HOPS,
    owner_countries: frozenset[str] = frozenset({"RU"}),
    min_share: float = DEFAULT_MIN_RUSSIAN_SHARE,
    burst_days: int = BURST_DAYS,
) -> dict[str, Indicators]:
    """Every indicator for each firm in ``firm_ids`` (registry ids), keyed by firm id.

    ``suppliers`` and ``buyers`` are country codes (``expand_countries``); ``min_share`` and
    50% are the thresholds ``ownership_changes`` watches. The module docstring lists the
    indicators; each class says how its value in [0, 1] is found.

    Example: a Kazakh firm that received 100 processors (HS 854231) worth USD 100,000 from
    Germany on 2022-05-01 and sent 100 to Russia for USD 130,000 on 2022-05-20 has
    ``pass_through.share == 1.0``, ``median_days == 19`` and ``markup == 0.3``, and
    ``high_priority_goods.by_tier == {"1": 230000.0}``.
    """
    thresholds = tuple(sorted({min_share, SANCTIONS_OWNERSHIP_THRESHOLD}))
    options = _Options(
        frozenset(suppliers), frozenset(buyers), pd.Timestamp(invasion), window_days, match_level,
        max_hops, frozenset(owner_countries), thresholds, burst_days,
    )  # fmt: skip
    options.check()
    registry = _Registry(dataset)
    firms = registry.firms(firm_ids)
    trade = _Trade(dataset.shipments, firms["id"], registry, options)
    owners = _owners_above(dataset.ownership, firms["id"], MAX_CHAIN_DEPTH)
    pairs = _pass_through_pairs(trade, options)
    log.debug("%d firms, %d shipments of theirs, %d pass-through matches",
             len(firms), len(trade.shipments), len(pairs))  # fmt: skip
    found: dict[str, dict[str, Any]] = {
        PASS_THROUGH: _pass_through(trade, pairs, options),
        HIGH_PRIORITY_GOODS: _high_priority_goods(trade),
        SUPPLIER_REDIRECTION: _supplier_redirection(dataset.shipments, trade, registry, options),
        SPEED: _speed(firms, trade),
        SANCTIONED_PARTIES: _sanctioned_parties(dataset, firms, trade, owners, registry),
        SHARED_PEOPLE_WITH_BUYER: _shared_people(dataset, firms, trade, owners, registry),
        CLUSTERS: _clusters(dataset, firms, trade, pairs, registry, options),
        OWNERSHIP_CHANGES: _ownership_changes(dataset.ownership, firms, owners, registry, options),
    }
    described = options.described()
    return {
        firm.id: Indicators(
            firm.id,
            firm.name,
            **{name: per_firm.get(firm.id) for name, per_firm in found.items()},
            options=described,
        )
        for firm in firms.itertuples()
    }


class _Registry:
    """Names, countries and dates of registry firms and persons, looked up by id.

    Firms and persons are one table, so that every lookup goes through one index: pandas hashes
    an index on its first lookup, which for millions of ids costs more than the lookups.
    """

    def __init__(self, dataset: Dataset) -> None:
        self.companies = dataset.companies
        self.parties = pd.concat(  # the firms first: a position below len(companies) is a firm
            [
                dataset.companies.set_index("id")[["name", "country", "registered_on"]],
                dataset.persons.set_index("id")[["name", "nationality"]],
            ]
        )

    def firms(self, firm_ids: Iterable[str]) -> pd.DataFrame:
        wanted = pd.Index(list(dict.fromkeys(firm_ids)), dtype="string")
        where = self.where(wanted)
        unknown = wanted[~self._firm(where)].sort_values()
        if len(unknown):
            raise OptionError(
                f"no firm with id {', '.join(map(str, unknown[:5]))} in companies.csv",
                fix="Give ids from the id column of companies.csv",
            )
        firms = self.companies.iloc[where].reset_index(drop=True)
        return firms[["id", *firms.columns.drop("id")]]

    def described(self, entities: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Registry parties as the records show them: id, name, and country or nationality."""
        ids = pd.Index(pd.unique(pd.Series(list(entities), dtype="string").dropna()))
        ids = ids[self.known(ids)]
        names = self.lookup("name", ids).tolist()
        countries = self.lookup("country", ids).tolist()
        nationalities = self.lookup("nationality", ids).tolist()
        return {
            entity: {"id": entity, "name": name}
            | ({"country": country} if pd.notna(country) else
               {"nationality": None if pd.isna(nationality) else nationality})
            for entity, name, country, nationality in zip(
                ids.tolist(), names, countries, nationalities, strict=True
            )
        }  # fmt: skip

    def where(self, entities: pd.Series | pd.Index) -> np.ndarray:
        """The position of each id in ``parties``, -1 for an unknown or missing id.

        The ids are looked up as text with no missing values: given other types, or missing
        values, pandas converts or scans the index of millions of ids, at each lookup or the
        first."""
        ids = pd.Series(pd.array(entities, dtype="string"))
        given = ids.notna().to_numpy()
        where = np.full(len(ids), -1, dtype=np.intp)
        where[given] = self.parties.index.get_indexer(pd.Index(ids[given]))
        return where

    def lookup(self, column: str, entities: pd.Series | pd.Index) -> np.ndarray:
        """``column`` of each id in ``entities``, missing for an unknown id."""
        return self.parties[column].array.take(self.where(entities), allow_fill=True).to_numpy()

    def known(self, entities: pd.Series | pd.Index) -> np.ndarray:
        """Whether each id is a registry firm's or person's (a hash lookup, not a scan)."""
        return self.where(entities) >= 0

    def is_firm(self, entities: pd.Series) -> np.ndarray:
        """Whether each id is a registry firm's."""
        return self._firm(self.where(entities))

    def _firm(self, where: np.ndarray) -> np.ndarray:
        return (where >= 0) & (where < len(self.companies))

    def countries(self, entities: pd.Series) -> pd.Series:
        """Country of each firm, nationalities (';'-separated) of each person, NA if unknown."""
        country = pd.Series(self.lookup("country", entities), index=entities.index, dtype="string")
        nationality = self.lookup("nationality", entities)
        return country.fillna(pd.Series(nationality, index=entities.index, dtype="string"))

    def in_group(self, entities: pd.Series, countries: frozenset[str]) -> pd.Series:
        """Whether each party is a firm of, or a person with a nationality of, ``countries``."""
        codes = "|".join(sorted(countries))
        return self.countries(entities).str.contains(rf"(?:^|;)(?:{codes})(?:;|$)").fillna(False)


class _Trade:
    """The firms' shipments, and their legs from supplier countries and to buyer countries."""

    def __init__(
        self, shipments: pd.DataFrame, firms: pd.Series, registry: _Registry, options: _Options
    ) -> None:
        self.firms = firms
        ours = is_in(shipments["exporter_key"], firms) | is_in(shipments["importer_key"], firms)
        self.shipments = shipments.loc[ours, SHIPMENT_COLUMNS]
        self.received = self._legs("importer", firms, registry, options)
        self.sent = self._legs("exporter", firms, registry, options)
        self.inbound = self.received[self.received["party_country"].isin(options.suppliers)]
        self.outbound = self.sent[self.sent["party_country"].isin(options.buyers)]

    def _legs(
        self, firm_side: str, firms: pd.Series, registry: _Registry, options: _Options
    ) -> pd.DataFrame:
        """One row per shipment of a firm on ``firm_side``, seen from the firm."""
        other = "exporter" if firm_side == "importer" else "importer"
        rows = self.shipments[self.shipments[f"{firm_side}_key"].isin(firms)]
        party = rows[f"{other}_key"]
        registered_name = registry.lookup("name", party)
        return pd.DataFrame(
            {
                "firm": rows[f"{firm_side}_key"],
                "party": party,
                "party_name": pd.Series(registered_name, index=rows.index, dtype="string").fillna(
                    rows[f"{other}_name"]
                ),
                "party_country": rows[f"{other}_country"],
                "id": rows["id"],
                "date": rows["date"],
                "hs": rows["hs_code"].str[:6],
                "hs_key": rows["hs_code"].str[: options.hs_digits],
                "value": rows["value_usd"].fillna(0.0),
                "quantity": rows["quantity"],
                "unit": _unit(rows["unit"]),
            }
        ).reset_index(drop=True)


def _unit(units: pd.Series) -> pd.Series:
    folded = units.fillna("").str.strip().str.lower().str.rstrip(".")
    return folded.replace(UNIT_SYNONYMS)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts, with None for missing values and ISO text for dates."""
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    # by columns.rows and a list of names: to_dict("records"), or zipping the columns' index
    # (Arrow-backed text) with every row, reads Arrow-backed cells one at a time, slowly
    names = frame.columns.tolist()
    records = [dict(zip(names, row, strict=True)) for row in rows(frame, *names)]
    for column in [c for c in frame.columns if frame[c].isna().any()]:
        for record in records:
            if _missing(record[column]):
                record[column] = None
    return records


def _records_by_firm(frame: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Rows as ``_records``, grouped by their ``firm`` column (dropped from each row)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for record in _records(frame):
        grouped.setdefault(str(record.pop("firm")), []).append(record)
    return grouped


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _flags(flags: Iterable[bool]) -> np.ndarray:
    """A boolean mask from Python truths (a plain list, when empty, would select columns)."""
    return np.fromiter(flags, dtype=bool)


def _days(dates: pd.Series) -> np.ndarray:
    return dates.to_numpy().astype("datetime64[D]").astype(np.int64)


# pass_through


def _pass_through_pairs(trade: _Trade, options: _Options) -> pd.DataFrame:
    """Inbound and outbound shipments of the same firm and goods, matched by ``fifo_match``."""
    inbound = trade.inbound.assign(group=trade.inbound["firm"] + "|" + trade.inbound["hs_key"])
    outbound = trade.outbound.assign(group=trade.outbound["firm"] + "|" + trade.outbound["hs_key"])
    inbound = inbound[is_in(inbound["group"], outbound["group"])].reset_index(drop=True)
    outbound = outbound[is_in(outbound["group"], inbound["group"])].reset_index(drop=True)
    by_quantity = _matched_by_quantity(pd.concat([inbound, outbound]))
    inbound, outbound = (_with_amount(frame, by_quantity) for frame in (inbound, outbound))
    matches = fifo_match(inbound, outbound, window_days=options.window_days)
    came = inbound.iloc[matches["inbound"]].reset_index(drop=True)
    left = outbound.iloc[matches["outbound"]].reset_index(drop=True)
    amount = matches["amount"].to_numpy()
    unit_price = (left["value"] / left["quantity"]) / (came["value"] / came["quantity"])
    return pd.DataFrame(
        {
            "firm": came["firm"],
            "inbound_id": came["id"],
            "outbound_id": left["id"],
            "hs": came["hs"],
            "outbound_hs": left["hs"],
            "arrived": came["date"],
            "left": left["date"],
            "days": (left["date"] - came["date"]).dt.days,
            "basis": np.where(came["by_quantity"], "quantity", "value"),
            "matched": amount / np.where(came["by_quantity"], QUANTITY_SCALE, VALUE_SCALE),
            "inbound_value": came["value"] * amount / came["amount"],
            "outbound_value": left["value"] * amount / left["amount"],
            "quantity_ratio": left["quantity"] / came["quantity"].where(came["quantity"] > 0),
            "value_ratio": left["value"] / came["value"].where(came["value"] > 0),
            "markup": (unit_price - 1).where(came["by_quantity"]),
            "supplier_id": came["party"],
            "supplier": came["party_name"],
            "supplier_country": came["party_country"],
            "buyer_id": left["party"],
            "buyer": left["party_name"],
            "buyer_country": left["party_country"],
        }
    )


def _matched_by_quantity(legs: pd.DataFrame) -> pd.Series:
    """Per group: True when every shipment gives a positive quantity, all in one unit."""
    checks = legs.assign(counted=legs["quantity"] > 0).groupby("group")
    return checks["counted"].all() & (checks["unit"].nunique(dropna=False) == 1)


def _with_amount(legs: pd.DataFrame, by_quantity: pd.Series) -> pd.DataFrame:
    quantity = legs["group"].map(by_quantity).astype(bool)
    amount = np.where(
        quantity,
        (legs["quantity"].fillna(0) * QUANTITY_SCALE).round(),
        (legs["value"] * VALUE_SCALE).round(),
    )
    return legs.assign(
        by_quantity=quantity, amount=amount.astype(np.int64), day=_days(legs["date"])
    )


def _pass_through(trade: _Trade, pairs: pd.DataFrame, options: _Options) -> dict[str, PassThrough]:
    totals = trade.inbound.groupby("firm").agg(shipments=("id", "size"), value=("value", "sum"))
    summary = (
        pairs.groupby("firm")
        .agg(
            passed=("inbound_value", "sum"),
            median_days=("days", "median"),
            hs_codes=("hs", lambda codes: sorted(set(codes))),
        )
        .to_dict("index")
    )
    priced = pairs[pairs["basis"] == "quantity"].groupby("firm")
    markups = (priced["outbound_value"].sum() / priced["inbound_value"].sum() - 1).to_dict()
    suppliers, buyers = (_records_by_firm(_side(pairs, side)) for side in ("supplier", "buyer"))
    listed = _records_by_firm(pairs)
    unmatched: dict[str, Any] = {"passed": 0.0, "median_days": None, "hs_codes": []}
    result = {}
    for firm, shipments, value in totals.itertuples():
        matched = summary.get(firm, unmatched)
        result[str(firm)] = PassThrough(
            window_days=options.window_days,
            match_level=options.match_level,
            inbound_shipments=int(shipments),
            inbound_value=float(value),
            passed_value=float(matched["passed"]),
            median_days=matched["median_days"],
            markup=markups.get(firm),
            suppliers=suppliers.get(firm, []),
            buyers=buyers.get(firm, []),
            hs_codes=matched["hs_codes"],
            pairs=listed.get(firm, []),
        )
    return result


def _side(pairs: pd.DataFrame, side: str) -> pd.DataFrame:
    """The distinct suppliers or buyers of the pairs, per firm."""
    return pd.DataFrame(
        {
            "firm": pairs["firm"],
            "id": pairs[f"{side}_id"],
            "name": pairs[side],
            "country": pairs[f"{side}_country"],
        }
    ).drop_duplicates()


# high_priority_goods, supplier_redirection, speed


def _high_priority_goods(trade: _Trade) -> dict[str, HighPriorityGoods]:
    legs = pd.concat([trade.inbound.assign(inbound=True), trade.outbound.assign(inbound=False)])
    legs["tier"] = legs["hs"].map(chpl_tiers())
    listed = legs[legs["tier"].notna()].assign(
        inbound_value=lambda t: t["value"].where(t["inbound"], 0.0),
        outbound_value=lambda t: t["value"].where(~t["inbound"], 0.0),
    )
    codes = listed.groupby(["firm", "hs", "tier"]).agg(
        inbound_value=("inbound_value", "sum"),
        outbound_value=("outbound_value", "sum"),
        shipment_ids=("id", sorted),
    )
    by_tier: dict[str, dict[str, float]] = {}
    for (firm, tier), usd in listed.groupby(["firm", "tier"])["value"].sum().items():
        by_tier.setdefault(firm, {})[tier] = float(usd)
    per_firm_codes = _records_by_firm(codes.reset_index())
    return {
        str(firm): HighPriorityGoods(
            trade_value=float(total),
            by_tier=by_tier.get(firm, {}),
            codes=per_firm_codes.get(firm, []),
        )
        for firm, total in legs.groupby("firm")["value"].sum().items()
    }


def _supplier_redirection(
    shipments: pd.DataFrame, trade: _Trade, registry: _Registry, options: _Options
) -> dict[str, SupplierRedirection]:
    """Suppliers of the firm after the invasion that shipped to one of its buyers before it.

    Listed with the supplier's last direct shipment to the buyer before the invasion, its first
    shipment to the firm on or after the invasion, and the firm's first shipment to that buyer
    on or after that delivery.
    """
    later = trade.inbound[
        trade.inbound["party"].notna() & (trade.inbound["date"] >= options.invasion)
    ]
    first_supplies = later.sort_values(["date", "id"]).drop_duplicates(["firm", "party"])
    direct = shipments.loc[  # masks first, then rows: see SHIPMENT_COLUMNS
        is_in(shipments["exporter_key"], first_supplies["party"])
        & (shipments["date"] < options.invasion)
        & shipments["importer_key"].notna()
        & shipments["importer_country"].isin(options.buyers),
        ["exporter_key", "importer_key", "date", "id"],
    ]
    last_direct = (
        direct.sort_values(["date", "id"])
        .groupby(["exporter_key", "importer_key"], as_index=False)
        .agg(last_direct=("date", "last"), last_direct_id=("id", "last"), direct=("id", "size"))
    )
    routes = first_supplies[["firm", "party", "date", "id"]].merge(
        last_direct, left_on="party", right_on="exporter_key"
    )
    onward = trade.outbound.sort_values(["date", "id"])[["firm", "party", "date", "id"]]
    routes = routes.merge(
        onward, left_on=["firm", "importer_key"], right_on=["firm", "party"],
        suffixes=("_supplier", "_buyer"),
    )  # fmt: skip
    routes = routes[routes["date_buyer"] >= routes["date_supplier"]]
    routes = routes.drop_duplicates(["firm", "party_supplier", "party_buyer"])
    found = _records_by_firm(routes.sort_values(["firm", "last_direct"]))
    parties = registry.described(pd.concat([routes["party_supplier"], routes["party_buyer"]]))
    traders = pd.concat([trade.inbound["firm"], trade.outbound["firm"]]).unique()
    return {
        str(firm): SupplierRedirection(
            [
                {
                    "supplier": parties[row["party_supplier"]],
                    "buyer": parties[row["party_buyer"]],
                    "last_direct": row["last_direct"],
                    "last_direct_id": row["last_direct_id"],
                    "direct_shipments": row["direct"],
                    "first_to_firm": row["date_supplier"],
                    "first_to_firm_id": row["id_supplier"],
                    "first_to_buyer": row["date_buyer"],
                    "first_to_buyer_id": row["id_buyer"],
                }
                for row in found.get(firm, [])
            ]
        )
        for firm in traders
    }


def _speed(firms: pd.DataFrame, trade: _Trade) -> dict[str, Speed]:
    first_inbound = trade.inbound.groupby("firm")["date"].min()
    first_outbound = trade.outbound.groupby("firm")["date"].min()
    return {
        firm.id: Speed(
            registered_on=firm.registered_on.date(),
            first_inbound=as_date(first_inbound.get(firm.id)),
            first_outbound=as_date(first_outbound.get(firm.id)),
        )
        for firm in firms.itertuples()
        if pd.notna(firm.registered_on)
        and (firm.id in first_inbound.index or firm.id in first_outbound.index)
    }


# owners, sanctioned_parties, shared_people_with_buyer


def _owners_above(ownership: pd.DataFrame, firms: pd.Series, levels: int) -> pd.DataFrame:
    """Every owner above each firm up to ``levels`` up, at the lowest level it is reached.

    Columns: firm, owner, owned (the firm or holding it owns), level (1 = owns the firm
    itself), share, since, until, line. Dates are not checked: a holding at any time counts.
    """
    holdings = ownership[["owner_id", "owned_id", "share", "since", "until", "line", "file"]]
    frontier = pd.DataFrame({"firm": firms.to_numpy(), "owned": firms.to_numpy()})
    found: list[pd.DataFrame] = []
    seen = frontier.rename(columns={"owned": "owner"})
    for level in range(1, levels + 1):
        above = holdings[is_in(holdings["owned_id"], frontier["owned"])]  # merge small frames
        step = frontier.merge(above, left_on="owned", right_on="owned_id")
        step = step.rename(columns={"owner_id": "owner"}).drop(columns="owned_id")
        step = step.merge(seen, on=["firm", "owner"], how="left", indicator=True)
        step = step[step["_merge"] == "left_only"].drop(columns="_merge").assign(level=level)
        if step.empty:
            break
        found.append(step)
        frontier = step[["firm", "owner"]].drop_duplicates().rename(columns={"owner": "owned"})
        seen = pd.concat([seen, frontier.rename(columns={"owned": "owner"})])
    columns = ["firm", "owner", "owned", "level", "share", "since", "until", "line", "file"]
    return pd.concat(found)[columns] if found else pd.DataFrame(columns=columns)


def _officers_of(officers: pd.DataFrame, companies: pd.Series) -> pd.DataFrame:
    rows = officers[is_in(officers["company_id"], companies)]
    return pd.DataFrame(
        {
            "company": rows["company_id"],
            "entity": rows["person_id"],
            "role": rows["role"].fillna("officer"),
            "line": rows["line"],
            "file": rows["file"],
        }
    )


def _firm_parties(
    dataset: Dataset, firms: pd.DataFrame, trade: _Trade, owners: pd.DataFrame
) -> pd.DataFrame:
    """Everyone around each firm: itself, suppliers, buyers, owners at any level, officers."""

    def counterparties(legs: pd.DataFrame, role: str) -> pd.DataFrame:
        return legs.drop_duplicates(["firm", "party", "party_name", "party_country"]).pipe(
            lambda t: pd.DataFrame(
                {
                    "firm": t["firm"],
                    "role": role,
                    "id": t["party"],
                    "name": t["party_name"],
                    "country": t["party_country"],
                }
            )
        )

    officers = _officers_of(dataset.officers, firms["id"])
    top = owners.sort_values("level").drop_duplicates(["firm", "owner"])
    known = pd.DataFrame(
        {
            "firm": pd.concat([firms["id"], top["firm"], officers["company"]]),
            "role": ["the firm itself"] * len(firms)
            + [f"owner (level {level})" for level in top["level"]]
            + officers["role"].tolist(),
            "id": pd.concat([firms["id"], top["owner"], officers["entity"]]),
        }
    )
    return pd.concat(
        [
            counterparties(trade.received, "supplier"),
            counterparties(trade.sent, "buyer"),
            known.assign(name=pd.NA, country=pd.NA),
        ],
        ignore_index=True,
    )


def _sanctioned_parties(
    dataset: Dataset,
    firms: pd.DataFrame,
    trade: _Trade,
    owners: pd.DataFrame,
    registry: _Registry,
) -> dict[str, SanctionedParties]:
    parties = _firm_parties(dataset, firms, trade, owners)
    linked = parties["id"].notna()
    parties.loc[linked, "name"] = registry.lookup("name", parties.loc[linked, "id"])
    parties.loc[linked, "country"] = registry.countries(parties.loc[linked, "id"]).to_numpy()
    sanctions = dataset.sanctions.rename(
        columns={
            "name": "sanctions_name",
            "country": "sanctions_country",
            "line": "sanctions_line",
            "file": "sanctions_file",
        }
    )
    by_id = (
        parties[linked]
        .merge(sanctions, left_on="id", right_on="entity_id")
        .assign(rule="entity_id")
    )
    by_name = _matched_by_name(parties, sanctions, registry).assign(rule="name")
    by_name = by_name.merge(
        by_id[["firm", "role", "id", "sanctions_file", "sanctions_line"]],
        how="left",
        indicator=True,
    ).query("_merge == 'left_only'")
    hits = pd.concat([by_id, by_name], ignore_index=True)
    columns = ["firm", "role", "id", "name", "country", "rule", "sanctions_name",
               "sanctions_country", "program", "listed_on", "sanctions_file",
               "sanctions_line"]  # fmt: skip
    found = _records_by_firm(
        hits[columns].sort_values(["firm", "role", "sanctions_file", "sanctions_line"])
    )
    return {firm: SanctionedParties(found.get(firm, [])) for firm in firms["id"]}


def _matched_by_name(
    parties: pd.DataFrame, sanctions: pd.DataFrame, registry: _Registry
) -> pd.DataFrame:
    """Parties whose name key is a sanctions entry's, in a compatible country and legal form."""
    entries = sanctions[sanctions["sanctions_name"].notna()]
    if entries.empty or parties.empty:
        return parties.iloc[:0].assign(**{c: pd.NA for c in sanctions.columns})
    entries = entries.join(_name_keys(entries["sanctions_name"]).add_prefix("entry_"))
    named = parties[parties["name"].notna()]
    pairs = named.join(_name_keys(named["name"])).merge(
        entries, left_on="key", right_on="entry_key"
    )
    pairs = pairs[pairs["key"].str.len() > 0]
    same_form = (
        pairs["legal_form"].isna()
        | pairs["entry_legal_form"].isna()
        | (pairs["legal_form"] == pairs["entry_legal_form"])
    )
    same_country = _flags(
        pd.isna(listed) or pd.isna(theirs) or listed in str(theirs).split(";")
        for listed, theirs in zip(pairs["sanctions_country"], pairs["country"], strict=True)
    )
    # an entry naming another registry party is about that party, whatever the name says
    entry_elsewhere = registry.known(pairs["entity_id"]) & (
        pairs["entity_id"] != pairs["id"]
    ).fillna(False).to_numpy(bool)
    return pairs[same_form & same_country & ~entry_elsewhere]


def _name_keys(names: pd.Series) -> pd.DataFrame:
    """``name_keys`` of each name, computed once per distinct name (parties repeat a lot)."""
    distinct = names.astype("string").drop_duplicates()
    keys = name_keys(distinct).set_axis(distinct.to_numpy())
    return keys.reindex(names.astype("string").to_numpy()).set_axis(names.index)


def _shared_people(
    dataset: Dataset,
    firms: pd.DataFrame,
    trade: _Trade,
    owners: pd.DataFrame,
    registry: _Registry,
) -> dict[str, SharedPeopleWithBuyer]:
    """Owners and officers of each firm, or of its owners at any level, and of its buyers.

    On the firm's side: its owners at any level, its officers and its owners' officers. On the
    buyer's side: its owners and their owners, its officers and its owners' officers, and the
    buyer itself (a buyer that owns the firm).
    """
    of_firm = _officers_of(dataset.officers, firms["id"])
    of_owners = owners.merge(
        _officers_of(dataset.officers, owners["owner"]),
        left_on="owner",
        right_on="company",
        suffixes=("_owner", ""),
    )
    at_firm = pd.concat(
        [
            pd.DataFrame({"firm": owners["firm"], "entity": owners["owner"],
                          "at_firm": "owner" + _level(owners), "firm_file": owners["file"],
                          "firm_line": owners["line"]}),
            pd.DataFrame({"firm": of_firm["company"], "entity": of_firm["entity"],
                          "at_firm": of_firm["role"], "firm_file": of_firm["file"],
                          "firm_line": of_firm["line"]}),
            pd.DataFrame({"firm": of_owners["firm"], "entity": of_owners["entity"],
                          "at_firm": of_owners["role"] + " of an owner" + _level(of_owners),
                          "firm_file": of_owners["file"], "firm_line": of_owners["line"]}),
        ]
    )  # fmt: skip
    buyers = trade.outbound.loc[trade.outbound["party"].notna(), ["firm", "party"]]
    buyers = buyers.drop_duplicates().rename(columns={"party": "buyer"})
    at_buyer = _buyer_people(dataset, buyers["buyer"].drop_duplicates())
    links = at_firm.merge(buyers, on="firm").merge(at_buyer, on=["buyer", "entity"])
    links = links.drop_duplicates(["firm", "entity", "at_firm", "buyer", "at_buyer"])
    found = _records_by_firm(links.sort_values(["firm", "entity", "buyer", "at_buyer"]))
    parties = registry.described(pd.concat([links["entity"], links["buyer"]]))
    return {
        firm: SharedPeopleWithBuyer(
            [
                link | {"entity": parties[link["entity"]], "buyer": parties[link["buyer"]]}
                for link in found.get(firm, [])
            ]
        )
        for firm in firms["id"]
    }


def _level(owners: pd.DataFrame) -> pd.Series:
    return " (level " + owners["level"].astype(str) + ")"


def _buyer_people(dataset: Dataset, buyers: pd.Series) -> pd.DataFrame:
    """Who owns or directs each buyer, directly or one level up: buyer, entity, at_buyer, line."""
    owners = _owners_above(dataset.ownership, buyers, 2)
    direct_owners = owners[owners["level"] == 1]
    officers = _officers_of(dataset.officers, pd.concat([buyers, direct_owners["owner"]]))
    of_owners = direct_owners[["firm", "owner"]].merge(
        officers, left_on="owner", right_on="company"
    )
    of_buyers = officers[officers["company"].isin(buyers)]
    return pd.concat(
        [
            pd.DataFrame({"buyer": owners["firm"], "entity": owners["owner"],
                          "at_buyer": np.where(owners["level"] == 1, "owner", "owner of an owner"),
                          "buyer_file": owners["file"], "buyer_line": owners["line"]}),
            pd.DataFrame({"buyer": of_buyers["company"], "entity": of_buyers["entity"],
                          "at_buyer": of_buyers["role"], "buyer_file": of_buyers["file"],
                          "buyer_line": of_buyers["line"]}),
            pd.DataFrame({"buyer": of_owners["firm"], "entity": of_owners["entity"],
                          "at_buyer": of_owners["role"] + " of an owner",
                          "buyer_file": of_owners["file"], "buyer_line": of_owners["line"]}),
            pd.DataFrame({"buyer": buyers, "entity": buyers, "at_buyer": "is the buyer",
                          "buyer_file": pd.NA, "buyer_line": pd.NA}),
        ],
        ignore_index=True,
    )  # fmt: skip


# clusters


def _clusters(
    dataset: Dataset,
    firms: pd.DataFrame,
    trade: _Trade,
    pairs: pd.DataFrame,
    registry: _Registry,
    options: _Options,
) -> dict[str, Clusters]:
    same_address = _records_by_firm(_registered_together(dataset.companies, firms, options))
    same_officer = _records_by_firm(_same_officer(dataset.officers, firms, registry, options))
    chains = _direct_chains(pairs)
    if options.max_hops > 1:
        chains = pd.concat([chains, _transit_chains(dataset.shipments, trade, options)])
    per_firm_chains = _records_by_firm(chains)
    parties = registry.described(party for path in chains["path"] for party in path)
    return {
        firm: Clusters(
            burst_days=options.burst_days,
            same_address=same_address.get(firm, []),
            same_officer=same_officer.get(firm, []),
            chains=[
                {
                    "firms": [parties.get(party) or _named_only(party) for party in chain["path"]],
                    "transit_firms": len(chain["path"]) - 2,
                    "shipment_ids": list(chain["shipments"]),
                    "hs": chain["hs"],
                    "chains_found": chain["found"],
                }
                for chain in per_firm_chains.get(firm, [])
            ],
        )
        for firm in firms["id"]
    }


def _registered_together(
    companies: pd.DataFrame, firms: pd.DataFrame, options: _Options
) -> pd.DataFrame:
    """Other firms registered after the invasion within the burst of a firm, at its address."""
    burst = pd.Timedelta(days=options.burst_days)
    ours = firms[(firms["registered_on"] >= options.invasion) & firms["address"].notna()]
    registered = companies["registered_on"]
    near = companies[
        (registered >= options.invasion)
        & (registered >= ours["registered_on"].min() - burst)
        & (registered <= ours["registered_on"].max() + burst)
        & companies["address"].notna()
    ]
    together = (
        ours.assign(place=address_keys(ours["address"]))[["id", "place", "registered_on"]]
        .merge(near.assign(place=address_keys(near["address"])), on="place", suffixes=("_firm", ""))
    )  # fmt: skip
    apart = (together["registered_on"] - together["registered_on_firm"]).abs()
    together = together[(together["id"] != together["id_firm"]) & (apart <= burst)]
    return together.rename(columns={"id_firm": "firm"})[
        ["firm", "id", "name", "registered_on", "address", "file", "line"]
    ].sort_values(["firm", "registered_on", "id"])


def _same_officer(
    officers: pd.DataFrame, firms: pd.DataFrame, registry: _Registry, options: _Options
) -> pd.DataFrame:
    """Other firms registered after the invasion within the burst of a firm, sharing an officer."""
    ours = _officers_of(officers, firms.loc[firms["registered_on"] >= options.invasion, "id"])
    theirs = officers[is_in(officers["person_id"], ours["entity"])]
    shared = ours.merge(
        _officers_of(theirs, theirs["company_id"]), on="entity", suffixes=("_firm", "")
    )
    shared = shared[shared["company"] != shared["company_firm"]]
    shared = shared.assign(
        registered_on=registry.lookup("registered_on", shared["company"]),
        registered_on_firm=registry.lookup("registered_on", shared["company_firm"]),
    )
    apart = (shared["registered_on"] - shared["registered_on_firm"]).abs().dt.days
    shared = shared[(shared["registered_on"] >= options.invasion) & (apart <= options.burst_days)]
    return pd.DataFrame(
        {
            "firm": shared["company_firm"],
            "id": shared["company"],
            "name": registry.lookup("name", shared["company"]),
            "registered_on": shared["registered_on"],
            "officer": shared["entity"],
            "officer_name": registry.lookup("name", shared["entity"]),
            "role": shared["role"],
            "file": shared["file"],
            "line": shared["line"],
        }
    ).sort_values(["firm", "registered_on", "id"])


def _named_only(party: str) -> dict[str, Any]:
    """A chain member known only by its name on the declarations ('name|country')."""
    name, _, country = party.rpartition("|")
    return {"id": None, "name": name, "country": country}


def _direct_chains(pairs: pd.DataFrame) -> pd.DataFrame:
    """Supplier -> firm -> buyer, from the pass-through matches."""
    ends = pairs.assign(
        supplier_key=pairs["supplier_id"].fillna(
            pairs["supplier"] + "|" + pairs["supplier_country"]
        ),
        buyer_key=pairs["buyer_id"].fillna(pairs["buyer"] + "|" + pairs["buyer_country"]),
    ).sort_values(["arrived", "inbound_id"])
    grouped = ends.groupby(["firm", "supplier_key", "buyer_key"], sort=False)
    chains = grouped.agg(
        hs=("hs", "first"),
        inbound_id=("inbound_id", "first"),
        outbound_id=("outbound_id", "first"),
        found=("inbound_id", "size"),
    ).reset_index()
    return pd.DataFrame(
        {
            "firm": chains["firm"],
            "path": list(
                zip(chains["supplier_key"], chains["firm"], chains["buyer_key"], strict=True)
            ),
            "shipments": list(zip(chains["inbound_id"], chains["outbound_id"], strict=True)),
            "hs": chains["hs"],
            "found": chains["found"],
        }
    )


def _transit_chains(shipments: pd.DataFrame, trade: _Trade, options: _Options) -> pd.DataFrame:
    """Supplier -> transit firms -> buyer with 2 to ``max_hops`` transit firms, one of them ours.

    A transit firm is a registry firm outside the supplier and buyer countries. Consecutive
    legs carry the same goods (HS code at the match level), each leaving within the window
    after the one before, and no firm appears twice.
    """
    ups = _paths(shipments, trade, options, upstream=True)
    downs = _paths(shipments, trade, options, upstream=False)
    ups, downs = ups[ups["done"]], downs[downs["done"]]
    joined = pd.concat(  # one leg on each side is the firm directly between: pass_through
        [
            ups[ups["legs"] >= 2].merge(downs, on=["firm", "hs_key"], suffixes=("_up", "_down")),
            ups[ups["legs"] == 1].merge(
                downs[downs["legs"] >= 2], on=["firm", "hs_key"], suffixes=("_up", "_down")
            ),
        ]
    )
    waited = joined["near_day_down"] - joined["near_day_up"]
    transit = joined["legs_up"] + joined["legs_down"] - 1
    joined = joined[(waited >= 0) & (waited <= options.window_days) & (transit <= options.max_hops)]
    paths = zip(joined["path_up"], joined["path_down"], strict=True)
    ids = zip(joined["ids_up"], joined["ids_down"], strict=True)
    joined = joined.assign(
        path=[up + down[1:] for up, down in paths], shipments=[up + down for up, down in ids]
    )
    joined = joined[_flags(len(set(path)) == len(path) for path in joined["path"])]
    earliest = joined.sort_values("far_day_up").groupby(["firm", "path"], sort=False)
    return earliest.agg(
        shipments=("shipments", "first"), hs=("hs_key", "first"), found=("far_day_up", "size")
    ).reset_index()


def _paths(
    shipments: pd.DataFrame, trade: _Trade, options: _Options, *, upstream: bool
) -> pd.DataFrame:
    """Paths of legs into (upstream) or out of each firm, grown one leg at a time.

    Columns: firm, hs_key, far (the party at the far end), far_day, near_day (the leg at the
    firm), path and ids (tuples in the direction of the goods), legs, done (the far end is a
    supplier, or a buyer downstream).
    """
    near, far = ("importer", "exporter") if upstream else ("exporter", "importer")
    done, other_end = ("starts", "finishes") if upstream else ("finishes", "starts")
    first = _legs_at(trade.shipments, near, trade.firms, options)
    first = first[~first[other_end]]
    paths = pd.DataFrame(
        {
            "firm": first[near],
            "hs_key": first["hs_key"],
            "far": first[far],
            "far_day": first["day"],
            "near_day": first["day"],
            "path": list(zip(first["exporter"], first["importer"], strict=True)),
            "ids": [(i,) for i in first["id"]],
            "legs": 1,
            "done": first[done],
        }
    )
    grown = [paths]
    for legs_count in range(2, options.max_hops + 1):
        partial = grown[-1][~grown[-1]["done"]]
        legs = _legs_at(shipments, near, partial["far"], options)
        step = partial.merge(legs, left_on=["far", "hs_key"], right_on=[near, "hs_key"])
        waited = (step["far_day"] - step["day"]) if upstream else (step["day"] - step["far_day"])
        step = step[(waited >= 0) & (waited <= options.window_days)]
        step = step[
            _flags(new not in path for new, path in zip(step[far], step["path"], strict=True))
        ]
        if step.empty:
            break
        grown.append(
            pd.DataFrame(
                {
                    "firm": step["firm"],
                    "hs_key": step["hs_key"],
                    "far": step[far],
                    "far_day": step["day"],
                    "near_day": step["near_day"],
                    "path": [
                        (new, *p) if upstream else (*p, new)
                        for new, p in zip(step[far], step["path"], strict=True)
                    ],
                    "ids": [
                        (i, *p) if upstream else (*p, i)
                        for i, p in zip(step["id"], step["ids"], strict=True)
                    ],
                    "legs": legs_count,
                    "done": step[done],
                }
            )
        )
    return pd.concat(grown, ignore_index=True)


def _legs_at(
    shipments: pd.DataFrame, side: str, firms: pd.Series, options: _Options
) -> pd.DataFrame:
    """Shipments with one of ``firms`` as ``side`` that can be a leg of a chain.

    A leg goes into, between or out of transit firms: from a supplier country to a transit
    firm (``starts``), from one transit firm to another, or from a transit firm to a buyer
    country (``finishes``). A party known only by name is labelled 'name|country'.
    """
    rows = shipments.loc[is_in(shipments[f"{side}_key"], firms), SHIPMENT_COLUMNS]
    ends = options.suppliers | options.buyers
    from_transit = rows["exporter_key"].notna() & ~rows["exporter_country"].isin(ends)
    to_transit = rows["importer_key"].notna() & ~rows["importer_country"].isin(ends)
    starts = rows["exporter_country"].isin(options.suppliers) & to_transit
    finishes = from_transit & rows["importer_country"].isin(options.buyers)
    legs = rows[starts | finishes | (from_transit & to_transit)]

    def party(role: str) -> pd.Series:
        named = legs[f"{role}_name"].fillna("?") + "|" + legs[f"{role}_country"]
        return legs[f"{role}_key"].fillna(named)

    return pd.DataFrame(
        {
            "exporter": party("exporter"),
            "importer": party("importer"),
            "id": legs["id"],
            "day": _days(legs["date"]),
            "hs_key": legs["hs_code"].str[: options.hs_digits],
            "starts": starts[legs.index],
            "finishes": finishes[legs.index],
        }
    )


# ownership_changes


def _ownership_changes(
    ownership: pd.DataFrame,
    firms: pd.DataFrame,
    owners: pd.DataFrame,
    registry: _Registry,
    options: _Options,
) -> dict[str, OwnershipChanges]:
    """Holdings in each firm, or in a firm above it, that a Russian owner gave up or cut.

    - exit: the Russian's holding ended on or after the invasion and another owner's holding
      of the same firm began within ``TAKEOVER_DAYS`` of that end;
    - drop: a later holding of the same owner in the same firm, starting on or after the
      invasion, fell from at least a threshold to less than it but within
      ``NEAR_THRESHOLD_POINTS`` of it (thresholds: ``min_share`` and 50%).
    """
    companies_above = owners[registry.is_firm(owners["owner"])]
    nodes = pd.concat(
        [
            pd.DataFrame({"firm": firms["id"], "company": firms["id"]}),
            companies_above[["firm", "owner"]].rename(columns={"owner": "company"}),
        ]
    ).drop_duplicates()
    holdings = nodes.merge(
        ownership[is_in(ownership["owned_id"], nodes["company"])],
        left_on="company",
        right_on="owned_id",
    ).drop(columns="owned_id")
    russian = holdings[registry.in_group(holdings["owner_id"], options.owner_countries).to_numpy()]
    changes = pd.concat([_exits(russian, holdings, options), _drops(russian, options)])
    found = _records_by_firm(changes.sort_values(["firm", "line_before"]))
    parties = registry.described(
        pd.concat([changes["owner_id_before"], changes["owner_id_after"], changes["company"]])
    )
    return {
        firm: OwnershipChanges([_change_record(row, parties) for row in found.get(firm, [])])
        for firm in firms["id"]
    }


def _exits(russian: pd.DataFrame, holdings: pd.DataFrame, options: _Options) -> pd.DataFrame:
    ended = russian[russian["until"] >= options.invasion]
    taken = ended.merge(holdings, on=["firm", "company"], suffixes=("_before", "_after"))
    gap = (taken["since_after"] - taken["until_before"]).abs().dt.days
    taken = taken[(taken["owner_id_after"] != taken["owner_id_before"]) & (gap <= TAKEOVER_DAYS)]
    return taken.assign(kind="exit", threshold=np.nan)


def _drops(russian: pd.DataFrame, options: _Options) -> pd.DataFrame:
    runs = russian.sort_values(["firm", "company", "owner_id", "since"], na_position="first")
    before = runs.groupby(["firm", "company", "owner_id"]).shift()
    paired = pd.concat([runs.add_suffix("_after"), before.add_suffix("_before")], axis=1)
    paired = paired.rename(columns={"firm_after": "firm", "company_after": "company"})
    paired["owner_id_before"] = paired["owner_id_after"]
    found = []
    for threshold in options.thresholds:
        below = paired[
            (paired["since_after"] >= options.invasion)
            & (paired["share_before"] >= threshold)
            & (paired["share_after"] < threshold)
            & (paired["share_after"] >= threshold - NEAR_THRESHOLD_POINTS)
        ]
        found.append(below.assign(kind="drop", threshold=threshold))
    return pd.concat(found)


def _change_record(row: dict[str, Any], parties: dict[str, dict[str, Any]]) -> dict[str, Any]:
    record = {
        "kind": row["kind"],
        "owner": parties[row["owner_id_before"]],
        "company": parties[row["company"]],
        "share_before": row["share_before"],
        "share_after": row["share_after"],
        "until": row["until_before"],
        "since": row["since_after"],
        "records": [
            f"{row['file_before']} line {int(row['line_before'])}",
            f"{row['file_after']} line {int(row['line_after'])}",
        ],
    }
    if row["kind"] == "exit":
        record["successor"] = parties[row["owner_id_after"]]
    else:
        record["threshold"] = row["threshold"]
    return record

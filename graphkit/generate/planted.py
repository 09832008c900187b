"""The planted part of the world: intermediaries, decoys that miss by one criterion, look-alikes.

These few thousand firms are built one by one in plain Python, each with its owners, officer
and shipments, because what matters about them is exact: an intermediary meets all three
criteria, a decoy fails exactly the one its truth row names, and nothing else differs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from graphkit.generate import names
from graphkit.generate.messy import (
    CODE,
    COUNTRIES,
    GOODS,
    HIGH_PRIORITY_INDEX,
    NO_DAY,
    WORLD_END,
    WORLD_START,
    day,
)
from graphkit.generate.tables import (
    NO_ALIAS,
    Firms,
    Links,
    Officers,
    Role,
    Segment,
    Trades,
    row_id,
)

INTERMEDIARY, DECOY, LOOKALIKE = "intermediary", "decoy", "lookalike"
NEWLY_REGISTERED = "newly_registered"
RUSSIAN_OWNED = "russian_owned"
BETWEEN = "between_suppliers_and_buyers"

DECOY_FAILS: dict[str, str] = {
    "registered_before": NEWLY_REGISTERED,
    "low_share": RUSSIAN_OWNED,
    "expired_ownership": RUSSIAN_OWNED,
    "no_russian_buyers": BETWEEN,
    "no_eu_suppliers": BETWEEN,
    "outside_kazakhstan": BETWEEN,
}

# Ways to be at least 25% Russian-owned, with odds, and the holdings each way is built from
# (a pair of countries means either).
RUSSIAN_PATTERNS: dict[str, tuple[float, tuple[str, ...]]] = {
    "direct": (0.35, ()),
    "holding": (0.2, ("CY|AE",)),
    "two_level": (0.15, ("CY",)),
    "deep": (0.05, ("AE", "CY")),
    "two_persons": (0.1, ()),
    "russian_company": (0.15, ()),
}
# Ways a decoy of one kind is owned: a low Russian share, or a Russian share that expired.
DECOY_PATTERNS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "low_share": (("low_direct", ()), ("low_holding", ("CY",))),
    "expired_ownership": (("expired", ()),),
}

_NEW_FIRST, _NEW_LAST = day("2022-03-01"), day("2024-06-30")
_OLD_FIRST, _OLD_LAST = day("2008-01-01"), day("2021-12-31")
_HOLDING_FIRST = day("2005-01-01")
_PARTNERS_REGISTERED_BY = day("2021-12-31")  # partners older than any planted trade
_TRADE_AFTER_INVASION = day("2022-03-15")
_NAMES_ONLY_ODDS = 0.2  # intermediaries whose shipments show a spelling variant, no id
_NUMBERED_ODDS = 0.3  # intermediaries whose name ends in a number, like "Da Group 22"
_PARTNER_NAMED_ONLY_ODDS = 1 / 3
_MARKUP = (1.10, 1.40)


@dataclass
class PlantedFirm:
    role: str  # INTERMEDIARY or DECOY; look-alikes hang off their intermediary
    kind: str  # the decoy kind; "" for intermediaries
    pattern: str
    holding_countries: tuple[str, ...]
    row: int = -1
    holdings: tuple[int, ...] = ()
    lookalike: int = -1
    registry_name: str = ""
    shipment_names: tuple[str, ...] = ()  # spelling variants used instead of the id


def plan(rng: np.random.Generator, intermediaries: int, per_kind: int) -> list[PlantedFirm]:
    """Intermediaries (every Russian-ownership pattern at least once) and decoys of each kind."""
    odds = np.array([o for o, _ in RUSSIAN_PATTERNS.values()])
    drawn = rng.choice(list(RUSSIAN_PATTERNS), size=intermediaries - len(RUSSIAN_PATTERNS), p=odds)
    patterns = rng.permutation([*RUSSIAN_PATTERNS, *drawn])
    firms = [_firm(rng, INTERMEDIARY, "", str(p), RUSSIAN_PATTERNS[p][1]) for p in patterns]
    for kind in DECOY_FAILS:
        for i in range(per_kind):
            if kind in DECOY_PATTERNS:
                pattern, holdings = DECOY_PATTERNS[kind][i % len(DECOY_PATTERNS[kind])]
            else:
                pattern = str(rng.choice(list(RUSSIAN_PATTERNS), p=odds))
                holdings = RUSSIAN_PATTERNS[pattern][1]
            firms.append(_firm(rng, DECOY, kind, pattern, holdings))
    return firms


def _firm(
    rng: np.random.Generator, role: str, kind: str, pattern: str, holdings: tuple[str, ...]
) -> PlantedFirm:
    countries = tuple(str(rng.choice(h.split("|"))) for h in holdings)
    return PlantedFirm(role, kind, pattern, countries)


def rows_needed(planted: list[PlantedFirm]) -> int:
    return sum(1 + len(f.holding_countries) + (f.role == INTERMEDIARY) for f in planted)


@dataclass
class Placement:
    """Rows, countries and registration days of every planted firm and holding."""

    rows: list[int] = field(default_factory=list)
    country: list[int] = field(default_factory=list)
    registered: list[int] = field(default_factory=list)

    def add(self, row: int, country: str, registered: int) -> None:
        self.rows.append(row)
        self.country.append(CODE[country])
        self.registered.append(registered)


def place(rng: np.random.Generator, planted: list[PlantedFirm], rows: np.ndarray) -> Placement:
    """Give each planted firm, its holdings and its look-alike a registry row."""
    placement = Placement()
    free = iter(rows.tolist())
    for firm in planted:
        firm.row = next(free)
        placement.add(firm.row, _country(rng, firm), _registration(rng, firm))
        firm.holdings = tuple(next(free) for _ in firm.holding_countries)
        for row, country in zip(firm.holdings, firm.holding_countries, strict=True):
            placement.add(row, country, _day_between(rng, _HOLDING_FIRST, _OLD_LAST))
        if firm.role == INTERMEDIARY:
            firm.lookalike = next(free)
            placement.add(firm.lookalike, "KZ", _day_between(rng, _HOLDING_FIRST, _OLD_LAST))
    return placement


def _day_between(rng: np.random.Generator, first: int, last: int) -> int:
    return int(rng.integers(first, last + 1))


def _country(rng: np.random.Generator, firm: PlantedFirm) -> str:
    return str(rng.choice(["KG", "AM"])) if firm.kind == "outside_kazakhstan" else "KZ"


def _registration(rng: np.random.Generator, firm: PlantedFirm) -> int:
    if firm.kind == "registered_before":
        return _day_between(rng, _OLD_FIRST, _OLD_LAST)
    return _day_between(rng, _NEW_FIRST, _NEW_LAST)


def name_intermediaries(
    rng: np.random.Generator,
    planted: list[PlantedFirm],
    reserved_pairs: np.ndarray,
    is_taken: names.NameCheck,
) -> dict[int, str]:
    """Registry names of intermediaries and their look-alikes, and the variants some trade under.

    Each intermediary owns a (prefix, core) pair no other firm uses, so its look-alike (the
    same name plus a word or the next number) and its spelling variants name nobody else.
    """
    intermediaries = [f for f in planted if f.role == INTERMEDIARY]
    registry: dict[int, str] = {}
    spelled_as: list[_Spelling] = []
    for firm, pair in zip(intermediaries, reserved_pairs.tolist(), strict=True):
        prefix, core = divmod(pair, len(names.KZ.cores))
        form = names.pick_form(rng, names.KZ)
        extra = f" {int(rng.integers(2, 40))}" if rng.random() < _NUMBERED_ODDS else ""
        firm.registry_name = names.firm_name(names.KZ, form, prefix, core, extra)
        lookalike = names.firm_name(names.KZ, form, prefix, core, _distinguished(rng, extra, form))
        registry[firm.row], registry[firm.lookalike] = firm.registry_name, lookalike
        spelled_as.append(_Spelling(prefix, core, extra, form))
    for name in registry.values():
        is_taken.claim(name)
    count = max(1, round(len(intermediaries) * _NAMES_ONLY_ODDS))
    for i in sorted(rng.choice(len(intermediaries), size=count, replace=False).tolist()):
        firm = intermediaries[i]
        firm.shipment_names = _variants(rng, firm.registry_name, spelled_as[i], is_taken)
    return registry


class _Spelling(NamedTuple):
    """How an intermediary's registry name was made: its words, ending and legal form."""

    prefix: int
    core: int
    extra: str
    form: names.Form


def _distinguished(rng: np.random.Generator, extra: str, form: names.Form) -> str:
    """What sets a look-alike's name apart: the next number, or one more word."""
    if extra:
        return f" {int(extra) + 1}"
    word = names.KZ.suffixes[int(rng.integers(1, len(names.KZ.suffixes)))]
    return " " + names.spelled(word, form.script)


def _variants(
    rng: np.random.Generator, registry_name: str, spelling: _Spelling, is_taken: names.NameCheck
) -> tuple[str, ...]:
    """One or two spellings of the name that no other firm has, to show on shipments."""
    candidates = [
        *names.kazakh_spelling_variants(*spelling),
        names.typo(rng, registry_name),
    ]
    free = [c for c in dict.fromkeys(candidates) if c != registry_name and not is_taken(c)]
    chosen = rng.choice(len(free), size=min(len(free), int(rng.integers(1, 3))), replace=False)
    picked = tuple(free[i] for i in sorted(chosen.tolist()))
    for name in picked:
        is_taken.claim(name)
    return picked


@dataclass(frozen=True)
class Partners:
    """Background firms the planted ones trade with: old, alive, in the right segment."""

    eu_suppliers: np.ndarray
    asian_suppliers: np.ndarray
    russian_buyers: np.ndarray
    regional_buyers: np.ndarray  # Kyrgyz, Armenian and Kazakh

    @classmethod
    def of(cls, firms: Firms) -> Partners:
        def pool(*segments: Segment) -> np.ndarray:
            return np.flatnonzero(
                np.isin(firms.segment, segments)
                & (firms.dissolved == NO_DAY)
                & (firms.registered <= _PARTNERS_REGISTERED_BY)
            )

        return cls(
            pool(Segment.EU_SUPPLIER),
            pool(Segment.ASIAN_SUPPLIER),
            pool(Segment.RU_BUYER),
            pool(Segment.REGIONAL, Segment.KZ_OLD),
        )


class TruthRow(NamedTuple):
    firm: int  # row
    role: str
    fails: str  # the criteria the firm fails, separated by ';'; "" for intermediaries
    ids_on_shipments: bool  # whether its shipments carry its registry id
    note: str


@dataclass
class Planted:
    """Everything the planted firms add to the world, and the answer key."""

    links: Links
    officers: Officers
    trades: Trades
    aliases: list[str]  # the names planted firms trade under, indexed by Trades' aliases
    truth: list[TruthRow]


_QUANTITY = {"pcs": (10, 5000), "kg": (20, 20000), "u": (1, 30)}


class _Lot(NamedTuple):
    """What one shipment carries."""

    goods: int
    cents: int
    quantity: int


class _Builder:
    """Collects the rows planted firms add, firm by firm."""

    def __init__(
        self,
        rng: np.random.Generator,
        firms: Firms,
        persons_of: dict[str, np.ndarray],
        person_count: int,
    ) -> None:
        self.rng = rng
        self.firms = firms
        self.persons_of = persons_of
        self.person_count = person_count
        self.partners = Partners.of(firms)
        self.links: list[tuple[int, bool, int, int, int, int]] = []
        self.officers: list[tuple[int, int, int, int, int]] = []
        self.trades: list[tuple[int, int, int, bool, bool, int, int, int, int, int]] = []
        self.aliases: dict[str, int] = {}
        self.truth: list[TruthRow] = []

    def person(self, alpha2: str) -> int:
        return int(self.rng.choice(self.persons_of[alpha2]))

    def pid(self, person: int) -> str:
        return row_id("P", person, self.person_count)

    def cid(self, firm: int) -> str:
        return row_id("C", firm, len(self.firms.country))

    def registered(self, firm: int) -> int:
        return int(self.firms.registered[firm])

    def alpha2(self, firm: int) -> str:
        return COUNTRIES[int(self.firms.country[firm])].alpha2

    # ownership

    def own(
        self, owner: int, is_person: bool, owned: int, share: int, since: int, until: int = NO_DAY
    ) -> None:
        self.links.append((owner, is_person, owned, share, since, until))

    def kazakh_rest(self, owned: int, rest: int, since: int) -> None:
        """The share no Russian holds goes to one Kazakh person, or two if much is left."""
        if rest <= 0:
            return
        split = rest >= 2000 and self.rng.random() < 0.5
        first = int(self.rng.integers(10, rest // 100)) * 100 if split else rest
        self.own(self.person("KZ"), True, owned, first, since)
        if rest > first:
            self.own(self.person("KZ"), True, owned, rest - first, since)

    def firm_owns(self, owner: int, owned: int, share: int) -> None:
        # a firm can own another from when both exist
        since = max(self.registered(owner), self.registered(owned))
        self.own(owner, False, owned, share, since)

    def holding_owned(self, holding: int, russian_share: int) -> int:
        """A Russian person holds russian_share of a holding, a local person any rest."""
        since = self.registered(holding)
        russian = self.person("RU")
        self.own(russian, True, holding, russian_share, since)
        if russian_share < 10000:
            self.own(self.person(self.alpha2(holding)), True, holding, 10000 - russian_share, since)
        return russian

    def owners(self, firm: PlantedFirm, first_trade: int) -> tuple[int, str]:
        """Owners of a planted firm by its pattern: the Russian effective share, and how."""
        match firm.pattern:
            case "direct":
                return self.russian_person(firm, 30, 100)
            case "low_direct":
                return self.russian_person(firm, 10, 20)
            case "holding":
                return self.russian_holding(firm)
            case "two_level" | "low_holding":
                return self.partly_russian_holding(firm)
            case "deep":
                return self.two_russian_holdings(firm)
            case "two_persons":
                return self.two_russian_persons(firm)
            case "russian_company":
                return self.russian_company(firm)
            case "expired":
                return self.expired_russian_person(firm, first_trade)
        raise ValueError(f"unknown ownership pattern {firm.pattern!r}")

    def russian_person(self, firm: PlantedFirm, low: int, high: int) -> tuple[int, str]:
        since = self.registered(firm.row)
        share = int(self.rng.integers(low, high + 1)) * 100
        russian = self.person("RU")
        self.own(russian, True, firm.row, share, since)
        self.kazakh_rest(firm.row, 10000 - share, since)
        return share, f"RU person {self.pid(russian)} holds {_pct(share)}"

    def russian_holding(self, firm: PlantedFirm) -> tuple[int, str]:
        (holding,) = firm.holdings
        share = int(self.rng.integers(50, 101)) * 100
        russian = self.holding_owned(holding, 10000)
        self.firm_owns(holding, firm.row, share)
        self.kazakh_rest(firm.row, 10000 - share, self.registered(firm.row))
        return share, (
            f"RU person {self.pid(russian)} holds 100% of holding {self.cid(holding)}, "
            f"which holds {_pct(share)}"
        )

    def partly_russian_holding(self, firm: PlantedFirm) -> tuple[int, str]:
        """A holding partly Russian-held: 30% or more in all (two_level), 10-20% (low)."""
        (holding,) = firm.holdings
        if firm.pattern == "two_level":
            of_holding = int(self.rng.integers(50, 91)) * 100
            share = int(self.rng.integers(60, 96)) * 100
        else:
            of_holding, share = int(self.rng.integers(20, 41)) * 100, 5000
        russian = self.holding_owned(holding, of_holding)
        self.firm_owns(holding, firm.row, share)
        self.kazakh_rest(firm.row, 10000 - share, self.registered(firm.row))
        return of_holding * share // 10000, (
            f"RU person {self.pid(russian)} holds {_pct(of_holding)} of holding "
            f"{self.cid(holding)}, which holds {_pct(share)}"
        )

    def two_russian_holdings(self, firm: PlantedFirm) -> tuple[int, str]:
        top, bottom = firm.holdings
        share = int(self.rng.integers(40, 101)) * 100
        russian = self.holding_owned(top, 10000)
        self.firm_owns(top, bottom, 10000)
        self.firm_owns(bottom, firm.row, share)
        self.kazakh_rest(firm.row, 10000 - share, self.registered(firm.row))
        return share, (
            f"RU person {self.pid(russian)} holds 100% of holding {self.cid(top)}, which "
            f"holds 100% of holding {self.cid(bottom)}, which holds {_pct(share)}"
        )

    def two_russian_persons(self, firm: PlantedFirm) -> tuple[int, str]:
        since = self.registered(firm.row)
        first, second = self.rng.choice(self.persons_of["RU"], size=2, replace=False).tolist()
        self.own(first, True, firm.row, 1500, since)
        self.own(second, True, firm.row, 1500, since)
        self.kazakh_rest(firm.row, 7000, since)
        return 3000, f"RU persons {self.pid(first)} and {self.pid(second)} hold 15% each"

    def russian_company(self, firm: PlantedFirm) -> tuple[int, str]:
        company = int(self.rng.choice(self.partners.russian_buyers))
        self.firm_owns(company, firm.row, 5100)
        self.kazakh_rest(firm.row, 4900, self.registered(firm.row))
        return 5100, f"RU company {self.cid(company)} holds 51%"

    def expired_russian_person(self, firm: PlantedFirm, first_trade: int) -> tuple[int, str]:
        # the Russian sold out to a Kazakh at least a month before the first delivery
        since = self.registered(firm.row)
        handover = int(self.rng.integers(since + 30, first_trade - 30))
        russian = self.person("RU")
        self.own(russian, True, firm.row, 6000, since, handover)
        self.own(self.person("KZ"), True, firm.row, 6000, handover)
        self.own(self.person("KZ"), True, firm.row, 4000, since)
        return 0, f"RU person {self.pid(russian)} held 60% until before the first shipment"

    # trade

    def first_trade(self, firm: PlantedFirm) -> int:
        registered = self.registered(firm.row)
        if firm.kind == "registered_before":
            return _TRADE_AFTER_INVASION + int(self.rng.integers(0, 700))
        if firm.kind == "expired_ownership":
            return registered + int(self.rng.integers(120, 200))
        return registered + int(self.rng.integers(20, 90))

    def lot(self, goods_pool: np.ndarray) -> _Lot:
        goods = int(self.rng.choice(goods_pool))
        dollars = float(np.clip(self.rng.lognormal(np.log(40_000), 0.9), 1_500, 3_000_000))
        low, high = _QUANTITY[GOODS[goods].unit]
        return _Lot(goods, round(dollars * 100), int(self.rng.integers(low, high + 1)))

    def ship(
        self,
        when: int,
        exporter: int,
        importer: int,
        lot: _Lot,
        planted_exports: bool,
        variants: tuple[str, ...] = (),
    ) -> None:
        """One shipment to or from a planted firm.

        The planted firm shows its id, or one of its spelling variants if it has any; the
        partner is sometimes named without an id, as background parties are.
        """
        alias = NO_ALIAS
        if variants:
            variant = str(self.rng.choice(list(variants)))
            alias = self.aliases.setdefault(variant, len(self.aliases))
        partner_named_only = bool(self.rng.random() < _PARTNER_NAMED_ONLY_ODDS)
        self.trades.append(
            (
                when,
                exporter,
                importer,
                partner_named_only and not planted_exports,
                partner_named_only and planted_exports,
                alias if planted_exports else NO_ALIAS,
                NO_ALIAS if planted_exports else alias,
                *lot,
            )
        )

    def pass_goods_on(self, firm: PlantedFirm, first_trade: int) -> None:
        """Receive from suppliers, then send the same goods on to buyers, dearer, days later."""
        rng, p = self.rng, self.partners
        supplier_pool = p.asian_suppliers if firm.kind == "no_eu_suppliers" else p.eu_suppliers
        buyer_pool = p.regional_buyers if firm.kind == "no_russian_buyers" else p.russian_buyers
        deliveries = int(rng.integers(3, 21))
        supplier_count = min(int(rng.integers(1, 5)), deliveries)
        suppliers = rng.choice(supplier_pool, size=supplier_count, replace=False)
        buyers = rng.choice(buyer_pool, size=int(rng.integers(1, 4)), replace=False)
        goods_pool = rng.choice(HIGH_PRIORITY_INDEX, size=int(rng.integers(1, 5)), replace=False)
        span = min(365, WORLD_END - 45 - first_trade)  # 40 days to send the last lot on
        later = np.sort(rng.integers(0, span + 1, size=deliveries - 1))
        for received in [first_trade, *(first_trade + later).tolist()]:
            bought = self.lot(goods_pool)
            sold = bought._replace(cents=round(bought.cents * rng.uniform(*_MARKUP)))
            sent = received + int(rng.integers(5, 41))
            supplier, buyer = int(rng.choice(suppliers)), int(rng.choice(buyers))
            self.ship(received, supplier, firm.row, bought, False, firm.shipment_names)
            self.ship(sent, firm.row, buyer, sold, True, firm.shipment_names)

    def ordinary_trade(self, row: int) -> None:
        """A few shipments in and out, as any established Kazakh firm has."""
        rng, p = self.rng, self.partners
        start = max(self.registered(row) + 30, WORLD_START)
        for _ in range(int(rng.integers(2, 7))):
            lot = self.lot(np.arange(len(GOODS)))
            sells = rng.random() < 0.5
            if sells:
                pool = p.russian_buyers if rng.random() < 0.5 else p.regional_buyers
            else:
                pool = p.eu_suppliers if rng.random() < 0.5 else p.asian_suppliers
            partner = int(rng.choice(pool))
            when = _day_between(rng, max(start, self.registered(partner) + 30), WORLD_END)
            if sells:
                self.ship(when, row, partner, lot, True)
            else:
                self.ship(when, partner, row, lot, False)

    # officers and the answer key

    def director(self, firm: int, alpha2: str) -> None:
        since = self.registered(firm)
        self.officers.append((self.person(alpha2), firm, int(Role.DIRECTOR), since, NO_DAY))

    def intermediary_or_decoy(self, firm: PlantedFirm) -> None:
        first_trade = self.first_trade(firm)
        effective, how = self.owners(firm, first_trade)
        self.pass_goods_on(firm, first_trade)
        self.director(firm.row, "RU" if self.rng.random() < 0.2 else self.alpha2(firm.row))
        for holding in firm.holdings:
            self.director(holding, self.alpha2(holding))
        if firm.role == DECOY:
            self.truth.append(TruthRow(firm.row, DECOY, DECOY_FAILS[firm.kind], True, firm.kind))
            return
        note = f"russian share {_pct(effective)}: {how}"
        if firm.shipment_names:
            note += "; names on shipments: " + " | ".join(firm.shipment_names)
        self.truth.append(TruthRow(firm.row, INTERMEDIARY, "", not firm.shipment_names, note))
        self.lookalike(firm)

    def lookalike(self, firm: PlantedFirm) -> None:
        row = firm.lookalike
        self.kazakh_rest(row, 10000, self.registered(row))
        self.director(row, "KZ")
        self.ordinary_trade(row)
        fails = f"{NEWLY_REGISTERED};{RUSSIAN_OWNED}"
        self.truth.append(TruthRow(row, LOOKALIKE, fails, True, f"looks like {self.cid(firm.row)}"))

    def result(self) -> Planted:
        return Planted(
            Links(*_columns(self.links)),
            Officers(*_columns(self.officers)),
            Trades(*_columns(self.trades)),
            list(self.aliases),
            self.truth,
        )


def _columns(rows: Sequence[tuple[int | bool, ...]]) -> list[np.ndarray]:
    return [np.array(column) for column in zip(*rows, strict=True)]


def _pct(hundredths: int) -> str:
    return f"{hundredths / 100:g}%"


def build(
    rng: np.random.Generator,
    planted: list[PlantedFirm],
    firms: Firms,
    persons_of: dict[str, np.ndarray],
    person_count: int,
) -> Planted:
    """Owners, directors, shipments and truth rows of every planted firm."""
    builder = _Builder(rng, firms, persons_of, person_count)
    for firm in planted:
        builder.intermediary_or_decoy(firm)
    return builder.result()

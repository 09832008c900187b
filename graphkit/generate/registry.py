"""The background registry: persons, who owns the background firms, who directs them, sanctions.

Everything here is vectorised over all background firms at once. The one rule it must keep is
that no background firm meets all three criteria: a new Kazakh firm that may buy from the EU
and sell to Russia is owned by Kazakhs (a Russian minority of at most 20%), and its corporate
owners are Kazakh firms without any Russian owner.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphkit.generate.layout import allocate
from graphkit.generate.messy import CODE, EU, EU_MARKETS, NO_DAY, WORLD_END, day
from graphkit.generate.names import person_names
from graphkit.generate.tables import (
    UNKNOWN_SHARE,
    Firms,
    Links,
    Officers,
    Persons,
    Role,
    Segment,
)

_EU_PERSON_ODDS = np.array(list(EU_MARKETS.values()), dtype=float)
_NATIONALITY_SHARES = {
    CODE["RU"]: 0.28,
    CODE["KZ"]: 0.30,
    CODE["KG"]: 0.04,
    CODE["AM"]: 0.03,
    CODE["CN"]: 0.07,
    CODE["TR"]: 0.03,
    CODE["CY"]: 0.02,
    CODE["AE"]: 0.01,
    **dict(zip(EU, (0.22 * _EU_PERSON_ODDS / _EU_PERSON_ODDS.sum()).tolist(), strict=True)),
}
_BORN = (day("1950-01-01"), day("2001-12-31"))
_BIRTH_UNKNOWN_ODDS = 0.04


def make_persons(rng: np.random.Generator, count: int) -> Persons:
    counts = allocate(np.array(list(_NATIONALITY_SHARES.values())), count)
    nationality = rng.permutation(np.repeat(list(_NATIONALITY_SHARES), counts)).astype(np.int8)
    born = rng.integers(_BORN[0], _BORN[1] + 1, size=count).astype(np.int32)
    born[rng.random(count) < _BIRTH_UNKNOWN_ODDS] = NO_DAY
    return Persons(nationality, born, person_names(rng, nationality))


# Ownership of background firms.
_OWNER_COUNT_ODDS = (0.84, 0.13, 0.03)  # one, two or three owners
_SPLITS = (
    ((10000,),),
    (
        (5000, 5000),
        (5100, 4900),
        (6000, 4000),
        (7000, 3000),
        (7500, 2500),
        (9000, 1000),
        (6667, 3333),
    ),
    ((3400, 3300, 3300), (5000, 2500, 2500), (4000, 3000, 3000), (3333, 3333, 3334)),
)
_RUSSIAN_MINORITY_SPLITS = ((8000, 2000), (8500, 1500), (9000, 1000))  # Russian second
_RUSSIAN_MINORITY_ODDS = 0.12  # of new Kazakh-owned firms
# Share of firms in a segment whose main owner is Russian.
_RUSSIAN_MAIN_OWNER_ODDS = {
    Segment.RU_BUYER: 1.0,
    Segment.KZ_OLD: 0.15,
    Segment.KZ_NEW_RU_DOMESTIC: 1.0,
    Segment.KZ_NEW_RU_EXPORTER: 1.0,
    Segment.REGIONAL: 0.2,
    Segment.HOLDING: 0.5,
    Segment.GULF_TRADER: 0.3,
}
# Share of firms in a segment owned by an offshore holding instead of their main owner.
_HOLDING_OWNED_ODDS = {
    Segment.RU_BUYER: 0.25,
    Segment.KZ_OLD: 0.08,
    Segment.KZ_NEW_RU_DOMESTIC: 0.3,
    Segment.KZ_NEW_RU_EXPORTER: 0.3,
    Segment.EU_SUPPLIER: 0.05,
    Segment.REGIONAL: 0.05,
}
_GROUP_OWNED_ODDS = 0.05  # owned by a parent firm of the same country instead
_GROUP_SEGMENTS = (
    Segment.EU_SUPPLIER,
    Segment.RU_BUYER,
    Segment.ASIAN_SUPPLIER,
    Segment.KZ_OLD,
    Segment.KZ_NEW_LOCAL,
    Segment.REGIONAL,
)
_OWNER_CHANGE_ODDS = 0.03
_UNKNOWN_SHARE_ODDS = 0.03  # of links outside Kazakhstan, where no criterion depends on it
_CYCLE_SHARE = 1000


@dataclass
class _Draft:
    """Background links while they are built: one row per link."""

    firm: np.ndarray
    slot: np.ndarray  # 0 for the main owner
    share: np.ndarray
    nationality: np.ndarray
    owner: np.ndarray
    owner_is_person: np.ndarray


def background_links(
    rng: np.random.Generator, firms: Firms, persons: Persons, rows: np.ndarray
) -> Links:
    """Owners of the background firms at rows."""
    draft = _person_owners(rng, firms, persons, rows)
    held = _holding_owned(rng, firms, draft)
    _group_owned(rng, firms, draft, held)
    cycle = _cycle(rng, firms, draft)
    links = Links(
        draft.owner,
        draft.owner_is_person,
        draft.firm,
        draft.share,
        firms.registered[draft.firm],
        np.full(len(draft.firm), NO_DAY, dtype=np.int32),
    )
    earlier = _earlier_owners(rng, persons, draft, links)
    links = Links.concat([links, cycle, earlier])
    outside_kazakhstan = firms.country[links.owned] != CODE["KZ"]
    unknown = outside_kazakhstan & (rng.random(len(links)) < _UNKNOWN_SHARE_ODDS)
    links.share[unknown] = UNKNOWN_SHARE
    return links


def _person_owners(
    rng: np.random.Generator, firms: Firms, persons: Persons, rows: np.ndarray
) -> _Draft:
    segment = firms.segment[rows]
    owners = rng.choice(3, size=len(rows), p=_OWNER_COUNT_ODDS) + 1
    minority = (segment == Segment.KZ_NEW_LOCAL) & (rng.random(len(rows)) < _RUSSIAN_MINORITY_ODDS)
    owners[minority] = 2
    firm = np.repeat(rows, owners)
    first_of_firm = np.cumsum(owners) - owners
    slot = np.arange(len(firm)) - np.repeat(first_of_firm, owners)
    nationality = firms.country[firm].astype(np.int8)
    russian_main = np.zeros(len(rows), dtype=bool)
    for seg, odds in _RUSSIAN_MAIN_OWNER_ODDS.items():
        in_segment = segment == seg
        russian_main[in_segment] = rng.random(int(in_segment.sum())) < odds
    nationality[first_of_firm[russian_main]] = CODE["RU"]
    nationality[first_of_firm[minority] + 1] = CODE["RU"]
    owner = _pick_persons(rng, persons, nationality)
    share = _shares(rng, owners, minority)
    return _Draft(firm, slot, share, nationality, owner, np.ones(len(firm), dtype=bool))


def _shares(rng: np.random.Generator, owners: np.ndarray, minority: np.ndarray) -> np.ndarray:
    """Shares of each firm's owners, in hundredths, firm after firm."""
    shares = np.zeros((len(owners), 3), dtype=np.int32)
    for count, splits in enumerate(_SPLITS, start=1):
        table = np.array(splits)
        rows = np.flatnonzero((owners == count) & ~minority)
        shares[rows, :count] = table[rng.integers(len(table), size=len(rows))]
    table = np.array(_RUSSIAN_MINORITY_SPLITS)
    rows = np.flatnonzero(minority)
    shares[rows, :2] = table[rng.integers(len(table), size=len(rows))]
    return shares[np.arange(3) < owners[:, None]]


def _pick_persons(
    rng: np.random.Generator, persons: Persons, nationality: np.ndarray
) -> np.ndarray:
    """A random person of the given nationality for each row."""
    picked = np.zeros(len(nationality), dtype=np.int64)
    for code in np.unique(nationality):
        rows = np.flatnonzero(nationality == code)
        pool = persons.pool(int(code))
        picked[rows] = pool[rng.integers(len(pool), size=len(rows))]
    return picked


def _earlier_than(
    rng: np.random.Generator, candidates: np.ndarray, registered: np.ndarray, days: np.ndarray
) -> np.ndarray:
    """For each day, a random candidate registered before it, or -1 where there is none."""
    if not len(candidates):
        return np.full(len(days), -1, dtype=np.int64)
    order = np.argsort(registered, kind="stable")
    before = np.searchsorted(registered[order], days, side="left")
    pick = np.minimum((rng.random(len(days)) * before).astype(np.int64), len(order) - 1)
    return np.where(before > 0, candidates[order][pick], -1)


def _holding_owned(rng: np.random.Generator, firms: Firms, draft: _Draft) -> np.ndarray:
    """Hand some main stakes to offshore holdings; return the firms now held that way."""
    main = np.flatnonzero(draft.slot == 0)
    segment = firms.segment[draft.firm[main]]
    odds = np.zeros(len(main))
    for seg, p in _HOLDING_OWNED_ODDS.items():
        odds[segment == seg] = p
    chosen = main[rng.random(len(main)) < odds]
    holdings = np.flatnonzero(firms.segment == Segment.HOLDING)
    days = firms.registered[draft.firm[chosen]]
    parent = _earlier_than(rng, holdings, firms.registered[holdings], days)
    chosen, parent = chosen[parent >= 0], parent[parent >= 0]
    draft.owner[chosen] = parent
    draft.owner_is_person[chosen] = False
    return draft.firm[chosen]


def _group_owned(rng: np.random.Generator, firms: Firms, draft: _Draft, held: np.ndarray) -> None:
    """Hand some main stakes to an older parent firm of the same country.

    Parents are owned only by persons, so group chains are one link long; a Kazakh parent has
    no Russian owner, so a new Kazakh firm gains no Russian share through its parent.
    """
    main = np.flatnonzero(draft.slot == 0)
    eligible = np.isin(firms.segment[draft.firm[main]], _GROUP_SEGMENTS)
    eligible &= ~np.isin(draft.firm[main], held)
    children = main[eligible & (rng.random(len(main)) < _GROUP_OWNED_ODDS)]
    russian_owned = np.unique(draft.firm[draft.nationality == CODE["RU"]])
    russian_in_kazakhstan = russian_owned[firms.country[russian_owned] == CODE["KZ"]]
    not_parents = np.concatenate([held, draft.firm[children], russian_in_kazakhstan])
    candidates = np.setdiff1d(draft.firm, not_parents)
    child_country = firms.country[draft.firm[children]]
    for code in np.unique(child_country):
        mine = children[child_country == code]
        local = candidates[firms.country[candidates] == code]
        days = firms.registered[draft.firm[mine]]
        parent = _earlier_than(rng, local, firms.registered[local], days)
        mine, parent = mine[parent >= 0], parent[parent >= 0]
        draft.owner[mine] = parent
        draft.owner_is_person[mine] = False


def _cycle(rng: np.random.Generator, firms: Firms, draft: _Draft) -> Links:
    """Two old Kazakh firms that own 10% of each other: the one ownership cycle, for loaders.

    Both are otherwise held by one non-Russian person and own no other firm.
    """
    sole = (draft.slot == 0) & (draft.share == 10000) & draft.owner_is_person
    sole &= draft.nationality != CODE["RU"]
    sole &= firms.segment[draft.firm] == Segment.KZ_OLD
    parents = draft.owner[~draft.owner_is_person]
    first, second = rng.choice(np.setdiff1d(draft.firm[sole], parents), size=2, replace=False)
    draft.share[sole & np.isin(draft.firm, [first, second])] = 10000 - _CYCLE_SHARE
    since = max(int(firms.registered[first]), int(firms.registered[second]))
    return Links(
        np.array([first, second]),
        np.zeros(2, dtype=bool),
        np.array([second, first]),
        np.full(2, _CYCLE_SHARE),
        np.full(2, since, dtype=np.int32),
        np.full(2, NO_DAY, dtype=np.int32),
    )


def _earlier_owners(
    rng: np.random.Generator, persons: Persons, draft: _Draft, links: Links
) -> Links:
    """Some main owners bought their stake from someone of their nationality: that earlier
    holding is a link with an until date, and the current one starts that day."""
    latest_change = WORLD_END - 30
    changed = (draft.slot == 0) & draft.owner_is_person & (links.since + 180 < latest_change)
    changed &= rng.random(len(changed)) < _OWNER_CHANGE_ODDS
    rows = np.flatnonzero(changed)
    first = links.since[rows] + 180
    change = (first + rng.random(len(rows)) * (latest_change - first)).astype(np.int32)
    earlier = Links(
        _pick_persons(rng, persons, draft.nationality[rows]),
        np.ones(len(rows), dtype=bool),
        links.owned[rows],
        links.share[rows].copy(),
        links.since[rows].copy(),
        change,
    )
    links.since[rows] = change
    return earlier


# Officers of background firms.
_DIRECTOR_ODDS = 0.9
_DIRECTOR_CHANGE_ODDS = 0.08
_ACCOUNTANT_ODDS = 0.05
_RUSSIAN_HOLDING_DIRECTOR_ODDS = 0.5


def background_officers(
    rng: np.random.Generator, firms: Firms, persons: Persons, rows: np.ndarray
) -> Officers:
    """A director for most firms (some replaced one), a chief accountant for a few."""
    rows = rows[rng.random(len(rows)) < _DIRECTOR_ODDS]
    nationality = firms.country[rows].astype(np.int8)
    holding = firms.segment[rows] == Segment.HOLDING
    nationality[holding & (rng.random(len(rows)) < _RUSSIAN_HOLDING_DIRECTOR_ODDS)] = CODE["RU"]
    since = np.minimum(firms.registered[rows] + rng.integers(0, 61, size=len(rows)), WORLD_END)
    until = np.full(len(rows), NO_DAY, dtype=np.int32)
    directors = Officers(
        _pick_persons(rng, persons, nationality),
        rows,
        np.full(len(rows), Role.DIRECTOR),
        since.astype(np.int32),
        until,
    )
    return Officers.concat(
        [
            directors,
            _earlier_directors(rng, persons, directors, nationality),
            _accountants(rng, firms, persons, rows, nationality),
        ]
    )


def _earlier_directors(
    rng: np.random.Generator, persons: Persons, directors: Officers, nationality: np.ndarray
) -> Officers:
    latest_change = WORLD_END - 30
    changed = (directors.since + 365 < latest_change) & (
        rng.random(len(directors)) < _DIRECTOR_CHANGE_ODDS
    )
    rows = np.flatnonzero(changed)
    first = directors.since[rows] + 365
    change = (first + rng.random(len(rows)) * (latest_change - first)).astype(np.int32)
    earlier = Officers(
        _pick_persons(rng, persons, nationality[rows]),
        directors.company[rows],
        directors.role[rows],
        directors.since[rows].copy(),
        change,
    )
    directors.since[rows] = change
    return earlier


def _accountants(
    rng: np.random.Generator,
    firms: Firms,
    persons: Persons,
    rows: np.ndarray,
    nationality: np.ndarray,
) -> Officers:
    chosen = np.flatnonzero(rng.random(len(rows)) < _ACCOUNTANT_ODDS)
    since = firms.registered[rows[chosen]] + rng.integers(0, 400, size=len(chosen))
    return Officers(
        _pick_persons(rng, persons, nationality[chosen]),
        rows[chosen],
        np.full(len(chosen), Role.CHIEF_ACCOUNTANT),
        np.minimum(since, WORLD_END).astype(np.int32),
        np.full(len(chosen), NO_DAY, dtype=np.int32),
    )


# Sanctions.
PROGRAMS = ("EU 833/2014 Annex IV", "EU 269/2014", "OFAC SDN", "UK Russia Regulations 2019")
_FIRM_PROGRAM_ODDS = (0.5, 0.2, 0.2, 0.1)
_PERSON_PROGRAM_ODDS = (0.0, 0.6, 0.25, 0.15)
_SANCTIONED_ODDS = {Segment.RU_BUYER: 0.04, Segment.GULF_TRADER: 0.02, Segment.ASIAN_SUPPLIER: 0.01}
_SANCTIONED_RUSSIAN_PERSON_ODDS = 0.003
_LISTED = (day("2022-02-28"), day("2025-05-31"))
_NAME_ONLY_LISTING_ODDS = 0.1


@dataclass
class Sanctions:
    entity: np.ndarray  # firm row, or person row where is_person
    is_person: np.ndarray
    named_only: np.ndarray  # listed by name and country, without the dataset's id
    program: np.ndarray  # index into PROGRAMS
    listed: np.ndarray  # day


def sanctions(rng: np.random.Generator, firms: Firms, persons: Persons) -> Sanctions:
    """Some Russian buyers, a few Gulf and Asian traders and Russian persons are listed."""
    firm_rows = [
        _some(rng, np.flatnonzero(firms.segment == seg), odds)
        for seg, odds in _SANCTIONED_ODDS.items()
    ]
    firm_listed = np.concatenate(firm_rows)
    person_listed = _some(rng, persons.pool(CODE["RU"]), _SANCTIONED_RUSSIAN_PERSON_ODDS)
    entity = np.concatenate([firm_listed, person_listed])
    is_person = np.repeat([False, True], [len(firm_listed), len(person_listed)])
    program = np.where(
        is_person,
        rng.choice(len(PROGRAMS), size=len(entity), p=_PERSON_PROGRAM_ODDS),
        rng.choice(len(PROGRAMS), size=len(entity), p=_FIRM_PROGRAM_ODDS),
    )
    listed = rng.integers(_LISTED[0], _LISTED[1] + 1, size=len(entity)).astype(np.int32)
    named_only = rng.random(len(entity)) < _NAME_ONLY_LISTING_ODDS
    return Sanctions(entity, is_person, named_only, program, listed)


def _some(rng: np.random.Generator, rows: np.ndarray, odds: float) -> np.ndarray:
    """About odds of rows, and at least one."""
    count = min(len(rows), max(1, round(len(rows) * odds)))
    return np.sort(rng.choice(rows, size=count, replace=False))

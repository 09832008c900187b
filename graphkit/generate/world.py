"""Generate a synthetic world in netscan's input format, with an answer key.

The world is a company registry (companies, persons, ownership, officers), customs records
(shipments) and a sanctions list, written as messy as real extracts are, plus truth.csv: which
firms are planted intermediaries, which are decoys that miss by exactly one criterion, and
which are look-alikes of intermediaries. See ``generate_world``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.errors import OptionError
from graphkit.generate import layout, names, planted, registry
from graphkit.generate.csvout import write_csv
from graphkit.generate.messy import (
    CODE,
    COUNTRIES,
    NO_DAY,
    country_texts,
    date_texts,
    description_texts,
    hs_texts,
    money_texts,
    share_texts,
    unit_texts,
)
from graphkit.generate.numbers import registration_numbers
from graphkit.generate.tables import (
    NO_ALIAS,
    ROLE_NAMES,
    UNKNOWN_SHARE,
    Firms,
    Links,
    Officers,
    Persons,
    Segment,
    Trades,
    put,
    row_id,
    row_ids,
)
from graphkit.generate.trade import BackgroundTrade

MIN_FIRMS = 500
_CHUNK = 250_000  # rows rendered and written at a time
_BLANK_SHIPMENT_ID_ODDS = 0.05


@dataclass(frozen=True)
class WorldSummary:
    """What generate_world wrote: data rows per file (headers not counted) and truth roles."""

    out_dir: Path
    companies: int
    persons: int
    ownership: int
    officers: int
    shipments: int
    sanctions: int
    intermediaries: int
    decoys: int
    lookalikes: int

    def lines(self) -> list[str]:
        """One line per file and per role, for a command line to print."""
        files = ("companies", "persons", "ownership", "officers", "shipments", "sanctions")
        roles = ("intermediaries", "decoys", "lookalikes")
        out = [f"{name}.csv: {getattr(self, name)} rows" for name in files]
        out += [f"truth.csv: {getattr(self, role)} {role}" for role in roles]
        return out


def planted_counts(firms: int) -> tuple[int, int]:
    """Intermediaries to plant, and decoys of each kind."""
    intermediaries = min(2000, max(6, round(firms * 0.002)))
    return intermediaries, max(2, intermediaries // 3)


def generate_world(out_dir: Path, *, firms: int, shipments: int, seed: int) -> WorldSummary:
    """Write a synthetic world of firms and shipments into out_dir; return what was written.

    Writes companies, persons, ownership, officers, shipments and sanctions .csv in netscan's
    input format, as messy as real extracts (mixed country spellings, date formats, share and
    HS code forms, header case, a BOM, cp1251), and truth.csv, the answer key. companies.csv
    gets exactly firms rows and shipments.csv exactly shipments rows; persons number firms
    and ownership links about 1.2 times firms. The same seed and sizes give byte-identical
    files. out_dir is created if need be; files of these names in it are replaced, nothing
    else there is touched.

    truth.csv has one row per planted firm (id, role, fails, ids_on_shipments, note):
    ``intermediary`` firms meet newly_registered, russian_owned and
    between_suppliers_and_buyers; a ``decoy`` fails exactly the criterion in ``fails`` and its
    note names its kind; a ``lookalike`` is an older Kazakh-owned firm named like an
    intermediary, failing newly_registered and russian_owned. No firm outside truth.csv meets
    all three criteria.

    Raises OptionError if firms < MIN_FIRMS, or if shipments cannot hold the planted firms'
    trade (the message says how many it needs); nothing is written then.
    """
    if firms < MIN_FIRMS:
        raise OptionError(f"--firms must be at least {MIN_FIRMS}, got {firms}")
    rngs = iter(np.random.default_rng(seed).spawn(16))
    world = _World.build(rngs, firms)
    planted_rows = len(world.planted.trades)
    if shipments < planted_rows:
        raise OptionError(
            f"--shipments must be at least {planted_rows} for --firms {firms} and --seed {seed}",
            fix="The planted firms' own trade alone takes that many rows",
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    return world.write(rngs, out_dir, shipments)


@dataclass
class _World:
    firms: Firms
    persons: Persons
    planted: planted.Planted
    links: Links
    officers: Officers

    @classmethod
    def build(cls, rngs: Iterator[np.random.Generator], firm_count: int) -> _World:
        intermediaries, per_kind = planted_counts(firm_count)
        planted_firms = planted.plan(next(rngs), intermediaries, per_kind)
        firms, background = _firms(next(rngs), firm_count, planted_firms)
        reserved = next(rngs).choice(names.KZ.pairs, size=intermediaries, replace=False)
        firms.names = _names(next(rngs), firms, planted_firms, reserved)
        persons = registry.make_persons(next(rngs), firm_count)
        persons_of = {c.alpha2: persons.pool(code) for code, c in enumerate(COUNTRIES)}
        made = planted.build(next(rngs), planted_firms, firms, persons_of, len(persons.names))
        links = Links.concat(
            [registry.background_links(next(rngs), firms, persons, background), made.links]
        )
        officers = Officers.concat(
            [registry.background_officers(next(rngs), firms, persons, background), made.officers]
        )
        return cls(firms, persons, made, links, officers)

    def write(
        self, rngs: Iterator[np.random.Generator], out_dir: Path, shipments: int
    ) -> WorldSummary:
        firm_ids = row_ids("C", len(self.firms.names))
        person_ids = row_ids("P", len(self.persons.names))
        written = {
            "companies": _write_companies(next(rngs), out_dir, self.firms, firm_ids),
            "persons": _write_persons(next(rngs), out_dir, self.persons, person_ids),
            "ownership": _write_ownership(next(rngs), out_dir, self.links, firm_ids, person_ids),
            "officers": _write_officers(next(rngs), out_dir, self.officers, firm_ids, person_ids),
            "sanctions": _write_sanctions(
                next(rngs), out_dir, self.firms, self.persons, firm_ids, person_ids
            ),
            "shipments": _write_shipments(
                next(rngs), out_dir, self.firms, firm_ids, self.planted, shipments
            ),
        }
        _write_truth(out_dir, self.planted.truth, len(firm_ids))
        roles = Counter(t.role for t in self.planted.truth)
        return WorldSummary(
            out_dir=out_dir,
            **written,
            intermediaries=roles[planted.INTERMEDIARY],
            decoys=roles[planted.DECOY],
            lookalikes=roles[planted.LOOKALIKE],
        )


def _firms(
    rng: np.random.Generator, count: int, planted_firms: list[planted.PlantedFirm]
) -> tuple[Firms, np.ndarray]:
    """Every firm's segment, country and dates; planted firms sit at random rows among them."""
    special = rng.choice(count, size=planted.rows_needed(planted_firms), replace=False)
    placement = planted.place(rng, planted_firms, special)
    background = np.setdiff1d(np.arange(count), special)
    segment = np.full(count, Segment.PLANTED, dtype=np.int8)
    segment[background] = layout.background_segments(rng, len(background))
    country = np.zeros(count, dtype=np.int8)
    country[background] = layout.background_countries(rng, segment[background])
    country[placement.rows] = placement.country
    registered = np.zeros(count, dtype=np.int32)
    registered[background] = layout.background_registrations(rng, segment[background])
    registered[placement.rows] = placement.registered
    dissolved = np.full(count, NO_DAY, dtype=np.int32)
    dissolved[background] = layout.background_dissolutions(rng, registered[background])
    return Firms(country, segment, registered, dissolved, pa.nulls(count, pa.string())), background


def _names(
    rng: np.random.Generator,
    firms: Firms,
    planted_firms: list[planted.PlantedFirm],
    reserved_pairs: np.ndarray,
) -> pa.Array:
    """Registry names: drawn per country, then the intermediaries and their look-alikes."""
    named_apart = [
        r for f in planted_firms if f.role == planted.INTERMEDIARY for r in (f.row, f.lookalike)
    ]
    out = pa.nulls(len(firms.country), pa.string())
    for code, country in enumerate(COUNTRIES):
        rows = np.setdiff1d(np.flatnonzero(firms.country == code), named_apart)
        kit = names.FIRM_KITS[country.alpha2]
        reserved = reserved_pairs if country.alpha2 == "KZ" else np.zeros(0, dtype=np.int64)
        bases = names.draw_bases(rng, kit, len(rows), reserved)
        out = put(out, rows, names.render_firm_names(rng, kit, bases))
    kazakh = out.filter(pa.array(firms.country == CODE["KZ"])).drop_null()
    apart = planted.name_intermediaries(rng, planted_firms, reserved_pairs, names.NameCheck(kazakh))
    rows = np.array(sorted(apart))
    return put(out, rows, pa.array([apart[r] for r in rows.tolist()]))


def _chunks(columns: Sequence[pa.Array]) -> Iterator[list[pa.Array]]:
    for start in range(0, len(columns[0]), _CHUNK):
        yield [c.slice(start, _CHUNK) for c in columns]


def _write_companies(rng: np.random.Generator, out_dir: Path, firms: Firms, ids: pa.Array) -> int:
    columns = [
        ids,
        firms.names,
        country_texts(rng, firms.country),
        registration_numbers(rng, firms.country, firms.registered),
        date_texts(rng, firms.registered),
        date_texts(rng, firms.dissolved),
        names.addresses(rng, firms.country),
    ]
    # this extract came with title-case headers and a byte-order mark
    header = [
        "ID",
        "Name",
        "Country",
        "Registration_Number",
        "Registered_On",
        "Dissolved_On",
        "Address",
    ]
    return write_csv(out_dir / "companies.csv", header, _chunks(columns), bom=True)


def _write_persons(rng: np.random.Generator, out_dir: Path, persons: Persons, ids: pa.Array) -> int:
    columns = [
        ids,
        persons.names,
        country_texts(rng, persons.nationality),
        date_texts(rng, persons.born),
    ]
    # this extract came from a Windows system in the Russian code page
    header = ["id", "name", "nationality", "birth_date"]
    return write_csv(out_dir / "persons.csv", header, _chunks(columns), encoding="cp1251")


def _write_ownership(
    rng: np.random.Generator, out_dir: Path, links: Links, firm_ids: pa.Array, person_ids: pa.Array
) -> int:
    links = links.take(np.lexsort((links.since, links.owned)))
    owner = pc.if_else(
        pa.array(links.owner_is_person),
        person_ids.take(np.where(links.owner_is_person, links.owner, 0)),
        firm_ids.take(np.where(links.owner_is_person, 0, links.owner)),
    )
    unknown = links.share == UNKNOWN_SHARE
    columns = [
        owner,
        firm_ids.take(links.owned),
        share_texts(rng, np.where(unknown, 0, links.share), unknown),
        date_texts(rng, links.since),
        date_texts(rng, links.until),
    ]
    header = ["owner_id", "owned_id", "share", "since", "until"]
    return write_csv(out_dir / "ownership.csv", header, _chunks(columns))


def _write_officers(
    rng: np.random.Generator,
    out_dir: Path,
    officers: Officers,
    firm_ids: pa.Array,
    person_ids: pa.Array,
) -> int:
    officers = officers.take(np.lexsort((officers.since, officers.company)))
    columns = [
        person_ids.take(officers.person),
        firm_ids.take(officers.company),
        pa.array(ROLE_NAMES).take(officers.role),
        date_texts(rng, officers.since),
        date_texts(rng, officers.until),
    ]
    header = ["person_id", "company_id", "role", "since", "until"]
    return write_csv(out_dir / "officers.csv", header, _chunks(columns))


def _write_sanctions(
    rng: np.random.Generator,
    out_dir: Path,
    firms: Firms,
    persons: Persons,
    firm_ids: pa.Array,
    person_ids: pa.Array,
) -> int:
    listed = registry.sanctions(rng, firms, persons)
    person = pa.array(listed.is_person)
    firm_rows = np.where(listed.is_person, 0, listed.entity)
    person_rows = np.where(listed.is_person, listed.entity, 0)
    entity_id = pc.if_else(person, person_ids.take(person_rows), firm_ids.take(firm_rows))
    country = np.where(listed.is_person, persons.nationality[person_rows], firms.country[firm_rows])
    columns = [
        pc.if_else(pa.array(listed.named_only), pa.scalar(None, pa.string()), entity_id),
        pc.if_else(person, persons.names.take(person_rows), firms.names.take(firm_rows)),
        country_texts(rng, country),
        pa.array(registry.PROGRAMS).take(listed.program),
        date_texts(rng, listed.listed),
    ]
    # this extract came with upper-case headers
    header = ["ENTITY_ID", "NAME", "COUNTRY", "PROGRAM", "LISTED_ON"]
    return write_csv(out_dir / "sanctions.csv", header, _chunks(columns))


def _write_truth(out_dir: Path, truth: list[planted.TruthRow], firm_count: int) -> None:
    """The answer key: intermediaries, then decoys, then look-alikes, each by id."""
    order = {planted.INTERMEDIARY: 0, planted.DECOY: 1, planted.LOOKALIKE: 2}
    rows = sorted(truth, key=lambda t: (order[t.role], t.firm))
    columns = [
        pa.array([row_id("C", t.firm, firm_count) for t in rows]),
        pa.array([t.role for t in rows]),
        pa.array([t.fails or None for t in rows], pa.string()),
        pa.array(["true" if t.ids_on_shipments else "false" for t in rows]),
        pa.array([t.note for t in rows]),
    ]
    header = ["id", "role", "fails", "ids_on_shipments", "note"]
    write_csv(out_dir / "truth.csv", header, [columns])


def _write_shipments(
    rng: np.random.Generator,
    out_dir: Path,
    firms: Firms,
    firm_ids: pa.Array,
    made: planted.Planted,
    total: int,
) -> int:
    """Background shipments drawn chunk by chunk, planted ones slotted in at random rows."""
    background = BackgroundTrade(rng, firms)
    planted_trades = made.trades.take(rng.permutation(len(made.trades)))
    parties = _Parties(firms, firm_ids, pa.array(made.aliases, pa.string()))
    at = np.sort(rng.choice(total, size=len(planted_trades), replace=False))

    def chunks() -> Iterator[list[pa.Array]]:
        for start in range(0, total, _CHUNK):
            stop = min(start + _CHUNK, total)
            mine = np.flatnonzero((at >= start) & (at < stop))
            drawn = background.draw(stop - start - len(mine))
            order = _interleave(stop - start, at[mine] - start, len(drawn))
            trades = Trades.concat([drawn, planted_trades.take(mine)]).take(order)
            yield _shipment_columns(rng, trades, parties, start, total)

    header = [
        "id", "date", "exporter_id", "exporter_name", "exporter_country", "importer_id",
        "importer_name", "importer_country", "hs_code", "description", "value_usd", "quantity",
        "unit",
    ]  # fmt: skip
    return write_csv(out_dir / "shipments.csv", header, chunks())


def _interleave(size: int, slots: np.ndarray, drawn: int) -> np.ndarray:
    """Order of [drawn rows..., slotted rows...] that puts the slotted rows at their slots."""
    order = np.empty(size, dtype=np.int64)
    slotted = np.zeros(size, dtype=bool)
    slotted[slots] = True
    order[~slotted] = np.arange(drawn)
    order[slotted] = drawn + np.arange(len(slots))
    return order


@dataclass(frozen=True)
class _Parties:
    """How shipment parties are shown: registry ids and names, and planted firms' aliases."""

    firms: Firms
    ids: pa.Array
    aliases: pa.Array

    def columns(
        self, rng: np.random.Generator, rows: np.ndarray, named_only: np.ndarray, alias: np.ndarray
    ) -> list[pa.Array]:
        """id, name and country of one side of each shipment."""
        aliased = alias != NO_ALIAS
        alias_names = self.aliases.take(pa.array(np.where(aliased, alias, 0), mask=~aliased))
        no_id = pa.array(named_only | aliased)
        return [
            pc.if_else(no_id, pa.scalar(None, pa.string()), self.ids.take(rows)),
            pc.coalesce(alias_names, self.firms.names.take(rows)),
            country_texts(rng, self.firms.country[rows]),
        ]


def _shipment_columns(
    rng: np.random.Generator, trades: Trades, parties: _Parties, first: int, total: int
) -> list[pa.Array]:
    count = len(trades)
    number = pa.array(np.arange(first + 1, first + count + 1)).cast(pa.string())
    ids = pc.binary_join_element_wise("S", pc.utf8_lpad(number, max(9, len(str(total))), "0"), "")
    blank = pa.array(rng.random(count) < _BLANK_SHIPMENT_ID_ODDS)
    return [
        pc.if_else(blank, pa.scalar(None, pa.string()), ids),
        date_texts(rng, trades.day),
        *parties.columns(rng, trades.exporter, trades.exporter_named_only, trades.exporter_alias),
        *parties.columns(rng, trades.importer, trades.importer_named_only, trades.importer_alias),
        hs_texts(rng, trades.goods),
        description_texts(rng, trades.goods),
        money_texts(rng, trades.cents),
        pa.array(trades.quantity).cast(pa.string()),
        unit_texts(rng, trades.goods),
    ]

"""FollowTheMoney entities, one JSON object per line: OpenSanctions' ``entities.ftm.json`` and
Aleph's exports.

Each line is an entity ``{"id": ..., "schema": ..., "properties": {name: [values]}}`` of the
FollowTheMoney model (https://followthemoney.tech/explorer/); the ``followthemoney`` package
tells the schemata apart. The file is read line by line, so a dump of several GB is never held
as one document; what is kept is the rows netscan uses and, per entity, its id, schema, name
and country, so that references can be resolved at the end (an Address or a sanctioned firm may
come after the entity that points at it).

Mapping (netscan column <- FtM property; where several are listed, the first that has a value):

- Company, Organization, PublicBody, LegalEntity (every LegalEntity that is not a Person)
  -> companies: id; name <- the first ``name``; country <- jurisdiction, country, mainCountry
  (the first value netscan reads as a country); registration_number <- innCode, ogrnCode,
  registrationNumber, taxNumber, vatCode, leiCode (the INN first: Russian customs declarations
  name firms by INN, and netscan links declarations to firms by this number); registered_on <-
  incorporationDate; dissolved_on <- dissolutionDate; address <- address, else the ``full``
  address of the Address entity that ``addressEntity`` points at.
- Person -> persons: id; name <- the first ``name``; nationality <- nationality and citizenship,
  distinct, joined by ';'; birth_date <- birthDate.
- Ownership -> ownership: owner_id <- owner; owned_id <- asset; share <- percentage, as written;
  since <- startDate; until <- endDate.
- Directorship -> officers: person_id <- director; company_id <- organization; role; since <-
  startDate; until <- endDate.
- Sanction -> sanctions: entity_id <- entity (a row per entity named); name and country <- the
  entity's caption (as OpenSanctions wrote it on the line, else the FtM model's) and country
  (as for companies, then nationality, citizenship), when it is in the file; program <- program,
  else programId, else authority; listed_on <- listingDate, else startDate. A sanction whose
  endDate has passed is not mapped: netscan's sanctions list has no end date, and would count
  the party as listed.
- A company or person with the topic ``sanction`` that no Sanction in the file names (an
  OpenSanctions export of targets only) -> one sanctions row, program "topic sanction (datasets:
  ...)", so that netscan's sanctions red flag still sees it. Other topics (sanction.linked,
  sanction.counter, ...) are not sanctions and are not mapped.

Dates: a full date (YYYY-MM-DD, with or without a time) is passed as its first ten characters;
a year or a month alone is never guessed into a day. An undated start or end of an ownership or
directorship would change whether it was in force, so such a link is not used at all; any
other partial date is left out and the entity kept. Both are listed in ``unmapped``.

Not mapped, and listed in ``unmapped`` with the reason: every other schema (Vessel, Payment,
Family, Associate, Identification, ...), one entry per entity; Address entities that are no
company's address; lines that are not JSON or not FtM entities; companies and persons without a
name; links without their two ends; links to entities of schemata netscan has no place for (an
Ownership of a Vessel). Other properties (aliases, other identifiers, topics, notes) are not
kept and not listed. An entity id that comes twice gives two rows; the loader reports them.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphkit.errors import InputError
from graphkit.ingest.formats import Extract, full_date, raw_table, shorten, stripped
from graphkit.ingest.read import LINE, MalformedRow, open_input
from graphkit.ingest.values import country_code

if TYPE_CHECKING:
    from followthemoney.model import Model
    from followthemoney.schema import Schema

FORMAT = "FollowTheMoney"
ENCODING = "utf-8"

COMPANY_COUNTRY = ("jurisdiction", "country", "mainCountry")
PARTY_COUNTRY = (*COMPANY_COUNTRY, "nationality", "citizenship")  # for sanctions rows
REGISTRATION_NUMBER = (
    "innCode", "ogrnCode", "registrationNumber", "taxNumber", "vatCode", "leiCode",
)  # fmt: skip
PROGRAM = ("program", "programId", "authority")
LISTED_ON = ("listingDate", "startDate")
ADDRESS_PARTS = ("street", "postalCode", "city", "region", "state", "country")
SANCTION_TOPIC = "sanction"

PARTIAL = {4: "only a year", 7: "only a month"}

NOT_AN_ENTITY = (
    'this line is not a FollowTheMoney entity (a JSON object with "id", "schema" and '
    '"properties"); fix or remove the line'
)
ENTITY_LINES = (
    'A FollowTheMoney file has one JSON object per line, each with "id", "schema" and '
    '"properties"; if the file was cut off, download or export it again'
)
NESTED = (
    "this line nests entities inside its properties (OpenSanctions' targets.nested.json); "
    "netscan reads flat FollowTheMoney entities"
)
NESTED_FIX = "Download the dataset's entities.ftm.json (FollowTheMoney entities) instead"
UNUSED_ADDRESS = (
    "this Address is no company's address in this file; netscan keeps addresses only on companies"
)
OUT_OF_MODEL = (
    "{schema} entities have no place in netscan's model (companies, persons, ownership, "
    "officers, sanctions)"
)


@cache
def _model() -> Model:
    """The FollowTheMoney model, loaded on first use: importing it takes a second, which a
    folder without FtM files should not pay."""
    from followthemoney import model

    return model


def recognises(head: bytes) -> bool:
    """Whether the first non-blank line is (or, cut by the head's end, starts like) an FtM
    entity of a schema the FollowTheMoney model knows."""
    text = head.removeprefix(codecs.BOM_UTF8).decode(ENCODING, errors="ignore")
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError:
            cut = index == len(lines) - 1  # no line break after it: the head ends inside it
            return cut and _starts_like_entity(line)
        known = _is_entity(data, properties_required=True)
        return known and _model().get(data["schema"]) is not None
    return False


def _starts_like_entity(text: str) -> bool:
    schema = re.search(r'"schema"\s*:\s*"(\w+)"', text)
    return (
        text.lstrip().startswith("{")
        and schema is not None
        and _model().get(schema.group(1)) is not None
        and re.search(r'"id"\s*:', text) is not None
        and re.search(r'"properties"\s*:\s*\{', text) is not None
    )


def _is_entity(data: Any, *, properties_required: bool = False) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("schema"), str)
        and isinstance(data.get("id"), str | int)
        and str(data["id"]).strip() != ""
        and isinstance(data.get("properties", None if properties_required else {}), dict)
    )


def read(path: Path) -> Extract:
    """The companies, persons, ownership, officers and sanctions of an FtM entity file."""
    reader = _Reader(path)
    for number, text in _lines(path):
        reader.take(number, text)
    return reader.finish()


def _lines(path: Path) -> Iterator[tuple[int, str | bytes]]:
    """(line number, text) of each non-blank line. The first must be an FtM entity, or the file
    is not one: InputError. Later lines that are not UTF-8 are given as bytes."""
    handle = open_input(path)
    first = True
    with handle:
        for number, raw in enumerate(handle, start=1):
            if first:
                raw = raw.removeprefix(codecs.BOM_UTF8)
                if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    raise InputError(
                        "this file is UTF-16 text; FollowTheMoney files are UTF-8",
                        path=path,
                        line=number,
                        fix="Save or export the file as UTF-8",
                    )
            if not raw.strip():
                continue
            try:
                text = raw.decode(ENCODING)
            except UnicodeDecodeError:
                if first:
                    raise InputError(
                        "this line is not UTF-8 text",
                        path=path,
                        line=number,
                        fix="Save or export the file as UTF-8",
                    ) from None
                yield number, raw
                continue
            if first:
                _check_first(path, number, text)
                first = False
            yield number, text
    if first:
        raise InputError(
            "the file is empty", path=path, line=1, fix="It needs one FollowTheMoney entity a line"
        )


def _check_first(path: Path, number: int, text: str) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"this is not a FollowTheMoney file: the line is not JSON ({error.msg})",
            path=path,
            line=number,
            fix=ENTITY_LINES,
        ) from None
    if not _is_entity(data):
        raise InputError(
            "this is not a FollowTheMoney file: the line is not an entity",
            path=path,
            line=number,
            fix=ENTITY_LINES,
        )
    if _nests(data.get("properties", {})):
        raise InputError(NESTED, path=path, line=number, fix=NESTED_FIX)


def _nests(properties: dict[str, Any]) -> bool:
    """Whether a property holds an entity instead of text: OpenSanctions' nested export."""
    return any(
        isinstance(values, dict) or any(isinstance(value, dict | list) for value in values)
        for values in properties.values()
        if isinstance(values, list | dict)
    )


@dataclass(slots=True)
class _Entity:
    """One line's entity, its property values read as text only when asked for: a dump has
    millions of entities, each with dozens of values netscan never uses."""

    id: str
    schema: Schema
    properties: dict[str, Any]
    data: dict[str, Any]  # the whole line: OpenSanctions adds "caption" and "datasets"

    def get(self, prop: str) -> list[str]:
        """The values of ``prop`` as text, as ``EntityProxy.get`` gives them (a property the
        schema does not have has none), without its cost of reading every property."""
        values = self.properties.get(prop)
        if values is None or self.schema.get(prop) is None:
            return []
        texts = []
        for value in values if isinstance(values, list) else [values]:
            text = stripped(value)
            if text and text not in texts:
                texts.append(text)
        return texts

    def first(self, *props: str) -> str | None:
        """The first value of the first of ``props`` that has one."""
        for prop in props:
            values = self.get(prop)
            if values:
                return values[0]
        return None

    @property
    def caption(self) -> str:
        """The caption OpenSanctions wrote on the line, else the model's, which picks one of
        several names (slowly: a thousandth of a second each, so only when needed)."""
        caption = self.data.get("caption")
        if isinstance(caption, str) and caption.strip():
            return caption.strip()
        properties = {prop: self.get(prop) for prop in self.schema.caption}
        values = next((values for values in properties.values() if values), [])
        if len(values) == 1:
            return values[0]
        proxy = _model().get_proxy(
            {"id": self.id, "schema": self.schema.name, "properties": properties}
        )
        return proxy.caption

    def country(self, props: tuple[str, ...] = PARTY_COUNTRY) -> str | None:
        """The first value of ``props`` netscan reads as a country, else the first value at all
        (the loader then says it cannot read it)."""
        values = [value for prop in props for value in self.get(prop)]
        readable = (value for value in values if country_code(value) is not None)
        return next(readable, values[0] if values else None)


@dataclass(slots=True)
class _Party:
    """What a reference to an entity needs to know of it, whatever comes first in the file."""

    schema: Schema
    caption: str
    country: str | None


@dataclass
class _Reader:
    path: Path
    rows: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {
            "companies": [], "persons": [], "ownership": [], "officers": [], "sanctions": [],
        }
    )  # fmt: skip
    unmapped: list[MalformedRow] = field(default_factory=list)
    parties: dict[str, _Party] = field(default_factory=dict)  # Thing id -> what refs need
    addresses: dict[str, tuple[int, str | None]] = field(default_factory=dict)  # line, text
    used_addresses: set[str] = field(default_factory=set)
    pending_addresses: list[tuple[dict[str, Any], list[str]]] = field(default_factory=list)
    listed: set[str] = field(default_factory=set)  # ids named by a Sanction in force
    by_topic: list[tuple[dict[str, Any], list[str]]] = field(default_factory=list)
    later: list[tuple[int, str]] = field(default_factory=list)  # problems seen at the end
    today: str = field(default_factory=lambda: date.today().isoformat())

    def take(self, number: int, text: str | bytes) -> None:
        """Map the entity on one line, or say why it cannot be."""
        if isinstance(text, bytes):  # quoted as cp1251, the likeliest other encoding
            quote = _quote(text.decode("cp1251", errors="replace"))
            self.skip(number, quote, "this line is not UTF-8 text; save the file as UTF-8")
            return
        quote = _quote(text)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            self.skip(
                number,
                quote,
                f"this line is not valid JSON: {error.msg} (character {error.pos + 1}); fix or "
                "remove the line (a file cut off during download ends with such a line)",
            )
            return
        if not _is_entity(data):
            self.skip(number, quote, NOT_AN_ENTITY)
            return
        schema = _model().get(data["schema"])
        if schema is None:
            self.skip(
                number,
                quote,
                f"'{data['schema']}' is not a FollowTheMoney schema; check its spelling "
                "(Company, Person, Ownership, ...)",
            )
            return
        properties = data.get("properties", {})
        if _nests(properties):
            self.skip(number, quote, NESTED + "; " + NESTED_FIX[0].lower() + NESTED_FIX[1:])
            return
        self.map(_Entity(str(data["id"]).strip(), schema, properties, data), number, quote)

    def map(self, entity: _Entity, line: int, quote: str) -> None:
        schema = entity.schema
        if schema.is_a("Thing") and not schema.is_a("Address"):
            self.parties[entity.id] = _Party(schema, entity.caption, entity.country())
        if schema.is_a("LegalEntity"):
            mapped = (self.person if schema.is_a("Person") else self.company)(entity, line, quote)
            if mapped and SANCTION_TOPIC in entity.get("topics"):
                datasets = _texts(entity.data.get("datasets"))
                self.by_topic.append(({LINE: line, "entity_id": entity.id}, datasets))
        elif schema.is_a("Ownership"):
            self.link(entity, line, quote, "ownership", ("owner", "asset"))
        elif schema.is_a("Directorship"):
            self.link(entity, line, quote, "officers", ("director", "organization"))
        elif schema.is_a("Sanction"):
            self.sanction(entity, line, quote)
        elif schema.is_a("Address"):
            self.addresses[entity.id] = (line, _address_text(entity))
        else:
            self.skip(line, quote, _out_of_model(schema.name))

    def company(self, entity: _Entity, line: int, quote: str) -> bool:
        name = entity.first("name")
        if not name:
            self.skip(line, quote, f"this {entity.schema.name} has no name; netscan needs one")
            return False
        row = {
            LINE: line,
            "id": entity.id,
            "name": name,
            "country": entity.country(COMPANY_COUNTRY),
            "registration_number": entity.first(*REGISTRATION_NUMBER),
            "registered_on": self.day(entity, "incorporationDate", line, quote),
            "dissolved_on": self.day(entity, "dissolutionDate", line, quote),
            "address": entity.first("address"),
        }
        self.rows["companies"].append(row)
        references = entity.get("addressEntity")
        self.used_addresses.update(references)
        if row["address"] is None and references:
            self.pending_addresses.append((row, references))
        return True

    def person(self, entity: _Entity, line: int, quote: str) -> bool:
        name = entity.first("name")
        if not name:
            self.skip(line, quote, "this Person has no name; netscan needs one")
            return False
        nationalities = []
        for value in dict.fromkeys([*entity.get("nationality"), *entity.get("citizenship")]):
            if country_code(value) is None:
                self.skip(
                    line,
                    quote,
                    f"nationality '{value}' is not a country netscan knows; it is left out",
                )
            else:
                nationalities.append(value)
        self.rows["persons"].append(
            {
                LINE: line,
                "id": entity.id,
                "name": name,
                "nationality": ";".join(nationalities) or None,
                "birth_date": self.day(entity, "birthDate", line, quote),
            }
        )
        return True

    def link(
        self, entity: _Entity, line: int, quote: str, table: str, ends: tuple[str, str]
    ) -> None:
        start, end = entity.first(ends[0]), entity.first(ends[1])
        missing = [prop for prop, value in zip(ends, (start, end), strict=True) if not value]
        if missing:
            self.skip(
                line,
                quote,
                f"this {entity.schema.name} has no {' and no '.join(missing)}; "
                f"netscan needs both the {ends[0]} and the {ends[1]}",
            )
            return
        dates = {}
        for column, prop in (("since", "startDate"), ("until", "endDate")):
            value = entity.first(prop)
            day = full_date(value) if value is not None else None
            if value is not None and day is None:
                self.skip(
                    line,
                    quote,
                    f"{_partial(prop, value)}; without the day netscan cannot tell when this "
                    f"{entity.schema.name} was in force, so it is not used",
                )
                return
            dates[column] = day
        if table == "ownership":
            row = {"owner_id": start, "owned_id": end, "share": entity.first("percentage")}
        else:
            row = {"person_id": start, "company_id": end, "role": entity.first("role")}
        self.rows[table].append({LINE: line, **row, **dates})

    def sanction(self, entity: _Entity, line: int, quote: str) -> None:
        named = entity.get("entity")
        if not named:
            self.skip(line, quote, "this Sanction names no entity; netscan needs the entity")
            return
        ended = next((v for v in entity.get("endDate") if v[:10] < self.today[: len(v)]), None)
        if ended is not None:
            self.skip(
                line,
                quote,
                f"this sanction ended ({ended}); netscan's sanctions list has no end date, so "
                "ended sanctions are left out",
            )
            return
        listed_on = next((prop for prop in LISTED_ON if entity.get(prop)), LISTED_ON[0])
        for entity_id in named:
            self.listed.add(entity_id)
            self.rows["sanctions"].append(
                {
                    LINE: line,
                    "entity_id": entity_id,
                    "program": entity.first(*PROGRAM),
                    "listed_on": self.day(entity, listed_on, line, quote),
                }
            )

    def day(self, entity: _Entity, prop: str, line: int, quote: str) -> str | None:
        """The first full date of ``prop``; a partial one is reported and left out."""
        values = entity.get(prop)
        for value in values:
            day = full_date(value)
            if day is not None:
                return day
        if values:
            self.skip(
                line,
                quote,
                f"{_partial(prop, values[0])}; netscan needs a day, so the date is left out",
            )
        return None

    def skip(self, line: int, quote: str, problem: str) -> None:
        self.unmapped.append(MalformedRow(line, quote, problem))

    def finish(self) -> Extract:
        """Resolve the references that could only be resolved once the whole file was read."""
        for row, references in self.pending_addresses:
            found = [self.addresses[r][1] for r in references if r in self.addresses]
            row["address"] = next((text for text in found if text), None)
        for address_id, (line, _) in self.addresses.items():
            if address_id not in self.used_addresses:
                self.later.append((line, UNUSED_ADDRESS))
        ends = {"ownership": ("owner_id", "owned_id"), "officers": ("person_id", "company_id")}
        for table, columns in ends.items():
            self.rows[table] = [row for row in self.rows[table] if self.in_model(row, columns)]
        self.rows["sanctions"] = [
            self.describe(row)
            for row in self.rows["sanctions"]
            if self.in_model(row, ("entity_id",))
        ]
        for row, datasets in self.by_topic:
            if row["entity_id"] not in self.listed:
                listed_in = f" (datasets: {', '.join(datasets)})" if datasets else ""
                self.rows["sanctions"].append(
                    self.describe({**row, "program": f"topic {SANCTION_TOPIC}{listed_in}"})
                )
        self.rows["sanctions"].sort(key=lambda row: row[LINE])
        quotes = _quotes(self.path, {line for line, _ in self.later})
        self.unmapped += [MalformedRow(line, quotes[line], problem) for line, problem in self.later]
        self.unmapped.sort(key=lambda row: row.line or 0)
        tables = {
            name: raw_table(self.path, ENCODING, name, rows)
            for name, rows in self.rows.items()
            if rows
        }
        return Extract(self.path, FORMAT, tables, self.unmapped)

    def in_model(self, row: dict[str, Any], columns: tuple[str, ...]) -> bool:
        """False, and the row reported, if it points at an entity netscan has no place for."""
        for column in columns:
            party = self.parties.get(row[column])
            if party is not None and not party.schema.is_a("LegalEntity"):
                problem = f"{row[column]} is a {party.schema.name}; "
                self.later.append((row[LINE], problem + _out_of_model(party.schema.name)))
                return False
        return True

    def describe(self, row: dict[str, Any]) -> dict[str, Any]:
        party = self.parties.get(row["entity_id"])
        if party is None:
            return row
        return {**row, "name": party.caption, "country": party.country}


@cache
def _out_of_model(schema: str) -> str:
    """One text per schema, shared by its entities' entries: a dump has millions of them."""
    return OUT_OF_MODEL.format(schema=schema)


def _quotes(path: Path, lines: set[int]) -> dict[int, str]:
    """The quotes of ``lines``, read again from the file: a problem found only at the end of
    the file needs the quote of a line read long before, and keeping every line's quote in case
    would take more memory than the rows."""
    quotes: dict[int, str] = {}
    if not lines:
        return quotes
    last = max(lines)
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number in lines:
                quotes[number] = _quote(raw.decode(ENCODING, errors="replace"))
            if number == last:
                break
    return quotes


def _address_text(entity: _Entity) -> str | None:
    full = entity.first("full")
    if full:
        return full
    parts = [entity.first(prop) for prop in ADDRESS_PARTS]
    return ", ".join(part for part in parts if part) or None


def _partial(prop: str, value: str) -> str:
    """What is wrong with a date that is not a day: "startDate '2019' is only a year"."""
    return f"{prop} '{value}' is {PARTIAL.get(len(value), 'not a date')}"


def _texts(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _quote(text: str) -> str:
    return shorten(text.lstrip("\ufeff").strip())

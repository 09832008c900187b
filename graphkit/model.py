"""The data model, declared once: the input tables, their columns and what each column holds.

Loaders, validators, writers and documentation read this declaration instead of repeating
field lists. Column kinds say how a raw value is parsed (see ``graphkit.ingest.values``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    """How a column's raw text is read."""

    ID = "id"  # an identifier, kept as text, surrounding space removed
    TEXT = "text"  # free text, kept as given
    COUNTRY = "country"  # ISO alpha-2/alpha-3 or an English or Russian name -> alpha-2
    COUNTRIES = "countries"  # one or more countries separated by ';' or '|' (nationalities)
    DATE = "date"  # YYYY-MM-DD or DD.MM.YYYY
    SHARE = "share"  # percent 0-100, '%' allowed, blank = unknown
    HS_CODE = "hs_code"  # 6-10 digits, dots and spaces allowed
    NUMBER = "number"  # decimal number, thousands separators allowed


@dataclass(frozen=True)
class Column:
    """One input column. A row whose required value is missing or unreadable is skipped; an
    unreadable optional value is dropped and the row kept, unless ``decisive`` says the value
    changes what the row means (an unreadable 'until' would turn a past holding into a current one).
    """

    name: str
    kind: Kind
    required: bool = False
    help: str = ""
    decisive: bool = False

    @property
    def skips_row_when_bad(self) -> bool:
        return self.required or self.decisive


@dataclass(frozen=True)
class Table:
    """One input file: its name and its columns."""

    name: str
    columns: tuple[Column, ...]
    required: bool = False
    help: str = ""
    rows_are: str = "rows"  # what one row is, for counts: "3 ownership links"

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


COMPANIES = Table(
    "companies",
    (
        Column("id", Kind.ID, True, "registry id, unique"),
        Column("name", Kind.TEXT, True, "name as registered, any script"),
        Column("country", Kind.COUNTRY, True, "country of registration"),
        Column("registration_number", Kind.ID, help="BIN, INN, OGRN or other number"),
        Column("registered_on", Kind.DATE, help="date of registration"),
        Column("dissolved_on", Kind.DATE, help="date of dissolution"),
        Column("address", Kind.TEXT, help="registered address"),
    ),
    required=True,
    help="firms from the company registry",
    rows_are="companies",
)

PERSONS = Table(
    "persons",
    (
        Column("id", Kind.ID, True, "person id, unique across persons and companies"),
        Column("name", Kind.TEXT, True, "full name, any script"),
        Column("nationality", Kind.COUNTRIES, help="citizenship(s), separated by ';'"),
        Column("birth_date", Kind.DATE),
    ),
    help="natural persons who own or direct firms",
    rows_are="persons",
)

OWNERSHIP = Table(
    "ownership",
    (
        Column("owner_id", Kind.ID, True, "a person id or a company id"),
        Column("owned_id", Kind.ID, True, "a company id"),
        Column("share", Kind.SHARE, help="percent 0-100; blank = unknown", decisive=True),
        Column("since", Kind.DATE, help="start of the holding; blank = always", decisive=True),
        Column("until", Kind.DATE, help="end of the holding; blank = still held", decisive=True),
        Column(
            "share_range",
            Kind.TEXT,
            help="the range a source gave instead of an exact share (BODS); share is its minimum",
        ),
    ),
    help="who owns what share of which firm, and when",
    rows_are="ownership links",
)

OFFICERS = Table(
    "officers",
    (
        Column("person_id", Kind.ID, True),
        Column("company_id", Kind.ID, True),
        Column("role", Kind.TEXT, help="e.g. director"),
        Column("since", Kind.DATE, decisive=True),
        Column("until", Kind.DATE, decisive=True),
    ),
    help="directors and other officers",
    rows_are="officer records",
)

SHIPMENTS = Table(
    "shipments",
    (
        Column("id", Kind.ID, help="declaration id; blank = derived from the row's content"),
        Column("date", Kind.DATE, True),
        Column("exporter_id", Kind.ID, help="registry id of the exporter, if known"),
        Column("exporter_name", Kind.TEXT),
        Column("exporter_country", Kind.COUNTRY, True),
        Column("importer_id", Kind.ID, help="registry id of the importer, if known"),
        Column("importer_name", Kind.TEXT),
        Column("importer_country", Kind.COUNTRY, True),
        Column("hs_code", Kind.HS_CODE, True, "Harmonised System code, 6 to 10 digits"),
        Column("description", Kind.TEXT),
        Column("value_usd", Kind.NUMBER),
        Column("quantity", Kind.NUMBER),
        Column("unit", Kind.TEXT),
    ),
    required=True,
    help="customs declarations",
    rows_are="shipments",
)

SANCTIONS = Table(
    "sanctions",
    (
        Column("entity_id", Kind.ID, help="id of a company or person in this dataset"),
        Column("name", Kind.TEXT),
        Column("country", Kind.COUNTRY),
        Column("program", Kind.TEXT, help="e.g. EU 833/2014 Annex IV"),
        Column("listed_on", Kind.DATE),
    ),
    help="sanctioned parties",
    rows_are="sanctions entries",
)

# Not a data file: the user's corrections to party linking (find-intermediaries --decisions).
DECISIONS = Table(
    "decisions",
    (
        Column("name", Kind.TEXT, True, "the party name as written on the declarations"),
        Column("country", Kind.COUNTRY, True),
        Column(
            "decision", Kind.TEXT, True, "'same': the name is this firm; 'different': it is not"
        ),
        Column("company_id", Kind.ID, help="the firm; blank with 'different': no firm at all"),
    ),
    help="manual linking decisions",
    rows_are="decisions",
)

TABLES: tuple[Table, ...] = (COMPANIES, PERSONS, OWNERSHIP, OFFICERS, SHIPMENTS, SANCTIONS)


# The graph, declared once: which table becomes which nodes and relationships, with which
# properties. The Neo4j loader, the neo4j-admin export and the maps read this. Every record keeps
# the input file and line it came from ("file", "line"), so that findings can cite it.
@dataclass(frozen=True)
class NodeKind:
    label: str
    table: Table
    properties: tuple[str, ...]  # columns stored on the node; "id" is the key


@dataclass(frozen=True)
class EdgeKind:
    type: str
    table: Table
    start: str  # column holding the start node's id
    end: str  # column holding the end node's id
    properties: tuple[str, ...]
    key: tuple[str, ...] = ()  # columns that tell two rows between the same nodes apart


COMPANY = NodeKind(
    "Company",
    COMPANIES,
    (
        "id",
        "name",
        "country",
        "registration_number",
        "registered_on",
        "registered_on_source",
        "dissolved_on",
        "address",
        "address_key",  # derived from address (graphkit.resolve.names.address_keys)
        "line",
        "file",
    ),
)
PERSON = NodeKind("Person", PERSONS, ("id", "name", "nationality", "birth_date", "line", "file"))
# Each customs declaration is a node, so that an investigator can open it in Neo4j Browser and
# see every field; exporter and importer are linked to it when they are registry firms.
SHIPMENT = NodeKind(
    "Shipment",
    SHIPMENTS,
    (
        *(c.name for c in SHIPMENTS.columns),
        "line",
        "file",
        "exporter_key",
        "exporter_link",
        "importer_key",
        "importer_link",
    ),
)
SANCTION = NodeKind(
    "SanctionEntry", SANCTIONS, (*(c.name for c in SANCTIONS.columns), "line", "file")
)

OWNS = EdgeKind(
    "OWNS", OWNERSHIP, "owner_id", "owned_id",
    ("share", "share_range", "since", "until", "line", "file"),
    key=("since", "until"),
)  # fmt: skip
DIRECTS = EdgeKind(
    "DIRECTS", OFFICERS, "person_id", "company_id", ("role", "since", "until", "line", "file"),
    key=("role", "since", "until"),
)  # fmt: skip
# Arrows follow the goods: exporter -> declaration -> importer (registry firms only).
EXPORTED = EdgeKind("EXPORTED", SHIPMENTS, "exporter_key", "id", ())
SHIPPED_TO = EdgeKind("SHIPPED_TO", SHIPMENTS, "id", "importer_key", ())

NODE_KINDS = (COMPANY, PERSON, SHIPMENT, SANCTION)
EDGE_KINDS = (OWNS, DIRECTS, EXPORTED, SHIPPED_TO)

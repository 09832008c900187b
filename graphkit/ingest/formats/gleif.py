"""GLEIF files: LEI records (Level 1, LEI-CDF 3.1) and relationship records (Level 2, RR-CDF 2.1).

Two JSON shapes are read, each for both record kinds:

- the golden copy and its delta files, GLEIF's XML turned into JSON with each value under "$":
  ``{"records": [{"LEI": {"$": ...}, "Entity": {...}, "Registration": {...}}]}`` and
  ``{"relations": [{"RelationshipRecord": {"Relationship": {...}, "Registration": {...}}}]}``;
- the GLEIF API (JSON:API): ``{"data": [{"type": "lei-records", "id": LEI, "attributes":
  {"lei": ..., "entity": {...}}}]}`` and ``"type": "relationship-records"`` (the answers of
  ``/lei-records``, ``/relationship-records``, ``.../direct-parent-relationship`` and the like;
  ``data`` may be one record or a list).

Mapping, to netscan's tables:

- an LEI record is a company: id = the LEI, name = the legal name, country = the legal
  jurisdiction's country ("US" of "US-DE"; the legal address's country if there is no
  jurisdiction), registration_number = the number at the registration authority (a BIN, an INN:
  what netscan links customs parties by), registered_on = the entity's creation date,
  dissolved_on = the expiration date of an entity whose status is not ACTIVE, address = the legal
  address on one line;
- a relationship "IS_DIRECTLY_CONSOLIDATED_BY" is an ownership link from the parent (end node) to
  the child (start node); share = the relationship's percentage quantifier where one is given,
  else blank: consolidation means control, not a known share (the quantifier itself measures
  accounting consolidation, not necessarily legal ownership); since/until = the relationship
  period.

What is not mapped, each record with the reason (``Extract.unmapped``): ultimate-parent links
(netscan computes chains from the direct links; an ultimate link as well would count a holding
twice), branch and fund links, relationships that ended without an end date, LEI and relationship
records GLEIF marks ANNULLED or DUPLICATE, reporting exceptions, inactive entities without an
expiration date (loaded, but without a dissolution date). A parent whose LEI is in no input file
stays in the ownership table; the loader reports it as an unknown owner. A record without an LEI
or a legal name is passed on as it is, for the loader to report the missing value.

Golden-copy files are gigabytes of one JSON document: they are read record by record
(``JsonItems``), each with the line it starts on; a file cut off or broken part-way gives the
records before the break and one note saying where it broke. The golden copy comes zipped:
unzip it first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphkit.errors import InputError
from graphkit.ingest.formats import Extract, date_part, jurisdiction_country, raw_table, stripped
from graphkit.ingest.formats.jsonstream import (
    BrokenJson,
    Item,
    JsonItems,
    as_dict,
    as_list,
    head_text,
    quote,
)
from graphkit.ingest.read import LINE, MalformedRow

FORMAT = "GLEIF JSON"
ENCODING = "utf-8"

DIRECT_PARENT = "IS_DIRECTLY_CONSOLIDATED_BY"
ULTIMATE_PARENT = "IS_ULTIMATELY_CONSOLIDATED_BY"
BRANCH = "IS_INTERNATIONAL_BRANCH_OF"
FUND_LINKS = {"IS_FUND-MANAGED_BY", "IS_SUBFUND_OF", "IS_FEEDER_TO"}
VOID = {"ANNULLED", "DUPLICATE"}  # registration statuses of records GLEIF says not to use

UNMAPPED_LINKS = {
    ULTIMATE_PARENT: "an ultimate-parent link is not loaded: netscan computes ultimate owners "
    "from the direct-parent links, and this link as well would count the holding twice",
    BRANCH: "a branch is part of its head office, not a firm it owns: netscan's model has no "
    "place for branch links",
}
FUND_PROBLEM = "fund links (managed by, sub-fund of, feeder to) have no place in netscan's model"

# keys whose lists hold the records: golden copy (LEI, RR, reporting exceptions) and API
RECORD_LISTS = {"records", "relations", "exceptions", "data"}
HEAD_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        r'"LEI"\s*:[\s\S]*"Entity"\s*:',
        r'"RelationshipRecord"\s*:',
        r'"relations"\s*:\s*\[[\s\S]*"Relationship"\s*:',
        r'"type"\s*:\s*"(lei-records|relationship-records|reporting-exceptions)"',
        r'"exceptions"\s*:\s*\[[\s\S]*"ExceptionCategory"\s*:',
    )
)


def recognises(head: bytes) -> bool:
    """A JSON document whose first bytes show GLEIF's keys ("LEI" with "Entity", relationship
    records, or the API's record types)."""
    text = head_text(head)
    if not text.startswith(("{", "[")):
        return False
    return any(pattern.search(text) for pattern in HEAD_PATTERNS)


def read(path: Path) -> Extract:
    """The companies and direct-parent ownership links of a GLEIF JSON file."""
    extract = Extract(path, FORMAT)
    companies: list[dict[str, Any]] = []
    ownership: list[dict[str, Any]] = []
    items = JsonItems(path, RECORD_LISTS)
    try:
        for item in items:
            if item.key == "exceptions":
                extract.unmapped.append(MalformedRow(item.line, quote(item.value), EXCEPTIONS))
                break  # millions of them in a golden-copy file: one note says it all
            _map(item, companies, ownership, extract.unmapped)
    except BrokenJson as broken:
        if not items.count:
            raise broken.input_error(path) from None
        extract.unmapped.append(MalformedRow(broken.line, broken.text, broken.sentence))
    if not items.keys_found:
        raise InputError(
            "the file holds no GLEIF records (no 'records', 'relations' or 'data' list)",
            path=path,
            line=1,
            fix="Give the LEI or relationship file of the golden copy, or an answer of the "
            "GLEIF API, as downloaded",
        )
    if companies:
        extract.tables["companies"] = raw_table(path, ENCODING, "companies", companies)
    if ownership:
        extract.tables["ownership"] = raw_table(path, ENCODING, "ownership", ownership)
    return extract


EXCEPTIONS = (
    "GLEIF reporting exceptions (why an entity reports no parent) have no place in netscan's "
    "model; this file was not read further"
)


def _map(
    item: Item,
    companies: list[dict[str, Any]],
    ownership: list[dict[str, Any]],
    unmapped: list[MalformedRow],
) -> None:
    record, line = item.value, item.line
    if not isinstance(record, dict):
        unmapped.append(MalformedRow(line, quote(record), "not a GLEIF record (not an object)"))
        return
    if item.key == "data" or "attributes" in record:  # the API
        kind = record.get("type")
        attributes = as_dict(record.get("attributes"))
        if kind == "lei-records":
            _add_company(_api_entity(record, attributes), line, record, companies, unmapped)
        elif kind == "relationship-records":
            _add_link(_api_link(attributes), line, record, ownership, unmapped)
        else:
            problem = f"GLEIF API records of type '{kind}' have no place in netscan's model"
            unmapped.append(MalformedRow(line, quote(record), problem))
    elif "LEI" in record or "Entity" in record:
        _add_company(_golden_entity(record), line, record, companies, unmapped)
    elif "RelationshipRecord" in record or "Relationship" in record:
        link = _golden_link(as_dict(record.get("RelationshipRecord", record)))
        _add_link(link, line, record, ownership, unmapped)
    else:
        unmapped.append(MalformedRow(line, quote(record), UNKNOWN_RECORD))


def _add_company(
    entity: _Entity,
    line: int,
    record: dict[str, Any],
    companies: list[dict[str, Any]],
    unmapped: list[MalformedRow],
) -> None:
    if entity.void:
        unmapped.append(MalformedRow(line, quote(record), entity.void))
        return
    if entity.note:
        unmapped.append(MalformedRow(line, quote(record), entity.note))
    companies.append({**entity.row, LINE: line})


def _add_link(
    link: _Link,
    line: int,
    record: dict[str, Any],
    ownership: list[dict[str, Any]],
    unmapped: list[MalformedRow],
) -> None:
    problem = link.problem()
    if problem:
        unmapped.append(MalformedRow(line, quote(record), problem))
        return
    ownership.append(
        {
            "owner_id": link.parent,
            "owned_id": link.child,
            "share": link.share,
            "since": link.start,
            "until": link.end,
            LINE: line,
        }
    )


UNKNOWN_RECORD = "neither an LEI record (no 'LEI') nor a relationship record (no 'Relationship')"


@dataclass
class _Entity:
    row: dict[str, str | None]
    void: str | None = None  # why the record is not loaded at all
    note: str | None = None  # what of it is not loaded


@dataclass
class _Link:
    child: str | None
    parent: str | None
    type: str | None
    status: str | None
    start: str | None
    end: str | None
    share: str | None
    registration_status: str | None
    node_types: tuple[str | None, str | None]

    def problem(self) -> str | None:
        """Why this relationship is not an ownership link, or None."""
        if self.registration_status in VOID:
            return (
                f"GLEIF marks this relationship record {self.registration_status}: it is not "
                "to be used"
            )
        if self.type in UNMAPPED_LINKS:
            return UNMAPPED_LINKS[self.type]
        if self.type in FUND_LINKS:
            return FUND_PROBLEM
        if self.type != DIRECT_PARENT:
            return f"relationship type '{self.type}' is not one GLEIF defines for parents"
        for node_type in self.node_types:
            if node_type not in (None, "LEI"):
                return f"a node is identified by '{node_type}', not by an LEI"
        if self.status == "INACTIVE" and not self.end:
            return (
                "the relationship has ended (INACTIVE) but gives no end date: netscan cannot "
                "tell when the holding ended, and would count it as current"
            )
        return None


def _golden_entity(record: dict[str, Any]) -> _Entity:
    entity = as_dict(record.get("Entity"))
    address = as_dict(entity.get("LegalAddress"))
    authority = as_dict(entity.get("RegistrationAuthority"))
    jurisdiction = _text(entity.get("LegalJurisdiction"))
    status = _text(entity.get("EntityStatus"))
    expires = _text(entity.get("EntityExpirationDate"))
    row = {
        "id": _text(record.get("LEI")),
        "name": _text(entity.get("LegalName")),
        "country": jurisdiction_country(jurisdiction) or _text(address.get("Country")),
        "registration_number": _text(authority.get("RegistrationAuthorityEntityID")),
        "registered_on": date_part(_text(entity.get("EntityCreationDate"))),
        "dissolved_on": date_part(expires) if status != "ACTIVE" else None,
        "address": _one_line(
            [
                _text(address.get("FirstAddressLine")),
                _text(address.get("AddressNumber")),
                _text(address.get("AddressNumberWithinBuilding")),
            ],
            *(_text(line) for line in as_list(address.get("AdditionalAddressLine"))),
            _text(address.get("MailRouting")),
            [_text(address.get("PostalCode")), _text(address.get("City"))],
            _text(address.get("Region")),
            _text(address.get("Country")),
        ),
    }
    registration = _text(as_dict(record.get("Registration")).get("RegistrationStatus"))
    return _entity(row, status, expires, registration)


def _api_entity(record: dict[str, Any], attributes: dict[str, Any]) -> _Entity:
    entity = as_dict(attributes.get("entity"))
    address = as_dict(entity.get("legalAddress"))
    lines = as_list(address.get("addressLines"))
    jurisdiction = _text(entity.get("jurisdiction"))
    status = _text(entity.get("status"))
    expires = _text(as_dict(entity.get("expiration")).get("date"))
    row = {
        "id": _text(attributes.get("lei")) or _text(record.get("id")),
        "name": _text(as_dict(entity.get("legalName")).get("name")),
        "country": jurisdiction_country(jurisdiction) or _text(address.get("country")),
        "registration_number": _text(entity.get("registeredAs")),
        "registered_on": date_part(_text(entity.get("creationDate"))),
        "dissolved_on": date_part(expires) if status != "ACTIVE" else None,
        "address": _one_line(
            [
                _text(lines[0]) if lines else None,
                _text(address.get("addressNumber")),
                _text(address.get("addressNumberWithinBuilding")),
            ],
            *(_text(line) for line in lines[1:]),
            _text(address.get("mailRouting")),
            [_text(address.get("postalCode")), _text(address.get("city"))],
            _text(address.get("region")),
            _text(address.get("country")),
        ),
    }
    registration = _text(as_dict(attributes.get("registration")).get("status"))
    return _entity(row, status, expires, registration)


def _entity(
    row: dict[str, str | None], status: str | None, expires: str | None, registration: str | None
) -> _Entity:
    if registration in VOID:
        return _Entity(row, void=f"GLEIF marks this LEI {registration}: it is not to be used")
    note = None
    if status == "INACTIVE" and not expires:
        note = (
            "the entity is INACTIVE but no expiration date is given: netscan needs a date "
            "to record a dissolution, so the firm is loaded as if still active"
        )
    return _Entity(row, note=note)


def _golden_link(record: dict[str, Any]) -> _Link:
    relationship = as_dict(record.get("Relationship"))
    start = as_dict(relationship.get("StartNode"))
    end = as_dict(relationship.get("EndNode"))
    periods = as_list(as_dict(relationship.get("RelationshipPeriods")).get("RelationshipPeriod"))
    period = next(
        (
            as_dict(p)
            for p in periods
            if _text(as_dict(p).get("PeriodType")) == "RELATIONSHIP_PERIOD"
        ),
        {},
    )
    quantifiers = as_list(
        as_dict(relationship.get("RelationshipQuantifiers")).get("RelationshipQuantifier")
    )
    share = next(
        (
            _text(as_dict(q).get("QuantifierAmount"))
            for q in quantifiers
            if _text(as_dict(q).get("QuantifierUnits")) in (None, "PERCENTAGE")
        ),
        None,
    )
    return _Link(
        child=_text(start.get("NodeID")),
        parent=_text(end.get("NodeID")),
        type=_text(relationship.get("RelationshipType")),
        status=_text(relationship.get("RelationshipStatus")),
        start=date_part(_text(period.get("StartDate"))),
        end=date_part(_text(period.get("EndDate"))),
        share=share,
        registration_status=_text(as_dict(record.get("Registration")).get("RegistrationStatus")),
        node_types=(_text(start.get("NodeIDType")), _text(end.get("NodeIDType"))),
    )


def _api_link(attributes: dict[str, Any]) -> _Link:
    relationship = as_dict(attributes.get("relationship"))
    start = as_dict(relationship.get("startNode"))
    end = as_dict(relationship.get("endNode"))
    period = next(
        (
            as_dict(p)
            for p in as_list(relationship.get("periods"))
            if as_dict(p).get("type") == "RELATIONSHIP_PERIOD"
        ),
        {},
    )
    share = next(
        (
            _text(as_dict(q).get("quantifierAmount"))
            for q in as_list(relationship.get("quantifiers"))
            if _text(as_dict(q).get("quantifierUnits")) in (None, "PERCENTAGE")
        ),
        None,
    )
    return _Link(
        child=_text(start.get("id")),
        parent=_text(end.get("id")),
        type=_text(relationship.get("type")),
        status=_text(relationship.get("status")),
        start=date_part(_text(period.get("startDate"))),
        end=date_part(_text(period.get("endDate"))),
        share=share,
        registration_status=_text(as_dict(attributes.get("registration")).get("status")),
        node_types=(_text(start.get("type")), _text(end.get("type"))),
    )


def _text(node: object) -> str | None:
    """A value as text: golden-copy values sit under "$" ({"$": "ACME"}); blank is None."""
    if isinstance(node, dict):
        node = node.get("$")
    return None if isinstance(node, (dict, list)) else stripped(node)


def _one_line(*parts: str | list[str | None] | None) -> str | None:
    """Address parts joined by ", " (a list's parts by spaces), blanks left out."""
    pieces = []
    for part in parts:
        if isinstance(part, list):
            part = " ".join(p for p in part if p) or None
        if part and part not in pieces:
            pieces.append(part)
    return ", ".join(pieces) or None

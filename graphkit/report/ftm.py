"""Findings as FollowTheMoney entities, one JSON object per line, for Aleph, OpenSanctions'
tools (nomenklatura, yente) and anything else that reads FtM.

Each finding becomes a Company with netscan's id, so that a tool that holds the registry's record
of the firm under the same id (an FtM export read by netscan keeps its ids) merges the two; its
name, jurisdiction, registration number and incorporation date; the finding itself in
``summary`` (one line: the criteria met and the score) and ``notes`` (every reason, as netscan
words it); and ``topics``:

- ``export.risk`` ("Trade risk"), when the firm meets all three criteria: the topic
  OpenSanctions gives firms named for trading in goods that reach a sanctioned economy, which is
  what a flagged firm is suspected of. It is a lead, not a designation: the summary says so.
- ``sanction.linked``, when an owner or director of the firm is on the sanctions list by id:
  OpenSanctions' topic for "a direct relationship with a sanctioned entity". A sanctioned
  supplier or buyer is a trading partner, not such a relationship, and gives no topic (the notes
  tell it). ``sanction`` itself is never set: netscan does not designate anybody.

The owners netscan found (those of the owner countries, through each chain) are Person or
Company entities, each link of a chain an Ownership (owner -> asset, percentage, startDate,
endDate); the firm's directors are Directorships. Entities are written once each, in the order
they first appear; findings in their order.

Ids are stable across runs: netscan's own for firms and persons, and for links a hash of what
the link is (``netscan-ownership-<sha1>`` of owner, asset, start and end). FtM ids are letters,
digits, '.' and '-' only; a netscan id with other characters (a space, '/', Cyrillic) becomes
``netscan-<sha1 of the id>`` and the id itself is kept in the entity's notes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.types.entity import EntityType
from followthemoney.util import ENTITY_ID_LEN, make_entity_id

from graphkit.analysis.intermediaries import CRITERIA, Finding
from graphkit.resolve.identifiers import REGISTRY, RU_INN, RU_OGRN, identify

PUBLISHER = "netscan find-intermediaries"
FLAGGED = "export.risk"
SANCTION_LINKED = "sanction.linked"
CONTROL_ROLES = ("owner", "director")  # finding.sanctioned roles that are a direct relationship
IDENTIFIER_PROPERTY = {RU_INN: "innCode", RU_OGRN: "ogrnCode"}


def findings_ftm(findings: list[Finding]) -> str:
    """The findings as FtM entities, one JSON line each.

    >>> findings_ftm([])
    ''
    """
    entities: dict[str, EntityProxy] = {}
    for finding in findings:
        for entity in _entities(finding):
            if entity.id in entities:
                entities[entity.id].merge(entity)
            else:
                entities[str(entity.id)] = entity
    return "".join(
        json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True) + "\n"
        for entity in entities.values()
    )


def ftm_id(netscan_id: str) -> str:
    """netscan's id where FtM allows it, else a stable hash of it.

    >>> ftm_id("KZ-001"), ftm_id("KZ 001/A")
    ('KZ-001', 'netscan-47d37e16ee295acacd11063a10f61a506f2840e4')
    """
    if len(netscan_id) <= ENTITY_ID_LEN and EntityType.REGEX.match(netscan_id):
        return netscan_id
    return f"netscan-{make_entity_id(netscan_id)}"


def _entities(finding: Finding) -> list[EntityProxy]:
    firm = _firm(finding)
    entities = [firm]
    for owner in finding.owners:
        entities.append(_party(owner))
        for link in owner["chain"]:
            entities.append(_company(link["owned_id"], link["owned_name"]))
            if link["owner_id"] != owner["id"]:  # a holding in the middle of the chain
                entities.append(_company(link["owner_id"], link["owner_name"]))
            entities.append(_ownership(link))
    for director in finding.directors:
        entities.append(_party(director))
        entities.append(_directorship(director, finding.id))
    return entities


def _firm(finding: Finding) -> EntityProxy:
    firm = _company(finding.id, finding.name)
    firm.add("jurisdiction", finding.country)
    number = finding.registration_number
    if number:
        firm.add("registrationNumber", number)
        found = identify(number, finding.country)
        if found is not None and found.kind in IDENTIFIER_PROPERTY:
            firm.add(IDENTIFIER_PROPERTY[found.kind], number)
    if finding.registered_on is not None:
        firm.add("incorporationDate", _incorporation(finding))
    if finding.flagged:
        firm.add("topics", FLAGGED)
    if any(hit["role"] in CONTROL_ROLES for hit in finding.sanctioned):
        firm.add("topics", SANCTION_LINKED)
    firm.add("summary", _summary(finding))
    firm.add("notes", finding.reasons)
    firm.add("publisher", PUBLISHER)
    return firm


def _incorporation(finding: Finding) -> str:
    """The registry's date; a date read from a BIN only to the month, as the BIN holds no day."""
    day = finding.registered_on
    assert day is not None
    source = finding.registered_on_source or ""
    if not source.startswith(REGISTRY) and "BIN" in source:
        return f"{day:%Y-%m}"
    return day.isoformat()


def _summary(finding: Finding) -> str:
    """'Lead from netscan find-intermediaries (not a finding of fact): meets all three criteria
    (newly registered, russian owned, between suppliers and buyers); score 97.4'."""
    if finding.flagged:
        verdict = f"meets all three criteria ({_criteria(CRITERIA)})"
    else:
        verdict = f"fails {_criteria(finding.failed)}"
    return f"Lead from {PUBLISHER} (not a finding of fact): {verdict}; score {finding.score:.1f}"


def _criteria(names: Iterable[str]) -> str:
    return ", ".join(name.replace("_", " ") for name in names)


def _party(party: dict[str, Any]) -> EntityProxy:
    """An owner or director as netscan describes it: a firm has a country, a person may have
    nationalities."""
    if "country" in party:
        company = _company(party["id"], party["name"])
        company.add("jurisdiction", party["country"])
        return company
    person = _entity("Person", party["id"])
    person.add("name", party["name"])
    person.add("nationality", (party.get("nationality") or "").split(";"))
    return person


def _company(netscan_id: str, name: str) -> EntityProxy:
    company = _entity("Company", netscan_id)
    company.add("name", name)
    return company


def _entity(schema: str, netscan_id: str) -> EntityProxy:
    entity = model.make_entity(schema)
    entity.id = ftm_id(netscan_id)
    if entity.id != netscan_id:
        entity.add("notes", f"netscan id: {netscan_id}")
    return entity


def _ownership(link: dict[str, Any]) -> EntityProxy:
    owner, asset = ftm_id(link["owner_id"]), ftm_id(link["owned_id"])
    since, until = link["since"] or "", link["until"] or ""
    ownership = model.make_entity("Ownership")
    ownership.id = f"netscan-ownership-{make_entity_id(owner, asset, since, until)}"
    ownership.add("owner", owner)
    ownership.add("asset", asset)
    if link["share"] is not None:
        ownership.add("percentage", f"{link['share']:g}")
    ownership.add("startDate", since)
    ownership.add("endDate", until)
    ownership.add("publisher", PUBLISHER)
    return ownership


def _directorship(director: dict[str, Any], firm_id: str) -> EntityProxy:
    person, firm = ftm_id(director["id"]), ftm_id(firm_id)
    role, since = director.get("role") or "", director.get("since") or ""
    directorship = model.make_entity("Directorship")
    directorship.id = f"netscan-directorship-{make_entity_id(person, firm, role, since)}"
    directorship.add("director", person)
    directorship.add("organization", firm)
    directorship.add("role", role)
    directorship.add("startDate", since)
    directorship.add("publisher", PUBLISHER)
    return directorship

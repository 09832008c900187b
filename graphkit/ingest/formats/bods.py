"""BODS files: statements of the Beneficial Ownership Data Standard, 0.4 (and 0.2 and 0.3).

A file is a JSON array of statements (a BODS package) or one statement per line (JSON lines).
BODS 0.4 statements carry ``recordId``, ``recordType`` ("entity", "person", "relationship"),
``recordStatus`` and ``recordDetails``; BODS 0.2 and 0.3 statements carry ``statementID`` and
``statementType`` ("entityStatement", "personStatement", "ownershipOrControlStatement") with the
details in the statement itself. Both are read.

Ids: a 0.4 record's ``recordId``, a 0.2/0.3 statement's ``statementID``, kept as they are.
A 0.4 record may have several statements (updates): the one with the latest ``statementDate``
is used (the later in the file on a tie), and each older one is reported as replaced. A 0.2/0.3
statement listed in a later statement's ``replacesStatements`` is reported as replaced, and
references to it are followed to the statement that replaces it.

Mapping, to netscan's tables:

- entity -> companies: name, country = the jurisdiction's country (``jurisdiction`` or
  ``incorporatedInJurisdiction``, "US" of "US-DE"; else the registered address's country),
  registration_number = the first identifier from a national register (a scheme "KZ-BIN",
  "RU-INN" or "KG-INN" first, then any other "CC-..." scheme of the entity's country, then of
  another country; never an LEI or a publisher's own number), registered_on = foundingDate,
  dissolved_on = dissolutionDate, address = the registered address (else the first) on one line.
  States and state bodies are companies too: they own firms.
- person -> persons: name = the full name (else given, patronymic and family names) of the
  first name that is not a former, alternative or translated one, nationality = the
  nationalities' codes, birth_date = birthDate.
- relationship -> ownership (owner = the interested party, owned = the subject) for each
  shareholding interest, or each voting-rights interest where there is no shareholding;
  share = the exact share, else the lower bound of the range (a 25%-threshold is then met only
  where even the least share in the range meets it); the range as written is kept in an extra
  column ``share_range`` of the ownership table (e.g. "over 25%, up to 50%"). since/until =
  the interest's startDate/endDate; an interest of a closed record without an endDate ends at
  the statement's date. Interests "boardMember", "boardChair" and "seniorManagingOfficial" ->
  officers, with the role.

What is not mapped, each with the reason (``Extract.unmapped``): other kinds of interest
(control without a holding: appointment of the board, trusts, rights by contract, unknown),
voting rights alongside a shareholding (the holding would count twice), indirect interests whose
chain is given by component records (netscan computes it from them), relationships whose
interested party or subject is unspecified or anonymous, anonymous or unknown persons and
entities without a name, replaced statements, lines or statements that are not BODS.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphkit.errors import InputError
from graphkit.ingest.formats import (
    HEAD_SIZE,
    QUOTE_LENGTH,
    Extract,
    date_part,
    jurisdiction_country,
    raw_table,
    stripped,
)
from graphkit.ingest.formats.jsonstream import (
    BrokenJson,
    JsonItems,
    as_dict,
    as_list,
    head_text,
    quote,
)
from graphkit.ingest.read import LINE, MalformedRow

FORMAT = "BODS JSON"
ENCODING = "utf-8"

RECORD_TYPES = ("entity", "person", "relationship")  # BODS 0.4
STATEMENT_TYPES = {  # BODS 0.2 and 0.3
    "entityStatement": "entity",
    "personStatement": "person",
    "ownershipOrControlStatement": "relationship",
}
HEAD_04 = re.compile(r'"recordType"\s*:\s*"(entity|person|relationship)"')
HEAD_04_DETAILS = re.compile(r'"recordDetails"\s*:')
HEAD_OLD = re.compile(
    r'"statementType"\s*:\s*"(entityStatement|personStatement|ownershipOrControlStatement)"'
)

HOLDING = "shareholding"
VOTING = "votingRights"
OFFICER_ROLES = {
    "boardMember": "board member",
    "boardChair": "board chair",
    "seniorManagingOfficial": "senior managing official",
}
UNNAMED_ENTITIES = {"anonymousEntity": "an anonymous entity", "unknownEntity": "an unknown entity"}
UNNAMED_PERSONS = {"anonymousPerson": "an anonymous person", "unknownPerson": "an unknown person"}
OTHER_NAMES = {"former", "alternative", "translation", "transliteration", "birth"}
PREFERRED_SCHEMES = ("KZ-BIN", "RU-INN", "KG-INN")
NATIONAL_SCHEME = re.compile(r"^([A-Z]{2})-[A-Z0-9]+$")
NOT_NATIONAL = {"XI", "XM", "XX", "ZZ"}  # org-id's international and multilateral lists


def recognises(head: bytes) -> bool:
    """A JSON array or JSON lines whose first statement has BODS 0.4's "recordType" and
    "recordDetails", or BODS 0.2/0.3's "statementType"."""
    text = head_text(head)
    if not text.startswith(("[", "{")):
        return False
    first = text[: _first_statement_end(text)]
    return bool(HEAD_04.search(first) and HEAD_04_DETAILS.search(first)) or bool(
        HEAD_OLD.search(first)
    )


def _first_statement_end(text: str) -> int:
    """Where the first line ends, for JSON lines; the whole head for an array."""
    if text.startswith("{"):
        end = text.find("\n")
        return end if end >= 0 else len(text)
    return len(text)


def read(path: Path) -> Extract:
    """The companies, persons, ownership links and officers of a BODS file."""
    extract = Extract(path, FORMAT)
    statements = _Statements(extract.unmapped)
    for line, value in _statements(path, extract.unmapped):
        statements.add(line, value)
    rows = _Rows()
    statements.map(rows)
    extract.unmapped.sort(key=lambda row: row.line or 0)
    if rows.companies:
        extract.tables["companies"] = raw_table(path, ENCODING, "companies", rows.companies)
    if rows.persons:
        extract.tables["persons"] = raw_table(path, ENCODING, "persons", rows.persons)
    if rows.ownership:
        extract.tables["ownership"] = raw_table(path, ENCODING, "ownership", rows.ownership)
    if rows.officers:
        extract.tables["officers"] = raw_table(path, ENCODING, "officers", rows.officers)
    return extract


def _statements(path: Path, unmapped: list[MalformedRow]) -> Iterator[tuple[int, Any]]:
    """Each statement of the file with the line it starts on: from a JSON array, read piece by
    piece, or from JSON lines."""
    with path.open("rb") as handle:
        first = head_text(handle.read(HEAD_SIZE))[:1]
    if first == "{":
        yield from _json_lines(path, unmapped)
        return
    items = JsonItems(path, ())
    try:
        for item in items:
            yield item.line, item.value
    except BrokenJson as broken:
        if not items.count:
            raise broken.input_error(path) from None
        unmapped.append(MalformedRow(broken.line, broken.text, broken.sentence))


def _json_lines(path: Path, unmapped: list[MalformedRow]) -> Iterator[tuple[int, Any]]:
    read, bad = 0, []
    try:
        with path.open(encoding="utf-8-sig") as handle:
            for number, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                try:
                    value = json.loads(text)
                except json.JSONDecodeError as error:
                    problem = f"the line is not valid JSON ({error.msg}); fix or remove the line"
                    bad.append(MalformedRow(number, text.strip()[:QUOTE_LENGTH], problem))
                    continue
                read += 1
                yield number, value
    except UnicodeDecodeError as error:
        raise InputError(
            f"the file is not UTF-8 text ({error.reason})",
            path=path,
            fix="BODS files are UTF-8: save the file as UTF-8",
        ) from None
    if bad and not read:
        raise InputError(
            f"no line is a JSON statement: {bad[0].problem}",
            path=path,
            line=bad[0].line,
            fix="A BODS file is a JSON array of statements or one statement per line",
        )
    unmapped.extend(bad)


@dataclass
class _Statement:
    line: int
    data: dict[str, Any]
    id: str
    kind: str  # entity, person, relationship
    details: dict[str, Any]  # 0.4: recordDetails; 0.2/0.3: the statement itself
    date: str  # statementDate as written, "" if none
    closed: bool  # 0.4 recordStatus "closed"
    old: bool  # BODS 0.2 or 0.3


@dataclass
class _Rows:
    companies: list[dict[str, Any]] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)
    ownership: list[dict[str, Any]] = field(default_factory=list)
    officers: list[dict[str, Any]] = field(default_factory=list)


class _Statements:
    """The statements of a file: the latest of each record, and where the others went."""

    def __init__(self, unmapped: list[MalformedRow]) -> None:
        self.unmapped = unmapped
        self.kept: dict[str, _Statement] = {}
        self.replaced_by: dict[str, tuple[str, int]] = {}  # 0.2/0.3: id -> (new id, line)
        self.unnamed: dict[str, str] = {}  # ids of anonymous parties -> what they are

    def note(self, line: int, value: object, problem: str) -> None:
        self.unmapped.append(MalformedRow(line, _quote(value), problem))

    def add(self, line: int, value: Any) -> None:
        statement = self._statement(line, value)
        if statement is None:
            return
        earlier = self.kept.get(statement.id)
        if earlier is None:
            self.kept[statement.id] = statement
        elif statement.old:
            self.note(earlier.line, earlier.data, _repeated(statement))
            self.kept[statement.id] = statement
        elif statement.date >= earlier.date:
            self.note(earlier.line, earlier.data, _superseded(statement))
            self.kept[statement.id] = statement
        else:
            self.note(line, value, _superseded(earlier))
        if statement.old:
            for replaced in as_list(value.get("replacesStatements")):
                if isinstance(replaced, str):
                    self.replaced_by[replaced] = (statement.id, line)

    def _statement(self, line: int, value: Any) -> _Statement | None:
        if not isinstance(value, dict):
            self.note(line, value, "not a BODS statement (not a JSON object)")
            return None
        date = str(value.get("statementDate") or "")
        if "recordType" in value or "recordDetails" in value:
            kind, record_id = value.get("recordType"), _text(value.get("recordId"))
            if kind not in RECORD_TYPES:
                self.note(line, value, f"recordType '{kind}' is not entity, person or relationship")
                return None
            if record_id is None:
                self.note(line, value, "the statement has no recordId to identify its record")
                return None
            closed = value.get("recordStatus") == "closed"
            details = as_dict(value.get("recordDetails"))
            return _Statement(line, value, record_id, kind, details, date, closed, old=False)
        if "statementType" in value:
            kind = STATEMENT_TYPES.get(value["statementType"])
            statement_id = _text(value.get("statementID")) or _text(value.get("statementId"))
            if kind is None:
                problem = f"statementType '{value['statementType']}' is not one BODS defines"
                self.note(line, value, problem)
                return None
            if statement_id is None:
                self.note(line, value, "the statement has no statementID to identify it")
                return None
            return _Statement(line, value, statement_id, kind, value, date, False, old=True)
        self.note(
            line,
            value,
            "not a BODS statement: it has neither recordType (BODS 0.4) nor statementType "
            "(BODS 0.2 and 0.3)",
        )
        return None

    def resolve(self, node_id: str) -> str:
        """The statement that replaces ``node_id`` (0.2/0.3), following a chain of them."""
        seen = {node_id}
        while node_id in self.replaced_by:
            node_id = self.replaced_by[node_id][0]
            if node_id in seen:
                break
            seen.add(node_id)
        return node_id

    def map(self, rows: _Rows) -> None:
        statements = []
        for statement in self.kept.values():
            if statement.old and statement.id in self.replaced_by:
                new_id, line = self.replaced_by[statement.id]
                problem = (
                    f"replaced by statement {new_id} (line {line}): netscan keeps the statement "
                    "that replaces it"
                )
                self.note(statement.line, statement.data, problem)
            else:
                statements.append(statement)
        statements.sort(key=lambda s: s.line)
        for statement in statements:  # parties first: relationships need to know who is named
            if statement.kind == "entity":
                self._entity(statement, rows.companies)
            elif statement.kind == "person":
                self._person(statement, rows.persons)
        for statement in statements:
            if statement.kind == "relationship":
                self._relationship(statement, rows)

    def _entity(self, statement: _Statement, companies: list[dict[str, Any]]) -> None:
        details = statement.details
        kind = details.get("entityType")
        kind = as_dict(kind).get("type") if isinstance(kind, dict) else kind
        name = _text(details.get("name"))
        if name is None and kind in UNNAMED_ENTITIES:
            what = UNNAMED_ENTITIES[kind] + _unspecified(details.get("unspecifiedEntityDetails"))
            self._unnamed(statement, what)
            return
        jurisdiction = as_dict(details.get("jurisdiction")) or as_dict(
            details.get("incorporatedInJurisdiction")
        )
        addresses = [as_dict(a) for a in as_list(details.get("addresses"))]
        address = _registered_address(addresses)
        country = (
            jurisdiction_country(_text(jurisdiction.get("code")))
            or _text(jurisdiction.get("name"))
            or (_country(address.get("country")) if address.get("type") == "registered" else None)
        )
        companies.append(
            {
                "id": statement.id,
                "name": name,
                "country": country,
                "registration_number": _register_number(details.get("identifiers"), country),
                "registered_on": _text(details.get("foundingDate")),
                "dissolved_on": _text(details.get("dissolutionDate")),
                "address": _one_line_address(address),
                LINE: statement.line,
            }
        )

    def _person(self, statement: _Statement, persons: list[dict[str, Any]]) -> None:
        details = statement.details
        kind = details.get("personType")
        name = _person_name(details.get("names"))
        if name is None and kind in UNNAMED_PERSONS:
            what = UNNAMED_PERSONS[kind] + _unspecified(details.get("unspecifiedPersonDetails"))
            self._unnamed(statement, what)
            return
        nationalities = [_country(n) for n in as_list(details.get("nationalities"))]
        persons.append(
            {
                "id": statement.id,
                "name": name,
                "nationality": ";".join(n for n in nationalities if n) or None,
                "birth_date": _text(details.get("birthDate")),
                LINE: statement.line,
            }
        )

    def _unnamed(self, statement: _Statement, what: str) -> None:
        """An anonymous or unknown party: not recorded, and named in the notes of the
        relationships that refer to it."""
        self.unnamed[statement.id] = f"{what}, described at line {statement.line}"
        self.note(statement.line, statement.data, f"{what} has no name: netscan cannot record it")

    def _relationship(self, statement: _Statement, rows: _Rows) -> None:
        details = statement.details
        subject, subject_reason = self._party(details.get("subject"), statement.old)
        party, party_reason = self._party(details.get("interestedParty"), statement.old)
        problem = None
        if subject is None:
            problem = f"the subject of the relationship is not specified{subject_reason}"
        elif party is None:
            problem = f"the interested party is not specified{party_reason}"
        elif subject in self.unnamed:
            problem = f"the subject is {self.unnamed[subject]}"
        elif party in self.unnamed:
            problem = (
                f"the interested party is {self.unnamed[party]}: netscan cannot record who "
                "holds this interest"
            )
        interests = [as_dict(i) for i in as_list(details.get("interests"))]
        if problem is None and not interests:
            problem = (
                "the relationship names no interest: netscan cannot tell whether it is "
                "ownership or control"
            )
        if problem is not None:
            self.note(statement.line, statement.data, problem)
            return
        components = details.get("componentRecords") or details.get("componentStatementIDs")
        types = [_interest_type(i.get("type")) for i in interests]
        for interest, kind in zip(interests, types, strict=True):
            level = interest.get("directOrIndirect") or interest.get("interestLevel")
            problem = _interest_problem(kind, level, bool(components), HOLDING in types)
            if problem is not None:
                key = "statementID" if statement.old else "recordId"
                self.note(statement.line, {key: statement.id, "interest": interest}, problem)
                continue
            since = _text(interest.get("startDate"))
            until = _text(interest.get("endDate"))
            if until is None and statement.closed:
                until = date_part(statement.date or None)
            if kind in OFFICER_ROLES:
                rows.officers.append(
                    {
                        "person_id": party,
                        "company_id": subject,
                        "role": OFFICER_ROLES[kind],
                        "since": since,
                        "until": until,
                        LINE: statement.line,
                    }
                )
                continue
            share, share_range = _share(interest.get("share"))
            rows.ownership.append(
                {
                    "owner_id": party,
                    "owned_id": subject,
                    "share": share,
                    "share_range": share_range,
                    "since": since,
                    "until": until,
                    LINE: statement.line,
                }
            )

    def _party(self, node: object, old: bool) -> tuple[str | None, str]:
        """The id a subject or interested party refers to, or None and why it is unspecified."""
        if isinstance(node, str):
            return (self.resolve(node) if old else node), ""
        node = as_dict(node)
        for key in ("describedByEntityStatement", "describedByPersonStatement"):
            if _text(node.get(key)):
                return self.resolve(str(node[key]).strip()), ""
        return None, _unspecified(node.get("unspecified", node))


def _interest_problem(
    kind: str | None, level: object, components: bool, holding: bool
) -> str | None:
    """Why an interest is not mapped, or None."""
    if kind in OFFICER_ROLES:
        return None
    if kind not in (HOLDING, VOTING):
        what = f"interest '{kind}'" if kind else "an interest of unknown kind"
        return (
            f"{what} is control without a holding: netscan's model has ownership shares and "
            "officers only"
        )
    if kind == VOTING and holding:
        return (
            "voting rights alongside a shareholding in the same relationship: netscan keeps the "
            "shareholding only, as both would count the holding twice"
        )
    if level == "indirect" and components:
        return (
            "an indirect holding whose chain is given by component records: netscan computes "
            "it from them, and this link as well would count it twice"
        )
    return None


def _interest_type(kind: object) -> str | None:
    """0.4's camelCase code of an interest type; 0.2 wrote "voting-rights"."""
    text = _text(kind)
    if text is None:
        return None
    head, *rest = text.split("-")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _share(node: object) -> tuple[str | None, str | None]:
    """The share netscan uses and, where BODS gives a range, the range as words.

    >>> _share({"exclusiveMinimum": 25, "maximum": 50})
    ('25', 'over 25%, up to 50%')
    """
    share = as_dict(node)
    if _number(share.get("exact")) is not None:
        return _number(share.get("exact")), None
    # 0.4: exclusiveMinimum/Maximum are bounds; 0.2 and 0.3: flags saying minimum/maximum are
    low, low_open = share.get("minimum"), share.get("exclusiveMinimum") is True
    if _number(low) is None:
        low, low_open = share.get("exclusiveMinimum"), True
    high, high_open = share.get("maximum"), share.get("exclusiveMaximum") is True
    if _number(high) is None:
        high, high_open = share.get("exclusiveMaximum"), True
    low_text, high_text = _number(low), _number(high)
    if low_text is None and high_text is None:
        return None, None
    if low_text == high_text and not (low_open or high_open):
        return low_text, None
    parts = []
    if low_text is not None:
        parts.append(f"{'over' if low_open else 'at least'} {low_text}%")
    if high_text is not None:
        parts.append(f"{'below' if high_open else 'up to'} {high_text}%")
    return low_text, ", ".join(parts)


def _number(value: object) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _text(value)


def _person_name(names: object) -> str | None:
    candidates = [as_dict(n) for n in as_list(names)]
    candidates.sort(key=lambda n: n.get("type") in OTHER_NAMES)  # stable: first usual name
    for name in candidates:
        full = _text(name.get("fullName"))
        if full:
            return full
        parts = [_text(name.get(k)) for k in ("givenName", "patronymicName", "familyName")]
        if any(parts):
            return " ".join(p for p in parts if p)
    return None


def _registered_address(addresses: list[dict[str, Any]]) -> dict[str, Any]:
    for address in addresses:
        if address.get("type") == "registered":
            return address
    return addresses[0] if addresses else {}


def _one_line_address(address: dict[str, Any]) -> str | None:
    text = _text(address.get("address"))
    parts = [", ".join(p.strip() for p in text.splitlines() if p.strip())] if text else []
    postcode = _text(address.get("postCode"))
    if postcode and (not text or postcode not in text):
        parts.append(postcode)
    country = _country(address.get("country"))
    if country and parts:
        parts.append(country)
    return ", ".join(parts) or None


def _register_number(identifiers: object, country: str | None) -> str | None:
    """The entity's number in a national register: see the module's docstring for the order."""
    found = []
    for position, identifier in enumerate(as_dict(i) for i in as_list(identifiers)):
        scheme, number = _text(identifier.get("scheme")), _text(identifier.get("id"))
        match = NATIONAL_SCHEME.match(scheme or "")
        if number is None or match is None or match.group(1) in NOT_NATIONAL:
            continue
        preferred = scheme in PREFERRED_SCHEMES
        found.append((not preferred, match.group(1) != country, position, number))
    return min(found)[3] if found else None


def _country(node: object) -> str | None:
    """A BODS country ({"name", "code"} in 0.4, a code in 0.2): its code, else its name."""
    if isinstance(node, dict):
        return _text(node.get("code")) or _text(node.get("name"))
    return _text(node)


def _unspecified(node: object) -> str:
    """Why a party is unspecified, as a clause: " (noBeneficialOwners: ...)"."""
    node = as_dict(node)
    words = [w for w in (_text(node.get("reason")), _text(node.get("description"))) if w]
    return f" ({': '.join(words)})" if words else ""


def _superseded(newer: _Statement) -> str:
    date = f" (statementDate {newer.date})" if newer.date else ""
    return (
        f"an older statement about record {newer.id}: the statement at line {newer.line}{date} "
        "replaces it, as netscan keeps the latest statement of each record"
    )


def _repeated(newer: _Statement) -> str:
    return f"statement {newer.id} is given again at line {newer.line}: netscan keeps the later one"


def _quote(value: object) -> str:
    """A statement for the rejects file: its id, type and details first, bookkeeping left out."""
    if not isinstance(value, dict):
        return quote(value)
    first = ("recordId", "statementID", "statementId", "recordType", "statementType")
    skip = {"publicationDetails", "source", "annotations", "declaration", "declarationSubject"}
    ordered = {k: value[k] for k in first if k in value}
    ordered.update((k, v) for k, v in value.items() if k not in skip and k not in ordered)
    if "recordId" in ordered:
        ordered.pop("statementId", None)
    return quote(ordered)


def _text(value: object) -> str | None:
    """A value as text; an object or a list is not one."""
    return None if isinstance(value, (dict, list)) else stripped(value)

"""EGRUL open-data XML (ЕГРЮЛ, the Russian register of legal entities, FNS format 4.0x).

The Federal Tax Service publishes the register as XML files ("EGRUL_406" dumps): a root ``Файл``
(ИдФайл, ВерсФорм="4.06", КолДок) with ``Документ`` children, each holding one ``СвЮЛ``: a firm,
its founders (``СвУчредит``) and its directors (``СведДолжнФЛ``). Files are usually windows-1251,
as the XML prolog declares; UTF-8 reads as well. They run to gigabytes, so they are read one
``СвЮЛ`` at a time (``lxml.etree.iterparse``), each dropped once mapped. The parser resolves no
entities, loads no DTD and never goes to the network.

Ids follow OpenSanctions' ``ru_egrul`` crawler, so that its FollowTheMoney data and these files
join by id:

- a firm or person with an INN: ``ru-inn-<INN>`` (``ru-inn-7701000019``; persons' INNs have 12
  digits, firms' 10, so the two never meet); a firm with an OGRN but no INN: ``ru-ogrn-<OGRN>``;
- otherwise ``ru-<sha1>``, FollowTheMoney's ``make_entity_id(local id, name,
  key_prefix="ru_egrul")``: the local id is the founder record's ГРН (``ГРНДатаПерв/@ГРН``), or
  the firm's id for directors and founder records without one; the name is "Имя Отчество
  Фамилия" for persons, the full name for firms. A foreign founder with a name in Latin letters
  (``СвНаимЮЛПолнИн``) gets its id from that name, as OpenSanctions does, even when it has an INN.
  A municipality that founds a firm is named by ``НаимМО`` within the founder record's ГРН; the
  state or a region without a managing body by ``make_entity_id("state", region name)``.

What is read, into netscan's tables (``graphkit.model``):

====================  =========================================================================
companies             one row per ``СвЮЛ``: id above; name = ``СвНаимЮЛ/@НаимЮЛПолн`` (the full
                      name; the short ``НаимЮЛСокр`` and Latin names are not kept); country RU;
                      registration_number = ИНН (OGRN where there is no INN; netscan's linker
                      matches Russian customs parties by INN); registered_on =
                      ``СвОбрЮЛ/@ДатаРег`` (the first registration, before the register began in
                      July 2002) else ``@ДатаОГРН`` (for firms registered before 2002 that is
                      only the date they entered the new register, which would make old firms
                      look new); dissolved_on = ``СвПрекрЮЛ/@ДатаПрекрЮЛ``; address = one line
                      from ``СвАдресЮЛ``: the FIAS structure (``СвАдрЮЛФИАС``) if it has more than
                      a postcode, else the older KLADR one (``АдресРФ``): postcode, region,
                      district, town, street, house, building, flat, each "type name" as written.
                      Plus one row per founder firm that has no ``СвЮЛ`` of its own in the file
                      (only what the founder record gives: name, country, number), once per id.
persons               founders ``УчрФЛ`` and directors ``СведДолжнФЛ`` (``СвФЛ``): name
                      "Фамилия Имя Отчество"; nationality RU unless ``СвГраждФЛ`` says otherwise
                      (КодГражд 2: its ОКСМ country; 3, stateless: blank); one row per id.
ownership             one row per founder: owner -> the firm. share (percent) from
                      ``ДоляУстКап/РазмерДоли``: ``Процент`` as written, else ``ДробПрост``
                      Числит/Знаменат x 100, else ``ДробДесят`` x 100, else ``@НоминСтоим`` /
                      ``СвУстКап/@СумКап`` x 100; blank (unknown) when none is given.
                      since = ``ГРНДатаПерв/@ДатаЗаписи``; until blank (the extract lists
                      present founders only).
officers              one row per ``СведДолжнФЛ``: role = ``СвДолжн/@НаимДолжн`` in lower case
                      (else ``@НаимВидДолжн``), since = ``ГРНДатаПерв/@ДатаЗаписи``.
====================  =========================================================================

Founders by kind: ``УчрФЛ`` a person; ``УчрЮЛРос`` a Russian firm (``НаимИННЮЛ``: ОГРН, ИНН,
НаимЮЛПолн); ``УчрЮЛИн`` a foreign firm (Latin name if given, else the Russian one; country from
``СвРегИн/@ОКСМ``, the ISO 3166 numeric code, via CLDR's table in babel, else ``@НаимСтран`` as
written, which the loader reads as a Russian country name; registration number ``@РегНомер``);
``УчрРФСубМО`` the state, a region or a municipality: the body that exercises the rights
(``СвОргОсущПр``, a registered firm) if given, else the state itself as a company row
("Российская Федерация", the region or ``НаимМО``); ``УчрПИФ`` a mutual fund: its management
company (``СвУпрКомпПИФ/УпрКомпПиф``); ``УчрДогИнвТов`` an investment partnership: its managing
partner (``СвУпТовЮЛ``).

Not read: sole traders (EGRIP's ``СвИП``), licences, activities (ОКВЭД), branches, trustees and
pledges of founders' shares, predecessors and successors. Reported as not mapped, with the line
of the element and why: a firm with neither ОГРН nor ИНН (with its founders and directors); a
founder or director without a name; a founder of an unknown kind; a share that cannot be read
(the founder is left out, as the loader leaves out a link whose share it cannot read); a firm
run by a management company (``СвУпрОрг``: netscan's officers are persons); a founder firm that
is named nowhere in the file (its link is still given: another file may name it). Damaged XML (a
truncated download) stops the reading with the line lxml names: a half-read register would
silently miss firms. Where a file has no line breaks every record is on line 1; the quoted
record then says which it is.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from lxml import etree
from normality import slugify

from graphkit.errors import InputError
from graphkit.ingest.formats import HEAD_SIZE, Extract, raw_table, shorten, stripped
from graphkit.ingest.read import LINE, MalformedRow, open_input

FORMAT = "EGRUL XML"
FIRM = "СвЮЛ"
PREFIX = "ru"  # OpenSanctions' ru_egrul dataset prefix
HASH_PREFIX = "ru_egrul"  # ... and the dataset name its hashed ids are keyed with
DOWNLOAD_AGAIN = (
    "The file is damaged or incomplete (an interrupted download or unzip): download the "
    "extract again"
)
FOUNDER_KINDS = ("УчрФЛ", "УчрЮЛРос", "УчрЮЛИн", "УчрРФСубМО", "УчрПИФ", "УчрДогИнвТов")
PROLOG_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']""")
FIRST_TAG = re.compile(r"<([^\s!?/>]+)")
FIRM_TAG = re.compile(r"<СвЮЛ[\s/>]")
PERCENT_DIGITS = Decimal("1e-10")

Element = etree._Element
Row = dict[str, Any]


def recognises(head: bytes) -> bool:
    """An XML file whose root is ``Файл`` and whose head holds a ``СвЮЛ`` record.

    >>> recognises('<?xml version="1.0" encoding="windows-1251"?><Файл><Документ><СвЮЛ ОГРН="1"/>'
    ...            .encode("cp1251"))
    True
    """
    text = _decode_head(head)
    if text is None:
        return False
    root = FIRST_TAG.search(text)
    return root is not None and root.group(1) == "Файл" and FIRM_TAG.search(text) is not None


def read(path: Path) -> Extract:
    """The firms, founders and directors of an EGRUL XML file (see the module's docstring)."""
    head = _head(path)
    encoding = _declared_encoding(head) or "utf-8"
    reader = _Reader()
    try:
        with path.open("rb") as file:
            for _, element in etree.iterparse(
                file,
                events=("end",),
                tag=FIRM,
                resolve_entities=False,
                load_dtd=False,
                no_network=True,
                huge_tree=True,
            ):
                reader.firm(element)
                _release(element)
    except etree.XMLSyntaxError as error:
        raise _damaged(error, path, reader.records) from None
    if not reader.records:
        raise InputError(
            f"the file holds no {FIRM} (legal entity) records: it is not an EGRUL extract",
            path=path,
            fix="Give the EGRUL XML file itself (root Файл, records Документ/СвЮЛ); EGRIP files "
            "of sole traders (СвИП) are not read",
        )
    return reader.extract(path, _codec_name(encoding) or encoding)


def _head(path: Path) -> bytes:
    with open_input(path) as file:
        head = file.read(HEAD_SIZE)
    if not head.strip():
        raise InputError("the file is empty", path=path, line=1, fix=DOWNLOAD_AGAIN)
    return head


def _declared_encoding(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    found = PROLOG_ENCODING.match(head)
    return found.group(1).decode("ascii") if found else None


def _codec_name(encoding: str) -> str | None:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def _decode_head(head: bytes) -> str | None:
    """The head as text in its declared encoding; a character cut at the end is dropped."""
    codec = _codec_name(_declared_encoding(head) or "utf-8")
    if codec is None:
        return None
    return head.decode(codec, errors="ignore")


def _release(element: Element) -> None:
    """Let go of a record once read, and of the records before it, so memory stays flat."""
    element.clear()
    for node in (element, element.getparent()):
        parent = node.getparent() if node is not None else None
        if node is None or parent is None:
            continue
        while node.getprevious() is not None:
            del parent[0]


def _damaged(error: etree.XMLSyntaxError, path: Path, records: int) -> InputError:
    """What went wrong, after ``records`` СвЮЛ were read."""
    message = re.sub(r", line \d+, column \d+$", "", str(error.msg or error))
    line = error.lineno
    if "encoding" in message.lower() or "utf-8" in message.lower():
        problem = f"the text is not in the encoding the file declares ({message})"
        fix = (
            'Download the extract again, or correct the encoding="..." in the first line '
            "(FNS files are windows-1251)"
        )
    elif not records:
        problem = f"this is not EGRUL XML, or it is damaged before its first record ({message})"
        fix = "Give the EGRUL XML file as downloaded from the tax service (unzipped)"
    elif line is not None and line >= _line_count(path) - 1:  # at the end, or on its last line
        problem = f"the file ends in the middle of a record ({message}): it was cut short"
        fix = DOWNLOAD_AGAIN
    else:
        problem = f"the XML is damaged ({message})"
        fix = DOWNLOAD_AGAIN
    return InputError(problem, path=path, line=line, fix=fix)


def _line_count(path: Path) -> int:
    """The number of the file's last line (counted only when the XML turns out damaged)."""
    count = 1
    with path.open("rb") as file:
        while chunk := file.read(1 << 24):
            count += chunk.count(b"\n")
    return count


Children = dict[str, list[Element]]


def _children(element: Element | None) -> Children:
    """An element's children by tag, in order. lxml's ``find`` parses its path on every call
    (5 µs a call): with this index the mapping of a record takes half the time."""
    found: Children = {}
    if element is not None:
        for child in element:
            if isinstance(child.tag, str):  # not a comment
                found.setdefault(child.tag, []).append(child)
    return found


def _first(children: Children, tag: str) -> Element | None:
    found = children.get(tag)
    return found[0] if found else None


@dataclass
class _Firm:
    """The firm whose record is being read: what its founders and directors refer to."""

    id: str
    label: str  # "the firm with ИНН 7701000019", for messages
    capital: str | None  # СвУстКап/@СумКап, for shares given as nominal values


@dataclass
class _Reader:
    companies: list[Row] = field(default_factory=list)
    persons: list[Row] = field(default_factory=list)
    ownership: list[Row] = field(default_factory=list)
    officers: list[Row] = field(default_factory=list)
    unmapped: list[MalformedRow] = field(default_factory=list)
    records: int = 0  # СвЮЛ elements read
    firms: set[str] = field(default_factory=set)  # ids of the firms with a СвЮЛ of their own
    people: set[str] = field(default_factory=set)  # ids of the persons written
    founder_firms: dict[str, Row] = field(default_factory=dict)  # founder-only company rows
    nameless: dict[str, MalformedRow] = field(default_factory=dict)  # founder firms without name

    def firm(self, element: Element) -> None:
        self.records += 1
        inn, ogrn = _attr(element, "ИНН"), _attr(element, "ОГРН")
        firm_id = _slug_id("inn", inn) or _slug_id("ogrn", ogrn)
        if firm_id is None:
            self.skip(
                element,
                "the firm has neither ОГРН nor ИНН, so netscan cannot identify it; neither it "
                "nor its founders and directors are loaded",
            )
            return
        parts = _children(element)
        formed = _first(parts, "СвОбрЮЛ")
        self.firms.add(firm_id)
        self.companies.append(
            {
                LINE: _line(element),
                "id": firm_id,
                "name": _attr(_first(parts, "СвНаимЮЛ"), "НаимЮЛПолн"),
                "country": "RU",
                "registration_number": inn or ogrn,
                "registered_on": _attr(formed, "ДатаРег")
                or _attr(element, "ДатаОГРН")
                or _attr(formed, "ДатаОГРН"),
                "dissolved_on": _attr(_first(parts, "СвПрекрЮЛ"), "ДатаПрекрЮЛ"),
                "address": address(_first(parts, "СвАдресЮЛ")),
            }
        )
        label = f"the firm with ИНН {inn}" if inn else f"the firm with ОГРН {ogrn}"
        firm = _Firm(firm_id, label, _attr(_first(parts, "СвУстКап"), "СумКап"))
        for director in parts.get("СведДолжнФЛ", ()):
            self.director(firm, director)
        for manager in parts.get("СвУпрОрг", ()):
            self.skip(
                manager,
                f"{firm.label} is run by a management company (СвУпрОрг); netscan's officers "
                "are persons, so this is not loaded",
            )
        for founders in parts.get("СвУчредит", ()):
            for founder in founders:
                if isinstance(founder.tag, str):  # not a comment
                    self.founder(firm, founder)

    def director(self, firm: _Firm, element: Element) -> None:
        parts = _children(element)
        person = self.person(element, parts, firm.id, f"a director of {firm.label}")
        if person is None:
            return
        post = _first(parts, "СвДолжн")
        role = _attr(post, "НаимДолжн") or _attr(post, "НаимВидДолжн")
        self.officers.append(
            {
                LINE: _line(element),
                "person_id": person,
                "company_id": firm.id,
                "role": role.lower() if role else None,
                "since": _attr(_first(parts, "ГРНДатаПерв"), "ДатаЗаписи"),
            }
        )

    def founder(self, firm: _Firm, element: Element) -> None:
        kind = str(element.tag)
        what = f"a founder ({kind}) of {firm.label}"
        if kind not in FOUNDER_KINDS:
            self.skip(
                element,
                f"{what} is of a kind netscan does not know (it reads "
                f"{', '.join(FOUNDER_KINDS)}), so this founder is not loaded",
            )
            return
        parts = _children(element)
        share, problem = share_percent(_first(parts, "ДоляУстКап"), firm.capital)
        if problem:
            self.skip(
                element,
                f"the share of {what} cannot be read: {problem}; this founder is not loaded. "
                "Check the extract",
            )
            return
        first = _first(parts, "ГРНДатаПерв")
        local_id = _attr(first, "ГРН") or firm.id
        owner: str | None
        if kind == "УчрФЛ":
            owner = self.person(element, parts, local_id, what)
        elif kind == "УчрЮЛРос":
            owner = self.legal_founder(element, _first(parts, "НаимИННЮЛ"), local_id, what)
        elif kind == "УчрЮЛИн":
            owner = self.foreign_founder(element, parts, local_id, what)
        elif kind == "УчрРФСубМО":
            owner = self.public_founder(element, parts, local_id, what)
        elif kind == "УчрПИФ":
            manager = element.find("СвУпрКомпПИФ/УпрКомпПиф")
            owner = self.legal_founder(element, manager, local_id, f"{what}, its manager,")
        else:  # УчрДогИнвТов
            partner = _first(parts, "СвУпТовЮЛ")
            owner = self.legal_founder(element, partner, local_id, f"{what}, its partner,")
        if owner is not None:
            self.ownership.append(
                {
                    LINE: _line(element),
                    "owner_id": owner,
                    "owned_id": firm.id,
                    "share": share,
                    "since": _attr(first, "ДатаЗаписи"),
                }
            )

    def person(self, element: Element, parts: Children, local_id: str, what: str) -> str | None:
        """The id of the person an ``УчрФЛ`` or ``СведДолжнФЛ`` names; a persons row once."""
        names = _first(parts, "СвФЛ")
        last, first = _attr(names, "Фамилия"), _attr(names, "Имя")
        patronymic, inn = _attr(names, "Отчество"), _attr(names, "ИННФЛ")
        if not (last or first):
            self.skip(element, f"{what} has no name (СвФЛ Фамилия, Имя), so is not loaded")
            return None
        person_id = _slug_id("inn", inn) or _hashed_id(local_id, join_text(first, patronymic, last))
        if person_id not in self.people:
            self.people.add(person_id)
            self.persons.append(
                {
                    LINE: _line(element),
                    "id": person_id,
                    "name": join_text(last, first, patronymic),
                    "nationality": _nationality(_first(parts, "СвГраждФЛ")),
                }
            )
        return person_id

    def legal_founder(
        self, founder: Element, names: Element | None, local_id: str, what: str
    ) -> str | None:
        """The id of a Russian firm that founds another (``СвЮЛЕГРЮЛТип``: ОГРН, ИНН,
        НаимЮЛПолн on the element or on its ``НаимИННЮЛ``)."""
        inner = _first(_children(names), "НаимИННЮЛ")
        if inner is not None:
            names = inner
        inn, ogrn = _attr(names, "ИНН"), _attr(names, "ОГРН")
        name = _attr(names, "НаимЮЛПолн")
        owner = _slug_id("inn", inn) or _slug_id("ogrn", ogrn)
        if owner is None and name:
            owner = _hashed_id(local_id, name)
        if owner is None:
            self.skip(founder, f"{what} has no name, ОГРН or ИНН, so is not loaded")
            return None
        self.founder_firm(
            founder,
            {"id": owner, "name": name, "country": "RU", "registration_number": inn or ogrn},
        )
        return owner

    def foreign_founder(
        self, founder: Element, parts: Children, local_id: str, what: str
    ) -> str | None:
        names = _first(parts, "НаимИННЮЛ")
        inn, ogrn = _attr(names, "ИНН"), _attr(names, "ОГРН")
        name = _attr(names, "НаимЮЛПолн")
        latin = _attr(_first(parts, "СвНаимЮЛПолнИн"), "НаимПолн")
        owner = _slug_id("inn", inn) or _slug_id("ogrn", ogrn)
        if owner is None and name:
            owner = _hashed_id(local_id, name)
        if latin:  # as OpenSanctions does: the Latin name makes the id
            owner = _hashed_id(local_id, latin)
        if owner is None:
            self.skip(founder, f"{what} has no name, so is not loaded")
            return None
        registration = _first(parts, "СвРегИн")
        self.founder_firm(
            founder,
            {
                "id": owner,
                "name": latin or name,
                "country": _country(_attr(registration, "ОКСМ"), _attr(registration, "НаимСтран")),
                "registration_number": _attr(registration, "РегНомер") or inn or ogrn,
            },
        )
        return owner

    def public_founder(
        self, founder: Element, parts: Children, local_id: str, what: str
    ) -> str | None:
        """The state, a region or a municipality: the body exercising its rights, if given."""
        body = _first(parts, "СвОргОсущПр")
        if body is not None:
            return self.legal_founder(founder, body, local_id, f"{what}, its managing body,")
        kind = _first(parts, "ВидНаимУчр")
        municipality = _attr(kind, "НаимМО")
        region = (
            "Российская Федерация"
            if _attr(kind, "КодУчрРФСубМО") == "1"
            else _attr(kind, "НаимРегион")
        )
        if municipality:
            owner, name = _hashed_id(local_id, municipality), municipality
        elif region:
            owner, name = _hashed_id("state", region), region
        else:
            self.skip(founder, f"{what} names no state, region or municipality, so is not loaded")
            return None
        self.founder_firm(founder, {"id": owner, "name": name, "country": "RU"})
        return owner

    def founder_firm(self, founder: Element, row: Row) -> None:
        """Keep a founder firm's company row, written at the end unless the firm has its own
        ``СвЮЛ`` in the file; the first mention with a name wins."""
        firm_id = row["id"]
        if firm_id in self.firms or firm_id in self.founder_firms:
            return
        if not row.get("name"):
            self.nameless.setdefault(
                firm_id,
                MalformedRow(
                    _line(founder),
                    _quote(founder),
                    f"the founder firm {firm_id} has no name here and no record (СвЮЛ) of its "
                    "own in this file, so it is not written; its ownership link loads only if "
                    "another file gives this firm",
                ),
            )
            return
        self.founder_firms[firm_id] = {LINE: _line(founder), **row}

    def skip(self, element: Element, problem: str) -> None:
        self.unmapped.append(MalformedRow(_line(element), _quote(element), problem))

    def extract(self, path: Path, encoding: str) -> Extract:
        founders_only = [row for i, row in self.founder_firms.items() if i not in self.firms]
        self.unmapped.extend(
            row
            for i, row in self.nameless.items()
            if i not in self.firms and i not in self.founder_firms
        )
        tables = {
            "companies": self.companies + founders_only,
            "persons": self.persons,
            "ownership": self.ownership,
            "officers": self.officers,
        }
        return Extract(
            path,
            FORMAT,
            {name: raw_table(path, encoding, name, rows) for name, rows in tables.items() if rows},
            sorted(self.unmapped, key=lambda row: row.line or 0),
        )


def share_percent(share: Element | None, capital: str | None) -> tuple[str | None, str | None]:
    """A founder's share in percent, as text, and what made it unreadable (or None).

    ``Процент`` passes as written (the loader checks it); fractions and nominal values are
    turned into percent here.

    >>> share = etree.fromstring('<ДоляУстКап НоминСтоим="2500"/>')
    >>> share_percent(share, "10000"), share_percent(share, None)
    (('25', None), (None, None))
    """
    if share is None:
        return None, None
    size = _children(_first(_children(share), "РазмерДоли"))
    percent = _content(_first(size, "Процент"))
    if percent is not None:
        return percent, None
    simple = _first(size, "ДробПрост")
    if simple is not None:
        numerator, denominator = _attr(simple, "Числит"), _attr(simple, "Знаменат")
        top, bottom = _decimal(numerator), _decimal(denominator)
        if top is None or bottom is None or not 0 <= top <= bottom or bottom == 0:
            return None, f"the fraction {numerator}/{denominator} (ДробПрост) is not 0 to 1"
        return _percent(top / bottom * 100), None
    decimal = _first(size, "ДробДесят")
    if decimal is not None:
        written = decimal.text or ""
        value = _decimal(written)
        if value is None or not 0 <= value <= 1:
            return None, f"the fraction '{written.strip()}' (ДробДесят) is not 0 to 1"
        return _percent(value * 100), None
    nominal_text = _attr(share, "НоминСтоим")
    nominal, total = _decimal(nominal_text), _decimal(capital)
    if nominal_text is not None and nominal is None:
        return None, f"the nominal value '{nominal_text}' (НоминСтоим) is not a number"
    if nominal is None or total is None or total <= 0:
        return None, None  # no share given, or no capital to divide by: unknown
    if not 0 <= nominal <= total:
        return None, f"the nominal value {nominal_text} is beyond the capital {capital} (СумКап)"
    return _percent(nominal / total * 100), None


def address(block: Element | None) -> str | None:
    """One line from ``СвАдресЮЛ``: the FIAS structure if it says more than the postcode, else
    the KLADR one (``АдресРФ``).

    >>> address(etree.fromstring(
    ...     '<СвАдресЮЛ><АдресРФ Индекс="190000" Дом="ДОМ 1"><Регион ТипРегион="ГОРОД" '
    ...     'НаимРегион="САНКТ-ПЕТЕРБУРГ"/><Улица ТипУлица="ПРОСПЕКТ" НаимУлица="НЕВСКИЙ"/>'
    ...     '</АдресРФ></СвАдресЮЛ>'))
    '190000, ГОРОД САНКТ-ПЕТЕРБУРГ, ПРОСПЕКТ НЕВСКИЙ, ДОМ 1'
    """
    forms = _children(block)
    fias, kladr = _first(forms, "СвАдрЮЛФИАС"), _first(forms, "АдресРФ")
    parts = _fias(fias) if fias is not None else []
    postcode = _attr(fias, "Индекс")
    if not any(parts) and kladr is not None:
        parts, postcode = _kladr(kladr), _attr(kladr, "Индекс")
    kept = [part for part in parts if part and part.strip("-")]
    return ", ".join([postcode, *kept] if postcode else kept) or None


def _fias(element: Element) -> list[str | None]:
    parts = _children(element)
    return [
        _content(_first(parts, "НаимРегион")),
        _attr(_first(parts, "МуниципРайон"), "Наим"),
        _attr(_first(parts, "ГородСелПоселен"), "Наим"),
        _typed(_first(parts, "НаселенПункт"), "Вид", "Наим"),
        _typed(_first(parts, "ЭлПланСтруктур"), "Тип", "Наим"),
        _typed(_first(parts, "ЭлУлДорСети"), "Тип", "Наим"),
        *(_typed(building, "Тип", "Номер") for building in parts.get("Здание", ())),
        _typed(_first(parts, "ПомещЗдания"), "Тип", "Номер"),
        _typed(_first(parts, "ПомещКвартиры"), "Тип", "Номер"),
    ]


def _kladr(element: Element) -> list[str | None]:
    parts = _children(element)
    return [
        _typed(_first(parts, "Регион"), "ТипРегион", "НаимРегион"),
        _typed(_first(parts, "Район"), "ТипРайон", "НаимРайон"),
        _typed(_first(parts, "Город"), "ТипГород", "НаимГород"),
        _typed(_first(parts, "НаселПункт"), "ТипНаселПункт", "НаимНаселПункт"),
        _typed(_first(parts, "Улица"), "ТипУлица", "НаимУлица"),
        _attr(element, "Дом"),
        _attr(element, "Корпус"),
        _attr(element, "Кварт"),
    ]


def _typed(element: Element | None, kind: str, name: str) -> str | None:
    """'УЛИЦА ТВЕРСКАЯ' from Тип="УЛИЦА" Наим="ТВЕРСКАЯ"; the name alone without a type."""
    return join_text(_attr(element, kind), _attr(element, name)) if _attr(element, name) else None


def _nationality(citizenship: Element | None) -> str | None:
    """RU unless ``СвГраждФЛ`` says otherwise (КодГражд 1 Russian, 2 foreign, 3 stateless)."""
    if citizenship is None:
        return "RU"
    kind = _attr(citizenship, "КодГражд")
    if kind == "3":
        return None
    if kind == "2" or _attr(citizenship, "ОКСМ") or _attr(citizenship, "НаимСтран"):
        return _country(_attr(citizenship, "ОКСМ"), _attr(citizenship, "НаимСтран"))
    return "RU"


def _country(oksm: str | None, name: str | None) -> str | None:
    """ISO alpha-2 from the ОКСМ code (ISO 3166 numeric), else the country's name as written."""
    if oksm and oksm.isdigit():
        code = _iso_numeric().get(oksm.zfill(3))
        if code:
            return code
    return name


@lru_cache(maxsize=1)
def _iso_numeric() -> dict[str, str]:
    """ISO 3166 numeric code -> alpha-2, from CLDR's territory aliases as babel ships them
    ('196' -> 'CY'); codes of unions of several countries (Yugoslavia '890') are left out."""
    from babel.core import get_global  # only when a foreign founder needs it: babel loads slowly

    aliases: Mapping[str, list[str]] = get_global("territory_aliases")
    return {
        number: codes[0]
        for number, codes in aliases.items()
        if number.isdigit() and len(codes) == 1 and re.fullmatch("[A-Z]{2}", codes[0])
    }


def _slug_id(kind: str, number: str | None) -> str | None:
    """OpenSanctions' slug id: ``ru-inn-7701000019``."""
    slug = number if number and number.isascii() and number.isdigit() else slugify(number, sep="-")
    return f"{PREFIX}-{kind}-{slug}" if slug else None


def _hashed_id(local_id: str, name: str | None) -> str:
    """OpenSanctions' hashed id (zavod ``make_id``) of a name within a local id."""
    from followthemoney.util import make_entity_id  # importing FtM takes a second: load on use

    return f"{PREFIX}-{make_entity_id(local_id, name, key_prefix=HASH_PREFIX)}"


def join_text(*parts: str | None) -> str | None:
    """The parts given, stripped, joined by spaces; None when there are none (FtM's join_text)."""
    texts = [text for text in map(stripped, parts) if text]
    return " ".join(texts) or None


def _attr(element: Element | None, name: str) -> str | None:
    """An attribute's value without surrounding space; None when missing or blank."""
    if element is None:
        return None
    return stripped(element.get(name))


def _content(element: Element | None) -> str | None:
    """An element's text without surrounding space; None when missing or blank."""
    return stripped(element.text) if element is not None else None


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _percent(value: Decimal) -> str:
    """A percentage with at most ten decimals and no trailing zeros: '25', '33.3333333333'."""
    return format(value.quantize(PERCENT_DIGITS).normalize(), "f")


def _line(element: Element) -> int | None:
    """The line the element starts on (lxml-stubs leave ``sourceline`` untyped)."""
    return cast("int | None", element.sourceline)


def _quote(element: Element) -> str:
    return shorten(" ".join(etree.tostring(element, encoding="unicode", with_tail=False).split()))

"""The JSON Schema of the findings that ``netscan find-intermediaries --format json`` writes.

Published so that other tools (a case-management system, a notebook, a colleague's script) can
check and read the findings without reading netscan's code, and so that every field says what it
means for an investigator: how the score is made, which records a number rests on.

The schema is strict: every object lists all its properties and allows no others, and the tests
validate real output against it (tests/report/test_schema.py). A field added to the output
without being described here fails them. ``SCHEMA_VERSION``, part of the schema's ``$id``, goes
up with every change to the output's structure, so that a schema a reader saved keeps matching
the output it was published with.

Draft 2020-12 (https://json-schema.org/draft/2020-12/json-schema-core).
"""

from __future__ import annotations

from typing import Any

from graphkit.analysis.conflicts import DUPLICATE_ID, KINDS, OVER_OWNED, OWNERSHIP_CYCLE
from graphkit.analysis.indicators import (
    CHPL_TIERS,
    CLUSTERS,
    DEFAULT_WEIGHTS,
    HIGH_PRIORITY_GOODS,
    INDICATORS,
    MATCH_LEVELS,
    OWNERSHIP_CHANGES,
    PASS_THROUGH,
    SANCTIONED_PARTIES,
    SHARED_PEOPLE_WITH_BUYER,
    SPEED,
    SUPPLIER_REDIRECTION,
)
from graphkit.analysis.intermediaries import (
    BETWEEN,
    CRITERIA,
    NEWLY_REGISTERED,
    POINTS_FOR_ALL_RED_FLAGS,
    POINTS_PER_CRITERION,
    RUSSIAN_OWNED,
)
from graphkit.settings import (
    DEFAULT_MIN_RUSSIAN_SHARE,
    DEFAULT_WINDOW_DAYS,
    INVASION_DATE,
)

SCHEMA_VERSION = 1
SCHEMA_ID = f"https://netscan.example/schema/findings-{SCHEMA_VERSION}.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

Schema = dict[str, Any]

_DATE = r"^\d{4}-\d{2}-\d{2}$"
_COUNTRY = r"^[A-Z]{2}$"  # ISO 3166-1 alpha-2, as the loader normalises every country
_NATIONALITIES = r"^[A-Z]{2}(;[A-Z]{2})*$"
_MOST_POINTS = sum(DEFAULT_WEIGHTS.indicators.values())


def findings_schema() -> Schema:
    """The schema of the findings JSON: a list of findings, highest score first.

    >>> schema = findings_schema()
    >>> schema["$id"], schema["items"]["$ref"]
    ('https://netscan.example/schema/findings-1.json', '#/$defs/finding')
    """
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        "title": "netscan findings",
        "description": (
            "What `netscan find-intermediaries --format json` writes: the firms assessed, highest "
            "score first. Without --all, only the firms that meet all three criteria (flagged); "
            "with --all, also the firms that trade with a supplier or buyer country and fail "
            "some criteria. Dates are YYYY-MM-DD; countries are ISO 3166-1 alpha-2 codes; "
            "amounts are US dollars as the declarations give them; 'line' numbers are lines of "
            "the input files, the header being line 1."
        ),
        "type": "array",
        "items": {"$ref": "#/$defs/finding"},
        "$defs": _definitions(),
    }


# Building blocks: every property carries a title and a description.


def _typed(kind: str, null: bool) -> str | list[str]:
    return [kind, "null"] if null else kind


def _text(title: str, description: str, *, null: bool = False, **extra: Any) -> Schema:
    return {"type": _typed("string", null), "title": title, "description": description, **extra}


def _date(title: str, description: str, *, null: bool = False) -> Schema:
    return _text(title, description, null=null, format="date", pattern=_DATE)


def _country(title: str, description: str, *, null: bool = False) -> Schema:
    return _text(title, description, null=null, pattern=_COUNTRY)


def _integer(title: str, description: str, *, null: bool = False, **extra: Any) -> Schema:
    return {"type": _typed("integer", null), "title": title, "description": description, **extra}


def _number(title: str, description: str, *, null: bool = False, **extra: Any) -> Schema:
    return {"type": _typed("number", null), "title": title, "description": description, **extra}


def _line(title: str, description: str, *, null: bool = False) -> Schema:
    return _integer(title, description, null=null, minimum=1)


def _list(items: Schema, title: str, description: str, **extra: Any) -> Schema:
    return {"type": "array", "title": title, "description": description, "items": items, **extra}


def _texts(title: str, description: str, **extra: Any) -> Schema:
    return _list({"type": "string"}, title, description, **extra)


def _ref(name: str, title: str, description: str, *, null: bool = False) -> Schema:
    target = {"$ref": f"#/$defs/{name}"}
    if null:
        return {"title": title, "description": description, "anyOf": [target, {"type": "null"}]}
    return {"title": title, "description": description, **target}


def _object(
    title: str, description: str, properties: dict[str, Schema], *, optional: tuple[str, ...] = ()
) -> Schema:
    """An object with exactly these properties, all required but ``optional``."""
    return {
        "type": "object",
        "title": title,
        "description": description,
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


def _party(
    title: str, description: str, more: dict[str, Schema] | None = None, *, known: bool = True
) -> Schema:
    """A registry firm (with its country) or person (with nationalities), and ``more``.

    ``known=False``: a party on a chain that may be known only by its name on the declarations.
    """
    party = _object(
        title,
        description,
        {
            "id": _text(
                "Id",
                "The firm's or person's id in the registry files"
                + (
                    "" if known else "; null for a party known only by its name on the declarations"
                ),
                null=not known,
            ),
            "name": _text("Name", "The name as the registry gives it, any script."),
            "country": _country(
                "Country", "A firm's country of registration (a person has 'nationality' instead)."
            ),
            "nationality": _text(
                "Nationality",
                "A person's citizenships, separated by ';' (e.g. 'CY;RU'); null if the registry "
                "gives none. A firm has 'country' instead.",
                null=True,
                pattern=_NATIONALITIES,
            ),
            **(more or {}),
        },
        optional=("country", "nationality"),
    )
    party["oneOf"] = [{"required": ["country"]}, {"required": ["nationality"]}]
    return party


def _file(what: str) -> Schema:
    return _text(
        "File", f"The input file that holds {what}: a netscan CSV file or a file in another format."
    )


def _shipment_ids(description: str) -> Schema:
    return _texts("Shipment ids", description + " (the 'id' column of the declarations).")


# The finding and what it lists


def _definitions() -> dict[str, Schema]:
    return {
        "finding": _finding(),
        "owner": _owner(),
        "holding": _holding(),
        "director": _party(
            "Director",
            "An officer of the firm, from the officers file, in file order.",
            {
                "role": _text("Role", "The role as the officers file gives it.", null=True),
                "since": _date(
                    "Since", "When the officer took the role; null if not given.", null=True
                ),
            },
        ),
        "trade_party": _trade_party(),
        "sanctioned": _object(
            "Sanctioned party",
            "The firm, an owner, a director, a supplier or a buyer whose id is on the sanctions "
            "list (matches by name are under red_flags.sanctioned_parties).",
            {
                "role": _text(
                    "Role",
                    "How the party is tied to the firm.",
                    enum=["the firm itself", "owner", "director", "supplier", "buyer"],
                ),
                "id": _text("Id", "The party's registry id, as the sanctions list names it."),
                "name": _text("Name", "The party's name."),
                "programs": _texts(
                    "Programs",
                    "The sanctions programs that list it (e.g. 'EU 833/2014 Annex IV'); "
                    "'sanctions list' where the entry names none.",
                    minItems=1,
                ),
            },
        ),
        "evidence": _evidence(),
        "conflict": _conflict(),
        "red_flags": _red_flags(),
        **_indicators(),
    }


def _finding() -> Schema:
    most = len(CRITERIA) * POINTS_PER_CRITERION + POINTS_FOR_ALL_RED_FLAGS
    return _object(
        "Finding",
        "One firm of the registry, whether it meets each criterion, the records that show it, "
        "and its red flags.",
        {
            "id": _text("Id", "The firm's id in the registry (the 'id' column of companies)."),
            "name": _text("Name", "The firm's name as registered, any script."),
            "country": _country("Country", "The firm's country of registration."),
            "registration_number": _text(
                "Registration number",
                "BIN, INN, OGRN or other number; null if not given.",
                null=True,
            ),
            "registered_on": _date(
                "Registered on",
                "The registration date: from the registry, or read from the BIN (its month) or a "
                "Kyrgyz INN when the registry gives none; null if neither gives one.",
                null=True,
            ),
            "registered_on_source": _text(
                "Source of the registration date",
                "'registry', or the kind of identifier the date was read from (e.g. 'KZ BIN'); "
                "null when the date is unknown.",
                null=True,
            ),
            "russian_share": _number(
                "Russian share",
                "The highest combined share, in percent, that owners in the owner countries "
                "(--owner-country, default RU) held at one time while the firm traded, "
                "multiplying shares along each chain of holdings; a chain with a share unknown "
                "counts as 0. See 'owners' for the chains.",
                minimum=0,
            ),
            "owners": _list(
                {"$ref": "#/$defs/owner"},
                "Owners",
                "The owners in the owner countries and the chains of holdings through which they "
                "own the firm, in force while it traded.",
            ),
            "directors": _list({"$ref": "#/$defs/director"}, "Directors", "The firm's officers."),
            "suppliers": _list(
                {"$ref": "#/$defs/trade_party"},
                "Suppliers",
                "Exporters in the supplier countries (--suppliers, default the EU) that shipped "
                "to the firm, largest value first.",
            ),
            "buyers": _list(
                {"$ref": "#/$defs/trade_party"},
                "Buyers",
                "Importers in the buyer countries (--buyers, default RU) the firm shipped to, "
                "largest value first.",
            ),
            "hs_codes": _texts(
                "HS codes",
                "The goods of those shipments: Harmonised System codes as declared (digits only).",
                uniqueItems=True,
            ),
            "first_inbound": _date(
                "First inbound", "The first shipment from a supplier; null if none.", null=True
            ),
            "last_outbound": _date(
                "Last outbound", "The last shipment to a buyer; null if none.", null=True
            ),
            "criteria": _object(
                "Criteria",
                "Whether the firm meets each criterion of the pattern; a firm meeting all three "
                "is flagged.",
                {
                    NEWLY_REGISTERED: {
                        "type": "boolean",
                        "title": "Newly registered",
                        "description": "Registered on or after --registered-after (default "
                        f"{INVASION_DATE.isoformat()}, the invasion of Ukraine).",
                    },
                    RUSSIAN_OWNED: {
                        "type": "boolean",
                        "title": "Russian-owned",
                        "description": "'russian_share' is at least --min-russian-share "
                        f"(default {DEFAULT_MIN_RUSSIAN_SHARE:g}%).",
                    },
                    BETWEEN: {
                        "type": "boolean",
                        "title": "Between suppliers and buyers",
                        "description": "Registered in a --via country (default KZ), with "
                        "shipments from a supplier and to a buyer.",
                    },
                },
            ),
            "failed": _list(
                {"type": "string", "enum": list(CRITERIA)},
                "Failed criteria",
                "The criteria the firm does not meet; empty for a flagged firm.",
                uniqueItems=True,
            ),
            "sanctioned": _list(
                {"$ref": "#/$defs/sanctioned"},
                "Sanctioned parties",
                "The firm and the parties around it whose registry id is on the sanctions list.",
            ),
            "score": _number(
                "Score",
                f"What the findings are ranked by, 0 to {most:g}: {POINTS_PER_CRITERION:g} points "
                f"per criterion met, plus {POINTS_FOR_ALL_RED_FLAGS:g} × red_flags.score / the "
                f"most the red-flag weights allow ({_MOST_POINTS:g} with the default weights). A "
                "firm meeting more criteria always ranks higher; among firms meeting as many, "
                "the red flags decide.",
                minimum=0,
                maximum=most,
            ),
            "reasons": _texts(
                "Reasons",
                "Plain sentences for a report: one per criterion (in the order of 'criteria'), "
                "one per red flag that scored (with its points), and one per data conflict.",
            ),
            "evidence": _ref(
                "evidence", "Evidence", "The records behind the finding, to look up in the files."
            ),
            "red_flags": _ref(
                "red_flags",
                "Red flags",
                "The red-flag indicators of the firm, with the records each rests on.",
                null=True,
            ),
            "conflicts": _list(
                {"$ref": "#/$defs/conflict"},
                "Data conflicts",
                "Contradicting records that involve the firm, its owners and holdings, "
                "directors, suppliers or buyers: reasons to doubt the finding.",
            ),
        },
    )


def _owner() -> Schema:
    return _party(
        "Owner",
        "An owner in the owner countries (a person by nationality, a firm by country of "
        "registration) and one chain of holdings from it down to the firm.",
        {
            "share": _number(
                "Share",
                "The share of the firm held through this chain, in percent: the product of the "
                "shares along it; null when a share on it is unknown.",
                null=True,
            ),
            "chain": _list(
                {"$ref": "#/$defs/holding"},
                "Chain",
                "The holdings from the owner down to the firm, top first.",
                minItems=1,
            ),
            "arithmetic": _text(
                "Arithmetic",
                "How the share is found, e.g. '100% × 75% = 75%'; '?' for an unknown share.",
            ),
            "in_force_from": _date(
                "In force from",
                "The start of the time in which every holding of the chain was in force while the "
                "firm traded; null for no limit.",
                null=True,
            ),
            "in_force_until": _date(
                "In force until", "The end of that time; null for no limit.", null=True
            ),
        },
    )


def _holding() -> Schema:
    return _object(
        "Holding",
        "One record of the ownership file: an owner holds a share of a firm.",
        {
            "owner_id": _text("Owner id", "The owner, a person or firm id."),
            "owner_name": _text("Owner name", "The owner's name."),
            "owned_id": _text("Owned id", "The firm held."),
            "owned_name": _text("Owned name", "The firm's name."),
            "share": _number("Share", "Percent 0-100; null if unknown.", null=True),
            "since": _date("Since", "The start of the holding; null: always.", null=True),
            "until": _date("Until", "The end of the holding; null: still held.", null=True),
            "file": _file("the holding"),
            "line": _line("Line", "The holding's line in that file."),
        },
    )


def _trade_party() -> Schema:
    return _object(
        "Trade party",
        "A supplier or buyer of the firm and the shipments between them.",
        {
            "id": _text(
                "Id",
                "The party's registry id, when the declarations link it to a registry firm (by "
                "id or by name); null for a party known only by its name on the declarations.",
                null=True,
            ),
            "name": _text(
                "Name",
                "The registry name of a linked party, else the name on the declarations; null "
                "if they give none.",
                null=True,
            ),
            "country": _country("Country", "The party's country on the declarations."),
            "shipments": _integer("Shipments", "How many declarations.", minimum=1),
            "value_usd": _number(
                "Value (USD)", "Their total value; declarations without a value count as 0."
            ),
            "shipment_ids": _shipment_ids("The declarations"),
        },
    )


def _evidence() -> Schema:
    return _object(
        "Evidence",
        "Where the records behind the finding are.",
        {
            "company": _text(
                "Company record", "The firm's registry record, e.g. 'companies.csv line 12'."
            ),
            "ownership": _texts(
                "Ownership records",
                "The holdings on the owners' chains, e.g. 'ownership.csv line 7'.",
            ),
            "inbound_shipments": _shipment_ids("The shipments from suppliers"),
            "outbound_shipments": _shipment_ids("The shipments to buyers"),
        },
    )


def _conflict() -> Schema:
    return _object(
        "Data conflict",
        "Records that contradict each other. "
        f"'{DUPLICATE_ID}': an id given on two rows that differ (netscan uses the first); "
        f"'{OVER_OWNED}': a firm owned more than 100% at one time (shares through it may be "
        f"overstated); '{OWNERSHIP_CYCLE}': firms that own each other (shares through it may be "
        "understated).",
        {
            "kind": _text("Kind", "What contradicts.", enum=list(KINDS)),
            "ids": _texts("Ids", "The firms or persons involved.", minItems=1),
            "detail": _text("Detail", "What the records say, with the numbers."),
            "file": _text(
                "File", "The file(s) of the records, e.g. 'ownership.csv' or 'a.csv, b.xml'."
            ),
            "lines": _list(
                {"type": "integer", "minimum": 1}, "Lines", "The records' lines.", minItems=1
            ),
        },
    )


# The red flags


def _red_flags() -> Schema:
    indicators = {
        name: _ref(
            name,
            _INDICATOR_TITLES[name],
            _WHEN_NULL[name],
            null=True,
        )
        for name in INDICATORS
    }
    return _object(
        "Red flags",
        "The red flags regulators publish for diversion to Russia (FinCEN/BIS alerts of 2022 and "
        "2023, the Common High Priority Items list, G7 guidance of 2024), measured on the firm's "
        "records. Each indicator has a value from 0 to 1; its points are weight × value.",
        {
            "score": _number(
                "Red-flag score",
                "The sum of the indicators' points: 0 to the sum of the weights "
                f"({_MOST_POINTS:g} with the default weights; --weights changes them).",
                minimum=0,
            ),
            "firm_id": _text("Firm id", "The firm measured."),
            "firm_name": _text("Firm name", "Its name."),
            **indicators,
            "options": _options(),
        },
    )


_INDICATOR_TITLES = {
    PASS_THROUGH: "Pass-through",
    HIGH_PRIORITY_GOODS: "High-priority goods",
    SUPPLIER_REDIRECTION: "Supplier redirection",
    SPEED: "Speed",
    SANCTIONED_PARTIES: "Sanctioned parties",
    SHARED_PEOPLE_WITH_BUYER: "Shared people with a buyer",
    CLUSTERS: "Clusters",
    OWNERSHIP_CHANGES: "Ownership changes",
}
_ALWAYS = "Always measured for a firm assessed: value 0 when it did not fire."
_WHEN_NULL = {
    PASS_THROUGH: "Null when the firm has no shipments from suppliers.",
    HIGH_PRIORITY_GOODS: "Null when the firm has no shipments from suppliers or to buyers.",
    SUPPLIER_REDIRECTION: "Null when the firm has no shipments from suppliers or to buyers.",
    SPEED: "Null when the registration date is unknown or the firm has no shipments from "
    "suppliers or to buyers.",
    SANCTIONED_PARTIES: _ALWAYS,
    SHARED_PEOPLE_WITH_BUYER: _ALWAYS,
    CLUSTERS: _ALWAYS,
    OWNERSHIP_CHANGES: _ALWAYS,
}


def _indicator(name: str, description: str, properties: dict[str, Schema]) -> Schema:
    weight = DEFAULT_WEIGHTS.indicators[name]
    return _object(
        _INDICATOR_TITLES[name],
        description,
        {
            "weight": _number(
                "Weight", f"Points for a value of 1 ({weight:g} by default).", minimum=0
            ),
            "points": _number(
                "Points", "weight × value: the indicator's part of the score.", minimum=0
            ),
            "value": _number(
                "Value", "The indicator's strength, 0 (did not fire) to 1.", minimum=0, maximum=1
            ),
            **properties,
        },
    )


def _indicators() -> dict[str, Schema]:
    side = _object(
        "Party of the matches",
        "A supplier or buyer of the matched shipments.",
        {
            "id": _text("Id", "Registry id; null for a party known only by name.", null=True),
            "name": _text("Name", "Registry name, else the name on the declarations.", null=True),
            "country": _country("Country", "Country on the declarations."),
        },
    )
    return {
        PASS_THROUGH: _indicator(
            PASS_THROUGH,
            "Goods from suppliers that left again for buyers within the window as the same goods "
            "(same HS-6 code, or HS-4 with --match-level hs4), matched first in, first out: in "
            "quantities when all those shipments give one in the same unit, else in dollars. "
            "value = passed_value / inbound_value.",
            {
                "window_days": _integer(
                    "Window (days)",
                    f"Days within which goods must leave (--window-days, default "
                    f"{DEFAULT_WINDOW_DAYS}).",
                    minimum=0,
                ),
                "match_level": _text(
                    "Match level", "Digits of HS code that must agree.", enum=list(MATCH_LEVELS)
                ),
                "inbound_shipments": _integer(
                    "Inbound shipments", "Shipments from suppliers.", minimum=0
                ),
                "inbound_value": _number("Inbound value (USD)", "Their value."),
                "passed_value": _number(
                    "Passed value (USD)", "The inbound value matched to outbound shipments."
                ),
                "median_days": _number(
                    "Median days",
                    "Median days from arrival to departure; null if no match.",
                    null=True,
                ),
                "markup": _number(
                    "Markup",
                    "Outbound over inbound value of the goods matched in quantities, minus 1 "
                    "(0.3: sold 30% dearer); null if none was matched in quantities.",
                    null=True,
                ),
                "suppliers": _list(side, "Suppliers", "The suppliers whose goods left again."),
                "buyers": _list(side, "Buyers", "The buyers that received them."),
                "hs_codes": _texts("HS codes", "The HS-6 codes of the goods matched."),
                "pairs": _list(_pair(), "Matches", "Each inbound-outbound match."),
            },
        ),
        HIGH_PRIORITY_GOODS: _indicator(
            HIGH_PRIORITY_GOODS,
            "Trade in Common High Priority Items (the HS-6 codes the EU, US, UK and Japan list, "
            "by tier). value = the sum over tiers of tier factor × value, over trade_value.",
            {
                "trade_value": _number(
                    "Trade value (USD)", "All shipments from suppliers and to buyers."
                ),
                "by_tier": {
                    "type": "object",
                    "title": "By tier",
                    "description": "Value in US dollars of the listed goods per CHPL tier.",
                    "propertyNames": {"enum": list(CHPL_TIERS)},
                    "additionalProperties": {"type": "number"},
                },
                "codes": _list(
                    _object(
                        "Listed goods",
                        "One HS-6 code of the list that the firm traded.",
                        {
                            "hs": _text("HS code", "The HS-6 code."),
                            "tier": _text("Tier", "Its CHPL tier.", enum=list(CHPL_TIERS)),
                            "inbound_value": _number("Inbound value (USD)", "From suppliers."),
                            "outbound_value": _number("Outbound value (USD)", "To buyers."),
                            "shipment_ids": _shipment_ids("The shipments of these goods"),
                        },
                    ),
                    "Codes",
                    "The listed goods traded.",
                ),
            },
        ),
        SUPPLIER_REDIRECTION: _indicator(
            SUPPLIER_REDIRECTION,
            "Suppliers that shipped to a buyer directly before the invasion, then to the firm, "
            "which ships to that buyer. value = 1 if any.",
            {"redirections": _list(_redirection(), "Redirections", "Each supplier and buyer.")},
        ),
        SPEED: _indicator(
            SPEED,
            "How soon after registration the firm traded both ways. value = 1 up to 30 days "
            "from registration to the later of the first shipments from a supplier and to a "
            "buyer, falling to 0 at 365 days; 0 for trade before registration.",
            {
                "registered_on": _date("Registered on", "The firm's registration date."),
                "first_inbound": _date(
                    "First inbound", "The first shipment from a supplier; null if none.", null=True
                ),
                "first_outbound": _date(
                    "First outbound", "The first shipment to a buyer; null if none.", null=True
                ),
            },
        ),
        SANCTIONED_PARTIES: _indicator(
            SANCTIONED_PARTIES,
            "The firm, its suppliers, buyers, owners at any level and officers found on the "
            "sanctions list by id, or by name (same name key, compatible country and legal "
            "form). value = 1 if any.",
            {"hits": _list(_hit(), "Hits", "Each party and sanctions entry that match.")},
        ),
        SHARED_PEOPLE_WITH_BUYER: _indicator(
            SHARED_PEOPLE_WITH_BUYER,
            "Owners or officers of the firm (or of its owners) who own or direct one of its "
            "buyers, or a buyer that owns the firm. value = 1 if any.",
            {"links": _list(_shared(), "Links", "Each person or firm on both sides.")},
        ),
        CLUSTERS: _indicator(
            CLUSTERS,
            "Firms registered after the invasion within burst_days of the firm at the same "
            "address or with the same officer, and chains of transit firms. value = 1 with a "
            "burst, or a chain through two transit firms or more.",
            _cluster_properties(),
        ),
        OWNERSHIP_CHANGES: _indicator(
            OWNERSHIP_CHANGES,
            "Owners in the owner countries who left after the invasion with a successor taking "
            "over within a month ('exit'), or whose share fell to just below a threshold "
            "('drop'). value = 1 if any.",
            {"changes": _list(_change(), "Changes", "Each exit or drop.")},
        ),
    }


def _pair() -> Schema:
    return _object(
        "Match",
        "An inbound shipment whose goods (or part of them) left in an outbound shipment.",
        {
            "inbound_id": _text("Inbound shipment", "The shipment from the supplier."),
            "outbound_id": _text("Outbound shipment", "The shipment to the buyer."),
            "hs": _text("HS code", "The inbound goods, HS-6."),
            "outbound_hs": _text("Outbound HS code", "The outbound goods, HS-6."),
            "arrived": _date("Arrived", "The inbound shipment's date."),
            "left": _date("Left", "The outbound shipment's date."),
            "days": _integer("Days", "Days between them.", minimum=0),
            "basis": _text("Basis", "What was matched.", enum=["quantity", "value"]),
            "matched": _number("Matched", "The amount matched: units of quantity, or US dollars."),
            "inbound_value": _number("Inbound value (USD)", "The inbound value of the amount."),
            "outbound_value": _number("Outbound value (USD)", "The outbound value of the amount."),
            "quantity_ratio": _number(
                "Quantity ratio", "Outbound over inbound quantity; null if unknown.", null=True
            ),
            "value_ratio": _number(
                "Value ratio", "Outbound over inbound value; null if unknown.", null=True
            ),
            "markup": _number(
                "Markup", "Unit price out over unit price in, minus 1; null in dollars.", null=True
            ),
            "supplier_id": _text("Supplier id", "Registry id; null if unlinked.", null=True),
            "supplier": _text("Supplier", "The supplier's name.", null=True),
            "supplier_country": _country("Supplier country", "On the declaration."),
            "buyer_id": _text("Buyer id", "Registry id; null if unlinked.", null=True),
            "buyer": _text("Buyer", "The buyer's name.", null=True),
            "buyer_country": _country("Buyer country", "On the declaration."),
        },
    )


def _redirection() -> Schema:
    return _object(
        "Redirection",
        "A supplier that shipped to a buyer directly, then to the firm, which ships to the buyer.",
        {
            "supplier": _party("Supplier", "The supplier, a registry firm."),
            "buyer": _party("Buyer", "The buyer, a registry firm."),
            "last_direct": _date("Last direct", "Its last direct shipment before the invasion."),
            "last_direct_id": _text("Last direct id", "That shipment."),
            "direct_shipments": _integer("Direct shipments", "How many before.", minimum=1),
            "first_to_firm": _date("First to firm", "Its first shipment to the firm after."),
            "first_to_firm_id": _text("First to firm id", "That shipment."),
            "first_to_buyer": _date(
                "First to buyer", "The firm's first shipment to the buyer after that."
            ),
            "first_to_buyer_id": _text("First to buyer id", "That shipment."),
        },
    )


def _hit() -> Schema:
    return _object(
        "Sanctions hit",
        "A party around the firm and the sanctions entry it matches.",
        {
            "role": _text(
                "Role",
                "'the firm itself', 'supplier', 'buyer', 'owner (level N)' (N = 1 owns the firm "
                "directly), or an officer's role.",
            ),
            "id": _text("Id", "The party's registry id; null if unlinked.", null=True),
            "name": _text("Name", "The party's name.", null=True),
            "country": _text(
                "Country",
                "A firm's country or a person's nationalities; null if unknown.",
                null=True,
            ),
            "rule": _text(
                "Rule",
                "'entity_id': the entry names its id; 'name': same name.",
                enum=["entity_id", "name"],
            ),
            "sanctions_name": _text("Listed name", "The name on the entry.", null=True),
            "sanctions_country": _country("Listed country", "The entry's country.", null=True),
            "program": _text("Program", "The sanctions program.", null=True),
            "listed_on": _date("Listed on", "When listed.", null=True),
            "sanctions_file": _file("the sanctions entry"),
            "sanctions_line": _line("Sanctions line", "The entry's line in that file."),
        },
    )


def _shared() -> Schema:
    return _object(
        "Shared person",
        "A person or firm tied to both the firm and one of its buyers.",
        {
            "entity": _party("Person or firm", "Who is on both sides."),
            "at_firm": _text(
                "At the firm",
                "e.g. 'owner (level 1)', 'director', 'director of an owner (level 1)'.",
            ),
            "firm_file": _file("that tie"),
            "firm_line": _line("Firm line", "The tie's line in that file."),
            "buyer": _party("Buyer", "The buyer, a registry firm."),
            "at_buyer": _text(
                "At the buyer", "e.g. 'owner', 'owner of an owner', 'director', 'is the buyer'."
            ),
            "buyer_file": _text(
                "Buyer file",
                "The file of the tie to the buyer; null for 'is the buyer'.",
                null=True,
            ),
            "buyer_line": _line(
                "Buyer line", "Its line in that file; null for 'is the buyer'.", null=True
            ),
        },
    )


def _cluster_properties() -> dict[str, Schema]:
    firm = {
        "id": _text("Id", "The other firm's registry id."),
        "name": _text("Name", "Its name.", null=True),
        "registered_on": _date("Registered on", "Its registration date."),
    }
    return {
        "burst_days": _integer(
            "Burst (days)", "Firms registered this close together count as a burst.", minimum=0
        ),
        "same_address": _list(
            _object(
                "Firm at the same address",
                "Another firm registered within the burst at the same normalised address.",
                {
                    **firm,
                    "address": _text("Address", "Its address as registered."),
                    "file": _file("its registry record"),
                    "line": _line("Line", "Its line in that file."),
                },
            ),
            "Same address",
            "Firms registered in a burst at the firm's address.",
        ),
        "same_officer": _list(
            _object(
                "Firm with the same officer",
                "Another firm registered within the burst with one of the firm's officers.",
                {
                    **firm,
                    "officer": _text("Officer", "The officer's id."),
                    "officer_name": _text("Officer name", "The officer's name.", null=True),
                    "role": _text("Role", "The officer's role at the other firm."),
                    "file": _file("that officer record"),
                    "line": _line("Line", "Its line in that file."),
                },
            ),
            "Same officer",
            "Firms registered in a burst with the firm's officers.",
        ),
        "chains": _list(
            _object(
                "Trade chain",
                "Supplier -> transit firm(s) -> buyer, carrying the same goods, each leg leaving "
                "within the window after the one before.",
                {
                    "firms": _list(
                        _party("Chain member", "A firm on the chain, in order.", known=False),
                        "Firms",
                        "Supplier, transit firms, buyer.",
                        minItems=3,
                    ),
                    "transit_firms": _integer("Transit firms", "Firms between.", minimum=1),
                    "shipment_ids": _shipment_ids("The legs of the first chain found"),
                    "hs": _text("HS code", "The goods, at the match level."),
                    "chains_found": _integer(
                        "Chains found", "How many such chains, by shipments.", minimum=1
                    ),
                },
            ),
            "Chains",
            "Trade chains through the firm with up to --max-hops transit firms.",
        ),
    }


def _change() -> Schema:
    change = _object(
        "Ownership change",
        "An owner's exit or drop in the firm or in a firm above it.",
        {
            "kind": _text(
                "Kind",
                "'exit': the holding ended and another owner took over; 'drop': the share fell to "
                "just below a threshold.",
                enum=["exit", "drop"],
            ),
            "owner": _party("Owner", "The owner in the owner countries."),
            "company": _party("Company", "The firm held: the firm itself or one above it."),
            "share_before": _number("Share before", "Percent; null if unknown.", null=True),
            "share_after": _number(
                "Share after",
                "Percent: the successor's ('exit') or the owner's ('drop').",
                null=True,
            ),
            "until": _date("Until", "The end of the earlier holding.", null=True),
            "since": _date("Since", "The start of the later holding.", null=True),
            "records": _texts(
                "Records",
                "The earlier and the later holding, e.g. 'ownership.csv line 7'.",
                minItems=2,
                maxItems=2,
            ),
            "successor": _party("Successor", "Who took over ('exit' only)."),
            "threshold": _number("Threshold", "The threshold, in percent ('drop' only)."),
        },
        optional=("successor", "threshold"),
    )
    change["oneOf"] = [
        {"properties": {"kind": {"const": "exit"}}, "required": ["successor"],
         "not": {"required": ["threshold"]}},
        {"properties": {"kind": {"const": "drop"}}, "required": ["threshold"],
         "not": {"required": ["successor"]}},
    ]  # fmt: skip
    return change


def _options() -> Schema:
    countries = {"type": "string", "pattern": _COUNTRY}
    return _object(
        "Options",
        "What the red flags were measured with.",
        {
            "suppliers": _list(countries, "Supplier countries", "--suppliers, expanded."),
            "buyers": _list(countries, "Buyer countries", "--buyers, expanded."),
            "invasion": _date("Invasion", "The date before which trade counts as 'before'."),
            "window_days": _integer("Window (days)", "--window-days.", minimum=0),
            "match_level": _text("Match level", "--match-level.", enum=list(MATCH_LEVELS)),
            "max_hops": _integer("Max hops", "--max-hops.", minimum=1),
            "owner_countries": _list(countries, "Owner countries", "--owner-country, expanded."),
            "thresholds": _list(
                {"type": "number"},
                "Thresholds",
                "Shares, in percent, that ownership_changes watches (--min-russian-share and 50).",
            ),
            "burst_days": _integer("Burst (days)", "See clusters.", minimum=0),
        },
    )

"""Defaults and country groups: the one place where netscan's assumptions are written down."""

from __future__ import annotations

from datetime import date

# Russia's full-scale invasion of Ukraine; firms registered on or after it count as new.
INVASION_DATE = date(2022, 2, 24)

DEFAULT_MIN_RUSSIAN_SHARE = 25.0  # percent: the usual threshold for beneficial ownership
DEFAULT_VIA = ("KZ",)
DEFAULT_SUPPLIERS = ("EU",)
DEFAULT_BUYERS = ("RU",)
DEFAULT_OWNER_COUNTRIES = ("RU",)

# Ownership chains longer than this are not followed (real chains are rarely deeper than 6).
MAX_CHAIN_DEPTH = 10

# Red-flag indicators (graphkit/analysis/indicators.py)
DEFAULT_WINDOW_DAYS = 90  # days within which goods must leave again to count as passing through
DEFAULT_MATCH_LEVEL = "hs6"  # same goods: same HS-6 code (or hs4: same heading)
DEFAULT_MAX_HOPS = 1  # transit firms a trade chain may pass through

DEFAULT_REJECTS_FILE = "netscan-rejects.csv"

# The 27 member states of the European Union since 2020.
EU_MEMBERS = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
)  # fmt: skip

# Names a user may give instead of listing countries one by one.
COUNTRY_GROUPS: dict[str, tuple[str, ...]] = {"EU": EU_MEMBERS}

# Neo4j connection settings, read from the variables Neo4j's own tools use.
NEO4J_URI = "NEO4J_URI"
NEO4J_USERNAME = "NEO4J_USERNAME"
NEO4J_PASSWORD = "NEO4J_PASSWORD"  # the name of the variable; the password is never stored
NEO4J_DATABASE = "NEO4J_DATABASE"
DEFAULT_NEO4J_USERNAME = "neo4j"
DEFAULT_NEO4J_DATABASE = "neo4j"
NEO4J_BATCH_SIZE = 5000  # rows per write transaction (UNWIND) and ids per read

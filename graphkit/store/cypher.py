"""The Cypher registry: every query netscan sends lives in a file of the ``cypher/`` folder.

Each file starts with a header of comment lines::

    // name: load_companies
    // purpose: Create or update a batch of companies.
    // parameters: $rows
    // mode: write

followed by the statement (a ``schema`` file may hold several, each ending with ``;``).
Values only ever reach Cypher as parameters: ``run`` refuses a call whose parameters are not
exactly the ones the file declares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import graphkit
from graphkit.errors import NetscanError

MODES = ("read", "write", "schema")
HEADER = re.compile(r"^//\s*(name|purpose|parameters|mode):\s*(.*)$")


@dataclass(frozen=True)
class Query:
    name: str
    purpose: str
    parameters: frozenset[str]
    mode: str
    statements: tuple[str, ...]
    path: Path

    def check(self, params: dict[str, Any]) -> None:
        """Raise unless ``params`` are exactly the parameters the file declares."""
        given = set(params)
        if given != self.parameters:
            raise NetscanError(
                f"{self.path.name} takes {sorted(self.parameters)}, was given {sorted(given)}"
            )


def cypher_folder() -> Path:
    """``graphkit/cypher`` in an installed wheel; the repository's ``cypher/`` in a checkout."""
    package = Path(graphkit.__file__).parent
    for folder in (package / "cypher", package.parent / "cypher"):
        if folder.is_dir():
            return folder
    raise NetscanError(f"the Cypher files are missing: no cypher folder next to {package}")


def parse_query(path: Path) -> Query:
    header: dict[str, str] = {}
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = HEADER.match(line.strip())
        if match and not body:
            header[match.group(1)] = match.group(2).strip()
        elif line.strip() and not line.strip().startswith("//"):
            body.append(line)
    missing = {"name", "purpose", "parameters", "mode"} - header.keys()
    if missing or header["mode"] not in MODES or header["name"] != path.stem:
        raise NetscanError(f"{path}: bad header (missing {sorted(missing)} or wrong name/mode)")
    statements = tuple(s.strip() for s in "\n".join(body).split(";") if s.strip())
    declared = frozenset(re.findall(r"\$(\w+)", header["parameters"]))
    used = frozenset(re.findall(r"\$(\w+)", "\n".join(statements)))
    if declared != used:
        raise NetscanError(f"{path}: declares {sorted(declared)} but uses {sorted(used)}")
    return Query(header["name"], header["purpose"], declared, header["mode"], statements, path)


@cache
def queries() -> dict[str, Query]:
    """Every query of the cypher folder, by name."""
    return {p.stem: parse_query(p) for p in sorted(cypher_folder().glob("*.cypher"))}


def query(name: str) -> Query:
    return queries()[name]

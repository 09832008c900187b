"""What can go wrong, said so that the user can fix it.

The CLI turns these into one-line messages: exit code 2 for input the user must fix,
exit code 1 for everything else. Library code raises them and never prints.
"""

from __future__ import annotations

from pathlib import Path


class NetscanError(Exception):
    """Base class of every error netscan reports to the user."""

    exit_code = 1


class InputError(NetscanError):
    """Input that cannot be used as given: names the file, line and column and how to fix it."""

    exit_code = 2

    def __init__(
        self,
        problem: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        column: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.problem = problem
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        self.fix = fix
        super().__init__(self.message())

    def message(self) -> str:
        where = []
        if self.path is not None:
            where.append(str(self.path))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = f"{', '.join(where)}: {self.problem}" if where else self.problem
        if self.fix:
            text += f". {self.fix}"
        return text


class OptionError(InputError):
    """A command-line option or setting with a value netscan cannot use."""


class Neo4jUnavailable(NetscanError):
    """The Neo4j server cannot be reached or used: unreachable, wrong password, no database."""

"""Rows and values that could not be used: counted, explained and written out, never dropped."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

ROW_SKIPPED = "row skipped"
VALUE_IGNORED = "value ignored"
JOINED = "joined to another row"  # the same firm given in two files
NOT_MAPPED = "not mapped"  # a record of another format that has no place in netscan's model
COLUMNS = ["file", "line", "column", "value", "problem", "action", "record"]


@dataclass
class Rejects:
    """Collects rejected rows and values from every input file."""

    parts: list[pd.DataFrame] = field(default_factory=list)

    def add(
        self,
        file: str | pd.Series,
        rows: pd.DataFrame,
        *,
        column: str,
        values: pd.Series | str,
        problem: pd.Series | str,
        action: str,
    ) -> None:
        """Record ``rows`` (raw text rows with a ``line`` column) as rejected for one reason.

        ``file`` is the file of every row, or of each row when the rows come from several files.
        """
        if rows.empty:
            return
        data = rows.drop(columns="line")
        record = data.fillna("").astype(str).agg(",".join, axis=1)
        self.parts.append(
            pd.DataFrame(
                {
                    "file": file if isinstance(file, str) else file.astype(str).to_numpy(),
                    "line": rows["line"].to_numpy(),
                    "column": column,
                    "value": values if isinstance(values, str) else values.to_numpy(),
                    "problem": problem if isinstance(problem, str) else problem.to_numpy(),
                    "action": action,
                    "record": record.to_numpy(),
                }
            )
        )

    def add_lines(
        self, file: str, lines: list[tuple[int | None, str, str]], action: str = ROW_SKIPPED
    ) -> None:
        """Record rows that could not even be split into fields: (line, text, problem)."""
        if lines:
            frame = pd.DataFrame(lines, columns=["line", "record", "problem"])
            frame["file"], frame["column"], frame["value"] = file, "", ""
            frame["action"] = action
            self.parts.append(frame[COLUMNS])

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(columns=COLUMNS)
        frame = pd.concat(self.parts, ignore_index=True)
        return frame.sort_values(["file", "line"], kind="stable", ignore_index=True)

    def write(self, path: Path) -> None:
        self.frame().to_csv(path, index=False)

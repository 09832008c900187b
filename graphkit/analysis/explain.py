"""Everything netscan knows about one firm: the three criteria and the red-flag indicators."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from graphkit.analysis.indicators import RedFlags
from graphkit.analysis.intermediaries import (
    Criteria,
    Finding,
    find_intermediaries,
    measure_red_flags,
)
from graphkit.dataset import Dataset


@dataclass
class Explanation:
    finding: Finding | None  # None: the firm trades with no supplier or buyer country
    red_flags: RedFlags

    def to_dict(self) -> dict[str, Any]:
        finding = self.finding.to_dict() if self.finding else None
        if finding is not None:
            del finding["red_flags"]  # told once, below
        return {"finding": finding, "red_flags": self.red_flags.to_dict()}


def explain_firm(dataset: Dataset, firm_id: str, criteria: Criteria | None = None) -> Explanation:
    """The criteria ``find_intermediaries --all`` applies, and every indicator, for one firm.

    Raises OptionError for an id that names no firm.
    """
    criteria = replace(criteria or Criteria(), include_partial=True)
    found = find_intermediaries(dataset, criteria, firm_ids=[firm_id])
    if found and found[0].red_flags:
        return Explanation(found[0], found[0].red_flags)
    red_flags = measure_red_flags(dataset, [firm_id], criteria)[firm_id]
    return Explanation(None, red_flags)

"""Reference data shipped with netscan (graphkit/data/, origin and licence in its README)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@cache
def chpl_tiers() -> dict[str, str]:
    """HS-6 code -> tier (1, 2, 3A, 3B, 4A, 4B) of the Common High Priority Items list.

    >>> chpl_tiers()["854231"]
    '1'
    """
    with (DATA / "chpl_hs6_tiers.csv").open(encoding="utf-8") as handle:
        return {row["hs6"]: row["tier"] for row in csv.DictReader(handle)}

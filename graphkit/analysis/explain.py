"""Everything netscan knows about one firm: the three criteria and the red-flag indicators."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from graphkit.analysis.indicators import (
    DEFAULT_WEIGHTS,
    Indicators,
    Weights,
    compute_indicators,
    score_indicators,
)
from graphkit.analysis.intermediaries import Criteria, Finding, find_intermediaries
from graphkit.dataset import Dataset


@dataclass
class Explanation:
    finding: Finding | None  # None: the firm trades with no supplier or buyer country
    indicators: Indicators
    weights: Weights
    score: float  # the indicators' score, 0 to 100 with the default weights
    contributions: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "finding": self.finding.to_dict() if self.finding else None,
            "indicator_score": round(self.score, 2),
            "contributions": {k: round(v, 2) for k, v in self.contributions.items()},
            "indicators": self.indicators.to_dict(self.weights),
        }


def explain_firm(
    dataset: Dataset,
    firm_id: str,
    criteria: Criteria | None = None,
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    **indicator_options: Any,
) -> Explanation:
    """The criteria ``find_intermediaries --all`` applies, and every indicator, for one firm.

    ``indicator_options`` go to ``compute_indicators`` (window_days, match_level, max_hops).
    Raises OptionError for an id that names no firm.
    """
    criteria = replace(criteria or Criteria(), include_partial=True)
    indicators = compute_indicators(
        dataset,
        [firm_id],
        suppliers=criteria.suppliers,
        buyers=criteria.buyers,
        owner_countries=criteria.owner_countries,
        min_share=criteria.min_russian_share,
        **indicator_options,
    )[firm_id]
    finding = next((f for f in find_intermediaries(dataset, criteria) if f.id == firm_id), None)
    score, contributions = score_indicators(indicators, weights)
    return Explanation(finding, indicators, weights, score, contributions)

"""The shipped example dataset tells the story the README walks through."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from graphkit.analysis.intermediaries import Criteria, find_intermediaries
from graphkit.ingest.load import load_folder

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def loaded():
    return load_folder(EXAMPLES)


@pytest.fixture(scope="module")
def truth() -> pd.DataFrame:
    return pd.read_csv(EXAMPLES / "truth.csv", dtype=str, keep_default_na=False)


def test_examples_load_without_rejects(loaded) -> None:
    _, report = loaded
    assert report.skipped == 0 and report.values_ignored == 0


def test_default_run_flags_exactly_the_planted_intermediaries(loaded, truth) -> None:
    dataset, _ = loaded
    planted = set(truth.loc[truth["role"] == "intermediary", "id"])
    assert {f.id for f in find_intermediaries(dataset)} == planted


def test_each_decoy_fails_exactly_its_criterion_and_ranks_below_the_planted(loaded, truth) -> None:
    dataset, _ = loaded
    findings = {f.id: f for f in find_intermediaries(dataset, Criteria(include_partial=True))}
    decoys = truth[truth["role"] == "decoy"]
    for decoy in decoys.itertuples():
        assert findings[decoy.id].failed == [decoy.fails], decoy.note
    lowest_planted = min(f.score for f in findings.values() if f.flagged)
    assert all(findings[d].score < lowest_planted for d in decoys["id"])


def test_cyprus_chain_is_explained(loaded) -> None:
    dataset, _ = loaded
    finding = next(f for f in find_intermediaries(dataset) if f.id == "KZ-001")
    assert finding.russian_share == pytest.approx(75.0)
    assert "through Meridian Holdings Ltd (100% × 75% = 75%)" in finding.reasons[1]

"""End to end on synthetic worlds: the planted firms are found and no decoy or look-alike is."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from graphkit.analysis.intermediaries import Criteria, find_intermediaries
from graphkit.generate import generate_world
from graphkit.ingest.load import load_folder


@pytest.fixture(scope="module", params=[3, 17])
def world(request, tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    folder = tmp_path_factory.mktemp(f"world{request.param}")
    generate_world(folder, firms=3000, shipments=30000, seed=request.param)
    truth = pd.read_csv(folder / "truth.csv", dtype=str, keep_default_na=False)
    return folder, truth


def test_default_run_flags_planted_firms_and_no_decoy(world) -> None:
    folder, truth = world
    dataset, report = load_folder(folder)
    flagged = {f.id for f in find_intermediaries(dataset)}
    planted = truth[truth["role"] == "intermediary"]
    with_ids = set(planted.loc[planted["ids_on_shipments"] == "true", "id"])
    assert with_ids <= flagged
    assert flagged <= set(planted["id"]), "a decoy, look-alike or background firm was flagged"
    assert report.skipped == 0


def test_spelling_variants_on_shipments_still_find_the_planted_firm(world) -> None:
    folder, truth = world
    dataset, _ = load_folder(folder)
    by_name_only = truth[(truth["role"] == "intermediary") & (truth["ids_on_shipments"] == "false")]
    assert len(by_name_only) >= 1
    flagged = {f.id for f in find_intermediaries(dataset)}
    assert set(by_name_only["id"]) <= flagged
    shipments = dataset.shipments
    for firm in by_name_only.itertuples():
        variants = firm.note.split("names on shipments: ")[1].split(" | ")
        for side in ("exporter", "importer"):
            carried = shipments[shipments[f"{side}_name"].isin(variants)]
            assert not carried.empty
            assert set(carried[f"{side}_key"].dropna()) <= {firm.id}, "linked to another firm"


def test_all_ranks_planted_above_decoys_each_failing_its_criterion(world) -> None:
    folder, truth = world
    dataset, _ = load_folder(folder)
    findings = {f.id: f for f in find_intermediaries(dataset, Criteria(include_partial=True))}
    decoys = truth[truth["role"] == "decoy"]
    for decoy in decoys.itertuples():
        assert findings[decoy.id].failed == [decoy.fails], decoy.note
    planted_scores = [findings[i].score for i in truth.loc[truth["role"] == "intermediary", "id"]]
    assert min(planted_scores) > max(findings[d].score for d in decoys["id"])


def test_planted_firms_show_pass_through_and_outrank_background_traders(world) -> None:
    """Among firms meeting all three criteria, the red flags put the planted ones first."""
    folder, truth = world
    dataset, _ = load_folder(folder)
    findings = find_intermediaries(dataset, Criteria(include_partial=True))
    planted = set(truth.loc[truth["role"] == "intermediary", "id"])
    for finding in findings:
        if finding.id in planted:
            assert finding.red_flags is not None
            assert finding.red_flags.contributions["pass_through"] > 0, finding.id
            assert any("[pass-through:" in reason for reason in finding.reasons)
    ranks = [i for i, f in enumerate(findings) if f.id in planted]
    assert ranks == list(range(len(ranks))), "a firm that is not planted ranks among them"

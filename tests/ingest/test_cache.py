"""The cache of loaded folders: a second run reuses it, any change to the inputs refreshes it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from graphkit.ingest.cache import FRAMES, load_folder_cached, wait_for_writes
from graphkit.ingest.load import load_folder

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLES, tmp_path / "data"))


def assert_same(left, right) -> None:
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(left, name), getattr(right, name))


def test_second_load_comes_from_the_cache_and_equals_a_fresh_load(data, tmp_path) -> None:
    cache = tmp_path / "cache"
    first, _, hit = load_folder_cached(data, None, cache)
    assert not hit
    second, report, hit = load_folder_cached(data, None, cache)
    assert hit
    fresh, fresh_report = load_folder(data)
    assert_same(second, fresh)
    assert_same(first, fresh)
    assert report.counts == fresh_report.counts
    assert report.linked_parties == fresh_report.linked_parties
    pd.testing.assert_frame_equal(report.matches, fresh_report.matches)
    pd.testing.assert_frame_equal(report.rejects.frame(), fresh_report.rejects.frame())


def test_the_entry_is_written_whole_while_the_caller_goes_on(data, tmp_path) -> None:
    cache = tmp_path / "cache"
    load_folder_cached(data, None, cache)
    wait_for_writes()
    [entry] = cache.iterdir()  # no staging folder left behind
    stored = {path.name for path in entry.iterdir()}
    assert stored == {f"{name}.arrow" for name in (*FRAMES, "rejects", "matches")} | {
        "report.json",
        "fingerprint.json",
    }


@pytest.mark.parametrize("change", ["edit", "same_size_edit", "add", "remove"])
def test_any_change_to_the_inputs_refreshes_the_cache(data, tmp_path, change) -> None:
    cache = tmp_path / "cache"
    aside = tmp_path / "sanctions.csv"
    if change == "add":
        (data / "sanctions.csv").rename(aside)
    load_folder_cached(data, None, cache)
    companies = data / "companies.csv"
    text = companies.read_text(encoding="utf-8")
    if change == "edit":
        companies.write_text(text.replace("Степь Электроникс", "Степь Электроникс 2"), "utf-8")
    elif change == "same_size_edit":  # same size, written within the same clock tick
        companies.write_text(text.replace("2022-04-12", "2021-04-12"), encoding="utf-8")
    elif change == "add":
        aside.rename(data / "sanctions.csv")
    else:
        (data / "officers.csv").unlink()
    dataset, _, hit = load_folder_cached(data, None, cache)
    assert not hit
    assert_same(dataset, load_folder(data)[0])


def test_rejects_and_decisions_survive_the_cache(data, tmp_path) -> None:
    with (data / "shipments.csv").open("a", encoding="utf-8") as file:
        file.write("S-BAD,not a date,DE-001,X,DE,KZ-001,Y,KZ,854231,,1,1,pcs\n")
    cache = tmp_path / "cache"
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("name,country,decision,company_id\n", encoding="utf-8")
    _, fresh, _ = load_folder_cached(data, decisions, cache)
    _, cached, hit = load_folder_cached(data, decisions, cache)
    assert hit and cached.skipped == fresh.skipped == 1
    pd.testing.assert_frame_equal(cached.rejects.frame(), fresh.rejects.frame())
    decisions.write_text("name,country,decision,company_id\nX,DE,different,\n", encoding="utf-8")
    assert not load_folder_cached(data, decisions, cache)[2]


def test_ids_given_twice_with_different_names_survive_the_cache(data, tmp_path) -> None:
    with (data / "companies.csv").open("a", encoding="utf-8") as file:
        file.write("KZ-001,ТОО «Другая»,KZ,220440901788,2022-04-12,,\n")
    cache = tmp_path / "cache"
    fresh = load_folder_cached(data, None, cache)[0]
    cached, _, hit = load_folder_cached(data, None, cache)
    assert hit
    assert cached.duplicate_ids[["id", "column", "value"]].values.tolist() == [
        ["KZ-001", "name", "ТОО «Другая»"]
    ]
    pd.testing.assert_frame_equal(cached.duplicate_ids, fresh.duplicate_ids)


def test_cli_says_when_it_used_the_cache_and_prints_the_same(data, tmp_path) -> None:
    runner = CliRunner()
    args = ["find-intermediaries", "--data", str(data), "--cache-dir", str(tmp_path / "c")]
    first, second = runner.invoke(cli, args), runner.invoke(cli, args)
    assert first.exit_code == second.exit_code == 0
    assert "Read from the cache" not in first.stderr and "Read from the cache" in second.stderr
    assert first.stdout == second.stdout
    no_cache = runner.invoke(cli, [*args, "--no-cache"])
    assert "Read from the cache" not in no_cache.stderr and no_cache.stdout == first.stdout


def test_a_broken_cache_is_bypassed_not_fatal(data, tmp_path) -> None:
    cache = tmp_path / "cache"
    load_folder_cached(data, None, cache)
    wait_for_writes()
    [entry] = cache.iterdir()
    (entry / "shipments.arrow").write_bytes(b"not arrow")
    dataset, _, hit = load_folder_cached(data, None, cache)
    assert not hit
    assert_same(dataset, load_folder(data)[0])
    assert load_folder_cached(data, None, cache)[2]  # and it was rewritten

"""The command line: exit codes, messages on stderr, clean data on stdout."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from builders import EU_SUPPLIER, RU_BUYER, shipment
from click.testing import CliRunner

from graphkit.cli import cli

KZ_FIRM = {"id": "KZ1", "name": "ТОО «Алтын Трейд»", "country": "KZ", "registered_on": "2022-04-01"}
TABLES = {
    "companies": [KZ_FIRM, EU_SUPPLIER, RU_BUYER],
    "persons": [{"id": "P1", "name": "Иванов Иван", "nationality": "RU"}],
    "ownership": [{"owner_id": "P1", "owned_id": "KZ1", "share": "51%"}],
    "shipments": [
        shipment("2022-05-01", "DE1", "DE", "KZ1", "KZ"),
        shipment("2022-05-20", "KZ1", "KZ", "RU1", "RU"),
    ],
}


def run(*args: str | Path):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def folder(write_dataset) -> Path:
    return write_dataset(**TABLES)


def test_json_on_stdout_summary_on_stderr(folder: Path, tmp_path: Path) -> None:
    result = run(
        "find-intermediaries",
        "--data",
        folder,
        "--format",
        "json",
        "--rejects",
        tmp_path / "rejects.csv",
    )
    assert result.exit_code == 0, result.output
    [finding] = json.loads(result.stdout)
    expected_keys = {
        "id",
        "name",
        "country",
        "registration_number",
        "registered_on",
        "russian_share",
        "owners",
        "suppliers",
        "buyers",
        "hs_codes",
        "first_inbound",
        "last_outbound",
        "score",
        "reasons",
    }
    assert expected_keys <= finding.keys()
    assert finding["id"] == "KZ1" and finding["russian_share"] == 51.0
    assert "Loaded 3 companies, 1 persons, 1 ownership links, 2 shipments." in result.stderr
    assert "1 firms flagged, 1 listed." in result.stderr


def test_table_is_the_default_and_quiet_silences_stderr(folder: Path, tmp_path: Path) -> None:
    result = run("find-intermediaries", "--data", folder, "--quiet")
    assert result.exit_code == 0
    assert result.stdout.startswith("1. ТОО «Алтын Трейд»  [KZ1, KZ]")
    assert "FLAGGED" in result.stdout
    assert result.stderr == ""


def test_csv_to_a_file(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "findings.csv"
    result = run("find-intermediaries", "--data", folder, "--format", "csv", "--out", out)
    assert result.exit_code == 0 and result.stdout == ""
    [row] = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert row["id"] == "KZ1" and row["flagged"] == "True"
    assert row["suppliers"] == "Halbleiter GmbH (DE1, DE)"


def test_options_reach_the_analysis(folder: Path) -> None:
    none = run(
        "find-intermediaries",
        "--data",
        folder,
        "--format",
        "json",
        "--registered-after",
        "01.01.2023",
        "--quiet",
    )
    assert json.loads(none.stdout) == []
    partial = run(
        "find-intermediaries",
        "--data",
        folder,
        "--format",
        "json",
        "--min-russian-share",
        "60",
        "--all",
        "--quiet",
    )
    assert json.loads(partial.stdout)[0]["failed"] == ["russian_owned"]
    elsewhere = run(
        "find-intermediaries",
        "--data",
        folder,
        "--format",
        "json",
        "--via",
        "Kyrgyzstan",
        "--suppliers",
        "EU",
        "--buyers",
        "RU,BY",
        "--quiet",
    )
    assert json.loads(elsewhere.stdout) == []


def test_rejected_rows_are_counted_and_written(write_dataset, tmp_path: Path) -> None:
    tables = TABLES | {
        "ownership": [
            *TABLES["ownership"],
            {"owner_id": "P404", "owned_id": "KZ1", "share": "10"},
            {"owner_id": "P1", "owned_id": "KZ1", "share": "200"},
        ]
    }
    folder = write_dataset(**tables)
    rejects = tmp_path / "rejects.csv"
    result = run("find-intermediaries", "--data", folder, "--rejects", rejects)
    assert result.exit_code == 0
    assert (
        f"Skipped 2 rows and ignored 0 unreadable values; each is listed with its reason in "
        f"{rejects}" in result.stderr
    )
    rows = list(csv.DictReader(io.StringIO(rejects.read_text(encoding="utf-8"))))
    assert [(Path(r["file"]).name, r["line"], r["column"]) for r in rows] == [
        ("ownership.csv", "3", "owner_id"),
        ("ownership.csv", "4", "share"),
    ]


def test_default_rejects_file_only_when_something_was_rejected(
    write_dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("find-intermediaries", "--data", write_dataset(**TABLES), "--quiet").exit_code == 0
    assert not Path("netscan-rejects.csv").exists()
    bad = TABLES | {"ownership": [{"owner_id": "P404", "owned_id": "KZ1"}]}
    result = run("find-intermediaries", "--data", write_dataset("bad", **bad))
    assert "listed with its reason in netscan-rejects.csv" in result.stderr
    assert "P404" in Path("netscan-rejects.csv").read_text(encoding="utf-8")


def test_bad_options_exit_2(folder: Path) -> None:
    via = run("find-intermediaries", "--data", folder, "--via", "Atlantis")
    assert via.exit_code == 2 and "'Atlantis' is not a country" in via.stderr
    day = run("find-intermediaries", "--data", folder, "--registered-after", "24/02/2022")
    assert day.exit_code == 2
    assert "--registered-after '24/02/2022' is not a date. Use YYYY-MM-DD or" in day.stderr


def test_an_exported_neo4j_uri_does_not_stop_a_run_on_a_data_folder(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:9")
    result = run("find-intermediaries", "--data", folder, "--quiet")
    assert result.exit_code == 0 and "FLAGGED" in result.stdout
    both = run("find-intermediaries", "--data", folder, "--neo4j", "bolt://127.0.0.1:9")
    assert both.exit_code == 2 and "give either --data DIR or --neo4j URI" in both.stderr


def test_unwritable_output_is_an_error_not_a_traceback(folder: Path, tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    result = run("find-intermediaries", "--data", folder, "--out", tmp_path / "taken", "--quiet")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")


def test_generate_writes_a_world_find_intermediaries_reads(tmp_path: Path) -> None:
    out = tmp_path / "world"
    result = run("generate", "--out", out, "--firms", "600", "--shipments", "6000", "--seed", "2")
    assert result.exit_code == 0, result.output
    assert "companies.csv: 600 rows" in result.stdout
    found = run("find-intermediaries", "--data", out, "--format", "json", "--quiet")
    truth = (out / "truth.csv").read_text(encoding="utf-8")
    assert {f["id"] for f in json.loads(found.stdout)} == {
        line.split(",")[0] for line in truth.splitlines() if ",intermediary," in line
    }


def test_generate_refuses_a_world_too_small(tmp_path: Path) -> None:
    result = run("generate", "--out", tmp_path / "w", "--firms", "10")
    assert result.exit_code == 2
    assert "--firms must be at least 500" in result.stderr


EUROSTAT = (
    Path(__file__).parents[2]
    / "shared"
    / "reference"
    / "eurostat_ds045409_eu_exports_chpl_cn8_2020-2022.csv.gz"
)


def test_trade_flows_on_the_eurostat_extract(tmp_path: Path) -> None:
    out = tmp_path / "trade"
    result = run(
        "trade-flows",
        "--flows",
        EUROSTAT,
        "--out",
        out,
        "--level",
        "chpl",
        "--currency",
        "EUR",
        "--quiet",
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((out / "trade_flows_totals.csv").read_text("utf-8"))))
    assert {r["transit"] for r in rows} >= {"KZ", "KG", "AM"}
    assert (out / "trade_flows.html").read_text("utf-8").count("<img") >= 2


def test_trade_flows_needs_exactly_one_source(folder: Path, tmp_path: Path) -> None:
    both = run("trade-flows", "--flows", EUROSTAT, "--data", folder, "--out", tmp_path)
    assert both.exit_code == 2 and "not both" in both.stderr
    bad = run("trade-flows", "--flows", EUROSTAT, "--out", tmp_path, "--column", "reporter")
    assert bad.exit_code == 2 and "is not FIELD=HEADER" in bad.stderr


EXAMPLES = Path(__file__).parent.parent / "examples"


def test_maps_case_files_and_gephi_exports_of_the_findings(tmp_path: Path) -> None:
    result = run(
        "find-intermediaries",
        "--data",
        EXAMPLES,
        "--maps",
        tmp_path / "maps",
        "--report",
        tmp_path / "cases",
        "--gephi",
        tmp_path / "gephi",
    )
    assert result.exit_code == 0, result.output
    planted = {"KZ-001", "KZ-003", "KZ-005", "KZ-008"}
    assert {p.name for p in (tmp_path / "maps").iterdir()} == {f"{i}.html" for i in planted} | {
        "overview.html"
    }
    assert {p.name for p in (tmp_path / "cases").iterdir()} == {f"{i}.case.html" for i in planted}
    assert len(list((tmp_path / "gephi").glob("*.gexf"))) == 5
    assert "Wrote 5 maps to" in result.stderr
    page = (tmp_path / "maps" / "KZ-001.html").read_text("utf-8")
    assert "Meridian Holdings Ltd" in page and "How to read this map" in page


def test_map_command_draws_a_neighbourhood_or_says_the_id_is_unknown(tmp_path: Path) -> None:
    drawn = run(
        "map",
        "--data",
        EXAMPLES,
        "--focus",
        "KZ-005",
        "--depth",
        "2",
        "--out",
        tmp_path / "kz5.html",
        "--quiet",
    )
    assert drawn.exit_code == 0 and "Arys Trade LLP" in (tmp_path / "kz5.html").read_text("utf-8")
    unknown = run("map", "--data", EXAMPLES, "--focus", "NOPE", "--out", tmp_path / "x.html")
    assert unknown.exit_code == 2 and "'NOPE' is not the id of a firm or a person" in unknown.stderr


def test_explain_shows_criteria_and_each_red_flag_with_its_points(tmp_path: Path) -> None:
    text = run("explain", "KZ-001", "--data", EXAMPLES, "--quiet")
    assert text.exit_code == 0, text.output
    assert "FLAGGED" in text.stdout
    assert "pass_through: 25 x 1.00 = 25.0" in text.stdout
    assert "Supplier redirected after the invasion" in text.stdout
    as_json = json.loads(
        run("explain", "KZ-009", "--data", EXAMPLES, "--format", "json", "--quiet").stdout
    )
    assert as_json["finding"]["failed"] == ["russian_owned"]
    red_flags = as_json["red_flags"]
    assert red_flags["pass_through"]["points"] == 25.0
    assert red_flags["sanctioned_parties"] == {
        "weight": 15.0,
        "points": 0.0,
        "value": 0.0,
        "hits": [],
    }
    assert as_json["finding"]["score"] == round(2 * 30 + red_flags["score"] / 10, 2)
    weights = tmp_path / "weights.toml"
    weights.write_text("[weights]\npass_through = 50\n")
    heavier = run("explain", "KZ-001", "--data", EXAMPLES, "--weights", weights, "--quiet")
    assert "pass_through: 50 x 1.00 = 50.0" in heavier.stdout


def test_explain_unknown_firm_or_bad_weights_exit_2(tmp_path: Path) -> None:
    unknown = run("explain", "NOPE", "--data", EXAMPLES, "--quiet")
    assert unknown.exit_code == 2 and unknown.stderr.startswith("Error: ")
    weights = tmp_path / "weights.toml"
    weights.write_text("[weights]\npass_thru = 5\n")
    bad = run("explain", "KZ-001", "--data", EXAMPLES, "--weights", weights, "--quiet")
    assert bad.exit_code == 2 and "pass_thru" in bad.stderr


def test_same_input_and_options_give_byte_identical_json(tmp_path: Path) -> None:
    """Two separate runs, with different hash seeds, write the same bytes."""
    generate = run("generate", "--out", tmp_path / "w", "--firms", "600", "--shipments", "6000")
    assert generate.exit_code == 0
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"findings{seed}.json"
        command = [
            sys.executable,
            "-c",
            "from graphkit.cli import main; main()",
            "find-intermediaries",
            "--data",
            str(tmp_path / "w"),
            "--all",
            "--format",
            "json",
            "--out",
            str(out),
            "--quiet",
        ]
        subprocess.run(command, check=True, env=os.environ | {"PYTHONHASHSEED": seed})
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and len(json.loads(outputs[0])) > 6

"""netscan at national scale: wall time and peak memory against the time to merely read the files.

    python benchmarks/benchmark.py                      # 1M firms, 10M shipments, 1/8 .. 1/1
    python benchmarks/benchmark.py --firms 10000 --shipments 100000 --fractions 1 --runs 1

For each world size (a fraction of --firms and --shipments) it generates a synthetic world with
``netscan generate`` (or reuses the one in --worlds), then runs each step in a fresh process,
--runs times, and prints the median wall time and peak resident memory of each:

- ``pyarrow read``: pyarrow.csv reads every input file, the floor nothing can beat;
- ``first run``: ``netscan find-intermediaries --data DIR --format json``, cache emptied;
- ``second run``: the same command again, the inputs unchanged, so it reads netscan's cache.

It then checks the findings (exit code 1 if they are wrong): every planted intermediary whose
shipments carry ids is flagged, nothing else is, and each planted firm's finding is the same
as in a small world holding only the planted firms' own records (so scale changes nothing).

With --neo4j it also loads a small world into ArcadeDB's Bolt server (the test server, see
tests/store/conftest.py) with and without the neo4j-rust-ext codec and reports rows per second.
Needs the test extra: pip install -e '.[test]'.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ("companies", "persons", "ownership", "officers", "shipments", "sanctions")
FLOOR = "import sys, pyarrow.csv as csv\nfor path in sys.argv[1:]:\n    csv.read_csv(path)\n"
NO_RUST = "import sys; sys.modules['neo4j._rust'] = None\n"  # neo4j falls back to pure Python
NETSCAN = "import sys; from graphkit.cli import main; sys.argv[0] = 'netscan'; main()\n"


@dataclass
class Measure:
    seconds: float
    peak_bytes: int


def run(command: list[str], env: dict[str, str] | None = None) -> Measure:
    """Run a command in a fresh process; its wall time and the peak RSS of that process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    return Measure(seconds, usage.ru_maxrss * 1024)


def world_folder(worlds: Path, firms: int, shipments: int, seed: int) -> Path:
    folder = worlds / f"firms{firms}-shipments{shipments}-seed{seed}"
    if not (folder / "truth.csv").is_file():
        print(f"generating {folder} ...", file=sys.stderr, flush=True)
        subprocess.run(
            [sys.executable, "-c", NETSCAN, "generate", "--out", str(folder),
             "--firms", str(firms), "--shipments", str(shipments), "--seed", str(seed)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return folder


def count_rows(folder: Path) -> int:
    rows = 0
    for name in INPUTS:
        with (folder / f"{name}.csv").open("rb") as file:
            rows += sum(block.count(b"\n") for block in iter(lambda: file.read(1 << 24), b"")) - 1
    return rows


def measure_world(folder: Path, runs: int, scratch: Path) -> dict[str, list[Measure]]:
    files = [str(folder / f"{name}.csv") for name in INPUTS]
    cache = scratch / "cache"
    out = scratch / "findings.json"
    find = [sys.executable, "-c", NETSCAN, "find-intermediaries", "--data", str(folder),
            "--format", "json", "--out", str(out), "--cache-dir", str(cache), "--quiet",
            "--rejects", str(scratch / "rejects.csv")]  # fmt: skip
    steps: dict[str, list[Measure]] = {"pyarrow read": [], "first run": [], "second run": []}
    for _ in range(runs):
        steps["pyarrow read"].append(run([sys.executable, "-c", FLOOR, *files]))
        shutil.rmtree(cache, ignore_errors=True)
        steps["first run"].append(run(find))
        steps["second run"].append(run(find))
    return steps


def check_findings(folder: Path, findings: list[dict[str, Any]], scratch: Path) -> list[str]:
    """What is wrong with the findings of a generated world (an empty list: nothing)."""
    truth = pd.read_csv(folder / "truth.csv", dtype=str, keep_default_na=False)
    planted = truth[truth["role"] == "intermediary"]
    flagged = {f["id"] for f in findings}
    with_ids = set(planted.loc[planted["ids_on_shipments"] == "true", "id"])
    problems = [f"planted firm not flagged: {i}" for i in sorted(with_ids - flagged)]
    problems += [f"flagged but not planted: {i}" for i in sorted(flagged - set(planted["id"]))]
    small = scratch / "small-world"
    write_small_world(folder, findings, small, scratch / "cache")
    small_findings = netscan_findings(small, scratch)
    problems += compare(findings, small_findings)
    return problems


def netscan_findings(folder: Path, scratch: Path) -> list[dict[str, Any]]:
    out = scratch / "small-findings.json"
    subprocess.run(
        [sys.executable, "-c", NETSCAN, "find-intermediaries", "--data", str(folder),
         "--format", "json", "--out", str(out), "--no-cache", "--quiet",
         "--rejects", str(scratch / "small-rejects.csv")],
        check=True,
    )  # fmt: skip
    result: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))
    return result


def write_small_world(folder: Path, findings: list[dict[str, Any]], out: Path, cache: Path) -> None:
    """The planted firms' own records only: their shipments, owners, officers and parties.

    Written from the parsed and linked large world (read back from the runs' cache), so that
    declarations without an id keep the id netscan derived for them.
    """
    from graphkit.ingest.cache import load_folder_cached
    from graphkit.model import TABLES

    dataset, _, _ = load_folder_cached(folder, None, cache)
    shipment_ids = {
        i
        for f in findings
        for i in f["evidence"]["inbound_shipments"] + f["evidence"]["outbound_shipments"]
    }
    # "ownership.csv line 12": a generated world has one ownership file
    ownership_lines = {
        int(record.rsplit(" ", 1)[1]) for f in findings for record in f["evidence"]["ownership"]
    }
    firms = {f["id"] for f in findings}
    counterparties = {p["id"] for f in findings for p in f["suppliers"] + f["buyers"] if p["id"]}
    ownership = dataset.ownership[dataset.ownership["line"].isin(ownership_lines)]
    officers = dataset.officers[dataset.officers["company_id"].isin(firms)]
    parties = (
        firms | counterparties
        | set(ownership["owner_id"]) | set(ownership["owned_id"]) | set(officers["person_id"])
    )  # fmt: skip
    small = {
        "companies": dataset.companies[dataset.companies["id"].isin(parties)],
        "persons": dataset.persons[dataset.persons["id"].isin(parties)],
        "ownership": ownership,
        "officers": officers,
        "shipments": dataset.shipments[dataset.shipments["id"].isin(shipment_ids)],
        "sanctions": dataset.sanctions,
    }
    out.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        columns = [c.name for c in table.columns]
        small[table.name][columns].to_csv(out / table.filename, index=False)


def compare(large: list[dict[str, Any]], small: list[dict[str, Any]]) -> list[str]:
    """Differences between the findings of the planted firms in both worlds."""

    def essentials(finding: dict[str, Any]) -> dict[str, Any]:
        def parties(role: str) -> list[tuple[Any, ...]]:
            return sorted(
                (p["id"] or "", p["country"], tuple(p["shipment_ids"])) for p in finding[role]
            )

        return {
            "criteria": finding["criteria"],
            "russian_share": finding["russian_share"],
            "owners": sorted((o["id"], o["share"]) for o in finding["owners"]),
            "suppliers": parties("suppliers"),
            "buyers": parties("buyers"),
            "hs_codes": finding["hs_codes"],
        }

    at_scale = {f["id"]: essentials(f) for f in large}
    alone = {f["id"]: essentials(f) for f in small}
    problems = [f"flagged only in the small world: {i}" for i in sorted(set(alone) - set(at_scale))]
    for firm, finding in sorted(at_scale.items()):
        if alone.get(firm) != finding:
            problems.append(f"{firm} differs from the small world: {alone.get(firm)} != {finding}")
    return problems


def neo4j_rates(worlds: Path, firms: int, shipments: int, seed: int) -> dict[str, float]:
    """Rows per second that ``netscan load`` writes into ArcadeDB's Bolt server."""
    sys.path.insert(0, str(ROOT / "tests" / "store"))
    from conftest import ARCADEDB_DATABASE, start_arcadedb  # the tests' server launcher

    folder = world_folder(worlds, firms, shipments, seed)
    rows = count_rows(folder)
    rates = {}
    for label, prelude in (("with neo4j-rust-ext", ""), ("pure Python codec", NO_RUST)):
        with tempfile.TemporaryDirectory(prefix="netscan-bolt-") as root:
            server = start_arcadedb(Path(root))
            try:
                env = os.environ | {"NEO4J_PASSWORD": server.password}
                load = [sys.executable, "-c", prelude + NETSCAN, "load", "--data", str(folder),
                        "--neo4j", server.uri, "--neo4j-user", server.user,
                        "--neo4j-database", ARCADEDB_DATABASE, "--quiet", "--no-cache"]  # fmt: skip
                rates[label] = rows / run(load, env).seconds
            finally:
                server.stop()
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--firms", type=int, default=1_000_000)
    parser.add_argument("--shipments", type=int, default=10_000_000)
    parser.add_argument("--fractions", default="1/8,1/4,1/2,1")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--worlds", type=Path, default=Path(tempfile.gettempdir()) / "netscan-worlds"
    )
    parser.add_argument("--neo4j", action="store_true", help="also measure loading into Bolt")
    parser.add_argument("--neo4j-fraction", default="1/100")
    options = parser.parse_args()

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GB; "
        f"Python {platform.python_version()}; median of {options.runs} runs"
    )
    print(f"{'world':>22} {'rows':>11} {'step':>12} {'wall s':>8} {'peak GB':>8} {'x floor':>8}")
    problems: list[str] = []
    for text in options.fractions.split(","):
        fraction = Fraction(text)
        firms, shipments = int(options.firms * fraction), int(options.shipments * fraction)
        folder = world_folder(options.worlds, firms, shipments, options.seed)
        rows = count_rows(folder)
        with tempfile.TemporaryDirectory(prefix="netscan-bench-") as scratch:
            steps = measure_world(folder, options.runs, Path(scratch))
            floor = statistics.median(m.seconds for m in steps["pyarrow read"])
            for step, measures in steps.items():
                wall = statistics.median(m.seconds for m in measures)
                peak = statistics.median(m.peak_bytes for m in measures) / 2**30
                print(f"{f'{firms:,} / {shipments:,}':>22} {rows:>11,} {step:>12} "
                      f"{wall:>8.1f} {peak:>8.2f} {wall / floor:>8.1f}", flush=True)  # fmt: skip
            findings = json.loads((Path(scratch) / "findings.json").read_text(encoding="utf-8"))
            found = check_findings(folder, findings, Path(scratch))
            print(
                f"{'':>22} {'':>11} {'findings':>12} {len(findings)} flagged, "
                + ("correct" if not found else f"{len(found)} problems"),
                flush=True,
            )
            problems += found
    if options.neo4j:
        fraction = Fraction(options.neo4j_fraction)
        rates = neo4j_rates(options.worlds, int(options.firms * fraction),
                            int(options.shipments * fraction), options.seed)  # fmt: skip
        for label, rate in rates.items():
            print(f"Neo4j load (ArcadeDB Bolt), {label}: {rate:,.0f} rows/s")
    for problem in problems:
        print("PROBLEM:", problem, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()

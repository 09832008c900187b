"""The benchmark at 1/100 scale, as a smoke test: it runs, and the findings it checks are right.

Timings are not asserted (they are measured by benchmarks/benchmark.py, not by tests).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / "benchmarks" / "benchmark.py"


def test_benchmark_of_a_hundredth_world_finds_what_was_planted(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--firms", "10000", "--shipments", "100000",
         "--fractions", "1", "--runs", "1", "--worlds", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    steps = [" ".join(line.split()[4:6]) for line in lines[2:5]]
    assert steps == ["pyarrow read", "first run", "second run"], result.stdout
    assert lines[5].split()[-1] == "correct" and "20 flagged" in lines[5], result.stdout

"""README.md and .ci/run must agree: CI runs exactly the test command the README gives."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from graphkit.cli import cli

ROOT = Path(__file__).parent.parent


def readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))


def test_readme_opens_with_the_run_and_the_test_command() -> None:
    run, test = readme_commands()[:2]
    assert "netscan find-intermediaries --data examples" in run
    assert "pytest" in test


def test_ci_runs_the_readme_test_command_word_for_word() -> None:
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_commands()[1] in ci_lines


def test_the_sample_run_is_what_netscan_prints_on_the_examples() -> None:
    """Every line of the README's sample shows up in the real run, in order ('...' skips lines)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sample = re.search(r"## What a run prints.*?```text\n(.+?)\n```", readme, re.DOTALL)
    assert sample is not None
    first_run = ["find-intermediaries", "--data", str(ROOT / "examples"), "--no-cache"]
    result = CliRunner().invoke(cli, first_run)
    stderr = result.stderr.splitlines()
    before = next(n for n, line in enumerate(stderr) if line.startswith("Shipment parties")) + 1
    printed = stderr[:before] + result.stdout.splitlines() + stderr[before:]
    position = 0
    for line in sample.group(1).splitlines():
        if line.strip() == "...":
            continue
        assert line in printed[position:], f"README line not printed (in this order): {line}"
        position = printed.index(line, position) + 1

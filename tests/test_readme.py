"""README.md and .ci/run must agree: CI runs exactly the test command the README gives."""

from __future__ import annotations

import re
from pathlib import Path

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

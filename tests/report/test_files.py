"""Output files are written atomically: a failure leaves the previous file, never half a file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graphkit.report.files import write_atomically


def test_a_failed_write_keeps_the_previous_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "findings.json"
    write_atomically(target, '[{"id": "KZ-001"}]\n')

    def disk_full(source: str, destination: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(target, "[" + "x" * 10_000)
    assert target.read_text(encoding="utf-8") == '[{"id": "KZ-001"}]\n'
    assert [p.name for p in tmp_path.iterdir()] == ["findings.json"]


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    write_atomically(target, b"<!doctype html>")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert target.read_bytes() == b"<!doctype html>"

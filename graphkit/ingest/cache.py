"""A cache of parsed and linked data folders, so that a second run skips reading and linking.

Parsing and linking ten million shipments takes most of a run; the analysis after it takes
seconds. The cache keeps the result of ``load_folder`` (the Dataset and its LoadReport) as Arrow
files, one entry per data folder, outside the folder (netscan never writes into the data).

An entry is used only when its fingerprint matches: the path, size and SHA-256 digest of every
input file and of the decisions file, and a digest of netscan's own code. Changing, adding or
removing an input file, or installing another netscan, makes netscan read the folder again and
replace the entry. The digests cost about a second per gigabyte (taken while the files load
when no entry has the same files and sizes); modification times alone would be cheaper but miss
a file rewritten within the same clock tick or copied with its old time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather

import graphkit
from graphkit.dataset import Dataset
from graphkit.ingest.load import ExtractSummary, LoadReport, TableCount, load_folder
from graphkit.ingest.rejects import Rejects

log = logging.getLogger(__name__)

FORMAT = 3  # bump when what is stored changes
FRAMES = (
    "companies",
    "persons",
    "ownership",
    "officers",
    "shipments",
    "sanctions",
    "duplicate_ids",
)


def default_cache_dir() -> Path:
    """``$NETSCAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/netscan``, else ``~/.cache/netscan``."""
    if os.environ.get("NETSCAN_CACHE_DIR"):
        return Path(os.environ["NETSCAN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "netscan"


def load_folder_cached(
    folder: Path, decisions: Path | None, cache_dir: Path
) -> tuple[Dataset, LoadReport, bool]:
    """``load_folder``'s result, from the cache when the inputs are unchanged.

    Returns the dataset, the load report and whether the cache was used. A cache that cannot
    be read or written is reported in the log and bypassed: it never stops a run.
    """
    entry = cache_dir / _folder_key(folder)
    wait_for_writes()  # an entry this process is still writing
    try:
        inputs = _inputs(folder, decisions)
    except OSError:  # no such folder, an unreadable file: load_folder says what to do
        dataset, report = load_folder(folder, decisions)
        return dataset, report, False
    try:
        stored = _stored_fingerprint(entry)
        if _same_sizes(stored, inputs) and stored == _fingerprint(inputs):
            dataset, report = _read(entry, folder)
            return dataset, report, True
    except (OSError, ValueError, KeyError, pa.ArrowException) as error:
        log.warning("Ignoring the cache in %s: %s", entry, error)
    # the entry will not do: the inputs' digests (seconds for gigabytes) are taken while they load
    with ThreadPoolExecutor(max_workers=1) as pool:
        fingerprint = pool.submit(_fingerprint, inputs)
        dataset, report = load_folder(folder, decisions)
    _write_in_background(entry, fingerprint.result(), dataset, report)
    return dataset, report, False


_writing: list[threading.Thread] = []


def wait_for_writes() -> None:
    """Return when the cache entries being written are complete."""
    while _writing:
        _writing.pop().join()


def _write_in_background(
    entry: Path, fingerprint: dict[str, Any], dataset: Dataset, report: LoadReport
) -> None:
    """Write the entry while the analysis runs: Arrow compresses and writes without holding
    the interpreter, so the two share the cores (ten million shipments take seconds to write).

    The tables are handed over as Arrow tables, which nothing can change under the writer. The
    thread is not a daemon: Python waits for it before exiting, so an entry is never cut short.
    """
    tables = {name: _table(getattr(dataset, name)) for name in FRAMES}
    tables["rejects"] = _table(report.rejects.frame())
    tables["matches"] = _table(report.matches)
    summary = {
        "counts": {name: asdict(count) for name, count in report.counts.items()},
        "linked_parties": report.linked_parties,
        "extracts": [asdict(extract) for extract in report.extracts],
        "ignored": report.ignored,
    }

    def write() -> None:
        try:
            _write(entry, fingerprint, tables, summary)
        except (OSError, pa.ArrowException) as error:
            log.warning("Could not write the cache in %s: %s", entry, error)

    _writing.append(threading.Thread(target=write, name="netscan-cache-write"))
    _writing[-1].start()


def _folder_key(folder: Path) -> str:
    return hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:32]


def _inputs(folder: Path, decisions: Path | None) -> list[Path]:
    """The files the cached result depends on (any file may be an input: formats are
    recognised by content, see graphkit.ingest.sources), and the decisions file."""
    files = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    return sorted(files) + ([decisions] if decisions else [])


def _same_sizes(stored: Any, inputs: list[Path]) -> bool:
    """Whether the stored entry names the same files with the same sizes: only then can their
    digests match, and are worth taking before deciding."""
    if not isinstance(stored, dict) or not isinstance(stored.get("files"), list):
        return False
    return [file[:2] for file in stored["files"]] == [
        [str(p.resolve()), p.stat().st_size] for p in inputs
    ]


def _fingerprint(inputs: list[Path]) -> dict[str, Any]:
    """What the cached result depends on: input files, decisions and netscan's code."""
    files = [_stat(p) for p in inputs]
    return {"format": FORMAT, "code": _code_version(), "files": files}


def _stat(path: Path) -> list[Any]:
    with path.open("rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
    return [str(path.resolve()), path.stat().st_size, digest]


def _code_version() -> str:
    """A digest of netscan's source files: a changed parser must not reuse an old cache."""
    package = Path(graphkit.__file__).parent
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _stored_fingerprint(entry: Path) -> Any:
    path = entry / "fingerprint.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _write(
    entry: Path, fingerprint: dict[str, Any], tables: dict[str, pa.Table], summary: dict[str, Any]
) -> None:
    """Write the entry in a new folder and swap it in, so a reader never sees half of it."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".netscan-", dir=entry.parent))
    try:
        for name, table in tables.items():
            feather.write_feather(
                table, staging / f"{name}.arrow", compression="lz4", chunksize=1 << 20
            )
        (staging / "report.json").write_text(json.dumps(summary), encoding="utf-8")
        (staging / "fingerprint.json").write_text(json.dumps(fingerprint), encoding="utf-8")
        old = entry.with_name(entry.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if entry.exists():
            entry.rename(old)
        staging.rename(entry)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _table(frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame.reset_index(drop=True))


def _read(entry: Path, folder: Path) -> tuple[Dataset, LoadReport]:
    frames = {name: feather.read_feather(entry / f"{name}.arrow") for name in FRAMES}
    summary = json.loads((entry / "report.json").read_text(encoding="utf-8"))
    report = LoadReport(
        counts={name: TableCount(**count) for name, count in summary["counts"].items()},
        rejects=Rejects([feather.read_feather(entry / "rejects.arrow")]),
        linked_parties=summary["linked_parties"],
        matches=feather.read_feather(entry / "matches.arrow"),
        extracts=[ExtractSummary(**extract) for extract in summary["extracts"]],
        ignored=summary["ignored"],
    )
    return Dataset(**frames, source=str(folder)), report

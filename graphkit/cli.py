"""The netscan command: parses options, calls one library function, renders the result."""

from __future__ import annotations

import logging
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from graphkit import settings
from graphkit.analysis.intermediaries import Criteria, expand_countries, find_intermediaries
from graphkit.errors import NetscanError, OptionError
from graphkit.generate import generate_world
from graphkit.ingest.load import LoadReport, load_folder
from graphkit.ingest.values import parse_date
from graphkit.model import TABLES
from graphkit.report.files import write_atomically
from graphkit.report.findings import RENDERERS
from graphkit.resolve.link import match_report_csv

log = logging.getLogger("graphkit")


class NetscanGroup(click.Group):
    """Turns netscan's errors into one line on stderr and an exit code: 2 bad input, 1 failure."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NetscanError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(error.exit_code)
        except OSError as error:  # a file netscan was told to read or write is not accessible
            click.echo(f"Error: {error.filename or ''}: {error.strerror or error}", err=True)
            sys.exit(2)


@click.group(cls=NetscanGroup)
@click.version_option(package_name="netscan")
def cli() -> None:
    """Find firms that move EU goods to Russia through third countries."""


def _countries(ctx: click.Context, param: click.Parameter, value: str) -> frozenset[str]:
    return expand_countries(part for part in value.split(",") if part.strip())


def _date(ctx: click.Context, param: click.Parameter, value: str) -> date:
    import pandas as pd

    parsed = parse_date(pd.Series([value], dtype="string"))
    if parsed.bad.iloc[0] or parsed.values.isna().iloc[0]:
        raise OptionError(
            f"{param.opts[0]} '{value}' is not a date", fix="Use YYYY-MM-DD or DD.MM.YYYY"
        )
    return parsed.values.iloc[0].date()


def _setup_logging(quiet: bool) -> None:
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        format="%(message)s",
        stream=sys.stderr,
        force=True,
    )


def _report_load(report: LoadReport, rejects: Path | None, quiet: bool) -> None:
    """Counts of what was loaded and rejected, on stderr; the rejected rows to a file."""
    loaded = ", ".join(
        f"{report.counts[t.name].loaded} {t.rows_are}"
        for t in TABLES
        if report.counts[t.name].encoding is not None
    )
    if not quiet:
        click.echo(f"Loaded {loaded}.", err=True)
        linked = ", ".join(f"{n} {rule}" for rule, n in sorted(report.linked_parties.items()))
        click.echo(f"Shipment parties linked to the registry: {linked}.", err=True)
    problems = report.skipped or report.values_ignored
    target = rejects or (Path(settings.DEFAULT_REJECTS_FILE) if problems else None)
    if target is not None:
        write_atomically(target, report.rejects.frame().to_csv(index=False))
    if problems:
        click.echo(
            f"Skipped {report.skipped} rows and ignored {report.values_ignored} unreadable values;"
            f" each is listed with its reason in {target}.",
            err=True,
        )


@cli.command("find-intermediaries")
@click.option(
    "--data",
    "data_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder with companies.csv, shipments.csv and the optional files.",
)
@click.option(
    "--registered-after",
    default=settings.INVASION_DATE.isoformat(),
    callback=_date,
    show_default=True,
    help="Firms registered on or after this date count as new.",
)
@click.option(
    "--min-russian-share",
    default=settings.DEFAULT_MIN_RUSSIAN_SHARE,
    type=click.FloatRange(0, 100),
    show_default=True,
    help="Effective Russian ownership, in percent, that counts as Russian-owned.",
)
@click.option(
    "--via",
    default=",".join(settings.DEFAULT_VIA),
    callback=_countries,
    show_default=True,
    help="Countries where intermediaries sit (comma-separated).",
)
@click.option(
    "--suppliers",
    default=",".join(settings.DEFAULT_SUPPLIERS),
    callback=_countries,
    show_default=True,
    help="Supplier countries; EU stands for the 27 member states.",
)
@click.option(
    "--buyers",
    default=",".join(settings.DEFAULT_BUYERS),
    callback=_countries,
    show_default=True,
    help="Buyer countries.",
)
@click.option(
    "--owner-country",
    default=",".join(settings.DEFAULT_OWNER_COUNTRIES),
    callback=_countries,
    show_default=True,
    help="Owners from these countries count towards the Russian share.",
)
@click.option(
    "--all",
    "include_partial",
    is_flag=True,
    help="Also list firms that meet only some criteria, saying which failed.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(RENDERERS)),
    default="table",
    show_default=True,
)
@click.option("--out", type=click.Path(path_type=Path), help="Write the findings here, not stdout.")
@click.option(
    "--rejects",
    type=click.Path(path_type=Path),
    help=f"Where to list skipped rows [default: {settings.DEFAULT_REJECTS_FILE}, "
    "written only when rows were skipped].",
)
@click.option(
    "--match-report",
    type=click.Path(path_type=Path),
    help="Write how each shipment party was linked to the registry (CSV).",
)
@click.option(
    "--decisions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV of manual linking decisions: name,country,decision,company_id.",
)
@click.option("--quiet", is_flag=True, help="No progress or summary on stderr.")
def find_intermediaries_command(
    data_dir: Path,
    registered_after: date,
    min_russian_share: float,
    via: frozenset[str],
    suppliers: frozenset[str],
    buyers: frozenset[str],
    owner_country: frozenset[str],
    include_partial: bool,
    output_format: str,
    out: Path | None,
    rejects: Path | None,
    match_report: Path | None,
    decisions: Path | None,
    quiet: bool,
) -> None:
    """Flag newly registered, Russian-owned firms between suppliers and buyers."""
    _setup_logging(quiet)
    dataset, report = load_folder(data_dir, decisions)
    _report_load(report, rejects, quiet)
    if match_report is not None:
        write_atomically(match_report, match_report_csv(report.matches))
    criteria = Criteria(
        registered_after=registered_after,
        min_russian_share=min_russian_share,
        via=via,
        suppliers=suppliers,
        buyers=buyers,
        owner_countries=owner_country,
        include_partial=include_partial,
    )
    findings = find_intermediaries(dataset, criteria)
    text = RENDERERS[output_format](findings)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomically(out, text)
    if not quiet:
        flagged = sum(f.flagged for f in findings)
        click.echo(f"{flagged} firms flagged, {len(findings)} listed.", err=True)


@cli.command("generate")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the world into (created if needed).",
)
@click.option(
    "--firms",
    default=3000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows of companies.csv.",
)
@click.option(
    "--shipments",
    default=30000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows of shipments.csv.",
)
@click.option(
    "--seed",
    default=1,
    show_default=True,
    type=int,
    help="The same seed and sizes write the same files.",
)
def generate_command(out_dir: Path, firms: int, shipments: int, seed: int) -> None:
    """Write a synthetic world with planted intermediaries and decoys (answer key: truth.csv)."""
    summary = generate_world(out_dir, firms=firms, shipments=shipments, seed=seed)
    for line in summary.lines():
        click.echo(line)


def main() -> None:
    cli(prog_name="netscan")

"""The netscan command: parses options, calls one library function, renders the result."""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import pandas as pd

from graphkit import settings
from graphkit.analysis import trade_flows as trade_flows_analysis
from graphkit.analysis.conflicts import conflicts_summary, find_conflicts
from graphkit.analysis.explain import explain_firm
from graphkit.analysis.indicators import DEFAULT_WEIGHTS, MATCH_LEVELS, load_weights
from graphkit.analysis.intermediaries import (
    Criteria,
    Finding,
    expand_countries,
    find_intermediaries,
)
from graphkit.dataset import Dataset
from graphkit.errors import NetscanError, OptionError
from graphkit.generate import generate_world
from graphkit.ingest.cache import default_cache_dir, load_folder_cached
from graphkit.ingest.load import LoadReport, load_folder
from graphkit.ingest.rejects import Rejects
from graphkit.ingest.values import parse_date
from graphkit.model import TABLES
from graphkit.report.casefile import write_case_files
from graphkit.report.exports import write_exports
from graphkit.report.files import write_atomically
from graphkit.report.findings import RENDERERS, explanation_text
from graphkit.report.maps import file_stems, neighbourhood_map, write_maps
from graphkit.report.schema import findings_schema
from graphkit.resolve.link import match_report_csv
from graphkit.store.admin_export import write_admin_import

if TYPE_CHECKING:
    import neo4j

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


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


def _options(*decorators: Decorator) -> Decorator:
    def apply(function: Callable[..., Any]) -> Callable[..., Any]:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


DATA_OPTION = click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path),
    help="Folder with companies.csv, shipments.csv and the optional files.",
)
QUIET_OPTION = click.option("--quiet", is_flag=True, help="No progress or summary on stderr.")


@dataclass(frozen=True)
class LoadOptions:
    """How to read a data folder: --rejects, --match-report, --decisions, --cache-dir."""

    rejects: Path | None
    match_report: Path | None
    decisions: Path | None
    cache_dir: Path | None  # None: read the folder without the cache


def _load_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Gather the load options into one ``load`` argument of the command."""

    @functools.wraps(function)
    def command(
        *args: Any,
        rejects: Path | None,
        match_report: Path | None,
        decisions: Path | None,
        cache_dir: Path | None,
        no_cache: bool,
        **kwargs: Any,
    ) -> Any:
        cache = None if no_cache else cache_dir or default_cache_dir()
        load = LoadOptions(rejects, match_report, decisions, cache)
        return function(*args, load=load, **kwargs)

    return command


LOAD_OPTIONS = _options(
    _load_options,
    click.option(
        "--rejects",
        type=click.Path(path_type=Path),
        help=f"Where to list skipped rows [default: {settings.DEFAULT_REJECTS_FILE}, "
        "written only when rows were skipped].",
    ),
    click.option(
        "--match-report",
        type=click.Path(path_type=Path),
        help="Write how each shipment party was linked to the registry (CSV).",
    ),
    click.option(
        "--decisions",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="CSV of manual linking decisions: name,country,decision,company_id.",
    ),
    click.option(
        "--cache-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Where to keep parsed and linked data for the next run on the same files "
        "[default: $NETSCAN_CACHE_DIR, else ~/.cache/netscan].",
    ),
    click.option("--no-cache", is_flag=True, help="Read and link the folder afresh; use no cache."),
)
# The password has no option default and is never echoed: it comes from NEO4J_PASSWORD.
NEO4J_OPTIONS = _options(
    click.option(
        "--neo4j",
        "neo4j_uri",
        envvar=settings.NEO4J_URI,
        metavar="URI",
        help=f"Neo4j server, e.g. neo4j://localhost:7687 [env {settings.NEO4J_URI}].",
    ),
    click.option(
        "--neo4j-user",
        envvar=settings.NEO4J_USERNAME,
        default=settings.DEFAULT_NEO4J_USERNAME,
        show_default=True,
        help=f"[env {settings.NEO4J_USERNAME}]",
    ),
    click.option(
        "--neo4j-password",
        envvar=settings.NEO4J_PASSWORD,
        show_default=False,
        help=f"Better set {settings.NEO4J_PASSWORD} than type it on a command line.",
    ),
    click.option(
        "--neo4j-database",
        envvar=settings.NEO4J_DATABASE,
        default=settings.DEFAULT_NEO4J_DATABASE,
        show_default=True,
        help=f"[env {settings.NEO4J_DATABASE}]",
    ),
)

CRITERIA_OPTIONS = _options(
    click.option(
        "--registered-after",
        default=settings.INVASION_DATE.isoformat(),
        callback=_date,
        show_default=True,
        help="Firms registered on or after this date count as new.",
    ),
    click.option(
        "--min-russian-share",
        default=settings.DEFAULT_MIN_RUSSIAN_SHARE,
        type=click.FloatRange(0, 100),
        show_default=True,
        help="Effective Russian ownership, in percent, that counts as Russian-owned.",
    ),
    click.option(
        "--via",
        default=",".join(settings.DEFAULT_VIA),
        callback=_countries,
        show_default=True,
        help="Countries where intermediaries sit (comma-separated).",
    ),
    click.option(
        "--suppliers",
        default=",".join(settings.DEFAULT_SUPPLIERS),
        callback=_countries,
        show_default=True,
        help="Supplier countries; EU stands for the 27 member states.",
    ),
    click.option(
        "--buyers",
        default=",".join(settings.DEFAULT_BUYERS),
        callback=_countries,
        show_default=True,
        help="Buyer countries.",
    ),
    click.option(
        "--owner-country",
        default=",".join(settings.DEFAULT_OWNER_COUNTRIES),
        callback=_countries,
        show_default=True,
        help="Owners from these countries count towards the Russian share.",
    ),
)
RED_FLAG_OPTIONS = _options(
    click.option(
        "--weights",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="TOML file with [weights] per red flag and [chpl_tiers] factors.",
    ),
    click.option(
        "--window-days",
        default=settings.DEFAULT_WINDOW_DAYS,
        show_default=True,
        type=click.IntRange(min=1),
        help="Days within which goods must leave again to count as passing through.",
    ),
    click.option(
        "--match-level",
        type=click.Choice(sorted(MATCH_LEVELS)),
        default=settings.DEFAULT_MATCH_LEVEL,
        show_default=True,
        help="Same goods: same HS-6 code, or same HS-4 heading.",
    ),
    click.option(
        "--max-hops",
        default=settings.DEFAULT_MAX_HOPS,
        show_default=True,
        type=click.IntRange(min=1),
        help="Transit firms a trade chain may pass through.",
    ),
)


def _from_environment(parameter: str) -> bool:
    """Whether the value of ``parameter`` came from an environment variable."""
    source = click.get_current_context().get_parameter_source(parameter)
    return source == click.core.ParameterSource.ENVIRONMENT


def _criteria(options: dict[str, Any], *, include_partial: bool) -> Criteria:
    """Criteria from the values of CRITERIA_OPTIONS and RED_FLAG_OPTIONS."""
    weights = options["weights"]
    return Criteria(
        registered_after=options["registered_after"],
        min_russian_share=options["min_russian_share"],
        via=options["via"],
        suppliers=options["suppliers"],
        buyers=options["buyers"],
        owner_countries=options["owner_country"],
        include_partial=include_partial,
        window_days=options["window_days"],
        match_level=options["match_level"],
        max_hops=options["max_hops"],
        weights=load_weights(weights) if weights else DEFAULT_WEIGHTS,
    )


def _load(data_dir: Path, load: LoadOptions, quiet: bool) -> Any:
    """Load a data folder, report counts and rejects, write the match report if asked."""
    if load.cache_dir is None:
        dataset, report = load_folder(data_dir, load.decisions)
    else:
        dataset, report, cached = load_folder_cached(data_dir, load.decisions, load.cache_dir)
        if cached and not quiet:
            click.echo(f"Read from the cache in {load.cache_dir} (inputs unchanged).", err=True)
    _report_load(report, load.rejects, quiet)
    if not quiet and (conflicts := conflicts_summary(find_conflicts(dataset))):
        click.echo(conflicts, err=True)
    if load.match_report is not None:
        write_atomically(load.match_report, match_report_csv(report.matches))
    return dataset


def _report_load(report: LoadReport, rejects: Path | None, quiet: bool) -> None:
    """Counts of what was loaded and rejected, on stderr; the rejected rows to a file."""
    rows_are = {t.name: t.rows_are for t in TABLES}
    loaded = ", ".join(
        f"{report.counts[t.name].loaded} {t.rows_are}"
        for t in TABLES
        if report.counts[t.name].encoding is not None
    )
    if not quiet:
        for extract in report.extracts:
            rows = ", ".join(f"{n} {rows_are[name]}" for name, n in extract.rows.items())
            unmapped = f"; {extract.not_mapped} records not mapped" if extract.not_mapped else ""
            click.echo(
                f"Read {extract.file} as {extract.format}: {rows or 'nothing'}{unmapped}.",
                err=True,
            )
        if report.ignored:
            ignored = ", ".join(report.ignored)
            click.echo(f"Not read, in no format netscan reads: {ignored}.", err=True)
        click.echo(f"Loaded {loaded}.", err=True)
        linked = ", ".join(f"{n} {rule}" for rule, n in sorted(report.linked_parties.items()))
        click.echo(f"Shipment parties linked to the registry: {linked}.", err=True)
    joined = sum(count.joined for count in report.counts.values())
    problems = report.skipped or report.values_ignored or report.not_mapped or joined
    target = rejects or (Path(settings.DEFAULT_REJECTS_FILE) if problems else None)
    if target is not None:
        write_atomically(target, report.rejects.frame().to_csv(index=False))
    if problems:
        also = ""
        if report.not_mapped:
            also += f"; could not map {report.not_mapped} records of other formats"
        if joined:
            also += f"; joined {joined} firms given again in another file to their first record"
        click.echo(
            f"Skipped {report.skipped} rows and ignored {report.values_ignored} unreadable values"
            f"{also}; each is listed with its reason in {target}.",
            err=True,
        )


@contextmanager
def _driver(uri: str, user: str, password: str | None) -> Iterator[neo4j.Driver]:
    from graphkit.store import neo4j as neo4j_store  # the driver takes a second to import

    driver = neo4j_store.open_driver(uri, user, password)
    try:
        yield driver
    finally:
        driver.close()


@cli.command("find-intermediaries")
@DATA_OPTION
@CRITERIA_OPTIONS
@RED_FLAG_OPTIONS
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
    help="table for reading; json (see `netscan schema`) or csv for tools and spreadsheets; "
    "ftm: FollowTheMoney entities for Aleph or an OpenSanctions-style index.",
)
@click.option("--out", type=click.Path(path_type=Path), help="Write the findings here, not stdout.")
@LOAD_OPTIONS
@NEO4J_OPTIONS
@click.option(
    "--maps",
    "maps_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write an HTML network map per finding and an overview map here.",
)
@click.option(
    "--report",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write a printable HTML case file per finding here (map plus evidence tables).",
)
@click.option(
    "--gephi",
    "gephi_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write GEXF and GraphML files of the same networks here, for Gephi.",
)
@click.option(
    "--write-back",
    is_flag=True,
    help="With --neo4j: store the findings in the database as Finding nodes.",
)
@QUIET_OPTION
def find_intermediaries_command(
    data_dir: Path | None,
    output_format: str,
    out: Path | None,
    load: LoadOptions,
    neo4j_uri: str | None,
    neo4j_user: str,
    neo4j_password: str | None,
    neo4j_database: str,
    maps_dir: Path | None,
    report_dir: Path | None,
    gephi_dir: Path | None,
    write_back: bool,
    quiet: bool,
    **options: Any,
) -> None:
    """Flag newly registered, Russian-owned firms between suppliers and buyers.

    Reads a data folder (--data), or a Neo4j database that `netscan load` filled (--neo4j).
    """
    _setup_logging(quiet)
    if data_dir is not None and _from_environment("neo4j_uri"):
        neo4j_uri = None  # an exported NEO4J_URI must not stop a run on a data folder
    if (data_dir is None) == (neo4j_uri is None):
        raise OptionError(
            "give either --data DIR or --neo4j URI", fix="See netscan find-intermediaries --help"
        )
    if write_back and neo4j_uri is None:
        raise OptionError("--write-back needs --neo4j", fix="Load the data with netscan load first")
    criteria = _criteria(options, include_partial=options["include_partial"])
    if data_dir is not None:
        dataset = _load(data_dir, load, quiet)
        findings = find_intermediaries(dataset, criteria)
    else:
        from graphkit.store import neo4j as neo4j_store

        with _driver(neo4j_uri or "", neo4j_user, neo4j_password) as driver:
            dataset = neo4j_store.read_candidates(driver, neo4j_database, criteria)
            findings = find_intermediaries(dataset, criteria)
            if write_back:
                neo4j_store.write_findings(driver, neo4j_database, findings, date.today())
    text = RENDERERS[output_format](findings)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomically(out, text)
    _write_pages(findings, dataset, maps_dir, report_dir, gephi_dir, quiet)
    if not quiet:
        flagged = sum(f.flagged for f in findings)
        click.echo(f"{flagged} firms flagged, {len(findings)} listed.", err=True)
        if write_back:
            click.echo(f"Wrote {len(findings)} Finding nodes to {neo4j_database}.", err=True)


def _write_pages(
    findings: list[Finding],
    dataset: Dataset,
    maps_dir: Path | None,
    report_dir: Path | None,
    gephi_dir: Path | None,
    quiet: bool,
) -> None:
    """Maps, case files and Gephi exports of the findings, where asked for."""
    writers = (
        (maps_dir, write_maps, "maps"),
        (report_dir, write_case_files, "case files"),
        (gephi_dir, write_exports, "GEXF/GraphML files"),
    )
    for folder, write, what in writers:
        if folder is not None:
            written = write(findings, dataset, folder, run_date=date.today())
            if not quiet:
                click.echo(f"Wrote {len(written)} {what} to {folder}.", err=True)


@cli.command("explain")
@click.argument("firm_id")
@DATA_OPTION
@CRITERIA_OPTIONS
@RED_FLAG_OPTIONS
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@LOAD_OPTIONS
@QUIET_OPTION
def explain_command(
    firm_id: str,
    data_dir: Path | None,
    output_format: str,
    load: LoadOptions,
    quiet: bool,
    **options: Any,
) -> None:
    """Everything netscan knows about one firm and why it scored as it did.

    Takes the options of find-intermediaries, so that the score is the one it ranks by.
    """
    _setup_logging(quiet)
    if data_dir is None:
        raise OptionError("netscan explain needs --data DIR")
    dataset = _load(data_dir, load, quiet)
    explanation = explain_firm(dataset, firm_id, _criteria(options, include_partial=True))
    if output_format == "json":
        click.echo(json.dumps(explanation.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(explanation_text(explanation), nl=False)


@cli.command("map")
@DATA_OPTION
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder for the maps; with --focus, the HTML file of the one map.",
)
@click.option("--focus", help="Draw the neighbourhood of this firm or person id instead.")
@click.option(
    "--depth",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="With --focus: how many steps of ownership, office and trade to follow.",
)
@LOAD_OPTIONS
@QUIET_OPTION
def map_command(
    data_dir: Path | None,
    out: Path,
    focus: str | None,
    depth: int,
    load: LoadOptions,
    quiet: bool,
) -> None:
    """Draw network maps journalists can open offline: the findings, or one firm's surroundings.

    Without --focus, one map per finding of the default criteria plus an overview (use
    find-intermediaries --maps for other criteria).
    """
    _setup_logging(quiet)
    if data_dir is None:
        raise OptionError("netscan map needs --data DIR")
    dataset = _load(data_dir, load, quiet)
    if focus is None:
        _write_pages(find_intermediaries(dataset), dataset, out, None, None, quiet)
        return
    target = out / f"{file_stems([focus])[focus]}.html" if out.is_dir() else out
    write_atomically(target, neighbourhood_map(dataset, focus, depth=depth, run_date=date.today()))
    if not quiet:
        click.echo(f"Wrote {target}.", err=True)


@cli.command("load")
@DATA_OPTION
@LOAD_OPTIONS
@NEO4J_OPTIONS
@click.option(
    "--batch-size",
    default=settings.NEO4J_BATCH_SIZE,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows per transaction.",
)
@QUIET_OPTION
def load_command(
    data_dir: Path | None,
    load: LoadOptions,
    neo4j_uri: str | None,
    neo4j_user: str,
    neo4j_password: str | None,
    neo4j_database: str,
    batch_size: int,
    quiet: bool,
) -> None:
    """Load a data folder into Neo4j; loading again changes only what changed."""
    _setup_logging(quiet)
    if data_dir is None or neo4j_uri is None:
        raise OptionError("netscan load needs --data DIR and --neo4j URI (or NEO4J_URI)")
    dataset = _load(data_dir, load, quiet)
    progress = None if quiet else _progress
    from graphkit.store import neo4j as neo4j_store

    with _driver(neo4j_uri, neo4j_user, neo4j_password) as driver:
        counts = neo4j_store.load_dataset(
            driver, neo4j_database, dataset, batch_size=batch_size, progress=progress
        )
        in_database = neo4j_store.graph_counts(driver, neo4j_database)
    if not quiet:
        sent = ", ".join(f"{n} {what}" for what, n in counts.rows.items())
        click.echo(f"Sent {sent} to {neo4j_database}.", err=True)
        now = ", ".join(f"{n} {kind}" for kind, n in sorted(in_database.items()))
        click.echo(f"The database now holds {now}.", err=True)


def _progress(what: str, done: int, total: int) -> None:
    click.echo(f"\r  {what}: {done}/{total}", err=True, nl=done >= total)


@cli.command("export")
@DATA_OPTION
@click.option(
    "--neo4j-admin",
    "admin_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the CSV files of neo4j-admin database import full.",
)
@LOAD_OPTIONS
@QUIET_OPTION
def export_command(
    data_dir: Path | None,
    admin_dir: Path,
    load: LoadOptions,
    quiet: bool,
) -> None:
    """Write a data folder as neo4j-admin import files, for a very large first load."""
    _setup_logging(quiet)
    if data_dir is None:
        raise OptionError("netscan export needs --data DIR")
    dataset = _load(data_dir, load, quiet)
    files = write_admin_import(dataset, admin_dir)
    click.echo(
        f"Wrote {len(files.nodes) + len(files.relationships)} files to {admin_dir}.", err=True
    )
    click.echo(f"Import them (Neo4j stopped), from {admin_dir}:", err=True)
    click.echo(files.command())


def _column_mapping(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> dict[str, str]:
    mapping = {}
    for item in value:
        field, equals, header = item.partition("=")
        if not equals or not field.strip() or not header.strip():
            raise OptionError(
                f"--column '{item}' is not FIELD=HEADER",
                fix="Write e.g. --column reporter=ReporterDesc",
            )
        mapping[field.strip()] = header.strip()
    return mapping


@cli.command("trade-flows")
@click.option(
    "--flows",
    "flows_file",
    type=click.Path(path_type=Path),
    help="CSV file (or .csv.gz) of aggregated trade flows: reporter, partner, hs, month, value.",
)
@DATA_OPTION
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the HTML page, the PNG charts and the CSV numbers (created if needed).",
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    callback=_column_mapping,
    metavar="FIELD=HEADER",
    help="Which header of --flows holds a field, e.g. reporter=ReporterDesc (repeatable).",
)
@click.option(
    "--level",
    type=click.Choice(trade_flows_analysis.LEVELS),
    default="hs4",
    show_default=True,
    help="Product groups: HS-2/4/6 digits, CHPL tiers, or all products as one.",
)
@click.option(
    "--baseline",
    default=trade_flows_analysis.DEFAULT_BASELINE,
    show_default=True,
    help="Months before: START..END (clipped to the data), or year-before.",
)
@click.option(
    "--after",
    default=trade_flows_analysis.DEFAULT_AFTER,
    show_default=True,
    help="Months after: START..END; an open end runs to the data's last month.",
)
@click.option(
    "--transit",
    default=",".join(trade_flows_analysis.DEFAULT_TRANSIT),
    callback=_countries,
    show_default=True,
    help="Countries goods may pass through (comma-separated).",
)
@click.option(
    "--suppliers",
    default=",".join(settings.DEFAULT_SUPPLIERS),
    callback=_countries,
    show_default=True,
    help="Exporting countries, added up; EU stands for the 27 member states.",
)
@click.option(
    "--buyers",
    default=",".join(settings.DEFAULT_BUYERS),
    callback=_countries,
    show_default=True,
    help="Countries the suppliers stopped exporting to, added up.",
)
@click.option(
    "--flow",
    type=click.Choice(trade_flows_analysis.FLOWS),
    default="export",
    show_default=True,
    help="Use the reporters' exports, or their imports read as mirror flows.",
)
@click.option("--top", default=20, show_default=True, type=click.IntRange(min=1))
@click.option("--currency", default="", help="Label of the values, e.g. EUR [USD with --data].")
@LOAD_OPTIONS
@QUIET_OPTION
def trade_flows_command(
    flows_file: Path | None,
    data_dir: Path | None,
    out_dir: Path,
    columns: dict[str, str],
    load: LoadOptions,
    top: int,
    currency: str,
    quiet: bool,
    **options: Any,
) -> None:
    """Compare exports to Russia and to transit countries before and after the invasion.

    Reads aggregated trade statistics (--flows, e.g. a Eurostat or UN Comtrade extract) or the
    shipments of a data folder (--data), and writes charts, tables and a page to --out.
    """
    _setup_logging(quiet)
    if flows_file is not None and data_dir is not None:
        raise OptionError("give --flows FILE or --data DIR, not both")
    if flows_file is not None:
        skipped = Rejects()
        flows = trade_flows_analysis.read_flows(flows_file, columns=columns, rejects=skipped)
        _report_rejects(skipped, load.rejects)
    elif data_dir is not None:
        dataset = _load(data_dir, load, quiet)
        flows = trade_flows_analysis.flows_from_shipments(dataset)
        currency = currency or "USD"
    else:
        raise OptionError("give --flows FILE or --data DIR", fix="See netscan trade-flows --help")
    result = trade_flows_analysis.trade_flows(flows, **options)
    from graphkit.report.charts import write_trade_flows  # matplotlib: imported when drawing

    paths = write_trade_flows(result, out_dir, top=top, currency=currency)
    if not quiet:
        click.echo(f"Open {paths[0]}", err=True)


def _report_rejects(skipped: Rejects, path: Path | None) -> None:
    listed = skipped.frame()
    if listed.empty:
        return
    target = path or Path(settings.DEFAULT_REJECTS_FILE)
    write_atomically(target, listed.to_csv(index=False))
    click.echo(f"Skipped {len(listed)} rows; each is listed with its reason in {target}.", err=True)


@cli.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the findings `find-intermediaries --format json` writes."""
    click.echo(json.dumps(findings_schema(), ensure_ascii=False, indent=2))


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

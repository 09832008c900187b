"""Load a folder of registry and customs CSV files into a Dataset.

Every row is either loaded or reported in the rejects with its file, line, column and reason;
the returned LoadReport counts both, so the numbers always add up.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from graphkit.columns import is_in
from graphkit.dataset import DUPLICATE_ID_COLUMNS, Dataset, empty_duplicate_ids
from graphkit.errors import InputError
from graphkit.ingest.read import LINE, RawTable, read_csv
from graphkit.ingest.rejects import ROW_SKIPPED, VALUE_IGNORED, Rejects
from graphkit.ingest.values import FIXES, PARSERS
from graphkit.model import SHIPMENTS, TABLES, Column, Table
from graphkit.resolve.identifiers import fill_registration_dates
from graphkit.resolve.link import Decisions, link_parties, links_summary

log = logging.getLogger(__name__)

OTHER_FORMATS = {".xlsx", ".xlsm", ".xls", ".ods", ".numbers", ".tsv", ".txt"}


@dataclass
class TableCount:
    file: str
    rows: int = 0  # data rows in the file
    loaded: int = 0
    skipped: int = 0
    values_ignored: int = 0
    encoding: str | None = None  # None: the file was not given


@dataclass
class LoadReport:
    counts: dict[str, TableCount] = field(default_factory=dict)
    rejects: Rejects = field(default_factory=Rejects)
    linked_parties: dict[str, int] = field(default_factory=dict)  # rule -> shipment parties
    matches: pd.DataFrame = field(default_factory=pd.DataFrame)  # one row per distinct party

    @property
    def skipped(self) -> int:
        return sum(c.skipped for c in self.counts.values())

    @property
    def values_ignored(self) -> int:
        return sum(c.values_ignored for c in self.counts.values())


class _TableLoader:
    """Parses one raw table, skipping rows (with a reason) as checks fail."""

    def __init__(self, table: Table, raw: RawTable, rejects: Rejects) -> None:
        self.table = table
        self.file = str(raw.path)
        self.raw = raw.frame
        self.rejects = rejects
        self.keep = pd.Series(True, index=self.raw.index)
        self.count = TableCount(raw.path.name, rows=len(self.raw) + len(raw.malformed))
        self.count.encoding = raw.encoding
        self.count.skipped = len(raw.malformed)
        rejects.add_lines(self.file, [(m.line, m.text, m.problem) for m in raw.malformed])

    def skip(self, mask: pd.Series, column: str, problem: pd.Series | str) -> None:
        """Skip the rows in ``mask`` that are still kept, for ``problem``."""
        mask = mask & self.keep
        if mask.any():
            problems = problem[mask] if isinstance(problem, pd.Series) else problem
            self.rejects.add(
                self.file,
                self.raw.loc[mask],
                column=column,
                values=self.raw.loc[mask, column].fillna("") if column in self.raw else "",
                problem=problems,
                action=ROW_SKIPPED,
            )
            self.keep &= ~mask

    def ignore(self, mask: pd.Series, column: str, problem: pd.Series) -> None:
        """Keep the rows in ``mask`` but drop their value of ``column``, for ``problem``."""
        mask = mask & self.keep
        if mask.any():
            self.rejects.add(
                self.file,
                self.raw.loc[mask],
                column=column,
                values=self.raw.loc[mask, column],
                problem=problem[mask],
                action=VALUE_IGNORED,
            )
            self.count.values_ignored += int(mask.sum())

    def parse(self) -> pd.DataFrame:
        parsed = pd.DataFrame(index=self.raw.index)
        for column in self.table.columns:
            raw = self.raw.get(column.name, pd.Series(pd.NA, index=self.raw.index, dtype="string"))
            values, bad = PARSERS[column.kind](raw)
            if column.required:
                self.skip(values.isna() & ~bad, column.name, "a required value is missing")
            if bad.any():
                problem = _unreadable(raw, column)
                if column.skips_row_when_bad:
                    self.skip(bad, column.name, problem)
                else:
                    self.ignore(bad, column.name, problem)
            parsed[column.name] = values.mask(bad)
        parsed[LINE] = self.raw[LINE]
        return parsed

    def skip_duplicates(self, parsed: pd.DataFrame, column: str) -> pd.DataFrame:
        """Skip the rows whose ``column`` repeats an earlier row's; return how they differ.

        The result (``DUPLICATE_ID_COLUMNS``) has a row per value that both rows give and that
        differs: a row repeated word for word, or with values left blank, is a mere duplicate.
        """
        kept = parsed[column].where(self.keep)
        first_line = parsed.loc[kept.notna()].groupby(column)[LINE].transform("min")
        repeated = kept.duplicated(keep="first") & kept.notna()
        first = first_line.reindex(parsed.index).astype("Int64").astype("string").fillna("")
        problem = "duplicate id; it was first given at line " + first
        self.skip(repeated, column, problem)
        firsts = kept[kept.notna() & ~repeated]
        return _differences(self.table, parsed, column, repeated, firsts)

    def skip_unknown(self, parsed: pd.DataFrame, column: str, known: pd.Index, what: str) -> None:
        unknown = parsed[column].notna() & ~is_in(parsed[column], known)
        self.skip(unknown, column, f"{column} names no {what} in this dataset")

    def finish(self, parsed: pd.DataFrame) -> pd.DataFrame:
        """The rows kept; the raw text is let go (ten million rows of it weigh gigabytes)."""
        result = parsed if self.keep.all() else parsed.loc[self.keep]
        result = result.reset_index(drop=True)
        self.count.skipped += int((~self.keep).sum())
        self.count.loaded = len(result)
        self.raw = self.raw.iloc[:0]
        return result


def _differences(
    table: Table, parsed: pd.DataFrame, column: str, repeated: pd.Series, firsts: pd.Series
) -> pd.DataFrame:
    """The values in which each ``repeated`` row differs from the first row with its id."""
    if not repeated.any():
        return empty_duplicate_ids()
    ids = parsed.loc[repeated, column]
    first_rows = pd.Series(firsts.index, index=firsts.to_numpy()).loc[ids.to_numpy()].to_numpy()
    parts = []
    for other in table.columns:
        if other.name == column:
            continue
        before = _as_text(parsed.loc[first_rows, other.name]).to_numpy()
        after = _as_text(parsed.loc[repeated, other.name]).to_numpy()
        differ = pd.notna(before) & pd.notna(after)
        differ[differ] = before[differ] != after[differ]
        if not differ.any():
            continue
        parts.append(
            pd.DataFrame(
                {
                    "table": table.name,
                    "id": ids.to_numpy()[differ],
                    "first_line": parsed.loc[first_rows, LINE].to_numpy()[differ],
                    "line": parsed.loc[repeated, LINE].to_numpy()[differ],
                    "column": other.name,
                    "first_value": before[differ],
                    "value": after[differ],
                }
            )
        )
    if not parts:
        return empty_duplicate_ids()
    found = pd.concat(parts, ignore_index=True).astype(DUPLICATE_ID_COLUMNS)
    return found.sort_values("line", kind="stable", ignore_index=True)


def _as_text(values: pd.Series) -> pd.Series:
    """Parsed values as the text a person would compare: dates as YYYY-MM-DD."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").astype("string")
    return values.astype("string")


def _unreadable(raw: pd.Series, column: Column) -> pd.Series:
    """A reason per row that quotes its value: "registered_on '31/02/2022' cannot be read; ..."."""
    fix = FIXES[column.kind]
    return f"{column.name} '" + raw.fillna("").astype("string") + f"' cannot be read; {fix}"


def _find_file(folder: Path, table: Table) -> Path | None:
    """The table's file in ``folder``, matching the name in any letter case."""
    exact = folder / table.filename
    if exact.is_file():
        return exact
    matches = sorted(p for p in folder.iterdir() if p.name.lower() == table.filename)
    return matches[0] if matches else None


def _check_not_a_spreadsheet(folder: Path, table: Table) -> None:
    """Stop if the table was given as a spreadsheet (companies.xlsx) instead of a CSV file."""
    for path in sorted(folder.iterdir()):
        if path.stem.lower() == table.name and path.suffix.lower() in OTHER_FORMATS:
            raise InputError(
                f"there is {path.name} but no {table.filename}",
                path=folder,
                fix=f"netscan reads CSV files: open {path.name} in Excel or LibreOffice and save "
                f"it as CSV UTF-8 named {table.filename}",
            )


def _raw_table(folder: Path, table: Table) -> RawTable | None:
    path = _find_file(folder, table)
    if path is None:
        _check_not_a_spreadsheet(folder, table)
        if table.required:
            raise InputError(
                f"required file {table.filename} is missing",
                path=folder,
                fix=f"Put {table.filename} ({table.help}) in the folder; see README 'Input'",
            )
        return None
    raw = read_csv(path, table)
    if table.required and raw.frame.empty and not raw.malformed:
        raise InputError(
            "the file has a header but no rows",
            path=path,
            line=2,
            fix=f"It needs at least one row of {table.help}; check the export",
        )
    return raw


def _empty_raw(table: Table, folder: Path) -> RawTable:
    columns = {c.name: pd.Series(dtype="string") for c in table.columns}
    frame = pd.DataFrame(columns).assign(**{LINE: pd.Series(dtype="int64")})
    return RawTable(folder / table.filename, "", frame)


def load_folder(folder: Path, decisions: Path | None = None) -> tuple[Dataset, LoadReport]:
    """Read every known input file in ``folder``; raise InputError for an unusable file.

    ``decisions`` is a CSV file of manual linking decisions (see ``graphkit.resolve.link``).

    >>> dataset, report = load_folder(Path("examples"))  # doctest: +SKIP
    """
    if not folder.is_dir():
        raise InputError(
            "no such folder", path=folder, fix="Give --data the folder that holds companies.csv"
        )
    report = LoadReport()
    loaders: dict[str, _TableLoader] = {}
    parsed: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        raw = _raw_table(folder, table)
        loader = _TableLoader(table, raw or _empty_raw(table, folder), report.rejects)
        if raw is None:
            loader.count.encoding = None
        loaders[table.name], parsed[table.name] = loader, loader.parse()

    tables, duplicate_ids = _check_references(loaders, parsed)
    parsed.clear()  # the checked tables replace the parsed ones before linking, the peak
    for name, loader in loaders.items():
        report.counts[name] = loader.count
    companies = fill_registration_dates(tables["companies"])
    choices = Decisions.read(decisions, pd.Index(companies["id"])) if decisions else None
    shipments, report.matches = link_parties(companies, tables["shipments"], choices)
    report.linked_parties = links_summary(report.matches)
    dataset = Dataset(
        companies=companies,
        persons=tables["persons"],
        ownership=tables["ownership"],
        officers=tables["officers"],
        shipments=shipments,
        sanctions=tables["sanctions"],
        source=str(folder),
        duplicate_ids=duplicate_ids,
    )
    return dataset, report


def _check_references(
    loaders: dict[str, _TableLoader], parsed: dict[str, pd.DataFrame]
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Table-level checks, in dependency order: ids before the rows that refer to them.

    Returns the tables and how the company and person rows skipped as repeated ids differ from
    the rows kept.
    """
    companies = loaders["companies"]
    company_differences = companies.skip_duplicates(parsed["companies"], "id")
    result = {"companies": companies.finish(parsed["companies"])}
    company_ids = pd.Index(result["companies"]["id"])

    persons = loaders["persons"]
    person_differences = persons.skip_duplicates(parsed["persons"], "id")
    persons.skip(
        is_in(parsed["persons"]["id"], company_ids),
        "id",
        "this id is already a company's in companies.csv; person and company ids must differ",
    )
    result["persons"] = persons.finish(parsed["persons"])
    party_ids = company_ids.append(pd.Index(result["persons"]["id"]))

    ownership = loaders["ownership"]
    ownership.skip_unknown(parsed["ownership"], "owner_id", party_ids, "person or company")
    ownership.skip_unknown(parsed["ownership"], "owned_id", company_ids, "company")
    ownership.skip(
        parsed["ownership"]["owner_id"] == parsed["ownership"]["owned_id"],
        "owner_id",
        "a firm cannot own itself",
    )
    result["ownership"] = ownership.finish(parsed["ownership"])

    officers = loaders["officers"]
    officers.skip_unknown(parsed["officers"], "person_id", party_ids, "person or company")
    officers.skip_unknown(parsed["officers"], "company_id", company_ids, "company")
    result["officers"] = officers.finish(parsed["officers"])

    shipments = loaders["shipments"]
    parsed["shipments"]["id"] = _shipment_ids(parsed["shipments"])
    shipments.skip_duplicates(parsed["shipments"], "id")
    result["shipments"] = shipments.finish(parsed["shipments"])

    sanctions = loaders["sanctions"]
    sanctions.skip(
        parsed["sanctions"]["entity_id"].isna() & parsed["sanctions"]["name"].isna(),
        "entity_id",
        "a sanctions row needs an entity_id or a name",
    )
    result["sanctions"] = sanctions.finish(parsed["sanctions"])
    return result, pd.concat([company_differences, person_differences], ignore_index=True)


def _shipment_ids(shipments: pd.DataFrame) -> pd.Series:
    """Declaration ids, derived from the row's content where blank so that reloading is stable."""
    blank = shipments["id"].isna()
    if not blank.any():
        return shipments["id"]
    content = shipments.loc[blank, [c.name for c in SHIPMENTS.columns if c.name != "id"]]
    digest = pd.util.hash_pandas_object(content.astype("string"), index=False)
    derived = "row-" + digest.map("{:016x}".format).astype("string")
    # identical rows are separate declarations: number them in file order
    occurrence = derived.groupby(derived).cumcount()
    derived = derived.where(occurrence == 0, derived + "-" + occurrence.astype("string"))
    return shipments["id"].fillna(derived)

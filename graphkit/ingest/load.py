"""Load a folder of registry and customs CSV files into a Dataset.

Every row is either loaded or reported in the rejects with its file, line, column and reason;
the returned LoadReport counts both, so the numbers always add up.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit.columns import duplicated, is_in
from graphkit.dataset import DUPLICATE_ID_COLUMNS, Dataset, empty_duplicate_ids
from graphkit.errors import InputError
from graphkit.ingest.formats import Extract
from graphkit.ingest.read import FILE, LINE, RawTable
from graphkit.ingest.rejects import JOINED, NOT_MAPPED, ROW_SKIPPED, VALUE_IGNORED, Rejects
from graphkit.ingest.sources import find_sources
from graphkit.ingest.values import FIXES, PARSERS
from graphkit.model import SHIPMENTS, TABLES, Column, Table
from graphkit.resolve.identifiers import fill_registration_dates, registration_digits
from graphkit.resolve.link import Decisions, link_parties, links_summary

log = logging.getLogger(__name__)

# The columns that name a company, in the tables that refer to companies.
ID_REFERENCES = {
    "ownership": ("owner_id", "owned_id"),
    "officers": ("person_id", "company_id"),
    "shipments": ("exporter_id", "importer_id"),
    "sanctions": ("entity_id",),
}
MIN_JOINED_NUMBER = 9  # digits a registration number needs to tell a firm (INN 10, BIN 12)
OTHER_FORMATS = {".xlsx", ".xlsm", ".xls", ".ods", ".numbers", ".tsv", ".txt"}


@dataclass
class TableCount:
    file: str
    rows: int = 0  # data rows in the file
    loaded: int = 0
    skipped: int = 0
    values_ignored: int = 0
    joined: int = 0  # the same firm given again in another file, joined to the first
    encoding: str | None = None  # None: the file was not given


@dataclass
class ExtractSummary:
    """What was read from one file in another format: rows per table, records not mapped."""

    file: str
    format: str
    rows: dict[str, int]
    not_mapped: int


def _summary(extract: Extract) -> ExtractSummary:
    rows = {name: len(raw.frame) for name, raw in extract.tables.items()}
    return ExtractSummary(extract.path.name, extract.format, rows, len(extract.unmapped))


@dataclass
class LoadReport:
    counts: dict[str, TableCount] = field(default_factory=dict)
    rejects: Rejects = field(default_factory=Rejects)
    linked_parties: dict[str, int] = field(default_factory=dict)  # rule -> shipment parties
    matches: pd.DataFrame = field(default_factory=pd.DataFrame)  # one row per distinct party

    extracts: list[ExtractSummary] = field(default_factory=list)  # files in other formats
    ignored: list[str] = field(default_factory=list)  # files netscan does not recognise

    @property
    def not_mapped(self) -> int:
        return sum(e.not_mapped for e in self.extracts)

    @property
    def skipped(self) -> int:
        return sum(c.skipped for c in self.counts.values())

    @property
    def values_ignored(self) -> int:
        return sum(c.values_ignored for c in self.counts.values())


class _TableLoader:
    """Parses one table's raw rows, from one file or several, skipping rows (with a reason) as
    checks fail."""

    def __init__(self, table: Table, raws: list[RawTable], rejects: Rejects) -> None:
        self.table = table
        self.raw = _combined(table, raws)
        self.rejects = rejects
        self.keep = pd.Series(True, index=self.raw.index)
        malformed = sum(len(raw.malformed) for raw in raws)
        self.count = TableCount(
            ", ".join(raw.path.name for raw in raws) or table.filename,
            rows=len(self.raw) + malformed,
            skipped=malformed,
            encoding=", ".join(dict.fromkeys(raw.encoding for raw in raws)) if raws else None,
        )
        for raw in raws:
            rejects.add_lines(str(raw.path), [(m.line, m.text, m.problem) for m in raw.malformed])

    def skip(
        self, mask: pd.Series, column: str, problem: pd.Series | str, action: str = ROW_SKIPPED
    ) -> None:
        """Skip the rows in ``mask`` that are still kept, for ``problem``."""
        mask = mask & self.keep
        if mask.any():
            problems = problem[mask] if isinstance(problem, pd.Series) else problem
            self.rejects.add(
                self.raw.loc[mask, FILE],
                self.raw.loc[mask].drop(columns=FILE),
                column=column,
                values=self.raw.loc[mask, column].fillna("") if column in self.raw else "",
                problem=problems,
                action=action,
            )
            self.keep &= ~mask

    def ignore(self, mask: pd.Series, column: str, problem: pd.Series) -> None:
        """Keep the rows in ``mask`` but drop their value of ``column``, for ``problem``."""
        mask = mask & self.keep
        if mask.any():
            self.rejects.add(
                self.raw.loc[mask, FILE],
                self.raw.loc[mask].drop(columns=FILE),
                column=column,
                values=self.raw.loc[mask, column],
                problem=problem[mask],
                action=VALUE_IGNORED,
            )
            self.count.values_ignored += int(mask.sum())

    def parse(self) -> pd.DataFrame:
        parsed = pd.DataFrame(index=self.raw.index)
        for column in self.table.columns:
            if column.name in self.raw:
                raw = self.raw[column.name]
            else:  # an optional column the files leave out
                raw = pd.Series(pd.NA, index=self.raw.index, dtype="string")
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
        parsed[FILE] = _file_names(self.raw[FILE])
        return parsed

    def skip_duplicates(self, parsed: pd.DataFrame, column: str) -> pd.DataFrame:
        """Skip the rows whose ``column`` repeats an earlier row's; return how they differ.

        The result (``DUPLICATE_ID_COLUMNS``) has a row per value that both rows give and that
        differs: a row repeated word for word, or with values left blank, is a mere duplicate.
        A value the first row leaves blank is taken from the later rows: a firm named only as a
        founder in one file may have its full record in another.
        """
        kept = parsed[column].where(self.keep)
        repeated = duplicated(kept)
        firsts = kept[kept.notna() & ~repeated]
        if not repeated.any():
            return empty_duplicate_ids()
        first_row = pd.Series(firsts.index, index=firsts.to_numpy())
        first_rows = first_row.loc[parsed.loc[repeated, column].to_numpy()].to_numpy()
        differences = _differences(self.table, parsed, column, repeated, firsts)
        _fill_blanks(parsed, parsed.index[repeated], first_rows, skip=column)
        file = parsed.loc[first_rows, FILE].astype(str).to_numpy()
        same_file = file == parsed.loc[repeated, FILE].astype(str).to_numpy()
        where = np.where(same_file, "line ", file + " line ")
        where = where + parsed.loc[first_rows, LINE].astype(str).to_numpy()
        problem = pd.Series("", index=parsed.index, dtype="string")
        problem[repeated] = "duplicate id; it was first given at " + where
        self.skip(repeated, column, problem)
        return differences

    def join_same_firms(self, parsed: pd.DataFrame) -> pd.Series:
        """Skip a firm given again in another file with the same country and registration
        number; return the skipped rows' ids mapped to the id kept, so references follow.

        Each file keeps its own ids (an FtM entity id, an EGRUL-based id, a registry id), so the
        same firm can come under two ids; the registration number says it is one firm.
        """
        kept = self.keep & parsed["registration_number"].notna()
        if parsed.loc[kept, FILE].nunique() < 2:
            return pd.Series(dtype="string")
        number = registration_digits(parsed["registration_number"])
        firms = parsed.loc[kept & (number.str.len() >= MIN_JOINED_NUMBER)].assign(number=number)
        firms = firms.sort_values([FILE, LINE], kind="stable")
        first_row = firms.assign(row=firms.index).groupby(["country", "number"], observed=True)
        first_rows = first_row["row"].transform("first").to_numpy()
        first = parsed.loc[first_rows].set_axis(firms.index)
        again = (firms[FILE] != first[FILE]) & (firms["id"] != first["id"])
        first, first_rows = first[again], first_rows[again.to_numpy()]
        again = firms.index[again]
        where = first[FILE].astype(str) + " line " + first[LINE].astype(str)
        problem = pd.Series("", index=parsed.index, dtype="string")
        problem[again] = "the same firm as " + first["id"] + " (" + where + "): same country and "
        problem[again] += "registration number; its records are joined to that firm"
        _fill_blanks(parsed, again, first_rows, skip="id")
        joined = pd.Series(parsed.index.isin(again), index=parsed.index)
        self.skip(joined, "registration_number", problem, action=JOINED)
        self.count.joined += len(again)
        return pd.Series(first["id"].to_numpy(), index=parsed.loc[again, "id"].to_numpy())

    def skip_unknown(self, parsed: pd.DataFrame, column: str, known: pd.Index, what: str) -> None:
        unknown = parsed[column].notna() & ~is_in(parsed[column], known)
        self.skip(unknown, column, f"{column} names no {what} in this dataset")

    def finish(self, parsed: pd.DataFrame) -> pd.DataFrame:
        """The rows kept; the raw text is let go (ten million rows of it weigh gigabytes)."""
        result = parsed if self.keep.all() else parsed.loc[self.keep]
        result = result.reset_index(drop=True)
        self.count.skipped += int((~self.keep).sum()) - self.count.joined
        self.count.loaded = len(result)
        self.raw = self.raw.iloc[:0]
        return result


def _fill_blanks(parsed: pd.DataFrame, later: pd.Index, first: np.ndarray, *, skip: str) -> None:
    """Fill the blanks of rows ``first`` with the values of the rows ``later`` that repeat them
    (``first[i]`` is the row ``later[i]`` repeats), the earliest value first."""
    for column in parsed.columns.drop([skip, LINE, FILE]):
        values = pd.Series(parsed.loc[later, column].to_numpy(), index=first)
        values = values[values.notna()]
        if values.empty:
            continue
        earliest = values.groupby(level=0, sort=False).first()
        blank = parsed.loc[earliest.index, column].isna().to_numpy()
        if blank.any():
            parsed.loc[earliest.index[blank], column] = earliest[blank].to_numpy()


def _renamed(ids: pd.Series, new_ids: pd.Series) -> pd.Series:
    """``ids`` with each id in ``new_ids``' index replaced by its new id."""
    renamed = is_in(ids, new_ids.index)
    if not renamed.any():
        return ids
    return ids.mask(renamed, new_ids.reindex(ids[renamed].to_numpy()).set_axis(ids[renamed].index))


def _combined(table: Table, raws: list[RawTable]) -> pd.DataFrame:
    """The rows of all ``raws`` in one frame of the table's columns, with each row's file."""
    frames = [raw.frame for raw in raws]
    if not frames:
        frames = [pd.DataFrame({c.name: pd.Series(dtype="string") for c in table.columns})]
        frames[0][LINE] = pd.Series(dtype="int64")
    frame = frames[0].copy(deep=False)
    if len(frames) > 1:  # files of other formats give a column or not: text everywhere
        frame = pd.concat(frames, ignore_index=True)
        text = frame.columns.drop(LINE)
        frame[text] = frame[text].astype("string")
    paths = [str(raw.path) for raw in raws]
    files = list(dict.fromkeys(paths)) or [table.filename]
    codes = np.repeat([files.index(p) for p in paths], [len(raw.frame) for raw in raws])
    frame[FILE] = pd.Categorical.from_codes(codes.astype("int32"), categories=files)
    return frame


def _file_names(paths: pd.Series) -> pd.Series:
    """Each row's file by its name, as findings cite it ("companies.csv line 12"); by its path
    when two files of the table share a name."""
    names = [Path(path).name for path in paths.cat.categories]
    return paths if len(set(names)) < len(names) else paths.cat.rename_categories(names)


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
                    "first_file": parsed.loc[first_rows, FILE].astype(str).to_numpy()[differ],
                    "first_line": parsed.loc[first_rows, LINE].to_numpy()[differ],
                    "file": parsed.loc[repeated, FILE].astype(str).to_numpy()[differ],
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


def _check_required(folder: Path, table: Table, raws: list[RawTable], others: bool) -> None:
    """Stop when a required table has no rows from any file (``others``: files in other
    formats were read, which might have given it)."""
    if not table.required or any(not raw.frame.empty or raw.malformed for raw in raws):
        return
    if raws and all(raw.path.name.lower() == table.filename for raw in raws):
        raise InputError(
            "the file has a header but no rows",
            path=raws[0].path,
            line=2,
            fix=f"It needs at least one row of {table.help}; check the export",
        )
    _check_not_a_spreadsheet(folder, table)
    if others:
        raise InputError(
            f"no file gives {table.name}: there is no {table.filename}, and the files in other "
            f"formats hold no {table.rows_are}",
            path=folder,
            fix=f"Put {table.filename} ({table.help}) in the folder; see README 'Input'",
        )
    raise InputError(
        f"required file {table.filename} is missing",
        path=folder,
        fix=f"Put {table.filename} ({table.help}) in the folder; see README 'Input'",
    )


def load_folder(folder: Path, decisions: Path | None = None) -> tuple[Dataset, LoadReport]:
    """Read every input file in ``folder``; raise InputError for an unusable file.

    netscan's own CSV files are read by name, files in other formats by their content (see
    ``graphkit.ingest.sources``); each table combines the rows of every file that gives it.
    ``decisions`` is a CSV file of manual linking decisions (see ``graphkit.resolve.link``).

    >>> dataset, report = load_folder(Path("examples"))  # doctest: +SKIP
    """
    sources = find_sources(folder)
    report = LoadReport(ignored=[p.name for p in sources.ignored])
    for extract in sources.extracts:
        report.rejects.add_lines(
            str(extract.path), [(m.line, m.text, m.problem) for m in extract.unmapped], NOT_MAPPED
        )
        report.extracts.append(_summary(extract))
    loaders: dict[str, _TableLoader] = {}
    parsed: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        raws = sources.tables[table.name]
        _check_required(folder, table, raws, bool(sources.extracts))
        loader = _TableLoader(table, raws, report.rejects)
        loaders[table.name], parsed[table.name] = loader, loader.parse()
    sources.tables.clear()

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
    same_firms = companies.join_same_firms(parsed["companies"])
    result = {"companies": companies.finish(parsed["companies"])}
    company_ids = pd.Index(result["companies"]["id"])
    if not same_firms.empty:
        for name, columns in ID_REFERENCES.items():
            for column in columns:
                parsed[name][column] = _renamed(parsed[name][column], same_firms)

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
    occurrence = derived.groupby(digest.to_numpy(), sort=False).cumcount()  # integers group fast
    derived = derived.where(occurrence == 0, derived + "-" + occurrence.astype("string"))
    ids = shipments["id"].copy()
    ids[blank.to_numpy()] = derived.to_numpy()  # not fillna: aligning ten million rows is slow
    return ids

"""Trade diverted through third countries: EU exports to Russia fall, to its neighbours rise.

The EU's sanctions envoy, David O'Sullivan, described the pattern: "exports which we were
previously sending to Russia appear now to be going to countries where we did not substantially
export these products, and exports from these countries of those products to Russia have also
risen". This module measures it, for each transit country and product, from aggregated trade
statistics (Eurostat, UN Comtrade) or from the shipments of a dataset.

Reference for the method: M. Chupilkin, B. Javorcik, A. Plekhanov, "The Eurasian Roundabout:
Trade Flows into Russia through the Caucasus and Central Asia", EBRD working paper (February
2023), CEPR Discussion Paper 20097 (2025). They compare exports to Armenia, Kazakhstan and the
Kyrgyz Republic product by product before and after February 2022, and the rise of those
exports with the fall of direct exports to Russia ("substitution ratios", here ``absorption``).
Here the periods are compared as monthly averages, and against a linear trend of the baseline.
"""

from __future__ import annotations

import gzip
import logging
import re
import shutil
import tempfile
import zlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit.dataset import Dataset
from graphkit.errors import InputError, OptionError
from graphkit.ingest.read import LINE, RawTable, normalise_header, read_csv
from graphkit.ingest.rejects import ROW_SKIPPED, Rejects
from graphkit.ingest.values import (
    FIXES,
    Parsed,
    parse_country,
    parse_date,
    parse_hs_code,
    parse_number,
    parse_text,
)
from graphkit.model import Column, Kind, Table
from graphkit.reference import chpl_tiers
from graphkit.settings import EU_MEMBERS, INVASION_DATE

log = logging.getLogger(__name__)

# Countries through which EU goods have reached Russia since 2022 (Caucasus and Central Asia).
DEFAULT_TRANSIT = ("AM", "GE", "KG", "KZ", "UZ")
DEFAULT_BASELINE = "2019-01..2021-12"  # clipped to the months the data covers
DEFAULT_AFTER = f"{pd.Period(INVASION_DATE, 'M') + 1}.."  # the first whole month after the invasion
YEAR_BEFORE = "year-before"  # baseline: the months of the after period, twelve months earlier
LEVELS = ("hs2", "hs4", "hs6", "chpl", "all")
FLOWS = ("export", "import")

CHPL_TIER_NAMES = {
    "1": "CHPL tier 1: integrated circuits",
    "2": "CHPL tier 2: wireless, navigation and passive electronic components",
    "3A": "CHPL tier 3A: computers, communication parts, connectors, discrete semiconductors",
    "3B": "CHPL tier 3B: bearings, drone parts, optics, navigation instruments",
    "4A": "CHPL tier 4A: electronics manufacturing and test equipment",
    "4B": "CHPL tier 4B: CNC machine tools",
}
ALL_PRODUCTS = "all"

# The columns of a flows file: each field and the header names read for it, first found wins.
# The defaults read the Eurostat extract in shared/reference (whose 'product' is the CN-8 text).
FLOW_FIELDS: dict[str, tuple[str, ...]] = {
    "reporter": ("reporter",),
    "partner": ("partner",),
    "hs_code": ("hs_code", "hs"),
    "month": ("month",),
    "value": ("value", "value_eur", "value_usd"),
    "flow": ("flow",),
    "description": ("description", "product"),
}
REQUIRED_FIELDS = ("reporter", "partner", "hs_code", "month", "value")
# Eurostat writes EXPORT, UN Comtrade Export (flowDesc) or X (flowCode).
FLOW_WORDS = {
    "export": "export", "exports": "export", "x": "export",
    "import": "import", "imports": "import", "m": "import",
}  # fmt: skip
MONTH_FIX = "use YYYY-MM, YYYYMM, YYYYMmm or a date (YYYY-MM-DD, DD.MM.YYYY)"

MonthRange = str | tuple[str | None, str | None]


@dataclass(frozen=True)
class TradeFlows:
    """What ``trade_flows`` found; ``comparison`` and ``totals`` share their columns.

    ``monthly`` holds the series behind the comparison: ``product``, ``origin`` and
    ``destination`` (country codes, or the supplier and buyer labels such as ``EU`` and ``RU``),
    ``month`` and ``value``, one row per month of the data, zero where nothing was traded.
    """

    comparison: pd.DataFrame
    totals: pd.DataFrame
    monthly: pd.DataFrame
    level: str
    baseline: tuple[pd.Period, pd.Period]
    after: tuple[pd.Period, pd.Period]
    suppliers: str
    buyers: str


# Reading ------------------------------------------------------------------------------------


def parse_month(raw: pd.Series) -> Parsed:
    """Months written 2022-03, 202203 (UN Comtrade), 2022M03 (Eurostat) or as a date."""
    text = parse_text(raw).values
    year_month = text.str.replace(r"^(\d{4})[-/Mm]?(\d{2})$", r"\1-\2", regex=True)
    months = pd.Series(pd.to_datetime(year_month, format="%Y-%m", errors="coerce"), index=raw.index)
    dates = parse_date(raw).values.astype("datetime64[ns]")
    values = months.fillna(dates).dt.to_period("M")
    return Parsed(values, text.notna() & values.isna())


def _parse_country_with_note(raw: pd.Series) -> Parsed:
    """Countries; a note in brackets is dropped when the whole text is not a country.

    Eurostat writes "Germany (incl. German Democratic Republic 'DD' from 1991)".
    """
    whole = parse_country(raw)
    without_note = parse_country(raw.astype("string").str.replace(r"\s*\(.*\)\s*$", "", regex=True))
    values = whole.values.fillna(without_note.values)
    return Parsed(values, whole.bad & values.isna())


def _parse_flow(raw: pd.Series) -> Parsed:
    text = parse_text(raw).values
    values = text.str.lower().map(FLOW_WORDS).astype("string")
    return Parsed(values, text.notna() & values.isna())


def _parse_value(raw: pd.Series) -> Parsed:
    number = parse_number(raw)
    values = number.values.where(number.values >= 0)
    return Parsed(values, number.bad | (number.values < 0))


FIELD_PARSERS = {
    "reporter": (_parse_country_with_note, FIXES[Kind.COUNTRY]),
    "partner": (_parse_country_with_note, FIXES[Kind.COUNTRY]),
    "hs_code": (parse_hs_code, FIXES[Kind.HS_CODE]),
    "month": (parse_month, MONTH_FIX),
    "value": (_parse_value, "use a number of 0 or more such as 12345.67"),
    "flow": (_parse_flow, "use Export or Import (X or M)"),
    "description": (parse_text, ""),
}


def _header_names(columns: Mapping[str, str] | None) -> dict[str, tuple[str, ...]]:
    """Header names to look for, per field: the user's mapping, else the defaults."""
    columns = dict(columns or {})
    unknown = sorted(set(columns) - set(FLOW_FIELDS))
    if unknown:
        raise OptionError(
            f"'{unknown[0]}' is not a field of a flows file",
            fix=f"Map one of {', '.join(FLOW_FIELDS)}, e.g. --column reporter=ReporterDesc",
        )
    return {
        field: (normalise_header(columns[field]),) if field in columns else names
        for field, names in FLOW_FIELDS.items()
    }


def _read_raw(path: Path, table: Table) -> RawTable:
    """Read a CSV file, gzip-compressed (.gz) or not, with ``read_csv``."""
    if not path.is_file():
        raise InputError(
            "no such file",
            path=path,
            fix="Give --flows a CSV file of trade flows (.csv or .csv.gz)",
        )
    if path.suffix.lower() != ".gz":
        return read_csv(path, table)
    # read_csv sniffs the encoding from the bytes of the file, so it gets the unpacked text
    # (its log messages name the unpacked copy, hence the folder's name).
    with tempfile.TemporaryDirectory(prefix="netscan-unpacked-") as folder:
        plain = Path(folder) / path.stem
        try:
            with gzip.open(path) as packed, plain.open("wb") as unpacked:
                shutil.copyfileobj(packed, unpacked)
        except (OSError, EOFError, zlib.error) as error:
            raise InputError(
                f"the file cannot be unpacked ({error})",
                path=path,
                fix="Give a gzip-compressed CSV file, or the CSV file itself",
            ) from None
        try:
            raw = read_csv(plain, table)
        except InputError as error:
            raise InputError(
                error.problem, path=path, line=error.line, column=error.column, fix=error.fix
            ) from None
    return replace(raw, path=path)


def _find_headers(raw: RawTable, names: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """The header of each field present in the file; InputError for a missing required one."""
    present = list(raw.frame.columns.drop(LINE))
    found = {}
    for field, candidates in names.items():
        header = next((name for name in candidates if name in present), None)
        if header is not None:
            found[field] = header
        elif field in REQUIRED_FIELDS:
            raise InputError(
                f"required column '{candidates[0]}' is missing (the header has: "
                f"{', '.join(present)})",
                path=raw.path,
                line=1,
                column=candidates[0],
                fix=f"Rename the column that holds the {field}, or name it with "
                f"--column {field}=HEADER",
            )
    return found


def read_flows(
    path: Path, *, columns: Mapping[str, str] | None = None, rejects: Rejects | None = None
) -> pd.DataFrame:
    """Read aggregated trade flows: who reported exporting (or importing) what, when, how much.

    Parameters
    ----------
    path : a CSV file, or a gzip-compressed one (``.csv.gz``), with a header row.
    columns : which header holds which field, for files named otherwise; for a UN Comtrade
        export: ``{"reporter": "reporterDesc", "partner": "partnerDesc", "hs_code": "cmdCode",
        "month": "period", "value": "primaryValue", "flow": "flowDesc"}``. Without it the
        fields are read from ``reporter``, ``partner``, ``hs_code`` or ``hs``, ``month``,
        ``value`` (or ``value_eur``, ``value_usd``) and the optional ``flow`` (Export/Import,
        X/M; without it every row is an export) and ``description`` (or ``product``).
    rejects : collects the rows that cannot be used, with line, column and reason; their
        number is logged either way.

    Returns
    -------
    One row per usable input row: ``reporter`` and ``partner`` (ISO alpha-2), ``flow``
    (``export`` or ``import``), ``hs_code`` (6 to 10 digits), ``description``, ``month``
    (``Period[M]``), ``value`` (in the file's currency) and ``line`` (in the file).

    Countries may be codes or names; Eurostat's notes in brackets are dropped. A row whose
    required value is missing or unreadable (a group such as "EU-27" as reporter, a negative
    value, an HS code of fewer than 6 digits) is skipped and listed in ``rejects``.

    >>> flows = read_flows(Path("eurostat.csv.gz"))  # doctest: +SKIP
    """
    names = _header_names(columns)
    table = Table("flows", tuple(Column(n, Kind.TEXT) for ns in names.values() for n in ns))
    raw = _read_raw(path, table)
    headers = _find_headers(raw, names)
    rejects = rejects if rejects is not None else Rejects()
    rejects.add_lines(str(path), [(m.line, m.text, m.problem) for m in raw.malformed])
    flows = pd.DataFrame({LINE: raw.frame[LINE]})
    keep = pd.Series(True, index=raw.frame.index)
    for field, header in headers.items():
        flows[field], problems = _parse_field(field, raw.frame[header])
        for mask, problem in problems:
            keep &= ~_skip(raw, header, mask & keep, problem, rejects)
    if "flow" not in headers:
        log.info("%s: no flow column; every row is read as the reporter's export", path)
        flows["flow"] = "export"
    if "description" not in headers:
        flows["description"] = pd.NA
    skipped, rows = int((~keep).sum()) + len(raw.malformed), len(raw.frame) + len(raw.malformed)
    if skipped:
        log.warning("%s: skipped %d of %d rows that cannot be used", path, skipped, rows)
    columns_out = ["reporter", "partner", "flow", "hs_code", "description", "month", "value", LINE]
    return flows.loc[keep, columns_out].reset_index(drop=True)


Problem = tuple[pd.Series, pd.Series | str]  # the rows that have it, and what it is


def _parse_field(field: str, raw: pd.Series) -> tuple[pd.Series, list[Problem]]:
    """The parsed values of one field and the problems that make a row unusable."""
    parse, fix = FIELD_PARSERS[field]
    values, bad = parse(raw)
    problems: list[Problem] = [(bad, f"{raw.name} '" + raw.fillna("") + f"' cannot be read; {fix}")]
    if field in REQUIRED_FIELDS:
        problems.insert(0, (values.isna() & ~bad, "a required value is missing"))
    return values, problems


def _skip(
    raw: RawTable, header: str, rows: pd.Series, problem: pd.Series | str, rejects: Rejects
) -> pd.Series:
    """List ``rows`` in ``rejects`` for ``problem``; return them."""
    if rows.any():
        rejects.add(
            str(raw.path),
            raw.frame.loc[rows],
            column=header,
            values=raw.frame.loc[rows, header].fillna(""),
            problem=problem[rows] if isinstance(problem, pd.Series) else problem,
            action=ROW_SKIPPED,
        )
    return rows


def flows_from_shipments(dataset: Dataset) -> pd.DataFrame:
    """The shipments of a dataset as flows: each shipment is an export of its exporter's country.

    Shipments without a ``value_usd`` cannot be added up; they are counted and logged. The
    returned table has the columns of ``read_flows``, with values in USD.
    """
    shipments = dataset.shipments
    valued = shipments["value_usd"].notna()
    if not valued.all():
        log.warning(
            "%d of %d shipments have no value_usd and are left out of the trade flows",
            int((~valued).sum()),
            len(shipments),
        )
    shipments = shipments.loc[valued]
    return pd.DataFrame(
        {
            "reporter": shipments["exporter_country"],
            "partner": shipments["importer_country"],
            "flow": "export",
            "hs_code": shipments["hs_code"],
            "description": shipments["description"],
            "month": pd.to_datetime(shipments["date"]).dt.to_period("M"),
            "value": shipments["value_usd"].astype("float64"),
            LINE: shipments[LINE],
        }
    ).reset_index(drop=True)


# Options ------------------------------------------------------------------------------------


def _month(text: str, option: str) -> pd.Period:
    parsed = parse_month(pd.Series([text], dtype="string"))
    if parsed.values.isna().iloc[0]:
        raise OptionError(f"{option} '{text}' is not a month", fix=MONTH_FIX.capitalize())
    return parsed.values.iloc[0]


def _month_range(
    spec: MonthRange, option: str, data: tuple[pd.Period, pd.Period]
) -> tuple[pd.Period, pd.Period]:
    """'2020-01..2021-12', '2022-03..' or a (start, end) pair, clipped to the data's months."""
    if isinstance(spec, str):
        if ".." not in spec:
            raise OptionError(
                f"{option} '{spec}' is not a range of months",
                fix="Write START..END such as 2020-01..2021-12; either end may be left out",
            )
        start_text, end_text = spec.split("..", 1)
        bounds: tuple[str | None, str | None] = (
            start_text.strip() or None,
            end_text.strip() or None,
        )
    else:
        bounds = spec
    start = max(_month(bounds[0], option), data[0]) if bounds[0] else data[0]
    end = min(_month(bounds[1], option), data[1]) if bounds[1] else data[1]
    if start > end:
        raise OptionError(
            f"{option} {_text(spec)} has no months in the data ({data[0]} to {data[1]})",
            fix=f"Give {option} a range of months within the data",
        )
    return start, end


def _text(spec: MonthRange) -> str:
    return spec if isinstance(spec, str) else f"{spec[0] or ''}..{spec[1] or ''}"


def _periods(
    baseline: MonthRange, after: MonthRange, data: tuple[pd.Period, pd.Period]
) -> tuple[tuple[pd.Period, pd.Period], tuple[pd.Period, pd.Period]]:
    """The baseline and after months, within the data, the baseline first."""
    after_months = _month_range(after, "--after", data)
    if baseline == YEAR_BEFORE:
        year_before = (after_months[0] - 12, after_months[1] - 12)
        baseline_months = _month_range(
            (str(year_before[0]), str(year_before[1])), "--baseline", data
        )
    else:
        baseline_months = _month_range(baseline, "--baseline", data)
    if baseline_months[1] >= after_months[0]:
        raise OptionError(
            f"the baseline {baseline_months[0]}..{baseline_months[1]} does not end before the "
            f"after period {after_months[0]}..{after_months[1]} starts",
            fix="Give --baseline months before --after (year-before needs an after period of "
            "12 months or less)",
        )
    return baseline_months, after_months


def _check_countries(
    transit: Collection[str], suppliers: Collection[str], buyers: Collection[str]
) -> None:
    overlap = (set(transit) & set(suppliers)) | (set(transit) & set(buyers))
    overlap |= set(suppliers) & set(buyers)
    if overlap:
        raise OptionError(
            f"{', '.join(sorted(overlap))} can have only one role: transit, supplier or buyer",
            fix="Give each country one role: --transit, --suppliers or --buyers",
        )
    if not (transit and suppliers and buyers):
        raise OptionError(
            "transit, supplier and buyer countries are all needed",
            fix="Give at least one country to each of --transit, --suppliers and --buyers",
        )


def _label(countries: Collection[str]) -> str:
    """'EU' for the 27 member states, else the codes joined: 'BY+RU'."""
    return "EU" if set(countries) == set(EU_MEMBERS) else "+".join(sorted(countries))


# Comparing ----------------------------------------------------------------------------------


def _directed(flows: pd.DataFrame, flow: str) -> pd.DataFrame:
    """Rows of one flow as origin -> destination: an import comes from the partner."""
    rows = flows.loc[flows["flow"] == flow]
    exported = flow == "export"
    return pd.DataFrame(
        {
            "origin": rows["reporter" if exported else "partner"],
            "destination": rows["partner" if exported else "reporter"],
            "hs_code": rows["hs_code"],
            "description": rows["description"],
            "month": rows["month"],
            "value": rows["value"],
        }
    )


def _routes(
    directed: pd.DataFrame,
    transit: Collection[str],
    suppliers: Collection[str],
    buyers: Collection[str],
) -> pd.DataFrame:
    """Suppliers -> buyers, suppliers -> transit and transit -> buyers, with the suppliers and
    the buyers each added up under one label ('EU', 'RU')."""
    supplier, buyer = _label(suppliers), _label(buyers)
    origin = directed["origin"].where(~directed["origin"].isin(suppliers), supplier)
    destination = directed["destination"].where(~directed["destination"].isin(buyers), buyer)
    wanted = ((origin == supplier) & (destination.isin(transit) | (destination == buyer))) | (
        origin.isin(transit) & (destination == buyer)
    )
    return directed.assign(origin=origin, destination=destination).loc[wanted]


def _products(hs_code: pd.Series, level: str) -> pd.Series:
    """The product group of each HS code at ``level``; NA for codes off the CHPL list."""
    if level == ALL_PRODUCTS:
        return pd.Series(ALL_PRODUCTS, index=hs_code.index, dtype="string")
    if level == "chpl":
        return hs_code.str[:6].map(chpl_tiers()).astype("string")
    return hs_code.str[: int(level[2:])]


def _series(routes: pd.DataFrame, level: str, months: pd.PeriodIndex) -> pd.DataFrame:
    """Value per month (columns) of each origin, destination and product (rows), 0 if none."""
    keyed = routes.assign(product=_products(routes["hs_code"], level))
    off_list = keyed["product"].isna()
    if off_list.any():
        log.info("%d flow rows are not on the CHPL list and left out", int(off_list.sum()))
    matrix = (
        keyed.loc[~off_list]
        .groupby(["origin", "destination", "product", "month"])["value"]
        .sum()
        .unstack("month", fill_value=0.0)
    )
    return matrix.reindex(columns=months, fill_value=0.0)


def _trend(before: np.ndarray, before_at: np.ndarray, after_at: np.ndarray) -> np.ndarray:
    """Mean over ``after_at`` of each row's least-squares line through ``before``, floored at 0.

    ``before`` has one row per series and one column per baseline month; ``before_at`` and
    ``after_at`` are month numbers. A single baseline month gives a flat line.
    """
    centred = before_at - before_at.mean()
    spread = float((centred**2).sum())
    means = before.mean(axis=1)
    slopes = (before - means[:, None]) @ centred / spread if spread else np.zeros(len(before))
    line = means[:, None] + slopes[:, None] * (after_at - before_at.mean())[None, :]
    return np.clip(line, 0.0, None).mean(axis=1)


def _measures(
    matrix: pd.DataFrame,
    baseline: tuple[pd.Period, pd.Period],
    after: tuple[pd.Period, pd.Period],
) -> pd.DataFrame:
    """Monthly average before and after, and the baseline trend in the after months."""
    months = matrix.columns
    at = np.arange(len(months))
    in_baseline = np.asarray((months >= baseline[0]) & (months <= baseline[1]))
    in_after = np.asarray((months >= after[0]) & (months <= after[1]))
    values = matrix.to_numpy(dtype="float64")
    return pd.DataFrame(
        {
            "before": values[:, in_baseline].mean(axis=1),
            "after": values[:, in_after].mean(axis=1),
            "trend": _trend(values[:, in_baseline], at[in_baseline], at[in_after]),
        },
        index=matrix.index,
    )


def _growth(before: pd.Series, after: pd.Series) -> pd.Series:
    """after / before - 1; NaN when there was nothing before (new trade has no growth rate)."""
    return (after / before.where(before > 0)) - 1


def _absorption(increase: pd.Series, decrease: pd.Series) -> pd.Series:
    """increase / decrease, between 0 and 1; NaN when direct exports did not fall."""
    return (increase / decrease.where(decrease > 0)).clip(lower=0.0, upper=1.0)


def _clean_description(text: object) -> str:
    """Eurostat's CN-8 texts repeat with validity years: 'Processing units ... (2007-2500);...'."""
    if pd.isna(text):
        return ""
    first = re.match(r"(.*?)\s*\(\d{4}-\d{4}\)(;|$)", str(text), flags=re.DOTALL)
    return (first.group(1) if first else str(text)).strip()


def _descriptions(routes: pd.DataFrame, level: str) -> dict[str, str]:
    """Each product group's description: that of its largest code by value."""
    if level == ALL_PRODUCTS:
        return {ALL_PRODUCTS: "all products"}
    if level == "chpl":
        return CHPL_TIER_NAMES
    largest = (
        routes.assign(product=_products(routes["hs_code"], level))
        .groupby(["product", "hs_code"])["value"]
        .sum()
        .sort_values(ascending=False, kind="stable")
        .reset_index()
        .drop_duplicates("product")
    )
    texts = routes.dropna(subset=["description"]).drop_duplicates("hs_code")
    by_code = dict(zip(texts["hs_code"], texts["description"], strict=True))
    return {
        product: _clean_description(by_code.get(code))
        for product, code in zip(largest["product"], largest["hs_code"], strict=True)
    }


def _compare(
    stats: pd.DataFrame, *, transit: Collection[str], covered: set[str], supplier: str, buyer: str
) -> pd.DataFrame:
    """One row per transit country and product with the measures of ``trade_flows``."""
    origin = stats.index.get_level_values("origin")
    destination = stats.index.get_level_values("destination")
    pair_names = ["transit", "product"]
    to_transit = stats.loc[(origin == supplier) & destination.isin(transit)].droplevel("origin")
    onward = stats.loc[origin.isin(transit) & (destination == buyer)].droplevel("destination")
    direct = stats.loc[(origin == supplier) & (destination == buyer)].droplevel(
        ["origin", "destination"]
    )
    to_transit.index.names = onward.index.names = pair_names
    pairs = to_transit.index.union(onward.index)
    table = to_transit.reindex(pairs, fill_value=0.0).add_prefix("to_transit_")
    table["to_transit_excess"] = table["to_transit_after"] - table["to_transit_trend"]
    table["to_transit_growth"] = _growth(table["to_transit_before"], table["to_transit_after"])
    products = pairs.get_level_values("product")
    for column in ("before", "after"):
        table[f"direct_{column}"] = direct[column].reindex(products, fill_value=0.0).to_numpy()
        onward_values = onward[column].reindex(pairs, fill_value=0.0)
        # no rows at all from a transit country: the data does not say what it exported
        table[f"onward_{column}"] = onward_values.where(
            pairs.get_level_values("transit").isin(covered)
        )
    table["direct_growth"] = _growth(table["direct_before"], table["direct_after"])
    table["onward_growth"] = _growth(table["onward_before"], table["onward_after"])
    table["absorption"] = _absorption(
        table["to_transit_after"] - table["to_transit_before"],
        table["direct_before"] - table["direct_after"],
    )
    traded = table[["to_transit_before", "to_transit_after", "onward_before", "onward_after"]]
    return table.loc[traded.fillna(0.0).gt(0.0).any(axis=1)]


def _ranked(table: pd.DataFrame, descriptions: Mapping[str, str]) -> pd.DataFrame:
    ranked = table.reset_index().sort_values(
        ["to_transit_excess", "transit", "product"],
        ascending=[False, True, True],
        kind="stable",
        ignore_index=True,
    )
    ranked.insert(2, "description", ranked["product"].map(descriptions).fillna(""))
    ranked["excess_rank"] = np.arange(1, len(ranked) + 1)
    ranked["absorption_rank"] = (
        ranked["absorption"].rank(ascending=False, method="first").astype("Int64")
    )
    return ranked[COMPARISON_COLUMNS]


COMPARISON_COLUMNS = [
    "transit",
    "product",
    "description",
    "to_transit_before",
    "to_transit_after",
    "to_transit_growth",
    "to_transit_trend",
    "to_transit_excess",
    "direct_before",
    "direct_after",
    "direct_growth",
    "onward_before",
    "onward_after",
    "onward_growth",
    "absorption",
    "excess_rank",
    "absorption_rank",
]


def _monthly(matrix: pd.DataFrame) -> pd.DataFrame:
    long = matrix.stack().rename("value").reset_index()
    return long[["product", "origin", "destination", "month", "value"]]


def trade_flows(
    flows: pd.DataFrame,
    *,
    level: str = "hs4",
    baseline: MonthRange = DEFAULT_BASELINE,
    after: MonthRange = DEFAULT_AFTER,
    transit: Collection[str] = DEFAULT_TRANSIT,
    suppliers: Collection[str] = EU_MEMBERS,
    buyers: Collection[str] = ("RU",),
    flow: str = "export",
) -> TradeFlows:
    """Compare trade before and after the invasion, for each transit country and product.

    Parameters
    ----------
    flows : a table as ``read_flows`` or ``flows_from_shipments`` return.
    level : the product groups: ``hs2``, ``hs4``, ``hs6`` (the first digits of the HS code),
        ``chpl`` (the tiers of the Common High Priority Items list; codes off the list are left
        out) or ``all`` (one group).
    baseline : the months before: ``"START..END"`` or ``(start, end)``, months as ``YYYY-MM``,
        either end open; or ``"year-before"``, the after months twelve months earlier.
    after : the months after, likewise; from the first whole month after the invasion.
    transit : the countries goods may pass through (ISO alpha-2).
    suppliers, buyers : the countries exporting and the countries they stopped exporting to;
        each side is added up as one (``EU``, ``RU``).
    flow : use the ``export`` rows (reporter to partner) or the ``import`` rows (partner to
        reporter) of ``flows``: mirror statistics of the same goods differ, so never both.

    Returns
    -------
    TradeFlows, whose ``comparison`` has one row per transit country and product with any
    trade to or from the transit country in either period, largest excess first, and
    ``totals`` the same over all products, one row per transit country.

    The measures
    ------------
    All values are monthly averages (total over the period's months / number of months), so
    periods of different length compare. Both periods are clipped to the months the data
    covers (from its first to its last month); within them, a month without a row counts as 0.

    - ``to_transit_before``, ``to_transit_after``: suppliers' exports to the transit country.
    - ``to_transit_growth`` = after / before - 1 (2.0 = tripled); blank when before is 0.
    - ``to_transit_trend``: the least-squares line through the baseline months, extrapolated
      to each after month, floored at 0 (exports cannot be negative), averaged.
    - ``to_transit_excess`` = after - trend: the exports above what the baseline trend
      predicts. The comparison is ranked by it (``excess_rank``). A line through a short or
      noisy baseline, extrapolated far, can mislead: read it with the growth.
    - ``direct_before``, ``direct_after``, ``direct_growth``: suppliers' exports of the same
      product to the buyers (-0.6 = fell by 60%).
    - ``onward_before``, ``onward_after``, ``onward_growth``: the transit country's exports to
      the buyers; blank when the data holds no exports of the transit country at all (the
      Eurostat extract has EU reporters only).
    - ``absorption`` = (to_transit_after - to_transit_before) / (direct_before - direct_after),
      between 0 and 1: the share of the fall in direct exports that the rise of exports to the
      transit country could replace. Blank when direct exports did not fall, 0 when exports to
      the transit country did not rise. Each country is capped at 1 on its own, so the shares
      of several countries may add up to more. Ranked by ``absorption_rank``.

    Examples
    --------
    Germany sold chips (HS 8542) for 100 a month to Kazakhstan in 2021 and 400 a month after
    the invasion; its sales to Russia fell from 1,000 to 700 a month:

    >>> months = pd.PeriodIndex(["2021-06", "2021-07", "2022-03", "2022-04"] * 2, freq="M")
    >>> flows = pd.DataFrame({"reporter": "DE", "partner": ["KZ"] * 4 + ["RU"] * 4,
    ...     "flow": "export", "hs_code": "85423190", "description": "Processors",
    ...     "month": months, "value": [100.0, 100, 400, 400, 1000, 1000, 700, 700]})
    >>> kazakhstan = trade_flows(flows, baseline="2021-06..2021-07").comparison.iloc[0]
    >>> kazakhstan[["to_transit_growth", "to_transit_excess", "absorption"]].astype(float).tolist()
    [3.0, 300.0, 1.0]

    Exports to Kazakhstan rose by 300 a month, enough to replace all of the 300 lost in Russia.
    """
    if level not in LEVELS:
        raise OptionError(f"level '{level}' is not known", fix=f"Use one of {', '.join(LEVELS)}")
    if flow not in FLOWS:
        raise OptionError(f"flow '{flow}' is not known", fix="Use export or import")
    _check_countries(transit, suppliers, buyers)
    directed = _directed(flows, flow)
    if directed.empty:
        raise InputError(
            f"the flows hold no {flow} rows",
            fix="Give a file of trade flows with values, or choose the other flow",
        )
    data = (directed["month"].min(), directed["month"].max())
    baseline_months, after_months = _periods(baseline, after, data)
    log.info("Comparing %s..%s with %s..%s", *baseline_months, *after_months)
    months = pd.period_range(data[0], data[1], freq="M", name="month")
    routes = _routes(directed, transit, suppliers, buyers)
    covered = set(directed["origin"]) & set(transit)
    labels = {"supplier": _label(suppliers), "buyer": _label(buyers)}
    matrix = _series(routes, level, months)
    by_product = _compare(
        _measures(matrix, baseline_months, after_months), transit=transit, covered=covered, **labels
    )
    if by_product.empty:
        log.warning("The flows hold no trade with the transit countries %s", ", ".join(transit))
    totals = _compare(
        _measures(_series(routes, ALL_PRODUCTS, months), baseline_months, after_months),
        transit=transit,
        covered=covered,
        **labels,
    )
    return TradeFlows(
        comparison=_ranked(by_product, _descriptions(routes, level)),
        totals=_ranked(totals, _descriptions(routes, ALL_PRODUCTS)),
        monthly=_monthly(matrix),
        level=level,
        baseline=baseline_months,
        after=after_months,
        suppliers=labels["supplier"],
        buyers=labels["buyer"],
    )

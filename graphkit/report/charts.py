"""Charts of trade flows: PNG files for reports and one HTML page that opens offline.

Matplotlib draws on its Agg canvas (no display, no pyplot state). The HTML page embeds the
PNGs as base64 and the numbers as tables, loads nothing from the network, and escapes every
text that comes from the data. The numbers behind every chart are written as CSV.
"""

from __future__ import annotations

import base64
import html
import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib as mpl
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import EngFormatter

from graphkit.analysis.trade_flows import ALL_PRODUCTS, COMPARISON_COLUMNS, TradeFlows
from graphkit.report.files import write_atomically
from graphkit.report.policy import content_security_policy
from graphkit.settings import INVASION_DATE

log = logging.getLogger(__name__)

PREFIX = "trade_flows"
LABEL_LENGTH = 50  # characters of a product description in a chart


@dataclass(frozen=True)
class Chart:
    name: str  # file name
    title: str
    png: bytes
    product: str | None = None  # the product group of a monthly chart


@contextmanager
def _plain_text() -> Iterator[None]:
    # A '$' in a product description would otherwise start matplotlib's math notation.
    with mpl.rc_context({"text.parse_math": False, "font.size": 9}):
        yield


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # No "Software" entry: the same numbers give the same file.
    figure.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    return buffer.getvalue()


def _short(text: str, length: int = LABEL_LENGTH) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _money_axis(axes: Axes, unit: str) -> None:
    axes.yaxis.set_major_formatter(EngFormatter())
    axes.set_ylabel(unit)
    axes.grid(axis="y", alpha=0.3)


def _mark_periods(axes: Axes, result: TradeFlows) -> None:
    """Shade the baseline and the after period, and draw the day of the invasion."""
    periods = (("baseline", result.baseline, "#9ecae1"), ("after", result.after, "#fcbba1"))
    for name, (start, end), colour in periods:
        span = (start.to_timestamp(), (end + 1).to_timestamp())
        axes.axvspan(*span, color=colour, alpha=0.25, label=name)
    invasion = pd.Timestamp(INVASION_DATE)
    axes.axvline(
        invasion, color="black", linestyle=":", linewidth=1.5, label=f"invasion {INVASION_DATE}"
    )


def product_series(result: TradeFlows, product: str) -> pd.DataFrame:
    """The monthly values of one product group (``all``: every product added up)."""
    monthly = result.monthly
    if product != ALL_PRODUCTS:
        return monthly.loc[monthly["product"] == product].reset_index(drop=True)
    summed = monthly.groupby(["origin", "destination", "month"], as_index=False)["value"].sum()
    return summed.assign(product=ALL_PRODUCTS)[monthly.columns]


def monthly_chart(result: TradeFlows, product: str, title: str, unit: str) -> Figure:
    """Direct exports to the buyers above; exports to each transit country below, and the
    transit countries' own exports to the buyers dashed where the data has them."""
    series = product_series(result, product)
    figure = Figure(figsize=(9, 6.5), layout="constrained")
    direct_axes, transit_axes = figure.subplots(2, 1, sharex=True)
    for (origin, destination), rows in series.groupby(["origin", "destination"], sort=True):
        months = rows["month"].dt.to_timestamp()
        route = f"{origin} → {destination}"
        if origin == result.suppliers and destination == result.buyers:
            direct_axes.plot(months, rows["value"], color="#08306b", label=route)
        else:
            style = "-" if origin == result.suppliers else "--"
            transit_axes.plot(months, rows["value"], style, label=route)
    direct_axes.set_title(f"{result.suppliers} exports to {result.buyers}", loc="left")
    onward = (series["origin"] != result.suppliers).any()
    transit_axes.set_title(
        f"{result.suppliers} exports to the transit countries"
        + (f"; dashed: their exports to {result.buyers}" if onward else ""),
        loc="left",
    )
    for axes in (direct_axes, transit_axes):
        _mark_periods(axes, result)
        _money_axis(axes, unit)
        axes.set_ylim(bottom=0)
        axes.legend(loc="best", fontsize=8, ncols=3)
    figure.suptitle(_short(title, 100))
    return figure


def excess_chart(comparison: pd.DataFrame, top: int, unit: str) -> Figure:
    """The ``top`` transit country and product pairs by excess exports, largest on top."""
    rows = comparison.head(top).iloc[::-1]
    labels = [
        _short(f"{row.transit} {row.product} {row.description}")
        for row in rows.itertuples(index=False)
    ]
    colours = ["#cb181d" if value > 0 else "#969696" for value in rows["to_transit_excess"]]
    figure = Figure(figsize=(9, max(3.5, 1.2 + 0.32 * len(rows))), layout="constrained")
    axes = figure.subplots()
    axes.barh(range(len(rows)), rows["to_transit_excess"], color=colours)
    axes.set_yticks(range(len(rows)), labels)
    axes.xaxis.set_major_formatter(EngFormatter())
    axes.set_xlabel(f"exports above the baseline trend, {unit}")
    axes.grid(axis="x", alpha=0.3)
    axes.set_title("Largest excess of exports to transit countries", loc="left")
    return figure


def _charted_products(result: TradeFlows, count: int) -> list[str]:
    """The products of the largest excesses, each once, in rank order."""
    ranked = result.comparison.loc[result.comparison["to_transit_excess"] > 0, "product"]
    return [p for p in dict.fromkeys(ranked) if p != ALL_PRODUCTS][:count]


def _describe(result: TradeFlows, product: str) -> str:
    rows = result.comparison.loc[result.comparison["product"] == product, "description"]
    text = rows.iloc[0] if len(rows) else ""
    return f"{result.level.upper()} {product} {text}".strip()


def render_charts(
    result: TradeFlows, *, top: int = 20, products: int = 4, unit: str = "per month"
) -> list[Chart]:
    """The excess bar chart, then monthly lines for all products and the leading products."""
    with _plain_text():
        excess = _png(excess_chart(result.comparison, top, unit))
        charts = [Chart(f"{PREFIX}_excess.png", "Largest excess over the baseline trend", excess)]
        titles = {ALL_PRODUCTS: "All products"} | {
            p: _describe(result, p) for p in _charted_products(result, products)
        }
        for product, title in titles.items():
            png = _png(monthly_chart(result, product, title, unit))
            name = f"{PREFIX}_monthly_{re.sub(r'[^0-9A-Za-z]+', '_', product)}.png"
            charts.append(Chart(name, title, png, product))
    return charts


# The HTML page ------------------------------------------------------------------------------

MONEY_COLUMNS = {
    "to_transit_before": "{supplier} → transit, before",
    "to_transit_after": "{supplier} → transit, after",
    "to_transit_trend": "{supplier} → transit, trend",
    "to_transit_excess": "excess over trend",
    "direct_before": "{supplier} → {buyer}, before",
    "direct_after": "{supplier} → {buyer}, after",
    "onward_before": "transit → {buyer}, before",
    "onward_after": "transit → {buyer}, after",
}
SHARE_COLUMNS = {
    "to_transit_growth": "{supplier} → transit, growth",
    "direct_growth": "{supplier} → {buyer}, growth",
    "onward_growth": "transit → {buyer}, growth",
    "absorption": "absorption",
}
# The comparison's columns, the rank first, as the page's tables show them.
TABLE_ORDER = [
    "excess_rank",
    *(c for c in COMPARISON_COLUMNS if c not in ("excess_rank", "absorption_rank")),
]

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 90em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; }
td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th { background: #f0f0f0; }
img { max-width: 100%; display: block; margin: 1em 0; }
dt { font-weight: bold; margin-top: 0.5em; }
"""


def _cell(column: str, value: Any) -> str:  # a table cell: a number, text or NA
    if pd.isna(value):
        return "–"
    if column in MONEY_COLUMNS:
        return f"{float(value):,.0f}"
    if column == "absorption":
        return f"{float(value):.0%}"
    if column in SHARE_COLUMNS:
        return f"{float(value):+.0%}"
    return str(value)


def _html_table(frame: pd.DataFrame, result: TradeFlows) -> str:
    columns = [c for c in TABLE_ORDER if c in frame and frame[c].notna().any()]
    names = {"supplier": result.suppliers, "buyer": result.buyers}
    headers = {**MONEY_COLUMNS, **SHARE_COLUMNS, "excess_rank": "rank"}
    head = "".join(f"<th>{html.escape(headers.get(c, c).format(**names))}</th>" for c in columns)
    rows = []
    for record in frame[columns].to_dict("records"):
        cells = "".join(
            f'<td class="{"number" if c in headers else "text"}">'
            f"{html.escape(_cell(c, record[c]))}</td>"
            for c in columns
        )
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _image(chart: Chart) -> str:
    data = base64.b64encode(chart.png).decode("ascii")
    return f'<img alt="{html.escape(chart.title)}" src="data:image/png;base64,{data}">'


def _definitions(result: TradeFlows, unit: str) -> str:
    supplier, buyer = result.suppliers, result.buyers  # escaped with the rest below
    items = {
        "before, after": f"monthly averages over the baseline and the after period, {unit}; "
        "a month without trade counts as 0",
        "growth": "after / before − 1; blank when nothing was traded before",
        "trend": "the least-squares line through the baseline months, extrapolated to the "
        "after months (at least 0), averaged",
        "excess over trend": "after − trend: the exports the baseline trend does not explain",
        "absorption": f"rise of {supplier} → transit divided by the fall of {supplier} → "
        f"{buyer} for the same product, from 0% to 100%; blank when direct exports did not fall",
        f"transit → {buyer}": "the transit country's own exports, where the data has them",
    }
    return "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in items.items())


def trade_flows_page(result: TradeFlows, charts: list[Chart], *, top: int, unit: str) -> str:
    """One self-contained HTML page: the charts as embedded PNGs and the numbers as tables."""
    supplier, buyer = html.escape(result.suppliers), html.escape(result.buyers)
    baseline = f"{result.baseline[0]} to {result.baseline[1]}"
    after = f"{result.after[0]} to {result.after[1]}"
    title = f"{supplier} exports to {buyer} and to transit countries"
    excess, *monthly = charts
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{content_security_policy(styles=[STYLE])}">
<title>{title}</title><style>{STYLE}</style></head>
<body>
<h1>{title}</h1>
<p>Baseline {html.escape(baseline)}, after {html.escape(after)}; products grouped by
{html.escape(result.level)}; values are monthly averages, {html.escape(unit)}. The dotted black
line marks the invasion of {INVASION_DATE.isoformat()}.</p>
<h2>All products</h2>
{_html_table(result.totals.drop(columns=["product", "description"]), result)}
{_image(monthly[0])}
<h2>The {min(top, len(result.comparison))} largest excesses</h2>
{_image(excess)}
{_html_table(result.comparison.head(top), result)}
<h2>Leading products</h2>
{"".join(f"<h3>{html.escape(c.title)}</h3>{_image(c)}" for c in monthly[1:])}
<h2>How the numbers are defined</h2>
<dl>{_definitions(result, unit)}</dl>
</body></html>
"""


# Files --------------------------------------------------------------------------------------


def write_trade_flows(
    result: TradeFlows,
    out_dir: Path,
    *,
    top: int = 20,
    products: int = 4,
    currency: str = "",
) -> list[Path]:
    """Write the charts (PNG), the numbers behind them (CSV) and a page with both (HTML).

    ``top`` pairs go into the excess chart and the page's table, ``products`` leading products
    get monthly charts besides all products together; ``currency`` labels the values (EUR).
    Returns the paths written, the HTML page first.

    >>> write_trade_flows(trade_flows(read_flows(path)), Path("out"))  # doctest: +SKIP
    """
    unit = f"{currency} per month".strip()
    charts = render_charts(result, top=top, products=products, unit=unit)
    monthly = pd.concat(
        [product_series(result, c.product) for c in charts if c.product is not None],
        ignore_index=True,
    )
    tables = {
        f"{PREFIX}_totals.csv": result.totals,
        f"{PREFIX}_comparison.csv": result.comparison,
        f"{PREFIX}_monthly.csv": monthly,
    }
    page = out_dir / f"{PREFIX}.html"
    write_atomically(page, trade_flows_page(result, charts, top=top, unit=unit))
    paths = [page]
    for name, frame in tables.items():
        write_atomically(out_dir / name, frame.to_csv(index=False))
        paths.append(out_dir / name)
    for chart in charts:
        write_atomically(out_dir / chart.name, chart.png)
        paths.append(out_dir / chart.name)
    log.info("Wrote %d files to %s", len(paths), out_dir)
    return paths

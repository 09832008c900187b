"""Trade-flow charts: PNGs with something drawn on them, CSVs with the numbers behind them,
and an HTML page that opens offline and shows a hostile product description as text."""

from __future__ import annotations

import base64
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.image import imread

from graphkit.analysis.trade_flows import TradeFlows, trade_flows
from graphkit.report.charts import write_trade_flows

HOSTILE = '<script>alert("x")</script><img src=https://evil.example/x.png> $\\frac{1}{0}$ & Co'


def monthly(reporter: str, partner: str, hs: str, values: list[float]) -> pd.DataFrame:
    """Monthly flows from January 2021 to May 2022."""
    return pd.DataFrame(
        {
            "reporter": reporter,
            "partner": partner,
            "flow": "export",
            "hs_code": hs,
            "description": HOSTILE if hs.startswith("8542") else "Ball bearings",
            "month": pd.period_range("2021-01", periods=len(values), freq="M"),
            "value": values,
            "line": 2,
        }
    )


@pytest.fixture(scope="module")
def result() -> TradeFlows:
    flat, rising = [100.0] * 14 + [400.0] * 3, [10.0 * m for m in range(17)]
    flows = pd.concat(
        [
            monthly("DE", "KZ", "85423190", flat),
            monthly("DE", "KG", "85423190", rising),
            monthly("DE", "RU", "85423190", [1000.0] * 14 + [300.0] * 3),
            monthly("KZ", "RU", "85423190", [5.0] * 14 + [250.0] * 3),
            monthly("IT", "KZ", "84821010", [50.0] * 14 + [300.0] * 3),
            monthly("IT", "RU", "84821010", [500.0] * 17),
        ],
        ignore_index=True,
    )
    return trade_flows(flows, level="hs6", baseline="2021-01..2021-12")


@pytest.fixture(scope="module")
def written(result: TradeFlows, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_trade_flows(result, tmp_path_factory.mktemp("out"), top=10, currency="EUR")


def test_the_page_the_numbers_and_a_chart_each(written: list[Path]) -> None:
    assert [p.name for p in written] == [
        "trade_flows.html",
        "trade_flows_totals.csv",
        "trade_flows_comparison.csv",
        "trade_flows_monthly.csv",
        "trade_flows_excess.png",
        "trade_flows_monthly_all.png",
        "trade_flows_monthly_854231.png",
        "trade_flows_monthly_848210.png",
    ]
    assert not list(written[0].parent.glob(".*.tmp"))  # no temporary file left behind


@pytest.mark.parametrize("name", ["excess", "monthly_all", "monthly_854231"])
def test_the_pngs_have_lines_bars_and_text(written: list[Path], name: str) -> None:
    path = next(p for p in written if p.name == f"trade_flows_{name}.png")
    assert path.stat().st_size > 20_000
    pixels = imread(path)
    height, width = pixels.shape[:2]
    assert height > 300 and width > 800
    drawn = (pixels[:, :, :3] < 0.9).any(axis=2).mean()  # not white
    assert drawn > 0.03


def test_the_csvs_hold_the_numbers_behind_the_charts(
    written: list[Path], result: TradeFlows
) -> None:
    folder = written[0].parent
    comparison = pd.read_csv(folder / "trade_flows_comparison.csv", dtype={"product": str})
    assert comparison["to_transit_excess"].tolist() == pytest.approx(
        result.comparison["to_transit_excess"].tolist()
    )
    series = pd.read_csv(folder / "trade_flows_monthly.csv", dtype={"product": str})
    assert set(series["product"]) == {"all", "854231", "848210"}
    everything = series.loc[series["product"] == "all"]
    assert everything["value"].sum() == pytest.approx(result.monthly["value"].sum())
    kazakh_chips = series.loc[(series["product"] == "854231") & (series["destination"] == "KZ")]
    assert kazakh_chips["value"].tolist() == [100.0] * 14 + [400.0] * 3


class Tags(HTMLParser):
    """Every tag of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_the_page_loads_nothing_and_shows_the_hostile_text_as_text(written: list[Path]) -> None:
    page = written[0].read_text(encoding="utf-8")
    parser = Tags()
    parser.feed(page)
    names = {tag for tag, _ in parser.tags}
    assert names <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p"} | {
        "table", "thead", "tbody", "tr", "th", "td", "img", "dl", "dt", "dd",
    }  # fmt: skip
    sources = [attrs["src"] or "" for tag, attrs in parser.tags if tag == "img"]
    assert len(sources) == 4 and all(s.startswith("data:image/png;base64,") for s in sources)
    assert not any("href" in attrs for _, attrs in parser.tags)
    assert "<script" not in page and "evil.example/x.png>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_the_embedded_pictures_are_the_png_files(written: list[Path]) -> None:
    page = written[0].read_text(encoding="utf-8")
    for path in (p for p in written if p.suffix == ".png"):
        assert base64.b64encode(path.read_bytes()).decode("ascii") in page


def test_the_page_gives_the_periods_the_totals_and_the_definitions(written: list[Path]) -> None:
    page = written[0].read_text(encoding="utf-8")
    assert "Baseline 2021-01 to 2021-12, after 2022-03 to 2022-05" in page
    assert "EUR per month" in page and "absorption" in page
    assert "EU → RU, growth" in page  # the supplier and buyer labels in the headers

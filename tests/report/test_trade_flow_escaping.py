"""The trade-flow page (`netscan trade-flows`) shows data as text, as the maps and case files do
(test_escaping.py): hostile product descriptions, country labels and a hostile --currency, from
a data folder (--data) and from a flows file read through --column mappings."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from builders import EU_SUPPLIER, RU_BUYER, shipment, write_csv
from click.testing import CliRunner
from report.pagecheck import PAGE_TAGS, csp_hash, read_page
from report.samples import HOSTILE, IFRAME, IMG, SCRIPT, SVG

from graphkit.cli import cli

# Every element the page may contain: tables, the charts as images, the definitions; no script.
TRADE_FLOW_TAGS = (PAGE_TAGS - {"script"}) | {"img", "dl", "dt", "dd"}
# HS-6 code -> description. Exports of the first two to Kazakhstan rise (each gets a chart with
# its description as heading and alt text); of the other two they fall (the table only).
DESCRIPTIONS = {"854231": IMG, "847150": SCRIPT, "850440": SVG, "848210": IFRAME}
CHARTED = ("854231", "847150")
MONTHS = {"before": ("2021-06-01", "202106"), "after": ("2022-06-01", "202206")}


def value(hs: str, country: str, period: str) -> str:
    if country == "RU":
        return "1000" if period == "before" else "100"
    if hs in CHARTED:
        return "100" if period == "before" else "500"
    return "500" if period == "before" else "0"  # no excess over the (falling) trend


# Country cells that hide an attack: the first reads as Germany (a note in brackets is dropped,
# as Eurostat writes them), the others are no country and their rows are skipped.
GERMANY_WITH_A_NOTE = f"Germany ({SCRIPT})"
HOSTILE_HEADER = "<i onmouseover=alert(1)>Desc</i>"


def run(*args: object) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stderr


@pytest.fixture(scope="module")
def from_data(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The page of `trade-flows --data` on shipments with hostile descriptions."""
    folder = tmp_path_factory.mktemp("data")
    write_csv(folder / "companies.csv", [EU_SUPPLIER, RU_BUYER])
    rows = [
        shipment(day, "DE1", "DE", "", country, hs=hs, value=value(hs, country, period),
                 description=text, importer_name=IMG, id=f"{hs}-{country}-{period}")
        for hs, text in DESCRIPTIONS.items()
        for country in ("KZ", "RU")
        for period, (day, _) in MONTHS.items()
    ]  # fmt: skip
    rows.append(shipment("2022-06-01", "DE1", SCRIPT, "", "KZ", description=SVG))
    write_csv(folder / "shipments.csv", rows)
    out, rejects = folder / "out", folder / "rejects.csv"
    run("trade-flows", "--data", folder, "--out", out, "--level", "hs6", "--rejects", rejects)
    skipped = list(csv.DictReader(io.StringIO(rejects.read_text(encoding="utf-8"))))
    assert [(r["column"], r["value"]) for r in skipped] == [("exporter_country", SCRIPT)]
    return (out / "trade_flows.html").read_text(encoding="utf-8"), out


@pytest.fixture(scope="module")
def from_flows(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The page of `trade-flows --flows FILE --column ...` on a UN Comtrade-like file."""
    folder = tmp_path_factory.mktemp("flows")
    rows = [
        {"reporterDesc": GERMANY_WITH_A_NOTE, "partnerDesc": partner, "cmdCode": hs,
         "period": month, "primaryValue": value(hs, country, period), "flowDesc": "Export",
         HOSTILE_HEADER: text}
        for hs, text in DESCRIPTIONS.items()
        for country, partner in (("KZ", "Kazakhstan"), ("RU", "Russian Federation"))
        for period, (_, month) in MONTHS.items()
    ]  # fmt: skip
    unusable = {"cmdCode": "854231", "period": "202206", "primaryValue": "7", "flowDesc": "X"}
    rows += [
        unusable | {"reporterDesc": IMG, "partnerDesc": "Kazakhstan", HOSTILE_HEADER: SVG},
        unusable | {"reporterDesc": "Germany", "partnerDesc": IFRAME, HOSTILE_HEADER: SVG},
    ]
    flows = write_csv(folder / "comtrade.csv", rows)
    out, rejects = folder / "out", folder / "rejects.csv"
    mapping = {"reporter": "reporterDesc", "partner": "partnerDesc", "hs_code": "cmdCode",
               "month": "period", "value": "primaryValue", "flow": "flowDesc",
               "description": HOSTILE_HEADER}  # fmt: skip
    columns = [
        arg for field, header in mapping.items() for arg in ("--column", f"{field}={header}")
    ]
    run("trade-flows", "--flows", flows, "--out", out, "--level", "hs6", "--currency", SCRIPT,
        "--rejects", rejects, *columns)  # fmt: skip
    skipped = list(csv.DictReader(io.StringIO(rejects.read_text(encoding="utf-8"))))
    assert [r["value"] for r in skipped] == [IMG, IFRAME]
    return (out / "trade_flows.html").read_text(encoding="utf-8"), out


SOURCES = ["from_data", "from_flows"]


@pytest.mark.parametrize("source", SOURCES)
def test_hostile_labels_are_shown_as_text_and_never_become_markup(
    source: str, request: pytest.FixtureRequest
) -> None:
    html, _ = request.getfixturevalue(source)
    page = read_page(html)
    assert {e.tag for e in page.elements} <= TRADE_FLOW_TAGS
    assert not page.all("script") and "<script" not in html.lower()
    assert not [name for e in page.elements for name in e.attributes if name.startswith("on")]
    for attack in (*HOSTILE, HOSTILE_HEADER):
        assert attack not in html
    text = page.visible_text()
    titles = {e.attributes.get("alt") for e in page.all("img")}
    for description in DESCRIPTIONS.values():
        assert description in text  # in the table, and the charted ones in headings, as text
    for code in CHARTED:
        assert f"HS6 {code} {DESCRIPTIONS[code]}" in titles  # an attribute value, quotes escaped
    assert "Germany" not in text and HOSTILE_HEADER not in text


def test_a_hostile_currency_is_text_too(from_flows: tuple[str, Path]) -> None:
    html, _ = from_flows
    assert f"values are monthly averages, {SCRIPT} per month." in read_page(html).visible_text()


@pytest.mark.parametrize("source", SOURCES)
def test_the_page_requests_nothing_from_the_network(
    source: str, request: pytest.FixtureRequest
) -> None:
    html, out = request.getfixturevalue(source)
    page = read_page(html)
    assert page.requested_urls() == []
    sources = [e.attributes["src"] for e in page.all("img")]
    assert len(sources) == 4  # the excess chart, all products, the two rising products
    assert all(src.startswith("data:image/png;base64,") for src in sources)
    assert not page.all("link") and not page.all("iframe")
    assert sorted(p.name for p in out.glob(".*")) == []  # no temporary file left behind


@pytest.mark.parametrize("source", SOURCES)
def test_the_content_security_policy_allows_only_the_pages_own_style(
    source: str, request: pytest.FixtureRequest
) -> None:
    html, _ = request.getfixturevalue(source)
    page = read_page(html)
    policy = dict(part.strip().partition(" ")[::2] for part in page.csp.split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["img-src"] == "data:"  # the embedded charts
    assert policy.get("script-src", "'none'") == "'none'"
    assert policy["style-src"].split() == [csp_hash(s.text) for s in page.all("style")]

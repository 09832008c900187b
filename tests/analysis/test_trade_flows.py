"""trade_flows on hand-made flows with hand-computed answers, read_flows on messy files, and the
real Eurostat extract of EU exports to Russia and its neighbours."""

from __future__ import annotations

import doctest
import gzip
import logging
from pathlib import Path

import pandas as pd
import pytest
from builders import shipment, write_csv

from graphkit.analysis import trade_flows as trade_flows_module
from graphkit.analysis.trade_flows import (
    TradeFlows,
    flows_from_shipments,
    read_flows,
    trade_flows,
)
from graphkit.errors import InputError, OptionError
from graphkit.ingest.load import load_folder
from graphkit.ingest.rejects import Rejects
from graphkit.reference import chpl_tiers

REFERENCE = Path(__file__).parents[3] / "shared" / "reference"
EUROSTAT = REFERENCE / "eurostat_ds045409_eu_exports_chpl_cn8_2020-2022.csv.gz"
CHIPS = "85423190"  # HS 8542 31: processors, CHPL tier 1


def series(
    reporter: str, partner: str, start: str, values: list[float], hs: str = CHIPS
) -> pd.DataFrame:
    """Flows of consecutive months from ``start``; a value of 0 writes no row, as Eurostat."""
    months = pd.period_range(start, periods=len(values), freq="M")
    rows = pd.DataFrame(
        {
            "reporter": reporter,
            "partner": partner,
            "flow": "export",
            "hs_code": hs,
            "description": f"goods {hs}",
            "month": months,
            "value": [float(v) for v in values],
        }
    )
    return rows.loc[rows["value"] != 0]


def flows(*parts: pd.DataFrame) -> pd.DataFrame:
    return pd.concat(parts, ignore_index=True).assign(line=lambda f: range(2, len(f) + 2))


def pair(result: TradeFlows, transit: str = "KZ", product: str = "8542") -> pd.Series:
    table = result.comparison
    (row,) = table.loc[(table["transit"] == transit) & (table["product"] == product)].index
    return table.loc[row]


# A year of baseline at 100 a month to Kazakhstan and 1,000 to Russia; then 400 and 400.
KAZAKH_DETOUR = flows(
    series("DE", "KZ", "2021-01", [100] * 12),
    series("DE", "KZ", "2022-03", [400] * 3),
    series("DE", "RU", "2021-01", [1000] * 12),
    series("DE", "RU", "2022-03", [400] * 3),
)


def test_a_flat_baseline_gives_growth_excess_and_absorption() -> None:
    row = pair(trade_flows(KAZAKH_DETOUR))
    assert row["to_transit_before"] == 100 and row["to_transit_after"] == 400
    assert row["to_transit_growth"] == pytest.approx(3.0)
    assert row["to_transit_trend"] == pytest.approx(100)
    assert row["to_transit_excess"] == pytest.approx(300)
    assert (row["direct_before"], row["direct_after"]) == (1000, 400)
    assert row["direct_growth"] == pytest.approx(-0.6)
    assert row["absorption"] == pytest.approx(300 / 600)


def test_the_defaults_clip_the_baseline_to_the_data_and_start_after_the_invasion() -> None:
    result = trade_flows(KAZAKH_DETOUR)
    assert result.baseline == (pd.Period("2021-01", "M"), pd.Period("2021-12", "M"))
    assert result.after == (pd.Period("2022-03", "M"), pd.Period("2022-05", "M"))
    assert (result.suppliers, result.buyers) == ("EU", "RU")


def test_the_trend_is_the_baseline_line_extrapolated_to_the_after_months() -> None:
    rising = flows(series("DE", "KZ", "2021-01", [10, 20, 30, 40, 0, 100, 100]))
    row = pair(trade_flows(rising, baseline="2021-01..2021-04", after="2021-06..2021-07"))
    # mean 25 at month 1.5, slope 10: 60 in June (month 5), 70 in July; mean 65
    assert row["to_transit_trend"] == pytest.approx(65)
    assert row["to_transit_excess"] == pytest.approx(100 - 65)
    assert row["to_transit_growth"] == pytest.approx(100 / 25 - 1)


def test_a_falling_trend_stops_at_zero() -> None:
    falling = flows(series("DE", "KZ", "2021-01", [30, 20, 50, 50, 50]))
    row = pair(trade_flows(falling, baseline="2021-01..2021-02", after="2021-03..2021-05"))
    # the line 30, 20 goes on 10, 0, -10: floored to 10, 0, 0
    assert row["to_transit_trend"] == pytest.approx(10 / 3)
    assert row["to_transit_excess"] == pytest.approx(50 - 10 / 3)


def test_a_single_baseline_month_gives_a_flat_trend() -> None:
    single = flows(series("DE", "KZ", "2021-12", [60, 0, 0, 90]))
    row = pair(trade_flows(single, baseline="2021-12..2021-12"))
    assert row["to_transit_trend"] == 60 and row["to_transit_excess"] == 30


def test_new_trade_has_no_growth_rate_but_its_excess_counts() -> None:
    new = flows(KAZAKH_DETOUR, series("DE", "KG", "2022-03", [0, 50, 100]))
    row = pair(trade_flows(new), "KG")
    assert row["to_transit_before"] == 0 and row["to_transit_after"] == 50
    assert pd.isna(row["to_transit_growth"])
    assert row["to_transit_trend"] == 0 and row["to_transit_excess"] == 50
    assert row["absorption"] == pytest.approx(50 / 600)


def test_missing_months_count_as_zero_within_the_data() -> None:
    sparse = flows(
        series("DE", "KZ", "2021-01", [120, *[0] * 10, 120]),  # two months of a year
        series("DE", "KZ", "2022-03", [90]),
        series("DE", "RU", "2022-05", [1]),  # the data goes on to May 2022
    )
    row = pair(trade_flows(sparse))
    assert row["to_transit_before"] == pytest.approx(240 / 12)
    assert row["to_transit_after"] == pytest.approx(90 / 3)


def test_an_open_after_period_ends_with_the_data() -> None:
    result = trade_flows(KAZAKH_DETOUR, after="2022-04..")
    assert result.after == (pd.Period("2022-04", "M"), pd.Period("2022-05", "M"))
    assert trade_flows(KAZAKH_DETOUR, after=("2022-03", None)).after[1] == result.after[1]


def test_absorption_is_capped_and_blank_when_direct_exports_did_not_fall() -> None:
    capped = flows(
        series("DE", "KZ", "2021-01", [100] * 12 + [0, 0, 900]),
        series("DE", "RU", "2021-01", [100] * 12 + [0, 0, 50]),
    )
    assert pair(trade_flows(capped, after="2022-03..2022-03"))["absorption"] == 1.0
    steady = flows(
        series("DE", "KZ", "2021-01", [100] * 12 + [0, 0, 900]),
        series("DE", "RU", "2021-01", [100] * 12 + [0, 0, 100]),
    )
    assert pd.isna(pair(trade_flows(steady, after="2022-03..2022-03"))["absorption"])
    shrinking = flows(
        series("DE", "KZ", "2021-01", [100] * 12 + [0, 0, 50]),
        series("DE", "RU", "2021-01", [100] * 12 + [0, 0, 50]),
    )
    assert pair(trade_flows(shrinking, after="2022-03..2022-03"))["absorption"] == 0.0


def test_the_transit_countrys_exports_to_russia_where_the_data_has_them() -> None:
    onward = flows(
        KAZAKH_DETOUR,
        series("KZ", "RU", "2021-01", [10] * 12 + [0, 0, 30, 30, 30]),
        series("DE", "KG", "2022-03", [50]),  # Kyrgyzstan's exports are not in the data
    )
    result = trade_flows(onward)
    kazakhstan, kyrgyzstan = pair(result), pair(result, "KG")
    assert (kazakhstan["onward_before"], kazakhstan["onward_after"]) == (10, 30)
    assert kazakhstan["onward_growth"] == pytest.approx(2.0)
    assert pd.isna(kyrgyzstan["onward_before"]) and pd.isna(kyrgyzstan["onward_growth"])


def test_imports_reported_by_the_transit_country_are_read_as_mirror_flows() -> None:
    mirror = KAZAKH_DETOUR.assign(
        reporter=KAZAKH_DETOUR["partner"], partner=KAZAKH_DETOUR["reporter"], flow="import"
    )
    row = pair(trade_flows(mirror, flow="import"))
    assert row["to_transit_excess"] == pytest.approx(300)
    with pytest.raises(InputError, match="no export rows"):
        trade_flows(mirror)


def test_levels_group_the_codes() -> None:
    mixed = flows(
        series("DE", "KZ", "2021-01", [10] * 12 + [0, 0, 20], hs="85423190"),
        series("DE", "KZ", "2021-01", [5] * 12 + [0, 0, 5], hs="85423300"),
        series("DE", "KZ", "2021-01", [1] * 12 + [0, 0, 1], hs="87032310"),  # cars: off CHPL
    )

    def products(level: str) -> dict[str, float]:
        table = trade_flows(mixed, level=level).comparison
        return dict(zip(table["product"], table["to_transit_after"], strict=True))

    assert products("hs2") == {"85": 25, "87": 1}
    assert products("hs4") == {"8542": 25, "8703": 1}
    assert products("hs6") == {"854231": 20, "854233": 5, "870323": 1}
    assert products("chpl") == {"1": 25}
    assert products("all") == {"all": 26}


def test_the_description_is_that_of_the_largest_code_and_chpl_tiers_are_named() -> None:
    mixed = flows(
        series("DE", "KZ", "2021-01", [10] * 12 + [0, 0, 10], hs="85423190"),
        series("DE", "KZ", "2021-01", [50] * 12 + [0, 0, 50], hs="85423300"),
    )
    assert pair(trade_flows(mixed))["description"] == "goods 85423300"
    chpl = trade_flows(KAZAKH_DETOUR, level="chpl").comparison
    assert chpl["description"].tolist() == ["CHPL tier 1: integrated circuits"]


def test_eurostat_descriptions_lose_their_validity_years() -> None:
    text = (
        "Processing units (excl. peripheral units)(2007-2500);Processing units, digital(2006-2006)"
    )
    detour = KAZAKH_DETOUR.assign(description=text)
    assert pair(trade_flows(detour))["description"] == "Processing units (excl. peripheral units)"


def test_year_before_compares_the_same_months_a_year_earlier() -> None:
    result = trade_flows(KAZAKH_DETOUR, baseline="year-before")
    assert result.baseline == (pd.Period("2021-03", "M"), pd.Period("2021-05", "M"))
    assert pair(result)["to_transit_before"] == 100


def test_a_group_of_suppliers_or_buyers_is_added_up_under_one_label() -> None:
    belarus = flows(KAZAKH_DETOUR, series("FR", "BY", "2021-01", [200] * 12 + [0, 0] + [200] * 3))
    result = trade_flows(belarus, suppliers=["DE", "FR"], buyers=["RU", "BY"])
    assert (result.suppliers, result.buyers) == ("DE+FR", "BY+RU")
    assert (pair(result)["direct_before"], pair(result)["direct_after"]) == (1200, 600)


def test_pairs_are_ranked_by_excess_and_by_absorption() -> None:
    two = flows(KAZAKH_DETOUR, series("DE", "AM", "2021-01", [100] * 12 + [0, 0, 700, 700, 700]))
    table = trade_flows(two).comparison
    assert table[["transit", "excess_rank", "absorption_rank"]].values.tolist() == [
        ["AM", 1, 1],
        ["KZ", 2, 2],
    ]
    assert table.loc[0, "absorption"] == 1.0


def test_totals_add_up_the_products_before_measuring() -> None:
    two_products = flows(
        KAZAKH_DETOUR, series("DE", "KZ", "2021-01", [50] * 12 + [0, 0, 50], hs="84821010")
    )
    (total,) = trade_flows(two_products).totals.itertuples()
    assert (total.transit, total.product, total.description) == ("KZ", "all", "all products")
    assert total.to_transit_before == 150 and total.to_transit_after == pytest.approx(400 + 50 / 3)


def test_monthly_series_are_dense_from_the_first_to_the_last_month() -> None:
    monthly = trade_flows(KAZAKH_DETOUR).monthly
    kazakh = monthly.loc[monthly["destination"] == "KZ"]
    assert len(kazakh) == 17 and kazakh["value"].sum() == 100 * 12 + 400 * 3
    assert set(monthly["origin"]) == {"EU"} and set(monthly["product"]) == {"8542"}


def test_flows_without_the_transit_countries_compare_nothing_and_say_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    direct_only = flows(series("DE", "RU", "2021-01", [1000] * 12 + [0, 0, 400]))
    with caplog.at_level(logging.WARNING):
        result = trade_flows(direct_only, transit=["KZ"])
    assert result.comparison.empty and result.totals.empty and len(result.monthly) == 15
    assert "no trade with the transit countries KZ" in caplog.text


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"level": "hs5"}, "level 'hs5' is not known"),
        ({"flow": "transit"}, "flow 'transit' is not known"),
        ({"transit": ["KZ", "RU"]}, "RU can have only one role"),
        ({"transit": []}, "are all needed"),
        ({"baseline": "2021-01..2022-04"}, "does not end before"),
        ({"baseline": "2015-01..2016-12"}, "has no months in the data"),
        ({"baseline": "2021"}, "is not a range of months"),
        ({"after": "March..", "baseline": "2021-01.."}, "'March' is not a month"),
    ],
)
def test_options_that_cannot_be_used_are_refused(options: dict, message: str) -> None:
    with pytest.raises(OptionError, match=message):
        trade_flows(KAZAKH_DETOUR, **options)


def test_the_docstring_example_holds() -> None:
    failures, tried = doctest.testmod(trade_flows_module, optionflags=doctest.ELLIPSIS)
    assert tried >= 3 and failures == 0


def test_the_chpl_tiers_are_the_reference_list() -> None:
    reference = pd.read_csv(REFERENCE / "chpl_hs6_tiers.csv", dtype=str)
    assert dict(zip(reference["hs6"], reference["tier"], strict=True)) == chpl_tiers()


# Reading -------------------------------------------------------------------------------------

EUROSTAT_ROWS = [
    {
        "hs": "85423190",
        "product": "Processors",
        "flow": "EXPORT",
        "reporter": "Germany (incl. German Democratic Republic 'DD' from 1991)",
        "partner": "Kazakhstan",
        "month": "2021-01",
        "value_eur": "1000",
    },
    {"hs": "8542.31.90", "flow": "Export", "reporter": "FR", "partner": "KAZ", "month": "202102"},
    {"hs": "85423190", "flow": "x", "reporter": "Италия", "partner": "RU", "month": "2021M03"},
    {"hs": "85423190", "flow": "EXPORT", "reporter": "AT", "partner": "RU", "month": "15.04.2021"},
    {"hs": "85423190", "flow": "Re-export", "reporter": "AT", "partner": "RU", "month": "2021-05"},
    {"hs": "8542", "flow": "EXPORT", "reporter": "AT", "partner": "RU", "month": "2021-05"},
    {"hs": "85423190", "flow": "EXPORT", "reporter": "EU27", "partner": "RU", "month": "2021-05"},
    {"hs": "85423190", "flow": "EXPORT", "reporter": "AT", "partner": "RU", "month": "May"},
    {"hs": "85423190", "flow": "EXPORT", "reporter": "AT", "partner": "RU", "month": "2021-05"},
]
VALUES = ["1000", "1 234,50", "12,345.67", "0", "5", "5", "5", "5", "-5"]


@pytest.fixture
def eurostat_file(tmp_path: Path) -> Path:
    rows = [{**row, "value_eur": value} for row, value in zip(EUROSTAT_ROWS, VALUES, strict=True)]
    return write_csv(tmp_path / "flows.csv", rows)


def test_read_flows_reads_eurostat_names_codes_months_and_numbers(eurostat_file: Path) -> None:
    result = read_flows(eurostat_file)
    assert result["reporter"].tolist() == ["DE", "FR", "IT", "AT"]
    assert result["partner"].tolist() == ["KZ", "KZ", "RU", "RU"]
    assert result["month"].astype(str).tolist() == ["2021-01", "2021-02", "2021-03", "2021-04"]
    assert result["value"].tolist() == [1000, 1234.5, 12345.67, 0]
    assert set(result["flow"]) == {"export"} and set(result["hs_code"]) == {"85423190"}
    assert result["description"].iloc[0] == "Processors" and result["line"].tolist() == [2, 3, 4, 5]


def test_read_flows_lists_every_row_it_cannot_use(
    eurostat_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rejects = Rejects()
    with caplog.at_level(logging.WARNING):
        read_flows(eurostat_file, rejects=rejects)
    listed = rejects.frame()
    assert listed["line"].tolist() == [6, 7, 8, 9, 10]
    assert listed["column"].tolist() == ["flow", "hs", "reporter", "month", "value_eur"]
    problems = dict(zip(listed["line"], listed["problem"], strict=True))
    assert "hs '8542' cannot be read" in problems[7]
    assert "reporter 'EU27' cannot be read" in problems[8]
    assert "month 'May' cannot be read; use YYYY-MM" in problems[9]
    assert "value_eur '-5' cannot be read" in problems[10]
    assert "flow 'Re-export' cannot be read" in problems[6]
    assert "skipped 5 of 9 rows" in caplog.text


def test_read_flows_maps_other_column_names(tmp_path: Path) -> None:
    comtrade = write_csv(
        tmp_path / "comtrade.csv",
        [
            {
                "reporterDesc": "Kazakhstan",
                "partnerDesc": "Germany",
                "cmdCode": "854231",
                "period": "202203",
                "primaryValue": "2500.5",
                "flowDesc": "Import",
            }
        ],
    )
    columns = {
        "reporter": "reporterDesc",
        "partner": "partnerDesc",
        "hs_code": "cmdCode",
        "month": "period",
        "value": "primaryValue",
        "flow": "flowDesc",
    }
    row = read_flows(comtrade, columns=columns).iloc[0]
    assert (row["reporter"], row["partner"], row["flow"]) == ("KZ", "DE", "import")
    assert (str(row["month"]), row["value"], row["hs_code"]) == ("2022-03", 2500.5, "854231")
    assert pd.isna(row["description"])
    with pytest.raises(OptionError, match="'importer' is not a field"):
        read_flows(comtrade, columns={"importer": "partnerDesc"})


def test_a_missing_column_names_the_file_line_column_and_the_fix(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "flows.csv", [{"reporter": "DE", "partner": "KZ", "hs": "854231"}])
    with pytest.raises(InputError) as caught:
        read_flows(path)
    assert caught.value.path == path and caught.value.line == 1
    assert caught.value.column == "month"
    assert "--column month=HEADER" in str(caught.value)


def test_a_file_without_a_flow_column_holds_exports(tmp_path: Path) -> None:
    row = {"reporter": "DE", "partner": "KZ", "hs": "854231", "month": "2022-03", "value": "1"}
    assert read_flows(write_csv(tmp_path / "flows.csv", [row]))["flow"].tolist() == ["export"]


def test_gzip_files_are_read_and_their_errors_name_them(
    eurostat_file: Path, tmp_path: Path
) -> None:
    packed = tmp_path / "flows.csv.gz"
    packed.write_bytes(gzip.compress(eurostat_file.read_bytes()))
    pd.testing.assert_frame_equal(read_flows(packed), read_flows(eurostat_file))
    empty = tmp_path / "empty.csv.gz"
    empty.write_bytes(gzip.compress(b""))
    with pytest.raises(InputError, match=r"empty.csv.gz, line 1: the file is empty"):
        read_flows(empty)
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match=r"broken.csv.gz: the file cannot be unpacked"):
        read_flows(broken)
    with pytest.raises(InputError, match=r"missing.csv: no such file"):
        read_flows(tmp_path / "missing.csv")


def test_shipments_of_a_dataset_become_flows(
    write_dataset, caplog: pytest.LogCaptureFixture
) -> None:
    folder = write_dataset(
        companies=[{"id": "KZ1", "name": "Алтын", "country": "KZ"}],
        shipments=[
            shipment("2021-05-03", "DE1", "Germany", "KZ1", "KZ", value="100"),
            shipment("2022-05-20", "KZ1", "KZ", "RU1", "RU", hs="8542.31", value="130"),
            shipment("2022-06-01", "KZ1", "KZ", "RU1", "RU", value=""),
        ],
    )
    with caplog.at_level(logging.WARNING):
        result = flows_from_shipments(load_folder(folder)[0])
    assert result[["reporter", "partner", "hs_code", "value"]].values.tolist() == [
        ["DE", "KZ", "854231", 100.0],
        ["KZ", "RU", "854231", 130.0],
    ]
    assert result["month"].astype(str).tolist() == ["2021-05", "2022-05"]
    assert "1 of 3 shipments have no value_usd" in caplog.text


def test_the_example_dataset_shows_kazakh_exports_to_russia_replacing_german_ones() -> None:
    dataset = load_folder(Path(__file__).parents[2] / "examples")[0]
    result = trade_flows(flows_from_shipments(dataset), baseline="2021-01..2021-12")
    chips = pair(result, "KZ", "8542")
    assert chips["direct_before"] > 0 and chips["direct_after"] == 0
    assert chips["onward_before"] == 0 and chips["onward_after"] > 0
    assert chips["to_transit_excess"] > 0 and chips["excess_rank"] == 1


# The real extract ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def eurostat() -> pd.DataFrame:
    return read_flows(EUROSTAT)


def test_the_eurostat_extract_reads_whole(eurostat: pd.DataFrame) -> None:
    assert len(eurostat) == 22809  # every row of the file
    assert set(eurostat["partner"]) == {"AM", "BY", "GE", "KG", "KZ", "RU", "UZ"}
    assert len(set(eurostat["reporter"])) == 27
    assert (str(eurostat["month"].min()), str(eurostat["month"].max())) == ("2020-01", "2022-11")


def test_the_extracts_tiers_are_the_chpl_list() -> None:
    raw = pd.read_csv(EUROSTAT, dtype=str, usecols=["hs", "chpl_tier"])
    assert (raw["hs"].str[:6].map(chpl_tiers()) == raw["chpl_tier"]).all()


def test_eu_exports_of_chpl_goods_went_to_kazakhstan_and_kyrgyzstan_instead_of_russia(
    eurostat: pd.DataFrame,
) -> None:
    totals = trade_flows(eurostat, level="chpl").totals.set_index("transit")
    # EU exports of high-priority goods to Russia fell by more than 95%
    assert totals.loc["KZ", "direct_growth"] < -0.95
    for country in ("KZ", "KG", "AM"):
        assert (
            totals.loc[country, "to_transit_after"] > 2 * totals.loc[country, "to_transit_before"]
        )
        assert totals.loc[country, "to_transit_excess"] > 0
    assert totals["to_transit_excess"].idxmax() == "KZ"
    assert pd.isna(totals["onward_before"]).all()  # the extract has EU reporters only


def test_the_readme_numbers(eurostat: pd.DataFrame) -> None:
    """EUR million a month, January 2020 - December 2021 against March - November 2022."""
    totals = trade_flows(eurostat, level="all").totals.set_index("transit")
    millions = totals.select_dtypes("number") / 1e6
    assert millions.loc["KZ", "direct_before"] == pytest.approx(169.4, abs=0.05)
    assert millions.loc["KZ", "direct_after"] == pytest.approx(5.0, abs=0.05)
    measures = ["to_transit_before", "to_transit_after", "to_transit_excess"]
    assert millions.loc[["KZ", "AM", "KG"], measures].round(2).values.tolist() == [
        [9.48, 23.22, 8.66],
        [0.77, 2.71, 2.0],
        [0.29, 1.47, 1.28],
    ]


def test_the_largest_excesses_in_the_extract_are_computers_and_phones_in_kazakhstan(
    eurostat: pd.DataFrame,
) -> None:
    top = trade_flows(eurostat, level="hs6").comparison.head(3)
    assert top[["transit", "product"]].values.tolist() == [
        ["KZ", "847150"],
        ["KZ", "851762"],
        ["KZ", "847180"],
    ]

"""Case files: the map of a finding and every record behind it, ready to print."""

from __future__ import annotations

from pathlib import Path

from report.pagecheck import read_page, table_rows
from report.samples import RUN_DATE

from graphkit.analysis.intermediaries import Finding
from graphkit.dataset import Dataset
from graphkit.report.casefile import case_file, write_case_files


def test_case_file_has_the_map_and_the_evidence(
    examples: Dataset, example_findings: list[Finding]
) -> None:
    html = case_file(example_findings[0], examples, run_date=RUN_DATE)
    page = read_page(html)
    text = page.visible_text()
    assert page.graph["nodes"]  # the map
    assert "Case file: ТОО «Степь Электроникс» (KZ-001)" in text
    assert "TOO «Step Elektroniks»" in text  # names also in Latin letters
    for reason in example_findings[0].reasons:
        assert reason in text
    assert "holds 75% : 100% × 75% = 75%; in force 2022-06-14 to 2024-04-03." in text


def test_case_file_lists_registration_ownership_directors_and_sanctions(
    examples: Dataset, example_findings: list[Finding]
) -> None:
    html = case_file(example_findings[0], examples, run_date=RUN_DATE)
    assert table_rows(html, "Registered on") == [["Registered on", "2022-04-12 (source: registry)"]]
    assert table_rows(html, "Registry record") == [["Registry record", "companies.csv line 2"]]
    assert table_rows(html, "Meridian Holdings Ltd") == [
        [
            "Meridian Holdings Ltd",
            "ТОО «Степь Электроникс» TOO «Step Elektroniks»",
            "75%",
            "2022-04-12 to now",
            "ownership.csv line 3",
        ]
    ]
    assert table_rows(html, "Жумабаев") == [
        [
            "Жумабаев Ерлан Серикович Zhumabaev Erlan Serikovich",
            "P-005",
            "KZ",
            "director",
            "2022-04-12",
        ]
    ]
    kvantor = "АО «НПП Квантор» AO «NPP Kvantor» (RU-003)"
    assert table_rows(html, "АО «НПП Квантор»") == [
        [
            kvantor,
            "buyer",
            "EU 833/2014 Annex IV",
            "2023-06-23",
            'JSC "NPP Kvantor"',
            "sanctions.csv line 2",
        ],
        [
            kvantor,
            "buyer",
            "US OFAC SDN (RUSSIA-EO14024)",
            "2023-05-19",
            "AO NPP KVANTOR",
            "sanctions.csv line 3",
        ],
    ]


def test_case_file_lists_every_shipment_in_and_out_with_totals(
    examples: Dataset, example_findings: list[Finding]
) -> None:
    html = case_file(example_findings[0], examples, run_date=RUN_DATE)
    text = read_page(html).visible_text()
    assert "Shipments received from EU suppliers (14)" in text
    assert "Shipments sent to Russian buyers (20)" in text
    assert table_rows(html, "2022-06-14") == [
        [
            "2022-06-14",
            "SH-0083",
            "Halbleiter Vertrieb GmbH (DE-001)",
            "DE",
            "854232",
            "DRAM memory ICs, DDR4 8 Gbit, FBGA-78",
            "12,700 pcs",
            "46,101.00",
            "shipments.csv line 84",
        ]
    ]
    assert table_rows(html, "Total") == [["Total", "USD 778,051.20"], ["Total", "USD 968,351.60"]]


def test_write_case_files_names_them_after_the_firms(
    tmp_path: Path, examples: Dataset, example_findings: list[Finding]
) -> None:
    written = write_case_files(example_findings[:2], examples, tmp_path, run_date=RUN_DATE)
    assert [p.name for p in written] == ["KZ-001.case.html", "KZ-005.case.html"]
    assert written[0].read_text(encoding="utf-8") == case_file(
        example_findings[0], examples, run_date=RUN_DATE
    )

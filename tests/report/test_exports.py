"""GEXF and GraphML exports: the maps' graphs, for Gephi."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
from report.samples import RUN_DATE

from graphkit.analysis.intermediaries import Finding
from graphkit.dataset import Dataset
from graphkit.report.exports import to_gexf, to_graphml, write_exports
from graphkit.report.maps import ROLES, finding_graph


def test_graphml_reads_back_as_the_same_graph(
    examples: Dataset, example_findings: list[Finding]
) -> None:
    graph = finding_graph(example_findings[0], examples)
    back = nx.read_graphml(io.StringIO(to_graphml(graph)), force_multigraph=True)
    assert sorted(back) == sorted(graph)
    assert back.nodes["RU-003"]["role"] == "buyer"
    assert back.nodes["P-001"]["latin"] == "Volkov Andrei Igorevich"
    (held,) = back.get_edge_data("CY-001", "KZ-001").values()
    assert (held["kind"], held["share"]) == ("owns", 75.0)
    (flow,) = back.get_edge_data("IT-001", "KZ-001").values()
    assert (flow["shipments"], flow["value_usd"]) == (7, 408166.2)


def test_gexf_carries_the_map_colours_and_positions(
    examples: Dataset, example_findings: list[Finding]
) -> None:
    graph = finding_graph(example_findings[0], examples)
    back = nx.read_gexf(io.StringIO(to_gexf(graph, run_date=RUN_DATE)))
    firm = back.nodes["KZ-001"]
    assert firm["label"] == "ТОО «Степь Электроникс»"
    colour = firm["viz"]["color"]
    assert "#{r:02X}{g:02X}{b:02X}".format(**colour) == ROLES["intermediary"].color
    owner = back.nodes["P-001"]["viz"]["position"]
    assert owner["y"] > firm["viz"]["position"]["y"]  # owners above, Gephi's y points up


def test_exports_are_the_same_bytes_for_the_same_graph(
    examples: Dataset, example_findings: list[Finding]
) -> None:
    graph = finding_graph(example_findings[0], examples)
    assert to_gexf(graph, run_date=RUN_DATE) == to_gexf(graph, run_date=RUN_DATE)
    assert 'lastmodifieddate="2024-06-01"' in to_gexf(graph, run_date=RUN_DATE)


def test_characters_xml_cannot_hold_are_dropped(
    examples: Dataset, example_findings: list[Finding]
) -> None:
    graph = finding_graph(example_findings[0], examples)
    graph.nodes["DE-001"]["name"] = "Halbleiter\x0b\x00 Vertrieb"
    back = nx.read_graphml(io.StringIO(to_graphml(graph)), force_multigraph=True)
    assert back.nodes["DE-001"]["name"] == "Halbleiter Vertrieb"


def test_write_exports_writes_each_finding_and_the_overview(
    tmp_path: Path, examples: Dataset, example_findings: list[Finding]
) -> None:
    written = write_exports(example_findings[:2], examples, tmp_path, run_date=RUN_DATE)
    assert [p.name for p in written] == [
        "KZ-001.gexf",
        "KZ-001.graphml",
        "KZ-005.gexf",
        "KZ-005.graphml",
        "overview.gexf",
        "overview.graphml",
    ]
    overview = nx.read_graphml(tmp_path / "overview.graphml", force_multigraph=True)
    assert {"KZ-001", "KZ-005"} <= set(overview)

"""Every page works offline and shows data as text: no request leaves it, no data runs."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from report.pagecheck import PAGE_TAGS, csp_hash, read_page
from report.samples import HOSTILE, HOSTILE_FIRM, IMG, RUN_DATE

from graphkit.analysis.intermediaries import Finding
from graphkit.dataset import Dataset
from graphkit.report.casefile import case_file
from graphkit.report.exports import to_gexf, to_graphml
from graphkit.report.maps import (
    ASSETS,
    finding_graph,
    finding_map,
    neighbourhood_map,
    overview_graph,
    overview_map,
)

Render = Callable[[Dataset, Finding], str]
PAGES: dict[str, Render] = {
    "finding map": lambda d, f: finding_map(f, d, run_date=RUN_DATE),
    "overview": lambda d, f: overview_map([f], d, run_date=RUN_DATE),
    "neighbourhood": lambda d, f: neighbourhood_map(d, f.id, depth=2, run_date=RUN_DATE),
    "case file": lambda d, f: case_file(f, d, run_date=RUN_DATE),
}
VIS_JS = (ASSETS / "vis-network.min.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("page_type", PAGES)
def test_hostile_data_is_shown_as_text_and_never_becomes_markup(
    page_type: str, hostile: tuple[Dataset, Finding]
) -> None:
    dataset, finding = hostile
    html = PAGES[page_type](dataset, finding)
    page = read_page(html)
    assert {e.tag for e in page.elements} <= PAGE_TAGS
    assert not [name for e in page.elements for name in e.attributes if name.startswith("on")]
    assert len(page.all("script")) == 3  # the graph data, vis-network, the page's own code
    assert html.count("</script") == 3  # no name closes a script element early
    for attack in HOSTILE:
        assert attack not in html
    assert "<img src=x onerror=alert(1)>" in page.visible_text()  # the data folder, as text
    titles = [node["title"] for node in page.graph["nodes"]]  # JSON gives the names back
    assert any(title.startswith(f"ТОО «{IMG}»") for title in titles)


def test_the_hostile_case_file_prints_the_evidence_as_text(
    hostile: tuple[Dataset, Finding],
) -> None:
    dataset, finding = hostile
    text = read_page(case_file(finding, dataset, run_date=RUN_DATE)).visible_text()
    for attack in HOSTILE:
        assert attack in text  # names, address, descriptions, roles, sanctions program


def test_tooltips_are_text_nodes_not_html() -> None:
    """vis-network renders a title string as text since 9.0 (``innerText``); the page turns
    every title into a text node anyway, so that no vis-network version can parse it."""
    script = (ASSETS / "map.js").read_text(encoding="utf-8")
    assert "heading.textContent = lines[0]" in script
    assert "document.createTextNode(" in script
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert "this.frame.innerText=t" in VIS_JS


@pytest.mark.parametrize("page_type", PAGES)
def test_pages_request_nothing_from_the_network(
    page_type: str, examples: Dataset, example_findings: list[Finding]
) -> None:
    html = PAGES[page_type](examples, example_findings[0])
    page = read_page(html)
    assert page.requested_urls() == []
    assert not page.all("link") and not page.all("img") and not page.all("iframe")
    assert all("src" not in script.attributes for script in page.all("script"))
    # Outside vis-network's licence header and source comments, no address at all.
    assert VIS_JS in html
    assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}", html.replace(VIS_JS, ""), re.I)


@pytest.mark.parametrize("page_type", PAGES)
def test_the_content_security_policy_allows_only_the_pages_own_code(
    page_type: str, examples: Dataset, example_findings: list[Finding]
) -> None:
    page = read_page(PAGES[page_type](examples, example_findings[0]))
    policy = dict(part.strip().partition(" ")[::2] for part in page.csp.split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["img-src"] == "data:"  # vis-network's navigation buttons
    code = [s.text for s in page.all("script") if "type" not in s.attributes]
    assert policy["script-src"].split() == [csp_hash(text) for text in code]
    assert policy["style-src"].split() == [csp_hash(s.text) for s in page.all("style")]


def test_the_vendored_vis_network_keeps_its_licence() -> None:
    assert VIS_JS.startswith("/**\n * vis-network\n")
    assert "@license" in VIS_JS[:1000] and "MIT License" in VIS_JS[:1000]
    assert "sourceMappingURL" not in VIS_JS
    licence = (ASSETS / "LICENSE-vis-network.txt").read_text(encoding="utf-8")
    assert "Permission is hereby granted" in licence


def test_exports_of_hostile_data_are_well_formed_xml(
    hostile: tuple[Dataset, Finding], tmp_path: Path
) -> None:
    dataset, finding = hostile
    for graph in (finding_graph(finding, dataset), overview_graph([finding], dataset)):
        for text in (to_gexf(graph, run_date=RUN_DATE), to_graphml(graph)):
            root = ElementTree.fromstring(text)
            values = [e.get("value") or e.text or "" for e in root.iter()]
            assert any(IMG in value for value in values)
            assert any(e.get("id") == HOSTILE_FIRM for e in root.iter())

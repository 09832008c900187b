"""The network maps: what they draw, how, and what they say about it."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from builders import EU_SUPPLIER, RU_BUYER, shipment
from report.pagecheck import edges_between, node_by_name, read_page
from report.samples import RUN_DATE

from graphkit.analysis.intermediaries import Criteria, Finding, find_intermediaries
from graphkit.dataset import Dataset
from graphkit.errors import OptionError
from graphkit.ingest.load import load_folder
from graphkit.report.maps import (
    EDGE_COLORS,
    MAX_MAP_NODES,
    ROLES,
    SANCTIONED_COLOR,
    file_stems,
    finding_graph,
    finding_map,
    goods_width,
    latin,
    neighbourhood_graph,
    neighbourhood_map,
    overview_graph,
    overview_map,
    write_maps,
)


def _finding(findings: list[Finding], firm_id: str) -> Finding:
    (finding,) = [f for f in findings if f.id == firm_id]
    return finding


def test_finding_graph_holds_exactly_the_evidence_of_the_finding(
    examples: Dataset, example_findings: list[Finding]
) -> None:
    graph = finding_graph(_finding(example_findings, "KZ-001"), examples)
    roles = dict(graph.nodes(data="role"))
    assert roles == {
        "KZ-001": "intermediary",
        "P-001": "owner",
        "CY-001": "holding",
        "P-005": "director",
        "IT-001": "supplier",
        "DE-001": "supplier",
        "RU-003": "buyer",
        "RU-001": "buyer",
    }
    assert sorted((u, v, kind) for u, v, kind in graph.edges(keys=True)) == [
        ("CY-001", "KZ-001", "owns"),
        ("DE-001", "KZ-001", "goods"),
        ("IT-001", "KZ-001", "goods"),
        ("KZ-001", "RU-001", "goods"),
        ("KZ-001", "RU-003", "goods"),
        ("P-001", "CY-001", "owns"),
        ("P-005", "KZ-001", "directs"),
    ]
    supplied = graph.edges["IT-001", "KZ-001", "goods"]
    assert (supplied["shipments"], supplied["value_usd"]) == (7, 408166.2)
    assert supplied["hs_codes"] == "854233 854239 85423990"
    assert (supplied["first"], supplied["last"]) == ("2022-07-23", "2024-03-23")
    assert graph.edges["CY-001", "KZ-001", "owns"]["share"] == 75.0
    assert "ownership.csv line 2" in graph.edges["P-001", "CY-001", "owns"]["records"]
    assert graph.nodes["RU-003"]["sanctions"].startswith("EU 833/2014 Annex IV")


def test_finding_map_colours_roles_and_marks_sanctioned_parties(
    examples: Dataset, example_findings: list[Finding]
) -> None:
    graph = read_page(finding_map(_finding(example_findings, "KZ-001"), examples)).graph
    expected = {
        "ТОО «Степь Электроникс»": "intermediary",
        "Волков Андрей Игоревич": "owner",
        "Meridian Holdings Ltd": "holding",
        "Halbleiter Vertrieb GmbH": "supplier",
        "ООО «Микросхема-Урал»": "buyer",
        "Жумабаев Ерлан Серикович": "director",
    }
    for name, role in expected.items():
        assert node_by_name(graph, name)["color"]["background"] == ROLES[role].color
    sanctioned = node_by_name(graph, "АО «НПП Квантор»")
    assert sanctioned["color"]["border"] == SANCTIONED_COLOR
    assert sanctioned["label"].startswith("SANCTIONED\n")
    assert node_by_name(graph, "Волков Андрей Игоревич")["shape"] == "ellipse"  # a person
    assert node_by_name(graph, "Meridian Holdings Ltd")["shape"] == "box"  # a firm


def test_goods_arrows_point_from_seller_to_buyer_and_widen_with_value(
    examples: Dataset, example_findings: list[Finding]
) -> None:
    graph = read_page(finding_map(_finding(example_findings, "KZ-001"), examples)).graph
    firm = "ТОО «Степь Электроникс»"
    widths = {
        party: edges_between(graph, *pair)[0]["width"]
        for party, pair in {
            "IT": ("Elettronica Nord S.r.l.", firm),  # USD 408,166
            "DE": ("Halbleiter Vertrieb GmbH", firm),  # USD 369,885
            "RU-003": (firm, "АО «НПП Квантор»"),  # USD 512,149, the largest
            "RU-001": (firm, "ООО «Микросхема-Урал»"),  # USD 456,203
        }.items()
    }
    assert widths["RU-003"] == 12
    assert widths["RU-003"] > widths["RU-001"] > widths["IT"] > widths["DE"] > 1.5
    assert all(edge["arrows"] == "to" for edge in graph["edges"])
    assert edges_between(graph, firm, "АО «НПП Квантор»")[0]["label"] == "USD 512.1k"


def test_ownership_arrows_point_from_owner_to_owned_with_the_share(
    examples: Dataset, example_findings: list[Finding]
) -> None:
    graph = read_page(finding_map(_finding(example_findings, "KZ-001"), examples)).graph
    (held,) = edges_between(graph, "Meridian Holdings Ltd", "ТОО «Степь Электроникс»")
    assert held["label"] == "75%"
    assert held["color"]["color"] == EDGE_COLORS["owns"]
    (top,) = edges_between(graph, "Волков Андрей Игоревич", "Meridian Holdings Ltd")
    assert top["label"] == "100%"
    (directs,) = edges_between(graph, "Жумабаев Ерлан Серикович", "ТОО «Степь Электроникс»")
    assert directs["dashes"] is True


def test_layout_puts_suppliers_left_buyers_right_owners_above_directors_below(
    examples: Dataset, example_findings: list[Finding]
) -> None:
    graph = read_page(finding_map(_finding(example_findings, "KZ-001"), examples)).graph
    firm = node_by_name(graph, "ТОО «Степь Электроникс»")

    def where(name: str) -> tuple[float, float]:
        node = node_by_name(graph, name)
        return node["x"] - firm["x"], node["y"] - firm["y"]

    assert where("Halbleiter Vertrieb GmbH")[0] < 0 < where("ООО «Микросхема-Урал»")[0]
    assert where("Волков Андрей Игоревич")[1] < where("Meridian Holdings Ltd")[1] < 0
    assert where("Жумабаев Ерлан Серикович")[1] > 0
    assert graph["options"]["physics"]["enabled"] is False
    assert graph["options"]["edges"]["smooth"] is False


def test_hover_text_gives_names_in_both_scripts_dates_shares_and_trade(
    examples: Dataset, example_findings: list[Finding]
) -> None:
    graph = read_page(finding_map(_finding(example_findings, "KZ-001"), examples)).graph
    owner = node_by_name(graph, "Волков Андрей Игоревич")["title"]
    assert "Latin: Volkov Andrei Igorevich" in owner
    assert "Holds 75% of ТОО «Степь Электроникс» (100% × 75% = 75%)" in owner
    firm = node_by_name(graph, "ТОО «Степь Электроникс»")["title"]
    assert "Latin: TOO «Step Elektroniks»" in firm
    assert "Registered 2022-04-12 (registry)" in firm
    (flow,) = edges_between(graph, "Elettronica Nord S.r.l.", "ТОО «Степь Электроникс»")
    assert "7 shipments, USD 408,166" in flow["title"]
    assert "HS codes: 854233, 854239, 85423990" in flow["title"]
    assert "From 2022-07-23 to 2024-03-23" in flow["title"]


def test_legend_and_caption_explain_the_map(
    examples: Dataset, example_findings: list[Finding]
) -> None:
    html = finding_map(_finding(example_findings, "KZ-001"), examples, run_date=RUN_DATE)
    text = read_page(html).visible_text()
    for role in ("intermediary", "owner", "holding", "supplier", "buyer", "director"):
        assert ROLES[role].label in text
    assert "Firm in Russia" not in text  # only roles on the map are explained
    assert "Box: a firm" in text and "Oval: a person" in text
    assert "Red outline and SANCTIONED: on the sanctions list" in text
    assert "the thicker, the more value (thickest: USD 512,149)" in text
    assert "Ownership, from owner to owned firm, with the share" in text
    assert f"Data: {examples.source}, netscan run of 2024-06-01." in text
    assert "On the sanctions list (red outline): АО «НПП Квантор»." in text


def test_overview_draws_a_party_of_several_findings_once(write_dataset) -> None:
    firms = [
        {"id": f"KZ{n}", "name": f"Firm {n}", "country": "KZ", "registered_on": "2023-01-01"}
        for n in (1, 2)
    ]
    folder = write_dataset(
        companies=[*firms, EU_SUPPLIER, RU_BUYER],
        persons=[{"id": "P1", "name": "Петров Пётр", "nationality": "RU"}],
        ownership=[{"owner_id": "P1", "owned_id": f"KZ{n}", "share": "60"} for n in (1, 2)],
        shipments=[
            row
            for n in (1, 2)
            for row in (
                shipment("2023-02-01", "DE1", "DE", f"KZ{n}", "KZ"),
                shipment("2023-03-01", f"KZ{n}", "KZ", "RU1", "RU"),
            )
        ],
    )
    dataset = load_folder(folder)[0]
    graph = overview_graph(find_intermediaries(dataset), dataset)
    assert sorted(graph) == ["DE1", "KZ1", "KZ2", "P1", "RU1"]
    assert sorted(v for _, v in graph.out_edges("DE1")) == ["KZ1", "KZ2"]
    assert sorted(v for _, v in graph.out_edges("P1")) == ["KZ1", "KZ2"]


def test_overview_of_the_examples_holds_every_finding(
    examples: Dataset, example_findings: list[Finding]
) -> None:
    html = overview_map(example_findings, examples, run_date=RUN_DATE)
    graph = read_page(html).graph
    hubs = [n for n in graph["nodes"] if n["color"]["background"] == ROLES["intermediary"].color]
    assert len(hubs) == len(example_findings) == 4
    assert "4 firms found by netscan" in read_page(html).visible_text()


@pytest.fixture
def chain(write_dataset) -> Dataset:
    """A owns B; B sells twice to C; C sells to D; E directs B."""
    companies = [
        {"id": key, "name": f"Firm {key}", "country": country}
        for key, country in (("A", "CY"), ("B", "KZ"), ("C", "RU"), ("D", "RU"))
    ]
    folder = write_dataset(
        companies=companies,
        persons=[{"id": "E", "name": "Сергеев Иван", "nationality": "KZ"}],
        ownership=[{"owner_id": "A", "owned_id": "B", "share": "40"}],
        officers=[{"person_id": "E", "company_id": "B", "role": "director"}],
        shipments=[
            shipment("2023-01-01", "B", "KZ", "C", "RU", hs="854231", value="100"),
            shipment("2023-02-01", "B", "KZ", "C", "RU", hs="847150", value="250"),
            shipment("2023-03-01", "C", "RU", "D", "RU", value="70"),
        ],
    )
    return load_folder(folder)[0]


def test_neighbourhood_follows_ownership_officers_and_shipments(chain: Dataset) -> None:
    near = neighbourhood_graph(chain, "B", depth=1)
    assert dict(near.nodes(data="distance")) == {"B": 0, "A": 1, "C": 1, "E": 1}
    assert dict(near.nodes(data="role")) == {
        "B": "focus",
        "A": "holding",
        "C": "ru_firm",
        "E": "director",
    }
    far = neighbourhood_graph(chain, "B", depth=2)
    assert far.nodes["D"]["distance"] == 2
    assert far.has_edge("C", "D", "goods")


def test_neighbourhood_aggregates_shipments_between_two_parties(chain: Dataset) -> None:
    flow = neighbourhood_graph(chain, "B").edges["B", "C", "goods"]
    assert (flow["shipments"], flow["value_usd"]) == (2, 350.0)
    assert flow["hs_codes"] == "847150 854231"
    assert (flow["first"], flow["last"]) == ("2023-01-01", "2023-02-01")


def test_neighbourhood_of_an_unknown_id_says_which_ids_to_use(chain: Dataset) -> None:
    with pytest.raises(OptionError, match="'X9' is not the id of a firm or a person") as error:
        neighbourhood_map(chain, "X9")
    assert "companies.csv or persons.csv" in str(error.value)
    with pytest.raises(OptionError, match="depth 0"):
        neighbourhood_map(chain, "B", depth=0)


def test_neighbourhood_map_has_the_focus_in_the_centre(chain: Dataset) -> None:
    page = read_page(neighbourhood_map(chain, "B", depth=2, run_date=RUN_DATE))
    focus = node_by_name(page.graph, "Firm B")
    assert (focus["x"], focus["y"]) == (0.0, 0.0)
    assert focus["color"]["background"] == ROLES["focus"].color
    assert "up to 2 links away" in page.visible_text()


def test_small_maps_are_not_aggregated(examples: Dataset, example_findings: list[Finding]) -> None:
    text = read_page(overview_map(example_findings, examples)).visible_text()
    assert "grouped" not in text


def test_maps_above_the_limit_group_counterparties_by_role_and_country(
    examples: Dataset, example_findings: list[Finding]
) -> None:
    page = read_page(overview_map(example_findings, examples, max_nodes=25))
    assert len(page.graph["nodes"]) <= 25
    assert (
        "The full map has 32 firms and persons, too many to read, so suppliers and buyers "
        "are grouped into one node per role and country." in page.visible_text()
    )
    groups = {n["label"] for n in page.graph["nodes"] if n["shape"] == "database"}
    assert groups == {"5 × EU supplier in DE", "SANCTIONED\n8 × Russian buyer in RU"}
    assert "Cylinder: a group of parties" in page.visible_text()


def test_a_large_world_is_aggregated_into_a_readable_map(
    world: Dataset, world_findings: list[Finding]
) -> None:
    overview = read_page(overview_map(world_findings, world))
    assert len(world_findings) > 1000
    assert len(overview.graph["nodes"]) <= MAX_MAP_NODES
    assert "too many to read, so" in overview.visible_text()
    firm = world_findings[0].id
    neighbourhood = read_page(neighbourhood_map(world, firm, depth=8))
    assert len(neighbourhood.graph["nodes"]) <= MAX_MAP_NODES
    assert "parties more than one link away are grouped" in neighbourhood.visible_text()


def test_same_findings_give_the_same_bytes(
    examples: Dataset, example_findings: list[Finding]
) -> None:
    first = overview_map(example_findings, examples, run_date=RUN_DATE)
    assert first == overview_map(example_findings, examples, run_date=RUN_DATE)
    assert first != overview_map(example_findings[::-1], examples, run_date=RUN_DATE)


RENDER_ALL = """
import hashlib, sys
from datetime import date
from pathlib import Path
from graphkit.analysis.intermediaries import find_intermediaries
from graphkit.ingest.load import load_folder
from graphkit.report.casefile import case_file
from graphkit.report.maps import neighbourhood_map, overview_map
dataset = load_folder(Path(sys.argv[1]))[0]
findings = find_intermediaries(dataset)
day = date(2024, 6, 1)
pages = [
    overview_map(findings, dataset, run_date=day),
    case_file(findings[0], dataset, run_date=day),
    neighbourhood_map(dataset, "KZ-001", depth=3, run_date=day),
]
print(hashlib.sha256("".join(pages).encode()).hexdigest())
"""


def test_pages_do_not_depend_on_python_hash_seeds(tmp_path: Path) -> None:
    """Sets and dicts of strings iterate in another order under another PYTHONHASHSEED."""
    examples = Path(__file__).parents[2] / "examples"
    digests = set()
    for seed in ("1", "2"):
        env = os.environ | {"PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", RENDER_ALL, str(examples)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
        )
        digests.add(run.stdout.strip())
    assert len(digests) == 1


def test_write_maps_writes_one_page_per_finding_and_an_overview(
    tmp_path: Path, examples: Dataset, example_findings: list[Finding]
) -> None:
    written = write_maps(example_findings, examples, tmp_path / "maps", run_date=RUN_DATE)
    names = [path.name for path in written]
    assert names == ["KZ-001.html", "KZ-005.html", "KZ-003.html", "KZ-008.html", "overview.html"]
    assert sorted(p.name for p in (tmp_path / "maps").iterdir()) == sorted(names)
    kz001 = (tmp_path / "maps" / "KZ-001.html").read_text(encoding="utf-8")
    assert kz001 == finding_map(example_findings[0], examples, run_date=RUN_DATE)


def test_file_stems_are_safe_and_never_shared() -> None:
    ids = ["KZ-001", "../etc/passwd", "KZ 001", "KZ_001", "kz-001", "overview", "CON", ""]
    stems = file_stems(ids)
    assert stems["KZ-001"] == "KZ-001"
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", stem) for stem in stems.values())
    assert len({stem.lower() for stem in stems.values()}) == len(ids)
    assert stems["overview"] != "overview" and stems["CON"].startswith("CON-")
    digest = hashlib.sha256(b"../etc/passwd").hexdigest()[:8]
    assert stems["../etc/passwd"] == f"etc_passwd-{digest}"


def test_latin_spells_russian_and_kazakh_in_latin_letters() -> None:
    assert latin("ТОО «Степь Электроникс»") == "TOO «Step Elektroniks»"
    assert latin("Жауапкершілігі шектеулі серіктестігі «Қазақ Радио»") == (
        "Zhauapkershiligi shekteuli seriktestigi «Kazak Radio»"
    )
    assert latin("ЖШС Halbleiter") == "ZHSHS Halbleiter"
    assert latin("Щукин Юрий") == "Shchukin Yurii"


def test_goods_width_grows_with_the_square_root_of_value() -> None:
    assert goods_width(100.0, 100.0) == 12
    assert goods_width(25.0, 100.0) == pytest.approx(1.5 + 10.5 / 2)
    assert goods_width(0.0, 100.0) == goods_width(5.0, 0.0) == 1.5


def test_every_firm_and_person_of_the_examples_has_a_map(examples: Dataset) -> None:
    """Decoys too: firms without owners, buyers or suppliers, persons without firms."""
    everyone = find_intermediaries(examples, Criteria(include_partial=True))
    assert len(everyone) > len(find_intermediaries(examples))
    drawn = '<script type="application/json" id="netscan-graph">{"nodes": [{'
    for finding in everyone:
        html = finding_map(finding, examples)
        assert drawn in html
        assert ("Not flagged: netscan lists this firm, but it fails" in html) != finding.flagged
    for focus in [*examples.companies["id"], *examples.persons["id"]]:
        assert drawn in neighbourhood_map(examples, focus, depth=2)

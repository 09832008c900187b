"""Datasets for the map, case-file and export tests: the examples, a hostile one, a large one."""

from __future__ import annotations

import pytest
from builders import shipment
from report.samples import EXAMPLES, HOSTILE_FIRM, IFRAME, IMG, SCRIPT, SVG

from graphkit.analysis.intermediaries import Criteria, Finding, find_intermediaries
from graphkit.dataset import Dataset
from graphkit.generate import generate_world
from graphkit.ingest.load import load_folder


@pytest.fixture(scope="session")
def examples() -> Dataset:
    return load_folder(EXAMPLES)[0]


@pytest.fixture(scope="session")
def example_findings(examples: Dataset) -> list[Finding]:
    return find_intermediaries(examples)


@pytest.fixture
def hostile(write_dataset) -> tuple[Dataset, Finding]:
    """A flagged firm whose every name, address, description and role is an attack, in a
    folder whose name is one too (the caption shows it)."""
    firm = {
        "id": HOSTILE_FIRM,
        "name": f"ТОО «{IMG}»",
        "country": "KZ",
        "registered_on": "2023-01-10",
        "registration_number": SVG,
        "address": SCRIPT,
    }
    supplier = {"id": "DE1", "name": SCRIPT, "country": "DE", "registered_on": "1999-01-01"}
    buyer = {"id": "RU1", "name": f"ООО «{SVG}»", "country": "RU", "address": IFRAME}
    folder = write_dataset(
        folder_name="<img src=x onerror=alert(1)>",
        companies=[firm, supplier, buyer],
        persons=[{"id": "P1", "name": f"Иванов {IMG}", "nationality": "RU"}],
        ownership=[{"owner_id": "P1", "owned_id": HOSTILE_FIRM, "share": "100"}],
        officers=[{"person_id": "P1", "company_id": HOSTILE_FIRM, "role": SCRIPT}],
        shipments=[
            shipment("2023-03-01", "DE1", "DE", HOSTILE_FIRM, "KZ", description=IMG),
            shipment("2023-03-02", "", "DE", HOSTILE_FIRM, "KZ", exporter_name=IFRAME),
            shipment("2023-04-01", HOSTILE_FIRM, "KZ", "RU1", "RU", description=SCRIPT),
        ],
        sanctions=[{"entity_id": "RU1", "name": SVG, "program": IMG, "listed_on": "2023-05-01"}],
    )
    dataset = load_folder(folder)[0]
    (finding,) = find_intermediaries(dataset)
    return dataset, finding


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The synthetic world of the README: 3,000 firms, 30,000 shipments."""
    folder = tmp_path_factory.mktemp("world")
    generate_world(folder, firms=3000, shipments=30000, seed=1)
    return load_folder(folder)[0]


@pytest.fixture(scope="session")
def world_findings(world: Dataset) -> list[Finding]:
    """Every firm of the world that trades with a supplier or buyer country: about 1,600."""
    return find_intermediaries(world, Criteria(include_partial=True))

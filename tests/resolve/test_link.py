from __future__ import annotations

from builders import RU_BUYER, shipment

from graphkit.ingest.load import load_folder


def test_parties_link_by_id_then_by_exact_name_in_the_same_country(write_dataset) -> None:
    folder = write_dataset(
        companies=[
            {"id": "KZ1", "name": "ТОО «Алтын Трейд»", "country": "KZ"},
            {"id": "KZ2", "name": "Twin LLP", "country": "KZ"},
            {"id": "KZ3", "name": "twin  llp", "country": "KZ"},  # same name: ambiguous
            {"id": "DE9", "name": "ТОО «Алтын Трейд»", "country": "DE"},
            RU_BUYER,
        ],
        shipments=[
            shipment("2022-06-01", "KZ1", "KZ", "RU1", "RU"),
            shipment(
                "2022-06-02",
                "",
                "KZ",
                "",
                "RU",
                exporter_name="тоо  «АЛТЫН ТРЕЙД»",
                importer_name="Unknown OOO",
            ),
            shipment("2022-06-03", "", "KZ", "RU1", "RU", exporter_name="Twin LLP"),
            shipment(
                "2022-06-04",
                "NOT-IN-REGISTRY",
                "KZ",
                "RU1",
                "RU",
                exporter_name="ТОО «Алтын Трейд»",
            ),
        ],
    )
    dataset, report = load_folder(folder)
    links = dataset.shipments[["exporter_key", "exporter_link", "importer_key"]]
    rows = links.astype(object).where(links.notna(), None).values.tolist()
    assert rows == [
        ["KZ1", "id", "RU1"],
        ["KZ1", "exact name", None],  # case and spacing ignored; the DE namesake is not taken
        [None, None, "RU1"],  # two KZ firms bear the name: left unlinked rather than guessed
        ["KZ1", "exact name", "RU1"],  # an id not in the registry falls back to the name
    ]
    assert report.linked_parties == {"id": 4, "exact name": 2, "unlinked": 2}

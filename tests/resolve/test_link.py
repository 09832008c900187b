from __future__ import annotations

import pandas as pd
import pytest
from builders import RU_BUYER, shipment, write_csv

from graphkit.errors import InputError
from graphkit.ingest.load import load_folder
from graphkit.resolve.link import match_report_csv


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


ALTYN = {
    "id": "KZ1",
    "name": "Товарищество с ограниченной ответственностью «Алтын Трейд»",
    "country": "KZ",
    "registration_number": "220340015320",
}
ALTYN_GROUP = {"id": "KZ2", "name": "ТОО «Алтын Трейд Групп»", "country": "KZ"}
DA_23 = {"id": "KZ3", "name": "ТОО «DA GROUP 23»", "country": "KZ"}
RADIO = {"id": "KZ4", "name": "ТОО «Қазақ Электроникс»", "country": "KZ"}
RADIO_GROUP = {"id": "KZ5", "name": "ТОО «Қазақ Электроникс Групп»", "country": "KZ"}


def link_names(write_dataset, names: list[str], companies=None, decisions=None, **extra):
    """Link each name as the exporter of one shipment; return {name: (company id, rule)}."""
    rows = [
        shipment(f"2022-06-{i + 1:02d}", "", "KZ", "RU1", "RU", exporter_name=name, **extra)
        for i, name in enumerate(names)
    ]
    folder = write_dataset(
        companies=companies or [ALTYN, ALTYN_GROUP, DA_23, RADIO, RADIO_GROUP, RU_BUYER],
        shipments=rows,
    )
    dataset, report = load_folder(folder, decisions)
    out = dataset.shipments[["exporter_name", "exporter_key", "exporter_link"]]
    return {
        n: (None if pd.isna(k) else k, None if pd.isna(r) else r)
        for n, k, r in out.itertuples(index=False)
    }, report


def test_spelling_variants_link_by_normalised_name(write_dataset) -> None:
    variants = [
        'TOO "ALTYN TREID"',
        "ALTYN TRADE LLP",
        "«Алтын Трейд» ЖШС",
        "Жауапкершілігі шектеулі серіктестігі «Алтын Трейд»",
    ]
    links, _ = link_names(write_dataset, variants)
    assert links == {v: ("KZ1", "normalised name") for v in variants}


def test_typo_links_by_fuzzy_match_but_extra_words_and_numbers_do_not(write_dataset) -> None:
    names = [
        "KAZAK ELECTORNICS LLP",
        "KAZAK ELECTRONCS GROUP LLP",
        "ALTYN TRDE LLP",
        "DA GROUP 22",
        "Kazak Electronics Plus",
    ]
    links, report = link_names(write_dataset, names)
    assert links["KAZAK ELECTORNICS LLP"] == ("KZ4", "fuzzy")  # two letters swapped
    assert links["KAZAK ELECTRONCS GROUP LLP"] == ("KZ5", "fuzzy")  # the look-alike, by its name
    assert links["ALTYN TRDE LLP"] == (None, None)  # a typo in a short word is not forgiven
    assert links["DA GROUP 22"] == (None, None)  # only DA GROUP 23 is registered: not it
    assert links["Kazak Electronics Plus"] == (None, None)  # a word more: another firm
    fuzzy = report.matches[report.matches["rule"] == "fuzzy"]
    assert (fuzzy["score"] >= 90).all()


def test_one_letter_in_a_short_name_word_is_another_firm(write_dataset) -> None:
    # Батыр and Батыс are different words; the true firm is registered in English
    firms = [
        {"id": "B1", "name": 'TOO "Batyr Devices"', "country": "KZ"},
        {"id": "B2", "name": "ТОО «Батыс Девайсес»", "country": "KZ"},
        RU_BUYER,
    ]
    links, _ = link_names(
        write_dataset, ["«Батыр Девайсес» ЖШС", "«Батыр Девайсис» ЖШС"], companies=firms
    )
    assert links["«Батыр Девайсес» ЖШС"] == ("B1", "normalised name")  # Девайсес = Devices
    assert links["«Батыр Девайсис» ЖШС"] == (None, None)  # never B2


def test_valid_identifier_in_the_name_wins_over_the_name(write_dataset) -> None:
    links, _ = link_names(write_dataset, ["ТОО «Алтын Трейд Групп» БИН 220340015320"])
    assert links == {"ТОО «Алтын Трейд Групп» БИН 220340015320": ("KZ1", "identifier")}


def test_invalid_identifier_is_not_used(write_dataset) -> None:
    links, _ = link_names(write_dataset, ["Unknown firm 220340015321"])
    assert links == {"Unknown firm 220340015321": (None, None)}


def test_two_registry_firms_with_one_name_leave_the_party_unlinked(write_dataset) -> None:
    radiozavod = [  # two real firms of this name on the EU's Annex IV, told apart only by INN
        {
            "id": "R1",
            "name": "Radiozavod, JSC",
            "country": "RU",
            "registration_number": "5835049799",
        },
        {
            "id": "R2",
            "name": "Radiozavod Zao",
            "country": "RU",
            "registration_number": "1833010911",
        },
        ALTYN,
    ]
    rows = [
        shipment("2022-06-01", "KZ1", "KZ", "", "RU", importer_name="АО Радиозавод"),
        shipment("2022-06-02", "KZ1", "KZ", "", "RU", importer_name="Radiozavod INN 1833010911"),
    ]
    dataset, report = load_folder(write_dataset(companies=radiozavod, shipments=rows))
    assert dataset.shipments["importer_key"].isna().tolist() == [True, False]
    assert dataset.shipments["importer_key"].iloc[1] == "R2"
    ambiguous = report.matches[report.matches["rule"] == "ambiguous"]
    assert ambiguous["candidates"].tolist() == ["R1;R2"]


def test_manual_decisions_override_the_matcher(write_dataset, tmp_path) -> None:
    decisions = write_csv(
        tmp_path / "decisions.csv",
        [
            {
                "name": "ALTYN TRADE LLP",
                "country": "KZ",
                "decision": "different",
                "company_id": "KZ1",
            },
            {
                "name": "Steppe Goods",
                "country": "Kazakhstan",
                "decision": "same",
                "company_id": "KZ2",
            },
            {"name": "altyn  treid", "country": "KZ", "decision": "different", "company_id": ""},
        ],
    )
    links, _ = link_names(
        write_dataset,
        ["ALTYN TRADE LLP", "Steppe Goods", "ALTYN TREID", 'TOO "ALTYN TREID"'],
        decisions=decisions,
    )
    assert links["ALTYN TRADE LLP"] == (None, None)  # not KZ1, and no other firm fits
    assert links["Steppe Goods"] == ("KZ2", "manual")
    assert links["ALTYN TREID"] == (None, None)  # never linked
    assert links['TOO "ALTYN TREID"'] == ("KZ1", "normalised name")  # another spelling: matcher


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"name": "X", "country": "KZ", "decision": "maybe", "company_id": "KZ1"},
            "decision 'maybe' is neither 'same' nor 'different'",
        ),
        (
            {"name": "X", "country": "KZ", "decision": "same", "company_id": "KZ404"},
            "company_id 'KZ404' is not in companies.csv",
        ),
        (
            {"name": "X", "country": "KZ", "decision": "same", "company_id": ""},
            "'same' needs a company_id",
        ),
    ],
)
def test_bad_decisions_file_names_line_and_column(write_dataset, tmp_path, row, message) -> None:
    decisions = write_csv(tmp_path / "decisions.csv", [row])
    with pytest.raises(InputError) as caught:
        link_names(write_dataset, ["X"], decisions=decisions)
    assert message in str(caught.value)
    assert "decisions.csv, line 2, column" in str(caught.value)


def test_match_report_lists_every_party_unlinked_first(write_dataset) -> None:
    _, report = link_names(write_dataset, ["ALTYN TRADE LLP", "Nobody LLP"])
    text = match_report_csv(report.matches)
    lines = text.splitlines()
    assert lines[0].startswith("name,country,given_id,sides,shipments,rule,company_id")
    assert lines[1].startswith("Nobody LLP,KZ,,exporter,1,,")
    assert any(
        line.startswith("ALTYN TRADE LLP,KZ,,exporter,1,normalised name,KZ1") for line in lines
    )

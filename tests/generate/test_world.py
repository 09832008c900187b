"""Tests of the synthetic world generator.

The criteria are recomputed here from the written files with plain pandas, independently of
the generator's own tables and of netscan's loader, so the answer key is checked against what
a reader of the files would conclude.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from graphkit.errors import OptionError
from graphkit.generate import WorldSummary, generate_world

FIRMS, SHIPMENTS, SEEDS = 3000, 15000, (7, 11)
INVASION = pd.Timestamp("2022-02-24")
EU27 = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
}  # fmt: skip
FILES = [
    "companies.csv",
    "persons.csv",
    "ownership.csv",
    "officers.csv",
    "shipments.csv",
    "sanctions.csv",
    "truth.csv",
]
DECOY_KINDS = {
    "registered_before": "newly_registered",
    "low_share": "russian_owned",
    "expired_ownership": "russian_owned",
    "no_russian_buyers": "between_suppliers_and_buyers",
    "no_eu_suppliers": "between_suppliers_and_buyers",
    "outside_kazakhstan": "between_suppliers_and_buyers",
}
CRITERIA = ("newly_registered", "russian_owned", "between_suppliers_and_buyers")

# Every spelling of a country an extract may use, written out by hand for the check.
COUNTRY_NAMES = {
    "kazakhstan": "KZ", "казахстан": "KZ", "russia": "RU", "russian federation": "RU",
    "россия": "RU", "kyrgyzstan": "KG", "кыргызстан": "KG", "armenia": "AM",
    "армения": "AM", "cyprus": "CY", "кипр": "CY", "united arab emirates": "AE",
    "china": "CN", "китай": "CN", "turkey": "TR", "турция": "TR", "germany": "DE",
    "германия": "DE", "italy": "IT", "италия": "IT", "france": "FR", "франция": "FR",
    "poland": "PL", "польша": "PL", "netherlands": "NL", "czechia": "CZ",
    "czech republic": "CZ", "austria": "AT", "finland": "FI", "финляндия": "FI",
    "belgium": "BE", "spain": "ES", "sweden": "SE", "denmark": "DK", "lithuania": "LT",
    "литва": "LT", "latvia": "LV", "латвия": "LV", "estonia": "EE", "эстония": "EE",
    "slovakia": "SK", "hungary": "HU",
}  # fmt: skip
ALPHA3 = {
    "KAZ": "KZ", "RUS": "RU", "KGZ": "KG", "ARM": "AM", "CYP": "CY", "ARE": "AE", "CHN": "CN",
    "TUR": "TR", "DEU": "DE", "ITA": "IT", "FRA": "FR", "POL": "PL", "NLD": "NL", "CZE": "CZ",
    "AUT": "AT", "FIN": "FI", "BEL": "BE", "ESP": "ES", "SWE": "SE", "DNK": "DK", "LTU": "LT",
    "LVA": "LV", "EST": "EE", "SVK": "SK", "HUN": "HU",
}  # fmt: skip


def country(text: str) -> str:
    text = text.strip()
    if len(text) == 2 and text.isascii() and text.isupper():
        return text
    return ALPHA3.get(text) or COUNTRY_NAMES[text.lower()]


def date(text: str) -> pd.Timestamp | None:
    if not text:
        return None
    if re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", text):
        return pd.Timestamp(f"{text[6:]}-{text[3:5]}-{text[:2]}")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", text), text
    return pd.Timestamp(text)


def share(text: str) -> float | None:
    return float(text.rstrip("%")) if text else None


def read(path: Path, encoding: str = "utf-8") -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
    frame.columns = [c.lower() for c in frame.columns]
    return frame


@dataclass
class World:
    """The files of a world, with the messy forms parsed and shipment parties resolved."""

    companies: pd.DataFrame
    persons: pd.DataFrame
    ownership: pd.DataFrame
    shipments: pd.DataFrame
    truth: pd.DataFrame
    inbound: dict[str, list[tuple[pd.Timestamp, str]]]  # firm -> (day, exporter country)
    outbound: dict[str, list[tuple[pd.Timestamp, str]]]  # firm -> (day, importer country)
    owners: dict[str, list[tuple[str, float | None, pd.Timestamp | None, pd.Timestamp | None]]]

    @classmethod
    def read(cls, out: Path) -> World:
        companies = read(out / "companies.csv", "utf-8-sig").set_index("id")
        companies["alpha2"] = companies["country"].map(country)
        companies["registered"] = companies["registered_on"].map(date)
        persons = read(out / "persons.csv", "cp1251").set_index("id")
        persons["russian"] = persons["nationality"].map(
            lambda n: "RU" in {country(x) for x in n.split(";") if x}
        )
        ownership = read(out / "ownership.csv")
        for column, parse in (("share", share), ("since", date), ("until", date)):
            ownership[column] = ownership[column].map(parse).astype(object)
        truth = read(out / "truth.csv").set_index("id")
        shipments = read(out / "shipments.csv")
        shipments["day"] = shipments["date"].map(date)
        names = _names_on_shipments(companies, truth)
        for side in ("exporter", "importer"):
            shipments[f"{side}_alpha2"] = shipments[f"{side}_country"].map(country)
            shipments[f"{side}"] = [
                firm or names.get((name, alpha2))
                for firm, name, alpha2 in zip(
                    shipments[f"{side}_id"],
                    shipments[f"{side}_name"],
                    shipments[f"{side}_alpha2"],
                    strict=True,
                )
            ]
        return cls(
            companies,
            persons,
            ownership,
            shipments,
            truth,
            _by(shipments["importer"], shipments["day"], shipments["exporter_alpha2"]),
            _by(shipments["exporter"], shipments["day"], shipments["importer_alpha2"]),
            _by(
                ownership["owned_id"],
                *(ownership[c] for c in ("owner_id", "share", "since", "until")),
            ),
        )

    def criteria(self, firm: str) -> dict[str, bool]:
        inbound, outbound = self.inbound.get(firm, []), self.outbound.get(firm, [])
        from_eu = [day for day, origin in inbound if origin in EU27]
        to_russia = [day for day, destination in outbound if destination == "RU"]
        start = min(from_eu or [day for day, _ in inbound], default=None)
        end = max(to_russia or [day for day, _ in outbound], default=None)
        located = self.companies.at[firm, "alpha2"] == "KZ"
        return {
            "newly_registered": self.companies.at[firm, "registered"] >= INVASION,
            "russian_owned": self.russian_share(firm, start, end, set()) >= 25,
            "between_suppliers_and_buyers": bool(located and from_eu and to_russia),
        }

    def russian_share(
        self, firm: str, start: pd.Timestamp | None, end: pd.Timestamp | None, seen: set[str]
    ) -> float:
        """Effective Russian share of firm over links in force at some time in [start, end]."""
        total = 0.0
        for owner, held, since, until in self.owners.get(firm, []):
            if (since and end and since > end) or (until and start and until < start):
                continue
            fraction = (held or 0) / 100
            if owner in self.persons.index:
                total += 100 * fraction if self.persons.at[owner, "russian"] else 0
            elif self.companies.at[owner, "alpha2"] == "RU":
                total += 100 * fraction
            elif owner not in seen:
                total += fraction * self.russian_share(owner, start, end, seen | {firm})
        return total


def _by(keys: pd.Series, *columns: pd.Series) -> dict[str, list[tuple]]:
    """Rows grouped by key, as tuples of the other columns."""
    groups: dict[str, list[tuple]] = {}
    for key, *values in zip(keys, *columns, strict=True):
        groups.setdefault(key, []).append(tuple(values))
    return groups


def _names_on_shipments(companies: pd.DataFrame, truth: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Registry names by (name, country), and the variants truth.csv says firms trade under."""
    names = {
        (n, c): firm
        for firm, n, c in zip(companies.index, companies["name"], companies["alpha2"], strict=True)
    }
    for firm, note in truth["note"].items():
        if "names on shipments: " in note:
            for variant in note.split("names on shipments: ")[1].split(" | "):
                names[(variant, companies.at[firm, "alpha2"])] = firm
    return names


@pytest.fixture(scope="module", params=SEEDS)
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, WorldSummary]:
    out = tmp_path_factory.mktemp("world")
    return out, generate_world(out, firms=FIRMS, shipments=SHIPMENTS, seed=request.param)


@pytest.fixture(scope="module")
def world(generated: tuple[Path, WorldSummary]) -> World:
    return World.read(generated[0])


def _contents(out: Path) -> Iterator[bytes]:
    for name in FILES:
        yield (out / name).read_bytes()


def test_same_seed_gives_identical_files_and_another_seed_does_not(tmp_path: Path) -> None:
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        generate_world(tmp_path / name, firms=600, shipments=3000, seed=seed)
    assert list(_contents(tmp_path / "a")) == list(_contents(tmp_path / "b"))
    assert all(
        x != y for x, y in zip(_contents(tmp_path / "a"), _contents(tmp_path / "c"), strict=True)
    )


def test_rewrites_its_own_files_and_leaves_others_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "shipments.csv").write_text("stale")
    generate_world(tmp_path, firms=600, shipments=3000, seed=3)
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert (tmp_path / "shipments.csv").read_text().startswith("id,date,")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*FILES, "notes.txt"])


def test_refuses_sizes_too_small_for_the_planted_firms(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match="firms"):
        generate_world(tmp_path, firms=100, shipments=3000, seed=1)
    with pytest.raises(OptionError, match="shipments"):
        generate_world(tmp_path, firms=600, shipments=10, seed=1)
    assert not any(tmp_path.iterdir())


def test_row_counts_match_the_request_and_the_summary(
    generated: tuple[Path, WorldSummary], world: World
) -> None:
    out, summary = generated
    assert len(world.companies) == summary.companies == FIRMS
    assert summary.lines()[0] == f"companies.csv: {FIRMS} rows"
    assert len(world.shipments) == summary.shipments == SHIPMENTS
    assert len(world.persons) == summary.persons == FIRMS
    assert len(world.ownership) == summary.ownership
    assert 1.1 * FIRMS < summary.ownership < 1.35 * FIRMS
    assert len(read(out / "officers.csv")) == summary.officers
    assert len(read(out / "sanctions.csv")) == summary.sanctions > 0
    roles = world.truth["role"].value_counts()
    planted = max(6, round(FIRMS * 0.002))
    assert roles["intermediary"] == summary.intermediaries == planted
    assert roles["lookalike"] == summary.lookalikes == planted
    assert roles["decoy"] == summary.decoys == 6 * max(2, planted // 3)
    decoys = world.truth[world.truth["role"] == "decoy"]
    assert decoys["note"].value_counts().to_dict() == dict.fromkeys(
        DECOY_KINDS, max(2, planted // 3)
    )
    assert all(decoys["fails"] == decoys["note"].map(DECOY_KINDS))


def test_messy_forms_appear(generated: tuple[Path, WorldSummary], world: World) -> None:
    out, _ = generated
    raw = (out / "companies.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfID,Name,Country,Registration_Number,")
    people = (out / "persons.csv").read_bytes()
    people.decode("cp1251")
    with pytest.raises(UnicodeDecodeError):
        people.decode("utf-8")
    everything = "\n".join((out / n).read_text("utf-8-sig") for n in FILES if n != "persons.csv")
    assert re.search(r",\d{2}\.\d{2}\.\d{4},", everything)
    assert re.search(r",\d{4}-\d{2}-\d{2},", everything)
    assert {"KAZ", "RUS", "Россия", "Казахстан", "Germany"} <= set(
        world.shipments["exporter_country"]
    ) | set(world.shipments["importer_country"])
    shares = read(out / "ownership.csv")["share"]
    assert shares.str.endswith("%").any() and shares.str.contains(r"\.").any()
    assert (shares == "").any()
    hs = world.shipments["hs_code"]
    assert hs.str.fullmatch(r"\d{4}\.\d{2}").any() and hs.str.fullmatch(r"\d{4} \d{2}").any()
    assert hs.str.fullmatch(r"\d{8}|\d{10}").any()
    assert world.shipments["value_usd"].str.contains(",").any()
    assert (world.shipments["id"] == "").any() and (world.shipments["exporter_id"] == "").any()
    assert set(world.persons["nationality"]) >= {"RU", "RUS", "Russia", "Россия"}


def test_kazakh_bins_have_valid_check_digits_and_registration_month(world: World) -> None:
    kazakh = world.companies[world.companies["alpha2"] == "KZ"]
    assert len(kazakh) > 100
    for number, registered in zip(kazakh["registration_number"], kazakh["registered"], strict=True):
        assert re.fullmatch(r"\d{12}", number), number
        assert number[:4] == registered.strftime("%y%m") and number[4] == "4"
        digits = [int(d) for d in number]
        check = sum(d * w for d, w in zip(digits, range(1, 12), strict=False)) % 11
        if check == 10:
            check = (
                sum(
                    d * w for d, w in zip(digits, [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], strict=False)
                )
                % 11
            )
        assert check != 10 and check == digits[11], number
    assert kazakh["registration_number"].is_unique


def test_russian_and_kyrgyz_inns_are_well_formed(world: World) -> None:
    russian = world.companies.loc[world.companies["alpha2"] == "RU", "registration_number"]
    for number in russian:
        digits = [int(d) for d in number]
        weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
        assert len(digits) == 10
        assert sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10 == digits[9]
    kyrgyz = world.companies[world.companies["alpha2"] == "KG"]
    for number, registered in zip(kyrgyz["registration_number"], kyrgyz["registered"], strict=True):
        assert re.fullmatch(r"0\d{13}", number) and number[1:9] == registered.strftime("%d%m%Y")


def test_intermediaries_are_owned_in_every_planted_way(world: World) -> None:
    notes = " ".join(world.truth.loc[world.truth["role"] == "intermediary", "note"])
    assert re.search(r"RU person P\d+ holds [\d.]+%", notes)  # directly
    assert re.search(r"holds 100% of holding C\d+, which holds", notes)  # via a holding
    assert re.search(r"holds (?!100%)[\d.]+% of holding C\d+, which holds", notes)  # in part
    assert "which holds 100% of holding" in notes  # through two holdings
    assert "hold 15% each" in notes and "RU company" in notes


def test_names_are_unique_per_country(world: World) -> None:
    assert not world.companies.duplicated(["name", "alpha2"]).any()


def test_every_shipment_party_is_a_registry_firm_or_a_known_variant(world: World) -> None:
    for side in ("exporter", "importer"):
        assert world.shipments[side].notna().all()
        assert world.shipments[side].isin(world.companies.index).all()


def test_ids_on_shipments_says_whether_a_firm_trades_under_its_id(world: World) -> None:
    ids = set(world.shipments["exporter_id"]) | set(world.shipments["importer_id"])
    traded = set(world.shipments["exporter"]) | set(world.shipments["importer"])
    for firm, flag in world.truth["ids_on_shipments"].items():
        assert firm in traded
        assert (firm in ids) == (flag == "true"), firm
    assert (world.truth["ids_on_shipments"] == "false").any()


def test_intermediaries_meet_all_criteria_and_decoys_fail_exactly_theirs(world: World) -> None:
    for firm, row in world.truth.iterrows():
        met = world.criteria(str(firm))
        failed = {name for name in CRITERIA if not met[name]}
        if row["role"] == "intermediary":
            assert not failed, (firm, met)
        elif row["role"] == "decoy":
            assert failed == {row["fails"]}, (firm, row["note"], met)
        else:
            assert failed >= set(row["fails"].split(";")), (firm, met)


def test_no_background_kazakh_firm_meets_all_criteria(world: World) -> None:
    background = world.companies.index.difference(world.truth.index)
    kazakh = [f for f in background if world.companies.at[f, "alpha2"] == "KZ"]
    criteria = [world.criteria(f) for f in kazakh]
    between = [c for c in criteria if c["between_suppliers_and_buyers"]]
    assert len(between) > 10  # the background does trade from the EU to Russia via Kazakhstan
    assert any(c["newly_registered"] for c in between)
    assert not [c for c in between if all(c.values())]


def test_planted_links_have_known_shares_and_ownership_has_one_cycle(world: World) -> None:
    links = world.ownership
    deciding = set(world.truth.index)
    for _ in range(3):  # up through the holdings, which are never Russian firms
        owners = links.loc[links["owned_id"].isin(deciding), "owner_id"]
        deciding |= {
            o
            for o in owners
            if o in world.companies.index and world.companies.at[o, "alpha2"] != "RU"
        }
    assert links.loc[links["owned_id"].isin(deciding), "share"].notna().all()
    firms = links[links["owner_id"].str.startswith("C")]
    cycles = list(
        nx.simple_cycles(nx.DiGraph(list(zip(firms["owner_id"], firms["owned_id"], strict=True))))
    )
    assert len(cycles) == 1 and len(cycles[0]) == 2

"""Effective ownership on hand-built graphs with hand-computed answers."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphkit.analysis.ownership import owner_chains, ownership_graph, peak_share

RU = {"ivanov", "petrov", "ru_firm"}


def holdings(*rows: tuple) -> pd.DataFrame:
    """(owner, owned, share, since, until) tuples as the ownership table."""
    frame = pd.DataFrame(
        [(*row, *([None] * (5 - len(row)))) for row in rows],
        columns=["owner_id", "owned_id", "share", "since", "until"],
    )
    frame["since"] = pd.to_datetime(frame["since"])
    frame["until"] = pd.to_datetime(frame["until"])
    frame["line"] = range(2, len(frame) + 2)
    frame["file"] = "ownership.csv"
    return frame


def share_of(frame: pd.DataFrame, firm: str = "kz", window=(None, None)) -> float:
    return peak_share(owner_chains(ownership_graph(frame), firm, RU, window=window)).share


def test_direct_holding() -> None:
    assert share_of(holdings(("ivanov", "kz", 30.0), ("nurlan", "kz", 70.0))) == pytest.approx(30)


def test_indirect_holding_multiplies_along_the_chain() -> None:
    frame = holdings(("ivanov", "cy", 60.0), ("cy", "ae", 50.0), ("ae", "kz", 80.0))
    assert share_of(frame) == pytest.approx(24.0)  # 60% x 50% x 80%
    [chain] = owner_chains(ownership_graph(frame), "kz", RU)
    assert [h.owner for h in chain.holdings] == ["ivanov", "cy", "ae"]


def test_chains_of_several_owners_add_up() -> None:
    frame = holdings(
        ("ivanov", "kz", 15.0),
        ("petrov", "kz", 15.0),  # two Russians at 15%: 30% together
        ("ivanov", "cy", 50.0),
        ("cy", "kz", 20.0),  # plus 50% of a 20% holder: 10%
        ("nurlan", "kz", 50.0),
    )
    assert share_of(frame) == pytest.approx(40.0)


def test_chain_stops_at_the_first_russian_owner() -> None:
    # ivanov owns the Russian firm: its 51% is counted once, not again through ivanov
    frame = holdings(("ivanov", "ru_firm", 100.0), ("ru_firm", "kz", 51.0))
    chains = owner_chains(ownership_graph(frame), "kz", RU)
    assert [c.owner for c in chains] == ["ru_firm"]
    assert share_of(frame) == pytest.approx(51.0)


def test_cycle_of_cross_holdings_is_walked_once() -> None:
    frame = holdings(
        ("a", "b", 50.0),
        ("b", "a", 50.0),
        ("ivanov", "a", 40.0),
        ("a", "kz", 100.0),
    )
    # ivanov -> a -> kz = 40%; the path through b would revisit a, so it is not a chain
    assert share_of(frame) == pytest.approx(40.0)


def test_expired_holding_does_not_count_in_a_later_window() -> None:
    frame = holdings(("ivanov", "kz", 60.0, "2019-01-01", "2021-12-31"), ("nurlan", "kz", 60.0))
    window = (date(2022, 5, 1), date(2023, 1, 1))
    assert share_of(frame, window=window) == 0.0
    assert share_of(frame, window=(date(2021, 6, 1), date(2022, 6, 1))) == pytest.approx(60.0)


def test_chain_counts_only_while_all_its_holdings_were_in_force_together() -> None:
    frame = holdings(
        ("ivanov", "cy", 100.0, None, "2022-03-01"),  # ivanov left the holding in March
        ("cy", "kz", 80.0, "2022-06-01", None),  # the holding bought in only in June
    )
    assert share_of(frame) == 0.0


def test_peak_is_the_highest_total_at_one_time_not_the_sum_over_time() -> None:
    frame = holdings(
        ("ivanov", "kz", 20.0, "2022-01-01", "2022-06-30"),
        ("petrov", "kz", 20.0, "2022-07-01", None),  # petrov took over: never 40% together
        ("ru_firm", "kz", 10.0, "2022-08-01", None),
    )
    peak = peak_share(owner_chains(ownership_graph(frame), "kz", RU))
    assert peak.share == pytest.approx(30.0)
    assert peak.start == date(2022, 8, 1)


def test_unknown_share_is_listed_but_not_counted() -> None:
    frame = holdings(("ivanov", "kz", None), ("petrov", "kz", 10.0))
    chains = owner_chains(ownership_graph(frame), "kz", RU)
    assert sorted((c.owner, c.share) for c in chains) == [("ivanov", None), ("petrov", 10.0)]
    assert peak_share(chains).share == pytest.approx(10.0)


def test_firm_without_owners_has_no_chains() -> None:
    assert owner_chains(ownership_graph(holdings(("ivanov", "other", 50.0))), "kz", RU) == []


shares = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(st.lists(shares, min_size=1, max_size=6))
def test_shares_along_a_chain_multiply(chain_shares: list[float]) -> None:
    names = ["ivanov", *(f"h{i}" for i in range(len(chain_shares) - 1)), "kz"]
    frame = holdings(*((names[i], names[i + 1], s) for i, s in enumerate(chain_shares)))
    expected = 100.0
    for s in chain_shares:
        expected *= s / 100
    assert share_of(frame) == pytest.approx(expected, abs=1e-9)


@given(
    st.lists(st.tuples(st.sampled_from("abcdeK"), st.sampled_from("abcdeK"), shares), max_size=12),
    st.sampled_from(["x", "y"]),
)
def test_renaming_ids_changes_nothing(rows: list[tuple[str, str, float]], prefix: str) -> None:
    rows = [(o, d, s) for o, d, s in rows if o != d] + [("ivanov", "a", 50.0)]
    renamed = [(prefix + o if o != "ivanov" else o, prefix + d, s) for o, d, s in rows]
    assert share_of(holdings(*rows), "K") == pytest.approx(
        share_of(holdings(*renamed), prefix + "K")
    )

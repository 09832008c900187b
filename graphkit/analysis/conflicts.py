"""Conflicting records: data that contradicts itself, reported rather than resolved silently.

Three kinds, each a reason to doubt the findings that rest on the records involved:

- ``duplicate_id``: a company or person id given on two rows that say different things. The
  loader keeps the first row and skips the other (``Dataset.duplicate_ids``); a row repeated
  word for word, or with values left blank, is a mere duplicate, not a conflict.
- ``over_owned``: a company whose owners hold more than 100% of it at the same time. The direct
  holdings of known share are summed over time (a holding is in force from ``since`` up to
  ``until``, so that a holding handed over on the day another begins does not overlap it), and
  the peak is reported when it exceeds 100% by more than ``tolerance`` (rounded shares).
- ``ownership_cycle``: companies that own each other, at any length (A owns B owns A), through
  holdings current or ended. Effective ownership follows each chain once round a cycle, so the
  shares held through it are open to doubt. Cycles are the strongly connected components of the
  ownership graph (Tarjan, "Depth-first search and linear graph algorithms", SIAM J. Computing
  1(2), 1972), found after trimming, in numpy, the companies that own nothing or have no
  company owner left.

Everything runs on ``dataset.ownership`` as columns, so a registry of a million holdings takes
seconds; only the companies that conflict are looked at one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import attrgetter
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.dataset import Dataset

DUPLICATE_ID = "duplicate_id"
OVER_OWNED = "over_owned"
OWNERSHIP_CYCLE = "ownership_cycle"
KINDS = (DUPLICATE_ID, OVER_OWNED, OWNERSHIP_CYCLE)

# kind; ids: the companies or persons involved; detail: what the records say, with the numbers;
# file and lines: the records behind it
COLUMNS = ("kind", "ids", "detail", "file", "lines")

# What each kind means for the shares and findings computed from the records.
CONSEQUENCES = {
    DUPLICATE_ID: "netscan uses the first row and skips the rest",
    OVER_OWNED: "shares held through it may be overstated",
    OWNERSHIP_CYCLE: (
        "netscan follows each chain round a cycle only once, so shares held through it may be "
        "understated"
    ),
}

# How each kind is counted in a summary: one, several.
COUNTED = {
    DUPLICATE_ID: ("id given twice with different values", "ids given twice with different values"),
    OVER_OWNED: ("company owned over 100% at once", "companies owned over 100% at once"),
    OWNERSHIP_CYCLE: ("ownership cycle", "ownership cycles"),
}

DEFAULT_TOLERANCE = 0.5  # percentage points above 100 allowed for rounded shares
_ALWAYS = np.iinfo(np.int64).min  # the start of a holding with no 'since'
_DAY = pd.Timedelta(days=1).value
_MOST_LISTED = 10  # ids named in a cycle's detail, shares in an over-owned company's


def find_conflicts(dataset: Dataset, *, tolerance: float = DEFAULT_TOLERANCE) -> pd.DataFrame:
    """The conflicting records in ``dataset``, one row per conflict (``COLUMNS``).

    ``ids`` and ``lines`` are lists. A dataset read from a store has no ``duplicate_id``
    conflicts: the loader skipped the second row before the store received anything.
    """
    parts = [
        duplicate_ids(dataset.duplicate_ids),
        over_owned(dataset.ownership, tolerance=tolerance),
        ownership_cycles(dataset.ownership),
    ]
    return pd.concat([p for p in parts if not p.empty] or [_frame([])], ignore_index=True)


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(COLUMNS)).astype(
        {"kind": "string", "detail": "string", "file": "string"}
    )


def duplicate_ids(differences: pd.DataFrame) -> pd.DataFrame:
    """A conflict per id given on rows that differ (``Dataset.duplicate_ids``)."""
    ordered = differences.sort_values(
        ["table", "first_file", "first_line", "id", "file", "line"], kind="stable"
    )
    rows = []
    for (table, entity), group in groupby(_rows(ordered), key=attrgetter("table", "id")):
        values = list(group)
        changes = "; ".join(
            f"{v.column} '{v.first_value}' at {_at(v.first_file, v.first_line, table)}, "
            f"'{v.value}' at {_at(v.file, v.line, table)}"
            for v in values
        )
        rows.append(
            {
                "kind": DUPLICATE_ID,
                "ids": [entity],
                "detail": f"{entity} is given with different values ({changes})",
                "file": _files(f for v in values for f in (v.first_file, v.file)),
                "lines": sorted({int(n) for v in values for n in (v.first_line, v.line)}),
            }
        )
    return _frame(rows)


def over_owned(ownership: pd.DataFrame, *, tolerance: float = DEFAULT_TOLERANCE) -> pd.DataFrame:
    """A conflict per company whose direct holdings add up to more than 100% at one time.

    Reports the peak: the holdings in force together when the sum was highest, from the first
    day it was reached.

    >>> ownership = pd.DataFrame({
    ...     "owner_id": ["P1", "P2"], "owned_id": ["KZ1", "KZ1"], "share": [70.0, 60.0],
    ...     "since": pd.to_datetime(["2023-01-01", None]), "until": pd.NaT, "line": [12, 15]})
    >>> over_owned(ownership)["detail"].tolist()
    ['KZ1 is owned 130% by its owners at once (70% + 60%) from 2023-01-01']
    """
    known = ownership[ownership["share"].notna()]
    codes, _ = pd.factorize(known["owned_id"])
    shares = known["share"].to_numpy(dtype="float64")
    most = np.bincount(codes, weights=shares)  # the sum if every holding overlapped the others
    holdings = known[most[codes] > 100 + tolerance]
    if holdings.empty:
        return _frame([])
    firm, _ = pd.factorize(holdings["owned_id"])
    share = holdings["share"].to_numpy(dtype="float64")
    start = _nanoseconds(holdings["since"], missing=_ALWAYS)
    # in force up to the day before 'until'; at least the day of 'since'
    end = np.maximum(_nanoseconds(holdings["until"], missing=0), start + _DAY)
    ends = holdings["until"].notna().to_numpy()
    events = pd.DataFrame(
        {
            "firm": np.concatenate([firm, firm[ends]]),
            "moment": np.concatenate([start, end[ends]]),
            "change": np.concatenate([share, -share[ends]]),
        }
    ).sort_values(["firm", "moment", "change"], ignore_index=True)  # the day's ends first
    events["total"] = events.groupby("firm")["change"].cumsum()
    peaks = events.loc[events.groupby("firm")["total"].idxmax()]
    peaks = peaks[peaks["total"] > 100 + tolerance]
    over = np.zeros(firm.max() + 1, dtype=bool)
    over[peaks["firm"]] = True
    moment = np.zeros(len(over), dtype="int64")
    moment[peaks["firm"]] = peaks["moment"]
    peak = moment[firm]
    in_force = over[firm] & (start <= peak) & (~ends | (end > peak))
    chosen = holdings.loc[in_force, ["owned_id", "share", "file", "line"]]
    chosen = chosen.assign(peak=peak[in_force])
    rows = []
    ordered = _rows(chosen.sort_values(["owned_id", "file", "line"]))
    for owned, group in groupby(ordered, key=attrgetter("owned_id")):
        together = list(group)
        terms = [f"{h.share:g}%" for h in together]
        if len(terms) > _MOST_LISTED:
            terms = [*terms[:_MOST_LISTED], f"{len(terms) - _MOST_LISTED} more"]
        total = round(sum(h.share for h in together), 2)
        at = together[0].peak
        since = "" if at == _ALWAYS else f" from {pd.Timestamp(at):%Y-%m-%d}"
        rows.append(
            {
                "kind": OVER_OWNED,
                "ids": [owned],
                "detail": f"{owned} is owned {total:g}% by its owners at once "
                f"({' + '.join(terms)}){since}",
                "file": _files(h.file for h in together),
                "lines": [int(h.line) for h in together],
            }
        )
    return _frame(rows)


def _at(file: str, line: int, table: str) -> str:
    """Where a value is: "line 12" in the table's own CSV file, else "egrul.xml line 12"."""
    return f"line {line}" if file == f"{table}.csv" else f"{file} line {line}"


def _files(files: Iterable[str]) -> str:
    """The files records come from, each once: "ownership.csv", "ownership.csv, egrul.xml"."""
    return ", ".join(dict.fromkeys(str(f) for f in files))


def _rows(frame: pd.DataFrame) -> Iterator[Any]:
    """The rows as named tuples; converted first, as itertuples reads Arrow text slowly."""
    return frame.astype(object).itertuples()


def _nanoseconds(dates: pd.Series, *, missing: int) -> np.ndarray:
    values = dates.to_numpy(dtype="datetime64[ns]").astype("int64")
    return np.where(dates.isna().to_numpy(), missing, values)


def ownership_cycles(ownership: pd.DataFrame) -> pd.DataFrame:
    """A conflict per group of companies that own each other, with the holdings among them."""
    count = len(ownership)
    codes, names = pd.factorize(
        pd.concat([ownership["owner_id"], ownership["owned_id"]], ignore_index=True)
    )
    owner, owned = codes[:count], codes[count:]
    edges = _edges_on_cycles(owner, owned, len(names))
    graph = nx.DiGraph()
    graph.add_edges_from(zip(owner[edges].tolist(), owned[edges].tolist(), strict=True))
    group = np.full(len(names), -1)  # each company's cycle, -1 for none
    components = (c for c in nx.strongly_connected_components(graph) if len(c) > 1)
    for number, nodes in enumerate(components):
        group[list(nodes)] = number
    on_cycle = np.flatnonzero(group >= 0)
    members = pd.DataFrame({"cycle": group[on_cycle], "id": names.take(on_cycle)})
    ids = {
        number: [m.id for m in cycle]
        for number, cycle in groupby(
            _rows(members.sort_values(["cycle", "id"])), key=attrgetter("cycle")
        )
    }
    inside = (group[owner] >= 0) & (group[owner] == group[owned])
    holdings = ownership.loc[inside, ["owner_id", "owned_id", "file", "line"]]
    holdings = holdings.assign(cycle=group[owner][inside])
    rows = []
    for number, cycle in groupby(
        _rows(holdings.sort_values(["cycle", "file", "line"])), key=attrgetter("cycle")
    ):
        links = list(cycle)
        rows.append(
            {
                "kind": OWNERSHIP_CYCLE,
                "ids": ids[number],
                "detail": _cycle_detail(ids[number], {(h.owner_id, h.owned_id) for h in links}),
                "file": _files(h.file for h in links),
                "lines": [int(h.line) for h in links],
            }
        )
    return _frame(sorted(rows, key=lambda row: row["ids"][0]))


def _edges_on_cycles(owner: np.ndarray, owned: np.ndarray, nodes: int) -> np.ndarray:
    """The edges that may lie on a cycle: those left after dropping, round after round, the
    edges from a node with no owner and into a node that owns nothing.

    Persons and most firms go in the first rounds. A long chain would lose only its two ends
    per round, so the rounds stop once they drop less than 1% of the edges left; the strongly
    connected components are found among whatever remains.
    """
    edges = np.arange(len(owner))
    while len(edges):
        has_owner = np.bincount(owned[edges], minlength=nodes) > 0
        owns = np.bincount(owner[edges], minlength=nodes) > 0
        kept = edges[has_owner[owner[edges]] & owns[owned[edges]]]
        done = len(edges) - len(kept) <= len(edges) // 100
        edges = kept
        if done:
            break
    return edges


def _cycle_detail(ids: list[str], pairs: set[tuple[str, str]]) -> str:
    """'ownership runs in a cycle: A → B → A', or the members of a knot of several cycles."""
    successor = dict(pairs)
    if len(pairs) == len(ids) == len(successor):  # one way out of each: a single cycle
        path = [ids[0]]
        while len(path) <= len(ids):
            path.append(successor[path[-1]])
        if len(path) - 1 > _MOST_LISTED:
            path = [*path[: _MOST_LISTED - 1], "…", path[-1]]
        return f"ownership runs in a cycle: {' → '.join(path)}"
    return f"{_listing(ids)} own each other through more than one cycle"


def _listing(ids: list[str]) -> str:
    if len(ids) > _MOST_LISTED:
        return f"{', '.join(ids[:_MOST_LISTED])} and {len(ids) - _MOST_LISTED} more"
    return f"{', '.join(ids[:-1])} and {ids[-1]}"


def conflicts_by_id(conflicts: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Each conflict as a dictionary (kind, ids, detail, file, lines), under every id involved."""
    found: dict[str, list[dict[str, Any]]] = {}
    for record in conflicts.to_dict("records"):
        for entity in record["ids"]:
            found.setdefault(entity, []).append(record)
    return found


def conflict_sentence(conflict: dict[str, Any]) -> str:
    """One plain sentence for a report: the records, what they say, what it means.

    >>> conflict_sentence({"kind": OVER_OWNED, "file": "ownership.csv", "lines": [12, 15],
    ...           "detail": "KZ1 is owned 130% by its owners at once (70% + 60%)"})
    'Data conflict: ownership.csv lines 12, 15: KZ1 is owned 130% by its owners at once (70% + 60%); shares held through it may be overstated.'
    """  # noqa: E501
    lines = conflict["lines"]
    where = f"line {lines[0]}" if len(lines) == 1 else f"lines {', '.join(map(str, lines))}"
    return (
        f"Data conflict: {conflict['file']} {where}: {conflict['detail']}; "
        f"{CONSEQUENCES[conflict['kind']]}."
    )


def conflicts_summary(conflicts: pd.DataFrame) -> str | None:
    """One line for the end of a load, None when the data holds no conflict.

    >>> conflicts_summary(pd.DataFrame({"kind": [OVER_OWNED, OWNERSHIP_CYCLE, OVER_OWNED]}))
    'Data conflicts: 2 companies owned over 100% at once, 1 ownership cycle; the findings they touch say so in their reasons.'
    """  # noqa: E501
    counts = {str(k): int(n) for k, n in conflicts["kind"].value_counts().items()}
    if not counts:
        return None
    parts = [f"{counts[k]} {COUNTED[k][counts[k] > 1]}" for k in KINDS if k in counts]
    return f"Data conflicts: {', '.join(parts)}; the findings they touch say so in their reasons."

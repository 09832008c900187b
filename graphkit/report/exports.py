"""The graphs behind the maps as GEXF and GraphML files, for Gephi and other network tools.

The exports hold the same parties and links as the maps (``graphkit.report.maps``), never
aggregated, with every attribute a plain string or number. GEXF also carries each party's
colour and position from the map, so that Gephi opens it looking like the map.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from graphkit.analysis.intermediaries import Finding
from graphkit.dataset import Dataset
from graphkit.report.files import write_atomically
from graphkit.report.maps import ROLES, file_stems, finding_graph, overview_graph, positions

log = logging.getLogger(__name__)

# Characters that XML 1.0 forbids, even escaped: a control character in a registry name
# would otherwise make the whole file unreadable.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def to_gexf(graph: nx.MultiDiGraph, *, run_date: date | None = None) -> str:
    """``graph`` as GEXF 1.2 text, with the map's colours and positions (``viz``), dated
    ``run_date`` (default today) so that the same graph gives the same bytes that day."""
    places = positions(graph)
    clean = _xml_safe(graph)
    for key, (x, y) in places.items():
        data = clean.nodes[_text(key)]
        data["viz"] = {
            "color": _rgb(ROLES[data["role"]].color),
            "position": {"x": x, "y": -y, "z": 0.0},  # vis draws y downwards, Gephi upwards
            "size": 10.0,
        }
    text = "\n".join(nx.generate_gexf(clean)) + "\n"
    day = (run_date or date.today()).isoformat()  # networkx writes the clock's date
    return re.sub(r'lastmodifieddate="[^"]*"', f'lastmodifieddate="{day}"', text, count=1)


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """``graph`` as GraphML text."""
    return "\n".join(nx.generate_graphml(_xml_safe(graph))) + "\n"


def write_exports(
    findings: Sequence[Finding],
    dataset: Dataset,
    out_dir: Path,
    *,
    run_date: date | None = None,
) -> list[Path]:
    """``<firm id>.gexf`` and ``<firm id>.graphml`` per finding (the id made safe as a file
    name), and ``overview.gexf`` and ``overview.graphml``, each written atomically."""
    stems = file_stems([f.id for f in findings])
    graphs = [(stems[f.id], finding_graph(f, dataset)) for f in findings]
    graphs.append(("overview", overview_graph(findings, dataset)))
    written = []
    for stem, graph in graphs:
        for suffix, text in (
            (".gexf", to_gexf(graph, run_date=run_date)),
            (".graphml", to_graphml(graph)),
        ):
            path = out_dir / f"{stem}{suffix}"
            write_atomically(path, text)
            written.append(path)
    log.info("wrote %d Gephi exports to %s", len(written), out_dir)
    return written


def _xml_safe(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` with characters XML cannot hold removed from ids and text."""
    clean = nx.MultiDiGraph(**{k: _value(v) for k, v in graph.graph.items()})
    for key, data in graph.nodes(data=True):
        clean.add_node(_text(key), **{k: _value(v) for k, v in data.items()})
    for u, v, kind, data in graph.edges(keys=True, data=True):
        clean.add_edge(_text(u), _text(v), kind, **{k: _value(x) for k, x in data.items()})
    return clean


def _value(value: Any) -> Any:
    return _text(value) if isinstance(value, str) else value


def _text(text: str) -> str:
    return NOT_XML.sub("", text)


def _rgb(colour: str) -> dict[str, int | float]:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return {"r": red, "g": green, "b": blue, "a": 1.0}

"""Large JSON documents read record by record, each record with the line it starts on."""

from __future__ import annotations

from pathlib import Path

from graphkit.ingest.formats import jsonstream


def test_json_items_gives_each_record_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "api.json"
    path.write_text(
        '{"meta": {"data": [0]},\n "data": [\n  {"id": 1},\n\n  {"id": 2,\n   "x": [1, 2]}\n ],\n'
        ' "links": {"next": null}}\n'
    )
    items = jsonstream.JsonItems(path, {"data"})
    assert [(i.key, i.line, i.value) for i in items] == [
        ("data", 3, {"id": 1}),
        ("data", 5, {"id": 2, "x": [1, 2]}),
    ]
    assert items.count == 2
    assert items.keys_found == {"data"}

"""A load cut off half way, by the client or by the server going down, completes on rerun."""

from __future__ import annotations

import pytest
from builders import expected_graph_counts

from graphkit.errors import Neo4jUnavailable
from graphkit.generate import generate_world
from graphkit.ingest.load import load_folder
from graphkit.store import neo4j as store


class Interrupted(Exception):
    pass


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("world")
    generate_world(folder, firms=600, shipments=6000, seed=8)
    dataset, _ = load_folder(folder)
    return dataset


def stop_after(batches: int, action):
    """A progress callback that runs ``action`` once ``batches`` batches have been written."""
    seen = []

    def progress(what: str, done: int, total: int) -> None:
        seen.append(what)
        if len(seen) == batches:
            action()

    return progress


def test_client_killed_half_way_then_rerun(empty_database, world) -> None:
    driver, database = empty_database

    def interrupt() -> None:
        raise Interrupted

    with pytest.raises(Interrupted):
        store.load_dataset(
            driver, database, world, batch_size=500, progress=stop_after(9, interrupt)
        )
    partial = store.graph_counts(driver, database)
    assert 0 < partial.get("Shipment", 0) < len(world.shipments)
    store.load_dataset(driver, database, world, batch_size=500)
    counts = store.graph_counts(driver, database)
    assert {k: counts.get(k, 0) for k in expected_graph_counts(world)} == expected_graph_counts(
        world
    )


def test_server_killed_half_way_restarted_then_rerun(private_arcadedb, world) -> None:
    server = private_arcadedb
    driver = store.open_driver(
        server.uri, server.user, server.password, max_transaction_retry_time=2
    )
    try:
        with pytest.raises(Neo4jUnavailable):
            store.load_dataset(
                driver, server.database, world, batch_size=500, progress=stop_after(9, server.kill)
            )
        server.start()
        store.load_dataset(driver, server.database, world, batch_size=500)
        counts = store.graph_counts(driver, server.database)
    finally:
        driver.close()
    assert {k: counts.get(k, 0) for k in expected_graph_counts(world)} == expected_graph_counts(
        world
    )

"""A Bolt server for the Neo4j tests: ArcadeDB's, started for the session, or a real Neo4j.

Set NETSCAN_TEST_NEO4J_URI (with NETSCAN_TEST_NEO4J_USERNAME, _PASSWORD, _DATABASE) to run the
same tests against a real Neo4j. Without it, ArcadeDB's Bolt server (arcadedb-embedded) runs
in a child process on a free loopback port. If it cannot start, the tests fail: they must
never be skipped silently.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import neo4j
import pytest

SERVER_SCRIPT = Path(__file__).with_name("bolt_server.py")
START_TIMEOUT = 90  # seconds; the JVM starts in a few


@dataclass
class BoltServer:
    uri: str
    user: str
    password: str
    database: str
    process: subprocess.Popen[str] | None = None
    root: Path | None = None
    port: int = 0

    def stop(self, *, hard: bool = False) -> None:
        """Stop the server; ``hard`` kills it as a crash would."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL if hard else signal.SIGTERM)
        self.process.wait(timeout=60)

    def start(self) -> None:
        assert self.root is not None
        log = self.root / "server.log"  # a file, not a pipe: a full pipe would stall the JVM
        with log.open("a") as output:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    str(SERVER_SCRIPT),
                    str(self.port),
                    str(_free_port()),  # for its HTTP API, which it always starts
                    str(self.root / "db"),
                    self.password,
                    self.database,
                ],
                cwd=self.root,
                stdout=output,
                stderr=subprocess.STDOUT,
                text=True,
            )
        _wait_until_listening(self.process, self.port, log)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_listening(process: subprocess.Popen[str], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(errors="replace")[-3000:]
            pytest.fail(f"the ArcadeDB Bolt server exited at start:\n{output}")
        ready = "ready\n" in log.read_text(errors="replace")  # printed once the database exists
        with socket.socket() as client:
            if ready and client.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    process.kill()
    pytest.fail(f"the ArcadeDB Bolt server did not listen on port {port} within {START_TIMEOUT} s")


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BoltServer]:
    real = os.environ.get("NETSCAN_TEST_NEO4J_URI")
    if real:
        yield BoltServer(
            uri=real,
            user=os.environ.get("NETSCAN_TEST_NEO4J_USERNAME", "neo4j"),
            password=os.environ.get("NETSCAN_TEST_NEO4J_PASSWORD", "neo4j"),
            database=os.environ.get("NETSCAN_TEST_NEO4J_DATABASE", "neo4j"),
        )
        return
    port = _free_port()
    server = BoltServer(
        uri=f"bolt://127.0.0.1:{port}",
        user="root",
        password="netscan-test-password",
        database="netscan",
        root=tmp_path_factory.mktemp("arcadedb"),
        port=port,
    )
    server.start()
    try:
        yield server
    finally:
        if server.process and server.process.poll() is None:
            server.stop()


@pytest.fixture(scope="session")
def neo4j_driver(bolt_server: BoltServer) -> Iterator[neo4j.Driver]:
    driver = neo4j.GraphDatabase.driver(
        bolt_server.uri, auth=(bolt_server.user, bolt_server.password), connection_timeout=10
    )
    driver.verify_connectivity()
    try:
        yield driver
    finally:
        driver.close()


@pytest.fixture
def empty_database(bolt_server: BoltServer, neo4j_driver: neo4j.Driver) -> tuple[neo4j.Driver, str]:
    """The driver and database name, the database emptied first."""
    with neo4j_driver.session(database=bolt_server.database) as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    return neo4j_driver, bolt_server.database

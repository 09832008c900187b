"""A Bolt server for the Neo4j tests: ArcadeDB's, started for the session, or a real Neo4j.

Without settings, ArcadeDB (the PyPI package ``arcadedb-embedded``, which bundles its own Java
runtime) runs its Bolt server in a child process, on free loopback ports, in a temporary folder.
Set ``NETSCAN_TEST_NEO4J_URI`` (with ``NETSCAN_TEST_NEO4J_USERNAME``, ``_PASSWORD``,
``_DATABASE``; defaults neo4j/neo4j/neo4j) to run the same tests against a real Neo4j instead.

If ArcadeDB cannot start, every test that needs it FAILS with the tail of the server's log: the
Neo4j tests are never skipped silently.

Fixtures:

- ``bolt_server`` (session): a :class:`BoltServer` with ``uri``, ``user``, ``password``,
  ``database``; ``process`` is None for an external server.
- ``neo4j_driver`` (session): an official driver for it, connectivity verified, closed at the end.
- ``clean_database`` (function): ``(driver, database)``, the database emptied first.
  ``empty_database`` is the same fixture under its older name.
- ``private_arcadedb`` (function): a second ArcadeDB of the test's own, for tests that kill
  and restart a server.

Why a child process: the JVM cannot be restarted inside a Python process once stopped, a test
must be able to kill the server as a crash would, and the JVM's memory and threads stay out of
pytest. The child stops when its stdin closes, so a pytest that dies leaves no server behind.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import neo4j
import pytest

START_TIMEOUT = 120.0  # seconds; a start takes 3-6 s on two cores, more on a loaded machine
STOP_TIMEOUT = 60.0
START_ATTEMPTS = 3  # a new pair of ports each time another process took one first
HEAP = "1g"  # the package's default is 4g; the tests load at most tens of thousands of nodes
ARCADEDB_USER = "root"  # ArcadeDB's Bolt server knows its own users; root is created at start
ARCADEDB_PASSWORD = "netscan-test-password"
ARCADEDB_DATABASE = "netscan"

# The child: start the JVM quietly, start the server, create the database (or open it again
# after a restart), write READY, and stop cleanly when stdin closes. Its stdout and stderr go to
# a file, never to a pipe nobody reads: a full pipe would stall the server mid-test.
CHILD = r"""
import os, signal, sys
from pathlib import Path

root, bolt_port, http_port, password, database, heap = sys.argv[1:7]
root = Path(root)
signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C in the terminal is for pytest, not for us

from arcadedb_embedded.jvm import start_jvm

start_jvm(
    heap_size=heap,
    jvm_args=[
        f"-Djava.util.logging.config.file={root / 'arcadedb-log.properties'}",
        f"-XX:ErrorFile={root / 'log' / 'hs_err_pid%p.log'}",
        "-XX:-UsePerfData",  # no /tmp/hsperfdata_* file, left behind by a kill
    ],
)

import arcadedb_embedded

server = arcadedb_embedded.create_server(
    root_path=str(root / "server"),
    root_password=password,
    config={
        "host": "127.0.0.1",
        "http_port": int(http_port),  # always started; its default 2480 clashes between servers
        "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
        "bolt_port": int(bolt_port),
        # A Bolt message over 16 MiB (the default) is dropped with a server-side warning and the
        # client waits forever; Neo4j takes such batches.
        "bolt_maxMessageSize": 256 * 1024 * 1024,
        "server_logsDirectory": str(root / "log"),
    },
)
server.start()
server.create_database(database)  # opens it when it exists: a restart keeps the data
(root / "READY.tmp").write_text("ready")
(root / "READY.tmp").rename(root / "READY")
print("ready", flush=True)
sys.stdin.read()  # until the test session closes our stdin, or dies
server.stop()  # closes the databases: everything is on disk
print("stopped", flush=True)
# The Bolt threads of clients still connected keep the JVM, and so this process, alive.
os._exit(0)
"""

# java.util.logging for the server: everything to a file in the server's folder, nothing to
# the console.
LOG_PROPERTIES = """\
handlers = java.util.logging.FileHandler
.level = INFO
io.undertow.level = WARNING
org.xnio.level = WARNING
org.jboss.level = WARNING
java.util.logging.FileHandler.level = INFO
java.util.logging.FileHandler.pattern = {log_dir}/arcadedb.%g.log
java.util.logging.FileHandler.formatter = com.arcadedb.log.LogFormatter
java.util.logging.FileHandler.limit = 20000000
java.util.logging.FileHandler.count = 2
java.util.logging.FileHandler.append = true
"""


@dataclass
class BoltServer:
    """Where the tests' Bolt server answers, and, for ArcadeDB, how to stop and restart it."""

    uri: str
    user: str
    password: str
    database: str
    root: Path | None = None  # ArcadeDB's folder; None for an external server
    bolt_port: int = 0
    http_port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    start_seconds: float = 0.0  # how long the last start took

    @property
    def is_arcadedb(self) -> bool:
        return self.root is not None

    @property
    def log_file(self) -> Path:
        assert self.root is not None, "an external server has no log here"
        return self.root / "child.log"

    def start(self) -> None:
        """Start ArcadeDB on this server's folder and ports; fail the test if it cannot."""
        assert self.root is not None, "only the ArcadeDB server can be started here"
        assert self.process is None or self.process.poll() is not None, "already running"
        (self.root / "log").mkdir(parents=True, exist_ok=True)
        (self.root / "arcadedb-log.properties").write_text(
            LOG_PROPERTIES.format(log_dir=(self.root / "log").as_posix()), encoding="utf-8"
        )
        ready = self.root / "READY"
        ready.unlink(missing_ok=True)
        began = time.monotonic()
        with self.log_file.open("ab") as output:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    CHILD,
                    str(self.root),
                    str(self.bolt_port),
                    str(self.http_port),
                    self.password,
                    self.database,
                    HEAP,
                ],
                cwd=self.root,  # where anything written to ./log would land
                stdin=subprocess.PIPE,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # ^C and terminal signals go to pytest only
            )
        deadline = began + START_TIMEOUT
        while not ready.exists():
            if self.process.poll() is not None:
                self.kill()  # reaps it and closes its stdin
                raise ServerStartError(f"ArcadeDB exited at start:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                self.kill()
                raise ServerStartError(
                    f"ArcadeDB was not ready within {START_TIMEOUT:.0f} s:\n{self.log_tail()}"
                )
            time.sleep(0.05)
        self.start_seconds = time.monotonic() - began

    def stop(self) -> int | None:
        """Stop cleanly: close the child's stdin, it stops the server and exits; its exit code."""
        if self.process is None:
            return None
        process, self.process = self.process, None
        if process.stdin is not None:
            process.stdin.close()
        try:
            return process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError(f"ArcadeDB did not stop in {STOP_TIMEOUT:.0f} s") from None

    def kill(self) -> None:
        """Kill the server as a crash would (SIGKILL): no shutdown, no flush."""
        if self.process is None:
            return
        process, self.process = self.process, None
        process.kill()
        process.wait()
        if process.stdin is not None:
            process.stdin.close()

    def driver(self, **settings: Any) -> neo4j.Driver:
        """A new driver for this server that fails fast; settings override the timeouts."""
        return open_driver(self, **settings)

    def log_tail(self, characters: int = 4000) -> str:
        text = ""
        if self.root is not None:
            for path in [self.log_file, *sorted((self.root / "log").glob("arcadedb.*.log"))]:
                if path.exists():
                    text += f"--- {path.name}\n" + path.read_text(errors="replace")[-characters:]
        return text


class ServerStartError(Exception):
    """ArcadeDB did not start; the message carries the end of its log."""


def free_port() -> int:
    """A TCP port nothing listens on now (another process may still take it before us)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_arcadedb(root: Path) -> BoltServer:
    """A running ArcadeDB Bolt server in ``root``; fails the calling test if it cannot start."""
    failure = ""
    for _ in range(START_ATTEMPTS):
        bolt_port = free_port()
        http_port = free_port()
        while http_port == bolt_port:
            http_port = free_port()
        server = BoltServer(
            uri=f"bolt://127.0.0.1:{bolt_port}",
            user=ARCADEDB_USER,
            password=ARCADEDB_PASSWORD,
            database=ARCADEDB_DATABASE,
            root=root,
            bolt_port=bolt_port,
            http_port=http_port,
        )
        try:
            server.start()
        except ServerStartError as error:
            failure = str(error)
            if "busy" in failure or "already in use" in failure.lower():
                continue  # another process took a port between our probe and the server's bind
            break
        return server
    pytest.fail(
        "The ArcadeDB Bolt server (arcadedb-embedded) did not start, so the Neo4j tests cannot "
        f"run. It is in the test extras: pip install -e '.[test]'.\n{failure}",
        pytrace=False,
    )


def external_server() -> BoltServer | None:
    uri = os.environ.get("NETSCAN_TEST_NEO4J_URI")
    if not uri:
        return None
    return BoltServer(
        uri=uri,
        user=os.environ.get("NETSCAN_TEST_NEO4J_USERNAME", "neo4j"),
        password=os.environ.get("NETSCAN_TEST_NEO4J_PASSWORD", "neo4j"),
        database=os.environ.get("NETSCAN_TEST_NEO4J_DATABASE", "neo4j"),
    )


def open_driver(server: BoltServer, **settings: Any) -> neo4j.Driver:
    """A driver that fails fast: no minute-long waits for a server that is not there."""
    options: dict[str, Any] = {
        "connection_timeout": 5.0,  # the TCP connect
        "connection_acquisition_timeout": 10.0,  # everything before a query, handshake included
        "max_transaction_retry_time": 5.0,  # how long execute_read/_write retry a lost server
    }
    options.update(settings)
    return neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password), **options)


def empty(driver: neo4j.Driver, database: str) -> None:
    with driver.session(database=database) as session:
        session.execute_write(lambda tx: tx.run("MATCH (n) DETACH DELETE n").consume())


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BoltServer]:
    external = external_server()
    if external is not None:
        yield external
        return
    server = start_arcadedb(tmp_path_factory.mktemp("arcadedb"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_driver(bolt_server: BoltServer) -> Iterator[neo4j.Driver]:
    driver = open_driver(bolt_server)
    try:
        driver.verify_connectivity()
        yield driver
    finally:
        driver.close()


@pytest.fixture
def clean_database(
    bolt_server: BoltServer, neo4j_driver: neo4j.Driver
) -> Iterator[tuple[neo4j.Driver, str]]:
    """The driver and the database name, every node and relationship deleted first.

    Constraints and indexes stay, as in Neo4j: create them with IF NOT EXISTS.
    """
    empty(neo4j_driver, bolt_server.database)
    yield neo4j_driver, bolt_server.database


@pytest.fixture
def empty_database(clean_database: tuple[neo4j.Driver, str]) -> tuple[neo4j.Driver, str]:
    """``clean_database`` under the name the first Neo4j tests used."""
    return clean_database


@pytest.fixture
def private_arcadedb(tmp_path: Path) -> Iterator[BoltServer]:
    """An ArcadeDB of this test's own, which it may kill and restart: never the shared one."""
    server = start_arcadedb(tmp_path / "arcadedb")
    try:
        yield server
    finally:
        server.stop()

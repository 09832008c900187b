"""Run ArcadeDB's Bolt server until SIGTERM: the stand-in for Neo4j in the tests.

Usage: python bolt_server.py BOLT_PORT HTTP_PORT ROOT_PATH PASSWORD DATABASE. It runs in its own
process (and working folder, where ArcadeDB writes its log), so a test can kill it the hard way
and start it again on the same files.
"""

from __future__ import annotations

import signal
import sys

import arcadedb_embedded


def main(port: int, http_port: int, root: str, password: str, database: str) -> None:
    server = arcadedb_embedded.create_server(
        root_path=root,
        root_password=password,
        config={
            "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            "bolt_port": port,
            "http_port": http_port,  # its HTTP API must not collide with another server's
        },
    )
    server.start()
    if not arcadedb_embedded.database_exists(f"{root}/databases/{database}"):
        server.create_database(database)
    print("ready", flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    server.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5])

"""Embedded PostgreSQL (pgserver): start it, find its unix socket, connect to it.

Owns the local database's data directory under ``.finq/pg``; several processes share one
server through its socket, as DESIGN.md measured.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pg8000.native

from chalicelib.repositories.postgres.connect import DATABASE, connect, socket_path

_log = logging.getLogger(__name__)


class EmbeddedPostgres:
    """Start and stop the pgserver cluster that holds local mode's data."""

    def __init__(self, data_dir: Path) -> None:
        """Point at a data directory (created and initialised on first start)."""
        self._data_dir = data_dir
        self._server: Any = None

    def start(self) -> str:
        """Start (or attach to) the server, create the ``finq`` database; return the socket."""
        import pgserver

        self._data_dir.mkdir(parents=True, exist_ok=True)
        server = pgserver.get_server(self._data_dir, cleanup_mode="stop")
        if server is self._server:  # pgserver caches the handle: a revive must start it again
            server.ensure_postgres_running()
        self._server = server
        admin = connect(self._data_dir, database="postgres")
        try:
            if not admin.run("SELECT 1 FROM pg_database WHERE datname = :d", d=DATABASE):
                admin.run(f"CREATE DATABASE {pg8000.native.identifier(DATABASE)}")
        finally:
            admin.close()
        return socket_path(self._data_dir)

    def running(self) -> bool | None:
        """Tell whether the server answers (None when this process never started it)."""
        if self._server is None:
            return None
        try:
            connect(self._data_dir, database="postgres").close()
        except Exception:  # noqa: BLE001 - any failure to connect means it is not serving
            return False
        return True

    def stop(self) -> None:
        """Stop the server if this process started it and no other process holds it."""
        if self._server is not None:
            self._server.cleanup()
            self._server = None

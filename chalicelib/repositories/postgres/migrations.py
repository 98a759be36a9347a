"""Schema migrations: apply ``chalicelib/migrations/NNNN_*.sql`` once each, in order.

Owns the ``schema_migrations`` ledger. Safe to run from several processes at once (an advisory
lock serializes them) and on every start (already-applied files are skipped). Locally the dev
stack's bootstrap runs it; in AWS the ``run_migrations`` function, invoked on every deploy.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from chalicelib.repositories.postgres.database import Database

_log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
# Arbitrary constant naming FinQ's migration lock among PostgreSQL advisory locks.
_LOCK_KEY = 4_117_2024


def migrate(db: Database, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply every pending migration in one transaction; return the versions applied."""
    applied_now: list[str] = []
    with db.transaction() as tx:
        tx.script(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
        tx.script(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {row["version"] for row in tx.fetch("SELECT version FROM schema_migrations")}
        for path in sorted(directory.glob("[0-9][0-9][0-9][0-9]_*.sql")):
            version = path.stem
            if version in done:
                continue
            _log.info("applying migration %s", version)
            tx.script(path.read_text(encoding="utf-8"))
            tx.execute("INSERT INTO schema_migrations (version) VALUES (:v)", v=version)
            applied_now.append(version)
    return applied_now


class SchemaMigrations:
    """The schema's migrations applied to one database, with a summary of what was done."""

    def __init__(self, db: Database, directory: Path = MIGRATIONS_DIR) -> None:
        """Apply the migrations in ``directory`` to ``db``."""
        self._db = db
        self._directory = directory

    def apply(self) -> dict[str, Any]:
        """Apply pending migrations; return what was applied, the schema version and the time.

        Idempotent: a second call applies nothing and reports the same version.
        """
        started = time.monotonic()
        applied = migrate(self._db, self._directory)
        row = self._db.fetch_one("SELECT max(version) AS version FROM schema_migrations")
        return {
            "applied": applied,
            "version": row["version"] if row else None,
            "seconds": round(time.monotonic() - started, 3),
        }

"""Schema migrations: apply ``chalicelib/migrations/NNNN_*.sql`` once each, in order.

Owns the ``schema_migrations`` ledger. Safe to run from several processes at once (an advisory
lock serializes them) and on every start (already-applied files are skipped).
"""

from __future__ import annotations

import logging
from pathlib import Path

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

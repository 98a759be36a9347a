"""The pg8000 layer against the embedded PostgreSQL: reuse, reconnect, transactions."""

from __future__ import annotations

import pytest

from chalicelib.errors import UpstreamUnavailable
from chalicelib.repositories.postgres.database import Database
from chalicelib.repositories.postgres.migrations import migrate


def _backend_pid(db: Database) -> int:
    return db.fetch_one("SELECT pg_backend_pid() AS pid")["pid"]


def test_connection_is_reused_across_calls(stack):
    db = stack.database
    assert _backend_pid(db) == _backend_pid(db)


def test_dropped_connection_is_reopened_transparently(stack):
    db = stack.database
    pid = _backend_pid(db)
    other = stack.settings  # a second connection kills the first, as an RDS failover would
    from chalicelib.repositories.postgres.connect import connect

    killer = connect(other.pg_data_dir)
    try:
        killer.run("SELECT pg_terminate_backend(:pid)", pid=pid)
    finally:
        killer.close()
    assert _backend_pid(db) != pid


def test_transaction_commits_on_success_and_rolls_back_on_error(stack):
    db = stack.database
    with db.transaction() as tx:
        tx.execute("INSERT INTO users (sub, email) VALUES ('s1', 'a@b.co')")
    with pytest.raises(RuntimeError), db.transaction() as tx:
        tx.execute("INSERT INTO users (sub, email) VALUES ('s2', 'b@b.co')")
        raise RuntimeError("boom")
    assert [row["sub"] for row in db.fetch("SELECT sub FROM users ORDER BY sub")] == ["s1"]


def test_nested_transaction_joins_the_outer_one(stack):
    db = stack.database
    with pytest.raises(RuntimeError), db.transaction():
        with db.transaction() as inner:
            inner.execute("INSERT INTO users (sub, email) VALUES ('n1', 'n@b.co')")
        raise RuntimeError("outer fails after inner finished")
    assert db.fetch("SELECT sub FROM users WHERE sub = 'n1'") == []


def test_parameters_are_never_interpolated(stack):
    db = stack.database
    hostile = "x'); DROP TABLE users; --"
    db.execute("INSERT INTO users (sub, email) VALUES (:s, :e)", s=hostile, e="h@b.co")
    assert db.fetch_one("SELECT sub FROM users WHERE sub = :s", s=hostile) == {"sub": hostile}


def test_execute_returns_rows_touched(stack):
    db = stack.database
    db.execute("INSERT INTO users (sub, email) VALUES ('r1', 'r@b.co'), ('r2', 'r2@b.co')")
    assert db.execute("UPDATE users SET email = 'z@b.co' WHERE sub LIKE 'r%'") == 2


def test_migrations_are_idempotent(stack):
    assert migrate(stack.database) == []
    versions = stack.database.fetch("SELECT version FROM schema_migrations")
    assert {"version": "0001_init"} in versions


def test_unreachable_database_is_upstream_unavailable(tmp_path):
    from chalicelib.repositories.postgres.connect import connect

    db = Database(lambda: connect(tmp_path / "no-cluster-here"))
    with pytest.raises(UpstreamUnavailable):
        db.fetch("SELECT 1")

"""The deploy's ``run_migrations`` function on an empty database of the embedded PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from chalicelib import providers
from chalicelib.repositories.postgres.connect import connect, socket_path
from chalicelib.repositories.postgres.migrations import MIGRATIONS_DIR


@pytest.fixture
def empty_database(stack, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A new, empty database on the embedded server; FinQ is pointed at it by URL."""
    name = f"finq_deploy_{uuid.uuid4().hex[:8]}"
    admin = connect(stack.settings.pg_data_dir, database="postgres")
    try:
        admin.run(f'CREATE DATABASE "{name}"')
        socket = socket_path(stack.settings.pg_data_dir)
        monkeypatch.setenv("FINQ_DATABASE_URL", f"postgresql://postgres@/{name}?unix_sock={socket}")
        providers.reset()
        yield name
        monkeypatch.delenv("FINQ_DATABASE_URL")
        providers.reset()
        admin.run(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        admin.close()


def test_run_migrations_builds_the_schema_once_and_is_idempotent(client, empty_database):
    versions = sorted(path.stem for path in MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))

    first = client.lambda_.invoke("run_migrations", {}).payload
    second = client.lambda_.invoke("run_migrations", {}).payload

    assert first["applied"] == versions
    assert first["version"] == versions[-1]
    assert second["applied"] == []
    assert second["version"] == versions[-1]
    tables = providers.container().database.fetch(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
    )
    assert {"users", "youth_policies", "chats", "messages"} <= {t["table_name"] for t in tables}

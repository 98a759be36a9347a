"""PostgreSQL repositories for FinQ's relational aggregates (users so far).

Owns the SQL for each aggregate; every statement is parameterized. Business rules live in
services, not here.
"""

from __future__ import annotations

from typing import Any

from chalicelib.repositories.database import Database, Row

_USER_COLUMNS = (
    "sub, email, birth_date, region_code, job_status, school_status, marital_status,"
    " annual_income, interests, created_at, updated_at"
)


class PostgresUserRepository:
    """Users and their profiles, keyed by Cognito subject."""

    def __init__(self, db: Database) -> None:
        """Use the shared database connection."""
        self._db = db

    def ensure(self, sub: str, email: str) -> Row:
        """Return the user row, creating it on first sight (sign-up or first request)."""
        row = self._db.fetch_one(
            f"INSERT INTO users (sub, email) VALUES (:sub, :email)"
            # A token without an email claim never blanks the stored address.
            f" ON CONFLICT (sub) DO UPDATE SET email = EXCLUDED.email, updated_at = now()"
            f" WHERE EXCLUDED.email <> '' AND users.email IS DISTINCT FROM EXCLUDED.email"
            f" RETURNING {_USER_COLUMNS}",
            sub=sub,
            email=email,
        )
        return row if row is not None else self._require(sub)

    def get(self, sub: str) -> Row | None:
        """Return the user row, or None."""
        return self._db.fetch_one(f"SELECT {_USER_COLUMNS} FROM users WHERE sub = :sub", sub=sub)

    def delete(self, sub: str) -> bool:
        """Delete the user and, by cascade, everything they own; True if a row went."""
        return self._db.execute("DELETE FROM users WHERE sub = :sub", sub=sub) > 0

    def _require(self, sub: str) -> Row:
        row = self.get(sub)
        assert row is not None, "user vanished between upsert and read"
        return row


def user_to_json(row: Row) -> dict[str, Any]:
    """Shape a user row for the API."""
    return {
        "sub": row["sub"],
        "email": row["email"],
        "created_at": row["created_at"].isoformat(),
    }

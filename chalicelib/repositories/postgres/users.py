"""PostgreSQL storage of FinQ users, their profiles and the tombstones of deleted accounts.

Owns the SQL for each aggregate; every statement is parameterized. Business rules live in
services, not here.
"""

from __future__ import annotations

from typing import Any

from chalicelib.repositories.postgres.database import Database, Row

_USER_COLUMNS = (
    "sub, email, birth_date, region_code, job_status, school_status, marital_status,"
    " annual_income, interests, language, created_at, updated_at"
)


class PostgresUserRepository:
    """Users and their profiles, keyed by Cognito subject."""

    def __init__(self, db: Database) -> None:
        """Use the shared database connection."""
        self._db = db

    def ensure(self, sub: str, email: str) -> Row | None:
        """Return the user row, creating it on first sight; None for a deleted account."""
        # Every authenticated read passes here: one SELECT when nothing changed, the upsert
        # (and its row lock) only for a new user or a changed email.
        row = self.get(sub)
        if row is not None and (not email or row["email"] == email):
            return row
        row = self._db.fetch_one(
            f"INSERT INTO users (sub, email) SELECT :sub, :email"
            # A request verified just before its account was deleted must not bring it back.
            f" WHERE NOT EXISTS (SELECT 1 FROM deleted_users WHERE sub = :sub)"
            # A token without an email claim never blanks the stored address.
            f" ON CONFLICT (sub) DO UPDATE SET email = EXCLUDED.email, updated_at = now()"
            f" WHERE EXCLUDED.email <> '' AND users.email IS DISTINCT FROM EXCLUDED.email"
            f" RETURNING {_USER_COLUMNS}",
            sub=sub,
            email=email,
        )
        return row if row is not None else self.get(sub)

    def get(self, sub: str) -> Row | None:
        """Return the user row, or None."""
        return self._db.fetch_one(f"SELECT {_USER_COLUMNS} FROM users WHERE sub = :sub", sub=sub)

    def update_profile(self, sub: str, profile: dict[str, Any]) -> Row:
        """Replace the profile fields of an existing user and return the row."""
        row = self._db.fetch_one(
            "UPDATE users SET birth_date = :birth_date, region_code = :region_code,"
            " job_status = :job_status, school_status = :school_status,"
            " marital_status = :marital_status, annual_income = :annual_income,"
            " interests = CAST(:interests AS text[]), language = :language, updated_at = now()"
            f" WHERE sub = :sub RETURNING {_USER_COLUMNS}",
            sub=sub,
            **{"language": "ko", **profile},
        )
        assert row is not None, "profile update for a user that does not exist"
        return row

    def is_deleted(self, sub: str) -> bool:
        """Whether the subject belongs to a deleted account (a primary-key lookup)."""
        return (
            self._db.fetch_one("SELECT 1 AS gone FROM deleted_users WHERE sub = :sub", sub=sub)
            is not None
        )

    def delete(self, sub: str) -> bool:
        """Delete the user and, by cascade, everything they own; True if a row went.

        The subject's tombstone is written in the same transaction, so from the commit on its
        tokens are refused and no request can recreate the row.
        """
        with self._db.transaction() as tx:
            tx.execute(
                "INSERT INTO deleted_users (sub) VALUES (:sub) ON CONFLICT (sub) DO NOTHING",
                sub=sub,
            )
            return tx.execute("DELETE FROM users WHERE sub = :sub", sub=sub) > 0

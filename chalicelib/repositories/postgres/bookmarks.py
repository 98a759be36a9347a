"""PostgreSQL storage of a user's bookmarks (user_policies) and document progress.

Owns the SQL; every statement is scoped by the caller's ``user_sub``, so one user's rows are
invisible to another.
"""

from __future__ import annotations

from chalicelib.repositories.postgres.database import Database, Row
from chalicelib.repositories.postgres.discovery import LIST_COLUMNS

_POLICY_COLUMNS = ", ".join(f"p.{c.strip()}" for c in LIST_COLUMNS.split(","))


class PostgresBookmarkRepository:
    """Bookmarks and checklists of one user at a time."""

    def __init__(self, db: Database) -> None:
        """Use the shared database connection."""
        self._db = db

    def list_for_user(self, user_sub: str) -> list[Row]:
        """Return the user's bookmarks with their policies and document counts, newest first."""
        return self._db.fetch(
            f"SELECT b.status AS bookmark_status, b.created_at, b.updated_at, {_POLICY_COLUMNS},"
            " (SELECT count(*) FROM required_documents d WHERE d.plcy_no = p.plcy_no) AS total,"
            " (SELECT count(*) FROM required_documents d JOIN document_progress g"
            "   ON g.document_id = d.id AND g.user_sub = b.user_sub"
            "   WHERE d.plcy_no = p.plcy_no AND g.status <> 'todo') AS done"
            " FROM user_policies b JOIN youth_policies p ON p.plcy_no = b.plcy_no"
            " WHERE b.user_sub = :u ORDER BY b.created_at DESC, p.plcy_no",
            u=user_sub,
        )

    def get(self, user_sub: str, plcy_no: str) -> Row | None:
        """Return one bookmark row, or None."""
        return self._db.fetch_one(
            "SELECT plcy_no, status, created_at, updated_at FROM user_policies"
            " WHERE user_sub = :u AND plcy_no = :p",
            u=user_sub,
            p=plcy_no,
        )

    def add(self, user_sub: str, plcy_no: str, status: str) -> bool:
        """Create a bookmark; False when it already exists."""
        row = self._db.fetch_one(
            "INSERT INTO user_policies (user_sub, plcy_no, status) VALUES (:u, :p, :s)"
            " ON CONFLICT DO NOTHING RETURNING plcy_no",
            u=user_sub,
            p=plcy_no,
            s=status,
        )
        return row is not None

    def set_status(self, user_sub: str, plcy_no: str, status: str) -> bool:
        """Change a bookmark's status; False when there is no such bookmark."""
        return (
            self._db.execute(
                "UPDATE user_policies SET status = :s, updated_at = now()"
                " WHERE user_sub = :u AND plcy_no = :p",
                u=user_sub,
                p=plcy_no,
                s=status,
            )
            > 0
        )

    def remove(self, user_sub: str, plcy_no: str) -> bool:
        """Delete a bookmark and the progress on its documents; False when absent."""
        with self._db.transaction() as tx:
            tx.execute(
                "DELETE FROM document_progress g USING required_documents d"
                " WHERE g.document_id = d.id AND g.user_sub = :u AND d.plcy_no = :p",
                u=user_sub,
                p=plcy_no,
            )
            return (
                tx.execute(
                    "DELETE FROM user_policies WHERE user_sub = :u AND plcy_no = :p",
                    u=user_sub,
                    p=plcy_no,
                )
                > 0
            )

    def checklist(self, user_sub: str, plcy_no: str) -> list[Row]:
        """Return the policy's documents with the user's progress (todo when unset)."""
        return self._db.fetch(
            "SELECT d.id, d.position, d.name, COALESCE(g.status, 'todo') AS status"
            " FROM required_documents d LEFT JOIN document_progress g"
            " ON g.document_id = d.id AND g.user_sub = :u"
            " WHERE d.plcy_no = :p ORDER BY d.position, d.id",
            u=user_sub,
            p=plcy_no,
        )

    def set_progress(self, user_sub: str, plcy_no: str, document_id: int, status: str) -> bool:
        """Set progress on one document of a policy; False when it is not that policy's."""
        row = self._db.fetch_one(
            "INSERT INTO document_progress (user_sub, document_id, status)"
            " SELECT :u, d.id, :s FROM required_documents d WHERE d.id = :d AND d.plcy_no = :p"
            " ON CONFLICT (user_sub, document_id)"
            " DO UPDATE SET status = EXCLUDED.status, updated_at = now()"
            " RETURNING document_id",
            u=user_sub,
            p=plcy_no,
            d=document_id,
            s=status,
        )
        return row is not None

    def due_reminders(self, today: str, thresholds: tuple[int, ...]) -> list[Row]:
        """Bookmarks not yet applied for whose deadline a reminder is due and unsent.

        For each bookmark only the smallest threshold reached is returned, so a job that
        missed a day does not send the 7-, 3- and 1-day mails at once.
        """
        return self._db.fetch(
            "SELECT u.sub, u.email, p.plcy_no, p.name, p.apply_end, p.apply_url,"
            " (p.apply_end - CAST(:today AS date)) AS days_left, t.threshold"
            " FROM user_policies b JOIN users u ON u.sub = b.user_sub"
            " JOIN youth_policies p ON p.plcy_no = b.plcy_no"
            " CROSS JOIN LATERAL (SELECT min(x) AS threshold"
            "   FROM unnest(CAST(:thresholds AS int[])) x"
            "   WHERE p.apply_end - CAST(:today AS date) BETWEEN 0 AND x) t"
            " WHERE b.status IN ('saved', 'preparing') AND p.status = 'active'"
            " AND p.apply_status = 'window' AND t.threshold IS NOT NULL AND u.email <> ''"
            " AND NOT EXISTS (SELECT 1 FROM reminders_sent r WHERE r.user_sub = u.sub"
            "   AND r.plcy_no = p.plcy_no AND r.threshold = t.threshold"
            "   AND r.apply_end = p.apply_end)"
            " ORDER BY u.sub, p.apply_end",
            today=today,
            thresholds=list(thresholds),
        )

    def forget_reminder(self, user_sub: str, plcy_no: str, threshold: int, apply_end: str) -> None:
        """Undo ``record_reminder`` (the mail could not be sent)."""
        self._db.execute(
            "DELETE FROM reminders_sent WHERE user_sub = :u AND plcy_no = :p AND threshold = :t"
            " AND apply_end = CAST(:e AS date)",
            u=user_sub,
            p=plcy_no,
            t=threshold,
            e=apply_end,
        )

    def record_reminder(self, user_sub: str, plcy_no: str, threshold: int, apply_end: str) -> bool:
        """Remember a sent reminder; False when it had already been recorded."""
        row = self._db.fetch_one(
            "INSERT INTO reminders_sent (user_sub, plcy_no, threshold, apply_end)"
            " VALUES (:u, :p, :t, CAST(:e AS date)) ON CONFLICT DO NOTHING RETURNING plcy_no",
            u=user_sub,
            p=plcy_no,
            t=threshold,
            e=apply_end,
        )
        return row is not None

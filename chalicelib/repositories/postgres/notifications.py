"""PostgreSQL storage of policy changes and the notifications of the people who saved them.

Owns the SQL of alerts: a change and its notifications are written in one transaction, keyed
so a change seen again makes nothing new (``(plcy_no, dedupe_key)``, ``(user_sub, change_id)``);
mail is claimed (pending -> sending) before it is sent, so it goes out at most once. Every read
of a user's notifications is scoped by their ``user_sub``.
"""

from __future__ import annotations

import json
from typing import Any

from chalicelib.repositories.postgres.database import Database, Row

_MAX_ATTEMPTS = 3
_COLUMNS = (
    "n.id, n.read_at, n.created_at, c.plcy_no, c.source, c.changes, c.url, p.name AS policy_name"
)
_JOINS = (
    " JOIN policy_changes c ON c.id = n.change_id JOIN youth_policies p ON p.plcy_no = c.plcy_no"
)


class PostgresNotificationRepository:
    """Policy changes and notifications (a ``ports.NotificationRepository``)."""

    def __init__(self, db: Database) -> None:
        """Use the shared database connection."""
        self._db = db

    def record_change(self, change: dict[str, Any]) -> int | None:
        """Store a change and notify every saver of its policy; None when already stored."""
        with self._db.transaction() as tx:
            row = tx.fetch_one(
                "INSERT INTO policy_changes (plcy_no, source, changes, url, run_id, dedupe_key)"
                " VALUES (:plcy_no, :source, CAST(:changes AS jsonb), :url, :run_id, :dedupe_key)"
                " ON CONFLICT (plcy_no, dedupe_key) DO NOTHING RETURNING id",
                plcy_no=change["plcy_no"],
                source=change["source"],
                changes=json.dumps(change["changes"], ensure_ascii=False),
                url=change.get("url"),
                run_id=change.get("run_id"),
                dedupe_key=change["dedupe_key"],
            )
            if row is None:
                return None
            tx.execute(
                "INSERT INTO notifications (user_sub, change_id)"
                " SELECT b.user_sub, :change FROM user_policies b WHERE b.plcy_no = :p"
                " ON CONFLICT (user_sub, change_id) DO NOTHING",
                change=row["id"],
                p=change["plcy_no"],
            )
            return int(row["id"])

    def page(self, user_sub: str, before_id: int | None, limit: int) -> list[Row]:
        """Return up to ``limit`` of the user's notifications below ``before_id``, newest first."""
        return self._db.fetch(
            f"SELECT {_COLUMNS} FROM notifications n{_JOINS}"
            " WHERE n.user_sub = :u AND (CAST(:before AS bigint) IS NULL OR n.id < :before)"
            " ORDER BY n.id DESC LIMIT :limit",
            u=user_sub,
            before=before_id,
            limit=limit,
        )

    def unread_count(self, user_sub: str) -> int:
        """Return how many of the user's notifications are unread."""
        row = self._db.fetch_one(
            "SELECT count(*) AS n FROM notifications WHERE user_sub = :u AND read_at IS NULL",
            u=user_sub,
        )
        return int(row["n"]) if row else 0

    def language(self, user_sub: str) -> str:
        """Return the user's language (``ko`` when the user is unknown)."""
        row = self._db.fetch_one("SELECT language FROM users WHERE sub = :u", u=user_sub)
        return str(row["language"]) if row else "ko"

    def mark_read(self, user_sub: str, notification_id: int) -> bool:
        """Mark one of the user's notifications read (already read stays); False if not theirs."""
        row = self._db.fetch_one(
            "UPDATE notifications SET read_at = COALESCE(read_at, now())"
            " WHERE id = :id AND user_sub = :u RETURNING id",
            id=notification_id,
            u=user_sub,
        )
        return row is not None

    def mark_all_read(self, user_sub: str) -> int:
        """Mark every unread notification of the user read; return how many."""
        return self._db.execute(
            "UPDATE notifications SET read_at = now() WHERE user_sub = :u AND read_at IS NULL",
            u=user_sub,
        )

    def claim_mail(self, limit: int) -> list[Row]:
        """Move up to ``limit`` pending notifications to sending and return them for the mail."""
        # SKIP LOCKED: two runs delivering at once never claim the same notification.
        return self._db.fetch(
            "WITH claimed AS (UPDATE notifications SET mail_status = 'sending',"
            " mail_attempts = mail_attempts + 1 WHERE id IN (SELECT id FROM notifications"
            "  WHERE mail_status = 'pending' ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED)"
            " RETURNING id, user_sub, change_id)"
            " SELECT n.id, u.sub AS user_sub, u.email, u.language, c.plcy_no, c.source,"
            " c.changes, c.url, p.name AS policy_name FROM claimed n"
            " JOIN users u ON u.sub = n.user_sub"
            " JOIN policy_changes c ON c.id = n.change_id"
            " JOIN youth_policies p ON p.plcy_no = c.plcy_no ORDER BY u.sub, n.id",
            limit=limit,
        )

    def finish_mail(self, notification_ids: list[int], status: str) -> None:
        """Settle claimed notifications: ``sent``, ``skipped`` or ``retry``."""
        if not notification_ids:
            return
        if status not in ("sent", "skipped", "retry"):
            raise ValueError(f"unknown mail status {status!r}")
        self._db.execute(
            "UPDATE notifications SET mail_status = CASE WHEN :s <> 'retry' THEN :s"
            " WHEN mail_attempts >= :max THEN 'failed' ELSE 'pending' END,"
            " mailed_at = CASE WHEN :s = 'sent' THEN now() ELSE mailed_at END"
            " WHERE id = ANY(CAST(:ids AS bigint[])) AND mail_status = 'sending'",
            s=status,
            max=_MAX_ATTEMPTS,
            ids=notification_ids,
        )

    def saved_policies(self) -> list[Row]:
        """Return plcy_no and name of every active policy someone saved."""
        return self._db.fetch(
            "SELECT p.plcy_no, p.name FROM youth_policies p WHERE p.status = 'active'"
            " AND EXISTS (SELECT 1 FROM user_policies b WHERE b.plcy_no = p.plcy_no)"
            " ORDER BY p.plcy_no"
        )

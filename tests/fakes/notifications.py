"""An in-memory NotificationRepository, for service unit tests.

Kept honest by tests/contract/test_notification_repository.py, which runs the same assertions
against this fake and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

_MAX_ATTEMPTS = 3


class InMemoryNotificationRepository:
    """Changes, savers, users and notifications in dicts; ids count from 1."""

    def __init__(self) -> None:
        """Start empty; tests add users (``users``) and bookmarks (``savers``) directly."""
        self.users: dict[str, dict[str, str]] = {}  # sub -> {email, language}
        self.savers: dict[str, list[str]] = {}  # plcy_no -> user subs
        self.names: dict[str, str] = {}  # plcy_no -> policy name
        self.changes: dict[int, dict[str, Any]] = {}
        self.notifications: dict[int, dict[str, Any]] = {}

    def record_change(self, change: dict[str, Any]) -> int | None:
        """Store a change and notify its savers; None when the key was seen."""
        key = (change["plcy_no"], change["dedupe_key"])
        if any((c["plcy_no"], c["dedupe_key"]) == key for c in self.changes.values()):
            return None
        change_id = len(self.changes) + 1
        self.changes[change_id] = dict(change)
        for sub in self.savers.get(change["plcy_no"], []):
            number = len(self.notifications) + 1
            self.notifications[number] = {
                "id": number,
                "user_sub": sub,
                "change_id": change_id,
                "read_at": None,
                "mail_status": "pending",
                "mail_attempts": 0,
                "created_at": dt.datetime.now(dt.UTC),
            }
        return change_id

    def _row(self, note: dict[str, Any]) -> dict[str, Any]:
        change = self.changes[note["change_id"]]
        return {
            "id": note["id"],
            "read_at": note["read_at"],
            "created_at": note["created_at"],
            "plcy_no": change["plcy_no"],
            "source": change["source"],
            "changes": change["changes"],
            "url": change.get("url"),
            "policy_name": self.names.get(change["plcy_no"], change["plcy_no"]),
        }

    def page(self, user_sub: str, before_id: int | None, limit: int) -> list[dict[str, Any]]:
        """A user's notifications below ``before_id``, newest first."""
        mine = [
            n
            for n in self.notifications.values()
            if n["user_sub"] == user_sub and (before_id is None or n["id"] < before_id)
        ]
        return [self._row(n) for n in sorted(mine, key=lambda n: -n["id"])[:limit]]

    def unread_count(self, user_sub: str) -> int:
        """Unread notifications of a user."""
        return sum(
            1
            for n in self.notifications.values()
            if n["user_sub"] == user_sub and n["read_at"] is None
        )

    def language(self, user_sub: str) -> str:
        """The user's language, ``ko`` when unknown."""
        return self.users.get(user_sub, {}).get("language", "ko")

    def mark_read(self, user_sub: str, notification_id: int) -> bool:
        """Mark one read; False when it is not the user's."""
        note = self.notifications.get(notification_id)
        if note is None or note["user_sub"] != user_sub:
            return False
        note["read_at"] = note["read_at"] or dt.datetime.now(dt.UTC)
        return True

    def mark_all_read(self, user_sub: str) -> int:
        """Mark the user's unread ones read."""
        unread = [
            n
            for n in self.notifications.values()
            if n["user_sub"] == user_sub and n["read_at"] is None
        ]
        for note in unread:
            note["read_at"] = dt.datetime.now(dt.UTC)
        return len(unread)

    def claim_mail(self, limit: int) -> list[dict[str, Any]]:
        """Pending -> sending, with the user's email and language."""
        pending = [n for n in self.notifications.values() if n["mail_status"] == "pending"]
        claimed = sorted(pending, key=lambda n: n["id"])[:limit]
        for note in claimed:
            note["mail_status"] = "sending"
            note["mail_attempts"] += 1
        rows = [
            {
                **self._row(n),
                "user_sub": n["user_sub"],
                "email": self.users.get(n["user_sub"], {}).get("email", ""),
                "language": self.language(n["user_sub"]),
            }
            for n in claimed
        ]
        return sorted(rows, key=lambda r: (r["user_sub"], r["id"]))

    def finish_mail(self, notification_ids: list[int], status: str) -> None:
        """Settle claimed notifications."""
        if status not in ("sent", "skipped", "retry"):
            raise ValueError(f"unknown mail status {status!r}")
        for number in notification_ids:
            note = self.notifications[number]
            if note["mail_status"] != "sending":
                continue
            if status != "retry":
                note["mail_status"] = status
            else:
                failed = note["mail_attempts"] >= _MAX_ATTEMPTS
                note["mail_status"] = "failed" if failed else "pending"

    def saved_policies(self) -> list[dict[str, Any]]:
        """Policies someone saved."""
        return [
            {"plcy_no": n, "name": self.names.get(n, n)}
            for n in sorted(self.savers)
            if self.savers[n]
        ]

    def mail_status(self, notification_id: int) -> str:
        """The mail state of one notification (tests)."""
        return str(self.notifications[notification_id]["mail_status"])

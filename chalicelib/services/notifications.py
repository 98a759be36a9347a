"""The in-app notification list: a user's policy-change notifications, newest first, and reads.

Owns the list's shape (each change in words, in the caller's language), its signed cursor
(bound to the user, so one person's cursor never pages another's list) and the read marks.
"""

from __future__ import annotations

import json
from typing import Any

from chalicelib.cursors import SignedCursors
from chalicelib.errors import InvalidInput, NotFound
from chalicelib.policies import change_text
from chalicelib.ports import NotificationRepository

_CURSOR_FIELDS = frozenset({"v", "u", "before"})


class NotificationService:
    """Use cases over one user's notifications."""

    def __init__(self, notifications: NotificationRepository, cursor_key: bytes) -> None:
        """Compose from the notification store and the cursor-signing key."""
        self._repo = notifications
        self._cursors = SignedCursors(cursor_key)

    def list(
        self, user_sub: str, limit: int, cursor: str | None, language: str | None
    ) -> dict[str, Any]:
        """Return a page ``{"items", "next", "unread"}``; ``language`` None = the user's own."""
        before = self._before(cursor, user_sub) if cursor else None
        lang = language or self._repo.language(user_sub)
        rows = self._repo.page(user_sub, before, limit + 1)
        page = rows[:limit]
        following = None
        if len(rows) > limit:
            following = self._cursors.encode(
                {"v": "1", "u": user_sub, "before": str(page[-1]["id"])}
            )
        return {
            "items": [_item(row, lang) for row in page],
            "next": following,
            "unread": self._repo.unread_count(user_sub),
        }

    def mark_read(self, user_sub: str, notification_id: int) -> dict[str, Any]:
        """Mark one notification read; 404 when the caller has no such notification."""
        if not self._repo.mark_read(user_sub, notification_id):
            raise NotFound(f"notification {notification_id} was not found")
        return {"marked": 1, "unread": self._repo.unread_count(user_sub)}

    def mark_all_read(self, user_sub: str) -> dict[str, Any]:
        """Mark every notification of the caller read."""
        marked = self._repo.mark_all_read(user_sub)
        return {"marked": marked, "unread": self._repo.unread_count(user_sub)}

    def _before(self, cursor: str, user_sub: str) -> int:
        data = self._cursors.decode(cursor, _CURSOR_FIELDS)
        if data["v"] != "1" or not data["before"].isdigit() or len(data["before"]) > 18:
            raise InvalidInput("the next cursor is malformed", code="invalid_cursor")
        if data["u"] != user_sub:
            raise InvalidInput("the next cursor belongs to another list", code="invalid_cursor")
        return int(data["before"])


def _item(row: dict[str, Any], language: str) -> dict[str, Any]:
    changes = row["changes"]
    if isinstance(changes, str):
        changes = json.loads(changes)
    return {
        "id": int(row["id"]),
        "plcyNo": row["plcy_no"],
        "policy_name": row["policy_name"],
        "source": row["source"],
        "confirmed": row["source"] != "news",
        "title": change_text.title(row["policy_name"], row["source"], language),
        "changes": [
            {"kind": c["kind"], "text": change_text.describe(c, language)} for c in changes
        ],
        "url": row["url"],
        "read": row["read_at"] is not None,
        "created_at": row["created_at"].isoformat(),
    }

"""Bookmarks and document checklists: a user's saved policies and the papers they prepare.

Owns the rules: only searchable policies can be saved; every read and write is the caller's
own (another user's bookmark is "not found", never "forbidden").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from chalicelib.clock import today_kst
from chalicelib.errors import Conflict, NotFound
from chalicelib.ports import BookmarkRepository
from chalicelib.services.discovery import summary


class BookmarkService:
    """Use cases over one user's bookmarks."""

    def __init__(
        self,
        bookmarks: BookmarkRepository,
        policy_exists: Callable[[str], Any],
        today: Callable[[], date] = today_kst,
    ) -> None:
        """Compose from the repository and a check that raises NotFound for unknown policies."""
        self._bookmarks = bookmarks
        self._policy_exists = policy_exists
        self._today = today

    def list(self, user_sub: str) -> list[dict[str, Any]]:
        """Return the caller's bookmarks with progress counts."""
        today = self._today()
        return [
            {
                "plcyNo": row["plcy_no"],
                "status": row["bookmark_status"],
                "policy": summary(row, today),
                "documents_total": row["total"],
                "documents_done": row["done"],
                "created_at": row["created_at"].isoformat(),
                "updated_at": row["updated_at"].isoformat(),
            }
            for row in self._bookmarks.list_for_user(user_sub)
        ]

    def add(self, user_sub: str, plcy_no: str, status: str) -> dict[str, Any]:
        """Save a policy; 404 for an unknown policy, 409 when already saved."""
        self._policy_exists(plcy_no)
        if not self._bookmarks.add(user_sub, plcy_no, status):
            raise Conflict(f"policy {plcy_no} is already saved")
        return self._one(user_sub, plcy_no)

    def update(self, user_sub: str, plcy_no: str, status: str) -> dict[str, Any]:
        """Change a bookmark's status."""
        if not self._bookmarks.set_status(user_sub, plcy_no, status):
            raise NotFound(f"policy {plcy_no} is not saved")
        return self._one(user_sub, plcy_no)

    def remove(self, user_sub: str, plcy_no: str) -> None:
        """Delete a bookmark and its document progress."""
        if not self._bookmarks.remove(user_sub, plcy_no):
            raise NotFound(f"policy {plcy_no} is not saved")

    def checklist(self, user_sub: str, plcy_no: str) -> dict[str, Any]:
        """Return the documents of a saved policy with the caller's progress."""
        if self._bookmarks.get(user_sub, plcy_no) is None:
            raise NotFound(f"policy {plcy_no} is not saved")
        rows = self._bookmarks.checklist(user_sub, plcy_no)
        done = sum(1 for row in rows if row["status"] != "todo")
        return {
            "plcyNo": plcy_no,
            "items": [
                {
                    "documentId": r["id"],
                    "position": r["position"],
                    "name": r["name"],
                    "status": r["status"],
                }
                for r in rows
            ],
            "completion": round(100 * done / len(rows)) if rows else 100,
        }

    def set_document(
        self, user_sub: str, plcy_no: str, document_id: int, status: str
    ) -> dict[str, Any]:
        """Update progress on one document of a saved policy; return the checklist."""
        if self._bookmarks.get(user_sub, plcy_no) is None:
            raise NotFound(f"policy {plcy_no} is not saved")
        if not self._bookmarks.set_progress(user_sub, plcy_no, document_id, status):
            raise NotFound(f"document {document_id} is not one of policy {plcy_no}'s")
        return self.checklist(user_sub, plcy_no)

    def _one(self, user_sub: str, plcy_no: str) -> dict[str, Any]:
        row = self._bookmarks.get(user_sub, plcy_no)
        assert row is not None
        return {
            "plcyNo": plcy_no,
            "status": row["status"],
            "created_at": row["created_at"].isoformat(),
            "updated_at": row["updated_at"].isoformat(),
        }

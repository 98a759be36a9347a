"""Fake of ports.BookmarkRepository over in-memory policies, documents and users."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from chalicelib.ports import Record

_OPEN = ("saved", "preparing")


class FakeBookmarkRepository:
    """Bookmarks, progress and sent reminders in dicts; policies and users are given."""

    def __init__(self) -> None:
        self.policies: dict[str, Record] = {}
        self.documents: dict[int, Record] = {}
        self.emails: dict[str, str] = {}
        self.bookmarks: dict[tuple[str, str], Record] = {}
        self.progress: dict[tuple[str, int], str] = {}
        self.reminders: set[tuple[str, str, int, str]] = set()
        self._ids = itertools.count(1)

    # Test set-up: what PostgreSQL holds in other tables.
    def add_policy(self, policy: Record, documents: list[str]) -> list[int]:
        self.policies[policy["plcy_no"]] = policy
        ids = []
        for position, name in enumerate(documents, start=1):
            doc_id = next(self._ids)
            self.documents[doc_id] = {
                "id": doc_id,
                "plcy_no": policy["plcy_no"],
                "position": position,
                "name": name,
            }
            ids.append(doc_id)
        return ids

    def add_user(self, sub: str, email: str) -> None:
        self.emails[sub] = email

    # The port.
    def list_for_user(self, user_sub: str) -> list[Record]:
        rows = []
        for (sub, plcy_no), mark in self.bookmarks.items():
            if sub != user_sub:
                continue
            docs = [d for d in self.documents.values() if d["plcy_no"] == plcy_no]
            done = sum(1 for d in docs if self.progress.get((sub, d["id"]), "todo") != "todo")
            rows.append(
                {
                    **self.policies[plcy_no],
                    "bookmark_status": mark["status"],
                    "created_at": mark["created_at"],
                    "updated_at": mark["updated_at"],
                    "total": len(docs),
                    "done": done,
                }
            )
        return sorted(rows, key=lambda r: (-r["created_at"].timestamp(), r["plcy_no"]))

    def get(self, user_sub: str, plcy_no: str) -> Record | None:
        mark = self.bookmarks.get((user_sub, plcy_no))
        return {"plcy_no": plcy_no, **mark} if mark else None

    def add(self, user_sub: str, plcy_no: str, status: str) -> bool:
        if (user_sub, plcy_no) in self.bookmarks:
            return False
        now = dt.datetime.now(dt.UTC)
        self.bookmarks[(user_sub, plcy_no)] = {
            "status": status,
            "created_at": now,
            "updated_at": now,
        }
        return True

    def set_status(self, user_sub: str, plcy_no: str, status: str) -> bool:
        mark = self.bookmarks.get((user_sub, plcy_no))
        if mark is None:
            return False
        mark.update(status=status, updated_at=dt.datetime.now(dt.UTC))
        return True

    def remove(self, user_sub: str, plcy_no: str) -> bool:
        for doc in self.documents.values():
            if doc["plcy_no"] == plcy_no:
                self.progress.pop((user_sub, doc["id"]), None)
        return self.bookmarks.pop((user_sub, plcy_no), None) is not None

    def checklist(self, user_sub: str, plcy_no: str) -> list[Record]:
        docs = sorted(
            (d for d in self.documents.values() if d["plcy_no"] == plcy_no),
            key=lambda d: (d["position"], d["id"]),
        )
        return [
            {
                "id": d["id"],
                "position": d["position"],
                "name": d["name"],
                "status": self.progress.get((user_sub, d["id"]), "todo"),
            }
            for d in docs
        ]

    def set_progress(self, user_sub: str, plcy_no: str, document_id: int, status: str) -> bool:
        doc = self.documents.get(document_id)
        if doc is None or doc["plcy_no"] != plcy_no:
            return False
        self.progress[(user_sub, document_id)] = status
        return True

    def due_reminders(self, today: str, thresholds: tuple[int, ...]) -> list[Record]:
        day = dt.date.fromisoformat(today)
        due = []
        for (sub, plcy_no), mark in self.bookmarks.items():
            policy, email = self.policies[plcy_no], self.emails.get(sub, "")
            end = policy.get("apply_end")
            if mark["status"] not in _OPEN or not email or end is None:
                continue
            if policy.get("status", "active") != "active" or policy.get("apply_status") != "window":
                continue
            days_left = (end - day).days
            reached = [t for t in thresholds if 0 <= days_left <= t]
            if not reached:
                continue
            threshold = min(reached)
            if (sub, plcy_no, threshold, end.isoformat()) in self.reminders:
                continue
            due.append(
                {
                    "sub": sub,
                    "email": email,
                    "plcy_no": plcy_no,
                    "name": policy["name"],
                    "apply_end": end,
                    "apply_url": policy.get("apply_url", ""),
                    "days_left": days_left,
                    "threshold": threshold,
                }
            )
        return sorted(due, key=lambda r: (r["sub"], r["apply_end"]))

    def record_reminder(self, user_sub: str, plcy_no: str, threshold: int, apply_end: str) -> bool:
        key = (user_sub, plcy_no, threshold, apply_end)
        if key in self.reminders:
            return False
        self.reminders.add(key)
        return True

    def forget_reminder(self, user_sub: str, plcy_no: str, threshold: int, apply_end: str) -> None:
        self.reminders.discard((user_sub, plcy_no, threshold, apply_end))

    @staticmethod
    def policy(plcy_no: str, name: str, apply_end: dt.date | None, **fields: Any) -> Record:
        """A policy row with the fields the port returns."""
        return {
            "plcy_no": plcy_no,
            "name": name,
            "apply_end": apply_end,
            "apply_status": "window",
            "status": "active",
            "apply_url": "",
            **fields,
        }

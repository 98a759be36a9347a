"""Deadline reminders: mail each user whose saved, not yet applied policies close soon.

Owns the thresholds (7, 3 and 1 days) and the once-per-policy-and-threshold rule: the
reminder is recorded before the mail goes out only if the record is new, so a re-run of the
daily job never mails twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from chalicelib.clock import today_kst
from chalicelib.ports import BookmarkRepository

_log = logging.getLogger(__name__)
THRESHOLDS = (7, 3, 1)


class Mailer(Protocol):
    """Sends one plain-text mail."""

    def send(self, to: str, subject: str, body: str) -> str:
        """Send and return a message id."""
        ...


class ReminderService:
    """Find due reminders and mail them."""

    def __init__(
        self,
        bookmarks: BookmarkRepository,
        mailer: Mailer,
        today: Callable[[], date] = today_kst,
    ) -> None:
        """Compose from the bookmarks repository and a mailer."""
        self._bookmarks = bookmarks
        self._mailer = mailer
        self._today = today

    def send_due(self) -> dict[str, Any]:
        """Send every due reminder; return how many went out."""
        today = self._today()
        sent = 0
        for row in self._bookmarks.due_reminders(today.isoformat(), THRESHOLDS):
            end = row["apply_end"].isoformat()
            if not self._bookmarks.record_reminder(
                row["sub"], row["plcy_no"], row["threshold"], end
            ):
                continue
            days = row["days_left"]
            when = "오늘" if days == 0 else f"{days}일 후"
            try:
                self._send(row, end, when)
            except Exception:
                # Un-record so tomorrow's run tries again; the error still propagates.
                self._bookmarks.forget_reminder(row["sub"], row["plcy_no"], row["threshold"], end)
                raise
            sent += 1
        _log.info("deadline reminders sent: %d", sent)
        return {"sent": sent}

    def _send(self, row: dict[str, Any], end: str, when: str) -> None:
        self._mailer.send(
            row["email"],
            f"[FinQ] '{row['name']}' 신청 마감이 {when}입니다",
            f"저장하신 정책 '{row['name']}'의 신청이 {end}에 마감됩니다 ({when}).\n"
            f"신청하기: {row['apply_url'] or 'FinQ 앱에서 확인하세요'}\n\n"
            "이미 신청하셨다면 FinQ에서 상태를 '신청 완료'로 바꿔 주세요. 이후 알림이 멈춥니다.",
        )

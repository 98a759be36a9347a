"""Alerts for saved policies: record what an ingestion changed, and mail the people who saved it.

Owns when a change is recorded (only changes people care about, once per replaced version) and
the mail: one per user per delivery, in the user's language, listing every changed saved policy.
A mail failure never touches the in-app notification and a notification is mailed at most once.
Depends on ports only.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from datetime import date
from itertools import groupby
from typing import Any

from chalicelib.clock import today_kst
from chalicelib.errors import UpstreamUnavailable
from chalicelib.policies import change_text
from chalicelib.policies.changes import Change, detect
from chalicelib.policies.normalize import Policy, RecordError, normalize
from chalicelib.ports import Mailer, NotificationRepository

_log = logging.getLogger(__name__)
_CLAIM = 500


class PolicyAlerts:
    """Turn policy updates into change records, notifications and mail."""

    def __init__(
        self,
        notifications: NotificationRepository,
        mailer: Mailer,
        today: Callable[[], date] = today_kst,
    ) -> None:
        """Compose from the notification store and the mailer (SES)."""
        self._repo = notifications
        self._mailer = mailer
        self._today = today

    def policies_updated(
        self, updates: Iterable[tuple[dict[str, Any], Policy]], run_id: int
    ) -> int:
        """Record the changes of updated policies; return how many changes were new.

        Args:
            updates: ``(stored, new)`` pairs: the stored version (``raw``, ``content_hash``,
                ``updated_at``) and the version about to replace it.
            run_id: The ingestion run.
        """
        today, recorded = self._today(), 0
        for stored, new in updates:
            try:
                old = normalize(_loads(stored["raw"]))
            except RecordError:
                _log.warning("stored policy %s no longer normalizes; no alert", new.plcy_no)
                continue
            changes = detect(old, new, today, old_status=stored["status"])
            if changes:
                recorded += self._record(stored, new.plcy_no, new.content_hash, changes, run_id)
        return recorded

    def policies_withdrawn(self, stored: Iterable[dict[str, Any]], run_id: int) -> int:
        """Record that a full sync no longer lists these (active) policies; return how many."""
        return sum(
            self._record(row, row["plcy_no"], "withdrawn", [Change("withdrawn")], run_id)
            for row in stored
            if row["status"] == "active"
        )

    def _record(
        self,
        stored: dict[str, Any],
        plcy_no: str,
        new_hash: str,
        changes: list[Change],
        run_id: int,
    ) -> int:
        # The replaced version (hash + write time) identifies the change: a retried run sees the
        # same stored row and makes nothing new; a later change of the same policy is new.
        key = f"{stored['content_hash']}@{stored['updated_at'].isoformat()}>{new_hash}"
        record = {
            "plcy_no": plcy_no,
            "source": "ingestion",
            "changes": [c.to_json() for c in changes],
            "dedupe_key": key,
            "run_id": run_id,
        }
        return 1 if self._repo.record_change(record) is not None else 0

    def deliver(self) -> dict[str, int]:
        """Mail every pending notification: one mail per user listing all their changes."""
        counts = dict.fromkeys(("mails", "notifications", "retry", "skipped", "unsure"), 0)
        while rows := self._repo.claim_mail(_CLAIM):
            for _, group in groupby(rows, key=lambda row: row["user_sub"]):
                self._mail_user(list(group), counts)
            if len(rows) < _CLAIM:
                break
        if counts["notifications"] or counts["retry"]:
            _log.info("policy change mail: %s", json.dumps(counts))
        return counts

    def _mail_user(self, rows: list[dict[str, Any]], counts: dict[str, int]) -> None:
        ids = [int(row["id"]) for row in rows]
        email, language = rows[0]["email"], rows[0]["language"]
        if not email:
            self._repo.finish_mail(ids, "skipped")
            counts["skipped"] += len(ids)
            return
        items = [{**row, "changes": _loads_list(row["changes"])} for row in rows]
        try:
            self._mailer.send(
                email,
                change_text.subject(len({r["plcy_no"] for r in rows}), language),
                change_text.mail_body(items, language),
            )
        except UpstreamUnavailable:
            # SES refused it, so nothing went out: the next delivery tries again.
            _log.warning("policy change mail to a user was refused; retried next run")
            self._repo.finish_mail(ids, "retry")
            counts["retry"] += len(ids)
            return
        except Exception:
            # Unknown whether it went out: left 'sending', never mailed again (at most once).
            _log.exception("policy change mail failed; not retried")
            counts["unsure"] += len(ids)
            return
        self._repo.finish_mail(ids, "sent")
        counts["mails"] += 1
        counts["notifications"] += len(ids)


def _loads(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else dict(value)


def _loads_list(value: Any) -> list[dict[str, Any]]:
    return json.loads(value) if isinstance(value, str) else list(value)

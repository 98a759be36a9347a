"""A customer's inquiry: submission, escalation, feedback, messages, and the sweeper.

Owns what submission does (validate, store ``pending``, enqueue for the worker, answer at once;
idempotent per key, a key reused with another body is a 409) and the customer's own moves.
The AI steps run in the worker (pipeline.py). Storage, the queue and notices are ports.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib import desk_rules
from chalicelib.errors import Conflict
from chalicelib.ports import DeskRecord, InquiryRepository, Metrics, WorkQueue
from chalicelib.services import triage
from chalicelib.services.desk import telemetry
from chalicelib.services.desk.notices import DeskNotices
from chalicelib.services.desk.records import (
    estimated_response_time,
    move,
    now,
    once,
    public_view,
    require,
    short_id,
)
from chalicelib.services.desk.tenants import TenantService, classify

_log = logging.getLogger(__name__)

HANDOFF = "advisor_handoff"
# The open-queue count and the enqueue after a store are independent round trips: run at once.
_AFTER_STORE = ThreadPoolExecutor(max_workers=4, thread_name_prefix="desk-after-store")


def request_hash(data: dict[str, Any]) -> str:
    """Return the fingerprint of a submitted body (an Idempotency-Key must keep its body)."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class InquiryService:
    """The customer side of the desk (API-key callers)."""

    def __init__(
        self,
        repo: InquiryRepository,
        tenants: TenantService,
        queue: WorkQueue,
        notices: DeskNotices,
        metrics: Metrics | None = None,
    ) -> None:
        """Compose the customer side.

        Args:
            repo: Inquiry storage.
            tenants: The tenants (their tier and staff contacts).
            queue: The worker's queue (messages ``{"tenant_id", "inquiry_id"}``).
            notices: Escalation mail and notifications.
            metrics: Where customer satisfaction ratings are recorded.
        """
        self._repo = repo
        self._tenants = tenants
        self._queue = queue
        self._notices = notices
        self._metrics = metrics

    def submit(
        self,
        tenant_id: str,
        data: dict[str, Any],
        idempotency_key: str | None,
        source: dict[str, Any] | None = None,
        stored_tenant: DeskRecord | None = None,
    ) -> dict[str, Any]:
        """Store a new inquiry (``pending``) and queue it for the worker; idempotent per key.

        Nothing after the store can lose the inquiry or fail the request: a failed enqueue is
        logged and the sweeper (``requeue_stale``) sends it later. ``stored_tenant`` is the
        tenant's record when the caller has just read it (the API key's rate check has).
        """
        if stored_tenant is not None and stored_tenant.get("tenant_id") == tenant_id:
            tenant = self._tenants.view(stored_tenant)
        else:
            tenant = self._tenants.tenant(tenant_id)
        # The tenant's own categories: an unknown one is a 400 before anything is stored.
        text = f"{data['title']}\n{data['content']}"
        category, weight = classify(tenant, data.get("category"), text)
        inquiry = self._received(tenant, data, (category, weight), source)
        stored = self._repo.put_inquiry(inquiry, idempotency_key)
        if stored.get("replayed"):
            return self._replayed(stored, inquiry["request_hash"])
        self._after_store(inquiry)
        return public_view(inquiry, [])

    def _replayed(self, stored: DeskRecord, fingerprint: str) -> dict[str, Any]:
        """The first inquiry of a repeated key: the same body only, and never re-run."""
        if stored.get("request_hash") != fingerprint:
            raise Conflict(
                "this Idempotency-Key was used with another body; use a new key",
                code="idempotency_conflict",
            )
        if stored["status"] == "pending" and not stored.get("decided_at"):
            self._enqueue(stored)  # the client's retry also retries a lost enqueue
        return public_view(stored, self._repo.entries(stored["inquiry_id"]))

    def _after_store(self, inquiry: DeskRecord) -> None:
        """Count the inquiry in the open queue and queue it, at once; failures lose nothing."""
        counted = _AFTER_STORE.submit(self._count_open, inquiry)
        self._enqueue(inquiry)
        counted.result()

    def _count_open(self, inquiry: DeskRecord) -> None:
        try:
            self._repo.adjust_open(inquiry["tenant_id"], 1)
        except Exception:  # noqa: BLE001 - the inquiry is stored; the counter only shapes ETAs
            _log.exception("open queue of %s not counted for %s", *_ids(inquiry))

    def _enqueue(self, inquiry: DeskRecord) -> bool:
        try:
            self._queue.send(
                {"tenant_id": inquiry["tenant_id"], "inquiry_id": inquiry["inquiry_id"]}
            )
        except Exception:  # noqa: BLE001 - stored and pending: the sweeper enqueues it again
            _log.exception(
                "could not queue an inquiry of %s (%s); the sweeper will", *_ids(inquiry)
            )
            return False
        return True

    def _received(
        self,
        tenant: DeskRecord,
        data: dict[str, Any],
        category: tuple[str, int],
        source: dict[str, Any] | None,
    ) -> DeskRecord:
        """Return the new inquiry record: pending, with a provisional priority and ETA.

        The priority counts what the customer stated (urgency, category), the tier and the
        words of a complaint (read as negative until the worker measures the sentiment), so a
        complaint's first ETA is already a complaint's. An advisor hand-off asked for a person,
        so it is escalated at once (the worker still drafts and sends the staff notice with the
        draft).
        """
        fingerprint = request_hash(data)  # of what the customer sent
        text = f"{data['title']}\n{data['content']}"
        data = {**data, "category": category[0]}
        provisional = "NEGATIVE" if desk_rules.COMPLAINT.search(text) else "NEUTRAL"
        score, label = triage.priority(
            provisional, data.get("urgency"), category[1], tenant["tier"], text
        )
        created = now()
        handoff = data["category"] == HANDOFF
        open_queue = tenant.get("open_inquiries")  # read with the tenant by the rate check
        if open_queue is None:
            open_queue = self._repo.open_count(tenant["tenant_id"])
        eta = triage.eta_minutes(label, tenant["tier"], open_queue, False)
        return {
            "inquiry_id": uuid.uuid4().hex,
            "tenant_id": tenant["tenant_id"],
            **data,
            "status": "escalated" if handoff else "pending",
            "priority": label,
            "priority_score": score,
            "eta_minutes": eta,
            "estimated_response_time": estimated_response_time(created, eta),
            "created_at": created,
            "escalated_at": created if handoff else None,
            "escalation_reason": "advisor chat handoff" if handoff else None,
            "tokens_in": 0,
            "tokens_out": 0,
            "source": source,
            "request_hash": fingerprint,
        }

    def requeue_stale(self, older_than_seconds: int, limit: int = 500) -> int:
        """Queue again the inquiries no worker decided within the time; return how many.

        Covers an enqueue that failed after the store and a message the queue gave up on. The
        worker is idempotent, so an inquiry that was only slow is processed once all the same.
        """
        before = datetime.now(UTC) - timedelta(seconds=older_than_seconds)
        stale = self._repo.undecided(before.isoformat(timespec="milliseconds"), limit)
        return sum(self._enqueue(inquiry) for inquiry in stale)

    def get(self, tenant_id: str, inquiry_id: str) -> dict[str, Any]:
        """Return the customer's view of an inquiry."""
        inquiry = require(self._repo, tenant_id, inquiry_id)
        return public_view(inquiry, self._repo.entries(inquiry_id))

    def escalate(
        self, tenant_id: str, inquiry_id: str, reason: str = "customer_request"
    ) -> dict[str, Any]:
        """Hand an inquiry to the tenant's staff: email (SES) and notification (SNS)."""
        inquiry = require(self._repo, tenant_id, inquiry_id)
        escalated = now()
        fields = {"escalated_at": escalated, "escalation_reason": reason}
        move(self._repo, inquiry, "escalated", fields)
        drafts = [e.get("draft", "") for e in self._repo.entries(inquiry_id) if "draft" in e]
        tenant, moved = self._tenants.tenant(tenant_id), {**inquiry, **fields}
        draft = drafts[-1] if drafts else ""
        step, notices = f"escalated:{escalated}", self._notices
        once(
            self._repo,
            inquiry_id,
            f"{step}:mail",
            lambda: notices.escalation_mail(tenant, moved, draft, reason),
        )
        once(
            self._repo,
            inquiry_id,
            f"{step}:note",
            lambda: notices.escalation_note(tenant, moved, draft, reason),
        )
        return self.get(tenant_id, inquiry_id)

    def feedback(
        self, tenant_id: str, inquiry_id: str, satisfaction: int, comment: str
    ) -> dict[str, Any]:
        """Record the customer's satisfaction (1-5) and comment."""
        inquiry = require(self._repo, tenant_id, inquiry_id)
        self._repo.update_inquiry(
            inquiry_id,
            inquiry["status"],
            {"satisfaction": satisfaction, "feedback_comment": comment, "feedback_at": now()},
        )
        if self._metrics is not None:
            telemetry.satisfaction(self._metrics, tenant_id, inquiry_id, satisfaction)
        return self.get(tenant_id, inquiry_id)

    def customer_message(self, tenant_id: str, inquiry_id: str, content: str) -> dict[str, Any]:
        """Record the customer's new message; a resolved inquiry is reopened (pending)."""
        inquiry = require(self._repo, tenant_id, inquiry_id)
        self._repo.add_entry(
            inquiry_id,
            "MESSAGE",
            {"entry_id": short_id(), "created_at": now(), "author": "customer", "content": content},
        )
        if inquiry["status"] == "resolved":
            self._repo.update_inquiry(
                inquiry_id, "resolved", {"status": "pending", "reopened_at": now()}
            )
            self._repo.adjust_open(tenant_id, 1)
        return self.get(tenant_id, inquiry_id)

    def handoff_from_chat(
        self, operator_tenant_id: str, customer_email: str, chat: dict[str, Any], message: str
    ) -> dict[str, Any]:
        """Turn an advisor chat's request for a human into an inquiry for the operator tenant.

        Returns what the chat records and shows the user: the inquiry, its status and when a
        person is expected to answer (``eta_minutes``, ``estimated_response_time``).
        """
        inquiry = self.submit(
            operator_tenant_id,
            {
                "customer_email": customer_email or "unknown@finq.local",
                "category": "advisor_handoff",
                "title": f"Advisor chat: {chat.get('title') or 'request for a human'}"[:200],
                "content": f"Chat {chat['id']}: {message}"[:10_000],
                "urgency": None,
            },
            # One hand-off per chat and message a minute (a repeated key keeps its body).
            idempotency_key=f"chat-{chat['id']}-{int(time.time() // 60)}-{_digest(message)}",
            source={"chat_id": chat["id"]},
        )
        return {
            "inquiry_id": inquiry["inquiry_id"],
            "tenant_id": operator_tenant_id,
            "status": inquiry["status"],
            "eta_minutes": inquiry["eta_minutes"],
            "estimated_response_time": inquiry["estimated_response_time"],
        }


def _ids(inquiry: DeskRecord) -> tuple[str, str]:
    return inquiry["tenant_id"], inquiry["inquiry_id"]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

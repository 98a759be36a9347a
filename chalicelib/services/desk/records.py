"""The inquiry life cycle and the views of an inquiry, shared by the desk's services.

Owns the status order (pending -> ai_responded -> escalated -> resolved, forward only), which
statuses wait for a human, and what a customer or a staff member sees. No storage details.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.errors import Conflict, NotFound
from chalicelib.ports import DeskRecord, DraftAnswer, InquiryRepository

ORDER = ("pending", "ai_responded", "escalated", "resolved")
OPEN = frozenset({"pending", "escalated"})  # waiting for a human: counted in the ETA's queue


def now() -> str:
    """Return the current UTC time as stored (ISO 8601, milliseconds)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def short_id() -> str:
    """Return a new entry id."""
    return uuid.uuid4().hex[:8]


def require(repo: InquiryRepository, tenant_id: str, inquiry_id: str) -> DeskRecord:
    """Return the tenant's inquiry, or raise NotFound (also for over-long ids)."""
    inquiry = repo.inquiry(tenant_id, inquiry_id) if len(inquiry_id) <= 64 else None
    if inquiry is None:
        raise NotFound("no such inquiry")
    return inquiry


def move(repo: InquiryRepository, inquiry: DeskRecord, status: str, fields: DeskRecord) -> None:
    """Move an inquiry forward to ``status`` (Conflict otherwise) and keep the open queue."""
    current = inquiry["status"]
    if ORDER.index(status) <= ORDER.index(current):
        raise Conflict(f"an inquiry cannot move from {current} to {status}")
    repo.update_inquiry(inquiry["inquiry_id"], current, {"status": status, **fields})
    delta = (status in OPEN) - (current in OPEN)
    if delta:
        repo.adjust_open(inquiry["tenant_id"], delta)


def once(repo: InquiryRepository, inquiry_id: str, step: str, effect: Callable[[], Any]) -> bool:
    """Run ``effect`` (a mail, a notification) unless ``step`` ran before; True when it ran.

    The step is claimed (a conditional write) before the effect, so a redelivered message or a
    second worker never repeats it; a failed effect gives the claim back so a retry runs it.
    """
    if not repo.claim_step(inquiry_id, step):
        return False
    try:
        effect()
    except BaseException:
        repo.release_step(inquiry_id, step)
        raise
    return True


# Bookkeeping the desk stores on an inquiry for itself, never shown.
_INTERNAL = frozenset({"request_hash"})


def staff_view(inquiry: DeskRecord) -> dict[str, Any]:
    """Return an inquiry as the tenant's staff see it (no internal bookkeeping)."""
    return {k: v for k, v in inquiry.items() if k not in _INTERNAL}


def ai_entry(draft: DraftAnswer, model: str, sent: bool, **extra: Any) -> DeskRecord:
    """Return the ``AI_RESPONSE`` entry that records a draft.

    The seed's names (``model_used``, ``prompt_tokens``, ``completion_tokens``,
    ``response_quality_score``: the drafter's confidence that its answer is right) beside
    ``model`` and ``confidence``, the names FinQ used before, kept for one release.
    """
    usage = draft.get("usage") or {}
    return {
        "entry_id": short_id(),
        "created_at": now(),
        "draft": draft["answer"],
        "confidence": draft["confidence"],
        "response_quality_score": draft["confidence"],
        "model": model,
        "model_used": model,
        "prompt_tokens": int(usage.get("input_tokens", 0)),
        "completion_tokens": int(usage.get("output_tokens", 0)),
        "sent_to_customer": sent,
        "source_faq": draft.get("source"),
        # The drafter's judgement that its FAQ entry answers this question (when it gives one).
        **({"answers_question": draft["answers_question"]} if "answers_question" in draft else {}),
        **extra,
    }


def public_view(inquiry: DeskRecord, entries: list[DeskRecord]) -> dict[str, Any]:
    """Return the customer's view: status, answers sent so far, attachments and the ETA."""
    answers = [
        {"from": "ai", "content": e["draft"], "created_at": e["created_at"]}
        for e in entries
        if e.get("sent_to_customer")
    ] + [
        {"from": "staff", "content": e["content"], "created_at": e["created_at"]}
        for e in entries
        if "author" in e and e["author"] != "customer"
    ]
    attachments = [
        {
            "attachment_id": e["entry_id"],
            "filename": e["filename"],
            "state": e["state"],
            **({"reason": e["reason"]} if e.get("reason") else {}),
        }
        for e in entries
        if e.get("kind") == "attachment"
    ]
    eta = 0 if inquiry["status"] in ("ai_responded", "resolved") else inquiry["eta_minutes"]
    sent = [a for a in answers if a["from"] == "ai"]
    human = sorted((a for a in answers if a["from"] == "staff"), key=lambda a: a["created_at"])
    return {
        "inquiry_id": inquiry["inquiry_id"],
        "status": inquiry["status"],
        "attachments": attachments,
        "priority": inquiry["priority"],
        "eta_minutes": eta,
        "estimated_response_time": estimated_response_time(inquiry["created_at"], eta),
        "urgency": inquiry.get("urgency"),
        "ai_response": sent[-1]["content"] if sent else None,
        "human_response": human[-1]["content"] if human else None,
        "answers": sorted(answers, key=lambda a: a["created_at"]),
        "created_at": inquiry["created_at"],
        "satisfaction": inquiry.get("satisfaction"),
    }


def estimated_response_time(created_at: str, minutes: int) -> str:
    """Return the stored time ``minutes`` after ``created_at`` (the estimated response time)."""
    moment = datetime.fromisoformat(created_at) + timedelta(minutes=minutes)
    return moment.isoformat(timespec="milliseconds")

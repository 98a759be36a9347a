"""A customer's inquiry: submission, triage, the AI draft, escalation, feedback, messages.

Owns when a draft goes straight to the customer (confident, not urgent, not a hand-off) and
when a human is called. Storage, analysis, drafting and notices are ports handed in.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from chalicelib.ports import (
    Analyzer,
    DeskRecord,
    DraftAnswer,
    Drafter,
    InquiryRepository,
    TextAnalysis,
)
from chalicelib.services import triage
from chalicelib.services.desk.decision import Decision, DecisionPolicy, decide
from chalicelib.services.desk.notices import DeskNotices
from chalicelib.services.desk.records import (
    OPEN,
    ai_entry,
    move,
    now,
    public_view,
    require,
    short_id,
)
from chalicelib.services.desk.tenants import TenantService, classify


class InquiryService:
    """The customer side of the desk (API-key callers)."""

    def __init__(
        self,
        repo: InquiryRepository,
        tenants: TenantService,
        ai: tuple[Analyzer, Drafter],
        notices: DeskNotices,
        confidence_threshold: float,
    ) -> None:
        """Compose the customer side.

        Args:
            repo: Inquiry storage.
            tenants: The tenants (their FAQ, tier and staff contacts).
            ai: The analyzer (language, sentiment) and the drafter.
            notices: Escalation mail and notifications.
            confidence_threshold: Drafts at least this confident go straight to the customer.
        """
        self._repo = repo
        self._tenants = tenants
        self._analyzer, self._drafter = ai
        self._notices = notices
        self._threshold = confidence_threshold

    def submit(
        self,
        tenant_id: str,
        data: dict[str, Any],
        idempotency_key: str | None,
        source: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Store, triage and answer (or escalate) a new inquiry; idempotent per key."""
        tenant = self._tenants.tenant(tenant_id)
        text = f"{data['title']}\n{data['content']}"
        category, weight = classify(tenant, data.get("category"), text)
        data = {**data, "category": category, "category_weight": weight}
        analysis = self._analyzer.analyze(text)
        draft = self._drafter.draft(data, tenant)
        inquiry, decision = self._triaged(tenant, data, analysis, draft, source)
        stored = self._repo.put_inquiry(inquiry, idempotency_key)
        if stored.get("replayed"):
            return public_view(stored, self._repo.entries(stored["inquiry_id"]))
        confident = inquiry["status"] == "ai_responded"
        if inquiry["status"] in OPEN:
            self._repo.adjust_open(tenant_id, 1)
        self._repo.add_entry(
            inquiry["inquiry_id"],
            "AI_RESPONSE",
            ai_entry(draft, self._drafter.model_id, confident, created_at=inquiry["created_at"]),
        )
        if not confident:
            self._notices.escalation(
                tenant, inquiry, draft["answer"], decision.reason, decision.explanation
            )
        return public_view(inquiry, self._repo.entries(inquiry["inquiry_id"]))

    def _triaged(
        self,
        tenant: DeskRecord,
        data: dict[str, Any],
        analysis: TextAnalysis,
        draft: DraftAnswer,
        source: dict[str, Any] | None,
    ) -> tuple[DeskRecord, Decision]:
        """Return the new inquiry record (priority, status, ETA, usage) and the decision."""
        text = f"{data['title']}\n{data['content']}"
        score, label = triage.priority(
            analysis["sentiment"],
            data.get("urgency"),
            data.pop("category_weight", 0),
            tenant["tier"],
            text,
        )
        decision = decide(
            text,
            analysis,
            draft,
            tenant.get("faq") or [],
            DecisionPolicy(self._threshold, label, data["category"]),
        )
        confident = decision.action == "auto_answer"
        created = now()
        open_queue = self._repo.open_count(tenant["tenant_id"])
        return {
            "inquiry_id": uuid.uuid4().hex,
            "tenant_id": tenant["tenant_id"],
            **data,
            "status": "ai_responded" if confident else "escalated",
            "priority": label,
            "priority_score": score,
            "sentiment": analysis["sentiment"],
            "language": analysis["language"],
            "ai_confidence": draft["confidence"],
            "escalation_reason": None if confident else decision.reason,
            "decision": decision.explanation,
            "eta_minutes": triage.eta_minutes(label, tenant["tier"], open_queue, confident),
            "created_at": created,
            "first_response_at": created if confident else None,
            "escalated_at": None if confident else created,
            "tokens_in": int(draft["usage"].get("input_tokens", 0)),
            "tokens_out": int(draft["usage"].get("output_tokens", 0)),
            "source": source,
        }, decision

    def get(self, tenant_id: str, inquiry_id: str) -> dict[str, Any]:
        """Return the customer's view of an inquiry."""
        inquiry = require(self._repo, tenant_id, inquiry_id)
        return public_view(inquiry, self._repo.entries(inquiry_id))

    def escalate(
        self, tenant_id: str, inquiry_id: str, reason: str = "customer_request"
    ) -> dict[str, Any]:
        """Hand an inquiry to the tenant's staff: email (SES) and notification (SNS)."""
        inquiry = require(self._repo, tenant_id, inquiry_id)
        move(self._repo, inquiry, "escalated", {"escalated_at": now(), "escalation_reason": reason})
        drafts = [e.get("draft", "") for e in self._repo.entries(inquiry_id) if "draft" in e]
        self._notices.escalation(
            self._tenants.tenant(tenant_id),
            {**inquiry, "status": "escalated"},
            drafts[-1] if drafts else "",
            reason,
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
        """Turn an advisor chat's request for a human into an inquiry for the operator tenant."""
        inquiry = self.submit(
            operator_tenant_id,
            {
                "customer_email": customer_email or "unknown@finq.local",
                "category": "advisor_handoff",
                "title": f"Advisor chat: {chat.get('title') or 'request for a human'}"[:200],
                "content": f"Chat {chat['id']}: {message}"[:10_000],
                "urgency": None,
            },
            idempotency_key=f"chat-{chat['id']}-{int(time.time() // 60)}",
            source={"chat_id": chat["id"]},
        )
        return {"inquiry_id": inquiry["inquiry_id"], "tenant_id": operator_tenant_id}

"""The desk's worker: the steps that take a stored inquiry from pending to answered or escalated.

Owns the step order (analysis, priority, draft, decision, notice), what marks each step done on
the inquiry (``sentiment``, ``triaged_at``, ``drafted_at``, ``decided_at``, a claimed notice),
and the last attempt's fallback to a human ("AI unavailable"). Every step is idempotent: a
redelivered message skips what is done, and notices are claimed before they are sent, so none
is sent twice. Failures propagate, so the queue redelivers the message.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from chalicelib.errors import NotFound, UpstreamUnavailable
from chalicelib.ports import (
    Analyzer,
    DeskRecord,
    DraftAnswer,
    Drafter,
    InquiryRepository,
    Metrics,
    TextAnalysis,
)
from chalicelib.services import triage
from chalicelib.services.desk import telemetry
from chalicelib.services.desk.decision import AI_UNAVAILABLE, Decision, DecisionPolicy, decide
from chalicelib.services.desk.notices import DeskNotices
from chalicelib.services.desk.records import (
    ai_entry,
    estimated_response_time,
    move,
    now,
    once,
)
from chalicelib.services.desk.tenants import TenantService, category_weight

_log = logging.getLogger(__name__)

DRAFT_ENTRY = "pipeline-draft"  # the draft's entry id: a redone draft replaces it, never adds


class InquiryPipeline:
    """Run the steps of one queued inquiry."""

    def __init__(
        self,
        repo: InquiryRepository,
        tenants: TenantService,
        ai: tuple[Analyzer, Drafter],
        notices: DeskNotices,
        *,
        confidence_threshold: float,
        max_receives: int,
        metrics: Metrics | None = None,
    ) -> None:
        """Compose the worker.

        Args:
            repo: Inquiry storage.
            tenants: The tenants (FAQ, tier, staff contacts, topic).
            ai: The analyzer (language, sentiment) and the drafter.
            notices: Escalation mail and status notifications.
            confidence_threshold: Drafts at least this confident answer the customer.
            max_receives: Deliveries of a message before the queue gives it up (its redrive
                policy's maxReceiveCount); the last one escalates when the AI fails.
            metrics: Where each decided inquiry's custom metrics go (once per inquiry).
        """
        self._repo = repo
        self._tenants = tenants
        self._analyzer, self._drafter = ai
        self._notices = notices
        self._threshold = confidence_threshold
        self._max_receives = max_receives
        self._metrics = metrics

    def deliver(self, body: str, receives: int = 1, *, dead_letter: bool = False) -> str | None:
        """Process one queue message (``{"tenant_id", "inquiry_id"}``); return the status.

        A malformed message is logged and dropped (None): redelivering it cannot help.

        ``receives`` is the message's receive count; the last allowed one, and any message of
        the dead-letter queue, hands the inquiry to a human when the AI fails again.
        """
        try:
            message = json.loads(body)
            tenant_id, inquiry_id = str(message["tenant_id"]), str(message["inquiry_id"])
        except (ValueError, KeyError, TypeError):
            # No retry can make sense of it, and no customer's text is in it: drop it.
            _log.error(
                "dropping a desk queue message without tenant_id and inquiry_id: %.200s", body
            )
            return None
        final = dead_letter or receives >= self._max_receives
        if not dead_letter:
            return self.process(tenant_id, inquiry_id, final=final)
        try:
            return self.process(tenant_id, inquiry_id, final=True)
        except UpstreamUnavailable:
            raise  # a store or the mailer is down: the dead letter is retried
        except Exception:
            # A dead letter that fails for any other reason would fail forever: staff still see
            # the inquiry in their list, so the message is logged and dropped.
            _log.exception("dropping dead letter of inquiry %s of %s", inquiry_id, tenant_id)
            return None

    def process(self, tenant_id: str, inquiry_id: str, *, final: bool = False) -> str | None:
        """Run every step not done yet; return the inquiry's status (None when it is gone)."""
        inquiry = self._repo.inquiry(tenant_id, inquiry_id)
        try:
            tenant = self._tenants.tenant(tenant_id)
        except NotFound:
            inquiry = None
        if inquiry is None:
            # Deleted since it was queued: no retry can bring it back, so the message goes.
            _log.warning("queued inquiry %s of %s does not exist; skipped", inquiry_id, tenant_id)
            return None
        draft: DeskRecord | None = None
        try:
            inquiry = self._analyzed(inquiry)
            inquiry = self._prioritized(inquiry, tenant)
            draft = self._drafted(inquiry, tenant)
        except Exception:
            if not final:
                raise  # the queue redelivers after its visibility timeout
            _log.exception("the AI failed on the last attempt for %s; a human takes it", inquiry_id)
            inquiry = self._prioritized(self._reload(inquiry), tenant)
        inquiry = self._decided(inquiry, draft)
        self._notify(inquiry, tenant, draft)
        self._measure(inquiry)
        return str(inquiry["status"])

    def _measure(self, inquiry: DeskRecord) -> None:
        """Step 6: the inquiry's custom metrics, once (a redelivery counts nothing twice)."""
        metrics = self._metrics
        if metrics is not None:
            stored = self._reload(inquiry)  # with the draft step's tokens and confidence
            once(
                self._repo,
                inquiry["inquiry_id"],
                f"decided:{inquiry['decided_at']}:metrics",
                lambda: telemetry.processed(metrics, stored),
            )

    def _reload(self, inquiry: DeskRecord) -> DeskRecord:
        found = self._repo.inquiry(inquiry["tenant_id"], inquiry["inquiry_id"])
        return found if found is not None else inquiry

    def _update(self, inquiry: DeskRecord, fields: DeskRecord) -> DeskRecord:
        """Record a step's result (only while the status is the one read)."""
        self._repo.update_inquiry(inquiry["inquiry_id"], inquiry["status"], fields)
        return {**inquiry, **fields}

    def _analyzed(self, inquiry: DeskRecord) -> DeskRecord:
        """Step 1: language and sentiment."""
        if inquiry.get("sentiment"):
            return inquiry
        analysis = self._analyzer.analyze(f"{inquiry['title']}\n{inquiry['content']}")
        return self._update(
            inquiry, {"sentiment": analysis["sentiment"], "language": analysis["language"]}
        )

    def _prioritized(self, inquiry: DeskRecord, tenant: DeskRecord) -> DeskRecord:
        """Step 2: priority and the estimated wait (neutral sentiment when analysis failed)."""
        if inquiry.get("triaged_at"):
            return inquiry
        score, label = triage.priority(
            inquiry.get("sentiment") or "NEUTRAL",
            inquiry.get("urgency"),
            category_weight(tenant, str(inquiry.get("category") or "")),
            tenant["tier"],
            f"{inquiry['title']}\n{inquiry['content']}",
        )
        open_queue = self._repo.open_count(tenant["tenant_id"])
        eta = triage.eta_minutes(label, tenant["tier"], open_queue, False)
        fields = {
            "priority": label,
            "priority_score": score,
            "eta_minutes": eta,
            "estimated_response_time": estimated_response_time(inquiry["created_at"], eta),
            "triaged_at": now(),
        }
        return self._update(inquiry, fields)

    def _drafted(self, inquiry: DeskRecord, tenant: DeskRecord) -> DeskRecord:
        """Step 3: the FAQ-grounded draft, as an entry (not yet sent to the customer)."""
        if inquiry.get("drafted_at"):
            found = [e for e in self._repo.entries(inquiry["inquiry_id"]) if _is_draft(e)]
            if found:
                return found[0]
        draft = self._drafter.draft(inquiry, tenant)
        entry = ai_entry(
            draft,
            self._drafter.model_id,
            False,
            entry_id=DRAFT_ENTRY,
            created_at=inquiry["created_at"],
        )
        self._repo.add_entry(inquiry["inquiry_id"], "AI_RESPONSE", entry)
        self._update(
            inquiry,
            {
                "ai_confidence": draft["confidence"],
                "ai_response": draft["answer"],
                "tokens_in": int(draft["usage"].get("input_tokens", 0)),
                "tokens_out": int(draft["usage"].get("output_tokens", 0)),
                "drafted_at": now(),
            },
        )
        return entry

    def _decided(self, inquiry: DeskRecord, draft: DeskRecord | None) -> DeskRecord:
        """Step 4: answer the customer or call a human (once; a moved inquiry stays put)."""
        if inquiry.get("decided_at"):
            return inquiry
        decided = now()
        if inquiry["status"] != "pending":  # a person (or the hand-off) already moved it
            return self._update(inquiry, {"decided_at": decided})
        decision = self._decision(inquiry, draft)
        status = "ai_responded" if decision.action == "auto_answer" else "escalated"
        if status == "ai_responded" and draft is not None:
            self._repo.add_entry(
                inquiry["inquiry_id"], "AI_RESPONSE", {**draft, "sent_to_customer": True}
            )
            fields: DeskRecord = {
                "first_response_at": decided,
                "eta_minutes": 0,
                "estimated_response_time": decided,
            }
        else:
            fields = {"escalated_at": decided, "escalation_reason": decision.reason}
        fields.update(decided_at=decided, decision=decision.explanation)
        move(self._repo, inquiry, status, fields)
        return {**inquiry, **fields, "status": status}

    def _decision(self, inquiry: DeskRecord, draft: DeskRecord | None) -> Decision:
        """Ask the desk's one rule (decision.decide) about the recorded draft."""
        if draft is None:
            return Decision("human", AI_UNAVAILABLE, 0.0, "the AI failed on every attempt")
        tenant = self._tenants.tenant(inquiry["tenant_id"])
        analysis: TextAnalysis = {
            "sentiment": inquiry.get("sentiment") or "NEUTRAL",
            "language": inquiry.get("language") or "ko",
            "scores": {},
        }
        answer: DraftAnswer = {
            "answer": draft["draft"],
            "confidence": float(draft["confidence"]),
            "source": draft.get("source_faq"),
            "usage": {},
        }
        if draft.get("answers_question") is not None:
            answer["answers_question"] = bool(draft["answers_question"])
        policy = DecisionPolicy(
            self._threshold, inquiry["priority"], str(inquiry.get("category") or "general")
        )
        text = f"{inquiry['title']}\n{inquiry['content']}"
        return decide(text, analysis, answer, tenant.get("faq") or [], policy)

    def _notify(self, inquiry: DeskRecord, tenant: DeskRecord, draft: DeskRecord | None) -> None:
        """Step 5: tell staff and the tenant's topic about the new status, each exactly once."""
        inquiry_id, status = inquiry["inquiry_id"], inquiry["status"]
        if status == "escalated":
            text = draft["draft"] if draft else ""
            reason = inquiry.get("escalation_reason") or AI_UNAVAILABLE
            why = str(inquiry.get("decision") or "")
            step = f"escalated:{inquiry['escalated_at']}"
            notices = self._notices
            once(
                self._repo,
                inquiry_id,
                f"{step}:mail",
                lambda: notices.escalation_mail(tenant, inquiry, text, reason, why),
            )
            once(
                self._repo,
                inquiry_id,
                f"{step}:note",
                lambda: notices.escalation_note(tenant, inquiry, text, reason, why),
            )
        elif status == "ai_responded":
            once(
                self._repo,
                inquiry_id,
                f"ai_responded:{inquiry['first_response_at']}:note",
                lambda: self._notices.status_note(tenant, inquiry),
            )


def _is_draft(entry: dict[str, Any]) -> bool:
    return entry.get("entry_id") == DRAFT_ENTRY

"""What the desk tells people: escalation mail and notifications to staff, replies to customers.

Owns the wording of those messages; sending is the Mailer and Notifier ports. An escalation
states its real reason (a code from the decision, the pipeline or the customer) and carries the
AI's draft, so staff start from it. Each message is one effect, so a caller can run each exactly
once (records.once).
"""

from __future__ import annotations

from chalicelib.ports import DeskRecord, Mailer, Notifier

# Reason codes and how staff read them. An unknown string is shown as given.
REASONS = {
    "urgent": "urgent",
    "low_confidence": "low AI confidence",
    "asked_for_human": "the customer asked for a person",
    "ai_unavailable": "AI unavailable",
    "complaint": "complaint",
    "security": "security report",
    "account_specific": "about the customer's own account",
    "not_covered": "not covered by the FAQ",
    "customer_request": "customer request",
}


def reason_text(reason: str) -> str:
    """Return how staff read an escalation reason code."""
    return REASONS.get(reason, reason)


class DeskNotices:
    """Mail and notifications of the desk."""

    def __init__(self, mailer: Mailer, notifier: Notifier) -> None:
        """Send mail with ``mailer`` and notifications with ``notifier``."""
        self._mailer = mailer
        self._notifier = notifier

    def escalation_mail(
        self,
        tenant: DeskRecord,
        inquiry: DeskRecord,
        draft: str,
        reason: str,
        explanation: str = "",
    ) -> None:
        """Mail the tenant's staff that an inquiry needs a human, with the reason and the draft.

        Args:
            tenant: The tenant (its staff mail).
            inquiry: The escalated inquiry.
            draft: The AI's draft ("" when there is none, e.g. the AI was unavailable).
            reason: A reason code (``urgent``, ``low_confidence``, ``asked_for_human``,
                ``ai_unavailable``, ``complaint``, ``security``, ``account_specific``,
                ``not_covered``, ``customer_request``) or a phrase.
            explanation: One sentence on why (the decision's), shown to staff.
        """
        said = reason_text(reason)
        why = f"Why: {explanation}\n" if explanation else ""
        body = (
            f"Inquiry {inquiry['inquiry_id']} needs a human ({said}).\n{why}"
            f"Priority: {inquiry['priority']} ({inquiry['priority_score']}), "
            f"sentiment {inquiry.get('sentiment') or 'unknown'}\n"
            f"From: {inquiry['customer_email']}\nCategory: {inquiry['category']}\n"
            f"Title: {inquiry['title']}\n\n{inquiry['content']}\n\n"
            f"{_draft_heading(inquiry, reason, draft)}\n{draft or '(none)'}"
        )
        self._mailer.send(
            tenant["staff_email"],
            f"[FinQ escalation][{inquiry['priority']}][{said}] {inquiry['title']}",
            body,
        )

    def escalation_note(
        self,
        tenant: DeskRecord,
        inquiry: DeskRecord,
        draft: str,
        reason: str,
        explanation: str = "",
    ) -> None:
        """Publish the escalation (a status change) on the tenant's topic, if it has one."""
        said = reason_text(reason)
        if tenant.get("sns_topic_arn"):
            self._notifier.publish(
                tenant["sns_topic_arn"],
                f"Escalated inquiry ({inquiry['priority']}, {said})",
                {
                    "inquiry_id": inquiry["inquiry_id"],
                    "tenant_id": tenant["tenant_id"],
                    "status": "escalated",
                    "priority": inquiry["priority"],
                    "priority_score": inquiry["priority_score"],
                    "title": inquiry["title"],
                    "reason": said,
                    "reason_code": reason,
                    "explanation": explanation,
                    "ai_draft": draft,
                    "ai_confidence": (
                        None
                        if inquiry.get("ai_confidence") is None
                        else float(inquiry["ai_confidence"])
                    ),
                },
            )

    def escalation(
        self,
        tenant: DeskRecord,
        inquiry: DeskRecord,
        draft: str,
        reason: str,
        explanation: str = "",
    ) -> None:
        """Tell the tenant's staff an inquiry needs a human: mail, and SNS if it has a topic."""
        self.escalation_mail(tenant, inquiry, draft, reason, explanation)
        self.escalation_note(tenant, inquiry, draft, reason, explanation)

    def status_note(self, tenant: DeskRecord, inquiry: DeskRecord) -> None:
        """Publish an inquiry's new status on the tenant's topic, if it has one."""
        if tenant.get("sns_topic_arn"):
            self._notifier.publish(
                tenant["sns_topic_arn"],
                f"Inquiry {inquiry['status']} ({inquiry['priority']})",
                {
                    "inquiry_id": inquiry["inquiry_id"],
                    "tenant_id": tenant["tenant_id"],
                    "status": inquiry["status"],
                    "priority": inquiry["priority"],
                    "title": inquiry["title"],
                },
            )

    def reply(self, tenant: DeskRecord, inquiry: DeskRecord, content: str) -> None:
        """Mail a staff member's answer to the customer."""
        self._mailer.send(
            inquiry["customer_email"], f"[{tenant['name']}] Re: {inquiry['title']}", content
        )


# Reasons that mean the draft's FAQ entry does not answer this question.
_UNANSWERED = {"not_covered", "low_confidence"}


def _draft_heading(inquiry: DeskRecord, reason: str, draft: str) -> str:
    """The draft's heading: its confidence, and a warning when it answers another question."""
    confidence = inquiry.get("ai_confidence")
    if not draft or confidence is None:
        return "--- AI draft ---"
    heading = f"--- AI draft (confidence {float(confidence):.2f}) ---"
    if reason in _UNANSWERED:
        heading += (
            "\nThe closest FAQ answer, which does not answer this question: write the reply"
            " yourself."
        )
    return heading

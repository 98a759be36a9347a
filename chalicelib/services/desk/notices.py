"""What the desk tells people: escalation mail and notifications to staff, replies to customers.

Owns the wording of those messages; sending is the Mailer and Notifier ports. Each message is
one effect, so a caller can run each exactly once (records.once).
"""

from __future__ import annotations

from chalicelib.ports import DeskRecord, Mailer, Notifier


class DeskNotices:
    """Mail and notifications of the desk."""

    def __init__(self, mailer: Mailer, notifier: Notifier) -> None:
        """Send mail with ``mailer`` and notifications with ``notifier``."""
        self._mailer = mailer
        self._notifier = notifier

    def escalation_mail(
        self, tenant: DeskRecord, inquiry: DeskRecord, draft: str, reason: str
    ) -> None:
        """Mail the tenant's staff that an inquiry needs a human, with the AI's draft."""
        body = (
            f"Inquiry {inquiry['inquiry_id']} needs a human ({reason}).\n"
            f"Priority: {inquiry['priority']} ({inquiry['priority_score']}), "
            f"sentiment {inquiry.get('sentiment') or 'unknown'}\n"
            f"From: {inquiry['customer_email']}\nCategory: {inquiry['category']}\n"
            f"Title: {inquiry['title']}\n\n{inquiry['content']}\n\n"
            f"--- AI draft ---\n{draft or '(none)'}"
        )
        self._mailer.send(
            tenant["staff_email"],
            f"[FinQ escalation][{inquiry['priority']}] {inquiry['title']}",
            body,
        )

    def escalation_note(
        self, tenant: DeskRecord, inquiry: DeskRecord, draft: str, reason: str
    ) -> None:
        """Publish the escalation (a status change) on the tenant's topic, if it has one."""
        if tenant.get("sns_topic_arn"):
            self._notifier.publish(
                tenant["sns_topic_arn"],
                f"Escalated inquiry ({inquiry['priority']})",
                {
                    "inquiry_id": inquiry["inquiry_id"],
                    "tenant_id": tenant["tenant_id"],
                    "status": "escalated",
                    "priority": inquiry["priority"],
                    "priority_score": inquiry["priority_score"],
                    "title": inquiry["title"],
                    "reason": reason,
                    "ai_draft": draft,
                },
            )

    def escalation(self, tenant: DeskRecord, inquiry: DeskRecord, draft: str, reason: str) -> None:
        """Tell the tenant's staff an inquiry needs a human: mail, and SNS if it has a topic."""
        self.escalation_mail(tenant, inquiry, draft, reason)
        self.escalation_note(tenant, inquiry, draft, reason)

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

"""What the desk tells people: escalation mail and notification to staff, replies to customers.

Owns the wording of those messages; sending is the Mailer and Notifier ports.
"""

from __future__ import annotations

from chalicelib.ports import DeskRecord, Mailer, Notifier


class DeskNotices:
    """Mail and notifications of the desk."""

    def __init__(self, mailer: Mailer, notifier: Notifier) -> None:
        """Send mail with ``mailer`` and notifications with ``notifier``."""
        self._mailer = mailer
        self._notifier = notifier

    def escalation(self, tenant: DeskRecord, inquiry: DeskRecord, draft: str, reason: str) -> None:
        """Tell the tenant's staff an inquiry needs a human: mail, and SNS if it has a topic."""
        body = (
            f"Inquiry {inquiry['inquiry_id']} needs a human ({reason}).\n"
            f"Priority: {inquiry['priority']} ({inquiry['priority_score']}), "
            f"sentiment {inquiry['sentiment']}\n"
            f"From: {inquiry['customer_email']}\nCategory: {inquiry['category']}\n"
            f"Title: {inquiry['title']}\n\n{inquiry['content']}\n\n"
            f"--- AI draft ---\n{draft or '(none)'}"
        )
        self._mailer.send(
            tenant["staff_email"],
            f"[FinQ escalation][{inquiry['priority']}] {inquiry['title']}",
            body,
        )
        if tenant.get("sns_topic_arn"):
            self._notifier.publish(
                tenant["sns_topic_arn"],
                f"Escalated inquiry ({inquiry['priority']})",
                {
                    "inquiry_id": inquiry["inquiry_id"],
                    "tenant_id": tenant["tenant_id"],
                    "priority": inquiry["priority"],
                    "priority_score": inquiry["priority_score"],
                    "title": inquiry["title"],
                    "reason": reason,
                    "ai_draft": draft,
                },
            )

    def reply(self, tenant: DeskRecord, inquiry: DeskRecord, content: str) -> None:
        """Mail a staff member's answer to the customer."""
        self._mailer.send(
            inquiry["customer_email"], f"[{tenant['name']}] Re: {inquiry['title']}", content
        )

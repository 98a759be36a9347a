"""When a draft goes straight to the customer and when a human answers: one replaceable rule.

Owns the decision only (status and the reason staff are told); the pipeline calls ``decide`` and
acts on it. Replace this function to change when the desk answers automatically.
"""

from __future__ import annotations

from typing import NamedTuple

from chalicelib.ports import DeskRecord

AI_UNAVAILABLE = "AI unavailable"


class Decision(NamedTuple):
    """The inquiry's next status (``ai_responded`` or ``escalated``) and why."""

    status: str
    reason: str


def decide(inquiry: DeskRecord, draft: DeskRecord | None, threshold: float) -> Decision:
    """Return whether the draft answers the customer, or which human reason applies.

    Args:
        inquiry: The triaged inquiry (``priority``, ``category``).
        draft: The recorded draft entry (``confidence``), or None when the AI kept failing.
        threshold: Drafts at least this confident answer the customer.
    """
    if draft is None:
        return Decision("escalated", AI_UNAVAILABLE)
    # Hand-offs from the advisor chat asked for a person; urgent inquiries (angry, urgent,
    # costly) always reach a human, with the draft attached.
    if inquiry["category"] == "advisor_handoff":
        return Decision("escalated", "advisor chat handoff")
    if inquiry["priority"] == "urgent":
        return Decision("escalated", "urgent")
    if float(draft["confidence"]) < threshold:
        return Decision("escalated", "low AI confidence")
    return Decision("ai_responded", "confident FAQ answer")

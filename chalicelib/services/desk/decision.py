"""The desk's one decision: send the AI's draft to the customer, or give the inquiry to a human.

Owns the rule, as a pure function both the submit path and the pipeline's worker call. A draft
goes to the customer only when an FAQ entry answers THIS question; everything a person must
handle goes to a person with the draft attached. Checked in this order (the first that holds is
the reason): asked_for_human, security, complaint, account_specific, urgent, not_covered,
low_confidence. A wrong automatic answer is the worst outcome, so every doubt escalates. The
worker calls it once per inquiry; when the AI failed on every attempt it escalates with
``ai_unavailable`` without asking.

The confidence is the drafter's: the offline drafter's match score (similarity, margin,
coverage, kind of question; chalicelib/offline/drafter.py) or Bedrock's own judgement. It must
reach the tenant's threshold AND the drafter must say the entry answers the question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from chalicelib import desk_rules
from chalicelib.ports import DraftAnswer, TextAnalysis

Action = Literal["auto_answer", "human"]
Reason = Literal[
    "answered",
    "asked_for_human",
    "security",
    "complaint",
    "account_specific",
    "urgent",
    "not_covered",
    "low_confidence",
    "ai_unavailable",
]
HANDOFF_CATEGORY = "advisor_handoff"
AI_UNAVAILABLE: Reason = "ai_unavailable"  # the worker's last attempt failed: a human takes it


@dataclass(frozen=True)
class Decision:
    """What to do with an inquiry, why, how sure the answer is, and a sentence for staff."""

    action: Action
    reason: Reason
    confidence: float
    explanation: str


@dataclass(frozen=True)
class DecisionPolicy:
    """A tenant's settings of the decision."""

    threshold: float = 0.6
    priority: str = "normal"
    category: str = "general"


def decide(
    inquiry_text: str,
    analysis: TextAnalysis,
    draft: DraftAnswer,
    faq: list[dict[str, Any]],
    policy: DecisionPolicy,
) -> Decision:
    """Return whether the draft answers the customer, or why a human must."""
    confidence = float(draft.get("confidence") or 0.0)
    reason = _human_reason(inquiry_text, analysis, policy)
    if reason is not None:
        return Decision("human", reason[0], confidence, reason[1])
    # A drafter that gives no judgement is judged by its confidence alone (below).
    answers = bool(draft.get("answers_question", True))
    if not faq or not draft.get("answer") or not answers:
        return Decision("human", "not_covered", confidence, "no FAQ entry answers this question")
    if confidence < policy.threshold:
        return Decision(
            "human",
            "low_confidence",
            confidence,
            f"the draft's confidence {confidence:.2f} is below {policy.threshold:.2f}",
        )
    return Decision(
        "auto_answer",
        "answered",
        confidence,
        f"FAQ entry {draft.get('source')} answers the question (confidence {confidence:.2f})",
    )


def _human_reason(
    text: str, analysis: TextAnalysis, policy: DecisionPolicy
) -> tuple[Reason, str] | None:
    if policy.category == HANDOFF_CATEGORY:
        return "asked_for_human", "advisor chat handoff: the user asked for a person"
    checks: tuple[tuple[Reason, Any, str], ...] = (
        ("asked_for_human", desk_rules.ASKS_HUMAN, "the customer asks for a person"),
        ("security", desk_rules.SECURITY, "possible unauthorised use or fraud"),
        ("complaint", desk_rules.COMPLAINT, "a complaint needs a person's answer"),
        ("account_specific", desk_rules.ACCOUNT_SPECIFIC, "about this customer's own account"),
    )
    for reason, pattern, why in checks:
        if (found := pattern.search(text)) is not None:
            return reason, f"{why} ({found.group(0).strip()!r})"
    if policy.priority == "urgent":
        return "urgent", f"urgent (sentiment {analysis['sentiment']})"
    return None

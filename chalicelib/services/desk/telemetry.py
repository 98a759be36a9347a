"""The desk's CloudWatch custom metrics (the seed's): what is measured per processed inquiry.

Owns the namespace, dimension and metric names and units; a Metrics port writes them (EMF in
the log). Per tenant, so a tenant's dashboard and alarms read its own figures.
"""

from __future__ import annotations

from chalicelib.ports import DeskRecord, Metrics

NAMESPACE = "FinQ/Desk"


def processed(metrics: Metrics, inquiry: DeskRecord) -> None:
    """Record a decided inquiry: AI token usage, quality score, escalation, auto-answer."""
    values: dict[str, tuple[float, str]] = {
        "PromptTokens": (int(inquiry.get("tokens_in") or 0), "Count"),
        "CompletionTokens": (int(inquiry.get("tokens_out") or 0), "Count"),
        "Escalated": (1 if inquiry["status"] == "escalated" else 0, "Count"),
        "AutoAnswered": (1 if inquiry["status"] == "ai_responded" else 0, "Count"),
    }
    if inquiry.get("ai_confidence") is not None:
        values["ResponseQualityScore"] = (float(inquiry["ai_confidence"]), "None")
    metrics.emit(
        NAMESPACE,
        {"TenantId": str(inquiry["tenant_id"])},
        values,
        {
            "InquiryId": inquiry["inquiry_id"],
            "Priority": inquiry.get("priority"),
            "EscalationReason": inquiry.get("escalation_reason"),
        },
    )


def satisfaction(metrics: Metrics, tenant_id: str, inquiry_id: str, score: int) -> None:
    """Record a customer's satisfaction rating (1-5)."""
    metrics.emit(
        NAMESPACE,
        {"TenantId": tenant_id},
        {"CustomerSatisfaction": (score, "None")},
        {"InquiryId": inquiry_id},
    )

"""Inquiry triage: the priority score and the estimated response time.

Owns the documented formulas (README "Inquiry desk"):

priority score (0-100) = sentiment (negative 30, mixed 20, neutral 10, positive 0)
                       + stated urgency (high 40, medium 20, unstated 10, low 0)
                       + category (outage/security/billing 20, account 10, other 0)
                       + tier (enterprise 20, pro 10, basic 0), capped at 100;
label: urgent >= 70, high >= 45, normal >= 25, else low.

ETA minutes = base by label (urgent 30, high 120, normal 480, low 1440)
            x tier factor (enterprise 0.5, pro 0.75, basic 1.0)
            x (1 + open inquiries in the tenant's queue / 20); 0 once the AI answered.
Sentiment alone is a weak signal, so it never decides the label by itself.
"""

from __future__ import annotations

_SENTIMENT = {"NEGATIVE": 30, "MIXED": 20, "NEUTRAL": 10, "POSITIVE": 0}
_URGENCY = {"high": 40, "medium": 20, None: 10, "low": 0}
_CATEGORY = {"outage": 20, "security": 20, "billing": 20, "account": 10}
_TIER = {"enterprise": 20, "pro": 10, "basic": 0}
_BASE_MINUTES = {"urgent": 30, "high": 120, "normal": 480, "low": 1440}
_TIER_FACTOR = {"enterprise": 0.5, "pro": 0.75, "basic": 1.0}


def priority(sentiment: str, urgency: str | None, category: str, tier: str) -> tuple[int, str]:
    """Return the priority score and its label."""
    score = (
        _SENTIMENT.get(sentiment, 10)
        + _URGENCY.get(urgency, 10)
        + _CATEGORY.get(category, 0)
        + _TIER.get(tier, 0)
    )
    score = min(score, 100)
    label = (
        "urgent" if score >= 70 else "high" if score >= 45 else "normal" if score >= 25 else "low"
    )
    return score, label


def eta_minutes(label: str, tier: str, open_queue: int, answered: bool) -> int:
    """Return the estimated minutes until a human answers (0 when the AI already has)."""
    if answered:
        return 0
    return round(_BASE_MINUTES[label] * _TIER_FACTOR.get(tier, 1.0) * (1 + open_queue / 20))

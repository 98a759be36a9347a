"""Inquiry triage: the priority score and the estimated response time.

Owns the documented formulas (README "Inquiry desk"):

priority score (0-100) = sentiment (negative 25, mixed 15, neutral 5, positive 0)
                       + urgency: stated (high 30, medium 15, unstated or low 0)
                         + cues in the text ("당장", "immediately", "!!", security words) 25
                       + the category's weight (the tenant's own categories, 0-30)
                       + tier (enterprise 15, pro 10, basic 0), capped at 100;
label: urgent >= 70 AND an urgency signal (stated high or a cue), high >= 45, normal >= 25,
else low. Sentiment is one input (Comprehend's or the offline analyzer's); it never makes an
inquiry urgent by itself: a calm question is never urgent, an angry one without urgency is high.

ETA minutes = base by label (urgent 30, high 120, normal 480, low 1440)
            x tier factor (enterprise 0.5, pro 0.75, basic 1.0)
            x (1 + open inquiries in the tenant's queue / 20); 0 once the AI answered.
"""

from __future__ import annotations

from chalicelib import desk_rules

_SENTIMENT = {"NEGATIVE": 25, "MIXED": 15, "NEUTRAL": 5, "POSITIVE": 0}
_URGENCY = {"high": 30, "medium": 15, None: 0, "low": 0}
_CUE = 25
_TIER = {"enterprise": 15, "pro": 10, "basic": 0}
_BASE_MINUTES = {"urgent": 30, "high": 120, "normal": 480, "low": 1440}
_TIER_FACTOR = {"enterprise": 0.5, "pro": 0.75, "basic": 1.0}


def urgency_cue(text: str) -> bool:
    """Tell whether the text itself says it is urgent (or reports fraud, which always is)."""
    return bool(desk_rules.URGENT.search(text) or desk_rules.SECURITY.search(text))


def priority(
    sentiment: str, urgency: str | None, category_weight: int, tier: str, text: str = ""
) -> tuple[int, str]:
    """Return the priority score and its label."""
    cue = urgency_cue(text)
    score = (
        _SENTIMENT.get(sentiment, 5)
        + _URGENCY.get(urgency, 0)
        + (_CUE if cue else 0)
        + max(0, min(category_weight, 30))
        + _TIER.get(tier, 0)
    )
    score = min(score, 100)
    urgent_signal = cue or urgency == "high"
    label = (
        "urgent"
        if score >= 70 and urgent_signal
        else "high"
        if score >= 45
        else "normal"
        if score >= 25
        else "low"
    )
    return score, label


def eta_minutes(label: str, tier: str, open_queue: int, answered: bool) -> int:
    """Return the estimated minutes until a human answers (0 when the AI already has)."""
    if answered:
        return 0
    return round(_BASE_MINUTES[label] * _TIER_FACTOR.get(tier, 1.0) * (1 + open_queue / 20))

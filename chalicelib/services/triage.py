"""Inquiry triage: the priority score and the estimated response time.

Owns the documented formulas (README "Inquiry desk"):

priority score (0-100) = sentiment (negative 25, mixed 15, neutral 5, positive 0)
                       + urgency: stated (high 30, medium 15, unstated or low 0)
                         + cues in the text ("당장", "immediately", "!!", security words) 25
                       + the category's weight (the tenant's own categories, 0-30)
                       + tier (enterprise 15, pro 10, basic 0), capped at 100;
label: urgent >= 70 AND an urgency signal (stated high or a cue), high >= 45 or a complaint
(negative with complaint words), normal >= 25, else low; with two rules before the score:
- a report of fraud or account takeover (security words, desk_rules.SECURITY) is urgent;
- a calm inquiry (neutral or positive sentiment, stated urgency not high, no cue in the text) is
  normal when it asks for a person, reports a problem with the customer's own order, payment or
  account (desk_rules.ASKS_HUMAN, ACCOUNT_SPECIFIC) or states medium urgency, else low: it is
  never high or urgent, whatever the tier and the category's weight (they still order the queue
  through the score).
Sentiment is one input (Comprehend's or the offline analyzer's); it never makes an inquiry
urgent by itself: an angry one without urgency is at most high.

ETA minutes = base by label (urgent 30, high 120, normal 480, low 1440)
            x tier factor (enterprise 0.5, pro 0.75, basic 1.0)
            x (1 + open inquiries in the tenant's queue / 20); 0 once the AI answered.
"""

from __future__ import annotations

from chalicelib import desk_rules

_SENTIMENT = {"NEGATIVE": 25, "MIXED": 15, "NEUTRAL": 5, "POSITIVE": 0}
_URGENCY = {"high": 30, "medium": 15, None: 0, "low": 0}
_CUE = 25
_CALM = ("NEUTRAL", "POSITIVE")
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
    if desk_rules.SECURITY.search(text):
        return score, "urgent"
    if sentiment in _CALM and urgency != "high" and not cue:
        return score, _calm_label(urgency, text)
    urgent_signal = cue or urgency == "high"
    if score >= 70 and urgent_signal:
        return score, "urgent"
    # A complaint in so many words (desk_rules.COMPLAINT) waits no longer than high; negative
    # sentiment alone does not raise it (a calm question misread must not jump the queue).
    if score >= 45 or (sentiment == "NEGATIVE" and desk_rules.COMPLAINT.search(text)):
        return score, "high"
    return score, "normal" if score >= 25 else "low"


def _calm_label(urgency: str | None, text: str) -> str:
    """A calm inquiry waits: normal when a person must act on it, else low."""
    needs_person = desk_rules.ASKS_HUMAN.search(text) or desk_rules.ACCOUNT_SPECIFIC.search(text)
    return "normal" if needs_person or urgency == "medium" else "low"


def eta_minutes(label: str, tier: str, open_queue: int, answered: bool) -> int:
    """Return the estimated minutes until a human answers (0 when the AI already has)."""
    if answered:
        return 0
    return round(_BASE_MINUTES[label] * _TIER_FACTOR.get(tier, 1.0) * (1 + open_queue / 20))

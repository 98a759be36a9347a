"""Desk metrics of a tenant: escalation and AI auto-resolution rates, response time, cost, CSAT.

Owns the figures and their rounding; the token prices come from settings.
"""

from __future__ import annotations

import statistics
from datetime import datetime
from typing import Any

from chalicelib.ports import DeskRecord, InquiryRepository


class DeskMetrics:
    """A tenant's desk figures over a period."""

    def __init__(self, repo: InquiryRepository, price_per_million: tuple[float, float]) -> None:
        """Read inquiries from ``repo``; price tokens at (input, output) USD per million."""
        self._repo = repo
        self._price_in, self._price_out = price_per_million

    def metrics(self, tenant_id: str, since: str | None, until: str | None) -> dict[str, Any]:
        """Return escalation and auto-resolution rates, first-response time, tokens, cost, CSAT."""
        inquiries = self._all(tenant_id, since, until)
        total = len(inquiries)
        escalated = sum(1 for i in inquiries if i.get("escalated_at"))
        auto = sum(
            1
            for i in inquiries
            if not i.get("escalated_at") and i["status"] in ("ai_responded", "resolved")
        )
        waits = [
            (
                datetime.fromisoformat(i["first_response_at"])
                - datetime.fromisoformat(i["created_at"])
            ).total_seconds()
            for i in inquiries
            if i.get("first_response_at")
        ]
        tokens_in = sum(int(i.get("tokens_in", 0)) for i in inquiries)
        tokens_out = sum(int(i.get("tokens_out", 0)) for i in inquiries)
        ratings = [int(i["satisfaction"]) for i in inquiries if i.get("satisfaction")]
        quality = [
            float(i["ai_confidence"]) for i in inquiries if i.get("ai_confidence") is not None
        ]
        return {
            "inquiries": total,
            "escalation_rate": round(escalated / total, 3) if total else None,
            "ai_auto_resolution_rate": round(auto / total, 3) if total else None,
            "median_first_response_seconds": statistics.median(waits) if waits else None,
            "tokens": {"input": tokens_in, "output": tokens_out},
            "cost_usd": round(
                tokens_in / 1e6 * self._price_in + tokens_out / 1e6 * self._price_out, 4
            ),
            "average_ai_quality": round(statistics.mean(quality), 3) if quality else None,
            "csat": round(statistics.mean(ratings), 2) if ratings else None,
            "since": since,
            "until": until,
        }

    def _all(self, tenant_id: str, since: str | None, until: str | None) -> list[DeskRecord]:
        """Return every inquiry of the tenant in the period, following the pages."""
        inquiries: list[DeskRecord] = []
        cursor = None
        while True:
            page, cursor = self._repo.page(tenant_id, 500, cursor, since, until)
            inquiries += page
            if cursor is None:
                return inquiries

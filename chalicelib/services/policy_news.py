"""Policy change monitoring from web news: a saved policy's deadline or terms said to change.

Owns which news counts (the article names the policy and speaks of a change to its deadline or
terms) and how it enters the notification list: as unconfirmed news, once per article and
policy. Off (a no-op) when no news search is configured. Depends on ports only.
"""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING, Any

from chalicelib.errors import UpstreamUnavailable
from chalicelib.ports import NewsItem, NewsSearch, NotificationRepository

if TYPE_CHECKING:
    from chalicelib.services.alerts import PolicyAlerts

_log = logging.getLogger(__name__)
# Words of a change to a deadline or terms; news without one is not an alert.
_CHANGE_WORDS = (
    "연장", "마감", "조기", "변경", "중단", "폐지", "종료", "확대", "축소", "인상", "인하",
    "추가 모집", "추가모집", "재공고", "deadline", "extended", "changed", "suspended",
)  # fmt: skip
MAX_POLICIES = 50  # news calls per check: a bounded cost
RESULTS = 3
DAYS = 7


class PolicyNewsMonitor:
    """Search recent news about saved policies and record what says they changed."""

    def __init__(
        self,
        notifications: NotificationRepository,
        news: NewsSearch | None,
        alerts: PolicyAlerts | None = None,
    ) -> None:
        """Compose from the notification store, the news search (None: off) and the mailer."""
        self._repo = notifications
        self._news = news
        self._alerts = alerts

    def check(self) -> dict[str, Any]:
        """Search news for each saved policy; return ``{"enabled", "searched", "recorded"}``."""
        if self._news is None or not self._news.enabled:
            return {"enabled": False, "searched": 0, "recorded": 0}
        searched = recorded = 0
        for policy in self._repo.saved_policies()[:MAX_POLICIES]:
            try:
                items = self._news.search(
                    f"{policy['name']} 신청 기간 변경", max_results=RESULTS, days=DAYS
                )
            except UpstreamUnavailable:
                _log.warning("news search failed for policy %s; skipped", policy["plcy_no"])
                continue
            searched += 1
            for item in items:
                if says_it_changed(item, policy["name"]):
                    recorded += self._record(policy["plcy_no"], item)
        if recorded and self._alerts is not None:
            self._alerts.deliver()
        return {"enabled": True, "searched": searched, "recorded": recorded}

    def _record(self, plcy_no: str, item: NewsItem) -> int:
        digest = hashlib.sha256(item.url.encode("utf-8")).hexdigest()
        after = {
            "title": item.title[:300],
            "url": item.url,
            "source": item.source[:100],
            "published": item.published.isoformat() if item.published else None,
        }
        record = {
            "plcy_no": plcy_no,
            "source": "news",
            "changes": [{"kind": "news", "before": None, "after": after}],
            "url": item.url,
            "dedupe_key": f"news:{digest}",
            "run_id": None,
        }
        return 1 if self._repo.record_change(record) is not None else 0


def says_it_changed(item: NewsItem, policy_name: str) -> bool:
    """Whether a news item names the policy and speaks of a change to it."""
    text = f"{item.title} {item.snippet}"
    compact = "".join(text.split())
    named = "".join(policy_name.split()) in compact
    return named and any(word in text.lower() for word in _CHANGE_WORDS)

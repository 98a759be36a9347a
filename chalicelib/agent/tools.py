"""Tools the agent nodes call: plain functions over services handed in, never boto3.

Owns what the advisor can look up: which policies a message names (the catalogue's resolver),
one policy's row, policies that fit a need (discovery), the counselling contact, today in KST,
and recent web news (off when no news search is configured).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from chalicelib.clock import today_kst
from chalicelib.policies.names import Candidate
from chalicelib.ports import NewsItem, NewsSearch


class AgentTools:
    """The advisor's tools over the catalogue and discovery."""

    def __init__(
        self,
        resolve: Callable[[str], list[Candidate]],
        policy: Callable[[str], dict[str, Any] | None],
        find_policies: Callable[[str, dict[str, Any], int], list[dict[str, Any]]],
        contact: Callable[[], str | None] = lambda: None,
        today: Callable[[], date] = today_kst,
        news: NewsSearch | None = None,
    ) -> None:
        """Compose from the catalogue's resolver, the policy lookup and discovery's search.

        Args:
            resolve: Message -> the policies it names, best first.
            policy: plcyNo -> the searchable policy's row (None when unknown or withdrawn).
            find_policies: (need, profile, limit) -> fitting policies with verdicts, best first.
            contact: The counselling contact the catalogue states, if any.
            today: Today in KST.
            news: Recent web news; None (or a search that is not ``enabled``) is off.
        """
        self.resolve = resolve
        self.policy = policy
        self._find = find_policies
        self.contact = contact
        self.today = today
        self._news = news

    @property
    def news_enabled(self) -> bool:
        """Whether the advisor can look up web news at all."""
        return self._news is not None and self._news.enabled

    def search_news(self, query: str, max_results: int, days: int | None) -> list[NewsItem]:
        """Return recent news for ``query`` ([] when off; the search itself never raises)."""
        if self._news is None or not self._news.enabled:
            return []
        return self._news.search(query, max_results=max_results, days=days)

    def find_for(self, need: str, profile: dict[str, Any], limit: int = 5) -> list[dict[str, Any]]:
        """Return the rows of the policies that fit ``need``, best first, with their scores."""
        rows = []
        for found in self._find(need, profile, limit):
            row = self.policy(found["plcyNo"])
            if row is not None:
                rows.append({**row, "score": found.get("score", 0.0)})
        return rows

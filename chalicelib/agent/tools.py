"""Tools the agent nodes call: plain functions over services handed in, never boto3.

Owns what a retrieved policy carries into the answer (verdict, documents, how to apply).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class AgentTools:
    """The advisor's tools: policy search with eligibility, policy documents, optional news."""

    def __init__(
        self,
        find_policies: Callable[[str, dict[str, Any], int], list[dict[str, Any]]],
        documents: Callable[[str], list[dict[str, Any]]],
        news: Callable[[str], list[dict[str, str]]] | None = None,
    ) -> None:
        """Compose from discovery's search, the documents lookup and (optional) news search."""
        self._find = find_policies
        self._documents = documents
        self._news = news

    def search_policies(
        self, query: str, criteria: dict[str, Any], limit: int = 3
    ) -> list[dict[str, Any]]:
        """Return the best-fitting open policies with verdicts, documents and how to apply."""
        found = self._find(query, criteria, limit)
        for policy in found:
            policy["documents"] = [d["name"] for d in self._documents(policy["plcyNo"])]
        return found

    def news(self, query: str) -> list[dict[str, str]]:
        """Recent news on the topic (only when a news provider is configured)."""
        return self._news(query) if self._news is not None else []

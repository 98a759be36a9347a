"""Advisor tools over the sample catalogue (data/policies), for the agent's unit tests.

The catalogue's resolver and the policy rows are the real ones; the need search is a small
keyword match standing in for discovery (which needs the vector index: covered functionally).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.agent.tools import AgentTools
from chalicelib.policies.names import NameResolver
from chalicelib.ports import NewsSearch
from tests.unit.advisor_data import catalogue, rows

TODAY = date(2026, 12, 1)


def sample_tools(searched: list[str] | None = None, news: NewsSearch | None = None) -> AgentTools:
    """Tools over the sample policies; ``searched`` collects the need searches made."""
    by_no = {row["plcy_no"]: row for row in rows()}
    resolver = NameResolver(catalogue())

    def find(text: str, profile: dict[str, Any], limit: int) -> list[dict[str, Any]]:
        if searched is not None:
            searched.append(text)
        words = [w for w in text.split() if len(w) >= 2 and w not in ("청년", "지원")]
        found = [
            {"plcyNo": n, "score": 0.9}  # a real match scores ~0.85-0.95 in discovery
            for n, row in sorted(by_no.items())
            if any(w in row["name"] for w in words)
            and (row["nationwide"] or not profile.get("region_code")
                 or profile["region_code"][:2] in (row["province_codes"] or []))
        ]  # fmt: skip
        return found[:limit]

    return AgentTools(
        resolver.resolve, by_no.get, find, lambda: "1811-9876", lambda: TODAY, news=news
    )


def nearest_tools(score: float = 0.85) -> AgentTools:
    """Tools whose need search, like a vector index, always returns its three nearest policies."""
    by_no = {row["plcy_no"]: row for row in rows()}
    resolver = NameResolver(catalogue())
    nearest = sorted(by_no)[:3]

    def find(text: str, profile: dict[str, Any], limit: int) -> list[dict[str, Any]]:
        return [{"plcyNo": n, "score": score} for n in nearest][:limit]

    return AgentTools(resolver.resolve, by_no.get, find, lambda: "1811-9876", lambda: TODAY)

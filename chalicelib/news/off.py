"""The news search when no Tavily key is configured: off, so answers carry no news at all."""

from __future__ import annotations

from chalicelib.ports import NewsItem


class NoNewsSearch:
    """A ports.NewsSearch that is off: it finds nothing and says so by ``enabled``."""

    enabled = False

    def search(
        self, query: str, *, max_results: int = 3, days: int | None = None
    ) -> list[NewsItem]:
        """Return no news."""
        return []

"""Recent web news from Tavily's search API (``POST /search``, ``topic: "news"``), over urllib.

Owns the request (Bearer key header, body fields), the short timeout and turning each result
into a ``NewsItem``. Never raises: every failure is logged (without the key) and gives ``[]``.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from chalicelib.errors import AppError
from chalicelib.ports import NewsItem

_log = logging.getLogger(__name__)
_SNIPPET_CHARS = 240
Fetch = Callable[[urllib.request.Request, float], bytes]


def _post(request: urllib.request.Request, timeout: float) -> bytes:
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - https URL from settings
        return bytes(response.read())


class TavilyNewsSearch:
    """A ports.NewsSearch over Tavily's search endpoint."""

    enabled = True

    def __init__(
        self,
        api_key: Callable[[], str],
        *,
        url: str = "https://api.tavily.com/search",
        timeout: float = 2.5,
        search_depth: str = "basic",
        fetch: Fetch = _post,
    ) -> None:
        """Configure the client.

        Args:
            api_key: Returns the key (``tvly-...``); called on each search until it succeeds
                once (a Secrets Manager read may fail now and work later). Never logged.
            url: The search endpoint (a local fake in tests).
            timeout: Seconds for connecting and for each read; past it the answer has no news.
            search_depth: ``basic`` (one credit, fastest) or ``advanced``.
            fetch: Sends the request and returns the body (injectable for tests).
        """
        self._api_key = api_key
        self._key: str | None = None
        self._url = url
        self._timeout = timeout
        self._depth = search_depth
        self._fetch = fetch

    def search(
        self, query: str, *, max_results: int = 3, days: int | None = None
    ) -> list[NewsItem]:
        """Return up to ``max_results`` news results for ``query``; ``[]`` on any failure."""
        try:
            body = self._fetch(self._request(query, max_results, days), self._timeout)
            results = json.loads(body).get("results") or []
        except AppError as exc:  # the key's secret could not be read
            _log.warning("news search skipped: %s", exc.message)
            return []
        except (OSError, ValueError, AttributeError) as exc:  # URLError, timeout, bad JSON
            _log.warning("news search failed (%s); answering without news", _reason(exc))
            return []
        items = [item for r in results if (item := _item(r)) is not None]
        return items[:max_results]

    def _request(self, query: str, max_results: int, days: int | None) -> urllib.request.Request:
        if self._key is None:
            self._key = self._api_key()
        body: dict[str, Any] = {
            "query": query,
            "topic": "news",
            "search_depth": self._depth,
            "max_results": max_results,
            "include_answer": False,  # Tavily's own summary would be unlabelled claims
            "include_raw_content": False,
        }
        if days is not None:
            body["days"] = days
        return urllib.request.Request(
            self._url,
            data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self._key}",
            },
            method="POST",
        )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}"
    return type(exc).__name__


def _item(result: Any) -> NewsItem | None:
    """One Tavily result as a NewsItem; None when it has no title or no http(s) URL."""
    if not isinstance(result, dict):
        return None
    url, title = str(result.get("url") or ""), " ".join(str(result.get("title") or "").split())
    parts = urllib.parse.urlsplit(url)
    if not title or parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    snippet = " ".join(str(result.get("content") or "").split())
    if len(snippet) > _SNIPPET_CHARS:
        snippet = snippet[: _SNIPPET_CHARS - 1].rstrip() + "…"
    source = parts.hostname.removeprefix("www.")
    return NewsItem(title, url, source, _published(result.get("published_date")), snippet)


def _published(value: Any) -> date | None:
    """The date of Tavily's ``published_date`` (RFC 2822 for news, sometimes ISO 8601)."""
    if not value:
        return None
    text = str(value)
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError):
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None

"""The advisor's policy catalogue: names for resolving mentions, and the counselling contact.

Owns when the catalogue is reloaded: built once per catalogue version (any policy added,
changed or withdrawn, by ingestion in any process), the version being checked at most every
few seconds. Depends on ``ports.DiscoveryQueries`` only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from chalicelib.agent.answers import counselling_contact
from chalicelib.policies.names import Candidate, NameResolver
from chalicelib.ports import DiscoveryQueries


@dataclass(frozen=True)
class _Loaded:
    version: str
    resolver: NameResolver
    contact: str | None


class PolicyCatalogue:
    """Resolve policy names against the current catalogue, reloading it when policies change."""

    def __init__(
        self,
        queries: DiscoveryQueries,
        check_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Read names through ``queries``; check the version at most every ``check_seconds``."""
        self._queries = queries
        self._check_seconds = check_seconds
        self._clock = clock
        self._loaded: _Loaded | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def resolve(self, text: str, limit: int = 3) -> list[Candidate]:
        """Return the policies ``text`` names, best first (empty when none is named)."""
        return self._current().resolver.resolve(text, limit)

    def contact(self) -> str | None:
        """Return the youth policy counselling number as the catalogue states it, if any."""
        return self._current().contact

    def _current(self) -> _Loaded:
        with self._lock:
            now = self._clock()
            if self._loaded is not None and now - self._checked_at < self._check_seconds:
                return self._loaded
            self._checked_at = now
            version = self._queries.catalogue_version()
            if self._loaded is None or self._loaded.version != version:
                rows = self._queries.catalogue()
                resolver = NameResolver(
                    (r["plcy_no"], r["name"], list(r["keywords"] or [])) for r in rows
                )
                self._loaded = _Loaded(version, resolver, counselling_contact(rows))
            return self._loaded

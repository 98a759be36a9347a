"""Rate limits of the desk's public API: requests per hour per API key (by tier) and per IP.

Owns the hourly windows and the tier limits; counters are a RateCounter port. The tenant's read
(with its open-queue count, which a submission's ETA needs) and the two counters are
independent round trips, so they run at once (a submission's latency is
mostly round trips to the store).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from chalicelib.errors import TooManyRequests
from chalicelib.ports import DeskRecord, DeskRepository
from chalicelib.services.desk.tenants import hash_key, with_aliases

KEY_LIMITS = {"basic": 100, "pro": 1000, "enterprise": 10_000}  # requests per hour per key
# Shared by every limiter of the process: three calls per request at most, never nested.
_CALLS = ThreadPoolExecutor(max_workers=6, thread_name_prefix="desk-limits")


class RateLimiter:
    """Count requests per key and per client address in hourly windows."""

    def __init__(
        self,
        repo: DeskRepository,
        *,
        ip_limit: int,
        key_limits: dict[str, int] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Count in ``repo``; ``ip_limit`` and ``key_limits`` (by tier) are per hour."""
        self._repo = repo
        self._ip_limit = ip_limit
        self._key_limits = key_limits or KEY_LIMITS
        self._clock = clock

    def check_rate(self, tenant_id: str, api_key: str, client_ip: str) -> DeskRecord | None:
        """Count the request per key (by tier) and per IP; 429 with Retry-After over a limit.

        Every request counts against its address, refused ones included (a client hammering
        with a spent key is still hammering).

        Returns the tenant record it read for the tier, with its open-queue count
        (``open_inquiries``; None when there is no tenant), so the request need not read either
        again.
        """
        now = int(self._clock())
        window = now - now % 3600
        retry = window + 3600 - now
        read = _CALLS.submit(self._repo.tenant_with_queue, tenant_id)
        key_hits = _CALLS.submit(
            self._repo.count_hit, f"KEY#{hash_key(api_key)[:16]}", window, window + 7200
        )
        ip_hits = _CALLS.submit(self._repo.count_hit, f"IP#{client_ip}", window, window + 7200)
        tenant, key_count, ip_count = read.result(), key_hits.result(), ip_hits.result()
        key_limit = self._key_limits.get(with_aliases(tenant or {})["subscription_tier"], 100)
        if key_count > key_limit:
            raise TooManyRequests(
                f"this API key's limit of {key_limit} requests per hour is reached",
                retry_after=retry,
            )
        if ip_count > self._ip_limit:
            raise TooManyRequests(
                f"the limit of {self._ip_limit} requests per hour from one address is reached",
                retry_after=retry,
            )
        return tenant

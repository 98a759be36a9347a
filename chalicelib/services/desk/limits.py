"""Who may call the desk's public API, and how often: API keys and the hourly rate limits.

Owns the key check, the hourly windows and the tier limits (requests per hour per API key, by
tier, and per client address); counters are a RateCounter port. A submission's latency is mostly
round trips to the store, so the independent ones run at once: the tenant's read (with its
open-queue count, which a submission's ETA needs) and the two counters, and, for a key that names
its tenant (``fq_<tenant>.<secret>``), the key's own lookup too. A key that names no tenant is
looked up first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from chalicelib.errors import TooManyRequests, Unauthenticated
from chalicelib.ports import DeskRecord, DeskRepository
from chalicelib.services.desk.tenants import hash_key, tenant_named_by, with_aliases

KEY_LIMITS = {"basic": 100, "pro": 1000, "enterprise": 10_000}  # requests per hour per key
# Shared by every limiter of the process: four calls per request at most, never nested.
_CALLS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="desk-limits")


def _refused() -> Unauthenticated:
    return Unauthenticated("a valid x-api-key header is required", code="invalid_api_key")


class RateLimiter:
    """Check API keys and count requests per key and per client address in hourly windows."""

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

    def admit(self, api_key: str | None, client_ip: str) -> tuple[str, DeskRecord | None]:
        """Return the tenant of ``api_key`` and its record, after counting the request.

        401 ``invalid_api_key`` for a missing, unknown or revoked key (what a key names is only
        a hint: the stored hash decides, and a key naming another tenant is unknown); 429 over
        a limit. The record carries the open-queue count (``open_inquiries``); None when the
        tenant is gone.
        """
        if not api_key:
            raise _refused()
        named = tenant_named_by(api_key)
        if named is None:
            owner = self._repo.tenant_of_key(hash_key(api_key))
            if owner is None:
                raise _refused()
            return owner, self.check_rate(owner, api_key, client_ip)
        looked_up = _CALLS.submit(self._repo.tenant_of_key, hash_key(api_key))
        counted = self._count(named, api_key, client_ip)
        if looked_up.result() != named:
            for call in counted:
                call.exception()  # let the reads finish; their failures are not this 401's
            raise _refused()
        return named, self._judge(*counted)

    def check_rate(self, tenant_id: str, api_key: str, client_ip: str) -> DeskRecord | None:
        """Count the request per key (by tier) and per IP; 429 with Retry-After over a limit.

        Every request counts against its address, refused ones included (a client hammering
        with a spent key is still hammering). Returns the tenant record read for the tier, with
        its open-queue count (None when there is no tenant).
        """
        return self._judge(*self._count(tenant_id, api_key, client_ip))

    def _count(
        self, tenant_id: str, api_key: str, client_ip: str
    ) -> tuple[Future[DeskRecord | None], Future[int], Future[int]]:
        window = self._window()
        expires = window + 7200
        return (
            _CALLS.submit(self._repo.tenant_with_queue, tenant_id),
            _CALLS.submit(self._repo.count_hit, f"KEY#{hash_key(api_key)[:16]}", window, expires),
            _CALLS.submit(self._repo.count_hit, f"IP#{client_ip}", window, expires),
        )

    def _judge(
        self, read: Future[DeskRecord | None], key_hits: Future[int], ip_hits: Future[int]
    ) -> DeskRecord | None:
        tenant, key_count, ip_count = read.result(), key_hits.result(), ip_hits.result()
        retry = self._window() + 3600 - int(self._clock())
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

    def _window(self) -> int:
        now = int(self._clock())
        return now - now % 3600

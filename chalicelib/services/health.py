"""Dependency health: probe each store concurrently, with a deadline, and report per part.

Owns the report's shape. The probes themselves are callables handed in by providers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

_log = logging.getLogger(__name__)

Probe = Callable[[], object]
"""A call that raises when its dependency is down; a dict it returns is added to the report."""


class HealthService:
    """Run named probes in parallel and summarize which dependencies are up."""

    def __init__(self, probes: Mapping[str, Probe], timeout_seconds: float = 3.0) -> None:
        """Create the service.

        Args:
            probes: Dependency name -> a call that raises when the dependency is down.
            timeout_seconds: Deadline for all probes together.
        """
        self._probes = dict(probes)
        self._timeout = timeout_seconds

    def check(self) -> dict[str, Any]:
        """Return ``{"status": "ok"|"degraded", "dependencies": {name: {...}}}``."""
        report: dict[str, dict[str, object]] = {}
        pool = ThreadPoolExecutor(max_workers=max(len(self._probes), 1))
        try:
            started = time.perf_counter()
            futures = {name: pool.submit(_timed, probe) for name, probe in self._probes.items()}
            for name, future in futures.items():
                remaining = max(self._timeout - (time.perf_counter() - started), 0.01)
                try:
                    elapsed_ms, details = future.result(timeout=remaining)
                    report[name] = {"status": "up", **details, "latency_ms": elapsed_ms}
                except FutureTimeout:
                    report[name] = {"status": "down", "error": "timed out"}
                except Exception as exc:  # noqa: BLE001 - a probe's failure is the finding
                    _log.warning("health probe %s failed: %s", name, exc)
                    report[name] = {"status": "down", "error": type(exc).__name__}
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        healthy = all(part["status"] == "up" for part in report.values())
        return {"status": "ok" if healthy else "degraded", "dependencies": report}


def _timed(probe: Probe) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    result = probe()
    # A probe may report more than up/down by returning a dict with a "status" (which wins);
    # any other return value (an SDK's response) is not part of the report.
    details = dict(result) if isinstance(result, dict) and "status" in result else {}
    return round((time.perf_counter() - started) * 1000, 2), details

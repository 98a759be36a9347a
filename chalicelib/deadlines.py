"""Lambda time limits: when long work (ingestion) must stop at a checkpoint.

Tiny on purpose: app.py imports it at module level, so it imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

StopCheck = Callable[[], bool]
# Stop this long before the deadline (at most), leaving time to record the checkpoint and
# queue the continuation; a short-lived invocation keeps a fifth of its time instead.
MARGIN_MS = 120_000
MARGIN_SHARE = 0.2


def stop_before_timeout(context: Any, margin_ms: int = MARGIN_MS) -> StopCheck:
    """Return a check that turns True when a Lambda invocation is near its time limit.

    Without a Lambda context (local runner, CLI) the check is always False.
    """
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if remaining is None:
        return lambda: False
    margin = min(margin_ms, remaining() * MARGIN_SHARE)
    return lambda: remaining() < margin

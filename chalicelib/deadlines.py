"""Lambda time limits: when long work (ingestion) must stop at a checkpoint.

Tiny on purpose: app.py imports it at module level, so it imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

StopCheck = Callable[[], bool]
# Stop this long before the deadline, leaving time to record the checkpoint and continue.
MARGIN_MS = 120_000


def stop_before_timeout(context: Any, margin_ms: int = MARGIN_MS) -> StopCheck:
    """Return a check that turns True when a Lambda invocation is near its time limit.

    Without a Lambda context (local runner, CLI) the check is always False.
    """
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if remaining is None:
        return lambda: False
    return lambda: remaining() < margin_ms

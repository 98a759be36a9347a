"""Logs and traces in AWS: Powertools' JSON log lines with the request id, and X-Ray tracing.

Owns how log records are formatted in aws mode and the per-invocation log keys. Locally it
changes nothing (plain log lines, no tracer). Powertools' logging is imported only in aws mode
and its Tracer (with the X-Ray SDK) only at the first invocation, so ``import app`` stays cheap.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from typing import Any

SERVICE = "finq"
_state: dict[str, Any] = {"formatter": None, "tracer": None, "cold_start": True}


def structured_logs(level: str = "INFO") -> None:
    """Format every log record as one JSON object (Powertools' Lambda formatter), at ``level``.

    The formatter goes on the root logger's handler (Lambda's own, or stdout), so the app's
    logger and every ``chalicelib`` module logger, all propagating to the root, log JSON.
    """
    from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

    formatter = LambdaPowertoolsFormatter(service=SERVICE, utc=True)
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler(sys.stdout))
    for handler in root.handlers:
        handler.setFormatter(formatter)
    root.setLevel(level.upper())
    _state["formatter"] = formatter


@contextlib.contextmanager
def invocation(context: Any) -> Iterator[None]:
    """Tag the log lines of one Lambda invocation with its request id (aws mode only)."""
    formatter = _state["formatter"]
    if formatter is None or context is None:
        yield
        return
    _start_tracer()
    formatter.append_keys(
        function_request_id=getattr(context, "aws_request_id", None),
        function_name=getattr(context, "function_name", None),
        cold_start=_state["cold_start"],
    )
    _state["cold_start"] = False
    try:
        yield
    finally:
        formatter.remove_keys(["function_request_id", "function_name", "cold_start"])


def _start_tracer() -> None:
    """Create Powertools' Tracer once; it patches botocore so each AWS call is a subsegment.

    At the first invocation, not at import: the X-Ray SDK builds a botocore client when it is
    imported (~0.5 s measured here). Off when ``POWERTOOLS_TRACE_DISABLED`` is true and outside
    Lambda (Powertools' own rules); Lambda's active tracing records each function either way.
    """
    if _state["tracer"] is not None or os.environ.get("POWERTOOLS_TRACE_DISABLED") == "true":
        return
    from aws_lambda_powertools import Tracer

    _state["tracer"] = Tracer(service=SERVICE, patch_modules=["botocore"])


def lambda_context(event: Any) -> Any:
    """Return the Lambda context of a Chalice middleware event (REST request or other event)."""
    return getattr(event, "lambda_context", None) or getattr(event, "context", None)

"""Asynchronous Lambda invocation, used to continue long work in a fresh invocation.

Wraps a ``lambda`` client it is given.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import UpstreamUnavailable


class LambdaInvoker:
    """Invoke one function asynchronously (``InvocationType=Event``)."""

    def __init__(self, client: Any, function_name: str) -> None:
        """Wrap a ready ``lambda`` client for ``function_name``."""
        self._client = client
        self._function = function_name

    def invoke_async(self, payload: dict[str, Any]) -> None:
        """Queue an invocation with ``payload``; Lambda retries it on failure."""
        try:
            self._client.invoke(
                FunctionName=self._function,
                InvocationType="Event",
                Payload=json.dumps(payload).encode("utf-8"),
            )
        except ClientError as exc:
            raise UpstreamUnavailable(f"could not invoke {self._function}") from exc

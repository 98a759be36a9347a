"""CloudWatch custom metrics in the embedded metric format (EMF): one JSON line per record.

Owns the EMF document (``_aws.CloudWatchMetrics``). In Lambda, CloudWatch Logs turns each line
into metrics; locally the lines land in the log. Writes straight to stdout (not through
``logging``), since Lambda's log formatter would prefix the line and CloudWatch would no longer
parse it. No AWS call, no SDK: Powertools' Metrics does the same and is not a dependency.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any


def _stdout(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class EmfMetrics:
    """The Metrics port as EMF log lines."""

    def __init__(
        self,
        write: Callable[[str], None] = _stdout,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Write each document with ``write`` (stdout by default), stamped by ``clock``."""
        self._write = write
        self._clock = clock

    def emit(
        self,
        namespace: str,
        dimensions: dict[str, str],
        values: dict[str, tuple[float, str]],
        properties: dict[str, Any] | None = None,
    ) -> None:
        """Write one EMF document: ``values`` (name -> (value, unit)) under ``dimensions``."""
        document = {
            "_aws": {
                "Timestamp": int(self._clock() * 1000),
                "CloudWatchMetrics": [
                    {
                        "Namespace": namespace,
                        "Dimensions": [sorted(dimensions)],
                        "Metrics": [{"Name": n, "Unit": u} for n, (_, u) in values.items()],
                    }
                ],
            },
            **(properties or {}),
            **dimensions,
            **{name: value for name, (value, _) in values.items()},
        }
        self._write(json.dumps(document, ensure_ascii=False, separators=(",", ":")))

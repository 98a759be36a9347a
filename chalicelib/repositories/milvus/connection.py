"""Milvus connection: one lazily created client per process, reached by URI.

Locally that is Milvus Lite's server, in AWS Milvus or Zilliz.

Owns client creation and its timeout; pymilvus is imported here only, on first use, because it
costs ~0.9 s of cold start.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from chalicelib.errors import register_upstream_check

_log = logging.getLogger(__name__)


class MilvusConnection:
    """A lazily opened Milvus client shared by the process."""

    def __init__(self, uri: str, token: str | None = None, timeout: float = 5.0) -> None:
        """Remember where Milvus is; nothing connects until ``client()`` is first called."""
        self._uri = uri
        self._token = token
        self._timeout = timeout
        self._client: Any = None
        self._lock = threading.Lock()

    @property
    def uri(self) -> str:
        """The Milvus URI (safe to show: tokens are kept apart)."""
        return self._uri

    def client(self) -> Any:
        """Return the connected ``pymilvus.MilvusClient``."""
        with self._lock:
            if self._client is None:
                from pymilvus import MilvusClient

                kwargs: dict[str, Any] = {
                    "uri": self._uri,
                    "timeout": self._timeout,
                    # pymilvus pings every 10 s even when idle; gRPC servers allow one ping per
                    # 5 minutes without traffic and answer more with GOAWAY "too_many_pings",
                    # failing the next call. Ping only while a call is in flight.
                    "grpc_options": {"grpc.keepalive_permit_without_calls": False},
                }
                if self._token:
                    kwargs["token"] = self._token
                self._client = MilvusClient(**kwargs)
            return self._client

    def ping(self) -> list[str]:
        """Return the collection names (proves the server answers)."""
        return list(self.client().list_collections(timeout=self._timeout))

    def is_open(self) -> bool:
        """True while a client is connected (``close`` forgets it)."""
        return self._client is not None

    def close(self) -> None:
        """Close the client's gRPC channel (tests and shutdown; a later call reopens it).

        Every open client keeps pinging the server; leaked clients make Milvus answer
        ``GOAWAY too_many_pings`` and drop connections.
        """
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            try:
                client.close()
            except Exception as exc:  # noqa: BLE001 - closing a dead channel is not an error
                _log.debug("closing the Milvus client failed: %s", exc)


def is_not_loaded(exc: BaseException) -> bool:
    """True when Milvus refused because the collection is not loaded (released, restarted).

    Milvus answers code 101 ("collection not loaded"); Milvus Lite says the collection "is in
    state 'released'", a real Milvus "collection not loaded".
    """
    text = str(exc).lower()
    return getattr(exc, "code", None) == 101 or "not loaded" in text or "released" in text


def is_milvus_failure(exc: BaseException) -> bool:
    """True for pymilvus and gRPC errors (Milvus down, timed out, refusing)."""
    module = type(exc).__module__ or ""
    return module.startswith(("pymilvus", "grpc"))


register_upstream_check(is_milvus_failure)

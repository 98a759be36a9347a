"""Milvus connection: one lazily created client per process, reached by URI.

Locally that is Milvus Lite's server, in AWS Milvus or Zilliz.

Owns client creation and its timeout; pymilvus is imported here only, on first use, because it
costs ~0.9 s of cold start.
"""

from __future__ import annotations

import threading
from typing import Any


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

                kwargs: dict[str, Any] = {"uri": self._uri, "timeout": self._timeout}
                if self._token:
                    kwargs["token"] = self._token
                self._client = MilvusClient(**kwargs)
            return self._client

    def ping(self) -> list[str]:
        """Return the collection names (proves the server answers)."""
        return list(self.client().list_collections(timeout=self._timeout))

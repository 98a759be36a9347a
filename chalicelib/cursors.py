"""Signed pagination cursors: opaque to clients, and any edit is refused as a 400.

Owns the cursor wire format (``base64url(json).base64url(hmac-sha256)``) and its checks. It
knows nothing of what a position means: each repository validates the payload's fields.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

from chalicelib.errors import InvalidInput

_MAX_LENGTH = 1024  # the query model caps ``next`` at this length too


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _malformed(reason: str = "the next cursor is malformed") -> InvalidInput:
    return InvalidInput(reason, code="invalid_cursor")


class SignedCursors:
    """Encode and verify cursors with an HMAC key held only by the server."""

    def __init__(self, key: bytes) -> None:
        """Keep the signing key (a per-deployment secret)."""
        if not key:
            raise ValueError("a cursor signing key is required")
        self._key = key

    def _mac(self, body: str) -> str:
        return _b64(hmac.new(self._key, body.encode("ascii"), hashlib.sha256).digest())

    def encode(self, payload: dict[str, str]) -> str:
        """Sign a flat payload of strings into a URL-safe cursor."""
        body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
        return f"{body}.{self._mac(body)}"

    def decode(self, cursor: str, fields: frozenset[str]) -> dict[str, str]:
        """Verify a cursor's signature and shape; return its payload.

        Args:
            cursor: What the client sent back.
            fields: The exact keys the payload must have (all string-valued).

        Raises:
            InvalidInput: ``invalid_cursor`` for anything not signed by this server or not
                shaped as expected.
        """
        body, dot, mac = cursor.partition(".")
        if len(cursor) > _MAX_LENGTH or not dot or not body.isascii() or not mac.isascii():
            raise _malformed()
        if not hmac.compare_digest(mac, self._mac(body)):
            raise _malformed()
        try:
            payload: Any = json.loads(_unb64(body))
        except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
            raise _malformed() from exc
        if (
            not isinstance(payload, dict)
            or set(payload) != fields
            or not all(isinstance(v, str) for v in payload.values())
        ):
            raise _malformed()
        return payload

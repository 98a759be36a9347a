"""Domain errors raised below app.py; app.py maps them to HTTP responses.

Owns the exception tree and each error's HTTP status and machine-readable code.
Imports nothing from Chalice, so services and repositories stay framework-free::

    AppError (500 internal_error)
    ├── InvalidInput (400 invalid_input)
    │   └── PayloadTooLarge (413 payload_too_large)
    ├── Unauthenticated (401 unauthorized)
    ├── Forbidden (403 forbidden)
    ├── NotFound (404 not_found)
    ├── Conflict (409 conflict)
    ├── TooManyRequests (429 rate_limited)
    ├── UpstreamUnavailable (503 upstream_unavailable)
    └── ConfigurationError (500 configuration_error)
    ConnectionGone (apart: a WebSocket client went away; senders raise it, nobody sees it)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class AppError(Exception):
    """Root of FinQ's errors: carries an HTTP status, a stable code and a safe message."""

    status: int = 500
    code: str = "internal_error"

    def __init__(
        self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None
    ) -> None:
        """Create an error whose message is safe to show to the caller.

        Args:
            message: Human-readable explanation; never include secrets or other users' data.
            code: Overrides the class's machine-readable code (e.g. ``malformed_json``).
            details: Extra JSON-safe context, such as the offending field names.
        """
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details or {}

    def to_body(self) -> dict[str, Any]:
        """Return the JSON error body every 4xx/5xx response uses."""
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            error["details"] = self.details
        return {"error": error}


class InvalidInput(AppError):
    """The request is malformed or fails validation."""

    status = 400
    code = "invalid_input"


class PayloadTooLarge(InvalidInput):
    """The request body exceeds the configured size limit."""

    status = 413
    code = "payload_too_large"


class Unauthenticated(AppError):
    """The caller presented no valid identity (missing, expired or forged token)."""

    status = 401
    code = "unauthorized"


class Forbidden(AppError):
    """The caller is known but may not do this."""

    status = 403
    code = "forbidden"


class NotFound(AppError):
    """The resource does not exist, or is not the caller's to see."""

    status = 404
    code = "not_found"


class Conflict(AppError):
    """The request conflicts with the current state (duplicate, illegal transition)."""

    status = 409
    code = "conflict"


class TooManyRequests(AppError):
    """The caller is over a rate limit or budget."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        """Create a rate-limit error.

        Args:
            message: Human-readable explanation.
            retry_after: Seconds after which a retry may succeed (sent as ``Retry-After``).
            code: Overrides the machine-readable code.
        """
        super().__init__(message, code=code)
        self.retry_after = retry_after


class UpstreamUnavailable(AppError):
    """A dependency (database, vector store, AWS service) did not answer."""

    status = 503
    code = "upstream_unavailable"


class ConfigurationError(AppError):
    """Settings are missing or inconsistent; raised at start-up, never for user input."""

    status = 500
    code = "configuration_error"


_UPSTREAM_CHECKS: list[Callable[[BaseException], bool]] = []


def register_upstream_check(check: Callable[[BaseException], bool]) -> None:
    """Teach ``as_app_error`` a kind of dependency failure (adapters register theirs).

    Adapters own the knowledge of their SDK's exceptions (botocore, pymilvus); this module
    stays free of them.
    """
    if check not in _UPSTREAM_CHECKS:
        _UPSTREAM_CHECKS.append(check)


def as_app_error(exc: BaseException) -> AppError:
    """Return ``exc`` as an AppError: a dependency failure is a 503, anything else a 500.

    The message never includes the original exception's text, which may name hosts or data.
    """
    if isinstance(exc, AppError):
        return exc
    if any(check(exc) for check in _UPSTREAM_CHECKS):
        return UpstreamUnavailable("a service FinQ depends on is unavailable; try again shortly")
    return AppError("an internal error occurred")


class ConnectionGone(Exception):
    """A WebSocket client disconnected; stop sending to it (not an AppError: nobody to tell)."""

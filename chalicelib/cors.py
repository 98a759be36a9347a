"""Cross-origin access for browser clients: which origins may call the REST API, and the headers.

Owns the CORS headers of every response and preflight (bearer tokens and API keys, never
cookies: no ``Access-Control-Allow-Credentials``). No Chalice import: app.py applies them.
"""

from __future__ import annotations

from dataclasses import dataclass

# What browser clients send: FinQ's own headers plus those API Gateway's CORS always allows.
ALLOW_HEADERS = (
    "Authorization",
    "Content-Type",
    "Idempotency-Key",
    "X-Amz-Date",
    "X-Amz-Security-Token",
    "X-Api-Key",
)
EXPOSE_HEADERS = ("Retry-After",)
# Browsers cache a preflight this long (Chromium caps it at 7200 s, Firefox at 86400 s).
MAX_AGE_SECONDS = 600


@dataclass(frozen=True)
class CorsPolicy:
    """The origins allowed to call the API: ``("*",)`` (any) or a list of web origins.

    One origin (or ``*``) is static: API Gateway's generated preflight can answer it. Several
    are answered per request by echoing the caller's ``Origin`` when listed (`echoes`).
    """

    origins: tuple[str, ...]

    @property
    def echoes(self) -> bool:
        """True when the answer depends on the request's ``Origin`` (several origins)."""
        return len(self.origins) > 1

    @property
    def static_origin(self) -> str:
        """The one ``Access-Control-Allow-Origin`` value when the policy is static."""
        return self.origins[0]

    def allowed_origin(self, origin: str | None) -> str | None:
        """Return the ``Access-Control-Allow-Origin`` value for a request from ``origin``."""
        if not self.echoes:
            return self.static_origin
        return origin if origin in self.origins else None

    def response_headers(self, origin: str | None) -> dict[str, str]:
        """Return the CORS headers of a response to a request from ``origin``."""
        headers = {"Access-Control-Expose-Headers": ",".join(EXPOSE_HEADERS)}
        if self.echoes:
            headers["Vary"] = "Origin"  # caches must not serve one origin's answer to another
        allowed = self.allowed_origin(origin)
        if allowed is not None:
            headers["Access-Control-Allow-Origin"] = allowed
            headers["Access-Control-Allow-Headers"] = ",".join(ALLOW_HEADERS)
        return headers

    def preflight_headers(self, origin: str | None, methods: list[str]) -> dict[str, str]:
        """Return the headers of the answer to a preflight (``OPTIONS``) for ``methods``."""
        headers = self.response_headers(origin)
        if "Access-Control-Allow-Origin" in headers:
            headers["Access-Control-Allow-Methods"] = ",".join(sorted({*methods, "OPTIONS"}))
            headers["Access-Control-Max-Age"] = str(MAX_AGE_SECONDS)
        return headers

"""Caller identity: verify Cognito JWTs ourselves and read the claims FinQ needs.

Owns the RS256 check against the pool's JWKS (cached), expiry, issuer, token use and client,
and refuses tokens of deleted accounts (a Cognito ID token stays valid for up to an hour).
API Gateway's authorizer checks tokens in AWS, but ``chalice local`` and the test client admit
anything, so this check runs in both modes. It must never log a token.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jwt
from jwt import PyJWK

from chalicelib.errors import Unauthenticated, UpstreamUnavailable

JwksFetcher = Callable[[], Mapping[str, Any]]
IsDeleted = Callable[[str], bool]


@dataclass(frozen=True)
class Identity:
    """The verified caller of a request."""

    sub: str
    email: str
    username: str
    groups: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """Return the identity as JSON-safe data."""
        return {
            "sub": self.sub,
            "email": self.email,
            "username": self.username,
            "groups": list(self.groups),
        }


class AccountDeleted(Unauthenticated):
    """A valid token of an account that has been deleted."""

    code = "account_deleted"

    def __init__(self, identity: Identity) -> None:
        """Carry the deleted caller, so log-in can finish an interrupted deletion."""
        super().__init__("this account has been deleted")
        self.identity = identity


def http_jwks_fetcher(url: str, timeout: float = 5.0) -> JwksFetcher:
    """Return a fetcher that downloads a JWKS document from ``url``."""

    def fetch() -> Mapping[str, Any]:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
                return json.loads(response.read())
        except (OSError, ValueError) as exc:
            raise UpstreamUnavailable(
                "the identity provider's signing keys are unavailable"
            ) from exc

    return fetch


class CognitoTokenVerifier:
    """Verify Cognito ID tokens (RS256) for one user pool and one app client."""

    def __init__(
        self,
        *,
        issuer: str,
        client_id: str,
        fetch_jwks: JwksFetcher,
        cache_seconds: int = 3600,
        leeway_seconds: int = 30,
        clock: Callable[[], float] = time.time,
        is_deleted: IsDeleted | None = None,
    ) -> None:
        """Create a verifier.

        Args:
            issuer: Expected ``iss``: ``https://cognito-idp.<region>.amazonaws.com/<pool id>``.
            client_id: The app client the token must have been issued to (``aud``).
            fetch_jwks: Returns the pool's JWKS; called once per cache period, or on an
                unknown key id (key rotation).
            cache_seconds: How long fetched keys are trusted before a refetch.
            leeway_seconds: Clock skew tolerated on ``exp``/``iat``.
            clock: Time source, injectable for tests.
            is_deleted: Whether a subject belongs to a deleted account (one indexed lookup
                per call); None trusts every subject.
        """
        self._issuer = issuer
        self._client_id = client_id
        self._fetch_jwks = fetch_jwks
        self._cache_seconds = cache_seconds
        self._leeway = leeway_seconds
        self._clock = clock
        self._keys: dict[str, PyJWK] = {}
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()
        self._is_deleted = is_deleted

    def verify(self, token: str | None) -> Identity:
        """Return the identity in a valid ID token; raise Unauthenticated otherwise."""
        if not token:
            raise Unauthenticated("a bearer token is required")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthenticated("the token is malformed") from exc
        if header.get("alg") != "RS256":
            raise Unauthenticated("the token is not signed with RS256")
        key = self._key(str(header.get("kid", "")))
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=["RS256"],
                audience=self._client_id,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "iss", "sub", "aud", "token_use"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthenticated("the token has expired", code="token_expired") from exc
        except jwt.PyJWTError as exc:
            raise Unauthenticated("the token is not valid for this service") from exc
        if claims.get("token_use") != "id":
            raise Unauthenticated("an ID token is required")
        identity = Identity(
            sub=str(claims["sub"]),
            email=str(claims.get("email", "")),
            username=str(claims.get("cognito:username", claims["sub"])),
            groups=tuple(claims.get("cognito:groups") or ()),
        )
        if self._is_deleted is not None and self._is_deleted(identity.sub):
            raise AccountDeleted(identity)
        return identity

    def _key(self, kid: str) -> PyJWK:
        with self._lock:
            now = self._clock()
            stale = now - self._fetched_at > self._cache_seconds
            if stale or kid not in self._keys:
                # An unknown kid may mean the pool rotated keys; refetch at most once a minute
                # so a flood of forged kids cannot hammer the JWKS endpoint.
                if stale or now - self._fetched_at > 60:
                    self._keys = _parse_jwks(self._fetch_jwks())
                    self._fetched_at = now
            key = self._keys.get(kid)
        if key is None:
            raise Unauthenticated("the token was signed by an unknown key")
        return key


def _parse_jwks(document: Mapping[str, Any]) -> dict[str, PyJWK]:
    keys: dict[str, PyJWK] = {}
    for entry in document.get("keys", []):
        if entry.get("kty") == "RSA" and entry.get("kid"):
            keys[str(entry["kid"])] = PyJWK(dict(entry), algorithm="RS256")
    return keys


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """Return the token of an ``Authorization: Bearer`` header, or None."""
    value = headers.get("authorization") or headers.get("Authorization") or ""
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()

"""CognitoTokenVerifier with a key pair of our own: caching, rotation, claims."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from chalicelib.auth import CognitoTokenVerifier, bearer_token
from chalicelib.errors import Unauthenticated

ISSUER = "https://cognito-idp.ap-northeast-2.amazonaws.com/ap-northeast-2_pool"


def _key_pair(kid: str) -> tuple[object, dict]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    return private, {**public, "kid": kid, "alg": "RS256", "use": "sig"}


def _token(private, kid: str, **overrides) -> str:
    now = int(time.time())
    claims = {
        "sub": "user-1",
        "email": "a@b.co",
        "aud": "client-1",
        "iss": ISSUER,
        "token_use": "id",
        "iat": now,
        "exp": now + 600,
        "cognito:groups": ["platform-admins"],
        **overrides,
    }
    return jwt.encode(claims, private, algorithm="RS256", headers={"kid": kid})


class _Jwks:
    """A JWKS source whose keys a test can rotate; it records how often it was read."""

    def __init__(self, *keys: dict) -> None:
        self.keys = list(keys)
        self.fetches = 0

    def __call__(self) -> dict:
        self.fetches += 1
        return {"keys": self.keys}


def test_valid_token_yields_identity_with_groups():
    private, public = _key_pair("k1")
    verifier = CognitoTokenVerifier(issuer=ISSUER, client_id="client-1", fetch_jwks=_Jwks(public))
    identity = verifier.verify(_token(private, "k1"))
    assert (identity.sub, identity.email, identity.groups) == (
        "user-1",
        "a@b.co",
        ("platform-admins",),
    )


def test_keys_are_cached_between_verifications():
    private, public = _key_pair("k1")
    jwks = _Jwks(public)
    verifier = CognitoTokenVerifier(issuer=ISSUER, client_id="client-1", fetch_jwks=jwks)
    for _ in range(5):
        verifier.verify(_token(private, "k1"))
    assert jwks.fetches == 1


def test_rotated_key_is_fetched_once_the_cache_expires():
    old_private, old_public = _key_pair("old")
    new_private, new_public = _key_pair("new")
    jwks = _Jwks(old_public)
    now = [1000.0]
    verifier = CognitoTokenVerifier(
        issuer=ISSUER,
        client_id="client-1",
        fetch_jwks=jwks,
        cache_seconds=3600,
        clock=lambda: now[0],
    )
    verifier.verify(_token(old_private, "old"))
    jwks.keys = [new_public]
    now[0] += 120  # past the one-minute guard on refetching for unknown kids
    assert verifier.verify(_token(new_private, "new")).sub == "user-1"
    assert jwks.fetches == 2


def test_unknown_kid_flood_does_not_refetch_every_time():
    private, public = _key_pair("k1")
    jwks = _Jwks(public)
    verifier = CognitoTokenVerifier(issuer=ISSUER, client_id="client-1", fetch_jwks=jwks)
    verifier.verify(_token(private, "k1"))
    for _ in range(10):
        with pytest.raises(Unauthenticated):
            verifier.verify(_token(private, "forged-kid"))
    assert jwks.fetches == 1


@pytest.mark.parametrize(
    "overrides",
    [{"aud": "other-client"}, {"iss": ISSUER + "x"}, {"token_use": "access"}, {"exp": 1}],
)
def test_wrong_claims_are_rejected(overrides):
    private, public = _key_pair("k1")
    verifier = CognitoTokenVerifier(issuer=ISSUER, client_id="client-1", fetch_jwks=_Jwks(public))
    with pytest.raises(Unauthenticated):
        verifier.verify(_token(private, "k1", **overrides))


def test_token_signed_by_another_key_with_a_known_kid_is_rejected():
    _, public = _key_pair("k1")
    attacker, _ = _key_pair("k1")
    verifier = CognitoTokenVerifier(issuer=ISSUER, client_id="client-1", fetch_jwks=_Jwks(public))
    with pytest.raises(Unauthenticated):
        verifier.verify(_token(attacker, "k1"))


@pytest.mark.parametrize(
    ("headers", "token"),
    [
        ({"Authorization": "Bearer abc"}, "abc"),
        ({"authorization": "bearer  abc "}, "abc"),
        ({"Authorization": "Basic abc"}, None),
        ({"Authorization": "Bearer"}, None),
        ({}, None),
    ],
)
def test_bearer_token_parsing(headers, token):
    assert bearer_token(headers) == token

"""FinQ's own JWT check on protected routes: every kind of bad token gets a JSON 401."""

from __future__ import annotations

import base64
import gzip
import json
import time
from pathlib import Path

import jwt
import moto
import pytest

from chalicelib.aws.clients import client as aws_client
from chalicelib.aws.cognito import find_cognito_ids
from tests.factories import PASSWORD, bearer, sign_up_and_log_in, unique_email


def _moto_private_key() -> dict:
    # moto signs every pool's tokens with this bundled key; signing with it makes tokens whose
    # signature is valid, so only the claim under test is wrong.
    path = Path(moto.__file__).parent / "cognitoidp" / "resources" / "jwks-private.json.gz"
    return json.loads(gzip.decompress(path.read_bytes()))


def _sign(claims: dict) -> str:
    key = jwt.PyJWK(_moto_private_key(), algorithm="RS256")
    return jwt.encode(claims, key.key, algorithm="RS256", headers={"kid": "dummy"})


def _claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def _assert_401(response) -> None:
    assert response.status_code == 401, response.body
    assert response.json_body["error"]["code"] in ("unauthorized", "token_expired")
    assert response.json_body["error"]["message"]


def test_missing_token_is_401(client):
    _assert_401(client.http.get("/api/me"))


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer not-a-jwt", "Bearer a.b.c", "Basic dXNlcjpwdw==", "Bearer " + "x" * 5000],
)
def test_malformed_token_is_401(client, header):
    _assert_401(client.http.get("/api/me", headers={"Authorization": header}))


def test_expired_token_is_401_with_its_own_code(client):
    account = sign_up_and_log_in(client)
    claims = _claims_of(account["id_token"])
    claims.update(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)
    response = client.http.get("/api/me", headers=bearer(_sign(claims)))
    _assert_401(response)
    assert response.json_body["error"]["code"] == "token_expired"


def test_tampered_token_is_401(client):
    account = sign_up_and_log_in(client)
    header, payload, signature = account["id_token"].split(".")
    claims = _claims_of(account["id_token"])
    claims["sub"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    _assert_401(client.http.get("/api/me", headers=bearer(f"{header}.{forged}.{signature}")))


def test_token_from_another_pool_is_401(client, stack):
    cognito = aws_client(stack.settings, "cognito-idp")
    pool = cognito.create_user_pool(PoolName="other-pool-" + unique_email()[:8])["UserPool"]["Id"]
    app_client = cognito.create_user_pool_client(
        UserPoolId=pool, ClientName="other", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    email = unique_email()
    cognito.sign_up(ClientId=app_client, Username=email, Password=PASSWORD)
    cognito.admin_confirm_sign_up(UserPoolId=pool, Username=email)
    tokens = cognito.initiate_auth(
        ClientId=app_client,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    _assert_401(client.http.get("/api/me", headers=bearer(tokens["IdToken"])))


def test_token_for_another_client_of_the_same_pool_is_401(client, stack):
    cognito = aws_client(stack.settings, "cognito-idp")
    pool_id, _ = find_cognito_ids(
        cognito, stack.settings.cognito_pool_name, stack.settings.cognito_client_name
    )
    other = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="not-finq", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    account = sign_up_and_log_in(client)
    tokens = cognito.initiate_auth(
        ClientId=other,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": account["email"], "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    _assert_401(client.http.get("/api/me", headers=bearer(tokens["IdToken"])))


def test_access_token_is_not_accepted_as_an_id_token(client):
    account = sign_up_and_log_in(client)
    _assert_401(client.http.get("/api/me", headers=bearer(account["access_token"])))


def test_token_signed_with_none_algorithm_is_401(client):
    account = sign_up_and_log_in(client)
    claims = _claims_of(account["id_token"])
    unsigned = jwt.encode(claims, key=None, algorithm="none")
    _assert_401(client.http.get("/api/me", headers=bearer(unsigned)))

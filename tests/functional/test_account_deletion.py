"""Deleting an account through DELETE /api/me: its tokens stay refused, on REST and WebSocket.

Cognito ID tokens are verified locally and live up to an hour, so after a deletion FinQ itself
must refuse them; refresh tokens are revoked; the same email can sign up again.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from chalicelib.aws.cognito import CognitoIdentityProvider
from chalicelib.errors import UpstreamUnavailable
from tests.factories import PASSWORD, bearer, post_json, sign_up_and_log_in


def _delete_me(client, token: str) -> Any:
    return client.http.delete("/api/me", headers=bearer(token))


def _assert_deleted_401(response) -> None:
    assert response.status_code == 401, response.body
    assert response.json_body["error"]["code"] == "account_deleted"


def test_a_deleted_accounts_id_token_gets_401_everywhere_and_recreates_nothing(client, stack):
    user = sign_up_and_log_in(client)
    token = user["id_token"]
    chat = post_json(client, "/api/chats", {"title": "before"}, **bearer(token))
    assert chat.status_code == 201
    assert _delete_me(client, token).status_code == 204

    _assert_deleted_401(client.http.get("/api/me", headers=bearer(token)))
    _assert_deleted_401(post_json(client, "/api/chats", {"title": "after"}, **bearer(token)))
    _assert_deleted_401(client.http.get("/api/chats", headers=bearer(token)))
    _assert_deleted_401(client.http.get("/api/user-policies", headers=bearer(token)))
    _assert_deleted_401(client.http.get("/api/policies/recommendations", headers=bearer(token)))
    _assert_deleted_401(_delete_me(client, token))

    assert stack.database.fetch("SELECT 1 FROM users WHERE sub = :s", s=user["sub"]) == []
    assert stack.database.fetch("SELECT 1 FROM chats") == []


def test_a_deleted_accounts_refresh_token_and_password_are_refused(client, stack):
    user = sign_up_and_log_in(client)
    assert _delete_me(client, user["id_token"]).status_code == 204

    refreshed = post_json(client, "/api/auth/refresh", {"refresh_token": user["refresh_token"]})
    assert refreshed.status_code == 401
    login = post_json(client, "/api/auth/login", {"email": user["email"], "password": PASSWORD})
    assert login.status_code == 401
    with pytest.raises(ClientError) as gone:
        stack.cognito.admin_get_user(UserPoolId=stack.cognito_ids[0], Username=user["email"])
    assert gone.value.response["Error"]["Code"] == "UserNotFoundException"


def test_the_same_email_can_sign_up_again_after_deletion(client, stack):
    first = sign_up_and_log_in(client)
    assert _delete_me(client, first["id_token"]).status_code == 204

    second = sign_up_and_log_in(client, first["email"])
    assert second["sub"] != first["sub"]
    me = client.http.get("/api/me", headers=bearer(second["id_token"]))
    assert me.status_code == 200
    assert me.json_body["sub"] == second["sub"]
    assert post_json(client, "/api/chats", {}, **bearer(second["id_token"])).status_code == 201
    _assert_deleted_401(client.http.get("/api/me", headers=bearer(first["id_token"])))


class _CognitoThatFailsToDelete(CognitoIdentityProvider):
    """Cognito whose sign-out and deletion are unavailable while ``down`` is set."""

    down = True

    def sign_out_everywhere(self, username: str) -> None:
        if self.down:
            raise UpstreamUnavailable("the identity provider failed")
        super().sign_out_everywhere(username)


def test_a_login_left_behind_by_a_failed_deletion_is_refused_and_finished(client, stack):
    pool_id, client_id = stack.cognito_ids
    flaky = _CognitoThatFailsToDelete(
        stack.cognito, user_pool_id=pool_id, client_id=client_id, auto_confirm=True
    )
    stack.identity_provider = flaky  # the container's seam: accounts is built from it
    user = sign_up_and_log_in(client)

    failed = _delete_me(client, user["id_token"])
    assert failed.status_code == 503
    assert failed.json_body["error"]["code"] == "upstream_unavailable"
    # The data is gone and the still-valid tokens are refused, though Cognito kept the login.
    assert stack.database.fetch("SELECT 1 FROM users WHERE sub = :s", s=user["sub"]) == []
    _assert_deleted_401(client.http.get("/api/me", headers=bearer(user["id_token"])))
    refreshed = post_json(client, "/api/auth/refresh", {"refresh_token": user["refresh_token"]})
    _assert_deleted_401(refreshed)

    flaky.down = False
    login = post_json(client, "/api/auth/login", {"email": user["email"], "password": PASSWORD})
    _assert_deleted_401(login)
    with pytest.raises(ClientError):
        stack.cognito.admin_get_user(UserPoolId=pool_id, Username=user["email"])
    again = post_json(client, "/api/auth/signup", {"email": user["email"], "password": PASSWORD})
    assert again.status_code == 201


def test_a_deleted_account_cannot_connect_a_websocket(client, stack, ws_gateway):
    from app import ws_connect

    user = sign_up_and_log_in(client)
    assert _delete_me(client, user["id_token"]).status_code == 204

    with pytest.raises(InvalidStatus) as refused:
        connect(f"{ws_gateway}?token={user['id_token']}")
    assert refused.value.response.status_code == 401
    context = {"apiId": "a", "stage": "local", "domainName": "a.example", "connectionId": "c-9"}
    event = {
        "requestContext": {**context, "routeKey": "$connect", "eventType": "CONNECT"},
        "queryStringParameters": {"token": user["id_token"]},
    }
    assert ws_connect(event, None)["statusCode"] == 401
    assert stack.database.fetch("SELECT 1 FROM users WHERE sub = :s", s=user["sub"]) == []


def test_an_open_websocket_of_a_deleted_account_gets_no_more_turns(client, stack, ws_gateway):
    user = sign_up_and_log_in(client)
    chat = post_json(client, "/api/chats", {}, **bearer(user["id_token"])).json_body["id"]
    with connect(f"{ws_gateway}?token={user['id_token']}") as ws:
        assert _delete_me(client, user["id_token"]).status_code == 204
        ws.send(json.dumps({"action": "sendMessage", "chatId": chat, "text": "월세 지원"}))
        frame = json.loads(ws.recv(timeout=30))
    assert frame["type"] == "error"
    assert frame["code"] == "account_deleted"
    assert stack.database.fetch("SELECT 1 FROM messages") == []

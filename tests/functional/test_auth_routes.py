"""Sign-up, log-in, refresh and /api/me through app.py, against moto's Cognito."""

from __future__ import annotations

from tests.factories import PASSWORD, bearer, post_json, sign_up_and_log_in, unique_email


def test_sign_up_confirms_locally_and_log_in_returns_tokens(client):
    email = unique_email()
    created = post_json(client, "/api/auth/signup", {"email": email, "password": PASSWORD})
    assert created.status_code == 201
    assert created.json_body["email"] == email
    assert created.json_body["confirmed"] is True

    tokens = post_json(client, "/api/auth/login", {"email": email, "password": PASSWORD})
    assert tokens.status_code == 200
    assert set(tokens.json_body) >= {"id_token", "access_token", "refresh_token", "expires_in"}


def test_me_returns_the_callers_identity_and_creates_the_user_row(client, stack):
    account = sign_up_and_log_in(client)
    response = client.http.get("/api/me", headers=bearer(account["id_token"]))
    assert response.status_code == 200
    assert response.json_body["email"] == account["email"]
    assert response.json_body["sub"] == account["sub"]
    row = stack.database.fetch_one("SELECT email FROM users WHERE sub = :s", s=account["sub"])
    assert row == {"email": account["email"]}


def test_refresh_returns_a_working_id_token(client):
    account = sign_up_and_log_in(client)
    refreshed = post_json(client, "/api/auth/refresh", {"refresh_token": account["refresh_token"]})
    assert refreshed.status_code == 200
    me = client.http.get("/api/me", headers=bearer(refreshed.json_body["id_token"]))
    assert me.status_code == 200
    assert me.json_body["email"] == account["email"]


def test_sign_up_twice_is_a_conflict(client):
    email = unique_email()
    post_json(client, "/api/auth/signup", {"email": email, "password": PASSWORD})
    again = post_json(client, "/api/auth/signup", {"email": email, "password": PASSWORD})
    assert again.status_code == 409
    assert again.json_body["error"]["code"] == "conflict"


def test_wrong_password_is_401_without_saying_which_part_was_wrong(client):
    account = sign_up_and_log_in(client)
    wrong = post_json(
        client, "/api/auth/login", {"email": account["email"], "password": "not-the-password1"}
    )
    unknown = post_json(
        client, "/api/auth/login", {"email": unique_email(), "password": "not-the-password1"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json_body == unknown.json_body


def test_weak_password_is_rejected_and_creates_no_user(client, stack):
    email = unique_email()
    response = post_json(client, "/api/auth/signup", {"email": email, "password": "short"})
    assert response.status_code == 400
    assert response.json_body["error"]["details"]["fields"][0]["field"] == "password"
    assert stack.database.fetch("SELECT 1 FROM users WHERE email = :e", e=email) == []


def test_invalid_email_is_rejected(client):
    response = post_json(client, "/api/auth/signup", {"email": "no-at-sign", "password": PASSWORD})
    assert response.status_code == 400
    assert response.json_body["error"]["code"] == "invalid_input"


def test_confirm_route_confirms_the_account(client):
    email = unique_email()
    post_json(client, "/api/auth/signup", {"email": email, "password": PASSWORD})
    response = post_json(client, "/api/auth/confirm", {"email": email, "code": "123456"})
    assert response.status_code == 200
    assert response.json_body == {"email": email, "confirmed": True}

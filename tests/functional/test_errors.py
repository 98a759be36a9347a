"""Every bad request gets a clear 4xx with FinQ's JSON error body, and changes nothing."""

from __future__ import annotations

import json

import pytest

from tests.factories import PASSWORD, post_json, unique_email


def _error_code(response) -> str:
    return response.json_body["error"]["code"]


def test_unknown_route_is_a_json_4xx(client):
    response = client.http.get("/api/no-such-route")
    assert 400 <= response.status_code < 500
    assert json.loads(response.body)


def test_wrong_method_is_405_with_finq_error_shape(client):
    response = client.http.delete("/api/health")
    assert response.status_code == 405
    assert _error_code(response) == "method_not_allowed"
    assert "DELETE" in response.json_body["error"]["message"]


def test_malformed_json_is_400_and_creates_nothing(client, stack):
    response = client.http.post(
        "/api/auth/signup", headers={"Content-Type": "application/json"}, body='{"email": '
    )
    assert response.status_code == 400
    assert _error_code(response) == "malformed_json"
    assert stack.database.fetch("SELECT sub FROM users") == []


def test_empty_body_is_400(client):
    response = client.http.post(
        "/api/auth/login", headers={"Content-Type": "application/json"}, body=""
    )
    assert response.status_code == 400
    assert _error_code(response) == "malformed_json"


def test_body_over_the_limit_is_413(client, stack):
    body = json.dumps({"email": unique_email(), "password": "x" * 300_000})
    response = client.http.post(
        "/api/auth/signup", headers={"Content-Type": "application/json"}, body=body
    )
    assert response.status_code == 413
    assert _error_code(response) == "payload_too_large"
    assert stack.database.fetch("SELECT sub FROM users") == []


@pytest.mark.parametrize(
    "body",
    [
        {"email": 42, "password": PASSWORD},
        {"email": ["a@b.co"], "password": PASSWORD},
        {"email": "a@b.co"},
        {"email": "a@b.co", "password": PASSWORD, "admin": True},
        [1, 2, 3],
        "just a string",
    ],
)
def test_wrong_types_missing_and_unknown_fields_are_400(client, body):
    response = post_json(client, "/api/auth/signup", body)
    assert response.status_code == 400
    assert _error_code(response) == "invalid_input"


def test_non_json_content_type_is_415_or_400(client):
    response = client.http.post(
        "/api/auth/login", headers={"Content-Type": "text/plain"}, body="email=a"
    )
    assert response.status_code in (400, 415)
    assert _error_code(response) == "unsupported_media_type"


def test_validation_errors_never_echo_the_password(client):
    secret = "x" * 300
    response = post_json(client, "/api/auth/signup", {"email": "bad", "password": secret})
    assert response.status_code == 400
    assert secret not in response.body.decode()

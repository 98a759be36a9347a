"""Hostile input is a 4xx with FinQ's error shape, and changes nothing.

NUL characters, absurd nesting, out-of-range ids, edited pagination cursors and malformed path
ids, each sent through app.py over the real local stack; every test checks the stores after.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest

from chalicelib.payloads import MAX_DEPTH
from chalicelib.policies.records import RawRecord
from chalicelib.services.discovery import encode_cursor
from chalicelib.services.ingestion import IngestionService
from tests.factories import (
    PASSWORD,
    bearer,
    policy_record,
    post_json,
    sign_up_and_log_in,
    unique_email,
)

NUL = "\x00"


def _error(response, status: int = 400) -> str:
    assert response.status_code == status, response.body
    error = response.json_body["error"]
    assert set(error) >= {"code", "message"}
    return error["code"]


def _put(client, path, body, token):
    return client.http.put(
        path, headers={"Content-Type": "application/json", **bearer(token)}, body=json.dumps(body)
    )


def _cognito_usernames(stack) -> set[str]:
    pool, _ = stack.cognito_ids
    names: set[str] = set()
    for page in stack.cognito.get_paginator("list_users").paginate(UserPoolId=pool):
        names |= {user["Username"] for user in page["Users"]}
    return names


def _chat_count(stack, sub: str) -> int:
    return len(stack.database.fetch("SELECT id FROM chats WHERE user_sub = :sub", sub=sub))


def _message_count(stack) -> int:
    return len(stack.database.fetch("SELECT id FROM messages"))


@pytest.fixture
def user(client):
    return sign_up_and_log_in(client)


# --- NUL characters -------------------------------------------------------------------------


def test_nul_in_the_sign_up_email_is_400_and_creates_no_account(client, stack):
    before = _cognito_usernames(stack)
    email = f"evil{NUL}-{unique_email()}"
    response = post_json(client, "/api/auth/signup", {"email": email, "password": PASSWORD})
    assert _error(response) == "invalid_characters"
    assert _cognito_usernames(stack) == before
    assert stack.database.fetch("SELECT sub FROM users") == []


def test_nul_in_a_chat_title_is_400_and_creates_no_chat(client, stack, user):
    response = post_json(client, "/api/chats", {"title": f"a{NUL}b"}, **bearer(user["id_token"]))
    assert _error(response) == "invalid_characters"
    assert _chat_count(stack, user["sub"]) == 0


def test_nul_in_a_message_is_400_and_stores_no_message(client, stack, user):
    token = bearer(user["id_token"])
    chat = post_json(client, "/api/chats", {"title": "ok"}, **token).json_body
    response = post_json(client, f"/api/chats/{chat['id']}/messages", {"text": f"hi{NUL}"}, **token)
    assert _error(response) == "invalid_characters"
    assert _message_count(stack) == 0


def test_nul_in_profile_interests_is_400_and_leaves_the_profile(client, user):
    token = user["id_token"]
    assert _put(client, "/api/me", {"interests": ["주거"]}, token).status_code == 200
    response = _put(client, "/api/me", {"interests": ["주거", f"일{NUL}자리"]}, token)
    assert _error(response) == "invalid_characters"
    assert client.http.get("/api/me", headers=bearer(token)).json_body["interests"] == ["주거"]


def test_nul_in_a_json_key_is_400(client, stack, user):
    response = post_json(client, "/api/chats", {f"title{NUL}": "x"}, **bearer(user["id_token"]))
    assert _error(response) == "invalid_characters"
    assert _chat_count(stack, user["sub"]) == 0


def test_a_lone_surrogate_is_400(client, stack, user):
    body = '{"title": "\\ud800"}'  # valid JSON, but no UTF-8 store can keep it
    response = client.http.post(
        "/api/chats",
        headers={"Content-Type": "application/json", **bearer(user["id_token"])},
        body=body,
    )
    assert _error(response) == "invalid_characters"
    assert _chat_count(stack, user["sub"]) == 0


@pytest.mark.parametrize("name", ["q", "keyword"])
def test_nul_in_a_policy_query_parameter_is_400(client, stack, name):
    response = client.http.get(f"/api/policies?{name}={quote('월세' + NUL)}")
    assert _error(response) == "invalid_characters"


# --- nesting --------------------------------------------------------------------------------


@pytest.mark.parametrize(("opening", "levels"), [("[", 100_000), ('{"":', 40_000)])
def test_nesting_far_past_the_recursion_limit_is_400(client, stack, user, opening, levels):
    closing = "]" if opening == "[" else "}"
    body = opening * levels + ("1" if opening != "[" else "") + closing * levels
    response = client.http.post(
        "/api/chats",
        headers={"Content-Type": "application/json", **bearer(user["id_token"])},
        body=body,
    )
    assert _error(response) == "too_deeply_nested"
    assert _chat_count(stack, user["sub"]) == 0


def test_nesting_just_past_the_limit_is_400_and_at_the_limit_is_judged_normally(client, user):
    token = bearer(user["id_token"])

    def nested(levels: int) -> dict:
        value: object = "x"
        for _ in range(levels - 1):
            value = [value]
        return {"title": value}

    assert _error(post_json(client, "/api/chats", nested(MAX_DEPTH + 1), **token)) == (
        "too_deeply_nested"
    )
    # At the limit the body is parsed; the model then refuses a list as a title.
    assert _error(post_json(client, "/api/chats", nested(MAX_DEPTH), **token)) == "invalid_input"


# --- message paging bound -------------------------------------------------------------------


def test_before_past_bigint_is_400_and_at_bigint_is_an_empty_page(client, user):
    token = bearer(user["id_token"])
    chat = post_json(client, "/api/chats", {"title": "ok"}, **token).json_body
    path = f"/api/chats/{chat['id']}/messages?before="
    assert _error(client.http.get(path + str(2**63), headers=token)) == "invalid_input"
    response = client.http.get(path + str(2**63 - 1), headers=token)
    assert response.status_code == 200, response.body
    assert response.json_body == {"items": [], "next": None}


# --- chat ids -------------------------------------------------------------------------------


@pytest.mark.parametrize("chat_id", ["0", "not-a-uuid", "1" * 36])
def test_deleting_a_chat_with_a_malformed_id_is_400(client, stack, user, chat_id):
    token = bearer(user["id_token"])
    post_json(client, "/api/chats", {"title": "keep me"}, **token)
    assert _error(client.http.delete(f"/api/chats/{chat_id}", headers=token)) == "invalid_input"
    assert _chat_count(stack, user["sub"]) == 1


# --- pagination cursors ---------------------------------------------------------------------


@pytest.fixture
def three_policies(policy_stack):
    records = [policy_record(f"70{i}", plcyNm=f"정책 {i}") for i in range(3)]
    service = IngestionService(
        policy_stack.policies, policy_stack.policy_index, policy_stack.embedder
    )
    service.ingest([RawRecord(i, r) for i, r in enumerate(records)], source="test")
    return policy_stack


def _payload(cursor: str) -> dict:
    body = cursor.rpartition(".")[0]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _reencode(payload: dict, signature_of: str) -> str:
    """The edited payload with the signature of an untouched cursor (what a tamperer can do)."""
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    return f"{body}.{signature_of.rpartition('.')[2]}"


@pytest.mark.parametrize(
    ("path", "edit"),
    [
        ("/api/policies?sort=newest&limit=1", {"k": ["not-a-time", "701"]}),
        ("/api/policies?sort=deadline&limit=1", {"k": ["9999-99-99", "701"]}),
        ("/api/policies?sort=deadline&limit=1", {"k": [None, None]}),
        ("/api/policies?q=정책&limit=1", {"o": -5}),
        ("/api/policies?q=정책&limit=1", {"o": "many"}),
        ("/api/policies?q=정책&limit=1", {"o": 10**30}),
        ("/api/policies?q=정책&sort=newest&limit=1", {"o": [1]}),
    ],
)
def test_an_edited_cursor_is_400(client, three_policies, path, edit):
    page = client.http.get(path).json_body
    assert page["next"], page
    edited = {**_payload(page["next"]), **edit}
    response = client.http.get(f"{path}&next={quote(_reencode(edited, page['next']))}")
    assert _error(response) == "invalid_cursor"


@pytest.mark.parametrize(
    ("path", "edit"),
    [
        ("/api/policies?sort=newest&limit=1", {"k": ["not-a-time", "701"]}),
        ("/api/policies?sort=deadline&limit=1", {"k": ["2026-01-01", "'; DROP TABLE x"]}),
        ("/api/policies?sort=deadline&limit=1", {"k": "2026-01-01"}),
        ("/api/policies?q=정책&limit=1", {"o": 10**30}),
        ("/api/policies?q=정책&limit=1", {"o": True}),
    ],
)
def test_a_correctly_signed_cursor_with_bad_values_is_still_400(client, three_policies, path, edit):
    """Even with the key (leaked, or a bug signing junk), values are checked before use."""
    page = client.http.get(path).json_body
    forged = encode_cursor({**_payload(page["next"]), **edit}, three_policies.cursor_key)
    response = client.http.get(f"{path}&next={quote(forged)}")
    assert _error(response) == "invalid_cursor"


def test_signed_cursors_still_page_through_everything(client, three_policies):
    seen, path = [], "/api/policies?sort=deadline&limit=1"
    url = path
    while url:
        page = client.http.get(url).json_body
        seen += [item["plcyNo"] for item in page["items"]]
        url = f"{path}&next={quote(page['next'])}" if page["next"] else None
    assert sorted(seen) == ["700", "701", "702"]

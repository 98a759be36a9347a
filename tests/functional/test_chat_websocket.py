"""The advisor chat over WebSocket: in-process with API Gateway-shaped events, and end to end
through the local gateway with a real WebSocket client."""

from __future__ import annotations

import json

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from chalicelib.policies.records import RawRecord
from chalicelib.services.ingestion import IngestionService
from tests.factories import bearer, policy_record, post_json, sign_up_and_log_in


@pytest.fixture
def catalogue(policy_stack):
    records = [
        policy_record("3001", plcyNm="서울 청년 월세 지원", aplyPrdSeCd="0057002", aplyYmd=""),
        policy_record(
            "3002", plcyNm="부산 청년 월세 지원", zipCd="26350", aplyPrdSeCd="0057002", aplyYmd=""
        ),
    ]
    service = IngestionService(
        policy_stack.policies, policy_stack.policy_index, policy_stack.embedder
    )
    service.ingest([RawRecord(i, r) for i, r in enumerate(records)], source="test")
    return policy_stack


def _frames(ws, limit=500):
    frames = []
    for _ in range(limit):
        frame = json.loads(ws.recv(timeout=30))
        frames.append(frame)
        if frame["type"] in ("done", "error"):
            return frames
    raise AssertionError("no done frame")


def test_a_turn_streams_tokens_then_citations_then_done(client, catalogue, ws_gateway):
    user = sign_up_and_log_in(client)
    chat = post_json(client, "/api/chats", {}, **bearer(user["id_token"])).json_body["id"]
    with connect(f"{ws_gateway}?token={user['id_token']}") as ws:
        ws.send(
            json.dumps(
                {
                    "action": "sendMessage",
                    "chatId": chat,
                    "text": "25살 서울 강남구 월세 지원 알려줘",
                }
            )
        )
        frames = _frames(ws)
    kinds = [f["type"] for f in frames]
    assert kinds[0] == "token" and kinds[-2:] == ["citations", "done"]
    streamed = "".join(f["text"] for f in frames if f["type"] == "token")
    done = frames[-1]["message"]
    assert streamed == done["content"]
    assert [c["plcyNo"] for c in frames[-2]["items"]] == ["3001"]
    assert all(len(json.dumps(f, ensure_ascii=False).encode()) < 32_000 for f in frames)
    stored = client.http.get(
        f"/api/chats/{chat}/messages", headers=bearer(user["id_token"])
    ).json_body
    assert stored["items"][-1]["content"] == streamed


@pytest.mark.parametrize("token", [None, "not-a-jwt"])
def test_connect_without_a_valid_token_is_refused(catalogue, ws_gateway, token):
    url = ws_gateway if token is None else f"{ws_gateway}?token={token}"
    with pytest.raises(InvalidStatus) as refused:
        connect(url)
    assert refused.value.response.status_code == 401


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", "malformed_json"),
        (json.dumps({"action": "sendMessage", "chatId": "x", "text": "hi"}), "invalid_input"),
        (json.dumps({"action": "other"}), "invalid_input"),
    ],
)
def test_bad_frames_get_an_error_frame(client, catalogue, ws_gateway, frame, code):
    user = sign_up_and_log_in(client)
    with connect(f"{ws_gateway}?token={user['id_token']}") as ws:
        ws.send(frame)
        [error] = _frames(ws)
    assert error["type"] == "error" and error["code"] == code


def test_another_users_chat_gets_an_error_frame(client, catalogue, ws_gateway):
    alice, bob = sign_up_and_log_in(client), sign_up_and_log_in(client)
    chat = post_json(client, "/api/chats", {}, **bearer(alice["id_token"])).json_body["id"]
    with connect(f"{ws_gateway}?token={bob['id_token']}") as ws:
        ws.send(json.dumps({"action": "sendMessage", "chatId": chat, "text": "안녕"}))
        [error] = _frames(ws)
    assert (error["type"], error["code"]) == ("error", "not_found")


def test_a_client_that_went_away_does_not_crash_the_turn(client, catalogue, ws_gateway):
    user = sign_up_and_log_in(client)
    chat = post_json(client, "/api/chats", {}, **bearer(user["id_token"])).json_body["id"]
    ws = connect(f"{ws_gateway}?token={user['id_token']}")
    ws.send(
        json.dumps({"action": "sendMessage", "chatId": chat, "text": "서울 강남구 25살 월세 지원"})
    )
    ws.close()
    # The turn still completes and is stored, though nobody listens.
    import time

    for _ in range(100):
        items = client.http.get(
            f"/api/chats/{chat}/messages", headers=bearer(user["id_token"])
        ).json_body["items"]
        if len(items) == 2:
            break
        time.sleep(0.1)
    assert [m["role"] for m in items] == ["user", "assistant"]


def test_connect_handler_with_api_gateway_shaped_events(client, catalogue):
    from app import ws_connect, ws_disconnect

    user = sign_up_and_log_in(client)
    context = {"apiId": "abc", "stage": "local", "domainName": "abc.example", "connectionId": "c-1"}

    def event(route, **extra):
        return {"requestContext": {**context, "routeKey": route, "eventType": "CONNECT"}, **extra}

    assert (
        ws_connect(event("$connect", queryStringParameters={"token": user["id_token"]}), None)[
            "statusCode"
        ]
        == 200
    )
    assert catalogue.chat_socket.user_of("c-1") == user["sub"]
    assert (
        ws_connect(event("$connect", queryStringParameters={"token": "bad"}), None)["statusCode"]
        == 401
    )
    ws_disconnect(event("$disconnect"), None)
    item = catalogue.dynamodb.get_item(
        TableName=catalogue.settings.table_name,
        Key={"PK": {"S": "WSCONN#c-1"}, "SK": {"S": "METADATA"}},
    )["Item"]
    assert (
        "disconnected_at" in item
        and int(item["ttl"]["N"]) - int(item["disconnected_at"]["N"]) == 300
    )

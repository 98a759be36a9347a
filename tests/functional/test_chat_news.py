"""Web news in the advisor's answers, end to end: REST and WebSocket on the local stack with
FINQ_TAVILY_API_URL pointing at a local fake Tavily (tests/fake_tavily.py), which records the
exact request; a timeout or failure gives no news, and without a key there is no news at all."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from websockets.sync.client import connect

from chalicelib import providers
from chalicelib.clock import today_kst
from chalicelib.policies.records import RawRecord
from chalicelib.services.ingestion import IngestionService
from tests.factories import bearer, post_json, sign_up_and_log_in
from tests.fake_tavily import KEY, FakeTavily

MIRAE = "20260520005400110439"
QUESTION = "청년 적금 관련 최근 소식 알려줘"
_CENTRAL = Path(__file__).resolve().parents[2] / "data" / "policies" / "central.json"


@pytest.fixture
def savings(policy_stack):
    [record] = [r for r in json.loads(_CENTRAL.read_text("utf-8")) if r["plcyNo"] == MIRAE]
    today = today_kst()
    window = f"{today - timedelta(days=3):%Y%m%d} ~ {today + timedelta(days=20):%Y%m%d}"
    record = {**record, "aplyYmd": window, "lastMdfcnDt": f"{today:%Y-%m-%d} 09:00:00"}
    IngestionService(
        policy_stack.policies, policy_stack.policy_index, policy_stack.embedder
    ).ingest([RawRecord(0, record)], source="test")
    return policy_stack


@pytest.fixture
def tavily(monkeypatch, savings):
    with FakeTavily() as fake:
        monkeypatch.setenv("FINQ_TAVILY_API_KEY", KEY)
        monkeypatch.setenv("FINQ_TAVILY_API_URL", fake.url)
        monkeypatch.setenv("FINQ_NEWS_TIMEOUT_SECONDS", "1.0")
        providers.reset()
        yield fake


def _ask(client, text):
    user = sign_up_and_log_in(client)
    token = user["id_token"]
    chat = post_json(client, "/api/chats", {}, **bearer(token)).json_body["id"]
    response = post_json(client, f"/api/chats/{chat}/messages", {"text": text}, **bearer(token))
    assert response.status_code == 201, response.body
    return response.json_body, token, chat


def test_rest_answer_shows_labelled_news_next_to_the_policies(client, tavily):
    answer, token, chat = _ask(client, QUESTION)
    assert [c["plcyNo"] for c in answer["citations"]] == [MIRAE]
    assert [(n["source"], n["published"]) for n in answer["news"]] == [
        ("news.example.co.kr", "2026-11-24"),
        ("daily.example.com", "2026-11-20"),
    ]
    assert "'뉴스'에 출처·날짜와 함께 따로" in answer["content"]
    assert "내년 6월 출시" not in answer["content"]  # the news is shown apart, never stated
    [request] = tavily.requests
    assert request["path"] == "/search" and request["authorization"] == f"Bearer {KEY}"
    assert request["body"] == {
        "query": f"청년 적금 청년미래적금 {today_kst().year}",
        "topic": "news",
        "search_depth": "basic",
        "max_results": 3,
        "days": 30,
        "include_answer": False,
        "include_raw_content": False,
    }
    history = client.http.get(f"/api/chats/{chat}/messages", headers=bearer(token)).json_body
    assert history["items"][-1]["news"] == answer["news"]  # stored with the message


def test_the_news_text_counts_against_the_token_budget(client, tavily):
    with_news, _, _ = _ask(client, QUESTION)
    tavily.results = []
    without, _, _ = _ask(client, QUESTION)
    assert with_news["content"] == without["content"] and without["news"] == []
    assert with_news["input_tokens"] > without["input_tokens"]


@pytest.mark.parametrize("failure", ["slow", "error"])
def test_a_slow_or_failing_tavily_gives_no_news_and_a_fine_answer(client, tavily, failure):
    if failure == "slow":
        tavily.delay = 2.0  # past FINQ_NEWS_TIMEOUT_SECONDS
    else:
        tavily.status = 500
    answer, _, _ = _ask(client, QUESTION)
    assert answer["news"] == [] and answer["status"] == "complete"
    assert [c["plcyNo"] for c in answer["citations"]] == [MIRAE]
    assert len(tavily.requests) == 1


def test_without_a_key_there_is_no_news_section(client, savings, monkeypatch):
    monkeypatch.delenv("FINQ_TAVILY_API_KEY", raising=False)
    providers.reset()
    answer, _, _ = _ask(client, QUESTION)
    assert answer["news"] == [] and [c["plcyNo"] for c in answer["citations"]] == [MIRAE]
    assert "따로 보여드려요" not in answer["content"]


def test_the_key_can_come_from_secrets_manager(client, tavily, monkeypatch, stack):
    secret = stack.aws_client("secretsmanager").create_secret(
        Name="finq/local/tavily-news-test", SecretString=KEY
    )
    monkeypatch.delenv("FINQ_TAVILY_API_KEY")
    monkeypatch.setenv("FINQ_TAVILY_API_KEY_SECRET_ARN", secret["ARN"])
    providers.reset()
    try:
        answer, _, _ = _ask(client, QUESTION)
    finally:
        stack.aws_client("secretsmanager").delete_secret(
            SecretId=secret["ARN"], ForceDeleteWithoutRecovery=True
        )
    assert len(answer["news"]) == 2 and tavily.requests[0]["authorization"] == f"Bearer {KEY}"


def _frames(ws):
    frames = []
    while not frames or frames[-1]["type"] not in ("done", "error"):
        frames.append(json.loads(ws.recv(timeout=30)))
    return frames


def test_websocket_sends_a_news_frame_apart_from_the_citations(client, tavily, ws_gateway):
    user = sign_up_and_log_in(client)
    chat = post_json(client, "/api/chats", {}, **bearer(user["id_token"])).json_body["id"]
    with connect(f"{ws_gateway}?token={user['id_token']}") as ws:
        ws.send(json.dumps({"action": "sendMessage", "chatId": chat, "text": QUESTION}))
        frames = _frames(ws)
    kinds = [f["type"] for f in frames]
    assert kinds[0] == "token" and kinds[-3:] == ["citations", "news", "done"]
    assert [c["plcyNo"] for c in frames[-3]["items"]] == [MIRAE]
    assert [n["source"] for n in frames[-2]["items"]] == ["news.example.co.kr", "daily.example.com"]
    assert frames[-1]["message"]["news"] == frames[-2]["items"]


def test_websocket_without_news_keeps_the_usual_frames(client, savings, ws_gateway, monkeypatch):
    monkeypatch.delenv("FINQ_TAVILY_API_KEY", raising=False)
    providers.reset()
    user = sign_up_and_log_in(client)
    chat = post_json(client, "/api/chats", {}, **bearer(user["id_token"])).json_body["id"]
    with connect(f"{ws_gateway}?token={user['id_token']}") as ws:
        ws.send(json.dumps({"action": "sendMessage", "chatId": chat, "text": QUESTION}))
        frames = _frames(ws)
    assert "news" not in [f["type"] for f in frames]
    assert [f["type"] for f in frames][-2:] == ["citations", "done"]

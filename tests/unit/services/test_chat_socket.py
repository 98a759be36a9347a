"""ChatSocketService: admission, frame validation and the frames of a turn, over fakes."""

from __future__ import annotations

import json

from chalicelib.auth import Identity
from chalicelib.errors import Unauthenticated, UpstreamUnavailable
from chalicelib.services.chat import ChatService
from chalicelib.services.chat_socket import ChatSocketService
from tests.fakes.chat import (
    InMemoryChatRepository,
    InMemoryConnections,
    RecordingSender,
    ScriptedGraph,
)


def _verify(token: str | None) -> Identity:
    if token != "good":
        raise Unauthenticated("bad token")
    return Identity(sub="alice", email="a@example.com", username="a@example.com")


def _frame(chat_id: str, text: str) -> str:
    return json.dumps({"action": "sendMessage", "chatId": chat_id, "text": text})


def _socket(graph: ScriptedGraph, dispatch=None, deleted=()):
    repo, connections, sender = InMemoryChatRepository(), InMemoryConnections(), RecordingSender()
    chats = ChatService(
        repo, lambda: graph, model_id="m", daily_token_budget=0, turn_token_reserve=100
    )
    service = ChatSocketService(
        _verify,
        connections,
        chats,
        ensure_user=lambda identity: {"sub": identity.sub},
        profile_of=lambda sub: {},
        sender=lambda endpoint: sender,
        dispatch=dispatch,
        is_deleted=lambda sub: sub in deleted,
    )
    return service, chats, connections, sender


def test_a_bad_token_is_refused_and_a_good_one_admitted():
    service, _, connections, _ = _socket(ScriptedGraph("x", {}))
    assert service.connect("c1", "bad") is False
    assert service.connect("c2", "good") is True
    assert connections.user_of("c2") == "alice" and connections.user_of("c1") is None


def test_a_turn_streams_tokens_then_citations_then_done():
    service, chats, _, sender = _socket(ScriptedGraph("hello there friend", {}, citations=[]))
    service.connect("c", "good")
    chat = chats.create("alice", "")
    service.message("c", _frame(chat["id"], "hi"), None)
    frames = sender.frames["c"]
    assert "".join(f["text"] for f in frames if f["type"] == "token") == "hellotherefriend"
    assert [f["type"] for f in frames[-2:]] == ["citations", "done"]
    assert frames[-1]["message"]["content"] == "hello there friend"


def test_bad_frames_get_an_error_frame_and_run_nothing():
    graph = ScriptedGraph("never", {})
    service, _, _, sender = _socket(graph)
    service.connect("c", "good")
    service.message("c", "{not json", None)
    service.message("c", json.dumps({"chatId": "x", "text": "a", "extra": {"deep": 1}}), None)
    service.message("c", "x" * 40_000, None)
    codes = [f["code"] for f in sender.frames["c"]]
    assert codes[0] == "malformed_json" and codes[2] == "payload_too_large" and len(codes) == 3
    assert graph.runs == []


def test_an_unknown_or_deleted_connection_gets_a_401_frame():
    service, _, connections, sender = _socket(ScriptedGraph("x", {}), deleted={"alice"})
    service.message("nobody", json.dumps({"chatId": "x", "text": "hi"}), None)
    service.connect("c", "good")
    service.message("c", json.dumps({"chatId": "x", "text": "hi"}), None)
    assert sender.frames["nobody"][0]["code"] == "unauthorized"
    assert sender.frames["c"][0]["code"] == "account_deleted"


def test_a_failed_turn_ends_with_an_error_frame_and_keeps_the_question():
    graph = ScriptedGraph("partial", {})
    graph.fail = UpstreamUnavailable("model down")
    service, chats, _, sender = _socket(graph)
    service.connect("c", "good")
    chat = chats.create("alice", "")
    service.message("c", _frame(chat["id"], "hi"), None)
    assert sender.frames["c"][-1]["type"] == "error"
    assert sender.frames["c"][-1]["code"] == "upstream_unavailable"
    stored = chats.messages("alice", chat["id"], None, 10)["items"]
    assert stored[0]["content"] == "hi" and stored[-1]["status"] == "failed"


def test_a_client_gone_mid_turn_still_gets_its_answer_stored_and_the_connection_forgotten():
    service, chats, connections, sender = _socket(ScriptedGraph("one two", {}, citations=[]))
    service.connect("c", "good")
    chat = chats.create("alice", "")
    sender.gone.add("c")
    service.message("c", _frame(chat["id"], "hi"), None)
    assert chats.messages("alice", chat["id"], None, 10)["items"][-1]["content"] == "one two"
    assert connections.user_of("c") is None


def test_with_a_dispatcher_the_turn_is_handed_off_not_run():
    jobs = []
    graph = ScriptedGraph("x", {})
    service, chats, _, _ = _socket(graph, dispatch=jobs.append)
    service.connect("c", "good")
    chat = chats.create("alice", "")
    service.message("c", _frame(chat["id"], "hi"), "https://cb")
    assert jobs == [
        {
            "connection_id": "c",
            "user_sub": "alice",
            "chat_id": chat["id"],
            "text": "hi",
            "endpoint": "https://cb",
        }
    ]
    assert graph.runs == []

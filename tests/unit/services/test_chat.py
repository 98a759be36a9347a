"""ChatService rules with in-memory fakes: turn storage, failed turns, handoff, token budget."""

from __future__ import annotations

from datetime import datetime

import pytest

from chalicelib.clock import KST
from chalicelib.errors import InvalidInput, NotFound, TooManyRequests, UpstreamUnavailable
from chalicelib.services.chat import ChatService
from tests.fakes.chat import InMemoryChatRepository, ScriptedGraph

_NOW = datetime(2026, 3, 2, 23, 0, tzinfo=KST)


def _service(repo, graph, budget=0, reserve=100, on_handoff=None):
    return ChatService(
        repo,
        lambda: graph,
        model_id="test-model",
        daily_token_budget=budget,
        turn_token_reserve=reserve,
        on_handoff=on_handoff,
        now=lambda: _NOW,
    )


def test_a_turn_stores_the_question_and_the_answer_with_usage():
    repo = InMemoryChatRepository()
    graph = ScriptedGraph("hello there", {"input_tokens": 12, "output_tokens": 8}, citations=[])
    chats = _service(repo, graph)
    chat = chats.create("alice", "t")
    tokens: list[str] = []
    answer = chats.send("alice", {"age": 25}, chat["id"], "hi", on_token=tokens.append)
    assert tokens == ["hello", "there"]
    assert (answer["content"], answer["model"], answer["status"]) == (
        "hello there",
        "test-model",
        "complete",
    )
    assert (answer["input_tokens"], answer["output_tokens"]) == (12, 8)
    page = chats.messages("alice", chat["id"], None, 10)
    assert [(m["role"], m["content"]) for m in page["items"]] == [
        ("user", "hi"),
        ("assistant", "hello there"),
    ]
    inputs, config = graph.runs[0]
    assert inputs == {"messages": [{"role": "user", "content": "hi"}], "profile": {"age": 25}}
    assert config == {"configurable": {"thread_id": chat["id"]}}


def test_a_failed_turn_keeps_the_question_and_records_the_failure():
    repo = InMemoryChatRepository()
    graph = ScriptedGraph("partial", {})
    graph.fail = UpstreamUnavailable("bedrock is down")
    chats = _service(repo, graph)
    chat = chats.create("alice", "")
    with pytest.raises(UpstreamUnavailable):
        chats.send("alice", {}, chat["id"], "hi")
    items = chats.messages("alice", chat["id"], None, 10)["items"]
    assert [(m["role"], m["status"]) for m in items] == [
        ("user", "complete"),
        ("assistant", "failed"),
    ]
    assert items[1]["error"] == {"code": "upstream_unavailable"}


def test_another_users_chat_is_not_found_and_a_bad_id_is_invalid():
    chats = _service(InMemoryChatRepository(), ScriptedGraph("x", {}))
    chat = chats.create("alice", "")
    with pytest.raises(NotFound):
        chats.send("bob", {}, chat["id"], "hi")
    with pytest.raises(InvalidInput):
        chats.messages("alice", "not-a-uuid", None, 10)
    with pytest.raises(NotFound):
        chats.delete("bob", chat["id"], forget_thread=lambda _: None)


def test_deleting_a_chat_forgets_its_thread():
    chats = _service(InMemoryChatRepository(), ScriptedGraph("x", {}))
    chat = chats.create("alice", "title")
    forgotten: list[str] = []
    chats.delete("alice", chat["id"], forget_thread=forgotten.append)
    assert forgotten == [chat["id"]] and chats.list("alice") == []


def test_a_request_for_a_human_is_recorded_on_the_chat():
    repo = InMemoryChatRepository()
    graph = ScriptedGraph("someone will reach you", {}, handoff=True, intent="human")
    chats = _service(
        repo, graph, on_handoff=lambda sub, chat, text: {"inquiry_id": f"{sub}:{text}"}
    )
    chat = chats.create("alice", "")
    chats.send("alice", {}, chat["id"], "a human please")
    handoff = chats.list("alice")[0]["handoff"]
    assert handoff == {
        "requested_at": _NOW.isoformat(),
        "message": "a human please",
        "inquiry_id": "alice:a human please",
    }


def test_a_turn_settles_its_reservation_to_what_it_spent():
    repo = InMemoryChatRepository()
    chats = _service(
        repo, ScriptedGraph("ok", {"input_tokens": 30, "output_tokens": 20}), budget=1000
    )
    chat = chats.create("alice", "")
    chats.send("alice", {}, chat["id"], "hi")
    state = repo.budget_state("alice", _NOW.date(), _NOW.replace(hour=0))
    assert (state["used"], state["reserved"]) == (50, 0)


def test_a_failed_turn_releases_its_reservation():
    repo = InMemoryChatRepository()
    graph = ScriptedGraph("x", {})
    graph.fail = UpstreamUnavailable("down")
    chats = _service(repo, graph, budget=1000)
    chat = chats.create("alice", "")
    with pytest.raises(UpstreamUnavailable):
        chats.send("alice", {}, chat["id"], "hi")
    state = repo.budget_state("alice", _NOW.date(), _NOW.replace(hour=0))
    assert (state["used"], state["reserved"]) == (0, 0)


def test_a_used_up_budget_refuses_until_midnight_and_stores_nothing():
    repo = InMemoryChatRepository()
    chats = _service(
        repo, ScriptedGraph("ok", {"input_tokens": 600, "output_tokens": 0}), budget=500
    )
    chat = chats.create("alice", "")
    chats.send("alice", {}, chat["id"], "first")
    with pytest.raises(TooManyRequests) as refused:
        chats.send("alice", {}, chat["id"], "second")
    assert refused.value.code == "token_budget_exceeded"
    assert refused.value.retry_after == 3601  # 23:00 KST: an hour to midnight, plus one second
    assert len(chats.messages("alice", chat["id"], None, 10)["items"]) == 2


def test_turns_in_flight_hold_the_budget():
    repo = InMemoryChatRepository()
    chats = _service(repo, ScriptedGraph("ok", {}), budget=150, reserve=100)
    repo.reserve_tokens("alice", _NOW.date(), _NOW.replace(hour=0), 100, 150, 120)
    repo.reserve_tokens("alice", _NOW.date(), _NOW.replace(hour=0), 100, 150, 120)
    with pytest.raises(TooManyRequests) as refused:
        chats.check_budget("alice")
    assert refused.value.code == "token_budget_reserved"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ko", "담당자가 2026-12-02 09:30(한국 시간)까지 이메일로 답변드릴 예정이에요."),
        ("en", "A person will reply by email, expected by 2026-12-02 09:30 (Korea time)."),
    ],
)
def test_a_handoff_answer_says_by_when_a_person_replies(language, expected):
    repo = InMemoryChatRepository()
    graph = ScriptedGraph("연결해 드릴게요", {}, handoff=True, intent="human", language=language)
    eta = {"inquiry_id": "i-1", "estimated_response_time": "2026-12-02T00:30:00.000+00:00"}
    chats = _service(repo, graph, on_handoff=lambda sub, chat, text: eta)
    chat = chats.create("alice", "")
    tokens: list[str] = []
    answer = chats.send("alice", {}, chat["id"], "사람이랑 얘기할래", on_token=tokens.append)
    assert answer["content"].endswith(expected)
    assert "".join(tokens).endswith(expected)
    assert (
        chats.list("alice")[0]["handoff"]["estimated_response_time"]
        == eta["estimated_response_time"]
    )


def test_a_handoff_without_an_estimate_adds_nothing():
    repo = InMemoryChatRepository()
    graph = ScriptedGraph("연결해 드릴게요", {}, handoff=True, intent="human")
    chats = _service(repo, graph, on_handoff=lambda sub, chat, text: {"inquiry_id": "i-1"})
    chat = chats.create("alice", "")
    assert chats.send("alice", {}, chat["id"], "상담원")["content"] == "연결해 드릴게요"

"""The ChatRepository contract, run against the in-memory fake and the real PostgreSQL adapter."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes.chat import InMemoryChatRepository

_DAY = datetime.now(UTC).date()
_SINCE = datetime.now(UTC) - timedelta(hours=1)


@pytest.fixture(params=["fake", "postgres"])
def repo(request):
    if request.param == "fake":
        return InMemoryChatRepository()
    from chalicelib.repositories.postgres.chats import PostgresChatRepository

    stack = request.getfixturevalue("stack")
    return PostgresChatRepository(stack.database), stack


@pytest.fixture
def chats(repo):
    return repo if isinstance(repo, InMemoryChatRepository) else repo[0]


@pytest.fixture
def users(repo):
    """Make user subjects (the real store needs their users rows first)."""

    def make() -> str:
        sub = f"user-{uuid.uuid4()}"
        if not isinstance(repo, InMemoryChatRepository):
            repo[1].users.ensure(sub, f"{sub}@example.com")
        return sub

    return make


def test_a_chat_is_only_its_owners(chats, users):
    alice, bob = users(), users()
    chat = chats.create(alice, "rent")
    chat_id = str(chat["id"])
    assert chat["title"] == "rent" and chat["handoff"] is None
    assert str(chats.get(alice, chat_id)["id"]) == chat_id
    assert chats.get(bob, chat_id) is None
    assert chats.list(bob) == []
    assert chats.delete(bob, chat_id) is False
    assert chats.delete(alice, chat_id) is True
    assert chats.get(alice, chat_id) is None


def test_chats_list_most_recently_active_first(chats, users):
    alice = users()
    first = str(chats.create(alice, "first")["id"])
    second = str(chats.create(alice, "second")["id"])
    chats.add_message(first, "user", "hello")
    assert [str(c["id"]) for c in chats.list(alice)] == [first, second]


def test_messages_page_newest_first_with_their_fields(chats, users):
    alice = users()
    chat_id = str(chats.create(alice, "")["id"])
    ids = [chats.add_message(chat_id, "user", f"q{n}")["id"] for n in range(3)]
    stored = chats.add_message(
        chat_id,
        "assistant",
        "a",
        citations=[{"plcyNo": "R1"}],
        news=[
            {
                "title": "t",
                "url": "https://n.example/1",
                "source": "n.example",
                "published": "2026-11-24",
                "snippet": "s",
            }
        ],
        model="m",
        input_tokens=5,
        output_tokens=7,
        latency_ms=12,
    )
    assert stored["citations"] == [{"plcyNo": "R1"}]
    assert [n["url"] for n in stored["news"]] == ["https://n.example/1"]  # apart from citations
    assert (stored["model"], stored["input_tokens"], stored["output_tokens"]) == ("m", 5, 7)
    assert (stored["latency_ms"], stored["error"]) == (12, None)
    assert [m["content"] for m in chats.messages(chat_id, None, 2)] == ["a", "q2"]
    assert [m["content"] for m in chats.messages(chat_id, ids[2], 10)] == ["q1", "q0"]
    failed = chats.add_message(chat_id, "assistant", "", error="upstream_unavailable")
    assert failed["error"] == "upstream_unavailable" and failed["citations"] == []
    assert failed["news"] == []


def test_a_handoff_is_recorded_on_the_chat(chats, users):
    alice = users()
    chat_id = str(chats.create(alice, "")["id"])
    chats.set_handoff(chat_id, {"message": "a human please", "inquiry_id": "i-1"})
    handoff = chats.get(alice, chat_id)["handoff"]
    assert handoff == {"message": "a human please", "inquiry_id": "i-1"}


def test_the_ledger_starts_from_todays_messages_and_holds_until_settled(chats, users):
    alice = users()
    chat_id = str(chats.create(alice, "")["id"])
    chats.add_message(chat_id, "assistant", "a", input_tokens=60, output_tokens=40)
    assert chats.budget_state(alice, _DAY, _SINCE) == {"used": 100, "reserved": 0, "granted": False}
    granted = chats.reserve_tokens(alice, _DAY, _SINCE, 50, 200, 120)
    assert granted == {"used": 100, "reserved": 50, "granted": True}
    # used + held = 150 < 200: one more hold fits; then 200 >= 200 refuses.
    assert chats.reserve_tokens(alice, _DAY, _SINCE, 50, 200, 120)["granted"] is True
    refused = chats.reserve_tokens(alice, _DAY, _SINCE, 50, 200, 120)
    assert refused == {"used": 100, "reserved": 100, "granted": False}
    chats.settle_tokens(alice, _DAY, held=50, spent=30)
    assert chats.budget_state(alice, _DAY, _SINCE) == {
        "used": 130,
        "reserved": 50,
        "granted": False,
    }


def test_an_expired_hold_stops_counting(chats, users):
    alice = users()
    assert chats.reserve_tokens(alice, _DAY, _SINCE, 500, 600, 0)["granted"] is True
    time.sleep(0.05)
    assert chats.budget_state(alice, _DAY, _SINCE)["reserved"] == 0
    assert chats.reserve_tokens(alice, _DAY, _SINCE, 500, 600, 0)["granted"] is True

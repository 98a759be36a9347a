"""Contract: the notification repository fake behaves as the PostgreSQL adapter.

Each test runs against both; users, policies and bookmarks are seeded the way each keeps them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from chalicelib.policies.normalize import normalize
from tests.factories import policy_record
from tests.fakes.notifications import InMemoryNotificationRepository


@dataclass
class World:
    repo: Any
    user: Callable[..., str]  # (email, language) -> sub
    policy: Callable[[str], None]  # (plcy_no) -> None
    save: Callable[[str, str], None]  # (sub, plcy_no) -> None
    mail_status: Callable[[int], str]


def _fake_world() -> World:
    fake = InMemoryNotificationRepository()

    def user(email: str = "a@example.com", language: str = "ko") -> str:
        sub = str(uuid.uuid4())
        fake.users[sub] = {"email": email, "language": language}
        return sub

    def policy(plcy_no: str) -> None:
        fake.names[plcy_no] = "서울 청년 월세 지원"

    def save(sub: str, plcy_no: str) -> None:
        fake.savers.setdefault(plcy_no, []).append(sub)

    return World(fake, user, policy, save, fake.mail_status)


def _postgres_world(stack: Any) -> World:
    users, db = stack.users, stack.database

    def user(email: str = "a@example.com", language: str = "ko") -> str:
        sub = str(uuid.uuid4())
        users.ensure(sub, email)
        db.execute("UPDATE users SET language = :l WHERE sub = :s", l=language, s=sub)
        return sub

    def policy(plcy_no: str) -> None:
        stack.policies.upsert([normalize(policy_record(plcy_no))])

    def save(sub: str, plcy_no: str) -> None:
        stack.bookmark_repository.add(sub, plcy_no, "saved")

    def mail_status(notification_id: int) -> str:
        row = db.fetch_one("SELECT mail_status FROM notifications WHERE id = :i", i=notification_id)
        return str(row["mail_status"]) if row else ""

    return World(stack.notification_repository, user, policy, save, mail_status)


@pytest.fixture(params=["fake", "postgres"])
def world(request) -> World:
    if request.param == "fake":
        return _fake_world()
    return _postgres_world(request.getfixturevalue("stack"))  # tables truncated afterwards


def _change(plcy_no: str = "1", key: str = "h1@t>h2", **extra: Any) -> dict[str, Any]:
    changes = [{"kind": "age", "before": {"min": 19, "max": 39}, "after": {"min": 19, "max": 34}}]
    return {"plcy_no": plcy_no, "source": "ingestion", "changes": changes, "dedupe_key": key,
            "run_id": 1, **extra}  # fmt: skip


def test_a_change_notifies_each_saver_once(world):
    world.policy("1")
    first, second, other = world.user(), world.user(), world.user()
    world.save(first, "1")
    world.save(second, "1")
    assert world.repo.record_change(_change()) is not None
    assert world.repo.record_change(_change()) is None  # the same change again: nothing new
    assert [len(world.repo.page(s, None, 10)) for s in (first, second, other)] == [1, 1, 0]
    [row] = world.repo.page(first, None, 10)
    assert row["plcy_no"] == "1" and row["policy_name"] == "서울 청년 월세 지원"
    assert row["changes"][0]["kind"] == "age" and row["source"] == "ingestion"
    assert row["read_at"] is None and row["url"] is None


def test_pages_go_newest_first_below_the_cursor(world):
    world.policy("1")
    sub = world.user()
    world.save(sub, "1")
    for n in range(3):
        world.repo.record_change(_change(key=f"k{n}"))
    ids = [r["id"] for r in world.repo.page(sub, None, 10)]
    assert ids == sorted(ids, reverse=True) and len(ids) == 3
    assert [r["id"] for r in world.repo.page(sub, ids[0], 10)] == ids[1:]


def test_read_marks_are_the_owners_only(world):
    world.policy("1")
    sub, stranger = world.user(), world.user()
    world.save(sub, "1")
    world.repo.record_change(_change(key="a"))
    world.repo.record_change(_change(key="b"))
    first, _ = (r["id"] for r in world.repo.page(sub, None, 10))
    assert world.repo.mark_read(stranger, first) is False
    assert world.repo.unread_count(sub) == 2
    assert world.repo.mark_read(sub, first) is True
    assert world.repo.mark_read(sub, first) is True  # already read stays read
    assert world.repo.unread_count(sub) == 1
    assert world.repo.mark_all_read(sub) == 1
    assert world.repo.unread_count(sub) == 0


def test_mail_is_claimed_once_and_settled(world):
    world.policy("1")
    sub = world.user("en@example.com", "en")
    world.save(sub, "1")
    world.repo.record_change(_change())
    [claimed] = world.repo.claim_mail(10)
    assert (claimed["email"], claimed["language"], claimed["user_sub"]) == (
        "en@example.com",
        "en",
        sub,
    )
    assert world.repo.claim_mail(10) == []  # sending: never claimed again
    world.repo.finish_mail([claimed["id"]], "sent")
    assert world.mail_status(claimed["id"]) == "sent"
    assert world.repo.language(sub) == "en" and world.repo.language("nobody") == "ko"


def test_a_refused_mail_is_retried_then_given_up(world):
    world.policy("1")
    sub = world.user()
    world.save(sub, "1")
    world.repo.record_change(_change())
    for _ in range(3):
        [claimed] = world.repo.claim_mail(10)
        world.repo.finish_mail([claimed["id"]], "retry")
    assert world.repo.claim_mail(10) == []
    assert world.mail_status(claimed["id"]) == "failed"


def test_saved_policies_lists_policies_someone_saved(world):
    world.policy("1")
    world.policy("2")
    world.save(world.user(), "2")
    assert world.repo.saved_policies() == [{"plcy_no": "2", "name": "서울 청년 월세 지원"}]

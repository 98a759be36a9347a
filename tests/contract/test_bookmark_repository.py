"""Contract: the bookmark repository fake behaves as the PostgreSQL adapter.

Each test runs against both; policies, documents and users are seeded the way each keeps them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from tests.fakes.bookmarks import FakeBookmarkRepository

TODAY = dt.date(2026, 12, 1)


@dataclass
class World:
    repo: Any
    seed_policy: Any
    seed_user: Any


def _fake_world() -> World:
    fake = FakeBookmarkRepository()

    def seed_policy(
        plcy_no: str,
        name: str,
        apply_end: dt.date | None,
        documents: list[str],
        status: str = "window",
    ) -> list[int]:
        return fake.add_policy(
            FakeBookmarkRepository.policy(plcy_no, name, apply_end, apply_status=status), documents
        )

    return World(fake, seed_policy, fake.add_user)


def _postgres_world(stack: Any) -> World:
    db = stack.database

    def seed_policy(
        plcy_no: str,
        name: str,
        apply_end: dt.date | None,
        documents: list[str],
        status: str = "window",
    ) -> list[int]:
        db.execute(
            "INSERT INTO youth_policies (plcy_no, name, apply_status, apply_end, raw, content_hash, approved)"
            " VALUES (:p, :n, :s, CAST(:e AS date), CAST('{}' AS jsonb), 'x', true)",
            p=plcy_no,
            n=name,
            s=status,
            e=apply_end.isoformat() if apply_end else None,
        )
        return [
            db.fetch_one(
                "INSERT INTO required_documents (plcy_no, position, name) VALUES (:p, :o, :n) RETURNING id",
                p=plcy_no,
                o=position,
                n=doc,
            )["id"]
            for position, doc in enumerate(documents, start=1)
        ]

    return World(stack.bookmark_repository, seed_policy, stack.users.ensure)


@pytest.fixture(params=["fake", "postgres"])
def world(request) -> World:
    if request.param == "fake":
        return _fake_world()
    return _postgres_world(request.getfixturevalue("stack"))


def _ids() -> tuple[str, str]:
    return str(uuid.uuid4()), uuid.uuid4().hex[:20]


def test_add_is_once_and_get_returns_the_status(world):
    user, plcy = _ids()
    world.seed_user(user, "a@example.com")
    world.seed_policy(plcy, "청년 월세 지원", TODAY, ["신분증"])
    assert world.repo.add(user, plcy, "saved") is True
    assert world.repo.add(user, plcy, "preparing") is False
    assert world.repo.get(user, plcy)["status"] == "saved"
    assert world.repo.set_status(user, plcy, "applied") is True
    assert world.repo.get(user, plcy)["status"] == "applied"


def test_another_users_bookmark_is_invisible(world):
    (owner, plcy), (other, _) = _ids(), _ids()
    world.seed_user(owner, "o@example.com")
    world.seed_user(other, "x@example.com")
    world.seed_policy(plcy, "정책", TODAY, [])
    world.repo.add(owner, plcy, "saved")
    assert world.repo.get(other, plcy) is None
    assert world.repo.set_status(other, plcy, "applied") is False
    assert world.repo.remove(other, plcy) is False
    assert world.repo.list_for_user(other) == []


def test_list_counts_documents_and_done_ones(world):
    user, plcy = _ids()
    world.seed_user(user, "l@example.com")
    docs = world.seed_policy(plcy, "청년 도약계좌", TODAY, ["신분증", "소득증빙", "통장 사본"])
    world.repo.add(user, plcy, "preparing")
    assert world.repo.set_progress(user, plcy, docs[1], "ready") is True
    [row] = world.repo.list_for_user(user)
    assert (row["plcy_no"], row["name"], row["bookmark_status"]) == (
        plcy,
        "청년 도약계좌",
        "preparing",
    )
    assert (row["total"], row["done"]) == (3, 1)


def test_checklist_is_in_order_with_todo_by_default(world):
    user, plcy = _ids()
    world.seed_user(user, "c@example.com")
    docs = world.seed_policy(plcy, "정책", TODAY, ["가", "나"])
    world.repo.add(user, plcy, "saved")
    world.repo.set_progress(user, plcy, docs[0], "submitted")
    items = world.repo.checklist(user, plcy)
    assert [(i["name"], i["position"], i["status"]) for i in items] == [
        ("가", 1, "submitted"),
        ("나", 2, "todo"),
    ]


def test_progress_on_another_policys_document_is_refused(world):
    user, plcy = _ids()
    _, other_plcy = _ids()
    world.seed_user(user, "p@example.com")
    world.seed_policy(plcy, "정책", TODAY, ["가"])
    foreign = world.seed_policy(other_plcy, "다른 정책", TODAY, ["나"])
    world.repo.add(user, plcy, "saved")
    assert world.repo.set_progress(user, plcy, foreign[0], "ready") is False


def test_remove_drops_the_bookmark_and_its_progress(world):
    user, plcy = _ids()
    world.seed_user(user, "r@example.com")
    docs = world.seed_policy(plcy, "정책", TODAY, ["가"])
    world.repo.add(user, plcy, "saved")
    world.repo.set_progress(user, plcy, docs[0], "ready")
    assert world.repo.remove(user, plcy) is True
    assert world.repo.get(user, plcy) is None
    assert world.repo.remove(user, plcy) is False
    assert world.repo.checklist(user, plcy)[0]["status"] == "todo"


def _due_for(world, user):
    return [r for r in world.repo.due_reminders(TODAY.isoformat(), (7, 3, 1)) if r["sub"] == user]


def test_a_reminder_is_due_once_at_the_smallest_threshold_reached(world):
    user, plcy = _ids()
    world.seed_user(user, "due@example.com")
    end = TODAY + dt.timedelta(days=2)
    world.seed_policy(plcy, "마감 임박 정책", end, [])
    world.repo.add(user, plcy, "saved")
    [due] = _due_for(world, user)
    assert (due["plcy_no"], due["threshold"], due["days_left"], due["email"]) == (
        plcy,
        3,
        2,
        "due@example.com",
    )
    assert due["apply_end"] == end
    assert world.repo.record_reminder(user, plcy, 3, end.isoformat()) is True
    assert world.repo.record_reminder(user, plcy, 3, end.isoformat()) is False
    assert _due_for(world, user) == []
    world.repo.forget_reminder(user, plcy, 3, end.isoformat())
    assert len(_due_for(world, user)) == 1


def test_no_reminder_once_applied_or_far_or_closed(world):
    user = str(uuid.uuid4())
    world.seed_user(user, "n@example.com")
    applied, far, closed = (uuid.uuid4().hex[:20] for _ in range(3))
    world.seed_policy(applied, "신청함", TODAY + dt.timedelta(days=1), [])
    world.seed_policy(far, "멀었음", TODAY + dt.timedelta(days=30), [])
    world.seed_policy(closed, "마감됨", TODAY + dt.timedelta(days=1), [], status="closed")
    for plcy in (applied, far, closed):
        world.repo.add(user, plcy, "saved")
    world.repo.set_status(user, applied, "applied")
    assert _due_for(world, user) == []

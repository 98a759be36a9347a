"""The DeskRepository port: the in-memory fake and DynamoDB (moto server) pass the same suite."""

from __future__ import annotations

import uuid

import pytest

from chalicelib.errors import Conflict, InvalidInput
from tests.fakes.desk import InMemoryDeskRepository


@pytest.fixture(params=["fake", "dynamodb"])
def repo(request):
    if request.param == "fake":
        return InMemoryDeskRepository()
    return request.getfixturevalue("stack").desk_repository


def _tenant_id() -> str:
    return f"t{uuid.uuid4().hex[:10]}"


def _inquiry(tenant_id: str, n: int, status="escalated", priority="normal") -> dict:
    return {
        "inquiry_id": uuid.uuid4().hex,
        "tenant_id": tenant_id,
        "title": f"q{n}",
        "content": "c",
        "status": status,
        "priority": priority,
        "created_at": f"2026-03-{1 + n:02d}T10:00:00.000+00:00",
        "escalated_at": None,
    }


def test_tenants_round_trip_without_key_attributes_and_ids_are_unique(repo):
    tenant_id = _tenant_id()
    tenant = {"tenant_id": tenant_id, "name": "A", "tier": "pro", "created_at": "2026-01-01"}
    repo.put_tenant(tenant)
    assert repo.tenant(tenant_id) == tenant
    with pytest.raises(Conflict):
        repo.put_tenant(tenant)
    repo.update_tenant(tenant_id, {"tier": "enterprise", "faq": [{"id": "1", "question": "q"}]})
    assert repo.tenant(tenant_id) == {
        **tenant,
        "tier": "enterprise",
        "faq": [{"id": "1", "question": "q"}],
    }
    assert repo.tenant(_tenant_id()) is None


def test_api_keys_resolve_to_their_tenant_until_revoked(repo):
    tenant_id, key_hash = _tenant_id(), uuid.uuid4().hex
    repo.put_tenant({"tenant_id": tenant_id, "name": "A", "created_at": "2026-01-01"})
    repo.put_key(tenant_id, "k1", key_hash, "2026-01-01")
    assert repo.tenant_of_key(key_hash) == tenant_id
    assert repo.delete_key(tenant_id, "k1") is True
    assert repo.tenant_of_key(key_hash) is None
    assert repo.delete_key(tenant_id, "k1") is False


def test_an_inquiry_is_read_only_by_its_tenant_and_none_fields_are_dropped(repo):
    tenant_id = _tenant_id()
    inquiry = _inquiry(tenant_id, 1)
    assert repo.put_inquiry(inquiry, None) == inquiry
    stored = {k: v for k, v in inquiry.items() if v is not None}
    assert repo.inquiry(tenant_id, inquiry["inquiry_id"]) == stored
    assert repo.inquiry(_tenant_id(), inquiry["inquiry_id"]) is None


def test_a_repeated_idempotency_key_returns_the_first_inquiry(repo):
    tenant_id = _tenant_id()
    first, second = _inquiry(tenant_id, 1), _inquiry(tenant_id, 2)
    repo.put_inquiry(first, "retry-1")
    replay = repo.put_inquiry(second, "retry-1")
    assert replay["replayed"] is True and replay["inquiry_id"] == first["inquiry_id"]
    assert repo.inquiry(tenant_id, second["inquiry_id"]) is None


def test_updates_apply_only_from_the_expected_status(repo):
    tenant_id = _tenant_id()
    inquiry = _inquiry(tenant_id, 1)
    repo.put_inquiry(inquiry, None)
    with pytest.raises(Conflict):
        repo.update_inquiry(inquiry["inquiry_id"], "pending", {"status": "resolved"})
    repo.update_inquiry(inquiry["inquiry_id"], "escalated", {"status": "resolved", "x": 1})
    stored = repo.inquiry(tenant_id, inquiry["inquiry_id"])
    assert stored["status"] == "resolved" and stored["x"] == 1


def test_entries_and_attachments_come_back_oldest_first(repo):
    tenant_id = _tenant_id()
    inquiry = _inquiry(tenant_id, 1)
    repo.put_inquiry(inquiry, None)
    iid = inquiry["inquiry_id"]
    repo.add_entry(iid, "REPLY", {"entry_id": "r1", "created_at": "2026-03-03", "content": "b"})
    repo.add_entry(iid, "AI_RESPONSE", {"entry_id": "a1", "created_at": "2026-03-02", "draft": "a"})
    attachment = {"entry_id": "f1", "kind": "attachment", "created_at": "2026-03-04", "key": "k"}
    repo.put_attachment(iid, attachment)
    repo.put_attachment(iid, {**attachment, "state": "read"})
    assert [e["entry_id"] for e in repo.entries(iid)] == ["a1", "r1", "f1"]
    assert repo.attachment(iid, "f1") == {**attachment, "state": "read"}
    assert repo.attachment(iid, "nope") is None


def test_the_staff_list_filters_pages_newest_first_and_binds_its_cursor(repo):
    tenant_id = _tenant_id()
    made = [_inquiry(tenant_id, n, status="escalated" if n % 2 else "resolved") for n in range(7)]
    for inquiry in made:
        repo.put_inquiry(inquiry, None)
    escalated = [i["inquiry_id"] for i in reversed(made) if i["status"] == "escalated"]
    first, cursor = repo.list_inquiries(tenant_id, "escalated", None, 2, None)
    second, end = repo.list_inquiries(tenant_id, "escalated", None, 2, cursor)
    assert [i["inquiry_id"] for i in first + second] == escalated and end is None
    everything, _ = repo.list_inquiries(tenant_id, None, None, 10, None)
    assert [i["inquiry_id"] for i in everything] == [i["inquiry_id"] for i in reversed(made)]
    with pytest.raises(InvalidInput):
        repo.list_inquiries(tenant_id, "resolved", None, 2, cursor)


def test_pages_follow_the_period(repo):
    tenant_id = _tenant_id()
    made = [_inquiry(tenant_id, n) for n in range(5)]
    for inquiry in made:
        repo.put_inquiry(inquiry, None)
    items, cursor = repo.page(tenant_id, 2, None, "2026-03-02", "2026-03-04")
    more, end = repo.page(tenant_id, 2, cursor, "2026-03-02", "2026-03-04")
    assert [i["title"] for i in items + more] == ["q3", "q2", "q1"] and end is None


def test_the_open_queue_and_rate_counters_count(repo):
    tenant_id = _tenant_id()
    assert repo.open_count(tenant_id) == 0
    repo.adjust_open(tenant_id, 2)
    repo.adjust_open(tenant_id, -1)
    assert repo.open_count(tenant_id) == 1
    scope = f"IP#{uuid.uuid4().hex}"
    assert [repo.count_hit(scope, 3600, 10_800) for _ in range(3)] == [1, 2, 3]
    assert repo.count_hit(scope, 7200, 14_400) == 1


def test_a_tenant_is_read_with_its_open_queue_in_one_call(repo):
    tenant_id = _tenant_id()
    assert repo.tenant_with_queue(tenant_id) is None
    repo.adjust_open(tenant_id, 3)
    assert repo.tenant_with_queue(tenant_id) is None  # a counter alone is no tenant
    repo.put_tenant({"tenant_id": tenant_id, "name": "A", "created_at": "2026-01-01"})
    assert repo.tenant_with_queue(tenant_id) == {**repo.tenant(tenant_id), "open_inquiries": 3}
    repo.adjust_open(tenant_id, -5)  # a counter that drifted below zero reads as empty
    assert repo.tenant_with_queue(tenant_id)["open_inquiries"] == 0
    other = _tenant_id()
    repo.put_tenant({"tenant_id": other, "name": "B", "created_at": "2026-01-01"})
    assert repo.tenant_with_queue(other)["open_inquiries"] == 0


def test_a_step_is_claimed_once_until_released_and_is_no_entry(repo):
    tenant_id = _tenant_id()
    inquiry = _inquiry(tenant_id, 1)
    repo.put_inquiry(inquiry, None)
    iid = inquiry["inquiry_id"]
    assert repo.claim_step(iid, "escalated:t1:mail") is True
    assert repo.claim_step(iid, "escalated:t1:mail") is False
    assert repo.claim_step(iid, "escalated:t1:note") is True
    repo.release_step(iid, "escalated:t1:mail")
    assert repo.claim_step(iid, "escalated:t1:mail") is True
    assert repo.entries(iid) == []


def test_undecided_lists_open_inquiries_older_than_the_cut_and_not_decided(repo):
    tenant_id = _tenant_id()
    repo.put_tenant({"tenant_id": tenant_id, "name": "A", "created_at": "2026-01-01"})
    waiting = _inquiry(tenant_id, 1, status="pending")
    handed = _inquiry(tenant_id, 2, status="escalated")
    decided = {**_inquiry(tenant_id, 3, status="pending"), "decided_at": "2026-03-04"}
    resolved = _inquiry(tenant_id, 4, status="resolved")
    recent = _inquiry(tenant_id, 9, status="pending")
    for inquiry in (waiting, handed, decided, resolved, recent):
        repo.put_inquiry(inquiry, None)
    found = repo.undecided("2026-03-08T00:00:00.000+00:00", 10_000)
    mine = {i["inquiry_id"] for i in found if i["tenant_id"] == tenant_id}
    assert mine == {waiting["inquiry_id"], handed["inquiry_id"]}


def test_a_new_priority_moves_the_inquiry_in_the_filtered_list(repo):
    tenant_id = _tenant_id()
    inquiry = _inquiry(tenant_id, 1, status="pending", priority="normal")
    repo.put_inquiry(inquiry, None)
    repo.update_inquiry(inquiry["inquiry_id"], "pending", {"priority": "urgent"})
    urgent, _ = repo.list_inquiries(tenant_id, "pending", "urgent", 10, None)
    normal, _ = repo.list_inquiries(tenant_id, "pending", "normal", 10, None)
    assert [i["inquiry_id"] for i in urgent] == [inquiry["inquiry_id"]] and normal == []

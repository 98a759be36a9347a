"""The staff inquiry list: every match exactly once, newest first, behind signed cursors."""

from __future__ import annotations

import base64
import json
import random
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest

from chalicelib.cursors import SignedCursors
from chalicelib.errors import InvalidInput
from chalicelib.repositories.dynamodb.desk import DynamoDBDeskRepository
from tests.factories import bearer, post_json
from tests.functional.test_desk_routes import COMPLAINT, FAQ_QUESTION, _member, _submit, _tenant

STATUSES = ("pending", "ai_responded", "escalated", "resolved")
PRIORITIES = ("urgent", "high", "normal", "low")


@pytest.fixture
def desks(client, stack):
    """Two tenants, each with an API key and one staff member."""
    admin = _member(client, stack, "platform-admins")
    acme, other = _tenant(client, stack, admin, "Acme"), _tenant(client, stack, admin, "Other")
    return {
        "acme": acme,
        "other": other,
        "staff": bearer(_member(client, stack, f"tenant-{acme['tenant_id']}-staff")["id_token"]),
        "other_staff": bearer(
            _member(client, stack, f"tenant-{other['tenant_id']}-staff")["id_token"]
        ),
    }


def _repo(stack, key: bytes = b"seeding") -> DynamoDBDeskRepository:
    return DynamoDBDeskRepository(stack.dynamodb, str(stack.settings.table_name), key)


def _seed(stack, tenant_id: str, rows: list[tuple[str, str]]) -> list[dict]:
    """Store inquiries (status, priority), one millisecond apart, oldest first."""
    repo, start = _repo(stack), datetime.now(UTC) - timedelta(days=1)
    stored = []
    for n, (status, priority) in enumerate(rows):
        created = (start + timedelta(milliseconds=n)).isoformat(timespec="milliseconds")
        inquiry = {
            "inquiry_id": uuid.uuid4().hex,
            "tenant_id": tenant_id,
            "customer_email": "seed@example.com",
            "category": "general",
            "title": f"seeded {n}",
            "content": "seeded",
            "status": status,
            "priority": priority,
            "created_at": created,
            # Seeded as the worker left them: decided, so the desk's sweeper never requeues them.
            "decided_at": created,
        }
        stored.append(repo.put_inquiry(inquiry, None))
    return stored


def _pages(client, headers, query: str, limit: int) -> list[list[dict]]:
    """Follow ``next`` to the end; return every page's items."""
    pages, cursor = [], None
    while True:
        suffix = f"&next={quote(cursor)}" if cursor else ""
        response = client.http.get(
            f"/api/admin/inquiries?limit={limit}{'&' + query if query else ''}{suffix}",
            headers=headers,
        )
        assert response.status_code == 200, response.body
        pages.append(response.json_body["items"])
        cursor = response.json_body["next"]
        if cursor is None:
            return pages
        assert len(pages) < 200, "the list never ends"


def _ids(pages: list[list[dict]]) -> list[str]:
    return [item["inquiry_id"] for page in pages for item in page]


def test_six_urgent_inquiries_at_limit_three_arrive_as_six(client, desks):
    # Newest first the tenant's list reads U U N U U N U U: a page of GSI1 read at the limit and
    # filtered afterwards used to skip the third urgent one.
    order = ["U", "U", "N", "U", "U", "N", "U", "U"][::-1]
    urgent = []
    for kind in order:
        body = _submit(client, desks["acme"], COMPLAINT if kind == "U" else FAQ_QUESTION).json_body
        assert body["priority"] == "urgent" if kind == "U" else body["priority"] != "urgent"
        if kind == "U":
            urgent.append(body["inquiry_id"])
    pages = _pages(client, desks["staff"], "priority=urgent", 3)
    assert _ids(pages) == urgent[::-1]
    assert [len(page) for page in pages] == [3, 3]
    assert all(item["priority"] == "urgent" for page in pages for item in page)
    assert not any(key.startswith("GSI") for page in pages for item in page for key in item)


def test_every_filter_and_limit_returns_each_match_once_newest_first(client, stack, desks):
    pick = random.Random(20240601)
    common = [(s, p) for s in STATUSES for p in PRIORITIES if (s, p) != ("pending", "low")]
    # The oldest is the only one of its kind: a rare filter behind 35 newer inquiries.
    rows = [("pending", "low")] + [pick.choice(common) for _ in range(35)]
    seeded = _seed(stack, desks["acme"]["tenant_id"], rows)
    _seed(stack, desks["other"]["tenant_id"], rows[:10])  # another tenant's never show
    newest_first = seeded[::-1]
    for status in (None, *STATUSES):
        for priority in (None, *PRIORITIES):
            query = "&".join(
                f"{name}={value}"
                for name, value in (("status", status), ("priority", priority))
                if value
            )
            expected = [
                i["inquiry_id"]
                for i in newest_first
                if status in (None, i["status"]) and priority in (None, i["priority"])
            ]
            for limit in (1, 4, 100):
                pages = _pages(client, desks["staff"], query, limit)
                assert _ids(pages) == expected, (query, limit)
                assert all(len(page) == limit for page in pages[:-1]), (query, limit)
    rare = client.http.get(
        "/api/admin/inquiries?status=pending&priority=low&limit=1", headers=desks["staff"]
    ).json_body
    assert [i["inquiry_id"] for i in rare["items"]] == [seeded[0]["inquiry_id"]]
    assert rare["next"] is None


def test_a_status_change_moves_the_inquiry_between_filtered_lists(client, desks):
    inquiry = _submit(client, desks["acme"], FAQ_QUESTION).json_body["inquiry_id"]
    staff = desks["staff"]

    def listed(status: str) -> list[str]:
        return _ids(_pages(client, staff, f"status={status}", 5))

    assert inquiry in listed("ai_responded")
    key = {"x-api-key": desks["acme"]["api_key"]}
    assert post_json(client, f"/api/inquiries/{inquiry}/escalate", {}, **key).status_code == 200
    assert inquiry in listed("escalated") and inquiry not in listed("ai_responded")
    reply = post_json(client, f"/api/admin/inquiries/{inquiry}/reply", {"content": "네"}, **staff)
    assert reply.status_code == 200
    assert inquiry in listed("resolved") and inquiry not in listed("escalated")
    post_json(client, f"/api/inquiries/{inquiry}/messages", {"content": "다시요"}, **key)
    assert inquiry in listed("pending") and inquiry not in listed("resolved")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _bad_cursors(valid: str, tenant_id: str) -> dict[str, str]:
    body, _, mac = valid.partition(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    edited = _b64(json.dumps({**payload, "after": payload["after"][:-1] + "0"}).encode())
    return {
        "edited position, old signature": f"{edited}.{mac}",
        "flipped signature": f"{body}.{mac[:-2]}{'AA' if mac[-2:] != 'AA' else 'BB'}",
        "no signature": body,
        "empty signature": f"{body}.",
        "partial dynamodb key": _b64(
            json.dumps({"GSI1PK": {"S": f"COMPANY#{tenant_id}"}}).encode()
        ),
        "garbage": "garbage",
        "base64 junk": _b64(bytes(range(256))),
        "junk with a dot": f"{_b64(b'{')}.{_b64(b'x' * 32)}",
        "non-ascii": "커서.커서",
        "long junk": "A" * 900 + "." + "B" * 43,
    }


def test_tampered_or_junk_cursors_are_400_and_change_nothing(client, stack, desks):
    _seed(stack, desks["acme"]["tenant_id"], [("escalated", "urgent")] * 3)
    staff = desks["staff"]
    first = client.http.get("/api/admin/inquiries?limit=1", headers=staff).json_body
    for name, cursor in _bad_cursors(first["next"], desks["acme"]["tenant_id"]).items():
        response = client.http.get(
            f"/api/admin/inquiries?limit=1&next={quote(cursor)}", headers=staff
        )
        assert response.status_code == 400, name
        assert response.json_body["error"]["code"] == "invalid_cursor", name
        assert response.json_body["error"]["message"], name
    assert client.http.get("/api/admin/inquiries?limit=1", headers=staff).json_body == first


def test_a_partial_dynamodb_key_cursor_is_400_not_500(client, desks):
    for _ in range(2):
        _submit(client, desks["acme"], FAQ_QUESTION)
    partial = _b64(json.dumps({"GSI1PK": {"S": f"COMPANY#{desks['acme']['tenant_id']}"}}).encode())
    response = client.http.get(
        f"/api/admin/inquiries?limit=1&next={partial}", headers=desks["staff"]
    )
    assert response.status_code == 400
    assert response.json_body["error"]["code"] == "invalid_cursor"


def test_a_cursor_cannot_be_replayed_on_another_tenant_or_filter(client, stack, desks):
    _seed(stack, desks["acme"]["tenant_id"], [("escalated", "urgent")] * 3)
    _seed(stack, desks["other"]["tenant_id"], [("escalated", "urgent")] * 3)
    acme = client.http.get(
        "/api/admin/inquiries?limit=1&status=escalated", headers=desks["staff"]
    ).json_body["next"]
    for headers, query in (
        (desks["other_staff"], "status=escalated"),
        (desks["staff"], "status=resolved"),
        (desks["staff"], "priority=urgent"),
        (desks["staff"], ""),
    ):
        response = client.http.get(
            f"/api/admin/inquiries?limit=1&{query}&next={quote(acme)}", headers=headers
        )
        assert response.status_code == 400, query
        assert response.json_body["error"]["code"] == "invalid_cursor"


def test_a_signed_cursor_with_a_malformed_position_is_refused(stack):
    key = b"repository-test-key"
    repo, cursors = _repo(stack, key), SignedCursors(key)
    for after in ("", "INQUIRY#", "METADATA", "INQUIRY#2024-01-01T00:00:00.000+00:00#XYZ"):
        cursor = cursors.encode({"v": "1", "tenant": "t1", "filter": "*|*", "after": after})
        with pytest.raises(InvalidInput):
            repo.list_inquiries("t1", None, None, 5, cursor)
    for payload in ({"v": "1"}, {"v": "1", "tenant": "t1", "filter": "*|*", "after": 3}):
        with pytest.raises(InvalidInput):
            repo.list_inquiries("t1", None, None, 5, cursors.encode(payload))  # type: ignore[arg-type]


def test_inquiries_stored_before_gsi2_join_the_filtered_lists_after_the_backfill(
    client, stack, desks
):
    old = _seed(stack, desks["acme"]["tenant_id"], [("escalated", "high"), ("escalated", "low")])
    table, dynamodb = str(stack.settings.table_name), stack.dynamodb
    for inquiry in old:  # as an older version stored them: no GSI2 keys
        dynamodb.update_item(
            TableName=table,
            Key={"PK": {"S": f"INQUIRY#{inquiry['inquiry_id']}"}, "SK": {"S": "METADATA"}},
            UpdateExpression="REMOVE GSI2PK, GSI2SK",
        )
    staff = desks["staff"]
    assert _ids(_pages(client, staff, "status=escalated", 10)) == []
    assert _ids(_pages(client, staff, "", 10)) == [i["inquiry_id"] for i in old[::-1]]
    assert _repo(stack).backfill_list_index() == 2
    assert _ids(_pages(client, staff, "status=escalated", 10)) == [
        i["inquiry_id"] for i in old[::-1]
    ]
    assert _ids(_pages(client, staff, "priority=low", 10)) == [old[1]["inquiry_id"]]
    assert _repo(stack).backfill_list_index() == 0

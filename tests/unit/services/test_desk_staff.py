"""Staff replies, the staff view and the metrics with in-memory fakes."""

from __future__ import annotations

import time

from chalicelib.services.desk.metrics import DeskMetrics
from tests.unit.services.desk_builders import Desk


def test_a_reply_resolves_mails_the_customer_and_is_shown_to_them():
    desk = Desk()
    desk.drafter.confidence = 0.1
    tenant = desk.tenant()
    inquiry_id = desk.submit(tenant)["inquiry_id"]
    staff_view = desk.staff.reply(tenant, inquiry_id, "staff@acme.test", "처리했습니다")
    assert staff_view["status"] == "resolved" and staff_view["first_response_at"]
    assert desk.mailer.sent[-1] == {
        "to": "c@example.com",
        "subject": "[Acme] Re: 환불 문의",
        "body": "처리했습니다",
    }
    customer = desk.inquiries.get(tenant, inquiry_id)
    assert [a["from"] for a in customer["answers"]] == ["staff"]


def test_a_second_reply_follows_up_on_a_resolved_inquiry():
    desk = Desk()
    desk.drafter.confidence = 0.1
    tenant = desk.tenant()
    inquiry_id = desk.submit(tenant)["inquiry_id"]
    first = desk.staff.reply(tenant, inquiry_id, "staff@acme.test", "처리했습니다")
    time.sleep(0.01)  # entries are ordered by their millisecond stamps
    again = desk.staff.reply(tenant, inquiry_id, "staff@acme.test", "추가 안내드립니다")
    assert again["status"] == "resolved" and again["resolved_at"] == first["resolved_at"]
    assert [m["body"] for m in desk.mailer.sent[-2:]] == ["처리했습니다", "추가 안내드립니다"]
    replies = [e["content"] for e in again["entries"] if e.get("author") == "staff@acme.test"]
    assert replies == ["처리했습니다", "추가 안내드립니다"]
    customer = desk.inquiries.get(tenant, inquiry_id)
    assert [a["from"] for a in customer["answers"]] == ["staff", "staff"]
    # The topic heard of the status change once: escalated, then resolved.
    statuses = [n["message"]["status"] for n in desk.notifier.published]
    assert statuses == ["escalated", "resolved"]


def test_the_staff_list_is_newest_first():
    desk = Desk()
    tenant = desk.tenant()
    ids = []
    for n in range(3):
        ids.append(desk.submit(tenant, title=f"t{n}")["inquiry_id"])
        time.sleep(0.002)  # distinct creation times (milliseconds)
    listed = desk.staff.admin_list(tenant, None, None, 2, None)
    assert [i["inquiry_id"] for i in listed["items"]] == ids[::-1][:2] and listed["next"]


def test_metrics_price_tokens_at_the_given_rates():
    desk = Desk()
    tenant = desk.tenant()
    desk.submit(tenant)
    desk.drafter.confidence = 0.1
    desk.submit(tenant)
    figures = DeskMetrics(desk.repo, (3.0, 15.0)).metrics(tenant, None, None)
    assert figures["inquiries"] == 2 and figures["escalation_rate"] == 0.5
    assert figures["ai_auto_resolution_rate"] == 0.5
    assert figures["tokens"] == {"input": 600, "output": 200}
    assert figures["cost_usd"] == round(600 / 1e6 * 3 + 200 / 1e6 * 15, 4)
    assert DeskMetrics(desk.repo, (0.0, 0.0)).metrics(tenant, None, None)["cost_usd"] == 0

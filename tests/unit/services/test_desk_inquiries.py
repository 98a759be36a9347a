"""Inquiry rules with in-memory fakes: when the AI answers, when a human is called."""

from __future__ import annotations

import pytest

from chalicelib.errors import Conflict, NotFound
from tests.unit.services.desk_builders import TOPIC, Desk


def test_a_confident_draft_answers_the_customer_and_nobody_is_called():
    desk = Desk()
    tenant = desk.tenant()
    view = desk.submit(tenant)
    assert view["status"] == "ai_responded" and view["eta_minutes"] == 0
    assert [a["content"] for a in view["answers"]] == ["FAQ answer"]
    assert desk.mailer.sent == []  # nobody is called; the topic hears the status change only
    assert [n["message"]["status"] for n in desk.notifier.published] == ["ai_responded"]
    assert desk.repo.open_count(tenant) == 0
    assert desk.analyzer.texts == ["환불 문의\n환불은?"]


def test_a_low_confidence_draft_escalates_with_mail_and_notification():
    desk = Desk()
    desk.drafter.confidence = 0.3
    tenant = desk.tenant()
    view = desk.submit(tenant)
    assert view["status"] == "escalated" and view["answers"] == [] and view["eta_minutes"] > 0
    [mail] = desk.mailer.sent
    assert mail["to"] == "staff@acme.test" and "low AI confidence" in mail["body"]
    assert "--- AI draft ---\nFAQ answer" in mail["body"]
    [note] = desk.notifier.published
    assert note["topic"] == TOPIC and note["message"]["reason"] == "low AI confidence"
    assert desk.repo.open_count(tenant) == 1


def test_an_urgent_inquiry_reaches_a_human_however_confident_the_draft():
    desk = Desk(drafter=Desk().drafter)
    desk.analyzer.sentiment = "NEGATIVE"
    tenant = desk.tenant(tier="enterprise")
    view = desk.submit(tenant, urgency="high", category="billing")
    assert view["priority"] == "urgent" and view["status"] == "escalated"


def test_an_advisor_handoff_always_escalates_with_its_reason():
    desk = Desk()
    tenant = desk.tenant()
    handed = desk.inquiries.handoff_from_chat(tenant, "", {"id": "c1", "title": None}, "사람")
    stored = desk.repo.inquiry(tenant, handed["inquiry_id"])
    assert stored["status"] == "escalated" and stored["customer_email"] == "unknown@finq.local"
    assert stored["source"] == {"chat_id": "c1"}
    assert desk.mailer.sent == []  # the worker mails staff, with the draft
    desk.work()
    [mail] = desk.mailer.sent
    assert "advisor chat handoff" in mail["body"] and "FAQ answer" in mail["body"]


def test_usage_is_recorded_on_the_inquiry():
    desk = Desk()
    tenant = desk.tenant()
    stored = desk.repo.inquiry(tenant, desk.submit(tenant)["inquiry_id"])
    assert (stored["tokens_in"], stored["tokens_out"]) == (300, 100)
    [entry] = desk.repo.entries(stored["inquiry_id"])
    assert entry["model"] == "scripted-drafter" and entry["sent_to_customer"] is True


def test_escalation_moves_forward_only():
    desk = Desk()
    tenant = desk.tenant()
    inquiry_id = desk.submit(tenant)["inquiry_id"]
    assert desk.inquiries.escalate(tenant, inquiry_id)["status"] == "escalated"
    assert desk.repo.open_count(tenant) == 1
    assert "customer request" in desk.mailer.sent[0]["body"]
    with pytest.raises(Conflict):
        desk.inquiries.escalate(tenant, inquiry_id)


def test_a_customer_message_reopens_a_resolved_inquiry():
    desk = Desk()
    desk.drafter.confidence = 0.1
    tenant = desk.tenant()
    inquiry_id = desk.submit(tenant)["inquiry_id"]
    desk.staff.reply(tenant, inquiry_id, "staff@acme.test", "처리했습니다")
    assert desk.repo.open_count(tenant) == 0
    view = desk.inquiries.customer_message(tenant, inquiry_id, "아직이요")
    assert view["status"] == "pending" and desk.repo.open_count(tenant) == 1


def test_another_tenants_inquiry_is_not_found():
    desk = Desk()
    mine, other = desk.tenant(), desk.tenant()
    inquiry_id = desk.submit(mine)["inquiry_id"]
    with pytest.raises(NotFound):
        desk.inquiries.get(other, inquiry_id)
    with pytest.raises(NotFound):
        desk.inquiries.get(mine, "x" * 65)


def test_a_complaints_first_priority_and_eta_are_a_complaints_before_the_worker_runs():
    desk = Desk()
    tenant = desk.tenant()
    calm = desk.accept(tenant, content="환불은 어떻게 받나요?")
    angry = desk.accept(tenant, content="세 번이나 문의했는데 답이 없네요. 정말 실망입니다.")
    assert (calm["status"], calm["priority"]) == ("pending", "low")
    assert (angry["status"], angry["priority"]) == ("pending", "high")
    assert angry["eta_minutes"] < calm["eta_minutes"]

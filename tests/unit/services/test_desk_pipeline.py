"""The desk's worker with in-memory fakes: steps, redelivery, retries and the AI-down fallback."""

from __future__ import annotations

import json
import time

import pytest

from chalicelib.errors import Conflict, UpstreamUnavailable
from tests.fakes.desk import FailingDrafter
from tests.unit.services.desk_builders import Desk


def test_submit_stores_a_pending_inquiry_and_queues_it_without_any_ai():
    desk = Desk()
    tenant = desk.tenant()
    accepted = desk.accept(tenant)
    assert accepted["status"] == "pending" and accepted["answers"] == []
    assert accepted["eta_minutes"] > 0 and accepted["estimated_response_time"]
    assert desk.analyzer.texts == [] and desk.drafter.inquiries == []
    assert desk.queue.messages == [{"tenant_id": tenant, "inquiry_id": accepted["inquiry_id"]}]
    assert desk.repo.open_count(tenant) == 1


def test_the_worker_records_every_step_on_the_inquiry():
    desk = Desk()
    tenant = desk.tenant()
    inquiry_id = desk.accept(tenant)["inquiry_id"]
    assert desk.work() == ["ai_responded"]
    stored = desk.repo.inquiry(tenant, inquiry_id)
    assert stored["sentiment"] == "NEUTRAL" and stored["language"] == "ko"
    assert stored["triaged_at"] and stored["drafted_at"] and stored["decided_at"]
    assert (stored["tokens_in"], stored["tokens_out"], stored["ai_confidence"]) == (300, 100, 0.9)
    assert desk.repo.open_count(tenant) == 0


def test_a_redelivered_message_repeats_no_step_and_no_notice():
    desk = Desk()
    desk.drafter.confidence = 0.2
    tenant = desk.tenant()
    inquiry_id = desk.accept(tenant)["inquiry_id"]
    message = json.dumps({"tenant_id": tenant, "inquiry_id": inquiry_id})
    desk.work()
    assert desk.pipeline.deliver(message, 2) == "escalated"
    assert len(desk.analyzer.texts) == 1 and len(desk.drafter.inquiries) == 1
    assert len(desk.mailer.sent) == 1 and len(desk.notifier.published) == 1
    assert len(desk.repo.entries(inquiry_id)) == 1


def test_a_notice_that_failed_is_sent_by_the_retry_and_only_once():
    desk = Desk()
    desk.drafter.confidence = 0.2
    tenant = desk.tenant()
    inquiry_id = desk.accept(tenant)["inquiry_id"]
    message = json.dumps({"tenant_id": tenant, "inquiry_id": inquiry_id})
    desk.tenants.update_tenant(tenant, {"sns_topic_arn": "arn:aws:sns:x:1:gone"})
    failing = desk.notifier.publish

    def refuse(*_: object) -> str:
        raise UpstreamUnavailable("sns down")

    desk.notifier.publish = refuse  # type: ignore[method-assign]
    with pytest.raises(UpstreamUnavailable):
        desk.pipeline.deliver(message, 1)
    desk.notifier.publish = failing  # type: ignore[method-assign]
    assert desk.pipeline.deliver(message, 2) == "escalated"
    assert len(desk.mailer.sent) == 1  # mailed on the first attempt, not again
    assert [n["topic"] for n in desk.notifier.published] == ["arn:aws:sns:x:1:gone"]


def test_a_failing_model_is_retried_then_a_human_gets_it_as_ai_unavailable():
    desk = Desk(drafter=FailingDrafter(), max_receives=3)
    tenant = desk.tenant()
    accepted = desk.accept(tenant, title="결제 오류", content="결제가 안 돼요")
    message = json.dumps({"tenant_id": tenant, "inquiry_id": accepted["inquiry_id"]})
    for receive in (1, 2):
        with pytest.raises(UpstreamUnavailable):
            desk.pipeline.deliver(message, receive)
        assert desk.repo.inquiry(tenant, accepted["inquiry_id"])["status"] == "pending"
    assert desk.pipeline.deliver(message, 3) == "escalated"
    stored = desk.repo.inquiry(tenant, accepted["inquiry_id"])
    assert stored["escalation_reason"] == "ai_unavailable"
    assert (stored["title"], stored["content"]) == ("결제 오류", "결제가 안 돼요")
    [mail] = desk.mailer.sent
    assert "(AI unavailable)" in mail["body"] and "결제가 안 돼요" in mail["body"]
    assert desk.drafter.calls == 3


def test_a_dead_letter_hands_the_inquiry_to_a_human():
    desk = Desk(drafter=FailingDrafter(), max_receives=5)
    tenant = desk.tenant()
    accepted = desk.accept(tenant)
    message = json.dumps({"tenant_id": tenant, "inquiry_id": accepted["inquiry_id"]})
    assert desk.pipeline.deliver(message, dead_letter=True) == "escalated"


def test_a_malformed_message_is_dropped_and_a_vanished_inquiry_skipped():
    desk = Desk()
    assert desk.pipeline.deliver("not json") is None
    assert desk.pipeline.deliver(json.dumps({"inquiry_id": "i"})) is None
    assert desk.pipeline.deliver(json.dumps({"tenant_id": "t", "inquiry_id": "gone"})) is None


def test_same_key_same_body_is_the_stored_inquiry_and_another_body_a_409():
    desk = Desk()
    tenant = desk.tenant()
    first = desk.accept(tenant, key="k-1")
    desk.work()
    again = desk.accept(tenant, key="k-1")
    assert again["inquiry_id"] == first["inquiry_id"] and again["status"] == "ai_responded"
    assert desk.queue.messages == [] and len(desk.drafter.inquiries) == 1  # no AI re-run
    with pytest.raises(Conflict) as conflict:
        desk.accept(tenant, key="k-1", content="다른 내용")
    assert conflict.value.code == "idempotency_conflict"


def test_a_failed_enqueue_still_accepts_and_the_sweeper_sends_it_later():
    desk = Desk()
    tenant = desk.tenant()
    desk.queue.failing = True
    accepted = desk.accept(tenant)
    assert accepted["status"] == "pending"
    assert desk.repo.inquiry(tenant, accepted["inquiry_id"])["content"] == "환불은?"
    desk.queue.failing = False
    time.sleep(0.01)  # created strictly before the sweep's cut-off (millisecond stamps)
    assert desk.inquiries.requeue_stale(0) == 1
    assert desk.work() == ["ai_responded"]
    assert desk.inquiries.requeue_stale(0) == 0  # decided: nothing left to sweep


def test_a_customer_escalation_before_the_worker_is_not_mailed_twice():
    desk = Desk()
    tenant = desk.tenant()
    inquiry_id = desk.accept(tenant)["inquiry_id"]
    desk.inquiries.escalate(tenant, inquiry_id)
    desk.work()
    assert len(desk.mailer.sent) == 1 and "customer request" in desk.mailer.sent[0]["body"]
    assert desk.repo.inquiry(tenant, inquiry_id)["status"] == "escalated"


def test_a_message_for_a_deleted_tenant_is_dropped_not_retried_forever():
    desk = Desk()
    tenant = desk.tenant()
    accepted = desk.accept(tenant)
    del desk.repo.tenants[tenant]
    message = json.dumps({"tenant_id": tenant, "inquiry_id": accepted["inquiry_id"]})
    assert desk.pipeline.deliver(message, 1) is None
    assert desk.pipeline.deliver(message, dead_letter=True) is None
    assert desk.mailer.sent == []


def test_the_stored_inquiry_and_ai_response_carry_the_seeds_field_names():
    desk = Desk()
    tenant = desk.tenant()
    accepted = desk.accept(tenant, urgency="low")
    stored = desk.repo.inquiries[accepted["inquiry_id"]]
    assert stored["estimated_response_time"] == accepted["estimated_response_time"]
    assert accepted["urgency"] == "low" and accepted["ai_response"] is None
    desk.work()
    stored = desk.repo.inquiries[accepted["inquiry_id"]]
    assert stored["status"] == "ai_responded" and stored["ai_response"] == "FAQ answer"
    assert stored["estimated_response_time"] == stored["first_response_at"]
    drafts = [e for e in desk.repo.entries(accepted["inquiry_id"]) if "draft" in e]
    assert drafts and all(
        (e["model_used"], e["prompt_tokens"], e["completion_tokens"], e["response_quality_score"])
        == ("scripted-drafter", 300, 100, 0.9)
        for e in drafts
    )
    assert desk.view(tenant, accepted["inquiry_id"])["ai_response"] == "FAQ answer"


def test_a_staff_reply_is_the_inquirys_human_response_and_a_follow_up_replaces_it():
    desk = Desk()
    desk.drafter.confidence = 0.1
    tenant = desk.tenant()
    inquiry_id = desk.submit(tenant)["inquiry_id"]
    assert desk.repo.inquiries[inquiry_id]["ai_response"] == "FAQ answer"  # the draft, kept
    assert desk.view(tenant, inquiry_id)["ai_response"] is None  # never sent to the customer
    desk.staff.reply(tenant, inquiry_id, "staff@acme.test", "처리했습니다")
    time.sleep(0.01)  # entries are ordered by their millisecond stamps
    desk.staff.reply(tenant, inquiry_id, "staff@acme.test", "추가 안내드립니다")
    assert desk.repo.inquiries[inquiry_id]["human_response"] == "추가 안내드립니다"
    assert desk.view(tenant, inquiry_id)["human_response"] == "추가 안내드립니다"


def test_each_processed_inquiry_emits_its_metrics_once_and_feedback_its_satisfaction():
    desk = Desk()
    tenant = desk.tenant()
    accepted = desk.accept(tenant)
    message = desk.queue.take()[0]
    desk.pipeline.deliver(json.dumps(message))
    desk.pipeline.deliver(json.dumps(message))  # redelivered: nothing counted twice
    assert desk.metrics.emitted == [
        {
            "namespace": "FinQ/Desk",
            "dimensions": {"TenantId": tenant},
            "values": {
                "PromptTokens": (300, "Count"),
                "CompletionTokens": (100, "Count"),
                "Escalated": (0, "Count"),
                "AutoAnswered": (1, "Count"),
                "ResponseQualityScore": (0.9, "None"),
            },
            "properties": {
                "InquiryId": accepted["inquiry_id"],
                "Priority": desk.repo.inquiries[accepted["inquiry_id"]]["priority"],
                "EscalationReason": None,
            },
        }
    ]
    desk.inquiries.feedback(tenant, accepted["inquiry_id"], 5, "")
    assert desk.metrics.emitted[-1]["values"] == {"CustomerSatisfaction": (5, "None")}


def test_an_escalation_the_ai_could_not_draft_counts_as_escalated_without_a_score():
    desk = Desk(drafter=FailingDrafter(), max_receives=1)
    tenant = desk.tenant()
    desk.accept(tenant)
    assert desk.work() == ["escalated"]
    [record] = desk.metrics.emitted
    assert record["values"]["Escalated"] == (1, "Count")
    assert "ResponseQualityScore" not in record["values"]
    assert record["properties"]["EscalationReason"] == "ai_unavailable"


def test_a_dead_letter_that_cannot_be_processed_is_dropped_not_looped():
    desk = Desk()
    tenant = desk.tenant()
    accepted = desk.accept(tenant)
    del desk.repo.inquiries[accepted["inquiry_id"]]["title"]  # a record the worker cannot read
    message = json.dumps({"tenant_id": tenant, "inquiry_id": accepted["inquiry_id"]})
    with pytest.raises(KeyError):
        desk.pipeline.deliver(message, 1)  # an ordinary receive fails: SQS redelivers
    assert desk.pipeline.deliver(message, dead_letter=True) is None

"""The desk's asynchronous pipeline over the real local stack: moto's SQS, DynamoDB, SES, SNS.

Submission answers ``pending`` at once; the worker runs when the desk queue is delivered through
devstack's poller (the code path of ``make run``) to app.py's ``@app.on_sqs_message`` handlers.
Only Bedrock is stood in for (tests/fake_bedrock.py), to make the model fail.
"""

from __future__ import annotations

import json
import time

import boto3
from botocore.config import Config

from app import requeue_pending_inquiries
from chalicelib import providers
from chalicelib.aws.bedrock_chat import BedrockDrafter
from chalicelib.aws.sqs import SqsQueue
from devstack.events import scheduled_event
from tests.factories import bearer, post_json
from tests.fake_bedrock import FakeBedrock
from tests.functional.test_desk_routes import (
    COMPLAINT,
    FAQ_QUESTION,
    _sent_mail,
    deliver_desk_queue,
)
from tests.functional.test_desk_routes import desk as desk  # noqa: F401 - the fixture

MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0"


def _post(client, tenant, body, **headers):
    return post_json(client, "/api/inquiries", body, **{"x-api-key": tenant["api_key"], **headers})


def _view(client, tenant, inquiry_id):
    headers = {"x-api-key": tenant["api_key"]}
    return client.http.get(f"/api/inquiries/{inquiry_id}", headers=headers).json_body


def _notes(stack, queue: str) -> list[dict]:
    sqs = stack.aws_client("sqs")
    found = []
    while messages := sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages"):
        found += [json.loads(json.loads(m["Body"])["Message"]) for m in messages]
        for message in messages:
            sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
    return found


def test_submit_answers_pending_at_once_and_the_worker_moves_it_on(client, desk, stack):
    acme = desk["acme"]
    accepted = _post(client, acme, FAQ_QUESTION)
    assert accepted.status_code == 201
    body = accepted.json_body
    assert body["status"] == "pending" and body["answers"] == []
    assert body["eta_minutes"] > 0 and body["estimated_response_time"] > body["created_at"]
    assert _view(client, acme, body["inquiry_id"])["status"] == "pending"
    assert deliver_desk_queue(stack) >= 1
    view = _view(client, acme, body["inquiry_id"])
    assert view["status"] == "ai_responded" and "비밀번호 찾기" in view["answers"][0]["content"]
    notes = _notes(stack, acme["queue"])
    assert [(n["inquiry_id"], n["status"]) for n in notes] == [(body["inquiry_id"], "ai_responded")]


def test_a_failing_model_is_retried_then_escalated_as_ai_unavailable(client, desk, stack):
    deliver_desk_queue(stack)  # nothing of earlier tests left in the queue
    fake = FakeBedrock().start()  # no reply queued: every call fails
    try:
        bedrock = boto3.client(
            "bedrock-runtime",
            region_name="ap-northeast-2",
            endpoint_url=fake.url,
            config=Config(retries={"total_max_attempts": 1}),
        )
        stack.drafter = BedrockDrafter(bedrock, model_id=MODEL)
        before = len(_sent_mail(stack))
        inquiry_id = _post(client, desk["acme"], COMPLAINT).json_body["inquiry_id"]
        deliver_desk_queue(stack)
    finally:
        fake.stop()
    attempts = stack.settings.desk_max_receives
    assert len(fake.requests) == attempts  # SQS redelivered it; the last receive gave up
    request = fake.requests[0]
    assert request["operation"] == "converse" and request["modelId"] == MODEL
    assert COMPLAINT["content"] in json.dumps(request["body"], ensure_ascii=False)
    staff = client.http.get(
        f"/api/admin/inquiries/{inquiry_id}", headers=bearer(desk["staff"]["id_token"])
    ).json_body
    assert staff["status"] == "escalated" and staff["escalation_reason"] == "ai_unavailable"
    assert (staff["title"], staff["content"]) == (COMPLAINT["title"], COMPLAINT["content"])
    [mail] = _sent_mail(stack)[before:]
    assert "(AI unavailable)" in mail["body"] and COMPLAINT["content"] in mail["body"]


def test_a_redelivered_message_sends_no_second_mail_or_notification(client, desk, stack):
    acme = desk["acme"]
    before = len(_sent_mail(stack))
    inquiry_id = _post(client, acme, COMPLAINT).json_body["inquiry_id"]
    deliver_desk_queue(stack)
    assert len(_sent_mail(stack)) == before + 1
    # SQS delivers at least once: the same message again changes nothing a person sees.
    queue = stack.desk_queue
    queue.send({"tenant_id": acme["tenant_id"], "inquiry_id": inquiry_id})
    assert deliver_desk_queue(stack) == 1
    assert len(_sent_mail(stack)) == before + 1
    notes = _notes(stack, acme["queue"])
    assert [n["status"] for n in notes] == ["escalated"]
    assert notes[0]["reason"] == "complaint" and notes[0]["reason_code"] == "complaint"
    assert notes[0]["ai_draft"]


def test_an_idempotency_key_with_another_body_is_a_409(client, desk, stack):
    acme, key = desk["acme"], {"Idempotency-Key": "order-48213"}
    first = _post(client, acme, FAQ_QUESTION, **key)
    deliver_desk_queue(stack)
    again = _post(client, acme, FAQ_QUESTION, **key)
    assert (
        again.status_code == 201 and again.json_body["inquiry_id"] == first.json_body["inquiry_id"]
    )
    assert again.json_body["status"] == "ai_responded"  # the stored inquiry, AI not re-run
    assert deliver_desk_queue(stack) == 0
    other = _post(client, acme, {**FAQ_QUESTION, "content": "환불해 주세요"}, **key)
    assert other.status_code == 409
    assert other.json_body["error"]["code"] == "idempotency_conflict"


def test_a_failed_enqueue_still_accepts_and_the_sweeper_queues_it(client, desk, stack, monkeypatch):
    acme = desk["acme"]
    stack.desk_queue = SqsQueue(stack.sqs, "finq-no-such-queue")
    accepted = _post(client, acme, FAQ_QUESTION)
    assert accepted.status_code == 201 and accepted.json_body["status"] == "pending"
    inquiry_id = accepted.json_body["inquiry_id"]
    monkeypatch.setenv("FINQ_DESK_REQUEUE_AFTER_SECONDS", "1")
    providers.reset()  # the real queue again, and the new setting
    time.sleep(1.1)
    requeue_pending_inquiries(scheduled_event("finq-local-requeue_pending_inquiries", "x"), None)
    deliver_desk_queue(providers.container())
    assert _view(client, acme, inquiry_id)["status"] == "ai_responded"


def test_staff_reply_twice_and_see_no_table_keys(client, desk, stack):
    acme, staff = desk["acme"], bearer(desk["staff"]["id_token"])
    inquiry_id = _post(client, acme, COMPLAINT).json_body["inquiry_id"]
    deliver_desk_queue(stack)
    path = f"/api/admin/inquiries/{inquiry_id}/reply"
    first = post_json(client, path, {"content": "환불했습니다"}, **staff)
    second = post_json(client, path, {"content": "영수증도 보내드렸어요"}, **staff)
    assert first.status_code == 200 and second.status_code == 200
    assert second.json_body["status"] == "resolved"
    view = _view(client, acme, inquiry_id)
    assert [a["content"] for a in view["answers"] if a["from"] == "staff"] == [
        "환불했습니다",
        "영수증도 보내드렸어요",
    ]
    listed = client.http.get("/api/admin/inquiries", headers=staff).json_body["items"]
    detail = client.http.get(f"/api/admin/inquiries/{inquiry_id}", headers=staff).json_body
    keys = {"PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "request_hash"}
    assert listed and not any(keys & set(item) for item in listed)
    assert not keys & set(detail) and not any(keys & set(e) for e in detail["entries"])
    statuses = [n["status"] for n in _notes(stack, acme["queue"])]
    assert statuses == ["escalated", "resolved"]  # each status change once

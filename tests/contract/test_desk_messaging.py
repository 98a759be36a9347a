"""The Mailer and Notifier ports: the recording fakes and SES/SNS in moto keep the same record."""

from __future__ import annotations

import json
import urllib.request
import uuid

import pytest

from chalicelib.aws.ses import SesMailer
from chalicelib.aws.sns import SnsNotifier
from tests.fakes.desk import RecordingMailer, RecordingNotifier


def _moto_mail(stack) -> list[dict]:
    url = f"http://127.0.0.1:{stack.settings.aws_port}/moto-api/data.json"
    data = json.loads(urllib.request.urlopen(url, timeout=60).read())
    return [
        {"to": m["destinations"]["ToAddresses"][0], "subject": m["subject"], "body": m["body"]}
        for m in data.get("ses", {}).get("Message", [])
    ]


@pytest.fixture(params=["fake", "ses"])
def mailbox(request):
    """(mailer, outbox): outbox() lists what was sent as {"to", "subject", "body"}."""
    if request.param == "fake":
        mailer = RecordingMailer()
        return mailer, lambda: mailer.sent
    stack = request.getfixturevalue("stack")
    before = len(_moto_mail(stack))
    mailer = SesMailer(stack.aws_client("ses"), stack.settings.mail_sender)
    return mailer, lambda: _moto_mail(stack)[before:]


def test_a_sent_mail_arrives_as_written(mailbox):
    mailer, outbox = mailbox
    message_id = mailer.send("customer@example.com", "[Acme] Re: 환불", "처리했습니다")
    assert message_id
    assert outbox() == [
        {"to": "customer@example.com", "subject": "[Acme] Re: 환불", "body": "처리했습니다"}
    ]


@pytest.fixture(params=["fake", "sns"])
def topic(request):
    """(notifier, topic arn, received): received() lists {"subject", "message"} on the topic."""
    if request.param == "fake":
        notifier = RecordingNotifier()
        return (
            notifier,
            "arn:aws:sns:ap-northeast-2:123456789012:t",
            lambda: [
                {"subject": p["subject"], "message": p["message"]} for p in notifier.published
            ],
        )
    stack = request.getfixturevalue("stack")
    sns, sqs = stack.aws_client("sns"), stack.aws_client("sqs")
    name = f"contract-{uuid.uuid4().hex[:12]}"
    arn = sns.create_topic(Name=name)["TopicArn"]
    queue = sqs.create_queue(QueueName=name)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn["Attributes"]["QueueArn"])

    def received() -> list[dict]:
        messages = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1).get("Messages", [])
        bodies = [json.loads(m["Body"]) for m in messages]
        return [{"subject": b["Subject"], "message": json.loads(b["Message"])} for b in bodies]

    return SnsNotifier(sns), arn, received


def test_a_published_notification_reaches_the_topic_as_json(topic):
    notifier, arn, received = topic
    assert notifier.publish(arn, "Escalated inquiry (urgent)", {"inquiry_id": "i1", "n": 2})
    assert received() == [
        {"subject": "Escalated inquiry (urgent)", "message": {"inquiry_id": "i1", "n": 2}}
    ]


def test_a_long_subject_is_cut_to_snss_limit(topic):
    notifier, arn, received = topic
    notifier.publish(arn, "x" * 150, {"ok": True})
    assert [r["subject"] for r in received()] == ["x" * 99]

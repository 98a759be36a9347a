"""The WorkQueue port: the recording fake and SQS (moto server) deliver the same messages."""

from __future__ import annotations

import json
import uuid

import pytest

from chalicelib.aws.sqs import SqsQueue
from chalicelib.errors import UpstreamUnavailable
from tests.fakes.desk import RecordingQueue


@pytest.fixture(params=["fake", "sqs"])
def queue(request):
    """(queue, received): received() takes every message sent so far, oldest first."""
    if request.param == "fake":
        fake = RecordingQueue()
        return fake, fake.take
    sqs = request.getfixturevalue("stack").aws_client("sqs")
    name = f"contract-{uuid.uuid4().hex[:12]}"
    url = sqs.create_queue(QueueName=name)["QueueUrl"]

    def received() -> list[dict]:
        found = []
        while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
            found += [json.loads(m["Body"]) for m in messages]
            for message in messages:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return found

    return SqsQueue(sqs, name), received


def test_a_sent_message_arrives_as_sent(queue):
    work, received = queue
    work.send({"tenant_id": "t1", "inquiry_id": "i1", "text": "환불"})
    assert received() == [{"tenant_id": "t1", "inquiry_id": "i1", "text": "환불"}]
    assert received() == []


def test_a_queue_that_refuses_raises_upstream_unavailable(request):
    fake = RecordingQueue()
    fake.failing = True
    missing = SqsQueue(request.getfixturevalue("stack").aws_client("sqs"), "finq-no-such-queue")
    for work in (fake, missing):
        with pytest.raises(UpstreamUnavailable):
            work.send({"tenant_id": "t1", "inquiry_id": "i1"})

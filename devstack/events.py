"""Local delivery of S3 upload, SQS and schedule events to the handlers Lambda would call.

Owns the local stand-in for Lambda's SQS event sources and the shape of a scheduled event. As
in AWS, moto's buckets send upload notifications to SQS queues (S3 -> SQS -> Lambda), so an
upload under ``policies/`` to the local endpoint ingests through the same handler as production.
Every queue is delivered as Lambda's SQS event source does: one message per call, deleted on
success, left for redelivery on failure (moto's redrive policy moves it to the dead-letter queue
after maxReceiveCount receives).
``scheduled_event`` builds what EventBridge hands a ``@app.schedule`` function.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

_log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], Any], Any]


# moto's default account: the one every local ARN carries.
LOCAL_ACCOUNT = "123456789012"


def scheduled_event(
    rule: str, region: str, account: str = LOCAL_ACCOUNT, now: datetime | None = None
) -> dict[str, Any]:
    """Return the event EventBridge sends when schedule ``rule`` fires (every field Chalice reads).

    Chalice's ``CloudWatchEvent`` reads version, id, detail-type, source, account, time, region,
    resources and detail; a missing one is a ``KeyError`` before the handler runs.
    """
    fired = (now or datetime.now(UTC)).astimezone(UTC)
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": account,
        "time": fired.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [f"arn:aws:events:{region}:{account}:rule/{rule}"],
        "detail": {},
    }


def sqs_event(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    """Return the event Lambda's SQS event source hands a handler for one received message."""
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message.get("Attributes", {}),
                "messageAttributes": message.get("MessageAttributes", {}),
                "md5OfBody": message.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
        ]
    }


def queue_arn(sqs: Any, url: str) -> str:
    """Return a queue's ARN."""
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return str(attributes["Attributes"]["QueueArn"])


def ensure_work_queue(
    sqs: Any, name: str, dead_letters: str, max_receives: int, visibility: int
) -> tuple[str, str]:
    """Create (or update) a queue and its dead-letter queue; return both URLs.

    The redrive policy moves a message to ``dead_letters`` after ``max_receives`` receives.
    """
    dlq = str(sqs.create_queue(QueueName=dead_letters)["QueueUrl"])
    url = str(sqs.create_queue(QueueName=name)["QueueUrl"])
    redrive = {"deadLetterTargetArn": queue_arn(sqs, dlq), "maxReceiveCount": str(max_receives)}
    sqs.set_queue_attributes(
        QueueUrl=url,
        Attributes={"RedrivePolicy": json.dumps(redrive), "VisibilityTimeout": str(visibility)},
    )
    return url, dlq


def subscribe_bucket(
    s3: Any,
    sqs: Any,
    bucket: str,
    queue: tuple[str, str, int, int],
    prefix: str,
    suffixes: tuple[str, ...],
) -> str:
    """Route ObjectCreated events under ``prefix`` with ``suffixes`` to a queue; return its URL.

    ``queue`` is (name, dead-letter queue name, max receives, visibility seconds): the queue is
    created with its dead-letter queue and redrive policy, as the stack creates it in AWS.
    """
    name, dead_letters, max_receives, visibility = queue
    url, _ = ensure_work_queue(sqs, name, dead_letters, max_receives, visibility)
    arn = queue_arn(sqs, url)
    s3.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={
            "QueueConfigurations": [
                {
                    "QueueArn": arn,
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {
                        "Key": {
                            "FilterRules": [{"Name": "prefix", "Value": prefix}]
                            + ([{"Name": "suffix", "Value": suffix}] if suffix else [])
                        }
                    },
                }
                for suffix in (suffixes or ("",))
            ]
        },
    )
    return url


class QueuePoller:
    """Poll SQS queues and hand each message to its Lambda-style SQS handler, in a thread."""

    def __init__(
        self,
        sqs: Any,
        queue_url: str | None,
        handler: Handler | None,
        *,
        retry_delay: int | None = None,
    ) -> None:
        """Wrap a ready ``sqs`` client and, optionally, a first queue and its SQS handler.

        ``retry_delay``: seconds before a failed message is visible again (None:
        the queue's visibility timeout, as in AWS; 0 lets tests redeliver at once).
        """
        self._sqs = sqs
        self._queues: list[tuple[str, Handler]] = []
        self._arns: dict[str, str] = {}  # queue URL -> ARN, for the events' eventSourceARN
        self._retry_delay = retry_delay
        if queue_url is not None and handler is not None:
            self.sqs_trigger(queue_url, handler)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sqs_trigger(self, queue_url: str, handler: Handler) -> None:
        """Deliver a queue to an ``@app.on_sqs_message`` handler too (before ``start``)."""
        self._arns[queue_url] = queue_arn(self._sqs, queue_url)
        self._queues.append((queue_url, handler))

    def start(self) -> None:
        """Poll in a daemon thread until ``stop()``."""
        self._thread = threading.Thread(target=self._loop, name="s3-events", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop polling (the current message finishes first)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def drain(self, limit: int = 500) -> int:
        """Deliver every message waiting now; return how many were delivered (tests, CLI).

        Raises:
            RuntimeError: More than ``limit`` deliveries: a message keeps failing (and is made
                visible again at once) instead of the queue draining.
        """
        delivered = 0
        while True:
            handled = self._poll_once(wait_seconds=0)
            if handled == 0:
                return delivered
            delivered += handled
            if delivered > limit:
                raise RuntimeError(f"the queues did not drain after {limit} deliveries")

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._poll_once(wait_seconds=1)
            except Exception:  # noqa: BLE001 - keep polling; the message stays queued
                _log.exception("S3 event poller failed; retrying")
                self._stop.wait(2)

    def _poll_once(self, wait_seconds: int) -> int:
        handled = 0
        for url, handler in self._queues:
            response = self._sqs.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=10,
                # Long-poll only when watching one queue; several are polled in turn.
                WaitTimeSeconds=wait_seconds if len(self._queues) == 1 else 0,
                AttributeNames=["All"],
            )
            messages = response.get("Messages", [])
            for message in messages:
                self._deliver(url, handler, message)
            handled += len(messages)
        if not handled and len(self._queues) > 1 and wait_seconds:
            self._stop.wait(0.5)
        return handled

    def _deliver(self, url: str, handler: Handler, message: dict[str, Any]) -> None:
        """Call an SQS handler with one message: delete it on success, leave it on failure."""
        region = self._sqs.meta.region_name
        try:
            handler(sqs_event(message, self._arns[url], region), None)
        except Exception:  # noqa: BLE001 - as Lambda: the message stays and is redelivered
            receives = message.get("Attributes", {}).get("ApproximateReceiveCount", "1")
            _log.exception("SQS message %s failed (receive %s)", message["MessageId"], receives)
            if self._retry_delay is not None:
                self._sqs.change_message_visibility(
                    QueueUrl=url,
                    ReceiptHandle=message["ReceiptHandle"],
                    VisibilityTimeout=self._retry_delay,
                )
            return
        self._sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

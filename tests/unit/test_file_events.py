"""Reading S3 upload notifications out of SQS messages, and the dead-letter log line."""

from __future__ import annotations

import json
import logging

import pytest

from chalicelib.file_events import Upload, handle_uploads, uploads_in
from tests.factories import s3_notification


def _record(body: str, receives: int = 1) -> dict:
    return {
        "messageId": "m-1",
        "body": body,
        "attributes": {"ApproximateReceiveCount": str(receives)},
    }


def test_every_created_object_of_a_notification_is_read_with_its_decoded_key():
    body = s3_notification("b", "policies/a b.json", "policies/한글.jsonl", size=7)
    assert uploads_in(body) == (
        Upload("b", "policies/a b.json", 7),
        Upload("b", "policies/한글.jsonl", 7),
    )


def test_test_events_deletions_and_foreign_bodies_report_nothing():
    deleted = json.loads(s3_notification("b", "policies/x.json"))
    deleted["Records"][0]["eventName"] = "ObjectRemoved:Delete"
    for body in (
        json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "b"}),
        json.dumps(deleted),
        "not json",
        "[1, 2]",
    ):
        assert uploads_in(body) == ()


def test_a_failure_on_the_last_receive_is_logged_as_a_dead_letter_and_raised(caplog):
    def fail(upload: Upload) -> None:
        raise RuntimeError("unreadable")

    body = s3_notification("b", "policies/x.json")
    with caplog.at_level(logging.ERROR, "chalicelib.file_events"):
        with pytest.raises(RuntimeError):
            handle_uploads([_record(body, receives=2)], fail, 3, "policy file")
        assert "dead-letter" not in caplog.text  # a retry is still to come
        with pytest.raises(RuntimeError):
            handle_uploads([_record(body, receives=3)], fail, 3, "policy file")
    assert "policy file s3://b/policies/x.json failed on receive 3 of 3" in caplog.text
    assert "dead-letter queue (message m-1)" in caplog.text


def test_each_upload_is_handled_once_in_order():
    seen: list[str] = []
    body = s3_notification("b", "policies/1.json", "policies/2.json")
    assert handle_uploads([_record(body)], lambda u: seen.append(u.key), 3, "policy file") == 2
    assert seen == ["policies/1.json", "policies/2.json"]

"""The S3 trigger, the schedule, the continuation and the CLI, end to end on the local stack."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.aws.lambda_invoker import LambdaInvoker
from chalicelib.errors import UpstreamUnavailable
from chalicelib.services.ingestion import IngestionService
from chalicelib.services.policy_sources import OntongClient
from chalicelib.services.policy_sync import PolicySync
from devstack.events import QueuePoller
from tests.factories import policy_record, s3_notification, upload_event

ROOT = Path(__file__).resolve().parents[2]


def _upload(stack, key: str, records) -> None:
    body = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode("utf-8")
    stack.policy_bucket.write(key, body)


def _numbers(stack) -> list[str]:
    return [
        r["plcy_no"]
        for r in stack.database.fetch("SELECT plcy_no FROM youth_policies ORDER BY plcy_no")
    ]


def _upload_event(client, stack, *bodies: str) -> dict:
    return upload_event(client, str(stack.settings.policy_events_queue_name), *bodies)


def test_s3_upload_event_through_sqs_ingests_the_file(client, policy_stack):
    _upload(policy_stack, "policies/new.jsonl", [policy_record("1"), policy_record("2")])
    bucket = policy_stack.settings.policy_bucket
    event = _upload_event(client, policy_stack, s3_notification(bucket, "policies/new.jsonl"))
    client.lambda_.invoke("on_policy_file_uploaded", event)
    assert _numbers(policy_stack) == ["1", "2"]
    assert policy_stack.policy_index.indexed_policies() == {"1", "2"}


def test_one_message_with_several_records_ingests_each_file(client, policy_stack):
    _upload(policy_stack, "policies/a b.jsonl", [policy_record("1")])
    _upload(policy_stack, "policies/c.json", [policy_record("2")])
    body = s3_notification(
        policy_stack.settings.policy_bucket, "policies/a b.jsonl", "policies/c.json"
    )
    client.lambda_.invoke("on_policy_file_uploaded", _upload_event(client, policy_stack, body))
    assert _numbers(policy_stack) == ["1", "2"]


def test_s3_test_event_is_ignored(client, policy_stack):
    test_event = json.dumps(
        {
            "Service": "Amazon S3",
            "Event": "s3:TestEvent",
            "Time": "2026-12-01T00:00:00.000Z",
            "Bucket": policy_stack.settings.policy_bucket,
            "RequestId": "R",
            "HostId": "H",
        }
    )
    response = client.lambda_.invoke(
        "on_policy_file_uploaded", _upload_event(client, policy_stack, test_event)
    )
    assert response.payload is None
    assert _numbers(policy_stack) == []


def test_upload_outside_the_policies_prefix_is_ignored(client, policy_stack):
    _upload(policy_stack, "other/new.jsonl", [policy_record("1")])
    body = s3_notification(policy_stack.settings.policy_bucket, "other/new.jsonl")
    client.lambda_.invoke("on_policy_file_uploaded", _upload_event(client, policy_stack, body))
    assert _numbers(policy_stack) == []


def test_a_failing_file_goes_to_the_dead_letter_queue_after_its_receives(policy_stack, caplog):
    from app import on_policy_file_uploaded
    from chalicelib.settings import dead_letter_queue

    settings = policy_stack.settings
    sqs = policy_stack.aws_client("sqs")
    url = sqs.get_queue_url(QueueName=settings.policy_events_queue_name)["QueueUrl"]
    dlq = sqs.get_queue_url(QueueName=dead_letter_queue(str(settings.policy_events_queue_name)))
    # S3 reports a file that is gone by the time the handler reads it: every receive fails.
    sqs.send_message(
        QueueUrl=url, MessageBody=s3_notification(settings.policy_bucket, "policies/gone.json")
    )
    delivered = QueuePoller(sqs, url, on_policy_file_uploaded, retry_delay=0).drain()
    assert delivered == settings.file_event_max_receives
    moved = sqs.receive_message(QueueUrl=dlq["QueueUrl"], MaxNumberOfMessages=10)["Messages"]
    assert ["policies/gone.json"] == [
        r["s3"]["object"]["key"] for m in moved for r in json.loads(m["Body"])["Records"]
    ]
    for message in moved:
        sqs.delete_message(QueueUrl=dlq["QueueUrl"], ReceiptHandle=message["ReceiptHandle"])
    assert "goes to the dead-letter queue" in caplog.text


def test_local_delivery_bucket_to_queue_to_poller_to_handler(client, policy_stack):
    from app import on_policy_file_uploaded

    sqs = policy_stack.aws_client("sqs")
    url = sqs.get_queue_url(QueueName=policy_stack.settings.policy_events_queue_name)["QueueUrl"]
    _upload(policy_stack, "policies/via-events.json", [policy_record("7")])
    _upload(policy_stack, "notes/readme.txt", [policy_record("8")])  # filtered out by S3
    delivered = QueuePoller(sqs, url, on_policy_file_uploaded).drain()
    assert delivered >= 1
    assert _numbers(policy_stack) == ["7"]


def test_schedule_runs_a_full_sync_from_the_s3_prefix(client, policy_stack):
    _upload(policy_stack, "policies/a.jsonl", [policy_record("1"), policy_record("2")])
    client.lambda_.invoke(
        "run_nightly_sync",
        client.events.generate_cw_event(
            source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
        ),
    )
    assert _numbers(policy_stack) == ["1", "2"]
    policy_stack.policy_bucket.delete("policies/a.jsonl")
    _upload(policy_stack, "policies/a.jsonl", [policy_record("1")])
    client.lambda_.invoke(
        "run_nightly_sync",
        client.events.generate_cw_event(
            source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
        ),
    )
    withdrawn = policy_stack.database.fetch_one(
        "SELECT status FROM youth_policies WHERE plcy_no = '2'"
    )
    assert withdrawn == {"status": "withdrawn"}


class _NearDeadline:
    """A 15-minute Lambda context in which the first batch used up all but a minute."""

    function_name = "finq-local-on_policy_file_uploaded"

    def __init__(self) -> None:
        self._calls = 0

    def get_remaining_time_in_millis(self) -> int:
        self._calls += 1
        return 900_000 if self._calls == 1 else 60_000


def test_a_run_near_the_deadline_checkpoints_and_continues(policy_stack):
    batch = 4
    records = [policy_record(str(n)) for n in range(batch + 3)]
    _upload(policy_stack, "policies/big.jsonl", records)
    from chalicelib.deadlines import stop_before_timeout

    ingestion = IngestionService(
        policy_stack.policies, policy_stack.policy_index, policy_stack.embedder, batch_size=batch
    )
    sync = PolicySync(
        ingestion, policy_stack.policy_bucket, continue_later=lambda p: sync.resume(p)
    )
    sync.uploaded("policies/big.jsonl", should_stop=stop_before_timeout(_NearDeadline()))
    runs = policy_stack.database.fetch(
        "SELECT status, new_count, checkpoint FROM ingestion_runs ORDER BY id"
    )
    assert [r["status"] for r in runs] == ["partial", "succeeded"]
    assert runs[0]["checkpoint"]["offset"] == batch
    assert [r["new_count"] for r in runs] == [batch, 3]
    assert len(_numbers(policy_stack)) == batch + 3


def test_continuation_is_an_asynchronous_lambda_invoke():
    raw = boto3.client("lambda", region_name="ap-northeast-2")
    stubber = Stubber(raw)
    payload = {"kind": "upload", "key": "policies/big.jsonl", "offset": 200}
    stubber.add_response(
        "invoke",
        {"StatusCode": 202},
        {
            "FunctionName": "finq-dev-continue_policy_sync",
            "InvocationType": "Event",
            "Payload": json.dumps(payload).encode("utf-8"),
        },
    )
    with stubber:
        LambdaInvoker(raw, "finq-dev-continue_policy_sync").invoke_async(payload)
    stubber.assert_no_pending_responses()


def test_ontong_client_pages_until_the_total_and_retries_failures():
    requests: list[dict] = []
    failures = iter([True, False, False, False])

    def fetch(url: str, timeout: float) -> bytes:
        query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
        requests.append(query)
        if next(failures):
            raise OSError("connection reset")
        page = int(query["pageNum"])
        listing = [policy_record(f"{page}{i}") for i in range(2 if page < 3 else 1)]
        return json.dumps(
            {
                "result": {
                    "pagging": {"totCount": 5, "pageNum": page, "pageSize": 2},
                    "youthPolicyList": listing,
                }
            }
        ).encode()

    client = OntongClient("secret-key", page_size=2, fetch=fetch, sleep=lambda s: None)
    numbers = [r.data["plcyNo"] for r in client.records()]
    assert numbers == ["10", "11", "20", "21", "30"]
    assert requests[0] == {
        "apiKeyNm": "secret-key",
        "pageNum": "1",
        "pageSize": "2",
        "rtnType": "json",
    }
    assert [q["pageNum"] for q in requests] == ["1", "1", "2", "3"]


def test_ontong_client_gives_up_after_its_attempts():
    def fetch(url: str, timeout: float) -> bytes:
        raise OSError("down")

    client = OntongClient("k", fetch=fetch, sleep=lambda s: None, attempts=2)
    with pytest.raises(UpstreamUnavailable):
        list(client.records())


def test_cli_ingests_a_file_and_prints_a_summary(policy_stack, capsys):
    from chalicelib.ingest import main

    assert main([str(ROOT / "data" / "policies" / "central.json")]) == 0
    output = capsys.readouterr().out
    assert "succeeded" in output and "new 44" in output
    assert len(_numbers(policy_stack)) == 44


def test_cli_reports_a_missing_path(policy_stack, capsys):
    from chalicelib.ingest import main

    assert main(["/no/such/file.json"]) == 2
    assert "does not exist" in capsys.readouterr().err

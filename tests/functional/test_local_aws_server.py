"""The local AWS endpoint as a process: what it acknowledged survives SIGKILL and a restart,
and its state file (which holds Cognito's passwords) is private to its owner.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote

import boto3
import pytest

from devstack.services import free_port, port_open

ROOT = Path(__file__).resolve().parents[2]
REGION = "ap-northeast-2"


class Endpoint:
    """One aws_server process on a free port, persisting to ``state``."""

    def __init__(self, state: Path, log: Path) -> None:
        self.state = state
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        with log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - fixed argv
                [sys.executable, "-m", "devstack.aws_server", "--port", str(self.port)]
                + ["--state", str(state)],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while not port_open("127.0.0.1", self.port):
            assert self.process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "aws_server did not start in 60 s"
            time.sleep(0.1)

    def client(self, service: str):
        return boto3.client(service, endpoint_url=self.url, region_name=REGION)

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, so only what was written through survives."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def start_endpoint(tmp_path: Path) -> Iterator[Callable[[], Endpoint]]:
    started: list[Endpoint] = []

    def start() -> Endpoint:
        endpoint = Endpoint(tmp_path / "aws-state.pickle", tmp_path / "aws.log")
        started.append(endpoint)
        return endpoint

    yield start
    for endpoint in started:
        if endpoint.process.poll() is None:
            endpoint.kill()


def _create_everything(endpoint: Endpoint) -> dict[str, str]:
    """A Cognito user, a DynamoDB item, an S3 upload whose event waits in SQS, an SQS message."""
    cognito = endpoint.client("cognito-idp")
    pool = cognito.create_user_pool(PoolName="finq")["UserPool"]["Id"]
    app_client = cognito.create_user_pool_client(UserPoolId=pool, ClientName="web")
    client_id = app_client["UserPoolClient"]["ClientId"]
    cognito.sign_up(ClientId=client_id, Username="kim@finq.local", Password="Secret-pass-1")

    dynamodb = endpoint.client("dynamodb")
    dynamodb.create_table(
        TableName="finq",
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.put_item(TableName="finq", Item={"PK": {"S": "INQUIRY#1"}, "text": {"S": "환불"}})

    sqs = endpoint.client("sqs")
    events = sqs.create_queue(QueueName="uploads-events")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=events, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    s3 = endpoint.client("s3")
    s3.create_bucket(Bucket="uploads", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_notification_configuration(
        Bucket="uploads",
        NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]
        },
    )
    s3.put_object(Bucket="uploads", Key="policies/a.json", Body=b'{"plcyNo": "1"}')
    direct = sqs.create_queue(QueueName="direct")["QueueUrl"]
    sqs.send_message(QueueUrl=direct, MessageBody="queued before the crash")
    return {"pool": pool, "events": events, "direct": direct}


def _bodies(sqs, url: str) -> list[str]:
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    return [message["Body"] for message in messages]


def test_acknowledged_writes_survive_sigkill_and_restart(start_endpoint):
    first = start_endpoint()
    names = _create_everything(first)
    first.kill()  # right after the last 2xx

    second = start_endpoint()
    user = second.client("cognito-idp").admin_get_user(
        UserPoolId=names["pool"], Username="kim@finq.local"
    )
    assert user["Username"] == "kim@finq.local"
    item = second.client("dynamodb").get_item(TableName="finq", Key={"PK": {"S": "INQUIRY#1"}})
    assert item["Item"]["text"] == {"S": "환불"}
    body = second.client("s3").get_object(Bucket="uploads", Key="policies/a.json")["Body"]
    assert body.read() == b'{"plcyNo": "1"}'
    sqs = second.client("sqs")
    assert _bodies(sqs, names["direct"]) == ["queued before the crash"]
    events = [json.loads(body) for body in _bodies(sqs, names["events"])]
    keys = [unquote(r["s3"]["object"]["key"]) for e in events for r in e.get("Records", [])]
    assert keys == ["policies/a.json"]  # besides S3's s3:TestEvent for the configuration
    # The restored bucket still notifies the restored queue.
    second.client("s3").put_object(Bucket="uploads", Key="policies/b.json", Body=b"{}")
    events = [json.loads(body) for body in _bodies(sqs, names["events"])]
    assert [unquote(r["s3"]["object"]["key"]) for e in events for r in e["Records"]] == [
        "policies/b.json"
    ]


def test_a_deleted_message_stays_deleted_after_sigkill(start_endpoint):
    first = start_endpoint()
    sqs = first.client("sqs")
    url = sqs.create_queue(QueueName="work")["QueueUrl"]
    for text in ("done", "pending"):
        sqs.send_message(QueueUrl=url, MessageBody=text)
    received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    handles = {message["Body"]: message["ReceiptHandle"] for message in received}
    sqs.delete_message(QueueUrl=url, ReceiptHandle=handles["done"])
    first.kill()

    second = start_endpoint()
    sqs = second.client("sqs")
    # "pending" is still in flight after the restart, under the receipt handle it was given.
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    sqs.change_message_visibility(
        QueueUrl=url, ReceiptHandle=handles["pending"], VisibilityTimeout=0
    )
    assert _bodies(sqs, url) == ["pending"]


def test_sigterm_saves_what_reads_changed_and_exits_cleanly(start_endpoint):
    first = start_endpoint()
    sqs = first.client("sqs")
    url = sqs.create_queue(QueueName="work")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="in flight")
    (message,) = sqs.receive_message(QueueUrl=url)["Messages"]  # a read: not written through
    first.process.send_signal(signal.SIGTERM)
    assert first.process.wait(timeout=30) == 0

    second = start_endpoint()
    sqs = second.client("sqs")
    assert "Messages" not in sqs.receive_message(QueueUrl=url)  # still in flight
    sqs.change_message_visibility(
        QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
    )
    assert _bodies(sqs, url) == ["in flight"]


def test_concurrent_writes_are_all_on_disk_when_acknowledged(start_endpoint):
    first = start_endpoint()
    dynamodb = first.client("dynamodb")
    dynamodb.create_table(
        TableName="counters",
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )

    def put(n: int) -> None:
        dynamodb.put_item(TableName="counters", Item={"PK": {"S": f"C#{n}"}})

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(put, range(80)))
    first.kill()

    second = start_endpoint()
    items = second.client("dynamodb").scan(TableName="counters")["Items"]
    assert sorted(int(item["PK"]["S"][2:]) for item in items) == list(range(80))


def _files(endpoint: Endpoint) -> dict[str, tuple[int, int, int]]:
    """Each state file by name: (mtime, inode, permission bits)."""
    folder = endpoint.state.with_suffix("")
    return {
        file.name: (file.stat().st_mtime_ns, file.stat().st_ino, stat.S_IMODE(file.stat().st_mode))
        for file in folder.iterdir()
        if not file.name.endswith(".tmp")
    }


def _counter_table(dynamodb) -> None:
    dynamodb.create_table(
        TableName="counters",
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def _bump(dynamodb, times: int) -> None:
    """``times`` concurrent atomic increments of one counter."""

    def bump(_: int) -> None:
        dynamodb.update_item(
            TableName="counters",
            Key={"PK": {"S": "N"}},
            UpdateExpression="ADD n :one",
            ExpressionAttributeValues={":one": {"N": "1"}},
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(bump, range(times)))


def _count(endpoint: Endpoint) -> int:
    item = endpoint.client("dynamodb").get_item(TableName="counters", Key={"PK": {"S": "N"}})
    return int(item["Item"]["n"]["N"])


def test_reads_do_not_rewrite_the_state_files(start_endpoint):
    endpoint = start_endpoint()
    dynamodb = endpoint.client("dynamodb")
    dynamodb.create_table(
        TableName="finq",
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    written = _files(endpoint)
    assert list(written) == ["dynamodb.journal"]  # a DynamoDB write is appended, not pickled
    dynamodb.list_tables()
    dynamodb.get_item(TableName="finq", Key={"PK": {"S": "x"}})
    dynamodb.scan(TableName="finq")
    endpoint.client("sqs").list_queues()
    assert _files(endpoint) == written


def test_journaled_writes_replay_in_their_order_after_sigkill(start_endpoint):
    first = start_endpoint()
    dynamodb = first.client("dynamodb")
    _counter_table(dynamodb)
    _bump(dynamodb, 60)
    with pytest.raises(dynamodb.exceptions.ConditionalCheckFailedException):
        dynamodb.put_item(
            TableName="counters",
            Item={"PK": {"S": "N"}, "n": {"N": "0"}},
            ConditionExpression="attribute_not_exists(PK)",
        )
    first.kill()

    second = start_endpoint()
    assert _count(second) == 60
    # The start-up took a snapshot: the journal is empty, the next crash replays only what follows.
    folder = second.state.with_suffix("")
    assert (folder / "dynamodb.journal").stat().st_size == 0
    assert stat.S_IMODE((folder / "dynamodb.pickle").stat().st_mode) == 0o600
    _bump(second.client("dynamodb"), 5)
    second.kill()
    assert _count(start_endpoint()) == 65


def test_a_snapshot_never_applies_its_journal_twice(start_endpoint):
    first = start_endpoint()
    _counter_table(first.client("dynamodb"))
    _bump(first.client("dynamodb"), 10)
    first.kill()
    journal = first.state.with_suffix("") / "dynamodb.journal"
    records = journal.read_bytes()

    second = start_endpoint()  # replays the 11 records, snapshots, empties the journal
    second.kill()
    journal.write_bytes(records)  # as if it had died after the snapshot, before the emptying

    assert _count(start_endpoint()) == 10


def test_a_torn_journal_tail_is_cut_off(start_endpoint):
    first = start_endpoint()
    _counter_table(first.client("dynamodb"))
    _bump(first.client("dynamodb"), 3)
    first.kill()
    journal = first.state.with_suffix("") / "dynamodb.journal"
    with journal.open("ab") as out:
        out.write(b"\x00\x00\x10\x00half a record")  # a crash in the middle of an append

    second = start_endpoint()
    assert _count(second) == 3
    _bump(second.client("dynamodb"), 2)
    second.kill()
    assert _count(start_endpoint()) == 5


def test_sqs_sends_are_journaled_and_replayed_after_sigkill(start_endpoint):
    first = start_endpoint()
    sqs = first.client("sqs")
    url = sqs.create_queue(QueueName="work")["QueueUrl"]  # not a send: SQS is snapshotted
    snapshot = _files(first)["sqs.pickle"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda n: sqs.send_message(QueueUrl=url, MessageBody=f"m{n}"), range(8)))
    sqs.send_message_batch(
        QueueUrl=url, Entries=[{"Id": str(n), "MessageBody": f"b{n}"} for n in range(3)]
    )
    assert _files(first)["sqs.pickle"] == snapshot  # the sends were appended, not pickled
    first.kill()

    second = start_endpoint()
    sqs = second.client("sqs")
    bodies: list[str] = []
    while received := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        bodies += [message["Body"] for message in received]
        for message in received:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    assert sorted(bodies) == sorted([f"m{n}" for n in range(8)] + ["b0", "b1", "b2"])
    second.kill()
    # The deletes snapshotted SQS and emptied its journal: nothing comes back.
    assert "Messages" not in start_endpoint().client("sqs").receive_message(QueueUrl=url)


def test_sigterm_leaves_a_snapshot_and_an_empty_journal(start_endpoint):
    first = start_endpoint()
    _counter_table(first.client("dynamodb"))
    _bump(first.client("dynamodb"), 4)
    first.process.send_signal(signal.SIGTERM)
    assert first.process.wait(timeout=30) == 0
    folder = first.state.with_suffix("")
    assert (folder / "dynamodb.journal").stat().st_size == 0
    assert _count(start_endpoint()) == 4


def test_state_files_are_readable_by_their_owner_only(start_endpoint):
    endpoint = start_endpoint()
    endpoint.client("sqs").create_queue(QueueName="q")
    endpoint.client("cognito-idp").create_user_pool(PoolName="finq")
    folder = endpoint.state.with_suffix("")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    endpoint.client("dynamodb").create_table(
        TableName="finq",
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    modes = {name: mode for name, (_, _, mode) in _files(endpoint).items()}
    assert modes == {"sqs.pickle": 0o600, "cognito-idp.pickle": 0o600, "dynamodb.journal": 0o600}


def test_the_single_file_of_earlier_versions_is_adopted_and_made_private(start_endpoint):
    first = start_endpoint()
    first.client("sqs").create_queue(QueueName="kept")
    first.kill()
    # Rebuild the layout earlier versions wrote: one world-readable aws-state.pickle.
    folder = first.state.with_suffix("")
    blobs = {file.stem: file.read_bytes() for file in folder.glob("*.pickle")}
    shutil.rmtree(folder)
    first.state.write_bytes(pickle.dumps(blobs))
    os.chmod(first.state, 0o644)

    second = start_endpoint()
    assert second.client("sqs").list_queues()["QueueUrls"][0].endswith("/kept")
    assert not second.state.exists()
    assert {name: mode for name, (_, _, mode) in _files(second).items()} == {"sqs.pickle": 0o600}


def test_a_stale_world_readable_tmp_file_is_not_reused_as_is(start_endpoint):
    first = start_endpoint()
    sqs = first.client("sqs")
    sqs.create_queue(QueueName="q")
    tmp = first.state.with_suffix("") / "sqs.pickle.tmp"
    tmp.write_bytes(b"left by a crash")
    os.chmod(tmp, 0o644)
    sqs.create_queue(QueueName="q2")
    assert _files(first)["sqs.pickle"][2] == 0o600

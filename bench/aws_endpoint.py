"""The local AWS endpoint's write cost as DynamoDB grows, and its restart after a crash.

Starts ``devstack.aws_server`` with a state folder in a temporary directory, then prints
PutItem p50/p99 (one client, ~1 kB items) at several table sizes (a write is journaled, so its
cost should not grow with the table), the time a SIGKILLed endpoint takes to come back with
``--replay`` journaled writes to replay, and that nothing acknowledged was lost.
Usage: ``python -m bench.aws_endpoint [--sizes 0,1000,5000] [--replay 2000]``.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3

from bench.stack import report
from devstack.services import free_port, port_open

ROOT = Path(__file__).resolve().parent.parent
BODY = {"S": "가" * 300}  # ~1 kB in UTF-8


def _start(state: Path, port: int) -> tuple[subprocess.Popen[bytes], float]:
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "devstack.aws_server", "--port", str(port), "--state", str(state)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while not port_open("127.0.0.1", port):
        if process.poll() is not None:
            raise SystemExit("the endpoint exited")
        time.sleep(0.02)
    return process, time.perf_counter() - started


def _fill(dynamodb: object, start: int, stop: int) -> None:
    for first in range(start, stop, 25):
        batch = [
            {"PutRequest": {"Item": {"PK": {"S": f"FILL#{n}"}, "body": BODY}}}
            for n in range(first, min(stop, first + 25))
        ]
        dynamodb.batch_write_item(RequestItems={"bench": batch})  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="0,1000,5000")
    parser.add_argument("--replay", type=int, default=1000)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="finq-bench-aws-") as home:
        state = Path(home) / "aws-state.pickle"
        process, _ = _start(state, port)
        dynamodb = boto3.client(
            "dynamodb",
            endpoint_url=f"http://127.0.0.1:{port}",
            region_name="ap-northeast-2",
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        )
        dynamodb.create_table(
            TableName="bench",
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        print("local AWS endpoint (moto, state written through to disk)")
        filled = 0
        sizes = [int(part) for part in args.sizes.split(",")]
        for size in sizes:
            _fill(dynamodb, filled, size)
            filled = max(filled, size)
            samples = []
            for n in range(100):
                started = time.perf_counter()
                dynamodb.put_item(TableName="bench", Item={"PK": {"S": f"P{size}#{n}"}, "b": BODY})
                samples.append(time.perf_counter() - started)
            report(f"PutItem with {size} items in the table", samples)
        for n in range(args.replay):
            dynamodb.put_item(TableName="bench", Item={"PK": {"S": f"R#{n}"}, "b": BODY})
        process.send_signal(signal.SIGKILL)
        process.wait()
        process, seconds = _start(state, port)
        pages = dynamodb.get_paginator("scan").paginate(TableName="bench", Select="COUNT")
        count = sum(page["Count"] for page in pages)
        print(
            f"  restart after SIGKILL, {args.replay} writes to replay: serving in {seconds:.1f} s"
        )
        print(
            f"  items after the restart: {count} (expected {filled + 100 * len(sizes) + args.replay})"
        )
        process.send_signal(signal.SIGTERM)
        process.wait()


if __name__ == "__main__":
    main()

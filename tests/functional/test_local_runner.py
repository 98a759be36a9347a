"""`make run`'s runner end to end: serves the API over HTTP, stops every process on Ctrl-C,
and a second start reuses the data (accounts, schema) kept under FINQ_HOME.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote

import pytest

from devstack.events import scheduled_event
from devstack.services import free_port, port_open
from tests.factories import policy_record

ROOT = Path(__file__).resolve().parents[2]


def _request(url: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _start(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "devstack", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_healthy(process: subprocess.Popen[str], base: str, timeout: float = 90) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            pytest.fail(f"runner exited early:\n{process.stdout.read()}")
        try:
            status, _ = _request(f"{base}/api/health")
            if status == 200:
                return time.monotonic() - started
        except (urllib.error.URLError, ConnectionError, json.JSONDecodeError):
            pass
        time.sleep(0.2)
    process.kill()
    pytest.fail(f"runner not healthy in {timeout}s:\n{process.stdout.read()}")


def _wait_for_sample_policies(home: Path, timeout: float = 180) -> None:
    """The first run uploads data/policies to the local bucket; S3 events ingest them."""
    from chalicelib.repositories.postgres.connect import connect

    expected = len(json.loads((ROOT / "data" / "policies" / "central.json").read_text())) + sum(
        1
        for line in (ROOT / "data" / "policies" / "local.jsonl").read_text().splitlines()
        if line.strip()
    )
    deadline = time.monotonic() + timeout
    count = 0
    while time.monotonic() < deadline:
        conn = connect(home / "pg")
        try:
            count = conn.run("SELECT count(*) FROM youth_policies")[0][0]
        finally:
            conn.close()
        if count == expected:
            return
        time.sleep(1)
    pytest.fail(f"{count} of {expected} sample policies loaded in {timeout}s")


def _chat_over_websocket(env: dict[str, str], base: str, token: str) -> None:
    """A turn through make run's WebSocket API streams an answer citing a sample policy."""
    from websockets.sync.client import connect

    status, chat = _request(f"{base}/api/chats", {"title": "ws"}, token)
    assert status == 201
    with connect(f"ws://127.0.0.1:{env['FINQ_WS_PORT']}/?token={token}") as ws:
        ws.send(
            json.dumps(
                {
                    "action": "sendMessage",
                    "chatId": chat["id"],
                    "text": "25살 서울 월세 지원 받을 수 있어?",
                }
            )
        )
        frames = []
        while not frames or frames[-1]["type"] not in ("done", "error"):
            frames.append(json.loads(ws.recv(timeout=60)))
    assert frames[-1]["type"] == "done", frames[-1]
    assert frames[-1]["message"]["citations"]


def _stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    return output


@pytest.fixture
def runner_env(tmp_path):
    # A fresh laptop: no FINQ_* settings and no AWS credentials or region configured.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FINQ_", "AWS_")) and key != "PYTEST_CURRENT_TEST"
    }
    env.update(
        FINQ_HOME=str(tmp_path / "home"),
        FINQ_PORT=str(free_port()),
        FINQ_AWS_PORT=str(free_port()),
        FINQ_MILVUS_PORT=str(free_port()),
        FINQ_WS_PORT=str(free_port()),
        FINQ_WS_CALLBACK_PORT=str(free_port()),
    )
    return env


def test_run_serves_the_api_and_ctrl_c_stops_everything(runner_env):
    base = f"http://127.0.0.1:{runner_env['FINQ_PORT']}"
    home = Path(runner_env["FINQ_HOME"])

    first = _start(runner_env)
    _wait_healthy(first, base)
    credentials = json.loads((home / "demo-credentials.json").read_text())
    user = credentials["user"]
    status, tokens = _request(f"{base}/api/auth/login", user)
    assert status == 200
    status, me = _request(f"{base}/api/me", token=tokens["id_token"])
    assert (status, me["email"]) == (200, user["email"])
    first_sub = me["sub"]
    _wait_for_sample_policies(home)
    _chat_over_websocket(runner_env, base, tokens["id_token"])
    output = _stop(first)
    assert first.returncode == 0, output
    assert "Demo user" in output and user["password"] in output

    for port in ("FINQ_PORT", "FINQ_AWS_PORT", "FINQ_MILVUS_PORT", "FINQ_WS_PORT"):
        assert not port_open("127.0.0.1", int(runner_env[port])), f"{port} still served"
    assert not (home / "pg" / "postmaster.pid").exists(), "PostgreSQL left running"

    # Second start: same data, same demo account (moto's state was persisted), no re-setup.
    second = _start(runner_env)
    _wait_healthy(second, base)
    status, tokens = _request(f"{base}/api/auth/login", user)
    assert status == 200
    status, me = _request(f"{base}/api/me", token=tokens["id_token"])
    assert (status, me["sub"]) == (200, first_sub)
    assert json.loads((home / "demo-credentials.json").read_text()) == credentials
    _stop(second)
    assert second.returncode == 0


def test_run_refuses_a_port_that_is_taken(runner_env):
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", int(runner_env["FINQ_PORT"])))
        holder.listen()
        process = _start(runner_env)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "FINQ_PORT" in output


def _laptop_env(home: Path) -> dict[str, str]:
    """The stack's FINQ_* settings and nothing AWS: no credentials, region or ~/.aws."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key != "PYTEST_CURRENT_TEST"
    }
    env["HOME"] = str(home)
    return env


def _readme_block(containing: str) -> str:
    """The README's bash block that contains ``containing``, as one shell command."""
    readme = (ROOT / "README.md").read_text()
    blocks = [block.split("```", 1)[0] for block in readme.split("```bash")[1:]]
    (block,) = [block for block in blocks if containing in block]
    return block.strip()


def test_sync_command_runs_the_schedule_handler_on_the_stack(policy_stack, tmp_path):
    """`python -m devstack sync` (the README's command) ingests the policies/ prefix."""
    records = [policy_record("31"), policy_record("32")]
    body = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode("utf-8")
    policy_stack.policy_bucket.write("policies/synced.jsonl", body)
    assert ".venv/bin/python -m devstack sync" in (ROOT / "README.md").read_text()

    result = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "devstack", "sync"],
        cwd=ROOT,
        env=_laptop_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr
    rows = policy_stack.database.fetch("SELECT plcy_no FROM youth_policies ORDER BY plcy_no")
    assert [row["plcy_no"] for row in rows] == ["31", "32"]


def test_readme_s3_upload_command_works_without_aws_credentials(policy_stack, tmp_path):
    """The README's `aws s3 cp` block, as written (on the stack's port), on a fresh laptop."""
    settings = policy_stack.settings
    command = _readme_block("s3 cp").replace("127.0.0.1:4566", f"127.0.0.1:{settings.aws_port}")
    assert f"s3://{settings.policy_bucket}/policies/" in command

    result = subprocess.run(  # noqa: S603 - the README's own command
        ["bash", "-euo", "pipefail", "-c", command],
        cwd=ROOT,
        env=_laptop_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    key = "policies/my-upload.jsonl"
    expected = (ROOT / "data" / "policies" / "local.jsonl").read_bytes()
    assert policy_stack.policy_bucket.read(key) == expected
    sqs = policy_stack.aws_client("sqs")
    url = sqs.get_queue_url(QueueName=settings.policy_events_queue_name)["QueueUrl"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    records = [r for m in messages for r in json.loads(m["Body"]).get("Records", [])]
    assert [unquote(r["s3"]["object"]["key"]) for r in records] == [key]


def test_readme_list_tables_command_works_without_aws_credentials(stack, tmp_path):
    settings = stack.settings
    command = _readme_block("list-tables").replace(
        "127.0.0.1:4566", f"127.0.0.1:{settings.aws_port}"
    )
    result = subprocess.run(  # noqa: S603 - the README's own command
        ["bash", "-euo", "pipefail", "-c", command],
        cwd=ROOT,
        env=_laptop_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert settings.table_name in json.loads(result.stdout)["TableNames"]


def test_scheduled_event_has_every_field_chalice_reads():
    from datetime import UTC, datetime

    from chalice.app import CloudWatchEvent

    fired = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
    event = CloudWatchEvent(scheduled_event("finq-local-sync", "ap-northeast-2", now=fired), None)
    assert (event.version, event.account, event.region) == ("0", "123456789012", "ap-northeast-2")
    assert (event.detail_type, event.source, event.detail) == ("Scheduled Event", "aws.events", {})
    assert event.time == "2026-03-01T15:00:00Z"
    assert event.resources == ["arn:aws:events:ap-northeast-2:123456789012:rule/finq-local-sync"]
    assert len(event.event_id) == 36

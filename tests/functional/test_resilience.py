"""FinQ keeps working after restarts and faults: what a client sees, on the real local stack.

Milvus Lite releases its collections when its server restarts; a killed runner leaves runs
'running' and rows PostgreSQL has but Milvus never got; a dependency that is down is a 503.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess

import pytest
from websockets.sync.client import connect

from chalicelib import providers
from chalicelib.errors import UpstreamUnavailable
from chalicelib.policies.normalize import normalize
from chalicelib.policies.records import RawRecord
from chalicelib.services.ingestion import IngestionService
from chalicelib.services.policy_sync import STALE_RUN_SECONDS
from devstack.services import free_port
from tests.factories import bearer, policy_record, post_json, sign_up_and_log_in

RENT = "서울 청년 월세 지원"
RECORDS = [
    policy_record("4001", plcyNm=RENT, aplyPrdSeCd="0057002", aplyYmd=""),
    policy_record(
        "4002",
        plcyNm="청년 구직 활동 지원금",
        lclsfNm="일자리",
        plcyKywdNm="구직,취업",
        plcyExplnCn="미취업 청년의 구직 활동비를 지원합니다.",
        aplyPrdSeCd="0057002",
        aplyYmd="",
    ),
]


@pytest.fixture
def catalogue(policy_stack):
    service = IngestionService(
        policy_stack.policies, policy_stack.policy_index, policy_stack.embedder
    )
    service.ingest([RawRecord(i, r) for i, r in enumerate(RECORDS)], source="test")
    return policy_stack


def _search(client, text: str = "월세 지원"):
    return client.http.get(f"/api/policies?q={text}")


def _names(response) -> list[str]:
    return [item["name"] for item in response.json_body["items"]]


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])  # noqa: S607 - a process that is gone at once
    process.wait()
    return process.pid


@pytest.fixture
def outage():
    """Point one part at a port where nothing listens; restore it before the stack's clean-up."""
    saved: dict[str, str] = {}

    def down(variable: str) -> None:
        saved.setdefault(variable, os.environ[variable])
        os.environ[variable] = str(free_port())
        providers.reset()

    yield down
    os.environ.update(saved)
    providers.reset()


def test_search_works_after_milvus_released_the_collection(client, catalogue):
    # What a restart of Milvus Lite's server does to every collection.
    catalogue.milvus.client().release_collection(catalogue.settings.milvus_collection)
    response = _search(client)
    assert response.status_code == 200, response.body
    assert _names(response)[0] == RENT


def test_search_works_in_a_new_process_after_a_restart(client, catalogue):
    catalogue.milvus.client().release_collection(catalogue.settings.milvus_collection)
    providers.reset()  # a new process: nothing cached, the collection released
    response = _search(client)
    assert response.status_code == 200, response.body
    assert RENT in _names(response)


def test_health_reports_the_policy_index_and_is_ok_only_when_it_is_complete(client, catalogue):
    body = client.http.get("/api/health").json_body
    assert body["status"] == "ok"
    assert body["dependencies"]["policy_index"] == {
        "status": "up",
        "searchable": 2,
        "expected": 2,
        "latency_ms": body["dependencies"]["policy_index"]["latency_ms"],
    }
    # A policy PostgreSQL has but Milvus never got (a crash between the two writes).
    catalogue.policies.upsert([normalize(policy_record("4003", plcyNm="청년 교통비 지원"))])
    response = client.http.get("/api/health")
    assert response.status_code == 503
    index = response.json_body["dependencies"]["policy_index"]
    assert (index["status"], index["searchable"], index["expected"]) == ("lagging", 2, 3)


def test_recovery_redoes_a_run_its_dead_process_left_running(client, policy_stack):
    key = "policies/interrupted.jsonl"
    body = "\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS).encode("utf-8")
    policy_stack.policy_bucket.write(key, body)
    # The killed process had stored the first record in PostgreSQL only, then died.
    policy_stack.policies.upsert([normalize(RECORDS[0])])
    run = policy_stack.database.fetch_one(
        "INSERT INTO ingestion_runs (source, owner) VALUES (:s, :o) RETURNING id",
        s=f"s3://{policy_stack.settings.policy_bucket}/{key}",
        o=f"{socket.gethostname()}:{_dead_pid()}",
    )
    assert client.http.get("/api/health").status_code == 503

    report = policy_stack.policy_sync.recover(STALE_RUN_SECONDS, check_local_pids=True)

    assert [r["id"] for r in report["abandoned_runs"]] == [run["id"]]
    assert report["redone"] == [f"s3://{policy_stack.settings.policy_bucket}/{key}"]
    status = policy_stack.database.fetch_one(
        "SELECT status FROM ingestion_runs WHERE id = :id", id=run["id"]
    )
    assert status["status"] == "abandoned"
    assert policy_stack.policy_index.indexed_policies() == {"4001", "4002"}
    assert client.http.get("/api/health").json_body["status"] == "ok"
    assert _names(_search(client))[0] == RENT


def test_recovery_leaves_a_live_run_alone(policy_stack):
    run = policy_stack.database.fetch_one(
        "INSERT INTO ingestion_runs (source, owner) VALUES ('test', :o) RETURNING id",
        o=f"{socket.gethostname()}:1",  # pid 1 is alive
    )
    report = policy_stack.policy_sync.recover(STALE_RUN_SECONDS, check_local_pids=True)
    assert report["abandoned_runs"] == []
    row = policy_stack.database.fetch_one(
        "SELECT status FROM ingestion_runs WHERE id = :id", id=run["id"]
    )
    assert row["status"] == "running"
    # Silent for longer than any Lambda can run: abandoned whoever owned it.
    policy_stack.database.execute(
        "UPDATE ingestion_runs SET heartbeat_at = now() - interval '1 hour' WHERE id = :id",
        id=run["id"],
    )
    report = policy_stack.policy_sync.recover(STALE_RUN_SECONDS)
    assert [r["id"] for r in report["abandoned_runs"]] == [run["id"]]


def test_recovery_rebuilds_a_lost_index(client, catalogue):
    catalogue.milvus.client().drop_collection(catalogue.settings.milvus_collection)
    providers.reset()
    stack = providers.container()
    assert client.http.get("/api/health").status_code == 503
    report = stack.policy_sync.recover(STALE_RUN_SECONDS)
    assert report["reindexed_chunks"] > 0
    assert stack.policy_index.indexed_policies() == {"4001", "4002"}
    assert _names(_search(client))[0] == RENT


def test_a_failed_ingestion_is_recorded_as_failed_not_running(policy_stack, outage):
    outage("FINQ_MILVUS_PORT")
    stack = providers.container()
    with pytest.raises(UpstreamUnavailable, match="Milvus"):
        IngestionService(stack.policies, stack.policy_index, stack.embedder).ingest(
            [RawRecord(0, RECORDS[0])], source="test-failure"
        )
    row = stack.database.fetch_one(
        "SELECT status, error FROM ingestion_runs WHERE source = 'test-failure'"
    )
    assert row["status"] == "failed" and "Unavailable" in row["error"]


def test_milvus_down_is_a_503_for_search_and_chat(client, catalogue, outage):
    user = sign_up_and_log_in(client)
    token = user["id_token"]
    chat = post_json(client, "/api/chats", {"title": "t"}, **bearer(token)).json_body["id"]
    outage("FINQ_MILVUS_PORT")

    search = _search(client)
    assert search.status_code == 503
    assert search.json_body["error"]["code"] == "upstream_unavailable"
    turn = post_json(client, f"/api/chats/{chat}/messages", {"text": "월세 지원"}, **bearer(token))
    assert turn.status_code == 503
    assert turn.json_body["error"]["code"] == "upstream_unavailable"
    history = client.http.get(f"/api/chats/{chat}/messages", headers=bearer(token)).json_body
    roles = [(m["role"], m["status"]) for m in history["items"]]
    assert roles == [("user", "complete"), ("assistant", "failed")]
    assert history["items"][1]["error"] == {"code": "upstream_unavailable"}


def test_the_aws_endpoint_down_is_a_503_for_accounts_and_the_desk(client, outage):
    outage("FINQ_AWS_PORT")
    for path, body, headers in (
        ("/api/auth/signup", {"email": "a@example.com", "password": "Sup3r-secret-pw"}, {}),
        ("/api/auth/login", {"email": "a@example.com", "password": "Sup3r-secret-pw"}, {}),
        ("/api/inquiries", {"subject": "s", "content": "c"}, {"x-api-key": "fq_x"}),
    ):
        response = post_json(client, path, body, **headers)
        assert response.status_code == 503, (path, response.body)
        assert response.json_body["error"]["code"] == "upstream_unavailable"


def test_a_failed_websocket_turn_ends_with_an_error_frame(client, catalogue, ws_gateway, outage):
    user = sign_up_and_log_in(client)
    token = user["id_token"]
    chat = post_json(client, "/api/chats", {}, **bearer(token)).json_body["id"]
    with connect(f"{ws_gateway}?token={token}") as ws:
        outage("FINQ_MILVUS_PORT")
        ws.send(json.dumps({"action": "sendMessage", "chatId": chat, "text": "월세 지원"}))
        frame = json.loads(ws.recv(timeout=30))
    assert frame["type"] == "error"
    assert frame["code"] == "upstream_unavailable" and frame["message"]
    history = client.http.get(f"/api/chats/{chat}/messages", headers=bearer(token)).json_body
    assert [m["status"] for m in history["items"]] == ["complete", "failed"]


def test_reset_closes_the_milvus_client(stack):
    connection = stack.milvus
    connection.ping()
    providers.reset()
    assert connection.is_open() is False

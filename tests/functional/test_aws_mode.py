"""aws mode end to end: FinQ configured as the deployed stack configures it, on local stand-ins.

``FINQ_MODE=aws`` with the dev stage's environment (``.chalice/config.json``) plus what the stack
adds: resource names, the Cognito pool and client, and secret ARNs (database, Milvus token,
cursor key) resolved through Secrets Manager. No auto-confirm. Each AWS part is the local one:
moto for DynamoDB, S3, SQS, SES, SNS, Cognito and Secrets Manager; the embedded PostgreSQL behind
a TLS-only RDS stand-in (its certificate verified against the configured CA bundle); Milvus Lite
for Zilliz; a Converse/InvokeModel stand-in for Bedrock and a recording Comprehend, reached via
boto3's ``AWS_ENDPOINT_URL_<SERVICE>``. Lambda's async invoke and Textract are not on this path;
their requests are asserted with Stubbers (test_policy_ingestion_triggers, test_aws_adapters).
Every AWS call a handler makes is recorded (tests/iam_calls.py) and must be allowed by the IAM
policy file .chalice/config.json gives that function in the dev stage.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client

from chalicelib import providers
from chalicelib.repositories.postgres.connect import socket_path
from chalicelib.settings import Settings
from devstack.bootstrap import bootstrap
from devstack.events import QueuePoller
from tests.factories import PASSWORD, bearer, policy_record, post_json, unique_email
from tests.fake_aws_json import FakeAwsJsonService
from tests.fake_bedrock import FakeBedrock
from tests.iam_calls import IamCallRecorder
from tests.tls_postgres import RdsStandIn, make_pki

ROOT = Path(__file__).resolve().parents[2]
STAGE = "dev"
COLLECTION = "policy_embeddings_aws_mode"  # Titan's 1024-d vectors: not the local collection
POLICY = policy_record("20260101000000000777", plcyNm="청년 전세보증금 반환보증 지원")
SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0"


def _comprehend() -> FakeAwsJsonService:
    return FakeAwsJsonService(
        {
            "DetectDominantLanguage": lambda body: {
                "Languages": [{"LanguageCode": "ko", "Score": 0.99}]
            },
            "DetectSentiment": lambda body: {
                "Sentiment": "NEGATIVE",
                "SentimentScore": {
                    "Positive": 0.01,
                    "Negative": 0.95,
                    "Neutral": 0.03,
                    "Mixed": 0.01,
                },
            },
        }
    ).start()


def _stage_environment() -> dict[str, str]:
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    return {
        **config.get("environment_variables", {}),
        **config["stages"][STAGE]["environment_variables"],
    }


def _create_stage_resources(local: Settings) -> dict[str, str]:
    """Create the dev stage's table, buckets, queues and pool in moto, as the stack would."""
    dev = Settings(mode="local", stage=STAGE)
    container = providers.Container(dev)
    try:
        return bootstrap(dev, container)
    finally:
        container.close()


def _secrets(sm: Any, values: dict[str, str]) -> dict[str, str]:
    arns = {}
    for name, value in values.items():
        secret_id = f"finq/{STAGE}/{name}"
        try:
            arns[name] = sm.create_secret(Name=secret_id, SecretString=value)["ARN"]
        except sm.exceptions.ResourceExistsException:
            arns[name] = sm.put_secret_value(SecretId=secret_id, SecretString=value)["ARN"]
    return arns


@pytest.fixture
def aws_mode(
    stack: providers.Container, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[dict[str, Any]]:
    """Point FinQ, in aws mode, at the local stand-ins; yield the fakes and resources."""
    import app  # noqa: F401 - imported as the session does (local): its import reads the env

    local = stack.settings
    resources = _create_stage_resources(local)
    pki = make_pki(tmp_path)
    rds = RdsStandIn(pki, socket_path(local.pg_data_dir))
    database = {
        "engine": "postgres",
        "host": "127.0.0.1",
        "port": rds.port,
        "username": "postgres",  # the embedded server trusts its socket: no password checked
        "password": "generated-by-rds",
        "dbname": "finq",
    }
    arns = _secrets(
        stack.aws_client("secretsmanager"),
        {"db": json.dumps(database), "milvus-token": "root:Milvus", "cursor": "k" * 48},
    )
    bedrock, comprehend = FakeBedrock().embed_every_invoke().start(), _comprehend()
    region, account = local.region, "123456789012"
    environment = {
        **_stage_environment(),
        # What the stack injects.
        "FINQ_COGNITO_USER_POOL_ID": resources["user_pool_id"],
        "FINQ_COGNITO_CLIENT_ID": resources["client_id"],
        "FINQ_COGNITO_USER_POOL_ARN": (
            f"arn:aws:cognito-idp:{region}:{account}:userpool/{resources['user_pool_id']}"
        ),
        "FINQ_DB_SECRET_ARN": arns["db"],
        "FINQ_DB_CA_BUNDLE": str(pki["ca"]),
        "FINQ_MILVUS_URI": local.milvus_uri or "",
        "FINQ_MILVUS_TOKEN_SECRET_ARN": arns["milvus-token"],
        "FINQ_CURSOR_SECRET_ARN": arns["cursor"],
        "FINQ_POLICY_EVENTS_QUEUE_NAME": f"finq-{STAGE}-policy-files",
        "FINQ_ATTACHMENT_EVENTS_QUEUE_NAME": f"finq-{STAGE}-attachment-files",
        "FINQ_CORS_ORIGINS": "https://finq.example",
        # Where the stand-ins answer (in AWS: the services' own endpoints).
        "FINQ_AWS_ENDPOINT_URL": local.aws_endpoint_url or "",
        "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": bedrock.url,
        "AWS_ENDPOINT_URL_COMPREHEND": comprehend.url,
        "FINQ_MILVUS_COLLECTION": COLLECTION,
        # Milvus Lite shows flushed rows to search only after a reload; Zilliz needs none.
        "FINQ_MILVUS_RELOAD_AFTER_FLUSH": "true",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    providers.reset()
    try:
        yield {"bedrock": bedrock, "comprehend": comprehend, "rds": rds, "resources": resources}
    finally:
        providers.container().policy_index.drop()
        for name in environment:
            monkeypatch.delenv(name)
        providers.reset()
        bedrock.stop()
        comprehend.stop()
        rds.close()


def _sign_up_confirm_log_in(client: Any, stack: providers.Container) -> dict[str, Any]:
    email = unique_email("aws")
    created = post_json(client, "/api/auth/signup", {"email": email, "password": PASSWORD})
    assert created.status_code == 201, created.body
    assert created.json_body["confirmed"] is False  # no auto-confirm in aws mode
    refused = post_json(client, "/api/auth/login", {"email": email, "password": PASSWORD})
    assert refused.status_code in (401, 403), refused.body
    # The mailed code cannot be read here: confirm as an administrator would.
    cognito = stack.aws_client("cognito-idp")
    pool = providers.container().settings.cognito_user_pool_id
    cognito.admin_confirm_sign_up(UserPoolId=pool, Username=email)
    tokens = post_json(client, "/api/auth/login", {"email": email, "password": PASSWORD})
    assert tokens.status_code == 200, tokens.body
    return {**tokens.json_body, "email": email}


def _ingest_policy(stack: providers.Container) -> None:
    settings = providers.container().settings
    body = json.dumps(POLICY, ensure_ascii=False).encode()
    providers.container().policy_bucket.write("policies/aws-mode.jsonl", body)
    from app import on_policy_file_uploaded

    sqs = stack.aws_client("sqs")
    url = sqs.get_queue_url(QueueName=f"finq-{STAGE}-policy-files")["QueueUrl"]
    # moto's s3:TestEvent (sent when bootstrap subscribed the bucket) is ignored, then the file.
    assert QueuePoller(sqs, url, on_policy_file_uploaded).drain() >= 1
    assert settings.mode == "aws"


@pytest.fixture
def iam_calls(aws_mode: dict[str, Any]) -> Iterator[IamCallRecorder]:
    """Record each handler's AWS calls during the test."""
    from app import app

    recorder = IamCallRecorder(app, providers.container().settings.region)
    with recorder.attached():
        yield recorder


def _assert_each_call_is_granted(recorder: IamCallRecorder, functions: set[str]) -> None:
    """Each recorded call is allowed by its function's policy file in the dev stage."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    files = {
        name: ROOT / ".chalice" / settings["iam_policy_file"]
        for name, settings in config["stages"][STAGE]["lambda_functions"].items()
    }
    assert functions <= set(recorder.calls), sorted(recorder.calls)
    assert recorder.refused(files) == {}


@pytest.fixture
def dev_client(aws_mode: dict[str, Any]) -> Iterator[Client]:
    """The test client on the dev stage: each request runs with that stage's environment."""
    os.chdir(ROOT)
    from app import app

    with Client(app, stage_name=STAGE) as test_client:
        yield test_client


def test_aws_mode_signs_up_searches_chats_and_submits_an_inquiry(
    dev_client, stack, aws_mode, iam_calls
):
    client, bedrock = dev_client, aws_mode["bedrock"]
    user = _sign_up_confirm_log_in(client, stack)
    me = client.http.get("/api/me", headers=bearer(user["id_token"]))
    assert me.status_code == 200 and me.json_body["email"] == user["email"]
    assert aws_mode["rds"].tls_sessions >= 1  # the database was reached over verified TLS

    _ingest_policy(stack)
    found = client.http.get("/api/policies?q=전세보증금 반환보증", headers={"Origin": "x"})
    assert found.status_code == 200, found.body
    assert [p["plcyNo"] for p in found.json_body["items"]][:1] == [POLICY["plcyNo"]]
    titan = [r for r in bedrock.requests if r["operation"] == "invoke"]
    assert titan and titan[-1]["modelId"] == "amazon.titan-embed-text-v2:0"
    assert titan[-1]["body"] == {
        "inputText": "전세보증금 반환보증",
        "dimensions": 1024,
        "normalize": True,
    }

    chat = post_json(client, "/api/chats", {"title": "전세"}, **bearer(user["id_token"]))
    assert chat.status_code == 201, chat.body
    bedrock.reply_tool("TurnReading", {"asks": ["recommendation"], "policy_names": [],
                                       "search_query": "전세보증금"})  # fmt: skip
    bedrock.reply_stream([f"청년 전세보증금 반환보증 지원을 확인해 보세요 [{POLICY['plcyNo']}]."])
    answer = post_json(
        client,
        f"/api/chats/{chat.json_body['id']}/messages",
        {"text": "전세보증금 지원 정책 있어?"},
        **bearer(user["id_token"]),
    )
    assert answer.status_code == 201, answer.body
    assert POLICY["plcyNo"] in answer.json_body["content"]
    converse = [r for r in bedrock.requests if r["operation"].startswith("converse")]
    assert [r["operation"] for r in converse] == ["converse", "converse-stream"]
    assert converse[1]["modelId"] == SONNET

    _submit_and_answer_an_inquiry(client, stack, aws_mode)
    _assert_each_call_is_granted(
        iam_calls, {"api_handler", "on_policy_file_uploaded", "process_inquiry"}
    )


def _submit_and_answer_an_inquiry(client: Any, stack: providers.Container, fakes: dict) -> None:
    bedrock, comprehend = fakes["bedrock"], fakes["comprehend"]
    admin = _sign_up_confirm_log_in(client, stack)
    cognito = stack.aws_client("cognito-idp")
    pool = providers.container().settings.cognito_user_pool_id
    cognito.admin_add_user_to_group(
        UserPoolId=pool, Username=admin["email"], GroupName="platform-admins"
    )
    admin_token = post_json(
        client, "/api/auth/login", {"email": admin["email"], "password": PASSWORD}
    ).json_body["id_token"]
    tenant = post_json(
        client,
        "/api/tenants",
        {"name": "Acme", "faq": [], "tier": "pro", "staff_email": "staff@example.com"},
        **bearer(admin_token),
    )
    assert tenant.status_code == 201, tenant.body
    tenant_id = tenant.json_body["tenant_id"]
    key = post_json(client, f"/api/tenants/{tenant_id}/api-keys", {}, **bearer(admin_token))
    api_key = {"x-api-key": key.json_body["api_key"]}
    inquiry = {
        "customer_email": "lee@example.com",
        "category": "billing",
        "title": "결제가 두 번 됐어요",
        "content": "어제 결제가 두 번 됐어요. 정말 화가 납니다. 당장 환불해 주세요.",
        "urgency": "high",
    }
    submitted = post_json(client, "/api/inquiries", inquiry, **api_key)
    assert submitted.status_code == 201, submitted.body
    bedrock.reply_tool(
        "Draft",
        {"answer": "확인 후 환불해 드리겠습니다.", "answers_question": False,
         "entry_index": None, "confidence": 0.4},
    )  # fmt: skip
    from app import on_inquiry_dead_letter, process_inquiry

    sqs = stack.aws_client("sqs")
    poller = QueuePoller(sqs, None, None, retry_delay=0)
    for name, handler in (
        (f"finq-{STAGE}-desk", process_inquiry),
        (f"finq-{STAGE}-desk-dead-letters", on_inquiry_dead_letter),
    ):
        poller.sqs_trigger(sqs.get_queue_url(QueueName=name)["QueueUrl"], handler)
    assert poller.drain() >= 1
    view = client.http.get(f"/api/inquiries/{submitted.json_body['inquiry_id']}", headers=api_key)
    assert view.status_code == 200, view.body
    assert view.json_body["status"] != "pending", view.body
    assert comprehend.operations()[:2] == ["DetectDominantLanguage", "DetectSentiment"]
    assert comprehend.requests[1][1]["LanguageCode"] == "ko"
    assert "결제가 두 번" in comprehend.requests[1][1]["Text"]
    draft = [r for r in bedrock.requests if r["operation"] == "converse"][-1]
    assert draft["body"]["toolConfig"]["tools"][0]["toolSpec"]["name"] == "Draft"


def test_scheduled_functions_make_only_calls_their_policies_allow(dev_client, aws_mode, iam_calls):
    """The schedules and the migration function, invoked as Lambda would, within their files."""
    event = dev_client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
    )
    for name in (
        "run_migrations",
        "requeue_pending_inquiries",
        "send_deadline_reminders",
        "check_policy_news",
        "run_nightly_sync",
    ):
        providers.reset()  # each function in its own process: secrets read afresh
        dev_client.lambda_.invoke(name, {} if name == "run_migrations" else event)
    _assert_each_call_is_granted(
        iam_calls,
        # check_policy_news makes no call without a news search key (none in this stage).
        {"run_migrations", "requeue_pending_inquiries", "send_deadline_reminders",
         "run_nightly_sync"},
    )  # fmt: skip

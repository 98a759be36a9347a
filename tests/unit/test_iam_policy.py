"""The committed IAM policies grant each AWS call the code makes (Chalice cannot scan chalicelib)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# boto3 method -> IAM action, for every call the AWS adapters and repositories make.
CALLS = {
    ("cognito.py", "sign_up"): "cognito-idp:SignUp",
    ("cognito.py", "confirm_sign_up"): "cognito-idp:ConfirmSignUp",
    ("cognito.py", "initiate_auth"): "cognito-idp:InitiateAuth",
    ("cognito.py", "admin_delete_user"): "cognito-idp:AdminDeleteUser",
    ("cognito.py", "admin_user_global_sign_out"): "cognito-idp:AdminUserGlobalSignOut",
    ("cognito.py", "create_group"): "cognito-idp:CreateGroup",
    ("cognito.py", "respond_to_auth_challenge"): "cognito-idp:RespondToAuthChallenge",
    ("cognito.py", "admin_create_user"): "cognito-idp:AdminCreateUser",
    ("cognito.py", "admin_get_user"): "cognito-idp:AdminGetUser",
    ("cognito.py", "admin_add_user_to_group"): "cognito-idp:AdminAddUserToGroup",
    ("cognito.py", "admin_remove_user_from_group"): "cognito-idp:AdminRemoveUserFromGroup",
    ("cognito.py", "admin_list_groups_for_user"): "cognito-idp:AdminListGroupsForUser",
    ("cognito.py", "list_users_in_group"): "cognito-idp:ListUsersInGroup",
    ("cognito.py", "admin_enable_user"): "cognito-idp:AdminEnableUser",
    ("cognito.py", "admin_disable_user"): "cognito-idp:AdminDisableUser",
    ("desk.py", "put_item"): "dynamodb:PutItem",
    ("desk.py", "get_item"): "dynamodb:GetItem",
    ("desk.py", "update_item"): "dynamodb:UpdateItem",
    ("desk.py", "query"): "dynamodb:Query",
    ("desk.py", "transact_write_items"): "dynamodb:DeleteItem",
    ("desk.py", "delete_item"): "dynamodb:DeleteItem",
    ("sqs.py", "get_queue_url"): "sqs:GetQueueUrl",
    ("sqs.py", "send_message"): "sqs:SendMessage",
    ("connections.py", "delete_item"): "dynamodb:DeleteItem",
    ("s3.py", "get_object"): "s3:GetObject",
    ("s3.py", "put_object"): "s3:PutObject",
    ("s3.py", "list_objects_v2"): "s3:ListBucket",
    ("bedrock.py", "invoke_model"): "bedrock:InvokeModel",
    ("comprehend.py", "detect_sentiment"): "comprehend:DetectSentiment",
    ("comprehend.py", "detect_dominant_language"): "comprehend:DetectDominantLanguage",
    ("textract.py", "detect_document_text"): "textract:DetectDocumentText",
    ("ses.py", "send_email"): "ses:SendEmail",
    ("sns.py", "publish"): "sns:Publish",
    ("websocket.py", "post_to_connection"): "execute-api:ManageConnections",
    ("websocket.py", "delete_connection"): "execute-api:ManageConnections",
    ("providers.py", "get_secret_value"): "secretsmanager:GetSecretValue",
    ("lambda_invoker.py", "invoke"): "lambda:InvokeFunction",
}


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_every_call_has_its_action_in_the_stage_policy(stage):
    policy = json.loads((ROOT / ".chalice" / f"policy-{stage}.json").read_text())
    granted = {action for statement in policy["Statement"] for action in statement["Action"]}
    sources = {path.name: path.read_text() for path in (ROOT / "chalicelib").rglob("*.py")}
    for (module, method), action in CALLS.items():
        assert re.search(rf"\.{method}\(|\"{method}\"", sources[module]), (
            f"{module} no longer calls {method}"
        )
        assert action in granted, (
            f"{action} ({module}.{method}) is missing from policy-{stage}.json"
        )


# What Lambda's SQS event source mapping needs from the function's role, per queue.
_EVENT_SOURCE_ACTIONS = {
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:ChangeMessageVisibility",
}


def _grants(policy: dict, action: str) -> list[str]:
    resources: list[str] = []
    for statement in policy["Statement"]:
        if action in statement["Action"]:
            found = statement["Resource"]
            resources += [found] if isinstance(found, str) else found
    return resources


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_every_sqs_triggered_handler_can_read_its_queue(stage, monkeypatch):
    from chalicelib.import_settings import decorator_settings

    monkeypatch.setenv("FINQ_STAGE", stage)
    queues = decorator_settings()
    app_source = (ROOT / "app.py").read_text()
    triggered = re.findall(r"on_sqs_message\(queue=decorator_settings\(\)\.(\w+)", app_source)
    assert set(triggered) >= {"policy_events_queue", "attachment_events_queue", "desk_queue"}
    policy = json.loads((ROOT / ".chalice" / f"policy-{stage}.json").read_text())
    for field in triggered:
        arn = f"arn:aws:sqs:*:*:{getattr(queues, field)}"
        for action in _EVENT_SOURCE_ACTIONS:
            assert arn in _grants(policy, action), f"{action} on {arn} ({field})"


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_functions_can_trace_log_and_run_in_a_vpc(stage):
    policy = json.loads((ROOT / ".chalice" / f"policy-{stage}.json").read_text())
    for action in (
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    ):
        assert _grants(policy, action), f"{action} is missing from policy-{stage}.json"
    secrets = _grants(policy, "secretsmanager:GetSecretValue")
    assert secrets == [f"arn:aws:secretsmanager:*:*:secret:finq/{stage}/*"]

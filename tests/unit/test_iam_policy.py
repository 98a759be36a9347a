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

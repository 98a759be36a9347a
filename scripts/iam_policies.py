"""Least-privilege IAM policy files per function group, derived from the AWS calls FinQ makes.

One table says, for each boto3 call in ``chalicelib`` (a *capability*), which IAM actions it
needs on which resources; another says which capabilities each group of Lambda functions reaches
from its handlers in ``app.py`` (through the services ``chalicelib/providers.py`` builds). Every
function also gets its own log streams, X-Ray and the VPC's network-interface actions, and the
SQS-triggered ones the event-source actions on the queues they consume. Chalice gives each
function the file named in ``.chalice/config.json`` (``lambda_functions.<name>.iam_policy_file``;
with ``autogen_policy`` false, one role per function). Resources carry the stage's local names;
the CDK stack swaps in the deployed bucket names.

Usage: ``python scripts/iam_policies.py`` writes ``.chalice/policy-<stage>-<group>.json`` and
the per-function ``iam_policy_file`` entries; ``--check`` exits non-zero when they differ.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("dev", "prod")


Grants = tuple[tuple[str, tuple[str, ...]], ...]  # (IAM action, resource ARNs) pairs


@dataclass(frozen=True)
class Capability:
    """What one piece of code calls: boto3 method -> (IAM action, resource templates).

    ``module`` is where the call is made; ``calls`` maps each method (as it is written in the
    module: ``.name(`` or a paginator's ``"name"``) to the action and the ARNs, with ``{s}`` for
    the stage.
    """

    module: str
    calls: dict[str, Grants]


TABLE = ("arn:aws:dynamodb:*:*:table/finq-{s}",)
TABLE_AND_INDEXES = TABLE + (
    "arn:aws:dynamodb:*:*:table/finq-{s}/index/GSI1",
    "arn:aws:dynamodb:*:*:table/finq-{s}/index/GSI2",
)
USER_POOLS = ("arn:aws:cognito-idp:*:*:userpool/*",)
POLICY_BUCKET = "arn:aws:s3:::finq-{s}-policies"
ATTACHMENT_BUCKET = "arn:aws:s3:::finq-{s}-attachments"
CLAUDE = ("arn:aws:bedrock:*::foundation-model/anthropic.claude-*",)
TITAN = ("arn:aws:bedrock:*::foundation-model/amazon.titan-embed-text-v2:0",)
MAIL_IDENTITIES = ("arn:aws:ses:*:*:identity/*",)
ANY = ("*",)


def _one(action: str, resources: tuple[str, ...]) -> Grants:
    return ((action, resources),)


def _cognito(*methods: str) -> dict[str, Grants]:
    def action(method: str) -> str:
        return "cognito-idp:" + "".join(part.title() for part in method.split("_"))

    return {method: _one(action(method), USER_POOLS) for method in methods}


def _secret(purpose: str) -> Capability:
    # Secrets Manager appends "-" and six random characters to a secret's name in its ARN.
    resource = f"arn:aws:secretsmanager:*:*:secret:finq/{{s}}/{purpose}-??????"
    return Capability(
        "chalicelib/providers.py",
        {"get_secret_value": _one("secretsmanager:GetSecretValue", (resource,))},
    )


CAPABILITIES: dict[str, Capability] = {
    "CognitoAccounts": Capability(
        "chalicelib/aws/cognito.py",
        _cognito(
            "sign_up",
            "confirm_sign_up",
            "initiate_auth",
            "respond_to_auth_challenge",
            "admin_delete_user",
            "admin_user_global_sign_out",
            "create_group",
            "admin_add_user_to_group",
        ),
    ),  # fmt: skip
    # Tenant admins' staff: invitations (a failed FinQ-mailed one deletes its login), groups.
    "StaffLogins": Capability(
        "chalicelib/aws/cognito_staff.py",
        _cognito(
            "admin_create_user",
            "admin_delete_user",
            "admin_get_user",
            "admin_add_user_to_group",
            "admin_remove_user_from_group",
            "admin_list_groups_for_user",
            "list_users_in_group",
            "admin_enable_user",
            "admin_disable_user",
            "admin_set_user_password",
        ),
    ),  # fmt: skip
    "DeskTable": Capability(
        "chalicelib/repositories/dynamodb/desk.py",
        {
            "put_item": _one("dynamodb:PutItem", TABLE_AND_INDEXES),
            "get_item": _one("dynamodb:GetItem", TABLE_AND_INDEXES),
            "update_item": _one("dynamodb:UpdateItem", TABLE_AND_INDEXES),
            "delete_item": _one("dynamodb:DeleteItem", TABLE_AND_INDEXES),
            "query": _one("dynamodb:Query", TABLE_AND_INDEXES),
            "batch_get_item": _one("dynamodb:BatchGetItem", TABLE),
            # A transaction needs the action of each item it holds (Put and Delete here).
            "transact_write_items": (("dynamodb:PutItem", TABLE), ("dynamodb:DeleteItem", TABLE)),
        },
    ),
    "ConnectionTable": Capability(
        "chalicelib/repositories/dynamodb/connections.py",
        {
            "put_item": _one("dynamodb:PutItem", TABLE),
            "get_item": _one("dynamodb:GetItem", TABLE),
            "update_item": _one("dynamodb:UpdateItem", TABLE),
            "delete_item": _one("dynamodb:DeleteItem", TABLE),
        },
    ),
    "GoneConnections": Capability(
        "chalicelib/repositories/dynamodb/connections.py",
        {"delete_item": _one("dynamodb:DeleteItem", TABLE)},
    ),
    "HealthProbes": Capability(
        "chalicelib/providers.py",
        {
            "describe_table": _one("dynamodb:DescribeTable", TABLE),
            "head_bucket": _one("s3:ListBucket", (POLICY_BUCKET,)),
        },
    ),
    "PolicyFiles": Capability(
        "chalicelib/aws/s3.py",
        {
            "get_object": _one("s3:GetObject", (POLICY_BUCKET + "/policies/*",)),
            "list_objects_v2": _one("s3:ListBucket", (POLICY_BUCKET,)),
        },
    ),
    "Quarantine": Capability(
        "chalicelib/aws/s3.py",
        {"put_object": _one("s3:PutObject", (POLICY_BUCKET + "/quarantine/*",))},
    ),
    # The browser's upload is authorized by the presigned POST, signed with the API's role.
    "AttachmentUploads": Capability(
        "chalicelib/providers.py",
        {"generate_presigned_post": _one("s3:PutObject", (ATTACHMENT_BUCKET + "/attachments/*",))},
    ),
    # Textract reads the S3 object with the caller's permissions.
    "AttachmentText": Capability(
        "chalicelib/aws/textract.py",
        {
            "detect_document_text": (
                ("textract:DetectDocumentText", ANY),
                ("s3:GetObject", (ATTACHMENT_BUCKET + "/attachments/*",)),
            )
        },
    ),
    "Embeddings": Capability(
        "chalicelib/aws/bedrock.py", {"invoke_model": _one("bedrock:InvokeModel", TITAN)}
    ),
    # langchain_aws's ChatBedrockConverse calls Converse and ConverseStream, which IAM
    # authorizes as InvokeModel and InvokeModelWithResponseStream.
    "ChatModel": Capability(
        "chalicelib/aws/bedrock_chat.py",
        {
            "ChatBedrockConverse": (
                ("bedrock:InvokeModel", CLAUDE),
                ("bedrock:InvokeModelWithResponseStream", CLAUDE),
            )
        },
    ),
    "DraftModel": Capability(
        "chalicelib/aws/bedrock_chat.py",
        {"ChatBedrockConverse": _one("bedrock:InvokeModel", CLAUDE)},
    ),
    "Language": Capability(
        "chalicelib/aws/comprehend.py",
        {
            "detect_dominant_language": _one("comprehend:DetectDominantLanguage", ANY),
            "detect_sentiment": _one("comprehend:DetectSentiment", ANY),
        },
    ),
    "Mail": Capability(
        "chalicelib/aws/ses.py", {"send_email": _one("ses:SendEmail", MAIL_IDENTITIES)}
    ),
    "Escalations": Capability(
        "chalicelib/aws/sns.py",
        {"publish": _one("sns:Publish", ("arn:aws:sns:*:*:finq-{s}-*",))},
    ),
    "DeskQueue": Capability(
        "chalicelib/aws/sqs.py",
        {
            "get_queue_url": _one("sqs:GetQueueUrl", ("arn:aws:sqs:*:*:finq-{s}-desk",)),
            "send_message": _one("sqs:SendMessage", ("arn:aws:sqs:*:*:finq-{s}-desk",)),
        },
    ),
    "WebSocketFrames": Capability(
        "chalicelib/aws/websocket.py",
        {
            "post_to_connection": _one(
                "execute-api:ManageConnections",
                ("arn:aws:execute-api:*:*:*/*/POST/@connections/*",),
            ),
            "delete_connection": _one(
                "execute-api:ManageConnections",
                ("arn:aws:execute-api:*:*:*/*/DELETE/@connections/*",),
            ),
        },
    ),
    "ChatDispatch": Capability(
        "chalicelib/aws/lambda_invoker.py",
        {
            "invoke": _one(
                "lambda:InvokeFunction", ("arn:aws:lambda:*:*:function:finq-{s}-chat_worker",)
            )
        },
    ),
    "SyncContinuation": Capability(
        "chalicelib/aws/lambda_invoker.py",
        {
            "invoke": _one(
                "lambda:InvokeFunction",
                ("arn:aws:lambda:*:*:function:finq-{s}-continue_policy_sync",),
            )
        },
    ),
    "DatabaseSecret": _secret("db"),
    "MilvusTokenSecret": _secret("milvus-token"),
    "CursorSecret": _secret("cursor"),
    "OntongKeySecret": _secret("ontong-api-key"),
    "TavilyKeySecret": _secret("tavily-api-key"),
}

# Calls only local mode or the local tools make (auto-confirmed sign-up, finding the pool by
# name, seeding the bucket, the local table's backfill): no deployed function makes them.
LOCAL_ONLY = {
    "chalicelib/aws/cognito.py": ("admin_confirm_sign_up", "admin_update_user_attributes",
                                  "list_user_pools", "list_user_pool_clients"),
    "chalicelib/aws/s3.py": ("head_object", "delete_object"),
    "chalicelib/aws/sns.py": ("create_topic",),
    "chalicelib/repositories/dynamodb/desk.py": ("scan",),
}  # fmt: skip


@dataclass(frozen=True)
class Group:
    """Functions that do the same kind of work, and what their code paths reach."""

    functions: tuple[str, ...]
    capabilities: tuple[str, ...]
    consumes: tuple[str, ...] = field(default=())  # SQS queues (finq-<stage>-<name>)


GROUPS: dict[str, Group] = {
    "api": Group(
        ("api_handler",),
        (
            "CognitoAccounts",
            "StaffLogins",
            "DeskTable",
            "HealthProbes",
            "AttachmentUploads",
            "Embeddings",
            "ChatModel",
            "DeskQueue",
            "Mail",
            "Escalations",
            "DatabaseSecret",
            "MilvusTokenSecret",
            "CursorSecret",
            "TavilyKeySecret",
        ),
    ),  # fmt: skip
    "socket": Group(
        ("websocket_connect", "websocket_message", "websocket_disconnect"),
        ("ConnectionTable", "WebSocketFrames", "ChatDispatch", "DatabaseSecret"),
    ),
    "chat": Group(
        ("chat_worker",),
        (
            "GoneConnections",
            "WebSocketFrames",
            "Embeddings",
            "ChatModel",
            "DeskTable",
            "DeskQueue",
            "Mail",
            "Escalations",
            "DatabaseSecret",
            "MilvusTokenSecret",
            "CursorSecret",
            "TavilyKeySecret",
        ),
    ),  # fmt: skip
    "ingest": Group(
        ("on_policy_file_uploaded", "run_nightly_sync", "continue_policy_sync"),
        (
            "PolicyFiles",
            "Quarantine",
            "Embeddings",
            "Mail",
            "SyncContinuation",
            "DatabaseSecret",
            "MilvusTokenSecret",
            "OntongKeySecret",
        ),
        consumes=("policy-files",),
    ),  # fmt: skip
    "desk": Group(
        (
            "process_inquiry",
            "on_inquiry_dead_letter",
            "requeue_pending_inquiries",
            "on_attachment_uploaded",
        ),
        (
            "DeskTable",
            "DeskQueue",
            "Language",
            "DraftModel",
            "AttachmentText",
            "Mail",
            "Escalations",
            "CursorSecret",
        ),
        consumes=("attachment-files", "desk", "desk-dead-letters"),
    ),  # fmt: skip
    "reminders": Group(
        ("send_deadline_reminders", "check_policy_news"),
        ("Mail", "DatabaseSecret", "TavilyKeySecret"),
    ),
    "migrate": Group(("run_migrations",), ("DatabaseSecret",)),
}

# What Lambda needs from every function's role: its own log streams (the stack creates the
# groups, with their retention), X-Ray segments, and the network interfaces of the VPC (these
# two support no resource-level permissions).
TRACING = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")
NETWORK_INTERFACES = (
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
)
# What Lambda's SQS event source mapping needs from the consuming function's role.
EVENT_SOURCE = (
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:ChangeMessageVisibility",
)


def _statement(sid: str, actions: list[str], resources: list[str]) -> dict[str, object]:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Action": sorted(set(actions)),
        "Resource": resources[0] if len(resources) == 1 else resources,
    }


def _capability_statements(name: str, stage: str) -> list[dict[str, object]]:
    """One statement per distinct resource list of a capability's actions."""
    resources_of: dict[str, set[str]] = {}
    for grants in CAPABILITIES[name].calls.values():
        for action, resources in grants:
            resources_of.setdefault(action, set()).update(resources)
    by_resources: dict[tuple[str, ...], list[str]] = {}
    for action, resources in resources_of.items():
        by_resources.setdefault(tuple(sorted(resources)), []).append(action)
    statements = []
    for index, (resources, actions) in enumerate(sorted(by_resources.items())):
        sid = name if index == 0 else f"{name}{index + 1}"
        statements.append(_statement(sid, actions, [r.format(s=stage) for r in resources]))
    return statements


def policy(stage: str, group_name: str) -> dict[str, object]:
    """Return the IAM policy document of one group in one stage."""
    group = GROUPS[group_name]
    logs = [
        f"arn:aws:logs:*:*:log-group:/aws/lambda/finq-{stage}-{function}:*"
        for function in group.functions
    ]
    statements = [
        _statement("Logs", ["logs:CreateLogStream", "logs:PutLogEvents"], logs),
        _statement("Tracing", list(TRACING), ["*"]),
        _statement("VpcNetworkInterfaces", list(NETWORK_INTERFACES), ["*"]),
    ]
    if group.consumes:
        queues = [f"arn:aws:sqs:*:*:finq-{stage}-{queue}" for queue in group.consumes]
        statements.append(_statement("EventSourceQueues", list(EVENT_SOURCE), queues))
    for name in group.capabilities:
        statements += _capability_statements(name, stage)
    return {"Version": "2012-10-17", "Statement": statements}


def file_name(stage: str, group_name: str) -> str:
    """Return the policy file's name in ``.chalice/``."""
    return f"policy-{stage}-{group_name}.json"


def group_of(function: str) -> str:
    """Return the group a function belongs to."""
    (name,) = [name for name, group in GROUPS.items() if function in group.functions]
    return name


def rendered() -> dict[Path, str]:
    """Return every policy file and ``.chalice/config.json`` as they should read."""
    files = {
        ROOT / ".chalice" / file_name(stage, name): json.dumps(policy(stage, name), indent=2) + "\n"
        for stage in STAGES
        for name in GROUPS
    }
    config_path = ROOT / ".chalice" / "config.json"
    config = json.loads(config_path.read_text())
    for stage in STAGES:
        functions = config["stages"][stage]["lambda_functions"]
        for name, group in GROUPS.items():
            for function in group.functions:
                functions.setdefault(function, {})["iam_policy_file"] = file_name(stage, name)
    files[config_path] = json.dumps(config, indent=2, ensure_ascii=False) + "\n"
    return files


def main() -> int:
    """Write (or with ``--check`` compare) the policy files and the config's entries."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report files that differ")
    args = parser.parse_args()
    stale = [
        path for path, text in rendered().items() if not path.exists() or path.read_text() != text
    ]
    if args.check:
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)} (run python scripts/iam_policies.py)")
        return 1 if stale else 0
    for path, text in rendered().items():
        path.write_text(text)
    print(f"wrote {len(stale)} file(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

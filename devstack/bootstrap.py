"""Idempotent set-up of local mode's resources in moto and the embedded PostgreSQL.

Owns what ``make run``, ``make services`` and the test fixtures create: the DynamoDB table, the
S3 buckets with their upload notifications to SQS (S3 -> SQS -> the handlers, each queue with a
dead-letter queue), the Cognito pool, client and groups, the SES sender, the desk's work queue
and its dead-letter queue, and the schema migrations.
Running it twice changes nothing. In AWS the same resources come from infrastructure code.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.aws.cognito import find_pool_client, find_user_pool
from chalicelib.services.policy_sources import POLICY_PREFIX, POLICY_SUFFIXES
from chalicelib.settings import Settings, dead_letter_queue
from devstack.events import ensure_work_queue, subscribe_bucket

_log = logging.getLogger(__name__)

GROUPS = ("platform-admins",)
# A failed desk message is received again after this long (in AWS: six times the worker's
# timeout, as Lambda's SQS event source advises; locally short, so retries show quickly).
DESK_VISIBILITY_SECONDS = 10
# A failed upload event is received again after this long (in AWS: six times the handler's
# timeout); locally long enough for one file's ingestion, short enough to see a retry.
FILE_EVENT_VISIBILITY_SECONDS = 60


def _file_queue(settings: Settings, name: str) -> tuple[str, str, int, int]:
    """An upload-event queue: its name, dead-letter queue, max receives and visibility."""
    return (
        name,
        dead_letter_queue(name),
        settings.file_event_max_receives,
        FILE_EVENT_VISIBILITY_SECONDS,
    )


def bootstrap(settings: Settings, container: Any) -> dict[str, str]:
    """Create every local resource that is missing and apply migrations.

    Args:
        settings: Names of the resources to create.
        container: The providers container, whose clients point at moto's server.

    Returns:
        The Cognito pool and client ids.
    """
    from chalicelib.repositories.postgres.migrations import migrate

    if _ensure_table(container.dynamodb, settings.table_name):
        backfilled = container.desk_repository.backfill_list_index()
        _log.info("gave %d existing inquiries their GSI2 keys", backfilled)
    for bucket in (settings.policy_bucket, settings.attachment_bucket):
        _ensure_bucket(container.s3, bucket, settings.region)
    pool_id, client_id = _ensure_cognito(container.cognito, settings)
    container.aws_client("ses").verify_email_identity(EmailAddress=settings.mail_sender)
    sqs = container.aws_client("sqs")
    queue_url = subscribe_bucket(
        container.s3,
        sqs,
        str(settings.policy_bucket),
        _file_queue(settings, str(settings.policy_events_queue_name)),
        POLICY_PREFIX,
        POLICY_SUFFIXES,
    )
    attachment_queue = subscribe_bucket(
        container.s3,
        sqs,
        str(settings.attachment_bucket),
        _file_queue(settings, str(settings.attachment_events_queue_name)),
        "attachments/",
        (),
    )
    desk_queue, desk_dead_letters = ensure_work_queue(
        container.aws_client("sqs"),
        str(settings.desk_queue_name),
        str(settings.desk_dead_letter_queue_name),
        settings.desk_max_receives,
        DESK_VISIBILITY_SECONDS,
    )
    applied = migrate(container.database)
    if applied:
        _log.info("applied migrations: %s", ", ".join(applied))
    _ensure_operator_tenant(settings, container)
    return {
        "user_pool_id": pool_id,
        "client_id": client_id,
        "policy_queue_url": queue_url,
        "attachment_queue_url": attachment_queue,
        "desk_queue_url": desk_queue,
        "desk_dead_letter_queue_url": desk_dead_letters,
    }


def _ensure_operator_tenant(settings: Settings, container: Any) -> None:
    """The tenant that receives the advisor chat's requests for a human (FinQ's own desk)."""
    if not container.desk_tenants.exists(settings.operator_tenant_id):
        container.desk_tenants.create_tenant(
            {
                "tenant_id": settings.operator_tenant_id,
                "name": "FinQ 청년정책 상담",
                "domain_context": "FinQ advisor users who asked to talk to a person",
                "faq": [],
                "tier": "enterprise",
                "staff_email": "operator@finq.local",
            }
        )


def seed_sample_policies(bucket: Any, directory: Path) -> list[str]:
    """Upload ``data/policies`` files that are missing or changed; return the keys written.

    The uploads raise S3 events, so the sample set is ingested by the same path as any file.
    """
    written = []
    for path in sorted(directory.glob("*")):
        if path.suffix.lower() not in POLICY_SUFFIXES:
            continue
        key = f"{POLICY_PREFIX}sample/{path.name}"
        body = path.read_bytes()
        if bucket.etag(key) != hashlib.md5(body).hexdigest():  # noqa: S324 - S3's ETag is an MD5
            bucket.write(key, body)
            written.append(key)
    return written


def _gsi(name: str) -> dict[str, Any]:
    return {
        "IndexName": name,
        "KeySchema": [
            {"AttributeName": f"{name}PK", "KeyType": "HASH"},
            {"AttributeName": f"{name}SK", "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "ALL"},
    }


# GSI1: tenants (COMPANIES) and each tenant's inquiries by time. GSI2 (sparse, inquiries only):
# a tenant's inquiries per status and priority, so the filtered staff list reads no others.
_INDEXES = ("GSI1", "GSI2")


def _ensure_table(dynamodb: Any, name: str | None) -> bool:
    """Create the table, or add the indexes it lacks; True when an existing table got one."""
    try:
        table = dynamodb.describe_table(TableName=name)["Table"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
    else:
        return _ensure_indexes(dynamodb, name, table)
    dynamodb.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": attr, "AttributeType": "S"}
            for attr in ("PK", "SK", *(f"{i}{k}" for i in _INDEXES for k in ("PK", "SK")))
        ],
        KeySchema=[
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[_gsi(index) for index in _INDEXES],
    )
    dynamodb.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"}
    )
    return False


def _ensure_indexes(dynamodb: Any, name: str | None, table: dict[str, Any]) -> bool:
    """Add the indexes a table made by an older version lacks; True when one was added."""
    present = {i["IndexName"] for i in table.get("GlobalSecondaryIndexes", [])}
    missing = [index for index in _INDEXES if index not in present]
    for index in missing:
        _log.warning("table %s lacks %s; creating it", name, index)
        dynamodb.update_table(
            TableName=name,
            AttributeDefinitions=[
                {"AttributeName": f"{index}{k}", "AttributeType": "S"} for k in ("PK", "SK")
            ],
            GlobalSecondaryIndexUpdates=[{"Create": _gsi(index)}],
        )
    return bool(missing)


def _ensure_bucket(s3: Any, name: str | None, region: str) -> None:
    try:
        s3.head_bucket(Bucket=name)
    except ClientError:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})


def _ensure_cognito(cognito: Any, settings: Settings) -> tuple[str, str]:
    pool_id = find_user_pool(cognito, settings.cognito_pool_name)
    if pool_id is None:
        pool_id = cognito.create_user_pool(
            PoolName=settings.cognito_pool_name,
            Policies={
                "PasswordPolicy": {
                    "MinimumLength": 8,
                    "RequireUppercase": False,
                    "RequireLowercase": True,
                    "RequireNumbers": True,
                    "RequireSymbols": False,
                }
            },
            AutoVerifiedAttributes=["email"],
            Schema=[{"Name": "email", "AttributeDataType": "String", "Required": True}],
        )["UserPool"]["Id"]
    client_id = find_pool_client(cognito, pool_id, settings.cognito_client_name)
    if client_id is None:
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName=settings.cognito_client_name,
            GenerateSecret=False,
            ReadAttributes=["email", "email_verified"],
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
    for group in GROUPS:
        try:
            cognito.create_group(UserPoolId=pool_id, GroupName=group)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "GroupExistsException":
                raise
    return pool_id, client_id

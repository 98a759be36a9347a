"""FinQ's stored data: the DynamoDB table, the two S3 buckets and the SQS queues.

Owns their encryption, public-access blocks, TLS-only policies, retention, and the S3 event
notifications (ObjectCreated under a prefix -> SQS queue -> the ``@app.on_sqs_message``
handler, each queue with a dead-letter queue for files that keep failing).
"""

from __future__ import annotations

from aws_cdk import Aws, Duration, RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as s3n
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from finq_infra.stages import (
    DESK_MAX_RECEIVES,
    FILE_EVENT_MAX_RECEIVES,
    QUEUE_CONSUMER_TIMEOUT_SECONDS,
    Stage,
)

POLICY_PREFIX = "policies/"
POLICY_SUFFIXES = (".json", ".jsonl")
ATTACHMENT_PREFIX = "attachments/"
_INDEXES = ("GSI1", "GSI2")


def _removal(stage: Stage) -> RemovalPolicy:
    return RemovalPolicy.RETAIN if stage.keep_data else RemovalPolicy.DESTROY


def _queue(scope: Construct, stage: Stage, purpose: str, dlq: sqs.IQueue | None) -> sqs.Queue:
    """A queue named ``finq-<stage>-<purpose>`` whose visibility covers its consumer's timeout."""
    timeout = QUEUE_CONSUMER_TIMEOUT_SECONDS.get(purpose, 60)
    receives = DESK_MAX_RECEIVES if purpose == "desk" else FILE_EVENT_MAX_RECEIVES
    return sqs.Queue(
        scope,
        f"Queue-{purpose}",
        queue_name=stage.resource(purpose),
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        visibility_timeout=Duration.seconds(min(6 * timeout, 43_200)),
        retention_period=Duration.days(14),
        dead_letter_queue=sqs.DeadLetterQueue(queue=dlq, max_receive_count=receives)
        if dlq
        else None,
    )


class Data(Construct):
    """The table, buckets and queues of one stage."""

    def __init__(self, scope: Construct, construct_id: str, *, stage: Stage) -> None:
        """Create every data resource of ``stage``."""
        super().__init__(scope, construct_id)
        self.table = self._table(stage)
        self.policy_bucket = self._bucket(stage, "PolicyBucket", "policies", ())
        self.attachment_bucket = self._bucket(
            stage, "AttachmentBucket", "attachments", stage.cors_origins
        )
        self.dead_letter_queues: list[sqs.Queue] = []
        self.desk_dead_letters = _queue(self, stage, "desk-dead-letters", None)
        self.desk_queue = _queue(self, stage, "desk", self.desk_dead_letters)
        self.policy_events = self._file_events(stage, "policy-files")
        self.attachment_events = self._file_events(stage, "attachment-files")
        self.dead_letter_queues.append(self.desk_dead_letters)
        self.queues = [
            self.desk_queue,
            self.policy_events,
            self.attachment_events,
            *self.dead_letter_queues,
        ]
        for suffix in POLICY_SUFFIXES:
            self.policy_bucket.add_event_notification(
                s3.EventType.OBJECT_CREATED,
                s3n.SqsDestination(self.policy_events),
                s3.NotificationKeyFilter(prefix=POLICY_PREFIX, suffix=suffix),
            )
        self.attachment_bucket.add_event_notification(
            s3.EventType.OBJECT_CREATED,
            s3n.SqsDestination(self.attachment_events),
            s3.NotificationKeyFilter(prefix=ATTACHMENT_PREFIX),
        )

    def _table(self, stage: Stage) -> dynamodb.Table:
        table = dynamodb.Table(
            self,
            "Table",
            table_name=f"finq-{stage.name}",
            partition_key=dynamodb.Attribute(name="PK", type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name="SK", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute="ttl",
            deletion_protection=stage.keep_data,
            removal_policy=_removal(stage),
        )
        for index in _INDEXES:
            table.add_global_secondary_index(
                index_name=index,
                partition_key=dynamodb.Attribute(
                    name=f"{index}PK", type=dynamodb.AttributeType.STRING
                ),
                sort_key=dynamodb.Attribute(name=f"{index}SK", type=dynamodb.AttributeType.STRING),
                projection_type=dynamodb.ProjectionType.ALL,
            )
        return table

    def _bucket(
        self, stage: Stage, construct_id: str, purpose: str, origins: tuple[str, ...]
    ) -> s3.Bucket:
        """A private, versioned, encrypted, TLS-only bucket (account id keeps its name unique)."""
        cors = (
            [
                s3.CorsRule(
                    allowed_methods=[s3.HttpMethods.PUT, s3.HttpMethods.POST],
                    allowed_origins=list(origins),
                    allowed_headers=["*"],
                    max_age=3000,
                )
            ]
            if origins
            else None
        )
        return s3.Bucket(
            self,
            construct_id,
            bucket_name=f"{stage.resource(purpose)}-{Aws.ACCOUNT_ID}",
            versioned=True,
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforce_ssl=True,
            cors=cors,
            lifecycle_rules=[
                s3.LifecycleRule(
                    noncurrent_version_expiration=Duration.days(90),
                    abort_incomplete_multipart_upload_after=Duration.days(7),
                )
            ],
            removal_policy=_removal(stage),
            auto_delete_objects=not stage.keep_data,
        )

    def _file_events(self, stage: Stage, purpose: str) -> sqs.Queue:
        dead_letters = _queue(self, stage, f"{purpose}-dead-letters", None)
        self.dead_letter_queues.append(dead_letters)
        return _queue(self, stage, purpose, dead_letters)

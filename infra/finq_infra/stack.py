"""One stage of FinQ on AWS: every resource it uses, wired into the Chalice app's environment.

Composes the data (table, buckets, queues), the network and database, identity and secrets,
the Chalice app (REST and WebSocket APIs, every handler), the REST API's guards, the migration
trigger and the alarms, and prints the clients' entry points as outputs.
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Aws, CfnOutput, CfnParameter, Fn, Stack, Tags
from constructs import Construct

from finq_infra.alarms import Alarms
from finq_infra.chalice_app import ChaliceApp
from finq_infra.data import Data
from finq_infra.identity import Identity
from finq_infra.migrations import MigrationTrigger
from finq_infra.network import Network
from finq_infra.rest_api import API_STAGE, Firewall, configure_rest_api
from finq_infra.stages import DESK_MAX_RECEIVES, FILE_EVENT_MAX_RECEIVES, Stage


class FinqStack(Stack):
    """Every AWS resource of one FinQ stage."""

    def __init__(
        self, scope: Construct, construct_id: str, *, stage: Stage, source_dir: Path
    ) -> None:
        """Build the stage's stack from the Chalice project in ``source_dir``."""
        super().__init__(
            scope,
            construct_id,
            stack_name=f"finq-{stage.name}",
            description=f"FinQ {stage.name}: the whole backend",
        )
        Tags.of(self).add("app", "finq")
        Tags.of(self).add("stage", stage.name)
        milvus_uri = CfnParameter(
            self,
            "MilvusUri",
            type="String",
            allowed_pattern="^https://.+",
            description="Zilliz Cloud endpoint (https://<id>.serverless.<region>.vectordb...)",
        )
        budget = CfnParameter(
            self,
            "BedrockDailyBudgetUsd",
            type="Number",
            default=20,
            min_value=0,
            description="Alarm when a day's Bedrock spend exceeds this many US dollars",
        )
        data = Data(self, "Data", stage=stage)
        network = Network(self, "Network", stage=stage)
        identity = Identity(self, "Identity", stage=stage)
        secret_arns = {
            "FINQ_DB_SECRET_ARN": network.database.secret.secret_arn
            if network.database.secret
            else "",
            "FINQ_MILVUS_TOKEN_SECRET_ARN": identity.milvus_token.secret_arn,
            "FINQ_CURSOR_SECRET_ARN": identity.cursor_secret.secret_arn,
        }
        if identity.ontong_key:
            secret_arns["FINQ_ONTONG_API_KEY_SECRET_ARN"] = identity.ontong_key.secret_arn
        if identity.tavily_key:
            secret_arns["FINQ_TAVILY_API_KEY_SECRET_ARN"] = identity.tavily_key.secret_arn
        environment = {
            "FINQ_MODE": "aws",
            "FINQ_STAGE": stage.name,
            "FINQ_REGION": Aws.REGION,
            "FINQ_TABLE_NAME": data.table.table_name,
            "FINQ_POLICY_BUCKET": data.policy_bucket.bucket_name,
            "FINQ_ATTACHMENT_BUCKET": data.attachment_bucket.bucket_name,
            "FINQ_DESK_QUEUE_NAME": stage.resource("desk"),
            "FINQ_DESK_DEAD_LETTER_QUEUE_NAME": stage.resource("desk-dead-letters"),
            "FINQ_DESK_MAX_RECEIVES": str(DESK_MAX_RECEIVES),
            "FINQ_POLICY_EVENTS_QUEUE_NAME": stage.resource("policy-files"),
            "FINQ_ATTACHMENT_EVENTS_QUEUE_NAME": stage.resource("attachment-files"),
            "FINQ_FILE_EVENT_MAX_RECEIVES": str(FILE_EVENT_MAX_RECEIVES),
            "FINQ_MILVUS_URI": milvus_uri.value_as_string,
            "FINQ_COGNITO_USER_POOL_ID": identity.user_pool.user_pool_id,
            "FINQ_COGNITO_USER_POOL_ARN": identity.user_pool.user_pool_arn,
            "FINQ_COGNITO_CLIENT_ID": identity.client.user_pool_client_id,
            "FINQ_MAIL_SENDER": stage.mail_sender,
            "FINQ_CORS_ORIGINS": ",".join(stage.cors_origins),
            "FINQ_CONTINUATION_FUNCTION": f"finq-{stage.name}-continue_policy_sync",
            **secret_arns,
        }
        app = ChaliceApp(
            self,
            "Chalice",
            source_dir=source_dir,
            stage_name=stage.name,
            environment=environment,
            subnet_ids=network.lambda_subnets.subnet_ids,
            security_group_ids=[network.lambda_security_group.security_group_id],
            bucket_names={
                f"finq-{stage.name}-policies": data.policy_bucket.bucket_name,
                f"finq-{stage.name}-attachments": data.attachment_bucket.bucket_name,
            },
            user_pool_arn=identity.user_pool.user_pool_arn,
        )
        # Chalice names the queues its handlers consume (no reference): they come first.
        for logical_id in app.functions.values():
            function = app.chalice.get_resource(logical_id)
            for queue in data.queues:
                function.node.add_dependency(queue)
        configure_rest_api(app, stage.name, identity.user_pool.user_pool_arn, stage.cors_origins)
        Firewall(
            self,
            "Firewall",
            stage_name=stage.name,
            requests_per_5_minutes=stage.waf_requests_per_5_minutes,
        )
        if "run_migrations" in app.functions:
            migrations = MigrationTrigger(
                self,
                "Migrations",
                function_name=app.function_name("run_migrations"),
                code_version=app.code_hash,
                database_id=network.database.instance_identifier,
                after=[app.chalice, network.database],
            )
            # The function reaches Secrets Manager through the NAT gateway: routes first.
            migrations.trigger.node.add_dependency(
                network.lambda_subnets.internet_connectivity_established
            )
        alarms = Alarms(self, "Alarms", stage_name=stage.name, email=stage.ops_email)
        alarms.api_errors(f"finq-{stage.name}", API_STAGE)
        alarms.durations({h: app.function_name(h) for h in app.functions})
        alarms.throttles(data.table)
        alarms.dead_letters(data.dead_letter_queues)
        alarms.bedrock_spend(budget.value_as_number)
        self._outputs(identity)

    def _outputs(self, identity: Identity) -> None:
        CfnOutput(
            self,
            "RestApiUrl",
            value=Fn.sub(
                "https://${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}/" + API_STAGE
            ),
            description="REST API base URL (routes start with /api/)",
        )
        CfnOutput(
            self,
            "WebSocketUrl",
            value=Fn.sub(
                "wss://${WebsocketAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}/" + API_STAGE
            ),
            description="WebSocket chat URL (connect with ?token=<id token>)",
        )
        CfnOutput(self, "UserPoolId", value=identity.user_pool.user_pool_id)
        CfnOutput(self, "UserPoolClientId", value=identity.client.user_pool_client_id)

"""Run FinQ's SQL migrations during every deploy that changes the code or the database.

CDK's ``triggers.Trigger`` invokes a function of its own stack during the deployment and fails
the deployment when it fails; it needs a ``lambda.Function`` it owns, so a small function (no
VPC, no package) invokes Chalice's ``run_migrations`` (in the VPC, next to the database)
synchronously and raises when it reports an error. Its environment holds the app's code hash and
the database's id, so a new package or a new database runs the migrations again.
"""

from __future__ import annotations

from aws_cdk import ArnFormat, Duration, RemovalPolicy, Stack, triggers
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

INVOKER_CODE = '''
import json
import os

import boto3


def handler(event, context):
    """Invoke the migration function and fail when it fails."""
    reply = boto3.client("lambda").invoke(
        FunctionName=os.environ["MIGRATION_FUNCTION"],
        InvocationType="RequestResponse",
        Payload=b"{}",
    )
    body = reply["Payload"].read().decode()
    if reply.get("FunctionError"):
        raise RuntimeError("migrations failed: " + body[:2000])
    print(json.dumps({"migrations": body[:2000]}))
'''


class MigrationTrigger(Construct):
    """Invoke ``function_name`` on deploy, after ``after`` exists."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        function_name: str,
        code_version: str,
        database_id: str,
        after: list[Construct],
    ) -> None:
        """Create the invoker function and the trigger that runs it."""
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        target = stack.format_arn(
            service="lambda",
            resource="function",
            resource_name=function_name,
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        log_group = logs.LogGroup(
            self,
            "Logs",
            retention=logs.RetentionDays.ONE_MONTH,
            removal_policy=RemovalPolicy.DESTROY,
        )
        self.invoker = lambda_.Function(
            self,
            "Invoker",
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="index.handler",
            code=lambda_.Code.from_inline(INVOKER_CODE),
            timeout=Duration.minutes(10),
            memory_size=128,
            tracing=lambda_.Tracing.ACTIVE,
            log_group=log_group,
            environment={
                "MIGRATION_FUNCTION": function_name,
                "CODE_VERSION": code_version,
                "DATABASE_ID": database_id,
            },
            description="Runs FinQ's SQL migrations (invokes run_migrations)",
        )
        self.invoker.add_to_role_policy(
            iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=[target])
        )
        self.trigger = triggers.Trigger(
            self,
            "Trigger",
            handler=self.invoker,
            timeout=Duration.minutes(10),
            execute_after=after,
            execute_on_handler_change=True,
        )

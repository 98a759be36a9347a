"""The operations topic and the alarms that notify it (the seed's list).

API 5xx rate over 5 %, a request-serving Lambda's p95 duration over 10 s, any DynamoDB
throttling, any message waiting in a dead-letter queue, and the day's Bedrock spend over a
parameter. FinQ's own token metrics (``FinQ/Desk`` PromptTokens/CompletionTokens) are per
tenant, and no alarm can add up an open set of tenants over a day (metric math takes at most 10
metrics, Metrics Insights alarms see 3 hours), so the spend alarm prices Bedrock's own per-model
token counts (``AWS/Bedrock`` Input/OutputTokenCount) with the models FinQ calls.
"""

from __future__ import annotations

from aws_cdk import ArnFormat, Aws, Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

# Bedrock models FinQ calls -> USD per million input and output tokens (on-demand list prices).
MODEL_PRICES: dict[str, tuple[float, float]] = {
    "anthropic.claude-3-5-sonnet-20240620-v1:0": (3.0, 15.0),
    "anthropic.claude-3-haiku-20240307-v1:0": (0.25, 1.25),
    "amazon.titan-embed-text-v2:0": (0.02, 0.0),
}
# Functions that answer a waiting client: their duration is what the 10 s alarm watches.
LATENCY_FUNCTIONS = ("api_handler", "websocket_connect", "websocket_message")


class Alarms(Construct):
    """The ops topic and every alarm of one stage."""

    def __init__(self, scope: Construct, construct_id: str, *, stage_name: str, email: str) -> None:
        """Create the topic (with an email subscription when ``email`` is given)."""
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(
            self, "OpsTopic", topic_name=f"finq-{stage_name}-ops", enforce_ssl=True
        )
        # enforce_ssl gives the topic a policy of its own, which drops SNS's default one: let
        # this account's alarms publish again.
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AlarmsPublish",
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions={
                    "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID},
                    "ArnLike": {
                        "aws:SourceArn": Stack.of(self).format_arn(
                            service="cloudwatch",
                            resource="alarm",
                            resource_name=f"finq-{stage_name}-*",
                            arn_format=ArnFormat.COLON_RESOURCE_NAME,
                        )
                    },
                },
            )
        )
        if email:
            self.topic.add_subscription(subscriptions.EmailSubscription(email))
        self._action = actions.SnsAction(self.topic)
        self._prefix = f"finq-{stage_name}"

    def _alarm(
        self,
        name: str,
        metric: cloudwatch.IMetric,
        threshold: float,
        *,
        description: str,
        periods: int = 1,
        datapoints: int = 1,
    ) -> None:
        alarm = cloudwatch.Alarm(
            self,
            name,
            alarm_name=f"{self._prefix}-{name}",
            metric=metric,
            threshold=threshold,
            evaluation_periods=periods,
            datapoints_to_alarm=datapoints,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )
        alarm.add_alarm_action(self._action)

    def api_errors(self, api_name: str, api_stage: str) -> None:
        """Alarm when over 5 % of the REST API's requests end in a 5xx (2 of 3 5-minute periods)."""
        rate = cloudwatch.Metric(
            namespace="AWS/ApiGateway",
            metric_name="5XXError",
            dimensions_map={"ApiName": api_name, "Stage": api_stage},
            statistic="Average",
            period=Duration.minutes(5),
        )
        self._alarm(
            "api-5xx-rate", rate, 0.05, periods=3, datapoints=2, description="API 5xx rate > 5 %"
        )

    def durations(self, function_names: dict[str, str]) -> None:
        """Alarm when a request-serving function's p95 duration exceeds 10 s."""
        for handler, name in function_names.items():
            if handler not in LATENCY_FUNCTIONS:
                continue
            duration = cloudwatch.Metric(
                namespace="AWS/Lambda",
                metric_name="Duration",
                dimensions_map={"FunctionName": name},
                statistic="p95",
                period=Duration.minutes(5),
            )
            self._alarm(
                f"{handler}-duration",
                duration,
                10_000,
                periods=3,
                datapoints=2,
                description=f"{name} p95 duration > 10 s",
            )

    def throttles(self, table: dynamodb.Table) -> None:
        """Alarm on any read or write throttling of the table."""
        throttled = cloudwatch.MathExpression(
            expression="reads + writes",
            using_metrics={
                "reads": table.metric("ReadThrottleEvents", statistic="Sum"),
                "writes": table.metric("WriteThrottleEvents", statistic="Sum"),
            },
            period=Duration.minutes(5),
            label="DynamoDB throttle events",
        )
        self._alarm("dynamodb-throttles", throttled, 0, description="DynamoDB throttling")

    def dead_letters(self, queues: list[sqs.Queue]) -> None:
        """Alarm when a message waits in any dead-letter queue."""
        for index, queue in enumerate(queues):
            waiting = queue.metric_approximate_number_of_messages_visible(
                statistic="Maximum", period=Duration.minutes(5)
            )
            self._alarm(f"dead-letters-{index}", waiting, 0, description="a DLQ is not empty")

    def bedrock_spend(self, daily_budget_usd: float) -> None:
        """Alarm when the day's Bedrock spend (priced token counts) exceeds the budget."""
        metrics: dict[str, cloudwatch.IMetric] = {}
        terms = []
        for index, (model, (price_in, price_out)) in enumerate(MODEL_PRICES.items()):
            for kind, price in (("InputTokenCount", price_in), ("OutputTokenCount", price_out)):
                if not price:
                    continue
                key = f"m{index}{kind[0].lower()}"
                metrics[key] = cloudwatch.Metric(
                    namespace="AWS/Bedrock",
                    metric_name=kind,
                    dimensions_map={"ModelId": model},
                    statistic="Sum",
                    period=Duration.days(1),
                )
                terms.append(f"FILL({key}, 0) * {price} / 1000000")
        spend = cloudwatch.MathExpression(
            expression=" + ".join(terms),
            using_metrics=metrics,
            period=Duration.days(1),
            label="Bedrock spend (USD/day)",
        )
        self._alarm(
            "bedrock-spend",
            spend,
            daily_budget_usd,
            description="Bedrock spend per day over the BedrockDailyBudgetUsd parameter",
        )

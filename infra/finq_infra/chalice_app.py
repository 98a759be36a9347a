"""FinQ's Chalice app inside the stack, and what the stack changes in Chalice's template.

``chalice.cdk.Chalice`` runs ``chalice package`` (SAM) for the stage and includes the template;
the function zip becomes an S3 asset, so only Lambda's 250 MB unzipped limit applies. The stage's
environment carries every resource name and secret ARN. Then, for every function Chalice made
(found in its template, so new handlers need no change here): the deployed name Chalice's own
deployer would give (``finq-<stage>-<handler>``, what the IAM files and FinQ's settings name),
its log group (30 days; Chalice's own names the API handler's group wrongly in SAM), JSON logs
with request ids and the VPC. Each function's role is Chalice's, with the statements of its
group's policy file (``.chalice/policy-<stage>-<group>.json``, scripts/iam_policies.py: logs,
X-Ray and the VPC's network interfaces included, no AWS managed policy). The files name the
buckets by their local names; the roles get the same statements with the deployed names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aws_cdk import Fn, RemovalPolicy, Stack
from aws_cdk import aws_logs as logs
from chalice.cdk import Chalice
from constructs import Construct

SAM_FUNCTION = "AWS::Serverless::Function"
# Chalice's own names (config.json's lambda_functions keys) for the functions it names itself.
_CHALICE_NAMES = {
    "APIHandler": "api_handler",
    "WebsocketConnect": "websocket_connect",
    "WebsocketMessage": "websocket_message",
    "WebsocketDisconnect": "websocket_disconnect",
}


class ChaliceApp(Construct):
    """The Chalice stage with the stack's environment and per-function additions."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        source_dir: Path,
        stage_name: str,
        environment: dict[str, str],
        subnet_ids: list[str],
        security_group_ids: list[str],
        bucket_names: dict[str, str],
        user_pool_arn: str = "",
    ) -> None:
        """Package the app for ``stage_name`` and adapt every function and role it holds."""
        super().__init__(scope, construct_id)
        # Chalice takes its stage from its scope's path: the stack, whose construct id is the stage.
        self.chalice = Chalice(
            Stack.of(self),
            "ChaliceApp",
            source_dir=str(source_dir),
            stage_config={
                "environment_variables": environment,
                "subnet_ids": subnet_ids,
                "security_group_ids": security_group_ids,
            },
        )
        self.template = self._sam_template()
        self.stage_name = stage_name
        self.functions = self._name_functions()
        self._extend_roles(bucket_names, user_pool_arn)

    def _sam_template(self) -> dict[str, Any]:
        package_dir = Path(self.chalice._sam_package_dir)  # noqa: SLF001 - the construct keeps no other handle
        return dict(json.loads((package_dir / "sam.json").read_text()))

    @property
    def code_hash(self) -> str:
        """Return the hash of the function package (changes whenever the code does)."""
        asset = self.chalice.node.find_child("ChaliceAppCode")
        return str(asset.asset_hash)

    def resources(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """Return Chalice's resources of one type, by logical id."""
        return {
            logical_id: resource
            for logical_id, resource in self.template["Resources"].items()
            if resource["Type"] == resource_type
        }

    def function_name(self, handler: str) -> str:
        """Return the deployed name of a handler (``finq-<stage>-<handler>``)."""
        return f"finq-{self.stage_name}-{handler}"

    def _name_functions(self) -> dict[str, str]:
        """Name every function as Chalice's deployer would; return handler -> logical id."""
        functions = {}
        for logical_id, resource in self.resources(SAM_FUNCTION).items():
            handler = _CHALICE_NAMES.get(
                logical_id, str(resource["Properties"]["Handler"]).split(".", 1)[1]
            )
            functions[handler] = logical_id
            name = self.function_name(handler)
            log_group = logs.LogGroup(
                self,
                f"Logs-{handler}",
                log_group_name=f"/aws/lambda/{name}",
                retention=logs.RetentionDays.ONE_MONTH,
                removal_policy=RemovalPolicy.DESTROY,
            )
            function = self.chalice.get_resource(logical_id)
            function.add_property_override("FunctionName", name)
            function.add_property_override(
                "LoggingConfig",
                {
                    "LogFormat": "JSON",
                    "ApplicationLogLevel": "INFO",
                    "SystemLogLevel": "WARN",
                    "LogGroup": log_group.log_group_name,
                },
            )
        return functions

    def _extend_roles(self, bucket_names: dict[str, str], user_pool_arn: str) -> None:
        # The policy files name resources by pattern (they are written before the stack
        # exists): bind each to this stack's own bucket, user pool and WebSocket API.
        websocket = "WebsocketAPI" in self.template["Resources"]
        bind = {"user_pool": user_pool_arn, "websocket": websocket}
        for logical_id, resource in self.resources("AWS::IAM::Role").items():
            policies = resource["Properties"].get("Policies", [])
            if policies:
                self.chalice.get_resource(logical_id).add_property_override(
                    "Policies", [_bind(policy, bucket_names, bind) for policy in policies]
                )


_USER_POOLS = "arn:aws:cognito-idp:*:*:userpool/*"
_CONNECTIONS = "arn:aws:execute-api:*:*:*/"


def _bind(value: Any, bucket_names: dict[str, str], bind: dict[str, Any]) -> Any:
    """Replace resource patterns with this stack's ARNs (buckets, user pool, WebSocket API)."""
    if isinstance(value, dict):
        return {key: _bind(item, bucket_names, bind) for key, item in value.items()}
    if isinstance(value, list):
        return [_bind(item, bucket_names, bind) for item in value]
    if not isinstance(value, str):
        return value
    if value == _USER_POOLS and bind.get("user_pool"):
        return bind["user_pool"]
    if value.startswith(_CONNECTIONS) and "/@connections/" in value and bind.get("websocket"):
        # arn:aws:execute-api:*:*:*/*/POST/@connections/* -> this API's id, any stage.
        rest = value[len(_CONNECTIONS) :]
        return Fn.join(
            "",
            ["arn:", Fn.ref("AWS::Partition"), ":execute-api:", Fn.ref("AWS::Region"), ":",
             Fn.ref("AWS::AccountId"), ":", Fn.ref("WebsocketAPI"), "/", rest],
        )  # fmt: skip
    return _bucket_arn(value, bucket_names)


def _bucket_arn(value: str, bucket_names: dict[str, str]) -> Any:
    """Replace ``arn:aws:s3:::<local name>...`` with the deployed bucket's ARN."""
    if value.startswith("arn:aws:s3:::"):
        name, _, rest = value[len("arn:aws:s3:::") :].partition("/")
        if name in bucket_names:
            return Fn.join(
                "",
                ["arn:", Fn.ref("AWS::Partition"), ":s3:::", bucket_names[name]]
                + (["/" + rest] if rest else []),
            )
    return value

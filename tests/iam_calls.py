"""Record the AWS calls app.py's handlers make, per deployed function, as IAM requests.

A botocore ``before-parameter-build`` hook on FinQ's boto3 sessions (chalicelib.aws.clients)
sees every call with its parameters. The function a call belongs to is the app.py handler on the
stack (the calling thread's, else the main thread's: work a handler hands to a thread pool runs
while the handler waits). Calls the test makes itself are on no handler's stack and are ignored.
Each call becomes the (IAM action, resource ARN) pairs AWS authorizes it as, and is checked
against the function's policy file with IAM's wildcards.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from fnmatch import fnmatchcase
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
APP_FILE = str(ROOT / "app.py")
ACCOUNT = "123456789012"
# Operations IAM authorizes under another action name.
_RENAMED = {
    ("bedrock", "Converse"): "InvokeModel",
    ("bedrock", "ConverseStream"): "InvokeModelWithResponseStream",
    ("s3", "ListObjectsV2"): "ListBucket",
    ("s3", "HeadBucket"): "ListBucket",
    ("s3", "HeadObject"): "GetObject",
    ("execute-api", "PostToConnection"): "ManageConnections",
    ("execute-api", "DeleteConnection"): "ManageConnections",
}
_TRANSACT_ITEMS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                   "ConditionCheck": "ConditionCheckItem"}  # fmt: skip


def _functions_of(app: Any) -> dict[str, str]:
    """app.py function name -> deployed function name."""
    names = {
        entry.view_name: "api_handler"
        for methods in app.routes.values()
        for entry in methods.values()
    }
    for config in [*app.event_sources, *app.pure_lambda_functions]:
        names[config.handler_string.split(".", 1)[1]] = config.name
    for route, name in (("$connect", "websocket_connect"), ("$default", "websocket_message"),
                        ("$disconnect", "websocket_disconnect")):  # fmt: skip
        names[app.websocket_handlers[route].handler_string.split(".", 1)[1]] = name
    return names


def iam_requests(
    service: str, operation: str, params: dict[str, Any], region: str
) -> list[tuple[str, str]]:
    """Return the (action, resource) pairs IAM checks for one call."""
    arn = f"{region}:{ACCOUNT}"
    action = f"{service}:{_RENAMED.get((service, operation), operation)}"
    match service:
        case "dynamodb" if operation == "TransactWriteItems":
            return [
                (
                    f"dynamodb:{_TRANSACT_ITEMS[kind]}",
                    f"arn:aws:dynamodb:{arn}:table/{body['TableName']}",
                )
                for item in params["TransactItems"]
                for kind, body in item.items()
            ]
        case "dynamodb" if operation.startswith("Batch"):
            tables = params["RequestItems"]
            return [(action, f"arn:aws:dynamodb:{arn}:table/{table}") for table in tables]
        case "dynamodb":
            index = f"/index/{params['IndexName']}" if params.get("IndexName") else ""
            return [(action, f"arn:aws:dynamodb:{arn}:table/{params['TableName']}{index}")]
        case "s3":
            key = f"/{params['Key']}" if "Key" in params else ""
            return [(action, f"arn:aws:s3:::{params['Bucket']}{key}")]
        case "sqs":
            name = params.get("QueueName") or str(params["QueueUrl"]).rsplit("/", 1)[1]
            return [(action, f"arn:aws:sqs:{arn}:{name}")]
        case "secretsmanager":
            return [(action, str(params["SecretId"]))]
        case "sns":
            return [(action, str(params.get("TopicArn") or params["TargetArn"]))]
        case "lambda":
            return [(action, f"arn:aws:lambda:{arn}:function:{params['FunctionName']}")]
        case "bedrock":
            return [(action, f"arn:aws:bedrock:{region}::foundation-model/{params['modelId']}")]
        case "cognito-idp":
            return [
                (
                    action,
                    f"arn:aws:cognito-idp:{arn}:userpool/{params.get('UserPoolId', 'by-client')}",
                )
            ]
        case "ses":
            return [(action, f"arn:aws:ses:{arn}:identity/{params.get('Source', '')}")]
        case "execute-api":
            method = "POST" if operation == "PostToConnection" else "DELETE"
            return [
                (
                    action,
                    f"arn:aws:execute-api:{arn}:api-id/api/{method}/@connections/{params['ConnectionId']}",
                )
            ]
        case "textract":
            s3 = params.get("Document", {}).get("S3Object")
            read = [("s3:GetObject", f"arn:aws:s3:::{s3['Bucket']}/{s3['Name']}")] if s3 else []
            return [(action, "*"), *read]
    return [(action, "*")]


class IamCallRecorder:
    """The IAM requests each deployed function made while attached."""

    def __init__(self, app: Any, region: str) -> None:
        """Know app.py's handlers; record nothing until ``attached``."""
        self._functions = _functions_of(app)
        self._region = region
        self.calls: dict[str, set[tuple[str, str]]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def attached(self) -> Iterator[IamCallRecorder]:
        """Record the calls of FinQ's boto3 sessions (local endpoint or not) meanwhile."""
        from chalicelib.aws.clients import _session

        sessions = [_session(self._region, local) for local in (True, False)]
        for session in sessions:
            session.events.register("before-parameter-build", self._record, unique_id=id(self))
        try:
            yield self
        finally:
            for session in sessions:
                session.events.unregister("before-parameter-build", unique_id=id(self))

    def _record(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        function = self._running_function()
        if function is None:
            return
        service = str(model.service_model.signing_name)
        requests = iam_requests(service, str(model.name), params, self._region)
        with self._lock:
            self.calls.setdefault(function, set()).update(requests)

    def _running_function(self) -> str | None:
        frames = sys._current_frames()  # noqa: SLF001 - the only view of another thread's stack
        for ident in (threading.get_ident(), threading.main_thread().ident):
            frame: FrameType | None = frames.get(ident or 0)
            while frame is not None:
                code = frame.f_code
                if code.co_filename == APP_FILE and code.co_name in self._functions:
                    return self._functions[code.co_name]
                frame = frame.f_back
        return None

    def refused(self, policy_of: dict[str, Path]) -> dict[str, list[tuple[str, str]]]:
        """Return, per function, the recorded requests its policy file does not allow."""
        refused = {}
        for function, requests in self.calls.items():
            policy = json.loads(policy_of[function].read_text())
            missing = [r for r in sorted(requests) if not _allowed(policy, *r)]
            if missing:
                refused[function] = missing
        return refused


def _allowed(policy: dict[str, Any], action: str, resource: str) -> bool:
    for statement in policy["Statement"]:
        resources = statement["Resource"]
        resources = [resources] if isinstance(resources, str) else resources
        if action in statement["Action"] and any(fnmatchcase(resource, r) for r in resources):
            return True
    return False

"""boto3 client construction: region, retries, timeouts and the local endpoint, in one place.

Owns the only ``endpoint_url`` switch in FinQ: locally every client talks to moto's server,
in AWS to the real service. Must not hold business logic.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from chalicelib.errors import register_upstream_check
from chalicelib.settings import Settings

# Services that moto's server answers locally; others (bedrock, comprehend, textract) are only
# built in aws mode, so they never get the local endpoint.
_LOCAL_SERVICES = frozenset(
    {"dynamodb", "s3", "ses", "sesv2", "sns", "sqs", "cognito-idp", "secretsmanager", "lambda"}
)


_THROTTLED = frozenset(
    {"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded",
     "ProvisionedThroughputExceededException", "ServiceUnavailable", "InternalFailure"}
)  # fmt: skip


def is_aws_failure(exc: BaseException) -> bool:
    """True when an AWS call failed for the service's sake, not the caller's.

    Unreachable endpoint, timeouts, 5xx answers and throttling after botocore's retries: the
    request may succeed later, so the API says 503. Other ClientErrors stay what they are.
    """
    if isinstance(exc, BotoConnectionError):
        return True
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        return status >= 500 or error.get("Code") in _THROTTLED
    return isinstance(exc, BotoCoreError) and "timeout" in type(exc).__name__.lower()


register_upstream_check(is_aws_failure)


@functools.lru_cache(maxsize=4)
def _session(region: str, local: bool = False) -> boto3.session.Session:
    if local:
        # moto accepts any credentials; a fresh laptop has none configured, and boto3 would
        # refuse to sign. Real keys in the environment still win.
        return boto3.session.Session(
            region_name=region,
            aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "finq-local"),
            aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "finq-local"),
        )
    return boto3.session.Session(region_name=region)


def client(settings: Settings, service: str, **config: Any) -> Any:
    """Build a boto3 client for ``service`` with FinQ's retry and timeout policy.

    Args:
        settings: Supplies region and, locally, the endpoint of moto's server.
        service: The boto3 service name, e.g. ``"dynamodb"``.
        **config: Overrides for botocore ``Config`` (e.g. ``read_timeout``).
    """
    options: dict[str, Any] = {
        "retries": {"max_attempts": 4, "mode": "adaptive"},
        "connect_timeout": 3,
        "read_timeout": 10,
    }
    options.update(config)
    endpoint = settings.aws_endpoint_url if service in _LOCAL_SERVICES else None
    return _session(settings.region, endpoint is not None).client(
        service, endpoint_url=endpoint, config=Config(**options)
    )


def client_at(settings: Settings, service: str, endpoint_url: str) -> Any:
    """Build a client for a per-request endpoint (API Gateway's ``@connections`` URL)."""
    return _session(settings.region, settings.aws_endpoint_url is not None).client(
        service,
        endpoint_url=endpoint_url,
        config=Config(
            retries={"max_attempts": 2, "mode": "standard"}, connect_timeout=2, read_timeout=5
        ),
    )


def resource(settings: Settings, service: str) -> Any:
    """Build a boto3 resource (used for DynamoDB tables) with the same policy."""
    endpoint = settings.aws_endpoint_url if service in _LOCAL_SERVICES else None
    return _session(settings.region, endpoint is not None).resource(
        service,
        endpoint_url=endpoint,
        config=Config(retries={"max_attempts": 4, "mode": "adaptive"}, connect_timeout=3),
    )

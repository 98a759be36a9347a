"""Amazon SNS notifications (moto's SNS locally, where subscribers really receive them).

Wraps an ``sns`` client it is given.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import UpstreamUnavailable


class SnsNotifier:
    """Publish JSON notifications to a topic."""

    def __init__(self, client: Any) -> None:
        """Wrap a ready ``sns`` client."""
        self._client = client

    def publish(self, topic_arn: str, subject: str, message: dict[str, Any]) -> str:
        """Publish; return the message id."""
        try:
            response = self._client.publish(
                TopicArn=topic_arn,
                Subject=subject[:99],
                Message=json.dumps(message, ensure_ascii=False, default=str),
            )
        except ClientError as exc:
            raise UpstreamUnavailable("the notification service refused the message") from exc
        return str(response["MessageId"])

    def ensure_topic(self, name: str) -> str:
        """Create (idempotently) a topic and return its ARN."""
        return str(self._client.create_topic(Name=name)["TopicArn"])

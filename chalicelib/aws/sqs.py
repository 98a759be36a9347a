"""Amazon SQS work queues (moto's SQS locally): the desk's inquiry queue.

Wraps an ``sqs`` client it is given; finds the queue's URL by name on first use when only the
name is configured.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.errors import UpstreamUnavailable


class SqsQueue:
    """Send JSON messages to one queue (the WorkQueue port)."""

    def __init__(self, client: Any, name: str, url: str | None = None) -> None:
        """Wrap a ready ``sqs`` client and the queue's name (and URL, when known)."""
        self._client = client
        self.name = name
        self._url = url
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        """The queue's URL (looked up by name once)."""
        with self._lock:
            if self._url is None:
                try:
                    self._url = str(self._client.get_queue_url(QueueName=self.name)["QueueUrl"])
                except (ClientError, BotoCoreError) as exc:
                    raise UpstreamUnavailable(f"the queue {self.name} cannot be found") from exc
            return self._url

    def send(self, message: dict[str, Any]) -> None:
        """Enqueue one JSON message."""
        try:
            self._client.send_message(
                QueueUrl=self.url, MessageBody=json.dumps(message, ensure_ascii=False)
            )
        except (ClientError, BotoCoreError) as exc:
            raise UpstreamUnavailable("the work queue refused the message") from exc

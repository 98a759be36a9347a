"""Email through Amazon SES (moto's SES locally, where sent mail is readable).

Wraps an ``ses`` client it is given; maps failures to UpstreamUnavailable.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import UpstreamUnavailable


class SesMailer:
    """Send plain-text mail from one verified sender."""

    def __init__(self, client: Any, sender: str) -> None:
        """Wrap a ready ``ses`` client; ``sender`` must be a verified identity."""
        self._client = client
        self._sender = sender

    def send(self, to: str, subject: str, body: str) -> str:
        """Send one message; return SES's message id."""
        try:
            response = self._client.send_email(
                Source=self._sender,
                Destination={"ToAddresses": [to]},
                Message={
                    "Subject": {"Data": subject, "Charset": "UTF-8"},
                    "Body": {"Text": {"Data": body, "Charset": "UTF-8"}},
                },
            )
        except ClientError as exc:
            raise UpstreamUnavailable("the mail service refused the message") from exc
        return str(response["MessageId"])

"""DynamoDB storage of open WebSocket connections (``WSCONN#<id>`` items with a TTL).

Owns the connection items' keys; a connection maps to exactly one verified user.
"""

from __future__ import annotations

import time
from typing import Any

from botocore.exceptions import ClientError

# A connection item outlives API Gateway's 2-hour connection limit briefly, then DynamoDB's
# TTL removes it even if $disconnect never arrived.
TTL_SECONDS = 3 * 3600
_GRACE_SECONDS = 300


class DynamoDBConnectionRepository:
    """Which user each WebSocket connection belongs to (a ports.ConnectionStore)."""

    def __init__(self, client: Any, table: str) -> None:
        """Wrap a low-level DynamoDB client and the table name."""
        self._client = client
        self._table = table

    def put(self, connection_id: str, user_sub: str) -> None:
        """Record a verified connection."""
        self._client.put_item(
            TableName=self._table,
            Item={
                "PK": {"S": f"WSCONN#{connection_id}"},
                "SK": {"S": "METADATA"},
                "user_sub": {"S": user_sub},
                "connected_at": {"N": str(int(time.time()))},
                "ttl": {"N": str(int(time.time()) + TTL_SECONDS)},
            },
        )

    def user_of(self, connection_id: str) -> str | None:
        """Return the user of a live connection, or None."""
        item = self._client.get_item(
            TableName=self._table,
            Key={"PK": {"S": f"WSCONN#{connection_id}"}, "SK": {"S": "METADATA"}},
            ConsistentRead=True,
        ).get("Item")
        if not item or int(item.get("ttl", {}).get("N", "0")) < time.time():
            return None
        return str(item["user_sub"]["S"])

    def mark_gone(self, connection_id: str) -> None:
        """Note a disconnect but keep the mapping a few minutes.

        A message sent just before the client closed may be handled after ``$disconnect``
        (the two run as separate invocations); it must still find its user, store its turn,
        and meet a 410 only when it tries to answer.
        """
        if self.user_of(connection_id) is None:
            return
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"PK": {"S": f"WSCONN#{connection_id}"}, "SK": {"S": "METADATA"}},
                UpdateExpression="SET disconnected_at = :now, #ttl = :ttl",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeNames={"#ttl": "ttl"},
                ExpressionAttributeValues={
                    ":now": {"N": str(int(time.time()))},
                    ":ttl": {"N": str(int(time.time()) + _GRACE_SECONDS)},
                },
            )
        except ClientError as exc:
            # Already gone (TTL or a racing delete): nothing to mark.
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise

    def delete(self, connection_id: str) -> None:
        """Forget a connection (idempotent)."""
        self._client.delete_item(
            TableName=self._table,
            Key={"PK": {"S": f"WSCONN#{connection_id}"}, "SK": {"S": "METADATA"}},
        )

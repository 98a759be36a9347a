"""DynamoDB storage of the inquiry desk, in FinQ's single table.

Holds tenants, API keys, inquiries, AI responses, replies, idempotency records and rate-limit
counters.

Owns every key of the desk (``COMPANY#id``, ``APIKEY#hash``, ``INQUIRY#id``, ``AI_RESPONSE#...``,
``GSI1PK=COMPANY#id`` / ``GSI1SK=INQUIRY#<created>#<id>``). Every inquiry read is checked
against the caller's tenant here, so no service can forget the check.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from chalicelib.errors import Conflict, InvalidInput

_serializer, _deserializer = TypeSerializer(), TypeDeserializer()


def _item(data: dict[str, Any]) -> dict[str, Any]:
    clean = {
        k: (Decimal(str(v)) if isinstance(v, float) else v)
        for k, v in data.items()
        if v is not None
    }
    return {k: _serializer.serialize(v) for k, v in clean.items()}


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    data = {k: _deserializer.deserialize(v) for k, v in item.items()}
    return {
        k: (
            int(v)
            if isinstance(v, Decimal) and v == v.to_integral_value()
            else float(v)
            if isinstance(v, Decimal)
            else v
        )
        for k, v in data.items()
    }


def _set(fields: dict[str, Any]) -> tuple[str, dict[str, str], dict[str, Any]]:
    """An UpdateExpression ``SET #a = :a, ...`` with its attribute names and typed values."""
    values = {
        f":{k}": _serializer.serialize(Decimal(str(v)) if isinstance(v, float) else v)
        for k, v in fields.items()
    }
    names = {f"#{k}": k for k in fields}
    return "SET " + ", ".join(f"#{k} = :{k}" for k in fields), names, values


def _key(pk: str, sk: str = "METADATA") -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": sk}}


class DynamoDBDeskRepository:
    """The desk's items in one DynamoDB table."""

    def __init__(self, client: Any, table: str) -> None:
        """Wrap a low-level DynamoDB client and the table name."""
        self._client = client
        self._table = table

    # --- tenants and keys ------------------------------------------------------------------

    def put_tenant(self, tenant: dict[str, Any]) -> None:
        """Create a tenant (409 when the id exists)."""
        item = {
            "PK": f"COMPANY#{tenant['tenant_id']}",
            "SK": "METADATA",
            "GSI1PK": "COMPANIES",
            "GSI1SK": tenant["created_at"],
            **tenant,
        }
        try:
            self._client.put_item(
                TableName=self._table,
                Item=_item(item),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise Conflict("the tenant exists") from exc
            raise

    def update_tenant(self, tenant_id: str, fields: dict[str, Any]) -> None:
        """Replace some tenant fields (FAQ, context, contacts)."""
        expression, names, values = _set(fields)
        self._client.update_item(
            TableName=self._table,
            Key=_key(f"COMPANY#{tenant_id}"),
            UpdateExpression=expression,
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )

    def tenant(self, tenant_id: str) -> dict[str, Any] | None:
        """Return a tenant, or None."""
        item = self._client.get_item(TableName=self._table, Key=_key(f"COMPANY#{tenant_id}")).get(
            "Item"
        )
        return _plain(item) if item else None

    def put_key(self, tenant_id: str, key_id: str, key_hash: str, created_at: str) -> None:
        """Store an API key's hash (never the key) and its listing entry, atomically."""
        self._client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": _item(
                            {
                                "PK": f"APIKEY#{key_hash}",
                                "SK": "METADATA",
                                "tenant_id": tenant_id,
                                "key_id": key_id,
                                "created_at": created_at,
                            }
                        ),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": _item(
                            {
                                "PK": f"COMPANY#{tenant_id}",
                                "SK": f"APIKEY#{key_id}",
                                "key_hash": key_hash,
                                "created_at": created_at,
                            }
                        ),
                    }
                },
            ]
        )

    def tenant_of_key(self, key_hash: str) -> str | None:
        """Return the tenant an API key (by hash) belongs to, or None."""
        item = self._client.get_item(TableName=self._table, Key=_key(f"APIKEY#{key_hash}")).get(
            "Item"
        )
        return str(item["tenant_id"]["S"]) if item else None

    def delete_key(self, tenant_id: str, key_id: str) -> bool:
        """Revoke a key of a tenant; False when the tenant has no such key."""
        entry = self._client.get_item(
            TableName=self._table, Key=_key(f"COMPANY#{tenant_id}", f"APIKEY#{key_id}")
        ).get("Item")
        if not entry:
            return False
        self._client.transact_write_items(
            TransactItems=[
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": _key(f"APIKEY#{entry['key_hash']['S']}"),
                    }
                },
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": _key(f"COMPANY#{tenant_id}", f"APIKEY#{key_id}"),
                    }
                },
            ]
        )
        return True

    # --- inquiries -------------------------------------------------------------------------

    def put_inquiry(self, inquiry: dict[str, Any], idempotency: str | None) -> dict[str, Any]:
        """Store a new inquiry; with an idempotency key, a repeat returns the first inquiry."""
        item = {
            "PK": f"INQUIRY#{inquiry['inquiry_id']}",
            "SK": "METADATA",
            "GSI1PK": f"COMPANY#{inquiry['tenant_id']}",
            "GSI1SK": f"INQUIRY#{inquiry['created_at']}#{inquiry['inquiry_id']}",
            **inquiry,
        }
        if not idempotency:
            self._client.put_item(TableName=self._table, Item=_item(item))
            return inquiry
        puts: list[dict[str, Any]] = [{"Put": {"TableName": self._table, "Item": _item(item)}}]
        if idempotency:
            marker = {
                "PK": f"IDEMPOTENCY#{inquiry['tenant_id']}#{idempotency}",
                "SK": "METADATA",
                "inquiry_id": inquiry["inquiry_id"],
                "ttl": int(time.time()) + 86400,
            }
            puts.append(
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": _item(marker),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                }
            )
        try:
            self._client.transact_write_items(TransactItems=puts)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException" or not idempotency:
                raise
            first = self._client.get_item(
                TableName=self._table,
                Key=_key(f"IDEMPOTENCY#{inquiry['tenant_id']}#{idempotency}"),
                ConsistentRead=True,
            ).get("Item")
            existing = (
                self.inquiry(inquiry["tenant_id"], first["inquiry_id"]["S"]) if first else None
            )
            if existing is None:
                raise
            return {**existing, "replayed": True}
        return inquiry

    def inquiry(self, tenant_id: str, inquiry_id: str) -> dict[str, Any] | None:
        """Return an inquiry of this tenant, or None (also for another tenant's)."""
        item = self._client.get_item(
            TableName=self._table, Key=_key(f"INQUIRY#{inquiry_id}"), ConsistentRead=True
        ).get("Item")
        if not item:
            return None
        data = _plain(item)
        return data if data.get("tenant_id") == tenant_id else None

    def update_inquiry(self, inquiry_id: str, expected_status: str, fields: dict[str, Any]) -> None:
        """Update an inquiry only if its status is still ``expected_status`` (409 otherwise)."""
        expression, names, values = _set(fields)
        names["#status_now"] = "status"
        values[":expected"] = {"S": expected_status}
        try:
            self._client.update_item(
                TableName=self._table,
                Key=_key(f"INQUIRY#{inquiry_id}"),
                UpdateExpression=expression,
                ConditionExpression="#status_now = :expected",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise Conflict("the inquiry changed meanwhile; reload and retry") from exc
            raise

    def add_entry(self, inquiry_id: str, kind: str, entry: dict[str, Any]) -> None:
        """Append an AI response (``AI_RESPONSE#...``) or a reply (``REPLY#...``) to an inquiry."""
        sk = f"{kind}#{entry['created_at']}#{entry['entry_id']}"
        self._client.put_item(
            TableName=self._table, Item=_item({"PK": f"INQUIRY#{inquiry_id}", "SK": sk, **entry})
        )

    def put_attachment(self, inquiry_id: str, attachment: dict[str, Any]) -> None:
        """Store (or replace) an attachment record of an inquiry (``ATTACHMENT#id``)."""
        item = {
            "PK": f"INQUIRY#{inquiry_id}",
            "SK": f"ATTACHMENT#{attachment['entry_id']}",
            **attachment,
        }
        self._client.put_item(TableName=self._table, Item=_item(item))

    def attachment(self, inquiry_id: str, attachment_id: str) -> dict[str, Any] | None:
        """One attachment record, or None."""
        item = self._client.get_item(
            TableName=self._table,
            Key=_key(f"INQUIRY#{inquiry_id}", f"ATTACHMENT#{attachment_id}"),
            ConsistentRead=True,
        ).get("Item")
        return _plain(item) if item else None

    def entries(self, inquiry_id: str) -> list[dict[str, Any]]:
        """An inquiry's AI responses and replies, oldest first."""
        response = self._client.query(
            TableName=self._table,
            KeyConditionExpression="PK = :pk AND SK > :meta",
            ExpressionAttributeValues={
                ":pk": {"S": f"INQUIRY#{inquiry_id}"},
                ":meta": {"S": "AI_RESPONSE#"},
            },
        )
        return sorted(
            (_plain(i) for i in response["Items"] if not i["SK"]["S"].startswith("METADATA")),
            key=lambda e: e["created_at"],
        )

    def page(
        self,
        tenant_id: str,
        limit: int,
        cursor: str | None,
        since: str | None = None,
        until: str | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """A tenant's inquiries, newest first, through GSI1; ``cursor`` continues a page."""
        condition = "GSI1PK = :pk"
        values: dict[str, Any] = {":pk": {"S": f"COMPANY#{tenant_id}"}}
        if since or until:
            condition += " AND GSI1SK BETWEEN :since AND :until"
            values[":since"] = {"S": f"INQUIRY#{since or ''}"}
            values[":until"] = {"S": f"INQUIRY#{until or '9999'}~"}
        else:
            condition += " AND begins_with(GSI1SK, :prefix)"
            values[":prefix"] = {"S": "INQUIRY#"}
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": "GSI1",
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if cursor:
            request["ExclusiveStartKey"] = _decode_cursor(cursor, tenant_id)
        response = self._client.query(**request)
        last = response.get("LastEvaluatedKey")
        return [_plain(i) for i in response["Items"]], (_encode_cursor(last) if last else None)

    def open_count(self, tenant_id: str) -> int:
        """How many of a tenant's inquiries wait for a human (a counter, not a scan)."""
        item = self._client.get_item(
            TableName=self._table, Key=_key(f"COMPANY#{tenant_id}", "OPEN_QUEUE")
        ).get("Item")
        return max(int(item["open"]["N"]), 0) if item else 0

    def adjust_open(self, tenant_id: str, delta: int) -> None:
        """Move the tenant's open-queue counter (inquiries pending or escalated)."""
        self._client.update_item(
            TableName=self._table,
            Key=_key(f"COMPANY#{tenant_id}", "OPEN_QUEUE"),
            UpdateExpression="ADD #open :delta",
            ExpressionAttributeNames={"#open": "open"},
            ExpressionAttributeValues={":delta": {"N": str(delta)}},
        )

    # --- limits ----------------------------------------------------------------------------

    def count_hit(self, scope: str, window_start: int, ttl: int) -> int:
        """Add one hit to a rate-limit window's counter; return the new count."""
        response = self._client.update_item(
            TableName=self._table,
            Key=_key(f"RATE#{scope}#{window_start}", "COUNTER"),
            UpdateExpression="ADD hits :one SET #ttl = if_not_exists(#ttl, :ttl)",
            ExpressionAttributeNames={"#ttl": "ttl"},
            ExpressionAttributeValues={":one": {"N": "1"}, ":ttl": {"N": str(ttl)}},
            ReturnValues="UPDATED_NEW",
        )
        return int(response["Attributes"]["hits"]["N"])


def _encode_cursor(key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def _decode_cursor(value: str, tenant_id: str) -> dict[str, Any]:
    try:
        key = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
        if key["GSI1PK"]["S"] != f"COMPANY#{tenant_id}":
            raise ValueError("another tenant's cursor")
        return dict(key)
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidInput("the next cursor is malformed", code="invalid_cursor") from exc

"""DynamoDB storage of the inquiry desk, in FinQ's single table.

Holds tenants, API keys, inquiries, AI responses, replies, idempotency records and rate-limit
counters.

Owns every key of the desk (``COMPANY#id``, ``APIKEY#hash``, ``INQUIRY#id``, ``AI_RESPONSE#...``,
``STEP#name`` (an inquiry's once-only steps),
``GSI1PK=COMPANY#id`` / ``GSI1SK=INQUIRY#<created>#<id>``, and the staff list's sparse index
``GSI2PK=COMPANY#id#STATUS#s#PRIORITY#p`` / ``GSI2SK=INQUIRY#<created>#<id>``). Every inquiry
read is checked against the caller's tenant here, so no service can forget the check.
"""

from __future__ import annotations

import re
import time
from decimal import Decimal
from typing import Any, get_args

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from chalicelib.cursors import SignedCursors
from chalicelib.errors import Conflict, InvalidInput
from chalicelib.models import InquiryPriority, InquiryStatus

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


_TABLE_KEYS = ("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK")


def _record(item: dict[str, Any]) -> dict[str, Any]:
    """A stored tenant, inquiry or attachment as the services see it: no table key attribute."""
    return {k: v for k, v in _plain(item).items() if k not in _TABLE_KEYS}


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


_STATUSES: tuple[str, ...] = get_args(InquiryStatus)
_PRIORITIES: tuple[str, ...] = get_args(InquiryPriority)
_LIST_CURSOR_FIELDS = frozenset({"v", "tenant", "filter", "after"})
# A list position is an inquiry's index sort key: unique, and newest first when descending.
_POSITION = re.compile(r"INQUIRY#\d{4}-\d\d-\d\dT[0-9:.]{8,15}\+00:00#[0-9a-f]{1,64}")


def _position(inquiry: dict[str, Any]) -> str:
    """The sort key of an inquiry in GSI1 and GSI2: ``INQUIRY#<created>#<id>``."""
    return f"INQUIRY#{inquiry['created_at']}#{inquiry['inquiry_id']}"


def _list_pk(tenant_id: str, status: str, priority: str) -> str:
    """The GSI2 partition of a tenant's inquiries with one status and one priority."""
    return f"COMPANY#{tenant_id}#STATUS#{status}#PRIORITY#{priority}"


class DynamoDBDeskRepository:
    """The desk's items in one DynamoDB table (the DeskRepository port).

    Tenants, inquiries, attachments and entries are returned without their key attributes.
    """

    def __init__(self, client: Any, table: str, cursor_key: bytes) -> None:
        """Wrap a low-level DynamoDB client, the table name and the list cursors' signing key."""
        self._client = client
        self._table = table
        self._cursors = SignedCursors(cursor_key)

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
        return _record(item) if item else None

    def tenant_with_queue(self, tenant_id: str) -> dict[str, Any] | None:
        """Return a tenant with ``open_inquiries``, its open-queue count (one BatchGetItem)."""
        keys = [_key(f"COMPANY#{tenant_id}"), _key(f"COMPANY#{tenant_id}", "OPEN_QUEUE")]
        response = self._client.batch_get_item(RequestItems={self._table: {"Keys": keys}})
        items = [*response.get("Responses", {}).get(self._table, [])]
        for key in response.get("UnprocessedKeys", {}).get(self._table, {}).get("Keys", []):
            item = self._client.get_item(TableName=self._table, Key=key).get("Item")
            items += [item] if item else []  # throttled: read one by one
        found = {item["SK"]["S"]: item for item in items}
        if "METADATA" not in found:
            return None
        queue = found.get("OPEN_QUEUE")
        count = max(int(queue["open"]["N"]), 0) if queue else 0
        return {**_record(found["METADATA"]), "open_inquiries": count}

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
            "GSI1SK": _position(inquiry),
            "GSI2PK": _list_pk(inquiry["tenant_id"], inquiry["status"], inquiry["priority"]),
            "GSI2SK": _position(inquiry),
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
        data = _record(item)
        return data if data.get("tenant_id") == tenant_id else None

    def update_inquiry(self, inquiry_id: str, expected_status: str, fields: dict[str, Any]) -> None:
        """Update an inquiry only if its status is still ``expected_status`` (409 otherwise).

        A new status also moves the inquiry to its GSI2 partition (the filtered staff list).
        """
        if "status" in fields or "priority" in fields:
            fields = {**fields, **self._list_keys(inquiry_id, fields)}
        if not self._update_if_status(f"INQUIRY#{inquiry_id}", expected_status, fields):
            raise Conflict("the inquiry changed meanwhile; reload and retry")

    def _update_if_status(self, pk: str, expected_status: str, fields: dict[str, Any]) -> bool:
        """SET ``fields`` on an item whose status is still ``expected_status``; False if not."""
        expression, names, values = _set(fields)
        names["#status_now"] = "status"
        values[":expected"] = {"S": expected_status}
        try:
            self._client.update_item(
                TableName=self._table,
                Key=_key(pk),
                UpdateExpression=expression,
                ConditionExpression="#status_now = :expected",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

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
        return _record(item) if item else None

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
            (
                _record(i)
                for i in response["Items"]
                if not i["SK"]["S"].startswith(("METADATA", "STEP#"))
            ),
            key=lambda e: e["created_at"],
        )

    def claim_step(self, inquiry_id: str, step: str) -> bool:
        """Record a once-only step (``STEP#name``) unless it is there; False when it was."""
        item = {"PK": f"INQUIRY#{inquiry_id}", "SK": f"STEP#{step}", "claimed_at": time.time()}
        try:
            self._client.put_item(
                TableName=self._table,
                Item=_item(item),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def release_step(self, inquiry_id: str, step: str) -> None:
        """Forget a claimed step (its effect failed; a retry claims it again)."""
        self._client.delete_item(
            TableName=self._table, Key=_key(f"INQUIRY#{inquiry_id}", f"STEP#{step}")
        )

    def undecided(self, before: str, limit: int) -> list[dict[str, Any]]:
        """Open (pending or escalated) inquiries created before ``before`` and not yet decided.

        Reads the tenants (GSI1 ``COMPANIES``), then each tenant's open partitions of GSI2 (one
        per status and priority) up to ``before``: a few queries per tenant and sweep.
        """
        found: list[dict[str, Any]] = []
        for tenant_id in self._tenant_ids():
            for status in ("pending", "escalated"):
                for priority in _PRIORITIES:
                    pk = _list_pk(tenant_id, status, priority)
                    found += self._undecided(pk, before, limit)
                    if len(found) >= limit:
                        return found[:limit]
        return found

    def _tenant_ids(self) -> list[str]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": "GSI1",
            "KeyConditionExpression": "GSI1PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": "COMPANIES"}},
            "ProjectionExpression": "tenant_id",
        }
        ids: list[str] = []
        while True:
            response = self._client.query(**request)
            ids += [i["tenant_id"]["S"] for i in response["Items"] if "tenant_id" in i]
            if "LastEvaluatedKey" not in response:
                return ids
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def _undecided(self, pk: str, before: str, limit: int) -> list[dict[str, Any]]:
        response = self._client.query(
            TableName=self._table,
            IndexName="GSI2",
            KeyConditionExpression="GSI2PK = :pk AND GSI2SK < :before",
            FilterExpression="attribute_not_exists(decided_at)",
            ExpressionAttributeValues={
                ":pk": {"S": pk},
                ":before": {"S": f"INQUIRY#{before}"},
            },
            Limit=limit,
        )
        return [_record(i) for i in response["Items"]]

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
            request["ExclusiveStartKey"] = self._page_start(cursor, tenant_id)
        response = self._client.query(**request)
        last = response.get("LastEvaluatedKey")
        return [_record(i) for i in response["Items"]], (self._page_cursor(last) if last else None)

    def _page_cursor(self, last: dict[str, Any]) -> str:
        return self._cursors.encode(
            {"v": "1", "pk": last["PK"]["S"], "sk": last["SK"]["S"], "gsi1": last["GSI1SK"]["S"]}
        )

    def _page_start(self, cursor: str, tenant_id: str) -> dict[str, Any]:
        """The full GSI1 start key, rebuilt from a signed cursor (never a client's key map)."""
        data = self._cursors.decode(cursor, frozenset({"v", "pk", "sk", "gsi1"}))
        return {
            **_key(data["pk"], data["sk"]),
            "GSI1PK": {"S": f"COMPANY#{tenant_id}"},
            "GSI1SK": {"S": data["gsi1"]},
        }

    def list_inquiries(
        self,
        tenant_id: str,
        status: str | None,
        priority: str | None,
        limit: int,
        cursor: str | None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of the staff list: a tenant's inquiries, newest first, by status/priority.

        Each filter reads its own index partitions (GSI1 unfiltered; GSI2, keyed by tenant,
        status and priority, otherwise: one partition, or four merged when only one of the two
        is given), at most ``limit + 1`` items from each. The cursor is the last item's sort
        key, signed and bound to the tenant and filter, so the next page starts right after it.
        """
        scope = f"{status or '*'}|{priority or '*'}"
        after = self._list_after(cursor, tenant_id, scope) if cursor else None
        found: list[dict[str, Any]] = []
        for index, pk in self._list_partitions(tenant_id, status, priority):
            found += self._newest(index, pk, after, limit + 1)
        found.sort(key=_position, reverse=True)
        page = found[:limit]
        if len(found) <= limit:
            return page, None
        payload = {"v": "1", "tenant": tenant_id, "filter": scope, "after": _position(page[-1])}
        return page, self._cursors.encode(payload)

    @staticmethod
    def _list_partitions(
        tenant_id: str, status: str | None, priority: str | None
    ) -> list[tuple[str, str]]:
        if status is None and priority is None:
            return [("GSI1", f"COMPANY#{tenant_id}")]
        return [
            ("GSI2", _list_pk(tenant_id, s, p))
            for s in ((status,) if status else _STATUSES)
            for p in ((priority,) if priority else _PRIORITIES)
        ]

    def _list_after(self, cursor: str, tenant_id: str, scope: str) -> str:
        data = self._cursors.decode(cursor, _LIST_CURSOR_FIELDS)
        if data["v"] != "1" or not _POSITION.fullmatch(data["after"]):
            raise InvalidInput("the next cursor is malformed", code="invalid_cursor")
        if data["tenant"] != tenant_id or data["filter"] != scope:
            raise InvalidInput(
                "the next cursor belongs to another list; start again without it",
                code="invalid_cursor",
            )
        return data["after"]

    def _newest(self, index: str, pk: str, after: str | None, count: int) -> list[dict[str, Any]]:
        """Up to ``count`` inquiries of one index partition, newest first, older than ``after``.

        The tenant's partitions in GSI1 and GSI2 hold inquiries only, so ``SK < after`` is exact.
        Follows LastEvaluatedKey when DynamoDB stops a page early (1 MB), so a merge of several
        partitions never misses a newer item of a partition that was cut short.
        """
        sk = f"{index}SK"
        values: dict[str, Any] = {":pk": {"S": pk}, ":sk": {"S": after or "INQUIRY#"}}
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": index,
            "KeyConditionExpression": f"{index}PK = :pk AND "
            + (f"{sk} < :sk" if after else f"begins_with({sk}, :sk)"),
            "ExpressionAttributeValues": values,
            "ScanIndexForward": False,
            "Limit": count,
        }
        items: list[dict[str, Any]] = []
        while True:
            response = self._client.query(**request)
            items += response["Items"]
            last = response.get("LastEvaluatedKey")
            if not last or len(items) >= count:
                return [_record(i) for i in items[:count]]
            request.update(ExclusiveStartKey=last, Limit=count - len(items))

    def _list_keys(self, inquiry_id: str, fields: dict[str, Any]) -> dict[str, str]:
        """An inquiry's GSI2 keys once it has the new status or priority in ``fields``."""
        item = self._client.get_item(
            TableName=self._table,
            Key=_key(f"INQUIRY#{inquiry_id}"),
            ProjectionExpression="tenant_id, priority, created_at, inquiry_id, #status",
            ExpressionAttributeNames={"#status": "status"},
            ConsistentRead=True,
        ).get("Item")
        if not item:
            raise Conflict("the inquiry changed meanwhile; reload and retry")
        data = {**_plain(item), **fields}
        return {
            "GSI2PK": _list_pk(data["tenant_id"], data["status"], data["priority"]),
            "GSI2SK": _position(data),
        }

    def backfill_list_index(self) -> int:
        """Give inquiries stored before GSI2 existed their GSI2 keys; return how many changed.

        Run once after adding GSI2 to a table that already holds inquiries. An inquiry whose
        status moves meanwhile is skipped: that move writes its keys itself.
        """
        scan: dict[str, Any] = {
            "TableName": self._table,
            "FilterExpression": "begins_with(PK, :inquiry) AND SK = :meta"
            " AND attribute_not_exists(GSI2SK)",
            "ProjectionExpression": "PK, tenant_id, #status, priority, created_at, inquiry_id",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":inquiry": {"S": "INQUIRY#"},
                ":meta": {"S": "METADATA"},
            },
        }
        changed = 0
        while True:
            response = self._client.scan(**scan)
            changed += sum(self._backfill_one(_plain(item)) for item in response["Items"])
            if "LastEvaluatedKey" not in response:
                return changed
            scan["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def _backfill_one(self, inquiry: dict[str, Any]) -> bool:
        keys = {
            "GSI2PK": _list_pk(inquiry["tenant_id"], inquiry["status"], inquiry["priority"]),
            "GSI2SK": _position(inquiry),
        }
        return self._update_if_status(inquiry["PK"], inquiry["status"], keys)

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

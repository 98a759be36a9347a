"""In-memory fakes of the desk's ports, kept honest by tests/contract/test_desk_*.py."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from chalicelib.errors import Conflict, InvalidInput, UpstreamUnavailable
from chalicelib.ports import DraftAnswer, Invitation, StaffMember, TextAnalysis


def _position(inquiry: dict[str, Any]) -> str:
    return f"{inquiry['created_at']}#{inquiry['inquiry_id']}"


class InMemoryDeskRepository:
    """The DeskRepository port in dicts (cursors are plain positions, not signed)."""

    def __init__(self) -> None:
        self.tenants: dict[str, dict[str, Any]] = {}
        self.keys: dict[str, tuple[str, str]] = {}  # hash -> (tenant, key id)
        self.inquiries: dict[str, dict[str, Any]] = {}
        self.idempotency: dict[tuple[str, str], str] = {}
        self.entry_log: dict[str, dict[str, dict[str, Any]]] = {}
        self.open: dict[str, int] = {}
        self.hits: dict[tuple[str, int], int] = {}
        self.steps: set[tuple[str, str]] = set()

    def put_tenant(self, tenant: dict[str, Any]) -> None:
        if tenant["tenant_id"] in self.tenants:
            raise Conflict("the tenant exists")
        self.tenants[tenant["tenant_id"]] = _stored(tenant)

    def update_tenant(self, tenant_id: str, fields: dict[str, Any]) -> None:
        self.tenants[tenant_id].update(_stored(fields))

    def tenant(self, tenant_id: str) -> dict[str, Any] | None:
        return copy.deepcopy(self.tenants.get(tenant_id))

    def tenant_with_queue(self, tenant_id: str) -> dict[str, Any] | None:
        tenant = self.tenant(tenant_id)
        return None if tenant is None else {**tenant, "open_inquiries": self.open_count(tenant_id)}

    def put_key(self, tenant_id: str, key_id: str, key_hash: str, created_at: str) -> None:
        self.keys[key_hash] = (tenant_id, key_id)

    def tenant_of_key(self, key_hash: str) -> str | None:
        return self.keys[key_hash][0] if key_hash in self.keys else None

    def delete_key(self, tenant_id: str, key_id: str) -> bool:
        for key_hash, owner in list(self.keys.items()):
            if owner == (tenant_id, key_id):
                del self.keys[key_hash]
                return True
        return False

    def put_inquiry(self, inquiry: dict[str, Any], idempotency: str | None) -> dict[str, Any]:
        marker = (inquiry["tenant_id"], idempotency) if idempotency else None
        if marker in self.idempotency:
            first = self.inquiry(inquiry["tenant_id"], self.idempotency[marker])
            return {**first, "replayed": True} if first else inquiry
        if marker:
            self.idempotency[marker] = inquiry["inquiry_id"]
        self.inquiries[inquiry["inquiry_id"]] = _stored(inquiry)
        return inquiry

    def inquiry(self, tenant_id: str, inquiry_id: str) -> dict[str, Any] | None:
        found = self.inquiries.get(inquiry_id)
        return copy.deepcopy(found) if found and found["tenant_id"] == tenant_id else None

    def update_inquiry(self, inquiry_id: str, expected_status: str, fields: dict[str, Any]) -> None:
        found = self.inquiries.get(inquiry_id)
        if found is None or found["status"] != expected_status:
            raise Conflict("the inquiry changed meanwhile; reload and retry")
        found.update(_stored(fields))

    def add_entry(self, inquiry_id: str, kind: str, entry: dict[str, Any]) -> None:
        sk = f"{kind}#{entry['created_at']}#{entry['entry_id']}"
        self.entry_log.setdefault(inquiry_id, {})[sk] = _stored(entry)

    def put_attachment(self, inquiry_id: str, attachment: dict[str, Any]) -> None:
        sk = f"ATTACHMENT#{attachment['entry_id']}"
        self.entry_log.setdefault(inquiry_id, {})[sk] = _stored(attachment)

    def attachment(self, inquiry_id: str, attachment_id: str) -> dict[str, Any] | None:
        found = self.entry_log.get(inquiry_id, {}).get(f"ATTACHMENT#{attachment_id}")
        return copy.deepcopy(found)

    def entries(self, inquiry_id: str) -> list[dict[str, Any]]:
        found = self.entry_log.get(inquiry_id, {})
        return sorted(
            (copy.deepcopy(e) for _, e in sorted(found.items())), key=lambda e: e["created_at"]
        )

    def page(
        self,
        tenant_id: str,
        limit: int,
        cursor: str | None,
        since: str | None = None,
        until: str | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        mine = [
            i
            for i in self._newest_first(tenant_id)
            if (since or "") <= i["created_at"] <= (until or "9999") + "~"
        ]
        return self._slice(mine, limit, cursor, "page")

    def list_inquiries(
        self,
        tenant_id: str,
        status: str | None,
        priority: str | None,
        limit: int,
        cursor: str | None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        mine = [
            i
            for i in self._newest_first(tenant_id)
            if status in (None, i["status"]) and priority in (None, i["priority"])
        ]
        return self._slice(mine, limit, cursor, f"{tenant_id}|{status}|{priority}")

    def _newest_first(self, tenant_id: str) -> list[dict[str, Any]]:
        mine = [copy.deepcopy(i) for i in self.inquiries.values() if i["tenant_id"] == tenant_id]
        return sorted(mine, key=_position, reverse=True)

    @staticmethod
    def _slice(
        items: list[dict[str, Any]], limit: int, cursor: str | None, scope: str
    ) -> tuple[list[dict[str, Any]], str | None]:
        after = None
        if cursor:
            cursor_scope, _, after = cursor.partition("@")
            if cursor_scope != scope or not after:
                raise InvalidInput("the next cursor is malformed", code="invalid_cursor")
        rest = [i for i in items if after is None or _position(i) < after]
        page = rest[:limit]
        return page, (f"{scope}@{_position(page[-1])}" if len(rest) > limit else None)

    def open_count(self, tenant_id: str) -> int:
        return max(self.open.get(tenant_id, 0), 0)

    def adjust_open(self, tenant_id: str, delta: int) -> None:
        self.open[tenant_id] = self.open.get(tenant_id, 0) + delta

    def claim_step(self, inquiry_id: str, step: str) -> bool:
        if (inquiry_id, step) in self.steps:
            return False
        self.steps.add((inquiry_id, step))
        return True

    def release_step(self, inquiry_id: str, step: str) -> None:
        self.steps.discard((inquiry_id, step))

    def undecided(self, before: str, limit: int) -> list[dict[str, Any]]:
        found = [
            copy.deepcopy(i)
            for i in self.inquiries.values()
            if i["status"] in ("pending", "escalated")
            and i["created_at"] < before
            and "decided_at" not in i
        ]
        return sorted(found, key=_position)[:limit]

    def count_hit(self, scope: str, window_start: int, ttl: int) -> int:
        self.hits[(scope, window_start)] = self.hits.get((scope, window_start), 0) + 1
        return self.hits[(scope, window_start)]


def _stored(record: dict[str, Any]) -> dict[str, Any]:
    """What DynamoDB keeps of a record: no None attributes."""
    return {k: copy.deepcopy(v) for k, v in record.items() if v is not None}


class ScriptedAnalyzer:
    """An Analyzer that gives every text the sentiment it was told; records the texts."""

    def __init__(self, sentiment: str = "NEUTRAL", language: str = "ko") -> None:
        self.sentiment, self.language = sentiment, language
        self.texts: list[str] = []

    def analyze(self, text: str) -> TextAnalysis:
        self.texts.append(text)
        return {"language": self.language, "sentiment": self.sentiment, "scores": {}}


class ScriptedDrafter:
    """A Drafter that answers with a fixed confidence; records the inquiries it drafted."""

    model_id = "scripted-drafter"

    def __init__(self, confidence: float = 0.9, answer: str = "FAQ answer") -> None:
        self.confidence, self.answer = confidence, answer
        self.inquiries: list[dict[str, Any]] = []

    def draft(self, inquiry: dict[str, Any], tenant: dict[str, Any]) -> DraftAnswer:
        self.inquiries.append(inquiry)
        return {
            "answer": self.answer,
            "confidence": self.confidence,
            "source": "faq-1",
            "usage": {"input_tokens": 300, "output_tokens": 100},
        }


class RecordingMailer:
    """A Mailer that keeps what it sent."""

    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []

    def send(self, to: str, subject: str, body: str) -> str:
        self.sent.append({"to": to, "subject": subject, "body": body})
        return f"mail-{len(self.sent)}"


class RecordingNotifier:
    """A Notifier that keeps what it published, per topic."""

    def __init__(self) -> None:
        self.published: list[dict[str, Any]] = []

    def publish(self, topic_arn: str, subject: str, message: dict[str, Any]) -> str:
        self.published.append({"topic": topic_arn, "subject": subject[:99], "message": message})
        return f"note-{len(self.published)}"


class RecordingQueue:
    """A WorkQueue that keeps its messages in order; ``take()`` hands them out once."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.failing = False

    def send(self, message: dict[str, Any]) -> None:
        if self.failing:
            raise UpstreamUnavailable("the work queue refused the message")
        self.messages.append(copy.deepcopy(message))

    def take(self) -> list[dict[str, Any]]:
        taken, self.messages = self.messages, []
        return taken


class FailingDrafter(ScriptedDrafter):
    """A Drafter whose model is down: every call raises UpstreamUnavailable (and is counted)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def draft(self, inquiry: dict[str, Any], tenant: dict[str, Any]) -> DraftAnswer:
        self.calls += 1
        raise UpstreamUnavailable("the model did not answer")


class InMemoryStaffDirectory:
    """The StaffDirectory port in dicts; ``invitations`` keeps the emails invited, ``sent`` what."""

    def __init__(self) -> None:
        self.logins: dict[str, StaffMember] = {}
        self.groups: dict[str, set[str]] = {}
        self.invitations: list[str] = []
        self.sent: list[tuple[str, Invitation]] = []

    def member(self, username: str) -> StaffMember | None:
        found = self.logins.get(username)
        return copy.deepcopy(found) if found else None

    def invite(self, email: str, invitation: Invitation) -> StaffMember:
        if email in self.logins:
            raise Conflict("a login with this email exists")
        self.logins[email] = {
            "username": email,
            "email": email,
            "enabled": True,
            "status": "FORCE_CHANGE_PASSWORD",
            "created_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
        }
        self.invitations.append(email)
        self.sent.append((email, invitation))
        return copy.deepcopy(self.logins[email])

    def reinvite(self, username: str, invitation: Invitation) -> StaffMember:
        login = self.logins[username]
        self.invitations.append(login["email"])
        self.sent.append((login["email"], invitation))
        return copy.deepcopy(login)

    def groups_of(self, username: str) -> list[str]:
        return sorted(g for g, users in self.groups.items() if username in users)

    def add_to_group(self, username: str, group: str) -> None:
        self.groups.setdefault(group, set()).add(username)

    def remove_from_group(self, username: str, group: str) -> None:
        self.groups.get(group, set()).discard(username)

    def set_enabled(self, username: str, enabled: bool) -> None:
        self.logins[username]["enabled"] = enabled

    def members(self, group: str) -> list[StaffMember]:
        found = [copy.deepcopy(self.logins[u]) for u in self.groups.get(group, set())]
        return sorted(found, key=lambda m: m["email"])


class RecordingMetrics:
    """A Metrics port that keeps what it was given."""

    def __init__(self) -> None:
        self.emitted: list[dict[str, Any]] = []

    def emit(
        self,
        namespace: str,
        dimensions: dict[str, str],
        values: dict[str, tuple[float, str]],
        properties: dict[str, Any] | None = None,
    ) -> None:
        self.emitted.append(
            {
                "namespace": namespace,
                "dimensions": dict(dimensions),
                "values": dict(values),
                "properties": dict(properties or {}),
            }
        )

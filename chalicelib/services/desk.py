"""The AI inquiry desk: tenants and keys, inquiry triage and AI drafts, escalation, staff.

Owns the inquiry life cycle (pending -> ai_responded -> escalated -> resolved, forward only; a
customer's new message reopens a resolved inquiry), what each party may see, and the rate
limits. Storage is the DynamoDB desk repository; language, sentiment, drafts, mail and
notifications are adapters handed in.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from chalicelib.errors import (
    AppError,
    Conflict,
    Forbidden,
    NotFound,
    TooManyRequests,
    Unauthenticated,
)
from chalicelib.repositories.dynamodb.desk import DynamoDBDeskRepository
from chalicelib.services import triage

_log = logging.getLogger(__name__)

ORDER = ("pending", "ai_responded", "escalated", "resolved")
OPEN = frozenset({"pending", "escalated"})  # waiting for a human: counted in the ETA's queue
KEY_LIMITS = {"basic": 100, "pro": 1000, "enterprise": 10_000}  # requests per hour per key
IP_LIMIT = 1000  # requests per hour per client IP (the design's limit)
# Claude 3.5 Sonnet on Bedrock, USD per million tokens (input, output): the cost metric.
PRICE_PER_MILLION = (3.0, 15.0)
PLATFORM_ADMINS = "platform-admins"
ATTACHMENT_TYPES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/tiff": ".tif",
    "application/pdf": ".pdf",
}
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 5


def hash_key(api_key: str) -> str:
    """The stored form of an API key (SHA-256; keys are random, so no salt is needed)."""
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()


def tenant_groups(tenant_id: str) -> tuple[str, str]:
    """Cognito groups of a tenant's staff and staff admins."""
    return f"tenant-{tenant_id}-staff", f"tenant-{tenant_id}-admin"


def staff_tenant(groups: tuple[str, ...]) -> str:
    """The tenant a staff caller works for (from their Cognito groups), or 403."""
    tenants = {
        g[len("tenant-") : -len("-staff")]
        for g in groups
        if g.startswith("tenant-") and g.endswith("-staff")
    }
    tenants |= {
        g[len("tenant-") : -len("-admin")]
        for g in groups
        if g.startswith("tenant-") and g.endswith("-admin")
    }
    if len(tenants) != 1:
        raise Forbidden("this account is not the staff of exactly one tenant")
    return tenants.pop()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class DeskService:
    """Inquiry desk use cases."""

    def __init__(
        self,
        repo: DynamoDBDeskRepository,
        analyzer: Any,
        drafter: Any,
        mailer: Any,
        notifier: Any,
        *,
        confidence_threshold: float = 0.6,
        clock: Callable[[], float] = time.time,
        create_group: Callable[[str], None] | None = None,
        key_limits: dict[str, int] | None = None,
        ip_limit: int = IP_LIMIT,
        ocr: Any = None,
        presign_upload: Callable[[str, str, int], dict[str, Any]] | None = None,
        attachment_bucket: str = "",
    ) -> None:
        """Compose the desk.

        Args:
            repo: DynamoDB storage.
            analyzer: Language and sentiment (Comprehend or the offline stand-in).
            drafter: Draft answers from the tenant's FAQ (Bedrock or the offline stand-in).
            mailer: Sends mail (SES).
            notifier: Publishes notifications (SNS).
            confidence_threshold: Drafts at least this confident go straight to the customer.
            clock: Time source (rate-limit windows).
            create_group: Creates an identity-provider group (a tenant's staff groups).
            key_limits: Requests per hour per API key, by tier.
            ip_limit: Requests per hour per client IP.
            ocr: Reads attachment text (Textract, or Tesseract locally).
            presign_upload: ``(key, content_type, max_bytes) -> {"url", "fields"}``: a
                presigned S3 POST for one attachment.
            attachment_bucket: The bucket attachments land in.
        """
        self._repo = repo
        self._analyzer = analyzer
        self._drafter = drafter
        self._mailer = mailer
        self._notifier = notifier
        self._threshold = confidence_threshold
        self._clock = clock
        self._create_group = create_group
        self._key_limits = key_limits or KEY_LIMITS
        self._ip_limit = ip_limit
        self._ocr = ocr
        self._presign = presign_upload
        self._attachment_bucket = attachment_bucket

    # --- tenants and keys ------------------------------------------------------------------

    def create_tenant(self, data: dict[str, Any]) -> dict[str, Any]:
        """Create a tenant; FAQ entries get ids."""
        tenant = {
            "tenant_id": data.get("tenant_id") or uuid.uuid4().hex[:12],
            "name": data["name"],
            "domain_context": data.get("domain_context", ""),
            "faq": [{"id": uuid.uuid4().hex[:8], **entry} for entry in data.get("faq", [])],
            "tier": data.get("tier", "basic"),
            "staff_email": data["staff_email"],
            "sns_topic_arn": data.get("sns_topic_arn"),
            "created_at": _now(),
        }
        self._repo.put_tenant(tenant)
        if self._create_group is not None:
            for group in tenant_groups(tenant["tenant_id"]):
                self._create_group(group)
        return tenant

    def update_tenant(self, tenant_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Replace some tenant fields (an FAQ replaces the whole FAQ)."""
        self.tenant(tenant_id)
        changes = {k: v for k, v in fields.items() if v is not None}
        if "faq" in changes:
            changes["faq"] = [{"id": uuid.uuid4().hex[:8], **entry} for entry in changes["faq"]]
        if changes:
            self._repo.update_tenant(tenant_id, changes)
        return self.tenant(tenant_id)

    def tenant(self, tenant_id: str) -> dict[str, Any]:
        """A tenant, or 404."""
        tenant = self._repo.tenant(tenant_id)
        if tenant is None:
            raise NotFound("no such tenant")
        return {k: v for k, v in tenant.items() if k not in ("PK", "SK", "GSI1PK", "GSI1SK")}

    def create_key(self, tenant_id: str) -> dict[str, Any]:
        """Make an API key for a tenant; the key itself is returned this once only."""
        self.tenant(tenant_id)
        api_key = "fq_" + secrets.token_urlsafe(32)
        key_id = uuid.uuid4().hex[:12]
        created = _now()
        self._repo.put_key(tenant_id, key_id, hash_key(api_key), created)
        return {"key_id": key_id, "api_key": api_key, "created_at": created}

    def revoke_key(self, tenant_id: str, key_id: str) -> None:
        """Revoke a tenant's key."""
        if not self._repo.delete_key(tenant_id, key_id):
            raise NotFound("no such key")

    def authorize(self, tenant_id: str, groups: tuple[str, ...], admin_only: bool = False) -> None:
        """Allow platform admins, and the tenant's staff admins (or staff unless admin_only)."""
        staff, admin = tenant_groups(tenant_id)
        if PLATFORM_ADMINS in groups or admin in groups or (not admin_only and staff in groups):
            return
        raise NotFound("no such tenant")  # do not reveal other tenants

    def tenant_of(self, api_key: str | None) -> str:
        """The tenant an ``x-api-key`` belongs to, or 401."""
        tenant_id = self._repo.tenant_of_key(hash_key(api_key)) if api_key else None
        if tenant_id is None:
            raise Unauthenticated("a valid x-api-key header is required", code="invalid_api_key")
        return tenant_id

    def check_rate(self, tenant_id: str, api_key: str, client_ip: str) -> None:
        """Count the request per key (by tier) and per IP; 429 with Retry-After over a limit."""
        now = int(self._clock())
        window = now - now % 3600
        retry = window + 3600 - now
        tier = (self._repo.tenant(tenant_id) or {}).get("tier", "basic")
        key_limit = self._key_limits.get(tier, 100)
        if self._repo.count_hit(f"KEY#{hash_key(api_key)[:16]}", window, window + 7200) > key_limit:
            raise TooManyRequests(
                f"this API key's limit of {key_limit} requests per hour is reached",
                retry_after=retry,
            )
        if self._repo.count_hit(f"IP#{client_ip}", window, window + 7200) > self._ip_limit:
            raise TooManyRequests(
                f"the limit of {self._ip_limit} requests per hour from one address is reached",
                retry_after=retry,
            )

    # --- inquiries -------------------------------------------------------------------------

    def submit(
        self,
        tenant_id: str,
        data: dict[str, Any],
        idempotency_key: str | None,
        source: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Store, triage and answer (or escalate) a new inquiry; idempotent per key."""
        tenant = self.tenant(tenant_id)
        analysis = self._analyzer.analyze(f"{data['title']}\n{data['content']}")
        score, label = triage.priority(
            analysis["sentiment"], data.get("urgency"), data["category"], tenant["tier"]
        )
        draft = self._drafter.draft(data, tenant)
        # Urgent inquiries (angry, urgent, costly) always reach a human, with the draft attached;
        # so do hand-offs from the advisor chat, which asked for a person.
        confident = (
            draft["confidence"] >= self._threshold
            and label != "urgent"
            and data["category"] != "advisor_handoff"
        )
        created = _now()
        inquiry = {
            "inquiry_id": uuid.uuid4().hex,
            "tenant_id": tenant_id,
            **data,
            "status": "ai_responded" if confident else "escalated",
            "priority": label,
            "priority_score": score,
            "sentiment": analysis["sentiment"],
            "language": analysis["language"],
            "ai_confidence": draft["confidence"],
            "eta_minutes": triage.eta_minutes(
                label, tenant["tier"], self._repo.open_count(tenant_id), confident
            ),
            "created_at": created,
            "first_response_at": created if confident else None,
            "escalated_at": None if confident else created,
            "tokens_in": int(draft["usage"].get("input_tokens", 0)),
            "tokens_out": int(draft["usage"].get("output_tokens", 0)),
            "source": source,
        }
        stored = self._repo.put_inquiry(inquiry, idempotency_key)
        if stored.get("replayed"):
            return self._public(stored, self._repo.entries(stored["inquiry_id"]))
        if inquiry["status"] in OPEN:
            self._repo.adjust_open(tenant_id, 1)
        self._repo.add_entry(
            inquiry["inquiry_id"],
            "AI_RESPONSE",
            {
                "entry_id": uuid.uuid4().hex[:8],
                "created_at": created,
                "draft": draft["answer"],
                "confidence": draft["confidence"],
                "model": getattr(self._drafter, "model_id", ""),
                "sent_to_customer": confident,
                "source_faq": draft.get("source"),
            },
        )
        if not confident:
            self._notify_escalation(
                tenant,
                inquiry,
                draft["answer"],
                "low AI confidence"
                if data["category"] != "advisor_handoff"
                else "advisor chat handoff",
            )
        return self._public(inquiry, self._repo.entries(inquiry["inquiry_id"]))

    def get(self, tenant_id: str, inquiry_id: str) -> dict[str, Any]:
        """The customer's view of an inquiry."""
        inquiry = self._require(tenant_id, inquiry_id)
        return self._public(inquiry, self._repo.entries(inquiry_id))

    def escalate(
        self, tenant_id: str, inquiry_id: str, reason: str = "customer request"
    ) -> dict[str, Any]:
        """Hand an inquiry to the tenant's staff: email (SES) and notification (SNS)."""
        inquiry = self._require(tenant_id, inquiry_id)
        self._move(inquiry, "escalated", {"escalated_at": _now()})
        drafts = [e.get("draft", "") for e in self._repo.entries(inquiry_id) if "draft" in e]
        self._notify_escalation(
            self.tenant(tenant_id),
            {**inquiry, "status": "escalated"},
            drafts[-1] if drafts else "",
            reason,
        )
        return self.get(tenant_id, inquiry_id)

    def feedback(
        self, tenant_id: str, inquiry_id: str, satisfaction: int, comment: str
    ) -> dict[str, Any]:
        """Record the customer's satisfaction (1-5) and comment."""
        inquiry = self._require(tenant_id, inquiry_id)
        self._repo.update_inquiry(
            inquiry_id,
            inquiry["status"],
            {"satisfaction": satisfaction, "feedback_comment": comment, "feedback_at": _now()},
        )
        return self.get(tenant_id, inquiry_id)

    def customer_message(self, tenant_id: str, inquiry_id: str, content: str) -> dict[str, Any]:
        """The customer writes again: recorded; a resolved inquiry is reopened (pending)."""
        inquiry = self._require(tenant_id, inquiry_id)
        self._repo.add_entry(
            inquiry_id,
            "MESSAGE",
            {
                "entry_id": uuid.uuid4().hex[:8],
                "created_at": _now(),
                "author": "customer",
                "content": content,
            },
        )
        if inquiry["status"] == "resolved":
            self._repo.update_inquiry(
                inquiry_id, "resolved", {"status": "pending", "reopened_at": _now()}
            )
            self._repo.adjust_open(tenant_id, 1)
        return self.get(tenant_id, inquiry_id)

    def handoff_from_chat(
        self, operator_tenant_id: str, customer_email: str, chat: dict[str, Any], message: str
    ) -> dict[str, Any]:
        """Turn an advisor chat's request for a human into an inquiry for the operator tenant."""
        inquiry = self.submit(
            operator_tenant_id,
            {
                "customer_email": customer_email or "unknown@finq.local",
                "category": "advisor_handoff",
                "title": f"Advisor chat: {chat.get('title') or 'request for a human'}"[:200],
                "content": f"Chat {chat['id']}: {message}"[:10_000],
                "urgency": None,
            },
            idempotency_key=f"chat-{chat['id']}-{int(time.time() // 60)}",
            source={"chat_id": chat["id"]},
        )
        return {"inquiry_id": inquiry["inquiry_id"], "tenant_id": operator_tenant_id}

    def request_upload(
        self, tenant_id: str, inquiry_id: str, filename: str, content_type: str, size: int
    ) -> dict[str, Any]:
        """A presigned S3 upload for one attachment; its text is read once it lands."""
        inquiry = self._require(tenant_id, inquiry_id)
        existing = [e for e in self._repo.entries(inquiry_id) if e.get("kind") == "attachment"]
        if len(existing) >= MAX_ATTACHMENTS:
            raise Conflict(f"an inquiry takes at most {MAX_ATTACHMENTS} attachments")
        attachment_id = uuid.uuid4().hex[:12]
        key = f"attachments/{tenant_id}/{inquiry['inquiry_id']}/{attachment_id}{ATTACHMENT_TYPES[content_type]}"
        assert self._presign is not None, "no upload presigner configured"
        upload = self._presign(key, content_type, MAX_ATTACHMENT_BYTES)
        self._repo.put_attachment(
            inquiry_id,
            {
                "entry_id": attachment_id,
                "kind": "attachment",
                "created_at": _now(),
                "filename": filename,
                "content_type": content_type,
                "declared_size": size,
                "key": key,
                "state": "awaiting_upload",
            },
        )
        return {
            "attachment_id": attachment_id,
            "upload": upload,
            "expires_in": 900,
            "max_bytes": MAX_ATTACHMENT_BYTES,
        }

    def attachment_uploaded(self, key: str, size: int) -> dict[str, Any] | None:
        """An attachment landed: read its text, join it to the inquiry, draft again.

        Where OCR cannot run, the attachment is marked ``not_read`` and the inquiry goes on.
        """
        parts = key.split("/")
        if len(parts) != 4 or parts[0] != "attachments":
            _log.info("ignoring s3 key %s: not an attachment", key)
            return None
        tenant_id, inquiry_id, name = parts[1], parts[2], parts[3]
        attachment_id = name.split(".")[0]
        inquiry = self._repo.inquiry(tenant_id, inquiry_id)
        attachment = self._repo.attachment(inquiry_id, attachment_id) if inquiry else None
        if inquiry is None or attachment is None or attachment["key"] != key:
            _log.warning("upload %s matches no attachment request; ignored", key)
            return None
        if size > MAX_ATTACHMENT_BYTES:
            attachment.update(state="rejected", reason=f"larger than {MAX_ATTACHMENT_BYTES} bytes")
        else:
            try:
                text = self._ocr.extract_text(self._attachment_bucket, key)
                attachment.update(state="read", text=text[:20_000], size=size)
            except AppError as error:
                attachment.update(state="not_read", reason=error.message, size=size)
        self._repo.put_attachment(inquiry_id, attachment)
        if attachment["state"] == "read" and attachment.get("text"):
            tenant = self.tenant(tenant_id)
            enriched = {
                **inquiry,
                "content": f"{inquiry['content']}\n\n[첨부 {attachment['filename']}]\n{attachment['text']}",
            }
            draft = self._drafter.draft(enriched, tenant)
            self._repo.add_entry(
                inquiry_id,
                "AI_RESPONSE",
                {
                    "entry_id": uuid.uuid4().hex[:8],
                    "created_at": _now(),
                    "draft": draft["answer"],
                    "confidence": draft["confidence"],
                    "model": getattr(self._drafter, "model_id", ""),
                    "sent_to_customer": False,
                    "source_faq": draft.get("source"),
                    "after_attachment": attachment_id,
                },
            )
        return attachment

    # --- staff -----------------------------------------------------------------------------

    def admin_list(
        self,
        tenant_id: str,
        status: str | None,
        priority: str | None,
        limit: int,
        cursor: str | None,
    ) -> dict[str, Any]:
        """Staff list: newest first, filtered by status and priority; ``next`` resumes it."""
        items, following = self._repo.list_inquiries(tenant_id, status, priority, limit, cursor)
        return {"items": [self._staff(i) for i in items], "next": following}

    def admin_get(self, tenant_id: str, inquiry_id: str) -> dict[str, Any]:
        """Staff view of one inquiry, with the AI's drafts and every reply."""
        inquiry = self._require(tenant_id, inquiry_id)
        entries = [self._staff(entry) for entry in self._repo.entries(inquiry_id)]
        return {**self._staff(inquiry), "entries": entries}

    def reply(
        self, tenant_id: str, inquiry_id: str, staff_email: str, content: str
    ) -> dict[str, Any]:
        """A human answer: stored, mailed to the customer, and the inquiry is resolved."""
        inquiry = self._require(tenant_id, inquiry_id)
        now = _now()
        self._move(
            inquiry,
            "resolved",
            {"resolved_at": now, "first_response_at": inquiry.get("first_response_at") or now},
        )
        self._repo.add_entry(
            inquiry_id,
            "REPLY",
            {
                "entry_id": uuid.uuid4().hex[:8],
                "created_at": now,
                "author": staff_email,
                "content": content,
            },
        )
        tenant = self.tenant(tenant_id)
        self._mailer.send(
            inquiry["customer_email"], f"[{tenant['name']}] Re: {inquiry['title']}", content
        )
        return self.admin_get(tenant_id, inquiry_id)

    def metrics(self, tenant_id: str, since: str | None, until: str | None) -> dict[str, Any]:
        """Escalation and AI auto-resolution rates, first-response time, tokens and cost, quality, CSAT."""
        inquiries: list[dict[str, Any]] = []
        cursor = None
        while True:
            page, cursor = self._repo.page(tenant_id, 500, cursor, since, until)
            inquiries += page
            if cursor is None:
                break
        total = len(inquiries)
        escalated = sum(1 for i in inquiries if i.get("escalated_at"))
        auto = sum(
            1
            for i in inquiries
            if not i.get("escalated_at") and i["status"] in ("ai_responded", "resolved")
        )
        waits = [
            (
                datetime.fromisoformat(i["first_response_at"])
                - datetime.fromisoformat(i["created_at"])
            ).total_seconds()
            for i in inquiries
            if i.get("first_response_at")
        ]
        tokens_in = sum(int(i.get("tokens_in", 0)) for i in inquiries)
        tokens_out = sum(int(i.get("tokens_out", 0)) for i in inquiries)
        ratings = [int(i["satisfaction"]) for i in inquiries if i.get("satisfaction")]
        quality = [
            float(i["ai_confidence"]) for i in inquiries if i.get("ai_confidence") is not None
        ]
        return {
            "inquiries": total,
            "escalation_rate": round(escalated / total, 3) if total else None,
            "ai_auto_resolution_rate": round(auto / total, 3) if total else None,
            "median_first_response_seconds": statistics.median(waits) if waits else None,
            "tokens": {"input": tokens_in, "output": tokens_out},
            "cost_usd": round(
                tokens_in / 1e6 * PRICE_PER_MILLION[0] + tokens_out / 1e6 * PRICE_PER_MILLION[1], 4
            ),
            "average_ai_quality": round(statistics.mean(quality), 3) if quality else None,
            "csat": round(statistics.mean(ratings), 2) if ratings else None,
            "since": since,
            "until": until,
        }

    # --- internals -------------------------------------------------------------------------

    def _require(self, tenant_id: str, inquiry_id: str) -> dict[str, Any]:
        inquiry = self._repo.inquiry(tenant_id, inquiry_id) if len(inquiry_id) <= 64 else None
        if inquiry is None:
            raise NotFound("no such inquiry")
        return inquiry

    def _move(self, inquiry: dict[str, Any], status: str, fields: dict[str, Any]) -> None:
        current = inquiry["status"]
        if ORDER.index(status) <= ORDER.index(current):
            raise Conflict(f"an inquiry cannot move from {current} to {status}")
        self._repo.update_inquiry(inquiry["inquiry_id"], current, {"status": status, **fields})
        delta = (status in OPEN) - (current in OPEN)
        if delta:
            self._repo.adjust_open(inquiry["tenant_id"], delta)

    def _notify_escalation(
        self, tenant: dict[str, Any], inquiry: dict[str, Any], draft: str, reason: str
    ) -> None:
        body = (
            f"Inquiry {inquiry['inquiry_id']} needs a human ({reason}).\n"
            f"Priority: {inquiry['priority']} ({inquiry['priority_score']}), sentiment {inquiry['sentiment']}\n"
            f"From: {inquiry['customer_email']}\nCategory: {inquiry['category']}\n"
            f"Title: {inquiry['title']}\n\n{inquiry['content']}\n\n--- AI draft ---\n{draft or '(none)'}"
        )
        self._mailer.send(
            tenant["staff_email"],
            f"[FinQ escalation][{inquiry['priority']}] {inquiry['title']}",
            body,
        )
        if tenant.get("sns_topic_arn"):
            self._notifier.publish(
                tenant["sns_topic_arn"],
                f"Escalated inquiry ({inquiry['priority']})",
                {
                    "inquiry_id": inquiry["inquiry_id"],
                    "tenant_id": tenant["tenant_id"],
                    "priority": inquiry["priority"],
                    "priority_score": inquiry["priority_score"],
                    "title": inquiry["title"],
                    "reason": reason,
                    "ai_draft": draft,
                },
            )

    @staticmethod
    def _public(inquiry: dict[str, Any], entries: list[dict[str, Any]]) -> dict[str, Any]:
        answers = [
            {"from": "ai", "content": e["draft"], "created_at": e["created_at"]}
            for e in entries
            if e.get("sent_to_customer")
        ] + [
            {"from": "staff", "content": e["content"], "created_at": e["created_at"]}
            for e in entries
            if "author" in e and e["author"] != "customer"
        ]
        attachments = [
            {
                "attachment_id": e["entry_id"],
                "filename": e["filename"],
                "state": e["state"],
                **({"reason": e["reason"]} if e.get("reason") else {}),
            }
            for e in entries
            if e.get("kind") == "attachment"
        ]
        return {
            "inquiry_id": inquiry["inquiry_id"],
            "status": inquiry["status"],
            "attachments": attachments,
            "priority": inquiry["priority"],
            "eta_minutes": 0
            if inquiry["status"] in ("ai_responded", "resolved")
            else inquiry["eta_minutes"],
            "answers": sorted(answers, key=lambda a: a["created_at"]),
            "created_at": inquiry["created_at"],
            "satisfaction": inquiry.get("satisfaction"),
        }

    @staticmethod
    def _staff(inquiry: dict[str, Any]) -> dict[str, Any]:
        hidden = ("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK")
        return {k: v for k, v in inquiry.items() if k not in hidden}

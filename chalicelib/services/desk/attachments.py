"""Attachments of an inquiry: the presigned upload, then reading the landed file and drafting again.

Owns the accepted types, the size and count limits and the attachment states (awaiting_upload,
read, not_read, rejected). Upload signing and text reading are callables handed in.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from chalicelib.errors import AppError, Conflict
from chalicelib.ports import DeskRecord, Drafter, InquiryRepository
from chalicelib.services.desk.records import ai_entry, now, require
from chalicelib.services.desk.tenants import TenantService

_log = logging.getLogger(__name__)

ATTACHMENT_TYPES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/tiff": ".tif",
    "application/pdf": ".pdf",
}
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 5

Presigner = Callable[[str, str, int], dict[str, Any]]


class AttachmentService:
    """Attachment uploads and what the desk does once they land."""

    def __init__(
        self,
        repo: InquiryRepository,
        tenants: TenantService,
        drafter: Drafter,
        files: tuple[Presigner, Callable[[str], str]],
    ) -> None:
        """Compose the attachment flow.

        Args:
            repo: Inquiry storage.
            tenants: The tenants (their FAQ for the new draft).
            drafter: Drafts again with the attachment's text.
            files: ``presign(key, content_type, max_bytes) -> {"url", "fields"}`` (a presigned
                POST for one attachment) and ``read_text(key)`` (OCR of a landed file; raises
                an AppError where it cannot run).
        """
        self._repo = repo
        self._tenants = tenants
        self._drafter = drafter
        self._presign, self._read_text = files

    def request_upload(
        self, tenant_id: str, inquiry_id: str, filename: str, content_type: str, size: int
    ) -> dict[str, Any]:
        """Return a presigned S3 upload for one attachment; its text is read once it lands."""
        inquiry = require(self._repo, tenant_id, inquiry_id)
        existing = [e for e in self._repo.entries(inquiry_id) if e.get("kind") == "attachment"]
        if len(existing) >= MAX_ATTACHMENTS:
            raise Conflict(f"an inquiry takes at most {MAX_ATTACHMENTS} attachments")
        attachment_id = uuid.uuid4().hex[:12]
        suffix = ATTACHMENT_TYPES[content_type]
        key = f"attachments/{tenant_id}/{inquiry['inquiry_id']}/{attachment_id}{suffix}"
        upload = self._presign(key, content_type, MAX_ATTACHMENT_BYTES)
        self._repo.put_attachment(
            inquiry_id,
            {
                "entry_id": attachment_id,
                "kind": "attachment",
                "created_at": now(),
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

    def attachment_uploaded(self, key: str, size: int) -> DeskRecord | None:
        """Read a landed attachment's text, join it to the inquiry and draft again.

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
        self._read(attachment, key, size)
        self._repo.put_attachment(inquiry_id, attachment)
        if attachment["state"] == "read" and attachment.get("text"):
            self._draft_again(inquiry, attachment)
        return attachment

    def _read(self, attachment: DeskRecord, key: str, size: int) -> None:
        """Set the attachment's state: rejected (too large), read (with text) or not_read."""
        if size > MAX_ATTACHMENT_BYTES:
            attachment.update(state="rejected", reason=f"larger than {MAX_ATTACHMENT_BYTES} bytes")
            return
        try:
            text = self._read_text(key)
            attachment.update(state="read", text=text[:20_000], size=size)
        except AppError as error:
            attachment.update(state="not_read", reason=error.message, size=size)

    def _draft_again(self, inquiry: DeskRecord, attachment: DeskRecord) -> None:
        """Record a new draft (for staff, not sent) that also reads the attachment's text."""
        tenant = self._tenants.tenant(inquiry["tenant_id"])
        joined = f"[첨부 {attachment['filename']}]\n{attachment['text']}"
        enriched = {**inquiry, "content": f"{inquiry['content']}\n\n{joined}"}
        draft = self._drafter.draft(enriched, tenant)
        entry = ai_entry(
            draft, self._drafter.model_id, False, after_attachment=attachment["entry_id"]
        )
        self._repo.add_entry(inquiry["inquiry_id"], "AI_RESPONSE", entry)

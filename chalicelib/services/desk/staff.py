"""The staff side of the desk: the filtered inquiry list, one inquiry in full, and replies.

Owns what staff see and what a reply does (stored, mailed, the inquiry resolved).
"""

from __future__ import annotations

from typing import Any

from chalicelib.ports import InquiryRepository
from chalicelib.services.desk.notices import DeskNotices
from chalicelib.services.desk.records import move, now, require, short_id
from chalicelib.services.desk.tenants import TenantService


class StaffDesk:
    """A tenant's staff at work."""

    def __init__(
        self, repo: InquiryRepository, tenants: TenantService, notices: DeskNotices
    ) -> None:
        """Use ``repo`` for inquiries, ``tenants`` for names and ``notices`` to mail replies."""
        self._repo = repo
        self._tenants = tenants
        self._notices = notices

    def admin_list(
        self,
        tenant_id: str,
        status: str | None,
        priority: str | None,
        limit: int,
        cursor: str | None,
    ) -> dict[str, Any]:
        """Return a page of the staff list, newest first, by status and priority, and ``next``."""
        items, following = self._repo.list_inquiries(tenant_id, status, priority, limit, cursor)
        return {"items": items, "next": following}

    def admin_get(self, tenant_id: str, inquiry_id: str) -> dict[str, Any]:
        """Return the staff view of one inquiry, with the AI's drafts and every reply."""
        inquiry = require(self._repo, tenant_id, inquiry_id)
        return {**inquiry, "entries": self._repo.entries(inquiry_id)}

    def reply(
        self, tenant_id: str, inquiry_id: str, staff_email: str, content: str
    ) -> dict[str, Any]:
        """Store a human answer, mail it to the customer and resolve the inquiry."""
        inquiry = require(self._repo, tenant_id, inquiry_id)
        replied = now()
        first = inquiry.get("first_response_at") or replied
        move(self._repo, inquiry, "resolved", {"resolved_at": replied, "first_response_at": first})
        entry = {"entry_id": short_id(), "created_at": replied, "author": staff_email}
        self._repo.add_entry(inquiry_id, "REPLY", {**entry, "content": content})
        self._notices.reply(self._tenants.tenant(tenant_id), inquiry, content)
        return self.admin_get(tenant_id, inquiry_id)

"""The staff side of the desk: the filtered inquiry list, one inquiry in full, and replies.

Owns what staff see (never storage keys or internal bookkeeping) and what a reply does (stored,
mailed; the first one resolves the inquiry, later ones follow up on it).
"""

from __future__ import annotations

from typing import Any

from chalicelib.ports import InquiryRepository
from chalicelib.services.desk.notices import DeskNotices
from chalicelib.services.desk.records import move, now, once, require, short_id, staff_view
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
        return {"items": [staff_view(i) for i in items], "next": following}

    def admin_get(self, tenant_id: str, inquiry_id: str) -> dict[str, Any]:
        """Return the staff view of one inquiry, with the AI's drafts and every reply."""
        inquiry = require(self._repo, tenant_id, inquiry_id)
        return {**staff_view(inquiry), "entries": self._repo.entries(inquiry_id)}

    def reply(
        self, tenant_id: str, inquiry_id: str, staff_email: str, content: str
    ) -> dict[str, Any]:
        """Store a human answer and mail it to the customer; the first one resolves.

        A reply to a resolved inquiry is a follow-up: stored and mailed, the status stays.
        """
        inquiry = require(self._repo, tenant_id, inquiry_id)
        tenant = self._tenants.tenant(tenant_id)
        replied = now()
        if inquiry["status"] != "resolved":
            first = inquiry.get("first_response_at") or replied
            fields = {"resolved_at": replied, "first_response_at": first, "human_response": content}
            move(self._repo, inquiry, "resolved", fields)
            resolved = {**inquiry, **fields, "status": "resolved"}
            once(
                self._repo,
                inquiry_id,
                f"resolved:{replied}:note",
                lambda: self._notices.status_note(tenant, resolved),
            )
        else:  # a follow-up: the latest human answer is the inquiry's human_response
            self._repo.update_inquiry(inquiry_id, "resolved", {"human_response": content})
        entry = {"entry_id": short_id(), "created_at": replied, "author": staff_email}
        self._repo.add_entry(inquiry_id, "REPLY", {**entry, "content": content})
        self._notices.reply(tenant, inquiry, content)
        return self.admin_get(tenant_id, inquiry_id)

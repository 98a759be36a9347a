"""Protocols for FinQ's swappable capabilities; providers.py picks the implementation.

Owns the method names and shapes every backend shares. No implementations here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypedDict


class Embedder(Protocol):
    """Turns texts into normalized vectors of a fixed dimension."""

    model_id: str
    dimension: int

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages to be searched (one vector per text, same order)."""
        ...

    def embed_query(self, text: str) -> list[float]:
        """Embed a search query."""
        ...


# --- AI inquiry desk -------------------------------------------------------------------------
# Tenants, inquiries and their entries travel as plain records (``DeskRecord``): the stored
# fields of the item without any table key attribute; the DynamoDB adapter owns the keys.

DeskRecord = dict[str, Any]


class TextAnalysis(TypedDict):
    """What an Analyzer finds in a text (sentiment in Comprehend's labels)."""

    language: str
    sentiment: str
    scores: dict[str, float]


class DraftAnswer(TypedDict):
    """A Drafter's answer to an inquiry, its confidence (0-1), FAQ source and token usage."""

    answer: str
    confidence: float
    source: str | None
    usage: dict[str, int]


class DeskTenantRepository(Protocol):
    """Tenants of the desk and their API keys (stored as hashes only)."""

    def put_tenant(self, tenant: DeskRecord) -> None:
        """Create a tenant; Conflict when its id exists."""
        ...

    def update_tenant(self, tenant_id: str, fields: DeskRecord) -> None:
        """Replace some fields of an existing tenant."""
        ...

    def tenant(self, tenant_id: str) -> DeskRecord | None:
        """Return a tenant, or None."""
        ...

    def put_key(self, tenant_id: str, key_id: str, key_hash: str, created_at: str) -> None:
        """Store an API key's hash for a tenant."""
        ...

    def tenant_of_key(self, key_hash: str) -> str | None:
        """Return the tenant an API key hash belongs to, or None."""
        ...

    def delete_key(self, tenant_id: str, key_id: str) -> bool:
        """Revoke a tenant's key; False when the tenant has no such key."""
        ...


class InquiryRepository(Protocol):
    """Inquiries, their entries (AI responses, messages, replies, attachments), the open queue."""

    def put_inquiry(self, inquiry: DeskRecord, idempotency: str | None) -> DeskRecord:
        """Store a new inquiry; a repeated idempotency key returns the first, ``replayed``."""
        ...

    def inquiry(self, tenant_id: str, inquiry_id: str) -> DeskRecord | None:
        """Return an inquiry of this tenant, or None (also for another tenant's)."""
        ...

    def update_inquiry(self, inquiry_id: str, expected_status: str, fields: DeskRecord) -> None:
        """Update an inquiry whose status is still ``expected_status``; Conflict otherwise."""
        ...

    def add_entry(self, inquiry_id: str, kind: str, entry: DeskRecord) -> None:
        """Append an entry (``AI_RESPONSE``, ``MESSAGE``, ``REPLY``) to an inquiry."""
        ...

    def put_attachment(self, inquiry_id: str, attachment: DeskRecord) -> None:
        """Store or replace an attachment record (keyed by its ``entry_id``)."""
        ...

    def attachment(self, inquiry_id: str, attachment_id: str) -> DeskRecord | None:
        """Return one attachment record, or None."""
        ...

    def entries(self, inquiry_id: str) -> list[DeskRecord]:
        """Return an inquiry's entries and attachments, oldest first."""
        ...

    def page(
        self,
        tenant_id: str,
        limit: int,
        cursor: str | None,
        since: str | None = None,
        until: str | None = None,
    ) -> tuple[list[DeskRecord], str | None]:
        """Return a page of a tenant's inquiries, newest first, and the next page's cursor."""
        ...

    def list_inquiries(
        self,
        tenant_id: str,
        status: str | None,
        priority: str | None,
        limit: int,
        cursor: str | None,
    ) -> tuple[list[DeskRecord], str | None]:
        """Return a page of the staff list (newest first, filtered) and the next cursor."""
        ...

    def open_count(self, tenant_id: str) -> int:
        """Return how many of a tenant's inquiries wait for a human."""
        ...

    def adjust_open(self, tenant_id: str, delta: int) -> None:
        """Move the tenant's open-queue counter by ``delta``."""
        ...


class RateCounter(Protocol):
    """Hit counters of rate-limit windows."""

    def count_hit(self, scope: str, window_start: int, ttl: int) -> int:
        """Add one hit to ``scope``'s window; return the new count."""
        ...


class DeskRepository(DeskTenantRepository, InquiryRepository, RateCounter, Protocol):
    """Everything the desk stores (one table in AWS)."""


class Drafter(Protocol):
    """Drafts an inquiry's answer from the tenant's FAQ and context."""

    model_id: str

    def draft(self, inquiry: DeskRecord, tenant: DeskRecord) -> DraftAnswer:
        """Return a draft answer with its confidence."""
        ...


class Analyzer(Protocol):
    """Finds a text's language and sentiment."""

    def analyze(self, text: str) -> TextAnalysis:
        """Return the language and sentiment of ``text``."""
        ...


class Mailer(Protocol):
    """Sends plain-text mail."""

    def send(self, to: str, subject: str, body: str) -> str:
        """Send one message; return its id."""
        ...


class Notifier(Protocol):
    """Publishes JSON notifications to a topic."""

    def publish(self, topic_arn: str, subject: str, message: dict[str, Any]) -> str:
        """Publish one notification; return its id."""
        ...

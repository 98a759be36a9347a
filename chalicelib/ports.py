"""Protocols for FinQ's swappable capabilities; providers.py picks the implementation.

Owns the method names and shapes every backend shares. No implementations here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


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


# --- Accounts, profiles, bookmarks, documents -------------------------------------------------

Record = dict[str, Any]
"""A stored aggregate as a mapping of its field names (snake_case) to values."""


class IdentityProvider(Protocol):
    """The account operations FinQ needs from its identity provider (Cognito)."""

    def sign_up(self, email: str, password: str) -> dict[str, Any]:
        """Register a login; return ``{"sub", "email", "confirmed"}``."""
        ...

    def confirm(self, email: str, code: str) -> None:
        """Confirm a sign-up with the mailed code."""
        ...

    def log_in(self, email: str, password: str) -> dict[str, Any]:
        """Return ``{"id_token", "access_token", "refresh_token", "expires_in"}``."""
        ...

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        """Return fresh ID and access tokens."""
        ...

    def sign_out_everywhere(self, username: str) -> None:
        """Revoke every refresh token of a login."""
        ...

    def delete_user(self, username: str) -> None:
        """Delete a login (a login that is already gone is not an error)."""
        ...


class UserRepository(Protocol):
    """FinQ users and their profiles, keyed by the identity provider's subject."""

    def ensure(self, sub: str, email: str) -> Record | None:
        """Return the user, creating it on first sight; None for a deleted account."""
        ...

    def get(self, sub: str) -> Record | None:
        """Return the user, or None."""
        ...

    def update_profile(self, sub: str, profile: dict[str, Any]) -> Record:
        """Replace the profile fields of an existing user and return the user."""
        ...

    def is_deleted(self, sub: str) -> bool:
        """Whether the subject belongs to a deleted account."""
        ...

    def delete(self, sub: str) -> bool:
        """Delete the user and all they own, leaving a tombstone; True if a user went."""
        ...


class BookmarkRepository(Protocol):
    """A user's saved policies, document progress and sent reminders; always per user."""

    def list_for_user(self, user_sub: str) -> list[Record]:
        """Return the user's bookmarks with their policy fields and ``total``/``done`` counts."""
        ...

    def get(self, user_sub: str, plcy_no: str) -> Record | None:
        """Return one bookmark, or None."""
        ...

    def add(self, user_sub: str, plcy_no: str, status: str) -> bool:
        """Save a policy; False when it was already saved."""
        ...

    def set_status(self, user_sub: str, plcy_no: str, status: str) -> bool:
        """Change a bookmark's status; False when there is no such bookmark."""
        ...

    def remove(self, user_sub: str, plcy_no: str) -> bool:
        """Delete a bookmark and its document progress; False when there was none."""
        ...

    def checklist(self, user_sub: str, plcy_no: str) -> list[Record]:
        """Return the policy's documents with this user's progress on each."""
        ...

    def set_progress(self, user_sub: str, plcy_no: str, document_id: int, status: str) -> bool:
        """Record progress on one document; False when the document is not the policy's."""
        ...

    def due_reminders(self, today: str, thresholds: tuple[int, ...]) -> list[Record]:
        """Return saved, not yet applied policies closing in exactly one of ``thresholds`` days."""
        ...

    def record_reminder(self, user_sub: str, plcy_no: str, threshold: int, apply_end: str) -> bool:
        """Record a reminder before it is sent; False when it was already recorded."""
        ...

    def forget_reminder(self, user_sub: str, plcy_no: str, threshold: int, apply_end: str) -> None:
        """Forget a recorded reminder whose mail could not be sent (so a re-run retries it)."""
        ...


class Ocr(Protocol):
    """Reads the text of an uploaded attachment."""

    def extract_text(self, bucket: str, key: str) -> str:
        """Return the text of the object (empty when it holds none)."""
        ...


class Invoker(Protocol):
    """Starts another of FinQ's functions without waiting for it."""

    def invoke_async(self, payload: dict[str, Any]) -> None:
        """Hand ``payload`` to the function; return once it is accepted."""
        ...

"""Accounts: sign-up, confirmation, log-in and the caller's own record.

Owns the rule that a FinQ user row exists for every Cognito account that signs up or calls.
"""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.auth import Identity
from chalicelib.repositories.postgres import PostgresUserRepository, user_to_json
from chalicelib.services.discovery import today_kst
from chalicelib.services.eligibility import age_on


class IdentityProvider(Protocol):
    """What accounts need from the identity provider (Cognito)."""

    def sign_up(self, email: str, password: str) -> dict[str, Any]:
        """Register a user."""

    def confirm(self, email: str, code: str) -> None:
        """Confirm a sign-up."""

    def log_in(self, email: str, password: str) -> dict[str, Any]:
        """Return tokens for a password."""

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        """Return fresh tokens."""

    def delete_user(self, username: str) -> None:
        """Delete a login."""


class AccountService:
    """Account use cases over the identity provider and the users table."""

    def __init__(self, identity: IdentityProvider, users: PostgresUserRepository) -> None:
        """Compose the service from its two stores."""
        self._identity = identity
        self._users = users

    def sign_up(self, email: str, password: str) -> dict[str, Any]:
        """Create the account and its FinQ user row; return sub, email, confirmed."""
        account = self._identity.sign_up(email, password)
        self._users.ensure(account["sub"], email)
        return account

    def confirm(self, email: str, code: str) -> dict[str, Any]:
        """Confirm the account with the mailed code."""
        self._identity.confirm(email, code)
        return {"email": email, "confirmed": True}

    def log_in(self, email: str, password: str) -> dict[str, Any]:
        """Return tokens for valid credentials."""
        return self._identity.log_in(email, password)

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        """Return new ID and access tokens."""
        return self._identity.refresh(refresh_token)

    def me(self, caller: Identity) -> dict[str, Any]:
        """Return the caller's identity and profile, creating the user row if needed."""
        return self._shape(self._users.ensure(caller.sub, caller.email), caller)

    def profile(self, caller: Identity) -> dict[str, Any]:
        """Return the caller's stored profile as eligibility reads it (dates as dates)."""
        return dict(self._users.ensure(caller.sub, caller.email))

    def profile_of(self, sub: str) -> dict[str, Any]:
        """Return a user's stored profile by subject (empty when unknown)."""
        row = self._users.get(sub)
        return dict(row) if row else {}

    def update_profile(self, caller: Identity, profile: dict[str, Any]) -> dict[str, Any]:
        """Replace the caller's profile with validated values."""
        self._users.ensure(caller.sub, caller.email)
        return self._shape(self._users.update_profile(caller.sub, profile), caller)

    def delete_account(self, caller: Identity) -> None:
        """Delete the caller's data (profile, bookmarks, progress, chats) and their login.

        Data goes first: if the identity provider then fails, the user can still log in and
        retry, and nothing of theirs is left behind without a way to delete it.
        """
        self._users.delete(caller.sub)
        self._identity.delete_user(caller.username)

    def _shape(self, row: dict[str, Any], caller: Identity) -> dict[str, Any]:
        data = {**user_to_json(row), "groups": list(caller.groups)}
        birth = row["birth_date"]
        data["age"] = age_on(birth, today_kst()) if birth else None
        return data

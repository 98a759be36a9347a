"""Accounts: sign-up, confirmation, log-in and the caller's own record.

Owns the rule that a FinQ user row exists for every Cognito account that signs up or calls.
"""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.auth import Identity
from chalicelib.repositories.postgres import PostgresUserRepository, user_to_json


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
        """Return the caller's identity and user record, creating the record if needed."""
        row = self._users.ensure(caller.sub, caller.email)
        return {**user_to_json(row), "groups": list(caller.groups)}

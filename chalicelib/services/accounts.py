"""Accounts: sign-up, confirmation, log-in and the caller's own record.

Owns the rule that a FinQ user row exists for every Cognito account that signs up or calls,
and that a deleted account stays deleted: its tokens, refresh tokens and log-ins are refused.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from chalicelib.auth import AccountDeleted, Identity
from chalicelib.clock import today_kst
from chalicelib.errors import AppError
from chalicelib.ports import IdentityProvider, Record, UserRepository
from chalicelib.services.eligibility import age_on

_log = logging.getLogger(__name__)


class AccountService:
    """Account use cases over the identity provider and the users table."""

    def __init__(
        self,
        identity: IdentityProvider,
        users: UserRepository,
        verify: Callable[[str | None], Identity],
    ) -> None:
        """Compose the service.

        Args:
            identity: The identity provider (Cognito).
            users: The users table.
            verify: The token verifier, which refuses tokens of deleted accounts; tokens the
                identity provider issues pass it before they reach the client.
        """
        self._identity = identity
        self._users = users
        self._verify = verify

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
        """Return tokens for valid credentials (never for a deleted account)."""
        return self._admit(self._identity.log_in(email, password))

    def set_first_password(
        self, email: str, temporary_password: str, new_password: str
    ) -> dict[str, Any]:
        """Let an invited person (staff) replace the mailed temporary password; return tokens."""
        tokens = self._identity.set_first_password(email, temporary_password, new_password)
        return self._admit(tokens)

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        """Return new ID and access tokens (never for a deleted account)."""
        return self._admit(self._identity.refresh(refresh_token))

    def me(self, caller: Identity) -> dict[str, Any]:
        """Return the caller's identity and profile, creating the user row if needed."""
        return self._shape(self._ensure(caller), caller)

    def profile(self, caller: Identity) -> dict[str, Any]:
        """Return the caller's stored profile as eligibility reads it (dates as dates)."""
        return dict(self._ensure(caller))

    def profile_of(self, sub: str) -> dict[str, Any]:
        """Return a user's stored profile by subject (empty when unknown)."""
        row = self._users.get(sub)
        return dict(row) if row else {}

    def update_profile(self, caller: Identity, profile: dict[str, Any]) -> dict[str, Any]:
        """Replace the caller's profile with validated values."""
        self._ensure(caller)
        return self._shape(self._users.update_profile(caller.sub, profile), caller)

    def delete_account(self, caller: Identity) -> None:
        """Delete the caller's data (profile, bookmarks, progress, chats) and their login.

        Data and the subject's tombstone go first, in one transaction: from then on every
        token of the account is refused. Then its refresh tokens are revoked and the login
        deleted; if the identity provider fails there, the next log-in or refresh with the
        account's credentials finishes the deletion (and is refused).
        """
        self._users.delete(caller.sub)
        self._delete_login(caller.username)

    def _delete_login(self, username: str) -> None:
        self._identity.sign_out_everywhere(username)
        self._identity.delete_user(username)

    def _admit(self, tokens: dict[str, Any]) -> dict[str, Any]:
        """Pass freshly issued tokens to the client unless their account was deleted."""
        try:
            self._verify(tokens["id_token"])
        except AccountDeleted as deleted:
            try:
                self._delete_login(deleted.identity.username)
            except AppError:
                _log.warning("could not finish deleting a deleted account's login")
            raise
        return tokens

    def _ensure(self, caller: Identity) -> dict[str, Any]:
        row = self._users.ensure(caller.sub, caller.email)
        if row is None:
            raise AccountDeleted(caller)
        return row

    def _shape(self, row: dict[str, Any], caller: Identity) -> dict[str, Any]:
        data = {**user_to_json(row), "groups": list(caller.groups)}
        birth = row["birth_date"]
        data["age"] = age_on(birth, today_kst()) if birth else None
        return data


def user_to_json(row: Record) -> dict[str, Any]:
    """Shape a user row (account and profile) for the API."""
    return {
        "sub": row["sub"],
        "email": row["email"],
        "birth_date": row["birth_date"].isoformat() if row["birth_date"] else None,
        "region_code": row["region_code"],
        "job_status": row["job_status"],
        "school_status": row["school_status"],
        "marital_status": row["marital_status"],
        "annual_income": row["annual_income"],
        "interests": list(row["interests"] or []),
        "language": row.get("language") or "ko",
        "created_at": row["created_at"].isoformat(),
    }

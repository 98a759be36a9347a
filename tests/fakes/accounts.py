"""Fakes of the identity provider and the user repository (ports.IdentityProvider, UserRepository)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from chalicelib.errors import Conflict, Forbidden, Unauthenticated
from chalicelib.ports import Record

_PROFILE_FIELDS = (
    "birth_date",
    "region_code",
    "job_status",
    "school_status",
    "marital_status",
    "annual_income",
    "interests",
)


class FakeUserRepository:
    """Users in a dict, with the tombstones of deleted accounts."""

    def __init__(self) -> None:
        self.users: dict[str, Record] = {}
        self.deleted: set[str] = set()

    def ensure(self, sub: str, email: str) -> Record | None:
        if sub in self.deleted:
            return None
        now = dt.datetime.now(dt.UTC)
        user = self.users.get(sub)
        if user is None:
            user = {"sub": sub, "email": email, "created_at": now, "updated_at": now}
            user.update({name: None for name in _PROFILE_FIELDS}, language="ko")
            self.users[sub] = user
        elif email and user["email"] != email:
            user.update(email=email, updated_at=now)
        return dict(user)

    def get(self, sub: str) -> Record | None:
        user = self.users.get(sub)
        return dict(user) if user else None

    def update_profile(self, sub: str, profile: dict[str, Any]) -> Record:
        user = self.users[sub]
        user.update({name: profile[name] for name in _PROFILE_FIELDS})
        user["language"] = profile.get("language", "ko")
        user["updated_at"] = dt.datetime.now(dt.UTC)
        return dict(user)

    def is_deleted(self, sub: str) -> bool:
        return sub in self.deleted

    def delete(self, sub: str) -> bool:
        self.deleted.add(sub)
        return self.users.pop(sub, None) is not None


class FakeIdentityProvider:
    """Logins in a dict; tokens are opaque strings naming the login."""

    def __init__(self) -> None:
        self.logins: dict[str, dict[str, Any]] = {}
        self.signed_out: list[str] = []

    def sign_up(self, email: str, password: str) -> dict[str, Any]:
        if email in self.logins:
            raise Conflict("an account with this email already exists")
        sub = str(uuid.uuid4())
        self.logins[email] = {"sub": sub, "password": password, "refresh": f"refresh-{sub}"}
        return {"sub": sub, "email": email, "confirmed": True}

    def confirm(self, email: str, code: str) -> None:
        if email not in self.logins:
            raise Unauthenticated("the email or password is wrong")

    def log_in(self, email: str, password: str) -> dict[str, Any]:
        login = self.logins.get(email)
        if login is None or login["password"] != password:
            raise Unauthenticated("the email or password is wrong")
        if login.get("invited"):
            raise Forbidden(
                "the account needs an extra sign-in step: NEW_PASSWORD_REQUIRED",
                code="challenge_required",
            )
        return self._tokens(email, login)

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        for email, login in self.logins.items():
            if login["refresh"] == refresh_token:
                return self._tokens(email, login)
        raise Unauthenticated("the refresh token is not valid")

    def set_first_password(
        self, email: str, temporary_password: str, new_password: str
    ) -> dict[str, Any]:
        login = self.logins.get(email)
        if login is None or login["password"] != temporary_password:
            raise Unauthenticated("the email or password is wrong")
        if not login.get("invited"):
            raise Conflict(
                "this account already has its own password; log in with it",
                code="password_already_set",
            )
        login.update(password=new_password, invited=False)
        return self._tokens(email, login)

    def invite(self, email: str, temporary_password: str) -> None:
        """Test set-up: a login created by an admin, with a temporary password."""
        self.logins[email] = {
            "sub": str(uuid.uuid4()),
            "password": temporary_password,
            "refresh": f"refresh-{email}",
            "invited": True,
        }

    def sign_out_everywhere(self, username: str) -> None:
        login = self.logins.get(username)
        if login is not None:
            login["refresh"] = f"revoked-{uuid.uuid4()}"
            self.signed_out.append(username)

    def delete_user(self, username: str) -> None:
        self.logins.pop(username, None)

    @staticmethod
    def _tokens(email: str, login: dict[str, Any]) -> dict[str, Any]:
        return {
            "id_token": f"id:{login['sub']}:{email}",
            "access_token": f"access:{login['sub']}",
            "refresh_token": login["refresh"],
            "expires_in": 3600,
            "token_type": "Bearer",
        }

"""A tenant's staff logins and their groups in one Cognito user pool (ports.StaffDirectory).

Owns how a login is invited: Cognito mails its own invitation, or (configured) FinQ makes the
temporary password, Cognito sends nothing, and an InvitationSender delivers it. Never logs or
returns a password.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.aws.cognito import translate_error
from chalicelib.errors import Conflict
from chalicelib.ports import Invitation, InvitationSender, StaffMember

logger = logging.getLogger(__name__)

# Temporary passwords are read from a mail and typed: no look-alikes (0/O, 1/l/I), and symbols
# Cognito counts as special that need no escaping in JSON or a shell's double quotes.
_LOWER = "abcdefghijkmnopqrstuvwxyz"
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"
_SYMBOLS = "#%+-=_"
# Above any sensible pool minimum (Cognito's default is 8), with every class a policy can demand.
TEMPORARY_PASSWORD_LENGTH = 20


def temporary_password(length: int = TEMPORARY_PASSWORD_LENGTH) -> str:
    """Return a random password with a lowercase and uppercase letter, a digit and a symbol."""
    classes = (_LOWER, _UPPER, _DIGITS, _SYMBOLS)
    alphabet = "".join(classes)
    chosen = [secrets.choice(c) for c in classes]
    chosen += [secrets.choice(alphabet) for _ in range(length - len(classes))]
    secrets.SystemRandom().shuffle(chosen)
    return "".join(chosen)


class CognitoStaffDirectory:
    """Staff logins and their groups in one Cognito user pool (ports.StaffDirectory)."""

    def __init__(
        self, client: Any, user_pool_id: str, invitations: InvitationSender | None = None
    ) -> None:
        """Wrap a ready ``cognito-idp`` client (moto's server locally) and the pool's id.

        Args:
            client: boto3 ``cognito-idp`` client.
            user_pool_id: The pool the logins live in.
            invitations: None: Cognito mails each invitation (the pool's message template).
                Otherwise FinQ sets a random temporary password, Cognito sends nothing, and
                ``invitations`` delivers it (local mode, where moto's Cognito mails nothing).
        """
        self._client = client
        self._pool = user_pool_id
        self._invitations = invitations

    def member(self, username: str) -> StaffMember | None:
        """Return a login, or None when there is none."""
        try:
            user = self._client.admin_get_user(UserPoolId=self._pool, Username=username)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "UserNotFoundException":
                return None
            raise translate_error(exc) from exc
        return _member(user, user.get("UserAttributes", []))

    def invite(self, email: str, invitation: Invitation) -> StaffMember:
        """Create a login in FORCE_CHANGE_PASSWORD and have its temporary password delivered.

        Raises:
            Conflict: A login with this email exists.
            UpstreamUnavailable: Cognito failed, or the invitation could not be delivered (the
                new login is then deleted, so inviting again starts afresh).
        """
        if self._invitations is None:
            return self._create(email, DesiredDeliveryMediums=["EMAIL"])
        password = temporary_password()
        member = self._create(email, MessageAction="SUPPRESS", TemporaryPassword=password)
        try:
            self._invitations.send(email, password, invitation)
        except Exception:
            # Nobody could ever learn this password: drop the login rather than strand it.
            logger.warning("invitation to a new staff login failed; deleting the login")
            self._call("admin_delete_user", Username=email)
            raise
        return member

    def reinvite(self, username: str, invitation: Invitation) -> StaffMember:
        """Give a login still waiting for its password a new temporary one, delivered again.

        Cognito's own invitations: ``MessageAction=RESEND`` (a new password and expiry). FinQ's:
        a new random temporary password (``Permanent=False``), then the mail; when the mail
        fails the login stays (the next reinvite sends another) and the error is raised.
        """
        if self._invitations is None:
            try:
                user = self._client.admin_create_user(
                    UserPoolId=self._pool,
                    Username=username,
                    MessageAction="RESEND",
                    DesiredDeliveryMediums=["EMAIL"],
                )["User"]
            except ClientError as exc:
                raise translate_error(exc) from exc
            return _member(user, user.get("Attributes", []))
        password = temporary_password()
        try:
            self._client.admin_set_user_password(
                UserPoolId=self._pool, Username=username, Password=password, Permanent=False
            )
        except ClientError as exc:
            raise translate_error(exc) from exc
        member = self.member(username)
        if member is None:
            raise Conflict("the login is gone")
        self._invitations.send(member["email"], password, invitation)
        return member

    def _create(self, email: str, **delivery: Any) -> StaffMember:
        try:
            user = self._client.admin_create_user(
                UserPoolId=self._pool,
                Username=email,
                UserAttributes=[
                    {"Name": "email", "Value": email},
                    {"Name": "email_verified", "Value": "true"},
                ],
                **delivery,
            )["User"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "UsernameExistsException":
                raise Conflict("a login with this email exists") from exc
            raise translate_error(exc) from exc
        return _member(user, user.get("Attributes", []))

    def groups_of(self, username: str) -> list[str]:
        """Return the groups a login is in."""
        groups: list[str] = []
        try:
            pages = self._client.get_paginator("admin_list_groups_for_user").paginate(
                UserPoolId=self._pool, Username=username
            )
            for page in pages:
                groups += [g["GroupName"] for g in page.get("Groups", [])]
        except ClientError as exc:
            raise translate_error(exc) from exc
        return groups

    def add_to_group(self, username: str, group: str) -> None:
        """Put a login in a group (a member already in it stays)."""
        self._call("admin_add_user_to_group", Username=username, GroupName=group)

    def remove_from_group(self, username: str, group: str) -> None:
        """Take a login out of a group (one not in it is fine)."""
        self._call("admin_remove_user_from_group", Username=username, GroupName=group)

    def set_enabled(self, username: str, enabled: bool) -> None:
        """Enable or disable a login (a disabled login cannot sign in)."""
        operation = "admin_enable_user" if enabled else "admin_disable_user"
        self._call(operation, Username=username)

    def members(self, group: str) -> list[StaffMember]:
        """Return every login in a group, by email."""
        found: list[StaffMember] = []
        try:
            pages = self._client.get_paginator("list_users_in_group").paginate(
                UserPoolId=self._pool, GroupName=group
            )
            for page in pages:
                found += [_member(u, u.get("Attributes", [])) for u in page.get("Users", [])]
        except ClientError as exc:
            raise translate_error(exc) from exc
        return sorted(found, key=lambda m: m["email"])

    def _call(self, operation: str, **params: str) -> None:
        try:
            getattr(self._client, operation)(UserPoolId=self._pool, **params)
        except ClientError as exc:
            raise translate_error(exc) from exc


def _member(user: dict[str, Any], attributes: list[dict[str, str]]) -> StaffMember:
    """Return the staff view of a Cognito user (only its name, email, state and creation)."""
    values = {a["Name"]: a["Value"] for a in attributes}
    created = user.get("UserCreateDate")
    return {
        "username": str(user["Username"]),
        "email": values.get("email", str(user["Username"])),
        "enabled": bool(user.get("Enabled", True)),
        "status": str(user.get("UserStatus", "UNKNOWN")),
        "created_at": created.isoformat(timespec="milliseconds") if created else None,
    }

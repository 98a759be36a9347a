"""A tenant's staff as its tenant admins manage them: invite, list, remove.

Owns who may act (the tenant's admins, on their own tenant's staff group only) and what adding
and removing mean (a login with an invitation mail + the staff group; out of the group and
disabled). Logins and groups are a StaffDirectory port; no identity-provider calls here.
"""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.errors import Conflict, Forbidden, NotFound
from chalicelib.ports import Invitation, StaffDirectory, StaffMember
from chalicelib.services.desk.tenants import PLATFORM_ADMINS, staff_tenant, tenant_groups


def admin_tenant(groups: tuple[str, ...]) -> str:
    """Return the tenant whose admin the caller is (from their groups), or raise Forbidden."""
    tenant_id = staff_tenant(groups)
    if tenant_groups(tenant_id)[1] not in groups:
        raise Forbidden("only the tenant's admins manage its staff")
    return tenant_id


def _is_tenant_group(group: str) -> bool:
    return group.startswith("tenant-") or group == PLATFORM_ADMINS


class TeamService:
    """Tenant admins at work on their staff."""

    def __init__(self, directory: StaffDirectory, tenant_name: Callable[[str], str]) -> None:
        """Use ``directory`` for logins, groups; ``tenant_name`` names a tenant in invitations."""
        self._directory = directory
        self._tenant_name = tenant_name

    def staff(self, tenant_id: str) -> list[StaffMember]:
        """Return the tenant's staff (its staff group's members), by email."""
        return self._directory.members(tenant_groups(tenant_id)[0])

    def add(self, tenant_id: str, email: str, invited_by: str) -> tuple[StaffMember, bool]:
        """Make ``email`` staff of the tenant; return the member and whether it is new.

        A new email gets a login and an invitation mail (naming ``invited_by`` and the tenant);
        an existing login (a FinQ user, or staff this tenant removed) joins the group and is
        enabled, with no mail. Adding a member again changes nothing, except that a member who
        never set a password (the invitation lost, or its temporary password expired) is
        invited again: a new temporary password, mailed. Staff or admins of another tenant (or
        the platform) cannot be added: a login serves one desk (its token names one tenant).
        """
        group = tenant_groups(tenant_id)[0]
        member = self._directory.member(email)
        if member is None:
            member = self._directory.invite(email, self._invitation(tenant_id, invited_by))
        else:
            groups = self._directory.groups_of(member["username"])
            if group in groups and member["enabled"]:
                if member["status"] == "FORCE_CHANGE_PASSWORD":
                    invitation = self._invitation(tenant_id, invited_by)
                    member = self._directory.reinvite(member["username"], invitation)
                return member, False
            if any(_is_tenant_group(g) and g not in tenant_groups(tenant_id) for g in groups):
                raise Conflict("this login cannot join this desk", code="staff_unavailable")
        self._directory.add_to_group(member["username"], group)
        if not member["enabled"]:
            self._directory.set_enabled(member["username"], True)
        return {**member, "enabled": True}, True

    def _invitation(self, tenant_id: str, invited_by: str) -> Invitation:
        return Invitation(
            tenant_id=tenant_id, tenant_name=self._tenant_name(tenant_id), invited_by=invited_by
        )

    def remove(self, tenant_id: str, username: str, caller: str) -> None:
        """Take a member out of the tenant's staff group and disable the login.

        Raises:
            NotFound: The login is not this tenant's staff (also another tenant's member).
            Forbidden: An admin removing their own login (they would lock themselves out).
        """
        group = tenant_groups(tenant_id)[0]
        member = self._directory.member(username) if len(username) <= 128 else None
        if member is None or group not in self._directory.groups_of(member["username"]):
            raise NotFound("no such staff member")
        if caller in (member["username"], member["email"]):
            raise Forbidden("you cannot remove your own login")
        self._directory.remove_from_group(member["username"], group)
        self._directory.set_enabled(member["username"], False)

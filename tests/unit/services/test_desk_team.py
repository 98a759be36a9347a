"""Tenant admins managing their staff, with an in-memory staff directory."""

from __future__ import annotations

import pytest

from chalicelib.errors import Conflict, Forbidden, NotFound
from chalicelib.services.desk.team import TeamService, admin_tenant
from tests.fakes.desk import InMemoryStaffDirectory

NAMES = {"acme": "Acme 쇼핑", "other": "Other"}


def _team() -> tuple[TeamService, InMemoryStaffDirectory]:
    directory = InMemoryStaffDirectory()
    return TeamService(directory, NAMES.__getitem__), directory


def test_adding_a_new_email_invites_it_into_the_staff_group():
    team, directory = _team()
    member, created = team.add("acme", "kim@acme.test", "boss@acme.test")
    assert created is True
    assert (member["email"], member["enabled"]) == ("kim@acme.test", True)
    assert directory.invitations == ["kim@acme.test"]
    assert directory.sent == [
        (
            "kim@acme.test",
            {"tenant_id": "acme", "tenant_name": "Acme 쇼핑", "invited_by": "boss@acme.test"},
        )
    ]
    assert directory.groups_of("kim@acme.test") == ["tenant-acme-staff"]
    assert [m["email"] for m in team.staff("acme")] == ["kim@acme.test"]


def test_adding_a_member_who_never_logged_in_again_invites_them_again():
    team, directory = _team()
    first, _ = team.add("acme", "kim@acme.test", "boss@acme.test")
    again, created = team.add("acme", "kim@acme.test", "lee@acme.test")
    assert created is False and again == first
    assert directory.invitations == ["kim@acme.test", "kim@acme.test"]
    assert directory.sent[-1][1]["invited_by"] == "lee@acme.test"


def test_adding_a_member_with_a_password_again_changes_nothing_and_mails_nothing():
    team, directory = _team()
    first, _ = team.add("acme", "kim@acme.test", "boss@acme.test")
    directory.logins["kim@acme.test"]["status"] = "CONFIRMED"
    again, created = team.add("acme", "kim@acme.test", "boss@acme.test")
    assert created is False and again == {**first, "status": "CONFIRMED"}
    assert directory.invitations == ["kim@acme.test"]


def test_an_existing_login_joins_without_a_new_invitation():
    team, directory = _team()
    directory.invite("user@example.com", {"tenant_id": "x", "tenant_name": "X", "invited_by": "a"})
    member, created = team.add("acme", "user@example.com", "boss@acme.test")
    assert created is True and member["username"] == "user@example.com"
    assert directory.invitations == ["user@example.com"]  # only the first, not ours


def test_staff_of_another_tenant_cannot_be_added():
    team, directory = _team()
    team.add("other", "lee@other.test", "boss@acme.test")
    with pytest.raises(Conflict):
        team.add("acme", "lee@other.test", "boss@acme.test")
    assert directory.groups_of("lee@other.test") == ["tenant-other-staff"]


def test_removing_takes_the_member_out_and_disables_the_login():
    team, directory = _team()
    team.add("acme", "kim@acme.test", "boss@acme.test")
    team.remove("acme", "kim@acme.test", caller="boss@acme.test")
    assert team.staff("acme") == []
    assert directory.member("kim@acme.test")["enabled"] is False
    with pytest.raises(NotFound):  # gone already: the state stays as it is
        team.remove("acme", "kim@acme.test", caller="boss@acme.test")


def test_a_removed_member_added_again_is_enabled_and_back_in_the_group():
    team, directory = _team()
    team.add("acme", "kim@acme.test", "boss@acme.test")
    team.remove("acme", "kim@acme.test", caller="boss@acme.test")
    member, created = team.add("acme", "kim@acme.test", "boss@acme.test")
    assert created is True and member["enabled"] is True
    assert directory.member("kim@acme.test")["enabled"] is True
    assert directory.invitations == ["kim@acme.test"]


def test_another_tenants_member_is_not_found_and_untouched():
    team, directory = _team()
    team.add("other", "lee@other.test", "boss@acme.test")
    with pytest.raises(NotFound):
        team.remove("acme", "lee@other.test", caller="boss@acme.test")
    with pytest.raises(NotFound):
        team.remove("acme", "nobody@acme.test", caller="boss@acme.test")
    assert directory.member("lee@other.test")["enabled"] is True
    assert directory.groups_of("lee@other.test") == ["tenant-other-staff"]


def test_an_admin_cannot_remove_their_own_login():
    team, directory = _team()
    team.add("acme", "boss@acme.test", "boss@acme.test")
    with pytest.raises(Forbidden):
        team.remove("acme", "boss@acme.test", caller="boss@acme.test")
    assert directory.member("boss@acme.test")["enabled"] is True


def test_only_a_tenant_admin_has_an_admin_tenant():
    assert admin_tenant(("tenant-acme-admin",)) == "acme"
    assert admin_tenant(("tenant-acme-staff", "tenant-acme-admin")) == "acme"
    with pytest.raises(Forbidden):
        admin_tenant(("tenant-acme-staff",))
    with pytest.raises(Forbidden):
        admin_tenant(("platform-admins",))

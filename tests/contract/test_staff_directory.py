"""Contract: the in-memory staff directory behaves as Cognito (in the moto server) does."""

from __future__ import annotations

import uuid

import pytest

from chalicelib.aws.cognito_staff import CognitoStaffDirectory
from chalicelib.errors import Conflict
from chalicelib.ports import Invitation
from chalicelib.services.desk.invitations import InvitationMail
from tests.fakes.desk import InMemoryStaffDirectory

INVITATION = Invitation(tenant_id="acme", tenant_name="Acme", invited_by="boss@acme.test")


@pytest.fixture(params=["fake", "cognito-mails", "finq-mails"])
def directory(request):
    """The fake, and Cognito (moto's) with each way an invitation can be delivered."""
    if request.param == "fake":
        return InMemoryStaffDirectory()
    stack = request.getfixturevalue("stack")
    mail = InvitationMail(stack.mailer) if request.param == "finq-mails" else None
    return CognitoStaffDirectory(stack.cognito, stack.cognito_ids[0], mail)


@pytest.fixture
def group(request, directory):
    name = f"tenant-{uuid.uuid4().hex[:8]}-staff"
    if not isinstance(directory, InMemoryStaffDirectory):
        request.getfixturevalue("stack").identity_provider.ensure_group(name)
    return name


def _email() -> str:
    return f"staff-{uuid.uuid4().hex[:10]}@acme.test"


def test_an_invited_login_is_enabled_and_waits_for_its_password(directory):
    email = _email()
    member = directory.invite(email, INVITATION)
    assert (member["username"], member["email"]) == (email, email)
    assert (member["enabled"], member["status"]) == (True, "FORCE_CHANGE_PASSWORD")
    assert member["created_at"]
    assert directory.member(email) == member


def test_inviting_an_existing_login_is_a_conflict(directory):
    email = _email()
    directory.invite(email, INVITATION)
    with pytest.raises(Conflict):
        directory.invite(email, INVITATION)


def test_an_unknown_login_is_none(directory):
    assert directory.member(_email()) is None


def test_group_membership_is_listed_both_ways_and_repeats_are_harmless(directory, group):
    first, second = sorted([_email(), _email()])
    for email in (second, first):
        directory.invite(email, INVITATION)
        directory.add_to_group(email, group)
    directory.add_to_group(first, group)
    assert [m["email"] for m in directory.members(group)] == [first, second]
    assert directory.groups_of(first) == [group]
    directory.remove_from_group(first, group)
    directory.remove_from_group(first, group)
    assert [m["email"] for m in directory.members(group)] == [second]
    assert directory.groups_of(first) == []


def test_disabling_and_enabling_a_login(directory, group):
    email = _email()
    directory.invite(email, INVITATION)
    directory.add_to_group(email, group)
    directory.set_enabled(email, False)
    assert directory.member(email)["enabled"] is False
    assert directory.members(group)[0]["enabled"] is False
    directory.set_enabled(email, True)
    assert directory.member(email)["enabled"] is True


def test_a_login_waiting_for_its_password_is_invited_again(directory, request):
    email = _email()
    directory.invite(email, INVITATION)
    again = directory.reinvite(email, INVITATION)
    assert (again["email"], again["status"], again["enabled"]) == (
        email,
        "FORCE_CHANGE_PASSWORD",
        True,
    )
    assert directory.member(email)["status"] == "FORCE_CHANGE_PASSWORD"

"""Contract: the user repository and identity provider fakes behave as the real adapters.

Each test runs against the fake and against PostgreSQL / Cognito in the moto server.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from chalicelib.errors import Conflict, Forbidden, Unauthenticated
from tests.fakes.accounts import FakeIdentityProvider, FakeUserRepository

PROFILE = {
    "birth_date": dt.date(1999, 5, 1),
    "region_code": "11440",
    "job_status": "employed",
    "school_status": None,
    "marital_status": None,
    "annual_income": 3000,
    "interests": ["housing"],
}


@pytest.fixture(params=["fake", "postgres"])
def users(request):
    if request.param == "fake":
        return FakeUserRepository()
    return request.getfixturevalue("stack").users


@pytest.fixture(params=["fake", "cognito"])
def identity(request):
    if request.param == "fake":
        return FakeIdentityProvider()
    return request.getfixturevalue("stack").identity_provider


def _sub() -> str:
    return str(uuid.uuid4())


def test_ensure_creates_once_and_keeps_the_row(users):
    sub = _sub()
    first = users.ensure(sub, "a@example.com")
    again = users.ensure(sub, "a@example.com")
    assert first["sub"] == again["sub"] == sub
    assert first["email"] == "a@example.com"
    assert first["created_at"] == again["created_at"]
    assert users.get(sub)["email"] == "a@example.com"


def test_ensure_updates_a_changed_email_but_never_blanks_it(users):
    sub = _sub()
    users.ensure(sub, "old@example.com")
    assert users.ensure(sub, "new@example.com")["email"] == "new@example.com"
    assert users.ensure(sub, "")["email"] == "new@example.com"


def test_unknown_user_is_none(users):
    assert users.get(_sub()) is None
    assert users.is_deleted(_sub()) is False


def test_profile_update_replaces_every_field(users):
    sub = _sub()
    users.ensure(sub, "p@example.com")
    row = users.update_profile(sub, PROFILE)
    assert {name: row[name] for name in PROFILE} == {**PROFILE, "interests": ["housing"]}
    cleared = users.update_profile(sub, {**{name: None for name in PROFILE}, "interests": []})
    assert cleared["birth_date"] is None and cleared["annual_income"] is None
    assert list(cleared["interests"] or []) == []


def test_language_is_korean_until_the_profile_says_otherwise(users):
    sub = _sub()
    assert users.ensure(sub, "l@example.com")["language"] == "ko"
    assert users.update_profile(sub, {**PROFILE, "language": "en"})["language"] == "en"
    assert users.update_profile(sub, PROFILE)["language"] == "ko"  # left out: cleared


def test_a_deleted_user_stays_deleted(users):
    sub = _sub()
    users.ensure(sub, "d@example.com")
    assert users.delete(sub) is True
    assert users.is_deleted(sub) is True
    assert users.get(sub) is None
    assert users.ensure(sub, "d@example.com") is None
    assert users.delete(sub) is False


def _email() -> str:
    return f"user-{uuid.uuid4().hex[:10]}@example.com"


def test_sign_up_then_log_in_and_refresh(identity):
    email = _email()
    account = identity.sign_up(email, "Passw0rd-long")
    assert account["email"] == email and account["confirmed"] is True and account["sub"]
    tokens = identity.log_in(email, "Passw0rd-long")
    assert tokens["id_token"] and tokens["refresh_token"] and tokens["token_type"] == "Bearer"
    refreshed = identity.refresh(tokens["refresh_token"])
    assert refreshed["id_token"]


def test_a_second_sign_up_with_the_same_email_conflicts(identity):
    email = _email()
    identity.sign_up(email, "Passw0rd-long")
    with pytest.raises(Conflict):
        identity.sign_up(email, "Passw0rd-long")


def test_a_wrong_password_and_an_unknown_email_fail_alike(identity):
    email = _email()
    identity.sign_up(email, "Passw0rd-long")
    with pytest.raises(Unauthenticated) as wrong:
        identity.log_in(email, "Wrong-passw0rd")
    with pytest.raises(Unauthenticated) as unknown:
        identity.log_in(_email(), "Passw0rd-long")
    assert wrong.value.message == unknown.value.message


def test_a_deleted_login_cannot_log_in_and_deleting_again_is_fine(identity):
    email = _email()
    identity.sign_up(email, "Passw0rd-long")
    identity.sign_out_everywhere(email)
    identity.delete_user(email)
    identity.delete_user(email)
    identity.sign_out_everywhere(email)
    with pytest.raises(Unauthenticated):
        identity.log_in(email, "Passw0rd-long")


def _invite(identity, request, email: str, temporary: str) -> None:
    """An admin created the login with a temporary password (mailed; here set directly)."""
    if isinstance(identity, FakeIdentityProvider):
        identity.invite(email, temporary)
        return
    stack = request.getfixturevalue("stack")
    pool_id, _ = stack.cognito_ids
    stack.cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=email,
        TemporaryPassword=temporary,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}],
    )


def test_an_invited_login_sets_its_own_password_once(identity, request):
    email = _email()
    _invite(identity, request, email, "Temp-passw0rd")
    with pytest.raises(Forbidden) as challenge:
        identity.log_in(email, "Temp-passw0rd")
    assert challenge.value.code == "challenge_required"
    with pytest.raises(Unauthenticated):
        identity.set_first_password(email, "Wrong-temp0", "Own-passw0rd-1")
    tokens = identity.set_first_password(email, "Temp-passw0rd", "Own-passw0rd-1")
    assert tokens["id_token"] and tokens["token_type"] == "Bearer"
    assert identity.log_in(email, "Own-passw0rd-1")["id_token"]
    with pytest.raises(Conflict) as again:
        identity.set_first_password(email, "Own-passw0rd-1", "Other-passw0rd-2")
    assert again.value.code == "password_already_set"

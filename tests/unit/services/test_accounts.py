"""AccountService rules, in milliseconds, over fakes of the identity provider and user table."""

from __future__ import annotations

import datetime as dt

import pytest

from chalicelib.auth import AccountDeleted, Identity
from chalicelib.errors import UpstreamUnavailable
from chalicelib.services.accounts import AccountService
from tests.fakes.accounts import FakeIdentityProvider, FakeUserRepository


class _Verifier:
    """Reads the fake's ``id:<sub>:<email>`` tokens and refuses deleted accounts, as the real one."""

    def __init__(self, users: FakeUserRepository) -> None:
        self.users = users

    def __call__(self, token: str | None) -> Identity:
        _, sub, email = str(token).split(":", 2)
        identity = Identity(sub=sub, email=email, username=email)
        if self.users.is_deleted(sub):
            raise AccountDeleted(identity)
        return identity


@pytest.fixture
def parts():
    users, identity = FakeUserRepository(), FakeIdentityProvider()
    return AccountService(identity, users, _Verifier(users)), users, identity


def _caller(account: dict, email: str) -> Identity:
    return Identity(sub=account["sub"], email=email, username=email, groups=("staff",))


def test_sign_up_creates_the_user_row(parts):
    service, users, _ = parts
    account = service.sign_up("a@example.com", "pw")
    assert users.get(account["sub"])["email"] == "a@example.com"


def test_me_shapes_the_profile_with_age_and_groups(parts):
    service, users, _ = parts
    account = service.sign_up("b@example.com", "pw")
    caller = _caller(account, "b@example.com")
    users.update_profile(
        account["sub"],
        {
            "birth_date": dt.date(2000, 1, 1),
            "region_code": "11440",
            "job_status": None,
            "school_status": None,
            "marital_status": None,
            "annual_income": None,
            "interests": ["jobs"],
        },
    )
    me = service.me(caller)
    assert me["birth_date"] == "2000-01-01"
    assert me["age"] >= 26
    assert me["groups"] == ["staff"]
    assert me["interests"] == ["jobs"]


def test_deleted_account_is_refused_everywhere(parts):
    service, users, identity = parts
    account = service.sign_up("c@example.com", "pw")
    caller = _caller(account, "c@example.com")
    service.delete_account(caller)
    assert users.is_deleted(account["sub"])
    assert "c@example.com" not in identity.logins
    with pytest.raises(AccountDeleted):
        service.me(caller)


def test_log_in_of_a_deleted_account_finishes_the_deletion(parts):
    service, users, identity = parts
    account = service.sign_up("d@example.com", "pw")
    users.delete(account["sub"])  # the data went, the login deletion was interrupted
    with pytest.raises(AccountDeleted):
        service.log_in("d@example.com", "pw")
    assert "d@example.com" not in identity.logins
    assert identity.signed_out == ["d@example.com"]


def test_identity_provider_outage_during_cleanup_still_refuses(parts):
    service, users, identity = parts
    account = service.sign_up("e@example.com", "pw")
    users.delete(account["sub"])

    def down(username: str) -> None:
        raise UpstreamUnavailable("the identity provider failed")

    identity.sign_out_everywhere = down
    with pytest.raises(AccountDeleted):
        service.log_in("e@example.com", "pw")

"""CognitoStaffDirectory: the exact invitation requests of each delivery, and a failed mail."""

from __future__ import annotations

import re

import boto3
import pytest
from botocore.stub import ANY, Stubber

from chalicelib.aws.cognito_staff import CognitoStaffDirectory, temporary_password
from chalicelib.aws.ses import SesMailer
from chalicelib.errors import Conflict, UpstreamUnavailable
from chalicelib.ports import Invitation
from chalicelib.services.desk.invitations import InvitationMail

INVITATION = Invitation(tenant_id="acme", tenant_name="Acme", invited_by="boss@acme.test")
ATTRIBUTES = [
    {"Name": "email", "Value": "kim@acme.test"},
    {"Name": "email_verified", "Value": "true"},
]
CREATED = {
    "User": {
        "Username": "kim@acme.test",
        "Attributes": ATTRIBUTES,
        "Enabled": True,
        "UserStatus": "FORCE_CHANGE_PASSWORD",
    }
}


def _clients() -> tuple[object, object]:
    region = "ap-northeast-2"
    return boto3.client("cognito-idp", region_name=region), boto3.client("ses", region_name=region)


def test_cognito_delivery_asks_cognito_to_mail_the_invitation():
    cognito, _ = _clients()
    stubber = Stubber(cognito)
    expected = {
        "UserPoolId": "pool",
        "Username": "kim@acme.test",
        "UserAttributes": ATTRIBUTES,
        "DesiredDeliveryMediums": ["EMAIL"],
    }
    stubber.add_response("admin_create_user", CREATED, expected)
    with stubber:
        member = CognitoStaffDirectory(cognito, "pool").invite("kim@acme.test", INVITATION)
    assert (member["email"], member["status"]) == ("kim@acme.test", "FORCE_CHANGE_PASSWORD")
    stubber.assert_no_pending_responses()


def _mailing(cognito, ses) -> CognitoStaffDirectory:
    return CognitoStaffDirectory(
        cognito, "pool", InvitationMail(SesMailer(ses, "no-reply@finq.local"))
    )


def _suppressed() -> dict:
    return {
        "UserPoolId": "pool",
        "Username": "kim@acme.test",
        "UserAttributes": ATTRIBUTES,
        "MessageAction": "SUPPRESS",
        "TemporaryPassword": ANY,
    }


def test_mail_delivery_suppresses_cognitos_mail_and_sends_its_own():
    cognito, ses = _clients()
    idp, mail = Stubber(cognito), Stubber(ses)
    idp.add_response("admin_create_user", CREATED, _suppressed())
    mail.add_response(
        "send_email",
        {"MessageId": "m-1"},
        {
            "Source": "no-reply@finq.local",
            "Destination": {"ToAddresses": ["kim@acme.test"]},
            "Message": ANY,
        },
    )
    with idp, mail:
        member = _mailing(cognito, ses).invite("kim@acme.test", INVITATION)
    assert member["username"] == "kim@acme.test"
    idp.assert_no_pending_responses()
    mail.assert_no_pending_responses()


def test_a_refused_mail_deletes_the_new_login_and_is_unavailable():
    cognito, ses = _clients()
    idp, mail = Stubber(cognito), Stubber(ses)
    idp.add_response("admin_create_user", CREATED, _suppressed())
    mail.add_client_error("send_email", service_error_code="MessageRejected")
    idp.add_response("admin_delete_user", {}, {"UserPoolId": "pool", "Username": "kim@acme.test"})
    with idp, mail, pytest.raises(UpstreamUnavailable):
        _mailing(cognito, ses).invite("kim@acme.test", INVITATION)
    idp.assert_no_pending_responses()


def test_an_existing_login_is_a_conflict_and_nothing_is_mailed():
    cognito, ses = _clients()
    idp, mail = Stubber(cognito), Stubber(ses)
    idp.add_client_error("admin_create_user", service_error_code="UsernameExistsException")
    with idp, mail, pytest.raises(Conflict):
        _mailing(cognito, ses).invite("kim@acme.test", INVITATION)
    idp.assert_no_pending_responses()


def test_temporary_passwords_have_every_class_no_look_alikes_and_differ():
    passwords = {temporary_password() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        assert len(password) == 20
        for pattern in ("[a-z]", "[A-Z]", "[0-9]", "[#%+=_-]"):
            assert re.search(pattern, password), (pattern, password)
        assert not set(password) & set("0O1lI")


def test_cognito_delivery_reinvites_with_resend():
    cognito, _ = _clients()
    stubber = Stubber(cognito)
    expected = {
        "UserPoolId": "pool",
        "Username": "kim@acme.test",
        "MessageAction": "RESEND",
        "DesiredDeliveryMediums": ["EMAIL"],
    }
    stubber.add_response("admin_create_user", CREATED, expected)
    with stubber:
        member = CognitoStaffDirectory(cognito, "pool").reinvite("kim@acme.test", INVITATION)
    assert member["status"] == "FORCE_CHANGE_PASSWORD"
    stubber.assert_no_pending_responses()


def test_mail_delivery_reinvites_with_a_new_temporary_password_it_mails():
    cognito, ses = _clients()
    idp, mail = Stubber(cognito), Stubber(ses)
    idp.add_response(
        "admin_set_user_password",
        {},
        {"UserPoolId": "pool", "Username": "kim@acme.test", "Password": ANY, "Permanent": False},
    )
    idp.add_response(
        "admin_get_user",
        {k: v for k, v in CREATED["User"].items() if k != "Attributes"}
        | {"UserAttributes": ATTRIBUTES},
        {"UserPoolId": "pool", "Username": "kim@acme.test"},
    )
    mail.add_response(
        "send_email",
        {"MessageId": "m-2"},
        {"Source": "no-reply@finq.local", "Destination": {"ToAddresses": ["kim@acme.test"]},
         "Message": ANY},
    )  # fmt: skip
    with idp, mail:
        member = _mailing(cognito, ses).reinvite("kim@acme.test", INVITATION)
    assert member["email"] == "kim@acme.test"
    idp.assert_no_pending_responses()
    mail.assert_no_pending_responses()

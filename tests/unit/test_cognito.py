"""CognitoIdentityProvider: error mapping (Stubber) and the unconfirmed-account flow (moto)."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.aws.clients import client as aws_client
from chalicelib.aws.cognito import CognitoIdentityProvider, find_cognito_ids
from chalicelib.errors import Conflict, Forbidden, InvalidInput, TooManyRequests, Unauthenticated
from tests.factories import PASSWORD, unique_email


def _stubbed() -> tuple[CognitoIdentityProvider, Stubber]:
    raw = boto3.client("cognito-idp", region_name="ap-northeast-2")
    provider = CognitoIdentityProvider(
        raw, user_pool_id="pool", client_id="cid", auto_confirm=False
    )
    return provider, Stubber(raw)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("UsernameExistsException", Conflict),
        ("InvalidPasswordException", InvalidInput),
        ("UserNotConfirmedException", Forbidden),
        ("TooManyRequestsException", TooManyRequests),
    ],
)
def test_sign_up_maps_cognito_errors(code, error):
    provider, stubber = _stubbed()
    stubber.add_client_error(
        "sign_up",
        service_error_code=code,
        expected_params={
            "ClientId": "cid",
            "Username": "a@b.co",
            "Password": PASSWORD,
            "UserAttributes": [{"Name": "email", "Value": "a@b.co"}],
        },
    )
    with stubber, pytest.raises(error):
        provider.sign_up("a@b.co", PASSWORD)
    stubber.assert_no_pending_responses()


def test_confirm_with_a_wrong_code_is_invalid_input():
    provider, stubber = _stubbed()
    stubber.add_client_error(
        "confirm_sign_up",
        service_error_code="CodeMismatchException",
        expected_params={"ClientId": "cid", "Username": "a@b.co", "ConfirmationCode": "999"},
    )
    with stubber, pytest.raises(InvalidInput, match="confirmation code"):
        provider.confirm("a@b.co", "999")
    stubber.assert_no_pending_responses()


def test_log_in_with_unknown_user_is_unauthenticated():
    provider, stubber = _stubbed()
    stubber.add_client_error(
        "initiate_auth",
        service_error_code="UserNotFoundException",
        expected_params={
            "ClientId": "cid",
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": "a@b.co", "PASSWORD": PASSWORD},
        },
    )
    with stubber, pytest.raises(Unauthenticated):
        provider.log_in("a@b.co", PASSWORD)
    stubber.assert_no_pending_responses()


def test_unconfirmed_account_cannot_log_in_until_confirmed(stack):
    cognito = aws_client(stack.settings, "cognito-idp")
    pool_id, client_id = find_cognito_ids(
        cognito, stack.settings.cognito_pool_name, stack.settings.cognito_client_name
    )
    provider = CognitoIdentityProvider(
        cognito, user_pool_id=pool_id, client_id=client_id, auto_confirm=False
    )
    email = unique_email()
    assert provider.sign_up(email, PASSWORD)["confirmed"] is False
    with pytest.raises(Forbidden):
        provider.log_in(email, PASSWORD)
    provider.confirm(email, "123456")
    assert provider.log_in(email, PASSWORD)["id_token"]

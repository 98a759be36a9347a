"""Cognito user-pool operations FinQ needs: sign up, confirm, log in, refresh, sign out, delete.

Wraps a ``cognito-idp`` client it is given; turns Cognito error codes into FinQ errors and
returns plain dicts of tokens (staff logins: cognito_staff.py). Never logs passwords or tokens.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import (
    AppError,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
    Unauthenticated,
    UpstreamUnavailable,
)

# Cognito error code -> (FinQ error class, safe message). Login failures share one message so
# the API does not reveal which accounts exist.
_ERRORS: dict[str, tuple[type[AppError], str]] = {
    "UsernameExistsException": (Conflict, "an account with this email already exists"),
    "InvalidPasswordException": (InvalidInput, "the password does not meet the policy"),
    "InvalidParameterException": (
        InvalidInput,
        "the request was rejected by the identity provider",
    ),
    "CodeMismatchException": (InvalidInput, "the confirmation code is wrong"),
    "ExpiredCodeException": (InvalidInput, "the confirmation code has expired"),
    "NotAuthorizedException": (Unauthenticated, "the email or password is wrong"),
    "UserNotFoundException": (Unauthenticated, "the email or password is wrong"),
    "UserNotConfirmedException": (Forbidden, "the account is not confirmed yet"),
    "TooManyRequestsException": (TooManyRequests, "too many attempts; try again later"),
    "LimitExceededException": (TooManyRequests, "too many attempts; try again later"),
    "TooManyFailedAttemptsException": (TooManyRequests, "too many attempts; try again later"),
    "ResourceNotFoundException": (NotFound, "the user pool or client does not exist"),
}


def translate_error(exc: ClientError) -> AppError:
    """Return the FinQ error for a Cognito ``ClientError`` (503 for codes FinQ does not know)."""
    code = exc.response.get("Error", {}).get("Code", "")
    error_class, message = _ERRORS.get(code, (UpstreamUnavailable, "the identity provider failed"))
    if error_class is TooManyRequests:
        return TooManyRequests(message, retry_after=30)
    return error_class(message)


class CognitoIdentityProvider:
    """Account operations against one Cognito user pool and app client."""

    def __init__(
        self, client: Any, *, user_pool_id: str, client_id: str, auto_confirm: bool
    ) -> None:
        """Wrap a ready ``cognito-idp`` client.

        Args:
            client: boto3 ``cognito-idp`` client (moto's server locally).
            user_pool_id: The pool users live in.
            client_id: The public app client (no secret) used for password auth.
            auto_confirm: Confirm new sign-ups at once (local mode, where no mail is read).
        """
        self._client = client
        self._pool = user_pool_id
        self._client_id = client_id
        self._auto_confirm = auto_confirm

    def sign_up(self, email: str, password: str) -> dict[str, Any]:
        """Register a user; return ``{"sub", "email", "confirmed"}``."""
        try:
            response = self._client.sign_up(
                ClientId=self._client_id,
                Username=email,
                Password=password,
                UserAttributes=[{"Name": "email", "Value": email}],
            )
            confirmed = bool(response.get("UserConfirmed"))
            if self._auto_confirm and not confirmed:
                self._client.admin_confirm_sign_up(UserPoolId=self._pool, Username=email)
                self._client.admin_update_user_attributes(
                    UserPoolId=self._pool,
                    Username=email,
                    UserAttributes=[{"Name": "email_verified", "Value": "true"}],
                )
                confirmed = True
        except ClientError as exc:
            raise translate_error(exc) from exc
        return {"sub": response["UserSub"], "email": email, "confirmed": confirmed}

    def confirm(self, email: str, code: str) -> None:
        """Confirm a sign-up with the code Cognito mailed."""
        try:
            self._client.confirm_sign_up(
                ClientId=self._client_id, Username=email, ConfirmationCode=code
            )
        except ClientError as exc:
            raise translate_error(exc) from exc

    def log_in(self, email: str, password: str) -> dict[str, Any]:
        """Authenticate with a password; return the ID, access and refresh tokens."""
        return self._auth("USER_PASSWORD_AUTH", {"USERNAME": email, "PASSWORD": password})

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        """Trade a refresh token for new ID and access tokens."""
        return self._auth("REFRESH_TOKEN_AUTH", {"REFRESH_TOKEN": refresh_token})

    def sign_out_everywhere(self, username: str) -> None:
        """Revoke every refresh token of a user (idempotent: a missing user is fine)."""
        try:
            self._client.admin_user_global_sign_out(UserPoolId=self._pool, Username=username)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "UserNotFoundException":
                raise translate_error(exc) from exc

    def delete_user(self, username: str) -> None:
        """Delete a user from the pool (idempotent: a missing user is fine)."""
        try:
            self._client.admin_delete_user(UserPoolId=self._pool, Username=username)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "UserNotFoundException":
                raise translate_error(exc) from exc

    def add_to_group(self, username: str, group: str) -> None:
        """Put a user in a pool group (groups travel in the token as ``cognito:groups``)."""
        try:
            self._client.admin_add_user_to_group(
                UserPoolId=self._pool, Username=username, GroupName=group
            )
        except ClientError as exc:
            raise translate_error(exc) from exc

    def ensure_group(self, group: str) -> None:
        """Create a pool group if it does not exist yet."""
        try:
            self._client.create_group(UserPoolId=self._pool, GroupName=group)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "GroupExistsException":
                raise translate_error(exc) from exc

    def set_first_password(
        self, email: str, temporary_password: str, new_password: str
    ) -> dict[str, Any]:
        """Sign in an invited login with its temporary password and set its own; return tokens."""
        response = self._initiate(
            "USER_PASSWORD_AUTH", {"USERNAME": email, "PASSWORD": temporary_password}
        )
        if response.get("ChallengeName") != "NEW_PASSWORD_REQUIRED":
            raise Conflict(
                "this account already has its own password; log in with it",
                code="password_already_set",
            )
        try:
            response = self._client.respond_to_auth_challenge(
                ClientId=self._client_id,
                ChallengeName="NEW_PASSWORD_REQUIRED",
                Session=response["Session"],
                ChallengeResponses={"USERNAME": email, "NEW_PASSWORD": new_password},
            )
        except ClientError as exc:
            raise translate_error(exc) from exc
        return self._tokens(response)

    def _initiate(self, flow: str, parameters: dict[str, str]) -> dict[str, Any]:
        try:
            return dict(
                self._client.initiate_auth(
                    ClientId=self._client_id, AuthFlow=flow, AuthParameters=parameters
                )
            )
        except ClientError as exc:
            raise translate_error(exc) from exc

    def _auth(self, flow: str, parameters: dict[str, str]) -> dict[str, Any]:
        return self._tokens(self._initiate(flow, parameters))

    def _tokens(self, response: dict[str, Any]) -> dict[str, Any]:
        result = response.get("AuthenticationResult")
        if not result:
            # An invited login must set its own password first (POST /api/auth/first-password);
            # other challenges (MFA) FinQ does not drive yet.
            raise Forbidden(
                "the account needs an extra sign-in step: " + response.get("ChallengeName", "?"),
                code="challenge_required",
            )
        tokens = {
            "id_token": result["IdToken"],
            "access_token": result["AccessToken"],
            "expires_in": result["ExpiresIn"],
            "token_type": "Bearer",
        }
        if "RefreshToken" in result:
            tokens["refresh_token"] = result["RefreshToken"]
        return tokens


def find_cognito_ids(cognito: Any, pool_name: str, client_name: str) -> tuple[str, str]:
    """Find the local pool and app client by name.

    Raises:
        UpstreamUnavailable: They do not exist yet (run ``make services`` first).
    """
    pool_id = find_user_pool(cognito, pool_name)
    client_id = find_pool_client(cognito, pool_id, client_name) if pool_id else None
    if not pool_id or not client_id:
        raise UpstreamUnavailable(
            f"the local Cognito pool {pool_name!r} does not exist; "
            "start the local services with `make services`"
        )
    return pool_id, client_id


def find_user_pool(cognito: Any, name: str) -> str | None:
    """Return the id of the user pool named ``name``, or None."""
    for page in cognito.get_paginator("list_user_pools").paginate(MaxResults=60):
        for pool in page["UserPools"]:
            if pool["Name"] == name:
                return str(pool["Id"])
    return None


def find_pool_client(cognito: Any, pool_id: str, name: str) -> str | None:
    """Return the id of the app client named ``name`` in the pool, or None."""
    for page in cognito.get_paginator("list_user_pool_clients").paginate(
        UserPoolId=pool_id, MaxResults=60
    ):
        for client in page["UserPoolClients"]:
            if client["ClientName"] == name:
                return str(client["ClientId"])
    return None

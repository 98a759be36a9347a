"""Unexpected failures become FinQ's error shape: dependencies 503, everything else 500."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

import app
from chalicelib.aws import clients  # noqa: F401 - registers botocore's failures
from chalicelib.errors import AppError, InvalidInput, as_app_error
from chalicelib.repositories import milvus  # noqa: F401 - registers pymilvus's failures
from chalicelib.services.chat_socket import ChatSocketService


def _client_error(code: str, status: int) -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": status}},
        "Op",
    )


@pytest.mark.parametrize(
    "exc",
    [
        EndpointConnectionError(endpoint_url="http://127.0.0.1:1"),
        ReadTimeoutError(endpoint_url="http://127.0.0.1:1"),
        _client_error("InternalError", 500),
        _client_error("ThrottlingException", 400),
    ],
)
def test_dependency_failures_are_503_upstream_unavailable(exc):
    error = as_app_error(exc)
    assert (error.status, error.code) == (503, "upstream_unavailable")


def test_a_milvus_failure_is_503():
    # The Milvus adapter registers its SDK's failures when it is imported, which any code that
    # can raise them has done; importing it here keeps the test independent of test order.
    from pymilvus.exceptions import MilvusException

    import chalicelib.repositories.milvus.connection  # noqa: F401

    assert as_app_error(MilvusException(message="connection refused")).status == 503


@pytest.mark.parametrize("exc", [RuntimeError("secret detail"), _client_error("Validation", 400)])
def test_anything_else_is_500_internal_error_without_its_text(exc):
    error = as_app_error(exc)
    assert (error.status, error.code) == (500, "internal_error")
    assert "secret" not in error.message


def test_an_app_error_stays_itself():
    error = InvalidInput("bad")
    assert as_app_error(error) is error


def test_chalices_own_error_codes_become_snake_case(client):
    response = client.http.request("DELETE", "/api/health")
    assert response.status_code == 405
    assert response.json_body["error"]["code"] == "method_not_allowed"


def test_chalices_own_500_body_becomes_internal_error():
    from chalice import Response

    chalice_500 = Response(
        body={"Code": "InternalServerError", "Message": "An internal server error occurred."},
        status_code=500,
    )
    response = app.uniform_errors(object(), lambda event: chalice_500)
    assert response.body == {
        "error": {"code": "internal_error", "message": "An internal server error occurred."}
    }


class _Frames:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def send(self, connection_id: str, frame: dict[str, Any]) -> None:
        self.sent.append(frame)


class _BrokenChats:
    def send(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise KeyError("a bug deep inside the graph")


def test_any_failure_inside_a_websocket_turn_ends_with_an_error_frame():
    frames = _Frames()
    service = ChatSocketService(
        verify=lambda token: None,
        connections=None,
        chats=_BrokenChats(),
        ensure_user=lambda identity: {},
        profile_of=lambda sub: {},
        sender=lambda endpoint: frames,  # type: ignore[arg-type,return-value]
    )
    service.run_turn({"connection_id": "c1", "user_sub": "u", "chat_id": "x", "text": "hi"})
    assert frames.sent == [
        {"type": "error", "code": "internal_error", "message": "an internal error occurred"}
    ]
    assert isinstance(as_app_error(KeyError("x")), AppError)

"""The advisor chat over WebSocket: connect with a token, stream a turn as frames.

Owns the frame protocol: ``{"type": "token", "text"}``... then ``{"type": "citations",
"items"}``, ``{"type": "news", "items"}`` (only when the answer has web news: labelled, apart
from the citations) and ``{"type": "done", "message"}``, or ``{"type": "error", "code",
"message"}``.
Tokens are batched into frames (the first at once, then every ~80 ms) so a long answer does not
cost one API call per word. A client that went away is forgotten; the turn is still stored.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalicelib.errors import (
    AppError,
    ConnectionGone,
    InvalidInput,
    Unauthenticated,
    as_app_error,
)
from chalicelib.models import SocketMessage
from chalicelib.payloads import validate
from chalicelib.ports import ConnectionStore, FrameSender

if TYPE_CHECKING:
    from chalicelib.services.chat import ChatService

_log = logging.getLogger(__name__)
_BATCH_SECONDS = 0.08
_BATCH_CHARS = 400


class _FrameBatcher:
    """Collect tokens and send them as few frames as latency allows."""

    def __init__(self, send: Callable[[dict[str, Any]], None]) -> None:
        self._send = send
        self._pending: list[str] = []
        self._last = 0.0
        self.gone = False

    def token(self, text: str) -> None:
        if self.gone:
            return
        self._pending.append(text)
        now = time.perf_counter()
        if (
            self._last == 0.0
            or now - self._last >= _BATCH_SECONDS
            or sum(map(len, self._pending)) >= _BATCH_CHARS
        ):
            self.flush()

    def flush(self) -> None:
        if self._pending and not self.gone:
            text, self._pending = "".join(self._pending), []
            self._last = time.perf_counter()
            self.frame({"type": "token", "text": text})

    def frame(self, frame: dict[str, Any]) -> None:
        if self.gone:
            return
        try:
            self._send(frame)
        except ConnectionGone:
            self.gone = True


class ChatSocketService:
    """WebSocket handlers' logic, independent of Chalice."""

    def __init__(
        self,
        verify: Callable[[str | None], Any],
        connections: ConnectionStore,
        chats: ChatService,
        ensure_user: Callable[[Any], dict[str, Any]],
        profile_of: Callable[[str], dict[str, Any]],
        sender: Callable[[str | None], FrameSender],
        dispatch: Callable[[dict[str, Any]], None] | None = None,
        is_deleted: Callable[[str], bool] = lambda sub: False,
    ) -> None:
        """Compose the service.

        Args:
            verify: Verifies a token, returning the caller's identity (or raising a 401).
            connections: Which user each connection belongs to.
            chats: The chat service.
            ensure_user: Creates (if needed) and returns a verified caller's user row.
            profile_of: Returns a user's stored profile by subject.
            sender: Returns a frame sender for a callback endpoint (None: the configured one).
            dispatch: Hands a turn to an asynchronously invoked worker (AWS: API Gateway
                waits at most 29 s for the message handler). None: run the turn inline.
            is_deleted: Whether a subject's account was deleted: a connection opened before
                the deletion gets no more turns.
        """
        self._verify = verify
        self._connections = connections
        self._chats = chats
        self._ensure_user = ensure_user
        self._profile_of = profile_of
        self._sender = sender
        self._dispatch = dispatch
        self._is_deleted = is_deleted

    def connect(self, connection_id: str, token: str | None) -> bool:
        """Admit a connection whose token verifies; False refuses it."""
        try:
            identity = self._verify(token)
        except Unauthenticated:
            return False
        self._ensure_user(identity)  # the user row exists before any chat
        self._connections.put(connection_id, identity.sub)
        return True

    def user_of(self, connection_id: str) -> str | None:
        """Return the verified user of a live connection, or None."""
        return self._connections.user_of(connection_id)

    def disconnect(self, connection_id: str) -> None:
        """Note that a connection closed (its in-flight turn may still finish)."""
        self._connections.mark_gone(connection_id)

    def message(self, connection_id: str, body: str, endpoint: str | None) -> None:
        """Handle one client frame: validate, then run the turn (here or in a worker)."""
        sender = self._sender(endpoint)
        user_sub = self._connections.user_of(connection_id)
        if user_sub is None:
            self._error(sender, connection_id, Unauthenticated("connect again with a valid token"))
            return
        if self._is_deleted(user_sub):
            error = Unauthenticated("this account has been deleted", code="account_deleted")
            self._error(sender, connection_id, error)
            return
        try:
            if len(body.encode("utf-8")) > 32_000:
                raise InvalidInput("the frame is too large", code="payload_too_large")
            try:
                data = json.loads(body)
            except ValueError as exc:
                raise InvalidInput("the frame is not valid JSON", code="malformed_json") from exc
            request = validate(SocketMessage, data)
            self._chats.check_budget(user_sub)
        except AppError as error:
            self._error(sender, connection_id, error)
            return
        job = {
            "connection_id": connection_id,
            "user_sub": user_sub,
            "chat_id": request.chatId,
            "text": request.text,
            "endpoint": endpoint,
        }
        if self._dispatch is not None:
            self._dispatch(job)
        else:
            self.run_turn(job)

    def run_turn(self, job: dict[str, Any]) -> None:
        """Run one turn, streaming frames to the connection (the worker's entry point)."""
        sender = self._sender(job.get("endpoint"))
        connection_id = job["connection_id"]
        batcher = _FrameBatcher(lambda frame: sender.send(connection_id, frame))
        try:
            profile = self._profile_of(job["user_sub"])
            message = self._chats.send(
                job["user_sub"], profile, job["chat_id"], job["text"], on_token=batcher.token
            )
        except Exception as exc:  # noqa: BLE001 - every failed turn ends with an error frame
            error = as_app_error(exc)
            if error.status >= 500:
                _log.warning("turn on connection %s failed: %s", connection_id, error.code)
            batcher.flush()
            self._error(sender, connection_id, error)
            return
        batcher.flush()
        batcher.frame({"type": "citations", "items": message["citations"]})
        if message.get("news"):
            batcher.frame({"type": "news", "items": message["news"]})
        batcher.frame({"type": "done", "message": message})
        if batcher.gone:
            _log.info("connection %s went away during a turn; answer stored", connection_id)
            self._connections.delete(connection_id)

    def _error(self, sender: FrameSender, connection_id: str, error: AppError) -> None:
        try:
            sender.send(
                connection_id, {"type": "error", "code": error.code, "message": error.message}
            )
        except ConnectionGone:
            self._connections.delete(connection_id)

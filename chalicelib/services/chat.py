"""Advisor chat: chats, messages and one turn through the agent graph, with a token budget.

Owns the turn: check the chat is the caller's, enforce the daily token budget, store the user
message, run the graph (streaming tokens to a callback), store the answer with citations,
model, token counts and latency, and record a request for a human.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from chalicelib.errors import InvalidInput, NotFound, TooManyRequests
from chalicelib.repositories.chats import PostgresChatRepository, chat_to_json, message_to_json
from chalicelib.services.discovery import KST

_log = logging.getLogger(__name__)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
OnToken = Callable[[str], None]


def valid_chat_id(chat_id: str) -> str:
    """Return a well-formed chat id (a UUID) or raise a 400."""
    lowered = chat_id.lower()
    if not _UUID.match(lowered):
        raise InvalidInput("chat id must be a UUID")
    return lowered


class ChatService:
    """Chats of one user at a time, and their turns through the agent graph."""

    def __init__(
        self,
        chats: PostgresChatRepository,
        graph: Callable[[], Any],
        model_id: str,
        daily_token_budget: int,
        on_handoff: Callable[[str, dict[str, Any], str], dict[str, Any]] | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(KST),
    ) -> None:
        """Compose the service.

        Args:
            chats: Chat and message storage.
            graph: Returns the compiled agent graph (built lazily: LangGraph is heavy).
            model_id: Recorded on assistant messages.
            daily_token_budget: Tokens per user per day (KST); 0 disables the budget.
            on_handoff: Called with the user, the chat and the message when the user asks for
                a human; returns what to record (the desk's inquiry id).
            now: Clock, injectable for tests.
        """
        self._chats = chats
        self._graph = graph
        self._model_id = model_id
        self._budget = daily_token_budget
        self._on_handoff = on_handoff
        self._now = now

    def create(self, user_sub: str, title: str) -> dict[str, Any]:
        """Start a chat."""
        return chat_to_json(self._chats.create(user_sub, title))

    def list(self, user_sub: str) -> list[dict[str, Any]]:
        """The caller's chats."""
        return [chat_to_json(row) for row in self._chats.list(user_sub)]

    def messages(
        self, user_sub: str, chat_id: str, before: int | None, limit: int
    ) -> dict[str, Any]:
        """A page of a chat's messages, oldest first within the page; ``next`` pages back."""
        self._require(user_sub, chat_id)
        rows = self._chats.messages(chat_id, before, limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        return {
            "items": [message_to_json(row) for row in reversed(rows)],
            "next": str(rows[-1]["id"]) if more else None,
        }

    def delete(self, user_sub: str, chat_id: str, forget_thread: Callable[[str], None]) -> None:
        """Delete a chat, its messages and its graph checkpoints."""
        chat_id = valid_chat_id(chat_id)
        if not self._chats.delete(user_sub, chat_id):
            raise NotFound("no such chat")
        forget_thread(chat_id)

    def check_budget(self, user_sub: str) -> None:
        """Raise a 429 when the caller has used today's token budget."""
        if self._budget <= 0:
            return
        now = self._now()
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        if self._chats.tokens_since(user_sub, midnight) >= self._budget:
            retry = int((midnight + timedelta(days=1) - now).total_seconds()) + 1
            raise TooManyRequests(
                f"today's budget of {self._budget} tokens is used up; it resets at midnight KST",
                retry_after=retry,
                code="token_budget_exceeded",
            )

    def send(
        self,
        user_sub: str,
        profile: dict[str, Any],
        chat_id: str,
        text: str,
        on_token: OnToken | None = None,
    ) -> dict[str, Any]:
        """Run one turn and return the stored assistant message."""
        chat = self._require(user_sub, chat_id)
        self.check_budget(user_sub)
        self._chats.add_message(chat_id, "user", text)
        started = time.perf_counter()
        final: dict[str, Any] = {}
        inputs = {"messages": [{"role": "user", "content": text}], "profile": profile}
        config = {"configurable": {"thread_id": chat_id}}
        for mode, chunk in self._graph().stream(inputs, config, stream_mode=["custom", "values"]):
            if mode == "custom" and on_token is not None and "token" in chunk:
                on_token(chunk["token"])
            elif mode == "values":
                final = chunk
        latency_ms = int((time.perf_counter() - started) * 1000)
        usage = final.get("usage") or {}
        if final.get("handoff") and final.get("intent") == "human":
            record = {"requested_at": self._now().isoformat(), "message": text}
            if self._on_handoff is not None:
                record.update(self._on_handoff(user_sub, chat_to_json(chat), text))
            self._chats.set_handoff(chat_id, record)
        row = self._chats.add_message(
            chat_id,
            "assistant",
            final.get("answer", ""),
            citations=final.get("citations") or [],
            model=self._model_id,
            input_tokens=usage.get("input_tokens", 0),
            output_tokens=usage.get("output_tokens", 0),
            latency_ms=latency_ms,
        )
        return message_to_json(row)

    def _require(self, user_sub: str, chat_id: str) -> dict[str, Any]:
        row = self._chats.get(user_sub, valid_chat_id(chat_id))
        if row is None:
            raise NotFound("no such chat")
        return row

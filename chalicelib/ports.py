"""Protocols for FinQ's swappable capabilities; providers.py picks the implementation.

Owns the method names and shapes every backend shares. No implementations here.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any, Protocol, TypedDict


class Embedder(Protocol):
    """Turns texts into normalized vectors of a fixed dimension."""

    model_id: str
    dimension: int

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages to be searched (one vector per text, same order)."""
        ...

    def embed_query(self, text: str) -> list[float]:
        """Embed a search query."""
        ...


# ---------------------------------------------------------------------------------------------
# Advisor chat: the chat model, chat storage, WebSocket frames and connections.
# ---------------------------------------------------------------------------------------------

Row = dict[str, Any]
"""A stored record as a mapping of column name to value."""


class Understanding(TypedDict):
    """What the supervisor makes of one message."""

    intent: str  # one of agent.state.Intent
    language: str  # "ko" or "en"
    slots: dict[str, Any]  # age, region, job, school, annual_income, interests (as stated)


class SearchPlan(TypedDict):
    """What the search agent decides to look for."""

    query: str
    clarify: str | None  # a question to ask when the region is missing and matters


class ChatModel(Protocol):
    """The advisor's three agents (supervisor, search, responder) behind one object.

    Every call takes a caller-provided ``usage`` dict and adds to it (never replaces it) the
    tokens the call consumed: ``input_tokens`` and ``output_tokens``, each created on first
    use. A call that consumed nothing may leave the dict untouched; ``stream_answer`` adds its
    counts as the stream is consumed (so read ``usage`` after draining it).
    """

    model_id: str

    def understand(self, text: str, has_results: bool, usage: dict[str, int]) -> Understanding:
        """Classify one user message and extract its slots.

        ``has_results``: earlier turns of the chat retrieved policies (follow-ups are possible).
        """
        ...

    def plan_search(self, text: str, criteria: dict[str, Any], usage: dict[str, int]) -> SearchPlan:
        """Turn a policy question into a search query (``criteria``: the merged profile)."""
        ...

    def stream_answer(self, request: dict[str, Any], usage: dict[str, int]) -> Iterator[str]:
        """Stream the answer's text pieces.

        ``request`` holds ``intent``, ``language``, ``message`` (the user's text),
        ``clarification`` (when set, the answer is exactly that question), ``policies`` (the
        retrieved policies with verdicts; cite them as ``[plcyNo]``) and ``history`` (the last
        messages of the chat).
        """
        ...


class ChatRepository(Protocol):
    """Chats, their messages and each user's daily token ledger; always scoped by owner."""

    def create(self, user_sub: str, title: str) -> Row:
        """Create a chat; return ``id``, ``title``, ``handoff``, ``created_at``, ``updated_at``."""
        ...

    def list(self, user_sub: str, limit: int = 100) -> builtins.list[Row]:
        """Return the user's chats, most recently active first."""
        ...

    def get(self, user_sub: str, chat_id: str) -> Row | None:
        """Return one chat of the user's, or None (also for another user's chat)."""
        ...

    def delete(self, user_sub: str, chat_id: str) -> bool:
        """Delete a chat and its messages; False when it is not the user's."""
        ...

    def add_message(self, chat_id: str, role: str, content: str, **fields: Any) -> Row:
        """Append a message and touch the chat.

        ``fields``: ``citations``, ``model``, ``input_tokens``, ``output_tokens``,
        ``latency_ms``, ``error`` (all optional). Returns the stored row.
        """
        ...

    def messages(self, chat_id: str, before: int | None, limit: int) -> builtins.list[Row]:
        """Return a page of messages, newest first, older than message id ``before``."""
        ...

    def reserve_tokens(
        self, user_sub: str, day: date, since: datetime, tokens: int, budget: int, hold: int
    ) -> Row:
        """Hold ``tokens`` of the day while used + live holds < ``budget``, atomically.

        Returns ``used``, ``reserved`` and ``granted``; the day's ledger starts from the tokens
        of messages stored since ``since``; a hold stops counting ``hold`` seconds later.
        """
        ...

    def budget_state(self, user_sub: str, day: date, since: datetime) -> Row:
        """Return the day's ``used`` and live ``reserved`` tokens (``granted`` False)."""
        ...

    def settle_tokens(self, user_sub: str, day: date, held: int, spent: int) -> None:
        """Replace a turn's hold of ``held`` tokens by what it spent (0 releases it)."""
        ...

    def set_handoff(self, chat_id: str, handoff: dict[str, Any]) -> None:
        """Record that the user asked for a human (and where the request went)."""
        ...


class FrameSender(Protocol):
    """Sends JSON frames to WebSocket clients; raises errors.ConnectionGone for a gone one."""

    def send(self, connection_id: str, frame: dict[str, Any]) -> None:
        """Send one frame (an oversized message's content is dropped, not the frame)."""
        ...


class ConnectionStore(Protocol):
    """Which verified user each open WebSocket connection belongs to."""

    def put(self, connection_id: str, user_sub: str) -> None:
        """Record a verified connection."""
        ...

    def user_of(self, connection_id: str) -> str | None:
        """Return the user of a live connection, or None."""
        ...

    def mark_gone(self, connection_id: str) -> None:
        """Note a disconnect; keep the mapping briefly for a message still in flight."""
        ...

    def delete(self, connection_id: str) -> None:
        """Forget a connection (idempotent)."""
        ...

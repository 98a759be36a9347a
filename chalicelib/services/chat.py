"""Advisor chat: chats, messages and one turn through the agent graph, with a token budget.

Owns the turn: check the chat is the caller's, reserve tokens of the daily budget, store the
user message, run the graph (streaming tokens to a callback), store the answer with citations,
its web news (apart), model, token counts (the news text's among the input) and latency, settle
the reservation to the real usage, and record a request for a human.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.clock import KST
from chalicelib.errors import InvalidInput, NotFound, TooManyRequests, as_app_error
from chalicelib.ports import ChatRepository, Row

_log = logging.getLogger(__name__)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
OnToken = Callable[[str], None]
# How long a turn's reservation counts without being settled: past any turn's run time (the
# chat Lambdas time out at 30 s), so a turn killed mid-way blocks the budget only briefly.
_HOLD_SECONDS = 120


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
        chats: ChatRepository,
        graph: Callable[[], Any],
        model_id: str,
        daily_token_budget: int,
        turn_token_reserve: int = 4_000,
        on_handoff: Callable[[str, dict[str, Any], str], dict[str, Any]] | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(KST),
    ) -> None:
        """Compose the service.

        Args:
            chats: Chat and message storage.
            graph: Returns the compiled agent graph (built lazily: LangGraph is heavy).
            model_id: Recorded on assistant messages.
            daily_token_budget: Tokens per user per day (KST); 0 disables the budget.
            turn_token_reserve: Tokens a turn holds from the budget while it runs; concurrent
                turns overrun the budget by at most about this much.
            on_handoff: Called with the user, the chat and the message when the user asks for
                a human; returns what to record (the desk's inquiry id).
            now: Clock, injectable for tests.
        """
        self._chats = chats
        self._graph = graph
        self._model_id = model_id
        self._budget = daily_token_budget
        self._reserve = turn_token_reserve
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
        """Raise a 429 when today's budget is used up or held by turns in flight (a pre-check)."""
        if self._budget <= 0:
            return
        now = self._now()
        state = self._chats.budget_state(user_sub, now.date(), _midnight(now))
        if state["used"] + state["reserved"] >= self._budget:
            raise self._refusal(state, now)

    def send(
        self,
        user_sub: str,
        profile: dict[str, Any],
        chat_id: str,
        text: str,
        on_token: OnToken | None = None,
    ) -> dict[str, Any]:
        """Run one turn and return the stored assistant message.

        The turn reserves tokens before it runs and settles them to its real usage after (or
        releases them if it fails), so parallel turns cannot all pass a budget check at once.
        """
        chat = self._require(user_sub, chat_id)
        day = self._reserve_tokens(user_sub)
        spent: dict[str, int] = {}
        try:
            return self._turn(user_sub, profile, chat_id, chat, text, on_token, spent)
        finally:
            if day is not None:
                self._chats.settle_tokens(
                    user_sub, day, held=self._reserve, spent=spent.get("tokens", 0)
                )

    def _reserve_tokens(self, user_sub: str) -> date | None:
        """Hold one turn's worth of today's budget; return the day held, None without budget."""
        if self._budget <= 0:
            return None
        now = self._now()
        state = self._chats.reserve_tokens(
            user_sub, now.date(), _midnight(now), self._reserve, self._budget, _HOLD_SECONDS
        )
        if not state["granted"]:
            raise self._refusal(state, now)
        return now.date()

    def _refusal(self, state: dict[str, Any], now: datetime) -> TooManyRequests:
        if state["used"] >= self._budget:
            retry = int((_midnight(now) + timedelta(days=1) - now).total_seconds()) + 1
            return TooManyRequests(
                f"today's budget of {self._budget} tokens is used up; it resets at midnight KST",
                retry_after=retry,
                code="token_budget_exceeded",
            )
        return TooManyRequests(
            "answers in progress hold the rest of today's token budget; retry when they finish",
            retry_after=5,
            code="token_budget_reserved",
        )

    def _turn(
        self,
        user_sub: str,
        profile: dict[str, Any],
        chat_id: str,
        chat: dict[str, Any],
        text: str,
        on_token: OnToken | None,
        spent: dict[str, int],
    ) -> dict[str, Any]:
        """Store the question, run the graph, store the answer; put its usage in ``spent``."""
        self._chats.add_message(chat_id, "user", text)
        started = time.perf_counter()
        try:
            final = self._run_graph(chat_id, text, profile, on_token)
            if final.get("handoff") and final.get("intent") == "human":
                record = self._record_handoff(user_sub, chat, text)
                when = _eta_sentence(record, final.get("language", "ko"))
                if when:
                    # What happens next, and when: the desk's estimate for this inquiry.
                    final["answer"] = f"{final.get('answer', '')}\n\n{when}"
                    if on_token is not None:
                        on_token(f"\n\n{when}")
        except Exception as exc:
            # The question stays stored; the history shows it got no answer, and why.
            error = as_app_error(exc)
            _log.exception("turn of chat %s failed (%s)", chat_id, error.code)
            self._chats.add_message(
                chat_id,
                "assistant",
                "",
                model=self._model_id,
                latency_ms=int((time.perf_counter() - started) * 1000),
                error=error.code,
            )
            if error is exc:
                raise
            raise error from exc
        latency_ms = int((time.perf_counter() - started) * 1000)
        usage = final.get("usage") or {}
        # The news text came into the turn like retrieved context: it counts as input.
        read = usage.get("input_tokens", 0) + int(final.get("news_tokens") or 0)
        spent["tokens"] = read + usage.get("output_tokens", 0)
        row = self._chats.add_message(
            chat_id,
            "assistant",
            final.get("answer", ""),
            citations=final.get("citations") or [],
            news=final.get("news") or [],
            model=self._model_id,
            input_tokens=read,
            output_tokens=usage.get("output_tokens", 0),
            latency_ms=latency_ms,
        )
        return message_to_json(row)

    def _record_handoff(self, user_sub: str, chat: dict[str, Any], text: str) -> dict[str, Any]:
        record = {"requested_at": self._now().isoformat(), "message": text}
        if self._on_handoff is not None:
            record.update(self._on_handoff(user_sub, chat_to_json(chat), text))
        self._chats.set_handoff(str(chat["id"]), record)
        return record

    def _run_graph(
        self, chat_id: str, text: str, profile: dict[str, Any], on_token: OnToken | None
    ) -> dict[str, Any]:
        final: dict[str, Any] = {}
        inputs = {"messages": [{"role": "user", "content": text}], "profile": profile}
        config = {"configurable": {"thread_id": chat_id}}
        for mode, chunk in self._graph().stream(inputs, config, stream_mode=["custom", "values"]):
            if mode == "custom" and on_token is not None and "token" in chunk:
                on_token(chunk["token"])
            elif mode == "values":
                final = chunk
        return final

    def _require(self, user_sub: str, chat_id: str) -> dict[str, Any]:
        row = self._chats.get(user_sub, valid_chat_id(chat_id))
        if row is None:
            raise NotFound("no such chat")
        return row


def _midnight(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def message_to_json(row: Row) -> dict[str, Any]:
    """Shape a message row for the API."""
    citations, news = row["citations"], row.get("news") or []
    return {
        "id": row["id"],
        "role": row["role"],
        "content": row["content"],
        "citations": json.loads(citations) if isinstance(citations, str) else citations,
        "news": json.loads(news) if isinstance(news, str) else news,
        "model": row["model"],
        "input_tokens": row["input_tokens"],
        "output_tokens": row["output_tokens"],
        "latency_ms": row["latency_ms"],
        "status": "failed" if row["error"] else "complete",
        "error": {"code": row["error"]} if row["error"] else None,
        "created_at": row["created_at"].isoformat(),
    }


def chat_to_json(row: Row) -> dict[str, Any]:
    """Shape a chat row for the API."""
    handoff = row["handoff"]
    return {
        "id": str(row["id"]),
        "title": row["title"],
        "handoff": json.loads(handoff) if isinstance(handoff, str) else handoff,
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


def _eta_sentence(record: dict[str, Any], language: str) -> str:
    """Say by when a person answers a hand-off (the desk's estimate, in KST), or ""."""
    value = record.get("estimated_response_time")
    if not value:
        return ""
    try:
        when = datetime.fromisoformat(str(value)).astimezone(KST).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return ""
    if language == "en":
        return f"A person will reply by email, expected by {when} (Korea time)."
    return f"담당자가 {when}(한국 시간)까지 이메일로 답변드릴 예정이에요."

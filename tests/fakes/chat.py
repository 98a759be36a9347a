"""In-memory fakes of the chat ports (kept honest by tests/contract/test_chat_repository.py)."""

from __future__ import annotations

import builtins
import itertools
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from chalicelib.errors import ConnectionGone

Row = dict[str, Any]


class InMemoryChatRepository:
    """A ports.ChatRepository in dicts: chats, messages and the daily token ledger."""

    def __init__(self) -> None:
        self._chats: dict[str, Row] = {}
        self._owners: dict[str, str] = {}
        self._messages: dict[str, list[Row]] = {}
        self._ids = itertools.count(1)
        self._ledger: dict[tuple[str, date], dict[str, Any]] = {}

    def create(self, user_sub: str, title: str) -> Row:
        now = datetime.now(UTC)
        chat_id = uuid.uuid4()
        row = {"id": chat_id, "title": title, "handoff": None, "created_at": now, "updated_at": now}
        self._chats[str(chat_id)] = row
        self._owners[str(chat_id)] = user_sub
        self._messages[str(chat_id)] = []
        return dict(row)

    def list(self, user_sub: str, limit: int = 100) -> builtins.list[Row]:
        mine = [dict(c) for k, c in self._chats.items() if self._owners[k] == user_sub]
        mine.sort(key=lambda c: str(c["id"]))
        mine.sort(key=lambda c: c["updated_at"], reverse=True)
        return mine[:limit]

    def get(self, user_sub: str, chat_id: str) -> Row | None:
        if self._owners.get(chat_id) != user_sub:
            return None
        return dict(self._chats[chat_id])

    def delete(self, user_sub: str, chat_id: str) -> bool:
        if self._owners.get(chat_id) != user_sub:
            return False
        del self._chats[chat_id], self._owners[chat_id], self._messages[chat_id]
        return True

    def add_message(self, chat_id: str, role: str, content: str, **fields: Any) -> Row:
        now = datetime.now(UTC)
        row = {
            "id": next(self._ids),
            "role": role,
            "content": content,
            "citations": list(fields.get("citations") or []),
            "news": list(fields.get("news") or []),
            "model": fields.get("model"),
            "input_tokens": int(fields.get("input_tokens") or 0),
            "output_tokens": int(fields.get("output_tokens") or 0),
            "latency_ms": fields.get("latency_ms"),
            "error": fields.get("error"),
            "created_at": now,
        }
        self._messages[chat_id].append(row)
        self._chats[chat_id]["updated_at"] = now
        return dict(row)

    def messages(self, chat_id: str, before: int | None, limit: int) -> builtins.list[Row]:
        rows = [m for m in self._messages.get(chat_id, []) if before is None or m["id"] < before]
        return [dict(m) for m in reversed(rows)][:limit]

    def reserve_tokens(
        self, user_sub: str, day: date, since: datetime, tokens: int, budget: int, hold: int
    ) -> Row:
        entry = self._ledger.setdefault(
            (user_sub, day),
            {"used": self._tokens_since(user_sub, since), "reserved": 0, "until": 0.0},
        )
        live = self._live(entry)
        if entry["used"] + live >= budget:
            return self.budget_state(user_sub, day, since)
        entry["reserved"], entry["until"] = live + tokens, time.time() + hold
        return {"used": entry["used"], "reserved": entry["reserved"], "granted": True}

    def budget_state(self, user_sub: str, day: date, since: datetime) -> Row:
        entry = self._ledger.get((user_sub, day))
        if entry is None:
            return {"used": self._tokens_since(user_sub, since), "reserved": 0, "granted": False}
        return {"used": entry["used"], "reserved": self._live(entry), "granted": False}

    def settle_tokens(self, user_sub: str, day: date, held: int, spent: int) -> None:
        entry = self._ledger.get((user_sub, day))
        if entry is not None:
            entry["used"] += spent
            entry["reserved"] = max(entry["reserved"] - held, 0)

    def set_handoff(self, chat_id: str, handoff: dict[str, Any]) -> None:
        self._chats[chat_id]["handoff"] = dict(handoff)
        self._chats[chat_id]["updated_at"] = datetime.now(UTC)

    def _tokens_since(self, user_sub: str, since: datetime) -> int:
        return sum(
            m["input_tokens"] + m["output_tokens"]
            for chat_id, rows in self._messages.items()
            if self._owners[chat_id] == user_sub
            for m in rows
            if m["created_at"] >= since
        )

    @staticmethod
    def _live(entry: dict[str, Any]) -> int:
        return int(entry["reserved"]) if entry["until"] >= time.time() else 0


class RecordingSender:
    """A ports.FrameSender that keeps the frames; connections in ``gone`` raise ConnectionGone."""

    def __init__(self) -> None:
        self.frames: dict[str, list[dict[str, Any]]] = {}
        self.gone: set[str] = set()

    def send(self, connection_id: str, frame: dict[str, Any]) -> None:
        if connection_id in self.gone:
            raise ConnectionGone(connection_id)
        self.frames.setdefault(connection_id, []).append(frame)


class ScriptedGraph:
    """Stands in for the compiled agent graph: streams tokens, then the final state.

    ``fail`` makes the run raise after the tokens (a model or tool failure mid-turn).
    """

    def __init__(self, answer: str, usage: dict[str, int], **final: Any) -> None:
        self.answer, self.usage, self.final = answer, usage, final
        self.fail: Exception | None = None
        self.runs: list[tuple[dict[str, Any], dict[str, Any]]] = []

    def stream(
        self, inputs: dict[str, Any], config: dict[str, Any], stream_mode: list[str]
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        self.runs.append((inputs, config))
        for word in self.answer.split(" "):
            yield "custom", {"token": word}
        if self.fail is not None:
            raise self.fail
        yield "values", {"answer": self.answer, "usage": self.usage, **self.final}


class InMemoryConnections:
    """A ports.ConnectionStore in a dict; ``mark_gone`` keeps the mapping, as the real one."""

    def __init__(self) -> None:
        self.users: dict[str, str] = {}
        self.gone: set[str] = set()

    def put(self, connection_id: str, user_sub: str) -> None:
        self.users[connection_id] = user_sub
        self.gone.discard(connection_id)

    def user_of(self, connection_id: str) -> str | None:
        return self.users.get(connection_id)

    def mark_gone(self, connection_id: str) -> None:
        self.gone.add(connection_id)

    def delete(self, connection_id: str) -> None:
        self.users.pop(connection_id, None)
        self.gone.discard(connection_id)

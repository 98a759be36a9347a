"""PostgreSQL storage of chats and their messages, always scoped by the owner's ``user_sub``.

Owns the chat SQL: a chat id alone never reaches another user's rows.
"""

from __future__ import annotations

import builtins
import json
import uuid
from datetime import date, datetime
from typing import Any

from chalicelib.repositories.postgres.database import Database, Row

_MESSAGE_COLUMNS = (
    "id, role, content, citations, news, model, input_tokens, output_tokens, latency_ms, error,"
    " created_at"
)
# Tokens held by turns still in flight; holds older than their deadline are presumed dead (a
# turn killed by a Lambda timeout never settles) and stop counting.
_LIVE_HOLDS = "CASE WHEN reserved_until < now() THEN 0 ELSE reserved END"


class PostgresChatRepository:
    """Chats, messages and the daily token ledger (a ports.ChatRepository)."""

    def __init__(self, db: Database) -> None:
        """Use the shared database connection."""
        self._db = db

    def create(self, user_sub: str, title: str) -> Row:
        """Create a chat and return it."""
        row = self._db.fetch_one(
            "INSERT INTO chats (id, user_sub, title) VALUES (CAST(:id AS uuid), :u, :t)"
            " RETURNING id, title, handoff, created_at, updated_at",
            id=str(uuid.uuid4()),
            u=user_sub,
            t=title,
        )
        assert row is not None
        return row

    def list(self, user_sub: str, limit: int = 100) -> builtins.list[Row]:
        """The user's chats, most recently active first."""
        return self._db.fetch(
            "SELECT id, title, handoff, created_at, updated_at FROM chats WHERE user_sub = :u"
            " ORDER BY updated_at DESC, id LIMIT :limit",
            u=user_sub,
            limit=limit,
        )

    def get(self, user_sub: str, chat_id: str) -> Row | None:
        """One chat of the user's, or None (also for another user's chat)."""
        return self._db.fetch_one(
            "SELECT id, title, handoff, created_at, updated_at FROM chats"
            " WHERE id = CAST(:id AS uuid) AND user_sub = :u",
            id=chat_id,
            u=user_sub,
        )

    def delete(self, user_sub: str, chat_id: str) -> bool:
        """Delete a chat and its messages; False when it is not the user's."""
        return (
            self._db.execute(
                "DELETE FROM chats WHERE id = CAST(:id AS uuid) AND user_sub = :u",
                id=chat_id,
                u=user_sub,
            )
            > 0
        )

    def add_message(self, chat_id: str, role: str, content: str, **fields: Any) -> Row:
        """Append a message (citations, news, model, tokens, latency optional); touch the chat."""
        with self._db.transaction() as tx:
            row = tx.fetch_one(
                "INSERT INTO messages (chat_id, role, content, citations, news, model,"
                " input_tokens, output_tokens, latency_ms, error) VALUES (CAST(:chat AS uuid),"
                " :role, :content, CAST(:citations AS jsonb), CAST(:news AS jsonb), :model,"
                " :input, :output, :latency, :error)"
                f" RETURNING {_MESSAGE_COLUMNS}",
                chat=chat_id,
                role=role,
                content=content,
                citations=json.dumps(fields.get("citations") or [], ensure_ascii=False),
                news=json.dumps(fields.get("news") or [], ensure_ascii=False),
                model=fields.get("model"),
                input=int(fields.get("input_tokens") or 0),
                output=int(fields.get("output_tokens") or 0),
                latency=fields.get("latency_ms"),
                error=fields.get("error"),
            )
            tx.execute(
                "UPDATE chats SET updated_at = now() WHERE id = CAST(:id AS uuid)", id=chat_id
            )
        assert row is not None
        return row

    def messages(self, chat_id: str, before: int | None, limit: int) -> builtins.list[Row]:
        """A page of messages, newest first, older than message id ``before``."""
        return self._db.fetch(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE chat_id = CAST(:chat AS uuid)"
            " AND (CAST(:before AS bigint) IS NULL OR id < :before) ORDER BY id DESC LIMIT :limit",
            chat=chat_id,
            before=before,
            limit=limit,
        )

    def tokens_since(self, user_sub: str, since: datetime) -> int:
        """Tokens the user's chats consumed since ``since`` (the daily budget)."""
        row = self._db.fetch_one(
            "SELECT COALESCE(sum(m.input_tokens + m.output_tokens), 0) AS used FROM messages m"
            " JOIN chats c ON c.id = m.chat_id WHERE c.user_sub = :u AND m.created_at >= :since",
            u=user_sub,
            since=since,
        )
        return int(row["used"]) if row else 0

    def reserve_tokens(
        self, user_sub: str, day: date, since: datetime, tokens: int, budget: int, hold: int
    ) -> Row:
        """Hold ``tokens`` of the user's day while used + held < ``budget``, atomically.

        Returns ``used``, ``reserved`` and ``granted``. The day's ledger row starts from the
        messages already stored since ``since``. The guarded UPDATE takes the row lock and
        PostgreSQL re-checks its WHERE after waiting for it, so concurrent turns on separate
        connections are admitted one by one against the latest holds. ``hold`` is how many
        seconds the holds count without a settle.
        """
        self._db.execute(
            "INSERT INTO token_budgets (user_sub, day, used)"
            " SELECT :u, :day, COALESCE(sum(m.input_tokens + m.output_tokens), 0)"
            " FROM messages m JOIN chats c ON c.id = m.chat_id"
            " WHERE c.user_sub = :u AND m.created_at >= :since"
            " AND NOT EXISTS (SELECT 1 FROM token_budgets WHERE user_sub = :u AND day = :day)"
            " ON CONFLICT (user_sub, day) DO NOTHING",
            u=user_sub,
            day=day,
            since=since,
        )
        granted = self._db.fetch_one(
            f"UPDATE token_budgets SET reserved = {_LIVE_HOLDS} + :tokens,"
            " reserved_until = now() + CAST(:hold AS integer) * interval '1 second'"
            f" WHERE user_sub = :u AND day = :day AND used + {_LIVE_HOLDS} < :budget"
            " RETURNING used, reserved, true AS granted",
            u=user_sub,
            day=day,
            tokens=tokens,
            hold=hold,
            budget=budget,
        )
        return granted if granted is not None else self.budget_state(user_sub, day, since)

    def budget_state(self, user_sub: str, day: date, since: datetime) -> Row:
        """The user's ``used`` and live ``reserved`` tokens of the day (``granted`` False)."""
        row = self._db.fetch_one(
            f"SELECT used, {_LIVE_HOLDS} AS reserved, false AS granted FROM token_budgets"
            " WHERE user_sub = :u AND day = :day",
            u=user_sub,
            day=day,
        )
        if row is None:  # no turn yet today: only messages stored before the ledger existed
            return {"used": self.tokens_since(user_sub, since), "reserved": 0, "granted": False}
        return row

    def settle_tokens(self, user_sub: str, day: date, held: int, spent: int) -> None:
        """Replace a turn's hold on the day with what it really spent (0 releases it)."""
        self._db.execute(
            "UPDATE token_budgets SET used = used + :spent,"
            " reserved = GREATEST(reserved - :held, 0) WHERE user_sub = :u AND day = :day",
            u=user_sub,
            day=day,
            held=held,
            spent=spent,
        )

    def set_handoff(self, chat_id: str, handoff: dict[str, Any]) -> None:
        """Record that the user asked for a human (and where the request went)."""
        self._db.execute(
            "UPDATE chats SET handoff = CAST(:h AS jsonb), updated_at = now()"
            " WHERE id = CAST(:id AS uuid)",
            h=json.dumps(handoff, ensure_ascii=False, default=str),
            id=chat_id,
        )

"""The PostgreSQL checkpointer against the embedded PostgreSQL: what it stores and reads."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from langgraph.checkpoint.base import create_checkpoint, empty_checkpoint

from chalicelib.repositories.postgres.checkpoints import PostgresCheckpointer


class _RecordingDatabase:
    """The real Database, recording the rows each read returned (to count what was read)."""

    def __init__(self, db: Any) -> None:
        self._db = db
        self.reads: list[tuple[str, int]] = []

    def fetch(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        rows = self._db.fetch(sql, **params)
        self.reads.append((sql, len(rows)))
        return rows

    def fetch_one(self, sql: str, **params: Any) -> dict[str, Any] | None:
        row = self._db.fetch_one(sql, **params)
        self.reads.append((sql, int(row is not None)))
        return row

    def transaction(self) -> Any:
        return self._db.transaction()

    def blob_rows_read(self) -> int:
        return sum(n for sql, n in self.reads if "graph_blobs" in sql)


def _chat(checkpointer: PostgresCheckpointer, turns: int) -> list[dict[str, Any]]:
    """Store ``turns`` checkpoints of one thread, each adding a message; return their configs."""
    config: dict[str, Any] = {"configurable": {"thread_id": str(uuid.uuid4()), "checkpoint_ns": ""}}
    checkpoint = empty_checkpoint()
    messages: list[dict[str, str]] = []
    version = None
    configs = []
    for turn in range(turns):
        messages = [*messages, {"role": "user", "content": f"question {turn}"}]
        version = checkpointer.get_next_version(version, None)
        checkpoint = create_checkpoint(checkpoint, None, turn)
        checkpoint["channel_values"] = {"messages": messages, "profile": {"turn": turn}}
        checkpoint["channel_versions"] = {"messages": version, "profile": version}
        config = checkpointer.put(
            config,
            checkpoint,
            {"source": "loop", "step": turn},
            {"messages": version, "profile": version},
        )
        configs.append(config)
    return configs


@pytest.fixture
def recording(stack):
    return _RecordingDatabase(stack.database)


def test_the_latest_checkpoint_reads_one_blob_per_channel_however_long_the_chat(recording):
    checkpointer = PostgresCheckpointer(recording)
    configs = _chat(checkpointer, 30)
    recording.reads.clear()
    latest = checkpointer.get_tuple(
        {"configurable": {"thread_id": configs[-1]["configurable"]["thread_id"]}}
    )
    assert latest is not None
    values = latest.checkpoint["channel_values"]
    assert [m["content"] for m in values["messages"]] == [f"question {t}" for t in range(30)]
    assert values["profile"] == {"turn": 29}
    # Two channels: two blob rows, not the 60 versions stored so far.
    assert recording.blob_rows_read() == 2


def test_an_earlier_checkpoint_still_reads_the_versions_it_named(recording):
    checkpointer = PostgresCheckpointer(recording)
    configs = _chat(checkpointer, 12)
    recording.reads.clear()
    earlier = checkpointer.get_tuple(configs[4])
    assert earlier is not None
    assert [m["content"] for m in earlier.checkpoint["channel_values"]["messages"]] == [
        f"question {t}" for t in range(5)
    ]
    assert earlier.checkpoint["channel_values"]["profile"] == {"turn": 4}
    assert recording.blob_rows_read() == 2
    assert earlier.parent_config == configs[3]


def test_a_deleted_thread_has_no_checkpoint(stack):
    checkpointer = PostgresCheckpointer(stack.database)
    configs = _chat(checkpointer, 3)
    thread = configs[-1]["configurable"]["thread_id"]
    checkpointer.delete_thread(thread)
    assert checkpointer.get_tuple({"configurable": {"thread_id": thread}}) is None

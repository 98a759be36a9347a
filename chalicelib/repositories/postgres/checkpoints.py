"""A LangGraph checkpointer on pg8000 (the official one needs psycopg): thread = chat.

Owns the three tables of migration 0003: checkpoints, channel blobs by version, pending
writes. Mirrors LangGraph's in-memory saver, persisted; the shared Database's lock makes it
safe from LangGraph's worker threads.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import Any, cast

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    WRITES_IDX_MAP,
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    get_checkpoint_id,
    get_checkpoint_metadata,
)

from chalicelib.repositories.postgres.database import Database, Row


def _pack(typed: tuple[str, bytes]) -> bytes:
    return typed[0].encode() + b"\x00" + typed[1]


def _unpack(blob: bytes) -> tuple[str, bytes]:
    kind, _, payload = bytes(blob).partition(b"\x00")
    return kind.decode(), payload


class PostgresCheckpointer(BaseCheckpointSaver[str]):
    """Persist LangGraph checkpoints in FinQ's PostgreSQL."""

    def __init__(self, db: Database) -> None:
        """Use the shared database connection."""
        super().__init__()
        self._db = db

    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        """Return the requested (or latest) checkpoint of a thread."""
        configurable = config["configurable"]
        thread, ns = configurable["thread_id"], configurable.get("checkpoint_ns", "")
        checkpoint_id = get_checkpoint_id(config)
        sql = (
            "SELECT checkpoint_id, parent_id, checkpoint, metadata FROM graph_checkpoints"
            " WHERE thread_id = :t AND checkpoint_ns = :ns"
        )
        if checkpoint_id:
            row = self._db.fetch_one(
                sql + " AND checkpoint_id = :c", t=thread, ns=ns, c=checkpoint_id
            )
        else:
            row = self._db.fetch_one(sql + " ORDER BY checkpoint_id DESC LIMIT 1", t=thread, ns=ns)
        return self._tuple(thread, ns, row) if row else None

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,  # noqa: A002 - LangGraph's signature
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        """Yield a thread's checkpoints, newest first."""
        if config is None:
            return
        configurable = config["configurable"]
        thread, ns = configurable["thread_id"], configurable.get("checkpoint_ns", "")
        rows = self._db.fetch(
            "SELECT checkpoint_id, parent_id, checkpoint, metadata FROM graph_checkpoints"
            " WHERE thread_id = :t AND checkpoint_ns = :ns"
            " AND (CAST(:before AS text) IS NULL OR checkpoint_id < :before)"
            " ORDER BY checkpoint_id DESC",
            t=thread,
            ns=ns,
            before=get_checkpoint_id(before) if before else None,
        )
        produced = 0
        for row in rows:
            item = self._tuple(thread, ns, row)
            if filter and not all(item.metadata.get(k) == v for k, v in filter.items()):
                continue
            if limit is not None and produced >= limit:
                return
            produced += 1
            yield item

    def put(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        """Store a checkpoint and the channel values that changed with it."""
        configurable = config["configurable"]
        thread, ns = configurable["thread_id"], configurable.get("checkpoint_ns", "")
        copy = checkpoint.copy()
        values: dict[str, Any] = copy.pop("channel_values")  # type: ignore[misc]
        with self._db.transaction() as tx:
            for channel, version in new_versions.items():
                value = (
                    _pack(self.serde.dumps_typed(values[channel])) if channel in values else None
                )
                tx.execute(
                    "INSERT INTO graph_blobs (thread_id, checkpoint_ns, channel, version, value)"
                    " VALUES (:t, :ns, :c, :v, :value) ON CONFLICT DO NOTHING",
                    t=thread,
                    ns=ns,
                    c=channel,
                    v=str(version),
                    value=value,
                )
            tx.execute(
                "INSERT INTO graph_checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_id,"
                " checkpoint, metadata) VALUES (:t, :ns, :id, :parent, :cp, :meta)"
                " ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id)"
                " DO UPDATE SET checkpoint = EXCLUDED.checkpoint, metadata = EXCLUDED.metadata",
                t=thread,
                ns=ns,
                id=checkpoint["id"],
                parent=configurable.get("checkpoint_id"),
                cp=_pack(self.serde.dumps_typed(copy)),
                meta=_pack(self.serde.dumps_typed(get_checkpoint_metadata(config, metadata))),
            )
        return {
            "configurable": {
                "thread_id": thread,
                "checkpoint_ns": ns,
                "checkpoint_id": checkpoint["id"],
            }
        }

    def put_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Store a task's pending writes (special channels overwrite, others only once)."""
        configurable = config["configurable"]
        thread, ns = configurable["thread_id"], configurable.get("checkpoint_ns", "")
        with self._db.transaction() as tx:
            for position, (channel, value) in enumerate(writes):
                idx = WRITES_IDX_MAP.get(channel, position)
                conflict = (
                    "DO UPDATE SET channel = EXCLUDED.channel, value = EXCLUDED.value"
                    if idx < 0
                    else "DO NOTHING"
                )
                tx.execute(
                    "INSERT INTO graph_writes (thread_id, checkpoint_ns, checkpoint_id, task_id,"
                    " idx, channel, value, task_path)"
                    " VALUES (:t, :ns, :c, :task, :idx, :ch, :v, :path)"
                    " ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)"
                    f" {conflict}",
                    t=thread,
                    ns=ns,
                    c=configurable["checkpoint_id"],
                    task=task_id,
                    idx=idx,
                    ch=channel,
                    v=_pack(self.serde.dumps_typed(value)),
                    path=task_path,
                )

    def delete_thread(self, thread_id: str) -> None:
        """Forget every checkpoint of a thread (the chat was deleted)."""
        with self._db.transaction() as tx:
            for table in ("graph_writes", "graph_blobs", "graph_checkpoints"):
                tx.execute(f"DELETE FROM {table} WHERE thread_id = :t", t=thread_id)  # noqa: S608

    def get_next_version(self, current: str | None, channel: None) -> str:
        """Monotonic, sortable channel versions (as LangGraph's own savers make them)."""
        if current is None:
            number = 0
        elif isinstance(current, int):
            number = current
        else:
            number = int(str(current).split(".")[0])
        return f"{number + 1:032}.{random.random():016}"  # noqa: S311 - a tie-breaker

    def _channel_values(self, thread: str, ns: str, versions: dict[str, Any]) -> dict[str, Any]:
        """Load the one blob per channel that the checkpoint names, by primary key.

        SQL picks the version: older versions of a channel are never read, so a turn's cost
        does not grow with the number of turns before it.
        """
        channels = list(versions)
        blobs = self._db.fetch(
            "SELECT b.channel, b.value FROM graph_blobs b"
            " JOIN unnest(CAST(:channels AS text[]), CAST(:versions AS text[]))"
            " AS wanted(channel, version)"
            " ON b.channel = wanted.channel AND b.version = wanted.version"
            " WHERE b.thread_id = :t AND b.checkpoint_ns = :ns AND b.value IS NOT NULL",
            t=thread,
            ns=ns,
            channels=channels,
            versions=[str(versions[c]) for c in channels],
        )
        return {blob["channel"]: self.serde.loads_typed(_unpack(blob["value"])) for blob in blobs}

    def _tuple(self, thread: str, ns: str, row: Row) -> CheckpointTuple:
        checkpoint = self.serde.loads_typed(_unpack(row["checkpoint"]))
        versions = checkpoint.get("channel_versions", {})
        values = self._channel_values(thread, ns, versions) if versions else {}
        writes = self._db.fetch(
            "SELECT task_id, channel, value FROM graph_writes WHERE thread_id = :t"
            " AND checkpoint_ns = :ns AND checkpoint_id = :c ORDER BY task_id, idx",
            t=thread,
            ns=ns,
            c=row["checkpoint_id"],
        )
        parent = row["parent_id"]
        return CheckpointTuple(
            config={
                "configurable": {
                    "thread_id": thread,
                    "checkpoint_ns": ns,
                    "checkpoint_id": row["checkpoint_id"],
                }
            },
            checkpoint=cast(Checkpoint, {**checkpoint, "channel_values": values}),
            metadata=self.serde.loads_typed(_unpack(row["metadata"])),
            parent_config=(
                {
                    "configurable": {
                        "thread_id": thread,
                        "checkpoint_ns": ns,
                        "checkpoint_id": parent,
                    }
                }
                if parent
                else None
            ),
            pending_writes=[
                (w["task_id"], w["channel"], self.serde.loads_typed(_unpack(w["value"])))
                for w in writes
            ],
        )

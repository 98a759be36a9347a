"""PostgreSQL storage of youth policies, their required documents and ingestion runs.

Owns the SQL of ingestion: batched upserts through one JSON parameter per batch (pg8000 turns
thousands of named parameters into quadratic work, and one huge statement can deadlock the
socket), document upserts that keep ids stable, withdrawal, and the run ledger.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
from collections.abc import Iterable, Sequence
from typing import Any

from chalicelib.policies.normalize import Policy
from chalicelib.repositories.postgres.database import Database, Row, Session

_BATCH = 500
_COLUMNS = {
    "plcy_no": "text", "name": "text", "keywords": "text[]", "description": "text",
    "support_content": "text", "categories": "text[]", "subcategories": "text[]",
    "min_age": "integer", "max_age": "integer", "district_codes": "text[]",
    "province_codes": "text[]", "province_wide": "text[]", "nationwide": "boolean",
    "apply_period_code": "text", "apply_status": "text", "apply_start": "date",
    "apply_end": "date", "apply_windows": "jsonb", "apply_method": "text",
    "screening_method": "text", "apply_url": "text", "reference_url": "text",
    "documents_text": "text", "job_codes": "text[]", "school_codes": "text[]",
    "marital_code": "text", "major_codes": "text[]", "special_codes": "text[]",
    "earn_condition_code": "text", "earn_min": "integer", "earn_max": "integer",
    "earn_etc": "text", "additional_conditions": "text", "participant_target": "text",
    "institution": "text", "approved": "boolean", "status": "text", "raw": "jsonb",
    "content_hash": "text", "source_modified_at": "timestamptz",
}  # fmt: skip
_NAMES = ", ".join(_COLUMNS)
_RECORD_TYPE = ", ".join(f"{name} {kind}" for name, kind in _COLUMNS.items())
_UPDATES = ", ".join(f"{name} = EXCLUDED.{name}" for name in _COLUMNS if name != "plcy_no")
_UPSERT = (
    f"INSERT INTO youth_policies ({_NAMES})"
    f" SELECT {_NAMES} FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r({_RECORD_TYPE})"
    f" ON CONFLICT (plcy_no) DO UPDATE SET {_UPDATES}, updated_at = now()"
)
_UPSERT_DOCUMENTS = (
    "INSERT INTO required_documents (plcy_no, position, name)"
    " SELECT plcy_no, position, name FROM jsonb_to_recordset(CAST(:rows AS jsonb))"
    " AS r(plcy_no text, position integer, name text)"
    " ON CONFLICT (plcy_no, name) DO UPDATE SET position = EXCLUDED.position"
)
_DELETE_STALE_DOCUMENTS = (
    "DELETE FROM required_documents d WHERE d.plcy_no = ANY(CAST(:numbers AS text[]))"
    " AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(CAST(:rows AS jsonb))"
    " AS r(plcy_no text, name text) WHERE r.plcy_no = d.plcy_no AND r.name = d.name)"
)


def _row(policy: Policy) -> dict[str, Any]:
    data = dataclasses.asdict(policy)
    data.pop("documents")
    data["status"] = policy.status
    for key in ("apply_start", "apply_end", "source_modified_at"):
        value = data[key]
        data[key] = value.isoformat() if value is not None else None
    return data


class PostgresPolicyRepository:
    """Policies, documents and ingestion runs in PostgreSQL (a ``ports.PolicyRepository``)."""

    def __init__(self, db: Database) -> None:
        """Use the shared database connection."""
        self._db = db

    def hashes(self, plcy_nos: Sequence[str]) -> dict[str, Row]:
        """Return ``{plcy_no: {content_hash, indexed_hash, status}}`` for known policies."""
        rows = self._db.fetch(
            "SELECT plcy_no, content_hash, indexed_hash, status FROM youth_policies"
            " WHERE plcy_no = ANY(CAST(:numbers AS text[]))",
            numbers=list(plcy_nos),
        )
        return {row["plcy_no"]: row for row in rows}

    def snapshots(self, plcy_nos: Sequence[str]) -> dict[str, Row]:
        """Return ``{plcy_no: {raw, status, content_hash, updated_at}}`` of stored versions."""
        rows = self._db.fetch(
            "SELECT plcy_no, raw, status, content_hash, updated_at FROM youth_policies"
            " WHERE plcy_no = ANY(CAST(:numbers AS text[]))",
            numbers=list(plcy_nos),
        )
        return {row["plcy_no"]: row for row in rows}

    def upsert(self, policies: Sequence[Policy]) -> None:
        """Insert or update policies and their documents, atomically per call."""
        with self._db.transaction() as tx:
            for start in range(0, len(policies), _BATCH):
                self._upsert_batch(tx, policies[start : start + _BATCH])

    def _upsert_batch(self, tx: Session, policies: Sequence[Policy]) -> None:
        tx.execute(_UPSERT, rows=json.dumps([_row(p) for p in policies], ensure_ascii=False))
        documents = [
            {"plcy_no": p.plcy_no, "position": i + 1, "name": name}
            for p in policies
            for i, name in enumerate(p.documents)
        ]
        payload = json.dumps(documents, ensure_ascii=False)
        tx.execute(_DELETE_STALE_DOCUMENTS, numbers=[p.plcy_no for p in policies], rows=payload)
        if documents:
            tx.execute(_UPSERT_DOCUMENTS, rows=payload)

    def mark_indexed(self, hashes: dict[str, str | None]) -> None:
        """Record which content hash of each policy the index now holds (None: not indexed)."""
        if hashes:
            self._db.execute(
                "UPDATE youth_policies p SET indexed_hash = r.hash"
                " FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(plcy_no text, hash text)"
                " WHERE p.plcy_no = r.plcy_no",
                rows=json.dumps([{"plcy_no": k, "hash": v} for k, v in hashes.items()]),
            )

    def mark_seen(self, plcy_nos: Iterable[str], sync_id: int) -> None:
        """Record that full sync ``sync_id`` listed these policies (across its invocations)."""
        self._db.execute(
            "UPDATE youth_policies SET last_seen_sync = :sync"
            " WHERE plcy_no = ANY(CAST(:numbers AS text[]))",
            sync=sync_id,
            numbers=sorted(set(plcy_nos)),
        )

    def withdraw_unseen(self, sync_id: int) -> list[str]:
        """Withdraw every policy full sync ``sync_id`` did not list; return those withdrawn."""
        rows = self._db.fetch(
            "UPDATE youth_policies SET status = 'withdrawn', updated_at = now()"
            " WHERE status <> 'withdrawn' AND last_seen_sync IS DISTINCT FROM :sync"
            " RETURNING plcy_no",
            sync=sync_id,
        )
        return [row["plcy_no"] for row in rows]

    def unseen(self, sync_id: int) -> list[Row]:
        """Policies ``withdraw_unseen(sync_id)`` would withdraw (plcy_no, status, hash, time)."""
        return self._db.fetch(
            "SELECT plcy_no, status, content_hash, updated_at FROM youth_policies"
            " WHERE status <> 'withdrawn' AND last_seen_sync IS DISTINCT FROM :sync"
            " ORDER BY plcy_no",
            sync=sync_id,
        )

    def drifted(self, limit: int) -> list[Row]:
        """Policies whose index state disagrees with PostgreSQL (raw record and status)."""
        return self._db.fetch(
            "SELECT plcy_no, raw, status, content_hash, indexed_hash FROM youth_policies"
            " WHERE (status = 'active' AND indexed_hash IS DISTINCT FROM content_hash)"
            " OR (status <> 'active' AND indexed_hash IS NOT NULL)"
            " ORDER BY plcy_no LIMIT :limit",
            limit=limit,
        )

    def reset_index_marks(self) -> None:
        """Forget what the index holds (after a rebuild): every active policy is re-indexed."""
        self._db.execute(
            "UPDATE youth_policies SET indexed_hash = NULL WHERE indexed_hash IS NOT NULL"
        )

    def active_numbers(self) -> set[str]:
        """Return plcy_no of every searchable policy."""
        rows = self._db.fetch("SELECT plcy_no FROM youth_policies WHERE status = 'active'")
        return {row["plcy_no"] for row in rows}

    def documents(self, plcy_no: str) -> list[Row]:
        """Return a policy's required documents in order."""
        return self._db.fetch(
            "SELECT id, position, name FROM required_documents"
            " WHERE plcy_no = :p ORDER BY position",
            p=plcy_no,
        )

    def start_run(self, source: str, full_sync: bool) -> int:
        """Open an ingestion run and return its id."""
        row = self._db.fetch_one(
            "INSERT INTO ingestion_runs (source, full_sync, owner) VALUES (:s, :f, :o)"
            " RETURNING id",
            s=source,
            f=full_sync,
            o=f"{socket.gethostname()}:{os.getpid()}",
        )
        assert row is not None
        return int(row["id"])

    def finish_run(self, run_id: int, report: dict[str, Any]) -> None:
        """Store a run's outcome, counts, rejections, timings and checkpoint."""
        counts = report["counts"]
        self._db.execute(
            "UPDATE ingestion_runs SET status = :status, finished_at = now(),"
            " new_count = :new, updated_count = :updated, unchanged_count = :unchanged,"
            " withdrawn_count = :withdrawn, rejected_count = :rejected,"
            " rejections = CAST(:rejections AS jsonb), timings = CAST(:timings AS jsonb),"
            " checkpoint = CAST(:checkpoint AS jsonb), error = :error WHERE id = :id",
            id=run_id,
            status=report["status"],
            new=counts["new"],
            updated=counts["updated"],
            unchanged=counts["unchanged"],
            withdrawn=counts["withdrawn"],
            rejected=counts["rejected"],
            rejections=json.dumps(report["rejections"][:1000], ensure_ascii=False),
            timings=json.dumps(report["timings"]),
            checkpoint=json.dumps(report.get("checkpoint")),
            error=report.get("error"),
        )

    def heartbeat(self, run_id: int) -> None:
        """Note that a run is still working (see ``abandon_stale_runs``)."""
        self._db.execute("UPDATE ingestion_runs SET heartbeat_at = now() WHERE id = :id", id=run_id)

    def running_runs(self) -> list[Row]:
        """Runs still marked running: id, source, full_sync, owner, seconds since a beat."""
        return self._db.fetch(
            "SELECT id, source, full_sync, owner,"
            " EXTRACT(EPOCH FROM now() - heartbeat_at)::float8 AS silent_seconds"
            " FROM ingestion_runs WHERE status = 'running' ORDER BY id"
        )

    def abandon_runs(self, run_ids: list[int]) -> list[Row]:
        """Mark runs whose process died as abandoned; return those changed (id, source, kind)."""
        return self._db.fetch(
            "UPDATE ingestion_runs SET status = 'abandoned', finished_at = now(),"
            " error = 'the process running it stopped'"
            " WHERE status = 'running' AND id = ANY(CAST(:ids AS bigint[]))"
            " RETURNING id, source, full_sync",
            ids=run_ids,
        )

    def forget_unindexed(self, indexed: set[str]) -> int:
        """Clear the index mark of policies marked indexed that the index does not hold.

        Returns:
            How many marks were cleared (those policies are then re-indexed as drift).
        """
        return self._db.execute(
            "UPDATE youth_policies SET indexed_hash = NULL WHERE indexed_hash IS NOT NULL"
            " AND NOT (plcy_no = ANY(CAST(:indexed AS text[])))",
            indexed=sorted(indexed),
        )

    def index_expectation(self) -> int:
        """Return how many policies should be searchable (active and approved)."""
        row = self._db.fetch_one(
            "SELECT count(*) AS n FROM youth_policies WHERE status = 'active' AND approved"
        )
        return int(row["n"]) if row else 0

    def run(self, run_id: int) -> Row | None:
        """Return one ingestion run."""
        return self._db.fetch_one("SELECT * FROM ingestion_runs WHERE id = :id", id=run_id)

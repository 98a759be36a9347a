"""Policy sync use cases: an uploaded file, the nightly re-sync, a path or S3 URI from the CLI.

Owns which source each trigger reads and where rejected records are quarantined
(``quarantine/run-<id>.jsonl`` in the policy bucket). The pipeline itself is IngestionService.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chalicelib.deadlines import StopCheck
from chalicelib.errors import InvalidInput
from chalicelib.ports import BlobStore
from chalicelib.services import policy_sources
from chalicelib.services.ingestion import IngestionService, Progress

_log = logging.getLogger(__name__)
Continue = Callable[[dict[str, Any]], None]
# A run beats after every batch; Lambda stops any invocation after 15 minutes, so a run silent
# for 20 is dead.
STALE_RUN_SECONDS = 20 * 60


def quarantine_writer(bucket: BlobStore) -> Callable[[int, list[dict[str, Any]]], None]:
    """Return a function that stores a run's rejected records as JSON Lines in ``bucket``."""

    def write(run_id: int, rejections: list[dict[str, Any]]) -> None:
        body = "\n".join(json.dumps(r, ensure_ascii=False) for r in rejections) + "\n"
        bucket.write(f"quarantine/run-{run_id}.jsonl", body.encode("utf-8"), "application/x-ndjson")

    return write


class PolicySync:
    """Run ingestion from each of FinQ's sources."""

    def __init__(
        self,
        ingestion: IngestionService,
        bucket: BlobStore,
        ontong: policy_sources.OntongClient | None = None,
        continue_later: Continue | None = None,
    ) -> None:
        """Compose the use cases.

        Args:
            ingestion: The pipeline.
            bucket: The policy bucket (sources and quarantine).
            ontong: The Ontong API client, when a key is configured.
            continue_later: Schedules ``resume(payload)`` in a fresh invocation when a run
                stopped at a checkpoint (an async Lambda invoke in AWS).
        """
        self._ingestion = ingestion
        self._bucket = bucket
        self._ontong = ontong
        self._continue = continue_later

    def resume(
        self, payload: dict[str, Any], should_stop: StopCheck = lambda: False
    ) -> dict[str, Any] | None:
        """Continue a run that stopped at a checkpoint (``{"kind", "key"?, "offset"}``)."""
        offset = int(payload.get("offset", 0))
        if payload.get("kind") == "upload":
            return self.uploaded(str(payload["key"]), should_stop, resume_from=offset)
        if payload.get("kind") == "nightly":
            return self.nightly(should_stop, resume_from=offset, sync=payload.get("sync"))
        raise InvalidInput(f"unknown continuation {payload.get('kind')!r}")

    def _after(self, report: dict[str, Any], payload: dict[str, Any]) -> dict[str, Any]:
        checkpoint = report.get("checkpoint")
        if report["status"] == "partial" and checkpoint and self._continue is not None:
            _log.info(
                "run %s stopped at %d; continuing in a new invocation",
                report["run_id"],
                checkpoint["offset"],
            )
            self._continue(
                {
                    **payload,
                    "offset": checkpoint["offset"],
                    "sync": {"sync_id": checkpoint["sync_id"], "valid": checkpoint["valid"]}
                    if checkpoint.get("sync_id") is not None
                    else None,
                }
            )
        return report

    def uploaded(
        self, key: str, should_stop: StopCheck = lambda: False, resume_from: int = 0
    ) -> dict[str, Any] | None:
        """Ingest one uploaded object; ignore keys outside ``policies/*.json|.jsonl``."""
        if not policy_sources.is_policy_key(key):
            _log.info("ignoring s3://%s/%s: not a policy file", self._bucket.name, key)
            return None
        report = self._ingestion.ingest(
            policy_sources.s3_object(self._bucket, key),
            source=f"s3://{self._bucket.name}/{key}",
            should_stop=should_stop,
            resume_from=resume_from,
        )
        return self._after(report, {"kind": "upload", "key": key})

    def nightly(
        self,
        should_stop: StopCheck = lambda: False,
        resume_from: int = 0,
        sync: dict[str, int] | None = None,
    ) -> dict[str, Any]:
        """Re-sync everything: from the Ontong API when configured, else the S3 prefix.

        A fresh sync first repairs what crashes left behind (dead runs, a lost index); the
        sync itself then reads every source again.
        """
        if resume_from == 0:
            self._ingestion.recover(STALE_RUN_SECONDS, should_stop=should_stop)
        if self._ontong is not None:
            items, source = self._ontong.records(), "ontong-api"
        else:
            items = policy_sources.s3_prefix(self._bucket)
            source = f"s3://{self._bucket.name}/{policy_sources.POLICY_PREFIX}"
        report = self._ingestion.ingest(
            items,
            source=source,
            full_sync=True,
            should_stop=should_stop,
            resume_from=resume_from,
            sync=sync,
        )
        return self._after(report, {"kind": "nightly"})

    def recover(
        self,
        silent_seconds: float,
        *,
        check_local_pids: bool = False,
        should_stop: StopCheck = lambda: False,
    ) -> dict[str, Any]:
        """Repair after a crash: redo abandoned runs' sources, re-index what drifted.

        Args:
            silent_seconds: A running run that has not beaten for this long is dead.
            check_local_pids: Also abandon runs of dead processes on this host (local start).
            should_stop: Polled between batches.
        """
        report = self._ingestion.recover(
            silent_seconds, check_local_pids=check_local_pids, should_stop=should_stop
        )
        redone: list[str] = []
        prefix = f"s3://{self._bucket.name}/"
        for source, full_sync in {(r["source"], r["full_sync"]) for r in report["abandoned_runs"]}:
            if full_sync:
                self.nightly(should_stop)
            elif source.startswith(prefix) and policy_sources.is_policy_key(source[len(prefix) :]):
                self.uploaded(source[len(prefix) :], should_stop)
            else:
                _log.warning("cannot redo abandoned run of %s: ingest it again by hand", source)
                continue
            redone.append(source)
        report["redone"] = sorted(redone)
        return report

    def index_status(self) -> dict[str, int]:
        """Policies the index finds vs should find (``searchable``, ``expected``)."""
        return self._ingestion.index_status()

    @property
    def ingestion(self) -> IngestionService:
        """The pipeline the triggers run (benchmarks and tests feed it records directly)."""
        return self._ingestion

    def from_location(
        self, location: str, full_sync: bool, progress: Progress | None = None
    ) -> dict[str, Any]:
        """Ingest a local path or an ``s3://bucket/key-or-prefix`` URI (the CLI)."""
        if location.startswith("s3://"):
            bucket_name, _, key = location[5:].partition("/")
            if bucket_name != self._bucket.name:
                raise InvalidInput(f"only the policy bucket {self._bucket.name} can be read")
            items = (
                policy_sources.s3_prefix(self._bucket, key)
                if not key or key.endswith("/")
                else policy_sources.s3_object(self._bucket, key)
            )
        else:
            path = Path(location)
            if not path.exists():
                raise InvalidInput(f"{location} does not exist")
            items = policy_sources.local_path(path)
        return self._ingestion.ingest(
            items, source=location, full_sync=full_sync, progress=progress
        )

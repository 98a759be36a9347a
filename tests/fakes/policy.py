"""In-memory fakes of the policy ports, for service unit tests.

Kept honest by tests/contract/test_policy_index.py and test_policy_repository.py, which run
the same assertions against these and the real adapters from the session stack.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from chalicelib.policies.filters import PolicyChunk, PolicyFilter
from chalicelib.policies.normalize import Policy


def _in_region(row: Any, region: str) -> bool:
    if row.nationwide:
        return True
    if len(region) == 2:
        return region in row.province_codes
    return region in row.district_codes or region[:2] in row.province_wide


def passes(filters: PolicyFilter, row: Any, today: date, windows: list[tuple[date, date]]) -> bool:
    """Whether a chunk or policy passes ``filters`` on ``today`` (``windows``: exact periods)."""
    if filters.age is not None and not ((row.min_age or 0) <= filters.age <= (row.max_age or 999)):
        return False
    if filters.region is not None and not _in_region(row, filters.region):
        return False
    if filters.category is not None and filters.category not in row.categories:
        return False
    window, end = row.apply_status == "window", row.apply_end
    states = {
        "always": row.apply_status == "always",
        "open": row.apply_status == "always"
        or (window and any(s <= today <= e for s, e in windows)),
        "upcoming": window
        and row.apply_start is not None
        and row.apply_start > today
        and not any(s <= today <= e for s, e in windows),
        "closed": row.apply_status == "closed" or (window and end is not None and end < today),
    }
    if filters.status is not None and not states[filters.status]:
        return False
    if filters.deadline_before is not None:
        return window and end is not None and end <= filters.deadline_before
    return True


class InMemoryPolicyIndex:
    """A ``PolicyIndex`` over a dict of chunks; exact cosine search."""

    backend = "memory"

    def __init__(self) -> None:
        """Start with no index at all (``ensure`` creates it)."""
        self.chunks: dict[str, PolicyChunk] | None = None

    def ensure(self) -> bool:
        """Create the index if missing; True when it was created."""
        if self.chunks is None:
            self.chunks = {}
            return True
        return False

    def drop(self) -> None:
        """Forget the index and its chunks."""
        self.chunks = None

    def exists(self) -> bool:
        """Whether ``ensure`` ran."""
        return self.chunks is not None

    def _all(self) -> dict[str, PolicyChunk]:
        self.ensure()
        assert self.chunks is not None
        return self.chunks

    def upsert(self, chunks: Sequence[PolicyChunk]) -> None:
        """Insert or replace by chunk id."""
        self._all().update({c.chunk_id: c for c in chunks})

    def delete_policies(self, plcy_nos: Iterable[str]) -> None:
        """Drop every chunk of these policies."""
        gone = set(plcy_nos)
        for key in [k for k, c in self._all().items() if c.plcy_no in gone]:
            del self._all()[key]

    def flush(self) -> None:
        """Nothing to seal in memory."""

    def count(self) -> int:
        """Chunks stored."""
        return len(self._all())

    def searchable_policies(self) -> int:
        """Approved policies (their first chunk)."""
        return sum(1 for c in self._all().values() if c.approved and c.chunk_id.endswith(":0"))

    def indexed_policies(self) -> set[str]:
        """Policies with a chunk."""
        return {c.plcy_no for c in self._all().values()}

    def search(
        self, vector: list[float], filters: PolicyFilter, *, today: date, limit: int
    ) -> list[tuple[str, float]]:
        """Best chunk per approved policy passing ``filters`` (first start, last end)."""
        hits = []
        for chunk in self._all().values():
            span = [(chunk.apply_start or date.min, chunk.apply_end or date.max)]
            if chunk.approved and passes(filters, chunk, today, span):
                hits.append((chunk.plcy_no, _cosine(vector, chunk.vector)))
        best: dict[str, float] = {}
        for number, score in sorted(hits, key=lambda h: -h[1])[:limit]:
            best[number] = max(best.get(number, -1.0), score)
        return sorted(best.items(), key=lambda item: -item[1])


def _cosine(a: list[float], b: list[float]) -> float:
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(x * x for x in b))
    return sum(x * y for x, y in zip(a, b, strict=True)) / norm if norm else 0.0


def policy_row(policy: Policy) -> dict[str, Any]:
    """A stored policy as the PostgreSQL adapters return it (list and detail columns)."""
    row = dataclasses.asdict(policy)
    row.update(status=policy.status, indexed_hash=None, last_seen=None)
    return row


def _windows(row: dict[str, Any]) -> list[tuple[date, date]]:
    return [
        (date.fromisoformat(w["start"]), date.fromisoformat(w["end"]))
        for w in row["apply_windows"] or []
    ]


class InMemoryPolicyRepository:
    """A ``PolicyRepository`` over dicts; runs are numbered from 1."""

    def __init__(self) -> None:
        """Start empty."""
        self.rows: dict[str, dict[str, Any]] = {}
        self.runs: dict[int, dict[str, Any]] = {}
        self.writes = 0  # every upsert or withdrawal: the catalogue version's change marker

    def hashes(self, plcy_nos: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Hash state of known policies."""
        keys = ("plcy_no", "content_hash", "indexed_hash", "status")
        return {n: {k: self.rows[n][k] for k in keys} for n in plcy_nos if n in self.rows}

    def snapshots(self, plcy_nos: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Stored versions: raw record, status, hash and when they were written."""
        keys = ("plcy_no", "raw", "status", "content_hash", "updated_at")
        return {n: {k: self.rows[n][k] for k in keys} for n in plcy_nos if n in self.rows}

    def upsert(self, policies: Sequence[Policy]) -> None:
        """Insert or update, keeping the index mark and the sync mark."""
        self.writes += 1
        for policy in policies:
            old = self.rows.get(policy.plcy_no, {})
            self.rows[policy.plcy_no] = {
                **policy_row(policy),
                "indexed_hash": old.get("indexed_hash"),
                "last_seen": old.get("last_seen"),
                "updated_at": datetime.now(UTC),
            }

    def mark_indexed(self, hashes: dict[str, str | None]) -> None:
        """Record what the index holds."""
        for number, value in hashes.items():
            if number in self.rows:
                self.rows[number]["indexed_hash"] = value

    def mark_seen(self, plcy_nos: Iterable[str], sync_id: int) -> None:
        """Record the sync that listed these."""
        for number in plcy_nos:
            if number in self.rows:
                self.rows[number]["last_seen"] = sync_id

    def unseen(self, sync_id: int) -> list[dict[str, Any]]:
        """What ``withdraw_unseen`` would withdraw."""
        keys = ("plcy_no", "status", "content_hash", "updated_at")
        return [
            {k: r[k] for k in keys}
            for _, r in sorted(self.rows.items())
            if r["status"] != "withdrawn" and r["last_seen"] != sync_id
        ]

    def withdraw_unseen(self, sync_id: int) -> list[str]:
        """Withdraw what the sync did not list."""
        gone = [row["plcy_no"] for row in self.unseen(sync_id)]
        for number in gone:
            self.rows[number].update(status="withdrawn", updated_at=datetime.now(UTC))
        self.writes += 1 if gone else 0
        return gone

    def drifted(self, limit: int) -> list[dict[str, Any]]:
        """Rows whose index mark disagrees with their content or status."""
        rows = [
            r
            for _, r in sorted(self.rows.items())
            if (r["status"] == "active" and r["indexed_hash"] != r["content_hash"])
            or (r["status"] != "active" and r["indexed_hash"] is not None)
        ]
        return rows[:limit]

    def reset_index_marks(self) -> None:
        """Forget every index mark."""
        for row in self.rows.values():
            row["indexed_hash"] = None

    def forget_unindexed(self, indexed: set[str]) -> int:
        """Clear marks the index does not back."""
        lost = [r for n, r in self.rows.items() if r["indexed_hash"] and n not in indexed]
        for row in lost:
            row["indexed_hash"] = None
        return len(lost)

    def index_expectation(self) -> int:
        """Active and approved policies."""
        return sum(1 for r in self.rows.values() if r["status"] == "active" and r["approved"])

    def documents(self, plcy_no: str) -> list[dict[str, Any]]:
        """Documents in order (ids are positions here)."""
        names = self.rows[plcy_no]["documents"] if plcy_no in self.rows else []
        return [{"id": i + 1, "position": i + 1, "name": n} for i, n in enumerate(names)]

    def start_run(self, source: str, full_sync: bool) -> int:
        """Open a run."""
        run_id = len(self.runs) + 1
        self.runs[run_id] = {"id": run_id, "source": source, "full_sync": full_sync}
        self.runs[run_id].update(status="running", owner="fake:0", silent_seconds=0.0)
        return run_id

    def finish_run(self, run_id: int, report: dict[str, Any]) -> None:
        """Store the outcome."""
        self.runs[run_id].update(status=report["status"], report=report)

    def heartbeat(self, run_id: int) -> None:
        """The run is alive."""
        self.runs[run_id]["silent_seconds"] = 0.0

    def running_runs(self) -> list[dict[str, Any]]:
        """Runs still running."""
        return [dict(r) for r in self.runs.values() if r["status"] == "running"]

    def abandon_runs(self, run_ids: list[int]) -> list[dict[str, Any]]:
        """Mark dead runs abandoned."""
        changed = [self.runs[i] for i in run_ids if self.runs[i]["status"] == "running"]
        for run in changed:
            run["status"] = "abandoned"
        return [{k: r[k] for k in ("id", "source", "full_sync")} for r in changed]

    def run(self, run_id: int) -> dict[str, Any] | None:
        """One run."""
        return self.runs.get(run_id)


class InMemoryDiscoveryQueries:
    """``DiscoveryQueries`` over a repository fake's rows; counts ``among`` calls."""

    def __init__(self, repository: InMemoryPolicyRepository) -> None:
        """Read the repository fake's rows."""
        self._repo = repository
        self.among_calls = 0

    def _passing(self, filters: PolicyFilter, today: date) -> list[dict[str, Any]]:
        found = []
        for _, row in sorted(self._repo.rows.items()):
            view = _RowView(row)
            if row["status"] != "active" or not passes(filters, view, today, _windows(row)):
                continue
            text = f"{row['name']} {' '.join(row['keywords'])} {row['description']}".lower()
            if filters.keyword is None or filters.keyword.lower() in text:
                found.append(row)
        return found

    def page(
        self, filters: PolicyFilter, today: date, sort: str, after: list[Any] | None, limit: int
    ) -> list[dict[str, Any]]:
        """Plcy_no order only (enough for the unit tests)."""
        return self._passing(filters, today)[:limit]

    def among(
        self, numbers: list[str], filters: PolicyFilter, today: date
    ) -> dict[str, dict[str, Any]]:
        """Those of ``numbers`` that pass."""
        self.among_calls += 1
        return {r["plcy_no"]: r for r in self._passing(filters, today) if r["plcy_no"] in numbers}

    def name_matches(
        self, text: str, filters: PolicyFilter, today: date, limit: int = 50
    ) -> list[dict[str, Any]]:
        """Exact names and keywords."""
        needle = text.strip()
        return [
            {"plcy_no": r["plcy_no"], "exact": r["name"].lower() == needle.lower()}
            for r in self._passing(filters, today)
            if r["name"].lower() == needle.lower() or needle in r["keywords"]
        ][:limit]

    def detail(self, plcy_no: str) -> dict[str, Any] | None:
        """An active policy."""
        row = self._repo.rows.get(plcy_no)
        return row if row and row["status"] == "active" else None

    def candidates_for(
        self, filters: PolicyFilter, today: date, limit: int
    ) -> list[dict[str, Any]]:
        """Open policies, soonest deadline first."""
        open_now = dataclasses.replace(filters, status="open")
        rows = self._passing(open_now, today)
        return sorted(rows, key=lambda r: (r["apply_end"] or date.max, r["plcy_no"]))[:limit]

    def catalogue(self) -> list[dict[str, Any]]:
        """Active policies' numbers, names, keywords and how to apply, by number."""
        return [
            {k: r[k] for k in ("plcy_no", "name", "keywords", "apply_method")}
            for _, r in sorted(self._repo.rows.items())
            if r["status"] == "active"
        ]

    def catalogue_version(self) -> str:
        """Changes with every upsert or withdrawal (the fake counts writes)."""
        active = sum(1 for r in self._repo.rows.values() if r["status"] == "active")
        return f"{active}:{self._repo.writes}"


class _RowView:
    """Attribute access to a row dict (so ``passes`` reads rows and chunks alike)."""

    def __init__(self, row: dict[str, Any]) -> None:
        self.__dict__.update(row)

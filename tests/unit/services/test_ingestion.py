"""Ingestion rules against in-memory fakes of the store and the index (milliseconds per test)."""

from __future__ import annotations

from chalicelib.policies.records import RawRecord
from chalicelib.services.ingestion import IngestionService
from tests.factories import policy_record
from tests.fakes.policy import InMemoryPolicyIndex, InMemoryPolicyRepository


class _LengthEmbedder:
    """A deterministic 2-d embedder: enough for ingestion, which never ranks."""

    model_id, dimension = "length", 2

    def embed_documents(self, texts):
        return [[1.0, float(len(t))] for t in texts]

    def embed_query(self, text):
        return [1.0, float(len(text))]


def _run(repository, index, *records, **kwargs):
    service = IngestionService(repository, index, _LengthEmbedder(), batch_size=2)
    items = [RawRecord(i, r) for i, r in enumerate(records)]
    return service.ingest(items, source="test", **kwargs)


def test_new_policies_reach_the_store_and_the_index_with_typed_chunks():
    repository, index = InMemoryPolicyRepository(), InMemoryPolicyIndex()
    report = _run(repository, index, policy_record("1"), policy_record("2", sprtTrgtMaxAge="0"))
    assert report["counts"]["new"] == 2 and report["status"] == "succeeded"
    assert index.indexed_policies() == {"1", "2"}
    first = index.chunks["2:0"]
    assert (first.min_age, first.max_age, first.district_codes) == (
        19,
        None,
        ["11110", "11140", "11680"],
    )
    assert {n: r["indexed_hash"] == r["content_hash"] for n, r in repository.rows.items()} == {
        "1": True,
        "2": True,
    }
    assert "memory" in report["timings"]  # the index's time, under its backend's name


def test_unapproved_policies_are_stored_but_not_indexed():
    repository, index = InMemoryPolicyRepository(), InMemoryPolicyIndex()
    _run(repository, index, policy_record("1"), policy_record("2", plcyAprvSttsCd="0044001"))
    assert set(repository.rows) == {"1", "2"}
    assert index.indexed_policies() == {"1"}
    assert index.searchable_policies() == repository.index_expectation() == 1


def test_a_full_sync_withdraws_what_it_no_longer_lists_from_both_stores():
    repository, index = InMemoryPolicyRepository(), InMemoryPolicyIndex()
    _run(repository, index, policy_record("1"), policy_record("2"), full_sync=True)
    report = _run(repository, index, policy_record("1"), full_sync=True)
    assert report["counts"]["withdrawn"] == 1
    assert repository.rows["2"]["status"] == "withdrawn"
    assert index.indexed_policies() == {"1"}


def test_a_lost_index_is_rebuilt_by_recovery():
    repository, index = InMemoryPolicyRepository(), InMemoryPolicyIndex()
    _run(repository, index, policy_record("1"), policy_record("2"))
    index.delete_policies(["1", "2"])
    service = IngestionService(repository, index, _LengthEmbedder())
    report = service.recover(60.0)
    assert report["missing_from_index"] == 2
    assert index.indexed_policies() == {"1", "2"}

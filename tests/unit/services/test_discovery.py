"""Discovery rules against in-memory fakes of its ports (no database, no vector store)."""

from __future__ import annotations

from datetime import date

from chalicelib.models import PolicyListQuery
from chalicelib.policies.normalize import normalize
from chalicelib.services.discovery import DiscoveryService
from chalicelib.services.ingestion import policy_chunks
from tests.factories import policy_record
from tests.fakes.policy import (
    InMemoryDiscoveryQueries,
    InMemoryPolicyIndex,
    InMemoryPolicyRepository,
)

TODAY = date(2026, 11, 21)
_AXES = {"1": [1.0, 0.0, 0.0], "2": [0.8, 0.6, 0.0], "3": [0.0, 0.0, 1.0]}


def _service(*records):
    repository, index = InMemoryPolicyRepository(), InMemoryPolicyIndex()
    policies = [normalize({**r, "aplyPrdSeCd": "0057002", "aplyYmd": ""}) for r in records]
    repository.upsert(policies)
    index.upsert([c for p in policies for c in policy_chunks(p, [_AXES[p.plcy_no]])])
    queries = InMemoryDiscoveryQueries(repository)
    service = DiscoveryService(
        queries, index, lambda text: [1.0, 0.0, 0.0], lambda: TODAY, cursor_key=b"k" * 32
    )
    return service, queries


def test_a_search_page_reads_the_candidates_once():
    service, queries = _service(policy_record("1"), policy_record("2"), policy_record("3"))
    page = service.list_policies(PolicyListQuery(q="월세 지원", limit=2), None)
    assert [item["plcyNo"] for item in page["items"]] == ["1", "2"]
    assert page["next"] is not None
    assert queries.among_calls == 1


def test_a_sorted_search_and_the_advisor_read_the_candidates_once():
    service, queries = _service(policy_record("1"), policy_record("2"))
    page = service.list_policies(PolicyListQuery(q="월세", sort="newest"), None)
    assert {item["plcyNo"] for item in page["items"]} == {"1", "2"}
    assert queries.among_calls == 1
    found = service.find_for("월세", {"birth_date": date(2000, 1, 1)})
    assert [item["plcyNo"] for item in found][:1] == ["1"]
    assert queries.among_calls == 2


def test_filters_reach_the_index_and_the_queries():
    service, _ = _service(policy_record("1"), policy_record("2", zipCd="26350"))
    page = service.list_policies(PolicyListQuery(q="월세", region="26350"), None)
    assert [item["plcyNo"] for item in page["items"]] == ["2"]

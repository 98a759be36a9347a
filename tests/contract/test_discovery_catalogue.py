"""The DiscoveryQueries catalogue contract: the in-memory fake and PostgreSQL answer the same way."""

from __future__ import annotations

import pytest

from chalicelib.policies.normalize import normalize
from tests.factories import policy_record
from tests.fakes.policy import InMemoryDiscoveryQueries, InMemoryPolicyRepository


@pytest.fixture(params=["fake", "postgres"])
def stores(request):
    if request.param == "fake":
        repository = InMemoryPolicyRepository()
        return repository, InMemoryDiscoveryQueries(repository)
    stack = request.getfixturevalue("stack")  # tables truncated afterwards
    return stack.policies, stack.discovery_queries


def test_the_catalogue_lists_active_names_keywords_and_how_to_apply(stores):
    repository, queries = stores
    repository.upsert(
        [
            normalize(policy_record("2", plcyNm="청년도약계좌", plcyKywdNm="적금,자산형성")),
            normalize(policy_record("1", plcyNm="서울 청년 월세 지원")),
        ]
    )
    rows = queries.catalogue()
    assert [(r["plcy_no"], r["name"]) for r in rows] == [
        ("1", "서울 청년 월세 지원"),
        ("2", "청년도약계좌"),
    ]
    assert list(rows[1]["keywords"]) == ["적금", "자산형성"]
    assert rows[0]["apply_method"] == normalize(policy_record("1")).apply_method


def test_the_version_changes_when_policies_change_or_are_withdrawn(stores):
    repository, queries = stores
    empty = queries.catalogue_version()
    repository.upsert([normalize(policy_record("1")), normalize(policy_record("2"))])
    loaded = queries.catalogue_version()
    assert loaded != empty and queries.catalogue_version() == loaded
    repository.upsert([normalize(policy_record("1", plcyNm="청년 월세 지원 개편"))])
    changed = queries.catalogue_version()
    assert changed != loaded
    repository.mark_seen(["1"], 9)
    assert repository.withdraw_unseen(9) == ["2"]
    assert queries.catalogue_version() != changed
    assert [r["plcy_no"] for r in queries.catalogue()] == ["1"]

"""The DiscoveryQueries contract: the in-memory fake and PostgreSQL answer the same way."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.policies.filters import PolicyFilter
from chalicelib.policies.normalize import normalize
from tests.factories import policy_record
from tests.fakes.policy import InMemoryDiscoveryQueries, InMemoryPolicyRepository

TODAY = date(2026, 11, 21)
# What ranking and recommendations read from a listed row (interests match all three lists).
RANKING_FIELDS = {"categories", "subcategories", "keywords", "apply_windows", "apply_status"}


@pytest.fixture(params=["fake", "postgres"])
def stores(request):
    if request.param == "fake":
        repository = InMemoryPolicyRepository()
        return repository, InMemoryDiscoveryQueries(repository)
    stack = request.getfixturevalue("stack")  # tables truncated afterwards
    return stack.policies, stack.discovery_queries


def test_listed_rows_carry_what_ranking_reads_and_only_open_ones_are_candidates(stores):
    repository, queries = stores
    repository.upsert(
        [
            normalize(policy_record("c1", mclsfNm="창업", aplyPrdSeCd="0057002", aplyYmd="")),
            normalize(policy_record("c2", aplyYmd="20261001 ~ 20261031")),
        ]
    )
    candidates = queries.candidates_for(PolicyFilter(), TODAY, limit=10)
    assert [row["plcy_no"] for row in candidates] == ["c1"]
    assert RANKING_FIELDS <= set(candidates[0])
    assert list(candidates[0]["subcategories"]) == ["창업"]
    among = queries.among(["c1", "c2"], PolicyFilter(), TODAY)
    assert set(among) == {"c1", "c2"}
    assert all(RANKING_FIELDS <= set(row) for row in among.values())

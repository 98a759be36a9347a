"""The PolicyIndex contract: the in-memory fake and Milvus Lite answer the same way."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.policies.filters import PolicyChunk, PolicyFilter
from tests.fakes.policy import InMemoryPolicyIndex

TODAY = date(2026, 11, 21)


@pytest.fixture(params=["fake", "milvus"])
def index_and_dim(request):
    if request.param == "fake":
        return InMemoryPolicyIndex(), 8
    stack = request.getfixturevalue("policy_stack")  # collection dropped before and after
    return stack.policy_index, stack.policy_index.dimension


def _vector(dim: int, *weights: float) -> list[float]:
    return [*weights, *([0.0] * (dim - len(weights)))]


def _chunk(number: str, dim: int, *weights: float, part: int = 0, **fields) -> PolicyChunk:
    values = {
        "min_age": 19,
        "max_age": 34,
        "nationwide": False,
        "province_codes": ["11"],
        "province_wide": [],
        "district_codes": ["11680"],
        "categories": ["주거"],
        "apply_status": "always",
        "apply_start": None,
        "apply_end": None,
        "approved": True,
        **fields,
    }
    return PolicyChunk(f"{number}:{part}", number, _vector(dim, *weights), **values)


def _found(index, dim, filters=None, today=TODAY) -> list[str]:
    filters = filters or PolicyFilter()
    return [n for n, _ in index.search(_vector(dim, 1.0), filters, today=today, limit=10)]


def test_ensure_creates_an_empty_index_once(index_and_dim):
    index, _ = index_and_dim
    assert index.ensure() is True
    assert index.ensure() is False
    assert index.exists() is True
    assert (index.count(), index.searchable_policies(), index.indexed_policies()) == (0, 0, set())


def test_search_returns_each_policy_once_by_its_best_chunk_best_first(index_and_dim):
    index, dim = index_and_dim
    index.ensure()
    index.upsert(
        [
            _chunk("A", dim, 0.6, 0.8),
            _chunk("A", dim, 1.0, 0.0, part=1),
            _chunk("B", dim, 0.8, 0.6),
            _chunk("C", dim, 0.0, 1.0),
        ]
    )
    index.flush()
    hits = index.search(_vector(dim, 1.0), PolicyFilter(), today=TODAY, limit=10)
    assert [n for n, _ in hits] == ["A", "B", "C"]
    assert [round(s, 3) for _, s in hits] == [1.0, 0.8, 0.0]
    assert (index.count(), index.searchable_policies(), index.indexed_policies()) == (
        4,
        3,
        {"A", "B", "C"},
    )


def test_filters_run_inside_the_search(index_and_dim):
    index, dim = index_and_dim
    index.ensure()
    window = {
        "apply_status": "window",
        "apply_start": date(2026, 11, 1),
        "apply_end": date(2026, 11, 30),
    }
    index.upsert(
        [
            _chunk("open", dim, 1.0, **window),
            _chunk("later", dim, 0.9, apply_status="window", apply_start=date(2027, 1, 1),
                   apply_end=date(2027, 2, 1)),
            _chunk("gone", dim, 0.8, apply_status="closed"),
            _chunk("busan", dim, 0.7, province_codes=["26"], district_codes=["26350"],
                   categories=["일자리"], min_age=None, max_age=None),
            _chunk("nation", dim, 0.6, nationwide=True, province_codes=[], district_codes=[]),
            _chunk("seoulwide", dim, 0.5, district_codes=[], province_wide=["11"]),
            _chunk("hidden", dim, 0.95, approved=False),
        ]
    )  # fmt: skip
    index.flush()
    everything = ["open", "later", "gone", "busan", "nation", "seoulwide"]
    assert _found(index, dim) == everything
    assert _found(index, dim, PolicyFilter(age=40)) == ["busan"]
    assert _found(index, dim, PolicyFilter(region="26")) == ["busan", "nation"]
    assert _found(index, dim, PolicyFilter(region="11680")) == [
        "open", "later", "gone", "nation", "seoulwide"
    ]  # fmt: skip
    assert _found(index, dim, PolicyFilter(region="11110")) == ["nation", "seoulwide"]
    assert _found(index, dim, PolicyFilter(category="일자리")) == ["busan"]
    assert _found(index, dim, PolicyFilter(status="open")) == [
        "open", "busan", "nation", "seoulwide"
    ]  # fmt: skip
    assert _found(index, dim, PolicyFilter(status="upcoming")) == ["later"]
    assert _found(index, dim, PolicyFilter(status="closed")) == ["gone"]
    assert _found(index, dim, PolicyFilter(status="closed"), date(2026, 12, 1)) == [
        "open", "gone"
    ]  # fmt: skip
    assert _found(index, dim, PolicyFilter(deadline_before=date(2026, 12, 31))) == ["open"]


def test_upsert_replaces_by_chunk_id_and_delete_removes_every_chunk(index_and_dim):
    index, dim = index_and_dim
    index.ensure()
    index.upsert([_chunk("A", dim, 1.0), _chunk("A", dim, 1.0, part=1), _chunk("B", dim, 0.5)])
    index.flush()
    index.upsert([_chunk("B", dim, 0.5, categories=["교육"])])
    index.flush()
    assert _found(index, dim, PolicyFilter(category="교육")) == ["B"]
    assert index.count() == 3
    index.delete_policies(["A"])
    index.flush()
    assert (index.count(), index.indexed_policies(), _found(index, dim)) == (1, {"B"}, ["B"])


def test_drop_deletes_everything_and_a_new_ensure_starts_empty(index_and_dim):
    index, dim = index_and_dim
    index.ensure()
    index.upsert([_chunk("P1", dim, 1.0)])
    index.flush()
    index.drop()
    assert index.exists() is False
    index.drop()  # a missing index is fine
    assert index.ensure() is True
    assert index.indexed_policies() == set()

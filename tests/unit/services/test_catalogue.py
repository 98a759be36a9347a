"""The advisor's policy catalogue service against the in-memory fake of its port."""

from __future__ import annotations

from chalicelib.policies.normalize import normalize
from chalicelib.services.catalogue import PolicyCatalogue
from tests.factories import policy_record
from tests.fakes.policy import InMemoryDiscoveryQueries, InMemoryPolicyRepository


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _catalogue():
    repository, clock = InMemoryPolicyRepository(), _Clock()
    repository.upsert([normalize(policy_record("1", plcyNm="청년도약계좌"))])
    service = PolicyCatalogue(InMemoryDiscoveryQueries(repository), check_seconds=5, clock=clock)
    return repository, clock, service


def test_names_resolve_against_the_loaded_catalogue():
    _, _, catalogue = _catalogue()
    assert [c.plcy_no for c in catalogue.resolve("도약계좌 서류 뭐야?")] == ["1"]
    assert catalogue.resolve("청년 우주여행 지원금") == []


def test_a_changed_catalogue_is_picked_up_at_the_next_check_only():
    repository, clock, catalogue = _catalogue()
    assert catalogue.resolve("청년미래적금") == []
    repository.upsert([normalize(policy_record("2", plcyNm="청년미래적금"))])
    clock.now = 4.0  # within the check interval: the loaded catalogue still answers
    assert catalogue.resolve("청년미래적금") == []
    clock.now = 5.0
    assert [c.plcy_no for c in catalogue.resolve("청년미래적금")] == ["2"]


def test_the_counselling_contact_comes_from_the_catalogue():
    repository, clock, catalogue = _catalogue()
    assert catalogue.contact() is None
    repository.upsert(
        [normalize(policy_record("3", plcyAplyMthdCn="청년정책 상담센터(1811-9876) 이용"))]
    )
    clock.now = 10.0
    assert catalogue.contact() == "1811-9876"

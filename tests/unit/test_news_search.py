"""The news adapters: Tavily over HTTP against a local fake endpoint (the exact request, the
results as NewsItems, every failure as no news), and the off switch without a key."""

from __future__ import annotations

import time
from datetime import date

import pytest

from chalicelib import providers
from chalicelib.errors import UpstreamUnavailable
from chalicelib.news.off import NoNewsSearch
from chalicelib.news.tavily import TavilyNewsSearch
from tests.fake_tavily import KEY, FakeTavily, result


@pytest.fixture
def tavily():
    with FakeTavily() as fake:
        yield fake


def test_sends_the_exact_search_request(tavily):
    search = TavilyNewsSearch(lambda: KEY, url=tavily.url)
    search.search("청년 적금 2026", max_results=3, days=30)
    assert tavily.requests == [
        {
            "path": "/search",
            "authorization": f"Bearer {KEY}",
            "content_type": "application/json",
            "body": {
                "query": "청년 적금 2026",
                "topic": "news",
                "search_depth": "basic",
                "max_results": 3,
                "days": 30,
                "include_answer": False,
                "include_raw_content": False,
            },
        }
    ]
    assert "api_key" not in tavily.requests[0]["body"]  # the key travels in the header only


def test_leaves_days_out_when_not_limited(tavily):
    TavilyNewsSearch(lambda: KEY, url=tavily.url).search("청년 월세", max_results=2, days=None)
    assert "days" not in tavily.requests[0]["body"]
    assert tavily.requests[0]["body"]["max_results"] == 2


def test_turns_results_into_news_items_with_source_and_date(tavily):
    tavily.results.append(result("", "https://x.example/1", "no title"))  # dropped
    tavily.results.append(result("no link", "javascript:alert(1)", "bad url"))  # dropped
    tavily.results.append(result("undated", "https://www.undated.example/a", "x" * 500, None))
    items = TavilyNewsSearch(lambda: KEY, url=tavily.url).search("q", max_results=5)
    assert [(i.source, i.published) for i in items] == [
        ("news.example.co.kr", date(2026, 11, 24)),
        ("daily.example.com", date(2026, 11, 20)),
        ("undated.example", None),
    ]
    assert items[0].title == "청년미래적금 내년 6월 출시…정부 기여금 최대 12%"
    assert items[0].url == "https://www.news.example.co.kr/economy/2026/11/24/1"
    assert len(items[2].snippet) == 240 and items[2].snippet.endswith("…")


def test_keeps_at_most_the_results_asked_for(tavily):
    items = TavilyNewsSearch(lambda: KEY, url=tavily.url).search("q", max_results=1)
    assert len(items) == 1


@pytest.mark.parametrize("status", [401, 429, 500])
def test_an_error_answer_is_no_news(tavily, status, caplog):
    tavily.status = status
    assert TavilyNewsSearch(lambda: KEY, url=tavily.url).search("q") == []
    assert f"HTTP {status}" in caplog.text and KEY not in caplog.text


def test_a_slow_answer_is_no_news_within_the_timeout(tavily):
    tavily.delay = 1.0
    started = time.perf_counter()
    assert TavilyNewsSearch(lambda: KEY, url=tavily.url, timeout=0.2).search("q") == []
    assert time.perf_counter() - started < 0.8


def test_an_unreachable_endpoint_is_no_news():
    with FakeTavily() as fake:
        url = fake.url
    assert TavilyNewsSearch(lambda: KEY, url=url, timeout=0.5).search("q") == []


def test_a_key_that_cannot_be_read_is_no_news_and_read_again_later(tavily):
    reads = []

    def key() -> str:
        reads.append(1)
        if len(reads) == 1:
            raise UpstreamUnavailable("the secret finq/dev/tavily could not be read")
        return KEY

    search = TavilyNewsSearch(key, url=tavily.url)
    assert search.search("q") == [] and tavily.requests == []
    assert len(search.search("q")) == 2 and len(reads) == 2
    search.search("q")
    assert len(reads) == 2  # read once, then kept


def test_without_a_key_the_search_is_off():
    off = NoNewsSearch()
    assert off.enabled is False and off.search("청년 적금 2026") == []


def test_providers_pick_tavily_only_when_a_key_is_configured(monkeypatch, tavily):
    monkeypatch.delenv("FINQ_TAVILY_API_KEY", raising=False)
    monkeypatch.delenv("FINQ_TAVILY_API_KEY_SECRET_ARN", raising=False)
    providers.reset()
    assert providers.container().news_search.enabled is False
    monkeypatch.setenv("FINQ_TAVILY_API_KEY", KEY)
    monkeypatch.setenv("FINQ_TAVILY_API_URL", tavily.url)
    providers.reset()
    news = providers.container().news_search
    assert news.enabled is True and len(news.search("청년 적금 2026")) == 2
    assert tavily.requests[0]["authorization"] == f"Bearer {KEY}"
    providers.reset()
